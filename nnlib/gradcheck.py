r"""Gradient checking by central differences.

For a parameter $\theta$ the central difference

.. math:: \frac{\partial C}{\partial \theta} \approx \frac{C(\theta + h) - C(\theta - h)}{2h}

has error $O(h^2)$ (the $h^2$ terms of the two Taylor series cancel), against $O(h)$
for a one-sided difference. It costs two evaluations of the cost per parameter,
which is why training uses backpropagation and checking uses this.

Chapter: 4 (backpropagation).
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, positive_number
from .network import Network

__all__ = ["numerical_gradient", "relative_error", "check_network", "numerical_delta", "check_deltas"]


def numerical_gradient(f, theta, h=1e-5):
    r"""The central-difference gradient of the scalar function ``f`` at ``theta``.

    ``theta`` is perturbed **in place** one entry at a time (and restored), so ``f``
    may read it through a closure, as a network reads its own weights.

    Parameters
    ----------
    f : callable
        ``f()`` returns a float computed from the current values of ``theta``.
    theta : numpy.ndarray
        A float64 array, modified in place during the call and restored after.
    h : float
        The step.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments, got {type(f).__name__}")
    if not isinstance(theta, np.ndarray) or theta.dtype != np.float64:
        raise TypeError("theta must be a float64 numpy array (it is perturbed in place)")
    positive_number(h, "h")
    grad = np.zeros_like(theta)
    flat, gflat = theta.reshape(-1, order="A"), grad.reshape(-1, order="A")    # views, in memory order
    if not np.shares_memory(flat, theta):
        raise ValueError("theta must be contiguous so it can be perturbed in place")
    for i in range(flat.size):
        old = flat[i]
        up, down = old + h, old - h      # the steps actually taken, after rounding
        flat[i] = up
        c_plus = f()
        flat[i] = down
        c_minus = f()
        flat[i] = old
        gflat[i] = (c_plus - c_minus) / (up - down)
    return grad


def relative_error(g1, g2):
    r"""$\lVert g_1 - g_2 \rVert / \max(\lVert g_1 \rVert + \lVert g_2 \rVert, t)$.

    $t$ is the smallest normal float64, there only to avoid dividing 0 by 0.
    Scale-free: 0 when the two agree, 1 when they point in opposite directions;
    both zero gives 0. In float64, a correct gradient checked by central differences
    with $h \approx 10^{-5}$ typically gives $10^{-11}$ to $10^{-8}$; above $10^{-7}$
    something is probably wrong, and near 1 it is certainly wrong (a sign, an index, a
    missing factor).
    """
    g1 = as_float_array(g1, "g1", allow_empty=True)
    g2 = as_float_array(g2, "g2", allow_empty=True)
    if g1.shape != g2.shape:
        raise ValueError(f"g1 and g2 must have the same shape, got {g1.shape} and {g2.shape}")
    denom = max(np.linalg.norm(g1) + np.linalg.norm(g2), np.finfo(np.float64).tiny)
    return float(np.linalg.norm(g1 - g2) / denom)


def check_network(net, x, y, h=1e-5):
    r"""Compare backpropagation with central differences for every parameter of ``net``.

    Returns
    -------
    dict
        ``{"w1": err, "b1": err, ..., "max": worst}``: the relative error of each
        parameter array's gradient (:func:`relative_error`) and the largest of them.
    """
    _check_net(net)
    positive_number(h, "h")
    nabla_b, nabla_w = net.backprop(x, y)
    errors = {}
    for l in range(1, net.L + 1):
        for name, theta, analytic in (("w", net.w[l], nabla_w[l]), ("b", net.b[l], nabla_b[l])):
            numeric = numerical_gradient(lambda: net.total_cost(x, y), theta, h)
            errors[f"{name}{l}"] = relative_error(analytic, numeric)
    errors["max"] = max(errors.values())
    return errors


def numerical_delta(net, x, y, l, h=1e-5):
    r"""$\partial C_x/\partial z^l$ for every example of the batch, by central differences.

    The weighted inputs $z^l$ of the batch (from a forward pass) are treated as free
    variables: layers $l+1, \dots, L$ run on from them, and the batch's total cost
    $\sum_x C_x$ is differentiated with respect to each entry. Column $x$ of the result
    is the derivative of that example's own cost, which is what $\delta^l$ is defined to
    be; shape ``(n_l, m)`` (``(k n_l, m)`` for a Maxout layer).

    Chapter: 4 (backpropagation), where $\delta^l$ is defined.
    """
    _check_net(net)
    positive_number(h, "h")
    net._check_layer(l)
    trace = net.forward(x)
    m = trace.m
    y = net._check_y(y, m, single=m == 1)
    z = trace.z[l].copy()
    return numerical_gradient(lambda: m * net.cost.value(*_run_from(net, l, z), y, net.act[-1]), z, h)


def check_deltas(net, x, y, h=1e-5):
    r"""Compare backpropagation's errors $\delta^l$ with their definition, $\partial C_x/\partial z^l$.

    For every layer, :meth:`~nnlib.network.Network.backward`'s $\delta^l$ against
    :func:`numerical_delta`.

    Returns
    -------
    dict
        ``{"delta1": err, ..., "deltaL": err, "max": worst}``: the relative error
        (:func:`relative_error`) of each layer's $\delta^l$.
    """
    _check_net(net)
    deltas = net.backward(net.forward(x), y).delta
    errors = {f"delta{l}": relative_error(deltas[l], numerical_delta(net, x, y, l, h))
              for l in range(1, net.L + 1)}
    errors["max"] = max(errors.values())
    return errors


def _run_from(net, l, z):
    """The output layer's $(z^L, a^L)$ when layer ``l`` of ``net`` has the weighted inputs ``z``."""
    a = net.act[l].fn(z)
    for k in range(l + 1, net.L + 1):
        z = net.w[k] @ a + net.b[k]
        a = net.act[k].fn(z)
    return z, a


def _check_net(net):
    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib Network, got {type(net).__name__}")
    if net.dtype != np.float64:
        raise TypeError(
            f"gradient checks need a float64 network (central differences in {net.dtype.name} "
            "lose most of their digits), got dtype float32: build the network with dtype='float64'"
        )
