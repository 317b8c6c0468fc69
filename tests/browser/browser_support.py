"""What the browser tests share, and ``scripts/build_report.py`` reuses: where the book
is, how it is served, how Chromium is started, and how one page is visited and measured.

Used by ``conftest.py`` (the fixtures) and ``test_book.py`` (the checks).
"""

from __future__ import annotations

import contextlib
import dataclasses
import html.parser
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HTML_DIR = Path(os.environ.get("NNBOOK_HTML", ROOT / "_build" / "html")).resolve()
SHOT_DIR = HTML_DIR.parent / "screenshots"
CHROMIUM = os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
NO_BOOK = "(no built book)"
TIMEOUT_MS = 60_000


def missing(message):
    """What the browser and JupyterLab suites do when Chromium or the built book is missing:
    skip (a reader's machine may have no Chromium), or fail where the browser is required
    (CI sets ``NNBOOK_REQUIRE_BROWSER=1``)."""
    import pytest

    if os.environ.get("NNBOOK_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(message + " [NNBOOK_REQUIRE_BROWSER is set]", pytrace=False)
    pytest.skip(message)

def book_pages(html_dir=HTML_DIR):
    """Every ``.html`` page of a build (not the files under ``_static``, ``_sources``...)."""
    html_dir = Path(html_dir)
    if not (html_dir / "index.html").is_file():
        return []
    return sorted(
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*.html")
        if not any(part.startswith(("_", ".")) for part in p.relative_to(html_dir).parts)
    )


def chromium_available():
    return os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


# -- the server ------------------------------------------------------------------------

def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(html_dir):
    """``python -m http.server`` on 127.0.0.1 (a free port) for ``html_dir``; yields the base URL."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port),
         "--directory", str(html_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(base + "index.html", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"python -m http.server did not start on port {port}")
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# -- the browser -----------------------------------------------------------------------

@contextlib.contextmanager
def chromium(timeout_ms=None):
    """Debian's Chromium through Playwright, with a fresh, throw-away user-data-dir.

    Yields a browser context (its HTTP cache shared by every tab opened in it), whose
    actions time out after ``timeout_ms`` (default ``TIMEOUT_MS``).
    """
    timeout_ms = timeout_ms or TIMEOUT_MS
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="nnbook-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900}, service_workers="block",
                timeout=timeout_ms,
            )
            context.set_default_timeout(timeout_ms)
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@dataclasses.dataclass
class Visit:
    """What one page did in the browser."""

    name: str
    final_name: str = ""                                          # the page after any redirect
    redirect: str | None = None                                   # a meta-refresh target
    page_errors: list = dataclasses.field(default_factory=list)
    console_errors: list = dataclasses.field(default_factory=list)
    blocked: list = dataclasses.field(default_factory=list)       # URLs to other hosts
    failed: list = dataclasses.field(default_factory=list)        # local requests that failed
    transferred: dict = dataclasses.field(default_factory=dict)   # URL -> bytes (headers + body)
    dom: dict = dataclasses.field(default_factory=dict)           # what the page's script measured
    interactive: list = dataclasses.field(default_factory=list)
    keyboard: list = dataclasses.field(default_factory=list)      # the figures, by key presses
    axe: dict = dataclasses.field(default_factory=dict)           # theme -> axe-core violations
    phone: dict = dataclasses.field(default_factory=dict)         # the page 390 px wide
    screenshot: Path | None = None
    dark_screenshot: Path | None = None

    @property
    def weight(self):
        return sum(self.transferred.values())


def open_page(context, url, visit):
    """A new tab on ``url`` with every non-local request blocked and recorded in ``visit``.

    Routing every request also turns Playwright's HTTP cache off, so each tab loads
    everything afresh and its weight is a first visit's.
    """
    page = context.new_page()
    requests = []

    def route(r):
        u = urllib.parse.urlsplit(r.request.url)
        if u.scheme in ("http", "https") and u.hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            visit.blocked.append(r.request.url)
            r.abort("blockedbyclient")

    def route_ws(ws):
        visit.blocked.append(ws.url)
        ws.close()

    page.route("**/*", route)
    if hasattr(page, "route_web_socket"):  # Playwright >= 1.48
        page.route_web_socket("**/*", route_ws)
    page.on("pageerror", lambda e: visit.page_errors.append(f"{e.name}: {e.message}"))
    page.on("console", lambda m: m.type == "error" and visit.console_errors.append(
        f"{m.text} ({m.location.get('url', '')}:{m.location.get('lineNumber', '')})"))
    page.on("requestfinished", lambda req: requests.append(req))

    def failed(req):
        if urllib.parse.urlsplit(req.url).hostname in LOCAL_HOSTS:
            visit.failed.append(f"{req.url}: {req.failure}")

    page.on("requestfailed", failed)
    page.goto(url, wait_until="load")
    return page, requests


def visit_page(context, base, name, html_dir=HTML_DIR, screenshot=None, interact=True,
               audit=False):
    """Open page ``name`` of the book served at ``base`` and measure everything the tests check.

    Waits for the load event, MathJax, every image and the network to go idle; saves a
    full-page screenshot to ``screenshot`` (a path) if given; then, if ``interact``,
    moves every control of every interactive figure, by script and then from the
    keyboard alone. If ``audit``: axe-core audits the page in the theme's light mode
    and again (its colour rules) in its dark mode (a dark screenshot of one screen goes
    next to the light one, as ``<page>.dark.png``), and the page is laid out 390 px
    wide, as on a phone.
    """
    v = Visit(name, final_name=name, redirect=redirect_target(Path(html_dir) / name))
    page, requests = open_page(context, base + name, v)
    try:
        if v.redirect:
            # A redirect page (Jupyter Book's index.html): measure where it leads.
            page.wait_for_url(urllib.parse.urljoin(base + name, v.redirect))
            page.wait_for_load_state("load")
            v.final_name = page.url[len(base):].split("#")[0].split("?")[0]
        v.dom = page.evaluate(MEASURE_JS)
        page.wait_for_load_state("networkidle")
        if screenshot is not None:
            screenshot = Path(screenshot)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
            v.screenshot = screenshot
        if interact:
            v.interactive = page.evaluate(INTERACT_JS)
            v.keyboard = keyboard_figures(page)
        if audit:
            v.axe = audit_themes(page, screenshot and screenshot.with_suffix(".dark.png"))
            v.dark_screenshot = v.axe.pop("screenshot", None)
            v.phone = phone_view(page)
        for req in requests:
            if urllib.parse.urlsplit(req.url).hostname not in LOCAL_HOSTS:
                continue
            resp = req.response()
            if resp is not None and resp.status >= 400:
                v.failed.append(f"{req.url}: HTTP {resp.status}")
            sizes = req.sizes()
            v.transferred[req.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
    finally:
        page.close()
    return v


# Runs in the page once it has loaded: waits for MathJax and every image, then measures.
MEASURE_JS = r"""
async () => {
  const out = {};
  out.mathjax = !!(window.MathJax && MathJax.startup && MathJax.startup.promise);
  if (out.mathjax) { await MathJax.startup.promise; }
  if (document.fonts) { await document.fonts.ready; }

  // Images: load lazy ones too, then wait for each to decode (or fail).
  const imgs = [...document.images];
  imgs.forEach(img => { img.loading = "eager"; });
  await Promise.all(imgs.map(img => img.decode().catch(() => null)));
  const desc = img => (img.currentSrc || img.src).slice(0, 80);
  out.images = imgs.length;
  out.broken_images = imgs.filter(img => !(img.complete && img.naturalWidth > 0)).map(desc);
  out.images_without_alt = imgs.filter(img => !(img.getAttribute("alt") || "").trim()).map(desc);
  // Every image's alt text, and where it is: the code cell (its place among the page's
  // code cells, and its source, to find it in the notebook) or the section above it.
  const cells = [...document.querySelectorAll("div.cell")];
  out.alts = imgs.map(img => {
    const cell = img.closest("div.cell");
    const sec = img.closest("section");
    const h = sec && sec.querySelector("h1, h2, h3, h4");
    const src = cell && cell.querySelector(".cell_input pre");
    return {src: desc(img), alt: img.getAttribute("alt"), interactive: !!img.closest(".nn-interactive"),
            // The article's images, not Sphinx's UI (the module index's +/- togglers).
            figure: !!img.closest("article") && !img.matches(".toggler"),
            cell: cell ? cells.indexOf(cell) + 1 : null,
            source: src ? src.textContent : null,
            section: h ? h.textContent.replace(/[#¶]/g, "").trim().slice(0, 80) : null};
  });
  // MathJax's assistive MathML (a11y/assistive-mml): a screen reader reads it.
  out.assistive_mml = document.querySelectorAll("mjx-container mjx-assistive-mml math").length;
  out.mjx_containers = document.querySelectorAll("mjx-container").length;

  // Math: every Sphinx math element was typeset, without TeX errors.
  const maths = [...document.querySelectorAll(".math")];
  out.math = maths.length;
  out.untypeset_math = maths.filter(m => !m.querySelector("mjx-container"))
                            .map(m => m.textContent.trim().slice(0, 80));
  out.math_errors = [...document.querySelectorAll("mjx-merror")]
                      .map(e => (e.getAttribute("data-mjx-error") || e.textContent).slice(0, 120));

  // Raw TeX left in the text (outside code, scripts and typeset math).
  const skip = "script, style, noscript, template, textarea, pre, code, kbd, samp, " +
               "mjx-container, .highlight";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const rawTex = /\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$[^$\n]*[\\^_{}][^$\n]*\$/;
  out.raw_tex = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement && n.parentElement.closest(skip)) continue;
    const m = n.textContent.match(rawTex);
    if (m) {
      const i = Math.max(0, m.index - 30);
      out.raw_tex.push(n.textContent.slice(i, m.index + 50).replace(/\s+/g, " "));
    }
  }

  // Links and ids, for the internal-link check.
  out.links = [...document.querySelectorAll("a[href]")].map(a => a.getAttribute("href"));

  // Every control of an interactive figure has a visible, non-empty label.
  out.controls = [];
  document.querySelectorAll(".nn-interactive").forEach((fig, f) => {
    fig.querySelectorAll("input, select, textarea, button").forEach(el => {
      const labels = [...(el.labels || [])];
      const visible = labels.filter(l => l.textContent.trim() &&
        l.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}));
      out.controls.push({figure: fig.id || String(f), control: el.id || el.tagName,
                         label: labels.map(l => l.textContent.trim()).join(" / "),
                         visible_label: visible.length > 0});
    });
  });
  out.height = document.documentElement.scrollHeight;
  return out;
}
"""

# Moves every control of every interactive figure to (up to) two other positions and
# back, recording whether the frame changed and whether each new frame decoded.
INTERACT_JS = r"""
async () => {
  const results = [];
  const figs = [...document.querySelectorAll("div.nn-interactive")];
  for (let f = 0; f < figs.length; f++) {
    const fig = figs[f];
    const img = fig.querySelector("img.nn-frame");
    const controls = [...fig.querySelectorAll("input[type=range], select")];
    const r = {figure: fig.id || String(f), has_frame: !!img, controls: []};
    results.push(r);
    if (!img) continue;
    for (const el of controls) {
      const label = [...(el.labels || [])].map(l => l.textContent.trim()).join(" / ") || el.id;
      const values = el.tagName === "SELECT"
        ? [...el.options].map(o => o.value)
        : Array.from({length: Math.round((+el.max - +el.min) / (+el.step || 1)) + 1},
                     (_, i) => String(+el.min + i * (+el.step || 1)));
      const start = el.value, src0 = img.src;
      const i0 = values.indexOf(start);
      // The two positions farthest from the start (the ends, usually).
      const others = values.map((v, i) => [Math.abs(i - i0), v]).filter(([d]) => d > 0)
                           .sort((a, b) => b[0] - a[0]).slice(0, 2).map(([, v]) => v);
      const c = {control: label, n_values: values.length, moves: []};
      for (const v of others) {
        el.value = v;
        el.dispatchEvent(new Event("input", {bubbles: true}));
        let decoded = true;
        try { await img.decode(); } catch (e) { decoded = false; }
        c.moves.push({to: v, changed: img.src !== src0,
                      loaded: decoded && img.naturalWidth > 0});
      }
      el.value = start;
      el.dispatchEvent(new Event("input", {bubbles: true}));
      c.restored = img.src === src0;
      r.controls.push(c);
    }
  }
  return results;
}
"""



# -- the interactive figures, from the keyboard alone ------------------------------------

# Puts a focusable sentinel just before the figure's controls and focuses it, so the
# next Tab must land on the first control; lists the controls in their page order.
KBD_SETUP_JS = r"""
fig => {
  const s = document.createElement("button");
  s.id = "nn-kbd-sentinel"; s.textContent = "sentinel";
  const bar = fig.querySelector(".nn-controls") || fig.firstElementChild;
  bar.parentNode.insertBefore(s, bar);
  s.focus();
  return {figure: fig.id,
          controls: [...fig.querySelectorAll("input[type=range], select")].map(el => ({
            id: el.id, kind: el.tagName === "SELECT" ? "select" : "range",
            label: [...(el.labels || [])].map(l => l.textContent.trim()).join(" / "),
            n: el.tagName === "SELECT" ? el.options.length : (+el.max - +el.min) / (+el.step || 1) + 1}))};
}
"""

# The state of control ``id`` of a figure: is it focused (visibly), its value, what it
# announces (aria-valuetext, the <output>), and whether the image is the frame the
# figure's data holds for the controls' current values.
KBD_STATE_JS = r"""
([fig, id]) => {
  const el = document.getElementById(id), img = fig.querySelector("img.nn-frame");
  const data = JSON.parse(fig.querySelector("script.nn-data").textContent);
  let flat = 0;
  fig.querySelectorAll("[data-k]").forEach(c => {
    flat = flat * data.dims[+c.getAttribute("data-k")] + (+c.value); });
  const st = getComputedStyle(el);
  const out = {focused: document.activeElement === el, focus_visible: el.matches(":focus-visible"),
               outline: st.outlineStyle !== "none" && parseFloat(st.outlineWidth) > 0,
               value: el.value, src: img.src.slice(-40),
               expected_frame: img.src === "data:image/png;base64," + data.frames[data.index[flat]]};
  if (el.type === "range") {
    const shown = JSON.parse(el.getAttribute("data-v"))[+el.value];
    const o = el.parentElement.querySelector("output");
    out.shown = shown;
    out.valuetext = el.getAttribute("aria-valuetext");
    out.output = o ? o.textContent.trim() : null;
  }
  return out;
}
"""


def keyboard_figures(page):
    """Every control of every interactive figure, driven by key presses only.

    From a sentinel placed just before a figure's controls, Tab must focus each control
    in turn (visibly); there, an arrow key must step the value by one, update what the
    control announces (``aria-valuetext`` and the ``<output>``, or the selected option)
    and show that setting's frame; End (or Home) must change the frame. Chromium's
    accessible name of each control (its role and <label>) is checked through
    Playwright's role locator. The figure is put back as it was.
    """
    results = []
    figs = page.locator("div.nn-interactive")
    for f in range(figs.count()):
        fig = figs.nth(f)
        info = fig.evaluate(KBD_SETUP_JS)
        r = {"figure": info["figure"] or str(f), "controls": []}
        results.append(r)
        try:
            for c in info["controls"]:
                page.keyboard.press("Tab")
                state = lambda: page.evaluate(KBD_STATE_JS, [fig.element_handle(), c["id"]])
                s0 = state()
                role = "slider" if c["kind"] == "range" else "combobox"
                rec = {"control": c["label"] or c["id"], "kind": c["kind"], "focused": s0["focused"],
                       "focus_visible": s0["focus_visible"] and s0["outline"],
                       "named": fig.get_by_role(role, name=c["label"], exact=True).count() == 1
                                if c["label"] else False}
                r["controls"].append(rec)
                if not s0["focused"]:
                    continue
                at_end = (s0["value"] == str(c["n"] - 1)) if c["kind"] == "range" else (
                    page.evaluate("id => { const e = document.getElementById(id);"
                                  " return e.selectedIndex === e.options.length - 1; }", c["id"]))
                step, jump = (("ArrowLeft", "Home") if at_end else ("ArrowRight", "End")) \
                    if c["kind"] == "range" else (("ArrowUp", "Home") if at_end else ("ArrowDown", "End"))
                page.keyboard.press(step)
                s1 = state()
                rec["arrow"] = {"key": step, "value": [s0["value"], s1["value"]],
                                "stepped": s1["value"] != s0["value"],
                                "frame_matches": s1["expected_frame"],
                                "announced": (s1["valuetext"] == s1["shown"] == s1["output"])
                                if c["kind"] == "range" else True,
                                "announced_changed": (s1.get("valuetext") != s0.get("valuetext"))
                                if c["kind"] == "range" else True,
                                "still_focused": s1["focused"]}
                page.keyboard.press(jump)
                s2 = state()
                rec["jump"] = {"key": jump, "value": s2["value"], "frame_changed": s2["src"] != s0["src"],
                               "frame_matches": s2["expected_frame"]}
                # Back to the start, by script (the keyboard part is measured).
                page.evaluate("([id, v]) => { const e = document.getElementById(id); e.value = v;"
                              " e.dispatchEvent(new Event('input', {bubbles: true})); }",
                              [c["id"], s0["value"]])
                rec["restored"] = state()["src"] == s0["src"]
        finally:
            page.evaluate("() => { const s = document.getElementById('nn-kbd-sentinel');"
                          " if (s) s.remove(); }")
    return results


# -- accessibility: axe-core in the theme's light and dark modes -------------------------

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_MISSING = (f"axe-core is not installed ({AXE_JS} is missing): "
               "run `npm ci --prefix tests/browser` (make browser-test does)")

# axe.run on the whole document; each violation trimmed to what a report needs.
AXE_RUN_JS = r"""
async rules => {
  const options = {resultTypes: ["violations"]};
  if (rules) options.runOnly = {type: "rule", values: rules};
  const r = await axe.run(document, options);
  return r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    nodes: v.nodes.slice(0, 4).map(n => ({target: n.target.join(" "),
                                          html: n.html.replace(/\s+/g, " ").slice(0, 160),
                                          summary: (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 240)}))}));
}
"""

# The dark pass: the theme's modes differ in colours only (the same DOM, ARIA and
# layout), so in dark mode axe runs the rules that read colours.
AXE_DARK_RULES = ["color-contrast", "link-in-text-block"]

# pydata-sphinx-theme's own switch: it sets data-mode and data-theme on <html> (and
# remembers the choice in localStorage, which a fresh profile does not have). Waits
# for the theme's colour transitions to end, so that axe sees the final colours.
SET_THEME_JS = r"""
async mode => {
  document.documentElement.dataset.mode = mode;
  document.documentElement.dataset.theme = mode;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
  return getComputedStyle(document.body).backgroundColor;
}
"""


# The contrast of each interactive figure's label and value text against the colour
# actually behind it (the first opaque background up the tree), WCAG's formula. axe
# reports such text as "incomplete" rather than failing it when it cannot tell the
# background, so the figures' own text is measured here too.
CONTROL_CONTRAST_JS = r"""
() => {
  const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(x => { x /= 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; })
    .reduce((s, x, i) => s + x * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = el => { for (let a = el; a; a = a.parentElement) {
      const c = rgb(getComputedStyle(a).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] >= 0.99)) return c.slice(0, 3); }
    return [255, 255, 255]; };
  return [...document.querySelectorAll(".nn-interactive label, .nn-interactive output")].map(el => {
    const fg = rgb(getComputedStyle(el).color).slice(0, 3), bg = behind(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return {figure: el.closest(".nn-interactive").id, element: el.tagName.toLowerCase(),
            text: el.textContent.trim().slice(0, 30), color: `rgb(${fg})`, background: `rgb(${bg})`,
            ratio: Math.round((a + 0.05) / (b + 0.05) * 100) / 100};
  });
}
"""


def audit_themes(page, dark_screenshot=None):
    """axe-core's violations on the loaded page in light mode, then in dark mode.

    axe-core is injected from disk (``page.add_script_tag(path=...)``: no request). In
    light mode every rule axe runs by default; in dark mode the colour rules
    (``AXE_DARK_RULES``: each of the others would find the same as in light mode), and
    a screenshot of one screen goes to ``dark_screenshot`` if given. Returns
    ``{"light": [...], "dark": [...], "controls_light": [...], "controls_dark": [...],
    "dark_background": css colour, "screenshot": path}`` or ``{"error": message}``; the
    ``controls_*`` lists give the contrast of the interactive figures' label and value text.
    """
    if not AXE_JS.is_file():
        return {"error": AXE_MISSING}
    page.add_script_tag(path=str(AXE_JS))
    out = {"light": page.evaluate(AXE_RUN_JS, None),
           "controls_light": page.evaluate(CONTROL_CONTRAST_JS)}
    out["dark_background"] = page.evaluate(SET_THEME_JS, "dark")
    out["dark"] = page.evaluate(AXE_RUN_JS, AXE_DARK_RULES)
    out["controls_dark"] = page.evaluate(CONTROL_CONTRAST_JS)
    if dark_screenshot is not None:
        # One screen (not the full page: that costs seconds a page), at the first
        # interactive figure if the page has one.
        page.evaluate("() => { const f = document.querySelector('.nn-interactive');"
                      " if (f) f.scrollIntoView({block: 'center'}); }")
        page.screenshot(path=str(dark_screenshot))
        out["screenshot"] = Path(dark_screenshot)
    page.evaluate(SET_THEME_JS, "light")
    return out


# -- the phone view ---------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}

# At 390 px: how far the page scrolls sideways, what sticks out of the viewport (outside
# any scrolling box), and where each slider of an interactive figure is.
PHONE_JS = r"""
async () => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const de = document.documentElement, W = de.clientWidth;
  // Inside a box that scrolls or clips sideways, or in a fixed layer (the theme's
  // off-canvas sidebars, which slide in over the page), an element does not widen it.
  const contained = el => { for (let a = el; a && a !== document.body; a = a.parentElement) {
      const st = getComputedStyle(a);
      if (st.position === "fixed") return true;
      if (a !== el && ["auto", "scroll", "hidden", "clip"].includes(st.overflowX)) return true; }
    return false; };
  const out = {width: W, overflow: de.scrollWidth - W, sticking_out: []};
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > W + 1 && el.checkVisibility() && !contained(el)) {
      out.sticking_out.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}` +
        `${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""}` +
        ` (right edge ${Math.round(r.right)} px)`);
      if (out.sticking_out.length >= 8) break;
    }
  }
  out.sliders = [...document.querySelectorAll(".nn-interactive input[type=range]")].map(el => {
    const r = el.getBoundingClientRect();
    return {id: el.id, left: Math.round(r.left), right: Math.round(r.right), width: Math.round(r.width),
            height: Math.round(r.height)};
  });
  out.frames = [...document.querySelectorAll(".nn-interactive img.nn-frame")].map(img => {
    const r = img.getBoundingClientRect(); return {left: Math.round(r.left), right: Math.round(r.right)}; });
  return out;
}
"""


def phone_view(page):
    """The page laid out 390 px wide (a phone): sideways overflow and the sliders' boxes."""
    page.set_viewport_size(PHONE)
    try:
        return page.evaluate(PHONE_JS)
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


# -- the internal-link check ------------------------------------------------------------

_REFRESH = re.compile(r"""<meta\s+http-equiv=["']?refresh["']?\s+content=["']\s*\d+\s*;\s*url=([^"'>]+)""",
                      re.I)


def redirect_target(path: Path):
    """The URL a ``<meta http-equiv="refresh">`` page sends the reader to, or None."""
    m = _REFRESH.search(path.read_text(encoding="utf-8", errors="replace")[:4000])
    return m.group(1).strip() if m else None


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for k, val in attrs:
            if k == "id" or (tag == "a" and k == "name"):
                self.ids.add(val)


_id_cache: dict = {}


def ids_of(path: Path):
    """The ids (and ``<a name>``s) in a built HTML file."""
    if path not in _id_cache:
        parser = _Ids()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        _id_cache[path] = parser.ids
    return _id_cache[path]


def broken_links(page_name, hrefs):
    """The relative links of a page whose file, or whose #anchor, does not exist."""
    bad = []
    base = "/" + page_name
    for href in hrefs:
        parts = urllib.parse.urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("//"):
            continue  # not a relative link (external, mailto:, javascript:, data:)
        target = urllib.parse.urljoin(base, parts.path) if parts.path else base
        if target.endswith("/"):
            target += "index.html"
        path = HTML_DIR / urllib.parse.unquote(target.lstrip("/"))
        if not path.is_file():
            bad.append(f"{href} (no file {path.relative_to(HTML_DIR) if path.is_relative_to(HTML_DIR) else path})")
            continue
        frag = urllib.parse.unquote(parts.fragment)
        if frag and path.suffix == ".html" and frag not in ids_of(path):
            bad.append(f"{href} (no id {frag!r} in {path.relative_to(HTML_DIR)})")
    return bad
