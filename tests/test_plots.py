"""Plot helpers: each returns its axes, draws on a given ``ax``, and draws what it claims.

The diagram's layout is a documented contract (chapter 3 draws on top of it): layer
``l`` at ``x = l``, neuron ``j`` at ``y = (n_l - 1)/2 - j``, and a layer larger than
``max_shown`` shows its first and last ``max(1, (max_shown - 1) // 2)`` neurons with an
ellipsis at ``y = 0``.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet

import nnlib as nn
from nnlib import plots
from nnlib.activations import get_activation
from nnlib.plots import _layer_slots
from nnlib.train import History

from conftest import xor_net


def _contours(ax, filled):
    return [c for c in ax.collections if isinstance(c, ContourSet) and bool(c.filled) == filled]


def _shown(n, max_shown):
    """How many neurons network_diagram draws for a layer of n (its docstring's rule)."""
    return n if n <= max_shown else 2 * max(1, (max_shown - 1) // 2)


def _connection_lines(ax):
    """The lines drawn between two consecutive layers (x from l-1 to l)."""
    out = []
    for line in ax.lines:
        xs = line.get_xdata()
        if len(xs) == 2 and xs[1] - xs[0] == 1:
            out.append(line)
    return out


def _neuron_offsets(ax):
    return [c.get_offsets() for c in ax.collections]


# ---------------------------------------------------------------- layout contract
@given(n=st.integers(1, 60), max_shown=st.integers(1, 12))
@settings(max_examples=200, deadline=None)
def test_layer_slots_contract(n, max_shown):
    index, ys, gap = _layer_slots(n, max_shown)
    assert len(index) == len(ys) <= max(max_shown, 2)
    assert np.all(np.diff(ys) < 0)                          # top to bottom
    assert np.allclose(ys, -ys[::-1])                       # centred on y = 0
    if n <= max_shown:
        assert gap is None
        assert np.array_equal(index, np.arange(n))
        assert np.allclose(ys, (n - 1) / 2 - index)
    else:
        h = max(1, (max_shown - 1) // 2)
        assert gap == 0.0 and not np.any(ys == 0.0)         # the ellipsis has its own slot
        assert np.array_equal(index, np.r_[0:h, n - h:n])   # first and last h neurons
        assert np.allclose(np.abs(np.diff(ys)), np.r_[[1.0] * (h - 1), 2.0, [1.0] * (h - 1)])


# ---------------------------------------------------------------- network_diagram
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


@pytest.mark.parametrize("sizes", [[2, 4, 3], [2, 1], [784, 30, 10], [3, 12, 9, 2], [4, 5, 5, 5, 5, 1]])
def test_network_diagram_draws_every_shown_weight_and_neuron(sizes):
    fig, ax = plt.subplots()
    assert plots.network_diagram(sizes, ax=ax) is ax
    slots = [_layer_slots(n, 8) for n in sizes]
    shown = [len(s[0]) for s in slots]
    assert len(_connection_lines(ax)) == sum(shown[l - 1] * shown[l] for l in range(1, len(sizes)))
    offsets = _neuron_offsets(ax)
    assert len(offsets) == len(sizes)
    for l, (off, (_, ys, _)) in enumerate(zip(offsets, slots)):
        assert np.allclose(off[:, 0], l) and np.allclose(off[:, 1], ys)
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("⋮") == sum(n > 8 for n in sizes)
    for l, n in enumerate(sizes):
        assert any(f"$n_{{{l}}}={n}$" in t for t in texts)
    for l in range(1, len(sizes)):
        assert f"$w^{{{l}}}$" in texts


def test_network_diagram_without_labels_and_small_max_shown():
    fig, ax = plt.subplots()
    plots.network_diagram([5, 100, 1], ax=ax, max_shown=3, labels=False)
    assert [t.get_text() for t in ax.texts] == ["⋮", "⋮"]
    assert [len(o) for o in _neuron_offsets(ax)] == [2, 2, 1]


@pytest.mark.parametrize("sizes", [[4, 5, 5, 5, 5, 1], [2, 8, 8, 8, 8, 8, 8, 8, 3], [784, 30, 10]])
def test_network_diagram_labels_do_not_overlap_and_fit(sizes):
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    plots.network_diagram(sizes, ax=ax)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if "$n_" in t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in labels]
    for left, right in zip(boxes[:-1], boxes[1:]):
        assert left.x1 <= right.x0                          # side by side, not overlapping
    lowest_neuron = min(float(np.min(o[:, 1])) for o in _neuron_offsets(ax))
    for t in labels:
        assert ax.get_ylim()[0] <= t.get_position()[1] < lowest_neuron
    axes_box = ax.get_window_extent(renderer)
    for box in boxes:                                      # the labels stay inside the axes
        assert box.y0 >= axes_box.y0 - 1 and box.x0 >= fig.bbox.x0 and box.x1 <= fig.bbox.x1


def test_network_diagram_rejects_bad_input():
    with pytest.raises(ValueError):
        plots.network_diagram([2])
    with pytest.raises(TypeError):
        plots.network_diagram([2, 3.5, 1])
    with pytest.raises((TypeError, ValueError)):
        plots.network_diagram([2, 3, 1], max_shown=0)


# ---------------------------------------------------------------- function_and_derivative
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


def test_function_and_derivative_breaks_the_curves_at_a_jump():
    """ReLU's derivative jumps at 0: with breaks=[0] it is drawn as two flat pieces, not
    joined by a steep line; the samples themselves are unchanged."""
    z = np.linspace(-1, 1, 5)                      # -1, -0.5, 0, 0.5, 1
    ax = plots.function_and_derivative("relu", z=z, breaks=[0.0])
    fn_line, prime_line = ax.lines[:2]
    xs, ys = prime_line.get_xdata(), prime_line.get_ydata()
    assert np.isnan(xs[3]) and np.isnan(ys[3])     # cut after z = 0, before z = 0.5
    assert np.array_equal(xs[~np.isnan(xs)], z)
    assert np.array_equal(ys[:3], [0, 0, 0]) and np.array_equal(ys[4:], [1, 1])
    assert np.array_equal(fn_line.get_ydata()[[0, 1, 2, 4, 5]], [0, 0, 0, 0.5, 1])
    # no breaks: no nan anywhere
    ax2 = plots.function_and_derivative("relu", z=z)
    assert not np.any(np.isnan(ax2.lines[1].get_ydata()))
    with pytest.raises(ValueError, match="z must be increasing"):
        plots.function_and_derivative("relu", z=z[::-1], breaks=[0.0])
    with pytest.raises(ValueError, match="breaks must contain only finite"):
        plots.function_and_derivative("relu", z=z, breaks=[np.nan])


# ---------------------------------------------------------------- decision_boundary
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


# ---------------------------------------------------------------- training_curves
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


# ---------------------------------------------------------------- descent_path
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

def test_descent_path_with_one_contour_colour():
    fig, ax = plt.subplots()
    cost = lambda w1, w2: w1 ** 2 + 3 * w2 ** 2                         # noqa: E731
    plots.descent_path(cost, [[1.0, 1.0], [0.0, 0.0]], ax=ax, levels=[0.5, 1, 2],
                       contour_color="0.6")
    (cs,) = _contours(ax, filled=False)
    assert np.allclose(cs.get_edgecolor(), mpl.colors.to_rgba("0.6"))   # one colour for all



# ---------------------------------------------------------------- forward_pass
def _small_net():
    return nn.Network([2, 3, 3, 2], hidden="tanh", output="softmax", cost="log_likelihood", seed=4)


def test_forward_pass_shows_the_trace_values():
    net = _small_net()
    x = np.array([0.7, -1.3])
    fig, ax = plt.subplots()
    assert plots.forward_pass(net, x, ax=ax, colorbar=False) is ax
    tr = net.forward(x)
    texts = [t.get_text() for t in ax.texts]
    for l in range(net.L + 1):
        for v in tr.a[l][:, 0]:
            assert f"{v:.2f}" in texts
    for l in range(1, net.L + 1):
        for v in tr.z[l][:, 0]:
            assert f"$z$={v:.2f}" in texts
    # the neuron colours of layers 1..L follow a: the same activation gives the same colour
    colours = [c.get_facecolors() for c in ax.collections]
    assert np.array_equal(colours[0], np.ones((2, 4)))      # the input x: white, off the scale
    colours = np.concatenate(colours[1:])
    values = np.concatenate([tr.a[l][:, 0] for l in range(1, net.L + 1)])
    order = np.argsort(values)
    lum = colours[order, :3] @ np.array([0.299, 0.587, 0.114])
    assert np.all(np.diff(lum) >= -1e-9)                    # cividis grows brighter with a


def test_forward_pass_colour_scale_is_the_activations_range():
    # sigmoid and softmax layers: a in [0, 1], so the scale is [0, 1] (an off neuron is dark,
    # not the middle of a scale from -1 to 1); tanh widens it to [-1, 1]; an unbounded
    # activation (ReLU) takes the values drawn.
    for hidden, expected in (("sigmoid", (0, 1)), ("tanh", (-1, 1))):
        net = nn.Network([2, 3, 3], hidden=hidden, output="softmax", cost="log_likelihood", seed=1)
        fig, ax = plt.subplots()
        plots.forward_pass(net, [3.0, -2.0], ax=ax)
        assert np.allclose(fig.axes[-1].get_ylim(), expected)
        plt.close(fig)
    net = nn.Network([2, 3, 1], hidden="relu", output="identity", cost="quadratic", seed=1)
    fig, ax = plt.subplots()
    plots.forward_pass(net, [3.0, -2.0], ax=ax)
    tr = net.forward([3.0, -2.0])
    top = max(1.0, max(float(tr.a[l].max()) for l in (1, 2)))
    assert np.allclose(fig.axes[-1].get_ylim(), (min(0.0, float(tr.a[2].min())), top))
    plt.close(fig)


def test_forward_pass_z_labels_sit_above_their_neurons_on_opaque_boxes():
    net = _small_net()
    fig, ax = plt.subplots()
    plots.forward_pass(net, [0.7, -1.3], ax=ax, colorbar=False)
    fig.canvas.draw()
    labels = [t for t in ax.texts if t.get_text().startswith("$z$=")]
    assert len(labels) == 3 + 3 + 2
    for t in labels:
        assert t.get_bbox_patch().get_alpha() in (None, 1.0)     # opaque: no line shows through
        assert t.get_ha() == "center" and t.get_va() == "bottom" and t.xyann[1] > 0


def test_forward_pass_lines_are_the_terms_w_a():
    net = _small_net()
    x = np.array([0.7, -1.3])
    fig, ax = plt.subplots()
    plots.forward_pass(net, x, ax=ax, colorbar=False, show_z=False)
    tr = net.forward(x)
    lines = _connection_lines(ax)
    assert len(lines) == sum(net.sizes[l - 1] * net.sizes[l] for l in range(1, net.L + 1))
    i = 0
    for l in range(1, net.L + 1):
        terms = net.w[l] * tr.a[l - 1][:, 0][None, :]          # terms[j, k] = w^l_jk a^{l-1}_k
        widths = []
        for j in range(net.sizes[l]):
            for k in range(net.sizes[l - 1]):
                line = lines[i]
                i += 1
                widths.append(line.get_linewidth())
                colour = mpl.colors.to_hex(line.get_color()).upper()
                assert colour == (plots.PALETTE[0] if terms[j, k] > 0 else plots.PALETTE[3])
        # widths are an increasing function of |w a|, the largest term of a layer the widest
        assert np.all(np.diff(np.array(widths)[np.argsort(np.abs(terms).ravel())]) >= -1e-12)


def test_forward_pass_fixed_colour_limits_and_large_layers():
    net = nn.Network([2, 20, 3], hidden="relu", output="softmax", cost="log_likelihood", seed=0)
    fig, ax = plt.subplots()
    plots.forward_pass(net, [[0.5], [1.0]], ax=ax, vlim=(-1, 1))
    cbar = fig.axes[-1]
    assert cbar is not ax and np.allclose(cbar.get_ylim(), (-1, 1))
    assert [t.get_text() for t in ax.texts].count("⋮") == 1
    assert [len(o) for o in _neuron_offsets(ax)] == [2, 6, 3]


def test_forward_pass_maxout_layer_has_no_z_labels():
    net = nn.Network([2, 3, 1], hidden=nn.activations.Maxout(k=2), output="sigmoid", seed=0)
    fig, ax = plt.subplots()
    plots.forward_pass(net, [0.2, 0.4], ax=ax, colorbar=False)
    z_labels = [t for t in ax.texts if t.get_text().startswith("$z$=")]
    assert len(z_labels) == 1                                # only the sigmoid output neuron


def test_forward_pass_rejects_bad_input():
    net = _small_net()
    with pytest.raises(TypeError):
        plots.forward_pass([2, 3], [0.0, 0.0])
    with pytest.raises(ValueError):
        plots.forward_pass(net, np.zeros((2, 4)))             # a batch, not one input
    with pytest.raises(ValueError):
        plots.forward_pass(net, [0.0, 0.0, 0.0])              # wrong number of inputs
    with pytest.raises(ValueError):
        plots.forward_pass(net, [0.0, 0.0], vlim=(1, -1))


# ---------------------------------------------------------------- training_progress
def _linear_history(n=12, accuracy=True):
    """n epochs: the cost falls from 0.7 to 0.1, the accuracy rises from 0.5 to 0.95 (or is None)."""
    cost = list(np.linspace(0.7, 0.1, n))
    acc = list(np.linspace(0.5, 0.95, n)) if accuracy else [None] * n
    return History(cost=cost, accuracy=acc)


def test_training_progress_returns_axes_spanning_the_whole_run():
    h = _linear_history(12)
    ax = plots.training_progress(h, 5)
    assert isinstance(ax, plt.Axes)
    assert ax.get_xlim() == (0.0, 12.0)
    # The y axis runs from 0 to 1.05 times the largest cost, whatever the epoch.
    assert ax.get_ylim() == pytest.approx((0.0, 1.05 * 0.7))
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "cost"


def test_training_progress_colours_exactly_the_first_epochs():
    h = _linear_history(12)
    ax = plots.training_progress(h, 5)
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
    h = _linear_history(12)
    fig, axes = plt.subplots(1, 3)
    for ax, e in zip(axes, (0, 6, 12)):
        plots.training_progress(h, e, ax=ax)
    limits = {(a.get_xlim(), a.get_ylim()) for a in axes}
    assert len(limits) == 1
    legends = [[t.get_text() for t in a.get_legend().get_texts()] for a in axes]
    assert legends[0] == legends[1] == legends[2] == ["training cost", "training accuracy"]
    # epoch 0: no dot, no coloured segment with data.
    assert not [ln for ln in axes[0].get_lines() if ln.get_marker() == "o"]


def test_training_progress_accuracy_on_a_twin_axis():
    fig, ax = plt.subplots()
    plots.training_progress(_linear_history(8), 3, ax=ax)
    twins = [a for a in fig.axes if a is not ax]
    assert len(twins) == 1
    assert twins[0].get_ylim() == pytest.approx((0.0, 1.02))
    # A regression history (accuracy None) and accuracy=False draw no twin.
    fig2, ax2 = plt.subplots()
    plots.training_progress(_linear_history(8, accuracy=False), 3, ax=ax2)
    assert fig2.axes == [ax2]
    fig3, ax3 = plt.subplots()
    plots.training_progress(_linear_history(8), 3, ax=ax3, accuracy=False)
    assert fig3.axes == [ax3]


def test_training_progress_works_with_a_real_sgd_history():
    x, y = nn.datasets.xor()
    net = xor_net()
    h = nn.sgd(net, x, y, eta=0.5, epochs=5, batch_size=4)
    ax = plots.training_progress(h, 5)
    assert ax.get_xlim() == (0.0, 5.0)


@pytest.mark.parametrize("epoch", [-1, 13, 2.0, True, "3"])
def test_training_progress_rejects_bad_epochs(epoch):
    with pytest.raises(ValueError, match="epoch"):
        plots.training_progress(_linear_history(12), epoch)


def test_training_progress_rejects_bad_history():
    with pytest.raises(TypeError, match="history"):
        plots.training_progress([0.5, 0.4], 1)
    with pytest.raises(ValueError, match="empty"):
        plots.training_progress(History(), 0)


# ---------------------------------------------------------------- log_log
def test_log_log_draws_each_curve_and_guide_on_log_axes():
    x = np.logspace(-3, 0, 7)
    ax = plots.log_log(x, {"one": x, "two": 3 * x**2}, xlabel="h", ylabel="error",
                 guides={"slope 2": (2, 1.0, 3.0)})
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_xlabel() == "h" and ax.get_ylabel() == "error"
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert set(lines) == {"one", "two", "slope 2"}
    assert lines["one"].get_color() == plots.PALETTE[0] and lines["two"].get_color() == plots.PALETTE[1]
    # The guide y = y0 (x/x0)^p passes through (x0, y0) with slope p: here it is exactly "two".
    gx, gy = lines["slope 2"].get_xdata(), lines["slope 2"].get_ydata()
    np.testing.assert_allclose(gy, 3 * np.asarray(gx) ** 2)
    np.testing.assert_allclose(gx, [x.min(), x.max()])


def test_log_log_uses_given_axes():
    fig, ax = plt.subplots()
    assert plots.log_log([1, 2, 3], {"a": [1, 4, 9]}, ax=ax) is ax


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
        plots.log_log(x, curves)


def test_log_log_rejects_bad_guides():
    with pytest.raises(TypeError, match="guides"):
        plots.log_log([1, 2], {"a": [1, 2]}, guides=[(1, 1, 1)])
    with pytest.raises(TypeError, match="triple"):
        plots.log_log([1, 2], {"a": [1, 2]}, guides={"g": (1, 1)})
    with pytest.raises(ValueError, match="positive point"):
        plots.log_log([1, 2], {"a": [1, 2]}, guides={"g": (1, 0, 1)})


# ---------------------------------------------------------------- style
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


# ---------------------------------------------------------------- neuron_positions
def _centres(ax):
    """Every neuron marker's centre the axes draw, as rows (x, y)."""
    return np.concatenate([c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)])


@pytest.mark.parametrize("sizes, max_shown", [([3, 20, 5], 8), ([2, 9, 12, 3], 5), ([2, 4, 3], 8), ([5, 100, 1], 3)])
def test_neuron_positions_are_where_both_diagrams_draw_the_neurons(sizes, max_shown):
    pos = plots.neuron_positions(sizes, max_shown=max_shown)
    assert len(pos) == len(sizes)
    listed = np.array([xy for layer in pos for xy in layer.values()])
    fig, ax = plt.subplots()
    plots.network_diagram(sizes, ax=ax, max_shown=max_shown)
    np.testing.assert_array_equal(_centres(ax), listed)
    net = nn.Network(sizes, seed=0)
    fig, ax = plt.subplots()
    plots.forward_pass(net, np.zeros(sizes[0]), ax=ax, max_shown=max_shown, colorbar=False)
    np.testing.assert_array_equal(_centres(ax), listed)
    for l, (layer, n) in enumerate(zip(pos, sizes)):
        assert all(x == l for x, _ in layer.values())
        assert len(layer) == _shown(n, max_shown)
        if n <= max_shown:                                   # the documented formula
            assert layer == {j: (l, (n - 1) / 2 - j) for j in range(n)}


def test_a_weight_drawn_from_neuron_positions_ends_on_the_drawn_neurons():
    """Chapter 3 highlights w^l_jk on the diagram: a line from neuron k of layer l-1 to
    neuron j of layer l must end on the two circles, also in a layer too large to show."""
    sizes, l, j, k = [3, 20, 3], 2, 1, 18
    fig, ax = plt.subplots()
    plots.network_diagram(sizes, ax=ax)
    pos = plots.neuron_positions(sizes)
    (line,) = ax.plot(*zip(pos[l - 1][k], pos[l][j]), lw=3.5)
    centres = _centres(ax)
    for end in line.get_xydata():
        assert np.min(np.linalg.norm(centres - end, axis=1)) == 0.0
    # The formula of a fully shown layer puts neuron 18 of 20 where no circle is drawn.
    naive = np.array([l - 1, (sizes[l - 1] - 1) / 2 - k])
    assert np.min(np.linalg.norm(centres - naive, axis=1)) > 0.5
    assert pos[1][18] == (1.0, -2.0) and list(pos[1]) == [0, 1, 2, 17, 18, 19]


def test_neuron_positions_say_which_neurons_are_hidden():
    pos = plots.neuron_positions([3, 20, 3])
    with pytest.raises(KeyError, match=r"neuron 5 of layer 1 is hidden behind the ellipsis.*"
                                       r"draws only 0\.\.2 and 17\.\.19.*max_shown=20"):
        pos[1][5]
    with pytest.raises(KeyError, match=r"layer 2 has no neuron 3: its neurons are 0\.\.2"):
        pos[2][3]
    with pytest.raises(KeyError, match="layer 0 has no neuron -1"):
        pos[0][-1]
    assert 5 not in pos[1] and 17 in pos[1]
    # the same positions as the diagram with max_shown given: all 20 shown
    assert len(plots.neuron_positions([3, 20, 3], max_shown=20)[1]) == 20
    with pytest.raises(ValueError, match="max_shown"):
        plots.neuron_positions([3, 20, 3], max_shown=0)
    with pytest.raises(TypeError, match="sizes"):
        plots.neuron_positions("2, 3")


# ---------------------------------------------------------------- neuron_plane
def _arrow(ax):
    (arrow,) = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    return np.array(arrow.xyann, dtype=float), np.array(arrow.xy, dtype=float)     # start, tip


@pytest.mark.parametrize("w, b", [((2.0, 1.0), -2.0), ((0.0, 3.0), 2.0), ((-1.0, 0.0), 2.0),
                                  ((1.0, -1.0), 0.0), ((3.0, 4.0), -10.0)])
def test_neuron_plane_draws_the_line_the_normal_and_the_distance(w, b):
    w = np.array(w)
    fig, ax = plt.subplots()
    assert plots.neuron_plane(w, b, "sigmoid", ax=ax) is ax
    z = lambda p: w @ np.asarray(p) + b                                  # noqa: E731
    # the white line is z = 0
    (line,) = [ln for ln in ax.lines if type(ln).__name__ == "AxLine"]
    p1, p2 = np.array(line.get_xy1()), np.array(line.get_xy2())
    assert abs(z(p1)) < 1e-12 and abs(z(p2)) < 1e-12
    # the arrow stands on the line, along w, and points into z > 0
    start, tip = _arrow(ax)
    assert abs(z(start)) < 1e-12 and z(tip) > 0
    d = tip - start
    assert abs(d @ np.array([-w[1], w[0]])) < 1e-9 and d @ w > 0          # parallel to w
    lo, hi = ax.get_xlim(), ax.get_ylim()
    assert lo[0] <= tip[0] <= lo[1] and hi[0] <= tip[1] <= hi[1]          # inside the view
    # the dotted segment: from the origin to x* = -b w / |w|^2, length |b| / |w|
    (seg,) = [ln for ln in ax.lines if ln.get_linestyle() == ":"]
    (o, foot) = seg.get_xydata()
    np.testing.assert_allclose(o, 0.0)
    np.testing.assert_allclose(foot, -b * w / (w @ w), atol=1e-12)
    assert np.isclose(np.linalg.norm(foot), abs(b) / np.linalg.norm(w)) and abs(z(foot)) < 1e-12
    assert ax.get_aspect() == 1.0


def test_neuron_plane_shades_the_neurons_output():
    w, b = np.array([2.0, 1.0]), -2.0
    fig, ax = plt.subplots()
    plots.neuron_plane(w, b, "tanh", ax=ax, xlim=(-1, 2), resolution=30, colorbar="output $a$")
    (shade,) = _contours(ax, filled=True)
    assert shade.levels[0] == pytest.approx(np.tanh(w @ [-1, -1] + b), abs=1e-12)   # the lowest a
    assert ax.get_xlim() == (-1, 2) and ax.get_ylim() == (-1, 2)
    assert _contours(ax, filled=False) == []          # the line is drawn exactly, not contoured
    assert fig.axes[-1].get_ylabel() == "output $a$"


def test_neuron_plane_without_extras_and_with_the_line_out_of_view():
    fig, ax = plt.subplots()
    plots.neuron_plane([1.0, 0.0], -10.0, "step", ax=ax, normal=False, distance=False)
    assert not [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert not [ln for ln in ax.lines if ln.get_linestyle() == ":"]
    fig, ax = plt.subplots()
    plots.neuron_plane([1.0, 0.0], -10.0, "step", ax=ax)      # the line x_1 = 10 is out of view
    assert not [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]


@pytest.mark.parametrize("args, kwargs, err, match", [
    (([1.0, 2.0, 3.0], 0.0), {}, ValueError, r"w must hold a two-input neuron's weights .* got shape \(3,\)"),
    (([0.0, 0.0], 1.0), {}, ValueError, "w must not be zero"),
    (([1.0, 1.0], np.array([1.0])), {}, TypeError, "b must be one finite number"),
    (([1.0, 1.0], float("nan")), {}, TypeError, "b must be one finite number"),
    (([1.0, 1.0], 0.0), {"activation": "softmax"}, ValueError, "activation must be element-wise"),
    (([1.0, 1.0], 0.0), {"activation": "sigmoidal"}, ValueError, "unknown activation 'sigmoidal'"),
    (([1.0, 1.0], 0.0), {"xlim": (2, -2)}, ValueError, r"xlim must be a pair \(lo, hi\) with lo < hi"),
    (([1.0, 1.0], 0.0), {"ylim": (1, 2, 3)}, ValueError, "ylim must be a pair"),
])
def test_neuron_plane_rejects_bad_input(args, kwargs, err, match):
    with pytest.raises(err, match=match):
        plots.neuron_plane(*args, **kwargs)


# ---------------------------------------------------------------- decision_boundary of a wide network
def test_decision_boundary_needs_a_network_of_the_plane():
    net = nn.Network([64, 10, 10], output="softmax", cost="log_likelihood")
    with pytest.raises(ValueError, match=r"predict must be a network with 2 inputs .* got a network with "
                                         r"64 inputs, sizes \[64, 10, 10\]"):
        plots.decision_boundary(net)


# ---------------------------------------------------------------- training_curves' legend
def _line_points(ax):
    """Every line of ``ax`` and of its twins, sampled densely, in display coordinates."""
    pts = []
    for a in ax.figure.axes:
        if a.bbox.bounds != ax.bbox.bounds:
            continue
        for ln in a.get_lines():
            xy = ln.get_transform().transform(ln.get_xydata())
            t = np.linspace(0, 1, 40)[:, None]
            pts += [p + t * (q - p) for p, q in zip(xy[:-1], xy[1:])]
    return np.concatenate(pts)


def _covers(box, points):
    return bool(np.any((points[:, 0] >= box.x0) & (points[:, 0] <= box.x1)
                       & (points[:, 1] >= box.y0) & (points[:, 1] <= box.y1)))


def _crossing_history():
    """Cost falls and accuracy rises across the whole plot: no corner of the axes is free."""
    n = 30
    return History(cost=list(np.linspace(1.0, 0.1, n)), val_cost=list(np.linspace(1.1, 0.3, n)),
                   accuracy=list(np.linspace(0.3, 1.0, n)), val_accuracy=list(np.linspace(0.2, 0.8, n)))


def _xor_like_history():
    """The shape of chapter 2's run: a plateau, a sharp drop, and accuracy jumping to 1."""
    e = np.arange(1, 401)
    cost = 0.69 / (1 + np.exp((e - 150) / 10)) + 0.003
    acc = np.where(e < 100, 0.5, np.where(e < 160, 0.75, 1.0))
    return History(cost=list(cost), accuracy=list(acc))


@pytest.mark.parametrize("history", [_crossing_history(), _xor_like_history(), _history()])
@pytest.mark.parametrize("log", [False, True])
def test_training_curves_legend_covers_no_line_and_no_label(history, log):
    ax = plots.training_curves(history, log=log)                     # a new figure
    ax.set_title("a title")
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert not _covers(legend, _line_points(ax))
    texts = [ax.xaxis.label, ax.yaxis.label, ax.title] + ax.get_xticklabels() + ax.get_yticklabels()
    for a in fig.axes:
        texts += [a.yaxis.label] + a.get_yticklabels()
    for t in texts:
        if t.get_text() and t.get_visible():
            assert not legend.overlaps(t.get_window_extent(renderer)), t.get_text()
    assert fig.bbox.contains(legend.x0, legend.y0) and fig.bbox.contains(legend.x1, legend.y1)
    n_entries = len([h for h in (history.cost, history.val_cost, history.accuracy, history.val_accuracy) if h])
    assert len(ax.get_legend().get_texts()) == n_entries


def test_the_legend_check_catches_a_legend_inside_the_axes():
    """matplotlib's "best" looks only at the cost axes, and covers the accuracy."""
    fig, ax = plt.subplots(layout="constrained")
    plots.training_curves(_crossing_history(), ax=ax, legend_loc="best")
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent(fig.canvas.get_renderer())
    assert _covers(legend, _line_points(ax))


def test_training_curves_legend_below_in_a_figure_of_several_panels():
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    plots.decision_boundary(lambda g: nn.sigmoid(g[0]), ax=axes[0], colorbar="output", resolution=20)
    plots.training_curves(_xor_like_history(), ax=axes[1], log=True)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = axes[1].get_legend().get_window_extent(renderer)
    assert legend.y1 < axes[1].xaxis.label.get_window_extent(renderer).y0     # under the x label
    assert legend.y0 >= fig.bbox.y0                                            # and in the figure
    boxes = [a.get_tightbbox(renderer) for a in fig.axes]
    cbar = fig.axes[2]
    assert cbar.get_ylabel() == "output"
    # no two panels (the plane, the curves and its twin, the colour bar) collide
    assert not boxes[0].overlaps(boxes[1]) and not boxes[2].overlaps(boxes[1])


def test_training_curves_legend_inside_on_request_and_bad_locations():
    fig, ax = plt.subplots()
    plots.training_curves(_history(), ax=ax, legend_loc="upper right")
    fig.canvas.draw()
    legend, frame = ax.get_legend().get_window_extent(), ax.get_window_extent()
    assert frame.x0 < legend.x0 < legend.x1 < frame.x1 and frame.y0 < legend.y0 < legend.y1 < frame.y1
    assert legend.x1 > frame.x1 - 0.1 * frame.width and legend.y1 > frame.y1 - 0.1 * frame.height
    with pytest.raises(TypeError, match="legend_loc"):
        plots.training_curves(_history(), legend_loc=1)


def test_new_figures_use_constrained_layout():
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    for ax in (plots.new_axes(), plots.training_curves(_history()), plots.network_diagram([2, 3, 1]),
               plots.neuron_plane([1.0, 1.0], 0.0, resolution=10)):
        assert isinstance(ax.figure.get_layout_engine(), ConstrainedLayoutEngine)


def test_training_curves_legend_stays_below_when_moved_later():
    """Chapter 4 moved the legend with set_loc: in the band below the axes, any location
    stays clear of the x label and of the curves."""
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.4))
    plots.training_curves(_xor_like_history(), ax=axes[0])
    for loc in ("lower left", "lower right", "center", "upper center"):
        axes[0].get_legend().set_loc(loc)
        fig.tight_layout()
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legend = axes[0].get_legend().get_window_extent(renderer)
        assert legend.y1 < axes[0].xaxis.label.get_window_extent(renderer).y0, loc
        assert not _covers(legend, _line_points(axes[0])), loc
        assert legend.y0 >= fig.bbox.y0, loc


