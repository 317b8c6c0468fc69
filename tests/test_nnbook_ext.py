r"""The book's Sphinx extension: ``dollar_math`` turns the ``$...$`` of nnlib's docstrings
into reStructuredText math before napoleon and docutils read them.

Its contract, from the source:

- ``$tex$`` (no ``$`` and no blank line inside, not ``$$``, neither dollar escaped as
  ``\$``) becomes ``:math:`tex```, with its whitespace folded, and with an escaped space
  (``\ ``) where docutils needs one to see the role (``$n$th``);
- a line that starts with ``$$`` starts a ``.. math::`` block (indented like that line),
  which ends on the first line that ends with ``$$``; ``$$tex$$`` on a line of its own is
  a block too, and ``$$tex$$`` inside a sentence is inline math;
- ``literals``, doctest lines (``>>>``, ``...``) and TeX holding a backquote are left as
  written; so is a lone ``$`` (``$10``), but a bare *pair* of dollars is math, prices
  included: a docstring writes ``\$5``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest
from docutils import nodes
from docutils.core import publish_doctree

# book/_ext is on Sphinx's path (_config.yml's local_extensions), not on Python's: load the file.
_PATH = Path(__file__).resolve().parents[1] / "book" / "_ext" / "nnbook.py"
_spec = importlib.util.spec_from_file_location("nnbook", _PATH)
nnbook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nnbook)


def convert(text):
    """``dollar_math`` on a docstring written as one string (lines joined back by ``\\n``)."""
    return "\n".join(nnbook.dollar_math(text.split("\n")))


def math_nodes(rst):
    """The math that docutils reads in ``rst``: ("math" | "math_block", tex) pairs."""
    doctree = publish_doctree(rst, settings_overrides={"report_level": 5, "halt_level": 5})
    assert not list(doctree.findall(nodes.system_message)), rst
    found = doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))
    return [(type(n).__name__, n.astext()) for n in found]


# ---------------------------------------------------------------- inline math

@pytest.mark.parametrize("text, expected", [
    (r"the sigmoid $\sigma(z)$.", r"the sigmoid :math:`\sigma(z)`."),
    # two formulas in one line, and in two lines of one paragraph (the lines are kept)
    ("$a$ and $b$", ":math:`a` and :math:`b`"),
    ("where $x$ is the input\nand $y$ the target", "where :math:`x` is the input\nand :math:`y` the target"),
    # a formula across a line break is one role, its whitespace folded
    ("the sum $a +\n    b$ of both", "the sum :math:`a + b` of both"),
    # what TeX needs: <, >, &, braces, backslashes
    ("$a < b$ and $c > 0$", ":math:`a < b` and :math:`c > 0`"),
    ("$a & b$", ":math:`a & b`"),
    (r"$\frac{1}{2n} \sum_x \{y_x\}$", r":math:`\frac{1}{2n} \sum_x \{y_x\}`"),
    ("$w^{l}_{jk}$", ":math:`w^{l}_{jk}`"),
    # $$...$$ inside a sentence is inline math, not a block
    ("text $$x$$ text", "text :math:`x` text"),
], ids=["one", "two-in-a-line", "two-in-a-paragraph", "across-lines", "less-greater", "ampersand",
        "braces", "indices", "double-dollar-inline"])
def test_inline_math_becomes_a_math_role(text, expected):
    assert convert(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("the $n$th", r"the :math:`n`\ th"),
    ("a$x$b", r"a\ :math:`x`\ b"),
    ("($x$), $y$; $z$-axis", "(:math:`x`), :math:`y`; :math:`z`-axis"),
])
def test_escaped_spaces_only_where_docutils_needs_them(text, expected):
    assert convert(text) == expected


def test_the_roles_are_math_for_docutils():
    rst = convert(r"the $n$th layer, a$x$b, ($a < b$) and $\frac{1}{2}$")
    assert math_nodes(rst) == [("math", "n"), ("math", "x"), ("math", "a < b"), ("math", r"\frac{1}{2}")]


# ---------------------------------------------------------------- left as written

@pytest.mark.parametrize("text", [
    r"costs \$5 and \$6",                   # escaped dollars
    r"from \$5 to $6",                      # one escaped: the other has no partner
    r"$a \$ b$",                            # nor can a formula hold one
    "$10 each",                             # a lone dollar
    "price $$ only",                        # a lone $$
    "$a\n\nb$",                             # a blank line ends the paragraph, and the formula
    "a $x`y$ b",                            # no backquote in a :math: role
    "``$x$`` is a literal",
    "``a\n$x$ b`` spans two lines",
    ">>> print('$x$')\n... '$y$'",          # doctest lines
    "no math at all\n\n>>> 1 + 1\n2",
], ids=["escaped", "half-escaped", "escaped-inside", "lone", "lone-double", "blank-line", "backquote",
        "literal", "literal-across-lines", "doctest", "no-dollar"])
def test_not_math(text):
    assert convert(text) == text


def test_literals_and_doctest_lines_beside_math_are_left_alone():
    text = "use ``$x$`` for $y$\n>>> s = '$z$'\n$w$"
    assert convert(text) == "use ``$x$`` for :math:`y`\n>>> s = '$z$'\n:math:`w`"


def test_unescaped_prices_are_read_as_math():
    # The rule has no notion of currency: a pair of bare dollars is a formula. Hence \$.
    assert convert("costs $5 and $6 today") == r"costs :math:`5 and`\ 6 today"
    assert convert(r"costs \$5 and \$6 today") == r"costs \$5 and \$6 today"


# ---------------------------------------------------------------- display math

def test_a_display_block_becomes_a_math_directive():
    text = "The cost:\n\n$$\nC = \\frac{1}{2n} \\sum_x \\|y(x) - a\\|^2\n$$\n\nwhere $n$ counts inputs."
    assert convert(text).split("\n") == [
        "The cost:", "",
        "", ".. math::", "", "   C = \\frac{1}{2n} \\sum_x \\|y(x) - a\\|^2", "",
        "", "where :math:`n` counts inputs.",
    ]


def test_a_one_line_display_keeps_its_indent():
    # as in a numpydoc parameter's description
    text = "x : ndarray\n    The input $x$:\n\n    $$ a = \\sigma(w x + b) $$\n"
    assert convert(text).split("\n") == [
        "x : ndarray", "    The input :math:`x`:", "",
        "", "    .. math::", "", "       a = \\sigma(w x + b)", "", "",
    ]


def test_tex_on_the_opening_and_closing_lines():
    text = "  $$ \\begin{aligned} a &< b \\\\\n  c &= \\{d\\} \\end{aligned} $$"
    out = nnbook.dollar_math(text.split("\n"))
    assert [line.strip() for line in out] == [
        "", ".. math::", "", "\\begin{aligned} a &< b \\\\", "c &= \\{d\\} \\end{aligned}", ""]
    assert out[1] == "  .. math::" and all(line.startswith("     ") for line in out[3:5])


@pytest.mark.parametrize("text", ["$$\na\n$$\n$$\nb\n$$", "$$a$$\n$$b$$", "$$ a $$\n$$\nb\n$$",
                                  "$$\na\n$$\n$$ b $$"],
                         ids=["blocks", "one-liners", "one-liner-then-block", "block-then-one-liner"])
def test_adjacent_display_blocks_stay_apart(text):
    assert convert(text).split("\n") == ["", ".. math::", "", "   a", "", "", ".. math::", "", "   b", ""]


def test_the_blocks_are_math_for_docutils():
    rst = convert("Text $x$.\n\n$$\na < b\n$$\n$$ c \\& \\{d\\} $$\nx : int\n    Its $e$:\n\n    $$ e $$\n")
    assert math_nodes(rst) == [("math", "x"), ("math_block", "a < b"), ("math_block", "c \\& \\{d\\}"),
                               ("math", "e"), ("math_block", "e")]


# ------------------------------------------------------------ the PDF edition's fixes
def test_greek_letters_become_inline_math_for_latex():
    parts = nnbook._text_and_greek("learning rate η, Σ of x")
    assert [(type(p).__name__, p.astext()) for p in parts] == [
        ("Text", "learning rate "), ("math", r"\eta"), ("Text", ", "), ("math", r"\Sigma"),
        ("Text", " of x")]
    assert [p.astext() for p in nnbook._text_and_greek("no Greek")] == ["no Greek"]


_TEX = r"""\part{Part I: the network}
\chapter{Structure}
\section{Exercises}
\label{\detokenize{book/01_structure:exercises}}\phantomsection \label{exercise:ex-structure-1}

