"""The sparsity lab's experiments: pure numpy on top of the exact solver, seeded.

1. ``zeros_vs_lambda`` / ``matched_magnitudes``: exact zeros along λ, and
   coefficient sizes at one shared training error.
2. ``corner_monte_carlo``: random 2-D losses under a diamond and a circle.
3. ``support_recovery`` / ``recovery_sweep``: ten true features among 500.
4. ``bootstrap_selection`` (with ``twins_sampler``): who keeps which twin.
5. ``who_wins``: test error at the CV λ under a sparse and a dense truth.

Every result is a frozen dataclass with a ``caption()`` that states its
numbers, so a chart's message is also available as text.
"""

from regviz.experiments._common import forget_parts
from regviz.experiments.corners import Corners, corner_monte_carlo
from regviz.experiments.recovery import Recovery, RecoverySweep, recovery_sweep, support_recovery
from regviz.experiments.twins import (
    TWIN_NAMES,
    Bootstrap,
    bootstrap_selection,
    resamples_for,
    simulated_twins,
    twins_sampler,
)
from regviz.experiments.who_wins import Contest, who_wins
from regviz.experiments.zeros import (
    MatchedMagnitudes,
    ZeroCounts,
    matched_magnitudes,
    zeros_vs_lambda,
)

__all__ = [
    "TWIN_NAMES",
    "Bootstrap",
    "Contest",
    "Corners",
    "MatchedMagnitudes",
    "Recovery",
    "RecoverySweep",
    "ZeroCounts",
    "bootstrap_selection",
    "corner_monte_carlo",
    "forget_parts",
    "matched_magnitudes",
    "recovery_sweep",
    "resamples_for",
    "simulated_twins",
    "support_recovery",
    "twins_sampler",
    "who_wins",
    "zeros_vs_lambda",
]
