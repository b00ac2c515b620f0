"""The constraint-geometry lesson's sentences, computed from the sweeps they describe.

Every caption of the geometry page is built here from the same results the
figures draw, so what the page says matches what the chart shows, and a
property test (tests/test_geometry_statements.py) checks each claim against
the path's points.  The small word helpers (numbers, vectors, coefficient
names, where a solution sits) are shared with the figures' in-chart readouts,
which colour the names.  Captions are plain text: no user string enters them
except through the page, which escapes it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from regviz import geometry as geo
from regviz.geometry import Data, Sweep, Touch
from regviz.geometry_logistic import Picture
from regviz.geometry_logistic import Touch as LogisticTouch
from regviz.penalties import PENALTY_CLASSES

SUB = "₁₂₃"
Colour = Callable[[int], str]
"""A feature index to its CSS colour, for names in a figure's readout."""


def _label(penalty: str) -> str:
    return PENALTY_CLASSES[penalty].label


# ---------------------------------------------------------------------------
# Words


def num(x: float) -> str:
    """A number as the page prints it, to 3 significant digits: exact zeros as "0", infinity
    as "∞", and thousands grouped ("27,300", not "2.73e+04": narrower in a chart's readout and
    what a student reads as a price)."""
    if x == 0:
        return "0"
    if math.isinf(x):
        return "∞"
    rounded = float(f"{x:.3g}")
    if 1e3 <= abs(rounded) < 1e6:
        return f"{rounded:,.0f}"
    return f"{x:.3g}"


def vec(w) -> str:
    return "(" + ", ".join(num(float(v)) for v in w) + ")"


def coef_name(j: int) -> str:
    return f"w{SUB[j]}"


def _coloured(j: int, colour: Colour) -> str:
    return f"<span style='color:{colour(j)}'><b>{coef_name(j)}</b></span>"


def coef_names(idx, colour: Colour | None = None) -> str:
    """``w₁ and w₂``; in a figure's readout each name in its feature's colour."""
    parts = [(_coloured(j, colour) if colour else coef_name(j)) for j in idx]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def lam_text(touch: Touch, lam_max: float) -> str:
    if touch.inside:
        return "λ = 0"
    if math.isinf(touch.lam):
        return "λ → ∞"
    if touch.at_origin:
        return f"λ ≥ λ_max = {num(lam_max)}"
    return f"λ = {num(touch.lam)}"


def status(touch: Touch, colour: Colour | None = None) -> str:
    """Where the solution sits on the region, in words: corner, smooth side, inside, origin."""
    p = touch.w.size
    if touch.at_origin:
        return "at the origin: every coefficient is 0"
    if touch.inside:
        return "OLS point inside the region: λ = 0"
    zeros = np.flatnonzero(touch.zeros)
    verb = "is" if zeros.size == 1 else "are"
    if touch.on_corner:
        where = "on a corner" if p == 2 else ("on an edge" if zeros.size == 1 else "on a vertex")
        return f"<b>{where}: {coef_names(zeros, colour)} {verb} exactly 0</b>"
    shape = "circle" if p == 2 else "sphere"
    if zeros.size:  # ridge (no corners) with a zero: the smooth surface meets an axis plane
        return f"on the smooth {shape}, not a corner: {coef_names(zeros, colour)} {verb} exactly 0"
    if touch.a == 0.0:
        return f"on the smooth {shape}: no zero"
    return ("on a side, not a corner: no zero" if touch.a == 1.0
            else "on a curved side, not a corner: no zero")


def plain_words(html: str) -> str:
    """Drop the few tags the readouts use, for captions and alt text."""
    for tag in ("<b>", "</b>", "</span>"):
        html = html.replace(tag, "")
    while "<span" in html:
        start = html.index("<span")
        html = html[:start] + html[html.index(">", start) + 1:]
    return html


# ---------------------------------------------------------------------------
# Facts about a whole path, each checked against its computed points


def path_inner(sw: Sweep) -> np.ndarray:
    """The path's points with t > 0 (the origin itself has every coefficient 0)."""
    return sw.path_w[sw.path_t > 0]


def always_zero(sw: Sweep) -> np.ndarray:
    """Coefficients that are exactly 0 at every point of the path with t > 0."""
    inner = path_inner(sw)
    if not inner.size:
        return np.array([], dtype=int)
    return np.flatnonzero(np.all(inner == 0, axis=0))


def sometimes_zero(sw: Sweep) -> np.ndarray:
    """Coefficients that are 0 somewhere on the path (t > 0) or change sign along it.

    A sign change between two computed points means the coefficient passes
    through 0 between them (ridge can do that with correlated features).
    """
    inner = path_inner(sw)
    if not inner.size:
        return np.array([], dtype=int)
    s = np.sign(inner)
    crosses = np.any(s[1:] * s[:-1] < 0, axis=0)
    return np.flatnonzero(np.any(inner == 0, axis=0) | crosses)


