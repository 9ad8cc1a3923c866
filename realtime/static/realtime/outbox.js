/* The citizen's outbox: reports written on the phone wait here (IndexedDB, photos included) until the
 * server has them.
 *
 * Each report gets its Idempotency-Key when it is written, and every retry sends the very same body
 * with that key, so a request that reached the server but whose answer was lost (the network dropped)
 * returns the report already made (200) instead of a second one. Retries back off (2 s to 60 s, with
 * jitter), honour Retry-After, and start at once when the browser says it is online again. A refusal
 * that no retry can fix (a 4xx other than 401/408/425/429) is kept, marked failed, for the citizen to
 * read and discard. Tabs take turns through a Web Lock, so two tabs never send the same report at once. */
(function () {
  "use strict";
  const DB = "hue-citizen", STORE = "outbox";
  const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
  let dbPromise = null, timer = null, running = false, options = null, attempt = 0;

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB, 1);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "key" });
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return dbPromise;
  }
  async function tx(mode, fn) {
    const conn = await db();
    return new Promise((resolve, reject) => {
      const t = conn.transaction(STORE, mode);
      const out = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(out && "result" in out ? out.result : undefined);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error || new Error("aborted"));
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /* Queue a report. Everything that goes over the wire is fixed here, once. */
  async function add(report) {
    const item = {
      key: newKey(),
      user: report.user,
      description: report.description,
      latitude: Number(report.latitude).toFixed(6),
      longitude: Number(report.longitude).toFixed(6),
      category: report.category || "",
      anonymous: !!report.anonymous,
      client_created_at: new Date().toISOString(),
      photos: (report.photos || []).map((f) => ({ name: f.name || "photo.jpg", type: f.type || "image/jpeg", blob: f })),
      tries: 0,
      last_error: null,
      failed: null,
    };
    await tx("readwrite", (s) => s.put(item));
    changed();
    flush();
    return item;
  }
  const list = () => tx("readonly", (s) => s.getAll()).then((items) => (items || []).sort((a, b) => a.client_created_at.localeCompare(b.client_created_at)));
  const remove = async (key) => { await tx("readwrite", (s) => s.delete(key)); changed(); };
  const put = (item) => tx("readwrite", (s) => s.put(item));
  function changed() { if (options && options.onChange) options.onChange(); }

  function body(item) {
    const form = new FormData();
    form.append("description", item.description);
    form.append("latitude", item.latitude);
    form.append("longitude", item.longitude);
    if (item.category) form.append("category", item.category);
    form.append("anonymous", item.anonymous ? "true" : "false");
    form.append("client_created_at", item.client_created_at);
    item.photos.forEach((p) => form.append("photos", new File([p.blob], p.name, { type: p.type })));
    return form;
  }

  /* One attempt at one report: "sent", "retry" (with a delay in ms, or null), "auth" or "failed". */
  async function sendOne(item, token) {
    let res;
    try {
      res = await fetch("/api/v1/reports/", {
        method: "POST", body: body(item), credentials: "omit",
        headers: { Authorization: "Token " + token, "Idempotency-Key": item.key, Accept: "application/json", "Accept-Language": HueRT.lang() },
      });
    } catch (e) {
      if (options.onNetwork) options.onNetwork(false);
      return { outcome: "retry", error: "network" };
    }
    if (options.onNetwork) options.onNetwork(true);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (res.status === 200 || res.status === 201) return { outcome: "sent", report: data, status: res.status };
    if (res.status === 401) return { outcome: "auth" };
    const message = (data && data.error && data.error.message) || `${res.status}`;
    if (RETRYABLE.has(res.status)) {
      const after = Number(res.headers.get("Retry-After"));
      return { outcome: "retry", error: message, delay: Number.isFinite(after) && after > 0 ? after * 1000 : null };
    }
    return { outcome: "failed", error: message, code: data && data.error && data.error.code };
  }

  async function drain() {
    const token = options.token();
    const user = options.user();
    if (!token) return null;
    for (const item of await list()) {
      if (item.failed || (item.user && user && item.user !== user)) continue;
      item.tries += 1;
      const result = await sendOne(item, token);
      if (result.outcome === "sent") {
        await remove(item.key);
        attempt = 0;
        if (options.onSent) options.onSent(item, result.report, result.status);
        continue;
      }
      if (result.outcome === "auth") { if (options.onAuth) options.onAuth(); return null; }
      if (result.outcome === "failed") {
        item.failed = { message: result.error, code: result.code || "" };
        await put(item);
        changed();
        continue;
      }
      item.last_error = result.error;
      await put(item);
      changed();
      return result.delay || null; // retry later, oldest first
    }
    attempt = 0;
    return -1; // nothing left to send
  }

  async function flush() {
    if (!options || running) return;
    clearTimeout(timer);
    running = true;
    let next = null;
    try {
      next = navigator.locks ? await navigator.locks.request("hue-outbox", drain) : await drain();
    } catch (e) {
      next = null;
    } finally {
      running = false;
    }
    if (next === -1 || !options.token()) return;
    attempt += 1;
    const backoff = Math.min(60000, 1000 * Math.pow(2, attempt));
    const delay = next !== null ? next : backoff / 2 + Math.random() * backoff / 2;
    timer = setTimeout(flush, delay);
  }

  function start(opts) {
    options = opts;
    window.addEventListener("online", () => { attempt = 0; flush(); });
    flush();
  }

  window.HueOutbox = { add, list, remove, flush, start };
})();
