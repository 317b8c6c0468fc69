r"""A fully connected feed-forward network, and backpropagation over a mini-batch.

Layout (stated once, used everywhere). Layers are numbered $l = 0, 1, \dots, L$;
layer 0 is the input. ``net.w[l]`` is $w^l$, of shape $(n_l, n_{l-1})$, so that
$w^l_{jk}$ = ``net.w[l][j, k]`` joins neuron $k$ of layer $l-1$ to neuron $j$ of
layer $l$; ``net.b[l]`` is $b^l$, a column of shape $(n_l, 1)$. Index 0 of these
lists is ``None`` (the input layer has no weights), so code indices equal the
book's. Examples are **columns**: a mini-batch of $m$ inputs is an array of shape
$(n_0, m)$, and the forward pass of the whole batch is one matrix product per layer,

.. math:: z^l = w^l a^{l-1} + b^l, \qquad a^l = \sigma(z^l),

with $b^l$ added to every column. Backpropagation computes, for the mean cost
$C = \frac{1}{m}\sum_x C_x$ of the batch, the error $\delta^l = \partial C/\partial z^l$
of every layer and from it every gradient, with the four equations

* BP1 $\delta^L = \nabla_a C \odot \sigma'(z^L)$
* BP2 $\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)$
* BP3 $\partial C/\partial b^l_j = \delta^l_j$
* BP4 $\partial C/\partial w^l_{jk} = a^{l-1}_k \delta^l_j$

each of which is a line of ``Network._backward`` (which :meth:`Network.backprop`
and training call), tagged with its name; BP1 itself is computed by the cost's
:meth:`~nnlib.costs.Cost.delta`, and BP2's product and Hadamard product are two lines.

Chapters: 1 (structure), 3 (feed-forward), 4 (backpropagation).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from ._checks import as_float_array, positive_number
from .activations import Activation, get_activation
from .costs import get_cost, one_hot
from .init import get_init

__all__ = ["Network", "Trace"]

_RELU_LIKE = ("relu", "leaky_relu", "elu", "maxout")


@dataclass
class Trace:
    r"""Everything a forward and backward pass computed, layer by layer.

    Lists are indexed by layer ``l = 0..L``; entries that do not exist (``z[0]``,
    ``delta[0]``) are ``None``. ``z[l]`` and ``a[l]`` have one column per example.
    ``delta[l]`` is $\partial C_x/\partial z^l$ for each example $x$ (a column
    each); ``nabla_w[l]`` and ``nabla_b[l]`` are the gradients of the mean cost.
    """

    z: list
    a: list
    delta: list = field(default_factory=list)
    nabla_w: list = field(default_factory=list)
    nabla_b: list = field(default_factory=list)


class Network:
    r"""A fully connected network from a list of layer sizes.

    Parameters
    ----------
    sizes : sequence of int
        ``[n_0, n_1, ..., n_L]``: inputs, then each layer's number of neurons.
    hidden : str, Activation, or sequence of them
        The hidden layers' activation (one for all, or one per hidden layer).
    output : str or Activation
        The output layer's activation: ``"sigmoid"`` for two classes, ``"softmax"``
        for many, ``"identity"`` for regression.
    cost : str or Cost
        ``"quadratic"``, ``"cross_entropy"`` or ``"log_likelihood"``.
    init : str or callable
        An initialisation scheme from :mod:`nnlib.init`; ``"auto"`` takes He for the
        ReLU family and Maxout, Xavier (normal) otherwise.
    seed : int
        Seed of the weights' random generator: the same seed, the same network.

    Examples
    --------
    >>> net = Network([2, 3, 1], hidden="tanh", output="sigmoid", cost="cross_entropy")
    >>> net.w[1].shape, net.b[1].shape, net.n_params
    ((3, 2), (3, 1), 13)
    """

    def __init__(self, sizes, hidden="sigmoid", output="sigmoid", cost="cross_entropy",
                 init="auto", seed=0):
        self.sizes = _check_sizes(sizes)
        self.L = len(self.sizes) - 1
        hidden_list = _check_hidden(hidden, self.L - 1)
        out = _named(get_activation, output, "output")
        if out.pieces != 1:
            raise ValueError(f"output must not be Maxout (use it in hidden layers), got {out!r}")
        self.cost = _named(get_cost, cost, "cost")
        if self.cost.needs_probabilities and not (out.range[0] >= 0 and out.range[1] <= 1):
            raise ValueError(
                f"cost {self.cost.name!r} takes logarithms of the outputs, so it needs an output "
                f"activation with values in [0, 1] (sigmoid or softmax), got output={out.name!r}"
            )
        #: ``act[l]`` is layer l's activation object (``act[0]`` is None).
        self.act = [None] + hidden_list + [out]
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise TypeError(f"seed must be an integer, got {seed!r}")
        if init == "auto":
            init = "he_normal" if all(a.name in _RELU_LIKE for a in hidden_list) and hidden_list else "xavier_normal"
        self.init = init if isinstance(init, str) else getattr(init, "__name__", repr(init))
        init_fn = _named(get_init, init, "init")
        rng = np.random.default_rng(seed)
        self.w, self.b = [None], [None]
        for l in range(1, self.L + 1):
            n_out = self.sizes[l] * self.act[l].pieces
            w, b = init_fn(n_out, self.sizes[l - 1], rng)
            w = as_float_array(w, f"init's w{l}")
            b = as_float_array(b, f"init's b{l}")
            if w.shape != (n_out, self.sizes[l - 1]) or b.size != n_out:
                raise ValueError(
                    f"init must return (w, b) with w of shape {(n_out, self.sizes[l - 1])} and "
                    f"b of {n_out} entries for layer {l}, got shapes {w.shape} and {b.shape}"
                )
            self.w.append(np.array(w, dtype=np.float64))
            self.b.append(np.array(b, dtype=np.float64).reshape(n_out, 1))

    # ------------------------------------------------------------------ basics
    @property
    def n_params(self):
        r"""The number of weights and biases, $\sum_{l=1}^{L} (n_l n_{l-1} + n_l)$ (times $k$ for Maxout layers)."""
        return int(sum(self.w[l].size + self.b[l].size for l in range(1, self.L + 1)))

    def params(self):
        """Every parameter array, in the order ``w[1], b[1], ..., w[L], b[L]`` (views, not copies)."""
        out = []
        for l in range(1, self.L + 1):
            out += [self.w[l], self.b[l]]
        return out

    def copy(self):
        """An independent copy (weights are copied)."""
        new = object.__new__(Network)
        new.__dict__.update(self.__dict__)
        new.w = [None] + [w.copy() for w in self.w[1:]]
        new.b = [None] + [b.copy() for b in self.b[1:]]
        return new

    def __repr__(self):
        hidden = sorted({repr(a) for a in self.act[1:-1]})
        hidden = hidden[0] if len(hidden) == 1 else hidden
        return (f"Network({self.sizes}, hidden={hidden}, output={self.act[-1]!r}, "
                f"cost={self.cost!r}, init={self.init!r})")

    # ------------------------------------------------------------ feed-forward
    def feedforward(self, x):
        r"""The output $a^L$ for one input ``(n_0,)`` or a mini-batch ``(n_0, m)``.

        One matrix product per layer, $a^l = \sigma(w^l a^{l-1} + b^l)$; the result
        has the input's layout: ``(n_L,)`` or ``(n_L, m)``.
        """
        x2, single = self._check_x(x)
        a = x2
        for l in range(1, self.L + 1):
            a = self.act[l].fn(self.w[l] @ a + self.b[l])
        return a[:, 0] if single else a

    def predict(self, x):
        """Predicted classes (argmax of the outputs, or output > 0.5 for one output neuron);
        for an identity output, the outputs themselves."""
        a = np.atleast_1d(self.feedforward(x))
        single = np.ndim(x) == 1
        a2 = a.reshape(-1, 1) if single else a
        if self.act[-1].name == "identity":
            return a
        labels = (a2[0] > 0.5).astype(np.int64) if self.sizes[-1] == 1 else a2.argmax(axis=0)
        return labels[0] if single else labels

    def accuracy(self, x, y):
        """The fraction of examples whose predicted class equals their label."""
        x2, single = self._check_x(x)
        y2 = self._check_y(y, x2.shape[1], single)
        return float(np.mean(self._correct(self._forward(x2)[1][-1], y2)))

    def total_cost(self, x, y, lmbda=0.0, n=None):
        r"""The mean cost over the examples, plus the L2 term $\frac{\lambda}{2n}\sum_l \lVert w^l \rVert^2$.

        ``n`` is the training-set size in the L2 term (defaults to the number of examples).
        """
        x2, single = self._check_x(x)
        y2 = self._check_y(y, x2.shape[1], single)
        positive_number(lmbda, "lmbda", allow_zero=True)
        c = self.cost.fn(self._forward(x2)[1][-1], y2)
        if lmbda:
            n = x2.shape[1] if n is None else positive_number(n, "n", integer=True)
            c += 0.5 * lmbda / n * sum(float(np.sum(w * w)) for w in self.w[1:])
        return c

    # --------------------------------------------------------- backpropagation
    def backprop(self, x, y):
        r"""The gradients of the mean cost of a mini-batch: ``(nabla_b, nabla_w)``.

        ``nabla_w[l]`` is $\partial C/\partial w^l$ (shape of ``w[l]``) and
        ``nabla_b[l]`` is $\partial C/\partial b^l$; index 0 is ``None``. One forward
        and one backward pass over the whole batch, no loop over examples.
        """
        x2, single = self._check_x(x)
        y2 = self._check_y(y, x2.shape[1], single)
        zs, acts = self._forward(x2)
        nabla_b, nabla_w, _ = self._backward(zs, acts, acts, None, y2)
        return nabla_b, nabla_w

    def trace(self, x, y=None):
        """A :class:`Trace` of one forward pass (and, given ``y``, one backward pass):
        every layer's ``z``, ``a``, ``delta`` and gradients, for plotting."""
        x2, single = self._check_x(x)
        zs, acts = self._forward(x2)
        if y is None:
            return Trace(z=zs, a=acts)
        y2 = self._check_y(y, x2.shape[1], single)
        nabla_b, nabla_w, deltas = self._backward(zs, acts, acts, None, y2, keep_deltas=True)
        return Trace(z=zs, a=acts, delta=deltas, nabla_w=nabla_w, nabla_b=nabla_b)

    def _forward(self, x, dropout=0.0, rng=None):
        """Forward pass over columns ``x``; returns the lists ``zs`` and ``acts``.

        With ``dropout`` p > 0 (training only), every hidden activation is multiplied
        by a mask of 0s (probability p) and 1/(1-p)s ("inverted dropout"), and the
        method returns the undropped activations and the masks as well.
        """
        zs, acts = [None], [x]
        raws, masks = [x], [None]
        a = x
        for l in range(1, self.L + 1):
            z = self.w[l] @ a
            z += self.b[l]                    # z^l = w^l a^{l-1} + b^l
            a = self.act[l].fn(z)             # a^l = sigma(z^l)
            if dropout and l < self.L:
                raws.append(a)
                mask = (rng.random(a.shape) >= dropout) / (1.0 - dropout)
                masks.append(mask)
                a = a * mask
            zs.append(z)
            acts.append(a)
        if dropout:
            return zs, acts, raws, masks
        return zs, acts

    def _backward(self, zs, acts, raws, masks, y, keep_deltas=False, scale=1.0):
        """Backward pass: BP1-BP4 for the mean cost over the columns of ``y``.

        The gradients come out multiplied by ``scale`` (training passes the learning
        rate here, so that BP3 and BP4 produce the SGD steps directly).
        """
        L, m = self.L, y.shape[1]
        nabla_b, nabla_w = [None] * (L + 1), [None] * (L + 1)
        deltas = [None] * (L + 1) if keep_deltas else None
        delta = self.cost.delta(zs[L], acts[L], y, self.act[L])              # BP1
        if keep_deltas:
            deltas[L] = delta
        delta = delta * (scale / m)    # from here on: errors of the batch's *mean* cost
        for l in range(L, 0, -1):
            nabla_b[l] = delta.sum(axis=1, keepdims=True)                     # BP3
            nabla_w[l] = delta @ acts[l - 1].T                                # BP4
            if l > 1:
                g = self.w[l].T @ delta        # (w^l)^T delta^l, carried back to layer l-1
                if masks is not None:
                    g *= masks[l - 1]          # dropped neurons pass no error back
                delta = self.act[l - 1].backward(zs[l - 1], raws[l - 1], g)   # BP2
                if keep_deltas:
                    deltas[l - 1] = delta * (m / scale)
        return nabla_b, nabla_w, deltas

    # ----------------------------------------------------------------- checks
    def _check_x(self, x):
        x = as_float_array(x, "x", ndim=(1, 2))
        n0 = self.sizes[0]
        if x.shape[0] != n0:
            raise ValueError(
                f"x must have {n0} rows (one per input neuron; examples are columns), "
                f"got shape {x.shape}"
            )
        return (x.reshape(n0, 1), True) if x.ndim == 1 else (x, False)

    def _check_y(self, y, m, single=False):
        r"""Targets as columns ``(n_L, m)``; class labels are one-hot encoded."""
        n_out = self.sizes[-1]
        if np.ndim(y) == 0 or (single and np.ndim(y) == 1 and n_out > 1 and np.size(y) == 1):
            if m != 1:
                raise ValueError(
                    f"y is a single target but x has {m} examples (columns): give one target "
                    f"per example, as labels of shape ({m},) or targets of shape ({n_out}, {m})"
                )
            y = np.ravel(y)
            if n_out > 1:
                return one_hot(_labels(y, n_out), n_out)
            y = as_float_array(y, "y").reshape(1, 1)
        elif single and np.ndim(y) == 1:
            y = as_float_array(y, "y")
            if y.shape[0] != n_out:
                raise ValueError(f"y must have {n_out} entries (one per output neuron), got shape {y.shape}")
            y = y.reshape(n_out, 1)
        else:
            y_arr = np.asarray(y)
            if y_arr.ndim == 1:
                if y_arr.shape[0] != m:
                    raise ValueError(f"y has {y_arr.shape[0]} examples but x has {m}")
                if n_out > 1:
                    return one_hot(_labels(y_arr, n_out), n_out)
                y = as_float_array(y_arr, "y").reshape(1, m)
            else:
                y = as_float_array(y_arr, "y", ndim=2)
                if y.shape[1] != m:
                    raise ValueError(f"y has {y.shape[1]} examples (columns) but x has {m}")
                if y.shape[0] != n_out:
                    raise ValueError(
                        f"y must have {n_out} rows (one per output neuron), got shape {y.shape}"
                    )
        if self.cost.needs_probabilities and (y.min() < 0 or y.max() > 1):
            raise ValueError(f"y must lie in [0, 1] for cost {self.cost.name!r}")
        return y

    def _correct(self, a, y):
        """Which columns of the output ``a`` are right, given one-hot/0-1 targets ``y``."""
        if self.sizes[-1] == 1:
            return (a[0] > 0.5) == (y[0] > 0.5)
        return a.argmax(axis=0) == y.argmax(axis=0)


