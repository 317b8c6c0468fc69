r"""Timing a piece of code, the one way the chapters and the benchmarks do it.

A measured time is only worth something beside another measured the same way, on the
same machine: the chapters compare backpropagation with finite differences, the batch
with a loop over examples; the benchmarks compare nnlib with its references. Take the
**minimum** of several runs for "how fast can this go" (every slower run was slowed by
something else), and the **median** across interleaved rounds when two things are
compared while the machine may be busy.
"""

from __future__ import annotations

import time

import numpy as np

from ._checks import positive_number

__all__ = ["times"]


def times(fn, repeat=5, number=1, warmup=1):
    """Run ``fn()`` and return the seconds per call of each of ``repeat`` runs.

    Parameters
    ----------
    fn : callable
        Called with no arguments.
    repeat : int
        How many measurements to return.
    number : int
        Calls per measurement (the time is divided by it): raise it for calls that take
        microseconds, so the clock's resolution does not matter.
    warmup : int
        Untimed calls first (caches, lazy imports, memory pools).

    Returns
    -------
    numpy.ndarray, shape (repeat,)
        Seconds per call; take ``.min()`` or ``np.median(...)``.

    Examples
    --------
    >>> t = times(lambda: sum(range(1000)), repeat=3, number=10)
    >>> t.shape, bool(t.min() > 0)
    ((3,), True)
    """
    if not callable(fn):
        raise TypeError(f"fn must be a function of no arguments, got {type(fn).__name__}")
    positive_number(repeat, "repeat", integer=True)
    positive_number(number, "number", integer=True)
    positive_number(warmup, "warmup", integer=True, allow_zero=True)
    for _ in range(warmup):
        fn()
    out = np.empty(repeat)
    for r in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        out[r] = (time.perf_counter() - start) / number
    return out
