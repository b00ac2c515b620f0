"""Constraint geometry: why the diamond's corners make zeros and the circle does not.

Thin page: sidebar widgets -> regviz.geometry (cached per input) -> figures.
Every figure scrubs the budget t in the browser (plotly frames).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from regviz import DataError
from regviz import geometry as geo
from regviz.figures import geometry as gfig
from regviz.figures.style import Style
from ui import common, offload
from ui.entry import through_app
from ui.figure_cache import freeze

through_app()

FRAMES_2D = 31
FRAMES_3D = 11
FRAMES_LQ = 21


@st.cache_data(max_entries=64, show_spinner=False)
def _data(w_true: tuple, rho: float, noise: float, seed: int) -> geo.Data:
    return geo.make_data(np.array(w_true), rho, noise, seed=seed)


def _ts(data: geo.Data, frames: int, a: float = 1.0) -> np.ndarray:
    """A t grid shared by the penalties: from 0 to the OLS point's reach for mixing a.

    With a = 1 (the default) that is the L1 reach, the largest: every region
    ends up containing the OLS point.  The 3-D view stops at the L2 reach so
    its balls fit in the box.
    """
    return np.linspace(0.0, float(geo.reach(geo.ols(geo.problem_of(data)), a)), frames)


@st.cache_data(max_entries=128, show_spinner="Finding the touching points…")
def _sweep(w_true: tuple, rho: float, noise: float, seed: int, penalty: str, a: float,
           frames: int, grid_a: float = 1.0) -> geo.Sweep:
    data = _data(w_true, rho, noise, seed)
    return offload.run(geo.sweep, geo.problem_of(data), penalty, _ts(data, frames, grid_a), a)


@st.cache_resource(max_entries=64, show_spinner=False)  # figures: see ui/figure_cache.py
def _constraint(w_true, rho, noise, seed, penalty, a, scale):
    data = _data(w_true, rho, noise, seed)
    sw = _sweep(w_true, rho, noise, seed, penalty, a, FRAMES_2D)
    ts = _ts(data, FRAMES_2D)
    start = gfig.default_start(ts)
    fig = gfig.constraint_figure(data, sw, ts, Style(scale=scale), start)
    return freeze(fig), gfig.constraint_caption(sw, sw.touches[start])


@st.cache_resource(max_entries=64, show_spinner=False)  # figures: see ui/figure_cache.py
def _comparison(w_true, rho, noise, seed, penalties, scale):
    data = _data(w_true, rho, noise, seed)
    sweeps = [_sweep(w_true, rho, noise, seed, pen, a, FRAMES_2D) for pen, a in penalties]
    ts = _ts(data, FRAMES_2D)
    start = gfig.default_start(ts)
    fig = gfig.comparison_figure(data, sweeps, ts, Style(scale=scale), start)
    return freeze(fig), gfig.comparison_caption(sweeps, start)


@st.cache_resource(max_entries=64, show_spinner="Building the 3-D view…")
def _three_d(w_true, rho, noise, seed, scale):
    data = _data(w_true, rho, noise, seed)
    sweeps = [_sweep(w_true, rho, noise, seed, pen, a, FRAMES_3D, 0.0)
              for pen, a in (("l1", 1.0), ("l2", 0.0))]
    ts = _ts(data, FRAMES_3D, 0.0)
    start = gfig.default_start(ts)
    fig = gfig.figure_3d(data, sweeps, ts, Style(scale=scale), start)
    return freeze(fig), gfig.caption_3d(sweeps, start)


@st.cache_resource(max_entries=64, show_spinner=False)  # figures: see ui/figure_cache.py
def _lq(w_true, rho, noise, seed, scale):
    data = _data(w_true, rho, noise, seed)
    ts = _ts(data, FRAMES_LQ)
    points = geo.lq_sweep(geo.problem_of(data), ts)
    start = gfig.default_start(ts)
    fig = gfig.lq_figure(data, points, ts, geo.LQ_VALUES, Style(scale=scale), start)
    return freeze(fig), gfig.lq_caption(points, ts, geo.LQ_VALUES, start)


def _chart(fig, caption: str, key: str) -> None:
    st.plotly_chart(fig, key=key, alt=caption, config={"displayModeBar": False})
    st.caption(caption)


st.title("Constraint geometry: why the diamond makes zeros")
st.markdown(
    "Adding a penalty λ·P(w) to the error is the same as capping the coefficients' size: "
    "for every λ there is a budget t such that the penalized fit is the point of least error "
    "inside the region P(w) ≤ budget. Draw the error as ellipses around the least-squares "
    "point and grow one until it first touches the region. **The L1 region is a diamond with "
    "corners on the axes, so the first touch is often a corner, where a coefficient is "
    "exactly 0; the L2 region is a circle with no corners, so it essentially never is.**"
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

penalty, l1_ratio = common.penalty_controls(prefix="geo_")
st.sidebar.subheader("Two-feature data")
w1 = st.sidebar.slider("True w₁*", -3.0, 3.0, 2.0, 0.1, key="geo_w1",
                       help="Where the OLS point lands when there is no noise.")
w2 = st.sidebar.slider("True w₂*", -3.0, 3.0, 0.7, 0.1, key="geo_w2")
rho = st.sidebar.slider("Correlation of the features ρ", -0.95, 0.95, 0.5, 0.05, key="geo_rho",
                        help="Sets the ellipses' tilt and how elongated they are.")
noise = st.sidebar.slider("Noise σ", 0.0, 3.0, 0.5, 0.1, key="geo_noise",
                          help="Moves the OLS point away from the true weights.")
seed = int(st.sidebar.number_input("Noise seed", 0, 10_000, 0, step=1, key="geo_seed"))
scale = common.style().scale
w_true = (float(w1), float(w2))

try:
    data = _data(w_true, rho, noise, seed)
    fig1, cap1 = _constraint(w_true, rho, noise, seed, penalty, l1_ratio, scale)
except DataError as err:
    st.error(f"These settings cannot be used: {err}")
    st.stop()

st.header("One point, two ways: hard constraint and soft penalty")
st.markdown(
    "**Drag the slider under the chart** to change the budget t; everything moves in your "
    "browser. Left: the region and the smallest error ellipse (dashed) that touches it. "
    "Middle: no region at all, just the contours of MSE + λ·P(w) at the matching λ; its "
    "minimum is the same point. Right: the one-to-one link between t and λ."
)
_chart(fig1, cap1, "geo_constraint")
st.caption(gfig.data_caption(data))

st.header("Shrink the budget: the paths side by side")
pens = [("l1", 1.0)] + ([("elasticnet", l1_ratio)] if penalty == "elasticnet" else []) + [
    ("l2", 0.0)]
st.markdown(
    "Same data, same t for each region (they share their points on the axes). Press "
    "**▶ shrink t**: the L1 path runs into an axis and stays there; the L2 path curves in "
    "towards the origin without ever reaching an axis."
)
_chart(*_comparison(w_true, rho, noise, seed, tuple(pens), scale), "geo_compare")

st.header("Three coefficients: octahedron against sphere")
w3 = st.slider("True w₃* (the third coefficient)", -3.0, 3.0, 0.4, 0.1, key="geo_w3")
rho3 = max(rho, -0.45)
if rho3 != rho:
    st.caption(f"Three features cannot all have correlation {rho:g} with each other; using "
               f"{rho3:g}.")
st.markdown(
    "Drag to rotate. The L1 ball has 6 vertices and 12 edges, all on the axes' planes: a touch "
    "on an edge zeroes one coefficient, a touch on a vertex zeroes two. The sphere has none."
)
_chart(*_three_d((*w_true, float(w3)), rho3, noise, seed, scale), "geo_3d")

st.header("Beyond L1 and L2: the Lq balls")
st.markdown(
    "Balls |w₁|^q + |w₂|^q ≤ t^q with the same reach t. Below q = 1 the corners get sharper "
    "(more zeros) but the ball is no longer convex, so the error can touch it in several "
    "places and the fit is hard to find; above q = 1 the ball is convex and smooth, with no "
    "corners. q = 1, the lasso, is the only one that is both convex and cornered."
)
_chart(*_lq(w_true, rho, noise, seed, scale), "geo_lq")
st.caption(
    "q = 1 and q = 2 points are regviz's exact solutions; q = 0.5 and q = 1.5 come from a "
    "fine search along the ball's edge (regviz does not solve those penalties)."
)
