"""Shared set-up of nnlib's unit tests.

- matplotlib draws off screen (Agg), and every test starts and ends with no open figure;
- Hypothesis runs a modest, reproducible number of examples (the whole unit suite
  must stay well under two minutes on two cores) and writes nothing into the checkout;
- small helpers and factories used by several test files.
"""

from __future__ import annotations

import os
import tempfile

# Hypothesis caches what it learns in a ``.hypothesis`` folder of the working directory;
# keep the checkout clean by caching in the system's temporary directory instead.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "nnlib-hypothesis"))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

import nnlib as nn  # noqa: E402

settings.register_profile(
    "nnlib",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("nnlib")


@pytest.fixture(autouse=True)
def _close_figures():
    """No figure leaks from one test into the next."""
    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture
def rng():
    """A seeded generator: every test that draws random numbers draws the same ones."""
    return np.random.default_rng(12345)


# Finite differences written again here, independently of nnlib.gradcheck: the tests of
# gradcheck and of backprop must not trust the code they test (a bug in gradcheck could
# otherwise agree with, and hide, a bug in backprop).
def central_difference(f, z, h=1e-5):
    """The central-difference gradient of the scalar function ``f`` at the array ``z``."""
    z = np.array(z, dtype=np.float64)
    grad = np.zeros_like(z)
    flat, gflat = z.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        fp = f(z)
        flat[i] = old - h
        fm = f(z)
        flat[i] = old
        gflat[i] = (fp - fm) / (2 * h)
    return grad


def rel_error(g1, g2):
    """The scale-free relative error of two gradients (0 when both are zero)."""
    g1, g2 = np.asarray(g1, dtype=np.float64), np.asarray(g2, dtype=np.float64)
    assert g1.shape == g2.shape
    denom = np.linalg.norm(g1) + np.linalg.norm(g2)
    return 0.0 if denom == 0 else float(np.linalg.norm(g1 - g2) / denom)


def xor_net(seed=0, hidden="tanh", **kw):
    """The 2-3-1 network that learns XOR: a sigmoid output and the cross-entropy cost."""
    return nn.Network([2, 3, 1], hidden=hidden, output="sigmoid", cost="cross_entropy", seed=seed, **kw)


def classifier(sizes=(2, 3, 2), hidden="tanh", seed=0, **kw):
    """A softmax classifier with the log-likelihood cost (default: the 2-3-2 tanh one)."""
    return nn.Network(list(sizes), hidden=hidden, output="softmax", cost="log_likelihood", seed=seed, **kw)