def zero_below(sw: Sweep, t: float) -> bool:
    """Every point of the path with 0 < t' <= t has some coefficient exactly 0."""
    rows = sw.path_w[(sw.path_t > 0) & (sw.path_t <= t)]
    return bool(np.all(np.any(rows == 0, axis=1)))


def starts_on_axis(sw: Sweep, corner: Touch) -> bool:
    """The path is on the axis from the start: the OLS point has the zero (up to rounding)."""
    return corner.t >= sw.t_ols * (1.0 - 1e-9) or corner.lam <= 1e-9 * sw.lam_max


# ---------------------------------------------------------------------------
# The data controls, figure 1 (constraint), figure 2 (comparison), 3-D, Lq, log-loss


def data_caption(data: Data) -> str:
    """What correlation and noise did to this picture: tilt, elongation, OLS shift, floor."""
    problem = geo.problem_of(data)
    w_ols = geo.ols(problem)
    evals, evecs = geo.ellipse_axes(problem)
    long_axis = evecs[:, 0] * np.sign(evecs[np.argmax(np.abs(evecs[:, 0])), 0])
    ratio = math.sqrt(evals[-1] / evals[0])
    floor = float(geo.mse(problem, w_ols))
    if not data.simulated:
        return _table_caption(data, ratio, long_axis, w_ols, floor)
    scale = max(float(np.abs(w_ols).max()), float(np.abs(data.w_true).max()))
    shift = float(np.linalg.norm(geo.snap(w_ols - data.w_true, scale)))
    rho = data.rho
    if data.p == 2 and abs(rho) > 1e-12:
        tilt = (f"The loss ellipses are {ratio:.3g} times longer than wide, their long axis along "
                f"{vec(np.round(long_axis, 3))}: along it the two features can trade weight "
                "for little loss. ")
    else:
        tilt = ("With uncorrelated features the loss contours are circles: no direction is "
                "cheaper than another. ")
    return (
        f"{data.n} rows, features with correlation exactly {rho:g} and sd 1, centred (so the "
        f"intercept is 0). {tilt}Noise σ = {data.noise:g} moved the OLS point from the true "
        f"weights {vec(data.w_true)} to {vec(w_ols)} (a distance of {num(shift)}) and set the "
        f"MSE floor at {num(floor)}; it does not change the ellipses' shape, which comes from "
        "the features alone."
    )


def _table_caption(data: Data, ratio: float, long_axis: np.ndarray, w_ols: np.ndarray,
                   floor: float) -> str:
    """What a table's two columns made of the picture (column names are the page's to show)."""
    shape = ("circles: no direction is cheaper than another" if ratio < 1 + 1e-9 else
             f"{ratio:.3g} times longer than wide, their long axis along "
             f"{vec(np.round(long_axis, 3))}")
    return (f"{data.n} rows; both features centred and divided by their sd (the scale the app "
            f"penalizes on), the target centred. Their correlation is {data.rho:.3g}, so the "
            f"loss ellipses are {shape}. The least-squares point is {vec(w_ols)} with MSE "
            f"{num(floor)} (in the target's units, squared); there are no true weights to show.")


def constraint_caption(sw: Sweep, touch: Touch) -> str:
    """The first chart's message at its opening frame, in numbers."""
    label = _label(sw.penalty)
    text = (f"{label}: at t = {num(touch.t)} the constrained solution is ŵ = {vec(touch.w)}, "
            f"{plain_words(status(touch))}; the penalized form gives the same point at "
            f"{lam_text(touch, sw.lam_max)}. ")
    return text + _path_sentence(sw)


def _path_sentence(sw: Sweep) -> str:
    """What the whole path does with zeros, each clause checked against the path's points."""
    ev = sw.first_corner()
    always = always_zero(sw)
    if ev is not None and starts_on_axis(sw, ev):
        zero = np.flatnonzero(ev.zeros)
        held = np.all(path_inner(sw)[:, zero] == 0)
        return (f"The OLS point itself lies on an axis ({coef_names(zero)} = 0), so the path "
                "starts on a corner" + (" and that coefficient is exactly 0 at every t." if held
                                 else "; it leaves that axis as t shrinks."))
    if ev is not None:
        zero = np.flatnonzero(ev.zeros)
        if zero_below(sw, ev.t):
            return (f"The solution is on a corner ({coef_names(zero)} = 0 exactly) for every "
                    f"t ≤ {num(ev.t)}, that is λ ≥ {num(ev.lam)}.")
        return (f"The solution first reaches a corner ({coef_names(zero)} = 0 exactly) at t = "
                f"{num(ev.t)} (λ = {num(ev.lam)}) and later leaves it again.")
    if always.size:
        return (f"{coef_names(always)} = 0 at every t only because the OLS point already has it "
                "(no corner involved).")
    crossing = sometimes_zero(sw)
    if crossing.size:
        return (f"No corner is reached; {coef_names(crossing)} changes sign along the path, so "
                "it passes through 0 at one t without staying there.")
    if sw.a == 0.0:
        return "The circle has no corners: no coefficient is 0 at any t > 0."
    return "With these data the solution reaches no corner before the origin."


