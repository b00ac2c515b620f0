"""Constraint geometry: why the diamond's corners make zeros and the circle does not.

Thin page: sidebar widgets -> regviz.geometry (cached per input) -> figures.
Every figure scrubs the budget t in the browser (plotly frames).

Each view is a keyed ``st.fragment``, so a control redraws only the views it
changes.  The sidebar's data sliders (the two-feature simulation) rerun the
2-D and Lq fragments from their ``on_change`` callback (``st.rerun([keys])``,
Streamlit 1.67) instead of the whole page, whose text never depends on them.
The 3-D view has its own simulation controls inside its fragment, beside its
chart: its WebGL scenes cost seconds to redraw in a browser without a GPU
(2.8 s of plotly time in headless Chromium against 0.7 s for the three 2-D
charts together), so it redraws only when one of its own controls moves.
A fragment rerun calls its function with the arguments of the last full run,
so the views read the data sliders from session state, never from arguments.

Shared settings have one owner each: the penalty and a come from
``ui.common.penalty_controls``, the seed from ``ui.common.seed_control``
(URL ``seed``: the session's one seed draws the simulation's noise and the
built-in tables here as on every page), the dataset from ``ui.datasets.pick``
(only in "Sidebar dataset" mode; the simulation leaves it alone).  This
page's own URL names: ``gdata``, ``w1 w2 rho noise``, the 3-D view's
``w31 w32 w33 rho3 noise3`` and a table's columns ``f1 f2 f3``; names that do
not apply to the current mode are dropped from the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st

from regviz import DataError
from regviz import geometry as geo
from regviz import geometry_captions as gcap
from regviz import geometry_logistic as glog
from regviz.figures import geometry as gfig
from regviz.figures import geometry_logistic as glfig
from regviz.usertext import md
from ui import common, datasets, offload, state, upload_work
from ui.entry import through_app
from ui.figure_cache import built, cached_figure, freeze
from ui.keep_sliders import keep_sliders

through_app()

FRAMES_2D = 31
FRAMES_3D = 11
FRAMES_LQ = 21
SOURCES = {"sim": "Two-feature simulation", "table": "Sidebar dataset"}
TWO_D_VIEWS = ("geo_2d", "geo_lq")  # fragment keys of the views the sidebar sliders drive
# Widget key -> (URL name, label, default, lo, hi, step).  URL names are this page's own.
SIM_SLIDERS = {
    "geo_w1": ("w1", "True w₁*", 2.0, -3.0, 3.0, 0.1),
    "geo_w2": ("w2", "True w₂*", 0.7, -3.0, 3.0, 0.1),
    "geo_rho": ("rho", "Correlation of the features ρ", 0.5, -0.95, 0.95, 0.05),
    "geo_noise": ("noise", "Noise σ", 0.5, 0.0, 3.0, 0.1),
}
SIM_HELP = {
    "geo_w1": "Where the OLS point lands when there is no noise.",
    "geo_rho": "Sets the ellipses' tilt and how elongated they are.",
    "geo_noise": "Moves the OLS point away from the true weights.",
}
# The 3-D view's own simulation: same defaults as the 2-D one plus w₃*; "3" marks its URL names.
THREE_D_SLIDERS = {
    "geo3_w1": ("w31", "w₁*", 2.0, -3.0, 3.0, 0.1),
    "geo3_w2": ("w32", "w₂*", 0.7, -3.0, 3.0, 0.1),
    "geo3_w3": ("w33", "w₃*", 0.4, -3.0, 3.0, 0.1),
    # Three features cannot all be correlated more negatively than -1/2.
    "geo3_rho": ("rho3", "ρ (all pairs)", 0.45, -0.45, 0.95, 0.05),
    "geo3_noise": ("noise3", "Noise σ", 0.5, 0.0, 3.0, 0.1),
}
FEATURE_URL = {"geo_f1": "f1", "geo_f2": "f2", "geo_f3": "f3"}


@dataclass(frozen=True)
class View:
    """Data for the pictures and what caches may do with it."""

    key: tuple  # the data's identity: settings for built-in data, a content hash for an upload
    data: geo.Data
    # From the user's upload: cached per session only.  Its least-squares pictures are computed
    # in this process: after one pass over the two columns everything is 2 x 2 (measured 0.3 s
    # for every sweep of the page at 2,000 rows, 0.2 s at 200,000), too little for a child.
    private: bool


# --------------------------------------------------------------------------- computation


@st.cache_data(max_entries=64, show_spinner=False)
def _sim_data(w_true: tuple, rho: float, noise: float, seed: int) -> geo.Data:
    return geo.make_data(np.array(w_true), rho, noise, seed=seed)


def _ts(data: geo.Data, frames: int, a: float = 1.0) -> np.ndarray:
    """A t grid shared by the penalties: from 0 to the OLS point's reach for mixing a.

    With a = 1 (the default) that is the L1 reach, the largest: every region
    ends up containing the OLS point.  The 3-D view stops at the L2 reach so
    its balls fit in the box.
    """
    return np.linspace(0.0, float(geo.reach(geo.ols(geo.problem_of(data)), a)), frames)


def _sweep(view: View, penalty: str, a: float, frames: int, grid_a: float = 1.0) -> geo.Sweep:
    run = offload.here if view.private else offload.run
    ts = _ts(view.data, frames, grid_a)
    return cached_figure("geo_sweep", (view.key, penalty, a, frames, grid_a),
                         lambda: run(geo.sweep, geo.problem_of(view.data), penalty, ts, a),
                         private=view.private)


def _constraint(view: View, penalty: str, a: float, style):
    sw = _sweep(view, penalty, a, FRAMES_2D)
    ts = _ts(view.data, FRAMES_2D)
    start = gfig.default_start(ts)
    fig = built(partial(gfig.constraint_figure, view.data, sw, ts, style, start),
                private=view.private)
    return fig, gcap.constraint_caption(sw, sw.touches[start])


def _comparison(view: View, penalties: tuple, style):
    sweeps = [_sweep(view, pen, a, FRAMES_2D) for pen, a in penalties]
    ts = _ts(view.data, FRAMES_2D)
    start = gfig.default_start(ts)
    fig = built(partial(gfig.comparison_figure, view.data, sweeps, ts, style, start),
                private=view.private)
    return fig, gcap.comparison_caption(sweeps, start)


def _three_d(view: View, style):
    sweeps = [_sweep(view, pen, a, FRAMES_3D, 0.0) for pen, a in (("l1", 1.0), ("l2", 0.0))]
    ts = _ts(view.data, FRAMES_3D, 0.0)
    start = gfig.default_start(ts)
    fig = built(partial(gfig.figure_3d, view.data, sweeps, ts, style, start),
                private=view.private)
    return fig, gcap.caption_3d(sweeps, start)


def _lq(view: View, style):
    ts = _ts(view.data, FRAMES_LQ)
    run = offload.here if view.private else offload.run
    points = run(geo.lq_sweep, geo.problem_of(view.data), ts)
    start = gfig.default_start(ts)
    fig = built(partial(gfig.lq_figure, view.data, points, ts, geo.LQ_VALUES, style, start),
                private=view.private)
    return fig, gcap.lq_caption(points, ts, geo.LQ_VALUES, start)


def _chart(name: str, view: View, key: tuple, build) -> None:
    fig, caption = cached_figure(name, (view.key, *key), build, private=view.private)
    common.show_chart(fig, caption, name)


# --------------------------------------------------------------------------- controls


def _rerun_views() -> None:
    """A sidebar data slider's callback: redraw the 2-D views, not the page around them."""
    st.rerun(list(TWO_D_VIEWS))


