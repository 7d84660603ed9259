// Web Push for Arbeidsdagen, loaded by the service worker (static/js/sw.js) when this file
// exists. Shows a reminder with its pictogram, opens the right page on a tap, and sends
// "Jeg har gått" from the notification's own button. No badge, no counter (calm by design).
/* global self */
"use strict";

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { title: event.data ? event.data.text() : "" };
  }
  const options = {
    body: data.body || "",
    icon: data.icon,
    // The same tag replaces an older notice about the same thing: never two for one moment.
    tag: data.tag,
    renotify: false,
    actions: data.actions || [],
    data: { url: data.url || "/", kind: data.kind, leftUrl: data.left_url, leftToken: data.left_token },
  };
  event.waitUntil(self.registration.showNotification(data.title || "Arbeidsdagen", options));
});

function openPage(url) {
  const target = new URL(url, self.location.origin).href;
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    const same = windows.find((w) => w.url === target);
    if (same) { return same.focus(); }
    if (windows.length && "navigate" in windows[0]) {
      return windows[0].navigate(target).then((w) => (w ? w.focus() : self.clients.openWindow(target)));
    }
    return self.clients.openWindow(target);
  });
}

// "Jeg har gått" from the button: the token the notification carries names the worker and the
// shift, so it needs no page and no CSRF token. Without net it is tried again when the
// notification is tapped once more; I dag has the same button.
function answer(notification, action) {
  const data = notification.data || {};
  if (action === "left" && data.leftUrl && data.leftToken) {
    notification.close();
    return fetch(data.leftUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "token=" + encodeURIComponent(data.leftToken),
    }).catch(() => openPage(data.url || "/"));
  }
  notification.close();
  return openPage(data.url || "/");
}

self.addEventListener("notificationclick", (event) => {
  event.waitUntil(answer(event.notification, event.action));
});

// The same answer for a notification by its tag, asked by a page of this site: for platforms
// and tools that can show a notification but not press its button (the browser test uses it).
self.addEventListener("message", (event) => {
  const ask = event.data || {};
  if (ask.type !== "notification-action") { return; }
  event.waitUntil(self.registration.getNotifications({ tag: ask.tag }).then((found) =>
    Promise.all(found.map((n) => answer(n, ask.action)))));
});
