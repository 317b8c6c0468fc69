"""Data sets: layout, labels, seeded determinism, and the 8x8 digits."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import datasets as ds

GENERATORS = [
    ("blobs", lambda seed: ds.blobs(n=50, centers=3, seed=seed), 2, 3),
    ("moons", lambda seed: ds.moons(n=50, seed=seed), 2, 2),
    ("circles", lambda seed: ds.circles(n=50, seed=seed), 2, 2),
    ("spirals", lambda seed: ds.spirals(n=60, classes=3, seed=seed), 2, 3),
    ("noisy xor", lambda seed: ds.xor(n_per_corner=5, noise=0.1, seed=seed), 2, 2),
]


@pytest.mark.parametrize("name, make, features, classes", GENERATORS, ids=[g[0] for g in GENERATORS])
def test_classification_sets(name, make, features, classes):
    x, y = make(0)
    n = x.shape[1]
    assert x.shape == (features, n) and x.dtype == np.float64 and y.shape == (n,)
    assert np.issubdtype(y.dtype, np.integer)
    assert set(np.unique(y)) == set(range(classes))
    assert np.all(np.isfinite(x))
    x2, y2 = make(0)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)                  # same seed, same data
    x3, _ = make(1)
    assert not np.allclose(x, x3)                                           # another seed differs


def test_xor_corners():
    x, y = ds.xor()
    assert np.array_equal(x, [[0, 0, 1, 1], [0, 1, 0, 1]]) and np.array_equal(y, [0, 1, 1, 0])
    x, y = ds.xor(n_per_corner=3)
    assert x.shape == (2, 12) and np.array_equal(y, np.repeat([0, 1, 1, 0], 3))
    assert np.array_equal(y, np.logical_xor(x[0] > 0.5, x[1] > 0.5).astype(int))


def test_blobs_are_around_their_centres():
    x, y = ds.blobs(n=3000, centers=4, spread=0.3, seed=0)
    for c in range(4):
        angle = 2 * np.pi * c / 4
        centre = 2.0 * np.array([np.cos(angle), np.sin(angle)])
        assert np.allclose(x[:, y == c].mean(axis=1), centre, atol=0.05)
        assert np.std(x[:, y == c] - centre[:, None]) == pytest.approx(0.3, rel=0.1)
    assert np.array_equal(np.bincount(y), [750] * 4)                       # balanced


def test_circles_radii():
    x, y = ds.circles(n=400, noise=0.0, factor=0.3, seed=0)
    r = np.hypot(x[0], x[1])
    assert np.allclose(r[y == 0], 1.0) and np.allclose(r[y == 1], 0.3)


@pytest.mark.parametrize("function", sorted(ds.FUNCTIONS_1D))
def test_regression_1d(function):
    x, y = ds.regression_1d(function, n=50, seed=0)
    assert x.shape == (1, 50) and y.shape == (1, 50)
    assert np.all(np.diff(x[0]) >= 0) and x.min() >= -1 and x.max() <= 1
    assert np.allclose(y, ds.FUNCTIONS_1D[function](x), rtol=1e-15)        # no noise: exact samples
    xn, yn = ds.regression_1d(function, n=50, noise=0.1, seed=0)
    assert np.array_equal(xn, x) and not np.allclose(yn, y)
    assert np.std(yn - y) == pytest.approx(0.1, rel=0.4)


def test_regression_1d_with_a_callable():
    x, y = ds.regression_1d(lambda t: 2 * t + 1, n=10)
    assert np.allclose(y, 2 * x + 1, rtol=1e-15)


def test_train_test_split():
    x = np.arange(20, dtype=float).reshape(2, 10)
    y = np.arange(10)
    xtr, ytr, xte, yte = ds.train_test_split(x, y, test_fraction=0.3, seed=0)
    assert xtr.shape == (2, 7) and xte.shape == (2, 3) and ytr.shape == (7,) and yte.shape == (3,)
    assert sorted(np.concatenate([ytr, yte])) == list(range(10))              # a partition
    assert np.array_equal(xtr[0], ytr) and np.array_equal(xte[1], yte + 10)   # columns kept together
    again = ds.train_test_split(x, y, test_fraction=0.3, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(again, (xtr, ytr, xte, yte)))
    other = ds.train_test_split(x, y, test_fraction=0.3, seed=1)
    assert not np.array_equal(other[3], yte)
    # 2-D targets (1, n) split along their columns too.
    _, ytr2, _, yte2 = ds.train_test_split(x, y.reshape(1, 10).astype(float), 0.3, seed=0)
    assert ytr2.shape == (1, 7) and np.array_equal(ytr2[0], ytr)


def test_load_digits():
    xtr, ytr, xte, yte = ds.load_digits()
    assert xtr.shape[0] == 64 and xte.shape[0] == 64
    assert xtr.shape[1] + xte.shape[1] == 1797 and xte.shape[1] == round(0.25 * 1797)
    assert ytr.shape == (xtr.shape[1],) and yte.shape == (xte.shape[1],)
    for x in (xtr, xte):
        assert x.min() == 0.0 and x.max() == 1.0
    assert set(np.unique(ytr)) == set(range(10)) and set(np.unique(yte)) <= set(range(10))
    again = ds.load_digits()
    assert np.array_equal(again[0], xtr) and np.array_equal(again[3], yte)
    assert not np.array_equal(ds.load_digits(seed=1)[3], yte)
