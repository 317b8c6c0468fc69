"""The PDF edition, read back: every title, no unresolved reference, every font embedded,
the Chinese terms in a CJK font, the outline, equation numbers as in the HTML book, and
a few pages rendered to PNG for a person to look at.

Run with ``make pdf-test`` (it builds the PDF first), or against any build:

    NNBOOK_PDF=_build/pdf/book.pdf .venv/bin/python -m pytest tests/pdf

Needs Debian's poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm), which ``make pdf``
installs with XeLaTeX. The LaTeX log is read from ``<build>/latex/book.log`` and, where
``NNBOOK_HTML`` names an HTML build, its equation numbers are compared with the PDF's.
The rendered pages go to ``<pdf folder>/pages/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from nnbuild import toc_pages  # noqa: E402
PDF = Path(os.environ.get("NNBOOK_PDF", ROOT / "_build" / "pdf" / "book.pdf"))
LOG = PDF.parent.parent / "latex" / "book.log"
HTML = os.environ.get("NNBOOK_HTML")


def _toc_files():
    """The book's pages in reading order, from _toc.yml: (file, part caption or None),
    without the root page (the first)."""
    return toc_pages(ROOT)[1:]


def _title(file):
    """A page's title: the first `# ` heading of its notebook or Markdown file."""
    path = ROOT / file
    if path.with_suffix(".ipynb").is_file():
        cells = json.loads(path.with_suffix(".ipynb").read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.with_suffix(".md").read_text(encoding="utf-8")
    heading = re.search(r"^# (.+)$", text, flags=re.M).group(1)
    return re.sub(r"[`*]", "", heading).strip()


CHAPTERS = [(f, p) for f, p in _toc_files() if re.match(r"book/\d\d_", f)]
BACK = [f for f, p in _toc_files() if p == "Back matter"]


def _run(*cmd):
    if shutil.which(cmd[0]) is None:
        pytest.fail(f"{cmd[0]} is missing: apt-get install poppler-utils", pytrace=False)
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def _flat(text):
    """Text with line breaks, hyphenation at line ends and runs of spaces undone."""
    text = re.sub(r"-\n(?=[a-z])", "-", text)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def pdf():
    if not PDF.is_file():
        pytest.fail(f"no PDF at {PDF}: run `make pdf` (or set NNBOOK_PDF)", pytrace=False)
    return PDF


@pytest.fixture(scope="module")
def pages(pdf):
    """The text of every page (pdftotext, one string per page)."""
    return _run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")[:-1]


@pytest.fixture(scope="module")
def text(pages):
    return _flat("\n".join(pages))


@pytest.fixture(scope="module")
def outline(pdf):
    """The PDF's bookmarks, in order: (depth, title, 0-based page)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    out = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, _flat(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


def _chapter_entries(outline):
    """The outline's chapters and back-matter pages (depth 1), by title: (title, page)."""
    return [(t, p) for d, t, p in outline if d == 1]


def test_page_count_and_size(pdf, pages):
    info = _run("pdfinfo", str(pdf))
    n = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert n == len(pages)
    assert 150 <= n <= 700, f"{n} pages"
    assert pdf.stat().st_size < 40e6


def test_title_page_and_contents(pages):
    first = _flat(pages[0])
    assert "Neural Networks, Computed" in first and "The nnbook authors" in first
    contents = _flat(" ".join(pages[1:6]))
    assert "Contents" in contents or "CONTENTS" in contents
    # the table of contents has page numbers: "1.1 The idea: layers in a row . . . 7"
    assert re.search(r"1\.1 [A-Z][^.]+(\. ?)+\d+", contents), contents[:500]


@pytest.mark.parametrize("file", [f for f, _ in CHAPTERS] + BACK)
def test_every_title_is_in_the_text_and_the_contents(file, text, pages):
    title = _flat(_title(file))
    assert title in text, f"{title!r} is not in the PDF's text"


def test_parts_are_titled_once(text):
    """LaTeX prints "Part II" itself: the part's title is the caption without its "Part II:"."""
    for caption in {p for _, p in CHAPTERS}:
        assert caption not in text, f"{caption!r}: the part number is printed twice"
        name = caption.split(": ", 1)[1]
        assert name[0].upper() + name[1:] in text


def test_outline_numbers_parts_chapters_and_back_matter_as_the_html(outline):
    """Bookmarks: "I The network", "1 Structure of a network", ...; the back matter
    unnumbered, as in the HTML book's navigation."""
    parts = [t for d, t, _ in outline if d == 0]
    captions = list(dict.fromkeys(p for _, p in CHAPTERS))
    for numeral, caption in zip(["I", "II", "III", "IV"], captions):
        name = caption.split(": ", 1)[1]
        assert f"{numeral} {name[0].upper()}{name[1:]}" in parts, parts
    assert "Back matter" in parts                      # no number
    entries = [t for t, _ in _chapter_entries(outline)]
    for i, (file, _) in enumerate(CHAPTERS, start=1):
        assert f"{i} {_flat(_title(file))}" in entries, (i, file, entries)
    for file in BACK:
        assert _flat(_title(file)) in entries, (file, entries)


def test_no_unresolved_references(text):
    assert "??" not in text, text[max(0, text.index("??") - 200):text.index("??") + 50]
    if LOG.is_file():
        log = LOG.read_text(encoding="utf-8", errors="replace")
        assert "undefined" not in re.sub(r"Font shape .*? undefined", "", log), \
            re.findall(r".*undefined.*", log)[:5]


def test_every_font_is_embedded(pdf):
    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        # columns: name, type (one or two words), encoding, emb, sub, uni, object, id
        emb = row.split()[-5]
        assert emb == "yes", f"not embedded: {row}"


def test_chinese_terms_render_in_a_cjk_font(pdf, text):
    glossary = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    terms = sorted(set(re.findall(r"[\u4e00-\u9fff]{2,}", glossary)))
    assert len(terms) >= 10
    missing = [t for t in terms if t not in text.replace(" ", "")]
    assert not missing, missing
    assert "WenQuanYi" in _run("pdffonts", str(pdf))
    if LOG.is_file():
        assert "Missing character" not in LOG.read_text(encoding="utf-8", errors="replace")


def test_interactive_figures_print_their_default_frame_with_a_note(pages, outline):
    """Every chapter has an interactive figure; in print, each is one image and a note."""
    flat = [_flat(p) for p in pages]
    entries = _chapter_entries(outline)
    for i, (file, _) in enumerate(CHAPTERS, start=1):
        k = [t for t, _ in entries].index(f"{i} {_flat(_title(file))}")
        first, last = entries[k][1], entries[k + 1][1]
        assert "Interactive in the HTML edition" in " ".join(flat[first:last]), file
    text = " ".join(flat)
    assert "<interactive figure" not in text
    assert "Show code cell" not in text and "Hide code cell" not in text


def test_bibliography_is_on_its_page(outline, pages):
    """The citations are listed on the Bibliography page of the back matter, once."""
    titles = [t for _, t, _ in outline]
    assert titles.count("Bibliography") == 1
    page = next(p for _, t, p in outline if t == "Bibliography")
    following = _flat(" ".join(pages[page:page + 3]))
    assert "Cybenko" in following and "Rumelhart" in following


def test_equation_numbers_match_the_html(text):
    """Every equation number the HTML book shows, e.g. "(4.3)", is printed in the PDF too."""
    if not HTML:
        pytest.skip("NNBOOK_HTML is not set: no HTML build to compare with")
    numbers = set()
    for page in Path(HTML).glob("book/*.html"):
        numbers |= set(re.findall(r'<span class="eqno">(\(\d+\.\d+\))', page.read_text(encoding="utf-8")))
    assert len(numbers) > 20
    missing = sorted(n for n in numbers if n not in text)
    assert not missing, missing


def test_render_pages_for_a_look(pdf, pages):
    """Title page, the first page with a display equation, one with a figure and the
    glossary, rendered to PNG beside the PDF (pages/), for a person to look at."""
    flat = [_flat(p) for p in pages]
    want = {"title": 0,
            "equations": next(i for i, p in enumerate(flat) if "BP1: the error of the output layer" in p
                              and ". . ." not in p),
            "figure": next(i for i, p in enumerate(flat) if "Interactive in the HTML edition" in p),
            "glossary": next(i for i, p in enumerate(flat) if "激活函数" in p)}
    out = pdf.parent / "pages"
    out.mkdir(exist_ok=True)
    for name, i in want.items():
        _run("pdftoppm", "-r", "70", "-png", "-singlefile", "-f", str(i + 1), "-l", str(i + 1),
             str(pdf), str(out / name))
        png = (out / f"{name}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000, name


def test_nothing_sticks_out_into_the_margin():
    """Code, outputs and equations are wrapped or fit: LaTeX reports no line more than
    15pt (about 5 mm) wider than the text block."""
    if not LOG.is_file():
        pytest.fail(f"no LaTeX log at {LOG}", pytrace=False)
    log = LOG.read_text(encoding="utf-8", errors="replace")
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert max(widths, default=0) < 15, sorted(widths)[-5:]
