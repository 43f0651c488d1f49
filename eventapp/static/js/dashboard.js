/* The organiser dashboard refreshes its numbers every 10 seconds while it is open (check-ins arrive live). */
(function () {
  "use strict";
  const root = document.getElementById("dashboard");
  if (!root) return;

  async function refresh() {
    try {
      const response = await fetch(root.dataset.live, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      for (const element of root.querySelectorAll(".stats [data-key]")) {
        if (element.dataset.key in data) element.textContent = data[element.dataset.key];
      }
      for (const row of root.querySelectorAll("tr[data-session]")) {
        const numbers = data.sessions[row.dataset.session];
        if (!numbers) continue;
        for (const cell of row.querySelectorAll("[data-key]")) cell.textContent = numbers[cell.dataset.key];
      }
    } catch (error) { /* offline for a moment: the next round tries again */ }
  }

  setInterval(refresh, 10000);
})();
