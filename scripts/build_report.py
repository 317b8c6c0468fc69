"""How long the book takes to build, and how heavy its pages are.

In a temporary copy of the sources:

1. a cold build (empty execution cache), timed;
2. a prose-only edit (a sentence added to a markdown cell of one chapter), then a
   rebuild, timed: jupyter-cache keys on code cells only, so nothing should re-execute;
3. the weight of every page: the HTML and every resource it loads, as transferred,
   measured in Chromium as the browser tests do (or, without Chromium, estimated from
   the files each page references directly, marked as such).

    .venv/bin/python scripts/build_report.py [--keep]          # or: make build-report
"""

from __future__ import annotations

import argparse
import html.parser
import json
import sys
import urllib.parse
from pathlib import Path

from nnbuild import ROOT, build, report_failed, scratch_copy

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import browser_support as bs  # noqa: E402

EDIT = "\n\nThis sentence was added by scripts/build_report.py to time a prose-only rebuild.\n"


def prose_edit(src: Path):
    """Add a sentence to the first markdown cell of the first chapter notebook; return its path."""
    for nb_path in sorted((src / "book").glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "markdown":
                text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                cell["source"] = text.rstrip("\n") + EDIT
                nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
                return nb_path.relative_to(src)
    raise SystemExit("no chapter notebook with a markdown cell to edit")


def browser_weights(html_dir: Path):
    """{page: (bytes, requests)} measured in Chromium."""
    weights = {}
    with bs.serve(html_dir) as base, bs.chromium() as context:
        for name in bs.book_pages(html_dir):
            v = bs.visit_page(context, base, name, html_dir=html_dir, interact=False)
            weights[name] = (v.weight, len(v.transferred))
    return weights


class _Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img") and a.get("src"):
            self.refs.append(a["src"])
        elif tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "preload"):
            self.refs.append(a["href"])


def static_weights(html_dir: Path):
    """{page: (bytes, files)}: the HTML and the local files it references directly."""
    weights = {}
    for name in bs.book_pages(html_dir):
        page = html_dir / name
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        files = {page}
        for ref in parser.refs:
            parts = urllib.parse.urlsplit(ref)
            if parts.scheme or parts.netloc:
                continue
            f = (page.parent / urllib.parse.unquote(parts.path)).resolve()
            if f.is_file():
                files.add(f)
        weights[name] = (sum(f.stat().st_size for f in files), len(files))
    return weights


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy and its build")
    args = ap.parse_args(argv)

    with scratch_copy("nnbook-report-", args.keep) as (_, src):
        print(f"cold build of a copy in {src} ...", flush=True)
        cold = build(src, src)
        if cold.returncode != 0:
            report_failed(cold, "cold")
        edited = prose_edit(src)
        print(f"prose-only edit of {edited}; rebuilding ...", flush=True)
        warm = build(src, src)
        if warm.returncode != 0:
            report_failed(warm, "cached")

        html_dir = cold.html
        if bs.chromium_available():
            how = "measured in Chromium, as transferred"
            weights = browser_weights(html_dir)
        else:
            how = f"ESTIMATED from directly referenced files (no Chromium at {bs.CHROMIUM})"
            weights = static_weights(html_dir)

        print()
        print(f"cold build:                  {cold.seconds:7.1f} s  "
              f"({len(cold.executed)} notebooks executed, exit status {cold.returncode})")
        print(f"rebuild after a prose edit:  {warm.seconds:7.1f} s  "
              f"({len(warm.executed)} notebooks executed, exit status {warm.returncode}; "
              f"edited {edited})")
        if warm.executed:
            print(f"  re-executed (expected none): {', '.join(warm.executed)}")
        page = html_dir / edited.with_suffix(".html")
        shown = page.is_file() and "added by scripts/build_report.py" in page.read_text(encoding="utf-8")
        print(f"  the edit is in the rebuilt page: {'yes' if shown else 'NO (stale page)'}")
        name, (size, n) = max(weights.items(), key=lambda kv: kv[1][0])
        print(f"heaviest page:               {size / 1e6:7.2f} MB  {name} "
              f"(HTML {(html_dir / name).stat().st_size / 1e6:.2f} MB + {n - 1} resources)")
        print(f"\npage weights ({how}):")
        for page, (size, n) in sorted(weights.items(), key=lambda kv: -kv[1][0]):
            print(f"  {size / 1e6:6.2f} MB  {n:3d} files  {page}")
        return 0 if cold.returncode == 0 and warm.returncode == 0 else 2


if __name__ == "__main__":
    sys.exit(main())
