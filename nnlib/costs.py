r"""Cost functions $C$ and the output error $\delta^L$ they produce (BP1).

A cost is a small object (as in Nielsen's ``network2.py``) with

* ``fn(a, y)``: the cost of a mini-batch, the mean $C = \frac{1}{m}\sum_x C_x$
  over its ``m`` examples (columns);
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

__all__ = ["Cost", "Quadratic", "CrossEntropy", "LogLikelihood", "COSTS", "get_cost", "one_hot"]



def _eps(a):
    """The machine epsilon of ``a``'s float type (float32 or float64)."""
    return np.finfo(a.dtype if a.dtype == np.float32 else np.float64).eps


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
    Logarithms are taken of ``a`` clipped to $[\epsilon, 1-\epsilon]$ ($\epsilon$
    the machine epsilon of ``a``'s float type), so the cost is finite even at $a = 0$ or $1$.
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


class LogLikelihood(Cost):
    r"""The log-likelihood (categorical cross-entropy) $C_x = -\sum_j y_j \ln a^L_j$.

    For a one-hot $y$ this is $-\ln a^L_{y}$, the negative log-probability of the
    right class. After a softmax, $\delta^L = a^L - y$ exactly.
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


COSTS = {cls.name: cls for cls in (Quadratic, CrossEntropy, LogLikelihood)}
"""Every cost by name: ``COSTS["cross_entropy"]()`` is a :class:`CrossEntropy`."""


def get_cost(cost):
    """Return a :class:`Cost` from a name (``"quadratic"``) or pass one through."""
    if isinstance(cost, Cost):
        return cost
    if isinstance(cost, type) and issubclass(cost, Cost):
        return cost()
    return lookup(COSTS, cost, "cost")()