# ---------------------------------------------------------------- maxout_unit
def _maxout_lines(ax):
    """The dashed piece lines and the solid output stretches that maxout_unit drew."""
    pieces = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    stretches = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-" and ln.get_linewidth() > 2]
    return pieces, stretches


def test_maxout_unit_draws_the_pieces_and_their_maximum_in_the_winners_colours():
    w, b = np.array([-1.0, 0.0, 1.0]), np.array([0.0, 0.5, 0.0])     # max(-z, 1/2, z)
    z = np.linspace(-2, 2, 81)
    ax = plots.maxout_unit(w, b, z=z)
    pieces, stretches = _maxout_lines(ax)
    assert len(pieces) == 3
    for i, ln in enumerate(pieces):
        np.testing.assert_allclose(ln.get_ydata(), w[i] * z + b[i])
    assert len(stretches) == 3                     # -z, then 1/2, then z
    colours = [ln.get_color() for ln in pieces]
    for ln, i in zip(stretches, (0, 1, 2)):
        assert ln.get_color() == colours[i]
        x = np.asarray(ln.get_xdata())
        np.testing.assert_allclose(ln.get_ydata(), np.maximum(np.maximum(-x, 0.5), x))
    # The stretches join, and together cover every point of z.
    assert stretches[0].get_xdata()[-1] == stretches[1].get_xdata()[0]
    joined = np.unique(np.concatenate([ln.get_xdata() for ln in stretches]))
    np.testing.assert_array_equal(joined, z)
    # y-limits from the output only: 1/2 .. 2, with a margin
    lo, hi = ax.get_ylim()
    assert 0.3 < lo < 0.5 and 2.0 < hi < 2.3


