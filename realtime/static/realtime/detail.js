/* Pieces of a report's detail shared by the operators' workbench, the agency board and the citizen's
 * app: photos (thumbnail, then full size), the timeline, the close-up map, the geo: link. */
(function () {
  "use strict";
  const { t, nm, esc, fmtTime } = HueRT;

  HueRT.addStrings({
    photos_before: ["Ảnh phản ánh", "Report photos"], photos_after: ["Ảnh sau xử lý", "After photos"],
    no_photos: ["Không có ảnh", "No photos"], photo_n: ["Ảnh", "Photo"], timeline: ["Diễn biến", "Timeline"],
    internal: ["nội bộ", "internal"], directions: ["Chỉ đường (mở bản đồ)", "Directions (open maps)"],
    close: ["Đóng", "Close"], position: ["Vị trí", "Position"], camera_gps: ["vị trí máy ảnh", "camera position"],
    system: ["hệ thống", "system"], live_updated: ["Vừa được cập nhật", "Just updated"],
    st_submitted: ["Đã gửi", "Submitted"], st_triaged: ["Đã phân loại", "Triaged"], st_needs_review: ["Chờ kiểm duyệt", "Needs review"],
    st_assigned: ["Đã chuyển đơn vị", "Assigned"], st_accepted: ["Đơn vị đã tiếp nhận", "Accepted"], st_in_progress: ["Đang xử lý", "In progress"],
    st_resolved: ["Đã xử lý", "Resolved"], st_closed: ["Đã đóng", "Closed"], st_rejected: ["Từ chối", "Rejected"],
    st_returned: ["Đơn vị trả lại", "Returned"], st_merged: ["Đã gộp", "Merged"], st_reopened: ["Mở lại", "Reopened"],
    health_h: ["Thông tin y tế", "Health details"], health_kind_guessed: ["đoán từ nội dung, cần xác nhận", "guessed from the text, to be confirmed"],
    health_symptoms: ["Triệu chứng", "Symptoms"], health_onset: ["Khởi phát", "Onset"], health_people: ["Số người", "People"],
    health_disease: ["Đợt dịch", "Epidemic period"],
  });
  const statusName = (code) => (code ? t("st_" + code) : "");

  /* Thumbnails that open the full-size photo; the after-photos beside the report's own photos. */
  function photosHtml(before, after) {
    const one = (p, i, label) => `<li><button type="button" class="photo-btn" data-full="${esc(p.url)}" data-label="${esc(label)} ${i + 1}">
        <img data-testid="report-photo" src="${esc(p.thumbnail_url)}" alt="${esc(label)} ${i + 1}" width="96" height="96" loading="lazy"></button></li>`;
    const col = (list, key) => `<div class="photo-col"><h3>${esc(t(key))}</h3>${list && list.length
      ? `<ul class="photos">${list.map((p, i) => one(p, i, t(key))).join("")}</ul>`
      : `<p class="muted small">${esc(t("no_photos"))}</p>`}</div>`;
    const hasAfter = after && after.length;
    return `<div class="photo-cols${hasAfter ? " has-after" : ""}">${col(before, "photos_before")}${hasAfter ? col(after, "photos_after") : ""}</div>`;
  }

  /* A health report's kind and answers (the API's `health`, null for every other report). */
  function healthHtml(h) {
    if (!h) return "";
    const row = (key, value) => (value === null || value === undefined || value === "" ? "" : `<dt>${esc(t(key))}</dt><dd>${esc(value)}</dd>`);
    const symptoms = (h.symptoms || []).map((s) => nm(s.name)).join(", ");
    return `<section class="d-sec" aria-labelledby="d-health" data-testid="report-health"><h3 id="d-health">${esc(t("health_h"))}</h3>
      <p><strong data-testid="report-health-kind">${esc(nm(h.kind_name))}</strong>${h.kind_given ? "" : ` <span class="tag">${esc(t("health_kind_guessed"))}</span>`}</p>
      <dl class="small">${row("health_symptoms", symptoms)}${row("health_onset", h.onset_date)}${row("health_people", h.people_count)}${row("health_disease", h.disease ? nm(h.disease) : "")}</dl></section>`;
  }

  /* Clicking a thumbnail shows the full photo in the page's photo dialog. */
  function bindPhotos(root) {
    root.addEventListener("click", (ev) => {
      const btn = ev.target.closest(".photo-btn");
      if (!btn || !root.contains(btn)) return;
      const dialog = document.getElementById("photo-dialog");
      const img = document.getElementById("photo-full");
      if (!dialog || !img) { window.open(btn.dataset.full, "_blank", "noopener"); return; }
      img.src = btn.dataset.full;
      img.alt = btn.dataset.label || "";
      dialog.showModal();
    });
  }

  function valueText(v) {
    if (v === null || v === undefined || v === "") return "";
    if (typeof v !== "object") return String(v);
    return Object.entries(v).filter(([, x]) => x !== null && x !== "" && !(Array.isArray(x) && !x.length)).map(([k, x]) => `${k}: ${typeof x === "object" && x !== null ? JSON.stringify(x) : x}`).join(", ");
  }

  /* The report's history, oldest first. Staff entries carry actor, values and the internal flag. */
  function timelineHtml(entries, opts) {
    const staff = opts && opts.staff;
    const items = (entries || []).map((e) => {
      const change = staff && (e.old_value || e.new_value)
        ? `<div class="tl-values small">${e.old_value ? `<s>${esc(valueText(e.old_value))}</s> → ` : ""}${esc(valueText(e.new_value))}</div>` : "";
      const who = staff ? ` · ${esc(e.actor || t("system"))}${e.actor_role ? " (" + esc(e.actor_role) + ")" : ""}` : "";
      const internal = staff && e.is_public === false ? ` <span class="tag tag-internal">${esc(t("internal"))}</span>` : "";
      return `<li class="tl-item tl-${esc(e.kind)}"><div class="tl-head"><strong>${esc(nm(e.kind_name))}</strong>${internal}
        <time class="muted small" datetime="${esc(e.at)}">${esc(fmtTime(e.at))}</time></div>
        <div class="muted small">${esc(statusName(e.status))}${who}</div>${change}
        ${e.note ? `<div class="tl-note">${esc(e.note)}</div>` : ""}</li>`;
    });
    return `<ol class="timeline" data-testid="report-timeline">${items.join("")}</ol>`;
  }

  /* The report's point on its ward (and neighbours), plus extra points (camera GPS, duplicates). */
  async function drawCloseUp(svg, report, extras) {
    try {
      const map = await HueMap.load();
      HueMap.draw(svg, map, { highlight: report.area });
      const box = HueMap.focusBox(map, report.longitude, report.latitude, report.area, 0.62);
      svg.setAttribute("viewBox", box.map((v) => v.toFixed(2)).join(" "));
      const unit = box[2] / (svg.clientWidth || 360);
      svg.style.setProperty("--pt-stroke", (1.5 * unit).toFixed(3) + "px");
      const points = svg.querySelector(".map-points");
      (extras || []).forEach((p) => {
        const [x, y] = map.project(p.longitude, p.latitude);
        const c = HueMap.marker(points, x, y, 4 * unit, "pt " + (p.cls || "pt-extra"));
        const title = HueMap.el("title"); title.textContent = p.label || ""; c.appendChild(title);
      });
      const [x, y] = map.project(report.longitude, report.latitude);
      const main = HueMap.marker(points, x, y, 6.5 * unit, `pt pt-${report.urgency || "none"} pt-main`);
      const title = HueMap.el("title"); title.textContent = report.tracking_code || ""; main.appendChild(title);
      svg.setAttribute("aria-label", `${t("position")}: ${report.latitude.toFixed(5)}, ${report.longitude.toFixed(5)}${report.area_name ? " — " + nm(report.area_name) : ""}`);
    } catch (e) {
      svg.outerHTML = `<p class="muted small">${esc(report.latitude.toFixed(5))}, ${esc(report.longitude.toFixed(5))}</p>`;
    }
  }

  /* RFC 5870 geo: URI, which phones open in their maps app for directions. */
  function geoLink(r) {
    const lat = r.latitude.toFixed(6), lon = r.longitude.toFixed(6);
    return `geo:${lat},${lon}?q=${lat},${lon}(${encodeURIComponent(r.tracking_code || "")})`;
  }

  /* Answers to requests sent at different times can arrive out of order (a live refresh sent before an
   * action, answered after it): a detail older than the one shown must not replace it. */
  function isStale(shown, incoming) {
    return Boolean(shown && shown.id === incoming.id && Date.parse(incoming.updated_at) < Date.parse(shown.updated_at));
  }

  /* The open detail, reloaded in place when an event says it changed: events that come in a burst make
   * one request (150 ms later), and an answer for a detail closed or replaced meanwhile is dropped.
   * current() gives { id, token } (the token changes whenever another detail is opened or closed). */
  function liveRefresher({ current, load, render }) {
    let timer = null;
    return function refresh() {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const asked = current();
        if (asked.id === null) return;
        try {
          const data = await load(asked.id);
          const now = current();
          if (now.id === asked.id && now.token === asked.token) render(data);
        } catch (e) { /* gone (returned, reassigned) or unreachable: the next event or resync tries again */ }
      }, 150);
    };
  }

  window.HueDetail = { statusName, photosHtml, healthHtml, bindPhotos, timelineHtml, drawCloseUp, geoLink, isStale, liveRefresher };
})();
