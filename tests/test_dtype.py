"""float32 end to end: a float32 network computes in float32 everywhere (no silent
up-cast to float64), converts float64 data where it enters, and agrees with its float64
twin to float32 precision."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import classifier, rel_error

import nnlib as nn
from nnlib.activations import ACTIVATIONS

F32 = np.dtype("float32")

# Every activation that can be a hidden layer (softmax is an output only).
HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "maxout", "identity", "step"]
OUTPUTS = [("sigmoid", "cross_entropy"), ("softmax", "log_likelihood"), ("identity", "quadratic"),
           ("sigmoid", "quadratic"), ("softmax", "quadratic")]


def test_every_hidden_activation_is_covered():
    assert sorted(HIDDEN) == sorted(set(ACTIVATIONS) - {"softmax"})


def _data(output, n_out, m, rng):
    """float64 inputs, and targets as the output calls for them (float64 or int labels)."""
    x = rng.standard_normal((3, m))
    if output == "identity":
        y = rng.standard_normal((n_out, m))
    elif output == "softmax":
        y = rng.integers(0, n_out, m)
    else:
        y = rng.uniform(0, 1, (n_out, m))
    return x, y


def _arrays(seq):
    return [a for a in seq if a is not None]


@pytest.mark.parametrize("output, cost", OUTPUTS, ids=[f"{o}-{c}" for o, c in OUTPUTS])
@pytest.mark.parametrize("hidden", HIDDEN)
def test_float32_end_to_end(hidden, output, cost, rng):
    net = nn.Network([3, 4, 3], hidden=hidden, output=output, cost=cost, seed=1, dtype="float32")
    assert net.dtype == F32 and all(p.dtype == F32 for p in net.params())
    x, y = _data(output, 3, 8, rng)
    assert x.dtype == np.float64                          # float64 data ...

    trace = net.forward(x)
    assert all(a.dtype == F32 for a in _arrays(trace.z) + _arrays(trace.a))   # ... converted where it enters
    grads = net.backward(trace, y)
    for name in ("delta", "nabla_w", "nabla_b"):
        arrays = _arrays(getattr(grads, name))
        assert len(arrays) == net.L and all(a.dtype == F32 for a in arrays), name
    nabla_b, nabla_w = net.backprop(x, y)
    assert all(a.dtype == F32 for a in _arrays(nabla_b) + _arrays(nabla_w))

    dropped = net.forward(x, 0.5, np.random.default_rng(0))
    assert all(a.dtype == F32 for a in _arrays(dropped.z) + _arrays(dropped.a) + _arrays(dropped.mask))
    assert all(a.dtype == F32 for a in _arrays(net.backward(dropped, y).delta))

    assert net.feedforward(x).dtype == F32 and net.feedforward(x[:, 0]).dtype == F32
    if output == "identity":
        assert net.predict(x).dtype == F32                # regression: the outputs themselves
    assert isinstance(net.total_cost(x, y, lmbda=0.1), float)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nn.TrainingWarning)   # a step network cannot learn: that is not the point
        history = nn.sgd(net, x, y, eta=0.1, epochs=2, batch_size=3, lmbda=0.5, dropout=0.25)
    assert all(p.dtype == F32 for p in net.params())
    assert np.all(np.isfinite(history.cost))
    trace, grads = nn.train.step(net, x, y, eta=0.1, lmbda=0.5, n=8, dropout=0.25, rng=np.random.default_rng(1))
    assert all(p.dtype == F32 for p in net.params())
    assert all(a.dtype == F32 for a in _arrays(grads.nabla_w) + _arrays(trace.a))


def test_float32_targets_and_one_hot_enter_as_float32(rng):
    net = classifier([3, 4, 3], dtype="float32")
    x = rng.standard_normal((3, 6)).astype(np.float32)
    labels = rng.integers(0, 3, 6)
    for y in (labels, nn.one_hot(labels, 3), nn.one_hot(labels, 3).astype(np.float32), list(labels)):
        grads = net.backward(net.forward(x), y)
        assert grads.delta[2].dtype == F32
    g_labels = net.backward(net.forward(x), labels).nabla_w[1]
    g_onehot = net.backward(net.forward(x), nn.one_hot(labels, 3)).nabla_w[1]
    assert np.array_equal(g_labels, g_onehot)


def test_set_weights_and_from_weights_convert_to_the_network_dtype():
    net = nn.Network([2, 3, 1], dtype="float32")
    net.set_weights(1, w=np.ones((3, 2)), b=np.ones(3))
    assert net.w[1].dtype == F32 and net.b[1].dtype == F32
    built = nn.Network.from_weights([np.ones((3, 2)), np.ones((1, 3))], [np.zeros(3), np.zeros(1)],
                                    dtype="float32")
    assert built.dtype == F32 and all(p.dtype == F32 for p in built.params())
    assert nn.Network([2, 1], dtype=np.float32).dtype == F32           # a numpy type works too
    assert "dtype='float32'" in repr(built) and "dtype" not in repr(nn.Network([2, 1]))


@pytest.mark.parametrize("output, cost", OUTPUTS, ids=[f"{o}-{c}" for o, c in OUTPUTS])
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "maxout"])
def test_float32_gradients_agree_with_float64(hidden, output, cost, rng):
    """Same seed, same weights (rounded to float32): the gradients agree to about float32
    precision (eps = 1.2e-7), a few ulps grown through two layers."""
    n64 = nn.Network([3, 5, 4, 3], hidden=hidden, output=output, cost=cost, seed=2)
    n32 = nn.Network([3, 5, 4, 3], hidden=hidden, output=output, cost=cost, seed=2, dtype="float32")
    assert all(np.array_equal(p.astype(np.float32), q) for p, q in zip(n64.params(), n32.params()))
    x, y = _data(output, 3, 10, rng)
    for l in range(1, n64.L + 1):                          # the float64 net on float32's weights
        n64.set_weights(l, w=n32.w[l], b=n32.b[l])
    g64, g32 = n64.backward(n64.forward(x), y), n32.backward(n32.forward(x), y)
    for l in range(1, n64.L + 1):
        assert rel_error(g32.nabla_w[l], g64.nabla_w[l]) < 1e-5, l
        assert rel_error(g32.nabla_b[l], g64.nabla_b[l]) < 1e-5, l
        assert rel_error(g32.delta[l], g64.delta[l]) < 1e-5, l
    assert n32.total_cost(x, y) == pytest.approx(n64.total_cost(x, y), rel=1e-5)


@pytest.fixture(scope="module")
def digits():
    x_train, y_train, x_test, y_test = nn.datasets.load_digits()
    return x_train[:, :600], y_train[:600], x_test, y_test


@pytest.mark.parametrize("hidden, eta", [("sigmoid", 0.5), ("relu", 0.1)])
def test_float32_learns_the_digits_as_well_as_float64(hidden, eta, digits):
    x, y, x_test, y_test = digits
    acc, costs = {}, {}
    for dtype in ("float64", "float32"):
        net = classifier([64, 30, 10], hidden=hidden, dtype=dtype)
        history = nn.sgd(net, x, y, eta=eta, epochs=10, batch_size=10, lmbda=0.1)
        assert all(p.dtype == np.dtype(dtype) for p in net.params())
        acc[dtype], costs[dtype] = net.accuracy(x_test, y_test), history.cost
    assert acc["float64"] > 0.9
    assert abs(acc["float32"] - acc["float64"]) <= 0.02
    assert costs["float32"][-1] == pytest.approx(costs["float64"][-1], rel=0.1)
