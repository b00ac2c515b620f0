// Plotly sliders keep their position for the student's return (see ui/keep_sliders.py).
//
// No "<" before a letter, "/" or "!" anywhere in this file, comments included:
// st.html's sanitizer (DOMPurify) drops a script whose text has one.
//
// One watcher per page load (Streamlit swaps pages without reloading). Each chart whose
// Streamlit key a page registered, with one slider of "animate" steps, is watched: a slider
// change (a drag, a click or the play button's frames) is written to this tab's
// sessionStorage under the chart's key and its steps' labels (so another view, with other
// steps, does not take it); a chart drawn anew (the student came back) is moved to that step.
const STORE = "regviz-sliders";

const read = () => {
  try { return JSON.parse(sessionStorage.getItem(STORE) || "{}"); } catch (e) { return {}; }
};
const write = (all) => {
  try { sessionStorage.setItem(STORE, JSON.stringify(all)); } catch (e) { }
};

const chartKey = (gd, keys) => {
  const box = gd.closest("[class*=st-key-]");
  const cls = box ? [...box.classList].find((c) => c.startsWith("st-key-")) : null;
  return cls && keys.has(cls.slice(7)) ? cls.slice(7) : null;
};

const sliderOf = (gd) => {
  const sliders = (gd.layout && gd.layout.sliders) || [];
  const slider = sliders.length === 1 ? sliders[0] : null;
  return slider && slider.steps && slider.steps.every((s) => s.method === "animate")
    ? slider : null;
};

const restore = (gd, id) => {
  const want = read()[id];
  const slider = sliderOf(gd);
  if (!slider || !Number.isInteger(want) || want === (slider.active || 0)
      || want >= slider.steps.length) return;
  const [frames, given] = slider.steps[want].args;
  const opts = Object.assign({}, given || {}, { mode: "immediate", transition: { duration: 0 } });
  opts.frame = Object.assign({}, opts.frame || {}, { duration: 0 });
  window.Plotly.animate(gd, frames, opts)
    .then(() => window.Plotly.relayout(gd, { "sliders[0].active": want }));
};

function start(keys) {
  const watched = (window.__regvizSliderKeys = window.__regvizSliderKeys || new Set());
  keys.forEach((k) => watched.add(k));
  if (window.__regvizSliderWatch) return;
  window.__regvizSliderWatch = setInterval(() => {
    if (!window.Plotly) return;
    for (const gd of document.querySelectorAll(".js-plotly-plot")) {
      const key = gd._fullLayout && chartKey(gd, watched);
      const slider = key && sliderOf(gd);
      if (!slider) continue;
      const id = key + "|" + slider.steps.map((s) => s.label).join(",");
      if (gd.__regvizSliderId === id) continue;
      gd.__regvizSliderId = id;  // a chart drawn anew, or another view in the same chart
      if (!gd.__regvizSliderBound) {
        gd.__regvizSliderBound = true;
        gd.on("plotly_sliderchange", (e) => {
          const all = read();
          all[gd.__regvizSliderId] = e.slider.active;
          write(all);
        });
      }
      restore(gd, id);
    }
  }, 250);
}
