// Arbeidsdagen's service worker: the worker's day readable without net, and ticks kept until
// the phone is back. Our own source; /sw.js serves it with `self.WA` (its settings and
// version, see worker_app/pwa/views.py) on the line above. Workbox does the caching and the
// queue; this file says what is kept, for whom, and what the worker sees without net.
//
// What may be kept is the server's choice: a page is kept only when its answer carries
// `X-Offline-Cache: 1` (the worker's own pages), and every answer says whose it is
// (`X-Offline-Person`). Another person, or nobody, means every kept page is deleted.
//
// To add handlers (e.g. Web Push): put them in static/js/sw-push.js. When that file exists it
// is loaded below, after Workbox, with `self.WA` and `workbox` defined; it adds its own
// listeners (self.addEventListener("push", ...), "notificationclick", ...). Nothing here
// needs to change, and a change to that file makes a new service worker version.
/* global WA, workbox */
"use strict";

importScripts(...WA.workbox);
if (WA.push) { importScripts(WA.push); }

const { registerRoute, setCatchHandler } = workbox.routing;
const { CacheFirst, NetworkFirst } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;
const { Queue } = workbox.backgroundSync;
const { copyResponse, registerQuotaErrorCallback } = workbox.core;
const { RangeRequestsPlugin } = workbox.rangeRequests;

const STATIC = "wa-static";      // content-hashed URLs: the same URL never changes
const PAGES = "wa-pages-";       // + the person's key: one cache per person
const STATE = "wa-state";        // whose pages these are, and what waits to be sent
const PERSON_KEY = "/offline/state/person";
const WAITING_KEY = "/offline/state/waiting";
const NOBODY = "none";
const MATCH = { ignoreVary: true }; // pages vary on HX-Request and encoding; a kept copy is one page
// Form posts kept without net and sent when the phone is back: "Ferdig" on a step, and
// "Jeg trenger hjelp" (from a step, or the help page).
const KEPT_POST = /^\/(?:tasks\/\d+\/step\/\d+\/(?:done|help)|help\/ask)$/;
const IS_HELP = /(?:\/help|^\/help\/ask)$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  // A new version takes over at once, and caches of an older scheme go.
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== STATIC && name !== STATE && !name.startsWith(PAGES)) { await caches.delete(name); }
    }
    await self.clients.claim();
  })());
});

// Whose pages ------------------------------------------------------------------------------

let person = null;

async function currentPerson() {
  if (person === null) {
    const kept = await (await caches.open(STATE)).match(PERSON_KEY);
    person = kept ? await kept.text() : NOBODY;
  }
  return person;
}

async function notePerson(key) {
  if (!key || key === await currentPerson()) { return; }
  person = key;
  lastWarm = 0; // a new person: warm their pages on their first I dag
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES) && name !== PAGES + key) { await caches.delete(name); }
  }
  await dropWaiting();
  await (await caches.open(STATE)).put(PERSON_KEY, new Response(key));
}

const whoseAnswer = {
  fetchDidSucceed: async ({ response }) => {
    await notePerson(response.headers.get("X-Offline-Person"));
    return response;
  },
};

// Pages: network first (3 s on a slow line), the last copy without net ---------------------

function keepOwnPages(key) {
  return {
    cacheWillUpdate: async ({ response }) => {
      const mine = response.status === 200 && response.headers.get("X-Offline-Cache") === "1"
        && response.headers.get("X-Offline-Person") === key;
      if (!mine) { return null; }
      // A warmed checklist URL that leads on to its step is kept as that step's page.
      return response.redirected ? copyResponse(response) : response;
    },
  };
}

// A kept copy says so at the top: "Du er ikke på nett. Dette er fra kl. 08:12."
const showOfflineNote = {
  cachedResponseWillBeUsed: async ({ cachedResponse }) => {
    if (!cachedResponse) { return null; }
    const html = await cachedResponse.text();
    return new Response(html.replace("data-offline-note hidden", "data-offline-note"),
      { status: 200, headers: cachedResponse.headers });
  },
};

