"""Training throughput of nnlib against a plain PyTorch CPU training loop, side by side.

For each row (network, mini-batch size), ``--epochs`` epochs of mini-batch SGD (eta 0.01,
softmax output, log-likelihood cost, a fresh shuffle every epoch) on the same random data
(``train_speed.make_data``) are timed five ways, in examples/s:

* ``nnlib f64`` / ``f32``: ``nnlib.sgd`` on ``nn.Network(..., dtype=...)`` (f32: "n/a"
  for an nnlib whose ``Network`` takes no ``dtype``);
* ``torch f64`` / ``f32``: ``nn.Sequential(Linear, Sigmoid/ReLU, ..., Linear)``,
  ``CrossEntropyLoss`` (batch mean), ``optim.SGD(lr=eta)``, a ``torch.randperm`` per
  epoch, batches drawn by indexing the ``(n, 784)`` tensor (no cost or accuracy kept,
  which nnlib.sgd computes every epoch);
* ``+ draw``: ``train_speed.py``'s floor, only the matrix products of the same epochs on
  batches drawn from the reshuffled data (float64); ``nnlib/+draw`` is nnlib's fraction;
* ``lean f64``: ``lean_step.py``'s ``LeanSGD``, the same SGD written for speed and not for
  reading (every array preallocated, biases folded into the weights, eta folded into the
  error, no checks), checked against ``nnlib.sgd`` first: what any numpy step could reach
  here. ``lean/torch64`` is its ratio to torch float64;
* ``base f64`` (with ``--baseline DIR``): ``nnlib.sgd`` of another checkout of this
  repository (its ``DIR/nnlib``, imported beside this one as ``nnlib_base``), e.g. a
  commit from before a change: ``git worktree add /tmp/base <commit>``, then
  ``--baseline /tmp/base``. ``nnlib/base`` (a ratio of rates: above 1, this checkout is
  the faster) says whether the change kept the speed. Measured in the same rounds, the
  base worker right after nnlib's, it varies much less with the machine's load than the
  ratios to torch do, which move by about a tenth from run to run here. Both are first
  checked to train the same weights and biases.

Each measurement (engine, dtype, row, round) runs in its own process (``--worker``), so
torch's and numpy's thread pools never meet, after one untimed warm-up epoch, with the
same thread count for both engines (``torch.set_num_threads``; threadpoolctl and the
OMP/BLAS variables). The engines take turns in each round; the table gives medians. First
a worker checks that both compute the same thing: from the same float64 weights, one step
on the same mini-batch must give the same weights to 1e-10.

Run ``.venv/bin/python benchmarks/vs_torch.py`` (``--quick``: a smoke run) on an otherwise
idle machine: threads sharing their cores with other work (torch's OpenMP threads above
all) give meaningless numbers; ``--threads 1`` is steadier. torch is optional (not in
requirements.txt); its CPU build: ``.venv/bin/pip install torch==2.13.0`` (a bare ``pip
install torch`` pulls a multi-GB CUDA build).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

import nnlib as nn
import train_speed
from lean_step import LeanSGD, check_against_nnlib
from train_speed import bare_arrays, classifier, epoch_bare_draw, make_data

ROWS = [  # label, sizes, hidden activation, batch size, examples
    ("[784, 100, 10] sigmoid", [784, 100, 10], "sigmoid", 32, 10000),
    ("[784, 100, 10] sigmoid", [784, 100, 10], "sigmoid", 128, 10000),
    ("[784, 512, 512, 10] relu", [784, 512, 512, 10], "relu", 128, 2000),
]
COLUMNS = [("nnlib", "float64"), ("torch", "float64"), ("torch", "float32"),  # (engine, dtype)
           ("nnlib", "float32"), ("draw", "float64"), ("lean", "float64")]
HEAD = ["network", "batch", "n", "nnlib f64", "torch f64", "torch f32", "nnlib f32",
        "nnlib64/torch64", "nnlib32/torch32", "+ draw f64", "nnlib/+draw", "lean f64",
        "lean/torch64", "spread"]
BASE = ("base", "float64")
HEAD_BASE = ["base f64", "nnlib/base"]
ETA = 0.01
INSTALL = ".venv/bin/pip install torch==2.13.0"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", type=int, nargs="+", metavar="R", default=None,
                   help=f"rows to run, 1..{len(ROWS)} (default: all)")
    p.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 5)")
    p.add_argument("--threads", type=int, default=2, help="threads for both engines (default 2)")
    p.add_argument("--epochs", type=int, default=None, help="timed epochs (default 5)")
    p.add_argument("--quick", action="store_true", help="smoke run: 1 round, 1 epoch, n / 4")
    p.add_argument("--baseline", metavar="DIR", default=None,
                   help="a checkout of this repository whose nnlib is timed beside this one")
    p.add_argument("--worker", nargs=3, metavar=("ENGINE", "DTYPE", "ROW"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.rounds = args.rounds or (1 if args.quick else 5)
    args.epochs = args.epochs or (1 if args.quick else 5)
    args.rows = args.rows or list(range(1, len(ROWS) + 1))
    if not all(1 <= r <= len(ROWS) for r in args.rows):
        p.error(f"--rows takes numbers from 1 to {len(ROWS)}")
    return args


def row_data(row, quick):
    _label, sizes, hidden, batch, n = ROWS[row - 1]
    n = n // 4 if quick else n
    x, y = make_data(sizes[0], sizes[-1], n)      # x: (784, n), the transpose of (n, 784) rows
    return sizes, hidden, batch, n, x, y


# ---------------------------------------------------------------- workers
def torch_model(torch, sizes, hidden, dtype):
    layers = []
    for l in range(1, len(sizes)):
        layers.append(torch.nn.Linear(sizes[l - 1], sizes[l], dtype=dtype))
        if l < len(sizes) - 1:
            layers.append(torch.nn.Sigmoid() if hidden == "sigmoid" else torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def work_torch(sizes, hidden, batch, n, x, y, dtype):
    import torch

    torch.manual_seed(0)
    dt = getattr(torch, dtype)
    X, Y = torch.from_numpy(np.ascontiguousarray(x.T)).to(dt), torch.from_numpy(y).long()
    model = torch_model(torch, sizes, hidden, dt)
    loss_fn, opt = torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=ETA)

    def train(epochs):
        for _ in range(epochs):
            perm = torch.randperm(n)
            for k in range(0, n, batch):
                idx = perm[k:k + batch]
                opt.zero_grad()
                loss_fn(model(X[idx]), Y[idx]).backward()
                opt.step()
    return train


def load_baseline(path):
    """The ``nnlib`` package of the checkout ``path``, imported as ``nnlib_base`` (its modules
    import one another relatively, so it loads beside this one)."""
    init = os.path.join(os.path.abspath(path), "nnlib", "__init__.py")
    loaded = sys.modules.get("nnlib_base")
    if loaded is not None:
        if os.path.abspath(loaded.__file__) != init:
            sys.exit(f"--baseline {path}: nnlib_base is already loaded from {loaded.__file__}")
        return loaded
    if not os.path.isfile(init):
        sys.exit(f"--baseline {path}: no nnlib/__init__.py there; give a checkout of this "
                 "repository, e.g. made by: git worktree add /tmp/base <commit>")
    spec = importlib.util.spec_from_file_location("nnlib_base", init,
                                                  submodule_search_locations=[os.path.dirname(init)])
    lib = importlib.util.module_from_spec(spec)
    sys.modules["nnlib_base"] = lib
    try:
        spec.loader.exec_module(lib)
    except BaseException:
        forget_baseline()
        raise
    return lib


def forget_baseline():
    """Unload ``nnlib_base`` and its modules (after a failed import, or a test)."""
    for name in [m for m in sys.modules if m == "nnlib_base" or m.startswith("nnlib_base.")]:
        del sys.modules[name]


def work_nnlib(sizes, hidden, batch, n, x, y, dtype, lib=nn):
    kw = {} if dtype == "float64" else {"dtype": dtype}
    net = classifier(sizes, hidden, lib, **kw)
    x = x.astype(dtype)                               # keeps the layout: examples contiguous

    def train(epochs):
        lib.sgd(net, x, y, eta=ETA, epochs=epochs, batch_size=batch, seed=1)
        if net.w[1].dtype != np.dtype(dtype):
            raise SystemExit(f"nnlib trained in {net.w[1].dtype}, not {dtype}")
    return train


def work_draw(sizes, hidden, batch, n, x, y, dtype):
    arrays = bare_arrays(sizes, n, batch)

    def train(epochs):
        train_speed.EPOCHS = epochs                   # epoch_bare_draw runs EPOCHS epochs
        epoch_bare_draw(sizes, x, batch, arrays)
    return train


def work_lean(sizes, hidden, batch, n, x, y, dtype):
    net = classifier(sizes, hidden)
    lean = LeanSGD(net, x, y, batch)

    def train(epochs):
        lean.epochs(epochs, seed=1)
    return train


def check_baseline(lib, sizes, hidden, batch, n, x, y):
    """Exit unless the baseline's ``sgd`` trains the same weights and biases as this nnlib's
    (2 epochs from the same seed, to 1e-9): only then is ``nnlib/base`` a like-for-like ratio."""
    nets = []
    for m in (nn, lib):
        try:
            net = classifier(sizes, hidden, m)
            m.sgd(net, x, y, eta=ETA, epochs=2, batch_size=batch, seed=1)
        except TypeError as e:                        # an nnlib whose API differs
            sys.exit(f"the baseline cannot run this benchmark's calls ({e}): not timing it")
        nets.append(net)
    ours, base = nets
    diff = max(float(np.abs(p - q).max()) for l in range(1, ours.L + 1)
               for p, q in ((ours.w[l], base.w[l]), (ours.b[l], base.b[l])))
    if not diff <= 1e-9:
        sys.exit(f"the baseline's sgd trains other weights (max difference {diff:.1e}): not timing it")


def check(sizes, hidden, batch, n, x, y):
    """One float64 step of each engine from the same weights on the same mini-batch:
    the largest difference of the weights after it, and the largest step itself."""
    import torch

    net = classifier(sizes, hidden)
    model = torch_model(torch, sizes, hidden, torch.float64)
    lin = [None] + [m for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for l in range(1, net.L + 1):
            lin[l].weight.copy_(torch.from_numpy(net.w[l]))          # both (n_l, n_{l-1})
            lin[l].bias.copy_(torch.from_numpy(net.b[l][:, 0]))
    w0 = [None] + [w.copy() for w in net.w[1:]]
    nn.sgd(net, x[:, :batch], y[:batch], eta=ETA, epochs=1, batch_size=batch)   # one step
    xb, yb = torch.from_numpy(np.ascontiguousarray(x[:, :batch].T)), torch.from_numpy(y[:batch])
    opt = torch.optim.SGD(model.parameters(), lr=ETA)
    torch.nn.CrossEntropyLoss()(model(xb), yb.long()).backward()
    opt.step()
    diff = max(max(np.abs(lin[l].weight.detach().numpy() - net.w[l]).max(),
                   np.abs(lin[l].bias.detach().numpy() - net.b[l][:, 0]).max())
               for l in range(1, net.L + 1))
    step = max(np.abs(net.w[l] - w0[l]).max() for l in range(1, net.L + 1))
    return {"diff": float(diff), "step": float(step)}


def worker(args):
    """One measurement (for engine "check": the check of every row), as a dict for JSON."""
    engine, dtype, row = args.worker[0], args.worker[1], int(args.worker[2])
    from threadpoolctl import threadpool_info, threadpool_limits
    threadpool_limits(args.threads)
    if engine in ("torch", "check"):
        import torch
        torch.set_num_threads(args.threads)
    if engine == "check":
        return {"torch": torch.__version__, "threads": torch.get_num_threads(),
                "checks": [check(*row_data(r, args.quick)) for r in args.rows]}
    sizes, hidden, batch, n, x, y = row_data(row, args.quick)
    if engine == "base":
        train = work_nnlib(sizes, hidden, batch, n, x, y, dtype, lib=load_baseline(args.baseline))
    else:
        make = {"torch": work_torch, "nnlib": work_nnlib, "draw": work_draw, "lean": work_lean}[engine]
        train = make(sizes, hidden, batch, n, x, y, dtype)
    train(1)                                          # warm-up: one untimed epoch
    rate = args.epochs * n / nn.timing.times(lambda: train(args.epochs), repeat=1, warmup=0)[0]
    return {"rate": rate, "blas": [f"{i['internal_api']} {i.get('version')} "
                                   f"({i['num_threads']} threads)" for i in threadpool_info()]}


# ----------------------------------------------------------------- parent
def run_worker(args, engine, dtype, row):
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", engine, dtype, str(row),
           "--threads", str(args.threads), "--epochs", str(args.epochs),
           "--rows", *map(str, args.rows)] + ["--quick"] * args.quick + (
           ["--baseline", args.baseline] if args.baseline else [])
    t = str(args.threads)
    env = dict(os.environ, OMP_NUM_THREADS=t, OPENBLAS_NUM_THREADS=t, MKL_NUM_THREADS=t)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"worker {engine} {dtype} row {row} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table_row(row, runs, quick):
    """The markdown table's line for one row, from the rates ``{(engine, dtype): [rate, ...]}``;
    "spread" is the largest max/min over the rounds of one column (1.00: steady). With a
    baseline's rates (``BASE``), its two columns (``HEAD_BASE``) follow."""
    label, _sizes, _hidden, batch, n = ROWS[row - 1]
    med = {c: statistics.median(v) for c, v in runs.items()}
    spread = max(max(v) / min(v) for v in runs.values())
    n64, t64, t32, n32, draw, lean = COLUMNS

    def cell(a, b=None):                              # a rate, or the ratio of two
        if a not in med or (b is not None and b not in med):
            return "n/a"
        return f"{med[a]:.0f}" if b is None else f"{med[a] / med[b]:.2f}"
    cells = [label, batch, n // 4 if quick else n, cell(n64), cell(t64), cell(t32), cell(n32),
             cell(n64, t64), cell(n32, t32), cell(draw), cell(n64, draw), cell(lean), cell(lean, t64),
             f"{spread:.2f}" if max(map(len, runs.values())) > 1 else "n/a"]
    if BASE in runs:
        cells += [cell(BASE), cell(n64, BASE)]
    return "| " + " | ".join(map(str, cells)) + " |"


