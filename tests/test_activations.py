"""Activation functions: derivatives by central differences, numerical stability,
identities (Hypothesis), and the property table (smooth, zero-centred, saturates,
range) measured from the functions themselves."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nnlib as nn
from nnlib.activations import (ACTIVATIONS, ELU, Identity, LeakyReLU, Maxout, ReLU, Sigmoid, Softmax,
                               Step, Tanh, get_activation)

from conftest import central_difference, rel_error

H = 1e-5          # central-difference step
TOL = 1e-7        # largest accepted relative error of a derivative

ELEMENTWISE = [
    Step(), Identity(), Sigmoid(), Tanh(), ReLU(), LeakyReLU(), LeakyReLU(0.2), ELU(), ELU(0.5), ELU(2.0),
]
ALL = ELEMENTWISE + [Softmax(), Maxout(2), Maxout(3)]


def _ids(acts):
    return [repr(a) for a in acts]


def _away_from_zero(rng, shape, lo=0.05, hi=4.0):
    """Random z with |z| in [lo, hi]: no kink of ReLU, Leaky ReLU, ELU or step within a step h."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(lo, hi, size=shape)


# ---------------------------------------------------------------- 1. derivatives

@pytest.mark.parametrize("act", ELEMENTWISE, ids=_ids(ELEMENTWISE))
def test_prime_matches_central_difference(act, rng):
    z = _away_from_zero(rng, (6, 5))
    numeric = (act.fn(z + H) - act.fn(z - H)) / (2 * H)     # element-wise, so all at once
    analytic = act.prime(z)
    assert analytic.shape == z.shape
    assert rel_error(analytic, numeric) < TOL
    # Away from 0 every entry is accurate, not only the norm of all of them.
    assert np.allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("act", ELEMENTWISE, ids=_ids(ELEMENTWISE))
def test_elementwise_backward_is_hadamard_product(act, rng):
    """BP1/BP2: backward(z, a, g) = g * sigma'(z) (sigmoid and tanh compute sigma' from a)."""
    z = _away_from_zero(rng, (4, 3))
    g = rng.standard_normal(z.shape)
    assert np.allclose(act.backward(z, act.fn(z), g), g * act.prime(z), rtol=1e-13, atol=1e-15)


def test_step_derivative_is_zero_away_from_the_jump(rng):
    z = _away_from_zero(rng, (10,))
    assert np.array_equal(Step().prime(z), np.zeros(10))
    assert np.array_equal(Step().fn(z), (z > 0).astype(float))


def test_elu_alpha_scales_the_negative_side():
    z = np.array([-3.0, -0.5, 0.5, 3.0])
    assert np.allclose(ELU(2.0).fn(z), np.where(z > 0, z, 2.0 * (np.exp(z) - 1)), rtol=1e-15)
    assert np.allclose(ELU(2.0).prime(z), np.where(z > 0, 1.0, 2.0 * np.exp(z)), rtol=1e-15)


@pytest.mark.parametrize("shape", [(5,), (5, 4)])
def test_softmax_backward_is_a_vector_jacobian_product(shape, rng):
    act = Softmax()
    z = rng.standard_normal(shape) * 2
    g = rng.standard_normal(shape)
    analytic = act.backward(z, act.fn(z), g)
    numeric = central_difference(lambda zz: float(np.sum(g * act.fn(zz))), z, H)
    assert rel_error(analytic, numeric) < TOL


def test_softmax_jacobian(rng):
    act = Softmax()
    z = rng.standard_normal(4)
    jac = act.jacobian(z)
    for k in range(4):      # column k: d a / d z_k, by central differences
        e = np.zeros(4)
        e[k] = H
        assert rel_error(jac[:, k], (act.fn(z + e) - act.fn(z - e)) / (2 * H)) < TOL
    g = rng.standard_normal(4)
    assert np.allclose(jac.T @ g, act.backward(z, act.fn(z), g), rtol=1e-12, atol=1e-15)
    assert np.allclose(jac.sum(axis=0), 0.0, atol=1e-15)     # outputs always sum to 1