def _sim_sliders(where) -> None:
    for key, (url, label, default, lo, hi, step) in SIM_SLIDERS.items():
        state.adopt(url, key, state.parse_float(lo, hi), default)
        where.slider(label, lo, hi, step=step, key=key, persist_state="session",
                     help=SIM_HELP.get(key),
                     on_change=_rerun_views)


def _publish_sim() -> None:
    for key, (url, *_rest) in SIM_SLIDERS.items():
        state.publish(url, float(st.session_state[key]))


def _drop(*names: str) -> None:
    """Parameters that do not apply to the current view leave the URL."""
    for name in names:
        if name in st.query_params:
            del st.query_params[name]


def _default_features(choice: datasets.Choice, usable: list[int]) -> list[str]:
    """The usable features most correlated with the target, strongest first."""
    y = choice.y - choice.y.mean()
    strength = []
    for j in usable:
        x = choice.X[:, j] - choice.X[:, j].mean()
        strength.append(abs(float(x @ y)) / max(float(np.linalg.norm(x)), 1e-300))
    order = [usable[i] for i in np.argsort(strength)[::-1]]
    return [choice.feature_names[j] for j in order]


def _feature_box(where, label: str, key: str, names: list[str], default: str) -> str:
    state.adopt(FEATURE_URL[key], key, state.parse_choice(names), default)
    if st.session_state.get(key) not in names:
        st.session_state[key] = default
    value = where.selectbox(label, names, key=key, persist_state="session")
    state.publish(FEATURE_URL[key], value)
    return value


