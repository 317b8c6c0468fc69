"""One chapter in JupyterLab: open it, Run All Cells, read what the reader sees, move the
interactive figures from the keyboard. Used by ``conftest.py``; ``test_lab.py`` only reads
the :class:`LabVisit` that :func:`visit_chapter` returns.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
import urllib.parse
from pathlib import Path

from browser_support import LOCAL_HOSTS

PAGE_TIMEOUT_MS = 120_000    # the first JupyterLab page load can take over a minute
RUN_TIMEOUT = 300            # s: one chapter's Run All Cells, to an idle kernel
MOVE_TIMEOUT_MS = 60_000     # one keyboard move of a control, to a new frame
MIN_SLIDER_PX = 150          # a slider track narrower than this is not usable

# MyST left as source in the rendered text (math, code and editors are skipped): a role
# such as {term}`x` (CommonMark shows "{term}x"), a directive fence or its options, a
# labelled display equation, or mystmd's own notice of markup it did not know.
RAW_MYST = [
    ("role", re.compile(r"\{[A-Za-z][\w:.+-]*\}")),
    ("fence", re.compile(r"```|~~~|^:::", re.M)),
    ("directive option", re.compile(r"^\s*:(label|class|name|numbered|dropdown|open)?:", re.M)),
    ("display math", re.compile(r"\$\$")),
    ("equation label", re.compile(r"^\s*\((eq|fig|tab)-[\w-]+\)", re.M)),
    ("unknown markup", re.compile(r"Unknown (role|directive)", re.I)),
]


@dataclasses.dataclass
class LabVisit:
    """What one chapter did in JupyterLab."""

    chapter: str
    seconds: dict = dataclasses.field(default_factory=dict)       # load, run, interact
    run_problems: list = dataclasses.field(default_factory=list)  # timeouts, unsaved notebook
    errors: list = dataclasses.field(default_factory=list)        # error outputs (saved notebook)
    unexecuted: list = dataclasses.field(default_factory=list)    # code cells left without a count
    markdown_cells: int = 0
    unrendered: list = dataclasses.field(default_factory=list)    # markdown cells left as source
    raw_myst: list = dataclasses.field(default_factory=list)      # (kind, cell, excerpt)
    interactive_cells: int = 0                                    # code cells calling interactive(
    figures: list = dataclasses.field(default_factory=list)       # one dict per live figure
    fallbacks: list = dataclasses.field(default_factory=list)     # figures shown as plain text
    page_errors: list = dataclasses.field(default_factory=list)
    foreign: list = dataclasses.field(default_factory=list)       # requests to other hosts


# The prompts of the code cells: "[3]:", "[*]:" (running or queued) or "[ ]:".
PROMPTS_JS = r"""
() => [...document.querySelectorAll(".jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt")]
        .map(p => p.textContent.trim())
"""

# The text a reader sees in each markdown cell, dropdowns (solutions) opened first.
# Skips the hidden editor, code, and typeset math (KaTeX's and MathJax's markup).
MARKDOWN_JS = r"""
async () => {
  const cells = [...document.querySelectorAll(".jp-NotebookPanel .jp-MarkdownCell")];
  for (const c of cells) {
    c.querySelectorAll("details:not([open])").forEach(d => { d.open = true; });
    c.querySelectorAll("[aria-expanded=false]").forEach(b => b.click());
  }
  await new Promise(r => setTimeout(r, 300));
  const skip = ".jp-InputArea-editor, .cm-editor, pre, code, script, style, .katex, " +
               "mjx-container, .MathJax, math";
  return cells.map((c, i) => {
    const w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
    let text = "";
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const p = n.parentElement;
      if (!p || p.closest(skip)) continue;
      text += n.textContent;
      // keep block boundaries, so ^ in a pattern means the start of a line
      if (p.nextElementSibling || /^(P|LI|DIV|H\d|SUMMARY|TD|TH)$/.test(p.tagName)) text += "\n";
    }
    return {index: i, rendered: c.classList.contains("jp-mod-rendered"), text: text};
  });
}
"""

# Tags every live interactive figure (an output holding an ipywidgets Image and its
# controls) with data-nnlab=N and describes its controls.
FIGURES_JS = r"""
() => {
  const figs = [];
  document.querySelectorAll(".jp-NotebookPanel .jp-OutputArea-output").forEach(out => {
    const img = out.querySelector("img.widget-image");
    if (!img) return;
    out.setAttribute("data-nnlab", String(figs.length));
    const sliders = [...out.querySelectorAll(".widget-hslider")].map(s => {
      const track = s.querySelector(".slider-container") || s;
      const label = s.querySelector(".widget-label");
      return {label: label ? label.textContent.trim() : "",
              width: Math.round(track.getBoundingClientRect().width)};
    });
    const dropdowns = [...out.querySelectorAll(".widget-dropdown select")].map(s => {
      const label = s.closest(".widget-dropdown").querySelector(".widget-label");
      return {label: label ? label.textContent.trim() : "",
              width: Math.round(s.getBoundingClientRect().width)};
    });
    figs.push({sliders, dropdowns});
  });
  return figs;
}
"""

FALLBACK_JS = r"""
() => [...document.querySelectorAll(".jp-NotebookPanel .jp-OutputArea-output")]
        .map(o => o.textContent.trim())
        .filter(t => t.startsWith("<interactive figure:") || /Loading widget|Error displaying widget/.test(t))
        .map(t => t.slice(0, 120))
