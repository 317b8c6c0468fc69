"""Tests of the plot helpers of chapters 1 and 3: ``network_diagram`` and ``forward_pass``.

The diagram's layout is a documented contract (chapter 3 draws on top of it): layer
``l`` at ``x = l``, neuron ``j`` at ``y = (n_l - 1)/2 - j``, and a layer larger than
``max_shown`` shows its first and last ``max(1, (max_shown - 1) // 2)`` neurons with an
ellipsis at ``y = 0``.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import nnlib as nn  # noqa: E402
from nnlib.plots import _layer_slots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


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
@pytest.mark.parametrize("sizes", [[2, 4, 3], [2, 1], [784, 30, 10], [3, 12, 9, 2], [4, 5, 5, 5, 5, 1]])
def test_network_diagram_draws_every_shown_weight_and_neuron(sizes):
    fig, ax = plt.subplots()
    assert nn.plots.network_diagram(sizes, ax=ax) is ax
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
    nn.plots.network_diagram([5, 100, 1], ax=ax, max_shown=3, labels=False)
    assert [t.get_text() for t in ax.texts] == ["⋮", "⋮"]
    assert [len(o) for o in _neuron_offsets(ax)] == [2, 2, 1]


@pytest.mark.parametrize("sizes", [[4, 5, 5, 5, 5, 1], [2, 8, 8, 8, 8, 8, 8, 8, 3], [784, 30, 10]])
def test_network_diagram_labels_do_not_overlap_and_fit(sizes):
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    nn.plots.network_diagram(sizes, ax=ax)
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
        nn.plots.network_diagram([2])
    with pytest.raises(TypeError):
        nn.plots.network_diagram([2, 3.5, 1])
    with pytest.raises((TypeError, ValueError)):
        nn.plots.network_diagram([2, 3, 1], max_shown=0)


# ---------------------------------------------------------------- forward_pass
def _small_net():
    return nn.Network([2, 3, 3, 2], hidden="tanh", output="softmax", cost="log_likelihood", seed=4)


def test_forward_pass_shows_the_trace_values():
    net = _small_net()
    x = np.array([0.7, -1.3])
    fig, ax = plt.subplots()
    assert nn.plots.forward_pass(net, x, ax=ax, colorbar=False) is ax
    tr = net.trace(x)
    texts = [t.get_text() for t in ax.texts]
    for l in range(net.L + 1):
        for v in tr.a[l][:, 0]:
            assert f"{v:.2f}" in texts
    for l in range(1, net.L + 1):
        for v in tr.z[l][:, 0]:
            assert f"$z$={v:.2f}" in texts
    # the neuron colours follow a: the same activation gives the same colour
    colours = np.concatenate([c.get_facecolors() for c in ax.collections])
    values = np.concatenate([tr.a[l][:, 0] for l in range(net.L + 1)])
    order = np.argsort(values)
    lum = colours[order, :3] @ np.array([0.299, 0.587, 0.114])
    assert np.all(np.diff(lum) >= -1e-9)                    # cividis grows brighter with a


def test_forward_pass_lines_are_the_terms_w_a():
    net = _small_net()
    x = np.array([0.7, -1.3])
    fig, ax = plt.subplots()
    nn.plots.forward_pass(net, x, ax=ax, colorbar=False, show_z=False)
    tr = net.trace(x)
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
                colour = matplotlib.colors.to_hex(line.get_color()).upper()
                assert colour == (nn.plots.PALETTE[0] if terms[j, k] > 0 else nn.plots.PALETTE[3])
        # widths are an increasing function of |w a|, the largest term of a layer the widest
        assert np.all(np.diff(np.array(widths)[np.argsort(np.abs(terms).ravel())]) >= -1e-12)


def test_forward_pass_fixed_colour_limits_and_large_layers():
    net = nn.Network([2, 20, 3], hidden="relu", output="softmax", cost="log_likelihood", seed=0)
    fig, ax = plt.subplots()
    nn.plots.forward_pass(net, [[0.5], [1.0]], ax=ax, vlim=(-1, 1))
    cbar = fig.axes[-1]
    assert cbar is not ax and np.allclose(cbar.get_ylim(), (-1, 1))
    assert [t.get_text() for t in ax.texts].count("⋮") == 1
    assert [len(o) for o in _neuron_offsets(ax)] == [2, 6, 3]


def test_forward_pass_maxout_layer_has_no_z_labels():
    net = nn.Network([2, 3, 1], hidden=nn.activations.Maxout(k=2), output="sigmoid", seed=0)
    fig, ax = plt.subplots()
    nn.plots.forward_pass(net, [0.2, 0.4], ax=ax, colorbar=False)
    z_labels = [t for t in ax.texts if t.get_text().startswith("$z$=")]
    assert len(z_labels) == 1                                # only the sigmoid output neuron


def test_forward_pass_rejects_bad_input():
    net = _small_net()
    with pytest.raises(TypeError):
        nn.plots.forward_pass([2, 3], [0.0, 0.0])
    with pytest.raises(ValueError):
        nn.plots.forward_pass(net, np.zeros((2, 4)))             # a batch, not one input
    with pytest.raises(ValueError):
        nn.plots.forward_pass(net, [0.0, 0.0, 0.0])              # wrong number of inputs
    with pytest.raises(ValueError):
        nn.plots.forward_pass(net, [0.0, 0.0], vlim=(1, -1))
