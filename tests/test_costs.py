"""Costs: values, gradients (central differences), BP1 and its a - y shortcut, and
properties under Hypothesis (non-negative; finite, warning-free on extreme outputs)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nnlib as nn
from nnlib.activations import ACTIVATIONS, ELU, LeakyReLU, Maxout, Sigmoid, Softmax, get_activation
from nnlib.costs import COSTS, CrossEntropy, LogLikelihood, Quadratic, get_cost

from conftest import central_difference, rel_error

COST_OBJS = [Quadratic(), CrossEntropy(), LogLikelihood()]


def test_one_hot():
    assert np.array_equal(nn.one_hot([2, 0], 3), [[0, 1], [0, 0], [1, 0]])
    assert np.array_equal(nn.one_hot(np.array([1.0, 0.0]), 2), [[0, 1], [1, 0]])   # whole floats
    assert nn.one_hot([], 4).shape == (4, 0)
    y = nn.one_hot(np.arange(10) % 4, 4)
    assert np.array_equal(y.sum(axis=0), np.ones(10)) and np.array_equal(y.argmax(axis=0), np.arange(10) % 4)


def test_cost_values_by_hand():
    a = np.array([[0.5, 0.25], [0.5, 0.75]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    # Quadratic: (1/2m) sum ||y - a||^2 = (1/4) (0.25 + 0.25 + 0.0625 + 0.0625) = 0.15625
    assert Quadratic().fn(a, y) == pytest.approx(0.15625, rel=1e-15)
    # Cross-entropy: column 1: -(ln .5 + ln .5); column 2: -(ln .75 + ln .75); mean of the two.
    ce = -(2 * np.log(0.5) + 2 * np.log(0.75)) / 2
    assert CrossEntropy().fn(a, y) == pytest.approx(ce, rel=1e-14)
    # Log-likelihood: -ln(a of the right class), mean: -(ln .5 + ln .75) / 2.
    assert LogLikelihood().fn(a, y) == pytest.approx(-(np.log(0.5) + np.log(0.75)) / 2, rel=1e-14)
    # One example as a vector counts as m = 1.
    assert Quadratic().fn(np.array([1.0, 2.0]), np.array([0.0, 0.0])) == 2.5


def test_costs_are_finite_at_saturated_outputs():
    a = np.array([[0.0, 1.0]])
    y = np.array([[1.0, 0.0]])
    c = CrossEntropy().fn(a, y)
    assert np.isfinite(c) and c > 30                    # large (about -ln eps each), not inf
    assert np.isfinite(LogLikelihood().fn(np.array([[0.0], [1.0]]), np.array([[1.0], [0.0]])))


@pytest.mark.parametrize("cost", COST_OBJS, ids=lambda c: c.name)
def test_grad_a_matches_central_difference(cost, rng):
    m = 4
    a = rng.uniform(0.05, 0.95, (3, m))
    y = rng.uniform(0.0, 1.0, (3, m))
    # fn is the mean over the m columns; grad_a is per example, so compare with m * fn.
    numeric = central_difference(lambda aa: m * cost.fn(aa, y), a, 1e-6)
    assert rel_error(cost.grad_a(a, y), numeric) < 1e-7


def test_registry():
    assert set(COSTS) == {"quadratic", "cross_entropy", "log_likelihood"}
    for name, cls in COSTS.items():
        assert isinstance(get_cost(name), cls) and get_cost(cls).name == name
    q = Quadratic()
    assert get_cost(q) is q
    assert CrossEntropy.shortcut_for == ("sigmoid",) and LogLikelihood.shortcut_for == ("softmax",)


VALID_PAIRS = [(act, cost) for act in (Sigmoid(), Softmax(), get_activation("tanh"), get_activation("identity"))
               for cost in COST_OBJS if not cost.needs_probabilities or act.range == (0.0, 1.0)]


@pytest.mark.parametrize("act, cost", VALID_PAIRS, ids=lambda v: getattr(v, "name", None))
def test_delta_is_bp1(cost, act, rng):
    """delta(z, a, y) = grad_a C (.) sigma'(z) (as a vector-Jacobian product for softmax),
    which must equal d(m C)/dz by central differences."""
    z = rng.standard_normal((3, 4))
    y = nn.one_hot([0, 2, 1, 2], 3)
    a = act.fn(z)
    delta = cost.delta(z, a, y, act)
    numeric = central_difference(lambda zz: 4 * cost.fn(act.fn(zz), y), z, 1e-6)
    assert rel_error(delta, numeric) < 1e-7


# --------------------------------------------------------------------- Hypothesis

unit = st.floats(min_value=0.0, max_value=1.0)
shapes = st.tuples(st.integers(1, 5), st.integers(1, 4))


def draw_z_and_one_hot(data, shape, bound=1e4):
    """Weighted inputs of ``shape`` (n, m) in [-bound, bound], and one-hot targets for them."""
    n, m = shape
    z = data.draw(arrays(np.float64, (n, m), elements=st.floats(-bound, bound)))
    labels = data.draw(arrays(np.int64, m, elements=st.integers(0, n - 1)))
    return z, nn.one_hot(labels, n)


@given(data=st.data())
def test_costs_are_non_negative(data):
    shape = data.draw(shapes)
    a = data.draw(arrays(np.float64, shape, elements=unit))
    y = data.draw(arrays(np.float64, shape, elements=unit))
    assert Quadratic().fn(a, y) >= 0
    assert CrossEntropy().fn(a, y) >= 0
    assert LogLikelihood().fn(a, y) >= 0
    # Softmax outputs and one-hot labels, the usual pairing.
    z, one_hot = draw_z_and_one_hot(data, shape)
    assert LogLikelihood().fn(nn.softmax(z), one_hot) >= 0
    assert Quadratic().fn(a, a) == 0


@given(data=st.data())
def test_delta_is_a_minus_y_for_sigmoid_cross_entropy(data):
    shape = data.draw(shapes)
    z = data.draw(arrays(np.float64, shape, elements=st.floats(-1e4, 1e4)))
    y = data.draw(arrays(np.float64, shape, elements=unit))
    act, cost = Sigmoid(), CrossEntropy()
    a = act.fn(z)
    delta = cost.delta(z, a, y, act)
    assert np.array_equal(delta, a - y)
    generic = act.backward(z, a, cost.grad_a(a, y))
    # The generic BP1 path divides by a(1 - a); where no clipping happened (a well inside
    # (0, 1)) and it is finite, it must give the same a - y.
    ok = np.isfinite(generic) & (np.abs(z) <= 30)
    assert np.allclose(generic[ok], (a - y)[ok], rtol=1e-9, atol=1e-12)


@given(data=st.data())
def test_delta_is_a_minus_y_for_softmax_log_likelihood(data):
    z, y = draw_z_and_one_hot(data, data.draw(shapes))
    act, cost = Softmax(), LogLikelihood()
    a = act.fn(z)
    assert np.array_equal(cost.delta(z, a, y, act), a - y)
    generic = act.backward(z, a, cost.grad_a(a, y))
    # Exact wherever the right class's probability was not clipped at eps.
    ok_cols = np.isfinite(generic).all(axis=0) & (np.sum(a * y, axis=0) > 1e-12)
    assert np.allclose(generic[:, ok_cols], (a - y)[:, ok_cols], rtol=1e-9, atol=1e-12)


@given(data=st.data())
def test_delta_generic_path_agrees_on_moderate_inputs(data):
    """On |z| <= 15 nothing is clipped, so the generic path always equals a - y."""
    z, y = draw_z_and_one_hot(data, data.draw(shapes), bound=15)
    for act, cost in ((Sigmoid(), CrossEntropy()), (Softmax(), LogLikelihood())):
        a = act.fn(z)
        generic = act.backward(z, a, cost.grad_a(a, y))
        assert np.allclose(generic, a - y, rtol=1e-9, atol=1e-12)
        assert np.allclose(cost.delta(z, a, y, act), generic, rtol=1e-9, atol=1e-12)


OUTPUT_ACTS = [get_activation(n) for n in ACTIVATIONS if n != "maxout"] + [
    LeakyReLU(0.2), ELU(0.5), Maxout(2)]


@pytest.mark.parametrize("act", OUTPUT_ACTS, ids=repr)
@given(data=st.data())
def test_costs_finite_without_warnings_on_extreme_outputs(act, data):
    units = data.draw(st.integers(1, 4))
    m = data.draw(st.integers(1, 3))
    z = data.draw(arrays(np.float64, (units * act.pieces, m), elements=st.floats(-1e4, 1e4)))
    y = data.draw(arrays(np.float64, (units, m), elements=unit))
    probabilities = act.range[0] >= 0 and act.range[1] <= 1
    costs = COST_OBJS if probabilities else [Quadratic()]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = act.fn(z)
        for cost in costs:
            c = cost.fn(a, y)
            g = cost.grad_a(a, y)
            d = cost.delta(z, a, y, act)
            assert np.isfinite(c) and c >= 0
            assert np.all(np.isfinite(g)) and np.all(np.isfinite(d))
            assert d.shape == z.shape


# ------------------------------------------------ cost values where outputs saturate
def _one_neuron(output, cost, sizes=(1, 1)):
    """A network whose output layer's z^L is exactly its input (w = 1, b = 0)."""
    k = sizes[-1]
    return nn.Network.from_weights([np.eye(k, sizes[0])], [np.zeros((k, 1))], output=output, cost=cost)


