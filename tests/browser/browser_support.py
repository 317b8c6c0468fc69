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
def chromium():
    """Debian's Chromium through Playwright, with a fresh, throw-away user-data-dir.

    Yields a browser context; every tab opened in it is a page of the book.
    """
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="nnbook-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900}, service_workers="block",
                timeout=TIMEOUT_MS,
            )
            context.set_default_timeout(TIMEOUT_MS)
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
    screenshot: Path | None = None

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


def visit_page(context, base, name, html_dir=HTML_DIR, screenshot=None, interact=True):
    """Open page ``name`` of the book served at ``base`` and measure everything the tests check.

    Waits for the load event, MathJax, every image and the network to go idle; saves a
    full-page screenshot to ``screenshot`` (a path) if given; then, if ``interact``,
    moves every control of every interactive figure.
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