def cpu_model():
    with open("/proc/cpuinfo") as f:
        names = [l.split(":", 1)[1].strip() for l in f if l.startswith("model name")]
    return f"{names[0] if names else 'unknown'} ({os.cpu_count()} logical CPUs)"


def load():
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def run_order(columns):
    """The order of a round: the columns', but the baseline's worker right after nnlib's
    float64 one, so that ``nnlib/base`` compares two runs under the same load."""
    order = [c for c in columns if c != BASE]
    if BASE in columns:
        order.insert(order.index(COLUMNS[0]) + 1, BASE)
    return order


def describe(path):
    """The baseline checkout: its path and, if git knows it, its commit."""
    try:
        proc = subprocess.run(["git", "-C", path, "log", "-1", "--format=%h %s"],
                              capture_output=True, text=True)
    except OSError:                                   # no git here
        return os.path.abspath(path)
    return f"{os.path.abspath(path)}" + (f" at {proc.stdout.strip()[:72]}" if proc.returncode == 0 else "")


def nnlib_has_dtype():
    try:
        nn.Network([1, 1], dtype="float32")
    except TypeError:                                 # an nnlib from before the dtype argument
        return False
    return True


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args)))
        return 0
    t_start = time.perf_counter()
    print(f"CPU: {cpu_model()}; {load()}")
    has_torch = importlib.util.find_spec("torch") is not None
    checked = run_worker(args, "check", "float64", 0) if has_torch else None
    print(f"numpy {np.__version__}; torch " + (
        f"{checked['torch']} (torch.get_num_threads() = {checked['threads']})" if checked else
        f"not installed: torch columns skipped (to add them: {INSTALL})"))
    print(f"threads per engine: {args.threads}; eta {ETA}; median of {args.rounds} interleaved "
          f"rounds of {args.epochs} epoch(s) after 1 warm-up epoch; examples/s")
    for row, c in zip(args.rows, checked["checks"] if checked else []):
        ok = c["diff"] <= 1e-10
        print(f"check row {row}: one float64 step from the same weights, max |nnlib - torch| "
              f"= {c['diff']:.1e} (largest step {c['step']:.1e}): {'agree' if ok else 'DISAGREE'}")
        if not ok:
            sys.exit("nnlib and torch do not compute the same step: not timing them")
    for row in args.rows:
        sizes, hidden, batch, n, x, y = row_data(row, args.quick)
        check_against_nnlib(sizes, hidden, x, y, batch)   # raises if they differ
        print(f"check row {row}: the lean step's weights after 2 epochs equal nnlib.sgd's to 1e-9")
        if args.baseline:
            check_baseline(load_baseline(args.baseline), sizes, hidden, batch, n, x, y)
            print(f"check row {row}: the baseline's weights after 2 epochs equal nnlib.sgd's to 1e-9")
    if args.baseline:
        print(f"baseline: {describe(args.baseline)}")
    head = HEAD + HEAD_BASE * bool(args.baseline)
    print("\n| " + " | ".join(head) + " |\n|---" + "|---:" * (len(head) - 1) + "|")
    has_f32 = nnlib_has_dtype()
    columns = [c for c in COLUMNS if (has_torch or c[0] != "torch")
               and (has_f32 or c != ("nnlib", "float32"))] + [BASE] * bool(args.baseline)
    blas = None
    for row in args.rows:
        runs = {c: [] for c in columns}
        for _ in range(args.rounds):
            for c in run_order(columns):              # the engines take turns
                r = run_worker(args, *c, row)
                runs[c].append(r["rate"])
                blas = r["blas"] if c[0] != "torch" else blas
        print(table_row(row, runs, args.quick), flush=True)
    print()
    if not has_f32:
        print("nnlib float32: not available in this nnlib (nn.Network takes no dtype)")
    if not has_torch:
        print(f"torch: not installed; for the torch columns: {INSTALL}")
    print(f"numpy's BLAS in the numpy workers: {', '.join(blas or ['?'])}")
    print(f"after: {load()}; total time {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
