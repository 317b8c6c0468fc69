"""The notebooks themselves: stored clean (no outputs, no execution counts, python3
kernel), and every chapter follows the chapter template's structure."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"


def _notebooks():
    return sorted(p for p in BOOK.rglob("*.ipynb")
                  if not {".ipynb_checkpoints", "_build"} & set(p.relative_to(BOOK).parts))


NOTEBOOKS = _notebooks()
CHAPTERS = [p for p in NOTEBOOKS if p.parent == BOOK and re.fullmatch(r"\d\d_\w+\.ipynb", p.name)]


def _ids(paths):
    return [str(p.relative_to(BOOK)) for p in paths]


def _read(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    return nb


def test_the_book_has_chapters():
    assert CHAPTERS, f"no chapter notebooks (NN_name.ipynb) found in {BOOK}"
    assert set(CHAPTERS) <= set(NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_stored_without_outputs(path):
    nb = _read(path)
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs or execution counts; strip them"
    assert "widgets" not in nb.metadata, f"{path.name}: saved widget state in the metadata; strip it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_kernel_is_python3(path):
    spec = _read(path).metadata.get("kernelspec", {})
    assert spec.get("name") == "python3", f"{path.name}: kernelspec {spec!r}"
    assert spec.get("language", "python") == "python"


def _sources(nb, kind):
    return [c.source for c in nb.cells if c.cell_type == kind]


def template_problems(nb):
    """What a chapter notebook misses of the chapter template's structure (empty: nothing)."""
    problems = []
    if not nb.cells:
        return ["the notebook is empty"]
    first = nb.cells[0]
    if not (first.cell_type == "markdown" and re.match(r"#\s+\S", first.source.lstrip())):
        problems.append("the first cell must start with a level-1 title ('# Title')")
    code = "\n".join(_sources(nb, "code"))
    markdown = "\n".join(_sources(nb, "markdown"))
    if not re.search(r"^\s*assert\b", code, re.M):
        problems.append("no assert in a code cell")
    if not re.search(r"\binteractive\(", code):
        problems.append("no interactive( figure in a code cell")
    for directive in ("{exercise}", "{solution-start}", "{cite}"):
        if directive not in markdown:
            problems.append(f"no {directive} in a markdown cell")
    return problems


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_chapter_template(path):
    assert template_problems(_read(path)) == [], path.name


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c[1:]) if c.startswith("!") else nbformat.v4.new_markdown_cell(c)
                for c in cells]
    return nb


def test_the_template_check_itself():
    """A placeholder fails the check; a minimal chapter with every part passes."""
    placeholder = _nb("# Feed-forward\n\n(placeholder: being written)")
    assert len(template_problems(placeholder)) == 5          # all but the title
    good = _nb("# Title\n\nGoals.", "!import nnlib as nn\nassert 1 + 1 == 2",
               "!interactive(plot, alt='x', w=(0, 1, 1))",
               "```{exercise} A question\n:label: ex-x-1\n\nWhy?\n```",
               "```{solution-start} ex-x-1\n:class: dropdown\n```", "```{solution-end}\n```",
               "See {cite}`nielsen2015`.")
    assert template_problems(good) == []
    assert [k for k, _, _ in _directives(good)] == ["exercise", "solution-start", "solution-end"]
    no_title = _nb("Title without a hash", *[c.source if c.cell_type == "markdown" else "!" + c.source
                                             for c in good.cells[1:]])
    assert template_problems(no_title) == ["the first cell must start with a level-1 title ('# Title')"]


def _directives(nb):
    """(kind, label, options) of every exercise and solution directive in markdown cells."""
    found = []
    for src in _sources(nb, "markdown"):
        for m in re.finditer(r"```+\{(exercise|solution-start|solution-end)\}([^\n]*)\n(.*?)```", src, re.S):
            kind, arg, body = m.group(1), m.group(2).strip(), m.group(3)
            label = re.search(r"^:label:\s*(\S+)", body, re.M)
            found.append((kind, label.group(1) if kind == "exercise" and label else arg, body))
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_exercises_have_hidden_solutions(path):
    found = _directives(_read(path))
    exercises = [label for kind, label, _ in found if kind == "exercise"]
    starts = [(label, body) for kind, label, body in found if kind == "solution-start"]
    ends = [kind for kind, _, _ in found if kind == "solution-end"]
    assert exercises, f"{path.name}: no {{exercise}}"
    assert all(exercises), f"{path.name}: every {{exercise}} needs a :label:"
    assert starts, f"{path.name}: no {{solution-start}} dropdown"
    for label, body in starts:
        assert label in exercises, f"{path.name}: solution for unknown exercise {label!r}"
        assert re.search(r"^:class:\s*dropdown\s*$", body, re.M), \
            f"{path.name}: the solution of {label} must be a dropdown (:class: dropdown)"
    assert len(ends) == len(starts), f"{path.name}: {len(starts)} solution-start, {len(ends)} solution-end"


def test_exercise_labels_are_unique_across_the_book():
    seen = {}
    for path in CHAPTERS:
        for kind, label, _ in _directives(_read(path)):
            if kind == "exercise":
                assert label not in seen, f"exercise label {label!r} in both {seen[label]} and {path.name}"
                seen[label] = path.name
