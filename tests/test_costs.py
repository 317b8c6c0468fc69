"""Costs: values, gradients (central differences), BP1 and its a - y shortcut, and
properties under Hypothesis (non-negative; finite, warning-free on extreme outputs)."""

from __future__ import annotations

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
