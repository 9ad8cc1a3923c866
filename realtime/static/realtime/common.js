/* Shared by the staff pages: language (Vietnamese first, English toggle), REST calls with the session
 * and CSRF token, and a websocket that survives network drops (backoff with jitter, heartbeat
 * watchdog, resume from the last seq seen). Plain JS, no build, no CDN. */
(function () {
  "use strict";

  const I18N = {
    brand_ops: ["Trung tâm Giám sát Điều hành Huế", "Huế Intelligent Operations Centre"],
    brand_agency: ["Phiếu xử lý của đơn vị", "Agency tickets"],
    connecting: ["Đang kết nối…", "Connecting…"],
    live: ["Trực tuyến", "Live"],
    reconnecting: ["Mất kết nối, đang thử lại…", "Offline, reconnecting…"],
    resyncing: ["Đang đồng bộ…", "Catching up…"],
    logout: ["Đăng xuất", "Sign out"],
    login_title: ["Đăng nhập cán bộ", "Staff sign-in"],
    login_hint: ["Dành cho điều hành viên IOC và cán bộ đơn vị xử lý.", "For IOC operators and agency staff."],
    login_error: ["Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password."],
    username: ["Tên đăng nhập", "Username"], password: ["Mật khẩu", "Password"], login: ["Đăng nhập", "Sign in"],
    sound_on: ["Âm báo: bật", "Sound: on"], sound_off: ["Âm báo: tắt", "Sound: off"],
    unassigned: ["Chưa giao", "Unassigned"], activity: ["Hoạt động gần đây", "Recent activity"],
    zoom_city: ["Nội thành", "City centre"], zoom_all: ["Toàn tỉnh", "Whole city"],
    ch_created: ["Phản ánh mới", "New report"], ch_triage_confirmed: ["Xác nhận phân loại", "Triage confirmed"],
    ch_triage_override: ["Sửa phân loại", "Triage corrected"], ch_assigned: ["Chuyển đơn vị", "Assigned"],
    ch_rejected: ["Từ chối", "Rejected"], ch_merged: ["Gộp", "Merged"], ch_me_too: ["Thêm người cùng phản ánh", "Me too"],
    ch_note: ["Ghi chú nội bộ", "Internal note"], ch_accepted: ["Đơn vị tiếp nhận", "Accepted"],
    ch_progress: ["Cập nhật tiến độ", "Progress"], ch_resolved: ["Đã xử lý", "Resolved"], ch_returned: ["Đơn vị trả lại", "Returned"],
    ch_rated: ["Người dân đánh giá", "Rated"], ch_reopened: ["Mở lại", "Reopened"], ch_overdue: ["Quá hạn", "Overdue"],
    ch_closed: ["Đã đóng", "Closed"],
    c_today: ["Mới hôm nay", "New today"], c_review: ["Chờ kiểm duyệt", "Awaiting review"],
    c_overdue: ["Quá hạn", "Overdue"], c_open: ["Đang mở", "Open"], c_agency: ["Theo đơn vị", "Per agency"],
    queue: ["Hàng đợi phản ánh", "Report queue"], only_review: ["Chỉ chờ duyệt", "Review only"],
    h_urgency: ["Mức độ", "Urgency"], h_report: ["Phản ánh", "Report"], h_category: ["Lĩnh vực", "Category"],
    h_conf: ["Tin cậy", "Confidence"], h_ward: ["Phường/xã", "Ward"], h_agency: ["Đơn vị", "Agency"],
    h_due: ["Hạn xử lý", "Deadline"], h_actions: ["Thao tác", "Actions"],
    queue_empty: ["Chưa có phản ánh nào đang chờ.", "Nothing waiting."],
    map: ["Bản đồ 40 phường, xã", "Map of the 40 wards and communes"],
    u_critical: ["Khẩn cấp", "Critical"], u_high: ["Cao", "High"], u_normal: ["Bình thường", "Normal"], u_low: ["Thấp", "Low"],
    confirm: ["Xác nhận", "Confirm"], override: ["Sửa", "Override"], assign: ["Chuyển", "Assign"],
    reject: ["Từ chối", "Reject"], merge: ["Gộp", "Merge"], cancel: ["Huỷ", "Cancel"], save: ["Lưu", "Save"],
    category: ["Lĩnh vực", "Category"], urgency: ["Mức độ khẩn", "Urgency"], agency: ["Đơn vị xử lý", "Agency"],
    reason: ["Lý do", "Reason"], merge_into: ["Gộp vào phản ánh số (ID)", "Merge into report (ID)"],
    overdue_by: ["Quá hạn", "Overdue"], left: ["còn", "left"], no_deadline: ["—", "—"],
    review: ["Cần duyệt", "Review"], photos: ["ảnh", "photos"], reporter: ["Người gửi", "Reporter"],
    anonymous: ["ẩn danh", "anonymous"], done: ["Đã lưu", "Saved"], failed: ["Không thực hiện được", "Failed"],
    critical_alert: ["KHẨN CẤP", "CRITICAL"], dismiss: ["Đã biết", "Dismiss"], overdue_alert: ["QUÁ HẠN", "OVERDUE"],
    reload_notice: ["Đã tải lại dữ liệu.", "Data reloaded."],
    a_new: ["Chờ tiếp nhận", "To accept"], a_work: ["Đang xử lý", "In progress"], a_done: ["Đã xử lý hôm nay", "Resolved today"],
    tickets: ["Phiếu của đơn vị", "Our tickets"], tickets_empty: ["Không có phiếu nào đang mở.", "No open tickets."],
    accept: ["Tiếp nhận", "Accept"], progress: ["Cập nhật tiến độ", "Progress note"], resolve: ["Hoàn thành", "Resolve"],
    return: ["Trả lại", "Return"], note: ["Nội dung", "Note"], after_photo: ["Ảnh sau xử lý", "After photo"],
    ticket_left: ["Phiếu đã chuyển khỏi đơn vị", "Ticket moved away"], received: ["Nhận lúc", "Received"],
  };

  // Pages add their own words (HueRT.addStrings) so one toggle and one lookup serve them all.
  function addStrings(more) {
    Object.assign(I18N, more);
    applyI18n(); // scripts sit at the end of <body>: the page is there to translate
  }

  let lang = localStorage.getItem("hue.lang") === "en" ? "en" : "vi";
  const t = (key) => (I18N[key] ? I18N[key][lang === "en" ? 1 : 0] : key);
  const nm = (obj) => (obj ? (lang === "en" ? obj.en || obj.vi : obj.vi || obj.en) : "—");
  const listeners = [];

  function applyI18n(root) {
    (root || document).querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    (root || document).querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    (root || document).querySelectorAll("[data-i18n-label]").forEach((el) => { el.setAttribute("aria-label", t(el.dataset.i18nLabel)); });
    document.documentElement.lang = lang;
    const toggle = document.getElementById("lang-toggle");
    if (toggle) toggle.textContent = lang === "vi" ? "EN" : "VI";
  }

  function setLang(next) {
    lang = next;
    localStorage.setItem("hue.lang", lang);
    applyI18n();
    listeners.forEach((fn) => fn(lang));
  }

  function initLangOnly() {
    applyI18n();
    const toggle = document.getElementById("lang-toggle");
    if (toggle) toggle.addEventListener("click", () => setLang(lang === "vi" ? "en" : "vi"));
  }

  /* For search: lower case, no diacritics ("Ngập nước" and "ngap nuoc" match), đ -> d, like the
   * server's duplicates.fold. */
  function fold(text) {
    return String(text || "").toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }

  function cookie(name) {
    const m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }

  async function api(method, url, body) {
    const headers = { "Accept": "application/json", "Accept-Language": lang, "X-CSRFToken": cookie("csrftoken") };
    let payload;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
    const res = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) {
      const err = new Error((data && data.error && data.error.message) || res.status + " " + res.statusText);
      err.status = res.status;
      err.data = data;
      throw err;
    }
    return data;
  }

  function toast(text, kind) {
    const el = document.getElementById("toast");
    if (!el) return;
    el.textContent = text;
    el.className = "toast " + (kind || "");
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { el.hidden = true; }, 3500);
  }

  function setConn(state) {
    const el = document.getElementById("conn");
    if (!el) return;
    el.className = "conn conn-" + state;
    const label = { live: "live", connecting: "connecting", offline: "reconnecting", resync: "resyncing" }[state];
    const text = document.getElementById("conn-text");
    text.dataset.i18n = label;
    text.textContent = t(label);
    document.body.dataset.conn = state;
  }

  /* Deadline countdown: "còn 2 giờ 05 phút" / "Quá hạn 3 giờ". */
  function countdown(dueIso, now) {
    if (!dueIso) return { text: t("no_deadline"), overdue: false };
    const ms = new Date(dueIso).getTime() - (now || Date.now());
    const abs = Math.abs(ms);
    const d = Math.floor(abs / 86400000), h = Math.floor((abs % 86400000) / 3600000), m = Math.floor((abs % 3600000) / 60000);
    const s = Math.floor((abs % 60000) / 1000);
    let span;
    if (d > 0) span = lang === "en" ? `${d}d ${h}h` : `${d} ngày ${h} giờ`;
    else if (h > 0) span = lang === "en" ? `${h}h ${String(m).padStart(2, "0")}m` : `${h} giờ ${String(m).padStart(2, "0")} phút`;
    else span = lang === "en" ? `${m}m ${String(s).padStart(2, "0")}s` : `${m} phút ${String(s).padStart(2, "0")} giây`;
    return ms < 0 ? { text: `${t("overdue_by")} ${span}`, overdue: true } : { text: `${t("left")} ${span}`, overdue: false, soon: ms < 3600000 };
  }

  function fmtTime(iso) {
    if (!iso) return "";
    const parts = {};
    new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", hour12: false })
      .formatToParts(new Date(iso)).forEach((p) => { parts[p.type] = p.value; });
    return `${parts.hour}:${parts.minute} ${parts.day}/${parts.month}`;
  }

  function fmtClock(iso) {
    return new Date(iso).toLocaleTimeString(lang === "en" ? "en-GB" : "vi-VN", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  /* A socket that never gives up and never loses an event.
   * - first connect: `hello.seq` is where the log stands; the page then loads state over REST;
   * - every reconnect: `?after=<last seq seen>`, the server replays what was missed, then live;
   * - `reload`: the gap is too old for the log, so the page reloads its state over REST;
   * - no message for 2.5 heartbeats: the connection is dead even if the browser has not noticed;
   * - reconnect delay: full jitter over an exponential backoff (0.5 s .. 30 s), so a city's worth of
   *   dashboards coming back after an outage do not all knock at the same moment. */
  class LiveSocket {
    constructor(opts) {
      this.path = opts.path;
      this.heartbeat = (opts.heartbeat || 20) * 1000;
      this.onEvent = opts.onEvent;
      this.onSync = opts.onSync; // (reason, seq) -> Promise: load full state
      // A device token (the citizen's app) goes in the first message, not the URL (no token in logs).
      this.token = opts.token || null;
      this.onAuthFail = opts.onAuthFail || (() => { location.href = "/dashboard/login/?next=" + encodeURIComponent(location.pathname); });
      this.lastSeq = null;
      this.attempt = 0;
      this.seen = new Set();
      this.ws = null;
      this.timer = null;
      this.stopped = false;
      window.addEventListener("online", () => this.kick());
    }
    url() {
      const proto = location.protocol === "https:" ? "wss:" : "ws:";
      const q = this.lastSeq === null ? "" : `?after=${this.lastSeq}`;
      return `${proto}//${location.host}${this.path}${q}`;
    }
    start() {
      this.stopped = false;
      this.open();
    }
    stop() {
      this.stopped = true;
      clearTimeout(this.timer); clearTimeout(this.retryTimer);
      const ws = this.ws;
      this.ws = null;
      if (ws) { ws.onclose = null; ws.onmessage = null; try { ws.close(); } catch (e) { /* closed */ } }
    }
    open() {
      clearTimeout(this.retryTimer);
      setConn(this.attempt ? "offline" : "connecting");
      let ws;
      try { ws = new WebSocket(this.url()); } catch (e) { this.retry(); return; }
      this.ws = ws;
      ws.onmessage = (ev) => this.message(ev.data);
      if (this.token) ws.onopen = () => ws.send(JSON.stringify({ type: "auth", token: this.token }));
      ws.onclose = (ev) => {
        if (this.ws !== ws) return;
        this.ws = null;
        clearTimeout(this.timer);
        if (ev.code === 4401 || ev.code === 4403) { this.stopped = true; setConn("offline"); this.onAuthFail(ev.code); return; }
        this.retry();
      };
      ws.onerror = () => { /* onclose follows */ };
      this.watch();
    }
    watch() {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => { if (this.ws) { try { this.ws.close(); } catch (e) { /* already */ } this.drop(); } }, this.heartbeat * 2.5);
    }
    drop() {
      const ws = this.ws;
      this.ws = null;
      if (ws) { ws.onclose = null; ws.onmessage = null; }
      this.retry();
    }
    kick() {
      if (!this.ws && !this.stopped) { this.attempt = Math.max(this.attempt, 1); this.open(); }
    }
    retry() {
      if (this.stopped) return;
      setConn("offline");
      this.attempt += 1;
      const cap = Math.min(30000, 500 * Math.pow(2, this.attempt));
      const delay = 250 + Math.random() * cap;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.open(), delay);
    }
    async message(raw) {
      this.watch();
      let msg;
      try { msg = JSON.parse(raw); } catch (e) { return; }
      switch (msg.type) {
        case "hello":
          this.attempt = 0;
          if (this.lastSeq === null) {
            // First connect: subscribed already, now load the state (subscribe before load).
            this.lastSeq = msg.seq;
            setConn("resync");
            await this.sync("initial", msg.seq);
          } else {
            setConn("resync");
          }
          if (this.lastSeq !== null && !this.awaitingResume()) setConn("live");
          return;
        case "resumed":
          setConn("live");
          return;
        case "reload":
          setConn("resync");
          this.lastSeq = Math.max(this.lastSeq || 0, msg.seq);
          await this.sync(msg.data && msg.data.reason, msg.seq);
          setConn("live");
          return;
        case "heartbeat": case "pong": case "error":
          return;
        default:
          if (typeof msg.seq !== "number" || this.seen.has(msg.seq)) return;
          this.seen.add(msg.seq);
          if (this.seen.size > 20000) this.seen = new Set([...this.seen].slice(-10000));
          this.lastSeq = Math.max(this.lastSeq || 0, msg.seq);
          this.onEvent(msg);
      }
    }
    awaitingResume() { return this.ws && this.ws.url.indexOf("after=") >= 0; }
    async sync(reason, seq) {
      try { await this.onSync(reason, seq); } catch (e) { toast(t("failed") + ": " + e.message, "error"); }
    }
  }

  // Every row of a paginated list (the queue endpoints use cursor pages), up to maxPages pages.
  async function fetchAll(url, maxPages) {
    const rows = [];
    for (let page = 0; url && page < maxPages; page++) {
      const data = await api("GET", url);
      rows.push(...(data.results || []));
      url = data.next;
    }
    return rows;
  }

  function initPage() {
    initLangOnly();
    const el = document.getElementById("page-config");
    return el ? JSON.parse(el.textContent) : {};
  }

  window.HueRT = {
    t, nm, api, fetchAll, toast, countdown, fmtTime, fmtClock, esc, fold, addStrings, LiveSocket, initPage, initLangOnly,
    onLang: (fn) => listeners.push(fn), lang: () => lang, setConn, applyI18n,
  };
})();
