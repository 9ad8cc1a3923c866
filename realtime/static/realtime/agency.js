/* Agency board: this agency's tickets, live, with deadlines; accept, progress, resolve with photo, return. */
(function () {
  "use strict";
  const { t, nm, api, toast, countdown, fmtTime, esc, LiveSocket } = HueRT;
  const config = HueRT.initPage();

  const OPEN = new Set(["assigned", "accepted", "in_progress", "reopened"]);
  const RANK = { critical: 0, high: 1, normal: 2, low: 3 };
  const tickets = new Map();
  const appliedSeq = new Map();
  const cards = new Map();
  const resolvedToday = new Set();
  const list = document.getElementById("tickets");

  const agency = config.user && config.user.agency;
  function renderAgencyName() { document.getElementById("agency-name").textContent = agency ? nm({ vi: agency.name_vi, en: agency.name_en }) : ""; }

  function isOverdue(r) { return OPEN.has(r.status) && r.due_at && new Date(r.due_at) < new Date(); }
  function cmp(a, b) {
    const da = a.due_at ? new Date(a.due_at).getTime() : Infinity, db = b.due_at ? new Date(b.due_at).getTime() : Infinity;
    if (da !== db) return da - db;
    const ua = RANK[a.urgency] ?? 4, ub = RANK[b.urgency] ?? 4;
    return ua - ub || a.id - b.id;
  }

  function actionsFor(r) {
    const out = [];
    if (r.status === "assigned" || r.status === "reopened") out.push(["accept", "btn-primary"]);
    if (r.status === "accepted" || r.status === "in_progress") out.push(["progress", ""], ["resolve", "btn-primary"]);
    if (["assigned", "accepted", "in_progress", "reopened"].includes(r.status)) out.push(["return", "btn-danger"]);
    return out.map(([a, cls]) => `<button class="btn btn-small ${cls}" data-act="${a}">${esc(t(a))}</button>`).join(" ");
  }

  function cardHtml(r) {
    const cd = countdown(r.due_at);
    const photo = r.photos && r.photos.length ? `<img class="thumb" src="${esc(r.photos[0].thumbnail_url)}" alt="" loading="lazy">` : "";
    return `${photo}<div class="ticket-main">
      <div class="ticket-head"><span class="urg urg-${esc(r.urgency || "none")}">${esc(nm(r.urgency_name))}</span>
        <span class="code">${esc(r.tracking_code)}</span> <span class="muted">#${r.id}</span>
        <span class="status status-${esc(r.status)}">${esc(nm(r.status_name))}</span></div>
      <div class="desc">${esc(r.description)}</div>
      <div class="muted small">${esc(nm(r.category_name))} · ${esc(r.area_name ? nm(r.area_name) : "—")} · ${esc(t("received"))} ${esc(fmtTime(r.created_at))}</div>
      </div>
      <div class="ticket-side"><div class="due ${cd.overdue ? "overdue" : cd.soon ? "soon" : ""}" data-due="${esc(r.due_at || "")}">${esc(cd.text)}</div>
      <div class="actions">${actionsFor(r)}</div></div>`;
  }

  function render(r, fresh) {
    let card = cards.get(r.id);
    if (!OPEN.has(r.status)) {
      if (card) { card.remove(); cards.delete(r.id); }
    } else {
      if (!card) {
        card = document.createElement("article");
        card.dataset.id = r.id;
        cards.set(r.id, card);
        if (fresh) { card.classList.add("flash"); setTimeout(() => card.classList.remove("flash"), 4000); }
      }
      card.className = `ticket urg-row-${r.urgency || "none"}${isOverdue(r) ? " is-overdue" : ""}${card.classList.contains("flash") ? " flash" : ""}`;
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
      if (r.status === "assigned" || r.status === "reopened") fresh++;
      if (r.status === "accepted" || r.status === "in_progress") work++;
      if (isOverdue(r)) overdue++;
    }
    document.getElementById("a-new").textContent = fresh;
    document.getElementById("a-work").textContent = work;
    document.getElementById("a-overdue").textContent = overdue;
    document.getElementById("a-done").textContent = resolvedToday.size;
  }

  function upsert(r, seq, fresh) {
    const known = appliedSeq.get(r.id);
    if (known !== undefined && seq <= known) return;
    appliedSeq.set(r.id, seq);
    if (r.status === "resolved") resolvedToday.add(r.id);
    tickets.set(r.id, r);
    render(r, fresh);
  }

  function remove(id, seq) {
    appliedSeq.set(id, seq);
    const r = tickets.get(id);
    tickets.delete(id);
    if (r) render({ ...r, status: "gone" }, false);
  }

  function onEvent(msg) {
    if (msg.type === "report.removed") { remove(msg.data.id, msg.seq); return; }
    if (msg.data && typeof msg.data.id === "number") upsert(msg.data, msg.seq, true);
  }

  async function load(reason, seq) {
    const fetched = await HueRT.fetchAll("/api/v1/agency/tickets/?page_size=200", 5);
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
  }

  const dialog = document.getElementById("action-dialog");
  function openDialog(title, html, onOk) {
    document.getElementById("action-title").textContent = title;
    document.getElementById("action-body").innerHTML = html;
    dialog.returnValue = "";
    dialog.onclose = async () => {
      if (dialog.returnValue !== "ok") return;
      try { await onOk(new FormData(document.getElementById("action-form"))); toast(t("done"), "ok"); }
      catch (e) { toast(`${t("failed")}: ${e.message}`, "error"); }
    };
    dialog.showModal();
  }

  async function act(kind, r) {
    const base = `/api/v1/agency/tickets/${r.id}/`;
    if (kind === "accept") {
      try { await api("POST", base + "accept/", {}); toast(t("done"), "ok"); } catch (e) { toast(`${t("failed")}: ${e.message}`, "error"); }
    } else if (kind === "progress") {
      openDialog(`${t("progress")} — ${r.tracking_code}`, `<label>${esc(t("note"))}<textarea name="note" rows="3" required></textarea></label>`,
        async (fd) => api("POST", base + "progress/", { note: fd.get("note") }));
    } else if (kind === "resolve") {
      openDialog(`${t("resolve")} — ${r.tracking_code}`,
        `<label>${esc(t("note"))}<textarea name="note" rows="3" required></textarea></label>
         <label>${esc(t("after_photo"))}<input type="file" name="photos" accept="image/jpeg,image/png,image/webp,image/heic" multiple></label>`,
        async (fd) => {
          const body = new FormData();
          body.append("note", fd.get("note"));
          fd.getAll("photos").filter((f) => f && f.size).slice(0, 5).forEach((f) => body.append("photos", f));
          return api("POST", base + "resolve/", body);
        });
    } else if (kind === "return") {
      openDialog(`${t("return")} — ${r.tracking_code}`, `<label>${esc(t("reason"))}<textarea name="reason" rows="3" required></textarea></label>`,
        async (fd) => api("POST", base + "return/", { reason: fd.get("reason") }));
    }
  }

  list.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-act]");
    if (!btn) return;
    const r = tickets.get(Number(btn.closest("article").dataset.id));
    if (r) act(btn.dataset.act, r);
  });

  setInterval(() => {
    const now = Date.now();
    list.querySelectorAll(".due").forEach((el) => {
      const cd = countdown(el.dataset.due, now);
      el.textContent = cd.text;
      el.classList.toggle("overdue", cd.overdue);
      el.classList.toggle("soon", !!cd.soon);
      el.closest("article").classList.toggle("is-overdue", cd.overdue);
    });
  }, 1000);

  HueRT.onLang(() => { renderAgencyName(); [...tickets.values()].forEach((r) => render(r, false)); });
  renderAgencyName();
  const socket = new LiveSocket({ path: config.ws, heartbeat: config.heartbeat, onEvent, onSync: load });
  window.hueSocket = socket;
  socket.start();
})();
