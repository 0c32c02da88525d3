// mqops console: progressive enhancement of server-rendered pages. Without this file every page still
// shows its data; with it, <main> refreshes in place, URLs copy with one click and queues get charts.
(() => {
  const SERIES = [
    { label: "EnqueueCount", stroke: "#0b5fb0", width: 2 },
    { label: "DispatchCount", stroke: "#1d6b2f", width: 2, dash: [6, 3] },
    { label: "QueueSize", stroke: "#b0190f", width: 2 },
  ];
  let charts = [];

  function drawCharts(root) {
    for (const chart of charts) chart.destroy();
    charts = [];
    if (typeof uPlot === "undefined") return;
    for (const element of root.querySelectorAll("[data-chart]")) {
      const data = JSON.parse(element.getAttribute("data-chart"));
      const width = Math.max(260, element.clientWidth || 320);
      charts.push(
        new uPlot(
          {
            width,
            height: 160,
            // The last hour, as the server queried it: one datapoint must not stretch the axis to years.
            scales: { x: { time: true, range: () => [Date.now() / 1000 - 3600, Date.now() / 1000] } },
            series: [{}, ...SERIES],
            axes: [{}, { size: 40 }],
            legend: { live: false },
          },
          [data.times, data.values.EnqueueCount, data.values.DispatchCount, data.values.QueueSize],
          element,
        ),
      );
    }
  }

  function wireCopy(root) {
    for (const button of root.querySelectorAll("[data-copy]")) {
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(button.getAttribute("data-copy"));
          button.textContent = "Copied";
        } catch {
          button.textContent = "Select and copy";
        }
        setTimeout(() => {
          button.textContent = "Copy";
        }, 1500);
      });
    }
  }

  function enhance(root) {
    wireCopy(root);
    drawCharts(root);
  }

  // Live refresh: fetch this same page and swap <main> when it changed, keeping open <details> open.
  async function refresh() {
    const main = document.getElementById("main");
    const seconds = Number(main?.dataset.refresh || 0);
    if (!main || seconds <= 0) return;
    if (document.visibilityState === "visible") {
      try {
        const response = await fetch(location.href, { headers: { accept: "text/html" }, cache: "no-store" });
        if (response.ok) {
          const next = new DOMParser()
            .parseFromString(await response.text(), "text/html")
            .getElementById("main");
          if (next && next.innerHTML !== main.innerHTML) {
            const open = new Set(
              [...main.querySelectorAll("details[open][data-step]")].map((d) => d.dataset.step),
            );
            main.innerHTML = next.innerHTML;
            main.dataset.refresh = next.dataset.refresh || "";
            main.dataset.refreshedAt = new Date().toISOString();
            for (const details of main.querySelectorAll("details[data-step]")) {
              if (open.has(details.dataset.step)) details.open = true;
            }
            enhance(main);
          }
        }
      } catch {
        // The console went away (Ctrl-C): keep what is shown and try again later.
      }
    }
    setTimeout(refresh, Number(main.dataset.refresh || 0) * 1000 || 5000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    enhance(document);
    const main = document.getElementById("main");
    const seconds = Number(main?.dataset.refresh || 0);
    if (seconds > 0) setTimeout(refresh, seconds * 1000);
  });
})();
