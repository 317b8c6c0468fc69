"""Argument checks shared by every module.

Bad input to nnlib gets a clear error that names the argument and says what was
expected, instead of a silent ``nan`` or a broadcasting error from deep inside numpy.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(value, name, *, ndim=None, allow_empty=False, dtype=np.float64):
    """Return ``value`` as a float array (float64 unless ``dtype`` says otherwise), or raise
    a clear error.

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
    dtype : numpy dtype
        float64 or float32: the array is cast to it (no copy if it already is one).
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
    if _is_complex(value):
        raise TypeError(
            f"{name} must hold real numbers, got complex values (pass {name}.real if the "
            "imaginary parts are zero)"
        )
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {_describe(value)}") from None
    if ndim is not None:
        accepted = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in accepted:
            wanted = " or ".join(f"{d}-D" for d in accepted)
            raise ValueError(f"{name} must be {wanted}, got an array of shape {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got an array of shape {arr.shape}")
    # A finite sum proves every element finite (one pass, no boolean temporary); an
    # infinite one may be an overflow of finite values, so then look element by element.
    with np.errstate(over="ignore", invalid="ignore"):
        total = arr.sum()
    if not np.isfinite(total) and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers (no nan or inf)")
    return arr


def _is_complex(value):
    try:
        return np.iscomplexobj(value)
    except (TypeError, ValueError):     # ragged lists: as_float_array reports them
        return False


def _describe(value):
    """``list``, or ``an array of strings``: what the caller passed, for a message."""
    if isinstance(value, np.ndarray):
        return f"an array of {_dtype_words(value.dtype)}"
    return type(value).__name__


def _dtype_words(dtype):
    return {"U": "strings", "S": "bytes", "O": "Python objects"}.get(dtype.kind, str(dtype))


def check_seed(seed, name="seed"):
    """Check that ``seed`` is an integer (the one seed rule of every module)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {seed!r}")
    return int(seed)


def class_labels(labels, n_classes, name="y"):
    """Check that ``labels`` is a 1-D array of class indices in ``0..n_classes-1``.

    The one home of the label rule: :func:`nnlib.costs.one_hot`, the networks and
    :func:`nnlib.plots.confusion_counts` use it. ``n_classes=None`` sets no upper bound
    (the number of classes is then read from the labels). Returns the labels as int64.
    """
    span = "0, 1, 2, ..." if n_classes is None else f"0..{n_classes - 1}"
    if _is_complex(labels):
        raise TypeError(f"{name} must hold real numbers (class labels), got complex values")
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one class label per example), got shape {labels.shape}")
    if labels.size and labels.dtype.kind in "USO":
        raise TypeError(
            f"{name} holds {_dtype_words(labels.dtype)}, but class labels must be integers "
            f"{span}; map them first, e.g. "
            f"classes, {name} = np.unique({name}, return_inverse=True)"
        )
    if labels.size and labels.dtype.kind not in "iufb":
        raise TypeError(f"{name} labels must be whole numbers (class indices), got dtype {labels.dtype}")
    if labels.dtype.kind == "f":
        whole = np.isfinite(labels) & (labels == np.round(labels))
        if not np.all(whole):
            raise ValueError(
                f"{name} labels must be whole numbers (class indices {span}), "
                f"got {float(labels[~whole][0])!r}"
            )
    if labels.size and (labels.min() < 0 or (n_classes is not None and labels.max() >= n_classes)):
        classes = "" if n_classes is None else f" ({n_classes} classes)"
        raise ValueError(
            f"{name} labels must be in {span}{classes}, "
            f"got values from {labels.min()} to {labels.max()}"
        )
    return labels.astype(np.int64)


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
