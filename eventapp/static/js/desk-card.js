/* The answer card of the scan page. At 14:00 a handheld scanner types the next code while a card still
 * shows: so the page stays ready. Keys typed while the card shows go to the code field, Enter after a code
 * sends it (its answer replaces the card), Enter with no code closes the card, Escape closes it wherever
 * focus is, and Tab cycles within the card (the page behind cannot be reached). A red card stays until
 * dismissed: an invalid code needs a person, not a timer. */
(function () {
  "use strict";

  const SHOW_MS = { ok: 3500, warn: 6000 };

  window.DeskCard = function DeskCard({ card, codeInput, text, onCode, onSearch }) {
    let hideTimer = null;
    const part = (name) => card.querySelector(`.card-${name}`);

    function buttons() {
      return Array.from(card.querySelectorAll("button")).filter((button) => !button.hidden);
    }

    function showTyped() {
      const value = codeInput.value;
      part("next-code").textContent = value ? `${text.next_code}: ${value}` : "";
    }

    function show(kind, icon, word, name, organisation, message, sessions) {
      card.className = `scan-card card-${kind}`;
      part("icon").textContent = icon;
      part("word").textContent = word;
      part("name").textContent = name;
      part("organisation").textContent = organisation;
      part("message").textContent = message;
      part("sessions").replaceChildren(...sessions.map(sessionItem));
      for (const extra of ["undo", "admit", "person", "badge", "test"]) part(extra).hidden = true;
      part("search").hidden = kind !== "bad";
      showTyped();
      card.hidden = false;
      card.focus();
      clearTimeout(hideTimer);
      if (SHOW_MS[kind]) hideTimer = setTimeout(hide, SHOW_MS[kind]);
    }

    function sessionItem(session) {
      const item = document.createElement("li");
      const where = session.room ? ` · ${session.room}` : "";
      item.textContent = `${session.starts_at} ${session.title || session.slot}${where}${session.waiting ? ` (${text.waiting})` : ""}`;
      return item;
    }

    /** Close the card; what was typed meanwhile stays in the code field, ready for its Enter. */
    function hide() {
      clearTimeout(hideTimer);
      card.hidden = true;
      codeInput.focus();
      codeInput.setSelectionRange(codeInput.value.length, codeInput.value.length);
    }

    function trapTab(event) {
      const all = buttons();
      const at = all.indexOf(document.activeElement);
      const next = event.shiftKey ? (at <= 0 ? all.length - 1 : at - 1) : (at + 1) % all.length;
      all[next].focus();
    }

    function onKey(event) {
      if (card.hidden || event.ctrlKey || event.metaKey || event.altKey) return;
      const inCard = card.contains(document.activeElement);
      if (event.key === "Escape") { event.preventDefault(); hide(); return; }
      if (event.key === "Tab") { event.preventDefault(); trapTab(event); return; }
      if (!inCard) return;
      if (event.key === "Enter") {
        const code = codeInput.value.trim();
        const onButton = document.activeElement !== card && document.activeElement !== part("next");
        if (!code && onButton) return; // Enter on "undo" or "search by name" does what it says
        event.preventDefault();
        codeInput.value = "";
        if (code) onCode(code); else hide();
      } else if (event.key === "Backspace") {
        event.preventDefault();
        codeInput.value = codeInput.value.slice(0, -1);
      } else if (event.key.length === 1) {
        event.preventDefault(); // a scanner's characters, not a click on the focused button
        codeInput.value += event.key;
      } else {
        return;
      }
      showTyped();
    }

    // Capture: the card decides before a focused button turns Enter or Space into a click.
    document.addEventListener("keydown", onKey, true);
    part("next").addEventListener("click", hide);
    part("search").addEventListener("click", () => { hide(); onSearch(); });

    return { show, hide, part, isShown: () => !card.hidden };
  };
})();
