r"""Cost functions $C$ and the output error $\delta^L$ they produce (BP1).

A cost is a small object (as in Nielsen's ``network2.py``) with

* ``fn(a, y)``: the cost of a mini-batch, the mean $C = \frac{1}{m}\sum_x C_x$
  over its ``m`` examples (columns), from the outputs $a^L$;
* ``value(z, a, y, activation)``: the same mean cost, computed from the weighted inputs
  $z^L$ wherever that is more accurate: cross-entropy after a sigmoid (softplus form)
  and log-likelihood after a softmax (log-sum-exp form) are right to the last digits
  even where $a^L$ has rounded to 0 or 1. The network reports its costs with it;
* ``grad_a(a, y)``: $\nabla_a C_x$ for every example (one column each);
* ``delta(z, a, y, activation)``: the output error $\delta^L$ of BP1,
  $\delta^L = \nabla_a C \odot \sigma'(z^L)$, with the shortcut
  $\delta^L = a^L - y$ exactly where it holds: cross-entropy after a sigmoid,
  and log-likelihood after a softmax.

Labels ``y`` have the same shape as ``a``: use :func:`one_hot` for class labels.

Chapter: 11 (cost functions).
"""

from __future__ import annotations

import numpy as np

from ._checks import class_labels, lookup, positive_number
from .activations import Sigmoid, Softmax

__all__ = ["softplus", "Cost", "Quadratic", "CrossEntropy", "LogLikelihood", "COSTS", "get_cost", "one_hot"]



def _argmax_columns(a):
    """``a.argmax(axis=0)`` of a 2-D array: the row of each column's first maximum.

    The same indices, a few times faster when there are few rows and many columns (the
    outputs of an epoch): numpy's argmax along axis 0 visits one column at a time, while
    this compares whole rows. A column holding nan goes to numpy's own rule.
    """
    k = a.shape[0]
    rows = np.arange(k).reshape(k, 1)
    top = np.where(a == a.max(axis=0), rows, k).min(axis=0)    # k: no row equals the max
    return top if top.max(initial=0) < k else a.argmax(axis=0)


def _eps(a):
    """The machine epsilon of ``a``'s float type (float32 or float64)."""
    return np.finfo(a.dtype if a.dtype == np.float32 else np.float64).eps


def softplus(z):
    r"""$\operatorname{softplus}(z) = \ln(1 + e^{z})$, element-wise, without overflow or lost digits.

    Evaluated as $\max(z, 0) + \ln(1 + e^{-|z|})$ (``log1p``): the exponent is never
    positive, and for large $|z|$ the small correction keeps its relative accuracy. It is
    the cost of a sigmoid output: $-\ln \sigma(z) = \operatorname{softplus}(-z)$.

    >>> float(softplus(1000.0)), float(softplus(-40.0)) == float(np.exp(-40.0))
    (1000.0, True)
    """
    z = np.asarray(z)
    z = z if z.dtype == np.float32 else z.astype(np.float64)
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def one_hot(labels, n_classes):
    """Class labels ``(m,)`` as one-hot columns ``(n_classes, m)``.

    >>> one_hot([2, 0], 3)
    array([[0., 1.],
           [0., 0.],
           [1., 0.]])
    """
    positive_number(n_classes, "n_classes", integer=True)
    labels = class_labels(labels, n_classes, "labels")
    out = np.zeros((n_classes, labels.size))
    out[labels, np.arange(labels.size)] = 1.0
    return out


class Cost:
    """Base class of the costs; see the module docstring."""

    name = "cost"
    formula = ""
    #: The output activations (by name) for which ``delta`` is exactly ``a - y``.
    shortcut_for = ()
    #: Whether the cost needs outputs in (0, 1) (it takes logarithms of them).
    needs_probabilities = False

    def fn(self, a, y):
        raise NotImplementedError

    def grad_a(self, a, y):
        raise NotImplementedError

    def value(self, z, a, y, activation):
        """The mean cost of the batch whose output layer has weighted inputs ``z`` and
        outputs ``a`` (``activation``'s). Here: ``fn(a, y)``; the costs that take
        logarithms compute it from ``z`` where the output activation allows."""
        return self.fn(a, y)

    def delta(self, z, a, y, activation):
        r"""BP1: $\delta^L = \nabla_a C \odot \sigma'(z^L)$, or $a - y$ where that is exact.

        The general rule goes through the output activation's ``backward``: the Hadamard
        product for an element-wise activation, $J^T \nabla_a C$ for softmax
        (:meth:`~nnlib.activations.Softmax.backward`)."""
        if activation.name in self.shortcut_for:
            return a - y
        return activation.backward(z, a, self.grad_a(a, y))

    def __repr__(self):
        return f"{type(self).__name__}()"


class Quadratic(Cost):
    r"""The quadratic cost $C_x = \frac{1}{2}\lVert y - a^L \rVert^2$; $\nabla_a C_x = a^L - y$."""

    name = "quadratic"
    formula = r"\frac{1}{2n}\sum_x \lVert y(x) - a^L(x) \rVert^2"

    def fn(self, a, y):
        m = a.shape[1] if a.ndim == 2 else 1
        d = a - y
        return 0.5 * float(np.sum(d * d)) / m

    def grad_a(self, a, y):
        return a - y


