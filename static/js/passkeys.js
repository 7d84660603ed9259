// Passkeys with the plain WebAuthn API: register one on "Innlogging og sikkerhet", and use one
// as the second step of signing in. The server makes the options (with a challenge bound to
// this session) and checks the answer; this file only carries them between it and the browser.
(function () {
  "use strict";
  var register = document.querySelector("form[data-passkey-register]");
  var login = document.querySelector("form[data-passkey-login]");
  if (!register && !login) { return; }

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function bytes(b64url) {
    var padded = (b64url + "===".slice((b64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out.buffer;
  }

  function b64url(buffer) {
    var view = new Uint8Array(buffer), text = "";
    for (var i = 0; i < view.length; i++) { text += String.fromCharCode(view[i]); }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || ""); }
        return data;
      });
    });
  }

  function descriptors(list) {
    return (list || []).map(function (c) { return {type: c.type, id: bytes(c.id), transports: c.transports}; });
  }

  // The credential as JSON (the WebAuthn "toJSON" shape the server library reads).
  function asJSON(cred) {
    if (typeof cred.toJSON === "function") { return cred.toJSON(); }
    var r = cred.response, out = {id: cred.id, rawId: b64url(cred.rawId), type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults(), response: {clientDataJSON: b64url(r.clientDataJSON)}};
    if (r.attestationObject) {
      out.response.attestationObject = b64url(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = b64url(r.authenticatorData);
      out.response.signature = b64url(r.signature);
      if (r.userHandle) { out.response.userHandle = b64url(r.userHandle); }
    }
    out.authenticatorAttachment = cred.authenticatorAttachment;
    return out;
  }

  function problem(form, message) {
    var box = form.querySelector("#passkey-problem");
    box.textContent = message || box.getAttribute("data-default") || "";
    box.hidden = false;
  }

  function supported(form) {
    if (window.PublicKeyCredential && navigator.credentials) { return true; }
    problem(form, form.getAttribute("data-unsupported"));
    return false;
  }

  if (register) {
    register.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!supported(register)) { return; }
      var name = register.querySelector("input[name=name]").value.trim();
      if (!name) { problem(register, register.getAttribute("data-need-name")); register.querySelector("input[name=name]").focus(); return; }
      post(register.getAttribute("data-options")).then(function (options) {
        options.challenge = bytes(options.challenge);
        options.user.id = bytes(options.user.id);
        options.excludeCredentials = descriptors(options.excludeCredentials);
        return navigator.credentials.create({publicKey: options});
      }).then(function (cred) {
        return post(register.action, {name: name, credential: JSON.stringify(asJSON(cred))});
      }).then(function (answer) {
        if (answer.make_codes) { document.getElementById("make-codes").submit(); }
        else { window.location.assign(answer.next); }
      }).catch(function (error) { problem(register, error && error.message && error.name === "Error" ? error.message : ""); });
    });
  }

  if (login) {
    login.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!supported(login)) { return; }
      post(login.getAttribute("data-options")).then(function (options) {
        options.challenge = bytes(options.challenge);
        options.allowCredentials = descriptors(options.allowCredentials);
        return navigator.credentials.get({publicKey: options});
      }).then(function (cred) {
        return post(login.action, {credential: JSON.stringify(asJSON(cred))});
      }).then(function (answer) {
        window.location.assign(answer.next);
      }).catch(function (error) { problem(login, error && error.message && error.name === "Error" ? error.message : ""); });
    });
  }
}());
