"""Training: XOR is learnt, runs are reproducible, and L2, dropout, schedules,
validation, gradient norms and callbacks do what they say; the training diagnosis
warns when, and only when, a run has gone wrong; the progress bar changes nothing."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import classifier, xor_net

import nnlib as nn
from nnlib.train import constant, exponential_decay, inverse_time, step_decay

# Every healthy run in this file must train without a TrainingWarning; the tests that
# expect one catch it with pytest.warns or warnings.catch_warnings.
pytestmark = pytest.mark.filterwarnings("error::nnlib.TrainingWarning")


@pytest.mark.parametrize("hidden", ["tanh", "sigmoid"])
def test_learns_xor(hidden):
    x, y = nn.datasets.xor()
    net = xor_net(hidden=hidden)
    assert net.accuracy(x, y) < 1.0                     # it has something to learn
    history = nn.sgd(net, x, y, eta=2.0, epochs=500, batch_size=4)
    assert net.accuracy(x, y) == 1.0
    assert np.array_equal(net.predict(x), y)
    assert history.accuracy[-1] == 1.0
    assert history.cost[-1] < 0.1 * history.cost[0]
    assert len(history.cost) == 500 and history.epochs == list(range(1, 501))


def test_learns_noisy_xor_with_minibatches():
    x, y = nn.datasets.xor(n_per_corner=25, noise=0.1, seed=1)
    net = classifier([2, 8, 2], hidden="relu", seed=0)
    nn.sgd(net, x, y, eta=0.5, epochs=60, batch_size=10, seed=2)
    assert net.accuracy(x, y) == 1.0


def test_training_is_deterministic():
    x, y = nn.datasets.moons(n=60, seed=3)
    runs = []
    for _ in range(2):
        net = classifier([2, 6, 2], hidden="relu", seed=4)
        h = nn.sgd(net, x, y, eta=0.3, epochs=8, batch_size=7, lmbda=0.1, dropout=0.2, seed=5,
                   validation=(x, y), track_grad_norms=True)
        runs.append((h, net))
    (h1, n1), (h2, n2) = runs
    assert h1 == h2                                      # every list identical, not just close
    assert all(np.array_equal(p, q) for p, q in zip(n1.params(), n2.params()))
    # Another seed shuffles (and drops) differently.
    net3 = classifier([2, 6, 2], hidden="relu", seed=4)
    h3 = nn.sgd(net3, x, y, eta=0.3, epochs=8, batch_size=7, lmbda=0.1, dropout=0.2, seed=6)
    assert h3.cost != h1.cost


def test_one_full_batch_step_is_the_sgd_update(rng):
    """w -> (1 - eta lmbda / n) w - eta dC/dw,  b -> b - eta dC/db, and the recorded cost is
    the cost before the step."""
    net = classifier([3, 4, 2], seed=1)
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


def test_backward_into_out_reuses_its_arrays_and_computes_the_same(rng):
    """``backward(..., out=grads)`` writes the new gradients into ``grads``'s weight-sized
    arrays (the very same objects) and they equal a fresh call's, bit for bit."""
    net = classifier([3, 5, 4, 2], hidden="relu", seed=2)
    x1, y1 = rng.standard_normal((3, 7)), rng.integers(0, 2, 7)
    x2, y2 = rng.standard_normal((3, 4)), rng.integers(0, 2, 4)     # another batch size
    old = net.backward(net.forward(x1), y1)
    arrays = [g for g in old.nabla_w[1:]]
    new = net.backward(net.forward(x2), y2, out=old)
    fresh = net.backward(net.forward(x2), y2)
    for l in (1, 2, 3):
        assert new.nabla_w[l] is arrays[l - 1]
        assert np.array_equal(new.nabla_w[l], fresh.nabla_w[l])
        assert np.array_equal(new.nabla_b[l], fresh.nabla_b[l])
        assert np.array_equal(new.delta[l], fresh.delta[l])


