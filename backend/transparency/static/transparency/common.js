/* Shared by the public pages: language (Vietnamese first, English toggle, kept in localStorage),
   escaping, dates in Huế time, and JSON fetches. No framework, no CDN. */
(function () {
  "use strict";
  const T = {
    vi: {
      brand: "Huế – Thông tin công khai", nav_public: "Công khai", nav_track: "Tra cứu phản ánh",
      footer: "Dữ liệu ẩn danh. Đường dây nóng IOC: 0234 1022. Cấp cứu 115 · Cứu hỏa 114 · Công an 113.",
      warnings: "Cảnh báo đang hiệu lực", no_warnings: "Hiện không có cảnh báo nào.", loading: "Đang tải…",
      map: "Bản đồ phản ánh gần đây", open: "Đang xử lý", done: "Đã xử lý", reports: "phản ánh",
      assistant: "Hỏi trợ lý", ask: "Hỏi", ask_ph: "Ví dụ: ổ gà trên đường báo cho ai?", source: "Nguồn",
      ranking: "Kết quả xử lý của các đơn vị", agency: "Đơn vị", received: "Tiếp nhận", resolved: "Đã xử lý",
      on_time: "Đúng hạn", median: "Trung vị (giờ)", satisfaction: "Hài lòng", chart_on_time: "Tỷ lệ xử lý đúng hạn",
      chart_satisfaction: "Mức hài lòng (1–5 sao)", factchecks: "Kiểm chứng tin đồn", search: "Tìm",
      fc_ph: "Tìm tin đồn (có dấu hoặc không dấu)", no_factchecks: "Không có kết luận nào khớp.",
      sightings: "lượt phản ánh", until: "đến", error: "Không tải được dữ liệu, đang thử lại…",
      track_title: "Tra cứu phản ánh", track: "Tra cứu", overdue: "Quá hạn", deadline: "Hạn xử lý",
      next: "Bước tiếp theo", timeline: "Quá trình xử lý", live: "Tự cập nhật", not_found: "Không tìm thấy phản ánh với mã này.",
      withheld: "(không công khai)", updated: "cập nhật lúc",
    },
    en: {
      brand: "Huế – Public information", nav_public: "Public", nav_track: "Track a report",
      footer: "Anonymised data. IOC hotline: 0234 1022. Ambulance 115 · Fire 114 · Police 113.",
      warnings: "Active warnings", no_warnings: "No warnings at the moment.", loading: "Loading…",
      map: "Recent reports on the map", open: "Being handled", done: "Resolved", reports: "reports",
      assistant: "Ask the assistant", ask: "Ask", ask_ph: "e.g. who handles potholes?", source: "Source",
      ranking: "How each agency performs", agency: "Agency", received: "Received", resolved: "Resolved",
      on_time: "On time", median: "Median (hours)", satisfaction: "Satisfaction", chart_on_time: "Share resolved on time",
      chart_satisfaction: "Satisfaction (1–5 stars)", factchecks: "Rumour checks", search: "Search",
      fc_ph: "Search rumours (with or without accents)", no_factchecks: "No matching conclusions.",
      sightings: "reports", until: "until", error: "Could not load data, retrying…",
      track_title: "Track a report", track: "Track", overdue: "Overdue", deadline: "Deadline",
      next: "Next step", timeline: "What happened", live: "Updates itself", not_found: "No report has this code.",
      withheld: "(not public)", updated: "updated at",
    },
  };
  let lang = localStorage.getItem("hue.lang") === "en" ? "en" : "vi";
  const listeners = [];
  const Hue = {
    get lang() { return lang; },
    t(key) { return (T[lang] && T[lang][key]) || T.vi[key] || key; },
    pick(obj) { if (!obj) return ""; return (lang === "en" && obj.en) ? obj.en : (obj.vi || obj.en || ""); },
    esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]); },
    when(iso) {
      if (!iso) return "";
      return new Date(iso).toLocaleString(lang === "en" ? "en-GB" : "vi-VN", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" });
    },
    async json(url, options) {
      const res = await fetch(url, Object.assign({ headers: { Accept: "application/json", "Accept-Language": lang } }, options || {}));
      const body = await res.json().catch(() => null);
      if (!res.ok) { const err = new Error("HTTP " + res.status); err.status = res.status; err.body = body; throw err; }
      return body;
    },
    onLang(fn) { listeners.push(fn); },
    apply() {
      document.documentElement.lang = lang;
      document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = Hue.t(el.dataset.i18n); });
      document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = Hue.t(el.dataset.i18nPlaceholder); });
      const button = document.getElementById("lang");
      if (button) button.textContent = lang === "vi" ? "EN" : "VI";
    },
  };
  window.Hue = Hue;
  document.addEventListener("DOMContentLoaded", () => {
    Hue.apply();
    document.getElementById("lang").addEventListener("click", () => {
      lang = lang === "vi" ? "en" : "vi";
      localStorage.setItem("hue.lang", lang);
      Hue.apply();
      listeners.forEach((fn) => fn());
    });
  });
})();
