"""The notebook kernels of `make book` / `make test` send each cell's output in one piece.

Without book/_ext/kernel_startup.py, a print cut by ipykernel's 0.2 s flush timer arrives
as two stream messages, and the book's stream merging puts a line break into the cut.
"""

import pathlib
import re

import nbclient
import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
STARTUP = ROOT / "book" / "_ext" / "kernel_startup.py"


def run_cell(source):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbclient.NotebookClient(nb, timeout=60).execute()
    return nb.cells[0].outputs


def test_the_makefile_points_the_kernels_at_the_startup_file():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^export PYTHONSTARTUP := \$\(CURDIR\)/book/_ext/kernel_startup\.py$",
                     makefile, flags=re.M)


def test_a_line_printed_across_a_flush_arrives_whole(monkeypatch):
    monkeypatch.setenv("PYTHONSTARTUP", str(STARTUP))
    outputs = run_cell('import sys, time\nsys.stdout.write("first half, ")\n'
                       'time.sleep(0.6)\nprint("second half")\n'
                       'assert "_one_piece_per_cell" not in dir()')
    assert [o.get("output_type") for o in outputs] == ["stream"]
    assert outputs[0]["text"] == "first half, second half\n"
