"""Plot helpers: each returns its axes, draws on a given ``ax``, and draws what it claims."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet

import nnlib as nn
from nnlib import plots
from nnlib.activations import get_activation
from nnlib.train import History


def _contours(ax, filled):
    return [c for c in ax.collections if isinstance(c, ContourSet) and bool(c.filled) == filled]


def _shown(n, max_shown):
    """How many neurons network_diagram draws for a layer of n (its docstring's rule)."""
    return n if n <= max_shown else 2 * max(1, (max_shown - 1) // 2)


@pytest.mark.parametrize("sizes, max_shown", [([2, 3, 1], 8), ([3, 12, 5, 1], 8), ([784, 30, 10], 6),
                                              ([4, 4], 3)])
def test_network_diagram(sizes, max_shown):
    fig, ax = plt.subplots()
    out = plots.network_diagram(sizes, ax=ax, max_shown=max_shown)
    assert out is ax
    markers = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    assert markers == sum(_shown(n, max_shown) for n in sizes)
    # One line per weight drawn (between the neurons shown).
    edges = sum(_shown(a, max_shown) * _shown(b, max_shown) for a, b in zip(sizes, sizes[1:]))
    assert len(ax.lines) == edges
    # Layers at x = 0..L; an ellipsis for every layer too large to show in full.
    xs = np.concatenate([c.get_offsets()[:, 0] for c in ax.collections if isinstance(c, PathCollection)])
    assert set(np.round(xs, 9)) == set(range(len(sizes)))
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("⋮") == sum(n > max_shown for n in sizes)
    for l in range(1, len(sizes)):
        assert f"$w^{{{l}}}$" in texts


def test_network_diagram_without_labels_and_on_a_new_figure():
    ax = plots.network_diagram([2, 2], labels=False)
    assert isinstance(ax, mpl.axes.Axes) and ax.figure is plt.gcf()
    assert not [t for t in ax.texts if t.get_text() != "⋮"]


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "step", "identity"])
def test_function_and_derivative(name):
    fig, ax = plt.subplots()
    out = plots.function_and_derivative(name, ax=ax)
    assert out is ax
    act = get_activation(name)
    fn_line, prime_line = ax.lines[:2]
    z = fn_line.get_xdata()
    assert z[0] == -5 and z[-1] == 5 and len(z) == 401
    assert np.array_equal(fn_line.get_ydata(), act.fn(z))
    assert np.array_equal(prime_line.get_ydata(), act.prime(z))
    assert ax.get_title() == name
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [r"$\sigma(z)$", r"$\sigma'(z)$"]


def test_function_and_derivative_on_a_given_grid():
    z = np.linspace(-2, 2, 9)
    ax = plots.function_and_derivative(get_activation("elu", alpha=0.5), z=z, title=False)
    assert np.array_equal(ax.lines[0].get_xdata(), z)
    assert np.array_equal(ax.lines[1].get_ydata(), np.where(z > 0, 1.0, 0.5 * np.exp(z)))
    assert ax.get_title() == ""


def test_decision_boundary_of_a_linear_classifier():
    """sigma(4 (x1 - 0.3) + 2 x2): the 0.5 contour is the line 4 (x1 - 0.3) + 2 x2 = 0."""
    fig, ax = plt.subplots()
    predict = lambda g: nn.sigmoid(4 * (g[0] - 0.3) + 2 * g[1])   # noqa: E731
    out = plots.decision_boundary(predict, ax=ax, xlim=(-2, 2), ylim=(-2, 2), resolution=101)
    assert out is ax
    (line,) = _contours(ax, filled=False)
    assert list(line.levels) == [0.5]
    v = np.concatenate([p.vertices for p in line.get_paths()])
    assert len(v) > 10
    assert np.allclose(4 * (v[:, 0] - 0.3) + 2 * v[:, 1], 0.0, atol=1e-2)
    assert v[:, 1].min() < -1.9 and v[:, 1].max() > 1.9                 # it crosses the whole plot
    assert len(_contours(ax, filled=True)) == 1                         # the shading
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-2, 2)


