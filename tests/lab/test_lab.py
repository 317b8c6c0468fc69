"""The chapters in JupyterLab, as ``make lab`` shows them: every chapter of ``_toc.yml``
runs without an error, its MyST markup is rendered (no raw roles or directives), and its
interactive figures answer the keyboard. See ``conftest.py`` for how the server and the
browser are started, and ``lab_support.py`` for what is measured.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

slow = pytest.mark.slow


def test_jupyterlab_myst_is_enabled():
    """jupyterlab-myst is installed, enabled and compatible with this JupyterLab (a
    JupyterLab too new for it lists it as "not compatible" and the markup shows raw)."""
    out = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"],
                         capture_output=True, text=True, timeout=120)
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout + out.stderr)
    lines = [ln for ln in text.splitlines() if "jupyterlab-myst" in ln]
    assert lines, f"jupyterlab-myst is not installed (pip install -r requirements.txt):\n{text}"
    assert "enabled" in lines[0] and "OK" in lines[0] and "not compatible" not in text, text


@slow
def test_chapter_runs(lab_visit):
    """Run > Run All Cells finishes, every code cell ran, and no cell has an error output."""
    v = lab_visit
    assert not v.run_problems, v.run_problems
    assert not v.errors, "error outputs:\n" + "\n".join(v.errors)
    assert not v.unexecuted, "code cells that did not run:\n" + "\n".join(v.unexecuted)
    assert not v.page_errors, v.page_errors


@slow
def test_myst_is_rendered(lab_visit):
    """Every markdown cell is rendered, and no MyST role, directive or equation label is
    left raw in what the reader sees."""
    v = lab_visit
    assert not v.run_problems, v.run_problems
    assert v.markdown_cells > 0
    assert not v.unrendered, f"markdown cells shown as source: {v.unrendered}"
    assert not v.raw_myst, "raw MyST in the rendered text:\n" + "\n".join(
        f"  cell {cell} ({kind}): ...{text}..." for kind, cell, text in v.raw_myst)


@slow
def test_interactive_figures_answer_the_keyboard(lab_visit):
    """Each live figure is a widget (not its plain-text fallback); each of its sliders is
    wide enough to use, and moving each control from the keyboard draws a new frame."""
    v = lab_visit
    assert not v.run_problems, v.run_problems
    assert not v.fallbacks, f"figures not shown live: {v.fallbacks}"
    if v.interactive_cells:
        assert v.figures, f"{v.interactive_cells} cell(s) call interactive(), but no live figure was found"
    problems = []
    for f, fig in enumerate(v.figures, 1):
        if not fig["moves"]:
            problems.append(f"figure {f}: no slider or drop-down")
        for m in fig["moves"]:
            if m["control"].startswith("slider") and m["width"] < 150:
                problems.append(f"figure {f}: {m['control']} is {m['width']} px wide")
            if not m["focused"]:
                problems.append(f"figure {f}: {m['control']} cannot take the keyboard focus")
            elif not m["changed"]:
                problems.append(f"figure {f}: {m['control']} moved by {m['key']}, the image did not change")
    assert not problems, "\n".join(problems)


@slow
def test_no_request_leaves_the_machine(lab_visit):
    """JupyterLab and its extensions load everything from the local server."""
    assert not lab_visit.foreign, lab_visit.foreign[:10]
