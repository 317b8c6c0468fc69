"""Weight initialisation: shapes, zero biases, the variances each scheme promises, seeding."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nn
from nnlib.init import (INITIALISERS, get_init, he_normal, normal_scaled, standard_normal, xavier_normal,
                        xavier_uniform, zeros)

N_OUT, N_IN = 300, 200      # 60 000 weights: sample variances within about 1 %


@pytest.mark.parametrize("scheme, variance", [
    (standard_normal, 1.0),
    (normal_scaled, 1.0 / N_IN),
    (xavier_normal, 2.0 / (N_IN + N_OUT)),
    (xavier_uniform, 2.0 / (N_IN + N_OUT)),
    (he_normal, 2.0 / N_IN),
], ids=lambda v: getattr(v, "__name__", ""))
def test_variance_and_shapes(scheme, variance):
    w, b = scheme(N_OUT, N_IN, np.random.default_rng(0))
    assert w.shape == (N_OUT, N_IN) and b.shape == (N_OUT, 1)
    assert abs(w.mean()) < 4 * np.sqrt(variance / w.size)
    assert w.var() == pytest.approx(variance, rel=0.03)
    if scheme is standard_normal:
        assert b.var() == pytest.approx(1.0, rel=0.25)          # Nielsen's first network: N(0, 1) biases
    else:
        assert np.array_equal(b, np.zeros((N_OUT, 1)))


def test_xavier_uniform_bounds():
    w, _ = xavier_uniform(N_OUT, N_IN, np.random.default_rng(1))
    r = np.sqrt(6.0 / (N_IN + N_OUT))
    assert w.min() >= -r and w.max() <= r and w.max() > 0.99 * r and w.min() < -0.99 * r


def test_zeros_keeps_neurons_identical():
    w, b = zeros(4, 3, np.random.default_rng(0))
    assert not w.any() and not b.any()
    # With zero weights, every hidden neuron of a layer computes the same thing and gets the
    # same gradient: training never tells them apart (symmetry is never broken).
    net = nn.Network([2, 4, 1], hidden="sigmoid", init="zeros")
    x, y = nn.datasets.moons(n=40, seed=0)
    nn.sgd(net, x, y, eta=0.5, epochs=20, batch_size=8)
    assert net.w[1].any() and net.w[2].any()               # the weights did move ...
    assert np.array_equal(net.w[1], np.tile(net.w[1][0], (4, 1)))       # ... all rows alike
    assert np.array_equal(net.w[2], np.full((1, 4), net.w[2][0, 0]))


def test_registry_and_seeding():
    assert set(INITIALISERS) == {"zeros", "standard_normal", "normal_scaled", "xavier_normal",
                                 "xavier_uniform", "he_normal"}
    for name, fn in INITIALISERS.items():
        assert get_init(name) is fn
        a = fn(5, 4, np.random.default_rng(3))
        b = fn(5, 4, np.random.default_rng(3))
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    for name in INITIALISERS:
        net = nn.Network([3, 5, 2], init=name, seed=0)
        assert net.init == name and net.w[1].shape == (5, 3)


def test_custom_init_callable():
    def ones(n_out, n_in, rng):
        return np.ones((n_out, n_in)), np.full((n_out, 1), 0.5)

    net = nn.Network([3, 4, 2], init=ones)
    assert net.init == "ones"
    assert np.array_equal(net.w[2], np.ones((2, 4))) and np.array_equal(net.b[1], np.full((4, 1), 0.5))
    assert get_init(ones) is ones


def test_he_keeps_relu_activations_from_shrinking():
    """The variance argument: with He initialisation, the mean square activation of a deep
    ReLU network stays of the same order layer after layer; with N(0, 1/n) it halves each layer."""
    x = np.random.default_rng(0).standard_normal((200, 500))
    ms = {}
    for init in ("he_normal", "normal_scaled"):
        net = nn.Network([200] + [200] * 10 + [1], hidden="relu", output="identity", cost="quadratic",
                         init=init, seed=1)
        tr = net.forward(x)
        ms[init] = [float(np.mean(tr.a[l] ** 2)) for l in range(1, 11)]
    assert 0.3 < ms["he_normal"][-1] / ms["he_normal"][0] < 3
    assert ms["normal_scaled"][-1] / ms["normal_scaled"][0] < 0.01
