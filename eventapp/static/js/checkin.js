/* The scan page: handheld scanners (they type and press Enter), the camera, search, live counts,
 * and scanning on when the network is gone (against a downloaded list of hashed codes, with a
 * queue that is sent when the connection returns). No framework; served by the app itself. */
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
  const codeInput = $("code");
  const card = $("card");
  const queueKey = `eventapp.queue.${config.event}`;
  const offlineKey = `eventapp.offline.${config.event}`;
  const deskKey = "eventapp.desk";
  const REQUEST_TIMEOUT_MS = 5000;
  let hideTimer = null;
  let online = true;
  let lastCode = { value: "", at: 0 };

  // --- talking to the server -----------------------------------------------------------------

  function newScanId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return `${Date.now()}-${Math.random().toString(16).slice(2)}`;
  }

  async function request(path, options = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    const headers = { "X-CSRFToken": config.csrf, "X-Desk": $("desk").value || "", Accept: "application/json" };
    if (options.body) headers["Content-Type"] = "application/json";
    try {
      const response = await fetch(config.api + path, {
        method: options.body ? "POST" : "GET",
        headers,
        body: options.body ? JSON.stringify({ event: config.event, ...options.body }) : undefined,
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (response.status >= 500) throw new Error(`server ${response.status}`);
      setOnline(true);
      return { status: response.status, data: await response.json() };
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
  }

  // --- scanning --------------------------------------------------------------------------------

  async function handleCode(raw, extra = {}) {
    const code = raw.trim();
    if (!code) return;
    const scan = { code, scan_id: newScanId(), scanned_at: new Date().toISOString(), ...modeFields(), ...extra };
    try {
      const { status, data } = await request("", { body: scan });
      if (status === 200) {
        showOutcome(data, scan);
        if (data.status === "ok") markCheckedIn(code);
      } else {
        showCard("bad", "✕", text.invalid, "", "", data.message || "", []);
      }
    } catch (error) {
      await scanOffline(scan);
    }
    refreshCounts();
  }

  function modeFields() {
    return config.mode === "session" ? { mode: "session", session_id: config.sessionId } : { mode: "entry" };
  }

  function showOutcome(data, scan) {
    const look = {
      ok: ["ok", "✓"], already_checked_in: ["warn", "!"], wrong_room: ["warn", "↪"],
      invalid: ["bad", "✕"], cancelled: ["bad", "✕"],
    }[data.status] || ["bad", "✕"];
    const person = data.person || {};
    showCard(look[0], look[1], text[data.status] || data.status, person.name || "", person.organisation || "", data.message, data.sessions || []);
    const undo = card.querySelector(".card-undo");
    undo.hidden = !(data.status === "ok" && config.mode === "entry" && person.id);
    undo.onclick = () => undoCheckIn(person.id);
    const admit = card.querySelector(".card-admit");
    admit.hidden = data.status !== "wrong_room";
    admit.onclick = () => { hideCard(); handleCode(scan.code, { admit_anyway: true }); };
    if (data.occupancy && $("door-occupancy")) $("door-occupancy").textContent = data.occupancy.attended;
  }

  function showCard(kind, icon, word, name, organisation, message, sessions) {
    card.className = `scan-card card-${kind}`;
    card.querySelector(".card-icon").textContent = icon;
    card.querySelector(".card-word").textContent = word;
    card.querySelector(".card-name").textContent = name;
    card.querySelector(".card-organisation").textContent = organisation;
    card.querySelector(".card-message").textContent = message;
    const list = card.querySelector(".card-sessions");
    list.replaceChildren(...sessions.map((session) => {
      const item = document.createElement("li");
      const where = session.room ? ` · ${session.room}` : "";
      item.textContent = `${session.starts_at} ${session.title || session.slot}${where}${session.waiting ? ` (${text.waiting})` : ""}`;
      return item;
    }));
    card.querySelector(".card-undo").hidden = true;
    card.querySelector(".card-admit").hidden = true;
    card.hidden = false;
    card.focus();
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hideCard, kind === "ok" ? 3500 : 6000);
  }

  function hideCard() {
    clearTimeout(hideTimer);
    card.hidden = true;
    codeInput.value = "";
    codeInput.focus();
  }

  async function undoCheckIn(registrationId) {
    try {
      const { status, data } = await request("/undo", { body: { registration_id: registrationId } });
      showCard(status === 200 ? "warn" : "bad", "↺", status === 200 ? text.undone : data.message, "", "", "", []);
    } catch (error) {
      showCard("bad", "✕", text.offline, "", "", "", []);
    }
    refreshCounts();
  }

  // --- offline: hashed list and queue -----------------------------------------------------------

  function loadJSON(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (error) { return fallback; }
  }

  function saveJSON(key, value) {
    localStorage.setItem(key, JSON.stringify(value));
  }

  async function digest(salt, code) {
    const bytes = new TextEncoder().encode(`${salt}:${code}`);
    const hash = await crypto.subtle.digest("SHA-256", bytes);
    return Array.from(new Uint8Array(hash)).map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function refreshOfflineList() {
    try {
      const { status, data } = await request(`/offline?event=${encodeURIComponent(config.event)}`);
      if (status === 200) saveJSON(offlineKey, { salt: data.salt, valid: data.valid, checkedIn: data.checked_in });
    } catch (error) { /* keep the list we have */ }
  }

  async function markCheckedIn(code) {
    const list = loadJSON(offlineKey, null);
    if (!list) return;
    const hash = await digest(list.salt, code);
    if (!list.checkedIn.includes(hash)) list.checkedIn.push(hash);
    saveJSON(offlineKey, list);
  }

  async function scanOffline(scan) {
    const list = loadJSON(offlineKey, null);
    const queue = loadJSON(queueKey, []);
    queue.push(scan);
    saveJSON(queueKey, queue);
    showQueue();
    if (!list) {
      showCard("warn", "?", text.offline, "", "", text.offline_note, []);
      return;
    }
    const hash = await digest(list.salt, scan.code);
    if (!list.valid.includes(hash)) {
      showCard("bad", "✕", text.offline_unknown, "", "", text.offline_note, []);
    } else if (list.checkedIn.includes(hash) && config.mode === "entry") {
      showCard("warn", "!", text.offline_already, "", "", text.offline_note, []);
    } else {
      list.checkedIn.push(hash);
      saveJSON(offlineKey, list);
      showCard("ok", "✓", text.offline_ok, "", "", text.offline_note, []);
    }
  }

  let draining = false;
  async function drainQueue() {
    if (draining) return;
    draining = true;
    try {
      let queue = loadJSON(queueKey, []);
      while (queue.length) {
        const { status } = await request("", { body: queue[0] });
        if (status === 401 || status === 403 || status === 429) break;
        queue = loadJSON(queueKey, []).slice(1);  // sent (answers 200 or 400): the same scan id counts once
        saveJSON(queueKey, queue);
        showQueue();
      }
      refreshCounts();
    } catch (error) {
      /* still offline: try again later */
    } finally {
      draining = false;
    }
  }

  function showQueue() {
    const count = loadJSON(queueKey, []).length;
    const element = $("queue");
    element.hidden = count === 0;
    element.textContent = `${count} ${text.queued}`;
  }

  // --- counts and search ---------------------------------------------------------------------------

  async function refreshCounts() {
    try {
      const { status, data } = await request(`/counts?event=${encodeURIComponent(config.event)}`);
      if (status !== 200) return;
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
    } catch (error) { /* offline: counts wait */ }
  }

  let searchTimer = null;
  function onSearchInput() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 250);
  }

  async function search() {
    const query = $("search").value.trim();
    const results = $("search-results");
    if (query.length < 2) { results.replaceChildren(); return; }
    try {
      const { data } = await request(`/search?event=${encodeURIComponent(config.event)}&q=${encodeURIComponent(query)}`);
      if (!data.results.length) {
        const empty = document.createElement("li");
        empty.textContent = text.no_results;
        results.replaceChildren(empty);
        return;
      }
      results.replaceChildren(...data.results.map(resultItem));
    } catch (error) { /* offline: search needs the server */ }
  }

  function resultItem(person) {
    const item = document.createElement("li");
    const who = document.createElement("span");
    const name = document.createElement("strong");
    name.textContent = person.name;
    who.append(name, ` · ${person.organisation}`);
    if (person.status === "waitlisted") who.append(` (${text.waitlisted_person})`);
    if (person.status === "cancelled") who.append(` (${text.cancelled_person})`);
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
      button.addEventListener("click", () => checkInById(person.id));
      item.append(" ", button);
    }
    return item;
  }

  async function checkInById(registrationId) {
    try {
      const { data } = await request("", { body: { registration_id: registrationId, scan_id: newScanId(), ...modeFields() } });
      showOutcome(data, {});
    } catch (error) {
      showCard("bad", "✕", text.offline, "", "", "", []);
    }
    search();
    refreshCounts();
  }

  // --- the camera --------------------------------------------------------------------------------

  let stream = null;
  let detector = null;

  async function toggleCamera() {
    const button = $("camera-toggle");
    if (stream) {
      stream.getTracks().forEach((track) => track.stop());
      stream = null;
      $("camera").hidden = true;
      button.textContent = text.camera_on;
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      showCard("bad", "✕", text.camera_error, "", "", String(error.message || error), []);
      return;
    }
    const video = $("camera");
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    button.textContent = text.camera_off;
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (error) { detector = null; }
    }
    requestAnimationFrame(readFrame);
  }

  async function readFrame() {
    if (!stream) return;
    const video = $("camera");
    if (video.readyState >= 2 && card.hidden) {
      const code = await decodeFrame(video);
      const now = Date.now();
      if (code && !(code === lastCode.value && now - lastCode.at < 4000)) {
        lastCode = { value: code, at: now };
        await handleCode(code);
      }
    }
    setTimeout(() => requestAnimationFrame(readFrame), 120);
  }

  async function decodeFrame(video) {
    if (detector) {
      try {
        const found = await detector.detect(video);
        return found.length ? found[0].rawValue : null;
      } catch (error) { detector = null; }
    }
    if (typeof window.jsQR !== "function") return null;
    const canvas = $("camera-canvas");
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (!width || !height) return null;
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    const result = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: "dontInvert" });
    return result ? result.data : null;
  }

  // --- wiring ------------------------------------------------------------------------------------

  $("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = codeInput.value;
    codeInput.value = "";
    handleCode(value);
  });
  card.querySelector(".card-next").addEventListener("click", hideCard);
  card.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === "Escape") { event.preventDefault(); hideCard(); } });
  $("camera-toggle").addEventListener("click", toggleCamera);
  $("search").addEventListener("input", onSearchInput);
  $("desk").value = localStorage.getItem(deskKey) || "";
  $("desk").addEventListener("change", () => localStorage.setItem(deskKey, $("desk").value));
  // A handheld scanner types into whatever has focus: bring focus back to the code field.
  document.addEventListener("keydown", (event) => {
    const active = document.activeElement;
    const typing = active && ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName);
    if (!typing && card.hidden && event.key.length === 1) codeInput.focus();
  });
  window.addEventListener("online", drainQueue);

  showQueue();
  refreshOfflineList();
  refreshCounts();
  setInterval(() => { refreshCounts(); drainQueue(); }, 5000);
  setInterval(refreshOfflineList, 60000);
  codeInput.focus();
})();