def comparison_caption(sweeps: list[Sweep], touch_index: int) -> str:
    parts = []
    for sw in sweeps:
        label = _label(sw.penalty)
        tc = sw.touches[touch_index]
        ev = sw.first_corner()
        if ev is not None and starts_on_axis(sw, ev) and zero_below(sw, sw.t_ols):
            parts.append(f"{label} stays on the {coef_name(int(np.flatnonzero(~ev.zeros)[0]))} "
                         "axis at every t: the OLS point itself lies on it")
            continue
        if ev is not None:
            zero = np.flatnonzero(ev.zeros)
            below = sw.path_w[sw.path_lam > ev.lam][:, zero]
            stays = ("stays on it down to the origin" if not np.any(below)
                     else "later leaves it again")
            parts.append(
                f"{label} reaches the {coef_name(int(np.flatnonzero(~ev.zeros)[0]))} axis at "
                f"t = {num(ev.t)} (λ = {num(ev.lam)}) and {stays}: "
                f"{coef_names(zero)} = 0 exactly at t = {num(ev.t)}")
            if not np.any(below):
                parts[-1] += " and every smaller t"
            continue
        zero = always_zero(sw)
        crossing = sometimes_zero(sw)
        if zero.size:
            parts.append(f"{label} has {coef_names(zero)} = 0 all along the path only because "
                         "the OLS point already has it (no corner involved)")
        elif crossing.size:
            parts.append(f"{label} reaches no corner, but {coef_names(crossing)} changes sign, "
                         f"passing through 0 at one t only (at t = {num(tc.t)}: "
                         f"ŵ = {vec(tc.w)})")
        else:
            parts.append(f"{label} keeps every coefficient non-zero for every t > 0 "
                         f"(at t = {num(tc.t)}: ŵ = {vec(tc.w)})")
    return "As t shrinks from the OLS point to 0: " + "; ".join(parts) + "."


def caption_3d(sweeps: list[Sweep], touch_index: int) -> str:
    parts = []
    for sw in sweeps:
        tc = sw.touches[touch_index]
        parts.append(f"{_label(sw.penalty)} ŵ = {vec(tc.w)}, "
                     f"{plain_words(status(tc))}")
        if sw.corner_t is not None and zero_below(sw, sw.corner_t):
            parts[-1] += f" (some coefficient is 0 for every t ≤ {num(sw.corner_t)})"
    return f"At t = {num(sweeps[0].touches[touch_index].t)}: " + "; ".join(parts) + "."


def lq_status(w, inside: bool = False) -> str:
    zeros = np.flatnonzero(np.asarray(w) == 0)
    if inside:
        return "OLS point inside the ball"
    if not np.any(w):
        return "at the origin"
    if zeros.size:
        return f"<b>{coef_names(zeros)} = 0 exactly</b>"
    return "no zero"


def lq_caption(points: np.ndarray, ts, qs, touch_index: int) -> str:
    t = float(ts[touch_index])
    parts = []
    for i, q in enumerate(qs):
        w = points[i, touch_index]
        parts.append(f"q = {q:g}: ŵ = {vec(w)} ({plain_words(lq_status(w))})")
    return (f"At t = {num(t)}: " + "; ".join(parts) + ". Balls with q ≤ 1 have corners on the "
            "axes (zeros); balls with q ≥ 1 are convex (one minimum, easy to find). Only q = 1 "
            "is both.")


def _where(touch: LogisticTouch) -> str:
    zeros = [j for j in range(2) if touch.w[j] == 0.0]
    if len(zeros) == 2:
        return "at the origin, both coefficients exactly 0"
    if zeros:
        return f"on a corner, w{SUB[zeros[0]]} exactly 0"
    return "on an edge, neither coefficient 0"


def _pair(w: np.ndarray) -> str:
    return "(" + ", ".join("0" if v == 0.0 else f"{v:.2f}" for v in w) + ")"


def logistic_caption(pic: Picture) -> str:
    """Where each exact fit lands, its zeros read from the solver's exact 0.0."""
    l2_zeros = int(np.sum(pic.l2.w == 0.0))
    l2_words = ("with no zero" if l2_zeros == 0
                else f"with {l2_zeros} coefficient(s) exactly 0")
    return (f"At λ = {pic.lam:.3g} the L1 fit is {_pair(pic.l1.w)}: {_where(pic.l1)}; "
            f"the L2 fit is {_pair(pic.l2.w)}, {l2_words}. Each dashed curve is the log-loss "
            f"contour through its fit (L1: {pic.l1.loss:.4f}, L2: {pic.l2.loss:.4f}), touching "
            "its region there; the contours are not ellipses because the log-loss is not "
            "quadratic.")