def test_maxout_unit_target_callable_or_values_and_no_pieces():
    z = np.linspace(-1, 1, 21)
    ax1 = plots.maxout_unit([0.0, 1.0], [0.0, 0.0], z=z, target=np.abs, target_label="|z|")
    fig, ax = plt.subplots()
    ax2 = plots.maxout_unit([0.0, 1.0], [0.0, 0.0], z=z, target=np.abs(z), ax=ax, pieces=False)
    assert ax2 is ax
    for a in (ax1, ax2):
        (t,) = [ln for ln in a.get_lines() if ln.get_linestyle() == ":"]
        np.testing.assert_allclose(t.get_ydata(), np.abs(z))
    assert "|z|" in [txt.get_text() for txt in ax1.get_legend().get_texts()]
    assert _maxout_lines(ax2)[0] == []             # no pieces drawn
    assert len(_maxout_lines(ax2)[1]) == 2         # 0, then z


@pytest.mark.parametrize("args, kwargs, err, match", [
    (([1.0, 2.0], [0.0]), {}, ValueError, "b must have one intercept per piece"),
    (([[1.0]], [0.0]), {}, ValueError, "w must be 1-D"),
    (([1.0], [0.0]), {"z": [0.0, 0.0, 1.0]}, ValueError, "increasing"),
    (([1.0], [0.0]), {"z": [0.0, 1.0], "target": [1.0]}, ValueError, "one value per point"),
    (([1.0], [0.0]), {"target": "sin"}, TypeError, "target"),
    (([np.nan], [0.0]), {}, ValueError, "finite"),
])
def test_maxout_unit_rejects_bad_input(args, kwargs, err, match):
    with pytest.raises(err, match=match):
        plots.maxout_unit(*args, **kwargs)