def test_step_with_out_moves_the_weights_as_without(rng):
    """Passing the previous step's gradients as ``out`` changes nothing but where they live."""
    a, b = classifier([4, 6, 3], seed=3), classifier([4, 6, 3], seed=3)
    grads = None
    for _ in range(3):
        x, y = rng.standard_normal((4, 9)), rng.integers(0, 3, 9)
        _, grads = nn.train.step(a, x, y, eta=0.5, lmbda=0.1, n=30, out=grads)
        nn.train.step(b, x, y, eta=0.5, lmbda=0.1, n=30)
    assert all(np.array_equal(p, q) for p, q in zip(a.params(), b.params()))


def test_check_false_skips_only_the_checks(rng):
    """``check=False`` (sgd's per-batch path) computes the same numbers, bit for bit, as the
    checked calls, in forward, backward and step, with dropout and L2 too."""
    net = classifier([4, 6, 5, 3], hidden="tanh", seed=3)
    x, labels = rng.standard_normal((4, 9)), rng.integers(0, 3, 9)
    y = nn.costs.one_hot(labels, 3)
    for dropout in (0.0, 0.4):
        t1 = net.forward(x, dropout, np.random.default_rng(1))
        t2 = net.forward(x, dropout, np.random.default_rng(1), check=False)
        assert all(np.array_equal(p, q) for p, q in zip(t1.z[1:] + t1.a, t2.z[1:] + t2.a))
        g1, g2 = net.backward(t1, labels), net.backward(t2, y, check=False)
        for l in (1, 2, 3):
            assert np.array_equal(g1.nabla_w[l], g2.nabla_w[l])
            assert np.array_equal(g1.nabla_b[l], g2.nabla_b[l])
            assert np.array_equal(g1.delta[l], g2.delta[l])
    a, b = net.copy(), net.copy()
    for _ in range(2):
        nn.train.step(a, x, labels, eta=0.5, lmbda=0.1, n=30, dropout=0.3, rng=np.random.default_rng(2))
        nn.train.step(b, x, y, eta=0.5, lmbda=0.1, n=30, dropout=0.3, rng=np.random.default_rng(2),
                      check=False)
    assert all(np.array_equal(p, q) for p, q in zip(a.params(), b.params()))
    with pytest.raises(ValueError, match="x must have 4 rows"):       # checked by default
        net.forward(x.T)


@pytest.mark.parametrize("sizes", [[3, 5, 4, 2], [2, 3, 1], [1, 4, 3]])
def test_weights_and_their_gradients_share_one_layout(rng, sizes, tmp_path):
    """w is stored column by column, and backward, copy, save/load and set_weights keep it
    so: the update then runs through both arrays in memory order. A weight matrix of one
    row or one column is both layouts at once; out= takes it either way."""
    net = nn.Network(sizes, hidden="relu", output="sigmoid", seed=2)
    x, y = rng.standard_normal((sizes[0], 7)), rng.random((sizes[-1], 7))
    grads = net.backward(net.forward(x), y)
    net.set_weights(1, w=np.ones(net.w[1].shape))
    net.save(tmp_path / "net")
    for other in (net, net.copy(), nn.Network.from_weights(net.w, net.b, hidden="relu"),
                  nn.Network.load(tmp_path / "net.npz")):
        for l in range(1, net.L + 1):
            assert other.w[l].flags.f_contiguous and grads.nabla_w[l].flags.f_contiguous
            assert np.array_equal(other.w[l], net.w[l])
    a, b = net.copy(), net.copy()
    for _ in range(2):                                  # out= from the first step, the copy's own
        _, grads = nn.train.step(a, x, y, eta=0.5, out=grads)
        nn.train.step(b, x, y, eta=0.5)
    assert all(np.array_equal(p, q) for p, q in zip(a.params(), b.params()))


