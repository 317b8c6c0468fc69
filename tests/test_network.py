"""The network: layout, feed-forward, backpropagation (batched = per example), a
hand-worked example, prediction and the cost with its L2 term."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import xor_net

import nnlib as nn
from nnlib.activations import ELU, LeakyReLU, Maxout

# ----------------------------------------------------------------------- layout


def test_shapes_and_parameter_count():
    net = xor_net()
    assert net.L == 2 and net.sizes == [2, 3, 1]
    assert net.w[0] is None and net.b[0] is None
    assert net.w[1].shape == (3, 2) and net.b[1].shape == (3, 1)
    assert net.w[2].shape == (1, 3) and net.b[2].shape == (1, 1)
    assert net.n_params == 3 * 2 + 3 + 1 * 3 + 1 == 13
    assert [p.shape for p in net.params()] == [(3, 2), (3, 1), (1, 3), (1, 1)]
    assert net.params()[0] is net.w[1]                   # views, not copies


def test_maxout_layer_has_k_times_the_weights():
    net = nn.Network([3, 4, 2], hidden=Maxout(3), output="softmax", cost="log_likelihood")
    assert net.w[1].shape == (12, 3) and net.b[1].shape == (12, 1)
    assert net.w[2].shape == (2, 4)
    assert net.n_params == 12 * 3 + 12 + 2 * 4 + 2
    assert net.feedforward(np.ones((3, 5))).shape == (2, 5)


def test_seeded_weights():
    a, b = nn.Network([4, 5, 3], seed=1), nn.Network([4, 5, 3], seed=1)
    c = nn.Network([4, 5, 3], seed=2)
    assert all(np.array_equal(p, q) for p, q in zip(a.params(), b.params()))
    assert not np.array_equal(a.w[1], c.w[1])


@pytest.mark.parametrize("hidden, expected", [
    ("relu", "he_normal"), ("leaky_relu", "he_normal"), (Maxout(2), "he_normal"),
    ("sigmoid", "xavier_normal"), ("tanh", "xavier_normal"), (["relu", "tanh"], "xavier_normal"),
])
def test_auto_init(hidden, expected):
    sizes = [3, 4, 4, 2] if isinstance(hidden, list) else [3, 4, 2]
    assert nn.Network(sizes, hidden=hidden, output="softmax").init == expected
    assert nn.Network([3, 2]).init == "xavier_normal"        # no hidden layer


def test_per_layer_activations_and_repr():
    net = nn.Network([2, 3, 3, 1], hidden=["relu", "tanh"], output="identity", cost="quadratic")
    assert [a.name for a in net.act[1:]] == ["relu", "tanh", "identity"]
    assert "output=Identity()" in repr(net) and "Quadratic()" in repr(net)


def test_copy_is_independent():
    net = nn.Network([2, 3, 1])
    twin = net.copy()
    twin.w[1][0, 0] += 1.0
    twin.b[2][0, 0] += 1.0
    assert net.w[1][0, 0] != twin.w[1][0, 0] and net.b[2][0, 0] != twin.b[2][0, 0]
    assert twin.sizes == net.sizes and twin.act == net.act


# ------------------------------------------------- batched == per-example (BP over columns)

ARCHITECTURES = [
    ([3, 4, 2], "sigmoid", "sigmoid", "quadratic"),
    ([3, 5, 4, 3], "relu", "softmax", "log_likelihood"),
    ([3, 4, 3], Maxout(3), "softmax", "cross_entropy"),
    ([2, 4, 3, 1], ["tanh", "elu"], "identity", "quadratic"),
    ([4, 3, 3, 2], [Maxout(2), "leaky_relu"], "sigmoid", "cross_entropy"),
]


def _data(sizes, output, cost, m, rng):
    x = rng.standard_normal((sizes[0], m))
    if output == "identity":
        y = rng.standard_normal((sizes[-1], m))
    elif output == "softmax":
        y = nn.one_hot(rng.integers(0, sizes[-1], m), sizes[-1])
    else:
        y = rng.uniform(0, 1, (sizes[-1], m))
    return x, y


@pytest.mark.parametrize("sizes, hidden, output, cost", ARCHITECTURES,
                         ids=[f"{s}-{o}-{c}" for s, _, o, c in ARCHITECTURES])
def test_batched_equals_per_example(sizes, hidden, output, cost, rng):
    net = nn.Network(sizes, hidden=hidden, output=output, cost=cost, seed=4)
    m = 6
    x, y = _data(sizes, output, cost, m, rng)

    # Feed-forward: one matrix product per layer == a loop over the columns.
    batch = net.feedforward(x)
    assert batch.shape == (sizes[-1], m)
    loop = np.stack([net.feedforward(x[:, i]) for i in range(m)], axis=1)
    assert np.allclose(batch, loop, rtol=1e-12, atol=1e-14)

    # Backprop: the batch's gradient is the mean of the per-example gradients.
    nabla_b, nabla_w = net.backprop(x, y)
    per = [net.backprop(x[:, i], y[:, i]) for i in range(m)]
    for l in range(1, net.L + 1):
        assert nabla_w[l].shape == net.w[l].shape and nabla_b[l].shape == net.b[l].shape
        assert np.allclose(nabla_w[l], np.mean([p[1][l] for p in per], axis=0), rtol=1e-11, atol=1e-14)
        assert np.allclose(nabla_b[l], np.mean([p[0][l] for p in per], axis=0), rtol=1e-11, atol=1e-14)

    # Every layer's z, a and delta, column by column.
    tr = net.forward(x)
    grads = net.backward(tr, y)
    for i in range(m):
        one = net.forward(x[:, i:i + 1])
        one_grads = net.backward(one, y[:, i:i + 1])
        for l in range(1, net.L + 1):
            for name, batch, single in (("z", tr.z, one.z), ("a", tr.a, one.a),
                                        ("delta", grads.delta, one_grads.delta)):
                assert np.allclose(batch[l][:, i], single[l][:, 0], rtol=1e-11, atol=1e-14), (name, l)

    # The cost of the batch is the mean of the examples' costs.
    costs = [net.total_cost(x[:, i], y[:, i]) for i in range(m)]
    assert net.total_cost(x, y) == pytest.approx(np.mean(costs), rel=1e-12)


def test_trace_without_targets_and_layer_by_layer_forward(rng):
    net = nn.Network([3, 4, 2], hidden="tanh", output="softmax", cost="log_likelihood", seed=2)
    x = rng.standard_normal((3, 5))
    tr = net.forward(x)
    assert tr.z[0] is None and np.array_equal(tr.a[0], x)
    assert tr.mask == [None, None, None] and tr.m == 5
    for l in (1, 2):
        assert np.allclose(tr.z[l], net.w[l] @ tr.a[l - 1] + net.b[l], rtol=1e-14)
        assert np.allclose(tr.a[l], net.act[l].fn(tr.z[l]), rtol=1e-14)
    assert np.allclose(tr.a[2], net.feedforward(x), rtol=1e-14)


# ------------------------------------------------------------- a hand-worked example


def test_hand_worked_example():
    r"""A [2, 2, 1] sigmoid network with the quadratic cost, worked by hand.

    Write l3 = ln 3, so that sigma(l3) = 1/(1 + 1/3) = 3/4, sigma(0) = 1/2, and
    sigma'(l3) = 3/4 * 1/4 = 3/16, sigma'(0) = 1/2 * 1/2 = 1/4.

    Input x = (1, 2), target y = 1.
    w1 = [[l3/2, 0], [l3/2, -l3/2]], b1 = (l3/2, l3/2)
    w2 = [[l3, l3/2]],               b2 = (-l3)
    """
    l3 = np.log(3.0)
    net = nn.Network.from_weights([[[l3 / 2, 0.0], [l3 / 2, -l3 / 2]], [[l3, l3 / 2]]],
                                  [[l3 / 2, l3 / 2], [-l3]],
                                  hidden="sigmoid", output="sigmoid", cost="quadratic")
    x, y = np.array([1.0, 2.0]), np.array([1.0])

    # Layer 1: z1_1 = l3/2 * 1 + 0 * 2 + l3/2 = l3;  z1_2 = l3/2 * 1 - l3/2 * 2 + l3/2 = 0
    z1 = np.array([l3, 0.0])
    # a1 = sigma(z1) = (3/4, 1/2)
    a1 = np.array([0.75, 0.5])
    # Layer 2: z2 = l3 * 3/4 + l3/2 * 1/2 - l3 = (3/4 + 1/4 - 1) l3 = 0;  a2 = sigma(0) = 1/2
    z2, a2 = np.array([0.0]), np.array([0.5])
    # Cost: C = 1/2 (y - a2)^2 = 1/2 * (1/2)^2 = 1/8
    cost = 1 / 8
    # BP1: delta2 = (a2 - y) sigma'(z2) = (-1/2)(1/4) = -1/8
    delta2 = np.array([-1 / 8])
    # BP2: delta1 = (w2^T delta2) (.) sigma'(z1) = (l3 * -1/8, l3/2 * -1/8) (.) (3/16, 1/4)
    #            = (-3 l3/128, -l3/64)
    delta1 = np.array([-3 * l3 / 128, -l3 / 64])
    # BP3: dC/db2 = delta2 = -1/8;  dC/db1 = delta1
    # BP4: dC/dw2 = delta2 a1^T = (-1/8 * 3/4, -1/8 * 1/2) = (-3/32, -1/16)
    nabla_w2 = np.array([[-3 / 32, -1 / 16]])
    #      dC/dw1 = delta1 x^T = [[-3 l3/128 * 1, -3 l3/128 * 2], [-l3/64 * 1, -l3/64 * 2]]
    nabla_w1 = np.array([[-3 * l3 / 128, -6 * l3 / 128], [-l3 / 64, -2 * l3 / 64]])

    tr = net.forward(x)
    grads = net.backward(tr, y)
    tol = dict(rtol=0, atol=1e-12)
    assert np.allclose(tr.z[1][:, 0], z1, **tol) and np.allclose(tr.a[1][:, 0], a1, **tol)
    assert np.allclose(tr.z[2][:, 0], z2, **tol) and np.allclose(tr.a[2][:, 0], a2, **tol)
    assert np.allclose(grads.delta[2][:, 0], delta2, **tol)
    assert np.allclose(grads.delta[1][:, 0], delta1, **tol)
    assert net.total_cost(x, y) == pytest.approx(cost, abs=1e-12)
    nabla_b, nabla_w = net.backprop(x, y)
    assert np.allclose(nabla_b[2][:, 0], delta2, **tol) and np.allclose(nabla_b[1][:, 0], delta1, **tol)
    assert np.allclose(nabla_w[2], nabla_w2, **tol) and np.allclose(nabla_w[1], nabla_w1, **tol)
    assert np.allclose(grads.nabla_w[1], nabla_w1, **tol) and np.allclose(grads.nabla_b[2], [[-1 / 8]], **tol)


# ------------------------------------------------------------ prediction and cost


def test_predict_and_accuracy():
    # One sigmoid output neuron computing sigma(10 (x1 - x2)): class 1 iff x1 > x2.
    net = nn.Network.from_weights([[[10.0, -10.0]]], [[0.0]], output="sigmoid")
    x = np.array([[1.0, 0.0, 2.0, -1.0], [0.0, 1.0, 1.0, 0.0]])
    assert np.array_equal(net.predict(x), [1, 0, 1, 0])
    assert net.predict(np.array([3.0, 0.0])) == 1
    assert net.accuracy(x, [1, 0, 1, 0]) == 1.0
    assert net.accuracy(x, [1, 1, 1, 1]) == 0.5

    # Softmax: argmax of w x, with w the identity.
    soft = nn.Network([3, 3], output="softmax", cost="log_likelihood")
    soft.w[1] = np.eye(3)
    x3 = np.array([[3.0, 0.0, 0.0], [0.0, 2.0, 0.0], [1.0, 0.0, 5.0]])
    assert np.array_equal(soft.predict(x3), [0, 1, 2])
    assert soft.accuracy(x3, [0, 1, 2]) == 1.0
    assert soft.accuracy(x3, nn.one_hot([0, 0, 0], 3)) == pytest.approx(1 / 3)

    # Regression: predict returns the outputs.
    reg = nn.Network([1, 3, 1], hidden="tanh", output="identity", cost="quadratic")
    xr = np.linspace(-1, 1, 5).reshape(1, 5)
    assert np.array_equal(reg.predict(xr), reg.feedforward(xr))


def test_total_cost_with_l2(rng):
    net = nn.Network([3, 4, 2], output="softmax", cost="log_likelihood", seed=5)
    x, labels = rng.standard_normal((3, 8)), rng.integers(0, 2, 8)
    base = net.total_cost(x, labels)
    sq = sum(float(np.sum(w * w)) for w in net.w[1:])
    # (lambda / 2n) sum_l ||w^l||^2, with n the number of examples by default ...
    assert net.total_cost(x, labels, lmbda=0.5) == pytest.approx(base + 0.5 / (2 * 8) * sq, rel=1e-13)
    # ... or the training-set size when given.
    assert net.total_cost(x, labels, lmbda=0.5, n=100) == pytest.approx(base + 0.5 / 200 * sq, rel=1e-13)
    # Labels and one-hot targets are the same thing.
    assert net.total_cost(x, nn.one_hot(labels, 2)) == base
    assert base == pytest.approx(-np.mean(np.log(net.feedforward(x)[labels, np.arange(8)])), rel=1e-13)


def test_single_example_layouts():
    net = nn.Network([2, 3, 2], output="softmax", cost="log_likelihood", seed=0)
    x = np.array([0.3, -0.7])
    assert net.feedforward(x).shape == (2,)
    assert np.allclose(net.feedforward(x), net.feedforward(x.reshape(2, 1))[:, 0], rtol=1e-15)
    # A label, a one-hot vector and a one-hot column give the same gradients.
    grads = [net.backprop(x, y)[1] for y in (1, [0.0, 1.0], [[0.0], [1.0]])]
    for g in grads[1:]:
        assert all(np.array_equal(g[l], grads[0][l]) for l in (1, 2))


# ------------------------------------------------------------ weights given by hand


def test_from_weights_takes_biases_as_rows_or_columns():
    """A bias of shape (n_l,) is b^l, even in a batch of n_l examples, where adding it as
    a row would broadcast along the wrong axis."""
    w1, b1 = np.arange(6.0).reshape(3, 2), np.array([1.0, -2.0, 3.0])
    w2, b2 = np.ones((1, 3)), np.array([0.5])
    flat = nn.Network.from_weights([w1, w2], [b1, b2], hidden="identity", output="identity", cost="quadratic")
    cols = nn.Network.from_weights([w1, w2], [b1.reshape(3, 1), b2.reshape(1, 1)],
                                   hidden="identity", output="identity", cost="quadratic")
    assert flat.b[1].shape == (3, 1) and np.array_equal(flat.b[1][:, 0], b1)
    x = np.arange(6.0).reshape(2, 3)                     # 3 examples, as many as layer 1 has neurons
    z1 = w1 @ x + b1[:, None]
    assert np.array_equal(flat.forward(x).z[1], z1) and np.array_equal(cols.forward(x).z[1], z1)
    assert not np.array_equal(w1 @ x + b1, z1)           # the mistake a row bias would make


def test_set_weights_copies_into_the_same_arrays():
    net = nn.Network([2, 3, 1], hidden="tanh")
    w1, b1 = net.w[1], net.b[1]
    new_w = np.arange(6.0).reshape(3, 2)
    net.set_weights(1, w=new_w, b=[1.0, 2.0, 3.0])
    assert net.w[1] is w1 and net.b[1] is b1             # same objects, new values
    assert np.array_equal(w1, new_w) and np.array_equal(b1[:, 0], [1.0, 2.0, 3.0])
    new_w[0, 0] = 99.0
    assert net.w[1][0, 0] == 0.0                         # a copy, not a view of the argument
    net.set_weights(2, b=np.array([[0.5]]))              # b alone leaves w alone
    assert net.b[2][0, 0] == 0.5 and np.array_equal(net.w[1], np.arange(6.0).reshape(3, 2))


def test_from_weights_accepts_net_w_with_its_leading_none():
    net = nn.Network([3, 4, 2], hidden="relu", output="softmax", cost="log_likelihood", seed=3)
    twin = nn.Network.from_weights(net.w, net.b, hidden="relu", output="softmax", cost="log_likelihood")
    assert twin.sizes == net.sizes
    assert all(np.array_equal(p, q) for p, q in zip(twin.params(), net.params()))


# ------------------------------------------------------------------- save, load

SAVED = [
    ([3, 4, 2], "sigmoid", "sigmoid", "cross_entropy"),
    ([3, 5, 4, 3], [LeakyReLU(0.2), ELU(0.5)], "softmax", "log_likelihood"),
    ([3, 4, 3, 2], [Maxout(3), "tanh"], "sigmoid", "quadratic"),
    ([2, 4, 1], "relu", "identity", "quadratic"),
    ([2, 3, 3, 2], ["step", "identity"], "softmax", "quadratic"),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("sizes, hidden, output, cost", SAVED, ids=[f"{s}-{o}-{c}" for s, _, o, c in SAVED])
def test_save_load_round_trip_is_exact(sizes, hidden, output, cost, dtype, tmp_path, rng):
    net = nn.Network(sizes, hidden=hidden, output=output, cost=cost, seed=7, dtype=dtype)
    for l in range(1, net.L + 1):                        # non-zero biases, so they are checked too
        net.set_weights(l, b=rng.standard_normal(net.b[l].shape))
    path = tmp_path / "net.npz"
    net.save(path)
    back = nn.Network.load(path)

    assert back.sizes == net.sizes and back.L == net.L
    assert back.dtype == net.dtype == np.dtype(dtype)
    assert back.act == net.act                           # same classes, same alpha / k
    assert [a.__dict__ for a in back.act[1:]] == [a.__dict__ for a in net.act[1:]]
    assert type(back.cost) is type(net.cost) and back.init == net.init
    assert repr(back) == repr(net)
    for p, q in zip(back.params(), net.params()):
        assert p.dtype == q.dtype and p.shape == q.shape and np.array_equal(p, q)
    x = rng.standard_normal((sizes[0], 9))
    assert np.array_equal(back.feedforward(x), net.feedforward(x))
    assert np.array_equal(back.predict(x), net.predict(x))

    # Plain arrays: the file loads with pickles refused.
    with np.load(path, allow_pickle=False) as data:
        files = dict(data)
    assert {f"w{l}" for l in range(1, net.L + 1)} <= set(files)
    assert all(files[f"w{l}"].dtype == net.dtype for l in range(1, net.L + 1))


def test_save_adds_the_npz_suffix_and_the_copy_is_independent(tmp_path):
    net = nn.Network([2, 3, 1], hidden="tanh", seed=1)
    net.save(tmp_path / "xor")
    assert (tmp_path / "xor.npz").exists()
    back = nn.Network.load(tmp_path / "xor.npz")
    assert [w.tolist() for w in nn.Network.load(tmp_path / "xor").params()] == \
        [w.tolist() for w in back.params()]                # load finds the file save named
    back.w[1][0, 0] += 1.0
    assert back.w[1][0, 0] != net.w[1][0, 0]


def test_a_loaded_network_trains_like_the_original(tmp_path):
    x, y = nn.datasets.moons(n=40, seed=0)
    net = nn.Network([2, 5, 2], hidden=LeakyReLU(0.1), output="softmax", cost="log_likelihood", seed=2)
    net.save(tmp_path / "net.npz")
    back = nn.Network.load(tmp_path / "net.npz")
    h1 = nn.sgd(net, x, y, eta=0.3, epochs=3, batch_size=8, seed=1)
    h2 = nn.sgd(back, x, y, eta=0.3, epochs=3, batch_size=8, seed=1)
    assert h1 == h2