\begin{sphinxadmonition}{note}{Exercise 1.7.1 (Count by hand)}
\end{sphinxadmonition}
\part{Part II: activation functions}
see \hyperref[\detokenize{book/01_structure:ex-structure-1}]{Exercise \ref{\detokenize{book/01_structure:ex-structure-1}}}
and {\hyperref[\detokenize{book/01_structure:ex-structure-1}]{\sphinxcrossref{its first exercise}}}
and {\hyperref[\detokenize{book/01_structure:exercises}]{\sphinxcrossref{the exercises}}}
\part{Back matter}
\chapter{Bibliography}
\label{\detokenize{book/bibliography:bibliography}}\label{\detokenize{book/bibliography::doc}}
\sphinxstepscope


\chapter{The API}
\begin{sphinxthebibliography}{10}
\bibitem[C89]{cybenko1989} Cybenko.
\end{sphinxthebibliography}
\printindex
"""


def _finish(tmp_path, fmt):
    """Run ``_finish_latex`` on ``_TEX`` as a build of format ``fmt`` would; the result."""
    (tmp_path / "book.tex").write_text(_TEX, encoding="utf-8")
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format=fmt))
    nnbook._finish_latex(app, None)
    return (tmp_path / "book.tex").read_text(encoding="utf-8")


def test_finish_latex_fixes_parts_back_matter_exercises_and_bibliography(tmp_path):
    tex = _finish(tmp_path, "latex")
    assert r"\part{The network}" in tex and r"\part{Activation functions}" in tex
    assert "Part I:" not in tex
    assert "\\setcounter{secnumdepth}{-2}\n\\part{Back matter}" in tex
    assert r"see \hyperref[exercise:ex-structure-1]{Exercise 1.7.1}" in tex
    assert r"{\hyperref[exercise:ex-structure-1]{\sphinxcrossref{its first exercise}}}" in tex
    # a section label that is not an exercise is left alone
    assert r"\hyperref[\detokenize{book/01_structure:exercises}]" in tex
    # the citations moved to the Bibliography page, once, with its labels before them
    assert tex.count(r"\begin{sphinxthebibliography}") == 1
    labels = tex.index(r"\label{\detokenize{book/bibliography:bibliography}}")
    assert labels < tex.index(r"\begin{sphinxthebibliography}") < tex.index(r"\chapter{The API}")
    assert r"\chapter{Bibliography}" not in tex


def test_finish_latex_leaves_other_builders_alone(tmp_path):
    assert _finish(tmp_path, "html") == _TEX


# -- the theme templates fixed for accessibility ------------------------------------------

def _fixed_templates(tmp_path):
    """Run the two template fixes as a build's config-inited would; the folder, the config."""
    app = SimpleNamespace(doctreedir=str(tmp_path / "doctrees"))
    config = SimpleNamespace(templates_path=["_templates"])
    nnbook._accessible_search_button(app, config)
    nnbook._logo_in_landmark(app, config)
    nnbook._logo_in_landmark(app, config)          # a second build: the same, once
    return tmp_path / "doctrees" / "nnbook-templates", config


