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


def test_table_row_with_a_baseline():
    runs = {("nnlib", "float64"): [3000.0], ("draw", "float64"): [4000.0],
            ("lean", "float64"): [2600.0], vs_torch.BASE: [2500.0, 2400.0]}
    cells = [c.strip() for c in vs_torch.table_row(2, runs, quick=False).strip("|").split("|")]
    assert len(cells) == len(vs_torch.HEAD) + len(vs_torch.HEAD_BASE)
    assert cells[-2:] == ["2450", "1.22"]                       # its median, nnlib / base


def test_the_baseline_runs_right_after_nnlib_float64():
    order = vs_torch.run_order(vs_torch.COLUMNS + [vs_torch.BASE])
    assert order[:2] == [("nnlib", "float64"), vs_torch.BASE]
    assert sorted(order) == sorted(vs_torch.COLUMNS + [vs_torch.BASE])
    assert vs_torch.run_order(vs_torch.COLUMNS) == vs_torch.COLUMNS


def test_baseline_option():
    assert vs_torch.parse_args([]).baseline is None
    assert vs_torch.parse_args(["--baseline", "/tmp/base"]).baseline == "/tmp/base"


def test_a_baseline_that_is_no_checkout_is_refused(tmp_path, no_baseline_left):
    with pytest.raises(SystemExit, match="no nnlib/__init__.py"):
        vs_torch.load_baseline(str(tmp_path))


@pytest.fixture
def no_baseline_left():
    """The test's ``nnlib_base`` modules are gone after it, as they were not there before."""
    assert not [m for m in sys.modules if m.startswith("nnlib_base")]
    yield
    vs_torch.forget_baseline()


def test_the_baseline_loads_beside_nnlib_and_is_checked(monkeypatch, no_baseline_left):
    import nnlib

    root = pathlib.Path(__file__).resolve().parents[1]
    base = vs_torch.load_baseline(str(root))                  # this checkout, loaded again
    assert base is not nnlib and base.__name__ == "nnlib_base"
    assert base.Network is not nnlib.Network and base.sgd.__module__ == "nnlib_base.train"
    x, y = nnlib.datasets.moons(200, seed=0)
    vs_torch.check_baseline(base, [2, 5, 2], "sigmoid", 32, 200, x, y)    # the same weights

    assert vs_torch.load_baseline(str(root)) is base             # loaded once
    with pytest.raises(SystemExit, match="already loaded from"):
        vs_torch.load_baseline("/elsewhere")

    def other_biases(net, *args, **kwargs):                     # a baseline that trains otherwise
        net.b[2][0, 0] += 1e-6
    monkeypatch.setattr(base, "sgd", other_biases)
    with pytest.raises(SystemExit, match="trains other weights"):
        vs_torch.check_baseline(base, [2, 5, 2], "sigmoid", 32, 200, x, y)

    def old_api(net, x, y, eta, epochs, mini_batch_size):       # an nnlib with other names
        pass
    monkeypatch.setattr(base, "sgd", old_api)
    with pytest.raises(SystemExit, match="cannot run this benchmark's calls"):
        vs_torch.check_baseline(base, [2, 5, 2], "sigmoid", 32, 200, x, y)
