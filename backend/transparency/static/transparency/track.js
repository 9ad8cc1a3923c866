/* /track/: a tracking code -> status, deadline, next step and public timeline, refreshed every 10 s.
   Polled, not a socket: the only per-report stream (/ws/reports/{id}/) carries the citizen's own view
   (description, photos, agency, category), which for a report that is not published is exactly what
   this page withholds; a safe live feed would need the tracking view as another audience in the event
   log and a socket authorised by the code without putting it in a URL. Ten seconds costs one small GET. */
(function () {
  "use strict";
  const H = window.Hue;
  let code = null, last = null, timer = null;

  function render() {
    if (!last) return;
    const r = last;
    document.getElementById("tracked").hidden = false;
    document.getElementById("t-status").textContent = H.pick(r.status_name);
    document.getElementById("t-status").className = "badge status-" + r.status;
    document.getElementById("t-overdue").hidden = !r.overdue;
    document.getElementById("t-due").textContent = r.due_at ? H.when(r.due_at) : "–";
    document.getElementById("t-agency").textContent = r.agency ? H.pick(r.agency) : (r.restricted ? H.t("withheld") : "–");
    document.getElementById("t-next").textContent = H.pick(r.next_step);
    document.getElementById("t-timeline").innerHTML = r.timeline.map((e) => `<li><time>${H.esc(H.when(e.at))}</time>
      <strong>${H.esc(H.pick(e.kind_name))}</strong>${e.status_name ? " – " + H.esc(H.pick(e.status_name)) : ""}${e.note ? `<p>${H.esc(e.note)}</p>` : ""}</li>`).join("");
    document.getElementById("t-updated").textContent = H.t("updated") + " " + new Date().toLocaleTimeString(H.lang === "en" ? "en-GB" : "vi-VN");
  }

  async function refresh() {
    if (!code) return;
    const error = document.getElementById("track-error");
    try {
      last = await H.json("/api/v1/public/track/" + encodeURIComponent(code) + "/");
      error.hidden = true;
      render();
    } catch (e) {
      if (e.status === 404) {
        last = null;
        document.getElementById("tracked").hidden = true;
        error.textContent = H.t("not_found");
        error.hidden = false;
      }
    }
  }

  function start(value) {
    code = value.trim().toUpperCase();
    history.replaceState(null, "", "?code=" + encodeURIComponent(code));
    refresh();
    clearInterval(timer);
    timer = setInterval(refresh, 10000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    H.onLang(render);
    document.getElementById("track-form").addEventListener("submit", (e) => { e.preventDefault(); start(document.getElementById("code").value); });
    const given = new URLSearchParams(location.search).get("code");
    if (given) { document.getElementById("code").value = given; start(given); }
  });
})();
