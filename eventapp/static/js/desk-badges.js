/* The desk's badge printer, chosen once per device and remembered in its browser (localStorage): every badge link
 * on the page (a[data-badge-link]) and the scan card's badge button ask for that layout with ?layout=. */
(() => {
  "use strict";
  const key = "eventapp.badge_layout";

  function chosen() {
    try { return localStorage.getItem(key) || ""; } catch (error) { return ""; } // storage off: A4 as before
  }

  /** The badge's address with the device's layout, or as it was when none was chosen. */
  function withLayout(url) {
    const layout = chosen();
    if (!layout) return url;
    const target = new URL(url, window.location.href);
    target.searchParams.set("layout", layout);
    return target.pathname + target.search;
  }

  function refreshLinks() {
    for (const link of document.querySelectorAll("a[data-badge-link]")) link.href = withLayout(link.dataset.badgeLink);
  }

  const select = document.getElementById("badge-layout");
  if (select) {
    if ([...select.options].some((option) => option.value === chosen())) select.value = chosen();
    select.addEventListener("change", () => {
      try { localStorage.setItem(key, select.value); } catch (error) { /* storage off: this page only */ }
      refreshLinks();
    });
  }
  refreshLinks();
  window.deskBadgeUrl = withLayout;
})();