# ---------------------------------------------------------------- layer_profile, grad_norms
def test_layer_profile_draws_one_line_per_curve_against_the_layer_number():
    ax = plots.layer_profile({"sigmoid": [1e-4, 1e-3, 1e-2], "relu": [0.5, 0.4, 0.3, 0.2]},
                             ylabel="size", ylim=(1e-5, 1.0))
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert set(lines) == {"sigmoid", "relu"}
    np.testing.assert_array_equal(lines["sigmoid"].get_xdata(), [1, 2, 3])     # layers 1..L
    np.testing.assert_array_equal(lines["relu"].get_xdata(), [1, 2, 3, 4])
    np.testing.assert_allclose(lines["sigmoid"].get_ydata(), [1e-4, 1e-3, 1e-2])
    assert lines["sigmoid"].get_color() == plots.PALETTE[0] and lines["relu"].get_color() == plots.PALETTE[1]
    assert ax.get_yscale() == "log" and ax.get_ylim() == (1e-5, 1.0)
    assert ax.get_xlabel() == "layer $l$" and ax.get_ylabel() == "size"
    ax.figure.canvas.draw()


def test_layer_profile_linear_axis_zeros_and_given_axes():
    fig, ax = plt.subplots()
    assert plots.layer_profile({"a": [0.0, 0.5, 1.0]}, ax=ax, log=False) is ax
    assert ax.get_yscale() == "linear"
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [0.0, 0.5, 1.0])
    # On a log axis a zero has no logarithm: it is left out of the line (nan), not clipped.
    ax2 = plots.layer_profile({"a": [0.0, 0.5, 1.0]})
    y = ax2.get_lines()[0].get_ydata()
    assert np.isnan(y[0]) and np.allclose(y[1:], [0.5, 1.0])


