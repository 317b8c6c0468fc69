"""Building the book from a script: what ``check_reproducible.py``, ``build_report.py`` and
``execute_book.py`` share (and the PDF and JupyterLab tests: :func:`toc_pages`).

A build here is exactly ``make book``'s commands (``scripts/execute_book.py``, which
executes the notebooks two at a time into the execution cache, then ``jupyter-book build
. -W -n --keep-going``, with numpy's RuntimeWarnings as errors in the kernels) run into
an output folder of our choosing, so the checkout's own ``_build`` is never touched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
# What a copy of the sources leaves out: outputs, caches, the environment, history.
IGNORE = shutil.ignore_patterns(".git", ".venv", "_build", "__pycache__", ".ipynb_checkpoints",
                                ".pytest_cache", ".hypothesis", "*.egg-info")


def toc_pages(src: Path = ROOT) -> list[tuple[str, str | None]]:
    """The pages of ``src``'s ``_toc.yml`` in reading order, as ``(file, caption)``: the file
    as the toc names it (``book/01_structure``), the caption of its part (None for the root
    page and for chapters outside parts)."""
    import yaml

    toc = yaml.safe_load((src / "_toc.yml").read_text(encoding="utf-8"))
    pages = [(toc["root"], None)] if toc.get("root") else []
    pages += [(c["file"], None) for c in toc.get("chapters", [])]
    for part in toc.get("parts", []):
        pages += [(c["file"], part.get("caption")) for c in part.get("chapters", [])]
    return pages


@dataclasses.dataclass
class Build:
    """One run of ``jupyter-book build``."""

    out: Path            # the --path-output folder: the book is in out/_build/html
    returncode: int
    seconds: float
    log: str

    @property
    def html(self):
        return self.out / "_build" / "html"

    @property
    def executed(self):
        """The notebooks this build executed (not taken from the cache): by
        ``execute_book.py`` ("  book/01_structure.ipynb: 5.2 s") or by the build itself."""
        return (re.findall(r"^  (\S+\.ipynb): [\d.]+ s$", self.log, flags=re.M)
                + re.findall(r"^(\S+): Executing notebook", self.log, flags=re.M))

    @property
    def warnings(self):
        plain = re.sub(r"\x1b\[[0-9;]*m", "", self.log)
        return [line for line in plain.splitlines()
                if ("WARNING" in line or "ERROR" in line) and "[IPKernelApp]" not in line]


def build(src: Path, out: Path, quiet=True) -> Build:
    """Build the book in ``src`` into ``out/_build`` and time it.

    ``src``'s own ``nnlib`` is imported (by the kernels and by autodoc), not the
    installed one, so a copy of the sources builds exactly what it contains.
    """
    if not JUPYTER_BOOK.exists():
        sys.exit(f"{JUPYTER_BOOK} not found: run this with the project's Python (.venv/bin/python)")
    out.mkdir(parents=True, exist_ok=True)
    path = os.pathsep.join(p for p in (str(src), os.environ.get("PYTHONPATH", "")) if p)
    env = dict(os.environ, PYTHONWARNINGS="error::RuntimeWarning", PYTHONPATH=path)
    execute = [sys.executable, str(ROOT / "scripts" / "execute_book.py"),
               str(out / "_build" / ".jupyter_cache"), "--src", str(src)]
    cmd = [str(JUPYTER_BOOK), "build", str(src), "--path-output", str(out), "-W", "-n", "--keep-going"]
    start = time.perf_counter()
    pre = subprocess.run(execute, cwd=src, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    proc = subprocess.run(cmd, cwd=src, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    seconds = time.perf_counter() - start
    log = pre.stdout + proc.stdout
    (out / "build.log").write_text(log)
    if not quiet:
        print(log)
    return Build(out, proc.returncode or pre.returncode, seconds, log)


def copy_source(dest: Path) -> Path:
    """A copy of the book's sources (no outputs, caches or .venv) to edit freely."""
    shutil.copytree(ROOT, dest, ignore=IGNORE, symlinks=True)
    return dest


@contextlib.contextmanager
def scratch_copy(prefix: str, keep: bool = False):
    """A temporary folder with a copy of the sources in its ``src/``: yields ``(folder, src)``.

    The folder is removed afterwards, unless ``keep`` (then its path is printed).
    """
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield tmp, copy_source(tmp / "src")
    finally:
        if keep:
            print(f"(kept: {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def report_failed(b: Build, what: str):
    """Say that a build failed (it still wrote what it could: --keep-going)."""
    print(f"warning: the {what} build exited with {b.returncode}; its problems:", file=sys.stderr)
    for line in b.warnings[:30] or b.log.splitlines()[-15:]:
        print("   ", line, file=sys.stderr)
    print(f"    (full log: {b.out / 'build.log'})", file=sys.stderr)
