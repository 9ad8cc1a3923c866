/* /public/: active warnings (live over /ws/alerts/, and dropped by the clock the moment they expire), the ward map
   with recent published reports, each agency's record as charts and a ranked table, rumour checks,
   and the assistant. Everything comes from the public API. */
(function () {
  "use strict";
  const H = window.Hue;
  let warnings = [], stats = null, reports = [], wards = null, facts = [];

  /* ---------- warnings ---------- */
  const SEVERITY_CLASS = { Extreme: "sev-extreme", Severe: "sev-severe", Moderate: "sev-moderate", Minor: "sev-minor", Unknown: "sev-minor" };
  async function loadWarnings() {
    try { warnings = await H.json("/api/v1/alerts/"); } catch (e) { /* keep what we have; next refresh retries */ }
    renderWarnings();
  }
  // Live: the warning stream (/ws/alerts/, open to anyone) says when a warning is published, changed,
  // cancelled, starts or expires, and the list is fetched again. A socket that drops reconnects with a
  // growing pause and refetches (it may have missed something); a slow poll covers networks that block it.
  function listenForWarnings(pause, reconnecting) {
    let socket;
    try {
      socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/alerts/");
    } catch (e) { return; }
    socket.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "hello") {
        pause = 1000;
        document.body.dataset.live = "1";
        if (reconnecting) loadWarnings();
      } else if (String(message.type).startsWith("alert.")) {
        loadWarnings();
      }
    };
    socket.onclose = () => {
      delete document.body.dataset.live;
      setTimeout(() => listenForWarnings(Math.min(pause * 2, 30000), true), pause);
    };
  }
  function renderWarnings() {
    const now = Date.now();
    const live = warnings.filter((w) => new Date(w.expires_at).getTime() > now);
    const box = document.getElementById("warning-list");
    if (!live.length) { box.innerHTML = `<p class="muted" id="no-warnings">${H.esc(H.t("no_warnings"))}</p>`; return; }
    box.innerHTML = live.map((w) => `
      <article class="warning ${SEVERITY_CLASS[w.severity] || ""}" id="alert-${w.id}" data-id="${w.id}">
        <header><span class="badge">${H.esc(H.pick(w.severity_name))}</span> <span class="kind">${H.esc(H.pick(w.kind_name))}</span></header>
        <h3>${H.esc(H.pick(w.title))}</h3>
        <p>${H.esc(H.pick(w.body))}</p>
        <p class="muted">${H.esc(w.area.city_wide ? (H.lang === "en" ? "Whole city" : "Toàn thành phố") : w.area.wards.map((x) => H.pick(x.name)).join(", ") || (H.lang === "en" ? "Marked area" : "Khu vực khoanh vùng"))}
          · ${H.esc(H.t("until"))} ${H.esc(H.when(w.expires_at))} · <a href="${H.esc(w.cap_url)}">CAP</a></p>
      </article>`).join("");
  }

  /* ---------- map ---------- */
  function bounds(features) {
    let minX = 180, minY = 90, maxX = -180, maxY = -90;
    const visit = (c) => { if (typeof c[0] === "number") { minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0]); minY = Math.min(minY, c[1]); maxY = Math.max(maxY, c[1]); } else c.forEach(visit); };
    features.forEach((f) => { if (f.geometry) visit(f.geometry.coordinates); else visit(f.properties.centre); });
    return [minX, minY, maxX, maxY];
  }
  let project = null;
  function renderMap() {
    if (!wards) return;
    const svg = document.getElementById("map");
    const [minX, minY, maxX, maxY] = bounds(wards.features);
    const k = Math.cos(16.46 * Math.PI / 180);
    const scale = Math.min(580 / ((maxX - minX) * k || 1), 400 / ((maxY - minY) || 1));
    project = (lon, lat) => [10 + (lon - minX) * k * scale, 410 - (lat - minY) * scale];
    const path = (rings) => rings.map((ring) => "M" + ring.map(([x, y]) => project(x, y).map((v) => v.toFixed(1)).join(",")).join("L") + "Z").join("");
    document.getElementById("map-wards").innerHTML = wards.features.filter((f) => f.geometry).map((f) => {
      const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      return `<path class="ward" d="${polys.map(path).join("")}"><title>${H.esc(f.properties.name)}</title></path>`;
    }).join("");
    svg.dataset.ready = "1";
    renderPoints();
  }
  function renderPoints() {
    if (!project) return;
    document.getElementById("map-points").innerHTML = reports.map((r) => {
      const [x, y] = project(r.longitude, r.latitude);
      return `<circle data-id="${r.id}" class="${r.open ? "open" : "done"}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5"><title>${H.esc(H.pick(r.category_name))} – ${H.esc(H.pick(r.status_name))}</title></circle>`;
    }).join("");
    document.getElementById("map-count").textContent = `${reports.length} ${H.t("reports")}`;
  }

  /* ---------- agency record ---------- */
  // Health figures come as null under 5 (only aggregates are public): shown as "<5", never as a number.
  const few = (n) => (n == null ? "<5" : n);
  function ranked() {
    return stats.agencies.filter((a) => a.total == null || a.total > 0).sort((a, b) =>
      (b.on_time_share ?? -1) - (a.on_time_share ?? -1) || (b.satisfaction ?? -1) - (a.satisfaction ?? -1) || (b.resolved ?? 0) - (a.resolved ?? 0));
  }
  function bars(title, rows, value, max, fmt) {
    const h = 22, width = 520, label = 170;
    const body = rows.map((a, i) => {
      const v = value(a);
      const w = v == null ? 0 : Math.max(2, (width - label - 60) * v / max);
      return `<g transform="translate(0,${i * h + 24})"><text x="0" y="14" class="bar-label">${H.esc(a.name[H.lang] || a.name.vi).slice(0, 28)}</text>
        <rect x="${label}" y="3" width="${w.toFixed(1)}" height="14" class="bar"></rect>
        <text x="${label + w + 6}" y="14" class="bar-value">${v == null ? "–" : fmt(v)}</text></g>`;
    }).join("");
    return `<svg class="chart" viewBox="0 0 ${width} ${rows.length * h + 30}" role="img" aria-label="${H.esc(title)}"><text x="0" y="14" class="chart-title">${H.esc(title)}</text>${body}</svg>`;
  }
  function renderStats() {
    if (!stats) return;
    const rows = ranked();
    document.getElementById("charts").innerHTML =
      bars(H.t("chart_on_time"), rows, (a) => a.on_time_share, 1, (v) => Math.round(v * 100) + "%") +
      bars(H.t("chart_satisfaction"), rows, (a) => a.satisfaction, 5, (v) => v.toFixed(1) + "★");
    document.querySelector("#ranking tbody").innerHTML = rows.map((a, i) => `<tr>
      <td>${i + 1}</td><td>${H.esc(a.name[H.lang] || a.name.vi)}</td><td>${few(a.total)}</td><td>${few(a.resolved)}</td>
      <td>${a.on_time_share == null ? "–" : Math.round(a.on_time_share * 100) + "%"}</td>
      <td>${a.median_hours_to_resolve == null ? "–" : a.median_hours_to_resolve}</td>
      <td>${a.satisfaction == null ? "–" : a.satisfaction + "★ (" + few(a.rated) + ")"}</td></tr>`).join("");
  }

  /* ---------- fact checks ---------- */
  async function loadFacts(q) {
    const body = await H.json("/api/v1/public/factchecks/?page_size=8" + (q ? "&q=" + encodeURIComponent(q) : ""));
    facts = body.results; renderFacts();
  }
  function renderFacts() {
    const list = document.getElementById("factchecks");
    if (!facts.length) { list.innerHTML = `<li class="muted">${H.esc(H.t("no_factchecks"))}</li>`; return; }
    list.innerHTML = facts.map((f) => `<li class="fact verdict-${f.verdict}"><span class="badge">${H.esc(H.pick(f.verdict_name))}</span>
      <strong>${H.esc(H.pick(f.claim))}</strong><p>${H.esc(H.pick(f.explanation))}</p>
      <p class="muted">${H.esc(H.t("source"))}: ${f.source_url ? `<a href="${H.esc(f.source_url)}" rel="noopener">${H.esc(f.source_name)}</a>` : H.esc(f.source_name)} · ${f.sightings} ${H.esc(H.t("sightings"))}</p></li>`).join("");
  }

  /* ---------- assistant ---------- */
  async function ask(event) {
    event.preventDefault();
    const message = document.getElementById("ask-text").value.trim();
    if (!message) return;
    const box = document.getElementById("answer");
    box.textContent = H.t("loading");
    try {
      const a = await H.json("/api/v1/assistant/", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify({ message }) });
      const sources = a.sources.map((s) => s.url ? `<a href="${H.esc(s.url)}">${H.esc(s.title)}</a>` : H.esc(s.title)).join(", ");
      box.innerHTML = `<p>${H.esc(a.answer)}</p>${sources ? `<p class="muted">${H.esc(H.t("source"))}: ${sources}</p>` : ""}`;
      box.dataset.intent = a.intent;
    } catch (e) { box.textContent = H.t("error"); }
  }

  async function loadAll() {
    const since = new Date(Date.now() - 30 * 86400e3).toISOString();
    const results = await Promise.allSettled([
      H.json("/dashboard/wards.geojson").then((g) => { wards = g; renderMap(); }),
      H.json("/api/v1/public/reports/?page_size=200&since=" + encodeURIComponent(since)).then((b) => { reports = b.results; renderPoints(); }),
      H.json("/api/v1/public/stats/").then((s) => { stats = s; renderStats(); }),
      loadFacts(""),
      loadWarnings(),
    ]);
    document.body.dataset.loaded = results.every((r) => r.status === "fulfilled") ? "ok" : "partial";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("ask").addEventListener("submit", ask);
    document.getElementById("fc-search").addEventListener("submit", (e) => { e.preventDefault(); loadFacts(document.getElementById("fc-q").value.trim()); });
    H.onLang(() => { renderWarnings(); renderPoints(); renderStats(); renderFacts(); });
    loadAll();
    // Warnings: live over the socket, refetched every minute anyway, dropped the second they expire.
    listenForWarnings(1000, false);
    setInterval(loadWarnings, 60000);
    setInterval(renderWarnings, 1000);
  });
})();
