"""Local Sphinx extension of the book: offline math, and small build fixes.

* MathJax 3 is served from the built site instead of a CDN, so equations render
  offline. The copy comes from the ``sphinx-mathjax-offline`` package on PyPI (it
  vendors MathJax 3.2); we copy only the parts the CommonHTML TeX renderer loads,
  into ``_build/html/_static/mathjax`` after the build (the source ``_static``
  folder is walked by Jupyter Book, which would add every ``.js`` as a script tag).
  Pages load MathJax's components one by one (``startup.js``, then the TeX input,
  the CommonHTML output and the assistive MathML for screen readers) rather than
  the ``tex-chtml.js`` bundle: the same typesetting without the right-click menu,
  about 0.45 MB lighter on every page with math (1.16 MB -> 0.76 MB).
* ``static/nnbook.css`` styles the interactive figures' HTML controls (light and dark
  mode).
* The API page (``book/api.md``, autodoc): nnlib's docstrings write math as
  ``$...$`` (readable in ``help()`` and in the source); they become ``:math:`` roles
  (and ``$$...$$`` lines ``.. math::`` blocks) before napoleon and docutils see them.
  Under ``-n`` (nitpicky), the types the docstrings name from numpy, matplotlib and
  plain English (``ndarray``, ``array_like``, ``callable``, ``optional``) have no
  target without intersphinx (which needs the network): they are ignored here, and only
  they; a reference to a missing nnlib name still fails the build.
* Lighter pages: pydata-sphinx-theme's ``fontawesome.js`` (1.5 MB, only for custom
  icons, which the book has none of) is not loaded; see :func:`_drop_fontawesome_js`.
* The PDF edition (``make pdf``: the LaTeX builder, XeLaTeX): the document class is
  ``latex/nnbook.cls`` (sphinx-jupyterbook-latex's own class loads LaTeX packages the
  book does not use, one of which only a 500 MB font package provides), and every
  interactive figure prints its default frame (the ``image/png`` of its bundle) with a
  line saying that the HTML book has it live, and with which controls.
* Accessibility (axe-core, run on every page by ``tests/browser``), fixed at the source:

  - the theme's "Search Ctrl+K" button is named by its visible text, not
    ``aria-label="Search"`` (:func:`_accessible_search_button`);
  - the book's title at the top of the sidebar (a link home) is in a ``<nav>``
    landmark, as all the page's content is (:func:`_logo_in_landmark`);
  - MyST-NB's "Show code cell source" toggles lose their ``aria-label="Toggle hidden
    content"``, and the bibliography's citations are ``role="listitem"`` in their
    ``role="list"`` (not ``doc-biblioentry``, which a list may not hold): see
    :func:`_accessible_nodes`;
  - a display equation too wide for the column scrolls sideways; ``static/nnbook-a11y.js``
    puts each one that overflows (and only those) in the tab order, so that it can be
    scrolled from the keyboard (``scrollable-region-focusable``);
  - ``static/nnbook.css``: links in exercises (sphinx-exercise's tinted box) darker, to
    4.5:1 (``color-contrast``); the interactive figures' control bar legible in the
    theme's dark mode.
* Two kinds of console noise that every Jupyter Book 1 page logged, fixed at the source:

  - ``Identifier 'THEBE_JS_URL' has already been declared``: Sphinx 7.4 adds an inline
    script that an extension registers after ``Builder.init()`` twice (once from
    ``app.add_js_file`` with filename ``None``, once more in ``prepare_writing`` with
    filename ``''``: the two do not compare equal). sphinx-thebe's ``const`` then
    throws on the second copy (sphinx-togglebutton's ``var`` is duplicated silently).
    Each page's scripts are de-duplicated.
  - ``Got invalid theme mode``: pydata-sphinx-theme reads the template variable
    ``default_mode``, empty unless set, and logs an error before falling back to
    ``auto``. We set it to ``auto`` (the same behaviour, without the error).
"""

from __future__ import annotations

import html as html_text
import importlib.metadata
import pathlib
import re
import shutil
import unicodedata

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

