"""Numbers for the house-price lesson's sentences: lambdas, dollars, shares.

One place for how an amount reads in a caption, so the data tables, the fits'
tables and the captions all print a value the same way.
"""

from __future__ import annotations

import math

# --------------------------------------------------------------------------- formatting


def fmt_lam(lam: float) -> str:
    """A lambda for a sentence: 12,300 / 45.6 / 0.0123 / 1.2e-05."""
    if lam == 0:
        return "0"
    if 100 <= abs(lam) < 1e7:
        return f"{lam:,.0f}"
    if 1e-3 <= abs(lam) < 100:
        return f"{lam:.3g}"
    return f"{lam:.2g}"


def number(x: float) -> str:
    """An amount in the table's own units: 12,300 / 45.6 / 0.0123 / 1.2e-05."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    if 1_000 <= abs(x) < 1e9:
        return f"{x:,.0f}"
    if 1e-3 <= abs(x) < 1_000:
        return f"{x:.3g}"
    return f"{x:.2e}"


def percent(share: float) -> str:
    if not math.isfinite(share):
        return "more than all"
    pct = 100 * share
    if pct == 0:
        return "0%"
    if pct < 0.1:
        return f"{pct:.2g}%"
    return f"{pct:.1f}%" if pct < 10 else f"{pct:.0f}%"


def money(x: float, signed: bool = False) -> str:
    """Dollars for a sentence: $27,330, −$800 (+$110 with signed=True)."""
    sign = "+" if signed and x > 0 else "−" if x < 0 else ""
    return f"{sign}${abs(x):,.0f}"


def short_number(x) -> str:
    x = float(x)
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:g}"
