// λ scrubbing in the page, outside plotly's animate pipeline (see ui/scrub.py).
//
// No "<" before a letter, "/" or "!" anywhere in this file, comments included:
// st.html's sanitizer (DOMPurify) drops a script whose text has one (\x3c in literals).
//
// The figure (regviz/figures/paths.py) hides its moving traces from plotly and tags each
// with meta.scrub; its frames hold every λ's values.  This script draws those traces as a
// few SVG elements over the chart and, on each slider step, moves them: a handful of
// setAttribute calls instead of a Plotly.animate that re-runs the figure's defaults and
// calc (50-100 ms on a 40-trace figure).  Nothing here talks to the server; on release the
// λ goes into the address bar with history.replaceState, and into this tab's
// sessionStorage, so a student who visits another page and comes back finds λ where they
// left it (the server never hears of a scrub, and the address bar loses lam on a page switch).
//
// The λ slider and the jump buttons are HTML drawn here too (a range input, plain
// buttons), from the figure's layout.meta.scrub: plotly's own slider and buttons took half
// of the figure's first draw, and a keyboard could not move them.
//
// Plotly internals read here (stable across plotly.js 2-4): gd._transitionData._frames
// (the figure's frames), gd._fullLayout[axis]._offset and .l2p/.d2c (data to pixels),
// gd._fullLayout._size (the plot area in pixels).

const SVG = "http://www.w3.org/2000/svg";
const PLAY_MS = 90;
const STYLE_ID = "regviz-scrub-style";
// One stylesheet for every chart's controls; sizes and colours come in as variables.
const CONTROLS_CSS = `
.regviz-controls { position: absolute; left: 0; top: 0; width: 0; height: 0; }
.regviz-controls > * { position: absolute; box-sizing: border-box; pointer-events: auto; }
/* plotly's own rule (.js-plotly-plot .plotly div) would set Open Sans on these */
.regviz-controls * { font-family: var(--font) !important; }
.regviz-lam-label { white-space: nowrap; line-height: 1.2; }
.regviz-lam { -webkit-appearance: none; appearance: none; margin: 0; padding: 0;
  height: var(--thumb); background: transparent; cursor: pointer; }
.regviz-lam::-webkit-slider-runnable-track { height: var(--track); border-radius: 999px;
  background: var(--rail); }
.regviz-lam::-webkit-slider-thumb { -webkit-appearance: none; appearance: none;
  width: var(--thumb); height: var(--thumb); border-radius: 50%; background: var(--grip);
  border: 1px solid var(--edge); margin-top: calc((var(--track) - var(--thumb)) / 2); }
.regviz-lam::-moz-range-track { height: var(--track); border-radius: 999px;
  background: var(--rail); }
.regviz-lam::-moz-range-thumb { width: var(--thumb); height: var(--thumb); border-radius: 50%;
  background: var(--grip); border: 1px solid var(--edge); }
.regviz-lam:focus-visible, .regviz-buttons button:focus-visible {
  outline: 2px solid var(--accent); outline-offset: 2px; }
.regviz-buttons { display: flex; gap: 0.4em; transform: translateY(-100%); }
.regviz-buttons button { font: inherit; color: inherit; background: var(--button);
  border: 1px solid var(--edge); border-radius: 4px; padding: 0.1em 0.6em; line-height: 1.3;
  white-space: nowrap;
  cursor: pointer; }
.regviz-buttons button:hover { border-color: var(--accent); }
`;

// The row starts where the plot area does; long feature names (a wide left margin) or large
// presentation text can make it longer than the space to the chart's right edge, so it then
// slides left, and wraps only if even the whole chart is narrower than it.
function placeRow(row, size, width) {
  const room = size.l + size.w;
  if (row.offsetWidth <= room - size.l) return;
  row.style.left = `${Math.max(0, room - row.offsetWidth)}px`;
  if (row.offsetWidth > room) {
    row.style.left = "0px";
    row.style.width = `${width}px`;
    row.style.flexWrap = "wrap";
  }
}