# What the pages load: startup.js (with the component loader) fetches core.js and the
# components below; input/tex/extensions holds the TeX packages autoloaded on first use,
# output/chtml/fonts the font data and web fonts.
MATHJAX_LOAD = ["input/tex", "output/chtml", "a11y/assistive-mml"]
MATHJAX_PARTS = ["startup.js", "core.js", "input/tex.js", "input/tex", "output/chtml.js",
                 "output/chtml", "a11y/assistive-mml.js"]


def _mathjax_source():
    try:
        files = importlib.metadata.files("sphinx-mathjax-offline") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if str(f).endswith("static/mathjax/startup.js"):
            return pathlib.Path(f.locate()).parent
    return None


def _config_inited(app, config):
    if _mathjax_source() is not None:
        config.mathjax_path = "mathjax/startup.js"
        # myst-parser adds its "options" to this same dict later.
        mj = dict(config.mathjax3_config or {})
        loader = dict(mj.get("loader", {}))
        loader["load"] = list(dict.fromkeys(list(loader.get("load", [])) + MATHJAX_LOAD))
        mj["loader"] = loader
        config.mathjax3_config = mj
    else:
        logger.warning("sphinx-mathjax-offline is not installed: MathJax will load from a CDN "
                       "and equations will not render offline (pip install -r requirements.txt)")


def _copy_mathjax(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    src = _mathjax_source()
    if src is None:
        return
    dest = pathlib.Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        s, d = src / part, dest / part
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        elif s.is_file():
            d.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(s, d)


def _add_static(app, config):
    config.html_static_path.append(str(pathlib.Path(__file__).parent / "static"))


# -- the API page: $...$ in docstrings, and external types under -n ------------------

_LITERAL = re.compile(r"(``.+?``)", re.S)
# $...$ with no blank line inside, not $$, not an escaped \$.
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)((?:[^$\n]|\n(?![ \t]*\n))+?)(?<!\\)\$(?!\$)")
_DISPLAY_INLINE = re.compile(r"\$\$(.+?)\$\$", re.S)
# Docutils' rule: inline markup starts after whitespace or one of these, ends before
# whitespace or one of those; elsewhere it needs an escaped space ("\ ") around it.
_OPEN_OK = set(" \t\n-:/'\"<([{")
_CLOSE_OK = set(" \t\n-.,:;!?\\/'\")]}>")


def _math_role(text, start, end, tex):
    tex = " ".join(tex.split())
    if "`" in tex:
        return text[start:end]
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return ("" if before in _OPEN_OK else "\\ ") + f":math:`{tex}`" + ("" if after in _CLOSE_OK else "\\ ")


def _convert_inline(text):
    """``$x$`` -> ``:math:`x``` outside ``literals``."""
    parts = _LITERAL.split(text)
    for i in range(0, len(parts), 2):  # even parts are outside ``...``
        chunk = parts[i]
        for rx in (_DISPLAY_INLINE, _INLINE):
            out, pos = [], 0
            for m in rx.finditer(chunk):
                out.append(chunk[pos:m.start()])
                out.append(_math_role(chunk, m.start(), m.end(), m.group(1)))
                pos = m.end()
            out.append(chunk[pos:])
            chunk = "".join(out)
        parts[i] = chunk
    return "".join(parts)


