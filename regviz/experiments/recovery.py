"""Experiment 3: ten out of five hundred, can L1 find the features that matter?

n rows, p features of which the first k carry signal (random signs, sizes
between 1 and 2), equicorrelated features, Gaussian noise.  Along a grid of
λ as a fraction of each fit's own λ_max we count the true features kept and
the false ones let in, averaged over fresh draws of the data.

The best λ on that grid is one only an oracle that knows the truth could pick.
A practitioner picks λ by K-fold cross-validation, so each draw is also
cross-validated on its own rows (regviz.selection, on the draw's own grid) and
the support at its λ_min and λ_1se is scored: what L1 finds without the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regviz.api import path_on
from regviz.errors import DataError
from regviz.experiments._common import (
    PenaltyParts,
    check_count,
    check_fraction,
    check_positive,
    equicorrelated,
    read_only,
)
from regviz.penalties import make_penalty
from regviz.preprocessing import prepare, row_blocks
from regviz.selection import cross_validate_blocks, kfold
from regviz.solvers import lambda_max

RECOVERY_PENALTIES = ("l1", "elasticnet")
CV_RULES = ("min", "1se")  # λ_min and λ_1se, cv.glmnet's two choices
# CV runs on every second λ of the chart's grid (20 of 40, 1.22 apart: finer than the
# choice needs); elastic net's cost grows with the grid's length (measured -25%).
CV_EVERY = 2


@dataclass(frozen=True)
class CVChoice:
    """One CV rule's λ on every draw, and the support the fit there keeps (per draw)."""

    rule: str  # "min" or "1se"
    lams: np.ndarray  # the λ CV chose on each draw
    fractions: np.ndarray  # the same as a fraction of that draw's λ_max
    true_kept: np.ndarray  # true features with w != 0 at that λ, per draw
    false_kept: np.ndarray
    k: int

    @property
    def name(self) -> str:
        return f"λ_{self.rule}"

    @property
    def mean_true(self) -> float:
        return float(self.true_kept.mean())

    @property
    def mean_false(self) -> float:
        return float(self.false_kept.mean())

    @property
    def precision(self) -> float:
        """Mean share of kept features that are true, over draws that kept any (nan if none)."""
        kept = self.true_kept + self.false_kept
        if not np.any(kept > 0):
            return float("nan")
        return float(np.mean(self.true_kept[kept > 0] / kept[kept > 0]))

    @property
    def recall(self) -> float:
        return self.mean_true / self.k

    @property
    def typical_fraction(self) -> float:
        """Geometric mean of the chosen λ/λ_max over draws (where a marker goes on a log axis)."""
        return float(np.exp(np.mean(np.log(self.fractions))))


@dataclass(frozen=True)
class Recovery:
    """Average support counts per λ (fractions of λ_max, descending) for L1 and elastic net."""

    fractions: np.ndarray
    true_kept: dict[str, np.ndarray]  # mean number of the k true features with w != 0
    false_kept: dict[str, np.ndarray]  # mean number of the p - k others with w != 0
    precision: dict[str, np.ndarray]  # mean over draws that kept something (nan if none did)
    recall: dict[str, np.ndarray]
    n: int
    p: int
    k: int
    noise: float
    rho: float
    l1_ratio: float
    repeats: int
    cv: dict[str, dict[str, CVChoice]] | None = None  # penalty -> rule -> choice
    cv_folds: int = 0

    def best(self, penalty: str) -> tuple[int, float]:
        """(grid index, F1) of the λ with the best average F1 of the support."""
        prec, rec = np.nan_to_num(self.precision[penalty]), self.recall[penalty]
        f1 = np.divide(2 * prec * rec, prec + rec, out=np.zeros_like(rec), where=prec + rec > 0)
        i = int(np.argmax(f1))
        return i, float(f1[i])

    def caption(self) -> str:
        parts = []
        for pen, label in (("l1", "L1"), ("elasticnet", f"elastic net (a = {self.l1_ratio:g})")):
            i, f1 = self.best(pen)
            parts.append(
                f"{label} at its best λ ({self.fractions[i]:.2g} λ_max) keeps "
                f"{self.true_kept[pen][i]:.1f} of the {self.k} true features and lets in "
                f"{self.false_kept[pen][i]:.1f} false ones (F1 {f1:.2f})"
            )
        return (
            f"n = {self.n} rows, p = {self.p} features, {self.k} true, noise sd {self.noise:g}, "
            f"correlation {self.rho:g}; averages over {self.repeats} draws. "
            + "; ".join(parts) + "." + (" " + self.cv_caption() if self.cv else "")
        )

    def cv_caption(self) -> str:
        """What each penalty kept at the λ that K-fold CV chose, in numbers."""
        if not self.cv:
            return ""
        out = []
        for pen in RECOVERY_PENALTIES:
            one, low = self.cv[pen]["1se"], self.cv[pen]["min"]
            label = "L1" if pen == "l1" else f"elastic net (a = {self.l1_ratio:g})"
            out.append(
                f"At λ_1se chosen by {self.cv_folds}-fold CV, {label} kept {one.mean_true:.1f} "
                f"of the {self.k} true features and {one.mean_false:.1f} false ones on average "
                f"over {self.repeats} draws ({_pr(one)}); at λ_min, {low.mean_true:.1f} true "
                f"and {low.mean_false:.1f} false ({_pr(low)})."
            )
        return " ".join(out)


