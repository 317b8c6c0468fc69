"""Argument checks shared by every module.

Bad input to nnlib gets a clear error that names the argument and says what was
expected, instead of a silent ``nan`` or a broadcasting error from deep inside numpy.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(value, name, *, ndim=None, allow_empty=False):
    """Return ``value`` as a float64 array, or raise a clear error.

    Parameters
    ----------
    value : array_like
        What the caller passed.
    name : str
        The argument's name, used in the error message.
    ndim : int or tuple of int, optional
        The accepted numbers of dimensions.
    allow_empty : bool
        Whether an array with no elements is acceptable.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}") from None
    if ndim is not None:
        accepted = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in accepted:
            wanted = " or ".join(f"{d}-D" for d in accepted)
            raise ValueError(f"{name} must be {wanted}, got an array of shape {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got an array of shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers (no nan or inf)")
    return arr


def positive_number(value, name, *, integer=False, allow_zero=False):
    """Check that ``value`` is a (strictly) positive real or integer number."""
    kind = "integer" if integer else "number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive {kind}, got {value!r}")
    if integer and not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be a {bound} {kind}, got {value!r}")
    return value


def probability(value, name, *, allow_one=False):
    """Check that ``value`` lies in [0, 1) (or [0, 1] when ``allow_one``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in [0, 1), got {value!r}")
    upper_ok = value <= 1 if allow_one else value < 1
    if not (0 <= value and upper_ok):
        interval = "[0, 1]" if allow_one else "[0, 1)"
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return float(value)


def lookup(table, key, name):
    """Look ``key`` up in ``table`` with an error that lists the known names."""
    if not isinstance(key, str):
        raise TypeError(f"{name} must be a name (str) or an object, got {type(key).__name__}")
    try:
        return table[key]
    except KeyError:
        known = ", ".join(sorted(table))
        raise ValueError(f"unknown {name} {key!r}; expected one of: {known}") from None