@dataclass(frozen=True)
class Table:
    """A table's columns offered to the pictures, and why some are left out."""

    choice: datasets.Choice
    key: tuple
    private: bool
    names: list[str]  # usable features, strongest link to the target first
    note: str

    def view(self, columns: list[str]) -> View:
        idx = [self.choice.feature_names.index(c) for c in columns]
        data = geo.from_table(self.choice.X[:, idx], self.choice.y, columns)
        return View((*self.key, *columns), data, self.private)


def _table(seed: int) -> Table | None:
    choice = datasets.pick(seed=seed, tasks=(datasets.REGRESSION, datasets.CLASSIFY))
    if choice is None:
        st.error("No uploaded table in this session: load one on *Your data*.")
        return None
    X = np.asarray(choice.X, dtype=float)
    usable = [j for j in range(X.shape[1])
              if np.all(np.isfinite(X[:, j])) and np.ptp(X[:, j]) > 0]
    left_out = X.shape[1] - len(usable)
    note = (f" {left_out} constant or incomplete feature column(s) are not offered."
            if left_out else "")
    return Table(choice, ("table", choice.data_id), choice.is_upload,
                 _default_features(choice, usable), note)


# --------------------------------------------------------------------------- the views


def _sim_view(p3: bool) -> View:
    """A simulation, read from session state (fragments rerun with their old arguments)."""
    s = st.session_state
    pre = "geo3_" if p3 else "geo_"
    w = tuple(float(s[f"{pre}w{j + 1}"]) for j in range(3 if p3 else 2))
    rho, noise, seed = float(s[f"{pre}rho"]), float(s[f"{pre}noise"]), int(s["seed"])
    return View(("sim", w, rho, noise, seed), _sim_data(w, rho, noise, seed), False)


def _three_d_sliders() -> None:
    """The 3-D view's own controls, in a row above its chart (inside its fragment)."""
    for col, (key, (url, label, default, lo, hi, step)) in zip(
            st.columns(len(THREE_D_SLIDERS)), THREE_D_SLIDERS.items(), strict=True):
        state.adopt(url, key, state.parse_float(lo, hi), default)
        col.slider(label, lo, hi, step=step, key=key, persist_state="session")
        state.publish(url, float(st.session_state[key]))


def _cannot(view_name: str, err: Exception | str) -> None:
    st.info(f"The {view_name} cannot be drawn: {md(err)}")


def _logistic_chart(pic, names: tuple, style):
    return freeze(glfig.logistic_figure(pic, names, style)), gcap.logistic_caption(pic)


def _logistic_work(table: Table, key: tuple, label: str, fn, *args):
    """A logistic fit on the pair: on an upload in a child process (2.6 s at 2,000 rows, over
    two minutes at 200,000: exact logistic fits are iterative), else here."""
    if not table.private:
        return fn(*args)
    n = len(table.choice.y)
    return offload.private(key, f"{label} on your table's {n:,} rows", fn, *args)


def _logistic_view(table: Table, columns: list[str], style) -> None:
    """A two-class target: profiled log-loss contours instead of least-squares ellipses."""
    idx = [table.choice.feature_names.index(c) for c in columns]
    X2 = np.asarray(table.choice.X, dtype=float)[:, idx]
    key = (*table.key, *columns)
    try:
        setup = cached_figure(
            "geo_logistic_setup", key,
            lambda: _logistic_work(table, ("geo_logistic_setup", *key),
                                   "Fitting logistic regression along λ",
                                   upload_work.logistic_pair_setup, X2, table.choice.y),
            private=table.private)
    except DataError as err:
        _cannot("picture", err)
        return
    lams = setup[2]
    st.header("A two-class target: log-loss contours, same corners")
    st.markdown(
        "The target has two classes, so the fit is logistic: its error is the mean log-loss, "
        "drawn here over (w₁, w₂) with the intercept at its best for each point. The contours "
        "are not ellipses, but the exact penalized fit is still where the contour through it "
        "touches the region: **move λ and watch the L1 fit stay on a corner.** Both penalties "
        "are drawn here, whatever the sidebar's penalty."
    )
    lam = st.select_slider("λ (log grid from the logistic λ_max down)", options=list(lams),
                           value=lams[setup[3]], format_func=lambda v: f"{v:.3g}",
                           key="geo_logistic_lam", persist_state="session")
    Z, y01 = setup[0], setup[1]
    try:
        pic = cached_figure(
            "geo_logistic_picture", (*key, float(lam)),
            lambda: _logistic_work(table, ("geo_logistic_picture", *key, float(lam)),
                                   "Drawing the log-loss contours", glog.picture, Z, y01,
                                   float(lam)), private=table.private)
    except DataError as err:
        _cannot("picture", err)
        return
    fig, caption = cached_figure("geo_logistic", (*key, float(lam), style),
                                 lambda: _logistic_chart(pic, tuple(columns), style),
                                 private=table.private)
    common.show_chart(fig, caption, "geo_logistic")
    st.caption(f"w₁ is the coefficient of **{md(columns[0])}**, w₂ that of "
               f"**{md(columns[1])}** (standardized); the L1 diamond and the L2 circle each "
               "have the reach of their own fit.")