def _labels(y, n_out):
    y = np.asarray(y)
    if y.dtype.kind not in "iuf":
        raise ValueError(
            f"y as a 1-D array holds class labels, so it must be whole numbers, got dtype {y.dtype}"
        )
    if y.dtype.kind == "f" and not np.all(np.isfinite(y) & (y == np.round(y))):
        bad = float(y[~(np.isfinite(y) & (y == np.round(y)))][0])
        raise ValueError(
            f"y as a 1-D array holds class labels, so it must be whole numbers, got {bad!r}"
        )
    if y.size and (y.min() < 0 or y.max() >= n_out):
        raise ValueError(
            f"y labels must be in 0..{n_out - 1} (the network has {n_out} outputs), "
            f"got values from {y.min()} to {y.max()}"
        )
    return y.astype(np.int64)


def _check_sizes(sizes):
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer sizes such as [2, 3, 1], got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output layer, got {sizes!r}")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"sizes must contain integers, got {n!r} in {sizes!r}")
        if n < 1:
            raise ValueError(f"sizes must be positive (at least one neuron per layer), got {sizes!r}")
    return [int(n) for n in sizes]


def _named(get, value, name):
    """``get(value)``, with ``name`` (the argument) prefixed to any error message."""
    try:
        return get(value)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{name}: {err}") from None


def _check_hidden(hidden, n_hidden):
    if isinstance(hidden, (list, tuple)):
        if len(hidden) != n_hidden:
            raise ValueError(
                f"hidden must name one activation, or one per hidden layer ({n_hidden}), "
                f"got {len(hidden)}"
            )
        return [_named(get_activation, h, "hidden") for h in hidden]
    act = _named(get_activation, hidden, "hidden")
    if isinstance(hidden, Activation):
        return [act] * n_hidden
    return [get_activation(hidden) for _ in range(n_hidden)]

