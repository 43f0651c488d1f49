/* One confirming tap before checking in someone whose name is not unique at the event: the first tap on
 * "Check in" turns the button into "Tap again to check in <name · masked address>", the second does it.
 * A person with a unique name is checked in with one tap, as before. The server decides nothing new: the
 * second tap sends the same request the first would have. Used by the scan page's search results (checkin.js)
 * and the "not arrived yet" list, whose forms carry data-same-name. */
(function () {
  "use strict";

  const ARMED_MS = 6000; // a tap long after the first one is a new first tap

  function disarm(button) {
    if (button.dataset.armed !== "true") return;
    button.dataset.armed = "false";
    button.textContent = button.dataset.label;
    if (button.dataset.ariaLabel) button.setAttribute("aria-label", button.dataset.ariaLabel);
    button.classList.remove("button-confirm");
    clearTimeout(Number(button.dataset.timer));
  }

  /** True when this tap may go ahead; false when it was the first tap on a namesake's button (now armed). */
  function confirmed(button, confirmText) {
    if (button.dataset.armed === "true") {
      disarm(button);
      return true;
    }
    document.querySelectorAll('[data-armed="true"]').forEach(disarm); // one armed button at a time
    button.dataset.armed = "true";
    button.dataset.label = button.textContent;
    const ariaLabel = button.getAttribute("aria-label");
    if (ariaLabel) button.dataset.ariaLabel = ariaLabel;
    button.textContent = confirmText;
    button.setAttribute("aria-label", confirmText);
    button.classList.add("button-confirm");
    button.dataset.timer = String(setTimeout(() => disarm(button), ARMED_MS));
    return false;
  }

  window.DeskConfirm = { confirmed };

  // The "not arrived yet" list: plain forms, so without this script every tap checks in (as before).
  const list = document.querySelector(".not-arrived[data-confirm]");
  if (!list) return;
  list.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.dataset.sameName) return;
    const button = form.querySelector("button[type=submit]");
    const text = list.dataset.confirm.replace("{name}", button.dataset.name);
    if (!confirmed(button, text)) event.preventDefault();
  });
})();