def _softplus_ref(t):
    """ln(1 + e^t) in Python floats, by the branch that loses nothing."""
    return t + math.log1p(math.exp(-t)) if t > 0 else math.log1p(math.exp(t))


@pytest.mark.parametrize("t", [1e-8, 0.5, 3.0, 40.0, 700.0, 1000.0, 1e4])
@pytest.mark.parametrize("sign", [1, -1])
def test_cross_entropy_after_sigmoid_is_exact_for_any_z(t, sign):
    """y = 1 with z^L = sign * t: the true cost is -ln sigma(z) = softplus(-z), to 1e-12
    relative, for confidently wrong (z = -1e4: cost 1e4) and confidently right (cost
    e^-1e4 underflows to 0, exactly as its true value rounds) outputs, with no warning."""
    net = _one_neuron("sigmoid", "cross_entropy")
    z = sign * t
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = net.total_cost(np.array([[z]]), np.array([[1.0]]))
        got0 = net.total_cost(np.array([[-z]]), np.array([[0.0]]))     # the mirror image
    want = _softplus_ref(-z)
    assert got == pytest.approx(want, rel=1e-12, abs=1e-300)
    assert got0 == pytest.approx(want, rel=1e-12, abs=1e-300)


def test_cross_entropy_from_probabilities_is_capped_and_from_z_is_not():
    """The issue's numbers: z = -40 and -1000 with y = 1 cost 40 and 1000; the clipped
    logarithm of a = sigma(z) reports about -ln(eps) = 36.04 for both."""
    net, ce, sig = _one_neuron("sigmoid", "cross_entropy"), CrossEntropy(), Sigmoid()
    for z in (-40.0, -1000.0):
        zz = np.array([[z]])
        assert net.total_cost(zz, np.array([[1.0]])) == pytest.approx(-z + math.log1p(math.exp(z)), rel=1e-12)
        assert ce.fn(sig.fn(zz), np.array([[1.0]])) == pytest.approx(-math.log(np.finfo(float).eps), rel=1e-3)