@pytest.mark.parametrize("curves, kwargs, err, match", [
    ({}, {}, TypeError, "non-empty dict"),
    ([[1.0, 2.0]], {}, TypeError, "non-empty dict"),
    ({"a": [1.0, -1.0]}, {}, ValueError, "non-negative"),
    ({"a": [[1.0]]}, {}, ValueError, "1-D"),
    ({"a": [1.0, np.inf]}, {}, ValueError, "finite"),
    ({"a": [1.0]}, {"ylim": (0.0, 1.0)}, ValueError, "positive on a logarithmic axis"),
    ({"a": [1.0]}, {"ylim": (2.0, 1.0)}, ValueError, "lo < hi"),
])
def test_layer_profile_rejects_bad_input(curves, kwargs, err, match):
    with pytest.raises(err, match=match):
        plots.layer_profile(curves, **kwargs)


def test_grad_norms_draws_one_line_per_layer_from_dark_to_light():
    history = History(cost=[1.0, 0.5, 0.25], grad_norms=[[1e-3, 1e-1, 1.0], [2e-3, 2e-1, 0.5],
                                                          [0.0, 3e-1, 0.25]])
    ax = plots.grad_norms(history)
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == ["layer 1", "layer 2", "layer 3 (output)"]
    np.testing.assert_array_equal(lines[1].get_xdata(), [1, 2, 3])            # epochs
    np.testing.assert_allclose(lines[1].get_ydata(), [1e-1, 2e-1, 3e-1])
    assert np.isnan(lines[0].get_ydata()[2])                                   # a zero: not drawn
    assert ax.get_yscale() == "log" and ax.get_legend() is not None
    lightness = [np.mean(mpl.colors.to_rgb(ln.get_color())) for ln in lines]
    assert lightness[0] < lightness[1] < lightness[2]                          # dark -> light
    ax.figure.canvas.draw()                        # the labels render (mathtext)


