"""The diagnosis lesson: 1,000 markers, 5 that matter, and what L1 and L2 make of them.

Two claims students have read, tested on seeded synthetic cohorts:

* "L1 finds the 5 driver genes; L2 uses all 1,000 and is slightly more
  accurate": L1 and L2 at their cross-validated lambda (lambda_min, stratified
  5-fold), the L1 support's precision and recall against the true drivers, the
  number of markers each model uses, and test accuracy and AUC side by side,
  over repeated cohorts, so the accuracy claim is measured with its noise.
* "99% on the training data is overfitting": with many markers and few
  patients the (nearly) unpenalized model separates the training patients
  (training accuracy 100%) and does worse on new patients; either penalty
  narrows the gap.  "Nearly unpenalized" is the L2 fit at a lambda a million
  times below the curvature of the log-loss at zero: with more markers than
  patients the unpenalized fit has no optimum at all.

Every caption sentence is computed from the numbers of the result it describes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regviz.classification_cv import accuracy, auc, cross_validate_logistic
from regviz.errors import DataError
from regviz.logistic import (
    default_logistic_grid,
    fit_logistic,
    lambda_max_of,
    path_on,
    prepare_logistic,
)
from regviz.penalties import make_penalty

N_DRIVERS = 5
_RULE_WORDS = {"min": "lowest held-out log-loss", "1se": "one standard error rule"}


@dataclass(frozen=True)
class Cohort:
    """Patients (rows) by markers (columns), the disease label and the true effects."""

    X: np.ndarray
    y: np.ndarray
    coef: np.ndarray
    intercept: float
    drivers: tuple[int, ...]
    names: tuple[str, ...]


def simulate_cohort(n: int = 300, p: int = 1000, k: int = N_DRIVERS, seed: int = 0,
                    effect: float = 1.0) -> Cohort:
    """Markers ~ N(0, 1); the log-odds of disease move with ``k`` of them, by +-effect..2*effect.

    The drivers sit at seeded random positions so that nothing about column order
    gives them away.
    """
    if not (2 <= k <= p) or n < 20:
        raise DataError("A cohort needs at least 20 patients and 2 to p driver markers.")
    rng = np.random.default_rng(seed)
    drivers = tuple(sorted(int(j) for j in rng.choice(p, k, replace=False)))
    coef = np.zeros(p)
    coef[list(drivers)] = rng.choice([-1.0, 1.0], k) * rng.uniform(effect, 2 * effect, k)
    X = rng.normal(size=(n, p))
    eta = X @ coef
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(float)
    if min(y.sum(), n - y.sum()) < 10:  # a degenerate draw: re-draw with the next seed
        return simulate_cohort(n, p, k, seed + 1_000_003, effect)
    names = tuple(f"m{j + 1:04d}" for j in range(p))
    return Cohort(X=X, y=y, coef=coef, intercept=0.0, drivers=drivers, names=names)


@dataclass(frozen=True)
class CohortResult:
    """One cohort: both penalties at their CV lambda, and the nearly unpenalized model."""

    seed: int
    n_train: int
    n_test: int
    p: int
    drivers: tuple[int, ...]
    lam_l1: float
    lam_l2: float
    l1_support: tuple[int, ...]
    l2_used: int
    test_accuracy: dict  # {"l1", "l2", "none"}: share correct on the test patients
    test_auc: dict
    train_accuracy: dict

    @property
    def precision(self) -> float:
        """Share of the markers L1 kept that are true drivers (1 if it kept none)."""
        hits = len(set(self.l1_support) & set(self.drivers))
        return hits / len(self.l1_support) if self.l1_support else 1.0

    @property
    def recall(self) -> float:
        """Share of the true drivers that L1 kept."""
        return len(set(self.l1_support) & set(self.drivers)) / len(self.drivers)


def _lesson_grid(prob, pen, n_lams: int) -> np.ndarray:
    """The default grid's upper part: 1 to 1/30 of lambda_max for L1, 1e2 to 1e-2 of the
    log-loss curvature for L2.  Cross-validation's minimum sits well inside both on these
    cohorts (tests check it is not at the bottom), and the bottom is where fits are slowest."""
    full = default_logistic_grid(prob, pen, 2)
    bottom = full[0] / 30.0 if np.isfinite(lambda_max_of(prob, pen)) else full[0] * 1e-4
    return np.geomspace(full[0], bottom, n_lams)


def _fit_at_cv(X, y, penalty: str, seed: int, n_lams: int, rule: str = "min"):
    """(coef, intercept, lambda) at lambda_min (or lambda_1se) of stratified 5-fold CV,
    read off the exact path."""
    prob = prepare_logistic(X, y)
    pen = make_penalty(penalty)
    path = path_on(prob, pen, _lesson_grid(prob, pen, n_lams))
    cv = cross_validate_logistic(X, y, penalty=penalty, lams=path.lams, k=5, seed=seed)
    i = cv.idx_1se if rule == "1se" else cv.idx_min
    return path.coefs[i], float(path.intercepts[i]), float(cv.lams[i])


def _nearly_unpenalized(X, y):
    """L2 with lambda 1e-6 of the log-loss curvature at zero: the edge of 'no penalty'."""
    prob = prepare_logistic(X, y)
    rate = float(prob.y.mean())
    lam = 1e-6 * rate * (1 - rate) * float(np.mean(prob.Z**2))
    return fit_logistic(X, y, penalty="l2", lam=lam)


def run_cohort(n_train: int = 200, p: int = 1000, seed: int = 0, n_test: int = 2000,
               n_lams: int = 20, rule: str = "min") -> CohortResult:
    """Simulate one cohort (training and fresh test patients) and fit the three models.

    ``rule`` picks the CV lambda: "min" (lowest held-out log-loss) or "1se" (the largest
    lambda within one standard error of it: fewer markers).
    """
    if rule not in ("min", "1se"):
        raise DataError(f"rule must be 'min' or '1se', got {rule!r}.")
    cohort = simulate_cohort(n_train + n_test, p, seed=seed)
    tr, te = slice(0, n_train), slice(n_train, None)
    X, y = cohort.X[tr], cohort.y[tr]
    w1, b1, lam_l1 = _fit_at_cv(X, y, "l1", seed, n_lams, rule)
    w2, b2, lam_l2 = _fit_at_cv(X, y, "l2", seed, n_lams, rule)
    free = _nearly_unpenalized(X, y)
    models = {"l1": (w1, b1), "l2": (w2, b2), "none": (free.coef, free.intercept)}
    test_eta = {key: cohort.X[te] @ w + b for key, (w, b) in models.items()}
    return CohortResult(
        seed=seed, n_train=n_train, n_test=n_test, p=p, drivers=cohort.drivers,
        lam_l1=lam_l1, lam_l2=lam_l2,
        l1_support=tuple(int(j) for j in np.flatnonzero(w1)),
        l2_used=int(np.count_nonzero(w2)),
        test_accuracy={key: float(accuracy(cohort.y[te], e)) for key, e in test_eta.items()},
        test_auc={key: auc(cohort.y[te], e) for key, e in test_eta.items()},
        train_accuracy={key: float(accuracy(y, X @ w + b)) for key, (w, b) in models.items()},
    )


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _marker_count(counts: list[int], *, whole: int | None = None, mean: bool = False) -> str:
    """How many markers a model used, one count per cohort: one number when every cohort agrees
    ("all" when that is ``whole``), else the range, with its mean if asked."""
    lo, hi = min(counts), max(counts)
    if lo == hi:
        every = " in every cohort" if len(counts) > 1 else ""
        return f"{'all ' if lo == whole else ''}{lo:,} markers{every}"
    return f"{lo:,} to {hi:,} markers" + (f" (mean {np.mean(counts):.1f})" if mean else "")


@dataclass(frozen=True)
class DiagnosisStudy:
    """Repeated cohorts; every summary and caption is read off ``cohorts``."""

    cohorts: tuple[CohortResult, ...]
    rule: str = "min"

    def _series(self, attr: str, key: str) -> np.ndarray:
        return np.array([getattr(c, attr)[key] for c in self.cohorts])

    def mean(self, attr: str, key: str) -> float:
        return float(self._series(attr, key).mean())

    @property
    def precision(self) -> np.ndarray:
        return np.array([c.precision for c in self.cohorts])

    @property
    def recall(self) -> np.ndarray:
        return np.array([c.recall for c in self.cohorts])

    def difference(self, attr: str = "test_accuracy") -> tuple[float, float]:
        """Mean of L2 minus L1 over cohorts and its paired standard error (nan for one cohort)."""
        d = self._series(attr, "l2") - self._series(attr, "l1")
        se = float(d.std(ddof=1) / np.sqrt(d.size)) if d.size > 1 else float("nan")
        return float(d.mean()), se

    def support_caption(self) -> str:
        c = self.cohorts
        sizes = [len(r.l1_support) for r in c]
        found = sum(r.recall == 1.0 for r in c)
        p = c[0].p
        kept = _marker_count(sizes, mean=True)
        l2 = _marker_count([r.l2_used for r in c], whole=p)
        return (f"Over {len(c)} cohort{'s' if len(c) != 1 else ''} of {c[0].n_train:,} patients "
                f"and {p:,} markers ({len(c[0].drivers)} drivers), L1 at its cross-validated "
                f"lambda ({_RULE_WORDS[self.rule]}) kept {kept}: "
                f"precision {_pct(self.precision.mean())}, recall {_pct(self.recall.mean())}, "
                f"all {len(c[0].drivers)} drivers found in {found} of {len(c)}. "
                f"L2 used {l2}.")

    def accuracy_caption(self) -> str:
        d, se = self.difference("test_accuracy")
        da, sea = self.difference("test_auc")
        wins = int(np.sum(self._series("test_accuracy", "l2") > self._series("test_accuracy",
                                                                              "l1")))
        return (f"Test accuracy: L1 {_pct(self.mean('test_accuracy', 'l1'))}, L2 "
                f"{_pct(self.mean('test_accuracy', 'l2'))}; L2 was more accurate in {wins} of "
                f"{len(self.cohorts)} cohorts. L2 minus L1: {100 * d:+.1f} points of accuracy"
                f"{_se_text(se, 100)} and {da:+.3f} of AUC{_se_text(sea, 1)}. "
                f"{_verdict(d, se, 'more accurate')}")

    def overfitting_caption(self) -> str:
        tr, te = self.mean("train_accuracy", "none"), self.mean("test_accuracy", "none")
        perfect = sum(r.train_accuracy["none"] == 1.0 for r in self.cohorts)
        gap = {k: self.mean("train_accuracy", k) - self.mean("test_accuracy", k)
               for k in ("none", "l1", "l2")}
        return (f"With {self.cohorts[0].p:,} markers and {self.cohorts[0].n_train:,} patients the "
                f"nearly unpenalized model gets {_pct(tr)} of the training patients right "
                f"(100% in {perfect} of {len(self.cohorts)} cohorts) but {_pct(te)} of new "
                f"patients: a gap of {100 * gap['none']:.1f} points. At the cross-validated "
                f"lambda the gap is {100 * gap['l1']:.1f} points for L1 (test "
                f"{_pct(self.mean('test_accuracy', 'l1'))}) and {100 * gap['l2']:.1f} for L2 "
                f"(test {_pct(self.mean('test_accuracy', 'l2'))}).")

    def caption(self) -> str:
        return " ".join([self.support_caption(), self.accuracy_caption(),
                         self.overfitting_caption()])


def _se_text(se: float, unit: float) -> str:
    return "" if not np.isfinite(se) else f" (± {unit * se:.{1 if unit == 100 else 3}f} SE)"


def _verdict(d: float, se: float, what: str) -> str:
    """Whether a mean difference stands out from its noise (beyond 2 standard errors)."""
    if not np.isfinite(se):
        return "One cohort cannot say whether the difference is more than chance."
    if abs(d) > 2 * se:
        who = "L2" if d > 0 else "L1"
        return f"{who} was {what} beyond 2 standard errors."
    return f"The difference is within 2 standard errors: neither is clearly {what}."


def run_study(repeats: int = 2, n_train: int = 200, p: int = 1000, seed: int = 0,
              n_test: int = 2000, n_lams: int = 20, rule: str = "min") -> DiagnosisStudy:
    """``repeats`` independent cohorts (seeds seed, seed+1, ...)."""
    if repeats < 1:
        raise DataError("The study needs at least one cohort.")
    return DiagnosisStudy(tuple(run_cohort(n_train, p, seed + r, n_test, n_lams, rule)
                                for r in range(repeats)), rule=rule)
