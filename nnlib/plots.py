"""The book's figures: one consistent look, legible at the book's column width.

Every helper takes an optional ``ax`` (a new figure is made when it is ``None``) and
returns the axes it drew on, so figures compose. Colours come from :data:`PALETTE`,
the Okabe-Ito palette, which stays distinguishable under the common forms of colour
blindness.
"""

from __future__ import annotations

import contextlib

import numpy as np

from ._checks import as_float_array, positive_number

__all__ = ["PALETTE", "CMAP", "book_style", "use_book_style", "new_axes", "network_diagram",
           "function_and_derivative", "decision_boundary", "training_curves", "descent_path"]

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
    """``ax`` itself, or the axes of a new figure."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def network_diagram(sizes, ax=None, max_shown=8, labels=True):
    r"""Draw a fully connected network from its layer sizes ``[n_0, ..., n_L]``.

    Each layer is a column of neurons (at most ``max_shown``; larger layers show
    their first and last neurons with an ellipsis), joined by one line per weight.
    With ``labels``, layers are named (input / hidden / output) with their size,
    and the weights between layers $l-1$ and $l$ are marked $w^l$.
    """
    from .network import _check_sizes

    sizes = _check_sizes(sizes)
    positive_number(max_shown, "max_shown", integer=True)
    ax = new_axes(ax, figsize=(1.6 * len(sizes) + 1, 3.6))
    L = len(sizes) - 1
    columns = []
    for l, n in enumerate(sizes):
        shown = n if n <= max_shown else max_shown
        ys = np.linspace(-(shown - 1) / 2, (shown - 1) / 2, shown) if shown > 1 else np.array([0.0])
        gap = None
        if n > max_shown:
            ys = np.concatenate([ys[: shown // 2], ys[shown // 2 + 1:]])
            gap = 0.0 if shown % 2 else ys[shown // 2 - 1] - 0.5
            gap = float(np.mean(ys[shown // 2 - 1: shown // 2 + 1])) if len(ys) > 1 else 0.0
        columns.append((ys[::-1], gap))
    for l in range(1, L + 1):
        for y0 in columns[l - 1][0]:
            for y1 in columns[l][0]:
                ax.plot([l - 1, l], [y0, y1], color="0.65", lw=0.6, zorder=1)
    colours = [PALETTE[5]] + [PALETTE[0]] * (L - 1) + [PALETTE[1]]
    for l, (ys, gap) in enumerate(columns):
        ax.scatter(np.full(len(ys), l), ys, s=260, color=colours[l], edgecolor="black", zorder=3)
        if gap is not None:
            ax.text(l, gap, "⋮", ha="center", va="center", fontsize=14, zorder=4)
    top = max(float(np.max(c[0])) for c in columns)
    if labels:
        for l, n in enumerate(sizes):
            role = "input" if l == 0 else ("output" if l == L else "hidden")
            ax.text(l, -top - 0.9, f"{role}\n$l={l}$, $n_{{{l}}}={n}$", ha="center", va="top", fontsize=9)
        for l in range(1, L + 1):
            ax.text(l - 0.5, top + 0.7, f"$w^{{{l}}}$", ha="center", va="bottom", fontsize=11)
    ax.set_xlim(-0.5, L + 0.5)
    ax.set_ylim(-top - 2.3, top + 1.4)
    ax.axis("off")
    return ax


def function_and_derivative(activation, z=None, ax=None, title=True):
    r"""Plot an element-wise activation $\sigma(z)$ (solid) and $\sigma'(z)$ (dashed)."""
    from .activations import get_activation

    act = get_activation(activation)
    if not act.elementwise:
        raise ValueError(f"activation must be element-wise to plot its derivative, got {act!r}")
    z = np.linspace(-5, 5, 401) if z is None else as_float_array(z, "z", ndim=1)
    ax = new_axes(ax)
    ax.plot(z, act.fn(z), color=PALETTE[0], label=r"$\sigma(z)$")
    ax.plot(z, act.prime(z), color=PALETTE[1], ls="--", label=r"$\sigma'(z)$")
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
    can be passed directly. Labelled points ``x`` ``(2, n)``, ``y`` ``(n,)`` are drawn on top.
    """
    from .network import Network

    if isinstance(predict, Network):
        predict = predict.feedforward
    if not callable(predict):
        raise TypeError(f"predict must be a function of inputs (2, m) or a Network, got {type(predict).__name__}")
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
            ax.figure.colorbar(shade, ax=ax)
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


def training_curves(history, ax=None, accuracy=True, log=False):
    """Plot a :class:`~nnlib.train.History`: cost per epoch (left axis), and accuracy (right axis)."""
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
    if accuracy and history.accuracy and history.accuracy[0] is not None:
        ax2 = ax.twinx()
        ax2.plot(epochs, history.accuracy, color=PALETTE[1], label="training accuracy")
        if history.val_accuracy:
            ax2.plot(epochs, history.val_accuracy, color=PALETTE[1], ls="--", label="validation accuracy")
        ax2.set_ylabel("accuracy")
        ax2.set_ylim(0, 1.02)
        ax2.grid(False)
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.legend(handles, labels, loc="center right")
    return ax


def descent_path(cost, path, ax=None, xlim=(-2, 2), ylim=(-2, 2), resolution=200, levels=25,
                 label=None, color=None):
    r"""Contours of a 2-D cost surface ``cost(w1, w2)`` and a descent ``path`` of shape ``(steps, 2)``.

    ``cost`` must accept arrays (it is evaluated on a grid). Draw several paths by
    calling again with the same ``ax`` (the contours are drawn only once).
    """
    path = as_float_array(path, "path", ndim=2)
    if path.shape[1] != 2:
        raise ValueError(f"path must have shape (steps, 2), got {path.shape}")
    ax = new_axes(ax)
    if not getattr(ax, "_nn_contours", False):
        g0, g1 = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
        ax.contour(g0, g1, cost(g0, g1), levels=levels, cmap="Greys", linewidths=0.8)
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
