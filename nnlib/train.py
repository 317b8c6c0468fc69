r"""Mini-batch stochastic gradient descent.

Three layers, as in Nielsen's ``network2.py``: :func:`sgd` runs the epochs and draws
the mini-batches; :func:`step` takes one step on one mini-batch; the gradients come from
:meth:`Network.backward <nnlib.network.Network.backward>`, which holds only the four
equations. One step on a mini-batch $X$ of $m$ examples moves every weight and bias
against the gradient of the batch's mean cost, with learning rate $\eta$ and,
optionally, L2 regularisation of strength $\lambda$ on a training set of $n$ examples:

.. math::

    w^l \to \left(1 - \frac{\eta\lambda}{n}\right) w^l - \eta\, \frac{\partial C_X}{\partial w^l},
    \qquad b^l \to b^l - \eta\, \frac{\partial C_X}{\partial b^l}.

Chapters: 4 (backpropagation), 13 (training in practice).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ._checks import check_seed, positive_number, probability
from .network import Network

__all__ = ["History", "TrainingWarning", "sgd", "step", "constant", "step_decay",
           "exponential_decay", "inverse_time", "saturation"]


class TrainingWarning(UserWarning):
    """Training ran, but something in it looks wrong (a diverging or stalled cost, a dead
    layer): the message says what and the likely fix."""


@dataclass
class History:
    """What :func:`sgd` measured, one entry per epoch.

    Attributes
    ----------
    cost, accuracy : list of float
        Training cost and accuracy of each epoch (``None`` accuracies for a
        regression network): the mean over the epoch's examples, each measured in the
        forward pass its mini-batch was trained with, so it costs no extra pass; the
        cost is without the L2 term.
    val_cost, val_accuracy : list of float
        Cost and accuracy on the validation set after each epoch (if one was given).
    eta : list of float
        The learning rate used in each epoch.
    grad_norms : list of list of float
        With ``track_grad_norms``: for each epoch, per layer ``l = 1..L``, the mean
        over its mini-batches of $\\lVert \\partial C/\\partial w^l \\rVert$.
    """

    cost: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_cost: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    eta: list = field(default_factory=list)
    grad_norms: list = field(default_factory=list)

    @property
    def epochs(self):
        """The epoch numbers 1, 2, ..., for plotting."""
        return list(range(1, len(self.cost) + 1))


def constant(eta):
    """The schedule that keeps the learning rate ``eta``."""
    positive_number(eta, "eta")
    return lambda epoch: eta


def step_decay(eta, factor=0.5, every=10):
    r"""$\eta_t = \eta \cdot \text{factor}^{\lfloor t / \text{every} \rfloor}$ for epoch $t = 0, 1, \dots$"""
    positive_number(eta, "eta")
    positive_number(factor, "factor")
    positive_number(every, "every", integer=True)
    return lambda epoch: eta * factor ** (epoch // every)


def exponential_decay(eta, rate=0.05):
    r"""$\eta_t = \eta\, e^{-\text{rate}\cdot t}$."""
    positive_number(eta, "eta")
    positive_number(rate, "rate", allow_zero=True)
    return lambda epoch: eta * float(np.exp(-rate * epoch))


def inverse_time(eta, rate=0.1):
    r"""$\eta_t = \eta / (1 + \text{rate}\cdot t)$."""
    positive_number(eta, "eta")
    positive_number(rate, "rate", allow_zero=True)
    return lambda epoch: eta / (1.0 + rate * epoch)


def step(net, x, y, *, eta, lmbda=0.0, n=None, dropout=0.0, rng=None, out=None, check=True):
    r"""One step of gradient descent on the mini-batch ``(x, y)``, in place.

    Runs :meth:`~nnlib.network.Network.forward` (with dropout, if asked) and
    :meth:`~nnlib.network.Network.backward`, then moves every parameter:
    $w^l \to (1 - \eta\lambda/n)\, w^l - \eta\, \partial C/\partial w^l$ and
    $b^l \to b^l - \eta\, \partial C/\partial b^l$.

    Parameters
    ----------
    net : Network
    x, y : arrays
        The mini-batch: inputs ``(n_0, m)``, targets ``(n_L, m)`` or labels ``(m,)``.
    eta : float
        The learning rate $\eta$.
    lmbda : float
        L2 strength $\lambda$, with ``n`` the size of the whole training set.
    dropout : float
        Dropout probability of the hidden neurons; ``rng`` (a numpy ``Generator``)
        draws the masks.
    out : Gradients, optional
        The previous step's gradients, whose weight-sized arrays this step overwrites
        instead of allocating new ones (see :meth:`~nnlib.network.Network.backward`);
        :func:`sgd` passes them.
    check : bool
        Validate the arguments (the default). :func:`sgd`, which validates the whole
        training set once, passes False for each mini-batch: ``x`` and ``y`` must then be
        arrays of the network's dtype, ``(n_0, m)`` and targets ``(n_L, m)``, and the
        numbers in range (see :meth:`~nnlib.network.Network.forward`).

    Returns
    -------
    (Trace, Gradients)
        The forward pass this step took, and the gradients it stepped along (computed
        before the step).
    """
    if check:
        positive_number(eta, "eta")
        positive_number(lmbda, "lmbda", allow_zero=True)
    trace = net.forward(x, dropout, rng, check=check)
    grads = net.backward(trace, y, out=out, check=check)
    if lmbda:
        if n is None:
            n = trace.m
        elif check:
            n = positive_number(n, "n", integer=True)
        decay = 1.0 - eta * lmbda / n          # the L2 "weight decay" factor
    for l in range(1, net.L + 1):
        if lmbda:
            net.w[l] *= decay
        _subtract_scaled(net.w[l], eta, grads.nabla_w[l])    # w^l -> w^l - eta dC/dw^l
        net.b[l] -= eta * grads.nabla_b[l]                   # b^l -> b^l - eta dC/db^l
    return trace, grads


def _subtract_scaled(w, eta, g, block=32768):
    """``w -= eta * g`` in place, a block of about ``block`` elements at a time: whole rows,
    or whole columns when both are stored column by column (as :class:`Network` stores w).

    The same numbers as the one-line version, but the product ``eta * g`` is never a
    temporary larger than a block: each block's product stays in the processor's cache, so
    the update reads ``g`` and ``w`` from main memory once and writes ``w`` once, instead of
    also writing and reading back a product as large as ``w``. An array of at most
    ``block`` elements is one block: the one-line update, without the loop's cost.
    """
    if w.size <= block:
        w -= eta * g
        return
    if w.flags.f_contiguous and g.flags.f_contiguous and w.ndim == 2:
        w, g = w.T, g.T                    # column-major (Network's layout): blocks of columns
    rows = max(1, block // w.shape[1])
    for i in range(0, w.shape[0], rows):
        w[i:i + rows] -= eta * g[i:i + rows]


def sgd(net, x, y, *, eta, epochs, batch_size, lmbda=0.0, schedule=None, dropout=0.0,
        validation=None, track_grad_norms=False, seed=0, callback=None, progress=False):
    r"""Train ``net`` in place by mini-batch SGD and return its :class:`History`.

    Each epoch shuffles the examples, cuts them into mini-batches of ``batch_size``
    and takes one :func:`step` on each.

    Parameters
    ----------
    net : Network
    x : array, shape (n_0, n)
        Training inputs, one example per column. Mini-batches are drawn as rows of
        ``x.T``, which is copied once to be contiguous unless it already is: data that
        arrives one example per row (``x = rows.T``) is used without a copy.
    y : array
        Targets ``(n_L, n)``, or class labels ``(n,)``.
    eta : float
        Learning rate $\eta > 0$ (the rate of epoch 0 when a schedule is given).
    epochs, batch_size : int
        Passes over the data, and examples per mini-batch (the last batch of an
        epoch may be smaller).
    lmbda : float
        L2 regularisation strength $\lambda \ge 0$.
    schedule : callable, optional
        ``schedule(epoch) -> eta`` for epoch 0, 1, ...; e.g. :func:`step_decay`.
    dropout : float
        Probability $p \in [0, 1)$ of dropping each hidden neuron in each training
        step (inverted dropout: kept activations are scaled by $1/(1-p)$, so nothing
        changes at test time).
    validation : tuple (x_val, y_val), optional
        Evaluated after every epoch.
    track_grad_norms : bool
        Record each layer's mean weight-gradient norm per epoch.
    seed : int
        Seed of the shuffling and dropout: the same seed, the same run.
    callback : callable, optional
        ``callback(epoch, net, history)`` after every epoch.
    progress : bool
        Show a progress bar with the running cost (tqdm: a widget in JupyterLab, text
        in a terminal). Off by default.

    Returns
    -------
    History
        The training cost and accuracy of every epoch (and the validation ones, the
        learning rates and gradient norms when asked for).

    Raises
    ------
    FloatingPointError
        If the cost becomes infinite or nan (the learning rate is far too large).

    Warns
    -----
    TrainingWarning
        Once, if the cost keeps rising far above its best, stays stuck far above the cost
        of a classifier that has learned nothing (saturated, confidently wrong outputs),
        or a hidden layer of ReLUs goes dead: the message names the likely fix.

    Examples
    --------
    >>> import nnlib as nn
    >>> x, y = nn.datasets.xor()
    >>> net = nn.Network([2, 3, 1], hidden="tanh", output="sigmoid", seed=0)
    >>> history = nn.sgd(net, x, y, eta=2.0, epochs=500, batch_size=4)
    >>> net.accuracy(x, y), round(history.cost[-1], 3) < round(history.cost[0], 3)
    (1.0, True)
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib Network, got {type(net).__name__}")
    x2, single = net._check_x(x)
    if single:
        raise ValueError(f"x must be 2-D (n_0, n) with examples as columns, got shape {np.shape(x)}")
    n = x2.shape[1]
    y2 = net._check_y(y, n)
    positive_number(eta, "eta")
    positive_number(epochs, "epochs", integer=True)
    positive_number(batch_size, "batch_size", integer=True)
    positive_number(lmbda, "lmbda", allow_zero=True)
    dropout = probability(dropout, "dropout")
    check_seed(seed)
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a function epoch -> eta, got {type(schedule).__name__}")
    if callback is not None and not callable(callback):
        raise TypeError(
            f"callback must be a function callback(epoch, net, history), got {type(callback).__name__}"
        )
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
            raise TypeError("validation must be a pair (x_val, y_val)")
        xv, single_v = net._check_x(validation[0], name="validation[0]")
        yv = net._check_y(validation[1], xv.shape[1], single_v, name="validation[1]",
                          x_name="validation[0]")
    bar = _progress_bar(epochs) if progress else None

    rng = np.random.default_rng(seed)
    history = History()
    classify = net.act[-1].name != "identity"
    L = net.L
    watch = _Watch(net)
    # Examples as rows, so that drawing a shuffled mini-batch copies whole rows
    # (fast) instead of gathering scattered columns; ``xb.T`` is the batch again as
    # columns (a transposed view, which BLAS reads without a copy). Every batch is
    # drawn into the same array ``xb`` instead of a new one.
    xT, yT = np.ascontiguousarray(x2.T), np.ascontiguousarray(y2.T)
    xb = np.empty((min(batch_size, n), xT.shape[1]), dtype=net.dtype)
    # The epoch's targets, outputs and weighted inputs z^L, in the order trained on
    # (the targets drawn straight into ``ys``): the epoch's cost and accuracy are
    # computed from them once, at its end, instead of batch by batch.
    ys = np.empty_like(yT)
    outputs = np.empty((net.sizes[-1], n), dtype=net.dtype)
    zs = np.empty_like(outputs)
    grads = None                           # each step's gradients, written over the last's
    try:
        # Overflow inside a matrix product is reported by nnlib (below), not by numpy.
        with np.errstate(over="ignore", invalid="ignore"):
            for epoch in range(epochs):
                eta_t = eta if schedule is None else schedule(epoch)
                positive_number(eta_t, f"schedule({epoch})")
                perm = rng.permutation(n)
                norms = np.zeros(L + 1)
                for k in range(0, n, batch_size):
                    idx = perm[k:k + batch_size]
                    m = len(idx)                   # batch_size, or fewer in the last batch
                    # mode="clip" (idx is valid anyway) lets take write straight into out=
                    xT.take(idx, axis=0, out=xb[:m], mode="clip")
                    yT.take(idx, axis=0, out=ys[k:k + m], mode="clip")
                    # Checked above, once for the whole training set: not again per batch.
                    trace, grads = step(net, xb[:m].T, ys[k:k + m].T, eta=eta_t, lmbda=lmbda, n=n,
                                        dropout=dropout, rng=rng, out=grads, check=False)
                    outputs[:, k:k + m] = trace.a[L]
                    zs[:, k:k + m] = trace.z[L]
                    if track_grad_norms:
                        norms[1:] += [np.linalg.norm(g) for g in grads.nabla_w[1:]]
                history.eta.append(float(eta_t))
                cost, correct = _epoch_totals(net, zs, outputs, ys.T, classify)
                history.cost.append(cost / n)
                history.accuracy.append(correct / n if classify else None)
                if track_grad_norms:
                    history.grad_norms.append([float(v) / -(-n // batch_size) for v in norms[1:]])
                if not np.isfinite(history.cost[-1]):
                    raise FloatingPointError(
                        f"the training cost became {history.cost[-1]} in epoch {epoch + 1}: "
                        f"the learning rate eta={eta_t} is far too large; try eta={eta_t / 10:g} or less"
                    )
                if validation is not None:
                    history.val_cost.append(net.total_cost(xv, yv))
                    history.val_accuracy.append(net.accuracy(xv, yv) if classify else None)
                watch.epoch(history, trace, eta_t)
                if bar is not None:
                    bar.set_postfix(cost=f"{history.cost[-1]:.4g}", refresh=False)
                    bar.update(1)
                if callback is not None:
                    callback(epoch, net, history)
    finally:
        if bar is not None:
            bar.close()
    return history


def _epoch_totals(net, z, a, y, classify, block=4096):
    """The summed cost and the number of right answers of an epoch's outputs ``a`` (with
    weighted inputs ``z``, targets ``y``), a block of ``block`` columns at a time.

    The same numbers as over all columns at once (the count exactly, the cost up to
    rounding, being summed block by block), but each block's temporaries are small
    enough to be reused from the heap, instead of being mapped afresh from the operating
    system one zeroed page at a time (which, for an epoch of 10,000 outputs of ten
    classes, nearly doubled the time).
    """
    cost, correct = 0.0, 0
    for i in range(0, z.shape[1], block):
        cols = slice(i, i + block)
        yb = np.ascontiguousarray(y[:, cols])     # laid out like z and a: by rows, not columns
        cost += net.cost.value(z[:, cols], a[:, cols], yb, net.act[-1]) * yb.shape[1]
        if classify:
            correct += int(np.count_nonzero(net._correct(a[:, cols], yb)))
    return cost, correct


class _Watch:
    r"""Looks at each epoch for signs that training has gone wrong, and warns once.

    The signs, checked in this order, each with its likely cause:

    * a hidden layer of ReLUs is **dead**: all its ReLUs output 0 on the last mini-batch
      of two or more epochs in a row, at least ``dead_examples`` examples in all (one
      small batch proves nothing: an input of zeros silences a ReLU layer whose biases
      are 0, and dropout is ignored since it is read from $z^l$, not $a^l$);
    * the cost **rises** far above its best, two epochs in a row (one epoch's spike, common
      with small mini-batches, is not a trend);
    * a classifier's cost is **stuck** far above that of a network that has learned
      nothing (every $z^L = 0$: $\ln k$ for a softmax of $k$ classes, $\ln 2$ for one
      sigmoid; only for the costs that take logarithms): for three epochs above twice
      that, not a tenth lower than two epochs before, and not falling epoch by epoch
      (a badly initialised network, confidently wrong at first, falls slowly but
      steadily). Its outputs are saturated and confidently wrong, and the cost jitters
      on a plateau, so "has it fallen at all" would miss half such runs;
    * any network's cost has **not fallen** (not by 0.1%) in its first five epochs -- unless it
      is a classifier whose cost sits at that learned-nothing level: a plateau that more
      epochs leave (XOR's saddle at $\ln 2$, where some of chapter 2's networks wait),
      or a learning rate too small to matter; neither is worth a warning. When the cost is
      the quadratic and most sigmoid (or tanh) outputs are saturated, the message names the
      learning slowdown instead (chapter 11).
    """

    dead_examples = 30

    def __init__(self, net):
        self.net, self.warned = net, False
        # For each ReLU layer: [epochs in a row, examples] on which it was silent.
        self.silent = {l: [0, 0] for l in range(1, net.L) if net.act[l].name == "relu"}
        self.guess = self._guess_cost(net)

    @staticmethod
    def _guess_cost(net):
        """The cost of a classifier with every $z^L = 0$, for any one-hot target (None if
        the output is not a sigmoid or softmax)."""
        if net.act[-1].name not in ("sigmoid", "softmax"):
            return None
        k = net.sizes[-1]
        y = np.zeros((k, 1))
        y[0] = 1.0
        return net.cost.fn(net.act[-1].fn(np.zeros((k, 1))), y)

    def epoch(self, history, trace, eta):
        if self.warned:
            return
        msg = self._diagnose(history, trace, eta)
        if msg:
            self.warned = True
            warnings.warn(msg, TrainingWarning, stacklevel=3)    # points at the call of sgd

    def _diagnose(self, history, trace, eta):
        cost, t = history.cost, len(history.cost)
        best = min(cost)
        for l, silent in self.silent.items():
            if (trace.z[l] > 0).any():
                silent[:] = [0, 0]
            else:
                silent[0] += 1
                silent[1] += trace.m
        for l, (epochs, examples) in self.silent.items():
            if epochs >= 2 and examples >= self.dead_examples:
                return (f"every ReLU of hidden layer {l} output 0 on the last mini-batch of {epochs} "
                        f"epochs in a row ({examples} examples): the layer is dead and passes no "
                        f"gradient back. The learning rate eta={eta:g} is probably too large: "
                        f"try eta={eta / 10:g} (or leaky_relu)")
        if t >= 3 and min(cost[-2:]) > max(2.0 * best, 1.2 * cost[0]):
            return (f"the training cost is rising: {cost[-1]:.4g} in epoch {t}, after {best:.4g} "
                    f"earlier. The learning rate eta={eta:g} is probably too large: try eta={eta / 10:g}")
        pending = any(epochs for epochs, _ in self.silent.values())    # wait for the dead verdict
        if (self.guess is not None and self.net.cost.needs_probabilities and t >= 3 and not pending
                and min(cost[-3:]) > 2.0 * self.guess and cost[-1] > 0.9 * cost[-3]
                and not cost[-3] > cost[-2] > cost[-1]):
            return (f"the training cost is stuck at {cost[-1]:.4g}, far above the {self.guess:.3g} of "
                    f"a network that has learned nothing (every z^L = 0): the outputs are saturated "
                    f"and confidently wrong. The learning rate eta={eta:g} is far too large: try "
                    f"eta={eta / 10:g}, and lower it again until the cost falls")
        plateau = self.guess is not None and abs(cost[-1] - self.guess) < 0.01 * self.guess
        if t == 5 and not pending and not plateau and min(cost[1:]) >= 0.999 * cost[0]:
            flat = f"the training cost has not fallen by even 0.1% in {t} epochs (from {cost[0]:.4g} to {cost[-1]:.4g}). "
            saturated = self._saturated_outputs(trace)
            if saturated >= 0.5:
                out = self.net.act[-1].name
                return (flat + f"{saturated:.0%} of the {out} outputs of the last mini-batch are saturated "
                        f"({out}'(z^L) below a tenth of its peak), and with the quadratic cost their error "
                        f"delta^L carries that factor, so they learn slowly however wrong they are (the "
                        f"learning slowdown): use cost='cross_entropy' (chapter 11). If a learning rate "
                        f"far too large saturated them, try eta={eta / 10:g}")
            return (flat + f"A learning rate far too large saturates the neurons and stalls training: "
                    f"try eta={eta / 10:g}; if the cost still does not move, eta may be too small")
        return None

    def _saturated_outputs(self, trace):
        r"""The fraction of the last mini-batch's outputs where $\sigma'(z^L)$ is below a tenth of
        its peak $\sigma'(0)$, when the quadratic cost meets a sigmoid or tanh output (its
        $\delta^L = (a^L - y) \odot \sigma'(z^L)$ then learns slowly there); else 0."""
        out = self.net.act[-1]
        if self.net.cost.name != "quadratic" or out.name not in ("sigmoid", "tanh"):
            return 0.0
        peak = float(out.prime(np.zeros(1))[0])
        return float(np.mean(out.prime(trace.z[-1]) < 0.1 * peak))


def _progress_bar(epochs):
    try:
        from tqdm.auto import tqdm
    except ImportError:
        raise ImportError("progress=True needs tqdm: pip install tqdm") from None
    return tqdm(total=epochs, unit="epoch", desc="sgd")


def saturation(net, x, threshold=4.0):
    r"""The fraction of saturated neurons in each layer of ``net`` on the inputs ``x``.

    A neuron is counted as saturated on an example when its weighted input lies far out
    in the flat tail of its activation, $|z^l_j| > \text{threshold}$; the fraction is taken
    over the layer's neurons and the examples (one forward pass, no dropout):

    .. math:: s^l = \frac{1}{n_l\, m} \sum_{j=1}^{n_l} \sum_{x} \big[\, |z^l_j(x)| > \text{threshold} \,\big].

    The default threshold 4 suits the sigmoid, whose derivative there is
    $\sigma'(4) \approx 0.018$, about 7 % of its peak $\tfrac14$; tanh falls to the same
    7 % of its peak 1 at $|z| = 2$, so pass ``threshold=2`` for tanh layers. The count is of large $|z|$ only: it
    means "saturated" for the activations that flatten out (sigmoid, tanh), not for
    ReLU, whose large positive $z$ passes the gradient on unchanged.

    Parameters
    ----------
    net : Network
    x : array, shape (n_0, m)
        Inputs, one example per column (a single input ``(n_0,)`` is a batch of one).
    threshold : float
        $|z|$ above which a neuron counts as saturated (positive).

    Returns
    -------
    list of float
        $s^l$ for the layers $l = 1, \dots, L$ (hidden layers first, the output layer last).

    Chapter 13 (training in practice) tracks it during training with the ``callback``
    of :func:`sgd`.

    Examples
    --------
    >>> import nnlib as nn
    >>> net = nn.Network.from_weights([[[1.0], [10.0]], [[1.0, 1.0]]], [[0.0, 0.0], [0.0]])
    >>> saturation(net, [[-1.0, 0.2, 1.0]])      # z^1 = (-1, 0.2, 1) and (-10, 2, 10)
    [0.3333333333333333, 0.0]
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib Network, got {type(net).__name__}")
    positive_number(threshold, "threshold")
    z = net.forward(x).z
    return [float(np.mean(np.abs(z[l]) > threshold)) for l in range(1, net.L + 1)]
