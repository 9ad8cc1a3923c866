/* Operators' live workbench: the queue (critical and high first) with find, filter and keyboard
 * navigation; a report's full detail beside it (photos, close-up map, timeline, triage, routing,
 * reporter, duplicate suggestions, every action) that stays live; the city map; counters; alerts. */
(function () {
  "use strict";
  const { t, nm, api, toast, countdown, fmtTime, fmtClock, esc, fold, LiveSocket } = HueRT;
  const config = HueRT.initPage();

  HueRT.addStrings({
    keys: ["Phím tắt", "Shortcuts"], keys_hint: ["Phím: J/↓ tiếp · K/↑ trước · Enter mở · C xác nhận · / tìm · Esc đóng", "Keys: J/↓ next · K/↑ previous · Enter open · C confirm · / search · Esc close"],
    k_next: ["Phản ánh tiếp theo", "Next report"], k_prev: ["Phản ánh trước", "Previous report"], k_open: ["Mở chi tiết", "Open the detail"],
    k_confirm: ["Xác nhận phân loại và chuyển đơn vị", "Confirm triage and assign"], k_search: ["Tìm kiếm", "Search"], k_close: ["Đóng chi tiết", "Close the detail"],
    search_label: ["Tìm theo mã hoặc nội dung", "Search by tracking code or words"],
    search_ph: ["Tìm mã theo dõi hoặc nội dung (có/không dấu)…", "Tracking code or words (with or without diacritics)…"],
    status: ["Trạng thái", "Status"], only_overdue: ["Chỉ quá hạn", "Overdue only"], clear_filters: ["Bỏ lọc", "Clear"],
    any: ["Tất cả", "Any"], open_group: ["Đang mở", "Open"], all_status: ["Mọi trạng thái", "Every status"], no_agency: ["Chưa giao", "Unassigned"],
    map_click: ["· bấm vào phường để lọc", "· click a ward to filter"], n_shown: ["phản ánh", "reports"],
    open: ["Mở", "Open"], note_add: ["Ghi chú nội bộ", "Internal note"], add_note: ["Thêm ghi chú", "Add note"],
    health_kind_set: ["Loại phản ánh y tế", "Kind of health report"], health_kind_save: ["Xác nhận loại", "Confirm kind"],
    triage: ["Phân loại", "Triage"], predicted: ["Mô hình dự đoán", "Model said"], top_categories: ["Lĩnh vực khả dĩ nhất", "Most likely categories"],
    urgency_probs: ["Mức độ khẩn (xác suất)", "Urgency (probabilities)"], rules_fired: ["Quy tắc an toàn đã kích hoạt", "Safety rules fired"],
    review_reasons: ["Lý do cần duyệt", "Why it needs review"], routing: ["Điều phối", "Routing"], routing_rule: ["Quy tắc", "Rule"],
    model: ["mô hình", "model"], confidence: ["độ tin cậy", "confidence"], none: ["không có", "none"],
    reporter_h: ["Người gửi", "Reporter"], anon_note: ["người dân chọn ẩn danh: không công khai danh tính", "the citizen asked to stay anonymous: never published"],
    duplicates: ["Có thể trùng", "Possible duplicates"], no_duplicates: ["Không thấy phản ánh trùng gần đây.", "No similar report nearby."],
    merge_this_into: ["Gộp phản ánh này vào", "Merge this into"], merge_that_here: ["Gộp vào phản ánh này", "Merge it into this"],
    similar: ["giống", "similar"], away: ["cách", "away"], actions_h: ["Thao tác", "Actions"],
    merge_target: ["Gộp vào phản ánh (mã theo dõi hoặc số)", "Merge into report (tracking code or number)"],
    not_found_code: ["Không tìm thấy phản ánh", "No such report"], me_too: ["người cùng phản ánh", "me too"],
    received_at: ["Nhận lúc", "Received"], queued_at: ["tạo trên máy lúc", "queued on the phone at"],
    not_actionable: ["Phản ánh đã qua bước điều hành.", "Past the operators' stage."],
    rr_no_model: ["chưa có mô hình", "no model"], rr_empty_text: ["không có nội dung", "no text"], rr_low_confidence: ["mô hình chưa chắc chắn", "model unsure"],
    rr_critical: ["khẩn cấp: cần người xác nhận", "critical: a person confirms"], rr_hint_disagrees: ["khác lĩnh vực người dân chọn", "differs from the citizen's hint"],
    rr_outside_wards: ["ngoài các phường, xã", "outside the wards"], rr_no_routing_rule: ["không có quy tắc điều phối", "no routing rule"],
    rr_no_category: ["chưa có lĩnh vực", "no category"], rr_agency_not_allowed: ["đơn vị theo quy tắc không được nhận loại này", "the rule's agency may not hold this category"], photo_gps: ["ảnh", "photo"], close_detail: ["Đóng chi tiết", "Close the detail"],
    merged_into_h: ["Đã gộp vào", "Merged into"], merged_here: ["Đã gộp vào đây", "Merged here"], reopened_n: ["lần mở lại", "reopened"],
    rating_h: ["Đánh giá", "Rating"], reject_reason: ["Lý do từ chối (người dân sẽ thấy)", "Reason for rejecting (the citizen sees it)"],
  });

  const STATUSES = ["submitted", "triaged", "needs_review", "assigned", "accepted", "in_progress", "returned", "reopened", "resolved", "closed", "rejected", "merged"];
  const URGENCIES = ["critical", "high", "normal", "low"];

  const reports = new Map();    // id -> report (ops view): the open queue plus whatever a search brought in
  const appliedSeq = new Map(); // id -> seq of the newest state shown (older events never overwrite)
  const rows = new Map();       // id -> <tr>
  const points = new Map();     // id -> <circle>
  let categories = [], agencies = [], areas = [], healthKinds = [];
  let soundOn = localStorage.getItem("hue.sound") === "on";
  let audioCtx = null;
  let selectedId = null, openId = null, openDetail = null;

  const body = document.getElementById("queue-body");
  const detailEl = document.getElementById("detail");
  const layout = document.getElementById("ops-layout");

  /* ---------- status groups and allowed actions come with every report (outputs.py) ---------- */
  const isOpen = (r) => r.open === true;
  // The payload's `overdue` is as of the event; a deadline passing on screen since then counts too.
  const isOverdue = (r) => isOpen(r) && (r.overdue === true || (!!r.due_at && new Date(r.due_at) < new Date()));
  const actionable = (r) => (r.actions || []).includes("merge");

  /* ---------- filters ---------- */
  const F = {
    q: document.getElementById("f-q"), status: document.getElementById("f-status"), category: document.getElementById("f-category"),
    urgency: document.getElementById("f-urgency"), area: document.getElementById("f-area"), agency: document.getElementById("f-agency"),
    overdue: document.getElementById("f-overdue"),
  };
  function filters() {
    return {
      q: F.q.value.trim(), status: F.status.value || "open", category: F.category.value, urgency: F.urgency.value,
      area: F.area.value, agency: F.agency.value, overdue: F.overdue.checked,
    };
  }
  function matches(r, f) {
    if (f.status === "open" ? !isOpen(r) : f.status !== "all" && r.status !== f.status) return false;
    if (f.category && r.category !== f.category) return false;
    if (f.urgency && r.urgency !== f.urgency) return false;
    if (f.area && r.area !== f.area) return false;
    if (f.agency && (f.agency === "-" ? !!r.agency : r.agency !== f.agency)) return false;
    if (f.overdue && !isOverdue(r)) return false;
    if (f.q) {
      const q = f.q.replace(/^#/, "");
      if (r.tracking_code && r.tracking_code.toLowerCase() === q.toLowerCase()) return true;
      if (String(r.id) === q) return true;
      const text = fold(r.description + " " + (r.tracking_code || ""));
      return fold(q).split(" ").every((word) => text.includes(word));
    }
    return true;
  }
  function fillSelect(sel, list, first) {
    const keep = sel.value;
    sel.innerHTML = first + list.map(([v, label]) => `<option value="${esc(v)}">${esc(label)}</option>`).join("");
    sel.value = keep;
    if (sel.value !== keep) sel.value = "";
  }
  function renderFilterOptions() {
    const keepStatus = F.status.value || "open";
    F.status.innerHTML = `<option value="open">${esc(t("open_group"))}</option><option value="all">${esc(t("all_status"))}</option>` +
      STATUSES.map((s) => `<option value="${s}">${esc(HueDetail.statusName(s))}</option>`).join("");
    F.status.value = keepStatus;
    const any = `<option value="">${esc(t("any"))}</option>`;
    fillSelect(F.category, categories.map((c) => [c.code, nm({ vi: c.name_vi, en: c.name_en })]), any);
    fillSelect(F.urgency, URGENCIES.map((u) => [u, t("u_" + u)]), any);
    fillSelect(F.area, areas.map((a) => [a.code, a.name]), any);
    fillSelect(F.agency, [["-", t("no_agency")], ...agencies.map((a) => [a.code, a.short_name || nm({ vi: a.name_vi, en: a.name_en })])], any);
  }
  let searchTimer = null;
  function onFilterChange() {
    rerenderAll();
    highlightWard();
    const f = filters();
    // The open queue is all in memory; other statuses come from the server (newest 400).
    clearTimeout(searchTimer);
    if (f.status !== "open") searchTimer = setTimeout(() => searchServer(f), 250);
  }
  async function searchServer(f) {
    const params = new URLSearchParams({ page_size: "200", ordering: "-created_at" });
    if (f.status !== "all") params.set("status", f.status);
    ["category", "urgency", "area"].forEach((k) => { if (f[k]) params.set(k, f[k]); });
    if (f.agency && f.agency !== "-") params.set("agency", f.agency);
    if (f.overdue) params.set("overdue", "true");
    if (f.q) params.set("q", f.q.replace(/^#/, ""));
    try {
      const found = await HueRT.fetchAll("/api/v1/ops/reports/?" + params, 2);
      const seq = socket.lastSeq || 0;
      for (const r of found) {
        const known = appliedSeq.get(r.id);
        if (known !== undefined && known > seq) continue;
        appliedSeq.set(r.id, seq);
        reports.set(r.id, r);
      }
      rerenderAll();
    } catch (e) { toast(`${t("failed")}: ${e.message}`, "error"); }
  }
  Object.values(F).forEach((el) => el.addEventListener(el === F.q ? "input" : "change", onFilterChange));
  document.getElementById("filters").addEventListener("submit", (ev) => ev.preventDefault());
  document.getElementById("f-clear").addEventListener("click", () => {
    F.q.value = ""; F.status.value = "open"; F.category.value = ""; F.urgency.value = ""; F.area.value = ""; F.agency.value = ""; F.overdue.checked = false;
    onFilterChange();
  });

  /* ---------- state ---------- */
  function upsert(report, seq, fresh) {
    const known = appliedSeq.get(report.id);
    if (known !== undefined && seq <= known) return false;
    appliedSeq.set(report.id, seq);
    reports.set(report.id, report);
    renderReport(report, fresh);
    return true;
  }

  function sortKey(r) {
    return [r.urgency_rank, r.status === "needs_review" ? 0 : 1, r.created_at || ""];
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
    const quick = actionable(r)
      ? `<button class="btn btn-small btn-confirm" data-act="confirm" data-testid="report-action-confirm" ${r.category && r.urgency ? "" : "disabled"}>${esc(t("confirm"))}</button>`
      : `<span class="status">${esc(nm(r.status_name))}</span>`;
    return `
      <td><span class="urg urg-${esc(r.urgency || "none")}">${esc(nm(r.urgency_name))}</span></td>
      <td class="report-cell"><div class="code"><button type="button" class="linkish" data-act="open">${esc(r.tracking_code)}</button> <span class="muted">#${r.id}</span> ${review}</div>
          <div class="desc" title="${esc(r.description)}">${esc(r.description)}</div>
          <div class="muted small">${esc(fmtTime(r.created_at))} · ${esc(nm(r.status_name))}${r.photos && r.photos.length ? " · " + r.photos.length + " " + esc(t("photos")) : ""}${reporter ? " · " + reporter : ""}</div></td>
      <td>${esc(nm(r.category_name))}</td>
      <td class="num">${conf}</td>
      <td>${esc(r.area_name ? nm(r.area_name) : "—")}</td>
      <td class="agency-cell" title="${esc(r.agency_name ? nm(r.agency_name) : "")}">${esc(agencyLabel(r))}</td>
      <td class="due ${cd.overdue ? "overdue" : cd.soon ? "soon" : ""}" data-due="${esc(r.due_at || "")}">${esc(cd.text)}</td>
      <td class="actions">${quick}</td>`;
  }

  function renderReport(r, fresh) {
    let tr = rows.get(r.id);
    const show = matches(r, filters());
    if (!show) {
      if (tr) { removeRow(r.id); }
    } else {
      if (!tr) {
        tr = document.createElement("tr");
        tr.dataset.id = r.id;
        tr.dataset.reportId = r.id;
        tr.dataset.testid = "report-row";
        tr.tabIndex = -1;
        rows.set(r.id, tr);
        if (fresh) { tr.classList.add("flash"); setTimeout(() => tr.classList.remove("flash"), 4000); }
      } else if (fresh) {
        tr.classList.remove("flash"); void tr.offsetWidth; tr.classList.add("flash-update");
        setTimeout(() => tr.classList.remove("flash-update"), 2500);
      }
      tr.className = tr.className.replace(/\burg-row-\S+/g, "").trim();
      tr.classList.add("urg-row-" + (r.urgency || "none"));
      tr.classList.toggle("is-overdue", isOverdue(r));
      tr.classList.toggle("is-selected", r.id === selectedId);
      tr.classList.toggle("is-open", r.id === openId);
      tr.setAttribute("aria-selected", String(r.id === selectedId));
      tr.innerHTML = rowHtml(r);
      place(tr, r);
    }
    renderPoint(r, fresh);
    scheduleCounters();
  }

  function removeRow(id) {
    const tr = rows.get(id);
    if (!tr) return;
    if (id === selectedId) {
      // Keep the operator's place: the row after the one that left becomes the selection.
      const next = tr.nextElementSibling || tr.previousElementSibling;
      selectedId = next ? Number(next.dataset.id) : null;
      if (next) markSelected();
    }
    tr.remove();
    rows.delete(id);
    updateCount();
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
    updateCount();
  }

  function updateCount() {
    document.getElementById("queue-empty").hidden = body.children.length > 0;
    document.getElementById("queue-count").textContent = `${body.children.length} ${t("n_shown")}`;
  }

  function rerenderAll() {
    [...rows.values()].forEach((tr) => tr.remove());
    rows.clear();
    [...reports.values()].sort(cmp).forEach((r) => renderReport(r, false));
    if (selectedId !== null && !rows.has(selectedId)) selectedId = null;
    markSelected(false);
    updateCount();
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

  /* ---------- selection and keyboard ---------- */
  function markSelected(focus) {
    rows.forEach((tr, id) => {
      const on = id === selectedId;
      tr.classList.toggle("is-selected", on);
      tr.setAttribute("aria-selected", String(on));
      tr.tabIndex = on ? 0 : -1;
      tr.classList.toggle("is-open", id === openId);
    });
    const tr = rows.get(selectedId);
    if (tr && focus) { tr.focus({ preventScroll: true }); tr.scrollIntoView({ block: "nearest" }); }
  }
  function select(id, focus) { selectedId = id; markSelected(focus !== false); }
  function move(step) {
    const list = [...body.children];
    if (!list.length) return;
    let i = list.findIndex((tr) => Number(tr.dataset.id) === selectedId);
    i = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, i + step));
    select(Number(list[i].dataset.id));
    if (openId !== null) openReport(selectedId, false);
  }
  const typing = (el) => el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (document.querySelector("dialog[open]")) return;
    if (ev.key === "Escape") {
      if (typing(ev.target)) { ev.target.blur(); return; }
      if (openId !== null) { ev.preventDefault(); closeDetail(); }
      return;
    }
    if (typing(ev.target)) return;
    const key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    if (key === "j" || key === "ArrowDown") { ev.preventDefault(); move(1); }
    else if (key === "k" || key === "ArrowUp") { ev.preventDefault(); move(-1); }
    else if ((key === "Enter" || key === "o") && !ev.target.closest("button, a")) { if (selectedId !== null) { ev.preventDefault(); openReport(selectedId, true); } }
    else if (key === "c") { const r = reports.get(selectedId); if (r) { ev.preventDefault(); confirmTriage(r); } }
    else if (key === "/") { ev.preventDefault(); F.q.focus(); F.q.select(); }
    else if (key === "?") { document.getElementById("keys-dialog").showModal(); }
  });
  document.getElementById("keys-toggle").addEventListener("click", () => document.getElementById("keys-dialog").showModal());

  body.addEventListener("click", (ev) => {
    const tr = ev.target.closest("tr");
    if (!tr) return;
    const r = reports.get(Number(tr.dataset.id));
    if (!r) return;
    const btn = ev.target.closest("button[data-act]");
    if (btn && btn.dataset.act === "confirm") { select(r.id, false); confirmTriage(r); return; }
    select(r.id, false);
    openReport(r.id, !btn);
  });

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
      if (!isOpen(r)) continue;
      if (r.created_at && hueDay(r.created_at) === today) newToday++;
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

  /* ---------- city map ---------- */
  const svg = document.getElementById("map");
  let cityMap = null, mapGroups = null, view = null, pointR = 6;
  const labelEls = [];

  function setView(box) {
    svg.setAttribute("viewBox", box.join(" "));
    view = box;
    // Sizes in screen pixels whatever the zoom: user units per pixel = viewBox width / drawn width.
    const unit = box[2] / (svg.clientWidth || 480);
    svg.style.setProperty("--label-size", (10.5 * unit).toFixed(3) + "px");
    svg.style.setProperty("--pt-stroke", (1.5 * unit).toFixed(3) + "px");
    pointR = 5.5 * unit;
    labelEls.forEach((el) => { el.style.display = Number(el.dataset.width) / unit > 60 ? "" : "none"; });
    points.forEach((c) => c.setAttribute("r", pointR.toFixed(3)));
  }
  window.addEventListener("resize", () => { if (view && svg.clientWidth) setView(view); });

  async function drawMap() {
    cityMap = await HueMap.load();
    mapGroups = HueMap.draw(svg, cityMap, { labels: true });
    labelEls.push(...mapGroups.labels.children);
    mapGroups.wards.addEventListener("click", (ev) => {
      const path = ev.target.closest("path[data-code]");
      if (!path) return;
      // Clicking a ward filters the queue by it; clicking it again clears that filter.
      F.area.value = F.area.value === path.dataset.code ? "" : path.dataset.code;
      onFilterChange();
    });
    setView(cityMap.cityBox || cityMap.fullBox);
    highlightWard();
    reports.forEach((r) => renderPoint(r, false));
  }
  function highlightWard() {
    if (!mapGroups) return;
    mapGroups.wards.querySelectorAll("path").forEach((p) => p.classList.toggle("ward-focus", p.dataset.code === F.area.value));
  }

  function renderPoint(r, fresh) {
    if (!cityMap) return;
    let c = points.get(r.id);
    if (!matches(r, filters()) || r.latitude == null) { if (c) { c.remove(); points.delete(r.id); } return; }
    const [x, y] = cityMap.project(r.longitude, r.latitude);
    if (!c) {
      c = HueMap.el("circle", { r: pointR.toFixed(3) });
      c.appendChild(HueMap.el("title"));
      mapGroups.points.appendChild(c);
      points.set(r.id, c);
      c.addEventListener("click", () => { select(r.id, false); openReport(r.id, true); });
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
      item.innerHTML = `<strong>⚠ ${esc(msg.change === "overdue" ? t("overdue_alert") : t("critical_alert"))}</strong> <button type="button" class="linkish linkish-light" data-open="${r.id}">${esc(r.tracking_code)}</button> · ${esc(nm(r.category_name))} · ${esc(r.area_name ? nm(r.area_name) : "")} — ${esc((r.description || "").slice(0, 120))} <button class="btn btn-small" data-dismiss="1">${esc(t("dismiss"))}</button>`;
      item.querySelector("[data-dismiss]").addEventListener("click", () => { alerts.splice(alerts.indexOf(msg), 1); renderAlerts(); });
      item.querySelector("[data-open]").addEventListener("click", () => { select(r.id, false); openReport(r.id, true); });
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

  /* ---------- the detail beside the queue ---------- */
  let detailToken = 0;

  async function openReport(id, focus) {
    openId = id;
    const token = ++detailToken;
    layout.classList.add("has-detail");
    detailEl.hidden = false;
    markSelected(false);
    if (!openDetail || openDetail.id !== id) {
      const r = reports.get(id);
      detailEl.dataset.reportId = id;
      detailEl.innerHTML = `<div class="panel-head"><h2 id="detail-title">${esc(r ? r.tracking_code : "#" + id)}</h2>${closeBtn()}</div><p class="muted detail-loading">…</p>`;
    }
    try {
      const data = await api("GET", `/api/v1/ops/reports/${id}/`);
      if (token !== detailToken) return; // another report was opened meanwhile
      renderDetail(data, false);
      if (focus) detailEl.focus({ preventScroll: true });
    } catch (e) {
      if (token === detailToken) detailEl.querySelector(".detail-loading, .detail-body") && toast(`${t("failed")}: ${e.message}`, "error");
    }
  }
  function closeBtn() { return `<button type="button" class="btn btn-small" data-detail="close" aria-label="${esc(t("close_detail"))}">✕ <span>${esc(t("close"))}</span></button>`; }

  function closeDetail() {
    openId = null; openDetail = null; detailToken++;
    detailEl.hidden = true;
    detailEl.innerHTML = "";
    layout.classList.remove("has-detail");
    markSelected(true);
    if (view) setView(view);
  }

  /* Another operator (or the agency, or the citizen) acted on the open report: reload it in place. */
  const refreshOpen = HueDetail.liveRefresher({
    current: () => ({ id: openId, token: detailToken }),
    load: (id) => api("GET", `/api/v1/ops/reports/${id}/`),
    render: (d) => renderDetail(d, true),
  });

  function bar(label, p, cls) {
    const pct = Math.round((p || 0) * 100);
    return `<li class="prob ${cls || ""}"><span class="prob-label">${esc(label)}</span><span class="prob-bar" aria-hidden="true"><i data-pct="${pct}"></i></span><span class="prob-pct">${pct}%</span></li>`;
  }
  function catName(code) {
    const c = categories.find((x) => x.code === code);
    return c ? nm({ vi: c.name_vi, en: c.name_en }) : code;
  }

  function triageHtml(d) {
    const scores = d.triage_scores || {};
    const cats = Object.entries(scores.category || {}).sort((a, b) => b[1] - a[1]).slice(0, 3);
    const urg = URGENCIES.filter((u) => scores.urgency && u in scores.urgency).map((u) => [u, scores.urgency[u]]);
    const tr = d.triage || {};
    const predicted = tr.category
      ? `${esc(catName(tr.category))} · ${esc(tr.urgency ? t("u_" + tr.urgency) : "—")} · ${esc(t("confidence"))} ${tr.confidence != null ? Math.round(tr.confidence * 100) + "%" : "—"}`
      : esc(t("none"));
    const reasons = (d.needs_review_reasons || []).map((x) => `<span class="tag tag-review">${esc(t("rr_" + x))}</span>`).join(" ");
    const rules = (tr.rules || []).map((x) => `<span class="tag tag-rule">${esc(x.replace(/_/g, " "))}</span>`).join(" ");
    return `<section class="d-sec" aria-labelledby="d-triage"><h3 id="d-triage">${esc(t("triage"))}</h3>
      <p><span class="urg urg-${esc(d.urgency || "none")}">${esc(nm(d.urgency_name))}</span> <strong>${esc(nm(d.category_name))}</strong></p>
      <p class="small"><span class="muted">${esc(t("predicted"))}:</span> ${predicted}${tr.model_version ? ` <span class="muted">(${esc(t("model"))} ${esc(tr.model_version)})</span>` : ""}</p>
      ${cats.length ? `<h4>${esc(t("top_categories"))}</h4><ul class="probs">${cats.map(([c, p], i) => bar(catName(c), p, i === 0 ? "prob-top" : "")).join("")}</ul>` : ""}
      ${urg.length ? `<h4>${esc(t("urgency_probs"))}</h4><ul class="probs probs-urg">${urg.map(([u, p]) => bar(t("u_" + u), p, "prob-" + u)).join("")}</ul>` : ""}
      <p class="small"><span class="muted">${esc(t("rules_fired"))}:</span> ${rules || esc(t("none"))}</p>
      ${reasons ? `<p class="small"><span class="muted">${esc(t("review_reasons"))}:</span> ${reasons}</p>` : ""}
    </section>`;
  }

  function routingHtml(d) {
    const rule = d.routing_rule;
    return `<section class="d-sec" aria-labelledby="d-routing"><h3 id="d-routing">${esc(t("routing"))}</h3>
      <p>${esc(d.area_name ? nm(d.area_name) : "—")} → <strong>${esc(d.agency_name ? nm(d.agency_name) : t("unassigned"))}</strong></p>
      <p class="small">${esc(d.routing_reason || "—")}</p>
      ${rule ? `<p class="small muted">${esc(t("routing_rule"))} #${rule.id} (${esc(rule.category || "*")} → ${esc(rule.agency)})${rule.note ? ": " + esc(rule.note) : ""}</p>` : ""}
      <p class="small"><span class="muted">${esc(t("h_due"))}:</span> <span class="due" data-due="${esc(d.due_at || "")}">${esc(countdown(d.due_at).text)}</span>${d.due_at ? ` <span class="muted">(${esc(fmtTime(d.due_at))})</span>` : ""}</p>
    </section>`;
  }

  function reporterHtml(d) {
    const rep = d.reporter || {};
    return `<section class="d-sec" aria-labelledby="d-reporter"><h3 id="d-reporter">${esc(t("reporter_h"))}</h3>
      <p>${esc(rep.name || "—")} · ${rep.phone ? `<a href="tel:${esc(rep.phone)}">${esc(rep.phone)}</a>` : "—"}</p>
      ${d.anonymous ? `<p class="small tag-anon">${esc(t("anon_note"))}</p>` : ""}
      ${d.rating_stars ? `<p class="small"><span class="muted">${esc(t("rating_h"))}:</span> ${"★".repeat(d.rating_stars)}${"☆".repeat(5 - d.rating_stars)} ${esc(d.rating_comment || "")}</p>` : ""}
    </section>`;
  }

  /* Which way a one-click merge goes: the newer report joins the older one, when the newer is
   * still at the operators' stage; otherwise the other way round when that one is. */
  function mergePlan(d, cand) {
    const newerIsThis = d.id > cand.report_id;
    const thisMergeable = actionable(d), thatMergeable = cand.mergeable === true;
    if (newerIsThis ? thisMergeable : !thatMergeable && thisMergeable) return { from: d.id, into: cand.report_id, label: `${t("merge_this_into")} ${cand.tracking_code}` };
    if (thatMergeable) return { from: cand.report_id, into: d.id, label: t("merge_that_here") };
    return null;
  }

  function duplicatesHtml(d) {
    const list = d.duplicates || [];
    if (!list.length) return `<section class="d-sec" aria-labelledby="d-dups"><h3 id="d-dups">${esc(t("duplicates"))}</h3><p class="muted small">${esc(t("no_duplicates"))}</p></section>`;
    const items = list.map((c) => {
      const known = reports.get(c.report_id);
      const thumb = c.thumbnail_url || (known && known.photos && known.photos[0] && known.photos[0].thumbnail_url);
      const plan = mergePlan(d, c);
      return `<li class="dup" data-dup-id="${c.report_id}">
        ${thumb ? `<img class="dup-thumb" src="${esc(thumb)}" alt="${esc(c.tracking_code)}" width="56" height="56" loading="lazy">` : `<span class="dup-thumb dup-nothumb" aria-hidden="true">—</span>`}
        <div class="dup-main"><div><button type="button" class="linkish" data-open="${c.report_id}">${esc(c.tracking_code)}</button> <span class="muted">#${c.report_id}</span> · ${esc(HueDetail.statusName(c.status))}</div>
          <div class="small muted">${esc(t("away"))} ${Math.round(c.distance_m)} m · ${esc(t("similar"))} ${Math.round(c.score * 100)}%</div>
          <div class="small desc">${esc(c.description || (known && known.description) || "")}</div></div>
        ${plan ? `<button type="button" class="btn btn-small" data-testid="report-action-merge-duplicate" data-merge-from="${plan.from}" data-merge-into="${plan.into}">${esc(plan.label)}</button>` : ""}
      </li>`;
    });
    return `<section class="d-sec" aria-labelledby="d-dups"><h3 id="d-dups">${esc(t("duplicates"))}</h3><ul class="dups">${items.join("")}</ul></section>`;
  }

  function actionsHtml(d) {
    const catOpts = categories.map((c) => `<option value="${esc(c.code)}" ${c.code === d.category ? "selected" : ""}>${esc(nm({ vi: c.name_vi, en: c.name_en }))}</option>`).join("");
    const urgOpts = URGENCIES.map((u) => `<option value="${u}" ${u === d.urgency ? "selected" : ""}>${esc(t("u_" + u))}</option>`).join("");
    const agOpts = agencies.map((a) => `<option value="${esc(a.code)}" ${a.code === d.agency ? "selected" : ""}>${esc(nm({ vi: a.name_vi, en: a.name_en }))}</option>`).join("");
    const note = `<form class="act-form" data-form="note"><label>${esc(t("note_add"))}<textarea name="note" rows="2" required maxlength="4000"></textarea></label>
        <button class="btn" data-testid="report-action-note">${esc(t("add_note"))}</button></form>`;
    // A health report's kind: offered when the lifecycle allows it (`actions`) and the report has one.
    const kindOpts = healthKinds.map((k) => `<option value="${esc(k.code)}" ${d.health && k.code === d.health.kind ? "selected" : ""}>${esc(nm(k.name))}</option>`).join("");
    const healthForm = d.health && (d.actions || []).includes("health_kind") && kindOpts
      ? `<form class="act-form act-inline" data-form="health"><label>${esc(t("health_kind_set"))}<select name="kind" required>${kindOpts}</select></label>
        <button class="btn" data-testid="report-action-health-kind">${esc(t("health_kind_save"))}</button></form>` : "";
    if (!actionable(d)) {
      return `<section class="d-sec" aria-labelledby="d-actions"><h3 id="d-actions">${esc(t("actions_h"))}</h3><p class="muted small">${esc(t("not_actionable"))}</p>${healthForm}${note}</section>`;
    }
    return `<section class="d-sec" aria-labelledby="d-actions"><h3 id="d-actions">${esc(t("actions_h"))}</h3>
      <div class="act-row"><button type="button" class="btn btn-primary" data-testid="report-action-confirm" data-act="confirm" ${d.category && d.urgency ? "" : "disabled"}>${esc(t("confirm"))}: ${esc(nm(d.category_name))} · ${esc(nm(d.urgency_name))}</button></div>
      <form class="act-form act-inline" data-form="override">
        <label>${esc(t("category"))}<select name="category" required>${catOpts}</select></label>
        <label>${esc(t("urgency"))}<select name="urgency" required>${urgOpts}</select></label>
        <button class="btn" data-testid="report-action-override">${esc(t("override"))}</button></form>
      <form class="act-form act-inline" data-form="assign"><label>${esc(t("agency"))}<select name="agency" required>${agOpts}</select></label>
        <button class="btn" data-testid="report-action-assign">${esc(t("assign"))}</button></form>
      <form class="act-form act-inline" data-form="merge"><label>${esc(t("merge_target"))}<input name="into" required autocomplete="off" maxlength="20"></label>
        <button class="btn" data-testid="report-action-merge">${esc(t("merge"))}</button></form>
      <form class="act-form" data-form="reject"><label>${esc(t("reject_reason"))}<textarea name="reason" rows="2" required maxlength="2000"></textarea></label>
        <button class="btn btn-danger" data-testid="report-action-reject">${esc(t("reject"))}</button></form>
      ${healthForm}
      ${note}
    </section>`;
  }

  function renderDetail(d, live) {
    if (HueDetail.isStale(openDetail, d)) return;
    const same = openDetail && openDetail.id === d.id;
    // An operator typing a note or a reason while someone else acts keeps their form as it is;
    // untouched forms are redrawn so their choices show the report's new values.
    const actions = detailEl.querySelector(".d-actions");
    const busy = same && actions && openDetail.status === d.status && (actions.contains(document.activeElement) ||
      [...actions.querySelectorAll("textarea, input")].some((el) => el.value) || actions.querySelector("select[data-touched]"));
    const scroll = detailEl.scrollTop;
    openDetail = d;
    reports.set(d.id, { ...(reports.get(d.id) || {}), ...stripDetail(d) });
    detailEl.dataset.reportId = d.id;
    const merged = d.merged_into ? `<p class="small"><span class="muted">${esc(t("merged_into_h"))}:</span> ${esc(d.merged_into)}</p>` : "";
    const mergedHere = d.merged_reports && d.merged_reports.length ? `<p class="small"><span class="muted">${esc(t("merged_here"))}:</span> ${d.merged_reports.map((id) => `<button type="button" class="linkish" data-open="${id}">#${id}</button>`).join(", ")}</p>` : "";
    const head = `<h2 id="detail-title"><span class="urg urg-${esc(d.urgency || "none")}">${esc(nm(d.urgency_name))}</span> ${esc(d.tracking_code)} <span class="muted">#${d.id}</span></h2>
        <span class="status-pill status-${esc(d.status)}" data-testid="report-status">${esc(nm(d.status_name))}</span>${closeBtn()}`;
    const info = `${live ? `<p class="live-note" role="status">${esc(t("live_updated"))}</p>` : ""}
        <p class="d-desc">${esc(d.description)}</p>
        <p class="small muted">${esc(t("received_at"))} ${esc(fmtTime(d.created_at))}${d.client_created_at ? ` · ${esc(t("queued_at"))} ${esc(fmtTime(d.client_created_at))}` : ""}${d.me_too_count ? ` · +${d.me_too_count} ${esc(t("me_too"))}` : ""}${d.reopened_count ? ` · ${d.reopened_count} ${esc(t("reopened_n"))}` : ""}</p>
        ${merged}${mergedHere}
        ${HueDetail.photosHtml(d.photos, d.resolution_photos)}
        <div class="d-map"><svg class="map map-close" id="detail-map" role="img" viewBox="0 0 100 62"></svg>
          <p class="small muted">${esc(d.area_name ? nm(d.area_name) : "—")} · ${d.latitude.toFixed(5)}, ${d.longitude.toFixed(5)}</p></div>
        <div class="d-grid">${triageHtml(d)}${routingHtml(d)}</div>
        ${HueDetail.healthHtml(d.health)}
        ${reporterHtml(d)}
        ${duplicatesHtml(d)}`;
    const timeline = `<h3 id="d-timeline">${esc(t("timeline"))}</h3>${HueDetail.timelineHtml(d.timeline, { staff: true })}`;
    if (busy) {
      detailEl.querySelector(".detail-head").innerHTML = head;
      detailEl.querySelector(".d-info").innerHTML = info;
      detailEl.querySelector(".d-timeline").innerHTML = timeline;
    } else {
      detailEl.innerHTML = `<div class="panel-head detail-head">${head}</div>
        <div class="detail-body"><div class="d-info">${info}</div><div class="d-actions">${actionsHtml(d)}</div>
        <section class="d-sec d-timeline" aria-labelledby="d-timeline">${timeline}</section></div>`;
    }
    detailEl.scrollTop = scroll;
    if (live) { detailEl.classList.remove("flash-detail"); void detailEl.offsetWidth; detailEl.classList.add("flash-detail"); }
    const extras = (d.photo_locations || []).map((p) => ({ latitude: p.latitude, longitude: p.longitude, cls: "pt-camera", label: `${t("camera_gps")} ${p.position + 1}` }));
    (d.duplicates || []).forEach((c) => { const k = reports.get(c.report_id); if (k) extras.push({ latitude: k.latitude, longitude: k.longitude, cls: "pt-dup", label: c.tracking_code }); });
    // Widths set through the CSSOM: the Content-Security-Policy refuses inline style attributes.
    detailEl.querySelectorAll(".prob-bar i[data-pct]").forEach((bar) => { bar.style.width = bar.dataset.pct + "%"; });
    HueDetail.drawCloseUp(detailEl.querySelector("#detail-map"), d, extras);
    markSelected(false);
  }
  // The queue keeps the list shape; the detail's extra fields stay in openDetail.
  function stripDetail(d) {
    const { timeline, duplicates, triage_scores, photo_locations, merged_reports, routing_rule, ...rest } = d;
    return rest;
  }

  detailEl.addEventListener("change", (ev) => { if (ev.target.tagName === "SELECT") ev.target.dataset.touched = "1"; });
  detailEl.addEventListener("click", async (ev) => {
    const el = ev.target.closest("button");
    if (!el || !openDetail) return;
    const d = openDetail;
    if (el.dataset.detail === "close") { closeDetail(); return; }
    if (el.dataset.open) { const id = Number(el.dataset.open); select(id, false); openReport(id, true); return; }
    if (el.dataset.act === "confirm") { confirmTriage(d); return; }
    if (el.dataset.mergeFrom) {
      const from = Number(el.dataset.mergeFrom), into = Number(el.dataset.mergeInto);
      await run(el, async () => {
        await api("POST", `/api/v1/ops/reports/${from}/merge/`, { into });
        // Stay on the report that lives on.
        if (from === d.id) { select(into, false); await openReport(into, false); } else await openReport(d.id, false);
      });
    }
  });
  detailEl.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const d = openDetail;
    if (!d || !form.dataset.form) return;
    const fd = new FormData(form);
    const base = `/api/v1/ops/reports/${d.id}/`;
    const btn = form.querySelector("button");
    await run(btn, async () => {
      let result;
      if (form.dataset.form === "override") result = await api("POST", base + "triage/", { category: fd.get("category"), urgency: fd.get("urgency") });
      else if (form.dataset.form === "assign") result = await api("POST", base + "assign/", { agency: fd.get("agency") });
      else if (form.dataset.form === "reject") result = await api("POST", base + "reject/", { reason: fd.get("reason") });
      else if (form.dataset.form === "note") result = await api("POST", base + "notes/", { note: fd.get("note") });
      else if (form.dataset.form === "health") result = await api("POST", base + "health/", { kind: fd.get("kind") });
      else if (form.dataset.form === "merge") result = await api("POST", base + "merge/", { into: await reportIdOf(String(fd.get("into"))) });
      form.reset();
      if (result && result.id === openId) renderDetail(result, false);
    });
  });

  /* A tracking code or a number (with or without #) -> the report's id. */
  async function reportIdOf(text) {
    const v = text.trim().replace(/^#/, "");
    if (/^\d+$/.test(v)) return Number(v);
    for (const r of reports.values()) if (r.tracking_code && r.tracking_code.toLowerCase() === v.toLowerCase()) return r.id;
    const found = await api("GET", `/api/v1/ops/reports/?status=${[...STATUSES].join("&status=")}&q=${encodeURIComponent(v)}&page_size=20`);
    const hit = (found.results || []).find((r) => r.tracking_code.toLowerCase() === v.toLowerCase());
    if (!hit) throw new Error(`${t("not_found_code")} ${v}`);
    return hit.id;
  }

  async function run(btn, fn) {
    if (btn) btn.disabled = true;
    try { await fn(); toast(t("done"), "ok"); }
    catch (e) { toast(`${t("failed")}: ${e.message}`, "error"); }
    finally { if (btn && btn.isConnected) btn.disabled = false; }
  }

  async function confirmTriage(r) {
    if (!actionable(r) || !r.category || !r.urgency) return;
    await run(null, async () => {
      const result = await api("POST", `/api/v1/ops/reports/${r.id}/triage/`, { category: r.category, urgency: r.urgency });
      if (result && result.id === openId) renderDetail(result, false);
    });
  }

  /* ---------- loading and live ---------- */
  async function loadQueue(reason, seq) {
    const fetched = await HueRT.fetchAll("/api/v1/ops/reports/?page_size=200&open=true", 5);
    if (reason !== "initial") {
      // A reload replaces what we had: anything not open any more drops out.
      const keep = new Set(fetched.map((r) => r.id));
      for (const [id, r] of reports) if (!keep.has(id) && (appliedSeq.get(id) || 0) <= seq) { reports.delete(id); appliedSeq.delete(id); renderReport({ ...r, status: "closed", open: false }, false); }
    }
    for (const r of fetched) {
      const known = appliedSeq.get(r.id);
      if (known !== undefined && known > seq) continue; // a newer live event already won
      appliedSeq.set(r.id, seq);
      reports.set(r.id, r);
      renderReport(r, false);
    }
    if (reason && reason !== "initial") { toast(t("reload_notice")); if (openId !== null) refreshOpen(); }
  }

  function onEvent(msg) {
    if (!msg.data || typeof msg.data.id !== "number") return;
    const before = reports.get(msg.data.id);
    const becameCritical = msg.data.urgency === "critical" && (!before || before.urgency !== "critical");
    const changed = upsert(msg.data, msg.seq, true);
    if (changed) addFeed(msg);
    if (changed && (msg.alert || becameCritical)) raiseAlert(msg);
    if (changed && openDetail && (msg.data.id === openId || (openDetail.duplicates || []).some((c) => c.report_id === msg.data.id))) refreshOpen();
  }

  async function loadReference() {
    try {
      [categories, agencies, areas] = await Promise.all([api("GET", "/api/v1/categories/"), api("GET", "/api/v1/agencies/"), api("GET", "/api/v1/areas/")]);
    } catch (e) { categories = []; agencies = []; areas = []; }
    try { healthKinds = (await api("GET", "/api/v1/epidemic/")).kinds || []; } catch (e) { healthKinds = []; }
    if (categories.results) categories = categories.results;
    if (agencies.results) agencies = agencies.results;
    if (areas.results) areas = areas.results;
    areas = [...areas].sort((a, b) => String(a.name).localeCompare(String(b.name), "vi"));
    renderFilterOptions();
    rerenderAll();
    renderCounters();
    if (openDetail) renderDetail(openDetail, false);
  }

  document.getElementById("zoom-city").addEventListener("click", () => { if (cityMap && cityMap.cityBox) setView(cityMap.cityBox); });
  document.getElementById("zoom-all").addEventListener("click", () => { if (cityMap) setView(cityMap.fullBox); });
  HueDetail.bindPhotos(detailEl);
  HueRT.onLang(() => {
    renderFilterOptions(); rerenderAll(); renderCounters(); renderSound(); renderFeed(); renderAlerts();
    points.forEach((c, id) => { const r = reports.get(id); if (r) renderPoint(r, false); });
    if (openDetail) renderDetail(openDetail, false);
  });
  renderSound();
  renderFilterOptions();
  setInterval(tick, 1000);
  setInterval(scheduleCounters, 30000);
  loadReference();
  drawMap().catch(() => {});
  const socket = new LiveSocket({ path: config.ws, heartbeat: config.heartbeat, onEvent, onSync: loadQueue });
  window.hueSocket = socket; // for operators' support and the browser tests
  socket.start();
})();
