"""benchmarks/vs_torch.py: its options and its table (no torch needed, nothing timed)."""

from __future__ import annotations

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "benchmarks"))
import vs_torch  # noqa: E402


def test_defaults_and_quick():
    args = vs_torch.parse_args([])
    assert (args.rows, args.rounds, args.epochs, args.threads) == ([1, 2, 3], 5, 5, 2)
    assert args.worker is None
    quick = vs_torch.parse_args(["--quick", "--rows", "3", "--threads", "1"])
    assert (quick.rows, quick.rounds, quick.epochs, quick.threads) == ([3], 1, 1, 1)


def test_rows_out_of_range_are_refused(capsys):
    with pytest.raises(SystemExit):
        vs_torch.parse_args(["--rows", "4"])
    assert "--rows" in capsys.readouterr().err


def test_the_rows_of_the_spec():
    rows = [(sizes, hidden, batch) for _label, sizes, hidden, batch, _n in vs_torch.ROWS]
    assert rows == [([784, 100, 10], "sigmoid", 32), ([784, 100, 10], "sigmoid", 128),
                    ([784, 512, 512, 10], "relu", 128)]


def test_table_row_with_missing_columns():
    runs = {("nnlib", "float64"): [3000.0, 2500.0, 3100.0], ("torch", "float64"): [2000.0],
            ("draw", "float64"): [4000.0, 5000.0], ("lean", "float64"): [2600.0]}
    line = vs_torch.table_row(1, runs, quick=False)
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert len(cells) == len(vs_torch.HEAD)
    assert cells[1:] == ["32", "10000", "3000", "2000", "n/a", "n/a", "1.50", "n/a", "4500", "0.67",
                         "2600", "1.30", "1.25"]