def test_softmax_docstring_formulas(rng):
    """The formulas Softmax's docstrings state: J_kj = a_k([j = k] - a_j), J = diag(a) - a a^T,
    and backward's dC/dz_j = a_j (g_j - sum_k a_k g_k), column by column; a=None recomputes a."""
    act = Softmax()
    z = rng.standard_normal(5)
    a = act.fn(z)
    jac = act.jacobian(z)
    for k in range(5):
        for j in range(5):
            assert np.isclose(jac[k, j], a[k] * (float(j == k) - a[j]), rtol=1e-14, atol=1e-16)
    assert np.allclose(jac, np.diag(a) - np.outer(a, a), rtol=1e-14, atol=1e-16)
    assert np.array_equal(jac, jac.T)
    zb, g = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    ab = act.fn(zb)
    by_formula = np.column_stack([ab[:, i] * (g[:, i] - ab[:, i] @ g[:, i]) for i in range(3)])
    assert np.allclose(act.backward(zb, ab, g), by_formula, rtol=1e-13, atol=1e-16)
    assert np.array_equal(act.backward(zb, None, g), act.backward(zb, ab, g))


@pytest.mark.parametrize("k", [2, 3, 4])
@pytest.mark.parametrize("m", [1, 3])
def test_maxout_backward_is_a_vector_jacobian_product(k, m, rng):
    act = Maxout(k)
    z = rng.standard_normal((3 * k, m))      # 3 units; random floats: no ties
    a = act.fn(z)
    assert a.shape == (3, m)
    assert np.array_equal(a, z.reshape(3, k, m).max(axis=1))
    g = rng.standard_normal(a.shape)
    analytic = act.backward(z, a, g)
    numeric = central_difference(lambda zz: float(np.sum(g * act.fn(zz))), z, H)
    assert rel_error(analytic, numeric) < TOL
    # The gradient reaches exactly one piece per unit: the winner.
    mask = act.winners(z).reshape(3, k, m)
    assert np.array_equal(mask.sum(axis=1), np.ones((3, m)))
    assert np.array_equal((analytic != 0).reshape(3, k, m), mask.astype(bool))


def test_sigmoid_function_and_derivative_values():
    assert nn.sigmoid(0.0) == 0.5
    assert nn.sigmoid_prime(0.0) == 0.25
    assert np.isclose(nn.sigmoid(np.log(3.0)), 0.75, rtol=1e-15)
    z = np.linspace(-30, 30, 6001)
    assert np.max(nn.sigmoid_prime(z)) == 0.25                   # sigma' <= 1/4, attained at 0
    assert np.max(Tanh().prime(z)) == 1.0                        # tanh' <= 1, attained at 0
    assert nn.sigmoid(-800.0) == 0.0 and nn.sigmoid(800.0) == 1.0
    assert nn.sigmoid(-700.0) > 0                                # tiny outputs keep their precision


def test_non_elementwise_have_no_prime():
    with pytest.raises(TypeError, match="softmax is not element-wise"):
        Softmax().prime(np.zeros(3))
    with pytest.raises(TypeError, match="Maxout is not element-wise"):
        Maxout(2).prime(np.zeros(4))


def test_registry_and_lookup():
    assert set(ACTIVATIONS) == {"step", "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu",
                                "softmax", "maxout"}
    for name, cls in ACTIVATIONS.items():
        act = get_activation(name)
        assert isinstance(act, cls) and act.name == name and act.formula
    assert get_activation("maxout", k=3) == Maxout(3)
    assert get_activation("maxout", k=3) != Maxout(2)
    assert get_activation("leaky_relu", alpha=0.2).alpha == 0.2
    relu = ReLU()
    assert get_activation(relu) is relu
    assert isinstance(get_activation(Tanh), Tanh)
    assert repr(ELU(0.5)) == "ELU(alpha=0.5)" and repr(Maxout(3)) == "Maxout(k=3)"
    assert hash(ELU(0.5)) == hash(ELU(0.5))


# ------------------------------------------------------- 2. properties (Hypothesis)

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
shapes_2d = st.tuples(st.integers(1, 6), st.integers(1, 4))


@given(arrays(np.float64, shapes_2d, elements=finite),
       st.floats(min_value=-100, max_value=100, allow_nan=False))
def test_softmax_is_a_distribution_per_column(z, c):
    a = nn.softmax(z)
    assert a.shape == z.shape
    assert np.all(a >= 0) and np.all(a <= 1)
    assert np.allclose(a.sum(axis=0), 1.0, rtol=0, atol=1e-12)


@given(arrays(np.float64, shapes_2d, elements=st.floats(-100, 100)),
       arrays(np.float64, st.integers(1, 4), elements=st.floats(-100, 100)))