def _pr(choice: CVChoice) -> str:
    prec = "no feature kept" if np.isnan(choice.precision) else f"precision {choice.precision:.2f}"
    return f"{prec}, recall {choice.recall:.2f}"


def draw_sparse_problem(rng: np.random.Generator, n: int, p: int, k: int, noise: float,
                        rho: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, true coefficients): the first k features carry signal of size 1 to 2."""
    coef = np.zeros(p)
    coef[:k] = rng.choice([-1.0, 1.0], k) * rng.uniform(1.0, 2.0, k)
    X = equicorrelated(rng, n, p, rho)
    return X, X @ coef + rng.normal(0.0, noise, n), coef


@dataclass(frozen=True)
class _Counts:
    """One penalty's share of a recovery run: per draw and λ, true and false features kept;
    per CV rule, the (grid index, λ) chosen on each draw.  Read-only: it is memoized."""

    tp: np.ndarray  # (repeats, n_lams)
    fp: np.ndarray
    chosen: dict[str, np.ndarray]  # rule -> (repeats, 2)


# Each penalty's counts per setting: moving elastic net's a refits elastic net alone.
_PARTS = PenaltyParts()


def _support_counts(names: list[str], l1_ratio: float, fractions: np.ndarray, n: int, p: int,
                    k: int, noise: float, rho: float, repeats: int, cv_folds: int,
                    seed: int) -> dict[str, _Counts]:
    """The penalties ``names`` fitted on the seed's draws (the draws and folds come from the
    seed alone, so a penalty's counts are the same computed alone or with the other)."""
    n_lams = fractions.size
    rng = np.random.default_rng(seed)
    tp = {pen: np.zeros((repeats, n_lams)) for pen in names}
    fp = {pen: np.zeros((repeats, n_lams)) for pen in names}
    chosen = {pen: {rule: np.zeros((repeats, 2)) for rule in CV_RULES} for pen in names}
    for r in range(repeats):
        X, y, coef = draw_sparse_problem(rng, n, p, k, noise, rho)
        problem = prepare(X, y)
        truth = coef != 0.0
        # One pass over the draw gives every fold's moments, for both penalties.
        parts = (row_blocks(X, y, [te for _, te in kfold(n, cv_folds, seed + r)])
                 if cv_folds else None)
        for name in names:
            pen = make_penalty(name, l1_ratio)
            grid = fractions * lambda_max(problem, pen)
            kept = path_on(problem, pen, grid).coefs != 0.0
            tp[name][r] = kept[:, truth].sum(axis=1)
            fp[name][r] = kept[:, ~truth].sum(axis=1)
            if parts is not None:
                cv = cross_validate_blocks(parts, pen, grid[::CV_EVERY])
                for rule, i in (("min", cv.idx_min), ("1se", cv.idx_1se)):
                    chosen[name][rule][r] = i * CV_EVERY, cv.lams[i]
    return {name: _Counts(read_only(tp[name]), read_only(fp[name]),
                          {rule: read_only(v) for rule, v in chosen[name].items()})
            for name in names}


