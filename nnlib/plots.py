"""The book's figures: one consistent look, legible at the book's column width.

Every helper takes an optional ``ax`` (a new figure is made when it is ``None``) and
returns the axes it drew on, so figures compose. Colours come from :data:`PALETTE`,
the Okabe-Ito palette, which stays distinguishable under the common forms of colour
blindness.
"""

from __future__ import annotations

import contextlib
import numbers

import numpy as np

from ._checks import as_float_array, class_labels, positive_number

__all__ = ["PALETTE", "CMAP", "book_style", "use_book_style", "new_axes", "network_diagram",
           "neuron_positions", "function_and_derivative", "decision_boundary", "neuron_plane",
           "training_curves", "descent_path", "forward_pass", "training_progress", "log_log",
           "maxout_unit", "layer_profile", "grad_norms", "probabilities", "compare_runs",
           "hidden_sum", "learning_curves", "confusion_counts", "confusion_matrix", "image_grid"]

#: Okabe and Ito's colour-blind-safe palette (blue, orange, green, vermillion, purple, sky, yellow, black).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: The colour map for values in [0, 1] (probabilities): perceptually uniform, colour-blind safe.
CMAP = "cividis"

_RC = {
    "figure.figsize": (6.0, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2.0,
    "image.cmap": CMAP,
}


def _rc():
    from cycler import cycler

    return dict(_RC, **{"axes.prop_cycle": cycler(color=PALETTE)})


@contextlib.contextmanager
def book_style():
    """A context in which matplotlib draws in the book's style."""
    import matplotlib as mpl

    with mpl.rc_context(_rc()):
        yield


def use_book_style():
    """Switch matplotlib to the book's style for the rest of the session (first cell of a chapter)."""
    import matplotlib as mpl

    mpl.rcParams.update(_rc())


def new_axes(ax=None, figsize=None):
    """``ax`` itself, or the axes of a new figure.

    A new figure uses matplotlib's constrained layout, so the labels of twin axes,
    colour bars and legends outside the axes (:func:`training_curves`) find room
    without colliding. Give a figure of several panels the same layout:
    ``plt.subplots(1, 2, layout="constrained")``.
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _layer_slots(n, max_shown):
    """Where a layer of ``n`` neurons is drawn: ``(index, y, gap)``.

    ``index`` lists the neurons shown (0-based, top to bottom), ``y`` their heights,
    and ``gap`` the height of the ellipsis (``None`` when every neuron is shown).
    Neuron ``j`` of a fully shown layer sits at ``y = (n - 1)/2 - j``; a larger layer
    shows its first and last ``h = max(1, (max_shown - 1) // 2)`` neurons, with the
    ellipsis at ``y = 0`` between them.
    """
    if n <= max_shown:
        index = np.arange(n)
        return index, (n - 1) / 2 - index, None
    h = max(1, (max_shown - 1) // 2)
    index = np.concatenate([np.arange(h), np.arange(n - h, n)])
    slot = np.concatenate([np.arange(h), np.arange(h + 1, 2 * h + 1)])
    return index, h - slot.astype(np.float64), 0.0


class _LayerPositions(dict):
    """``{j: (x, y)}`` for the neurons of one layer that a diagram draws; looking up a
    neuron that is not drawn says why."""

    def __init__(self, l, n, max_shown, items):
        super().__init__(items)
        self.l, self.n, self.max_shown = l, n, max_shown

    def __missing__(self, j):
        if isinstance(j, bool) or not isinstance(j, numbers.Integral) or not 0 <= j < self.n:
            raise KeyError(f"layer {self.l} has no neuron {j!r}: its neurons are "
                           f"{_span(0, self.n - 1)} (n_{self.l} = {self.n})")
        h = len(self) // 2
        raise KeyError(
            f"neuron {j} of layer {self.l} is hidden behind the ellipsis: the layer has "
            f"{self.n} neurons and with max_shown={self.max_shown} the diagram draws only "
            f"{_span(0, h - 1)} and {_span(self.n - h, self.n - 1)}; pick one of those, "
            f"or pass max_shown={self.n}"
        )


def _span(lo, hi):
    return str(lo) if lo == hi else f"{lo}..{hi}"


def neuron_positions(sizes, max_shown=8):
    r"""Where :func:`network_diagram` and :func:`forward_pass` draw each neuron.

    Layer $l$ is the column at ``x = l``. In a layer of at most $m$ = ``max_shown``
    neurons, neuron $j$ sits at ``y = (n_l - 1)/2 - j`` (from the top down, centred on
    ``y = 0``). A larger layer shows only its first and its last
    $h = \max(1, \lfloor (m - 1)/2 \rfloor)$ neurons, at ``y = h, ..., 1`` and
    ``y = -1, ..., -h``, with an ellipsis at ``y = 0`` standing for the others. Draw
    on top of a diagram with these positions (to highlight a weight, say), never with
    a formula of your own.

    Parameters
    ----------
    sizes : sequence of int
        ``[n_0, n_1, ..., n_L]``, as for :class:`~nnlib.network.Network`.
    max_shown : int
        As for :func:`network_diagram`: the same value gives the same positions.

    Returns
    -------
    list of dict
        ``positions[l][j]`` is the centre ``(x, y)`` of neuron $j$ of layer $l$, for
        every neuron the diagram draws, top to bottom. Looking up a neuron hidden behind
        the ellipsis (or one the layer does not have) raises a ``KeyError`` that says
        which neurons are drawn.

    Examples
    --------
    >>> pos = neuron_positions([2, 20, 3])
    >>> pos[0][1], pos[2][0]
    ((0.0, -0.5), (2.0, 1.0))
    >>> list(pos[1])                      # 20 neurons: the first and last three are drawn
    [0, 1, 2, 17, 18, 19]
    >>> pos[1][18]
    (1.0, -2.0)

    Chapter 3 (feed-forward) highlights a weight $w^l_{jk}$ with them.
    """
    from .network import _check_sizes

    sizes = _check_sizes(sizes)
    positive_number(max_shown, "max_shown", integer=True)
    out = []
    for l, n in enumerate(sizes):
        index, ys, _ = _layer_slots(n, max_shown)
        out.append(_LayerPositions(l, n, max_shown,
                                   ((int(j), (float(l), float(y))) for j, y in zip(index, ys))))
    return out


def _draw_layers(ax, sizes, max_shown, labels, n_label_lines=3):
    """The shared frame of :func:`network_diagram` and :func:`forward_pass`.

    Sets the limits (leaving room for the labels), and returns the layers' slots
    ``(index, y, gap)`` (from :func:`neuron_positions`, the one home of the layout)
    and the marker diameter and font size that fit the axes.
    """
    L = len(sizes) - 1
    slots = []
    for n, pos in zip(sizes, neuron_positions(sizes, max_shown)):
        ys = np.array([y for _, y in pos.values()])
        slots.append((np.array(list(pos), dtype=int), ys, None if len(pos) == n else 0.0))
    top = max(float(np.max(np.abs(s[1]))) for s in slots)
    # Axes size in points, to size the neurons and to reserve room for the labels.
    fig = ax.figure
    pos = ax.get_position()
    w_pt = pos.width * fig.get_figwidth() * 72
    h_pt = pos.height * fig.get_figheight() * 72
    x_range = L + 1.0
    x_scale = w_pt / x_range                      # points per layer
    fontsize = 9 if x_scale >= 70 else (8 if x_scale >= 52 else 7)
    label_pt = (n_label_lines * 1.3 * fontsize + 6) if labels else 0.0
    above = 1.0 if labels else 0.6                # room for the w^l labels (data units)
    span = 2 * top + above + 0.6                  # neurons, plus margins (data units)
    if label_pt >= 0.6 * h_pt:
        label_pt = 0.6 * h_pt
    y_range = span / (1 - label_pt / h_pt)
    y_scale = h_pt / y_range                      # points per neuron spacing
    bottom = top + 0.6 + (y_range - span)
    ax.set_xlim(-0.5, L + 0.5)
    ax.set_ylim(-bottom, top + above)
    diameter = min(0.8 * y_scale, 0.42 * x_scale, 24.0)
    return slots, top, diameter, fontsize, (-top - 0.6)


def network_diagram(sizes, ax=None, max_shown=8, labels=True):
    r"""Draw a fully connected network from its layer sizes ``[n_0, ..., n_L]``.

    Layer $l$ is the column at ``x = l``; its neurons $j = 0, 1, \dots$ run from
    the top down, neuron $j$ at ``y = (n_l - 1)/2 - j``, and one line joins every
    neuron to every neuron of the next layer (one line per weight). A layer larger
    than ``max_shown`` shows its first and last ``max(1, (max_shown - 1) // 2)``
    neurons with an ellipsis between them at ``y = 0``; :func:`neuron_positions` gives
    the centre of every neuron drawn, to draw on top of the diagram. With ``labels``,
    each layer is named (input, hidden, output) with $l$ and $n_l$, and the weights
    between layers $l-1$ and $l$ are marked $w^l$.

    Parameters
    ----------
    sizes : sequence of int
        ``[n_0, n_1, ..., n_L]``, as for :class:`~nnlib.network.Network`.
    ax : matplotlib Axes, optional
    max_shown : int
        The most neurons drawn in one layer.
    labels : bool
        Name the layers and the weight matrices.

    Returns
    -------
    ax : matplotlib Axes

    Chapter 1 (structure) explains the picture.
    """
    from .network import _check_sizes

    sizes = _check_sizes(sizes)
    positive_number(max_shown, "max_shown", integer=True)
    ax = new_axes(ax, figsize=(1.6 * len(sizes) + 1, 3.6))
    L = len(sizes) - 1
    slots, top, diameter, fontsize, label_y = _draw_layers(ax, sizes, max_shown, labels)
    for l in range(1, L + 1):
        for y0 in slots[l - 1][1]:
            for y1 in slots[l][1]:
                ax.plot([l - 1, l], [y0, y1], color="0.65", lw=0.6, zorder=1)
    colours = [PALETTE[5]] + [PALETTE[0]] * (L - 1) + [PALETTE[1]]
    for l, (_, ys, gap) in enumerate(slots):
        ax.scatter(np.full(len(ys), l), ys, s=diameter ** 2, color=colours[l], edgecolor="black",
                   linewidths=0.8, zorder=3)
        if gap is not None:
            _ellipsis(ax, l, gap, fontsize)
    if labels:
        _layer_labels(ax, sizes, label_y, top, fontsize)
    ax.axis("off")
    return ax


def _ellipsis(ax, x, y, fontsize):
    ax.text(x, y, "⋮", ha="center", va="center", fontsize=fontsize + 5, zorder=4,
            bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none"))


def _layer_labels(ax, sizes, y, top, fontsize):
    """Name each layer (role, l, n_l) below it at height ``y``, and each w^l above at ``top``."""
    L = len(sizes) - 1
    for l, n in enumerate(sizes):
        role = "input" if l == 0 else ("output" if l == L else "hidden")
        ax.text(l, y, f"{role}\n$l={l}$\n$n_{{{l}}}={n}$", ha="center", va="top",
                fontsize=fontsize, linespacing=1.3)
    for l in range(1, L + 1):
        ax.text(l - 0.5, top + 0.35, f"$w^{{{l}}}$", ha="center", va="bottom", fontsize=fontsize + 2)


def function_and_derivative(activation, z=None, ax=None, title=True, breaks=()):
    r"""Plot an element-wise activation $\sigma(z)$ (solid) and $\sigma'(z)$ (dashed).

    ``breaks`` lists points where $\sigma$ or $\sigma'$ may jump (the step's jump and
    ReLU's kink, both at $z = 0$): the curves are not joined across them (a ``nan``
    separates the samples on either side), so a jump is drawn as a jump rather than
    as a steep line. Away from the breaks the curves are drawn exactly as without them.

    Chapter 5 (activation functions) draws every activation with it.
    """
    from .activations import get_activation

    act = get_activation(activation)
    if not act.elementwise:
        raise ValueError(f"activation must be element-wise to plot its derivative, got {act!r}")
    z = np.linspace(-5, 5, 401) if z is None else as_float_array(z, "z", ndim=1)
    breaks = np.sort(as_float_array(breaks, "breaks", ndim=1, allow_empty=True))
    if breaks.size and np.any(np.diff(z) <= 0):
        raise ValueError("z must be increasing when breaks are given (the curves are cut "
                         "between the samples on either side of each break)")
    cut = np.searchsorted(z, breaks, side="right")      # after the last sample <= the break
    gap = lambda v: np.insert(v, cut, np.nan)            # noqa: E731
    ax = new_axes(ax)
    ax.plot(gap(z), gap(act.fn(z)), color=PALETTE[0], label=r"$\sigma(z)$")
    ax.plot(gap(z), gap(act.prime(z)), color=PALETTE[1], ls="--", label=r"$\sigma'(z)$")
    ax.axhline(0, color="0.4", lw=0.8)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.set_xlabel("$z$")
    if title:
        ax.set_title(act.name)
    ax.legend(loc="upper left")
    return ax


def decision_boundary(predict, x=None, y=None, ax=None, xlim=None, ylim=None, resolution=150,
                      levels=(0.5,), cmap=CMAP, colorbar=False):
    r"""Shade a 2-D model's output over the plane and draw its decision boundary.

    ``predict`` maps inputs of shape ``(2, m)`` to outputs: shape ``(m,)`` or
    ``(1, m)`` (a probability or score, shaded; the contour at ``levels`` drawn), or
    ``(k, m)`` with $k > 1$ (the argmax class is shaded). A :class:`~nnlib.network.Network`
    with two inputs can be passed directly. Labelled points ``x`` ``(2, n)``, ``y`` ``(n,)``
    are drawn on top. ``colorbar`` adds a colour bar for the shaded values (a string
    is its label).
    """
    from .network import Network

    if isinstance(predict, Network):
        if predict.sizes[0] != 2:
            raise ValueError(
                f"predict must be a network with 2 inputs (the plane's x_1, x_2) to be drawn over "
                f"the plane, got a network with {predict.sizes[0]} inputs, sizes {predict.sizes}; "
                f"to draw a slice of its input space, pass a function of the plane's points "
                f"(shape (2, m)) instead"
            )
        predict = predict.feedforward
    if not callable(predict):
        raise TypeError(f"predict must be a function of inputs (2, m) or a Network, got {type(predict).__name__}")
    positive_number(resolution, "resolution", integer=True)
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2 (grid points per axis), got {resolution!r}")
    ax = new_axes(ax)
    if x is not None:
        x = as_float_array(x, "x", ndim=2)
        pad = 0.5
        xlim = xlim or (x[0].min() - pad, x[0].max() + pad)
        ylim = ylim or (x[1].min() - pad, x[1].max() + pad)
    xlim, ylim = xlim or (-2, 2), ylim or (-2, 2)
    g0, g1 = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    grid = np.stack([g0.ravel(), g1.ravel()])
    out = np.asarray(predict(grid), dtype=np.float64)
    m = grid.shape[1]
    if not (out.shape == (m,) or (out.ndim == 2 and out.shape[1] == m)):
        raise ValueError(
            f"predict must map inputs of shape (2, m) to outputs of shape (m,) or (k, m); "
            f"for m={m} it returned shape {out.shape}"
        )
    if not np.all(np.isfinite(out)):
        raise ValueError("predict returned nan or inf values")
    if out.ndim == 2 and out.shape[0] > 1:
        from matplotlib.colors import ListedColormap

        k = out.shape[0]
        cls = out.argmax(axis=0).reshape(g0.shape)
        ax.contourf(g0, g1, cls, levels=np.arange(k + 1) - 0.5, cmap=ListedColormap(PALETTE[:k]), alpha=0.35)
        ax.contour(g0, g1, cls, levels=np.arange(k) + 0.5, colors="black", linewidths=1.2)
    else:
        val = out.reshape(g0.shape)
        lo, hi = float(val.min()), float(val.max())
        shade = ax.contourf(g0, g1, val, levels=np.linspace(min(lo, 0.0), max(hi, 1.0), 21), cmap=cmap, alpha=0.8)
        if colorbar:
            ax.figure.colorbar(shade, ax=ax, label=colorbar if isinstance(colorbar, str) else None)
        inside = [v for v in levels if lo < v < hi]
        if inside:
            ax.contour(g0, g1, val, levels=inside, colors="white", linewidths=2.0)
    if x is not None and y is not None:
        labels = np.asarray(y).reshape(-1).astype(int)
        markers = "os^vD<>p"
        for c in np.unique(labels):
            pts = x[:, labels == c]
            ax.scatter(pts[0], pts[1], s=28, color=PALETTE[c % 8], marker=markers[c % 8],
                       edgecolor="black", linewidths=0.6, label=f"class {c}", zorder=3)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    return ax


def neuron_plane(w, b, activation="sigmoid", ax=None, xlim=(-3, 3), ylim=None, x=None, y=None,
                 resolution=150, normal=True, distance=True, colorbar=False):
    r"""A two-input neuron over the plane: its output shaded, and its weights and bias as geometry.

    The neuron computes

    .. math:: z = w \cdot x + b = w_1 x_1 + w_2 x_2 + b, \qquad a = \sigma(z),

    and its output $a$ is shaded over the plane as by :func:`decision_boundary`. The
    white line is its decision line $z = 0$ (for the step and the sigmoid, where $a$
    crosses $\tfrac12$). With ``normal``, an arrow along $w$ stands on the line: $w$ is
    perpendicular to it and points to the side where $z > 0$. With ``distance``, a
    dotted segment joins the origin (white dot) to the line's nearest point

    .. math:: x^\ast = -\frac{b}{\lVert w \rVert^2}\, w, \qquad
              \lVert x^\ast \rVert = \frac{|b|}{\lVert w \rVert}.

    The axes get equal scales, so that right angles look right.

    Parameters
    ----------
    w : array, shape (2,) or (1, 2)
        The weights $(w_1, w_2)$, not both zero.
    b : float
        The bias.
    activation : str or Activation
        $\sigma$, element-wise (:func:`~nnlib.activations.get_activation`).
    ax : matplotlib Axes, optional
    xlim, ylim : (float, float)
        The part of the plane shown; ``ylim`` defaults to ``xlim``.
    x, y : arrays, optional
        Labelled points ``(2, n)`` and ``(n,)`` drawn on top, as by :func:`decision_boundary`.
    resolution : int
        Grid points per axis of the shading.
    normal, distance : bool
        Draw the arrow along $w$, and the segment from the origin to $x^\ast$.
    colorbar : bool or str
        Add a colour bar for $a$ (a string is its label).

    Returns
    -------
    ax : matplotlib Axes

    Chapter 2 (the neuron) explains the picture.
    """
    from matplotlib import patheffects

    from .activations import get_activation

    w = as_float_array(w, "w")
    if w.shape not in ((2,), (1, 2)):
        raise ValueError(f"w must hold a two-input neuron's weights (w_1, w_2), shape (2,), "
                         f"got shape {w.shape}")
    w = w.reshape(2)
    if not np.any(w):
        raise ValueError("w must not be zero: a neuron with w = (0, 0) has the same output "
                         "everywhere, and no decision line")
    if isinstance(b, bool) or not isinstance(b, numbers.Real) or not np.isfinite(b):
        raise TypeError(f"b must be one finite number (the neuron's bias), got {b!r}")
    b = float(b)
    act = get_activation(activation)
    if not act.elementwise:
        raise ValueError(f"activation must be element-wise (one neuron's sigma), got {act!r}")
    xlim = _check_limits(xlim, "xlim")
    ylim = xlim if ylim is None else _check_limits(ylim, "ylim")
    ax = new_axes(ax)
    decision_boundary(lambda g: act.fn(w @ g + b), x=x, y=y, ax=ax, xlim=xlim, ylim=ylim,
                      resolution=resolution, levels=(), colorbar=colorbar)
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    u = w / np.linalg.norm(w)                # the unit normal, along w
    t = np.array([-u[1], u[0]])              # the unit direction along the line
    foot = -b * w / (w @ w)                  # x*, the line's point nearest the origin
    ax.axline(foot, foot + t, color="white", lw=2.0, zorder=2)
    if distance:
        edge = [patheffects.withStroke(linewidth=3.5, foreground="black")]
        ax.plot([0, foot[0]], [0, foot[1]], ls=":", color="white", lw=2, path_effects=edge, zorder=3)
        ax.plot(0, 0, "o", color="white", ms=5, mec="black", mew=0.8, zorder=4)
    if normal:
        span = min(xlim[1] - xlim[0], ylim[1] - ylim[0])
        length = 0.15 * span
        # w stands on the line beside x* (clear of the dotted segment), where it fits in
        # view; shortened if it fits nowhere at full length, left out if the line is out of view.
        shifts = (0.13, -0.13, 0.3, -0.3, 0.0)             # along the line, in order of preference
        rooms = [_room(foot + s * span * t, u, xlim, ylim) for s in shifts]
        i = max(range(len(shifts)), key=lambda i: (min(rooms[i], length), -i))
        room, s = rooms[i], shifts[i]
        if room >= 0.3 * length:
            start, length = foot + s * span * t, min(length, room)
            red = PALETTE[3]
            ax.annotate("", xy=start + length * u, xytext=start, zorder=5,
                        arrowprops=dict(arrowstyle="-|>", color=red, lw=2.2, mutation_scale=16))
            side = t if s >= 0 else -t            # the label on the arrow's far side from x*
            ax.annotate("$w$", start + 0.6 * length * u, xytext=tuple(12 * side),
                        textcoords="offset points", color=red, fontsize=13, ha="center",
                        va="center", zorder=5)
    ax.set_aspect("equal")
    return ax


def _room(p, u, xlim, ylim):
    """How far one can go from ``p`` along the unit vector ``u`` inside the box (-1: ``p`` is outside)."""
    room = np.inf
    for pi, ui, (lo, hi) in zip(p, u, (xlim, ylim)):
        if not lo <= pi <= hi:
            return -1.0
        if ui > 0:
            room = min(room, (hi - pi) / ui)
        elif ui < 0:
            room = min(room, (lo - pi) / ui)
    return float(room)


def _check_limits(lim, name):
    """A pair ``(lo, hi)`` of finite numbers with ``lo < hi``."""
    arr = as_float_array(lim, name)
    if arr.shape != (2,) or not arr[0] < arr[1]:
        raise ValueError(f"{name} must be a pair (lo, hi) with lo < hi, got {lim!r}")
    return float(arr[0]), float(arr[1])


def training_curves(history, ax=None, accuracy=True, log=False, legend_loc="below"):
    """Plot a :class:`~nnlib.train.History`: cost per epoch (left axis), and accuracy (right axis).

    Parameters
    ----------
    history : History
        What :func:`~nnlib.train.sgd` returned.
    ax : matplotlib Axes, optional
        The cost axes; the accuracy goes on its twin.
    accuracy : bool
        Also draw the accuracy (if the history has it).
    log : bool
        Draw the cost on a log scale.
    legend_loc : str
        ``"below"`` (the default) puts the legend under the axes' x label, where it
        covers no curve, one column for the costs and one for the accuracies. Any
        matplotlib location (``"upper right"``, ...) puts it inside the axes instead,
        where it may cover a curve: matplotlib's ``"best"`` looks only at the cost
        curves, not at the accuracy on the twin axes.

    Returns
    -------
    ax : matplotlib Axes
        The cost axes.

    Chapter 2 (the neuron) uses it first, for a network learning XOR.
    """
    if not all(hasattr(history, a) for a in ("cost", "val_cost", "accuracy", "val_accuracy", "epochs")):
        raise TypeError(f"history must be the History that sgd returns, got {type(history).__name__}")
    if not isinstance(legend_loc, str):
        raise TypeError(f"legend_loc must be 'below' or a matplotlib legend location, got {legend_loc!r}")
    ax = new_axes(ax)
    epochs = history.epochs
    ax.plot(epochs, history.cost, color=PALETTE[0], label="training cost")
    if history.val_cost:
        ax.plot(epochs, history.val_cost, color=PALETTE[0], ls="--", label="validation cost")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost")
    if log:
        ax.set_yscale("log")
    handles, labels = ax.get_legend_handles_labels()
    columns = len(handles)                        # the costs side by side, or ...
    if accuracy and history.accuracy and history.accuracy[0] is not None:
        ax2 = ax.twinx()
        ax2.plot(epochs, history.accuracy, color=PALETTE[1], label="training accuracy")
        if history.val_accuracy:
            ax2.plot(epochs, history.val_accuracy, color=PALETTE[1], ls="--", label="validation accuracy")
        ax2.set_ylabel("accuracy")
        ax2.set_ylim(0, 1.02)
        ax2.grid(False)
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels, columns = handles + h2, labels + l2, 2   # ... a column each
    return _legend(ax, handles, labels, legend_loc, columns)


def _legend(ax, handles, labels, loc, columns):
    """``ax``, with a legend at ``loc`` (``"below"``: under the x label, clear of the axes)."""
    if loc != "below":
        ax.legend(handles, labels, loc=loc)
        return ax
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties
    from matplotlib.transforms import offset_copy

    rc = mpl.rcParams
    size = lambda key: FontProperties(size=rc[key]).get_size_in_points()   # noqa: E731
    # The band the legend sits in: below the tick marks, the tick labels and the x label,
    # as wide as the axes and a little taller than the legend (so that a location set
    # later, legend.set_loc("lower left") say, still keeps it in the band). In points.
    drop = (rc["xtick.major.size"] + rc["xtick.major.pad"] + 1.25 * size("xtick.labelsize")
            + rc["axes.labelpad"] + 1.25 * size("axes.labelsize") + 2.0)
    rows = -(-len(handles) // columns)
    tall = size("legend.fontsize") * (1.3 * rows + rc["legend.labelspacing"] * (rows - 1)
                                      + 2 * rc["legend.borderpad"]) + 4.0
    fig = ax.figure
    height = tall / max(ax.get_position().height * fig.get_figheight() * 72, 1.0)   # in axes units
    anchor = offset_copy(ax.transAxes, fig=fig, y=-drop, units="points")
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.0, -height, 1.0, height),
              bbox_transform=anchor, ncols=columns, frameon=False, borderaxespad=0.0)
    return ax


def descent_path(cost, path, ax=None, xlim=(-2, 2), ylim=(-2, 2), resolution=200, levels=25,
                 label=None, color=None, contour_color=None):
    r"""Contours of a 2-D cost surface ``cost(w1, w2)`` and a descent ``path`` of shape ``(steps, 2)``.

    ``cost`` must accept arrays (it is evaluated on a grid). Draw several paths by
    calling again with the same ``ax`` (the contours are drawn only once). The contour
    lines are shades of grey, darker for higher cost, or all ``contour_color`` (a single
    colour keeps the lowest contours, the narrow ones around a minimum, visible).

    Chapter 6 (zero-centred activations) draws the zig-zag of gradient descent with it.
    """
    path = as_float_array(path, "path", ndim=2)
    if path.shape[1] != 2:
        raise ValueError(f"path must have shape (steps, 2), got {path.shape}")
    ax = new_axes(ax)
    if not getattr(ax, "_nn_contours", False):
        g0, g1 = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
        shade = dict(cmap="Greys") if contour_color is None else dict(colors=contour_color)
        ax.contour(g0, g1, cost(g0, g1), levels=levels, linewidths=0.8, **shade)
        ax._nn_contours = True
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal")
        ax.grid(False)
    color = color or PALETTE[len(ax.lines) % len(PALETTE)]
    ax.plot(path[:, 0], path[:, 1], "-o", ms=3, lw=1.5, color=color, label=label)
    ax.plot(*path[0], "s", color=color, ms=7)
    ax.plot(*path[-1], "*", color=color, ms=12)
    if label:
        ax.legend(loc="upper right")
    return ax


def forward_pass(net, x, ax=None, max_shown=8, show_z=True, labels=True, colorbar=True, vlim=None):
    r"""Draw one input's forward pass through ``net``: every neuron's $z^l_j$ and $a^l_j$.

    The network is drawn as in :func:`network_diagram`, each neuron at its
    :func:`neuron_positions` centre. Each neuron of layers $1, \dots, L$ is coloured by
    its activation $a^l_j$ on a sequential scale (:data:`CMAP`) that spans the range of the
    network's activations (from 0 to 1 for sigmoid and softmax layers) and shows its value;
    the input neurons, which hold the input $x$ itself, are white with their values. With
    ``show_z`` each neuron's weighted input $z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j$ is
    written on an opaque label just above it, clear of the lines. Each line is the
    term $w^l_{jk} a^{l-1}_k$ it carries into $z^l_j$: its width is proportional to
    $|w^l_{jk} a^{l-1}_k|$ (relative to the largest term of the same layer), blue
    when the term is positive and vermillion when it is negative.

    Parameters
    ----------
    net : Network
    x : array, shape (n_0,) or (n_0, 1)
        One input.
    ax : matplotlib Axes, optional
    max_shown : int
        The most neurons drawn in one layer (see :func:`network_diagram`).
    show_z : bool
        Write each neuron's weighted input $z^l_j$ beside it.
    labels : bool
        Name the layers, as :func:`network_diagram` does.
    colorbar : bool
        Add a colour bar for $a^l_j$.
    vlim : (float, float), optional
        The activations at the two ends of the colour map. By default the range of the
        activation functions of layers $1, \dots, L$ (``act.range``: $[0, 1]$ for sigmoid
        and softmax, $[-1, 1]$ for tanh) when every one is bounded, otherwise
        $\min(0, a)$ and $\max(1, a)$ over those layers (then pass fixed limits across
        the frames of an interactive figure).

    Returns
    -------
    ax : matplotlib Axes

    Chapter 3 (feed-forward) explains the picture.
    """
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D
    import matplotlib as mpl

    from .network import Network

    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib Network, got {type(net).__name__}")
    x = as_float_array(x, "x", ndim=(1, 2))
    if x.ndim == 2 and x.shape[1] != 1:
        raise ValueError(f"x must be one input, shape ({net.sizes[0]},) or ({net.sizes[0]}, 1), got {x.shape}")
    positive_number(max_shown, "max_shown", integer=True)
    trace = net.forward(x.reshape(-1))
    a = [np.asarray(v)[:, 0] for v in trace.a]
    z = [None] + [np.asarray(v)[:, 0] for v in trace.z[1:]]
    sizes = net.sizes
    L = net.L
    ax = new_axes(ax, figsize=(1.8 * len(sizes) + 1.5, 3.8))
    slots, top, diameter, fontsize, label_y = _draw_layers(ax, sizes, max_shown, labels)
    for l in range(1, L + 1):
        idx_k, ys_k, _ = slots[l - 1]
        idx_j, ys_j, _ = slots[l]
        if net.act[l].pieces == 1:
            terms = net.w[l] * a[l - 1][None, :]          # terms[j, k] = w^l_jk a^{l-1}_k
        else:
            terms = np.zeros((sizes[l], sizes[l - 1]))     # Maxout: no single weight per line
        scale = float(np.max(np.abs(terms))) or 1.0
        for j, y1 in zip(idx_j, ys_j):
            for k, y0 in zip(idx_k, ys_k):
                t = terms[j, k]
                colour = PALETTE[0] if t > 0 else (PALETTE[3] if t < 0 else "0.7")
                ax.plot([l - 1, l], [y0, y1], color=colour, lw=0.3 + 3.2 * abs(t) / scale,
                        zorder=1, solid_capstyle="round")
    if vlim is None:
        ranges = np.array([net.act[l].range for l in range(1, L + 1)], dtype=np.float64)
        if np.all(np.isfinite(ranges)):               # the scale the activations can span
            vlim = (float(ranges[:, 0].min()), float(ranges[:, 1].max()))
        else:
            values = np.concatenate(a[1:])
            vlim = (min(0.0, float(values.min())), max(1.0, float(values.max())))
    elif not (len(vlim) == 2 and float(vlim[0]) < float(vlim[1])):
        raise ValueError(f"vlim must be a pair (vmin, vmax) with vmin < vmax, got {vlim!r}")
    norm = Normalize(vmin=float(vlim[0]), vmax=float(vlim[1]))
    cmap = mpl.colormaps[CMAP]
    small = float(np.clip(0.3 * 1.25 * diameter, 6, fontsize))   # values inside the circles
    for l, (idx, ys, gap) in enumerate(slots):
        # The input layer holds x, not an activation: white, outside the colour scale.
        colours = cmap(norm(a[l][idx])) if l > 0 else np.ones((len(idx), 4))
        ax.scatter(np.full(len(ys), l), ys, s=(1.25 * diameter) ** 2, color=colours, edgecolor="black",
                   linewidths=0.8, zorder=3)
        for j, y, c in zip(idx, ys, colours):
            light = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 0.5
            ax.text(l, y, f"{a[l][j]:.2f}", ha="center", va="center", fontsize=small, zorder=4,
                    color="black" if light else "white")
            if show_z and l > 0 and z[l].shape[0] == sizes[l]:
                # Above the circle, where few lines pass; opaque, so none runs through it.
                ax.annotate(f"$z$={z[l][j]:.2f}", (l, y), xytext=(0, 0.66 * diameter),
                            textcoords="offset points", ha="center", va="bottom", fontsize=small,
                            color="0.15", zorder=5,
                            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="0.6",
                                      linewidth=0.5))
        if gap is not None:
            _ellipsis(ax, l, gap, fontsize)
    if labels:
        _layer_labels(ax, sizes, label_y, top, fontsize)
    if colorbar:
        sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
        cb = ax.figure.colorbar(sm, ax=ax, fraction=0.04, pad=0.01)
        cb.set_label("activation $a^l_j$")
    ax.axis("off")
    return ax


def training_progress(history, epoch, ax=None, accuracy=True):
    r"""A :class:`~nnlib.train.History` up to ``epoch``, on axes that span the whole run.

    The whole run is drawn faintly, and epochs $1, \dots,$ ``epoch`` in full colour
    with a dot at ``epoch``: the cost per epoch on the left axis (from 0 to 1.05 times
    its largest value) and, for a classifier, the training accuracy on the right axis
    (0 to 1). Every ``epoch`` gets the same axes, so the frames of an interactive
    figure with one frame per epoch line up; ``epoch = 0`` (before training) draws
    only the faint curves.

    Parameters
    ----------
    history : History
        What :func:`~nnlib.train.sgd` returned.
    epoch : int
        How many epochs to show in colour, ``0 <= epoch <= len(history.cost)``.
    ax : matplotlib Axes, optional
    accuracy : bool
        Also draw the training accuracy (if the history has it).

    Returns
    -------
    ax : matplotlib Axes
        The cost axes (the accuracy is on its twin).

    Chapter 4 (backpropagation) uses it to show a network learning.
    """
    import numbers

    if not all(hasattr(history, a) for a in ("cost", "accuracy", "epochs")):
        raise TypeError(f"history must be the History that sgd returns, got {type(history).__name__}")
    n = len(history.cost)
    if n == 0:
        raise ValueError("history is empty: train for at least one epoch")
    if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or not 0 <= epoch <= n:
        raise ValueError(f"epoch must be an integer from 0 to {n} (the epochs in history), got {epoch!r}")
    epoch = int(epoch)
    ax = new_axes(ax)
    t = np.arange(1, n + 1)
    cost = as_float_array(history.cost, "history.cost", ndim=1)
    ax.plot(t, cost, color=PALETTE[0], alpha=0.25, lw=1.5)
    ax.plot(t[:epoch], cost[:epoch], color=PALETTE[0], label="training cost")
    if epoch:
        ax.plot(epoch, cost[epoch - 1], "o", color=PALETTE[0], ms=6, zorder=4)
    ax.set_xlim(0, n)
    ax.set_ylim(0, 1.05 * float(np.max(cost)))
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost")
    handles, labels = ax.get_legend_handles_labels()
    if accuracy and history.accuracy and history.accuracy[0] is not None:
        acc = as_float_array(history.accuracy, "history.accuracy", ndim=1)
        ax2 = ax.twinx()
        ax2.plot(t, acc, color=PALETTE[1], alpha=0.25, lw=1.5)
        ax2.plot(t[:epoch], acc[:epoch], color=PALETTE[1], label="training accuracy")
        if epoch:
            ax2.plot(epoch, acc[epoch - 1], "o", color=PALETTE[1], ms=6, zorder=4)
        ax2.set_ylim(0, 1.02)
        ax2.set_ylabel("accuracy")
        ax2.grid(False)
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.legend(handles, labels, loc="lower left")
    return ax


def log_log(x, curves, ax=None, xlabel=None, ylabel=None, guides=None, marker="o"):
    r"""Curves $y(x)$ on log-log axes, where a power law $y = c\,x^p$ is a straight line of slope $p$.

    Parameters
    ----------
    x : array, shape (n,)
        Positive abscissae, shared by every curve.
    curves : dict
        ``{label: y}`` with ``y`` of shape ``(n,)``, positive; one line (with
        markers) per entry, in the book's colours.
    ax : matplotlib Axes, optional
    xlabel, ylabel : str, optional
    guides : dict, optional
        ``{label: (p, x0, y0)}``: a dashed grey reference line
        $y = y_0 (x / x_0)^p$ through $(x_0, y_0)$ with slope $p$, over the range of ``x``.
    marker : str
        The marker of the data points ("" for none).

    Returns
    -------
    ax : matplotlib Axes

    Chapter 4 (backpropagation) uses it for the error of finite differences against
    the step $h$, and for running times against the number of parameters.
    """
    x = as_float_array(x, "x", ndim=1)
    if np.any(x <= 0):
        raise ValueError("x must be positive (it is drawn on a logarithmic axis)")
    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a non-empty dict {label: y values}")
    if guides is not None and not isinstance(guides, dict):
        raise TypeError(f"guides must be a dict {{label: (p, x0, y0)}}, got {type(guides).__name__}")
    ax = new_axes(ax)
    for i, (label, y) in enumerate(curves.items()):
        y = as_float_array(y, f"curves[{label!r}]", ndim=1)
        if y.shape != x.shape:
            raise ValueError(f"curves[{label!r}] must have the shape of x, {x.shape}, got {y.shape}")
        if np.any(y <= 0):
            raise ValueError(f"curves[{label!r}] must be positive (it is drawn on a logarithmic axis)")
        ax.plot(x, y, marker=marker, ms=4, color=PALETTE[i % len(PALETTE)], label=str(label))
    for i, (label, spec) in enumerate((guides or {}).items()):
        if not (isinstance(spec, (tuple, list)) and len(spec) == 3):
            raise TypeError(f"guides[{label!r}] must be a triple (p, x0, y0), got {spec!r}")
        p, x0, y0 = (float(v) for v in spec)
        if x0 <= 0 or y0 <= 0:
            raise ValueError(f"guides[{label!r}] needs a positive point (x0, y0), got ({x0}, {y0})")
        xs = np.array([x.min(), x.max()])
        ax.plot(xs, y0 * (xs / x0) ** p, ls=("--", ":", "-.")[i % 3], color="0.45", lw=1.2,
                label=str(label))
    ax.set_xscale("log")
    ax.set_yscale("log")
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend()
    return ax


def _points_and_target(points, name, span, target):
    """The increasing points to draw at (401 on ``span`` by default) and the target's
    values there (``target`` a function of them, or its values), both checked."""
    points = np.linspace(*span, 401) if points is None else as_float_array(points, name, ndim=1)
    if points.size < 2 or np.any(np.diff(points) <= 0):
        raise ValueError(f"{name} must hold at least two increasing points")
    if target is not None:
        values = target(points) if callable(target) else target
        target = as_float_array(values, "target", ndim=1)
        if target.shape != points.shape:
            raise ValueError(f"target must have one value per point of {name}, shape {points.shape}, "
                             f"got {target.shape}")
    return points, target


def maxout_unit(w, b, z=None, ax=None, target=None, target_label="target", pieces=True):
    r"""One Maxout unit of one input, $a(z) = \max_{i} (w_i z + b_i)$: its $k$ pieces and their maximum.

    Each affine piece $w_i z + b_i$ is drawn as a thin dashed line; the unit's output,
    the maximum, is drawn bold, each stretch in the colour of the piece that wins there.
    An optional ``target`` is drawn as a dotted black line. The y-limits are set from the
    output (and the target) alone, so pieces that run far above them leave the plot.

    Parameters
    ----------
    w, b : array, shape (k,)
        The slopes and intercepts of the unit's $k$ pieces. For unit $j$ of a Maxout
        layer with one input they are ``net.w[l][j*k:(j+1)*k, 0]`` and
        ``net.b[l][j*k:(j+1)*k, 0]`` (:class:`~nnlib.activations.Maxout`).
    z : array, shape (n,), optional
        Increasing points at which to draw; default 401 points on [-2, 2].
    ax : matplotlib Axes, optional
    target : callable or array, optional
        A function ``f(z)``, called on ``z``, or its values on ``z`` (shape ``(n,)``).
    target_label : str
        The target's label in the legend.
    pieces : bool
        Whether to draw the pieces (thin, dashed) under the output.

    Returns
    -------
    ax : matplotlib Axes

    Chapter 9 (Maxout) draws ReLU and $|z|$ as Maxout units, and a convex function
    approximated by the maximum of its tangent lines.
    """
    w = as_float_array(w, "w", ndim=1)
    b = as_float_array(b, "b", ndim=1)
    if b.shape != w.shape:
        raise ValueError(f"b must have one intercept per piece, the shape of w {w.shape}, got {b.shape}")
    z, target = _points_and_target(z, "z", (-2.0, 2.0), target)
    ax = new_axes(ax)
    # No yellow (too pale on white) and no black (the target's colour).
    colours = [c for c in PALETTE if c not in ("#F0E442", "#000000")]
    lines = w[:, None] * z[None, :] + b[:, None]              # piece i in row i
    out = lines.max(axis=0)
    if pieces:
        for i, line in enumerate(lines):
            ax.plot(z, line, ls="--", lw=1.0, alpha=0.7, color=colours[i % len(colours)])
    # The output, stretch by stretch: each in the colour of its winning piece (one
    # shared point at each change, so the stretches join).
    win = lines.argmax(axis=0)
    starts = np.flatnonzero(np.r_[True, win[1:] != win[:-1]])
    ends = np.r_[starts[1:], z.size - 1]
    for s, e in zip(starts, ends):
        ax.plot(z[s:e + 1], out[s:e + 1], lw=2.8, solid_capstyle="butt",
                color=colours[win[s] % len(colours)], zorder=3)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="0.35", lw=2.8, label=f"max of the {w.size} pieces")]
    if pieces:
        handles.append(Line2D([], [], color="0.35", ls="--", lw=1.0, label="the pieces"))
    shown = out
    if target is not None:
        (t,) = ax.plot(z, target, ls=":", lw=2.0, color=PALETTE[7], label=target_label, zorder=4)
        handles.append(t)
        shown = np.concatenate([out, target])
    lo, hi = float(shown.min()), float(shown.max())
    pad = 0.08 * (hi - lo) if hi > lo else 0.5
    ax.set_xlim(z[0], z[-1])
    ax.set_ylim(lo - pad, hi + pad)
    ax.axhline(0, color="0.4", lw=0.8)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.set_xlabel("$z$")
    ax.legend(handles=handles, loc="upper center")
    return ax


# ------------------------------------------- gradients layer by layer (chapter 7)
def _layer_values(values, name, log):
    """``values`` as a 1-D float array; on a log axis, zeros become nan (not drawn)."""
    v = as_float_array(values, name, ndim=1)
    if np.any(v < 0):
        raise ValueError(f"{name} must be non-negative (sizes such as gradient norms), got {v.min()!r}")
    return np.where(v > 0, v, np.nan) if log else v


def layer_profile(curves, ax=None, ylabel=None, log=True, ylim=None, marker="o"):
    r"""A quantity per layer against the layer number $l = 1, 2, \dots$: one line per curve.

    The typical quantity is the size of each layer's gradient, such as
    $\lVert \partial C/\partial b^l \rVert$, the norm of the mean of the errors
    $\delta^l$ over a batch (BP3). When gradients vanish or explode it changes by a
    roughly constant factor from layer to layer, a straight line on the logarithmic
    axis drawn by default.

    Parameters
    ----------
    curves : dict
        ``{label: values}``, ``values[i]`` for layer ``i + 1`` (non-negative numbers).
        Curves may have different lengths (networks of different depths).
    ax : matplotlib Axes, optional
    ylabel : str, optional
    log : bool
        A logarithmic y axis; zeros are then left out of the line (they have no
        logarithm).
    ylim : (float, float), optional
        Fixed y limits, e.g. the same for every frame of an interactive figure.
    marker : str
        The marker of the data points ("" for none).

    Returns
    -------
    ax : matplotlib Axes

    Chapter 7 (vanishing and exploding gradients) draws $\lVert \partial C/\partial b^l \rVert$
    layer by layer with it.
    """
    from matplotlib.ticker import MaxNLocator

    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a non-empty dict {label: one value per layer}")
    if ylim is not None:
        ylim = _check_limits(ylim, "ylim")
        if log and ylim[0] <= 0:
            raise ValueError(f"ylim must be positive on a logarithmic axis, got {ylim!r}")
    ax = new_axes(ax)
    for i, (label, values) in enumerate(curves.items()):
        v = _layer_values(values, f"curves[{label!r}]", log)
        ax.plot(np.arange(1, v.size + 1), v, marker=marker, ms=4, color=PALETTE[i % len(PALETTE)],
                label=str(label))
    if log:
        ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("layer $l$")
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend()
    return ax


def grad_norms(history, ax=None, log=True, legend=True):
    r"""The gradient norms that :func:`~nnlib.train.sgd` records with ``track_grad_norms=True``.

    One line per layer $l = 1, \dots, L$: the epoch's mean over its mini-batches of
    $\lVert \partial C/\partial w^l \rVert$, against the epoch. The lines run from
    dark (layer 1, next to the input) to light (the output layer $L$), so a fan of lines
    ordered by shade is a gradient that shrinks (or grows) layer by layer.

    Parameters
    ----------
    history : History
        What :func:`~nnlib.train.sgd` returned, trained with ``track_grad_norms=True``.
    ax : matplotlib Axes, optional
    log : bool
        A logarithmic y axis; zero norms (a layer that receives no gradient at all)
        are then left out of the line.
    legend : bool
        Name the layers in a legend.

    Returns
    -------
    ax : matplotlib Axes

    Chapter 7 (vanishing and exploding gradients) compares deep sigmoid, tanh and ReLU
    networks with it.
    """
    import matplotlib as mpl
    from matplotlib.ticker import MaxNLocator

    if not all(hasattr(history, a) for a in ("grad_norms", "epochs")):
        raise TypeError(f"history must be the History that sgd returns, got {type(history).__name__}")
    if not history.grad_norms:
        raise ValueError("history has no gradient norms: train with sgd(..., track_grad_norms=True)")
    norms = as_float_array(history.grad_norms, "history.grad_norms", ndim=2)   # (epochs, L)
    epochs, L = norms.shape
    ax = new_axes(ax)
    cmap = mpl.colormaps[CMAP]
    for l in range(1, L + 1):
        v = _layer_values(norms[:, l - 1], f"history.grad_norms (layer {l})", log)
        name = f"layer {l}" + (" (output)" if l == L else "")
        ax.plot(np.arange(1, epochs + 1), v, color=cmap(0.85 * (l - 1) / max(L - 1, 1)), label=name)
    if log:
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel(r"$\Vert \partial C/\partial w^l \Vert$")      # mathtext has no \lVert
    if legend:
        ax.legend(fontsize="small")
    return ax


def probabilities(p, ax=None, labels=None, target=None, values=True):
    r"""A probability vector, such as one example's softmax output $a^L$, as one bar per class.

    The bars stand on a fixed scale from 0 to 1, so frames for different inputs or
    temperatures compare directly. The most probable class is drawn in the book's first
    colour and the others in grey; a ``target`` class gets a black outline and a bold
    tick label.

    Parameters
    ----------
    p : array, shape (n,)
        Probabilities: entries in [0, 1] that sum to 1 (to within 1e-6).
    ax : matplotlib Axes, optional
    labels : sequence of str, optional
        One label per class (default ``0 .. n-1``).
    target : int, optional
        The index of the true class, outlined.
    values : bool
        Write the probability above each bar of at least 0.05 (for at most 12 classes;
        smaller bars are visibly near 0, and their labels would collide).

    Returns
    -------
    ax : matplotlib Axes

    Chapter 10 (softmax) draws a digit's class probabilities and the effect of the
    temperature with it.
    """
    import numbers

    p = as_float_array(p, "p", ndim=1)
    if np.any(p < 0) or np.any(p > 1) or abs(float(p.sum()) - 1.0) > 1e-6:
        raise ValueError(f"p must be a probability vector: entries in [0, 1] that sum to 1, "
                         f"got entries from {p.min():.3g} to {p.max():.3g} summing to {p.sum():.6g}")
    n = p.size
    if labels is None:
        labels = [str(j) for j in range(n)]
    elif isinstance(labels, (str, bytes)) or len(labels) != n:
        raise ValueError(f"labels must give one label per class ({n}), got {labels!r}")
    if target is not None and (isinstance(target, bool) or not isinstance(target, numbers.Integral)
                               or not 0 <= target < n):
        raise ValueError(f"target must be a class index 0..{n - 1}, got {target!r}")
    ax = new_axes(ax)
    top = int(np.argmax(p))
    colours = [PALETTE[0] if j == top else "0.7" for j in range(n)]
    bars = ax.bar(np.arange(n), p, color=colours, width=0.7, zorder=2)
    if values and n <= 12:
        for j, v in enumerate(p):
            if v >= 0.05:
                ax.text(j, v + 0.02, f"{v:.2f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(np.arange(n), [str(s) for s in labels])
    if target is not None:
        bars[target].set_edgecolor("black")
        bars[target].set_linewidth(2.0)
        ax.get_xticklabels()[target].set_fontweight("bold")
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("probability")
    ax.grid(axis="x", visible=False)
    return ax


def compare_runs(runs, ax=None, metric="cost", log=False, ylabel=None):
    r"""Training curves of several set-ups, each trained from several seeds.

    One colour per set-up: a thin line for each run (each seed) and a thick line for
    their mean, epoch by epoch, so that a difference between set-ups can be told from
    the spread between seeds.

    Parameters
    ----------
    runs : dict
        ``{label: [History, ...]}``: for each set-up, the :class:`~nnlib.train.History`
        of each of its runs, all with the same number of epochs.
    ax : matplotlib Axes, optional
    metric : {"cost", "accuracy", "val_cost", "val_accuracy"}
        Which list of the histories to draw.
    log : bool
        A logarithmic y axis (for a cost).
    ylabel : str, optional
        The y label (defaults to the metric's name).

    Returns
    -------
    ax : matplotlib Axes

    Chapter 6 (zero-centred activations) compares sigmoid and tanh networks on the digits
    with it.
    """
    metrics = ("cost", "accuracy", "val_cost", "val_accuracy")
    if metric not in metrics:
        raise ValueError(f"metric must be one of {', '.join(metrics)}, got {metric!r}")
    if not isinstance(runs, dict) or not runs:
        raise TypeError("runs must be a non-empty dict {label: [History, ...]}")
    ax = new_axes(ax)
    for i, (label, histories) in enumerate(runs.items()):
        if isinstance(histories, (str, bytes)) or not hasattr(histories, "__len__") or not histories:
            raise TypeError(f"runs[{label!r}] must be a non-empty list of the Histories that sgd returns")
        if not all(hasattr(h, metric) for h in histories):
            raise TypeError(f"runs[{label!r}] must hold the Histories that sgd returns")
        lengths = {len(getattr(h, metric)) for h in histories}
        if len(lengths) != 1 or 0 in lengths:
            raise ValueError(f"runs[{label!r}]: every run must have the same, non-zero number of "
                             f"epochs of {metric!r}, got {sorted(lengths)}")
        values = as_float_array([getattr(h, metric) for h in histories], f"runs[{label!r}]", ndim=2)
        if log and np.any(values <= 0):
            raise ValueError(f"runs[{label!r}] has values <= 0, which a logarithmic axis cannot show")
        colour = PALETTE[i % len(PALETTE)]
        epochs = np.arange(1, values.shape[1] + 1)
        for v in values:
            ax.plot(epochs, v, color=colour, lw=0.8, alpha=0.45)
        ax.plot(epochs, values.mean(axis=0), color=colour, lw=2.2,
                label=f"{label} (mean of {len(values)})")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel or metric.replace("_", " "))
    ax.legend()
    return ax


# ------------------------------------- one input, one hidden layer (chapter 12)
def hidden_sum(net, x=None, ax=None, target=None, target_label="target", parts=True):
    r"""A network of one input, one hidden layer and one output, drawn as the sum of its hidden neurons.

    For sizes $[1, N, 1]$ the output's weighted input is a sum of one share per hidden
    neuron, plus the output bias:

    .. math:: z^2(x) = \sum_{j=0}^{N-1} w^2_{0j}\, a^1_j(x) + b^2_0,
              \qquad a^1_j(x) = \sigma(w^1_{j0}\, x + b^1_j),

    and with the identity output it must have, the network's output is $a^2 = z^2$. Each
    share $w^2_{0j} a^1_j(x)$ is drawn as a thin line (a scaled step for a steep
    sigmoid, a ramp for a ReLU), the output $a^2(x)$ as a thick one, and an optional
    ``target`` as a dotted black line.

    Parameters
    ----------
    net : Network
        A network of sizes ``[1, N, 1]`` with an identity output (``output="identity"``):
        with any other output the drawn output would not be the sum of the shares.
    x : array, shape (n,), optional
        Increasing points at which to draw; default 401 points on [-1, 1].
    ax : matplotlib Axes, optional
    target : callable or array, optional
        A function ``f(x)``, called on ``x``, or its values on ``x`` (shape ``(n,)``).
    target_label : str
        The target's label in the legend.
    parts : bool
        Whether to draw the hidden neurons' shares.

    Returns
    -------
    ax : matplotlib Axes

    Chapter 12 (universal approximation) builds a function from steep sigmoid steps,
    and from ReLU ramps, with it.
    """
    from .network import Network

    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib Network, got {type(net).__name__}")
    if len(net.sizes) != 3 or net.sizes[0] != 1 or net.sizes[2] != 1:
        raise ValueError(f"net must have sizes [1, N, 1] (one input, one hidden layer, one "
                         f"output), got {net.sizes}")
    if net.act[-1].name != "identity":
        raise ValueError(f"net must have an identity output, so that its output is the sum of "
                         f"the shares plus b^2; got output={net.act[-1].name!r} (build it with "
                         f"output='identity')")
    x, target = _points_and_target(x, "x", (-1.0, 1.0), target)
    trace = net.forward(x.reshape(1, -1))
    shares = net.w[2][0][:, None] * trace.a[1]            # w^2_{0j} a^1_j(x), row j
    out = trace.a[2][0]
    ax = new_axes(ax)
    if parts:
        # Not blue (the output's colour), black (the target's) or yellow (too pale).
        colours = [c for c in PALETTE if c not in (PALETTE[0], "#F0E442", "#000000")]
        for j, share in enumerate(shares):
            ax.plot(x, share, lw=1.0, alpha=0.6, color=colours[j % len(colours)],
                    label=r"shares $w^2_{0j} a^1_j(x)$" if j == 0 else None)
    ax.plot(x, out, lw=2.4, color=PALETTE[0], label="output $a^2(x)$", zorder=3)
    if target is not None:
        ax.plot(x, target, ls=":", lw=2.0, color=PALETTE[7], label=target_label, zorder=4)
    ax.set_xlim(x[0], x[-1])
    ax.set_xlabel("$x$")
    ax.legend()
    return ax


def learning_curves(curves, ax=None, log=False, ylabel="cost", marks=None):
    r"""Several learning curves on one pair of axes: one line per curve, against the epoch.

    Parameters
    ----------
    curves : dict
        ``{label: values}``, each a :class:`~nnlib.train.History` (its ``cost`` is drawn)
        or a sequence of finite numbers, one per epoch, epoch 1 first. The curves may have
        different lengths.
    ax : matplotlib Axes, optional
    log : bool
        A logarithmic y axis (every value must then be positive).
    ylabel : str
        The y label.
    marks : dict, optional
        ``{label: epoch}``: a dot on that curve at that epoch (1-based), labelled with the
        epoch, for instance where the curve first reaches a target. An epoch of ``None``
        draws nothing (the curve never got there).

    Returns
    -------
    ax : matplotlib Axes

    Chapter 11 (cost functions) draws with it the learning slowdown of a saturated sigmoid
    neuron under the quadratic cost, against the cross-entropy.
    """
    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a non-empty dict {label: History or list of values}")
    if not isinstance(ylabel, str):
        raise TypeError(f"ylabel must be a string, got {type(ylabel).__name__}")
    values = {}
    for label, curve in curves.items():
        raw = curve.cost if hasattr(curve, "cost") and hasattr(curve, "epochs") else curve
        v = as_float_array(raw, f"curves[{label!r}]", ndim=1)
        if v.size == 0:
            raise ValueError(f"curves[{label!r}] is empty: give one value per epoch")
        if log and np.any(v <= 0):
            raise ValueError(f"curves[{label!r}] has values <= 0, which a logarithmic axis cannot show")
        values[label] = v
    marks = {} if marks is None else marks
    if not isinstance(marks, dict):
        raise TypeError(f"marks must be a dict {{label: epoch}}, got {type(marks).__name__}")
    for label, epoch in marks.items():
        if label not in values:
            raise ValueError(f"marks names {label!r}, which is not one of the curves {list(values)}")
        if epoch is not None and (isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral)
                                  or not 1 <= epoch <= values[label].size):
            raise ValueError(f"marks[{label!r}] must be an epoch 1..{values[label].size} (or None), "
                             f"got {epoch!r}")
    ax = new_axes(ax)
    for i, (label, v) in enumerate(values.items()):
        colour = PALETTE[i % len(PALETTE)]
        ax.plot(np.arange(1, v.size + 1), v, color=colour, label=label)
        epoch = marks.get(label)
        if epoch is not None:
            ax.plot([epoch], [v[epoch - 1]], "o", color=colour, ms=6, zorder=3)
            ax.annotate(f"epoch {epoch}", (epoch, v[epoch - 1]), xytext=(5, 5),
                        textcoords="offset points", color=colour, fontsize=9,
                        bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8))
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax


# ------------------------------------------- classifier results (chapter 14)
def confusion_counts(predicted, actual, n_classes=None):
    r"""The confusion matrix of a classifier: ``counts[i, j]`` examples of class $i$ predicted as $j$.

    Row $i$ holds the examples whose true class is $i$, column $j$ those predicted as
    $j$: the diagonal counts the right answers, every entry off it a mistake. Row
    sums are the number of examples of each class, and the accuracy is the trace
    over the total.

    Parameters
    ----------
    predicted, actual : array of int, shape (n,)
        Predicted and true class labels in ``0 .. n_classes - 1`` (``net.predict(x)``
        and ``y``).
    n_classes : int, optional
        The number of classes $k$ (default: one more than the largest label seen).

    Returns
    -------
    numpy.ndarray, shape (k, k)
        The counts, as int64.

    Examples
    --------
    >>> confusion_counts([0, 1, 1, 2], [0, 1, 2, 2])
    array([[1, 0, 0],
           [0, 1, 0],
           [0, 1, 1]])

    Chapter 14 (the digits) draws it with :func:`confusion_matrix`.
    """
    k = None if n_classes is None else positive_number(n_classes, "n_classes", integer=True)
    predicted, actual = class_labels(predicted, k, "predicted"), class_labels(actual, k, "actual")
    if predicted.shape != actual.shape:
        raise ValueError(f"predicted and actual must have one label per example each, got "
                         f"{predicted.size} and {actual.size} labels")
    if predicted.size == 0:
        raise ValueError("predicted and actual must not be empty")
    if k is None:
        k = int(max(predicted.max(), actual.max())) + 1
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (actual, predicted), 1)
    return counts


def confusion_matrix(predicted, actual, ax=None, labels=None):
    r"""Draw the confusion matrix of a classifier, every count written in its cell.

    Row $i$ is the true class, column $j$ the predicted one (:func:`confusion_counts`).
    The right answers on the diagonal are shaded in blue by count and written in
    black or white, whichever reads better on the shade; the mistakes off the diagonal
    are written in bold vermillion, and zeros are left blank, so the eye goes straight
    to the mistakes.

    Parameters
    ----------
    predicted, actual : array of int, shape (n,)
        Predicted and true class labels in ``0 .. k - 1``.
    ax : matplotlib Axes, optional
    labels : sequence of str, optional
        One name per class (their number sets $k$); default ``0 .. k - 1`` with $k$ one
        more than the largest label seen.

    Returns
    -------
    ax : matplotlib Axes

    Chapter 14 (the digits) draws the test set's confusion matrix with it.
    """
    if labels is not None:
        if isinstance(labels, (str, bytes)) or not hasattr(labels, "__len__") or len(labels) == 0:
            raise TypeError(f"labels must be a sequence of class names, got {labels!r}")
        labels = [str(s) for s in labels]
    counts = confusion_counts(predicted, actual, None if labels is None else len(labels))
    k = counts.shape[0]
    labels = labels or [str(j) for j in range(k)]
    ax = new_axes(ax, figsize=(0.42 * k + 1.6, 0.42 * k + 1.2))
    diagonal = np.where(np.eye(k, dtype=bool), counts, 0).astype(np.float64)
    top = max(float(diagonal.max()), 1.0)
    ax.imshow(diagonal, cmap="Blues", vmin=0, vmax=top, interpolation="nearest")
    fontsize = 9 if k <= 12 else 7
    for i in range(k):
        for j in range(k):
            c = counts[i, j]
            if c == 0:
                continue
            if i == j:
                colour, weight = ("white" if c > 0.55 * top else "black"), "normal"
            else:
                colour, weight = PALETTE[3], "bold"
            ax.text(j, i, str(c), ha="center", va="center", color=colour, fontweight=weight,
                    fontsize=fontsize)
    ax.set_xticks(np.arange(k), labels)
    ax.set_yticks(np.arange(k), labels)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("0.6")
    ax.set_xticks(np.arange(k + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(k + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="0.88", lw=0.6)
    ax.tick_params(which="minor", length=0)
    return ax


def image_grid(images, titles=None, axes=None, ncols=8, shape=None, cmap="gray_r", vlim=None,
               fontsize=8):
    r"""Draw images given as columns (each a flattened picture, row by row) in a grid.

    The book's examples are columns, so the digits ``x[:, idx]`` and the incoming
    weights of some hidden neurons, ``net.w[1][rows].T`` (row $j$ of $w^1$ is what
    neuron $j$ looks for in the input), are both such images.

    Parameters
    ----------
    images : array, shape (n_pixels, n)
        One image per column; ``n_pixels`` must equal ``shape[0] * shape[1]``.
    titles : sequence of str, optional
        One title per image (may contain newlines).
    axes : array of matplotlib Axes, optional
        At least ``n`` axes to draw into (any that are left over are turned off); by
        default a new figure of ``ncols`` columns.
    ncols : int
        Columns of the new figure's grid.
    shape : (int, int), optional
        Height and width of each image; default square.
    cmap : str
        The colour map: ``"gray_r"`` (dark ink on white) for digits, a diverging map
        such as ``"RdBu_r"`` with a symmetric ``vlim`` for weights.
    vlim : (float, float), optional
        The values drawn as the two ends of the colour map, the same for every image;
        default the smallest and largest value of all the images.
    fontsize : float
        The titles' font size.

    Returns
    -------
    numpy.ndarray of Axes
        The axes, flattened, one per image first.

    Chapter 14 (the digits) draws misclassified test digits and first-layer weights with it.
    """
    images = as_float_array(images, "images", ndim=2)
    positive_number(fontsize, "fontsize")
    n_pixels, n = images.shape
    if shape is None:
        side = int(round(np.sqrt(n_pixels)))
        if side * side != n_pixels:
            raise ValueError(f"images have {n_pixels} pixels (rows), not a square number: "
                             f"pass shape=(height, width)")
        shape = (side, side)
    if (not isinstance(shape, (tuple, list)) or len(shape) != 2
            or not all(isinstance(s, numbers.Integral) and s > 0 for s in shape)):
        raise ValueError(f"shape must be a pair (height, width) of positive integers, got {shape!r}")
    if shape[0] * shape[1] != n_pixels:
        raise ValueError(f"shape {tuple(shape)} has {shape[0] * shape[1]} pixels but images have "
                         f"{n_pixels} rows (one per pixel; images are columns)")
    if titles is not None:
        if isinstance(titles, (str, bytes)) or not hasattr(titles, "__len__") or len(titles) != n:
            raise ValueError(f"titles must give one title per image ({n}), got {titles!r}")
    lo, hi = (float(images.min()), float(images.max())) if vlim is None else _check_limits(vlim, "vlim")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    if axes is None:
        positive_number(ncols, "ncols", integer=True)
        import matplotlib.pyplot as plt

        cols = min(ncols, n)
        rows = -(-n // cols)
        title_h = 0.0 if titles is None else 0.18 * (1 + max(str(t).count("\n") for t in titles))
        _, axes = plt.subplots(rows, cols, figsize=(1.05 * cols, (1.0 + title_h) * rows),
                               layout="constrained", squeeze=False)
    axes = np.ravel(np.asarray(axes, dtype=object))
    if axes.size < n:
        raise ValueError(f"axes must hold at least one axes per image ({n}), got {axes.size}")
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i >= n:
            continue
        ax.imshow(images[:, i].reshape(shape), cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
        if titles is not None:
            ax.set_title(str(titles[i]), fontsize=fontsize)
    return axes