def test_softmax_ignores_a_shift_of_each_column(z, c):
    m = min(z.shape[1], c.shape[0])
    z, shift = z[:, :m], c[None, :m]          # a different constant for every column
    assert np.allclose(nn.softmax(z + shift), nn.softmax(z), rtol=1e-11, atol=1e-15)


@given(arrays(np.float64, st.integers(1, 8), elements=finite))
def test_sigmoid_is_symmetric(z):
    assert np.allclose(nn.sigmoid(-z), 1.0 - nn.sigmoid(z), rtol=0, atol=2e-16)


@given(arrays(np.float64, st.integers(1, 8), elements=finite))
def test_tanh_is_a_rescaled_sigmoid(z):
    assert np.allclose(Tanh().fn(z), 2.0 * nn.sigmoid(2.0 * z) - 1.0, rtol=0, atol=1e-15)


@pytest.mark.parametrize("act", ALL, ids=_ids(ALL))
@given(data=st.data())
def test_no_nan_inf_or_warning_for_large_inputs(act, data):
    units = data.draw(st.integers(1, 5), label="units")
    m = data.draw(st.integers(1, 3), label="m")
    z = data.draw(arrays(np.float64, (units * act.pieces, m), elements=finite), label="z")
    g = data.draw(arrays(np.float64, (units, m), elements=st.floats(-10, 10)), label="grad_a")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = act.fn(z)
        back = act.backward(z, a, g)
        outs = [a, back]
        if act.elementwise:
            outs.append(act.prime(z))
    assert a.shape == (units, m) and back.shape == z.shape
    for out in outs:
        assert np.all(np.isfinite(out))
    lo, hi = act.range
    assert np.all(a >= lo) and np.all(a <= hi)


# ------------------------------------------------------ 3. the property table

def _sections(act):
    """Lines z(t) = c + t d through z-space, as (c, d) pairs, along which a^0(t) is examined.

    For an element-wise activation the line is z = t. Softmax: its first input moves
    against fixed others (and two inputs in opposite directions). Maxout: one piece
    against a constant piece (max(t, 0), the kink), and all pieces together (a = t).
    """
    if act.elementwise:
        return [(np.zeros(1), np.ones(1))]
    if isinstance(act, Softmax):
        return [(np.zeros(2), np.array([1.0, 0.0])), (np.zeros(2), np.array([1.0, -1.0])),
                (np.array([0.0, 0.5, -0.5]), np.array([1.0, 0.0, 0.0]))]
    k = act.pieces
    e0 = np.eye(k)[0]
    return [(np.zeros(k), e0), (-np.arange(k, dtype=float), np.ones(k)),
            (np.r_[0.0, 0.0, -5.0 * np.ones(k - 2)], np.r_[1.0, -1.0, np.zeros(k - 2)])]


def _along(act, c, d, t):
    """Outputs a(t) (all units, shape (units, T)), the derivative d a^0/dt along the line,
    and the norm of the whole Jacobian d a / d z at every t."""
    z = c[:, None] + d[:, None] * t[None, :]
    a = act.fn(z)
    rows = []
    for j in range(a.shape[0]):
        e = np.zeros_like(a)
        e[j] = 1.0
        rows.append(act.backward(z, a, e))                  # row j of the Jacobian, per t
    da0_dt = (rows[0] * d[:, None]).sum(axis=0)
    jac_norm = np.sqrt(sum((r * r).sum(axis=0) for r in rows))
    return a, da0_dt, jac_norm


WIDE = np.unique(np.concatenate([np.linspace(-1e4, 1e4, 2001), np.linspace(-60, 60, 12001)]))
FINE = np.unique(np.concatenate([np.linspace(-10, 10, 20001), np.linspace(-1, 1, 20001)]))


def _measured(act):
    """The table's entries, measured from ``fn`` and ``backward``."""
    outs, continuous, nonzero = [], True, False
    for c, d in _sections(act):
        a, _, _ = _along(act, c, d, WIDE)
        outs.append(a.ravel())
        _, slope, _ = _along(act, c, d, FINE)
        # Steps of 1e-3 (at most 1e-4 near 0): a continuous derivative with |a''| <= 1
        # changes by at most 1e-3 per step; a jump changes by at least 0.5 at one step.
        continuous &= bool(np.max(np.abs(np.diff(slope))) < 1e-2)
        nonzero |= bool(np.any(slope != 0))
    outs = np.concatenate(outs)
    c, d = _sections(act)[0]
    _, _, jac = _along(act, c, d, np.array([-50.0, 50.0]))
    return {
        "smooth": continuous and nonzero,
        "zero_centred": bool(np.any(outs < 0) and np.any(outs > 0)),
        "saturates": (bool(jac[0] < 1e-6), bool(jac[1] < 1e-6)),
        "min": float(outs.min()),
        "max": float(outs.max()),
    }