def dollar_math(lines):
    """Docstring lines with ``$...$`` as ``:math:`` and ``$$`` lines as ``.. math::``."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("$$"):
            # A display block: "$$ tex $$" on one line, or "$$" (maybe with TeX after it) ... "$$".
            indent = line[: len(line) - len(line.lstrip())]
            if len(stripped) > 4 and stripped.endswith("$$"):
                body = [stripped[2:-2].strip()]
            else:
                body = [stripped[2:]] if stripped[2:].strip() else []
                i += 1
                while i < len(lines) and not lines[i].strip().endswith("$$"):
                    body.append(lines[i].strip())
                    i += 1
                if i < len(lines):
                    last = lines[i].strip()[:-2].strip()
                    if last:
                        body.append(last)
            out += ["", indent + ".. math::", ""] + [indent + "   " + b for b in body] + [""]
        else:
            out.append(line)
        i += 1
    # Inline math may continue on the next line: convert paragraph by paragraph, leaving
    # doctest lines (">>>", "...") alone.
    text = "\n".join(out)
    if "$" not in text:
        return out
    result, para = [], []

    def flush():
        if para:
            result.extend(_convert_inline("\n".join(para)).split("\n"))
            para.clear()

    for line in out:
        if not line.strip() or line.lstrip().startswith((">>>", "... ")):
            flush()
            result.append(line)
        else:
            para.append(line)
    flush()
    return result


_PROSE_KINDS = ("attribute", "data", "property")
_prose = {}


def _process_docstring(app, what, name, obj, options, lines):
    lines[:] = dollar_math(lines)
    if what in _PROSE_KINDS:
        _prose[(what, name)] = list(lines)


def _restore_prose(app, what, name, obj, options, lines):
    # napoleon reads the first line of an attribute's docstring as "type: description"
    # (a Google-style convention nnlib does not use): "Every cost by name: ..." would
    # become a type. nnlib's attribute docstrings are prose, so napoleon's version of
    # them is replaced by the text as written.
    saved = _prose.pop((what, name), None)
    if saved is not None:
        lines[:] = saved


# Types the docstrings name that live outside nnlib (numpy, matplotlib, the standard
# library) or are numpydoc's plain words. Nothing from nnlib belongs here.
NITPICK_IGNORE = [
    ("py:class", t) for t in (
        "array_like", "array-like", "ndarray", "np.ndarray", "numpy.ndarray", "numpy.typing.ArrayLike",
        "np.random.Generator", "numpy.random.Generator", "Generator", "np.generic", "np.float64", "numpy.float64",
        "callable", "optional", "default", "scalar", "sequence", "iterable", "mapping",
        "Axes", "matplotlib.axes.Axes", "matplotlib.axes._axes.Axes", "plt.Axes",
        "Figure", "matplotlib.figure.Figure", "matplotlib.colors.Colormap", "Colormap",
        "ipywidgets.Widget", "ipywidgets.VBox", "contextlib.AbstractContextManager",
        "dataclasses.field",
    )
]
NITPICK_IGNORE_REGEX = [
    ("py:class", r"(numpy|np|matplotlib|mpl|plt|ipywidgets|PIL)\..*"),
]


def _nitpick(app, config):
    config.nitpick_ignore = list(config.nitpick_ignore or []) + NITPICK_IGNORE
    config.nitpick_ignore_regex = list(config.nitpick_ignore_regex or []) + NITPICK_IGNORE_REGEX


# -- page weight ------------------------------------------------------------------------

def _drop_fontawesome_js(app, config):
    """Do not load pydata-sphinx-theme's ``fontawesome.js`` (1.5 MB on every page).

    The theme loads it only "so that users can add custom icons"; its own icons come
    from the Font Awesome CSS and web font in ``pydata-sphinx-theme.css``. We use the
    theme's ``webpack-macros.html`` minus that one script tag, generated from the
    installed theme at each build (so it follows theme upgrades), as a template that
    takes precedence over the theme's.
    """
    try:
        import pydata_sphinx_theme
    except ImportError:
        return
    src = (pathlib.Path(pydata_sphinx_theme.__file__).parent
           / "theme" / "pydata_sphinx_theme" / "static" / "webpack-macros.html")
    if not src.is_file():
        return
    text = src.read_text(encoding="utf-8")
    slim = re.sub(r"[ \t]*(<!--[^>]*custom icons[^>]*-->\s*)?"
                  r"<script[^>]*src=\"[^\"]*/fontawesome\.js[^\"]*\"[^>]*></script>[ \t]*\n?", "", text)
    if slim == text:
        logger.info("nnbook: pydata-sphinx-theme loads no fontawesome.js; nothing to drop")
        return
    templates = pathlib.Path(app.doctreedir) / "nnbook-templates"
    dest = templates / "static" / "webpack-macros.html"
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not dest.is_file() or dest.read_text(encoding="utf-8") != slim:
        dest.write_text(slim, encoding="utf-8")
    config.templates_path = [str(templates)] + list(config.templates_path)


# -- console noise ----------------------------------------------------------------------

def _latex_theme(app, config):
    # After sphinx-jupyterbook-latex's config-inited handler, which sets its own class.
    config.latex_theme = "nnbook"


def _copy_latex_class(app):
    if app.builder.format == "latex":
        shutil.copy(pathlib.Path(__file__).parent / "latex" / "nnbook.cls", app.outdir)


def _finish_latex(app, exc):
    """Four fixes to the written ``.tex`` of the PDF edition, each checked by the PDF test.

    * Parts: the toc's captions ("Part II: activation functions") become part titles
      ("Activation functions"): LaTeX prints "Part II" itself.
    * The back matter (notation, glossary, bibliography, API) is unnumbered, as in the
      HTML book, but stays in the table of contents and the PDF outline.
    * The bibliography: Sphinx prints every citation in one list at the end of the
      document and leaves the Bibliography page empty; the list moves to that page.
    * A reference to an exercise of another chapter: sphinx-exercise resolves those of
      the same chapter to "Exercise 3.7.2" and its ``exercise:`` label, but leaves the
      others as a ``\\ref`` to a label it never writes ("Exercise ??"). They get the
      exercise's number and label too.
    """
    if exc is not None or app.builder.format != "latex":
        return
    for tex in pathlib.Path(app.outdir).glob("*.tex"):
        text = tex.read_text(encoding="utf-8")
        text = re.sub(r"\\part\{Part [IVX]+: (\w)",
                      lambda m: "\\part{" + m.group(1).upper(), text)
        text = text.replace("\\part{Back matter}",
                            "\\setcounter{secnumdepth}{-2}\n\\part{Back matter}")
        page = re.search(r"\\chapter\{Bibliography\}\n(\\label[^\n]*\n)\\sphinxstepscope\n", text)
        bib = re.search(r"\\begin\{sphinxthebibliography\}.*?\\end\{sphinxthebibliography\}\n",
                        text, flags=re.S)
        if page and bib:
            moved = "\\cleardoublepage\\phantomsection\n" + page.group(1) + bib.group(0)
            text = text[:bib.start()] + text[bib.end():]
            text = text.replace(page.group(0), moved)
        numbers = dict(re.findall(r"\\label\{exercise:([\w-]+)\}\s*\\begin\{sphinxadmonition\}"
                                  r"\{note\}\{Exercise ([\d.]+)", text))
        text = re.sub(
            r"\\hyperref\[\\detokenize\{[^}:]+:([\w-]+)\}\]\{Exercise "
            r"\\ref\{\\detokenize\{[^}]+\}\}\}",
            lambda m: (f"\\hyperref[exercise:{m.group(1)}]{{Exercise {numbers[m.group(1)]}}}"
                       if m.group(1) in numbers else m.group(0)), text)
        # ... and a link with its own text ("its last exercise") to the exercise's label.
        text = re.sub(r"\\hyperref\[\\detokenize\{[^}:]+:([\w-]+)\}\]",
                      lambda m: (f"\\hyperref[exercise:{m.group(1)}]" if m.group(1) in numbers
                                 else m.group(0)), text)
        tex.write_text(text, encoding="utf-8")


def _text_and_greek(text):
    """Text nodes, with each Greek letter (a control named "learning rate η") as inline
    math, so that LaTeX sets it in the math font: the text fonts have no Greek."""
    out = []
    for part in re.split(r"([\u0370-\u03ff])", text):
        if len(part) == 1 and "\u0370" <= part <= "\u03ff":
            name = unicodedata.name(part).split()[-1]          # "GREEK SMALL LETTER ETA"
            small = "SMALL" in unicodedata.name(part)
            out.append(nodes.math(text="\\" + (name.lower() if small else name.capitalize())))
        elif part:
            out.append(nodes.Text(part))
    return out


class _InteractiveInPrint(SphinxPostTransform):
    """In print, an interactive figure is its default frame and a note on what it does live.

    Runs before MyST-NB's ``SelectMimeType`` (priority 4), which then picks the bundle's
    ``image/png`` for LaTeX (LaTeX takes no HTML)."""

    default_priority = 3
    formats = ("latex",)

    def run(self, **kwargs):
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            html = [c for c in bundle.children if c.get("mime_type") == "text/html"]
            if not html or 'class="nn-interactive"' not in html[0].astext():
                continue
            labels = [html_text.unescape(t) for t in re.findall(r"<label[^>]*>(.*?)</label>", html[0].astext())]
            note = nodes.paragraph(classes=["nn-print-note"])
            words = nodes.emphasis()
            words += _text_and_greek(
                f"Interactive in the HTML edition ({'control' if len(labels) == 1 else 'controls'}: "
                + ", ".join(f"“{label}”" for label in labels)
                + "); printed here at its default setting.")
            note += words
            bundle.parent.insert(bundle.parent.index(bundle) + 1, note)


def _theme_mode(app, config):
    config.html_context.setdefault("default_mode", "auto")


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen, unique = set(), []
    for js in scripts:
        # The executed notebook's ipywidgets state (tens of KB per page, with random
        # model ids that differ from build to build): the book shows each interactive
        # figure's static player and loads no widget manager, so nothing would read it.
        if js.attributes.get("type") == "application/vnd.jupyter.widget-state+json":
            continue
        key = (js.filename or "", js.priority, tuple(sorted(js.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


# -- accessibility (axe-core, checked by tests/browser) -----------------------------------

def _fixed_component(app, config, name, fix, unchanged):
    """Put ``fix(text)`` of the installed pydata-sphinx-theme's component template ``name``
    in the same templates folder as :func:`_drop_fontawesome_js`'s, ahead of the theme's.

    The copy is generated from the installed theme at each build, so a theme upgrade is
    followed; if ``fix`` changes nothing (the theme no longer has the problem, or no longer
    looks as the fix expects), an earlier build's copy is removed, the theme's own
    template is used and ``unchanged`` is logged (as information: the browser suite's axe
    audit is what fails if the problem is back).
    """
    try:
        import pydata_sphinx_theme
    except ImportError:
        return
    src = (pathlib.Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
           / "components" / name)
    if not src.is_file():
        return
    text = src.read_text(encoding="utf-8")
    fixed = fix(text)
    templates = pathlib.Path(app.doctreedir) / "nnbook-templates"
    dest = templates / name
    if fixed == text:
        dest.unlink(missing_ok=True)
        logger.info(f"nnbook: {unchanged}; the theme's {name} is used as it is")
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not dest.is_file() or dest.read_text(encoding="utf-8") != fixed:
        dest.write_text(fixed, encoding="utf-8")
    if str(templates) not in config.templates_path:
        config.templates_path = [str(templates)] + list(config.templates_path)


def _accessible_search_button(app, config):
    """The theme's "Search Ctrl+K" button is named by its visible text (WCAG 2.5.3).

    pydata-sphinx-theme's ``search-button-field.html`` labels the button
    ``aria-label="Search"`` while it shows "Search Ctrl+K" (axe-core:
    ``label-content-name-mismatch``, serious). Our copy of the template drops the
    ``aria-label`` (the name is then the visible text), states the shortcut with
    ``aria-keyshortcuts`` and hides the icon from assistive technology.
    """
    _fixed_component(app, config, "search-button-field.html", _search_button_fixed,
                     "the theme's search button has no aria-label")


def _search_button_fixed(text):
    text = re.sub(r'(<button[^>]*search-button-field[^>]*?)\s+aria-label="[^"]*"',
                  r'\1 aria-keyshortcuts="Control+K"', text, count=1)
    return text.replace('<i class="fa-solid fa-magnifying-glass">',
                        '<i class="fa-solid fa-magnifying-glass" aria-hidden="true">', 1)


def _logo_in_landmark(app, config):
    """The book's title at the top of the sidebar (a link home) is inside a landmark.

    sphinx-book-theme shows pydata-sphinx-theme's ``navbar-logo.html`` as the first item
    of the primary sidebar, a plain ``<div>``: a screen reader's list of landmarks skips
    it (axe-core: ``region``, moderate, on every page). Our copy wraps the link in
    ``<nav aria-label="Book home">``.
    """
    _fixed_component(app, config, "navbar-logo.html", _logo_link_in_nav,
                     "the theme's logo link is already in a landmark, or has changed")


def _logo_link_in_nav(text):
    """``text`` with its ``navbar-brand`` link wrapped in a ``<nav>`` (unchanged if it has
    a ``<nav>`` already, or no such link)."""
    start = re.search(r"<a\b[^>]*\bnavbar-brand\b", text)
    if start is None or "<nav" in text:
        return text
    i = start.start()
    j = text.find("</a>", i)                  # links do not nest: the first one closes it
    if j < 0:
        return text
    j += len("</a>")
    return f'{text[:i]}<nav class="nn-home" aria-label="Book home">{text[i:j]}</nav>{text[j:]}'


def _replacing(visit, old, new):
    """An HTML visitor that runs ``visit`` and then replaces ``old`` by ``new`` in what it wrote."""
    def visitor(self, node):
        start = len(self.body)
        visit(self, node)
        for i in range(start, len(self.body)):
            self.body[i] = self.body[i].replace(old, new)
    return visitor


def _accessible_nodes(app, config):
    """Two HTML visitors made accessible (axe-core), wrapping the original ones.

    * A hidden code cell's "Show code cell source" toggle: MyST-NB writes
      ``<summary aria-label="Toggle hidden content">`` around the visible words "Show
      code cell source", a name that does not contain the label a reader sees
      (``label-content-name-mismatch``, serious). Without the aria-label the summary
      is named by its visible text.
    * The bibliography: docutils writes the citations as ``<div role="list">`` of
      ``role="doc-biblioentry"`` items, a role that ARIA's ``list`` does not accept as
      a child (``aria-required-children``, critical; DPUB-ARIA 1.1 deprecates
      ``doc-biblioentry`` in favour of list items). Each citation is a ``listitem``.

    Registered at ``config-inited``, after every extension (MyST-NB too) has set up.
    """
    try:
        from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput
    except ImportError:
        pass
    else:
        app.add_node(HideCodeCellNode, override=True, html=(
            _replacing(visit_HideCellInput, '<summary aria-label="Toggle hidden content">', "<summary>"),
            depart_HideCellInput))
    # The translator's own methods (the class's, not the ones this override installs).
    app.add_node(nodes.citation, override=True, html=(
        _replacing(lambda self, node: type(self).visit_citation(self, node),
                   'role="doc-biblioentry"', 'role="listitem"'),
        lambda self, node: type(self).depart_citation(self, node)))


def setup(app):
    app.connect("config-inited", _config_inited, priority=900)
    app.connect("config-inited", _add_static)
    app.connect("config-inited", _nitpick)
    app.connect("config-inited", _theme_mode)
    app.connect("config-inited", _latex_theme, priority=900)
    app.connect("builder-inited", _copy_latex_class)
    app.connect("build-finished", _finish_latex)
    app.add_post_transform(_InteractiveInPrint)
    app.connect("config-inited", _drop_fontawesome_js)
    app.add_css_file("nnbook.css")
    app.connect("build-finished", _copy_mathjax)
    # Before napoleon (priority 500) turns numpydoc sections into field lists.
    app.connect("autodoc-process-docstring", _process_docstring, priority=400)
    app.connect("autodoc-process-docstring", _restore_prose, priority=600)
    app.connect("html-page-context", _dedupe_scripts)
    # After _drop_fontawesome_js (priority 500), whose templates folder it shares.
    app.connect("config-inited", _accessible_search_button, priority=600)
    app.connect("config-inited", _logo_in_landmark, priority=600)
    app.connect("config-inited", _accessible_nodes)
    app.add_js_file("nnbook-a11y.js", defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
