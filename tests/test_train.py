"""Training: XOR is learnt, runs are reproducible, and L2, dropout, schedules,
validation, gradient norms and callbacks do what they say."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nn
from nnlib.train import constant, exponential_decay, inverse_time, step_decay


def _xor_net(seed=0, hidden="tanh"):
    return nn.Network([2, 3, 1], hidden=hidden, output="sigmoid", cost="cross_entropy", seed=seed)


@pytest.mark.parametrize("hidden", ["tanh", "sigmoid"])
def test_learns_xor(hidden):
    x, y = nn.datasets.xor()
    net = _xor_net(hidden=hidden)
    assert net.accuracy(x, y) < 1.0                     # it has something to learn
    history = nn.sgd(net, x, y, eta=2.0, epochs=500, batch_size=4)
    assert net.accuracy(x, y) == 1.0
    assert np.array_equal(net.predict(x), y)
    assert history.accuracy[-1] == 1.0
    assert history.cost[-1] < 0.1 * history.cost[0]
    assert len(history.cost) == 500 and history.epochs == list(range(1, 501))


def test_learns_noisy_xor_with_minibatches():
    x, y = nn.datasets.xor(n_per_corner=25, noise=0.1, seed=1)
    net = nn.Network([2, 8, 2], hidden="relu", output="softmax", cost="log_likelihood", seed=0)
    nn.sgd(net, x, y, eta=0.5, epochs=60, batch_size=10, seed=2)
    assert net.accuracy(x, y) == 1.0


def test_training_is_deterministic():
    x, y = nn.datasets.moons(n=60, seed=3)
    runs = []
    for _ in range(2):
        net = nn.Network([2, 6, 2], hidden="relu", output="softmax", cost="log_likelihood", seed=4)
        h = nn.sgd(net, x, y, eta=0.3, epochs=8, batch_size=7, lmbda=0.1, dropout=0.2, seed=5,
                   validation=(x, y), track_grad_norms=True)
        runs.append((h, net))
    (h1, n1), (h2, n2) = runs
    assert h1 == h2                                      # every list identical, not just close
    assert all(np.array_equal(p, q) for p, q in zip(n1.params(), n2.params()))
    # Another seed shuffles (and drops) differently.
    net3 = nn.Network([2, 6, 2], hidden="relu", output="softmax", cost="log_likelihood", seed=4)
    h3 = nn.sgd(net3, x, y, eta=0.3, epochs=8, batch_size=7, lmbda=0.1, dropout=0.2, seed=6)
    assert h3.cost != h1.cost


def test_one_full_batch_step_is_the_sgd_update(rng):
    """w -> (1 - eta lmbda / n) w - eta dC/dw,  b -> b - eta dC/db, and the recorded cost is
    the cost before the step."""
    net = nn.Network([3, 4, 2], hidden="tanh", output="softmax", cost="log_likelihood", seed=1)
    x, y = rng.standard_normal((3, 10)), rng.integers(0, 2, 10)
    eta, lmbda, n = 0.3, 2.0, 10
    before = net.copy()
    nabla_b, nabla_w = before.backprop(x, y)
    h = nn.sgd(net, x, y, eta=eta, epochs=1, batch_size=n, lmbda=lmbda)
    for l in (1, 2):
        expected_w = (1 - eta * lmbda / n) * before.w[l] - eta * nabla_w[l]
        assert np.allclose(net.w[l], expected_w, rtol=1e-12, atol=1e-15)
        assert np.allclose(net.b[l], before.b[l] - eta * nabla_b[l], rtol=1e-12, atol=1e-15)
    assert h.cost[0] == pytest.approx(before.total_cost(x, y), rel=1e-12)
    assert h.accuracy[0] == before.accuracy(x, y)
    assert h.eta == [eta]


def test_recorded_cost_and_accuracy_are_those_of_the_batches_as_trained():
    """The epoch's cost and accuracy are the means over its examples, each measured in the
    forward pass of its own mini-batch (before that batch's step), in the shuffled order;
    replayed here batch by batch, with an uneven last batch."""
    x, y = nn.datasets.blobs(n=22, centers=3, seed=4)
    net = nn.Network([2, 5, 3], hidden="tanh", output="softmax", cost="log_likelihood", seed=2)
    replay = net.copy()
    h = nn.sgd(net, x, y, eta=0.4, epochs=2, batch_size=5, seed=7)
    rng = np.random.default_rng(7)
    for epoch in range(2):
        perm = rng.permutation(22)
        cost, correct = 0.0, 0
        for k in range(0, 22, 5):
            idx = perm[k:k + 5]
            cost += replay.total_cost(x[:, idx], y[idx]) * len(idx)
            correct += int(np.sum(replay.predict(x[:, idx]) == y[idx]))
            nabla_b, nabla_w = replay.backprop(x[:, idx], y[idx])
            for l in (1, 2):
                replay.w[l] -= 0.4 * nabla_w[l]
                replay.b[l] -= 0.4 * nabla_b[l]
        assert h.cost[epoch] == pytest.approx(cost / 22, rel=1e-12)
        assert h.accuracy[epoch] == correct / 22
    assert np.allclose(net.w[1], replay.w[1], rtol=1e-12, atol=1e-15)


def test_l2_shrinks_the_weights():
    x, y = nn.datasets.blobs(n=80, centers=3, seed=0)
    norms = {}
    for lmbda in (0.0, 5.0):
        net = nn.Network([2, 10, 3], hidden="tanh", output="softmax", cost="log_likelihood", seed=0)
        nn.sgd(net, x, y, eta=0.5, epochs=30, batch_size=10, lmbda=lmbda, seed=1)
        norms[lmbda] = np.sqrt(sum(float(np.sum(w * w)) for w in net.w[1:]))
    assert norms[5.0] < 0.8 * norms[0.0]


def test_dropout_runs_and_changes_training():
    x, y = nn.datasets.blobs(n=60, centers=2, seed=2)
    hist = {}
    for p in (0.0, 0.5):
        net = nn.Network([2, 16, 2], hidden="relu", output="softmax", cost="log_likelihood", seed=0)
        hist[p] = nn.sgd(net, x, y, eta=0.2, epochs=20, batch_size=10, dropout=p, seed=0)
        assert np.all(np.isfinite(hist[p].cost))
        assert net.accuracy(x, y) >= 0.9                 # still learns the two blobs
    assert hist[0.5].cost != hist[0.0].cost


def test_inverted_dropout_masks():
    """Masks are 0 with probability p and 1/(1-p) otherwise, on hidden layers only, so the
    mean activation is unchanged."""
    net = nn.Network([5, 400, 3], hidden="sigmoid", output="softmax", seed=0)
    x = np.random.default_rng(0).standard_normal((5, 50))
    p = 0.25
    tr = net.forward(x, p, np.random.default_rng(1))
    mask = tr.mask[1]
    assert tr.mask[0] is None and tr.mask[2] is None     # the output layer is never dropped
    assert set(np.unique(mask)) == {0.0, 1.0 / (1 - p)}
    assert abs(np.mean(mask == 0) - p) < 0.01
    raw = net.act[1].fn(tr.z[1])
    assert np.array_equal(tr.a[1], raw * mask)
    assert abs(tr.a[1].mean() / raw.mean() - 1) < 0.02


@pytest.mark.parametrize("schedule, expected", [
    (step_decay(1.0, factor=0.5, every=2), [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]),
    (constant(0.3), [0.3] * 6),
    (exponential_decay(1.0, rate=0.5), [float(np.exp(-0.5 * t)) for t in range(6)]),
    (inverse_time(1.0, rate=1.0), [1.0 / (1 + t) for t in range(6)]),
])
def test_schedules(schedule, expected):
    x, y = nn.datasets.xor()
    h = nn.sgd(_xor_net(), x, y, eta=1.0, epochs=6, batch_size=2, schedule=schedule)
    assert h.eta == pytest.approx(expected, rel=1e-15)


def test_a_schedule_changes_the_steps():
    x, y = nn.datasets.xor()
    a, b = _xor_net(), _xor_net()
    nn.sgd(a, x, y, eta=1.0, epochs=5, batch_size=4)
    nn.sgd(b, x, y, eta=1.0, epochs=5, batch_size=4, schedule=step_decay(1.0, 0.1, 1))
    assert not np.array_equal(a.w[1], b.w[1])


def test_validation_grad_norms_and_callback():
    x, y = nn.datasets.moons(n=40, seed=0)
    xv, yv = nn.datasets.moons(n=20, seed=1)
    net = nn.Network([2, 5, 2], hidden="tanh", output="softmax", cost="log_likelihood", seed=0)
    seen = []
    h = nn.sgd(net, x, y, eta=0.5, epochs=4, batch_size=8, validation=(xv, yv), track_grad_norms=True,
               callback=lambda epoch, n, hist: seen.append((epoch, n is net, len(hist.cost))))
    assert seen == [(0, True, 1), (1, True, 2), (2, True, 3), (3, True, 4)]
    assert len(h.val_cost) == len(h.val_accuracy) == 4
    assert h.val_cost[-1] == pytest.approx(net.total_cost(xv, yv), rel=1e-14)
    assert h.val_accuracy[-1] == net.accuracy(xv, yv)
    assert len(h.grad_norms) == 4 and all(len(g) == 2 and min(g) > 0 for g in h.grad_norms)


def test_grad_norms_are_the_mean_batch_gradient_norm(rng):
    net = nn.Network([3, 4, 2], hidden="tanh", output="softmax", cost="log_likelihood", seed=1)
    x, y = rng.standard_normal((3, 6)), rng.integers(0, 2, 6)
    _, nabla_w = net.copy().backprop(x, y)
    h = nn.sgd(net, x, y, eta=0.1, epochs=1, batch_size=6, track_grad_norms=True)
    assert h.grad_norms[0] == pytest.approx([np.linalg.norm(nabla_w[1]), np.linalg.norm(nabla_w[2])],
                                            rel=1e-12)


def test_regression_history_has_no_accuracy():
    x, y = nn.datasets.regression_1d("sine", n=30)
    net = nn.Network([1, 8, 1], hidden="tanh", output="identity", cost="quadratic", seed=0)
    h = nn.sgd(net, x, y, eta=0.1, epochs=50, batch_size=5, validation=(x, y))
    assert h.accuracy == [None] * 50 and h.val_accuracy == [None] * 50
    assert h.cost[-1] < h.cost[0]


def test_too_large_a_learning_rate_is_reported():
    x, y = nn.datasets.regression_1d("cubic", n=20)
    net = nn.Network([1, 20, 1], hidden="relu", output="identity", cost="quadratic", seed=0)
    # No numpy overflow warning escapes first (the suite turns them into errors).
    with pytest.raises(FloatingPointError, match=r"learning rate eta=1000.0 is far too large; try eta=100"):
        nn.sgd(net, x, 1e150 * y, eta=1e3, epochs=50, batch_size=20)
