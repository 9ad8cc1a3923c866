/* The citizens' web app (/app/): a reference client of the mobile API.
 *
 * OTP login by phone -> a device token (kept on this device). Compose a report with photos and the
 * browser's position (or a pin on the ward map); it goes to the outbox (outbox.js) and is sent with
 * its Idempotency-Key until the server has it. My reports; one report's detail with its public
 * timeline, live over /ws/reports/{id}/; rating and reopening after resolution. Vietnamese first,
 * English toggle. Views are addressed by the hash (#/login, #/new, #/reports, #/reports/12). */
(function () {
  "use strict";
  const { t, nm, esc, fmtTime, countdown, toast, LiveSocket } = HueRT;
  const config = HueRT.initPage();

  HueRT.addStrings({
    nav_new: ["Gửi phản ánh", "New report"], nav_mine: ["Của tôi", "My reports"],
    offline_banner: ["Bạn đang ngoại tuyến. Phản ánh sẽ được lưu trên máy và tự gửi khi có mạng.", "You are offline. Reports are kept on this device and sent when the network is back."],
    login_h: ["Đăng nhập bằng số điện thoại", "Sign in with your phone number"],
    login_p: ["Chúng tôi gửi mã xác thực 6 số qua tin nhắn. Số Việt Nam hoặc số quốc tế (+33…).", "We text you a 6-digit code. Vietnamese or international numbers (+33…)."],
    phone: ["Số điện thoại", "Phone number"], otp_send: ["Nhận mã", "Send me a code"], otp_code: ["Mã xác thực (6 số)", "Code (6 digits)"],
    otp_again: ["Đổi số / gửi lại mã", "Change number / resend"], otp_sent: ["Đã gửi mã tới", "Code sent to"],
    new_h: ["Phản ánh mới", "New report"], c_desc: ["Mô tả sự việc", "What is wrong?"],
    c_desc_ph: ["Ví dụ: Ổ gà lớn giữa đường Lê Lợi, trước số 12", "e.g. A large pothole on Le Loi street, in front of no. 12"],
    c_photos: ["Ảnh (tối đa 5)", "Photos (up to 5)"], c_where: ["Vị trí", "Where"], c_pos_none: ["Chưa có vị trí.", "No position yet."],
    c_locate: ["Dùng vị trí hiện tại", "Use my position"], c_pick: ["Chọn trên bản đồ", "Pick on the map"],
    c_map_help: ["Chạm vào bản đồ để đặt vị trí sự việc.", "Tap the map where the problem is."],
    c_category: ["Lĩnh vực (không bắt buộc)", "Category (optional)"], c_category_none: ["— Để hệ thống tự phân loại —", "— Let the system decide —"],
    c_anon: ["Gửi ẩn danh (không công khai tên và số điện thoại)", "Send anonymously (name and phone never published)"],
    c_submit: ["Gửi phản ánh", "Send report"], c_locating: ["Đang lấy vị trí…", "Finding your position…"],
    c_pos_gps: ["Vị trí hiện tại", "Your position"], c_pos_pin: ["Vị trí đã chọn trên bản đồ", "Position picked on the map"],
    c_pos_denied: ["Không lấy được vị trí. Hãy chạm vào bản đồ để chọn.", "Position unavailable. Tap the map to pick it."],
    c_need_desc: ["Hãy mô tả sự việc.", "Please describe the problem."], c_need_pos: ["Hãy cho biết vị trí.", "Please give the position."],
    c_too_many: ["Tối đa 5 ảnh.", "At most 5 photos."], c_queued: ["Đã lưu, đang gửi…", "Saved, sending…"], remove: ["Bỏ", "Remove"],
    list_h: ["Phản ánh của tôi", "My reports"], mine_empty: ["Bạn chưa gửi phản ánh nào.", "You have not sent any report yet."],
    pending_h: ["Đang chờ gửi", "Waiting to be sent"], pending_retry: ["sẽ tự gửi lại", "will retry by itself"],
    pending_failed: ["Không gửi được", "Could not be sent"], discard: ["Xoá", "Discard"], attempts: ["lần thử", "tries"],
    sent_ok: ["Đã gửi. Mã theo dõi", "Sent. Tracking code"], deadline: ["Hạn xử lý", "Deadline"], agency_h: ["Đơn vị xử lý", "Handled by"],
    back_list: ["← Phản ánh của tôi", "← My reports"], tracking: ["Mã theo dõi", "Tracking code"],
    rate_h: ["Đánh giá kết quả xử lý", "Rate the result"], stars: ["sao", "stars"], comment: ["Nhận xét (không bắt buộc)", "Comment (optional)"],
    rate: ["Gửi đánh giá", "Send rating"], reopen_h: ["Chưa được xử lý xong?", "Not fixed?"], reopen_reason: ["Điều gì còn chưa ổn?", "What is still wrong?"],
    reopen: ["Mở lại phản ánh", "Reopen the report"], rated: ["Bạn đã đánh giá", "You rated"], thanks: ["Cảm ơn bạn!", "Thank you!"],
    expired: ["Phiên đăng nhập đã hết, hãy đăng nhập lại.", "Your session ended; please sign in again."],
    merged_note: ["Phản ánh đã được gộp vào", "This report was merged into"], not_yet: ["chưa có", "not yet"],
    loading: ["Đang tải…", "Loading…"],
  });

  const TOKEN = "hue.citizen.token", USER = "hue.citizen.user", PHONE = "hue.citizen.phone", CACHE = "hue.citizen.mine";
  const token = () => localStorage.getItem(TOKEN);
  const userId = () => Number(localStorage.getItem(USER)) || null;
  const views = ["login", "new", "list", "detail"].reduce((m, v) => { m[v] = document.getElementById("v-" + v); return m; }, {});
  let socket = null, detailId = null, detail = null, categories = [];

  /* ---------- REST with the device token ---------- */
  async function call(method, url, body) {
    const headers = { Accept: "application/json", "Accept-Language": HueRT.lang() };
    if (token()) headers.Authorization = "Token " + token();
    let payload;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
    let res;
    try { res = await fetch(url, { method, headers, body: payload, credentials: "omit" }); }
    catch (e) { networkSeen(false); throw e; }
    networkSeen(true);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (res.status === 401 && token()) { signedOut(true); }
    if (!res.ok) {
      const err = new Error((data && data.error && data.error.message) || `${res.status}`);
      err.status = res.status; err.data = data;
      throw err;
    }
    return data;
  }

  function signedOut(expired) {
    localStorage.removeItem(TOKEN);
    if (socket) { socket.stop(); socket = null; }
    if (expired) toast(t("expired"), "error");
    location.hash = "#/login";
  }

  /* ---------- router ---------- */
  function route() {
    const hash = location.hash || "#/new";
    const signedIn = !!token();
    document.getElementById("app-nav").hidden = !signedIn;
    document.getElementById("logout").hidden = !signedIn;
    if (socket && !hash.startsWith("#/reports/")) { socket.stop(); socket = null; detailId = null; detail = null; }
    document.getElementById("conn").hidden = !hash.startsWith("#/reports/");
    let view;
    if (!signedIn) { view = "login"; if (hash !== "#/login") { location.replace("#/login"); } }
    else if (hash === "#/reports") { view = "list"; showList(); }
    else if (hash.match(/^#\/reports\/\d+$/)) { view = "detail"; showDetail(Number(hash.split("/")[2])); }
    else if (hash === "#/login") { location.replace("#/new"); return; }
    else { view = "new"; showCompose(); }
    Object.entries(views).forEach(([name, el]) => { el.hidden = name !== view; });
    document.querySelectorAll("[data-nav]").forEach((a) => {
      const on = (a.dataset.nav === "new" && view === "new") || (a.dataset.nav === "reports" && (view === "list" || view === "detail"));
      if (on) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
  }
  window.addEventListener("hashchange", route);

  /* ---------- login ---------- */
  const phoneForm = document.getElementById("otp-phone-form"), codeForm = document.getElementById("otp-code-form");
  const loginError = document.getElementById("login-error");
  let phoneSent = "";
  phoneForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    loginError.textContent = "";
    const phone = document.getElementById("otp-phone").value.trim();
    const btn = phoneForm.querySelector("button");
    btn.disabled = true;
    try {
      const data = await call("POST", "/api/v1/auth/otp/request/", { phone });
      phoneSent = data.phone;
      document.getElementById("otp-sent-to").textContent = `${t("otp_sent")} ${data.phone}`;
      phoneForm.hidden = true; codeForm.hidden = false;
      document.getElementById("otp-code").focus();
    } catch (e) { loginError.textContent = e.message; }
    finally { btn.disabled = false; }
  });
  codeForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    loginError.textContent = "";
    const btn = codeForm.querySelector("button");
    btn.disabled = true;
    try {
      const data = await call("POST", "/api/v1/auth/otp/verify/", { phone: phoneSent, code: document.getElementById("otp-code").value.trim(), device: "web" });
      localStorage.setItem(TOKEN, data.token);
      localStorage.setItem(USER, String(data.user_id));
      localStorage.setItem(PHONE, phoneSent);
      codeForm.reset(); codeForm.hidden = true; phoneForm.hidden = false;
      location.hash = "#/new";
      HueOutbox.flush();
    } catch (e) { loginError.textContent = e.message; }
    finally { btn.disabled = false; }
  });
  document.getElementById("otp-again").addEventListener("click", () => { codeForm.hidden = true; phoneForm.hidden = false; document.getElementById("otp-phone").focus(); });
  document.getElementById("logout").addEventListener("click", async () => {
    try { await call("POST", "/api/v1/auth/logout/"); } catch (e) { /* offline: the token is forgotten here anyway */ }
    localStorage.removeItem(CACHE);
    signedOut(false);
  });

  /* ---------- compose ---------- */
  const compose = document.getElementById("compose");
  const photoInput = document.getElementById("c-photos");
  const composeError = document.getElementById("compose-error");
  let chosen = [], position = null, pickMap = null, askedPosition = false;

  function renderPreviews() {
    const box = document.getElementById("c-previews");
    box.innerHTML = chosen.map((f, i) => `<li><img class="thumb" src="${esc(URL.createObjectURL(f))}" alt="${esc(f.name)}" width="72" height="72">
      <button type="button" class="btn btn-small" data-remove="${i}" aria-label="${esc(t("remove"))} ${esc(f.name)}">✕</button></li>`).join("");
  }
  photoInput.addEventListener("change", () => {
    chosen = [...chosen, ...photoInput.files];
    if (chosen.length > 5) { chosen = chosen.slice(0, 5); toast(t("c_too_many"), "error"); }
    photoInput.value = "";
    renderPreviews();
  });
  document.getElementById("c-previews").addEventListener("click", (ev) => {
    const btn = ev.target.closest("[data-remove]");
    if (btn) { chosen.splice(Number(btn.dataset.remove), 1); renderPreviews(); }
  });

  function setPosition(lat, lon, how) {
    position = { latitude: lat, longitude: lon, how };
    const text = document.getElementById("c-pos-text");
    text.dataset.i18n = "";
    text.textContent = `${t(how === "gps" ? "c_pos_gps" : "c_pos_pin")}: ${lat.toFixed(5)}, ${lon.toFixed(5)}`;
    if (pickMap) drawPin();
  }
  function locate() {
    const text = document.getElementById("c-pos-text");
    if (!navigator.geolocation) { showPicker(true); return; }
    text.textContent = t("c_locating");
    navigator.geolocation.getCurrentPosition(
      (pos) => setPosition(pos.coords.latitude, pos.coords.longitude, "gps"),
      () => { if (!position) { text.textContent = t("c_pos_denied"); } showPicker(true); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }
  async function showPicker(focus) {
    document.getElementById("c-map-box").hidden = false;
    const svg = document.getElementById("c-map");
    if (!pickMap) {
      try { pickMap = await HueMap.load(); } catch (e) { return; }
      HueMap.draw(svg, pickMap, { labels: true });
      svg.querySelectorAll(".ward-label").forEach((el) => { el.style.display = "none"; });
      setPickView(pickMap.cityBox || pickMap.fullBox);
      svg.addEventListener("click", (ev) => {
        const [lon, lat] = HueMap.eventLonLat(svg, pickMap, ev);
        setPosition(lat, lon, "pin");
      });
    }
    drawPin();
    if (focus) svg.scrollIntoView({ block: "nearest" });
  }
  function setPickView(box) {
    const svg = document.getElementById("c-map");
    svg.setAttribute("viewBox", box.map((v) => v.toFixed(1)).join(" "));
    svg.dataset.unit = String(box[2] / (svg.clientWidth || 360));
    drawPin();
  }
  function drawPin() {
    const svg = document.getElementById("c-map");
    const group = svg.querySelector(".map-points");
    if (!group || !pickMap) return;
    group.innerHTML = "";
    if (!position) return;
    const unit = Number(svg.dataset.unit) || 1;
    const [x, y] = pickMap.project(position.longitude, position.latitude);
    HueMap.marker(group, x, y, 7 * unit, "pt pt-pin");
  }
  document.getElementById("c-locate").addEventListener("click", locate);
  document.getElementById("c-pick").addEventListener("click", () => showPicker(true));
  document.getElementById("c-zoom-city").addEventListener("click", () => pickMap && setPickView(pickMap.cityBox || pickMap.fullBox));
  document.getElementById("c-zoom-all").addEventListener("click", () => pickMap && setPickView(pickMap.fullBox));

  async function loadCategories() {
    try { categories = await call("GET", "/api/v1/categories/"); } catch (e) { categories = []; }
    renderCategories();
  }
  function renderCategories() {
    const sel = document.getElementById("c-category");
    const keep = sel.value;
    sel.innerHTML = `<option value="">${esc(t("c_category_none"))}</option>` +
      (categories.results || categories).map((c) => `<option value="${esc(c.code)}">${esc(nm({ vi: c.name_vi, en: c.name_en }))}</option>`).join("");
    sel.value = keep;
  }

  function showCompose() {
    if (!askedPosition) { askedPosition = true; locate(); }
    if (!categories.length) loadCategories();
  }

  compose.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    composeError.textContent = "";
    const description = document.getElementById("c-desc").value.trim();
    if (!description) { composeError.textContent = t("c_need_desc"); document.getElementById("c-desc").focus(); return; }
    if (!position) { composeError.textContent = t("c_need_pos"); showPicker(true); return; }
    await HueOutbox.add({
      user: userId(), description, latitude: position.latitude, longitude: position.longitude,
      category: document.getElementById("c-category").value, anonymous: document.getElementById("c-anon").checked, photos: chosen,
    });
    compose.reset();
    chosen = []; renderPreviews();
    toast(t("c_queued"));
    location.hash = "#/reports";
  });

  /* ---------- my reports ---------- */
  function statusPill(r) { return `<span class="status-pill status-${esc(r.status)}" data-testid="report-status">${esc(nm(r.status_name))}</span>`; }
  function dueText(r) {
    if (!r.due_at || ["resolved", "closed", "rejected", "merged"].includes(r.status)) return "";
    const cd = countdown(r.due_at);
    return `<span class="due ${cd.overdue ? "overdue" : ""}">${esc(t("deadline"))}: ${esc(fmtTime(r.due_at))} (${esc(cd.text)})</span>`;
  }
  function rowHtml(r) {
    const thumb = r.photos && r.photos.length ? `<img class="thumb" src="${esc(r.photos[0].thumbnail_url)}" alt="" width="64" height="64" loading="lazy">` : "";
    return `<li data-testid="report-row" data-report-id="${r.id}"><a class="my-item" href="#/reports/${r.id}">${thumb}
      <span class="my-main"><span class="my-head"><span class="code" data-testid="report-tracking-code">${esc(r.tracking_code)}</span> ${statusPill(r)}</span>
      <span class="desc">${esc(r.description)}</span>
      <span class="small muted">${esc(fmtTime(r.created_at))}${r.category_name ? " · " + esc(nm(r.category_name)) : ""}</span>
      <span class="small">${dueText(r)}</span></span></a></li>`;
  }
  function renderMine(list) {
    document.getElementById("mine").innerHTML = list.map(rowHtml).join("");
    document.getElementById("mine-empty").hidden = list.length > 0 || document.getElementById("pending").children.length > 0;
  }
  async function renderPending() {
    const items = (await HueOutbox.list()).filter((i) => !i.user || i.user === userId());
    const box = document.getElementById("pending");
    box.innerHTML = items.length ? `<li class="pending-head"><h3>${esc(t("pending_h"))}</h3></li>` + items.map((i) => `
      <li class="pending ${i.failed ? "is-failed" : ""}" data-testid="report-pending" data-key="${esc(i.key)}"><div>
        <span class="desc">${esc(i.description)}</span>
        <span class="small muted">${esc(fmtTime(i.client_created_at))} · ${i.photos.length} ${esc(t("photos"))} · ${i.tries} ${esc(t("attempts"))}</span>
        <span class="small ${i.failed ? "error" : "muted"}">${i.failed ? `${esc(t("pending_failed"))}: ${esc(i.failed.message)}` : esc(t("pending_retry"))}</span></div>
        ${i.failed ? `<button type="button" class="btn btn-small" data-discard="${esc(i.key)}">${esc(t("discard"))}</button>` : ""}</li>`).join("") : "";
  }
  async function showList() {
    await renderPending();
    const cached = JSON.parse(localStorage.getItem(CACHE) || "null");
    if (cached) renderMine(cached);
    try {
      const data = await call("GET", "/api/v1/reports/mine/?page_size=50");
      const list = data.results || data;
      localStorage.setItem(CACHE, JSON.stringify(list));
      if (location.hash === "#/reports") renderMine(list);
    } catch (e) { if (!cached) renderMine([]); }
  }
  document.getElementById("pending").addEventListener("click", async (ev) => {
    const btn = ev.target.closest("[data-discard]");
    if (btn) { await HueOutbox.remove(btn.dataset.discard); renderPending(); }
  });

  /* ---------- one report, live ---------- */
  const detailEl = views.detail;
  function hasRated(d) { return (d.timeline || []).some((e) => e.kind === "rated"); }
  function followupHtml(d) {
    const parts = [];
    if (d.rating_stars) {
      parts.push(`<p class="card-sub" data-testid="report-rating"><span class="muted">${esc(t("rated"))}:</span> <span aria-label="${d.rating_stars} ${esc(t("stars"))}">${"★".repeat(d.rating_stars)}${"☆".repeat(5 - d.rating_stars)}</span>${d.rating_comment ? ` ${esc(d.rating_comment)}` : ""}</p>`);
    }
    if (["resolved", "closed"].includes(d.status) && !hasRated(d)) {
      parts.push(`<form class="act-form card-sub" data-form="rate"><fieldset class="stars"><legend>${esc(t("rate_h"))}</legend>
        ${[1, 2, 3, 4, 5].map((n) => `<label class="star"><input type="radio" name="stars" value="${n}" required><span>${"★".repeat(n)}</span><span class="sr-only">${n} ${esc(t("stars"))}</span></label>`).join("")}
        </fieldset><label>${esc(t("comment"))}<textarea name="comment" rows="2" maxlength="2000"></textarea></label>
        <button class="btn btn-primary btn-big" data-testid="report-action-rate">${esc(t("rate"))}</button></form>`);
    }
    if (["resolved", "closed"].includes(d.status)) {
      parts.push(`<form class="act-form card-sub" data-form="reopen"><h3>${esc(t("reopen_h"))}</h3><label>${esc(t("reopen_reason"))}<textarea name="reason" rows="2" required maxlength="2000"></textarea></label>
        <button class="btn btn-big" data-testid="report-action-reopen">${esc(t("reopen"))}</button></form>`);
    }
    return parts.join("");
  }
  function renderDetail(d, live) {
    const typing = detailEl.contains(document.activeElement) && document.activeElement.tagName === "TEXTAREA";
    const kept = {};
    detailEl.querySelectorAll(".act-form textarea").forEach((el) => { kept[el.closest("form").dataset.form] = el.value; });
    detail = d;
    detailEl.innerHTML = `
      <p><a href="#/reports" class="back-link">${esc(t("back_list"))}</a></p>
      <article class="card" data-testid="report-detail" data-report-id="${d.id}">
        <h2 id="detail-title"><span class="muted small">${esc(t("tracking"))}</span> <span class="code" data-testid="report-tracking-code">${esc(d.tracking_code)}</span></h2>
        <p class="detail-status">${statusPill(d)} ${dueText(d)}</p>
        ${live ? `<p class="live-note" role="status">${esc(t("live_updated"))}</p>` : ""}
        ${d.merged_into ? `<p class="small">${esc(t("merged_note"))} ${esc(d.merged_into)}</p>` : ""}
        <p class="d-desc">${esc(d.description)}</p>
        <p class="small muted">${esc(fmtTime(d.created_at))}${d.category_name ? " · " + esc(nm(d.category_name)) : ""}${d.area_name ? " · " + esc(nm(d.area_name)) : ""}</p>
        <p class="small"><span class="muted">${esc(t("agency_h"))}:</span> ${esc(d.agency_name ? nm(d.agency_name) : t("not_yet"))}</p>
        ${HueDetail.photosHtml(d.photos, d.resolution_photos)}
        <div class="d-map"><svg class="map map-close" id="detail-map" role="img" viewBox="0 0 100 62"></svg></div>
        ${followupHtml(d)}
        <section class="d-sec" aria-labelledby="d-timeline"><h3 id="d-timeline">${esc(t("timeline"))}</h3>${HueDetail.timelineHtml(d.timeline, { staff: false })}</section>
      </article>`;
    Object.entries(kept).forEach(([form, value]) => { const el = detailEl.querySelector(`form[data-form="${form}"] textarea`); if (el) { el.value = value; if (typing) el.focus(); } });
    HueDetail.drawCloseUp(detailEl.querySelector("#detail-map"), d, []);
  }
  async function loadDetail(live) {
    const id = detailId;
    try {
      const d = await call("GET", `/api/v1/reports/${id}/`);
      if (id === detailId) renderDetail(d, live);
    } catch (e) {
      if (id === detailId && !detail) detailEl.innerHTML = `<p><a href="#/reports" class="back-link">${esc(t("back_list"))}</a></p><p class="error">${esc(e.message)}</p>`;
    }
  }
  function showDetail(id) {
    if (detailId === id && socket) return;
    if (socket) socket.stop();
    detailId = id; detail = null;
    detailEl.innerHTML = `<p><a href="#/reports" class="back-link">${esc(t("back_list"))}</a></p><p class="muted">${esc(t("loading"))}</p>`;
    // Subscribe first, then load (the socket's first "hello" triggers the load): no change is missed.
    socket = new LiveSocket({
      path: config.ws.replace("<int:report_id>", String(id)), heartbeat: config.heartbeat, token: token(),
      onEvent: (msg) => { if (msg.data && msg.data.id === id) { if (detail) renderDetail({ ...detail, ...msg.data }, true); loadDetail(true); } },
      onSync: () => loadDetail(false),
      onAuthFail: (code) => { if (code === 4401) signedOut(true); },
    });
    socket.start();
  }
  detailEl.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = ev.target, fd = new FormData(form), id = detailId;
    const btn = form.querySelector("button");
    btn.disabled = true;
    try {
      let d;
      if (form.dataset.form === "rate") d = await call("POST", `/api/v1/reports/${id}/rating/`, { stars: Number(fd.get("stars")), comment: fd.get("comment") || "" });
      else d = await call("POST", `/api/v1/reports/${id}/reopen/`, { reason: fd.get("reason") });
      form.reset();
      toast(t("thanks"), "ok");
      if (id === detailId) renderDetail(d, false);
    } catch (e) { toast(`${t("failed")}: ${e.message}`, "error"); }
    finally { if (btn.isConnected) btn.disabled = false; }
  });
  HueDetail.bindPhotos(detailEl);

  /* ---------- outbox, network, language ---------- */
  // navigator.onLine only knows whether there is a network link, not whether the server answers (a
  // phone on a dead cell or behind a captive portal says "online"): the last request's fate counts too.
  let unreachable = false;
  function renderOnline() { document.getElementById("offline-banner").hidden = navigator.onLine && !unreachable; }
  function networkSeen(answered) { unreachable = !answered; renderOnline(); }
  window.addEventListener("online", renderOnline);
  window.addEventListener("offline", renderOnline);
  HueOutbox.start({
    token, user: userId, onNetwork: networkSeen,
    onSent: (item, report) => {
      toast(`${t("sent_ok")}: ${report.tracking_code}`, "ok");
      if (location.hash === "#/reports") showList();
    },
    onAuth: () => signedOut(true),
    onChange: () => { if (location.hash === "#/reports") renderPending(); },
  });
  HueRT.onLang(() => {
    renderCategories();
    if (position) setPosition(position.latitude, position.longitude, position.how);
    if (location.hash === "#/reports") showList();
    if (detail) renderDetail(detail, false);
  });
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).catch(() => {});
  renderOnline();
  route();
  window.hueApp = { outbox: HueOutbox, socket: () => socket }; // for support and the browser tests
})();
