r"""Mini-batch stochastic gradient descent.

One step on a mini-batch $X$ of $m$ examples moves every weight and bias against the
gradient of the batch's mean cost (computed by backpropagation), with learning rate
$\eta$ and, optionally, L2 regularisation of strength $\lambda$ on a training set of
$n$ examples:

.. math::

    w^l \to \left(1 - \frac{\eta\lambda}{n}\right) w^l - \eta\, \frac{\partial C_X}{\partial w^l},
    \qquad b^l \to b^l - \eta\, \frac{\partial C_X}{\partial b^l}.

Chapters: 4 (backpropagation), 13 (training in practice).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from ._checks import positive_number, probability
from .network import Network

__all__ = ["History", "sgd", "constant", "step_decay", "exponential_decay", "inverse_time"]


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


def sgd(net, x, y, *, eta, epochs, batch_size, lmbda=0.0, schedule=None, dropout=0.0,
        validation=None, track_grad_norms=False, seed=0, callback=None):
    r"""Train ``net`` in place by mini-batch SGD and return its :class:`History`.

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
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a function epoch -> eta, got {type(schedule).__name__}")
    if callback is not None and not callable(callback):
        raise TypeError(
            f"callback must be a function callback(epoch, net, history), got {type(callback).__name__}"
        )
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
            raise TypeError("validation must be a pair (x_val, y_val)")
        xv, single_v = net._check_x(validation[0])
        yv = net._check_y(validation[1], xv.shape[1], single_v)

    rng = np.random.default_rng(seed)
    history = History()
    classify = net.act[-1].name != "identity"
    L = net.L
    # Examples as rows, so that drawing a shuffled mini-batch copies whole rows
    # (fast) instead of gathering scattered columns; ``xT[idx].T`` is the batch
    # again as columns (a transposed view, which BLAS reads without a copy).
    xT, yT = np.ascontiguousarray(x2.T), np.ascontiguousarray(y2.T)
    # The outputs of the epoch, in the order trained on: the epoch's cost and accuracy
    # are computed from them once, at its end, instead of batch by batch.
    outputs = np.empty((net.sizes[-1], n))
    for epoch in range(epochs):
        eta_t = eta if schedule is None else schedule(epoch)
        positive_number(eta_t, f"schedule({epoch})")
        decay = 1.0 - eta_t * lmbda / n        # the L2 "weight decay" factor
        perm = rng.permutation(n)
        norms = np.zeros(L + 1)
        for k in range(0, n, batch_size):
            idx = perm[k:k + batch_size]
            xb, yb = xT[idx].T, yT[idx].T
            if dropout:
                zs, acts, raws, masks = net._forward(xb, dropout, rng)
            else:
                zs, acts = net._forward(xb)
                raws, masks = acts, None
            outputs[:, k:k + batch_size] = acts[L]
            # The steps eta * dC/dw^l and eta * dC/db^l, straight from BP3 and BP4.
            step_b, step_w, _ = net._backward(zs, acts, raws, masks, yb, scale=eta_t)
            for l in range(1, L + 1):
                if track_grad_norms:
                    norms[l] += np.linalg.norm(step_w[l]) / eta_t
                if lmbda:
                    net.w[l] *= decay
                net.w[l] -= step_w[l]             # w^l -> w^l - eta dC/dw^l
                net.b[l] -= step_b[l]             # b^l -> b^l - eta dC/db^l
        n_batches = -(-n // batch_size)
        targets = yT[perm].T                   # the targets, in the same order as outputs
        history.eta.append(float(eta_t))
        history.cost.append(net.cost.fn(outputs, targets))
        history.accuracy.append(float(np.mean(net._correct(outputs, targets))) if classify else None)
        if track_grad_norms:
            history.grad_norms.append([float(v) / n_batches for v in norms[1:]])
        if validation is not None:
            history.val_cost.append(net.total_cost(xv, yv))
            history.val_accuracy.append(net.accuracy(xv, yv) if classify else None)
        if not np.isfinite(history.cost[-1]):
            raise FloatingPointError(
                f"the training cost became {history.cost[-1]} in epoch {epoch + 1}: "
                f"the learning rate eta={eta_t} is probably too large"
            )
        if callback is not None:
            callback(epoch, net, history)
    return history