@st.fragment(key="geo_2d")
def two_d_views(source: str, table: Table | None, penalty: str, a: float, style) -> None:
    if source == "table" and table.choice.classifies:
        _logistic_view(table, [st.session_state["geo_f1"], st.session_state["geo_f2"]], style)
        return
    if source == "sim":
        _publish_sim()
        view = _sim_view(False)
    else:
        columns = [st.session_state["geo_f1"], st.session_state["geo_f2"]]
        try:
            view = table.view(columns)
        except DataError as err:
            _cannot("picture", err)
            return
    reason = geo.degenerate(geo.problem_of(view.data))
    if reason:
        _cannot("picture", reason)
        return
    st.header("One point, two ways: hard constraint and soft penalty")
    st.markdown(
        "**Drag the slider under the chart** to change the budget t; everything moves in your "
        "browser. First panel: the region and the smallest error ellipse (dashed) that touches "
        "it. Second: no region at all, just the contours of MSE + λ·P(w) at the matching λ; its "
        "minimum is the same point. Third: the one-to-one link between t and λ."
    )
    _chart("geo_constraint", view, (penalty, a, style),
           lambda: _constraint(view, penalty, a, style))
    if view.data.names:
        st.caption(f"w₁ is the coefficient of **{md(view.data.names[0])}**, w₂ that of "
                   f"**{md(view.data.names[1])}**.")
    st.caption(gcap.data_caption(view.data))

    st.header("Shrink the budget: the paths side by side")
    pens = (("l1", 1.0), *((("elasticnet", a),) if penalty == "elasticnet" else ()),
            ("l2", 0.0))
    st.markdown(
        "Same data, same t for each region (they share their points on the axes). Press "
        "**▶ shrink t**: follow where each path meets an axis, and whether it stays there."
    )
    _chart("geo_compare", view, (pens, style), lambda: _comparison(view, pens, style))


@st.fragment(key="geo_3d")
def three_d_view(source: str, table: Table | None, style) -> None:
    st.header("Three coefficients: octahedron against sphere")
    if source == "sim":
        st.caption("Its own three-feature simulation (true weights, correlation of every "
                   "pair, noise; the seed is the sidebar's), so moving the 2-D sliders does not "
                   "redraw this slow WebGL view.")
        _three_d_sliders()
        view = _sim_view(True)
    elif table.choice.classifies:
        st.info("The 3-D and Lq views draw least-squares ellipses; with a two-class target "
                "this page shows the log-loss picture above.")
        return
    else:
        first = [st.session_state["geo_f1"], st.session_state["geo_f2"]]
        others = [n for n in table.names if n not in first]
        if not others:
            _cannot("3-D view", "it needs a third feature and this table has no other usable "
                    "one. A table with three varying features makes it apply.")
            return
        third = _feature_box(st, "Third feature (w₃)", "geo_f3", others, others[0])
        try:
            view = table.view([*first, third])
        except DataError as err:
            _cannot("3-D view", err)
            return
        st.caption(f"w₃ is the coefficient of **{md(third)}**.")
    reason = geo.degenerate(geo.problem_of(view.data))
    if reason:
        _cannot("3-D view", reason)
        return
    st.markdown(
        "Drag to rotate. The L1 ball has 6 vertices and 12 edges, all on the axes' planes: a "
        "touch on an edge zeroes one coefficient, a touch on a vertex zeroes two. The sphere "
        "has none."
    )
    with st.spinner("Building the 3-D view…"):
        _chart("geo_3d", view, (style,), lambda: _three_d(view, style))


