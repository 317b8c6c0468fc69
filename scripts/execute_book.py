"""Execute the book's notebooks into Jupyter Book's execution cache, several at a time.

Jupyter Book 1 (MyST-NB, ``execute_notebooks: cache``) executes each notebook that its
cache lacks one after another, while it reads the sources. This script fills the same
cache first, with the same call and the same cache record as MyST-NB's own
(``myst_nb/core/execute/cache.py``): each notebook runs in its own folder, with the
``timeout`` of ``_config.yml`` and errors not allowed. The build that follows finds every
notebook in the cache and only renders them. Each kernel does its matrices on one BLAS
thread (the Makefile's ``OPENBLAS_NUM_THREADS``), so two kernels on two cores take about
half the time of one after the other.

A notebook whose execution fails is not cached: the build then executes it again and
reports the error exactly as it would have without this script. A notebook already in
the cache (same code cells) is skipped, so a warm build pays nothing here.

    .venv/bin/python scripts/execute_book.py _build/.jupyter_cache [--jobs 2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import sys
import time
from contextlib import suppress
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.cache.main import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from nnbuild import toc_pages

ROOT = Path(__file__).resolve().parents[1]


def toc_notebooks(src: Path) -> list[Path]:
    """The notebooks that ``_toc.yml`` lists, in its order."""
    paths = [(src / f).with_suffix(".ipynb") for f, _part in toc_pages(src)]
    return [p.resolve() for p in paths if p.is_file()]


def config_timeout(src: Path) -> int:
    """``execute: timeout:`` of ``_config.yml`` (seconds per cell)."""
    m = re.search(r"^\s+timeout:\s*(\d+)", (src / "_config.yml").read_text(encoding="utf-8"), flags=re.M)
    return int(m.group(1)) if m else 30


def _execute(job):
    path, timeout = job
    nb = nbformat.read(path, as_version=4)
    result = single_nb_execution(nb, cwd=str(path.parent), timeout=timeout, allow_errors=False,
                                 meta_override=True)
    return path, nb, result.time, result.err is None


def execute(src: Path, cache_dir: Path, jobs: int = 2, log=print) -> list[Path]:
    """Execute every notebook of ``src``'s toc that ``cache_dir`` lacks; return those
    that failed (left for the build to run and report)."""
    cache = get_cache(str(cache_dir))
    todo = []
    for path in toc_notebooks(src):
        with suppress(KeyError):
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
            continue
        todo.append(path)
    if not todo:
        return []
    timeout = config_timeout(src)
    log(f"executing {len(todo)} notebook(s), {jobs} at a time")
    start, failed = time.perf_counter(), []
    # Kernels are separate processes anyway; the pool only waits on them. The cache's
    # database is written from this process alone.
    with multiprocessing.get_context("spawn").Pool(max(1, min(jobs, len(todo)))) as pool:
        for path, nb, seconds, ok in pool.imap_unordered(_execute, [(p, timeout) for p in todo]):
            name = path.relative_to(src.resolve()) if path.is_relative_to(src.resolve()) else path
            if not ok:
                failed.append(path)
                log(f"  {name}: failed (the build will run it again and report the error)")
                continue
            cache.add_nb_to_project(str(path))
            cache.cache_notebook_bundle(CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            log(f"  {name}: {seconds:.1f} s")
    log(f"executed in {time.perf_counter() - start:.1f} s")
    return failed


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("cache", type=Path, help="the build's execution cache (<build>/.jupyter_cache)")
    p.add_argument("--src", type=Path, default=ROOT, help="the book's sources (default: this checkout)")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="notebooks at a time (default: 2, or 1 on a one-core machine)")
    args = p.parse_args(argv)
    execute(args.src, args.cache, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
