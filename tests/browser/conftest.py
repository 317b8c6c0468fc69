"""The built HTML book, read in a real browser, offline.

Run with ``make browser-test`` (it builds the book first), or against any build:

    NNBOOK_HTML=/tmp/b/_build/html .venv/bin/python -m pytest tests/browser

The book is served from ``127.0.0.1`` by ``python -m http.server``; Debian's Chromium
(``/usr/bin/chromium``, or ``NNBOOK_CHROMIUM``) is driven by Playwright. Playwright
never downloads a browser here. Every request to any other host is blocked and counted.

Each page is visited once, in a fresh tab with an empty HTTP cache (routing every
request, as we do, turns Playwright's cache off): everything a test asserts is
measured during that visit and kept in a :class:`Visit`; the tests only read it. A
full-page screenshot of each page goes to ``<build>/screenshots/<page>.png``, and one
in the theme's dark mode to ``<page>.dark.png``.

axe-core (the accessibility engine, pinned in ``package.json``) is injected from
``tests/browser/node_modules``: ``npm ci --prefix tests/browser`` installs it (``make
browser-test`` does, when it is missing). Every violation it finds fails the page's
test, whatever its impact (from minor to critical).

If Chromium or the built book is missing, the tests are skipped with a message that
names what is missing (a reader's machine may have no Chromium); nothing else skips.
CI sets ``NNBOOK_REQUIRE_BROWSER=1``, which turns that skip into a failure.
"""

from __future__ import annotations

import pytest

from browser_support import (CHROMIUM, HTML_DIR, NO_BOOK, SHOT_DIR, book_pages, chromium,
                             chromium_available, missing, serve, visit_page)


def pytest_generate_tests(metafunc):
    if "page_name" in metafunc.fixturenames:
        # With no build there is one placeholder, so the `site` fixture can skip with a
        # message instead of pytest's silent "empty parameter set".
        pages = book_pages() or [NO_BOOK]
        metafunc.parametrize("page_name", pages, ids=pages)


@pytest.fixture(scope="session")
def site():
    """The base URL of the built book, served from 127.0.0.1 for the session."""
    if not (HTML_DIR / "index.html").is_file():
        missing(f"the built book is missing: no {HTML_DIR / 'index.html'} "
                    "(run `make book`, or set NNBOOK_HTML to a build's html folder)")
    with serve(HTML_DIR) as base:
        yield base


@pytest.fixture(scope="session")
def browser(site):
    """Debian's Chromium with a fresh, throw-away profile (user-data-dir)."""
    if not chromium_available():
        missing(f"Chromium is missing: no executable {CHROMIUM} "
                    "(apt-get install chromium, or set NNBOOK_CHROMIUM)")
    with chromium() as context:
        yield context


@pytest.fixture(scope="session")
def visits():
    return {}


@pytest.fixture
def visit(page_name, site, browser, visits):
    """The measurements of one page, visiting it the first time a test asks for it."""
    if page_name not in visits:
        shot = SHOT_DIR / (page_name[: -len(".html")] + ".png")
        visits[page_name] = visit_page(browser, site, page_name, screenshot=shot, audit=True)
    return visits[page_name]


@pytest.fixture(scope="session", autouse=True)
def _expose_visits(request, visits):
    request.config._nnbook_visits = visits


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print each visited page's weight, so a build's numbers are on record."""
    visits_ = getattr(config, "_nnbook_visits", None)
    if not visits_:
        return
    tr = terminalreporter
    tr.section("page weights (HTML + every resource, as transferred)")
    for name, v in sorted(visits_.items(), key=lambda kv: -kv[1].weight):
        tr.write_line(f"{v.weight / 1e6:7.3f} MB  {len(v.transferred):3d} requests  "
                      f"{len(v.blocked)} blocked  {name}")
    if SHOT_DIR.is_dir():
        tr.write_line(f"screenshots: {SHOT_DIR}")