def support_recovery(n: int = 100, p: int = 500, k: int = 10, *, noise: float = 1.0,
                     rho: float = 0.0, l1_ratio: float = 0.5, repeats: int = 4,
                     n_lams: int = 40, lowest: float = 0.02, cv_folds: int = 5,
                     seed: int = 0) -> Recovery:
    """Support counts along λ = fraction·λ_max, averaged over ``repeats`` fresh data sets.

    With ``cv_folds`` > 0 each draw r is also cross-validated on its own rows, on every
    ``CV_EVERY``-th λ of its own grid, with the folds ``kfold(n, cv_folds, seed + r)``:
    exactly what ``regviz.selection.cross_validate`` does there.  0 skips CV (the sweep
    needs none).
    """
    n = check_count(n, "The number of rows n", 10, 100_000)
    p = check_count(p, "The number of features p", 2, 5_000)
    k = check_count(k, "The number of true features k", 1, p)
    noise = check_positive(noise, "The noise sd")
    repeats = check_count(repeats, "The number of repeats", 1, 1_000)
    n_lams = check_count(n_lams, "The number of lambdas", 2, 1_000)
    lowest = check_fraction(lowest, "The lowest lambda (a fraction of lambda_max)", high=0.99)
    # Elastic net needs an L1 part, or it has no lambda_max and keeps every feature.
    l1_ratio = check_fraction(l1_ratio, "Elastic net's mixing a")
    cv_folds = check_count(cv_folds, "The number of CV folds", 0, n // 2)
    if cv_folds == 1:
        raise DataError("Cross-validation needs at least 2 folds (0 turns it off).")
    fractions = np.geomspace(1.0, lowest, n_lams)
    setting = (n, p, k, noise, rho, repeats, n_lams, lowest, cv_folds, seed)
    found = _PARTS.each(RECOVERY_PENALTIES, l1_ratio, setting, lambda names: _support_counts(
        names, l1_ratio, fractions, n, p, k, noise, rho, repeats, cv_folds, seed))
    tp = {name: found[name].tp for name in RECOVERY_PENALTIES}
    fp = {name: found[name].fp for name in RECOVERY_PENALTIES}
    chosen = {name: found[name].chosen for name in RECOVERY_PENALTIES}
    precision, recall = {}, {}
    for name in RECOVERY_PENALTIES:
        selected = tp[name] + fp[name]
        with np.errstate(invalid="ignore", divide="ignore"):
            per_draw = np.where(selected > 0, tp[name] / selected, np.nan)
        any_kept = (selected > 0).any(axis=0)
        precision[name] = np.full(n_lams, np.nan)
        precision[name][any_kept] = np.nanmean(per_draw[:, any_kept], axis=0)
        recall[name] = tp[name].mean(axis=0) / k
    cv = None
    if cv_folds:
        rows = np.arange(repeats)
        cv = {}
        for name in RECOVERY_PENALTIES:
            cv[name] = {}
            for rule in CV_RULES:
                at = chosen[name][rule][:, 0].astype(int)
                cv[name][rule] = CVChoice(rule, chosen[name][rule][:, 1], fractions[at],
                                          tp[name][rows, at], fp[name][rows, at], k)
    return Recovery(fractions, {m: v.mean(axis=0) for m, v in tp.items()},
                    {m: v.mean(axis=0) for m, v in fp.items()}, precision, recall,
                    n, p, k, noise, rho, l1_ratio, repeats, cv, cv_folds)


@dataclass(frozen=True)
class RecoverySweep:
    """Best-λ F1 of the support as one setting (n, noise or rho) varies, the others fixed."""

    setting: str
    values: np.ndarray
    best_f1: dict[str, np.ndarray]
    true_kept: dict[str, np.ndarray]  # at the best λ
    false_kept: dict[str, np.ndarray]

    def caption(self, label: str) -> str:
        f1 = self.best_f1["l1"]
        good = self.values[f1 >= 0.9]
        where = (f"L1's best F1 is at least 0.9 for {label} in "
                 f"{', '.join(f'{v:g}' for v in good)}" if good.size
                 else f"L1's best F1 stays below 0.9 for every {label} tried")
        return (
            f"Best F1 over λ for L1 as {label} goes "
            + ", ".join(f"{v:g}: {s:.2f}" for v, s in zip(self.values, f1, strict=True))
            + f". {where}. Elastic net: "
            + ", ".join(f"{s:.2f}" for s in self.best_f1["elasticnet"]) + "."
        )


def recovery_sweep(setting: str, values, *, n: int = 100, p: int = 500, k: int = 10,
                   noise: float = 1.0, rho: float = 0.0, l1_ratio: float = 0.5,
                   repeats: int = 2, n_lams: int = 30, seed: int = 0) -> RecoverySweep:
    """The best any λ can do, as ``setting`` ("n", "noise" or "rho") takes each of ``values``.

    If even the best λ cannot separate true from false features, no rule for
    choosing λ can: that is where recovery breaks down.
    """
    if setting not in ("n", "noise", "rho"):
        raise DataError(f"The setting to vary must be 'n', 'noise' or 'rho', got {setting!r}.")
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise DataError("A sweep needs a non-empty list of values.")
    base = dict(n=n, p=p, k=k, noise=noise, rho=rho, l1_ratio=l1_ratio, repeats=repeats,
                n_lams=n_lams, cv_folds=0, seed=seed)
    best_f1 = {pen: np.zeros(values.size) for pen in RECOVERY_PENALTIES}
    tp = {pen: np.zeros(values.size) for pen in RECOVERY_PENALTIES}
    fp = {pen: np.zeros(values.size) for pen in RECOVERY_PENALTIES}
    for i, value in enumerate(values):
        if setting == "n":
            value = check_count(value, "The number of rows n", 10, 100_000)
        base[setting] = value
        rec = support_recovery(**base)
        for pen in RECOVERY_PENALTIES:
            j, best_f1[pen][i] = rec.best(pen)
            tp[pen][i], fp[pen][i] = rec.true_kept[pen][j], rec.false_kept[pen][j]
    return RecoverySweep(setting, values, best_f1, tp, fp)
