/* The citizens' app service worker (served by /app/sw.js, which writes VERSION and SHELL above).
 *
 * Keeps the app's shell (page, scripts, styles, icons, the ward map) so the app opens with no
 * network, and the queued reports (IndexedDB, page side) are sent when it returns. API answers are
 * never cached here: a citizen's reports are personal and must be fresh. */
/* global VERSION, SHELL */
"use strict";
const CACHE = "hue-app-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("hue-app-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/app/")) {
    // The page: fresh when the network answers, the kept shell when it does not.
    event.respondWith(
      fetch(request)
        .then((res) => { const copy = res.clone(); caches.open(CACHE).then((c) => c.put("/app/", copy)); return res; })
        .catch(() => caches.match("/app/")),
    );
    return;
  }
  if (SHELL.includes(url.pathname)) {
    // Scripts, styles, icons, wards: from the shell at once, refreshed in the background.
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match(url.pathname).then((hit) => {
        const fresh = fetch(request)
          .then((res) => { if (res.ok) cache.put(url.pathname, res.clone()); return res; })
          .catch(() => hit || Response.error());
        return hit || fresh;
      })),
    );
  }
});
