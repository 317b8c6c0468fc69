"""Backpropagation against central differences, for every hidden activation and every
(output, cost) pair the library supports; and the gradcheck helpers themselves."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nn
from nnlib.activations import ELU, Maxout
from nnlib.costs import Quadratic
from nnlib.gradcheck import check_network, numerical_gradient, relative_error

TOL = 1e-7

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", ELU(0.5), Maxout(2), Maxout(3)]
OUTPUT_COST = [
    ("sigmoid", "quadratic"),
    ("sigmoid", "cross_entropy"),
    ("softmax", "log_likelihood"),
    ("softmax", "quadratic"),
    ("softmax", "cross_entropy"),
    ("identity", "quadratic"),
    ("sigmoid", "log_likelihood"),
]


def _targets(output, cost, n_out, m, rng):
    """Targets the cost accepts: one-hot labels for softmax + log-likelihood (a - y needs
    a distribution), values in [0, 1] for the other probability costs, any reals otherwise."""
    if output == "softmax" and cost == "log_likelihood":
        return rng.integers(0, n_out, m)                     # class labels, one-hot encoded by nnlib
    if output == "identity":
        return rng.standard_normal((n_out, m))
    return rng.uniform(0.0, 1.0, (n_out, m))


@pytest.mark.parametrize("output, cost", OUTPUT_COST, ids=[f"{o}-{c}" for o, c in OUTPUT_COST])
@pytest.mark.parametrize("hidden", HIDDEN, ids=[str(h) for h in HIDDEN])
def test_backprop_matches_central_differences(hidden, output, cost):
    rng = np.random.default_rng(7)
    net = nn.Network([3, 4, 3, 2], hidden=hidden, output=output, cost=cost, seed=3)
    # Non-zero biases, so that no weighted input is special.
    for l in range(1, net.L + 1):
        net.b[l] += 0.1 * rng.standard_normal(net.b[l].shape)
    x = rng.standard_normal((3, 5))
    y = _targets(output, cost, 2, 5, rng)
    errors = check_network(net, x, y)
    assert set(errors) == {"w1", "b1", "w2", "b2", "w3", "b3", "max"}
    assert errors["max"] == max(v for k, v in errors.items() if k != "max")
    assert errors["max"] < TOL, errors


def test_single_example_and_wide_layers():
    """One example as a vector, and a layer wider than its input."""
    rng = np.random.default_rng(1)
    net = nn.Network([2, 6, 3], hidden="tanh", output="softmax", cost="log_likelihood", seed=1)
    assert check_network(net, rng.standard_normal(2), 2)["max"] < TOL


def test_gradcheck_detects_a_wrong_gradient():
    """A cost whose gradient is off by a factor 2 must fail the check (the check can fail)."""

    class WrongQuadratic(Quadratic):
        def grad_a(self, a, y):
            return 2.0 * (a - y)

    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((3, 4)), rng.uniform(0, 1, (2, 4))
    assert check_network(nn.Network([3, 4, 2], cost="quadratic"), x, y)["max"] < TOL
    assert check_network(nn.Network([3, 4, 2], cost=WrongQuadratic()), x, y)["max"] > 0.1


@pytest.mark.parametrize("order", ["C", "F"])      # F: a network's weights are column-major
def test_numerical_gradient_of_a_known_function(rng, order):
    theta = np.asarray(rng.standard_normal((3, 4)), order=order)
    before = theta.copy()
    grad = numerical_gradient(lambda: float(np.sum(theta ** 3)), theta)
    assert np.array_equal(theta, before)                    # restored exactly
    assert relative_error(grad, 3 * theta ** 2) < 1e-9
    # Error O(h^2): for f = sum theta^3 the central difference is off by exactly h^2 per entry.
    assert np.allclose(grad - 3 * theta ** 2, 1e-10, atol=1e-9)


def test_relative_error():
    g = np.array([1.0, -2.0, 3.0])
    assert relative_error(g, g) == 0.0
    assert relative_error(g, -g) == 1.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(g, 1.1 * g) == pytest.approx(0.1 / 2.1, rel=1e-12)
    assert relative_error(1e-20 * g, 1.1e-20 * g) == pytest.approx(0.1 / 2.1, rel=1e-12)   # scale-free
