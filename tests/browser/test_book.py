"""Every page of the built book, offline in Chromium: it runs cleanly, its math and
figures render, its interactive figures respond, its links resolve, and it is light.

One test per check and page (``test_images_load[book/02_neuron.html]``), all reading
the same visit of the page (see ``conftest.py``).
"""

from __future__ import annotations

from browser_support import HTML_DIR, Visit, broken_links, open_page

MAX_PAGE_BYTES = 3_000_000


def _lines(items):
    return "\n  " + "\n  ".join(map(str, items))


def test_no_page_errors(visit):
    """No uncaught JavaScript exception."""
    assert not visit.page_errors, f"{visit.name}: page errors:{_lines(visit.page_errors)}"


def test_no_console_errors(visit):
    """Nothing logged at the error level (including resources that failed to load)."""
    assert not visit.console_errors, f"{visit.name}: console errors:{_lines(visit.console_errors)}"


def test_offline(visit):
    """Not a single request to another host than 127.0.0.1 (each was blocked and counted)."""
    assert len(visit.blocked) == 0, (
        f"{visit.name}: {len(visit.blocked)} request(s) tried to leave the machine:"
        f"{_lines(visit.blocked)}")


def test_local_resources_ok(visit):
    """Every file the page asked the local server for exists (no 404, no failure)."""
    assert not visit.failed, f"{visit.name}: failed local requests:{_lines(visit.failed)}"


def test_images_load(visit):
    assert not visit.dom["broken_images"], (
        f"{visit.name}: images that did not load (naturalWidth 0):{_lines(visit.dom['broken_images'])}")


def test_images_have_alt_text(visit):
    assert not visit.dom["images_without_alt"], (
        f"{visit.name}: images without alt text:{_lines(visit.dom['images_without_alt'])}")


def test_math_typeset(visit):
    """MathJax finished, typeset every math element without an error, and left no raw TeX."""
    dom = visit.dom
    if dom["math"]:
        assert dom["mathjax"], f"{visit.name}: {dom['math']} math elements but MathJax did not load"
    assert not dom["untypeset_math"], f"{visit.name}: math not typeset:{_lines(dom['untypeset_math'])}"
    assert not dom["math_errors"], f"{visit.name}: TeX errors (mjx-merror):{_lines(dom['math_errors'])}"
    assert not dom["raw_tex"], f"{visit.name}: raw TeX in the text:{_lines(dom['raw_tex'])}"


def test_interactive_figures_respond(visit):
    """Each control of each interactive figure changes the frame at two other positions."""
    problems = []
    for fig in visit.interactive:
        if not fig["has_frame"]:
            problems.append(f"figure {fig['figure']}: no img.nn-frame")
        if not fig["controls"]:
            problems.append(f"figure {fig['figure']}: no range or select control")
        for c in fig["controls"]:
            where = f"figure {fig['figure']}, control {c['control']!r}"
            if c["n_values"] < 2:
                problems.append(f"{where}: only {c['n_values']} position(s)")
            for m in c["moves"]:
                if not m["changed"]:
                    problems.append(f"{where}: the frame did not change at position {m['to']}")
                if not m["loaded"]:
                    problems.append(f"{where}: the frame at position {m['to']} did not load")
            if not c["restored"]:
                problems.append(f"{where}: moving back did not restore the first frame")
    assert not problems, f"{visit.name}:{_lines(problems)}"


def test_interactive_controls_labelled(visit):
    unlabelled = [c for c in visit.dom["controls"] if not c["visible_label"]]
    assert not unlabelled, f"{visit.name}: controls without a visible <label>:{_lines(unlabelled)}"


def test_internal_links_resolve(visit):
    bad = broken_links(visit.final_name, visit.dom["links"])
    if visit.redirect:
        bad += broken_links(visit.name, [visit.redirect])
    assert not bad, f"{visit.name}: broken internal links:{_lines(bad)}"


def test_page_weight(visit):
    """The page and everything it loads, as transferred, under 3 MB."""
    assert visit.transferred, f"{visit.name}: no request was recorded"
    heaviest = sorted(visit.transferred.items(), key=lambda kv: -kv[1])[:5]
    assert visit.weight < MAX_PAGE_BYTES, (
        f"{visit.name}: {visit.weight / 1e6:.2f} MB transferred (limit {MAX_PAGE_BYTES / 1e6:.0f} MB); "
        f"heaviest:{_lines(f'{n / 1e3:.0f} kB {u}' for u, n in heaviest)}")


def test_no_inert_widget_state(visit):
    """The executed notebooks' ipywidgets state is not embedded: no widget manager runs
    in the book, and its random model ids would make every build's pages differ."""
    html = (HTML_DIR / visit.name).read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" not in html, (
        f"{visit.name} embeds the notebook's widget state")


def test_screenshot_saved(visit):
    assert visit.screenshot is not None and visit.screenshot.stat().st_size > 0


def test_search_finds_sigmoid(site, browser):
    """The built-in search works offline: search.html?q=sigmoid lists a result."""
    v = Visit("search.html?q=sigmoid")
    page, _ = open_page(browser, site + "search.html?q=sigmoid", v)
    try:
        page.wait_for_function(
            "() => document.querySelectorAll('#search-results ul.search li').length > 0"
            " || /did not match any documents|found 0 page/i.test("
            "  (document.querySelector('#search-results') || {}).textContent || '')")
        results = page.eval_on_selector_all(
            "#search-results ul.search li a", "els => els.map(a => a.textContent.trim())")
    finally:
        page.close()
    assert results, "search.html?q=sigmoid listed no result"
    assert not v.blocked, f"the search tried to leave the machine:{_lines(v.blocked)}"
    assert not v.page_errors and not v.console_errors, (
        f"errors on the search page:{_lines(v.page_errors + v.console_errors)}")
