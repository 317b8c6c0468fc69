"""Every page of the built book, offline in Chromium: it runs cleanly, its math and
figures render, its interactive figures respond, its links resolve, and it is light.

One test per check and page (``test_images_load[book/02_neuron.html]``), all reading
the same visit of the page (see ``conftest.py``).
"""

from __future__ import annotations

import json
import re

from browser_support import HTML_DIR, PHONE, ROOT, Visit, broken_links, open_page

MAX_PAGE_BYTES = 3_000_000
MIN_CONTRAST = 4.5                          # WCAG AA, normal-size text
MIN_ALT_CHARS = 15
# Alt texts made only of these words say nothing about the figure.
TRIVIAL_ALT_WORDS = {"a", "an", "the", "of", "figure", "fig", "image", "img", "plot", "png",
                     "jpg", "jpeg", "svg", "graph", "chart", "picture", "diagram", "output",
                     "untitled", "interactive", "widget"}
MIN_SLIDER_PX = 100                         # a slider a thumb can use on a phone


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


def alt_text_problem(alt):
    """Why an alt text does not say what its figure shows, or None if it may."""
    a = (alt or "").strip()
    if not a:
        return "no alt text"
    if re.search(r"\.(png|jpe?g|gif|svg|webp|pdf)\b", a, re.I) or ("/" in a and " " not in a):
        return "a file name"
    if a.startswith("<") and a.endswith(">"):
        return "a Python repr"                      # "<Figure size 640x480 with 1 Axes>"
    if re.fullmatch(r"[\w.]+(\(.*\))?", a) and (" " not in a):
        return "a name (function or variable), not a description"
    words = re.findall(r"[a-z]+", a.lower())
    if not words or set(words) <= TRIVIAL_ALT_WORDS:
        return "a generic word"
    if len(a) < MIN_ALT_CHARS:
        return f"only {len(a)} characters"
    return None


def _notebook_cell(page_name, source):
    """The notebook and cell index (0-based, all cells) whose source is ``source``."""
    nb = ROOT / (page_name[: -len(".html")] + ".ipynb")
    if source is None or not nb.is_file():
        return None
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code" and "".join(cell["source"]).strip() == source.strip():
            return f"{nb.relative_to(ROOT)} cell {i}"
    return None


def test_alt_text_describes(visit):
    """Each figure's alt text (every image of the article but Sphinx's own +/- togglers)
    says what it shows: not "figure", "plot", a file or function name, a repr, nor
    anything under 15 characters. Offenders are named by chapter and cell (the
    notebook's cell index, 0-based, and the page's code cell, 1-based)."""
    bad = []
    for im in visit.dom["alts"]:
        if not im["figure"]:
            continue
        why = alt_text_problem(im["alt"])
        if why is None:
            continue
        if im["cell"] is not None:
            where = _notebook_cell(visit.final_name, im["source"]) or visit.final_name
            first = next((ln for ln in (im["source"] or "").splitlines() if ln.strip()), "")
            where += f" (code cell {im['cell']} of the page: {first.strip()[:60]!r})"
        else:
            where = f"{visit.final_name}, section {im['section']!r}"
        kind = "interactive figure" if im["interactive"] else "image"
        bad.append(f"{where}: {kind} alt={im['alt']!r}: {why}")
    assert not bad, f"{visit.name}: alt texts that do not describe the figure:{_lines(bad)}"


def test_math_typeset(visit):
    """MathJax finished, typeset every math element without an error, and left no raw TeX."""
    dom = visit.dom
    if dom["math"]:
        assert dom["mathjax"], f"{visit.name}: {dom['math']} math elements but MathJax did not load"
    assert not dom["untypeset_math"], f"{visit.name}: math not typeset:{_lines(dom['untypeset_math'])}"
    assert not dom["math_errors"], f"{visit.name}: TeX errors (mjx-merror):{_lines(dom['math_errors'])}"
    assert not dom["raw_tex"], f"{visit.name}: raw TeX in the text:{_lines(dom['raw_tex'])}"


def test_math_assistive_mml(visit):
    """Every typeset equation carries MathJax's assistive MathML (``mjx-assistive-mml``,
    from the ``a11y/assistive-mml`` component) for screen readers."""
    dom = visit.dom
    assert dom["assistive_mml"] == dom["mjx_containers"], (
        f"{visit.name}: {dom['mjx_containers']} typeset equations, "
        f"{dom['assistive_mml']} with assistive MathML")


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


