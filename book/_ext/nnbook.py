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
* ``static/nnbook.css`` styles the interactive figures' HTML controls.
* The API page (``book/api.md``, autodoc): nnlib's docstrings write math as
  ``$...$`` (readable in ``help()`` and in the source); they become ``:math:`` roles
  (and ``$$...$$`` lines ``.. math::`` blocks) before napoleon and docutils see them.
  Under ``-n`` (nitpicky), the types the docstrings name from numpy, matplotlib and
  plain English (``ndarray``, ``array_like``, ``callable``, ``optional``) have no
  target without intersphinx (which needs the network): they are ignored here, and only
  they; a reference to a missing nnlib name still fails the build.
* Lighter pages: pydata-sphinx-theme's ``fontawesome.js`` (1.5 MB, only for custom
  icons, which the book has none of) is not loaded; see :func:`_drop_fontawesome_js`.
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

import importlib.metadata
import pathlib
import re
import shutil

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


def setup(app):
    app.connect("config-inited", _config_inited, priority=900)
    app.connect("config-inited", _add_static)
    app.connect("config-inited", _nitpick)
    app.connect("config-inited", _theme_mode)
    app.connect("config-inited", _drop_fontawesome_js)
    app.add_css_file("nnbook.css")
    app.connect("build-finished", _copy_mathjax)
    # Before napoleon (priority 500) turns numpydoc sections into field lists.
    app.connect("autodoc-process-docstring", _process_docstring, priority=400)
    app.connect("autodoc-process-docstring", _restore_prose, priority=600)
    app.connect("html-page-context", _dedupe_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