def test_the_sidebar_title_link_is_in_a_nav_landmark(tmp_path):
    folder, config = _fixed_templates(tmp_path)
    assert config.templates_path == [str(folder), "_templates"]     # ahead of the theme's, once
    logo = (folder / "navbar-logo.html").read_text(encoding="utf-8")
    assert logo.count("<nav") == 1 and logo.count("</nav>") == 1
    nav = logo[logo.index("<nav"):logo.index("</nav>")]
    assert nav.startswith('<nav class="nn-home" aria-label="Book home"><a class="navbar-brand')
    assert nav.endswith("</a>") and nav.count("<a ") == 1 and "logo__title" in nav


def test_the_search_button_is_named_by_its_text(tmp_path):
    folder, _ = _fixed_templates(tmp_path)
    button = (folder / "search-button-field.html").read_text(encoding="utf-8")
    assert 'aria-label="Search"' not in button
    assert 'aria-keyshortcuts="Control+K"' in button
    assert '<i class="fa-solid fa-magnifying-glass" aria-hidden="true">' in button


def test_a_template_the_fix_does_not_change_stays_the_themes(tmp_path):
    app = SimpleNamespace(doctreedir=str(tmp_path))
    config = SimpleNamespace(templates_path=[])
    nnbook._fixed_component(app, config, "navbar-logo.html", lambda text: text, "unchanged")
    assert config.templates_path == [] and not (tmp_path / "nnbook-templates").exists()
    # ... and an earlier build's copy goes, so that the theme's own template is the one used
    stale = tmp_path / "nnbook-templates" / "navbar-logo.html"
    stale.parent.mkdir()
    stale.write_text("<a>an older theme's logo</a>", encoding="utf-8")
    nnbook._fixed_component(app, config, "navbar-logo.html", lambda text: text, "unchanged")
    assert not stale.exists()


@pytest.mark.parametrize("text", [
    '<a class="navbar-brand logo" href="i.html"><p>Title</p></a>\n<a href="x">other</a>',
    '<a href="i.html" class="logo navbar-brand"><p>Title</p></a>',
])
def test_the_logo_link_and_only_it_goes_in_the_nav(text):
    fixed = nnbook._logo_link_in_nav(text)
    link = text[:text.index("</a>") + 4]
    assert fixed.startswith(f'<nav class="nn-home" aria-label="Book home">{link}</nav>')
    assert fixed.endswith(text[len(link):])
    assert nnbook._logo_link_in_nav(fixed) == fixed           # a second pass: nothing doubled


@pytest.mark.parametrize("text", ['<a class="brand" href="i.html">x</a>', "<p>no link</p>",
                                  '<a class="navbar-brand" href="i.html">never closed'])
def test_a_template_without_the_logo_link_is_left_alone(text):
    assert nnbook._logo_link_in_nav(text) == text
