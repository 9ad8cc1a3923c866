/* Agency board: this agency's tickets, live, with deadlines. A ticket's detail (the citizen's photos
 * and words, the map and a geo: link for directions, the deadline, the public timeline) with accept,
 * progress notes, resolve with an after-photo from the phone's camera, and return. Works at 390 px. */
(function () {
  "use strict";
  const { t, nm, api, toast, countdown, fmtTime, esc, LiveSocket } = HueRT;
  const config = HueRT.initPage();

  HueRT.addStrings({
    back: ["← Danh sách phiếu", "← All tickets"], deadline: ["Hạn xử lý", "Deadline"], details: ["Chi tiết", "Details"],
    progress_note: ["Ghi chú tiến độ (người dân sẽ thấy)", "Progress note (the citizen sees it)"],
    resolve_note: ["Đã làm gì (người dân sẽ thấy)", "What was done (the citizen sees it)"],
    after_photo_take: ["Ảnh sau xử lý (chụp bằng máy)", "After photo (take with the camera)"],
    return_reason: ["Lý do trả lại (không thuộc đơn vị)", "Why it is not ours"], ticket_gone: ["Phiếu này đã chuyển khỏi đơn vị.", "This ticket has left your agency."],
    resolved_ok: ["Đã báo hoàn thành", "Marked resolved"], citizen_rating: ["Người dân đánh giá", "Citizen's rating"],
    me_too: ["người cùng phản ánh", "me too"], category_area: ["Lĩnh vực · phường/xã", "Category · ward"],
    open_ticket: ["Mở phiếu", "Open ticket"], photos_chosen: ["ảnh đã chọn", "photos chosen"],
    epi_title: ["Ca nghi nhiễm theo phường", "Suspected cases by ward"], epi_7: ["7 ngày", "7 days"], epi_14: ["14 ngày", "14 days"],
    epi_ward: ["Phường/xã", "Ward"], epi_total: ["Tổng", "Total"], epi_none: ["Chưa có ca nghi nhiễm nào.", "No suspected cases."],
    epi_outside: ["Ngoài các phường", "Outside the wards"],
  });

  const RANK = { critical: 0, high: 1, normal: 2, low: 3 };
  const tickets = new Map();
  const appliedSeq = new Map();
  const cards = new Map();
  const resolvedToday = new Set();
  const list = document.getElementById("tickets");
  const detailEl = document.getElementById("detail");
  const layout = document.getElementById("agency-layout");
  let openId = null, openDetail = null, detailToken = 0;

  const agency = config.user && config.user.agency;
  function renderAgencyName() { document.getElementById("agency-name").textContent = agency ? nm({ vi: agency.name_vi, en: agency.name_en }) : ""; }

  // On the board: the tickets the agency still has to act on (open, and past the operators' stage).
  // On the board while the agency has something to do with it: the payload says what (outputs.py).
  const isOpen = (r) => r.open === true && (r.actions || []).length > 0;
  // The payload's `overdue` is as of the event; a deadline passing on screen since then counts too.
  const isOverdue = (r) => isOpen(r) && (r.overdue === true || (!!r.due_at && new Date(r.due_at) < new Date()));
  function cmp(a, b) {
    const da = a.due_at ? new Date(a.due_at).getTime() : Infinity, db = b.due_at ? new Date(b.due_at).getTime() : Infinity;
    if (da !== db) return da - db;
    const ua = RANK[a.urgency] ?? 4, ub = RANK[b.urgency] ?? 4;
    return ua - ub || a.id - b.id;
  }

  function cardHtml(r) {
    const cd = countdown(r.due_at);
    const photo = r.photos && r.photos.length ? `<img class="thumb" src="${esc(r.photos[0].thumbnail_url)}" alt="" width="72" height="72" loading="lazy">` : "";
    return `${photo}<div class="ticket-main">
      <div class="ticket-head"><span class="urg urg-${esc(r.urgency || "none")}">${esc(nm(r.urgency_name))}</span>
        <button type="button" class="linkish code" data-act="open" aria-label="${esc(t("open_ticket"))} ${esc(r.tracking_code)}">${esc(r.tracking_code)}</button> <span class="muted">#${r.id}</span>
        <span class="status status-${esc(r.status)}">${esc(nm(r.status_name))}</span></div>
      <div class="desc">${esc(r.description)}</div>
      <div class="muted small">${esc(nm(r.category_name))} · ${esc(r.area_name ? nm(r.area_name) : "—")} · ${esc(t("received"))} ${esc(fmtTime(r.created_at))}</div>
      </div>
      <div class="ticket-side"><div class="due ${cd.overdue ? "overdue" : cd.soon ? "soon" : ""}" data-due="${esc(r.due_at || "")}">${esc(cd.text)}</div></div>`;
  }

  function render(r, fresh) {
    let card = cards.get(r.id);
    if (!isOpen(r)) {
      if (card) { card.remove(); cards.delete(r.id); }
    } else {
      if (!card) {
        card = document.createElement("article");
        card.dataset.id = r.id;
        card.dataset.reportId = r.id;
        card.dataset.testid = "report-row";
        cards.set(r.id, card);
        if (fresh) { card.classList.add("flash"); setTimeout(() => card.classList.remove("flash"), 4000); }
      }
      card.className = `ticket urg-row-${r.urgency || "none"}${isOverdue(r) ? " is-overdue" : ""}${r.id === openId ? " is-open" : ""}${card.classList.contains("flash") ? " flash" : ""}`;
      card.innerHTML = cardHtml(r);
      let before = null;
      for (const other of list.children) {
        if (other === card) continue;
        const o = tickets.get(Number(other.dataset.id));
        if (o && cmp(r, o) < 0) { before = other; break; }
      }
      if (before) list.insertBefore(card, before); else list.appendChild(card);
    }
    document.getElementById("tickets-empty").hidden = list.children.length > 0;
    counters();
  }

  function counters() {
    let fresh = 0, work = 0, overdue = 0;
    for (const r of tickets.values()) {
      if ((r.actions || []).includes("accept")) fresh++;
      if ((r.actions || []).includes("resolve")) work++;
      if (isOverdue(r)) overdue++;
    }
    document.getElementById("a-new").textContent = fresh;
    document.getElementById("a-work").textContent = work;
    document.getElementById("a-overdue").textContent = overdue;
    document.getElementById("a-done").textContent = resolvedToday.size;
  }

  function upsert(r, seq, fresh) {
    const known = appliedSeq.get(r.id);
    if (known !== undefined && seq <= known) return false;
    appliedSeq.set(r.id, seq);
    if (r.status === "resolved") resolvedToday.add(r.id);
    tickets.set(r.id, r);
    render(r, fresh);
    return true;
  }

  function remove(id, seq) {
    appliedSeq.set(id, seq);
    const r = tickets.get(id);
    tickets.delete(id);
    if (r) render({ ...r, status: "gone", open: false }, false);
    if (id === openId) {
      detailEl.innerHTML = `<div class="panel-head"><h2 id="detail-title">${esc(r ? r.tracking_code : "#" + id)}</h2>${backBtn()}</div><p class="empty">${esc(t("ticket_gone"))}</p>`;
      openDetail = null;
    }
  }

  function onEvent(msg) {
    if (msg.type === "report.created" && msg.data && msg.data.category === "health_epidemic") loadEpidemic();
    if (msg.type === "report.removed") { remove(msg.data.id, msg.seq); return; }
    if (msg.data && typeof msg.data.id === "number" && upsert(msg.data, msg.seq, true) && msg.data.id === openId) refreshOpen();
  }

  async function load(reason, seq) {
    const fetched = await HueRT.fetchAll("/api/v1/agency/tickets/?page_size=200&open=true", 5);
    if (reason !== "initial") {
      const keep = new Set(fetched.map((r) => r.id));
      for (const id of [...tickets.keys()]) if (!keep.has(id) && (appliedSeq.get(id) || 0) <= seq) remove(id, seq);
    }
    for (const r of fetched) {
      const known = appliedSeq.get(r.id);
      if (known !== undefined && known > seq) continue;
      appliedSeq.set(r.id, seq);
      tickets.set(r.id, r);
      render(r, false);
    }
    if (openId !== null && reason !== "initial") refreshOpen();
  }

  /* ---------- the ticket's detail ---------- */
  const backBtn = () => `<button type="button" class="btn btn-back" data-act="back">${esc(t("back"))}</button>`;

  async function openTicket(id) {
    openId = id;
    const token = ++detailToken;
    layout.classList.add("has-detail");
    detailEl.hidden = false;
    cards.forEach((card, cid) => card.classList.toggle("is-open", cid === id));
    if (!openDetail || openDetail.id !== id) {
      const r = tickets.get(id);
      detailEl.innerHTML = `<div class="panel-head"><h2 id="detail-title">${esc(r ? r.tracking_code : "#" + id)}</h2>${backBtn()}</div><p class="muted detail-loading">…</p>`;
    }
    try {
      const data = await api("GET", `/api/v1/agency/tickets/${id}/`);
      if (token !== detailToken) return;
      renderDetail(data, false);
      detailEl.focus({ preventScroll: true });
      if (window.matchMedia("(max-width: 760px)").matches) window.scrollTo(0, 0);
    } catch (e) {
      if (token === detailToken) toast(`${t("failed")}: ${e.message}`, "error");
    }
  }

  function closeTicket() {
    openId = null; openDetail = null; detailToken++;
    detailEl.hidden = true;
    detailEl.innerHTML = "";
    layout.classList.remove("has-detail");
    cards.forEach((card) => card.classList.remove("is-open"));
  }

  const refreshOpen = HueDetail.liveRefresher({
    current: () => ({ id: openId, token: detailToken }),
    load: (id) => api("GET", `/api/v1/agency/tickets/${id}/`),
    render: (d) => renderDetail(d, true),
  });

  function actionsHtml(d) {
    const forms = [];
    const may = (action) => (d.actions || []).includes(action);  // the lifecycle's answer, from the payload
    if (may("accept")) {
      forms.push(`<button type="button" class="btn btn-primary btn-big" data-act="accept" data-testid="report-action-accept">${esc(t("accept"))}</button>`);
    }
    if (may("progress")) {
      forms.push(`<form class="act-form" data-form="progress"><label>${esc(t("progress_note"))}<textarea name="note" rows="2" required maxlength="4000"></textarea></label>
        <button class="btn btn-big" data-testid="report-action-progress">${esc(t("progress"))}</button></form>`);
      forms.push(`<form class="act-form act-resolve" data-form="resolve"><label>${esc(t("resolve_note"))}<textarea name="note" rows="2" required maxlength="4000"></textarea></label>
        <label class="file-label">${esc(t("after_photo_take"))}<input type="file" name="photos" accept="image/*" capture="environment" multiple data-testid="resolve-photos"></label>
        <ul class="photos photo-preview" aria-live="polite"></ul>
        <button class="btn btn-primary btn-big" data-testid="report-action-resolve">${esc(t("resolve"))}</button></form>`);
    }
    if (may("return")) {
      forms.push(`<form class="act-form" data-form="return"><label>${esc(t("return_reason"))}<textarea name="reason" rows="2" required maxlength="2000"></textarea></label>
        <button class="btn btn-danger btn-big" data-testid="report-action-return">${esc(t("return"))}</button></form>`);
    }
    return forms.length ? `<section class="d-sec" aria-labelledby="d-actions"><h3 id="d-actions">${esc(t("h_actions"))}</h3>${forms.join("")}</section>` : "";
  }

  function infoHtml(d, live) {
    const cd = countdown(d.due_at);
    return `${live ? `<p class="live-note" role="status">${esc(t("live_updated"))}</p>` : ""}
        <p class="ticket-status"><span class="status-pill status-${esc(d.status)}" data-testid="report-status">${esc(nm(d.status_name))}</span>
          <span class="big-due due ${cd.overdue ? "overdue" : cd.soon ? "soon" : ""}" data-due="${esc(d.due_at || "")}">${esc(cd.text)}</span></p>
        <p class="small muted">${esc(t("deadline"))}: ${esc(d.due_at ? fmtTime(d.due_at) : "—")} · ${esc(t("received"))} ${esc(fmtTime(d.created_at))}${d.me_too_count ? ` · +${d.me_too_count} ${esc(t("me_too"))}` : ""}</p>
        <p class="d-desc">${esc(d.description)}</p>
        <p class="small">${esc(nm(d.category_name))} · ${esc(d.area_name ? nm(d.area_name) : "—")}</p>
        ${HueDetail.healthHtml(d.health)}
        ${HueDetail.photosHtml(d.photos, d.resolution_photos)}
        <div class="d-map"><svg class="map map-close" id="detail-map" role="img" viewBox="0 0 100 62"></svg></div>
        <p><a class="btn btn-big btn-geo" href="${esc(HueDetail.geoLink(d))}" data-testid="ticket-directions"><svg class="pin-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2a7 7 0 0 0-7 7c0 5 7 13 7 13s7-8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z" fill="currentColor"/></svg>${esc(t("directions"))}</a>
          <span class="small muted">${d.latitude.toFixed(5)}, ${d.longitude.toFixed(5)}</span></p>
        ${d.rating_stars ? `<p class="small"><span class="muted">${esc(t("citizen_rating"))}:</span> ${"★".repeat(d.rating_stars)}${"☆".repeat(5 - d.rating_stars)} ${esc(d.rating_comment || "")}</p>` : ""}`;
  }

  function renderDetail(d, live) {
    if (HueDetail.isStale(openDetail, d)) return;
    const same = openDetail && openDetail.id === d.id;
    // While the status stays, the action forms are left alone: a note being typed, or a photo whose
    // camera is still open (its input must stay the one in the page), survives a live refresh.
    const keepForms = same && openDetail.status === d.status && detailEl.querySelector(".d-actions");
    const kept = {};
    if (same && !keepForms) detailEl.querySelectorAll(".act-form textarea").forEach((el) => { kept[el.closest("form").dataset.form] = el.value; });
    openDetail = d;
    detailEl.dataset.reportId = d.id;
    const head = `<h2 id="detail-title"><span class="urg urg-${esc(d.urgency || "none")}">${esc(nm(d.urgency_name))}</span> ${esc(d.tracking_code)}</h2>${backBtn()}`;
    const timeline = `<h3 id="d-timeline">${esc(t("timeline"))}</h3>${HueDetail.timelineHtml(d.timeline, { staff: false })}`;
    if (keepForms) {
      detailEl.querySelector(".detail-head").innerHTML = head;
      detailEl.querySelector(".d-info").innerHTML = infoHtml(d, live);
      detailEl.querySelector(".d-timeline").innerHTML = timeline;
    } else {
      detailEl.innerHTML = `<div class="panel-head detail-head">${head}</div>
        <div class="detail-body"><div class="d-info">${infoHtml(d, live)}</div><div class="d-actions">${actionsHtml(d)}</div>
        <section class="d-sec d-timeline" aria-labelledby="d-timeline">${timeline}</section></div>`;
      Object.entries(kept).forEach(([form, value]) => { const el = detailEl.querySelector(`form[data-form="${form}"] textarea`); if (el) el.value = value; });
    }
    if (live) { detailEl.classList.remove("flash-detail"); void detailEl.offsetWidth; detailEl.classList.add("flash-detail"); }
    HueDetail.drawCloseUp(detailEl.querySelector("#detail-map"), d, []);
  }

  function showPreview(input) {
    const box = input.closest("form").querySelector(".photo-preview");
    box.innerHTML = [...input.files].slice(0, 5).map((f) => `<li><img src="${esc(URL.createObjectURL(f))}" alt="${esc(f.name)}" width="72" height="72" class="thumb"></li>`).join("");
  }

  detailEl.addEventListener("change", (ev) => { if (ev.target.type === "file") showPreview(ev.target); });
  detailEl.addEventListener("click", async (ev) => {
    const btn = ev.target.closest("button[data-act]");
    if (!btn) return;
    if (btn.dataset.act === "back") { if (location.hash) history.back(); else closeTicket(); return; }
    if (btn.dataset.act === "accept" && openDetail) {
      const id = openDetail.id;
      await run(btn, async () => { const d = await api("POST", `/api/v1/agency/tickets/${id}/accept/`, {}); if (id === openId) renderDetail(d, false); });
    }
  });
  detailEl.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = ev.target, d = openDetail;
    if (!d) return;
    const fd = new FormData(form);
    const base = `/api/v1/agency/tickets/${d.id}/`;
    await run(form.querySelector("button"), async () => {
      if (form.dataset.form === "progress") renderDetail(await api("POST", base + "progress/", { note: fd.get("note") }), false);
      else if (form.dataset.form === "resolve") {
        const body = new FormData();
        body.append("note", fd.get("note"));
        fd.getAll("photos").filter((f) => f && f.size).slice(0, 5).forEach((f) => body.append("photos", f));
        renderDetail(await api("POST", base + "resolve/", body), false);
        resolvedToday.add(d.id);
      } else if (form.dataset.form === "return") {
        await api("POST", base + "return/", { reason: fd.get("reason") });
        remove(d.id, appliedSeq.get(d.id) || 0);
      }
    });
  });

  async function run(btn, fn) {
    if (btn) btn.disabled = true;
    try { await fn(); toast(t("done"), "ok"); }
    catch (e) { toast(`${t("failed")}: ${e.message}`, "error"); }
    finally { if (btn && btn.isConnected) btn.disabled = false; }
  }

  /* The ticket open is in the address (#t123): the phone's back button returns to the list. */
  function fromHash() {
    const m = location.hash.match(/^#t(\d+)$/);
    if (m) openTicket(Number(m[1])); else if (openId !== null) closeTicket();
  }
  window.addEventListener("hashchange", fromHash);
  list.addEventListener("click", (ev) => {
    const card = ev.target.closest("article");
    if (!card) return;
    const id = Number(card.dataset.id);
    if (location.hash === `#t${id}`) openTicket(id); else location.hash = `t${id}`;
  });

  setInterval(() => {
    const now = Date.now();
    document.querySelectorAll(".due[data-due]").forEach((el) => {
      const cd = countdown(el.dataset.due, now);
      el.textContent = cd.text;
      el.classList.toggle("overdue", cd.overdue);
      el.classList.toggle("soon", !!cd.soon);
      const card = el.closest("article");
      if (card) card.classList.toggle("is-overdue", cd.overdue);
    });
  }, 1000);

  HueDetail.bindPhotos(detailEl);
  HueRT.onLang(() => { renderAgencyName(); [...tickets.values()].forEach((r) => render(r, false)); if (openDetail) renderDetail(openDetail, false); renderEpidemic(); });
  renderAgencyName();
  /* Suspected cases by ward and day (backend/epidemic): the health agency's panel, refreshed with the
   * board and every minute. Only an agency that may hold health reports is shown it (the API agrees). */
  const epidemicPanel = document.getElementById("epidemic");
  let epiDays = 7, epiData = null;
  function renderEpidemic() {
    const d = epiData;
    if (!d) return;
    const day = (iso) => iso.slice(8, 10) + "/" + iso.slice(5, 7);
    const cells = (counts) => counts.map((n) => `<td class="${n > 0 ? "hot" : ""}">${n}</td>`).join("");
    const rows = d.wards.filter((w) => w.total > 0).map((w) => `<tr data-ward="${esc(w.code)}"><td>${esc(w.name)}</td>${cells(w.counts)}<td>${w.total}</td></tr>`);
    if (d.outside_wards.some((n) => n > 0)) rows.push(`<tr><td>${esc(t("epi_outside"))}</td>${cells(d.outside_wards)}<td>${d.outside_wards.reduce((a, b) => a + b, 0)}</td></tr>`);
    const title = d.disease ? `${t("epi_title")} — ${nm(d.disease)}` : t("epi_title");
    document.getElementById("epi-title").textContent = title;
    document.getElementById("epi-table").innerHTML = rows.length ? `<table data-testid="epidemic-table">
      <thead><tr><th scope="col">${esc(t("epi_ward"))}</th>${d.dates.map((x) => `<th scope="col">${esc(day(x))}</th>`).join("")}<th scope="col">${esc(t("epi_total"))}</th></tr></thead>
      <tbody>${rows.join("")}</tbody>
      <tfoot><tr><td>${esc(t("epi_total"))}</td>${d.per_day.map((n) => `<td>${n}</td>`).join("")}<td>${d.total}</td></tr></tfoot></table>`
      : `<p class="empty">${esc(t("epi_none"))}</p>`;
  }
  async function loadEpidemic() {
    if (!(agency && agency.reads_health_figures)) return;
    try {
      epiData = await api("GET", `/api/v1/agency/epidemic/cases/?days=${epiDays}`);
      epidemicPanel.hidden = false;
      renderEpidemic();
    } catch (e) { /* keep the last figures; the next refresh tries again */ }
  }
  epidemicPanel.querySelectorAll("[data-days]").forEach((button) => button.addEventListener("click", () => {
    epiDays = Number(button.dataset.days);
    epidemicPanel.querySelectorAll("[data-days]").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
    loadEpidemic();
  }));
  setInterval(loadEpidemic, 60000);

  const socket = new LiveSocket({ path: config.ws, heartbeat: config.heartbeat, onEvent, onSync: async (reason, seq) => { await load(reason, seq); loadEpidemic(); if (reason === "initial") fromHash(); } });
  window.hueSocket = socket;
  socket.start();
})();
