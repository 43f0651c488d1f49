/* The scan page: handheld scanners (they type and press Enter), the camera, search, live counts,
 * and scanning on when the network is gone (against a downloaded list of hashed codes, with a
 * queue in IndexedDB that is sent when the connection returns). No framework; served by the app itself.
 * The card is js/desk-card.js, the namesakes' second tap js/desk-confirm.js, the camera js/desk-camera.js, the device's storage js/desk-store.js, the desk's name and the service
 * worker js/desk-pwa.js. */
(function () {
  "use strict";

  const app = document.getElementById("scan-app");
  if (!app) return;
  const config = {
    api: app.dataset.api,
    event: app.dataset.event,
    mode: app.dataset.mode,
    sessionId: app.dataset.sessionId ? Number(app.dataset.sessionId) : null,
    csrf: app.dataset.csrf,
    organiser: app.dataset.organiser === "true",
  };
  const text = JSON.parse(app.dataset.strings);
  const $ = (id) => document.getElementById(id);
  const store = window.DeskStore;
  const codeInput = $("code");
  const card = window.DeskCard({
    card: $("card"),
    codeInput,
    text,
    onCode: (code) => handleCode(code),
    onSearch: () => $("search").focus(),
  });
  const REQUEST_TIMEOUT_MS = 5000;
  const SEARCH_RETRY_MS = 2000;
  // The door's verdicts for someone without a seat in the session: amber cards with "admit anyway" when it may.
  const DOOR_VERDICTS = ["wrong_room", "waitlisted_here", "no_seat"];
  let online = navigator.onLine;
  let latestScan = 0;
  // Why the queue is held although the network is there: "login" (401, 403) or "busy" (429, 5xx); null when sending works.
  let held = null;
  // Test mode (before the day, once a test scan was confirmed): every scan goes with `test: true`, and so does the
  // queue of an offline desk, since the flag is part of the queued scan. Kept per event for this browser tab.
  const TEST_KEY = `desk-test:${config.event}`;
  let testMode = sessionStorage.getItem(TEST_KEY) === "1";

  // --- talking to the server -----------------------------------------------------------------

  function newScanId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return `${Date.now()}-${Math.random().toString(16).slice(2)}`;
  }

  async function request(path, options = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    const headers = { "X-CSRFToken": config.csrf, "X-Desk": window.DeskDevice.deskName(), Accept: "application/json" };
    if (options.body) headers["Content-Type"] = "application/json";
    try {
      const response = await fetch(config.api + path, {
        method: options.body ? "POST" : "GET",
        headers,
        body: options.body ? JSON.stringify({ event: config.event, ...options.body }) : undefined,
        credentials: "same-origin",
        signal: controller.signal,
      });
      setOnline(true);
      // Any HTTP answer, JSON or not (a proxy's 502 page, a rate limit's HTML): the caller decides what it means.
      let data = {};
      try { data = await response.json(); } catch (error) { data = {}; }
      return { status: response.status, data: data && typeof data === "object" ? data : {} };
    } catch (error) {
      setOnline(false);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  function setOnline(value) {
    online = value;
    const element = $("connection");
    element.textContent = value ? text.online : text.offline;
    element.className = `connection ${value ? "online" : "offline"}`;
    showQueue();
    showCountsAge();
  }

  /** A page opened from the cache may carry an old token: take a fresh one before sending the queue. */
  async function refreshCsrf() {
    const response = await fetch(app.dataset.csrfUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.ok && (response.headers.get("Content-Type") || "").includes("json")) config.csrf = (await response.json()).csrf;
  }

  /** A verdict is what the server decided about the ticket: a 200 answer with a `status`. Nothing else makes a card. */
  function isVerdict(answer) {
    return answer.status === 200 && typeof answer.data.status === "string";
  }

  /** Why an answer that is not a verdict keeps the scan queued: "login" or "busy"; null for a request the server
   * will never take (400 bad_request: resending it cannot help, so it leaves the queue). */
  function holdReason(answer) {
    if (isVerdict(answer)) return null;
    if ([401, 403].includes(answer.status) || answer.data.error === "csrf") return "login";
    if (answer.status === 400 && answer.data.error === "bad_request") return null;
    return "busy";
  }

  /** Send one scan; a stale CSRF token (a page from the cache, a new login in another tab) is renewed once. */
  async function sendScan(scan) {
    let answer = await request("", { body: scan });
    if (answer.status === 400 && answer.data.error === "csrf") {
      await refreshCsrf();
      answer = await request("", { body: scan });
    }
    return answer;
  }

  function setHeld(reason) {
    held = reason;
    $("relogin").hidden = reason !== "login";
    showQueue();
  }

  // --- scanning --------------------------------------------------------------------------------

  async function handleCode(raw, extra = {}) {
    const code = raw.trim();
    if (!code) return;
    const scan = { code, scan_id: newScanId(), scanned_at: new Date().toISOString(), event: config.event, ...modeFields(), ...testField(), ...extra };
    const number = ++latestScan;
    // Only the newest scan's answer shows: a code scanned while an answer was on its way replaces it.
    const showCard = (...args) => (number === latestScan ? card.show(...args) : false);
    try {
      const answer = await sendScan(scan);
      const reason = holdReason(answer);
      if (isVerdict(answer)) {
        setHeld(null);
        showOutcome(answer.data, scan, showCard);
        if (answer.data.status === "ok" && !answer.data.test) markCheckedIn(code);
        drainQueue(); // the server answers again: what waited goes now
      } else if (reason) {
        // Logged out, rate limited, server down: the scan waits in the queue like an offline one, never a red card.
        setHeld(reason);
        await scanOffline(scan, showCard, text[`held_${reason}_note`]);
      } else {
        showCard("bad", "✕", text.invalid, "", "", answer.data.message || "", []);
      }
    } catch (error) {
      await scanOffline(scan, showCard);
    }
    refreshCounts();
  }

  function modeFields() {
    return config.mode === "session" ? { mode: "session", session_id: config.sessionId } : { mode: "entry" };
  }

  function testField() {
    return testMode ? { test: true } : {};
  }

  function setTestMode(value) {
    testMode = value;
    if (value) sessionStorage.setItem(TEST_KEY, "1"); else sessionStorage.removeItem(TEST_KEY);
    $("test-banner").hidden = !value;
  }

  /** Not the event's day: nothing was recorded. Before the day the desk may send it again as a test scan. */
  function showNotToday(data, scan, showCard) {
    const offer = data.test_allowed === true && scan.test !== true;
    const shown = showCard("warn", "?", text.not_today, "", "", offer ? text.confirm_test : data.message, []);
    if (shown === false) return;
    const button = card.part("test");
    button.hidden = !offer;
    button.onclick = () => {
      setTestMode(true);
      card.hide();
      if (scan.code) handleCode(scan.code, { test: true }); else checkInById(scan.registration_id, { test: true });
    };
  }

  function showOutcome(data, scan, showCard = card.show) {
    if (data.status === "not_today") { showNotToday(data, scan, showCard); return; }
    // A desk still in test mode on the day: the server counted the scan as real, so the test mode ends.
    if (testMode && data.test !== true) setTestMode(false);
    const look = {
      ok: ["ok", "✓"], already_checked_in: ["warn", "!"], wrong_room: ["warn", "↪"],
      waitlisted_here: ["warn", "⋯"], no_seat: ["warn", "∅"], invalid: ["bad", "✕"], cancelled: ["bad", "✕"],
    }[data.status] || ["bad", "✕"];
    const person = data.person || {};
    const word = text[data.status] || data.status;
    const shown = showCard(look[0], look[1], data.test ? `${text.test_word}: ${word}` : word, person.name || "", person.organisation || "", data.message, data.sessions || []);
    if (shown === false) return; // a newer scan's answer is on screen
    const undo = card.part("undo");
    undo.hidden = !(data.status === "ok" && config.mode === "entry" && person.id && !data.test);
    undo.onclick = () => undoCheckIn(person.id);
    showAdmit(data, scan);
    // A person who came in: their page (a released seat's alternatives, standby) and their badge, one tap each.
    for (const [name, url] of [["person", data.person_url], ["badge", data.badge_url]]) {
      const button = card.part(name);
      button.hidden = !(url && ["ok", "already_checked_in"].includes(data.status) && config.mode === "entry");
      button.onclick = () => { if (name === "badge") window.open(window.deskBadgeUrl(url), "_blank"); else window.location.href = url; };
    }
    if (data.occupancy && $("door-occupancy")) $("door-occupancy").textContent = data.occupancy.attended;
  }

  /** "Admit anyway" on the door's amber cards, when the server says the door may: a free seat in one tap; beyond
   * the seats (the organiser allows standing) only after a second tap that says so, sent as `over_capacity`. */
  function showAdmit(data, scan) {
    const admit = card.part("admit");
    admit.hidden = !(DOOR_VERDICTS.includes(data.status) && data.admit);
    admit.textContent = text.admit_anyway;
    let confirming = false;
    const again = scan.registration_id ? { registration_id: scan.registration_id } : { code: scan.code };
    admit.onclick = () => {
      if (data.admit === "over_capacity" && !confirming) {
        confirming = true;
        admit.textContent = text.admit_over_capacity;
        return;
      }
      card.hide();
      const extra = { admit_anyway: true, ...(data.admit === "over_capacity" ? { over_capacity: true } : {}) };
      if (again.code) handleCode(again.code, extra); else checkInById(again.registration_id, extra);
    };
  }

  async function undoCheckIn(registrationId) {
    try {
      const { status, data } = await request("/undo", { body: { registration_id: registrationId } });
      card.show(status === 200 ? "warn" : "bad", "↺", status === 200 ? text.undone : data.message, "", "", "", []);
    } catch (error) {
      card.show("bad", "✕", text.offline, "", "", "", []);
    }
    refreshCounts();
  }

  // --- offline: hashed list and queue (IndexedDB) ---------------------------------------------------------

  async function digest(salt, code) {
    const bytes = new TextEncoder().encode(`${salt}:${code}`);
    const hash = await crypto.subtle.digest("SHA-256", bytes);
    return Array.from(new Uint8Array(hash)).map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function refreshOfflineList() {
    try {
      const { status, data } = await request(`/offline?event=${encodeURIComponent(config.event)}`);
      if (status !== 200) return;
      // Scans still queued here are not in the server's list yet: keep them marked as in.
      const old = await store.list(config.event);
      const pending = old ? old.checkedIn.filter((hash) => !data.checked_in.includes(hash)) : [];
      const checkedIn = (await store.queued(config.event)).length ? [...data.checked_in, ...pending] : data.checked_in;
      await store.saveList({ event: config.event, salt: data.salt, valid: data.valid, checkedIn, fetchedAt: new Date().toISOString() });
      showListAge();
    } catch (error) { /* keep the list we have */ }
  }

  async function markCheckedIn(code) {
    const list = await store.list(config.event);
    if (!list) return;
    const hash = await digest(list.salt, code);
    if (!list.checkedIn.includes(hash)) list.checkedIn.push(hash);
    await store.saveList(list);
  }

  async function scanOffline(scan, showCard, note = text.offline_note) {
    const list = await store.list(config.event);
    await store.enqueue(scan);
    showQueue();
    if (!list) {
      showCard("warn", "?", text.no_list, "", "", note, []);
      return;
    }
    const hash = await digest(list.salt, scan.code);
    if (!list.valid.includes(hash)) {
      showCard("bad", "✕", text.offline_unknown, "", "", note, []);
    } else if (list.checkedIn.includes(hash) && config.mode === "entry") {
      showCard("warn", "!", text.offline_already, "", "", note, []);
    } else {
      list.checkedIn.push(hash);
      await store.saveList(list);
      showCard("ok", "✓", text.offline_ok, "", "", note, []);
    }
  }

  let draining = false;
  async function drainQueue() {
    if (draining) return;
    draining = true;
    try {
      for (const scan of await store.queued(config.event)) {
        const answer = await sendScan(scan);
        // A lost login (a restart, a logout elsewhere), a rate limit, a busy server: the scans wait for the next try.
        const reason = holdReason(answer);
        setHeld(reason);
        if (reason) break;
        await store.dequeue(scan.scan_id); // answered: the server counts a scan id once, so a retry is harmless
        showQueue();
      }
      refreshCounts();
    } catch (error) {
      /* still offline: try again later */
    } finally {
      draining = false;
    }
  }

  async function showQueue() {
    const count = (await store.queued(config.event)).length;
    const element = $("queue");
    element.hidden = count === 0;
    const kind = !online ? "offline" : held ? `held_${held}` : "sending";
    element.textContent = (count === 1 ? text[`${kind}_one`] : text[`${kind}_many`]).replace("{count}", count);
  }

  async function showListAge() {
    const list = await store.list(config.event);
    const element = $("list-age");
    if (!list) {
      element.textContent = online ? "" : text.never_online;
      return;
    }
    element.textContent = text.list_age.replace("{time}", clock(list.fetchedAt));
  }

  /** 13:42 in the page's language; with the date when it was not today. */
  function clock(iso) {
    const moment = new Date(iso);
    const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (moment.toDateString() !== new Date().toDateString()) Object.assign(options, { day: "numeric", month: "short" });
    return moment.toLocaleString(document.documentElement.lang, options);
  }

  // --- counts and search ---------------------------------------------------------------------------

  // When the server gave the counts shown (an ISO time); null before any. Offline, the page shows them with this time.
  let countsAt = null;

  async function refreshCounts() {
    try {
      const { status, data } = await request(`/counts?event=${encodeURIComponent(config.event)}`);
      if (status !== 200) return;
      countsAt = new Date().toISOString();
      showCounts(data);
      await store.saveCounts({ event: config.event, at: countsAt, checked_in: data.checked_in, expected: data.expected, sessions: data.sessions });
    } catch (error) { /* offline: the last known counts stay, with their time */ }
  }

  /** The last known counts of an earlier visit (a reload or a reopened tablet offline starts from them). */
  async function showStoredCounts() {
    const stored = await store.counts(config.event);
    if (!stored || countsAt) return;
    countsAt = stored.at;
    showCounts(stored);
  }

  function showCounts(data) {
    $("count-in").textContent = data.checked_in;
    $("count-expected").textContent = data.expected;
    $("session-counts").replaceChildren(...data.sessions.map((row) => {
      const tr = document.createElement("tr");
      for (const value of [row.title, row.room, row.attended, row.expected, row.capacity]) {
        const td = document.createElement("td");
        td.textContent = value;
        tr.append(td);
      }
      if (config.sessionId === row.id && $("door-occupancy")) $("door-occupancy").textContent = row.attended;
      return tr;
    }));
    showCountsAge();
  }

  /** Online the counts are live; offline they are the last known ones, and say from when ("om 13:42"). */
  function showCountsAge() {
    const element = $("count-at");
    element.hidden = online || !countsAt;
    element.textContent = countsAt ? text.counts_at.replace("{time}", clock(countsAt)) : "";
  }

  let searchTimer = null;
  function onSearchInput() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 250);
  }

  function searchSays(message) {
    const line = document.createElement("li");
    line.textContent = message;
    $("search-results").replaceChildren(line);
  }

  async function search() {
    clearTimeout(searchTimer);
    const query = $("search").value.trim();
    const results = $("search-results");
    if (query.length < 2) { results.replaceChildren(); return; }
    try {
      const { status, data } = await request(`/search?event=${encodeURIComponent(config.event)}&q=${encodeURIComponent(query)}`);
      // Refused: not the event's day (403), or faster than a person searches (429). Said plainly, in the desk's language.
      const refusal = { 403: text.search_not_today, 429: text.search_too_fast }[status];
      if (refusal) { searchSays(refusal); return; }
      if (status >= 500) throw new Error(`search answered ${status}`);
      if (!Array.isArray(data.results)) return; // logged out: the banner says so
      if (!data.results.length) { searchSays(text.no_results); return; }
      results.replaceChildren(...data.results.map(resultItem));
    } catch (error) {
      // A slow or lost answer on the venue's Wi-Fi: the person at the desk should not have to type again.
      searchSays(text.search_retrying);
      searchTimer = setTimeout(search, SEARCH_RETRY_MS);
    }
  }

  function resultItem(person) {
    const item = document.createElement("li");
    const who = document.createElement("span");
    who.className = "who";
    const name = document.createElement("strong");
    name.textContent = person.name;
    who.append(name);
    if (person.organisation) who.append(` · ${person.organisation}`);
    if (person.status === "waitlisted") who.append(` (${text.waitlisted_person})`);
    if (person.status === "cancelled") who.append(` (${text.cancelled_person})`);
    if (person.same_name_hint) {
      const hint = document.createElement("span");
      hint.className = "badge badge-full same-name";
      hint.textContent = person.same_name_hint;
      who.append(" ", hint);
    }
    // What tells two namesakes apart: a masked address (never the full one) and their sessions.
    const details = document.createElement("span");
    details.className = "meta desk-details";
    const sessions = (person.sessions || []).filter((row) => row.title).map((row) => (row.room ? `${row.title} (${row.room})` : row.title));
    details.textContent = [person.masked_address, ...sessions].filter(Boolean).join(" · ");
    who.append(document.createElement("br"), details);
    item.append(who);
    if (person.checked_in_at_local) {
      const badge = document.createElement("span");
      badge.className = "badge badge-current";
      badge.textContent = `${text.checked_in_at} ${person.checked_in_at_local}`;
      item.append(" ", badge);
    } else if (person.status === "confirmed") {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = text.check_in;
      const confirmText = text.confirm_check_in.replace("{name}", `${person.name} · ${person.masked_address}`);
      button.addEventListener("click", () => {
        // A name that is not unique at the event: one more tap, on the button that now names the person.
        if (person.same_name > 1 && !window.DeskConfirm.confirmed(button, confirmText)) return;
        checkInById(person.id);
      });
      item.append(" ", button);
    }
    return item;
  }

  async function checkInById(registrationId, extra = {}) {
    const scan = { registration_id: registrationId, scan_id: newScanId(), scanned_at: new Date().toISOString(), event: config.event, ...modeFields(), ...testField(), ...extra };
    try {
      const answer = await sendScan(scan);
      const reason = holdReason(answer);
      if (isVerdict(answer)) showOutcome(answer.data, scan);
      else if (reason) { setHeld(reason); await store.enqueue(scan); showQueue(); }
      else card.show("bad", "✕", text.invalid, "", "", answer.data.message || "", []);
    } catch (error) {
      card.show("bad", "✕", text.offline, "", "", "", []);
    }
    search();
    refreshCounts();
  }

  // --- wiring ------------------------------------------------------------------------------------

  $("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = codeInput.value;
    codeInput.value = "";
    handleCode(value);
  });
  $("camera-toggle").addEventListener("click", window.DeskCamera({
    video: $("camera"), canvas: $("camera-canvas"), button: $("camera-toggle"), text,
    onCode: handleCode, isBusy: card.isShown, onError: (message) => card.show("bad", "✕", text.camera_error, "", "", message, []),
  }));
  $("search").addEventListener("input", onSearchInput);
  $("test-stop").addEventListener("click", () => setTestMode(false));
  // A handheld scanner types into whatever has focus: bring focus back to the code field.
  document.addEventListener("keydown", (event) => {
    const active = document.activeElement;
    const typing = active && ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName);
    if (!typing && !card.isShown() && event.key.length === 1) codeInput.focus();
  });
  window.addEventListener("online", drainQueue);
  window.addEventListener("offline", () => { setOnline(false); showListAge(); });

  async function start() {
    setTestMode(testMode);
    setOnline(online);
    await store.adoptLocalQueue(config.event);
    await showStoredCounts();
    showQueue();
    showListAge();
    await refreshOfflineList();
    showListAge();
    drainQueue();
    refreshCounts();
  }

  // Every listener is wired: what is typed or scanned from now on is handled (the scripts are deferred).
  $("scan-app").dataset.ready = "true";
  start();
  setInterval(() => { refreshCounts(); drainQueue(); }, 5000);
  setInterval(refreshOfflineList, 60000);
  codeInput.focus();
})();
