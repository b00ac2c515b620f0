"""The house-price lesson's sentences, each computed from the numbers it describes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from regviz.house_fits import Overfit, Scaling, SeedSummary, Snapshot
from regviz.house_numbers import fmt_lam, money, number, percent
from regviz.penalties import PENALTY_CLASSES


def describe(snap: Snapshot, label: Callable[[str], str] = str) -> str:
    """What happened to the junk at this lambda, in numbers; ``label`` formats column names."""
    name = PENALTY_CLASSES[snap.penalty].short_label
    head = f"{name} at λ = {fmt_lam(snap.lam)}: "
    kept, total = snap.n_junk_kept, snap.n_junk
    if kept == 0:
        return head + f"0 of {total} junk columns survive"
    share = percent(snap.largest_junk_share)
    if kept == total:
        return head + (f"keeps all {total} junk columns, the largest junk weight is {share} "
                       "of the largest real one")
    names = ", ".join(map(label, snap.junk_kept))
    return head + (f"{kept} of {total} junk columns survive ({names}), the "
                   f"largest at {share} of the largest real weight")


def sentence(l1: Snapshot, l2: Snapshot, label: Callable[[str], str] = str) -> str:
    """The comparison in one sentence, e.g. for a caption."""
    return f"{describe(l1, label)}; {describe(l2, label)}."


# --------------------------------------------------------------------------- captions


def errors_caption(l1: Snapshot, l2: Snapshot, fmt: Callable[[float], str] | None = None) -> str:
    """Train and test error of both fits, in dollars (or ``fmt``, the target's own units)."""
    fmt = fmt or money
    parts = []
    for snap in (l1, l2):
        e = snap.errors
        name = PENALTY_CLASSES[snap.penalty].short_label
        parts.append(f"{name}: typical error (RMSE) {fmt(e.train_rmse)} on the training rows, "
                     f"{fmt(e.test_rmse)} on the test rows (test R² {e.test_r2:.2f})")
    return "; ".join(parts) + "."


def overfit_caption(ov: Overfit, fmt: Callable[[float], str] | None = None) -> str:
    """The overfitting story in numbers (amounts in dollars, or by ``fmt``)."""
    amount = fmt or money
    ols = "minimum-norm least squares" if ov.min_norm else "least squares"
    o = ov.ols
    text = (f"{ov.n_features} features, {ov.n_train} training rows. No penalty ({ols}): "
            f"training R² {o.train_r2:.3f} (RMSE {amount(o.train_rmse)}), test R² "
            f"{o.test_r2:.2f} (RMSE {amount(o.test_rmse)}).")
    for pen, c in ov.curves.items():
        e = c.errors()
        name = PENALTY_CLASSES[pen].short_label
        text += (f" {name} at λ_1se = {fmt_lam(c.lambda_1se)}: training R² {e.train_r2:.2f}, "
                 f"test R² {e.test_r2:.2f} (RMSE {amount(e.test_rmse)}"
                 + (f", {int(c.n_nonzero[c.idx_1se])} of {ov.n_features} features kept"
                    if pen == "l1" else "") + ").")
    return text


def scaling_caption(sc: Scaling, i: int, label: Callable[[str], str] = str,
                    limit: int | None = None) -> str:
    """Which features change rank or fate when standardization is off, at grid point i.

    ``label`` formats feature names (user text); ``limit`` is the chart's.
    """
    with_std, without = sc.ranks(i)
    names = [label(name) for name in sc.feature_names]
    shown = sc.shown(i, limit)
    lost = [names[j] for j in shown if with_std[j] and not without[j]]
    gained = [names[j] for j in shown if without[j] and not with_std[j]]
    text = f"L1 at λ = {fmt_lam(float(sc.lams[i]))}: {sc.n_changed(i)} features change rank."
    if lost:
        verb = "is" if len(lost) == 1 else "are"
        text += f" Without standardization {_join(lost)} {verb} dropped."
    if gained:
        verb = "survives" if len(gained) == 1 else "survive"
        text += f" {_join(gained)} {verb} only without standardization."
    order = sorted(shown, key=lambda j: -sc.penalty_factor[j])
    listed = [f"{names[j]} {sc.penalty_factor[j]:.2g}×" for j in order]
    if len(listed) > 12:  # the dearest and the cheapest say it; the table has the rest
        listed = [*listed[:5], f"… {len(listed) - 10} more …", *listed[-5:]]
    text += (" Penalty per sd of effect without standardization, relative to with: "
             + ", ".join(listed) + ".")
    every = len(sc.shown(i))
    if len(shown) < every:
        text += (f" The chart shows the {len(shown)} best ranked in either fit of the {every} "
                 "real or non-zero columns; the table below has them all.")
    return text


def units_sentence(sc: Scaling, target: str, label: Callable[[str], str] = str,
                   fmt: Callable[[float], str] | None = None) -> str | None:
    """The widest and the narrowest spread in their own units, and what that costs under L1.

    Among the real features if there are two with different spreads, else among
    every column (junk included); None if every spread is the same.
    """
    fmt = fmt or number
    real = np.flatnonzero(~sc.is_junk)
    pool = real if np.ptp(sc.sd[real]) > 0 and len(real) > 1 else np.arange(len(sc.sd))
    if np.ptp(sc.sd[pool]) == 0:
        return None
    wide, narrow = pool[np.argmax(sc.sd[pool])], pool[np.argmin(sc.sd[pool])]
    a, b = label(sc.feature_names[wide]), label(sc.feature_names[narrow])
    ratio = sc.sd[wide] / sc.sd[narrow]
    return (f"One standard deviation of {a} is {fmt(sc.sd[wide])} in its own units; one of "
            f"{b} is {fmt(sc.sd[narrow])}. To move {label(target)} by the same amount, "
            f"{b}'s coefficient must be {fmt(ratio)} times larger than {a}'s, and without "
            f"standardization L1 charges by the size of the coefficient: {a} is cheap to keep "
            f"and {b} is dear.")


def seeds_caption(ss: SeedSummary) -> str:
    """How often L1 removed all the junk, and what L2 did, over the seeds."""
    count = len(ss.seeds)
    first, last = int(ss.seeds.min()), int(ss.seeds.max())
    text = (f"Over {count} fresh draws of {ss.n:,} sales (seeds {first}–{last}), L1 at its "
            f"λ_1se set all {ss.n_junk} junk columns to exactly 0 in {ss.all_junk_zeroed} of "
            f"{count}")
    worst = int(ss.l1_junk_kept.max(initial=0))
    if ss.all_junk_zeroed < count:
        text += f" (at worst {worst} survived)"
    text += (f". L2 kept all {ss.n_junk} in {ss.l2_kept_all} of {count}; its largest junk "
             f"weight was a median {percent(float(np.median(ss.l2_junk_share)))} of the largest "
             "real one.")
    dropped = sorted({name for names in ss.l1_real_dropped for name in names})
    if dropped:
        times = {name: sum(name in d for d in ss.l1_real_dropped) for name in dropped}
        text += " L1 also dropped a real feature now and then: " + ", ".join(
            f"{name} ({times[name]}×)" for name in dropped) + "."
    return text


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
