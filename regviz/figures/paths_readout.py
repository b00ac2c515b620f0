"""What the paths figure's readout says at each λ: one state per slider position, in words.

The numbers come from the exploration (the objective's parts, the errors, the
scikit-learn call); the figure (``regviz.figures.paths``) draws them and the
scrub script swaps them as λ moves.
"""

from __future__ import annotations

import numpy as np

from regviz.paths import Exploration
from regviz.paths_logistic import LogisticExploration

READOUT_WIDTH = 26  # characters per readout line before the scikit-learn call wraps


def fmt(x: float) -> str:
    return f"{x:.4g}"


def metric_name(ex) -> str:
    """The error's name in labels: MSE for least squares, log-loss for a binary target."""
    return ex.metric if isinstance(ex, LogisticExploration) else "MSE"


def n_folds(cv) -> int:
    return cv.n_folds if hasattr(cv, "n_folds") else cv.fold_mse.shape[0]


def frame_states(ex: Exploration | LogisticExploration) -> list[dict]:
    """One dict per slider position: lambda, coefficients and readout numbers."""
    p = ex.path
    states = []
    metric = metric_name(ex)
    for i, lam in enumerate(p.lams):
        states.append(dict(
            name=str(i), label=fmt(lam), lam=lam, coefs=ex.display_coefs[i],
            train=ex.train_mse[i], test=ex.test_mse[i], pen=ex.penalty_values[i],
            obj=ex.objective[i], call=ex.sklearn_calls[i], metric=metric,
            cv=None if ex.cv is None else float(ex.cv.mean[i]),
        ))
        if isinstance(ex, LogisticExploration):
            states[-1].update(accuracy=(ex.train_accuracy[i], ex.test_accuracy[i]),
                              auc=ex.test_auc[i])
    if ex.ols_coef is not None:
        states.append(dict(
            name="ols", label="0 (OLS)", lam=0.0, coefs=ex.ols_coef, train=ex.ols_train_mse,
            test=ex.ols_test_mse, pen=float("nan"), obj=ex.ols_train_mse,
            call="LinearRegression()", cv=None,
        ))
    return states


def wrap_call(call: str, width: int = READOUT_WIDTH) -> list[str]:
    """A scikit-learn call broken after "(" and ", " so no line passes ``width`` characters."""
    if len(call) <= width or "(" not in call:
        return [call]
    head, rest = call.split("(", 1)
    parts = [p.strip() for p in rest.split(",")]
    lines, line = [], head + "("
    for k, part in enumerate(parts):
        piece = part + ("," if k < len(parts) - 1 else "")
        candidate = line + piece if line.endswith("(") else line + " " + piece
        if len(candidate) > width:  # a new line (after "Head(" too: arguments below it)
            lines.append(line)
            line = "  " + piece
        else:
            line = candidate
    lines.append(line)
    return lines


def readout_lines(state: dict, n_features: int) -> list[str]:
    nz = int(np.count_nonzero(state["coefs"]))
    lam = state["lam"]
    metric = state.get("metric", "MSE")
    if lam == 0:
        objective = ["λ = 0: least squares", f"objective = MSE = {fmt(state['train'])}"]
    else:
        objective = [
            f"objective = {metric} + λ·P(w)",
            f"= {fmt(state['train'])}",
            f"+ {fmt(lam)} × {fmt(state['pen'])}",
            f"= {fmt(state['obj'])}",
        ]
    return [
        f"<b>λ = {fmt(lam)}</b>",
        *objective,
        f"non-zero: <b>{nz} of {n_features}</b>",
        f"train {metric} {fmt(state['train'])}",
        f"test {metric} {fmt(state['test'])}",
        *_class_lines(state),
        "scikit-learn:",
        *wrap_call(state["call"]),
    ]


def _class_lines(state: dict) -> list[str]:
    """Accuracy (train, test) and test AUC, for a binary target."""
    if "accuracy" not in state:
        return []
    train, test = state["accuracy"]
    return [f"accuracy: train {100 * train:.1f}%",
            f"test {100 * test:.1f}%, AUC {state['auc']:.3f}"]


def readout(state: dict, n_features: int) -> str:
    return "<br>".join(readout_lines(state, n_features))