def test_grad_norms_of_a_real_run_linear_axis_without_legend():
    x, y = nn.datasets.xor()
    net = nn.Network([2, 3, 3, 1], hidden="tanh", output="sigmoid", seed=0)
    history = nn.sgd(net, x, y, eta=1.0, epochs=4, batch_size=4, track_grad_norms=True)
    fig, ax = plt.subplots()
    assert plots.grad_norms(history, ax=ax, log=False, legend=False) is ax
    assert len(ax.get_lines()) == net.L and ax.get_legend() is None and ax.get_yscale() == "linear"
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [g[0] for g in history.grad_norms])


def test_grad_norms_rejects_bad_history():
    with pytest.raises(TypeError, match="History"):
        plots.grad_norms([[1.0, 2.0]])
    with pytest.raises(ValueError, match="track_grad_norms=True"):
        plots.grad_norms(History(cost=[1.0]))


# ---------------------------------------------------------------- probabilities
def test_probabilities_draws_one_bar_per_class_on_a_fixed_scale():
    p = np.array([0.1, 0.6, 0.3])
    ax = plots.probabilities(p, labels=["a", "b", "c"], target=2)
    bars = ax.patches[:3]
    np.testing.assert_allclose([b.get_height() for b in bars], p)
    assert mpl.colors.to_hex(bars[1].get_facecolor()) == plots.PALETTE[0].lower()   # the largest
    assert mpl.colors.to_hex(bars[0].get_facecolor()) != plots.PALETTE[0].lower()
    assert bars[2].get_linewidth() == 2.0 and bars[0].get_linewidth() != 2.0      # the target
    assert ax.get_ylim() == (0.0, 1.1)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert sorted(t.get_text() for t in ax.texts) == ["0.10", "0.30", "0.60"]
    assert ax.get_xticklabels()[2].get_fontweight() == "bold"
    assert ax.get_xticklabels()[0].get_fontweight() != "bold"
    # bars under 0.05 get no label (they are visibly near 0)
    ax2 = plots.probabilities([0.96, 0.01, 0.03])
    assert [t.get_text() for t in ax2.texts] == ["0.96"]


