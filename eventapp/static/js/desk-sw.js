/* The desk's service worker (Workbox, vendored): the scan page and what it loads come from the cache when
 * the network is gone, so a reload, a crashed tab or a restarted tablet still opens a page that scans.
 * The page is fetched network-first (a fresh page, with a fresh CSRF token, whenever the server answers);
 * scripts, styles and icons stale-while-revalidate. The API is never cached here: the list of codes and
 * the queue live in IndexedDB (js/desk-store.js). */
/* global workbox */
importScripts(
  "/static/vendor/workbox/workbox-core.prod.js",
  "/static/vendor/workbox/workbox-routing.prod.js",
  "/static/vendor/workbox/workbox-strategies.prod.js",
);

const PAGES = "eventapp-desk-pages";
const ASSETS = "eventapp-desk-assets";
const DESK_PAGE = new URL(self.registration.scope).pathname; // /staff/checkin

// A fresh worker takes over at once: a desk should not need a second reload to work offline.
self.skipWaiting();
workbox.core.clientsClaim();

/** Only good answers are kept: never the login page a lapsed session was redirected to, never an error. */
const onlyGoodAnswers = {
  cacheWillUpdate: async ({ response }) => (response.status === 200 && !response.redirected ? response : null),
};

/** Opened offline at another address of the page (say without ?event=): the page last cached. */
const anyDeskPage = {
  handlerDidError: async ({ request }) => (await caches.open(PAGES)).match(request, { ignoreSearch: true, ignoreVary: true }),
};

const router = new workbox.routing.Router();
router.registerRoute(
  new workbox.routing.Route(
    ({ url, request }) => url.origin === self.location.origin && url.pathname === DESK_PAGE && request.method === "GET",
    new workbox.strategies.NetworkFirst({
      cacheName: PAGES,
      networkTimeoutSeconds: 4,
      matchOptions: { ignoreVary: true },
      plugins: [onlyGoodAnswers, anyDeskPage],
    }),
  ),
);
router.registerRoute(
  new workbox.routing.Route(
    ({ url }) =>
      url.origin === self.location.origin &&
      (url.pathname.startsWith("/static/") || url.pathname === `${DESK_PAGE}/manifest.webmanifest`),
    new workbox.strategies.StaleWhileRevalidate({ cacheName: ASSETS, plugins: [onlyGoodAnswers] }),
  ),
);
router.addFetchListener();
router.addCacheListener(); // the page sends CACHE_URLS: itself and its assets, fetched before the worker ran
