r"""Small seeded data sets, all in the book's layout: inputs ``x`` of shape
``(n_features, n)`` (one example per column) and integer class labels ``y`` of
shape ``(n,)``, or regression targets ``y`` of shape ``(1, n)``.

The same ``seed`` always gives the same data.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._checks import as_float_array, check_seed, lookup, positive_number

__all__ = ["xor", "blobs", "moons", "circles", "spirals", "regression_1d", "FUNCTIONS_1D",
           "train_test_split", "load_digits"]


def _rng(seed):
    return np.random.default_rng(check_seed(seed))


def _n(n, name="n", minimum=1):
    positive_number(n, name, integer=True)
    if n < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {n!r}")
    return int(n)


def xor(n_per_corner=1, noise=0.0, seed=0):
    """The XOR problem: label 1 where exactly one of the two inputs is 1.

    Returns ``x`` of shape (2, 4 n_per_corner) and ``y`` of shape (4 n_per_corner,),
    each corner's copies side by side. With ``n_per_corner=1`` and no noise: the four
    corners of the unit square, ``x`` of shape (2, 4) and ``y = [0, 1, 1, 0]``.
    """
    n = _n(n_per_corner, "n_per_corner")
    positive_number(noise, "noise", allow_zero=True)
    check_seed(seed)                   # checked even when no noise is drawn with it
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64).T
    labels = np.array([0, 1, 1, 0])
    x = np.repeat(corners, n, axis=1)
    y = np.repeat(labels, n)
    if noise:
        x = x + noise * _rng(seed).standard_normal(x.shape)
    return x, y


def blobs(n=200, centers=2, spread=0.6, seed=0):
    """Gaussian clusters in the plane, ``centers`` of them evenly spaced on a circle of radius 2.

    Returns ``x`` of shape (2, n) and labels ``y`` of shape (n,) in ``0..centers-1``
    (example ``i`` belongs to cluster ``i % centers``, so the classes are balanced).
    """
    n = _n(n, minimum=1)
    k = _n(centers, "centers", minimum=2)
    positive_number(spread, "spread")
    rng = _rng(seed)
    y = np.arange(n) % k
    angles = 2 * np.pi * np.arange(k) / k
    means = 2.0 * np.stack([np.cos(angles), np.sin(angles)])
    x = means[:, y] + spread * rng.standard_normal((2, n))
    return x, y


def moons(n=200, noise=0.1, seed=0):
    """Two interleaved half circles: ``x`` of shape (2, n), labels ``y`` of shape (n,) in {0, 1}."""
    n = _n(n, minimum=2)
    positive_number(noise, "noise", allow_zero=True)
    rng = _rng(seed)
    y = np.arange(n) % 2
    t = np.pi * rng.random(n)
    x = np.where(y == 0, np.stack([np.cos(t), np.sin(t)]),
                 np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)]))
    return x + noise * rng.standard_normal((2, n)), y


def circles(n=200, noise=0.05, factor=0.5, seed=0):
    """A small circle (label 1) inside a larger one (label 0); ``factor`` is the radii's ratio.

    Returns ``x`` of shape (2, n) and labels ``y`` of shape (n,).
    """
    n = _n(n, minimum=2)
    positive_number(noise, "noise", allow_zero=True)
    positive_number(factor, "factor")
    if factor >= 1:
        raise ValueError(f"factor must be in (0, 1), got {factor!r}")
    rng = _rng(seed)
    y = np.arange(n) % 2
    t = 2 * np.pi * rng.random(n)
    r = np.where(y == 1, factor, 1.0)
    x = r * np.stack([np.cos(t), np.sin(t)])
    return x + noise * rng.standard_normal((2, n)), y


def spirals(n=300, classes=2, noise=0.2, turns=1.0, seed=0):
    """``classes`` interleaved spiral arms, a classic test that a linear model fails.

    Returns ``x`` of shape (2, n) and labels ``y`` of shape (n,) in ``0..classes-1``.
    """
    n = _n(n, minimum=2)
    k = _n(classes, "classes", minimum=2)
    positive_number(noise, "noise", allow_zero=True)
    positive_number(turns, "turns")
    rng = _rng(seed)
    y = np.arange(n) % k
    r = rng.random(n)
    theta = 2 * np.pi * (turns * r + y / k) + noise * rng.standard_normal(n)
    x = np.stack([r * np.cos(theta), r * np.sin(theta)])
    return x, y


FUNCTIONS_1D = {
    "sine": lambda t: np.sin(np.pi * t),
    "step": lambda t: (t > 0).astype(np.float64),
    "abs": np.abs,
    "bump": lambda t: np.exp(-8.0 * t * t),
    "cubic": lambda t: t ** 3 - 0.5 * t,
}
"""The 1-D target functions of :func:`regression_1d`, on the interval [-1, 1]."""


def regression_1d(function="sine", n=100, noise=0.0, seed=0):
    """Samples ``(x, y)`` of a function on [-1, 1]: ``x`` sorted, shape (1, n); targets ``y`` of shape (1, n).

    ``function`` is a name from :data:`FUNCTIONS_1D` or a callable.
    """
    f = function if callable(function) else lookup(FUNCTIONS_1D, function, "function")
    n = _n(n, minimum=2)
    positive_number(noise, "noise", allow_zero=True)
    rng = _rng(seed)
    t = np.sort(rng.uniform(-1.0, 1.0, n))
    f_t = as_float_array(f(t), "function(t)", allow_empty=True)
    if f_t.shape != t.shape:
        raise ValueError(
            f"function must map the {n} sample points t (shape {t.shape}) to one value each, "
            f"got an output of shape {f_t.shape}"
        )
    y = f_t + noise * rng.standard_normal(n)
    return t.reshape(1, n), y.reshape(1, n)


def train_test_split(x, y, test_fraction=0.25, seed=0):
    """Shuffle the examples (columns) and split them: ``x_train, y_train, x_test, y_test``.

    ``x`` has shape (n_features, n); ``y`` has shape (n,) (labels) or (k, n) (targets).
    The test set gets ``round(test_fraction * n)`` examples (at least one): ``x_test`` of
    shape (n_features, n_test) and ``y_test`` of shape (n_test,) or (k, n_test); the
    training set the rest.
    """
    x = as_float_array(x, "x", ndim=2)
    y = np.asarray(y)
    n = x.shape[1]
    if y.ndim == 0 or y.shape[-1] != n:
        n_y = y.shape[-1] if y.ndim else 1
        hint = ""
        if x.shape[0] == n_y:
            hint = (f"; if x holds one example per row, pass x.T (shape {x.shape[::-1]}): "
                    f"examples are columns")
        raise ValueError(f"y has {n_y} examples but x has {n} (columns){hint}")
    if not (isinstance(test_fraction, numbers.Real) and 0 < test_fraction < 1):
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    perm = _rng(seed).permutation(n)
    n_test = max(1, int(round(test_fraction * n)))
    test, train = perm[:n_test], perm[n_test:]
    return x[:, train], y[..., train], x[:, test], y[..., test]


def load_digits(test_fraction=0.25, seed=0):
    """The 8x8 handwritten digits that scikit-learn ships (1797 images, 10 classes).

    Returns ``x_train, y_train, x_test, y_test``: ``x`` of shape (64, n), one image
    per column (its 8x8 pixels row by row, scaled to [0, 1]), and labels ``y`` of shape
    (n,) in 0..9; with the default ``test_fraction=0.25``, 1348 training and 449 test
    images. Needs scikit-learn (the data is read from its installed files; nothing is
    downloaded).
    """
    try:
        from sklearn.datasets import load_digits as _sk_load_digits
    except ImportError:  # pragma: no cover - exercised only without scikit-learn
        raise ImportError(
            "load_digits needs scikit-learn, which ships the 8x8 digits: pip install scikit-learn"
        ) from None
    data = _sk_load_digits()
    x = data.data.T / 16.0
    return train_test_split(x, data.target.astype(np.int64), test_fraction, seed)
