// Arbeidsdagen without net: registers the service worker (static/js/sw.js, served at /sw.js)
// and shows a tick that waits to be sent as done. Every page works without this file, and in
// a browser without service workers the app works as before, online only.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }

  // A tick made without net waits in the service worker's queue; show it as done at once.
  // Each waiting form has a hidden "done" block next to it, with the same URL.
  function showWaiting() {
    if (!window.caches) { return Promise.resolve(); }
    return caches.open("wa-state")
      .then(function (cache) { return cache.match("/offline/state/waiting"); })
      .then(function (kept) { return kept ? kept.json() : []; })
      .then(function (waiting) {
        document.querySelectorAll("[data-offline-done]").forEach(function (block) {
          var action = block.getAttribute("data-offline-done");
          if (waiting.indexOf(action) === -1) { return; }
          block.hidden = false;
          document.querySelectorAll("form").forEach(function (form) {
            if (new URL(form.action).pathname === action) { form.hidden = true; }
          });
        });
      })
      .catch(function () { /* nothing waits, or no cache: the page as it came */ });
  }

  function hello(worker) {
    var audio = [].map.call(document.querySelectorAll("audio[data-read-aloud-audio]"),
      function (el) { return el.src; });
    worker.postMessage({ type: "hello", path: location.pathname, audio: audio });
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "ready") {
      document.documentElement.setAttribute("data-offline-ready", event.data.warmed ? "warmed" : "yes");
      showWaiting();
    }
  });

  window.addEventListener("load", function () {
    showWaiting();
    // updateViaCache "none": the browser always asks for /sw.js itself, so a new version
    // replaces the old one on the next visit.
    navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) { hello(registration.active); })
      .catch(function () { /* no service worker: online only, as before */ });
  });
  window.addEventListener("online", function () {
    if (navigator.serviceWorker.controller) { hello(navigator.serviceWorker.controller); }
  });
})();