@st.fragment(key="geo_lq")
def lq_view(source: str, table: Table | None, style) -> None:
    if source == "sim":
        view = _sim_view(False)
    elif table.choice.classifies:
        return  # the 3-D view already says why there is no Lq view
    else:
        try:
            view = table.view([st.session_state["geo_f1"], st.session_state["geo_f2"]])
        except DataError:
            return  # the first view already says why
    if geo.degenerate(geo.problem_of(view.data)):
        return
    st.header("Beyond L1 and L2: the Lq balls")
    st.markdown(
        "Balls |w₁|^q + |w₂|^q ≤ t^q with the same reach t. Below q = 1 the corners get sharper "
        "but the ball is no longer convex, so the error can touch it in several places and the "
        "fit is hard to find; above q = 1 the ball is convex and smooth, with no corners. "
        "q = 1, the lasso, is the only one that is both convex and cornered."
    )
    _chart("geo_lq", view, (style,), lambda: _lq(view, style))
    st.caption(
        "q = 1 and q = 2 points are regviz's exact solutions; q = 0.5 and q = 1.5 come from a "
        "fine search along the ball's edge (regviz does not solve those penalties)."
    )


# --------------------------------------------------------------------------- the page

st.title("Constraint geometry: why the diamond makes zeros")
st.markdown(
    "Adding a penalty λ·P(w) to the error is the same as capping the coefficients' size: "
    "for every λ there is a budget t such that the penalized fit is the point of least error "
    "inside the region P(w) ≤ budget. Draw the error as ellipses around the least-squares "
    "point and grow one until it first touches the region. **The L1 region is a diamond with "
    "corners on the axes, so the first touch is often a corner, where a coefficient is "
    "exactly 0; the L2 region is a circle with no corners: where it meets an axis, the data "
    "put it there, not the shape.**"
)
common.objective_latex()
st.latex(
    r"\min_w\ \mathrm{MSE}(w)+\lambda P(w)\quad\Longleftrightarrow\quad"
    r"\min_w\ \mathrm{MSE}(w)\ \ \text{subject to}\ \ P(w)\le a\,t+(1-a)\,t^2"
)
st.caption(
    "t is the region's reach: where its edge crosses each axis. L1: |w₁| + |w₂| ≤ t (diamond). "
    "L2: w₁² + w₂² ≤ t² (circle of radius t). Elastic net: the rounded diamond between them, "
    "with the same corners. Each λ > 0 matches exactly one t and back (for L1, every "
    "λ ≥ λ_max matches t = 0)."
)

penalty, l1_ratio = common.penalty_controls()
state.adopt("gdata", "geo_source", state.parse_choice(list(SOURCES)), "sim")
source = st.sidebar.radio("Data", list(SOURCES), format_func=SOURCES.get, key="geo_source",
                          persist_state="session",
                          horizontal=True,
                          help="The simulation's controls, or two columns of the sidebar's "
                               "dataset (a built-in table or your upload).")
state.publish("gdata", source)
more = common.secondary()
seed = common.seed_control("Random seed (noise draw, built-in tables)", more)
style = common.style()
table = None
if source == "sim":
    st.sidebar.subheader("Two-feature data")
    _sim_sliders(st.sidebar)
    _drop("f1", "f2", "f3")
else:
    _drop(*(url for url, *_rest in (*SIM_SLIDERS.values(), *THREE_D_SLIDERS.values())))
    table = _table(seed)
    if table is None:
        st.stop()
    if len(table.names) < 2:
        st.info("This table cannot make the picture: it needs two features that vary and has "
                f"{len(table.names)}.{table.note} Choose another dataset, or upload a table "
                "with at least two numeric columns besides the target.")
        st.stop()
    default = table.names
    f1 = _feature_box(st.sidebar, "Feature on the w₁ axis", "geo_f1", table.names, default[0])
    rest = [n for n in table.names if n != f1]
    _feature_box(st.sidebar, "Feature on the w₂ axis", "geo_f2", rest, rest[0])
    kind = "two classes" if table.choice.classifies else "centred"
    st.caption(f"Data: **{md(table.choice.label)}**, target **{md(table.choice.target)}** "
               f"({kind}), features standardized.{table.note}")

two_d_views(source, table, penalty, l1_ratio, style)
three_d_view(source, table, style)
lq_view(source, table, style)
# The budget sliders (plotly's) keep their step while the student visits another page.
keep_sliders(["geo_constraint", "geo_compare", "geo_3d"])
