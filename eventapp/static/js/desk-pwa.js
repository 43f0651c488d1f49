/* The desk as a device: its name (asked once, kept in a cookie that logging out leaves alone), the service
 * worker that lets the scan page open without the network, and a clean slate when someone logs out. */
(function () {
  "use strict";

  const app = document.getElementById("scan-app");
  if (!app) return;
  const text = JSON.parse(app.dataset.strings);
  const DESK_COOKIE = "eventapp_desk";
  const YEAR = 365 * 24 * 3600;

  // --- the desk's name -------------------------------------------------------------------------------

  function deskName() {
    const found = document.cookie.split("; ").find((part) => part.startsWith(`${DESK_COOKIE}=`));
    return found ? decodeURIComponent(found.slice(DESK_COOKIE.length + 1)) : "";
  }

  function showDesk() {
    const name = deskName();
    document.getElementById("desk-value").textContent = name;
    document.getElementById("desk-shown").hidden = !name;
    document.getElementById("desk-form").hidden = Boolean(name);
  }

  function saveDesk(event) {
    event.preventDefault();
    const name = document.getElementById("desk").value.trim().slice(0, 100);
    if (!name) return;
    const secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `${DESK_COOKIE}=${encodeURIComponent(name)}; Path=/; Max-Age=${YEAR}; SameSite=Strict${secure}`;
    showDesk();
    document.getElementById("code").focus();
  }

  document.getElementById("desk-form").addEventListener("submit", saveDesk);
  document.getElementById("desk-change").addEventListener("click", () => {
    document.getElementById("desk").value = deskName();
    document.getElementById("desk-form").hidden = false;
    document.getElementById("desk").focus();
  });
  showDesk();

  // --- the service worker --------------------------------------------------------------------------------

  /** Ask the worker to cache this page and what it loads, and wait for its answer. */
  function cacheThisPage(worker) {
    const assets = document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=manifest], link[rel=icon]");
    const urls = [location.href, ...Array.from(assets, (element) => element.src || element.href), ...app.dataset.icons.split(" ")];
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(urls);
      worker.postMessage({ type: "CACHE_URLS", payload: { urlsToCache: urls } }, [channel.port2]);
    });
  }

  /** The worker answers CACHE_URLS before its cache writes finish: ready means all of it is really in the cache. */
  async function allCached(urls) {
    for (let tries = 0; tries < 100; tries += 1) {
      const found = await Promise.all(urls.map((url) => caches.match(url, { ignoreVary: true })));
      if (found.every(Boolean)) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  async function installWorker() {
    if (!("serviceWorker" in navigator)) return;
    try {
      await navigator.serviceWorker.register(app.dataset.sw, { scope: app.dataset.scope });
      const registration = await navigator.serviceWorker.ready;
      const urls = await cacheThisPage(registration.active);
      if (await allCached(urls)) app.dataset.offlineReady = "true"; // the tests wait for this before they cut the network
    } catch (error) {
      /* offline start-up works only with a worker; the page itself still scans */
    }
  }

  // --- logging out -----------------------------------------------------------------------------------------

  /** The server's Clear-Site-Data header does this too; this is for browsers that ignore it. */
  async function forgetDevice() {
    if (window.caches) for (const name of await caches.keys()) await caches.delete(name);
    if (navigator.serviceWorker) {
      for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
    }
    await window.DeskStore.forget();
  }

  async function onLogout(event) {
    const form = event.target;
    if (!form.matches("form[action$='/logout']") || form.dataset.cleared) return;
    event.preventDefault();
    const waiting = (await window.DeskStore.queued(app.dataset.event)).length;
    if (waiting && !window.confirm(text.logout_waiting)) return;
    await forgetDevice();
    form.dataset.cleared = "true";
    form.submit();
  }

  document.addEventListener("submit", onLogout);
  window.DeskDevice = { deskName };
  installWorker();
})();