def test_epoch_totals_by_blocks_are_the_totals_at_once(rng):
    """The epoch's cost and count of right answers, block by block (here 3 columns at a
    time, the last block shorter) equal those over all columns at once: the count exactly,
    the cost up to rounding."""
    from nnlib.train import _epoch_totals
    for net in (classifier([3, 4, 5], seed=1), nn.Network([3, 4, 1], output="identity", cost="quadratic")):
        x = rng.standard_normal((3, 10))
        trace = net.forward(x)
        y = (nn.costs.one_hot(rng.integers(0, 5, 10), 5) if net.sizes[-1] == 5
             else rng.standard_normal((1, 10)))
        classify = net.sizes[-1] == 5
        cost, correct = _epoch_totals(net, trace.z[-1], trace.a[-1], y, classify, block=3)
        assert cost / 10 == pytest.approx(net.total_cost(x, y), rel=1e-13)
        assert (correct / 10 == net.accuracy(x, y)) if classify else correct == 0


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("shape", [(1, 1), (3, 1), (700, 3), (5, 40000), (512, 784), (100, 100)])
def test_subtract_scaled_is_the_one_line_update_bit_for_bit(rng, shape, order):
    """The blocked update equals ``w - eta * g`` exactly, whatever the rows and block size,
    stored by rows or by columns."""
    from nnlib.train import _subtract_scaled
    w, g = (np.asarray(rng.standard_normal(shape), order=order) for _ in range(2))
    expected = w - 0.37 * g
    _subtract_scaled(w, 0.37, g)
    assert np.array_equal(w, expected)
    w32, g32 = w.astype(np.float32, order="K"), g.astype(np.float32, order="K")
    expected32 = w32 - np.float32(0.37) * g32
    _subtract_scaled(w32, np.float32(0.37), g32, block=64)
    assert w32.dtype == np.float32 and np.array_equal(w32, expected32)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("shape", [(8, 8), (5, 13), (1, 64), (65, 1)])
def test_subtract_scaled_at_one_block_and_just_above(rng, shape, order):
    """64 elements (one block of 64: the one-line path) and 65 (two blocks): the same
    numbers as ``w - eta * g``, in place."""
    from nnlib.train import _subtract_scaled
    w, g = (np.asarray(rng.standard_normal(shape), order=order) for _ in range(2))
    expected = w - 0.37 * g
    assert _subtract_scaled(w, 0.37, g, block=64) is None
    assert np.array_equal(w, expected)


def test_recorded_cost_and_accuracy_are_those_of_the_batches_as_trained():
    """The epoch's cost and accuracy are the means over its examples, each measured in the
    forward pass of its own mini-batch (before that batch's step), in the shuffled order;
    replayed here batch by batch, with an uneven last batch."""
    x, y = nn.datasets.blobs(n=22, centers=3, seed=4)
    net = classifier([2, 5, 3], seed=2)
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
        net = classifier([2, 10, 3], seed=0)
        nn.sgd(net, x, y, eta=0.5, epochs=30, batch_size=10, lmbda=lmbda, seed=1)
        norms[lmbda] = np.sqrt(sum(float(np.sum(w * w)) for w in net.w[1:]))
    assert norms[5.0] < 0.8 * norms[0.0]


def test_dropout_runs_and_changes_training():
    x, y = nn.datasets.blobs(n=60, centers=2, seed=2)
    hist = {}
    for p in (0.0, 0.5):
        net = classifier([2, 16, 2], hidden="relu", seed=0)
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
    h = nn.sgd(xor_net(), x, y, eta=1.0, epochs=6, batch_size=2, schedule=schedule)
    assert h.eta == pytest.approx(expected, rel=1e-15)


def test_a_schedule_changes_the_steps():
    x, y = nn.datasets.xor()
    a, b = xor_net(), xor_net()
    nn.sgd(a, x, y, eta=1.0, epochs=5, batch_size=4)
    nn.sgd(b, x, y, eta=1.0, epochs=5, batch_size=4, schedule=step_decay(1.0, 0.1, 1))
    assert not np.array_equal(a.w[1], b.w[1])