"""


def _session(lab, chapter):
    for s in lab.api("api/sessions"):
        if s.get("path") == chapter or s.get("path", "").endswith("/" + chapter):
            return s
    return None


def _kernel_state(lab, chapter):
    s = _session(lab, chapter)
    return (s.get("kernel") or {}).get("execution_state") if s else None


def _wait(predicate, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def _menu(page, menu, command):
    """Click a menu-bar menu, then one of its items by command id (locale-proof)."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{menu}$")).first.click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').first.click()


def _open(lab, context, chapter, visit):
    page = context.new_page()
    # Requests to other hosts are recorded, not blocked: routing requests through Playwright
    # (page.route) kept JupyterLab from ever starting a kernel (seen, JupyterLab 4.5).
    page.on("request", lambda r: urllib.parse.urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
            and urllib.parse.urlsplit(r.url).hostname not in LOCAL_HOSTS
            and visit.foreign.append(r.url))
    page.on("pageerror", lambda e: visit.page_errors.append(f"{e.name}: {e.message}"))
    page.goto(lab.url(chapter), wait_until="load")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    return page


def _run_all(lab, page, chapter, visit):
    """Run > Run All Cells, then wait until no cell is running and the kernel is idle."""
    if not _wait(lambda: _kernel_state(lab, chapter) == "idle", 120):
        visit.run_problems.append(f"the kernel did not start (state {_kernel_state(lab, chapter)!r})")
        return
    _menu(page, "Run", "runmenu:run-all")
    started = _wait(lambda: any("*" in p for p in page.evaluate(PROMPTS_JS))
                    or _kernel_state(lab, chapter) == "busy", 30, 0.2)
    if not started:
        visit.run_problems.append("Run All Cells started nothing")
        return
    quiet = [0]

    def done():
        busy = any("*" in p for p in page.evaluate(PROMPTS_JS)) or _kernel_state(lab, chapter) != "idle"
        quiet[0] = 0 if busy else quiet[0] + 1
        return quiet[0] >= 3          # idle at three polls in a row (1.5 s)

    if not _wait(done, RUN_TIMEOUT):
        visit.run_problems.append(f"still running after {RUN_TIMEOUT} s")


def _save_and_read(lab, page, chapter, visit):
    """File > Save, then read the saved notebook: error outputs and unexecuted cells."""
    path = Path(lab.root) / chapter
    before = path.stat().st_mtime_ns
    _menu(page, "File", "docmanager:save")
    if not _wait(lambda: path.stat().st_mtime_ns != before, 30):
        visit.run_problems.append("the notebook was not saved (File > Save)")
        return
    time.sleep(0.5)
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        first = src.strip().splitlines()[0][:70] if src.strip() else ""
        if src.strip() and cell.get("execution_count") is None:
            visit.unexecuted.append(f"cell {i}: {first}")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                visit.errors.append(f"cell {i} ({first}): {out.get('ename')}: {out.get('evalue', '')[:300]}")


def _read_markdown(page, visit):
    cells = page.evaluate(MARKDOWN_JS)
    visit.markdown_cells = len(cells)
    for c in cells:
        if not c["rendered"]:
            visit.unrendered.append(c["index"])
        for kind, rx in RAW_MYST:
            for m in rx.finditer(c["text"]):
                a, b = max(0, m.start() - 40), m.end() + 40
                visit.raw_myst.append((kind, c["index"], " ".join(c["text"][a:b].split())))


