"""Log-loss geometry for a two-class target: profiled intercept, exact touching points, caption."""

from __future__ import annotations

import numpy as np
import pytest

from regviz import fit, lambda_max
from regviz.datasets_classification import breast_cancer
from regviz.figures.geometry_logistic import logistic_figure
from regviz.geometry_captions import logistic_caption
from regviz.geometry_logistic import (
    lambda_grid,
    picture,
    profiled_loss,
    standardized_pair,
    touch,
)
from regviz.logistic import fit_logistic


def _cancer_pair(a: str = "worst_perimeter", b: str = "mean_texture"):
    d = breast_cancer()
    X = d.frame[[a, b]].to_numpy(float)
    return X, d.frame[d.target].to_numpy()


def _simulated(w_true, seed: int = 3, n: int = 300):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) @ np.array([[1.0, 0.3], [0.0, 1.0]])
    p = 1.0 / (1.0 + np.exp(-(0.2 + X @ np.asarray(w_true))))
    return X, (rng.random(n) < p).astype(float)


def _sigmoid(eta):
    return 1.0 / (1.0 + np.exp(-eta))


@pytest.mark.parametrize("penalty", ["l1", "l2"])
@pytest.mark.parametrize("fraction", [0.5, 0.1, 0.01])
def test_profiled_intercept_is_the_exact_fits_intercept_at_its_coefficients(penalty, fraction):
    X, y = _cancer_pair()
    Z, y01, _ = standardized_pair(X, y)
    lam = fraction * lambda_max(Z, y01, penalty="l1", standardize=False, loss="logistic")
    exact = fit_logistic(Z, y01, penalty=penalty, lam=lam, standardize=False)
    loss, b = profiled_loss(Z, y01, exact.coef)
    assert b == pytest.approx(exact.intercept, abs=1e-9)
    assert loss == pytest.approx(exact.train_loss, rel=1e-12)


def test_profiled_intercept_zeroes_the_intercepts_gradient_everywhere_on_a_wide_grid():
    X, y = _simulated([2.0, -1.0])
    Z, y01, _ = standardized_pair(X, y)
    W = np.stack(np.meshgrid(np.linspace(-40, 40, 9), np.linspace(-40, 40, 9)), -1)
    loss, b = profiled_loss(Z, y01, W)
    eta = b[..., None] + W @ Z.T
    assert np.all(np.isfinite(loss)) and np.all(np.isfinite(b))
    assert np.max(np.abs(_sigmoid(eta).mean(-1) - y01.mean())) < 1e-10
    for shift in (-1e-3, 1e-3):  # the profiled value is a minimum over b
        moved = np.logaddexp(0, eta + shift) - y01 * (eta + shift)
        assert np.all(moved.mean(-1) > loss)


def test_drawn_touching_points_are_the_exact_logistic_fits_at_that_lambda():
    X, y = _cancer_pair()
    Z, y01, _ = standardized_pair(X, y)
    lams = lambda_grid(Z, y01)
    lam = float(lams[len(lams) // 2])
    pic = picture(Z, y01, lam, half=6.0, size=21)
    sd = X.std(axis=0)
    fig = logistic_figure(pic, ("worst_perimeter", "mean_texture"))
    marks = {tr.name: (tr.x[0], tr.y[0]) for tr in fig.data
             if getattr(tr, "mode", None) == "markers"}
    for penalty, drawn in (("l1", pic.l1), ("l2", pic.l2)):
        ref = fit(X, y, penalty=penalty, lam=lam, loss="logistic")  # original columns
        assert np.allclose(drawn.w, ref.coef * sd, atol=1e-9, rtol=1e-9)
        assert np.allclose(marks[f"{penalty.upper()} fit"], drawn.w, atol=0)
    assert pic.l1.reach == pytest.approx(np.abs(pic.l1.w).sum())
    assert pic.l2.reach == pytest.approx(np.hypot(*pic.l2.w))


def test_l1_point_has_an_exact_zero_where_the_noise_feature_is_and_the_caption_says_so():
    X, y = _simulated([1.5, 0.0], seed=7)
    Z, y01, _ = standardized_pair(X, y)
    top = lambda_max(Z, y01, penalty="l1", standardize=False, loss="logistic")
    grad0 = np.abs(Z.T @ (_sigmoid(fit_logistic(Z, y01, penalty="l1", lam=top,
                                                standardize=False).intercept) - y01)) / len(y01)
    # Between feature 2's and feature 1's entry: feature 1 in, feature 2 exactly 0.
    lam = 0.5 * (grad0[0] + grad0[1]) if grad0[1] < grad0[0] else None
    assert lam is not None
    l1 = touch(Z, y01, "l1", lam)
    assert l1.w[0] != 0.0 and l1.w[1] == 0.0
    # KKT at the zero, from scratch: the log-loss gradient is inside [-lam, lam].
    r = _sigmoid(l1.intercept + Z @ l1.w) - y01
    assert abs(Z[:, 1] @ r / len(y01)) <= lam
    caption = logistic_caption(picture(Z, y01, lam, half=3.0, size=11))
    assert "on a corner, w₂ exactly 0" in caption


def test_caption_claims_no_corner_when_both_l1_coefficients_are_non_zero():
    X, y = _simulated([1.5, -1.0], seed=7)
    Z, y01, _ = standardized_pair(X, y)
    lam = float(lambda_grid(Z, y01)[-1])
    pic = picture(Z, y01, lam, half=3.0, size=11)
    assert np.all(pic.l1.w != 0.0)
    caption = logistic_caption(pic)
    assert "on a corner" not in caption and "neither coefficient 0" in caption


def test_logistic_figure_margins_hold_its_legend_and_titles_in_both_modes():
    """plotly widened a right margin of 20 px to fit the legend beside the plot (192 px,
    252 px presenting) and drew the chart twice: the margin is now made for the entries."""
    from regviz.figures.style import Style

    X, y = _cancer_pair()
    Z, y01, _ = standardized_pair(X, y)
    lams = lambda_grid(Z, y01)
    pic = picture(Z, y01, float(lams[len(lams) // 2]), half=6.0, size=21)
    for style in (Style(), Style(scale=1.6)):
        fig = logistic_figure(pic, ("worst_perimeter", "mean_texture"), style)
        size = fig.layout.legend.font.size
        assert size == round(style.font * 0.85) and fig.layout.title.font.size == style.font
        names = [t.name for t in fig.data if t.showlegend is not False and t.name]
        # An entry is its symbol (40 px) and its text (half an em a character, measured).
        assert fig.layout.margin.r >= max(40 + 0.5 * size * len(n) for n in names)
        assert fig.layout.margin.b >= style.x_margin + style.font * 0.5 - 1