@pytest.mark.parametrize("gap", [1e-6, 1.0, 40.0, 1000.0, 1e4])
def test_log_likelihood_after_softmax_is_exact_for_any_z(gap):
    """Right class's logit `gap` below the two others (cost = gap + ln 2 + tiny), and
    `gap` above them (cost = ln(1 + 2 e^-gap): tiny, and still relatively exact)."""
    net = _one_neuron("softmax", "log_likelihood", sizes=(3, 3))
    y = np.array([[1.0], [0.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wrong = net.total_cost(np.array([[0.0], [gap], [gap]]), y)
        right = net.total_cost(np.array([[gap], [0.0], [0.0]]), y)
    assert wrong == pytest.approx(gap + math.log(2.0) + math.log1p(0.5 * math.exp(-gap)), rel=1e-12)
    assert right == pytest.approx(math.log1p(2.0 * math.exp(-gap)), rel=1e-12, abs=1e-300)


def test_log_likelihood_value_with_soft_targets_and_many_columns(rng):
    """value() equals the textbook -sum y ln softmax(z) where that is accurate (moderate z),
    for soft targets and a batch, and is a vector's cost for a single column."""
    z = rng.standard_normal((4, 7)) * 3
    y = rng.dirichlet(np.ones(4), size=7).T
    sm = Softmax()
    a = sm.fn(z)
    assert LogLikelihood().value(z, a, y, sm) == pytest.approx(LogLikelihood().fn(a, y), rel=1e-12)
    assert LogLikelihood().value(z[:, 0], a[:, 0], y[:, 0], sm) == pytest.approx(
        LogLikelihood().fn(a[:, :1], y[:, :1]), rel=1e-12)
    s = Sigmoid()
    yb = rng.uniform(0, 1, (4, 7))
    assert CrossEntropy().value(z, s.fn(z), yb, s) == pytest.approx(CrossEntropy().fn(s.fn(z), yb), rel=1e-12)


def _log_likelihood_by_argmax(z, y):
    """The log-likelihood after a softmax as value() first computed it (argmax, gather)."""
    top = z.argmax(axis=0)
    big = z[top, np.arange(z.shape[1])]
    e = np.exp(z - big)
    e[top, np.arange(z.shape[1])] = 0.0
    return float(np.sum(y * ((big - z) + np.log1p(e.sum(axis=0))))) / z.shape[1]


@pytest.mark.parametrize("k", [1, 2, 10, 300])
def test_log_likelihood_value_is_the_argmax_formula_bit_for_bit(rng, k):
    """value() (no argmax gather) gives exactly the numbers of the argmax formula: soft and
    one-hot targets, ties, a tail that underflows, and a zero cost that is +0.0."""
    z = np.round(rng.standard_normal((k, 50)) * 4)                   # rounded: many ties
    z[:, 0] = 0.0
    z[0, 1] = 1000.0                                                  # e^-1000 underflows
    for y in (rng.dirichlet(np.ones(k), size=50).T, nn.costs.one_hot(z.argmax(axis=0), k)):
        for zz, yy in ((z, y), (z[:, 1:2], y[:, 1:2])):
            got = LogLikelihood().value(zz, Softmax().fn(zz), yy, Softmax())
            expected = _log_likelihood_by_argmax(zz, yy)
            assert got == expected and math.copysign(1.0, got) == math.copysign(1.0, expected)


@pytest.mark.parametrize("case", ["random", "ties", "nan", "-inf column", "one row", "many rows", "float32"])
def test_argmax_columns_is_numpys_argmax(rng, case):
    from nnlib.costs import _argmax_columns
    a = {"random": rng.standard_normal((10, 37)), "ties": np.round(rng.standard_normal((6, 40))),
         "one row": rng.standard_normal((1, 5)), "many rows": rng.standard_normal((300, 9)),
         "float32": rng.standard_normal((4, 11)).astype(np.float32)}.get(case)
    if case == "nan":
        a = rng.standard_normal((5, 8))
        a[[3, 1], [2, 5]] = np.nan
    if case == "-inf column":
        a = rng.standard_normal((5, 8))
        a[:, 4] = -np.inf
    assert np.array_equal(_argmax_columns(a), a.argmax(axis=0))


def test_value_falls_back_to_fn_without_a_stable_form(rng):
    """Quadratic, and the log costs after another output activation, report fn(a, y)."""
    z = rng.standard_normal((3, 5))
    for cost, act in [(Quadratic(), Sigmoid()), (Quadratic(), get_activation("identity")),
                      (LogLikelihood(), Sigmoid()), (CrossEntropy(), Softmax())]:
        a = act.fn(z)
        y = rng.uniform(0, 1, a.shape)
        assert cost.value(z, a, y, act) == cost.fn(a, y)


def test_softplus():
    from nnlib.costs import softplus
    z = np.array([-1e4, -745.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = softplus(z)
    want = [_softplus_ref(t) for t in z]
    assert np.allclose(got, want, rtol=1e-15, atol=0)
    assert softplus(np.float32(3.0)).dtype == np.float32 and softplus(3).dtype == np.float64


def test_sgd_history_reports_the_exact_cost_of_saturated_outputs():
    """The epoch cost in History comes from z^L too: a network started confidently wrong
    reports its full cost (far above 36), matching total_cost before the first step's
    effect is negligible (eta tiny)."""
    net = nn.Network.from_weights([np.array([[-500.0]])], [np.array([[0.0]])], output="sigmoid",
                                  cost="cross_entropy")
    x, y = np.ones((1, 4)), np.ones(4)
    before = net.total_cost(x, y[None, :])
    assert before == pytest.approx(500.0, rel=1e-12)
    hist = nn.sgd(net, x, y[None, :], eta=1e-9, epochs=1, batch_size=4)
    assert hist.cost[0] == pytest.approx(before, rel=1e-9)
