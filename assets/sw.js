// HeureCivique service worker: the app shell and the build's files, never the backend.
//
// - hashed build files (/assets/*): cache-first (a new build has new names);
// - the shell (offline page in both languages, manifest, icons, stylesheet):
//   stored at install, network-first afterwards so a change shows up;
// - this file itself is served "no-cache" (api/headers.py): the browser checks it at
//   each navigation, so a changed worker installs at the next visit;
// - page navigations: always the network; when it fails, the offline page.
//   Pages are not stored: their content (boards, missions, addresses) comes over
//   the websocket, so a stored page would be an empty frame, and nothing private
//   should stay on a shared phone;
// - the backend is never intercepted: /_event (the websocket), /_upload, /ping,
//   /_health, /api/* (login, photos, exports) go straight to the network;
// - web push: a message ({title, body, url, tag}, jobs/push.py) becomes a notification;
//   a tap on it opens its page, a path of this site only.
const VERSION = "v1";
const SHELL_CACHE = `hc-shell-${VERSION}`;
const ASSET_CACHE = `hc-assets-${VERSION}`;
const MAX_ASSETS = 200; // several builds' worth; the oldest entries go first
const OFFLINE = { fr: "/offline?lang=fr", en: "/offline?lang=en" };
const SHELL = [
  OFFLINE.fr, OFFLINE.en, "/manifest.webmanifest", "/styles.css",
  "/icons/icon-192.png", "/icons/icon-512.png", "/icons/icon-maskable-512.png",
];
const BACKEND = [/^\/_event/, /^\/_upload/, /^\/ping/, /^\/_health/, /^\/api(\/|$)/,
                 /^\/_all_routes/];

self.addEventListener("install", (event) => {
  // From the server, not the browser's HTTP cache (the manifest may be kept an hour):
  // a changed worker arrives with a deploy and must keep that deploy's shell.
  const fresh = SHELL.map((url) => new Request(url, { cache: "reload" }));
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(fresh))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  const keep = [SHELL_CACHE, ASSET_CACHE];
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => !keep.includes(k)).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

async function locale() {
  // The language chosen in the app (a readable cookie), else the browser's.
  try {
    const chosen = self.cookieStore && await self.cookieStore.get("hc_locale");
    if (chosen && OFFLINE[chosen.value]) return chosen.value;
  } catch (_) { /* no cookieStore: fall through */ }
  return (self.navigator.language || "fr").toLowerCase().startsWith("en") ? "en" : "fr";
}

async function offlinePage() {
  const cache = await caches.open(SHELL_CACHE);
  return (await cache.match(OFFLINE[await locale()])) || (await cache.match(OFFLINE.fr)) ||
    new Response("Hors ligne / Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}

async function networkFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(request);
    if (hit) return hit;
    throw error;
  }
}

async function keep(cache, request, response) {
  await cache.put(request, response);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_ASSETS)).map((k) => cache.delete(k)));
}

async function cacheFirst(request) {
  const cache = await caches.open(ASSET_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await keep(cache, request, response.clone());
  return response;
}

// assets/pwa.js sends the build files the first page loaded before this worker ran.
self.addEventListener("message", (event) => {
  const files = (event.data && event.data.cacheAssets) || [];
  event.waitUntil(caches.open(ASSET_CACHE).then((cache) => Promise.all(files
    .filter((url) => new URL(url).origin === self.location.origin &&
      new URL(url).pathname.startsWith("/assets/"))
    .map(async (url) => {
      if (await cache.match(url)) return;
      const response = await fetch(url).catch(() => null);
      if (response && response.ok) await keep(cache, url, response);
    }))));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (BACKEND.some((pattern) => pattern.test(url.pathname))) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage()));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(cacheFirst(request));
  } else if (SHELL.includes(url.pathname + url.search)) {
    event.respondWith(networkFirst(request));
  }
  // Anything else (e.g. a route's data file): the browser's own handling.
});

// A path of this site, else /home: a message never sends anyone to another site.
function pagePath(url) {
  if (typeof url !== "string" || !url.startsWith("/") || url.startsWith("//")) return "/home";
  const target = new URL(url, self.location.origin);
  return target.origin === self.location.origin ? target.pathname + target.search : "/home";
}

self.addEventListener("push", (event) => {
  let message = {};
  try { message = event.data ? event.data.json() : {}; } catch (_) { /* not JSON */ }
  event.waitUntil(self.registration.showNotification(message.title || "HeureCivique", {
    body: message.body || "", tag: message.tag || "", icon: "/icons/icon-192.png",
    badge: "/icons/icon-192.png", data: { url: pagePath(message.url) },
  }));
});

async function openPage(path) {
  const url = new URL(path, self.location.origin).href;
  // The app's own window if one is open (an installed app has one), else a new one.
  const [tab] = await self.clients.matchAll({ type: "window" });
  if (tab) {
    await tab.focus().catch(() => {});
    return tab.navigate(url);
  }
  return self.clients.openWindow(url);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openPage(pagePath(event.notification.data && event.notification.data.url)));
});
