"""The "How the zeros are made" lesson's sentences, computed from the results they describe.

Each caption takes the same results the figures in ``regviz.figures.optimizers``
draw, so the page's words match its charts; none holds a hard-coded number.
"""

from __future__ import annotations

import numpy as np

from regviz import optimizers as opt

# ---------------------------------------------------------------------------
# 1. Shrinkage rules


def shrinkage_caption(lams: np.ndarray, a: float) -> str:
    """The three rules over the λ slider's range, in numbers."""
    lo, hi = float(np.min(lams)), float(np.max(lams))
    return (
        f"Drag λ from {lo:g} to {hi:g} and z from −3 to 3; both move in your browser. L1 gives "
        f"w = 0 for every |z| ≤ λ/2 (the shaded dead zone: {lo / 2:.3g} wide on each side at "
        f"λ = {lo:g}, {hi / 2:.3g} at λ = {hi:g}) and w = z ∓ λ/2 outside it. L2 gives "
        f"w = z/(1 + λ), from z/{1 + lo:.3g} to z/{1 + hi:.3g}: smaller, but 0 only when z is "
        f"exactly 0. Elastic net (a = {a:g}) gives 0 for |z| ≤ λa/2 ({lo * a / 2:.3g} to "
        f"{hi * a / 2:.3g}) and (|z| − λa/2)/(1 + λ(1 − a)) outside. On the right, L1's "
        "objective has a kink at w = 0 that keeps its lowest point there for every z in the "
        "dead zone."
    )


# ---------------------------------------------------------------------------
# 2. Four optimizers on one two-coefficient problem


def optimizer_caption(runs: dict[str, np.ndarray], exact: dict[str, np.ndarray]) -> str:
    """What each method reached after its last step, with its exact zeros counted."""
    steps = len(next(iter(runs.values()))) - 1
    parts = []
    for key, label in opt.METHOD_LABELS.items():
        last = runs[key][-1]
        zeros_opt = int(np.count_nonzero(exact[key] == 0.0))
        zeros = int(np.count_nonzero(last == 0.0))
        ever = int(np.count_nonzero(np.any(runs[key][1:] == 0.0, axis=1)))
        dist = float(np.linalg.norm(last - exact[key]))
        parts.append(f"{label}: {zeros} of 2 coordinates exactly 0 after {steps} steps "
                     f"(the optimum has {zeros_opt}); {ever} of {steps} steps had an exact zero; "
                     f"distance {dist:.1e}.")
    return " ".join(parts)


# ---------------------------------------------------------------------------
# 3. Speed: sweeps of L1 against L2


def speed_sentences(rows_by_data: dict[str, list[opt.SpeedRow]]) -> list[str]:
    """One computed sentence per dataset, and one overall verdict on "L1 is slower"."""
    out = []
    slower = total = 0
    for name, rows in rows_by_data.items():
        bits = []
        for r in rows:
            total += 1
            slower += r.l1_slower
            word = ("slower" if r.l1.sweeps > r.l2.sweeps else
                    "as fast" if r.l1.sweeps == r.l2.sweeps else "faster")
            bits.append(f"{r.level} penalty: L1 {r.l1.sweeps} sweeps, L2 {r.l2.sweeps} "
                        f"(L1 {word})")
        out.append(f"{name}: " + "; ".join(bits) + ".")
    verdict = ("mostly true" if slower > total / 2 else "false more often than true"
               if slower < total / 2 else "true in exactly half the cases")
    out.insert(0, f"L1 needed more sweeps than L2 in {slower} of {total} cases: the claim "
                  f"\"L1 is slower to train\" is {verdict} here.")
    return out


def speed_extremes(rows_by_data: dict[str, list[opt.SpeedRow]]) -> str:
    """Where L1 was slowest and fastest relative to L2, by the ratio of sweeps."""
    cases = [(r.l1.sweeps / max(r.l2.sweeps, 1), name, r) for name, rows in rows_by_data.items()
             for r in rows]
    hi = max(cases, key=lambda c: c[0])
    lo = min(cases, key=lambda c: c[0])
    return (f"L1 was slowest against L2 on {hi[1]} ({hi[2].level} penalty: {hi[2].l1.sweeps} "
            f"against {hi[2].l2.sweeps} sweeps, {hi[0]:.3g}×) and fastest on {lo[1]} "
            f"({lo[2].level} penalty: {lo[2].l1.sweeps} against {lo[2].l2.sweeps}, "
            f"{lo[0]:.3g}×).")


# ---------------------------------------------------------------------------
# 4. Bias and variance, 5. tuning on the test set


def bias_variance_caption(results, kind: str) -> str:
    parts = []
    for r in results:
        b = r.best
        name = "L1" if r.penalty == "l1" else "L2"
        parts.append(
            f"{name}: from the strongest to the weakest penalty, bias² falls from "
            f"{r.bias2[0]:.3g} to {r.bias2[-1]:.3g} and variance rises from {r.variance[0]:.3g} "
            f"to {r.variance[-1]:.3g}; the test error is {r.test_error[0]:.3g} at the strong "
            f"end, {r.test_error[-1]:.3g} at the weak end and lowest, {r.test_error[b]:.3g}, at "
            f"λ = {r.lams[b]:.3g} (dotted). CV on one training sample chose λ = "
            f"{r.lambda_cv:.3g} (dashed).")
    if len(results) == 2:
        l1, l2 = results
        win = "L1" if l1.test_error[l1.best] < l2.test_error[l2.best] else "L2"
        parts.append(f"With a {kind} truth, the best achievable test error is lower for {win} "
                     f"({l1.test_error[l1.best]:.3g} for L1, {l2.test_error[l2.best]:.3g} "
                     "for L2).")
    gap = max(float(np.max(np.abs(r.mc_gap) / r.mc_gap_se)) for r in results)
    parts.append(f"Over {results[0].reps} training samples, simulated test error and bias² + "
                 f"variance + σ² agree to within {gap:.1f} Monte Carlo standard errors.")
    return " ".join(parts)


def tune_caption(result) -> str:
    n = result.claimed.size
    opt_mean = float(result.optimism.mean())
    opt_se = float(result.optimism.std(ddof=1) / np.sqrt(n))
    cv_mean = float(result.cv_optimism.mean())
    cv_se = float(result.cv_optimism.std(ddof=1) / np.sqrt(n))
    rosy = int(np.count_nonzero(result.optimism > 0))
    return (
        f"Over {n} draws (test sets of {result.n_test} rows): tuning λ on the test set reported "
        f"an average error of {result.claimed.mean():.3g}, but the same models' error on new "
        f"data was {result.fresh.mean():.3g}: {opt_mean:.3g} ± {opt_se:.2g} higher than "
        f"claimed, and higher in {rosy} of {n} draws. Choosing λ by CV and only then "
        f"reading the test set reported {result.cv_claimed.mean():.3g} against "
        f"{result.cv_fresh.mean():.3g} on new data (a difference of {cv_mean:.3g} ± "
        f"{cv_se:.2g})."
    )
