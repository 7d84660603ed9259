// Innstillinger: "Få varsler på denne telefonen". Subscribes this browser to Web Push with the
// server's VAPID key and saves the subscription. Shown only where the browser can do it.
(function () {
  "use strict";
  var box = document.querySelector("[data-push-key]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return;
  }
  box.hidden = false;
  var status = box.querySelector("[data-push-status]");

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function keyBytes(b64) {
    var padded = (b64 + "===".slice((b64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  function registration() {
    return navigator.serviceWorker.getRegistration().then(function (reg) {
      return reg || navigator.serviceWorker.register(box.dataset.swUrl);
    }).then(function () { return navigator.serviceWorker.ready; });
  }

  box.querySelector("[data-push-on]").addEventListener("click", function () {
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") { status.textContent = box.dataset.msgDenied; return; }
      return registration().then(function (reg) {
        return reg.pushManager.getSubscription().then(function (sub) {
          return sub || reg.pushManager.subscribe({ userVisibleOnly: true,
                                                    applicationServerKey: keyBytes(box.dataset.pushKey) });
        });
      }).then(function (sub) {
        return fetch(box.dataset.pushUrl, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
          body: JSON.stringify(sub.toJSON())
        });
      }).then(function (response) {
        status.textContent = response.ok ? box.dataset.msgOn : box.dataset.msgFailed;
      });
    }).catch(function () { status.textContent = box.dataset.msgFailed; });
  });
})();
