"""What the path explorer shows for a two-class target, computed once per data and settings.

The classification twin of :mod:`regviz.paths`: the exact logistic path
(:mod:`regviz.logistic`) on a stratified training split, the log-loss on the
training and test rows, stratified 5-fold CV on the same grid
(:mod:`regviz.classification_cv`), and accuracy and AUC beside the log-loss.
The fields the figure reads have the same names and shapes as an
``Exploration``'s, plus the metric's name, so one figure draws both.

Entry lambdas are not computed for the logistic path (the logistic core has
no exact entry walk), so ``entry_lams`` is all inf and a note says so.  There
is no lambda = 0 frame: with a binary target the unpenalized fit often does
not exist (separable classes), so the path ends at the grid's last lambda.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from regviz.classification_cv import (
    ClassificationCV,
    accuracy,
    auc,
    cross_validate_logistic,
    log_loss,
)
from regviz.errors import DataError
from regviz.logistic import (
    LogisticPath,
    binary_labels,
    default_logistic_grid,
    logistic_sklearn_equivalent,
    path_on,
    prepare_logistic,
)
from regviz.penalties import make_penalty
from regviz.selection import LambdaChoices

METRIC = "log-loss"
ENTRY_NOTE = ("Entry λ markers are not shown for classification: the logistic path is solved "
              "exactly at each grid λ, but the λ at which each feature enters is not computed.")


@dataclass(frozen=True)
class PathCV(LambdaChoices):
    """Stratified K-fold CV on the path's grid, padded with NaN where a fold's path stopped."""

    lams: np.ndarray
    mean: np.ndarray
    se: np.ndarray
    accuracy: np.ndarray
    auc: np.ndarray
    idx_min: int
    idx_1se: int
    n_folds: int
    note: str = ""


@dataclass(frozen=True)
class LogisticExploration:
    """A logistic path on the training rows with its log-loss, CV choices and readouts.

    ``train_mse``/``test_mse`` keep the regression explorer's names for the figure but
    hold the mean log-loss; ``metric`` names it.
    """

    feature_names: list[str]
    path: LogisticPath
    train_mse: np.ndarray
    test_mse: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray
    test_auc: np.ndarray
    cv: PathCV | None
    entry_lams: np.ndarray
    penalty_values: np.ndarray
    objective: np.ndarray
    sklearn_calls: list[str]
    n_train: int
    n_test: int
    standardize: bool
    notes: list[str]
    classes: tuple
    metric: str = METRIC
    ols_coef: None = None
    ols_train_mse: None = None
    ols_test_mse: None = None

    @property
    def display_coefs(self) -> np.ndarray:
        """Standardized units when standardizing (log-odds per sd), else raw."""
        return self.path.std_coefs if self.standardize else self.path.coefs

    def caption(self, label: str) -> str:
        """The paths chart's message for a two-class target, every number read off this result.

        ``label`` names the data; the page escapes the whole sentence (user names included).
        """
        p = self.path
        nz = p.n_nonzero
        text = (f"{label}: a two-class target, so the path is logistic regression "
                f"(log-loss + λ·P(w)). {self.n_train} training rows, {self.n_test} test rows "
                f"(each class split in the same proportion), {len(self.feature_names)} "
                "features. ")
        if np.isfinite(p.lambda_max):
            text += f"All coefficients are exactly 0 for λ ≥ λ_max = {p.lambda_max:.4g}. "
        elif int(np.count_nonzero(p.coefs == 0.0)) == 0:
            text += "Ridge sets no coefficient exactly to 0: every feature stays in. "
        cv = self.cv
        if cv is not None:
            i, m = cv.idx_1se, cv.idx_min
            text += (f"Stratified {cv.n_folds}-fold cross-validation of the log-loss picks "
                     f"λ_min = {cv.lambda_min:.4g} and λ_1se = {cv.lambda_1se:.4g}. At λ_1se: "
                     f"{nz[i]} non-zero, test log-loss {self.test_mse[i]:.4g}, test accuracy "
                     f"{100 * self.test_accuracy[i]:.1f}% (training "
                     f"{100 * self.train_accuracy[i]:.1f}%), test AUC {self.test_auc[i]:.3f}, "
                     f"CV accuracy {100 * cv.accuracy[i]:.1f}% and AUC {cv.auc[i]:.3f}. At "
                     f"λ_min: {nz[m]} non-zero, test accuracy "
                     f"{100 * self.test_accuracy[m]:.1f}%, test AUC {self.test_auc[m]:.3f}.")
        return text


def stratified_split(y01: np.ndarray, test_size: float = 0.25, seed: int = 0):
    """(train, test) indices with each class split in the same proportion (sorted)."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in (0.0, 1.0):
        rows = rng.permutation(np.flatnonzero(y01 == c))
        n_test = int(round(test_size * rows.size))
        n_test = min(max(n_test, 1), rows.size - 2)  # both sides keep the class
        test.append(rows[:n_test])
        train.append(rows[n_test:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def _path_cv(cv: ClassificationCV, lams: np.ndarray) -> PathCV:
    """The CV curve on the path's grid: the same lambdas, NaN past where it stopped."""
    m = cv.lams.size

    def pad(values):
        out = np.full(lams.size, np.nan)
        out[:m] = values
        return out

    return PathCV(lams=np.asarray(lams, dtype=float), mean=pad(cv.mean), se=pad(cv.se),
                  accuracy=pad(cv.accuracy), auc=pad(cv.auc), idx_min=cv.idx_min,
                  idx_1se=cv.idx_1se, n_folds=int(cv.fold_loss.shape[0]), note=cv.note)


def sklearn_call(penalty: str, lam: float, a: float, n: int) -> str:
    """``LogisticRegression(C=..., l1_ratio=...)`` for the standardized design of ``n`` rows."""
    name, params = logistic_sklearn_equivalent(penalty, lam, a, n)
    return f"{name}(C={params['C']:.4g}, l1_ratio={params['l1_ratio']:.4g})"


def explore_logistic(
    X,
    y,
    feature_names: list[str],
    *,
    penalty: str,
    l1_ratio: float = 0.5,
    standardize: bool = True,
    n_lams: int = 60,
    k: int = 5,
    test_size: float = 0.25,
    seed: int = 0,
    progress: Callable[[str, float], None] | None = None,
) -> LogisticExploration:
    """Fit the logistic path on a stratified training split, score it on the rest, CV it."""
    report = progress or (lambda step, fraction: None)
    report("Reading the table", 0.0)
    y01, classes = binary_labels(y)
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if len(feature_names) != X.shape[1]:
        raise DataError(f"{X.shape[1]} columns but {len(feature_names)} feature names.")
    if min(np.sum(y01 == 0), np.sum(y01 == 1)) < 4:
        raise DataError("The rarer class has fewer than 4 rows: too few to split into "
                        "training and test rows with both classes on each side.")
    tr, te = stratified_split(y01, test_size, seed)
    pen = make_penalty(penalty, l1_ratio)
    prob = prepare_logistic(X[tr], y01[tr], standardize=standardize)
    notes: list[str] = []
    if not prob.free.all():
        dropped = [feature_names[j] for j in np.flatnonzero(~prob.free)]
        notes.append(f"Constant on the training rows, so fixed at 0: {', '.join(dropped)}.")
    report("Exact logistic path on the training rows", 0.05)
    fitted = path_on(prob, pen, default_logistic_grid(prob, pen, n_lams))
    if fitted.note:
        notes.append(fitted.note)
    eta_test = fitted.decision_function(X[te])
    eta_train = fitted.decision_function(X[tr])
    cv = None
    report("Cross-validation (stratified)", 0.3)
    try:
        result = cross_validate_logistic(X[tr], y01[tr], penalty=pen, lams=fitted.lams,
                                         standardize=standardize, k=k, seed=seed)
        cv = _path_cv(result, fitted.lams)
        if result.note:
            notes.append(result.note)
    except DataError as err:
        notes.append(f"No cross-validation: {err}")
    notes.append(ENTRY_NOTE)
    pen_vals = np.array([pen.value(v) for v in fitted.std_coefs])
    return LogisticExploration(
        feature_names=list(feature_names), path=fitted,
        train_mse=np.asarray(log_loss(y01[tr], eta_train)),
        test_mse=np.asarray(log_loss(y01[te], eta_test)),
        train_accuracy=np.asarray(accuracy(y01[tr], eta_train)),
        test_accuracy=np.asarray(accuracy(y01[te], eta_test)),
        test_auc=np.array([auc(y01[te], e) for e in eta_test]),
        cv=cv, entry_lams=np.full(X.shape[1], np.inf), penalty_values=pen_vals,
        objective=fitted.train_loss + fitted.lams * pen_vals,
        sklearn_calls=[sklearn_call(pen.name, lam, pen.a, len(tr)) for lam in fitted.lams],
        n_train=len(tr), n_test=len(te), standardize=standardize, notes=notes,
        classes=tuple(classes),
    )