def test_validation_grad_norms_and_callback():
    x, y = nn.datasets.moons(n=40, seed=0)
    xv, yv = nn.datasets.moons(n=20, seed=1)
    net = classifier([2, 5, 2], seed=0)
    seen = []
    h = nn.sgd(net, x, y, eta=0.5, epochs=4, batch_size=8, validation=(xv, yv), track_grad_norms=True,
               callback=lambda epoch, n, hist: seen.append((epoch, n is net, len(hist.cost))))
    assert seen == [(0, True, 1), (1, True, 2), (2, True, 3), (3, True, 4)]
    assert len(h.val_cost) == len(h.val_accuracy) == 4
    assert h.val_cost[-1] == pytest.approx(net.total_cost(xv, yv), rel=1e-14)
    assert h.val_accuracy[-1] == net.accuracy(xv, yv)
    assert len(h.grad_norms) == 4 and all(len(g) == 2 and min(g) > 0 for g in h.grad_norms)


def test_grad_norms_are_the_mean_batch_gradient_norm(rng):
    net = classifier([3, 4, 2], seed=1)
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


# ------------------------------------------------------------ the training diagnosis

LN10 = float(np.log(10.0))      # the cost of a 10-class softmax that has learned nothing


@pytest.fixture(scope="module")
def digits():
    """300 training and 449 test digits: x (64, n), labels (n,)."""
    x_train, y_train, x_test, y_test = nn.datasets.load_digits()
    return x_train[:, :300], y_train[:300], x_test, y_test