@pytest.mark.parametrize("act", ALL, ids=_ids(ALL))
def test_property_flags_match_the_function(act):
    got = _measured(act)
    assert act.smooth == got["smooth"], "smooth"
    assert act.zero_centred == got["zero_centred"], "zero_centred"
    assert tuple(act.saturates) == got["saturates"], "saturates"
    lo, hi = act.range
    assert lo < hi
    assert lo <= got["min"] and got["max"] <= hi, "outputs outside the range"
    # ... and they approach both ends of it.
    if np.isfinite(lo):
        assert got["min"] - lo < 1e-6
    else:
        assert got["min"] < -50
    if np.isfinite(hi):
        assert hi - got["max"] < 1e-6
    else:
        assert got["max"] > 50


def test_the_property_table_says_what_the_book_says():
    """The statements chapter 5 makes from the table (computed, not typed)."""
    assert Sigmoid().smooth and not Sigmoid().zero_centred and Sigmoid().saturates == (True, True)
    assert Tanh().smooth and Tanh().zero_centred and Tanh().saturates == (True, True)
    assert not ReLU().smooth                     # the notes call ReLU smooth; it is not
    assert ReLU().saturates == (True, False)
    assert ELU().smooth and not ELU(0.5).smooth and ELU(0.5).range == (-0.5, np.inf)
    assert not Step().smooth and not Maxout(2).smooth


# ------------------------------------------------------- logsumexp, log_softmax

@given(arrays(np.float64, shapes_2d, elements=st.floats(-50, 50)))
def test_logsumexp_and_log_softmax_match_the_naive_formulas_where_they_work(z):
    lse = nn.activations.logsumexp(z)
    assert lse.shape == (z.shape[1],)
    assert np.allclose(lse, np.log(np.exp(z).sum(axis=0)), rtol=1e-13, atol=1e-13)
    assert np.allclose(nn.activations.log_softmax(z), np.log(nn.softmax(z)), rtol=1e-12, atol=1e-12)


@given(arrays(np.float64, shapes_2d, elements=finite), st.floats(-1e3, 1e3))
def test_logsumexp_is_a_smooth_maximum_and_moves_with_a_shift(z, c):
    lse = nn.activations.logsumexp(z)
    top = z.max(axis=0)
    assert np.all(top <= lse) and np.all(lse <= top + np.log(z.shape[0]) * (1 + 1e-12) + 1e-9)
    assert np.allclose(nn.activations.logsumexp(z + c), lse + c, rtol=1e-12, atol=1e-9)
    assert np.allclose(np.exp(nn.activations.log_softmax(z)).sum(axis=0), 1.0, rtol=0, atol=1e-12)


def test_logsumexp_and_log_softmax_at_extreme_inputs():
    """Where the naive formulas overflow (inf / inf) or underflow (log 0), these stay exact."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nn.activations.logsumexp(np.array([1000.0, 1000.0])) == 1000.0 + np.log(2.0)
        assert nn.activations.logsumexp(np.array([-1000.0, -1000.0])) == -1000.0 + np.log(2.0)
        ls = nn.activations.log_softmax(np.array([0.0, -800.0]))
        assert ls[0] == 0.0 and ls[1] == -800.0             # e^-800 underflows: log(1 + it) = 0
        z = np.array([[1000.0, -3.0], [998.0, 5.0]])        # two columns
        assert np.allclose(nn.activations.log_softmax(z),
                           nn.activations.log_softmax(z - z.max(axis=0)), rtol=0, atol=1e-12)


def test_logsumexp_gradient_is_softmax(rng):
    z = rng.standard_normal(5)
    numeric = central_difference(nn.activations.logsumexp, z)
    assert rel_error(numeric, nn.softmax(z)) < TOL


@pytest.mark.parametrize("z", [np.array([]), np.array(1.0), np.array([0.0, np.inf]), np.array([np.nan])])
def test_logsumexp_rejects_empty_and_non_finite_input(z):
    with pytest.raises(ValueError, match="z must"):
        nn.activations.logsumexp(z)
    with pytest.raises(ValueError, match="z must"):
        nn.activations.log_softmax(z)
