/* Operators' live dashboard: queue (critical and high first), map, counters, one-click triage. */
(function () {
  "use strict";
  const { t, nm, api, toast, countdown, fmtTime, fmtClock, esc, LiveSocket } = HueRT;
  const config = HueRT.initPage();

  const OPEN = new Set(["submitted", "triaged", "needs_review", "assigned", "accepted", "in_progress", "returned", "reopened"]);
  const ACTIONABLE = new Set(["submitted", "triaged", "needs_review", "assigned", "returned"]);
  const RANK = { critical: 0, high: 1, normal: 2, low: 3 };
  const URGENCIES = ["critical", "high", "normal", "low"];

  const reports = new Map();   // id -> report (ops view)
  const appliedSeq = new Map(); // id -> seq of the newest state shown (older events never overwrite)
  const rows = new Map();      // id -> <tr>
  const points = new Map();    // id -> <circle>
  let categories = [], agencies = [];
  let loadSeq = 0;
  let soundOn = localStorage.getItem("hue.sound") === "on";
  let audioCtx = null;

  const body = document.getElementById("queue-body");
  const onlyReview = document.getElementById("only-review");

  /* ---------- state ---------- */
  function upsert(report, seq, fresh) {
    const known = appliedSeq.get(report.id);
    if (known !== undefined && seq <= known) return false;
    appliedSeq.set(report.id, seq);
    reports.set(report.id, report);
    renderReport(report, fresh);
    return true;
  }

  function isOpen(r) { return OPEN.has(r.status); }
  function isOverdue(r) { return isOpen(r) && (r.overdue || (r.due_at && new Date(r.due_at) < new Date())); }

  function sortKey(r) {
    return [RANK[r.urgency] === undefined ? 4 : RANK[r.urgency], r.status === "needs_review" ? 0 : 1, r.created_at || ""];
  }
  function cmp(a, b) {
    const ka = sortKey(a), kb = sortKey(b);
    for (let i = 0; i < ka.length; i++) { if (ka[i] < kb[i]) return -1; if (ka[i] > kb[i]) return 1; }
    return a.id - b.id;
  }

  function agencyLabel(r) {
    if (!r.agency) return "—";
    const a = agencies.find((x) => x.code === r.agency);
    return a && a.short_name ? a.short_name : nm(r.agency_name);
  }

  /* ---------- queue ---------- */
  function rowHtml(r) {
    const conf = r.triage && r.triage.confidence != null ? Math.round(r.triage.confidence * 100) + "%" : "—";
    const cd = countdown(r.due_at);
    const review = r.status === "needs_review" ? `<span class="tag tag-review">${esc(t("review"))}</span>` : "";
    const reporter = r.reporter ? `${esc(r.reporter.phone || "")}${r.anonymous ? " · " + esc(t("anonymous")) : ""}` : "";
    const actions = ACTIONABLE.has(r.status)
      ? `<button class="btn btn-small btn-confirm" data-act="confirm" ${r.category && r.urgency ? "" : "disabled"}>${esc(t("confirm"))}</button>
         <button class="btn btn-small" data-act="override">${esc(t("override"))}</button>
         <button class="btn btn-small" data-act="assign">${esc(t("assign"))}</button>
         <button class="btn btn-small btn-danger" data-act="reject">${esc(t("reject"))}</button>
         <button class="btn btn-small" data-act="merge">${esc(t("merge"))}</button>`
      : `<span class="status">${esc(nm(r.status_name))}</span>`;
    return `
      <td><span class="urg urg-${esc(r.urgency || "none")}">${esc(nm(r.urgency_name))}</span></td>
      <td class="report-cell"><div class="code">${esc(r.tracking_code)} <span class="muted">#${r.id}</span> ${review}</div>
          <div class="desc" title="${esc(r.description)}">${esc(r.description)}</div>
          <div class="muted small">${esc(fmtTime(r.created_at))} · ${esc(nm(r.status_name))}${r.photos && r.photos.length ? " · " + r.photos.length + " " + esc(t("photos")) : ""}${reporter ? " · " + reporter : ""}</div></td>
      <td>${esc(nm(r.category_name))}</td>
      <td class="num">${conf}</td>
      <td>${esc(r.area_name ? nm(r.area_name) : "—")}</td>
      <td class="agency-cell" title="${esc(r.agency_name ? nm(r.agency_name) : "")}">${esc(agencyLabel(r))}</td>
      <td class="due ${cd.overdue ? "overdue" : cd.soon ? "soon" : ""}" data-due="${esc(r.due_at || "")}">${esc(cd.text)}</td>
      <td class="actions">${actions}</td>`;
  }

  function renderReport(r, fresh) {
    let tr = rows.get(r.id);
    const show = isOpen(r) && (!onlyReview.checked || r.status === "needs_review");
    if (!show) {
      if (tr) { tr.remove(); rows.delete(r.id); }
    } else {
      if (!tr) {
        tr = document.createElement("tr");
        tr.dataset.id = r.id;
        rows.set(r.id, tr);
        if (fresh) { tr.classList.add("flash"); setTimeout(() => tr.classList.remove("flash"), 4000); }
      } else if (fresh) {
        tr.classList.remove("flash"); void tr.offsetWidth; tr.classList.add("flash-update");
        setTimeout(() => tr.classList.remove("flash-update"), 2500);
      }
      tr.className = tr.className.replace(/\burg-row-\S+/g, "").trim();
      tr.classList.add("urg-row-" + (r.urgency || "none"));
      tr.classList.toggle("is-overdue", !!isOverdue(r));
      tr.innerHTML = rowHtml(r);
      place(tr, r);
    }
    renderPoint(r, fresh);
    scheduleCounters();
  }

  function place(tr, r) {
    // Insert at its sorted position without rebuilding the table (keeps the flash animation).
    let before = null;
    for (const other of body.children) {
      if (other === tr) continue;
      const o = reports.get(Number(other.dataset.id));
      if (o && cmp(r, o) < 0) { before = other; break; }
    }
    if (before) { if (tr.nextSibling !== before) body.insertBefore(tr, before); }
    else if (tr !== body.lastElementChild) body.appendChild(tr);
    document.getElementById("queue-empty").hidden = body.children.length > 0;
  }

  function rerenderAll() {
    [...rows.values()].forEach((tr) => tr.remove());
    rows.clear();
    [...reports.values()].sort(cmp).forEach((r) => renderReport(r, false));
    document.getElementById("queue-empty").hidden = body.children.length > 0;
  }

  function tick() {
    const now = Date.now();
    body.querySelectorAll("td.due").forEach((td) => {
      const cd = countdown(td.dataset.due, now);
      td.textContent = cd.text;
      td.classList.toggle("overdue", cd.overdue);
      td.classList.toggle("soon", !!cd.soon);
      td.parentElement.classList.toggle("is-overdue", cd.overdue);
    });
  }

  /* ---------- counters ---------- */
  let countersQueued = false;
  function scheduleCounters() {
    if (countersQueued) return;
    countersQueued = true;
    requestAnimationFrame(() => { countersQueued = false; renderCounters(); });
  }
  function hueDay(iso) { return new Date(iso).toLocaleDateString("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }); }
  function renderCounters() {
    const today = hueDay(new Date().toISOString());
    let newToday = 0, review = 0, overdue = 0, open = 0;
    const perAgency = new Map();
    for (const r of reports.values()) {
      if (r.created_at && hueDay(r.created_at) === today) newToday++;
      if (!isOpen(r)) continue;
      open++;
      if (r.status === "needs_review") review++;
      if (isOverdue(r)) overdue++;
      const key = r.agency ? agencyLabel(r) : t("unassigned");
      perAgency.set(key, (perAgency.get(key) || 0) + 1);
    }
    document.getElementById("c-today").textContent = newToday;
    document.getElementById("c-review").textContent = review;
    document.getElementById("c-overdue").textContent = overdue;
    document.getElementById("c-open").textContent = open;
    const list = document.getElementById("c-agencies");
    list.innerHTML = [...perAgency.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)
      .map(([k, v]) => `<li><span class="agency-n">${v}</span> ${esc(k)}</li>`).join("");
  }

  /* ---------- map ---------- */
  const svg = document.getElementById("map");
  const NS = "http://www.w3.org/2000/svg";
  let project = null;
  let fullBox = null, cityBox = null, zoom = 1;
  const labelEls = [];

  function setView(box) {
    svg.setAttribute("viewBox", box.join(" "));
    view = box;
    zoom = fullBox[2] / box[2];
    // Sizes in screen pixels whatever the zoom: user units per pixel = viewBox width / drawn width.
    const unit = box[2] / (svg.clientWidth || 480);
    svg.style.setProperty("--label-size", (10.5 * unit).toFixed(3) + "px");
    svg.style.setProperty("--pt-stroke", (1.5 * unit).toFixed(3) + "px");
    pointR = 5.5 * unit;
    labelEls.forEach(({ el, width }) => { el.style.display = width / unit > 60 ? "" : "none"; });
    points.forEach((c) => c.setAttribute("r", pointR.toFixed(3)));
  }
  let view = null, pointR = 6;
  window.addEventListener("resize", () => { if (view) setView(view); });

  async function drawMap() {
    const geo = await api("GET", "/dashboard/wards.geojson");
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const lat0 = 16.45 * Math.PI / 180;
    const raw = (lon, lat) => [lon * Math.cos(lat0), -lat];
    const eachCoord = (geom, fn) => {
      if (!geom) return;
      const polys = geom.type === "Polygon" ? [geom.coordinates] : geom.type === "MultiPolygon" ? geom.coordinates : [];
      polys.forEach((poly) => poly.forEach((ring) => ring.forEach(([lon, lat]) => fn(lon, lat))));
    };
    geo.features.forEach((f) => {
      eachCoord(f.geometry, (lon, lat) => { const [x, y] = raw(lon, lat); minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); });
      if (!f.geometry) { const [x, y] = raw(...f.properties.centre); minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
    });
    const W = 1000, pad = 12;
    const scale = (W - 2 * pad) / (maxX - minX);
    const H = Math.ceil((maxY - minY) * scale + 2 * pad);
    fullBox = [0, 0, W, H];
    project = (lon, lat) => { const [x, y] = raw(lon, lat); return [pad + (x - minX) * scale, pad + (y - minY) * scale]; };
    const wards = document.getElementById("map-wards"), labels = document.getElementById("map-labels");
    const tip = document.getElementById("map-tip");
    let cx0 = Infinity, cy0 = Infinity, cx1 = -Infinity, cy1 = -Infinity;
    geo.features.forEach((f) => {
      let bw = 0;
      if (f.geometry) {
        let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
        eachCoord(f.geometry, (lon, lat) => { const [x, y] = project(lon, lat); x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); });
        bw = x1 - x0;
        const [clon, clat] = f.properties.centre;
        if (Math.abs(clat - 16.4637) < 0.075 && Math.abs(clon - 107.5909) < 0.09) { cx0 = Math.min(cx0, x0); cx1 = Math.max(cx1, x1); cy0 = Math.min(cy0, y0); cy1 = Math.max(cy1, y1); }
        const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
        const d = polys.map((poly) => poly.map((ring) => "M" + ring.map(([lon, lat]) => project(lon, lat).map((v) => v.toFixed(1)).join(",")).join("L") + "Z").join("")).join("");
        const path = document.createElementNS(NS, "path");
        path.setAttribute("d", d);
        path.setAttribute("class", "ward ward-" + f.properties.kind);
        path.dataset.code = f.properties.code;
        path.addEventListener("mousemove", (ev) => { tip.hidden = false; tip.textContent = f.properties.name; tip.style.left = ev.offsetX + 12 + "px"; tip.style.top = ev.offsetY + 12 + "px"; });
        path.addEventListener("mouseleave", () => { tip.hidden = true; });
        wards.appendChild(path);
      }
      const [cx, cy] = project(...f.properties.centre);
      const label = document.createElementNS(NS, "text");
      label.setAttribute("x", cx.toFixed(1)); label.setAttribute("y", cy.toFixed(1));
      label.setAttribute("class", "ward-label");
      label.textContent = f.properties.name;
      labels.appendChild(label);
      labelEls.push({ el: label, width: bw || 60 });
    });
    if (cx1 > cx0) {
      // The wards around the Citadel (the old city), with a margin, at the map's aspect ratio.
      const m = 15, w = cx1 - cx0 + 2 * m, h = w * (H / W);
      cityBox = [cx0 - m, (cy0 + cy1) / 2 - h / 2, w, h];
    }
    setView(cityBox || fullBox);
    reports.forEach((r) => renderPoint(r, false));
  }

  function renderPoint(r, fresh) {
    if (!project) return;
    let c = points.get(r.id);
    if (!isOpen(r) || r.latitude == null) { if (c) { c.remove(); points.delete(r.id); } return; }
    const [x, y] = project(r.longitude, r.latitude);
    if (!c) {
      c = document.createElementNS(NS, "circle");
      c.setAttribute("r", pointR.toFixed(3));
      const title = document.createElementNS(NS, "title");
      c.appendChild(title);
      document.getElementById("map-points").appendChild(c);
      points.set(r.id, c);
      if (fresh) { c.classList.add("pulse"); setTimeout(() => c.classList.remove("pulse"), 6000); }
    }
    c.setAttribute("cx", x.toFixed(1)); c.setAttribute("cy", y.toFixed(1));
    c.setAttribute("class", `pt pt-${r.urgency || "none"}${isOverdue(r) ? " pt-overdue" : ""}${c.classList.contains("pulse") ? " pulse" : ""}`);
    c.dataset.id = r.id;
    c.firstChild.textContent = `${r.tracking_code} · ${nm(r.category_name)} · ${nm(r.urgency_name)}`;
  }

  /* ---------- activity feed ---------- */
  const feed = [];
  function feedItem(entry) {
    const r = entry.data;
    const li = document.createElement("li");
    li.className = "ch-" + entry.change;
    li.innerHTML = `<span class="seq">#${entry.seq}</span><span class="when">${esc(fmtClock(entry.at))}</span>
      <span><span class="what">${esc(t("ch_" + entry.change))}</span> · ${esc(r.tracking_code || "#" + r.id)} · ${esc(nm(r.category_name))}${r.area_name ? " · " + esc(nm(r.area_name)) : ""}</span>`;
    return li;
  }
  function addFeed(msg) {
    const entry = { seq: msg.seq, change: msg.change || (msg.type === "report.created" ? "created" : "updated"), data: msg.data, at: new Date().toISOString() };
    feed.unshift(entry);
    if (feed.length > 60) feed.pop();
    const list = document.getElementById("feed");
    const li = feedItem(entry);
    li.classList.add("new");
    list.prepend(li);
    while (list.children.length > 60) list.lastElementChild.remove();
  }
  function renderFeed() { const list = document.getElementById("feed"); list.innerHTML = ""; feed.forEach((e) => list.appendChild(feedItem(e))); }

  /* ---------- alerts ---------- */
  const alerts = [];
  function beep() {
    if (!soundOn) return;
    try {
      audioCtx = audioCtx || new (window.AudioContext || window.webkitAudioContext)();
      const now = audioCtx.currentTime;
      [0, 0.35, 0.7].forEach((offset) => {
        const o = audioCtx.createOscillator(), g = audioCtx.createGain();
        o.type = "square"; o.frequency.value = 880;
        g.gain.setValueAtTime(0.0001, now + offset);
        g.gain.exponentialRampToValueAtTime(0.2, now + offset + 0.02);
        g.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.25);
        o.connect(g).connect(audioCtx.destination);
        o.start(now + offset); o.stop(now + offset + 0.3);
      });
    } catch (e) { /* no audio device */ }
  }

  function renderAlerts() {
    const banner = document.getElementById("alert-banner");
    banner.innerHTML = "";
    alerts.forEach((msg) => {
      const r = msg.data;
      const item = document.createElement("div");
      item.className = "alert-item" + (msg.fresh ? " fresh" : "");
      msg.fresh = false;
      item.dataset.id = r.id;
      item.innerHTML = `<strong>⚠ ${esc(msg.change === "overdue" ? t("overdue_alert") : t("critical_alert"))}</strong> ${esc(r.tracking_code)} · ${esc(nm(r.category_name))} · ${esc(r.area_name ? nm(r.area_name) : "")} — ${esc((r.description || "").slice(0, 120))} <button class="btn btn-small">${esc(t("dismiss"))}</button>`;
      item.querySelector("button").addEventListener("click", () => { alerts.splice(alerts.indexOf(msg), 1); renderAlerts(); });
      banner.appendChild(item);
    });
    banner.hidden = alerts.length === 0;
  }

  function raiseAlert(msg) {
    const kind = msg.change === "overdue" ? t("overdue_alert") : t("critical_alert");
    alerts.unshift({ ...msg, fresh: true });
    if (alerts.length > 4) alerts.pop();
    renderAlerts();
    beep();
    const title = document.title;
    let n = 0;
    const iv = setInterval(() => { document.title = n++ % 2 ? title : `⚠ ${kind} — ${title}`; if (n > 10) { clearInterval(iv); document.title = title; } }, 700);
  }

  const soundBtn = document.getElementById("sound-toggle");
  function renderSound() { soundBtn.dataset.i18n = soundOn ? "sound_on" : "sound_off"; soundBtn.textContent = t(soundBtn.dataset.i18n); soundBtn.setAttribute("aria-pressed", String(soundOn)); }
  soundBtn.addEventListener("click", () => { soundOn = !soundOn; localStorage.setItem("hue.sound", soundOn ? "on" : "off"); renderSound(); if (soundOn) beep(); });

  /* ---------- actions (REST) ---------- */
  const dialog = document.getElementById("action-dialog");
  function options(list, selected, label) { return list.map((x) => `<option value="${esc(x.code)}" ${x.code === selected ? "selected" : ""}>${esc(label(x))}</option>`).join(""); }

  function openDialog(title, html, onOk) {
    document.getElementById("action-title").textContent = title;
    document.getElementById("action-body").innerHTML = html;
    dialog.returnValue = "";
    dialog.onclose = async () => {
      if (dialog.returnValue !== "ok") return;
      const form = document.getElementById("action-form");
      try { await onOk(new FormData(form)); toast(t("done"), "ok"); } catch (e) { toast(`${t("failed")}: ${e.message}`, "error"); }
    };
    dialog.showModal();
  }

  async function act(kind, r) {
    const base = `/api/v1/ops/reports/${r.id}/`;
    const apply = (data) => { if (data && data.id) { /* the socket brings the change; nothing to do */ } };
    if (kind === "confirm") {
      try { apply(await api("POST", base + "triage/", { category: r.category, urgency: r.urgency })); toast(t("done"), "ok"); }
      catch (e) { toast(`${t("failed")}: ${e.message}`, "error"); }
    } else if (kind === "override") {
      openDialog(`${t("override")} — ${r.tracking_code}`,
        `<label>${esc(t("category"))}<select name="category">${options(categories, r.category, (c) => nm({ vi: c.name_vi, en: c.name_en }))}</select></label>
         <label>${esc(t("urgency"))}<select name="urgency">${URGENCIES.map((u) => `<option value="${u}" ${u === r.urgency ? "selected" : ""}>${esc(t("u_" + u))}</option>`).join("")}</select></label>`,
        async (fd) => apply(await api("POST", base + "triage/", { category: fd.get("category"), urgency: fd.get("urgency") })));
    } else if (kind === "assign") {
      openDialog(`${t("assign")} — ${r.tracking_code}`,
        `<label>${esc(t("agency"))}<select name="agency">${options(agencies, r.agency, (a) => nm({ vi: a.name_vi, en: a.name_en }))}</select></label>`,
        async (fd) => apply(await api("POST", base + "assign/", { agency: fd.get("agency") })));
    } else if (kind === "reject") {
      openDialog(`${t("reject")} — ${r.tracking_code}`, `<label>${esc(t("reason"))}<textarea name="reason" required rows="3"></textarea></label>`,
        async (fd) => apply(await api("POST", base + "reject/", { reason: fd.get("reason") })));
    } else if (kind === "merge") {
      openDialog(`${t("merge")} — ${r.tracking_code}`, `<label>${esc(t("merge_into"))}<input name="into" type="number" min="1" required></label>`,
        async (fd) => apply(await api("POST", base + "merge/", { into: Number(fd.get("into")) })));
    }
  }

  body.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-act]");
    if (!btn) return;
    const r = reports.get(Number(btn.closest("tr").dataset.id));
    if (r) act(btn.dataset.act, r);
  });
  onlyReview.addEventListener("change", rerenderAll);

  /* ---------- loading and live ---------- */
  async function loadQueue(reason, seq) {
    loadSeq = seq;
    const fetched = await HueRT.fetchAll("/api/v1/ops/reports/?page_size=200", 5);
    if (reason !== "initial") {
      // A reload replaces what we had: anything not open any more drops out.
      const keep = new Set(fetched.map((r) => r.id));
      for (const [id, r] of reports) if (!keep.has(id) && (appliedSeq.get(id) || 0) <= seq) { reports.delete(id); appliedSeq.delete(id); renderReport({ ...r, status: "closed" }, false); }
    }
    for (const r of fetched) {
      const known = appliedSeq.get(r.id);
      if (known !== undefined && known > seq) continue; // a newer live event already won
      appliedSeq.set(r.id, seq);
      reports.set(r.id, r);
      renderReport(r, false);
    }
    if (reason && reason !== "initial") toast(t("reload_notice"));
  }

  function onEvent(msg) {
    if (!msg.data || typeof msg.data.id !== "number") return;
    const before = reports.get(msg.data.id);
    const becameCritical = msg.data.urgency === "critical" && (!before || before.urgency !== "critical");
    const changed = upsert(msg.data, msg.seq, true);
    if (changed) addFeed(msg);
    if (changed && (msg.alert || becameCritical)) raiseAlert(msg);
  }

  async function loadReference() {
    try { [categories, agencies] = await Promise.all([api("GET", "/api/v1/categories/"), api("GET", "/api/v1/agencies/")]); }
    catch (e) { categories = []; agencies = []; }
    if (categories.results) categories = categories.results;
    if (agencies.results) agencies = agencies.results;
    rerenderAll();
    renderCounters();
  }

  document.getElementById("zoom-city").addEventListener("click", () => { if (cityBox) setView(cityBox); });
  document.getElementById("zoom-all").addEventListener("click", () => { if (fullBox) setView(fullBox); });
  HueRT.onLang(() => { rerenderAll(); renderCounters(); renderSound(); renderFeed(); renderAlerts(); document.querySelectorAll("#map-points circle").forEach((c) => { const r = reports.get(Number(c.dataset.id)); if (r) renderPoint(r, false); }); });
  renderSound();
  setInterval(tick, 1000);
  setInterval(scheduleCounters, 30000);
  loadReference();
  drawMap().catch(() => {});
  const socket = new LiveSocket({ path: config.ws, heartbeat: config.heartbeat, onEvent, onSync: loadQueue });
  window.hueSocket = socket; // for operators' support and the browser tests
  socket.start();
})();