def _sgd_recording(net, x, y, **kw):
    """``sgd``, returning its History and every warning it issued (none filtered out)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = nn.sgd(net, x, y, **kw)
    return history, caught


def _training_warnings(caught):
    return [w for w in caught if issubclass(w.category, nn.TrainingWarning)]


def test_a_huge_learning_rate_saturates_the_network_and_is_named(digits):
    """eta=1000 on the digits: the first steps drive every sigmoid and softmax into its
    flat tails, after which the cost jitters on a plateau near -ln(eps) = 36 (confident
    and wrong), far above the ln 10 of a network that guesses; accuracy stays at chance.
    (This run printed costs 31.58, 32.56, 32.20, 32.20, 32.44, 32.46.)"""
    x, y, _, _ = digits
    net = classifier([64, 30, 10], hidden="sigmoid")
    history, caught = _sgd_recording(net, x, y, eta=1000.0, epochs=6, batch_size=10)
    found = _training_warnings(caught)
    assert len(found) == 1 and len(caught) == 1                # once, and no numpy warning
    message = str(found[0].message)
    assert message.startswith("the training cost is stuck at ")
    assert "far above the 2.3 of a network that has learned nothing" in message
    assert "The learning rate eta=1000 is far too large: try eta=100, and lower it again" in message
    assert found[0].filename == __file__                       # it points at the call of sgd
    # Stuck: every epoch far above guessing, no trend down, accuracy at chance.
    assert min(history.cost) > 5 * LN10
    assert history.cost[-1] > 0.95 * history.cost[0]
    assert max(history.accuracy) < 0.2


def test_a_dead_relu_layer_is_named(digits):
    """eta=50 kills the ReLU layer in the first epoch: its biases and weights are pushed
    so far down that every z^1 <= 0, no gradient reaches it again, and the output is the
    softmax of b^2 alone. The dead-layer sign fires first (the cost is also stuck far
    above ln 10, which waits for the dead-layer verdict).
    (This run printed costs 19.40, 19.97, 20.42, 17.59, 18.32, 19.82.)"""
    x, y, x_test, _ = digits
    net = classifier([64, 30, 10], hidden="relu")
    history, caught = _sgd_recording(net, x, y, eta=50.0, epochs=6, batch_size=10)
    found = _training_warnings(caught)
    assert len(found) == 1 and len(caught) == 1
    assert str(found[0].message) == (
        "every ReLU of hidden layer 1 output 0 on the last mini-batch of 3 epochs in a row (30 examples): "
        "the layer is dead and passes no gradient back. The learning rate eta=50 is probably too large: "
        "try eta=5 (or leaky_relu)"
    )
    # The diagnosis is true of the whole data, not only of the batches it saw.
    assert np.mean(np.any(net.forward(x).z[1] > 0, axis=0)) < 0.01
    assert not np.any(net.forward(x_test).z[1] > 0)
    assert min(history.cost) > 5 * LN10 and max(history.accuracy) < 0.2


def test_a_cost_that_keeps_rising_is_named():
    """One linear neuron, full-batch steps: the quadratic cost's curvature (Hessian
    [[mean x^2, mean x], [mean x, 1]]) has largest eigenvalue 1.0 here, so any eta > 2
    overshoots the minimum by more than it started from, and the cost grows by a factor
    tending to (eta - 1)^2 = 2.25 per epoch at eta=2.5 (it printed 0.082, 0.068, 0.096,
    0.159, 0.302, 0.624, 1.35, 2.99)."""
    x, y = nn.datasets.regression_1d("cubic", n=20)
    hessian = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    assert np.linalg.eigvalsh(hessian).max() == pytest.approx(1.0, abs=0.01)
    net = nn.Network.from_weights([[[0.0]]], [[0.0]], output="identity", cost="quadratic")
    history, caught = _sgd_recording(net, x, 2 * y, eta=2.5, epochs=8, batch_size=20)
    found = _training_warnings(caught)
    assert len(found) == 1 and len(caught) == 1
    assert str(found[0].message) == (
        f"the training cost is rising: {history.cost[4]:.4g} in epoch 5, after {history.cost[1]:.4g} earlier. "
        "The learning rate eta=2.5 is probably too large: try eta=0.25"
    )
    assert history.cost[-1] / history.cost[-2] > 2.0      # tends to (2.5 * 1.0 - 1)^2 = 2.25


def test_a_flat_cost_is_named():
    """A regression network whose cost cannot move at all (eta far too small)."""
    x, y = nn.datasets.regression_1d("sine", n=20)
    net = nn.Network([1, 4, 1], hidden="tanh", output="identity", cost="quadratic", seed=0)
    with pytest.warns(nn.TrainingWarning, match=r"the training cost has not fallen by even 0.1% in 5 epochs \(from "
                                                r"[0-9.]+ to [0-9.]+\)\..* eta may be too small"):
        nn.sgd(net, x, y, eta=1e-9, epochs=5, batch_size=20)


def test_the_warning_is_issued_at_most_once_per_call(digits):
    x, y, _, _ = digits
    net = classifier([64, 30, 10], hidden="sigmoid")
    _, caught = _sgd_recording(net, x, y, eta=1000.0, epochs=20, batch_size=50)
    assert len(_training_warnings(caught)) == 1                # 20 bad epochs, one warning
    _, again = _sgd_recording(net, x, y, eta=1000.0, epochs=5, batch_size=50)
    assert len(_training_warnings(again)) == 1                 # once per call, not per session


HEALTHY = {
    "digits, sigmoid, eta=0.5": lambda d: (classifier([64, 30, 10], hidden="sigmoid"), d[0], d[1],
                                           dict(eta=0.5, epochs=15, batch_size=10)),
    "digits, relu, eta=0.1": lambda d: (classifier([64, 30, 10], hidden="relu"), d[0], d[1],
                                        dict(eta=0.1, epochs=15, batch_size=10)),
    "digits, relu, dropout": lambda d: (classifier([64, 30, 10], hidden="relu"), d[0], d[1],
                                        dict(eta=0.1, epochs=15, batch_size=10, dropout=0.3)),
    "digits, tanh, L2": lambda d: (classifier([64, 30, 10]), d[0], d[1],
                                   dict(eta=0.1, epochs=15, batch_size=10, lmbda=1.0)),
    "xor, tanh": lambda d: (xor_net(), *nn.datasets.xor(), dict(eta=2.0, epochs=500, batch_size=4)),
    "xor, sigmoid": lambda d: (xor_net(hidden="sigmoid"), *nn.datasets.xor(),
                               dict(eta=2.0, epochs=500, batch_size=4)),
    "xor, relu, one example per batch": lambda d: (classifier([2, 8, 2], hidden="relu"),
                                                   *nn.datasets.xor(n_per_corner=25, noise=0.1, seed=1),
                                                   dict(eta=0.5, epochs=20, batch_size=1, seed=2)),
    "moons, dropout": lambda d: (classifier([2, 6, 2], hidden="relu", seed=4), *nn.datasets.moons(n=60, seed=3),
                                 dict(eta=0.3, epochs=8, batch_size=7, lmbda=0.1, dropout=0.2, seed=5)),
    "blobs, dropout 0.5": lambda d: (classifier([2, 16, 2], hidden="relu"), *nn.datasets.blobs(n=60, seed=2),
                                     dict(eta=0.2, epochs=20, batch_size=10, dropout=0.5)),
    "regression": lambda d: (nn.Network([1, 8, 1], hidden="tanh", output="identity", cost="quadratic"),
                             *nn.datasets.regression_1d("sine", n=30), dict(eta=0.1, epochs=50, batch_size=5)),
}


@pytest.mark.parametrize("run", HEALTHY, ids=list(HEALTHY))
def test_healthy_runs_do_not_warn(run, digits):
    net, x, y, kw = HEALTHY[run](digits)
    with warnings.catch_warnings():
        warnings.simplefilter("error", nn.TrainingWarning)
        history = nn.sgd(net, x, y, **kw)
    assert history.cost[-1] < 0.7 * history.cost[0]            # and they did learn


def test_healthy_digits_runs_learn(digits):
    x, y, x_test, y_test = digits
    net = classifier([64, 30, 10], hidden="sigmoid")
    with warnings.catch_warnings():
        warnings.simplefilter("error", nn.TrainingWarning)
        nn.sgd(net, x, y, eta=0.5, epochs=15, batch_size=10)
    assert net.accuracy(x_test, y_test) > 0.9


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_overflow_is_reported_by_nnlib_alone(dtype):
    """Regression targets of 1e30 (float32) or 1e150 (float64): the first step overflows.
    The one error is nnlib's FloatingPointError, with the fix; numpy's overflow
    RuntimeWarnings (errors in this suite) do not escape first, and nothing else warns."""
    x, y = nn.datasets.regression_1d("cubic", n=20)
    net = nn.Network([1, 20, 1], hidden="relu", output="identity", cost="quadratic", dtype=dtype)
    scale = 1e30 if dtype == "float32" else 1e150
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(FloatingPointError, match=r"the training cost became (inf|nan) in epoch \d+: the "
                                                     r"learning rate eta=1000\.0 is far too large; try eta=100 "
                                                     r"or less"):
            nn.sgd(net, x, scale * y, eta=1e3, epochs=50, batch_size=20)
    assert caught == []
    # numpy's error state is restored after the error.
    assert np.geterr()["over"] != "ignore"


def test_a_diverging_classifier_is_reported_by_nnlib_alone():
    """Inputs of 1e10 and eta=1e30: softmax of infinite z gives nan, and nnlib says so."""
    x, y = nn.datasets.blobs(n=40, centers=3, seed=0)
    net = classifier([2, 8, 3], hidden="relu")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(FloatingPointError, match=r"eta=1e\+30 is far too large; try eta=1e\+29 or less"):
            nn.sgd(net, 1e10 * x, y, eta=1e30, epochs=20, batch_size=10)
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


# ------------------------------------------------------------------- progress bar


def test_progress_bar_changes_nothing(capsys):
    x, y = nn.datasets.moons(n=60, seed=3)
    runs = {}
    for progress in (False, True):
        net = classifier([2, 6, 2], hidden="relu", seed=4)
        history = nn.sgd(net, x, y, eta=0.3, epochs=8, batch_size=7, dropout=0.2, seed=5,
                         validation=(x, y), track_grad_norms=True, progress=progress)
        runs[progress] = (history, net, capsys.readouterr())
    (h_off, net_off, out_off), (h_on, net_on, out_on) = runs[False], runs[True]
    assert h_on == h_off                                       # every list identical
    assert all(np.array_equal(p, q) for p, q in zip(net_on.params(), net_off.params()))
    assert out_off.out == "" and out_off.err == ""             # the default prints nothing
    assert "sgd" in out_on.err and "8/8" in out_on.err         # the bar ran to the end
    assert "cost=" in out_on.err


def test_progress_bar_closes_on_error(capsys):
    x, y = nn.datasets.regression_1d("cubic", n=20)
    net = nn.Network([1, 20, 1], hidden="relu", output="identity", cost="quadratic")
    with pytest.raises(FloatingPointError):
        nn.sgd(net, x, 1e150 * y, eta=1e3, epochs=50, batch_size=20, progress=True)
    err = capsys.readouterr().err
    assert "sgd" in err and "50/50" not in err


def test_xors_saddle_is_not_a_stalled_run():
    """Chapter 2's 2-2-1 sigmoid network (seed 0) starts on XOR's saddle, where every output
    is 1/2 and the cost is ln 2, that of a network that has learned nothing; it sits there
    for 270 epochs, then learns XOR. A flat cost at that level is no sign of a bad eta."""
    x, y = nn.datasets.xor()
    net = nn.Network([2, 2, 1], hidden="sigmoid", output="sigmoid", cost="cross_entropy", seed=0)
    history = nn.sgd(net, x, y, eta=2.0, epochs=400, batch_size=4)     # warnings are errors here
    assert min(history.cost[1:5]) >= 0.999 * history.cost[0]          # flat for five epochs
    assert history.cost[4] == pytest.approx(np.log(2), rel=1e-3)
    assert net.accuracy(x, y) == 1.0


def test_a_badly_initialised_network_that_falls_steadily_is_not_stuck():
    """Weights from N(0, 1) make this XOR network confidently wrong at first (its cost 2.6
    times ln 2); with eta=0.1 it falls slowly, epoch by epoch, and that is not 'stuck'."""
    x, y = nn.datasets.xor()
    net = nn.Network([2, 3, 1], hidden="sigmoid", output="sigmoid", cost="cross_entropy",
                     init="standard_normal", seed=0)
    history = nn.sgd(net, x, y, eta=0.1, epochs=300, batch_size=4)
    assert history.cost[2] > 2 * np.log(2)                              # far above guessing ...
    assert history.cost[-1] < 0.5 * history.cost[0]                    # ... and learning


def test_dropout_does_not_fake_a_dead_layer():
    """One ReLU that is alive for every input (z = x1 + x2 + 10 > 0), dropped with
    probability 0.9: whole mini-batches of 15 often see it dropped, but it is not dead,
    since the diagnosis reads z, not the masked activation."""
    x, y = nn.datasets.blobs(n=30, centers=2, spread=0.3, seed=0)
    net = nn.Network.from_weights([[[1.0, 1.0]], [[0.0], [0.0]]], [[10.0], [0.0, 0.0]],
                                  hidden="relu", output="softmax", cost="log_likelihood")
    rng = np.random.default_rng(0)
    masks = [net.forward(x[:, :15], 0.9, rng).mask[1] for _ in range(100)]
    assert sum(not m.any() for m in masks) > 10                         # batches with the unit dropped
    nn.sgd(net, x, y, eta=1e-4, epochs=60, batch_size=15, dropout=0.9)  # warnings are errors here
    assert np.all(net.forward(x).z[1] > 0)


def test_one_silent_example_is_not_a_dead_layer():
    """ReLUs with zero biases all output 0 for the input (0, 0), which is the whole last
    mini-batch of one epoch in four here (batch_size=1); the layer is alive for the three
    other corners, so the diagnosis waits for 30 silent examples before it speaks."""
    x, y = nn.datasets.xor()
    net = nn.Network.from_weights([[[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]], np.zeros((2, 3))],
                                  [np.zeros(3), np.zeros(2)], hidden="relu", output="softmax",
                                  cost="log_likelihood")
    assert not np.any(net.forward(x[:, :1]).z[1] > 0) and np.all(net.forward(x[:, 1:]).z[1].max(axis=0) > 0)
    nn.sgd(net, x, y, eta=1e-4, epochs=80, batch_size=1)              # warnings are errors here


def test_a_saturated_quadratic_output_is_named_as_the_learning_slowdown():
    """One sigmoid neuron started confidently wrong (z = w + b = 4, target 0) with the
    quadratic cost barely moves in five epochs: the warning names the learning slowdown and
    the cross-entropy, not only the learning rate. With the cross-entropy it learns at once."""
    x, y = np.array([[1.0]]), np.array([[0.0]])
    net = nn.Network.from_weights([[[2.0]]], [[2.0]], output="sigmoid", cost="quadratic")
    with pytest.warns(nn.TrainingWarning, match=r"the training cost has not fallen by even 0.1% in 5 epochs \(from [0-9.]+ "
                                                r"to [0-9.]+\)\. 100% of the sigmoid outputs .* saturated"
                                                r".*learning slowdown.*cost='cross_entropy'"):
        nn.sgd(net, x, y, eta=0.15, epochs=5, batch_size=1)
    net = nn.Network.from_weights([[[2.0]]], [[2.0]], output="sigmoid", cost="cross_entropy")
    history = nn.sgd(net, x, y, eta=0.15, epochs=5, batch_size=1)          # warnings are errors here
    assert history.cost[-1] < 0.75 * history.cost[0]                         # a quarter off in 4 steps


# ------------------------------------------------------------ saturation (chapter 13)

def test_saturation_counts_large_weighted_inputs_per_layer():
    """z^1 = (-1, 0.2, 1) and (-10, 2, 10) for the three inputs: 2 of the 6 neuron-example
    pairs have |z| > 4; the output's z^2 = sigma(z^1_1) + sigma(z^1_2) is 0.27, 1.43, 1.73."""
    net = nn.Network.from_weights([[[1.0], [10.0]], [[1.0, 1.0]]], [[0.0, 0.0], [0.0]])
    x = [[-1.0, 0.2, 1.0]]
    assert nn.train.saturation(net, x) == [pytest.approx(1 / 3), 0.0]
    assert nn.train.saturation(net, x, threshold=0.5) == [pytest.approx(5 / 6), pytest.approx(2 / 3)]
    assert nn.train.saturation(net, x, threshold=20.0) == [0.0, 0.0]
    assert nn.train.saturation(net, [1.0]) == [0.5, 0.0]          # one example as (n_0,)


def test_saturation_matches_the_definition(digits):
    x, _, _, _ = digits
    net = classifier([64, 20, 15, 10], hidden="sigmoid", init="standard_normal", seed=3)
    z = net.forward(x).z
    expected = [np.mean(np.abs(z[l]) > 4.0) for l in range(1, net.L + 1)]
    assert nn.train.saturation(net, x) == pytest.approx(expected, abs=0)
    assert 0.1 < expected[0] < 0.9                                  # a case that tests something


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(net="net"), TypeError, "net must be an nnlib Network"),
    (dict(threshold=0.0), ValueError, "threshold must be a positive number"),
    (dict(threshold=-1.0), ValueError, "threshold must be a positive number"),
    (dict(threshold="4"), TypeError, "threshold must be a positive number"),
    (dict(x=np.zeros((3, 5))), ValueError, "x must have 2 rows"),
])
def test_saturation_checks_its_arguments(kwargs, error, match):
    args = dict(net=classifier([2, 3, 2], hidden="tanh"), x=np.zeros((2, 5)), threshold=4.0)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        nn.train.saturation(args["net"], args["x"], threshold=args["threshold"])