class CrossEntropy(Cost):
    r"""Binary cross-entropy $C_x = -\sum_j [y_j \ln a_j + (1 - y_j) \ln(1 - a_j)]$.

    With a sigmoid output, $\sigma' = a(1-a)$ cancels the denominator of
    $\partial C/\partial a_j = (a_j - y_j)/(a_j(1 - a_j))$, leaving
    $\delta^L = a^L - y$: no $\sigma'$, so no slow-down when the output saturates.
    ``fn`` takes logarithms of ``a`` clipped to $[\epsilon, 1-\epsilon]$ ($\epsilon$
    the machine epsilon of ``a``'s float type), so it is finite even at $a = 0$ or $1$,
    but capped: once $\sigma(z)$ is within $\epsilon$ of 0 or 1 ($|z| \gtrsim 36$ in
    float64), a confidently wrong output costs about $-\ln\epsilon \approx 36$ whatever
    $z$ is. After a sigmoid, ``value`` uses $-\ln \sigma(z) = \operatorname{softplus}(-z)$
    and $-\ln(1 - \sigma(z)) = \operatorname{softplus}(z)$, with
    $\operatorname{softplus}(z) = \ln(1 + e^{z})$ (:func:`softplus`), which is right for
    every finite $z$.
    """

    name = "cross_entropy"
    formula = r"-\frac{1}{n}\sum_x \sum_j \left[y_j \ln a^L_j + (1 - y_j)\ln(1 - a^L_j)\right]"
    shortcut_for = (Sigmoid.name,)
    needs_probabilities = True

    def fn(self, a, y):
        m = a.shape[1] if a.ndim == 2 else 1
        eps = _eps(a)
        a = np.clip(a, eps, 1.0 - eps)
        return -float(np.sum(y * np.log(a) + (1.0 - y) * np.log1p(-a))) / m

    def grad_a(self, a, y):
        eps = _eps(a)
        a = np.clip(a, eps, 1.0 - eps)
        return (a - y) / (a * (1.0 - a))

    def value(self, z, a, y, activation):
        r"""$\frac{1}{m}\sum_x \sum_j [y_j\,\mathrm{softplus}(-z_j) + (1 - y_j)\,\mathrm{softplus}(z_j)]$
        after a sigmoid (a sum of non-negative terms: no cancellation); ``fn(a, y)`` otherwise."""
        if activation.name != Sigmoid.name:
            return self.fn(a, y)
        m = z.shape[1] if z.ndim == 2 else 1
        return float(np.sum(y * softplus(-z) + (1.0 - y) * softplus(z))) / m


class LogLikelihood(Cost):
    r"""The log-likelihood (categorical cross-entropy) $C_x = -\sum_j y_j \ln a^L_j$.

    For a one-hot $y$ this is $-\ln a^L_{y}$, the negative log-probability of the
    right class. After a softmax, $\delta^L = a^L - y$ exactly.

    ``fn`` takes logarithms of ``a`` floored at $\epsilon$, so a probability below
    $\epsilon$ (or underflowed to 0) costs about 36 however wrong the network is. After a
    softmax, ``value`` uses $-\ln \mathrm{softmax}(z)_j = \operatorname{LSE}(z) - z_j$ instead
    (see :func:`~nnlib.activations.logsumexp`), right for every finite $z$.
    """

    name = "log_likelihood"
    formula = r"-\frac{1}{n}\sum_x \sum_j y_j \ln a^L_j"
    shortcut_for = (Softmax.name,)
    needs_probabilities = True

    def fn(self, a, y):
        m = a.shape[1] if a.ndim == 2 else 1
        return -float(np.sum(y * np.log(np.maximum(a, _eps(a))))) / m

    def grad_a(self, a, y):
        return -y / np.maximum(a, _eps(a))

    def value(self, z, a, y, activation):
        r"""$\frac{1}{m}\sum_x \sum_j y_j\,[\operatorname{LSE}(z) - z_j]$ after a softmax;
        ``fn(a, y)`` otherwise.

        With $M = \max_k z_k$ at index $k^*$, $\operatorname{LSE}(z) - z_j =
        (M - z_j) + \ln(1 + \sum_{k \ne k^*} e^{z_k - M})$: two non-negative terms, the
        second through ``log1p``, so a cost near 0 (a confident, right answer) keeps its
        relative accuracy too, where $\operatorname{LSE}(z) - z_j$ would cancel."""
        if activation.name != Softmax.name:
            return self.fn(a, y)
        z2, y2 = (z, y) if z.ndim == 2 else (z[:, None], y[:, None])
        m = z2.shape[1]
        d = z2 - z2.max(axis=0)                             # z_j - M <= 0, and 0 at k*
        e = np.exp(d)
        e[_argmax_columns(z2), np.arange(m)] = 0.0          # the largest term, 1, via log1p
        d -= np.log1p(e.sum(axis=0))                        # -(cost of each z_j): (M - z_j) + tail
        return (0.0 - float(np.sum(y2 * d))) / m            # 0.0 - : a zero cost is +0.0, not -0.0


COSTS = {cls.name: cls for cls in (Quadratic, CrossEntropy, LogLikelihood)}
"""Every cost by name: ``COSTS["cross_entropy"]()`` is a :class:`CrossEntropy`."""


def get_cost(cost):
    """Return a :class:`Cost` from a name (``"quadratic"``) or pass one through."""
    if isinstance(cost, Cost):
        return cost
    if isinstance(cost, type) and issubclass(cost, Cost):
        return cost()
    return lookup(COSTS, cost, "cost")()
