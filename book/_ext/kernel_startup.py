"""Run by every notebook kernel of ``make book`` and ``make test`` (the Makefile points
``PYTHONSTARTUP`` here; IPython kernels execute that file at start-up).

ipykernel sends what a cell prints on a 0.2 s timer, so on a busy machine one ``print``
can be cut into two messages in the middle of a line; myst-nb's stream merging then
puts a line break into the cut, and two builds print different text. With the timer off,
a cell's output is sent in one piece when the cell ends (or on an explicit flush).
"""


def _one_piece_per_cell():
    import sys

    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "flush_interval"):     # ipykernel's OutStream
            stream.flush_interval = 1e9


_one_piece_per_cell()
del _one_piece_per_cell