def test_probabilities_uses_given_axes_without_values_or_target():
    fig, ax = plt.subplots()
    out = plots.probabilities(np.full(20, 0.05), ax=ax)
    assert out is ax and len(ax.texts) == 0         # 20 classes: no values


@pytest.mark.parametrize("p, kwargs, match", [
    ([0.5, 0.6], {}, "sum to 1"),
    ([-0.1, 1.1], {}, "entries in"),
    ([[0.5, 0.5]], {}, "p must be 1-D"),
    ([0.5, 0.5], {"labels": ["x"]}, "one label per class"),
    ([0.5, 0.5], {"target": 2}, "class index"),
    ([0.5, 0.5], {"target": True}, "class index"),
])
def test_probabilities_rejects_bad_input(p, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.probabilities(p, **kwargs)


# ---------------------------------------------------------------- compare_runs
def _cost_history(costs):
    h = History()
    h.cost.extend(costs)
    return h


def test_compare_runs_draws_every_run_and_the_means():
    runs = {"a": [_cost_history([3.0, 2.0, 1.0]), _cost_history([5.0, 2.0, 1.0])],
            "b": [_cost_history([1.0, 0.5, 0.25])]}
    fig, ax = plt.subplots()
    assert plots.compare_runs(runs, ax=ax, log=True) is ax
    assert len(ax.lines) == 5                                   # 3 runs + 2 means
    mean_a = [l for l in ax.lines if l.get_label() == "a (mean of 2)"][0]
    assert np.array_equal(mean_a.get_ydata(), [4.0, 2.0, 1.0])
    assert np.array_equal(mean_a.get_xdata(), [1, 2, 3])
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "cost"
    colours = {l.get_label(): l.get_color() for l in ax.lines if "mean" in l.get_label()}
    assert colours["a (mean of 2)"] != colours["b (mean of 1)"]


@pytest.mark.parametrize("runs, kwargs, error, match", [
    ({"a": [_cost_history([1.0])]}, {"metric": "loss"}, ValueError, "metric must be one of"),
    ([], {}, TypeError, "non-empty dict"),
    ({"a": []}, {}, TypeError, "non-empty list"),
    ({"a": [_cost_history([1.0, 2.0]), _cost_history([1.0])]}, {}, ValueError, "same, non-zero number"),
    ({"a": [_cost_history([1.0, 0.0])]}, {"log": True}, ValueError, "logarithmic"),
])
def test_compare_runs_rejects_bad_input(runs, kwargs, error, match):
    with pytest.raises(error, match=match):
        plots.compare_runs(runs, **kwargs)


# ---------------------------------------------------------------- hidden_sum
def _steps_net():
    # two steep sigmoid steps at x = -0.5 and 0.5, of heights 1 and -2, on a base of 0.5
    return nn.Network.from_weights([[[100.0], [100.0]], [[1.0, -2.0]]], [[50.0, -50.0], [0.5]],
                                   hidden="sigmoid", output="identity", cost="quadratic")


def test_hidden_sum_draws_each_share_the_output_and_the_target():
    net = _steps_net()
    x = np.linspace(-1, 1, 201)
    fig, ax = plt.subplots()
    assert plots.hidden_sum(net, x, ax=ax, target=np.sin, target_label="sine") is ax
    assert len(ax.lines) == 4                                   # 2 shares, output, target
    share0, share1, out, target = ax.lines
    assert np.allclose(share0.get_ydata()[[0, -1]], [0.0, 1.0], atol=1e-12)
    assert np.allclose(share1.get_ydata()[[0, -1]], [0.0, -2.0], atol=1e-12)
    # the output is the sum of the shares plus the output bias
    total = share0.get_ydata() + share1.get_ydata() + 0.5
    assert np.allclose(out.get_ydata(), total, rtol=1e-12)
    assert np.allclose(out.get_ydata(), net.feedforward(x.reshape(1, -1))[0], rtol=1e-12)
    assert np.array_equal(target.get_ydata(), np.sin(x)) and target.get_label() == "sine"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [r"shares $w^2_{0j} a^1_j(x)$", "output $a^2(x)$", "sine"]
    assert ax.get_xlim() == (-1.0, 1.0)
    plt.close(fig)


def test_hidden_sum_without_parts_on_a_new_figure_and_target_values():
    net = nn.Network([1, 5, 1], hidden="relu", output="identity", cost="quadratic", seed=0)
    x = np.linspace(0, 2, 50)
    ax = plots.hidden_sum(net, x, target=x ** 2, parts=False)
    assert len(ax.lines) == 2 and np.array_equal(ax.lines[1].get_ydata(), x ** 2)
    ax = plots.hidden_sum(net)                                  # default x on [-1, 1]
    assert ax.lines[0].get_xdata().size == 401
    plt.close("all")


@pytest.mark.parametrize("net, kwargs, error, match", [
    ("net", {}, TypeError, "nnlib Network"),
    (nn.Network([2, 3, 1], seed=0), {}, ValueError, r"sizes \[1, N, 1\]"),
    (nn.Network([1, 3, 3, 1], seed=0), {}, ValueError, r"sizes \[1, N, 1\]"),
    (nn.Network([1, 3, 2], seed=0), {}, ValueError, r"sizes \[1, N, 1\]"),
    (nn.Network([1, 3, 1], output="sigmoid", seed=0), {}, ValueError, "identity output"),
    (_steps_net(), {"x": [0.0, 0.0, 1.0]}, ValueError, "increasing"),
    (_steps_net(), {"x": [0.0, np.nan, 1.0]}, ValueError, "finite"),
    (_steps_net(), {"x": [[0.0, 1.0]]}, ValueError, "x"),
    (_steps_net(), {"x": [0.0, 1.0], "target": [1.0, 2.0, 3.0]}, ValueError, "one value per point"),
])
def test_hidden_sum_rejects_bad_input(net, kwargs, error, match):
    with pytest.raises(error, match=match):
        plots.hidden_sum(net, **kwargs)
    plt.close("all")


# ---------------------------------------------------------------- learning_curves
def test_learning_curves_draws_each_curve_and_its_mark():
    history = _cost_history([4.0, 2.0, 1.0, 0.5])
    fig, ax = plt.subplots()
    out = plots.learning_curves({"a": history, "b": [0.5, 0.4]}, ax=ax, log=True,
                                marks={"a": 3, "b": None})
    assert out is ax
    curve_a, dot_a, curve_b = ax.lines                      # no dot for b
    assert np.array_equal(curve_a.get_xdata(), [1, 2, 3, 4])
    assert np.array_equal(curve_a.get_ydata(), [4.0, 2.0, 1.0, 0.5])
    assert np.array_equal(curve_b.get_ydata(), [0.5, 0.4]) and curve_b.get_label() == "b"
    assert np.array_equal(dot_a.get_xdata(), [3]) and np.array_equal(dot_a.get_ydata(), [1.0])
    assert dot_a.get_color() == curve_a.get_color() != curve_b.get_color()
    assert [t.get_text() for t in ax.texts] == ["epoch 3"]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and ax.get_ylabel() == "cost"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    plt.close(fig)


@pytest.mark.parametrize("curves, kwargs, error, match", [
    ([], {}, TypeError, "non-empty dict"),
    ({"a": []}, {}, ValueError, "empty"),
    ({"a": [1.0, np.nan]}, {}, ValueError, "finite"),
    ({"a": [1.0, 0.0]}, {"log": True}, ValueError, "logarithmic"),
    ({"a": [1.0, 0.5]}, {"marks": {"b": 1}}, ValueError, "not one of the curves"),
    ({"a": [1.0, 0.5]}, {"marks": {"a": 3}}, ValueError, r"epoch 1\.\.2"),
    ({"a": [1.0, 0.5]}, {"marks": [("a", 1)]}, TypeError, "marks must be a dict"),
])
def test_learning_curves_rejects_bad_input(curves, kwargs, error, match):
    with pytest.raises(error, match=match):
        plots.learning_curves(curves, **kwargs)


# ------------------------------------------------- confusion matrix, image grid
def test_confusion_counts_rows_are_true_classes_columns_predictions():
    counts = plots.confusion_counts([0, 1, 1, 2, 2], [0, 1, 2, 2, 0])
    assert counts.dtype == np.int64
    assert np.array_equal(counts, [[1, 0, 1], [0, 1, 0], [0, 1, 1]])
    assert plots.confusion_counts([1], [1], n_classes=4).shape == (4, 4)


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=60))
@settings(max_examples=100, deadline=None)
def test_confusion_counts_sums(pairs):
    predicted, actual = np.array(pairs).T
    counts = plots.confusion_counts(predicted, actual, n_classes=6)
    assert counts.sum() == len(pairs)
    assert np.array_equal(counts.sum(axis=1), np.bincount(actual, minlength=6))
    assert np.array_equal(counts.sum(axis=0), np.bincount(predicted, minlength=6))
    assert np.trace(counts) == np.sum(predicted == actual)


