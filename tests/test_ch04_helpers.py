"""Tests of the plotting helpers that chapter 4 (backpropagation) added to nnlib.plots:
``training_progress`` and ``log_log``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnlib as nn
from nnlib.plots import PALETTE, log_log, training_progress
from nnlib.train import History


def _history(n=12, accuracy=True):
    cost = list(np.linspace(0.7, 0.1, n))
    acc = list(np.linspace(0.5, 0.95, n)) if accuracy else [None] * n
    return History(cost=cost, accuracy=acc)


# ----------------------------------------------------------- training_progress
def test_training_progress_returns_axes_spanning_the_whole_run():
    h = _history(12)
    ax = training_progress(h, 5)
    assert isinstance(ax, plt.Axes)
    assert ax.get_xlim() == (0.0, 12.0)
    # The y axis runs from 0 to 1.05 times the largest cost, whatever the epoch.
    assert ax.get_ylim() == pytest.approx((0.0, 1.05 * 0.7))
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "cost"


def test_training_progress_colours_exactly_the_first_epochs():
    h = _history(12)
    ax = training_progress(h, 5)
    solid = [ln for ln in ax.get_lines() if ln.get_label() == "training cost"]
    assert len(solid) == 1
    np.testing.assert_array_equal(solid[0].get_xdata(), np.arange(1, 6))
    np.testing.assert_allclose(solid[0].get_ydata(), h.cost[:5])
    # The faint full curve covers every epoch.
    faint = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 12]
    assert len(faint) == 1 and faint[0].get_alpha() < 1
    # The dot sits at the current epoch.
    dots = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    assert len(dots) == 1 and list(dots[0].get_xdata()) == [5]


def test_training_progress_frames_share_axes_and_legend():
    h = _history(12)
    fig, axes = plt.subplots(1, 3)
    for ax, e in zip(axes, (0, 6, 12)):
        training_progress(h, e, ax=ax)
    limits = {(a.get_xlim(), a.get_ylim()) for a in axes}
    assert len(limits) == 1
    legends = [[t.get_text() for t in a.get_legend().get_texts()] for a in axes]
    assert legends[0] == legends[1] == legends[2] == ["training cost", "training accuracy"]
    # epoch 0: no dot, no coloured segment with data.
    assert not [ln for ln in axes[0].get_lines() if ln.get_marker() == "o"]


def test_training_progress_accuracy_on_a_twin_axis():
    fig, ax = plt.subplots()
    training_progress(_history(8), 3, ax=ax)
    twins = [a for a in fig.axes if a is not ax]
    assert len(twins) == 1
    assert twins[0].get_ylim() == pytest.approx((0.0, 1.02))
    # A regression history (accuracy None) and accuracy=False draw no twin.
    fig2, ax2 = plt.subplots()
    training_progress(_history(8, accuracy=False), 3, ax=ax2)
    assert fig2.axes == [ax2]
    fig3, ax3 = plt.subplots()
    training_progress(_history(8), 3, ax=ax3, accuracy=False)
    assert fig3.axes == [ax3]


def test_training_progress_works_with_a_real_sgd_history():
    x, y = nn.datasets.xor()
    net = nn.Network([2, 3, 1], hidden="tanh", seed=0)
    h = nn.sgd(net, x, y, eta=0.5, epochs=5, batch_size=4)
    ax = training_progress(h, 5)
    assert ax.get_xlim() == (0.0, 5.0)


@pytest.mark.parametrize("epoch", [-1, 13, 2.0, True, "3"])
def test_training_progress_rejects_bad_epochs(epoch):
    with pytest.raises(ValueError, match="epoch"):
        training_progress(_history(12), epoch)


def test_training_progress_rejects_bad_history():
    with pytest.raises(TypeError, match="history"):
        training_progress([0.5, 0.4], 1)
    with pytest.raises(ValueError, match="empty"):
        training_progress(History(), 0)


# ------------------------------------------------------------------- log_log
def test_log_log_draws_each_curve_and_guide_on_log_axes():
    x = np.logspace(-3, 0, 7)
    ax = log_log(x, {"one": x, "two": 3 * x**2}, xlabel="h", ylabel="error",
                 guides={"slope 2": (2, 1.0, 3.0)})
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_xlabel() == "h" and ax.get_ylabel() == "error"
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert set(lines) == {"one", "two", "slope 2"}
    assert lines["one"].get_color() == PALETTE[0] and lines["two"].get_color() == PALETTE[1]
    # The guide y = y0 (x/x0)^p passes through (x0, y0) with slope p: here it is exactly "two".
    gx, gy = lines["slope 2"].get_xdata(), lines["slope 2"].get_ydata()
    np.testing.assert_allclose(gy, 3 * np.asarray(gx) ** 2)
    np.testing.assert_allclose(gx, [x.min(), x.max()])


def test_log_log_uses_given_axes():
    fig, ax = plt.subplots()
    assert log_log([1, 2, 3], {"a": [1, 4, 9]}, ax=ax) is ax


@pytest.mark.parametrize("x, curves, err", [
    ([0, 1, 2], {"a": [1, 2, 3]}, ValueError),          # x not positive
    ([1, 2, 3], {"a": [1, 0, 3]}, ValueError),          # y not positive
    ([1, 2, 3], {"a": [1, 2]}, ValueError),             # shape mismatch
    ([1, 2, 3], {}, TypeError),                         # no curves
    ([1, 2, 3], [[1, 2, 3]], TypeError),                # not a dict
    ([1, 2, np.nan], {"a": [1, 2, 3]}, ValueError),     # not finite
])
def test_log_log_rejects_bad_input(x, curves, err):
    with pytest.raises(err):
        log_log(x, curves)


def test_log_log_rejects_bad_guides():
    with pytest.raises(TypeError, match="guides"):
        log_log([1, 2], {"a": [1, 2]}, guides=[(1, 1, 1)])
    with pytest.raises(TypeError, match="triple"):
        log_log([1, 2], {"a": [1, 2]}, guides={"g": (1, 1)})
    with pytest.raises(ValueError, match="positive point"):
        log_log([1, 2], {"a": [1, 2]}, guides={"g": (1, 0, 1)})