const pageStrategies = new Map();
function pagesFor(key) {
  if (!pageStrategies.has(key)) {
    pageStrategies.set(key, new NetworkFirst({
      cacheName: PAGES + key,
      networkTimeoutSeconds: 3,
      matchOptions: MATCH,
      plugins: [whoseAnswer, keepOwnPages(key), showOfflineNote,
        new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 14 * 24 * 3600 })],
    }));
  }
  return pageStrategies.get(key);
}

const sameSite = (url) => url.origin === self.location.origin;

registerRoute(({ request, url }) => request.mode === "navigate" && sameSite(url),
  async (options) => pagesFor(await currentPerson()).handle(options));

// A page never opened: the offline page, kept for this person, in their language. Anything
// else that failed here (e.g. a broken cache) is asked of the network as if we were not here.
setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    const pages = await caches.open(PAGES + await currentPerson());
    const offline = await pages.match(WA.offline, MATCH);
    if (offline) { return offline; }
  }
  try { return await fetch(request); } catch (error) { return Response.error(); }
});

// A full phone: give up the static files (they come again from the network), keep the pages.
registerQuotaErrorCallback(() => caches.delete(STATIC));

// Static files and photos: cache first ------------------------------------------------------

const staticFiles = new CacheFirst({
  cacheName: STATIC,
  matchOptions: MATCH,
  plugins: [new ExpirationPlugin({ maxEntries: 600, maxAgeSeconds: 90 * 24 * 3600 })],
});
registerRoute(({ url }) => sameSite(url) && url.pathname.startsWith("/static/") && url.searchParams.has("v")
  && !url.pathname.startsWith("/static/audio/"), staticFiles);

// Lesson audio: kept whole when a lesson screen is opened (see "keep" below); played from the
// kept file in the parts the audio element asks for.
const lessonAudio = new CacheFirst({
  cacheName: STATIC, matchOptions: { ignoreVary: true, ignoreSearch: false },
  plugins: [new RangeRequestsPlugin()],
});
registerRoute(({ url }) => sameSite(url) && url.pathname.startsWith("/static/audio/"), lessonAudio);

// Workplace photos of the worker's checklists are the worker's: kept with their pages.
const photoStrategies = new Map();
registerRoute(({ url }) => sameSite(url) && url.pathname.startsWith("/media/"), async (options) => {
  const key = await currentPerson();
  if (!photoStrategies.has(key)) {
    photoStrategies.set(key, new CacheFirst({ cacheName: PAGES + key, matchOptions: MATCH }));
  }
  return photoStrategies.get(key).handle(options);
});

// Warming: when I dag opens, fetch and keep the pages a worker needs without net -----------

let lastWarm = 0;
const WARM_EVERY = 5 * 60 * 1000; // a slow or small data plan: not on every visit

async function warm(event) {
  const answer = await fetch(WA.warmList, { credentials: "same-origin", cache: "no-store" });
  await notePerson(answer.headers.get("X-Offline-Person"));
  const key = await currentPerson();
  if (!answer.ok || key === NOBODY) { return false; }
  const { urls } = await answer.json();
  const assets = new Set();
  for (const url of urls) {
    const [response, done] = pagesFor(key).handleAll({ event, request: new Request(url, { credentials: "same-origin", headers: { "X-Offline-Warm": "1" } }) });
    try {
      const html = await (await response).clone().text();
      await done;
      // The pictograms, styles and photos the page uses, so it looks right without net.
      for (const match of html.matchAll(/(?:src|href)="(\/(?:static|media)\/[^"]+)"/g)) {
        assets.add(match[1].replace(/&amp;/g, "&"));
      }
    } catch (error) { /* one page missing is no reason to stop */ }
  }
  await Promise.all([...assets].map(async (asset) => {
    const request = new Request(asset, { credentials: "same-origin" });
    const strategy = asset.startsWith("/media/") ? new CacheFirst({ cacheName: PAGES + key, matchOptions: MATCH }) : staticFiles;
    try { await strategy.handle({ event, request }); } catch (error) { /* next time */ }
  }));
  lastWarm = Date.now();
  return true;
}