@pytest.mark.parametrize("predicted, actual, kwargs, error, match", [
    ([0, 1], [0], {}, ValueError, "one label per example"),
    ([], [], {}, ValueError, "must not be empty"),
    ([0, -1], [0, 1], {}, ValueError, "predicted labels must be in 0, 1, 2"),
    ([0, 1.5], [0, 1], {}, ValueError, "whole numbers"),
    ([0, 1], ["a", "b"], {}, TypeError, "actual holds strings"),
    ([0, 5], [0, 1], {"n_classes": 3}, ValueError, r"0\.\.2"),
    ([0, 1], [0, 1], {"n_classes": 0}, ValueError, "n_classes"),
])
def test_confusion_counts_rejects_bad_input(predicted, actual, kwargs, error, match):
    with pytest.raises(error, match=match):
        plots.confusion_counts(predicted, actual, **kwargs)


def test_confusion_matrix_writes_every_nonzero_count_and_marks_the_mistakes():
    fig, ax = plt.subplots()
    out = plots.confusion_matrix([0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 2], ax=ax,
                                 labels=["a", "b", "c"])
    assert out is ax
    texts = {(round(t.get_position()[1]), round(t.get_position()[0])): t for t in ax.texts}
    assert {k: t.get_text() for k, t in texts.items()} == {(0, 0): "1", (1, 1): "1",
                                                          (2, 1): "1", (2, 2): "3"}
    assert mpl.colors.to_hex(texts[2, 1].get_color()) == plots.PALETTE[3].lower()   # a mistake
    assert texts[2, 1].get_fontweight() == "bold"
    assert mpl.colors.to_hex(texts[2, 2].get_color()) == "#ffffff"   # on the darkest cell
    assert mpl.colors.to_hex(texts[0, 0].get_color()) == "#000000"   # on a light one
    image = ax.images[0].get_array()
    assert image[2, 1] == 0 and image[2, 2] == 3                      # only the diagonal shaded
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


def test_confusion_matrix_labels_set_the_number_of_classes_and_are_checked():
    ax = plots.confusion_matrix([0, 1], [0, 1], labels=list("abcd"))
    assert ax.images[0].get_array().shape == (4, 4)
    with pytest.raises(TypeError, match="labels must be a sequence"):
        plots.confusion_matrix([0, 1], [0, 1], labels="ab")
    with pytest.raises(ValueError, match=r"0\.\.1"):
        plots.confusion_matrix([0, 2], [0, 1], labels=["x", "y"])


def test_image_grid_draws_each_column_as_an_image_with_its_title():
    images = np.arange(4 * 3, dtype=float).reshape(4, 3)        # three 2x2 images
    axes = plots.image_grid(images, ["p", "q", "r\ns"], ncols=2)
    assert len(axes) == 4                                         # a 2 x 2 grid
    for i in range(3):
        assert np.array_equal(axes[i].images[0].get_array(), images[:, i].reshape(2, 2))
        assert axes[i].images[0].get_clim() == (0.0, 11.0)        # one shared scale
    assert [axes[i].get_title() for i in range(3)] == ["p", "q", "r\ns"]
    assert not axes[3].images and not axes[3].axison              # the spare one is off


def test_image_grid_given_axes_shape_and_limits():
    fig, axes = plt.subplots(1, 2)
    out = plots.image_grid(np.ones((6, 2)), axes=axes, shape=(2, 3), cmap="RdBu_r", vlim=(-1, 1))
    assert out[0] is axes[0] and out[0].images[0].get_array().shape == (2, 3)
    assert out[1].images[0].get_clim() == (-1.0, 1.0)
    assert out[1].images[0].get_cmap().name == "RdBu_r"


@pytest.mark.parametrize("images, kwargs, match", [
    (np.ones((5, 2)), {}, "not a square number"),
    (np.ones((6, 2)), {"shape": (2, 2)}, "has 4 pixels"),
    (np.ones((4, 2)), {"shape": (2, 0)}, "positive integers"),
    (np.ones((4, 2)), {"titles": ["one"]}, "one title per image"),
    (np.ones((4, 2)), {"vlim": (1, 0)}, "lo < hi"),
    (np.ones(4), {}, "2-D"),
])
def test_image_grid_rejects_bad_input(images, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.image_grid(images, **kwargs)


def test_image_grid_needs_enough_axes():
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="at least one axes per image"):
        plots.image_grid(np.ones((4, 3)), axes=axes)


def test_image_grid_checks_the_font_size():
    with pytest.raises(ValueError, match="fontsize must be a positive number"):
        plots.image_grid(np.ones((4, 2)), fontsize=-1)
    with pytest.raises(TypeError, match="fontsize"):
        plots.image_grid(np.ones((4, 2)), fontsize="big")