function addStyle() {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  style.textContent = CONTROLS_CSS;
  document.head.appendChild(style);
}

// Light text means a dark theme (the chart's text colour is Streamlit's theme's).
function isLightColour(colour) {
  const probe = document.createElement("span");
  probe.style.color = colour;
  document.body.appendChild(probe);
  const rgb = getComputedStyle(probe).color.match(/[\d.]+/g) || [0, 0, 0];
  probe.remove();
  return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140;
}

// A new element with these attributes, appended to parent if given.
function make(el, attrs, parent) {
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

const html = (tag, attrs, parent) => make(document.createElement(tag), attrs, parent);
const svg = (tag, attrs, parent) => make(document.createElementNS(SVG, tag), attrs, parent);

function decode(text) {
  return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

// data value -> pixel in the chart's SVG, for the axis a trace is drawn on
function mapper(gd, ref) {
  const ax = gd._fullLayout[ref.replace(/^([xy])(\d*)$/, (_, a, n) => `${a}axis${n}`)];
  return (v) => ax._offset + ax.l2p(ax.d2c(v));
}

function categoryStep(gd, ref) {
  const ax = gd._fullLayout[ref.replace(/^y(\d*)$/, "yaxis$1")];
  return Math.abs(ax.l2p(1) - ax.l2p(0));
}

class Scrubber {
  constructor(gd, memory) {
    this.gd = gd;
    this.memory = memory;
    this.load();
    this.listeners = { plotly_afterplot: () => this.build() };
    for (const [name, fn] of Object.entries(this.listeners)) gd.on(name, fn);
    this.build();
  }

  // The figure's moving traces (by role) and frames; read again after every plot, since
  // Streamlit may hand the same element a new figure.
  load() {
    const gd = this.gd;
    this.roles = {};
    gd.data.forEach((trace, i) => {
      if (trace.meta && trace.meta.scrub) this.roles[trace.meta.scrub] = i;
    });
    const frames = gd._transitionData._frames;
    this.names = frames.map((f) => f.name);
    this.frames = frames.map((f) => {  // one {traceIndex: values} per frame
      const byTrace = {};
      f.traces.forEach((t, k) => { byTrace[t] = f.data[k]; });
      return byTrace;
    });
    this.lamText = gd.data[this.roles.marker].meta.lam;
  }

  // Where to stand after a (re)build: where the student left the slider, unless the
  // figure is a new one (a new view): then its own start.
  startIndex() {
    const controls = this.gd.layout.meta.scrub;
    if (controls === this.controls && Number.isInteger(this.index)) return this.index;
    this.controls = controls;
    const kept = this.memory ? this.memory.recall(this.lamText) : null;
    if (kept !== null) return kept;
    return Number.isInteger(controls.active) ? controls.active : 0;
  }

  // The trace's values at frame i: the frame's overrides over the trace itself.
  values(role, i) {
    const t = this.roles[role];
    return { ...this.gd.data[t], ...(this.frames[i][t] || {}) };
  }

  // (Re)create the overlay for the current layout: after the first plot, a resize, a relayout.
  build() {
    const gd = this.gd;
    if (!gd._fullLayout || !gd._fullLayout._size) return;
    const host = gd.querySelector(".svg-container");
    if (!host || !gd._transitionData || !gd.data.some((t) => t.meta && t.meta.scrub)) return;
    this.load();
    host.querySelectorAll("svg.regviz-scrub").forEach((old) => old.remove());
    const layer = svg("svg", {
      class: "regviz-scrub", width: gd._fullLayout.width, height: gd._fullLayout.height,
      // its own compositing layer: a step repaints these few elements, not the chart
      style: "position:absolute;left:0;top:0;pointer-events:none;overflow:visible;"
        + "will-change:transform",
    });
    // Between plotly's plot layers and its top paper (annotations, slider, buttons), so a
    // label's backdrop covers the marker as it covered the old marker trace.
    const papers = host.querySelectorAll(":scope > svg.main-svg");
    host.insertBefore(layer, papers.length > 1 ? papers[1] : null);
    this.layer = layer;
    this.parts = {};
    const bars = gd.data[this.roles.bars];
    const rowY = mapper(gd, bars.yaxis || "y");
    const thick = categoryStep(gd, bars.yaxis || "y") * (1 - (gd._fullLayout.bargap ?? 0.2));
    this.parts.bars = bars.y.map((label, k) => {
      const y = rowY(label);
      const rect = svg("rect", { y: y - thick / 2, height: thick,
        fill: Array.isArray(bars.marker.color) ? bars.marker.color[k] : bars.marker.color,
        "data-name": decode(bars.customdata ? bars.customdata[k] : label),  // shown as text
        style: "pointer-events:all" }, layer);
      rect.appendChild(svg("title"));
      return rect;
    });
    const zeros = gd.data[this.roles.zeros];
    const r = (zeros.marker.size || 8) * 0.7;
    const zx = mapper(gd, zeros.xaxis || "x");
    this.parts.zeros = zeros.y.map((label) => svg("path", {
      d: `M${-r},${-r}L${r},${r}M${-r},${r}L${r},${-r}`, fill: "none",
      stroke: zeros.marker.color, "stroke-width": (zeros.marker.line || {}).width || 2,
      transform: `translate(${zx(0)},${rowY(label)})`, display: "none",
    }, layer));
    for (const role of ["marker", "error_marker"]) {
      const t = gd.data[this.roles[role]];
      this.parts[role] = svg("path", { fill: "none", stroke: t.line.color,
        "stroke-width": t.line.width || 2 }, layer);
    }
    const pts = gd.data[this.roles.error_points];
    this.parts.error_points = pts.y.map((_, k) => svg("circle", {
      r: (pts.marker.size || 8) / 2, fill: pts.marker.color[k],
      stroke: pts.marker.line.color, "stroke-width": pts.marker.line.width }, layer));
    const readout = gd.data[this.roles.readout];
    const font = readout.textfont || {};
    this.parts.readout = svg("text", {
      "font-size": font.size || 12, fill: font.color || "currentColor",
      "font-family": gd._fullLayout.font.family,
      style: "white-space:pre",  // the scikit-learn call's continuation lines are indented
    }, layer);
    this.bx = mapper(gd, bars.xaxis || "x");
    this.rowY = rowY;
    const index = this.startIndex();
    this.buildControls(host);
    this.show(index);
  }

  // The slider (under the error panel, as wide as the λ axes) and the buttons' row (above
  // the plot area), where layout.meta.scrub places them in the space the layout leaves.
  buildControls(host) {
    const gd = this.gd, c = this.controls, size = gd._fullLayout._size, f = c.font;
    if (this.box) this.box.remove();
    addStyle();
    const ink = gd._fullLayout.font.color, dark = isLightColour(ink);
    const accent = gd.data[this.roles.marker].line.color;
    const box = html("div", { class: "regviz-controls" }, host);
    box.style.cssText = `--font:${gd._fullLayout.font.family};font-size:${f}px;`
      + `color:${ink};--thumb:${Math.round(f * 1.3)}px;--track:${Math.max(4, Math.round(f * 0.35))}px;`
      + `--rail:rgba(128,128,128,0.35);--edge:rgba(128,128,128,0.7);--accent:${accent};`
      + `--grip:${dark ? "#262730" : "#ffffff"};--button:rgba(128,128,128,${dark ? 0.2 : 0.08})`;
    const top = size.t + (1 - c.slider_top) * size.h;
    this.lamLabel = html("div", { class: "regviz-lam-label", "aria-hidden": "true" }, box);
    this.lamLabel.style.cssText = `left:${size.l}px;top:${top}px`;
    const input = html("input", {
      class: "regviz-lam", type: "range", min: 0, max: this.names.length - 1, step: 1,
      "aria-label": "λ: drag, or use the arrow keys",
    }, box);
    input.style.cssText = `left:${size.l}px;top:${top + f * 1.5}px;width:${size.w}px`;
    input.addEventListener("input", () => { this.stopPlay(); this.show(Number(input.value)); });
    input.addEventListener("change", () => this.release());
    const row = html("div", { class: "regviz-buttons", role: "group",
                             "aria-label": "Jump to a λ" }, box);
    row.style.cssText = `left:${size.l}px;top:${size.t + (1 - c.buttons_bottom) * size.h}px`;
    for (const b of c.buttons) {
      const button = html("button", { type: "button" }, row);
      button.textContent = b.label;
      button.addEventListener("click", () => this.button(b.frames));
    }
    placeRow(row, size, gd._fullLayout.width);
    this.input = input;
    this.box = box;
  }

  // The slider's grip, its label and what a screen reader says follow frame i.
  setControl(i) {
    if (!this.input) return;
    if (Number(this.input.value) !== i) this.input.value = String(i);
    const text = `λ = ${this.controls.labels[i]}`;
    this.input.setAttribute("aria-valuetext", text);
    this.lamLabel.textContent = text;
  }

  line(role, i) {
    const t = this.values(role, i);
    const mx = mapper(this.gd, t.xaxis || "x"), my = mapper(this.gd, t.yaxis || "y");
    this.parts[role].setAttribute("d", t.x.map((x, k) =>
      `${k ? "L" : "M"}${mx(x)},${my(t.y[k])}`).join(""));
    this.parts[role].dataset.x = t.x[0];
  }

  // Draw frame i: every moving part follows.
  show(i) {
    if (!this.layer || !this.frames[i]) return;
    this.index = i;
    this.line("marker", i);
    this.line("error_marker", i);
    const bars = this.values("bars", i), zero = this.bx(0);
    bars.x.forEach((v, k) => {
      const rect = this.parts.bars[k], px = this.bx(v);
      rect.setAttribute("x", Math.min(px, zero));
      rect.setAttribute("width", Math.abs(px - zero));
      rect.dataset.value = v;
      rect.firstChild.textContent = `${rect.dataset.name}: ${Number(v).toPrecision(4)}`;
    });
    const zeros = this.values("zeros", i);
    zeros.x.forEach((v, k) => {
      this.parts.zeros[k].setAttribute("display", v === null ? "none" : "inline");
    });
    const pts = this.values("error_points", i);
    const px = mapper(this.gd, pts.xaxis), py = mapper(this.gd, pts.yaxis);
    this.parts.error_points.forEach((c, k) => {  // OLS has no CV point
      const shown = k < pts.y.length && pts.y[k] !== null;
      c.setAttribute("display", shown ? "inline" : "none");
      if (!shown) return;
      c.setAttribute("cx", px(pts.x[k]));
      c.setAttribute("cy", py(pts.y[k]));
      c.dataset.y = pts.y[k];
    });
    this.readout(this.values("readout", i));
    this.layer.dataset.frame = this.names[i];
    this.setControl(i);
  }

  // The readout's lines (plotly's br and b tags), one tspan row per line;
  // unchanged rows are left alone.
  readout(t) {
    const el = this.parts.readout;
    const mx = mapper(this.gd, t.xaxis), my = mapper(this.gd, t.yaxis);
    const size = Number(el.getAttribute("font-size"));
    const x0 = mx(t.x[0]), y0 = my(t.y[0]);
    const lines = String(t.text[0]).split("\x3cbr>");
    while (el.children.length > lines.length) el.lastChild.remove();
    lines.forEach((line, n) => {
      let row = el.children[n];
      if (!row) row = svg("tspan", { x: x0, y: y0 + size * (1 + 1.3 * n) }, el);
      if (row.dataset.line === line) return;
      row.dataset.line = line;
      row.textContent = "";
      line.split(/(\x3cb>.*?\x3c\/b>)/).filter(Boolean).forEach((piece) => {
        const bold = piece.startsWith("\x3cb>");
        const span = svg("tspan", bold ? { "font-weight": "bold" } : {}, row);
        span.textContent = decode(bold ? piece.slice(3, -4) : piece);
      });
    });
  }

  button(names) {
    this.stopPlay();
    if (names.length > 1) return this.play(names);
    const i = this.names.indexOf(String(names[0]));
    if (i < 0) return;
    this.show(i);
    this.release();
  }

  play(names) {
    let k = 0;
    this.timer = setInterval(() => {
      const i = this.names.indexOf(String(names[k]));
      if (i >= 0) this.show(i);
      k += 1;
      if (k >= names.length) {
        this.stopPlay();
        this.release();
      }
    }, PLAY_MS);
  }

  stopPlay() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  // The student let go: the address bar holds the λ, so the view can be shared.
  release() {
    setUrlLam(this.lamText[this.index]);
    if (this.memory) this.memory.keep(this.lamText[this.index]);
  }

  detach() {
    this.stopPlay();
    // A chart plotly has purged (the page left) has no emitter any more.
    if (typeof this.gd.removeListener === "function") {
      for (const [name, fn] of Object.entries(this.listeners)) {
        this.gd.removeListener(name, fn);
      }
    }
    if (this.layer) this.layer.remove();
    if (this.box) this.box.remove();
  }
}

function setUrlLam(text) {
  const url = new URL(window.location.href);
  if (text === null || text === undefined) url.searchParams.delete("lam");
  else url.searchParams.set("lam", text);
  if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
}

// The λ a student scrubbed to in one view, for their return to the page.  It stands only
// while the server's own λ for the view (a link's, the picker's) is what it was at the
// scrub: a λ chosen since on the server wins.
function lamMemory(data) {
  const key = `regviz-lam:${data.chart}:${data.view}`;
  const base = { server: data.lam ?? null, epoch: data.epoch ?? 0 };
  return {
    keep(lam) {
      try {
        window.sessionStorage.setItem(key, JSON.stringify({ lam, ...base }));
      } catch (e) { /* storage off: the λ is not kept, nothing else changes */ }
    },
    recall(lamText) {
      let kept = null;
      try { kept = JSON.parse(window.sessionStorage.getItem(key) || "null"); } catch (e) {}
      if (!kept || kept.server !== base.server || kept.epoch !== base.epoch) return null;
      const i = lamText.indexOf(kept.lam);
      if (i < 0) return null;
      setUrlLam(kept.lam);
      return i;
    },
  };
}

function findChart(key) {
  const gd = document.querySelector(`.st-key-${key} .js-plotly-plot`);
  const ready = gd && gd._fullLayout && gd._transitionData && gd._transitionData._frames
    && gd._transitionData._frames.length && gd.data.some((t) => t.meta && t.meta.scrub)
    && gd.layout.meta && gd.layout.meta.scrub;
  return ready ? gd : null;
}

// Mounted by st.html (ui/scrub.py): the script element's container is the mount's host.
function start(data, host) {
  // A new view (new data or penalty): the address bar's λ is the server's again.
  if (window.__regvizScrubView !== data.view) {
    window.__regvizScrubView = data.view;
    setUrlLam(data.lam);
  }
  // Mounts can overlap on a rerun (the old one's cleanup may come late): the newest
  // mount owns the chart, an older one stands down.
  const mount = (window.__regvizScrubMounts = (window.__regvizScrubMounts || 0) + 1);
  let scrubber = null;
  let timer = null;
  const stop = () => {
    clearInterval(timer);
    if (scrubber) scrubber.detach();
    scrubber = null;
  };
  // Streamlit may replace the chart's element (a new figure, a theme change): follow it.
  const check = () => {
    // A newer mount owns the chart; a host gone from the page (another page) stops too.
    if (window.__regvizScrubMounts !== mount || (host && !host.isConnected)) return stop();
    const gd = findChart(data.chart);
    if (gd && (!scrubber || scrubber.gd !== gd || !scrubber.layer || !scrubber.layer.isConnected)) {
      if (scrubber) scrubber.detach();
      if (gd.__regvizScrub) gd.__regvizScrub.detach();
      scrubber = new Scrubber(gd, lamMemory(data));
      gd.__regvizScrub = scrubber;
    }
  };
  timer = setInterval(check, 250);
  check();
  return stop;
}
