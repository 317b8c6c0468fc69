"""Two cold builds of the book must print the same text.

Takes a snapshot of the sources (so that edits made meanwhile do not count), builds
it twice, each time into its own temporary folder with an empty execution cache, then
compares every executed notebook's text outputs (the executed notebooks in each build's
execution cache, ``_build/.jupyter_cache``; MyST-NB's copies in ``_build/jupyter_execute``
carry no outputs when a notebook comes from the cache, as every one does once
``execute_book.py`` has run): ``stream`` outputs (stdout, stderr) and the
``text/plain`` of results and displays, cell by cell. Any difference is printed as a
unified diff and the exit status is 1. Images are compared too, by content hash, and
reported, but only text decides.

A cell whose output legitimately changes from run to run (a wall-clock timing) says so
with the cell tag ``nbval-ignore-output``, the tag nbval already honours; its outputs
are left out of the comparison and listed.

    .venv/bin/python scripts/check_reproducible.py [--keep]      # or: make check-reproducible

Exit status: 0 identical, 1 different, 2 a build failed (its problems are printed).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
from pathlib import Path

from nnbuild import build, report_failed, scratch_copy

IGNORE_TAG = "nbval-ignore-output"


def text_outputs(nb):
    """The notebook's text outputs as lines (one header line per output), and its images' hashes."""
    lines, images = [], []
    for c, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        if IGNORE_TAG in cell.get("metadata", {}).get("tags", []):
            lines.append(f"--- cell {c}: outputs not compared (tagged {IGNORE_TAG})")
            continue
        for o, out in enumerate(_coalesce(cell.get("outputs", []))):
            kind = out.get("output_type")
            if kind == "stream":
                body = out.get("text", "")
                label = f"stream {out.get('name')}"
            elif kind in ("execute_result", "display_data"):
                data = out.get("data", {})
                for mime in sorted(data):
                    if mime.startswith("image/"):
                        raw = _joined(data[mime])
                        images.append(f"cell {c} output {o} {mime} {hashlib.sha256(raw.encode()).hexdigest()[:16]}")
                if "text/plain" not in data:
                    continue
                body = data["text/plain"]
                label = f"{kind} text/plain"
            elif kind == "error":
                body = "\n".join(out.get("traceback", [])) or f"{out.get('ename')}: {out.get('evalue')}"
                label = "error"
            else:
                continue
            body = _joined(body)
            lines.append(f"--- cell {c}, output {o}: {label}")
            lines.extend(body.splitlines())
    return lines, images


def _coalesce(outputs):
    """Consecutive stream outputs of one stream as one: the kernel flushes stdout on a
    timer, so a single print may arrive in one message or in two, depending on load."""
    merged = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged
                and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1] = dict(merged[-1], text=_joined(merged[-1].get("text", "")) + _joined(out.get("text", "")))
        else:
            merged.append(out)
    return merged


def _joined(text):
    return "".join(text) if isinstance(text, list) else text


def executed_notebooks(build_dir: Path, src: Path):
    """Every executed notebook in the build's execution cache, by its path in ``src``."""
    from jupyter_cache import get_cache

    cache = get_cache(str(build_dir / "_build" / ".jupyter_cache"))
    out = {}
    for record in cache.list_cache_records():
        name = Path(record.uri).resolve().relative_to(src.resolve()).as_posix()
        out[name] = json.loads(json.dumps(cache.get_cache_bundle(record.pk).nb))
    return dict(sorted(out.items()))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", action="store_true", help="keep the two build folders")
    args = ap.parse_args(argv)

    builds = []
    with scratch_copy("nnbook-repro-", args.keep) as (tmp, src):
        print(f"snapshot of the sources in {src}", flush=True)
        for name in ("first", "second"):
            print(f"{name} cold build into {tmp / name} ...", flush=True)
            b = build(src, tmp / name)
            print(f"  {b.seconds:.1f} s, exit status {b.returncode}, "
                  f"{len(b.executed)} notebooks executed", flush=True)
            if b.returncode != 0:
                report_failed(b, name)
            builds.append(b)

        a, b = (executed_notebooks(x.out, src) for x in builds)
        if not a:
            print("no executed notebook found in the first build", file=sys.stderr)
            return 2
        differ = False
        for name in sorted(set(a) | set(b)):
            if name not in a or name not in b:
                print(f"{name}: executed in only one of the builds")
                differ = True
                continue
            (ta, ia), (tb, ib) = text_outputs(a[name]), text_outputs(b[name])
            if ta != tb:
                differ = True
                print(f"\n{name}: text outputs differ")
                sys.stdout.writelines(difflib.unified_diff(
                    [t + "\n" for t in ta], [t + "\n" for t in tb],
                    fromfile=f"first/{name}", tofile=f"second/{name}", n=2))
            else:
                n_out = sum(1 for t in ta if t.startswith("--- cell ") and ", output " in t)
                print(f"{name}: {n_out} text outputs identical")
                if n_out == 0:            # nothing compared is nothing proved
                    print(f"{name}: no text outputs at all: was it executed?", file=sys.stderr)
                    differ = True
            skipped = [t[4:] for t in ta if t.endswith(f"(tagged {IGNORE_TAG})")]
            if skipped:
                print(f"{name}: not compared: {'; '.join(skipped)}")
            if ia != ib:
                changed = sorted(set(ia) ^ set(ib))
                print(f"{name}: note: {len(changed) // 2 or len(changed)} image output(s) differ "
                      f"byte-wise (not a failure): {changed[:4]}")
        if differ:
            print("\nNOT reproducible: the two cold builds printed different text (diff above).")
            return 1
        if any(x.returncode != 0 for x in builds):
            print("\nThe text outputs are identical, but a build failed (see above).")
            return 2
        print(f"\nReproducible: {len(a)} notebooks, identical text outputs in two cold builds.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