def test_interactive_figures_keyboard(visit):
    """Each interactive figure works from the keyboard alone: Tab reaches each control
    (with a visible focus ring), an arrow key steps it, what it announces follows
    (aria-valuetext and the <output> for a slider), the frame is that setting's, and End
    (or Home) changes the frame; each control has an accessible name (role + label)."""
    problems = []
    if len(visit.keyboard) != len(visit.interactive):
        problems.append(f"{len(visit.interactive)} interactive figures, "
                        f"{len(visit.keyboard)} driven from the keyboard")
    for fig in visit.keyboard:
        for c in fig["controls"]:
            where = f"figure {fig['figure']}, {c['kind']} {c['control']!r}"
            if not c["focused"]:
                problems.append(f"{where}: Tab did not focus it")
                continue
            if not c["focus_visible"]:
                problems.append(f"{where}: focused from the keyboard without a visible focus ring")
            if not c["named"]:
                problems.append(f"{where}: no accessible name from its label")
            a, j = c["arrow"], c["jump"]
            if not a["stepped"]:
                problems.append(f"{where}: {a['key']} did not change the value ({a['value']})")
            if not a["still_focused"]:
                problems.append(f"{where}: {a['key']} moved the focus away")
            if not a["frame_matches"]:
                problems.append(f"{where}: after {a['key']} the image is not that setting's frame")
            if not (a["announced"] and a["announced_changed"]):
                problems.append(f"{where}: after {a['key']} aria-valuetext / <output> did not follow")
            if not (j["frame_changed"] and j["frame_matches"]):
                problems.append(f"{where}: {j['key']} did not show the setting's (other) frame")
            if not c["restored"]:
                problems.append(f"{where}: moving back did not restore the first frame")
    assert not problems, f"{visit.name}:{_lines(problems)}"


def _axe(visit):
    if "error" in visit.axe:
        raise AssertionError(visit.axe["error"])
    return visit.axe


def _violation_lines(violations):
    for v in violations:
        yield f"[{v['impact']}] {v['id']}: {v['help']} ({v['count']} element(s))"
        for n in v["nodes"]:
            yield f"    {n['target']}: {n['html'][:120]}"
            if n["summary"]:
                yield f"      {n['summary'][:200]}"


def test_accessibility_axe(visit):
    """axe-core finds no violation at all, of any impact (colour contrast included), in
    the theme's light mode (every rule axe runs by default) nor in its dark mode (the
    rules that read colours)."""
    axe = _axe(visit)
    found = [f"{mode}: " + "\n  ".join(_violation_lines([v]))
             for mode in ("light", "dark") for v in axe[mode]]
    assert not found, f"{visit.name}: axe-core violations:{_lines(found)}"


def test_interactive_text_contrast(visit):
    """The interactive figures' label and value text stand out from their control bar
    (4.5:1) in light and in dark mode: measured directly, as axe may leave it undecided."""
    axe = _axe(visit)
    low = [f"{mode}: figure {c['figure']} <{c['element']}> {c['text']!r}: {c['ratio']}:1 "
           f"({c['color']} on {c['background']})"
           for mode in ("light", "dark") for c in axe[f"controls_{mode}"] if c["ratio"] < MIN_CONTRAST]
    assert not low, f"{visit.name}: text under {MIN_CONTRAST}:1:{_lines(low)}"


def test_dark_mode_screenshot_saved(visit):
    """The page was also shown in the theme's dark mode (pydata-sphinx-theme's
    ``data-theme="dark"``), and photographed (one screen, at its first interactive
    figure if it has one)."""
    assert _axe(visit)["dark_background"] not in ("rgb(255, 255, 255)", ""), (
        f"{visit.name}: the page stayed white in dark mode")
    assert visit.dark_screenshot is not None and visit.dark_screenshot.stat().st_size > 0


def test_phone_layout(visit):
    """390 px wide (a phone): the page does not scroll sideways, nothing sticks out of
    the screen (outside boxes that scroll or clip, and the theme's off-canvas drawers),
    and each slider of an interactive figure fits the screen at a usable width."""
    ph = visit.phone
    problems = []
    if ph["overflow"] > 1 or ph["sticking_out"]:
        problems.append(f"the page scrolls {ph['overflow']} px sideways on a {ph['width']} px "
                        f"screen; sticking out:" + _lines(ph["sticking_out"] or ["(nothing found)"]))
    for sl in ph["sliders"]:
        if sl["left"] < 0 or sl["right"] > ph["width"] or sl["width"] < MIN_SLIDER_PX:
            problems.append(f"slider {sl['id']}: {sl['left']}..{sl['right']} px ({sl['width']} px wide) "
                            f"on a {ph['width']} px screen")
    for fr in ph["frames"]:
        if fr["left"] < 0 or fr["right"] > ph["width"]:
            problems.append(f"an interactive frame spans {fr['left']}..{fr['right']} px")
    assert ph["width"] <= PHONE["width"]
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


def test_alt_text_rule():
    """The alt-text rule itself (no browser): what it rejects, and what it lets through."""
    for bad in ["", "figure", "Figure 3", "image", "a plot", "png", "sigmoid.png",
                "_images/abc123.png", "plot_sigmoid", "nnlib.plots.decision_boundary()",
                "<Figure size 640x480 with 1 Axes>", "The sigmoid"]:
        assert alt_text_problem(bad), bad
    for good in ["The sigmoid rising from 0 to 1 over z from -5 to 5",
                 "Training cost per epoch, falling from 0.4 to 0.05"]:
        assert alt_text_problem(good) is None, good