def _move_figures(page, chapter, visit, shot_dir):
    """Focus each control of each live figure, move it with the keyboard, and record whether
    the figure's image changed (a new frame from the kernel)."""
    figs = page.evaluate(FIGURES_JS)
    for f, desc in enumerate(figs):
        fig = page.locator(f'[data-nnlab="{f}"]')
        fig.scroll_into_view_if_needed()
        img = fig.locator("img.widget-image").first
        moves = []
        controls = ([("slider", i, s) for i, s in enumerate(desc["sliders"])]
                    + [("dropdown", i, d) for i, d in enumerate(desc["dropdowns"])])
        for kind, i, info in controls:
            if kind == "slider":
                target = fig.locator(".widget-hslider").nth(i).locator(".noUi-handle").first
                at_end = target.get_attribute("aria-valuenow") == target.get_attribute("aria-valuemax")
                key = "ArrowLeft" if at_end else "ArrowRight"
            else:
                # A drop-down is chosen from, not keyed: JupyterLab takes the arrow keys of
                # a closed <select> for its own (ipywidgets issue 3912), so ArrowDown would
                # select the next cell. A reader uses the mouse, or Alt+ArrowDown to open it.
                target = fig.locator(".widget-dropdown select").nth(i)
                n = target.evaluate("s => s.options.length")
                at_end = target.evaluate("s => s.selectedIndex") == n - 1
                key = None
            src = img.get_attribute("src")
            target.focus()
            focused = target.evaluate("el => el === document.activeElement")
            if key is None:
                new = target.evaluate("s => s.selectedIndex") + (-1 if at_end else 1)
                target.select_option(index=new)
                key = f"choosing option {new + 1}"
            else:
                page.keyboard.press(key)
            changed = True
            try:
                page.wait_for_function(
                    "([el, src]) => el.getAttribute('src') !== src", arg=[img.element_handle(), src],
                    timeout=MOVE_TIMEOUT_MS, polling=100)
            except Exception:  # noqa: BLE001 - Playwright's TimeoutError
                changed = False
            moves.append({"control": f"{kind} {info['label']!r}", "width": info["width"],
                          "key": key, "focused": focused, "changed": changed})
        desc["moves"] = moves
        if shot_dir is not None:
            fig.screenshot(path=str(Path(shot_dir) / f"{chapter[:-6]}-figure{f + 1}.png"))
        visit.figures.append(desc)


def visit_chapter(lab, context, chapter, shot_dir=None):
    """Open ``chapter`` in JupyterLab, run all its cells, and measure what the tests check."""
    visit = LabVisit(chapter)
    source = json.loads((Path(lab.root) / chapter).read_text(encoding="utf-8"))
    visit.interactive_cells = sum(
        1 for c in source["cells"]
        if c["cell_type"] == "code" and re.search(r"\binteractive\(", "".join(c["source"])))
    if shot_dir is not None:
        Path(shot_dir).mkdir(parents=True, exist_ok=True)
    t = time.monotonic()
    page = None
    try:
        page = _open(lab, context, chapter, visit)
        visit.seconds["load"] = time.monotonic() - t
        t = time.monotonic()
        _run_all(lab, page, chapter, visit)
        visit.seconds["run"] = time.monotonic() - t
        _save_and_read(lab, page, chapter, visit)
        _read_markdown(page, visit)
        visit.fallbacks = page.evaluate(FALLBACK_JS)
        if shot_dir is not None:
            page.screenshot(path=str(Path(shot_dir) / f"{chapter[:-6]}.png"))
        t = time.monotonic()
        _move_figures(page, chapter, visit, shot_dir)
        visit.seconds["interact"] = time.monotonic() - t
    except Exception as e:  # noqa: BLE001 - recorded once, reported by every test of the chapter
        visit.run_problems.append(f"the visit stopped: {type(e).__name__}: {str(e)[:1500]}")
        if page is not None and shot_dir is not None:
            try:
                page.screenshot(path=str(Path(shot_dir) / f"{chapter[:-6]}-failed.png"))
            except Exception:  # noqa: BLE001
                pass
    finally:
        if page is not None:
            page.close()
        s = _session(lab, chapter)
        if s is not None:           # free the kernel: the next chapter gets the CPU
            try:
                lab.api(f"api/sessions/{s['id']}", method="DELETE")
            except OSError:
                pass
    return visit
