/* The ward map, drawn as SVG from the city's ward polygons (no tile server, no CDN).
 *
 * One projection for every map on every page (the dashboard's city map, a report's close-up, the
 * agency's ticket map, the citizen's pin map): an equirectangular projection at Huế's latitude, fitted
 * to a 1000-unit-wide box. Paths are computed once per page and reused by every map drawn there. */
(function () {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  const LAT0 = 16.45 * Math.PI / 180;
  const CITY = { lat: 16.4637, lon: 107.5909 }; // the Citadel: the "city centre" view is around it
  const W = 1000, PAD = 12;
  let loading = null;

  function eachCoord(geom, fn) {
    if (!geom) return;
    const polys = geom.type === "Polygon" ? [geom.coordinates] : geom.type === "MultiPolygon" ? geom.coordinates : [];
    polys.forEach((poly) => poly.forEach((ring) => ring.forEach(([lon, lat]) => fn(lon, lat))));
  }

  function build(geo) {
    const raw = (lon, lat) => [lon * Math.cos(LAT0), -lat];
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const grow = (lon, lat) => { const [x, y] = raw(lon, lat); minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); };
    geo.features.forEach((f) => { if (f.geometry) eachCoord(f.geometry, grow); else grow(...f.properties.centre); });
    if (!isFinite(minX)) { grow(CITY.lon - 0.1, CITY.lat - 0.1); grow(CITY.lon + 0.1, CITY.lat + 0.1); }
    const scale = (W - 2 * PAD) / (maxX - minX || 1);
    const H = Math.ceil((maxY - minY) * scale + 2 * PAD);
    const project = (lon, lat) => { const [x, y] = raw(lon, lat); return [PAD + (x - minX) * scale, PAD + (y - minY) * scale]; };
    const unproject = (x, y) => {
      const rx = (x - PAD) / scale + minX, ry = (y - PAD) / scale + minY;
      return [rx / Math.cos(LAT0), -ry];
    };
    const wards = [];
    let cx0 = Infinity, cy0 = Infinity, cx1 = -Infinity, cy1 = -Infinity;
    geo.features.forEach((f) => {
      const p = f.properties;
      const centre = project(...p.centre);
      let box = [centre[0] - 20, centre[1] - 20, centre[0] + 20, centre[1] + 20], d = "";
      if (f.geometry) {
        let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
        eachCoord(f.geometry, (lon, lat) => { const [x, y] = project(lon, lat); x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); });
        box = [x0, y0, x1, y1];
        const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
        d = polys.map((poly) => poly.map((ring) => "M" + ring.map(([lon, lat]) => project(lon, lat).map((v) => v.toFixed(1)).join(",")).join("L") + "Z").join("")).join("");
        const [clon, clat] = p.centre;
        if (Math.abs(clat - CITY.lat) < 0.075 && Math.abs(clon - CITY.lon) < 0.09) { cx0 = Math.min(cx0, x0); cx1 = Math.max(cx1, x1); cy0 = Math.min(cy0, y0); cy1 = Math.max(cy1, y1); }
      }
      wards.push({ code: p.code, name: p.name, kind: p.kind, d, box, centre });
    });
    const fullBox = [0, 0, W, H];
    let cityBox = null;
    if (cx1 > cx0) {
      // The wards around the Citadel (the old city), with a margin, at the map's aspect ratio.
      const m = 15, w = cx1 - cx0 + 2 * m, h = w * (H / W);
      cityBox = [cx0 - m, (cy0 + cy1) / 2 - h / 2, w, h];
    }
    const byCode = new Map(wards.map((w) => [w.code, w]));
    return { wards, byCode, project, unproject, fullBox, cityBox, W, H };
  }

  /* The ward polygons, fetched once per page (public geography; the browser caches it an hour). */
  function load() {
    if (!loading) {
      loading = fetch("/dashboard/wards.geojson", { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((res) => { if (!res.ok) throw new Error("wards " + res.status); return res.json(); })
        .then(build);
      loading.catch(() => { loading = null; });
    }
    return loading;
  }

  function el(name, attrs) {
    const node = document.createElementNS(NS, name);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    return node;
  }

  /* Draws every ward into `svg` (groups: wards, labels, points); returns the groups. */
  function draw(svg, map, opts) {
    const o = opts || {};
    svg.innerHTML = "";
    const gWards = el("g", { class: "map-wards" }), gLabels = el("g", { class: "map-labels" }), gPoints = el("g", { class: "map-points" });
    svg.append(gWards, gLabels, gPoints);
    map.wards.forEach((w) => {
      if (w.d) {
        const path = el("path", { d: w.d, class: "ward ward-" + w.kind + (o.highlight === w.code ? " ward-focus" : "") });
        path.dataset.code = w.code;
        const title = el("title");
        title.textContent = w.name;
        path.appendChild(title);
        gWards.appendChild(path);
      }
      if (o.labels) {
        const label = el("text", { x: w.centre[0].toFixed(1), y: w.centre[1].toFixed(1), class: "ward-label" });
        label.textContent = w.name;
        label.dataset.width = String(w.box[2] - w.box[0] || 60);
        gLabels.appendChild(label);
      }
    });
    return { wards: gWards, labels: gLabels, points: gPoints };
  }

  /* A viewBox around a point (and its ward, when known), at the svg's aspect ratio. */
  function focusBox(map, lon, lat, wardCode, aspect) {
    const [px, py] = project(map, lon, lat);
    const ward = wardCode ? map.byCode.get(wardCode) : null;
    let [x0, y0, x1, y1] = ward && ward.d ? ward.box : [px - 8, py - 8, px + 8, py + 8];
    x0 = Math.min(x0, px); x1 = Math.max(x1, px); y0 = Math.min(y0, py); y1 = Math.max(y1, py);
    let w = Math.max(x1 - x0, 12) * 1.25, h = Math.max(y1 - y0, 12) * 1.25;
    const a = aspect || 0.6;
    if (h / w > a) w = h / a; else h = w * a;
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    return [cx - w / 2, cy - h / 2, w, h];
  }

  function project(map, lon, lat) { return map.project(lon, lat); }

  /* The map coordinates under a mouse or touch event (for the citizen's pin). */
  function eventLonLat(svg, map, ev) {
    const pt = svg.createSVGPoint();
    pt.x = ev.clientX; pt.y = ev.clientY;
    const local = pt.matrixTransform(svg.getScreenCTM().inverse());
    return map.unproject(local.x, local.y);
  }

  function marker(group, x, y, r, cls) {
    const c = el("circle", { cx: x.toFixed(2), cy: y.toFixed(2), r: r.toFixed(3), class: cls });
    group.appendChild(c);
    return c;
  }

  window.HueMap = { load, draw, focusBox, eventLonLat, marker, el, CITY };
})();