def test_decision_boundary_with_points_and_a_network():
    x, y = nn.datasets.blobs(n=30, centers=3, seed=0)
    net = nn.Network([2, 3], output="softmax", cost="log_likelihood")
    ax = plots.decision_boundary(net, x, y, resolution=40)
    # Three classes: the argmax regions are shaded, with boundaries between them.
    assert len(_contours(ax, filled=True)) == 1 and len(_contours(ax, filled=False)) == 1
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points) == 3
    for c, coll in enumerate(points):
        assert np.allclose(coll.get_offsets(), x[:, y == c].T)
    # Limits: the data's, padded by 0.5.
    assert ax.get_xlim() == pytest.approx((x[0].min() - 0.5, x[0].max() + 0.5))
    assert ax.get_ylim() == pytest.approx((x[1].min() - 0.5, x[1].max() + 0.5))


def test_decision_boundary_without_a_crossing_draws_no_contour_line():
    ax = plots.decision_boundary(lambda g: np.full(g.shape[1], 0.9), resolution=10)
    assert _contours(ax, filled=False) == []


def _history():
    h = History()
    h.cost = [1.0, 0.5, 0.25]
    h.val_cost = [1.1, 0.6, 0.4]
    h.accuracy = [0.5, 0.75, 1.0]
    h.val_accuracy = [0.5, 0.5, 0.75]
    return h


def test_training_curves():
    fig, ax = plt.subplots()
    h = _history()
    assert plots.training_curves(h, ax=ax) is ax
    assert [list(l.get_ydata()) for l in ax.lines] == [h.cost, h.val_cost]
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3]
    twin = [a for a in fig.axes if a is not ax]
    assert len(twin) == 1
    assert [list(l.get_ydata()) for l in twin[0].lines] == [h.accuracy, h.val_accuracy]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["training cost", "validation cost", "training accuracy", "validation accuracy"]


def test_training_curves_without_accuracy_and_log_scale():
    fig, ax = plt.subplots()
    h = _history()
    plots.training_curves(h, ax=ax, accuracy=False, log=True)
    assert len(fig.axes) == 1 and ax.get_yscale() == "log"
    h_reg = History(cost=[2.0, 1.0], accuracy=[None, None])             # regression: no accuracy
    ax2 = plots.training_curves(h_reg)
    assert len(ax2.figure.axes) == 1 and list(ax2.lines[0].get_ydata()) == [2.0, 1.0]


def test_descent_path():
    fig, ax = plt.subplots()
    cost = lambda w1, w2: w1 ** 2 + 3 * w2 ** 2                         # noqa: E731
    path = np.array([[1.5, 1.0], [1.0, 0.4], [0.5, 0.1], [0.1, 0.0]])
    assert plots.descent_path(cost, path, ax=ax, label="GD") is ax
    assert len(_contours(ax, filled=False)) == 1
    assert np.array_equal(ax.lines[0].get_xydata(), path)
    assert tuple(ax.lines[1].get_xydata()[0]) == (1.5, 1.0)             # start marker
    assert tuple(ax.lines[2].get_xydata()[0]) == (0.1, 0.0)             # end marker
    # A second path on the same axes: no second set of contours.
    plots.descent_path(cost, path[::-1], ax=ax, label="reversed")
    assert len(_contours(ax, filled=False)) == 1 and len(ax.lines) == 6
    assert ax.lines[0].get_color() != ax.lines[3].get_color()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["GD", "reversed"]


def test_book_style():
    with mpl.rc_context():
        before = mpl.rcParams["axes.spines.top"]
        with plots.book_style():
            assert mpl.rcParams["image.cmap"] == plots.CMAP
            assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == plots.PALETTE
            assert mpl.rcParams["axes.spines.top"] is False
        assert mpl.rcParams["axes.spines.top"] == before                # restored on exit
        plots.use_book_style()
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == plots.PALETTE
    assert len(plots.PALETTE) == len(set(plots.PALETTE)) == 8


def test_new_axes():
    fig, ax = plt.subplots()
    assert plots.new_axes(ax) is ax
    other = plots.new_axes(figsize=(3, 2))
    assert other is not ax and tuple(other.figure.get_size_inches()) == (3, 2)
