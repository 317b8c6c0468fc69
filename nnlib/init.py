r"""Weight initialisation schemes.

Each scheme is a function ``(n_out, n_in, rng) -> (w, b)`` returning a weight matrix
$w^l$ of shape ``(n_out, n_in)`` and a bias column $b^l$ of shape ``(n_out, 1)``.
Biases start at zero except in ``standard_normal`` (the scheme of Nielsen's first
network, kept to show why it trains badly in deep or wide nets).

The scaled schemes keep the variance of $z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j$
near 1 (forward) or near the variance of $\delta$ (backward) from layer to layer.

Chapter: 13 (training in practice).
"""

from __future__ import annotations

import numpy as np

from ._checks import lookup

__all__ = [
    "zeros",
    "standard_normal",
    "normal_scaled",
    "xavier_normal",
    "xavier_uniform",
    "he_normal",
    "INITIALISERS",
    "get_init",
]


def zeros(n_out, n_in, rng):
    """All weights and biases 0: every neuron of a layer stays identical (symmetry is never broken)."""
    return np.zeros((n_out, n_in)), np.zeros((n_out, 1))


def standard_normal(n_out, n_in, rng):
    r"""$w_{jk}, b_j \sim \mathcal N(0, 1)$: $\mathrm{Var}(z_j) = n_{in} + 1$, so wide layers saturate."""
    return rng.standard_normal((n_out, n_in)), rng.standard_normal((n_out, 1))


def normal_scaled(n_out, n_in, rng):
    r"""$w_{jk} \sim \mathcal N(0, 1/n_{in})$ (LeCun et al. 1998): $\mathrm{Var}(z_j) \approx 1$ for unit-variance inputs."""
    return rng.standard_normal((n_out, n_in)) / np.sqrt(n_in), np.zeros((n_out, 1))


def xavier_normal(n_out, n_in, rng):
    r"""Glorot and Bengio (2010): $w_{jk} \sim \mathcal N(0, 2/(n_{in} + n_{out}))$."""
    std = np.sqrt(2.0 / (n_in + n_out))
    return std * rng.standard_normal((n_out, n_in)), np.zeros((n_out, 1))


def xavier_uniform(n_out, n_in, rng):
    r"""Glorot and Bengio (2010): $w_{jk} \sim U(-r, r)$ with $r = \sqrt{6/(n_{in} + n_{out})}$ (same variance as ``xavier_normal``)."""
    r = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-r, r, size=(n_out, n_in)), np.zeros((n_out, 1))


def he_normal(n_out, n_in, rng):
    r"""He et al. (2015): $w_{jk} \sim \mathcal N(0, 2/n_{in})$, making up for ReLU zeroing half its inputs."""
    return np.sqrt(2.0 / n_in) * rng.standard_normal((n_out, n_in)), np.zeros((n_out, 1))


INITIALISERS = {
    f.__name__: f
    for f in (zeros, standard_normal, normal_scaled, xavier_normal, xavier_uniform, he_normal)
}
"""Every initialisation scheme by name."""


def get_init(init):
    """Return an initialisation function from its name, or pass a callable through."""
    if callable(init):
        return init
    return lookup(INITIALISERS, init, "init")
