// Parley's service worker: keeps the app shell (the page, its script, its WebAssembly, its style
// and icons) so the app starts at once and opens offline. Service workers can only be scripts, so
// this one is JavaScript; it handles nothing but this origin's shell files.
//
// scripts/fingerprint.sh writes the release's file list and version below; a new release is a
// new sw.js, which the browser installs beside the old one. It waits until the page, having told
// the person an update is ready, asks it to take over.

const VERSION = 'development';
// The development build has no hashed names: then nothing is kept and every request goes out.
const SHELL = [];
const CACHE = `parley-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('parley-shell-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.parley === 'take-over') self.skipWaiting();
});

// The page and config.json are asked for each time (config.json is never served from here while
// the network answers), and kept only to open offline; the hashed files never change, so they
// come from the cache.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || SHELL.length === 0) return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = './' + url.pathname.slice(scope.pathname.length);
  if (path === './' || path === './index.html') {
    event.respondWith(revalidated(request, './'));
  } else if (path === './config.json') {
    event.respondWith(revalidated(request, './config.json'));
  } else if (SHELL.includes(path)) {
    event.respondWith(caches.match(path, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
  }
});

/** The network's answer (stored under `key` when it is a good one), else the stored copy. */
async function revalidated(request, key) {
  const cache = await caches.open(CACHE);
  try {
    // A new request: a navigation's own cannot be given other options.
    const response = await fetch(new Request(request.url, { cache: 'no-cache', credentials: 'same-origin' }));
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (offline) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw offline;
  }
}