// Ticks and help without net: kept in a queue (Workbox background sync), sent when back ------

const queue = new Queue("wa-sends", { maxRetentionTime: 7 * 24 * 60, onSync: sendWaiting });
let sending = null;

// What waits, for the pages to show it: a kept tick is shown as done at once.
async function noteWaiting() {
  const waiting = (await queue.getAll()).map((entry) => new URL(entry.request.url).pathname);
  await (await caches.open(STATE)).put(WAITING_KEY, new Response(JSON.stringify(waiting)));
}

async function dropWaiting() {
  while (await queue.shiftRequest()) { /* another person's: never sent as the new one */ }
  await noteWaiting();
}

// The page a tick was made on may be older than this session, so each one is sent with a
// fresh CSRF token. Ticks are idempotent on the server: one sent twice counts once.
async function withFreshToken(request) {
  const answer = await fetch(WA.token, { credentials: "same-origin", cache: "no-store" });
  if (!answer.ok) { throw new Error("not signed in"); }
  const { csrf_token: token } = await answer.json();
  const form = new URLSearchParams(await request.clone().text());
  form.set("csrf_token", token);
  return new Request(request.url, {
    method: "POST", body: form, credentials: "same-origin", redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

async function sendWaiting() {
  if (sending) { return sending; }
  sending = (async () => {
    let entry;
    try {
      while ((entry = await queue.shiftRequest())) {
        let response;
        try {
          response = await fetch(await withFreshToken(entry.request));
        } catch (error) {
          await queue.unshiftRequest(entry);
          throw error; // still no net: the browser (or the next page) tries again
        }
        if (response.status >= 500) { await queue.unshiftRequest(entry); throw new Error("server"); }
        // Anything else is the server's answer; a 4xx (e.g. no longer yours) is not retried.
      }
    } finally {
      await noteWaiting();
      sending = null;
    }
  })();
  return sending;
}

registerRoute(({ url }) => sameSite(url) && KEPT_POST.test(url.pathname), async ({ request }) => {
  const copy = request.clone();
  try {
    const response = await fetch(request);
    sendWaiting().catch(() => {}); // the net is back: send what waited
    return response;
  } catch (error) {
    await queue.pushRequest({ request: copy });
    await noteWaiting();
    if (IS_HELP.test(new URL(copy.url).pathname)) {
      const pages = await caches.open(PAGES + await currentPerson());
      const kept = await pages.match(WA.helpQueued, MATCH);
      if (kept) { return kept; }
    }
    // Back to the page the tick was made on: it shows the step as done (static/js/offline.js).
    return Response.redirect(copy.referrer || WA.today, 303);
  }
}, "POST");

// Any other form sent without net is not kept (sending it later may not be what the worker
// wants): the offline page says what works, instead of the browser's own error page.
registerRoute(({ request, url }) => request.mode === "navigate" && sameSite(url) && !KEPT_POST.test(url.pathname),
  new workbox.strategies.NetworkOnly(), "POST");

// The pages say hello when they open: warm on I dag, and send what waits. A lesson screen
// also names its audio, kept whole so it plays without net.
async function keepAudio(urls) {
  const cache = await caches.open(STATIC);
  for (const url of urls || []) {
    const path = new URL(url, self.location.href);
    if (!sameSite(path) || !path.pathname.startsWith("/static/audio/") || await cache.match(path.href)) { continue; }
    const response = await fetch(path.href);
    if (response.status === 200) { await cache.put(path.href, response); }
  }
}

self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "hello") { return; }
  event.waitUntil(keepAudio(event.data.audio).catch(() => {}));
  event.waitUntil((async () => {
    let warmed = false;
    try {
      if (event.data.path === WA.today && Date.now() - lastWarm > WARM_EVERY) { warmed = await warm(event); }
      if (await queue.size()) { await sendWaiting(); }
    } catch (error) { /* no net: nothing to do now */ }
    if (event.source) { event.source.postMessage({ type: "ready", warmed }); }
  })());
});
