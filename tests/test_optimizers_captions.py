"""The zeros-made lesson's sentences state what the results hold, on results built to be known."""

from __future__ import annotations

import numpy as np

from regviz import optimizers as opt
from regviz import optimizers_captions as ocap


def _run(sweeps: int) -> opt.Run:
    return opt.Run(v=np.zeros(2), sweeps=sweeps, seconds=0.0, kkt=0.0, converged=True)


def _row(level: str, l1: int, l2: int) -> opt.SpeedRow:
    return opt.SpeedRow(level=level, lam_l1=1.0, lam_l2=1.0, train_mse=1.0, l1=_run(l1),
                        l2=_run(l2), exact_l1_seconds=0.0, exact_l2_seconds=0.0, nonzero_l1=1)


def test_optimizer_caption_counts_exact_zeros_of_the_last_step_and_of_the_optimum():
    runs = {key: np.array([[1.0, 1.0], [0.5, 0.0], [0.2, 0.0]]) for key in opt.METHOD_LABELS}
    runs["gd_l2"] = np.array([[1.0, 1.0], [0.5, 0.1], [0.2, 1e-300]])
    exact = {key: np.array([0.2, 0.0]) for key in opt.METHOD_LABELS}
    exact["gd_l2"] = np.array([0.2, 1e-300])
    text = ocap.optimizer_caption(runs, exact)
    assert "Coordinate descent (L1): 1 of 2 coordinates exactly 0 after 2 steps (the optimum " \
           "has 1); 2 of 2 steps had an exact zero" in text
    # A tiny non-zero is not a zero: ridge's last step and optimum have none.
    assert "Gradient descent (L2): 0 of 2 coordinates exactly 0 after 2 steps (the optimum " \
           "has 0); 0 of 2 steps" in text


def test_speed_verdict_follows_the_counts_including_a_tie():
    slower = {"A": [_row("weak", 9, 3), _row("strong", 8, 3)], "B": [_row("weak", 2, 5)]}
    assert "in 2 of 3 cases" in ocap.speed_sentences(slower)[0]
    assert "mostly true" in ocap.speed_sentences(slower)[0]
    tie = {"A": [_row("weak", 9, 3), _row("strong", 2, 5)]}
    assert "true in exactly half the cases" in ocap.speed_sentences(tie)[0]
    assert "(L1 as fast)" in ocap.speed_sentences({"C": [_row("weak", 4, 4)]})[1]
    extremes = ocap.speed_extremes(slower)
    assert "slowest against L2 on A (weak penalty: 9 against 3 sweeps, 3×)" in extremes
    assert "fastest on B (weak penalty: 2 against 5, 0.4×)" in extremes
