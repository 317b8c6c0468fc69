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

each of which is a line of :meth:`Network.backward`, tagged with its name (BP1 itself
is computed by the cost's :meth:`~nnlib.costs.Cost.delta`). The public pair is

* :meth:`Network.forward` ``(x) -> Trace``: every layer's $z^l$ and $a^l$;
* :meth:`Network.backward` ``(trace, y) -> Gradients``: every layer's $\delta^l$,
  $\partial C/\partial w^l$ and $\partial C/\partial b^l$,

and :meth:`Network.backprop` is the two in one call. Training
(:func:`nnlib.train.sgd`, one step at a time by :func:`nnlib.train.step`) calls the
same pair and applies the learning rate itself.

Chapters: 1 (structure), 3 (feed-forward), 4 (backpropagation).
"""

from __future__ import annotations

import numbers
import os
from dataclasses import dataclass

import numpy as np

from ._checks import as_float_array, check_seed, class_labels, positive_number, probability
from .activations import Activation, get_activation
from .costs import _argmax_columns, get_cost, one_hot
from .init import get_init

__all__ = ["Network", "Trace", "Gradients", "DTYPES"]

_RELU_LIKE = ("relu", "leaky_relu", "elu", "maxout")

DTYPES = ("float64", "float32")
"""The floating-point types a network computes in: float64 (the default, which gradient
checks need) or float32 (half the memory traffic, for speed)."""


@dataclass
class Trace:
    r"""What one forward pass computed, layer by layer: the input of a backward pass.

    Attributes
    ----------
    z : list
        ``z[l]`` is $z^l$, shape ``(n_l, m)`` (one column per example); ``z[0]`` is None.
    a : list
        ``a[l]`` is $a^l$, the activations layer ``l`` passed on to layer ``l+1``;
        ``a[0]`` is the input batch $x$ itself.
    mask : list
        ``mask[l]`` is the dropout mask of hidden layer ``l`` (None without dropout):
        then ``a[l]`` is $\sigma(z^l) \odot$ ``mask[l]``.
    """

    z: list
    a: list
    mask: list

    @property
    def m(self):
        """The number of examples (columns) in the batch."""
        return self.a[0].shape[1]


@dataclass
class Gradients:
    r"""What one backward pass computed, layer by layer (index 0 is None throughout).

    Attributes
    ----------
    delta : list
        ``delta[l]`` is $\delta^l = \partial C_x/\partial z^l$ of each example $x$
        (one column each), shape ``(n_l, m)``.
    nabla_w, nabla_b : list
        $\partial C/\partial w^l$ and $\partial C/\partial b^l$ of the batch's mean cost
        $C = \frac{1}{m}\sum_x C_x$, shaped like ``w[l]`` and ``b[l]``.
    """

    delta: list
    nabla_w: list
    nabla_b: list


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
    dtype : {"float64", "float32"}
        The type every weight, activation and gradient is computed in. Inputs of
        another type are converted once, where they enter (:meth:`forward`,
        :func:`~nnlib.train.sgd`). float32 is faster; gradient checks need float64.

    Attributes
    ----------
    sizes : list of int
        ``[n_0, ..., n_L]``.
    L : int
        The number of layers with weights (the output layer's index).
    w, b : list of ndarray
        ``w[l]`` is $w^l$, shape ``(n_l, n_{l-1})``; ``b[l]`` is $b^l$, shape ``(n_l, 1)``;
        index 0 is None, so code indices equal the book's. Read them freely; to set
        them, use :meth:`set_weights` (or :meth:`from_weights`), which check shapes.
    act : list of Activation
        ``act[l]`` is layer ``l``'s activation $\sigma$ (``act[0]`` is None).
    cost : Cost
        The cost $C$ (:mod:`nnlib.costs`).
    dtype : numpy.dtype
        float64 or float32.

    Examples
    --------
    >>> net = Network([2, 3, 1], hidden="tanh", output="sigmoid", cost="cross_entropy")
    >>> net.w[1].shape, net.b[1].shape, net.n_params
    ((3, 2), (3, 1), 13)
    """

    def __init__(self, sizes, hidden="sigmoid", output="sigmoid", cost="cross_entropy",
                 init="auto", seed=0, dtype="float64"):
        self.sizes = _check_sizes(sizes)
        self.L = len(self.sizes) - 1
        self.dtype = _check_dtype(dtype)
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
        self.act = [None] + hidden_list + [out]
        check_seed(seed)
        if init == "auto":
            init = "he_normal" if all(a.name in _RELU_LIKE for a in hidden_list) and hidden_list else "xavier_normal"
        self.init = init if isinstance(init, str) else getattr(init, "__name__", repr(init))
        init_fn = _named(get_init, init, "init")
        rng = np.random.default_rng(seed)
        self.w, self.b = [None], [None]
        for l in range(1, self.L + 1):
            shape = self._w_shape(l)
            w, b = init_fn(*shape, rng)
            # Stored column by column (Fortran order), and so are the gradients backward
            # computes: on this book's two-core test machine, OpenBLAS filled BP4's product
            # up to a quarter faster in that layout. w[l] is an ordinary (n_l, n_{l-1}) array;
            # only the last bits of some products' rounding depend on the layout.
            self.w.append(np.empty(shape, dtype=self.dtype, order="F"))
            self.b.append(np.empty((shape[0], 1), dtype=self.dtype))
            self.set_weights(l, w=w, b=b, who="init")

    @classmethod
    def from_weights(cls, weights, biases, hidden="sigmoid", output="sigmoid", cost="cross_entropy",
                     dtype="float64"):
        r"""A network with the given weights and biases (every shape checked).

        Parameters
        ----------
        weights : sequence of array
            $w^1, \dots, w^L$; $w^l$ of shape $(n_l, n_{l-1})$ ($k n_l$ rows for a Maxout
            layer of $k$ pieces). The layer sizes are read from these shapes.
        biases : sequence of array
            $b^1, \dots, b^L$; $b^l$ of shape $(n_l, 1)$ or $(n_l,)$.
        hidden, output, cost, dtype
            As for :class:`Network`.

        Examples
        --------
        >>> net = Network.from_weights([[[1.0, 1.0], [1.0, 1.0]], [[1.0, -2.0]]],
        ...                            [[-0.5, -1.5], [-0.5]], hidden="step", output="step",
        ...                            cost="quadratic")
        >>> net.sizes, net.feedforward([[0, 0, 1, 1], [0, 1, 0, 1]])
        ([2, 2, 1], array([[0., 1., 1., 0.]]))
        """
        for name, arg in (("weights", weights), ("biases", biases)):
            if isinstance(arg, (str, bytes, np.ndarray)) or not hasattr(arg, "__len__"):
                raise TypeError(f"{name} must be a list with one array per layer (w^1 ... w^L), "
                                f"got {type(arg).__name__}")
        weights, biases = list(weights), list(biases)
        if weights and weights[0] is None:     # net.w's own layout, index 0 = None
            weights = weights[1:]
        if biases and biases[0] is None:
            biases = biases[1:]
        if not weights or len(weights) != len(biases):
            raise ValueError(f"weights and biases must list the same number of layers (at least one), "
                             f"got {len(weights)} and {len(biases)}")
        ws = [as_float_array(w, f"weights[{l}]", ndim=2) for l, w in enumerate(weights, 1)]
        acts = _check_hidden(hidden, len(ws) - 1) + [_named(get_activation, output, "output")]
        sizes = [ws[0].shape[1]]
        for l, (w, act) in enumerate(zip(ws, acts), 1):
            if w.shape[1] != sizes[-1]:
                raise ValueError(
                    f"weights[{l}] must have {sizes[-1]} columns (one per neuron of layer {l - 1}), "
                    f"got shape {w.shape}"
                )
            if w.shape[0] % act.pieces:
                raise ValueError(f"weights[{l}] must have a multiple of {act.pieces} rows for "
                                 f"{act!r}, got shape {w.shape}")
            sizes.append(w.shape[0] // act.pieces)
        net = cls(sizes, hidden=hidden, output=output, cost=cost, init="zeros", dtype=dtype)
        for l in range(1, net.L + 1):
            net.set_weights(l, w=ws[l - 1], b=biases[l - 1])
        return net

    def set_weights(self, l, w=None, b=None, *, who=None):
        r"""Set layer ``l``'s weights $w^l$ and/or biases $b^l$, checking their shapes.

        ``w`` must have the shape of ``self.w[l]``, $(n_l, n_{l-1})$; ``b`` the shape
        $(n_l, 1)$ of ``self.b[l]`` or $(n_l,)$. The values are copied in (converted to
        the network's dtype): the arrays ``w[l]``, ``b[l]`` stay the same objects.
        """
        self._check_layer(l)
        if w is None and b is None:
            raise TypeError("set_weights needs w or b (or both)")
        if w is not None:
            name = f"{who}'s w{l}" if who else "w"
            w = as_float_array(w, name, dtype=self.dtype)
            if w.shape != self.w[l].shape:
                rows = f"{self.act[l].pieces} x {self.sizes[l]}" if self.act[l].pieces > 1 else self.sizes[l]
                raise ValueError(
                    f"{name} for layer {l} must have shape {self.w[l].shape} ({rows} neurons by "
                    f"{self.sizes[l - 1]} inputs), got {w.shape}"
                )
            self.w[l][...] = w
        if b is not None:
            name = f"{who}'s b{l}" if who else "b"
            b = as_float_array(b, name, dtype=self.dtype)
            n = self.b[l].shape[0]
            if b.shape not in ((n, 1), (n,)):
                raise ValueError(f"{name} for layer {l} must have shape ({n}, 1) or ({n},), got {b.shape}")
            self.b[l][...] = b.reshape(n, 1)

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
        new.w = [None] + [w.copy(order="K") for w in self.w[1:]]      # keeps the layout
        new.b = [None] + [b.copy() for b in self.b[1:]]
        return new

    # ------------------------------------------------------------ save, load
    def save(self, path):
        """Save the network to ``path`` (a ``.npz`` file; the suffix is added if missing).

        The file holds the architecture (sizes, each layer's activation and its
        parameters, the cost, the dtype) and every weight and bias, as plain arrays: no
        pickle, so loading it runs no code. :meth:`load` restores it exactly.
        """
        import json
        activations = [{"name": act.name, **_activation_params(act)} for act in self.act[1:]]
        spec = {"format": _FILE_FORMAT, "sizes": self.sizes, "activations": activations,
                "cost": self.cost.name, "dtype": self.dtype.name, "init": self.init}
        arrays = {f"w{l}": self.w[l] for l in range(1, self.L + 1)}
        arrays.update({f"b{l}": self.b[l] for l in range(1, self.L + 1)})
        np.savez(path, spec=np.array(json.dumps(spec)), **arrays)

    @classmethod
    def load(cls, path):
        """A network saved by :meth:`save`, with the same architecture, weights and biases."""
        import json
        import zipfile
        path = str(path)
        if not path.endswith(".npz") and not os.path.exists(path) and os.path.exists(path + ".npz"):
            path += ".npz"                          # as save() named it
        with open(path, "rb") as f:                 # a missing file raises FileNotFoundError
            is_zip = f.read(4) == b"PK\x03\x04"
        if not is_zip:
            raise ValueError(f"{path!s} is not a network saved by Network.save (not a .npz file)")
        try:
            with np.load(path, allow_pickle=False) as data:
                files = dict(data)
        except (OSError, ValueError, zipfile.BadZipFile) as err:
            raise ValueError(f"{path!s} is not a network saved by Network.save ({err})") from None
        try:
            spec = json.loads(str(files.pop("spec")))
            if spec.get("format") != _FILE_FORMAT:
                raise KeyError("format")
            acts = [get_activation(a.pop("name"), **a) for a in spec["activations"]]
            L = len(spec["sizes"]) - 1
            weights = [files[f"w{l}"] for l in range(1, L + 1)]
            biases = [files[f"b{l}"] for l in range(1, L + 1)]
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise ValueError(f"{path!s} is not a network saved by Network.save "
                             f"(missing or malformed {err})") from None
        net = cls.from_weights(weights, biases, hidden=acts[:-1], output=acts[-1],
                               cost=spec["cost"], dtype=spec["dtype"])
        net.init = spec.get("init", net.init)
        if net.sizes != spec["sizes"]:
            raise ValueError(f"{path!s} is inconsistent: sizes {spec['sizes']} but weights of sizes {net.sizes}")
        return net

    def __repr__(self):
        hidden = sorted({repr(a) for a in self.act[1:-1]})
        hidden = hidden[0] if len(hidden) == 1 else hidden
        dtype = "" if self.dtype == np.float64 else f", dtype={self.dtype.name!r}"
        return (f"Network({self.sizes}, hidden={hidden}, output={self.act[-1]!r}, "
                f"cost={self.cost!r}, init={self.init!r}{dtype})")

    # ------------------------------------------------------------ feed-forward
    def forward(self, x, dropout=0.0, rng=None, *, check=True):
        r"""The forward pass of a mini-batch: every layer's $z^l$ and $a^l$, as a :class:`Trace`.

        For $l = 1, \dots, L$: $z^l = w^l a^{l-1} + b^l$ and $a^l = \sigma(z^l)$, one
        matrix product for the whole batch (examples are columns; a single input
        ``(n_0,)`` is taken as a batch of one).

        With ``dropout`` $= p > 0$ (training only; ``rng`` a numpy ``Generator`` then
        draws the masks), each hidden activation is kept with probability $1 - p$ and
        scaled by $1/(1-p)$ ("inverted dropout"), so nothing changes at test time.

        ``check=False`` skips the validation of the arguments, for callers that have
        validated them already (:func:`~nnlib.train.sgd` checks the whole training set
        once, not each mini-batch again): ``x`` must then be a 2-D array ``(n_0, m)`` of
        the network's dtype with finite values, ``dropout`` a probability in $[0, 1)$
        and, with dropout, ``rng`` a numpy ``Generator``.
        """
        a = self._check_x(x)[0] if check else x
        if dropout:
            p = _check_dropout(dropout, rng) if check else dropout
        zs, acts, masks = [None], [a], [None] * (self.L + 1)
        for l in range(1, self.L + 1):
            z = self.w[l] @ a
            z += self.b[l]                                # z^l = w^l a^{l-1} + b^l
            a = self.act[l].fn(z)                         # a^l = sigma(z^l)
            if dropout and l < self.L:
                masks[l] = (rng.random(a.shape, dtype=self.dtype) >= p) / self.dtype.type(1.0 - p)
                a *= masks[l]
            zs.append(z)
            acts.append(a)
        return Trace(z=zs, a=acts, mask=masks)

    def feedforward(self, x):
        r"""The output $a^L$ for one input ``(n_0,)`` or a mini-batch ``(n_0, m)``, in the
        input's layout: ``(n_L,)`` or ``(n_L, m)``."""
        a = self.forward(x).a[-1]
        return a[:, 0] if np.ndim(x) == 1 else a

    def predict(self, x):
        """Predicted classes (argmax of the outputs, or output > 0.5 for one output neuron);
        for an identity output, the outputs themselves."""
        a = self.feedforward(x)
        if self.act[-1].name == "identity":
            return a
        a2 = a.reshape(-1, 1) if np.ndim(x) == 1 else a
        labels = (a2[0] > 0.5).astype(np.int64) if self.sizes[-1] == 1 else a2.argmax(axis=0)
        return labels[0] if np.ndim(x) == 1 else labels

    def accuracy(self, x, y):
        """The fraction of examples whose predicted class equals their label.

        ``y`` holds class labels ``(m,)`` (or one-hot columns ``(n_L, m)``; for one
        sigmoid output, 0/1 targets). Only for classifiers: a regression network (an
        identity output) has no accuracy.
        """
        if self.act[-1].name == "identity":
            raise TypeError("accuracy is for classifiers, but this network has an identity "
                            "output (regression): measure it with total_cost(x, y)")
        a, single = self._check_x(x)
        y = self._check_y(y, a.shape[1], single)
        return float(np.mean(self._correct(self.forward(a, check=False).a[-1], y)))

    def _correct(self, a, y):
        """Which columns of the outputs ``a`` are right, given one-hot (or 0/1) targets ``y``."""
        if self.sizes[-1] == 1:
            return (a[0] > 0.5) == (y[0] > 0.5)
        return _argmax_columns(a) == _argmax_columns(y)

    def total_cost(self, x, y, lmbda=0.0, n=None):
        r"""The mean cost over the examples, plus the L2 term $\frac{\lambda}{2n}\sum_l \lVert w^l \rVert^2$.

        The cost comes from :meth:`~nnlib.costs.Cost.value`: computed from $z^L$ where
        the output activation allows (cross-entropy after a sigmoid, log-likelihood after
        a softmax), so a confidently wrong output is charged its full cost.

        ``n`` is the training-set size in the L2 term (defaults to the number of examples).
        """
        a, single = self._check_x(x)
        y = self._check_y(y, a.shape[1], single)
        positive_number(lmbda, "lmbda", allow_zero=True)
        trace = self.forward(a, check=False)
        c = self.cost.value(trace.z[-1], trace.a[-1], y, self.act[-1])
        if lmbda:
            n = a.shape[1] if n is None else positive_number(n, "n", integer=True)
            c += 0.5 * lmbda / n * sum(float(np.sum(w * w)) for w in self.w[1:])
        return c

    # --------------------------------------------------------- backpropagation
    def backward(self, trace, y, out=None, *, check=True):
        r"""Backpropagation: the four equations, for the mean cost of ``trace``'s batch.

        Returns :class:`Gradients`: every layer's error $\delta^l$ (one column per
        example) and the gradients $\partial C/\partial w^l$, $\partial C/\partial b^l$
        of $C = \frac{1}{m}\sum_x C_x$. ``y`` holds the batch's targets ``(n_L, m)`` or
        class labels ``(m,)``.

        ``out``, optional, is the :class:`Gradients` of an earlier call on this network:
        its ``nabla_w`` arrays are overwritten with the new gradients (as numpy's
        ``out=``) and returned again, so a training loop allocates no new weight-sized
        arrays at each step. Fresh arrays cost more than they seem: new memory comes from
        the operating system as zeroed pages, one page fault at a time. The numbers
        computed are the same either way.

        ``check=False`` skips the validation of ``trace``, ``y`` and ``out`` (see
        :meth:`forward`): ``y`` must then be targets ``(n_L, m)`` of the network's dtype
        (in $[0, 1]$ for a cost that takes logarithms), and ``out`` None or the gradients
        of an earlier call, untouched.
        """
        if check:
            y = self._check_trace_y(trace, y)
            self._check_out(out)
        L, m, z, a = self.L, trace.m, trace.z, trace.a
        delta, nabla_w, nabla_b = [None] * (L + 1), [None] * (L + 1), [None] * (L + 1)
        into = self._bp4_arrays(out)                        # where BP4 is written
        delta[L] = self.cost.delta(z[L], a[L], y, self.act[L])               # BP1
        for l in range(L, 0, -1):
            nabla_b[l] = delta[l].sum(axis=1, keepdims=True) / m             # BP3 (mean over x)
            nabla_w[l] = np.matmul(delta[l] / m, a[l - 1].T, out=into[l])     # BP4 (mean over x)
            if l > 1:
                g = self.w[l].T @ delta[l]                   # (w^l)^T delta^l, back to layer l-1
                a_prev = a[l - 1]
                if trace.mask[l - 1] is not None:            # dropout: a dropped neuron passes
                    g, a_prev = g * trace.mask[l - 1], None  # no error back (sigma' from z alone)
                delta[l - 1] = self.act[l - 1].backward(z[l - 1], a_prev, g)      # BP2
        return Gradients(delta=delta, nabla_w=nabla_w, nabla_b=nabla_b)

    def backprop(self, x, y):
        r"""The gradients of the mean cost of a mini-batch: ``(nabla_b, nabla_w)``.

        ``backward(forward(x), y)`` in one call, in the order of Nielsen's ``backprop``:
        ``nabla_w[l]`` is $\partial C/\partial w^l$ (shape of ``w[l]``) and
        ``nabla_b[l]`` is $\partial C/\partial b^l$; index 0 is ``None``.
        """
        a, single = self._check_x(x)
        y = self._check_y(y, a.shape[1], single)
        grads = self.backward(self.forward(a, check=False), y, check=False)
        return grads.nabla_b, grads.nabla_w

    # ----------------------------------------------------------------- checks
    def _check_layer(self, l):
        if isinstance(l, bool) or not isinstance(l, numbers.Integral) or not 1 <= l <= self.L:
            raise ValueError(f"l must be a layer index 1..{self.L}, got {l!r}")

    def _w_shape(self, l):
        return (self.sizes[l] * self.act[l].pieces, self.sizes[l - 1])

    def _check_x(self, x, name="x"):
        """``x`` as columns ``(n_0, m)`` of the network's dtype, and whether it was one example."""
        x = as_float_array(x, name, ndim=(1, 2), dtype=self.dtype)
        n0 = self.sizes[0]
        if x.shape[0] != n0:
            hint = ""
            if x.ndim == 2 and x.shape[1] == n0:
                hint = f": it looks like one example per row; pass {name}.T (shape {x.shape[::-1]})"
            raise ValueError(
                f"{name} must have {n0} rows (one per input neuron; examples are columns), "
                f"got shape {x.shape}{hint}"
            )
        return (x.reshape(n0, 1), True) if x.ndim == 1 else (x, False)

    def _check_out(self, out):
        """Check that ``backward`` can write BP4 into ``out.nabla_w`` (None: nothing to check)."""
        if out is None:
            return
        if not isinstance(out, Gradients):
            raise TypeError(f"out must be the Gradients of an earlier backward(), got {type(out).__name__}")
        ok = (isinstance(out.nabla_w, list) and len(out.nabla_w) == self.L + 1 and all(
            isinstance(g, np.ndarray) and g.shape == w.shape and g.dtype == self.dtype
            and _same_layout(g, w) and g.flags.writeable and not np.shares_memory(g, w)
            for g, w in zip(out.nabla_w[1:], self.w[1:])))
        if not ok:
            raise ValueError(
                "out must be the Gradients of an earlier backward() on this network: its nabla_w "
                f"must hold writable {self.dtype} arrays shaped and laid out like w[1..{self.L}], "
                "none of them w itself"
            )

    def _bp4_arrays(self, out):
        """Where ``backward`` writes BP4: ``out.nabla_w``, or new arrays laid out like ``w``
        (column by column, see :class:`Network`); index 0 is None."""
        return [None] + [np.empty_like(w) for w in self.w[1:]] if out is None else out.nabla_w

    def _check_trace_y(self, trace, y):
        if not isinstance(trace, Trace):
            raise TypeError(f"trace must be the Trace that forward(x) returned, got {type(trace).__name__}")
        return self._check_y(y, trace.m, single=trace.m == 1)

    def _check_y(self, y, m, single=False, name="y", x_name="x"):
        r"""Targets as columns ``(n_L, m)`` of the network's dtype; class labels are one-hot encoded."""
        n_out = self.sizes[-1]
        if isinstance(y, np.ndarray) and y.dtype == self.dtype and y.shape == (n_out, m):
            y = as_float_array(y, name, dtype=self.dtype)      # the fast path: already columns
        elif np.ndim(y) == 0 or (single and np.ndim(y) == 1 and n_out > 1 and np.size(y) == 1):
            if m != 1:
                raise ValueError(
                    f"{name} is a single target but {x_name} has {m} examples (columns): give one target "
                    f"per example, as labels of shape ({m},) or targets of shape ({n_out}, {m})"
                )
            y = np.ravel(y)
            if n_out > 1:
                return one_hot(class_labels(y, n_out, name), n_out).astype(self.dtype)
            y = as_float_array(y, name, dtype=self.dtype).reshape(1, 1)
        elif single and np.ndim(y) == 1:
            y = as_float_array(y, name, dtype=self.dtype)
            if y.shape[0] != n_out:
                raise ValueError(f"{name} must have {n_out} entries (one per output neuron), got shape {y.shape}")
            y = y.reshape(n_out, 1)
        elif np.ndim(y) == 1:
            if np.shape(y)[0] != m:
                raise ValueError(f"{name} has {np.shape(y)[0]} examples but {x_name} has {m}")
            if n_out > 1:
                return one_hot(class_labels(y, n_out, name), n_out).astype(self.dtype)
            y = as_float_array(y, name, dtype=self.dtype).reshape(1, m)
        else:
            y = as_float_array(y, name, ndim=2, dtype=self.dtype)
            if y.shape[1] != m:
                if y.shape == (m, 1):
                    raise ValueError(
                        f"{name} has shape {y.shape}, one target per row, but examples are columns: "
                        f"pass {name}.ravel(), of shape ({m},)"
                    )
                if y.shape == (m, n_out):
                    raise ValueError(
                        f"{name} has shape {y.shape}, one example per row, but examples are columns: "
                        f"pass {name}.T, of shape ({n_out}, {m})"
                    )
                raise ValueError(f"{name} has {y.shape[1]} examples (columns) but {x_name} has {m}")
            if y.shape[0] != n_out:
                raise ValueError(
                    f"{name} must have {n_out} rows (one per output neuron), got shape {y.shape}"
                )
        if self.cost.needs_probabilities and (y.min() < 0 or y.max() > 1):
            hint = ""
            if n_out == 1 and np.all(y == np.round(y)) and y.max() > 1:
                k = int(y.max()) + 1
                hint = (f": it looks like class labels 0..{k - 1}; for {k} classes give the network "
                        f"{k} outputs, with output='softmax' and cost='log_likelihood'")
            raise ValueError(f"{name} must lie in [0, 1] for cost {self.cost.name!r}{hint}")
        return y


_FILE_FORMAT = "nnlib.Network/1"


def _activation_params(act):
    """An activation's own parameters (``alpha``, ``k``), as its constructor takes them."""
    import inspect
    return {p: getattr(act, p) for p in inspect.signature(type(act)).parameters}


def _check_dtype(dtype):
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.name not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    return dt


def _same_layout(g, w):
    """Whether ``g`` is contiguous in the same order as ``w`` (a single row or column is both)."""
    return g.flags.f_contiguous if w.flags.f_contiguous else g.flags.c_contiguous


def _check_dropout(dropout, rng):
    p = probability(dropout, "dropout")
    if not isinstance(rng, np.random.Generator):
        raise TypeError("dropout needs rng, a numpy Generator that draws the masks "
                        f"(rng=np.random.default_rng(seed)), got {type(rng).__name__}")
    return p


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
