"""Local Sphinx extension of the book: offline math, and small build fixes.

* MathJax 3 is served from the built site instead of a CDN, so equations render
  offline. The copy comes from the ``sphinx-mathjax-offline`` package on PyPI (it
  vendors MathJax 3.2); we copy only the parts the CommonHTML TeX renderer loads,
  into ``_build/html/_static/mathjax`` after the build (the source ``_static``
  folder is walked by Jupyter Book, which would add every ``.js`` as a script tag).
* ``static/nnbook.css`` styles the interactive figures' HTML controls.
"""

from __future__ import annotations

import importlib.metadata
import pathlib
import shutil

from sphinx.util import logging

logger = logging.getLogger(__name__)

MATHJAX_PARTS = ["tex-chtml.js", "input/tex", "output/chtml", "a11y", "ui", "sre", "adaptors"]


def _mathjax_source():
    try:
        files = importlib.metadata.files("sphinx-mathjax-offline") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if str(f).endswith("static/mathjax/tex-chtml.js"):
            return pathlib.Path(f.locate()).parent
    return None


def _config_inited(app, config):
    if _mathjax_source() is not None:
        config.mathjax_path = "mathjax/tex-chtml.js"
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


def setup(app):
    app.connect("config-inited", _config_inited, priority=900)
    app.connect("config-inited", _add_static)
    app.add_css_file("nnbook.css")
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
