"""Training throughput of nnlib, measured side by side with three references.

For each network and batch size, a training run of five epochs of mini-batch SGD
(including everything ``nnlib.sgd`` does once per call) is timed four ways,
in the same process, interleaved, median of several runs:

* ``nnlib``: ``nnlib.sgd`` (the whole mini-batch in one matrix computation);
* ``per-example``: the same SGD with backprop looping over the batch's examples one
  at a time (as in Nielsen's ``network.py``): the cost of not vectorising;
* ``bare matmul``: only the matrix products of the same epoch (forward ``w @ a``,
  backward ``w.T @ delta`` and ``delta @ a.T``) on preallocated arrays: a floor
  for any implementation of this algorithm, so ``nnlib / bare`` says how little
  everything else (activations, costs, updates, shuffling, Python) costs;
* ``+ draw``: the same bare products, but each batch's inputs are drawn from the
  data in a fresh random order every epoch, as SGD must (a copy of ``batch x n_0``
  numbers per batch, into memory the products then read): the floor once the data
  movement that shuffling implies is counted, and what ``nnlib / +draw`` compares with.

Run: ``.venv/bin/python benchmarks/train_speed.py`` (``--quick`` for a short run).
The target at batch 128: nnlib at least 10x the per-example loop. Its fraction of
``+ draw`` is the honest measure of what is left: no numpy SGD step that reshuffles each
epoch reaches the bare products here (``lean_step.py`` shows it), so the old target of
0.85 of the bare products is retired. ``vs_torch.py`` compares nnlib with PyTorch.
"""

from __future__ import annotations

import argparse
import statistics
import sys

import numpy as np

import nnlib as nn

CONFIGS = [
    ("[784, 100, 10] sigmoid", [784, 100, 10], "sigmoid"),
    ("[784, 512, 512, 10] relu", [784, 512, 512, 10], "relu"),
]


def make_data(n_in, n_out, n, seed=0):
    """Random inputs ``(n_in, n)`` and labels. Like data read from a file one example per
    row, and like ``nnlib.datasets.load_digits``, each example is contiguous in memory
    (``x`` is the transpose of an ``(n, n_in)`` array), which ``sgd`` uses without a copy."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, n_in)).T
    y = rng.integers(0, n_out, n)
    return x, y


def classifier(sizes, hidden, lib=nn, **kw):
    """The benchmarks' network: a softmax output with the log-likelihood cost, seed 0;
    ``lib`` is the nnlib to build it with (``vs_torch.py --baseline`` passes another)."""
    return lib.Network(sizes, hidden=hidden, output="softmax", cost="log_likelihood", seed=0, **kw)


EPOCHS = 5


def epoch_nnlib(net, x, y, batch_size):
    nn.sgd(net, x, y, eta=0.01, epochs=EPOCHS, batch_size=batch_size, seed=1)


def epoch_per_example(net, x, y, batch_size):
    """Mini-batch SGD whose gradient is summed one example at a time (Nielsen's loop)."""
    yy = nn.one_hot(y, net.sizes[-1])
    n, L = x.shape[1], net.L
    rng = np.random.default_rng(1)
    eta = 0.01
    for _epoch, k in ((e, k) for e in range(EPOCHS) for k in range(0, n, batch_size)):
        if k == 0:
            perm = rng.permutation(n)
            xs, ys = x[:, perm], yy[:, perm]
        xb, yb = xs[:, k:k + batch_size], ys[:, k:k + batch_size]
        m = xb.shape[1]
        nabla_w = [None] + [np.zeros_like(w) for w in net.w[1:]]
        nabla_b = [None] + [np.zeros_like(b) for b in net.b[1:]]
        for i in range(m):
            a = xb[:, i:i + 1]
            acts, zs = [a], [None]
            for l in range(1, L + 1):
                z = net.w[l] @ a + net.b[l]
                a = net.act[l].fn(z)
                zs.append(z)
                acts.append(a)
            delta = net.cost.delta(zs[L], acts[L], yb[:, i:i + 1], net.act[L])
            for l in range(L, 0, -1):
                nabla_b[l] += delta
                nabla_w[l] += delta @ acts[l - 1].T
                if l > 1:
                    delta = net.act[l - 1].backward(zs[l - 1], acts[l - 1], net.w[l].T @ delta)
        for l in range(1, L + 1):
            net.w[l] -= (eta / m) * nabla_w[l]
            net.b[l] -= (eta / m) * nabla_b[l]


def bare_products(L, a0, arrays):
    """The matrix products of one training step on a batch whose inputs are ``a0``:
    forward ``z^l = w^l a^{l-1}``, then BP4's ``delta^l (a^{l-1})^T`` and BP2's
    ``(w^l)^T delta^l``, into preallocated arrays of the right shapes."""
    ws, acts, deltas, outs = arrays[a0.shape[1]]
    acts = [a0] + acts[1:]
    for l in range(1, L + 1):                          # forward
        np.matmul(ws[l], acts[l - 1], out=outs["z"][l])
    for l in range(L, 0, -1):                          # backward
        np.matmul(deltas[l], acts[l - 1].T, out=outs["nw"][l])          # BP4
        if l > 1:
            np.matmul(ws[l].T, deltas[l], out=outs["g"][l - 1])         # BP2's product


def epoch_bare(sizes, n, batch_size, arrays):
    """Only the matrix products of the epochs, on preallocated arrays (the same
    input batch every time)."""
    for _epoch, k in ((e, k) for e in range(EPOCHS) for k in range(0, n, batch_size)):
        m = min(batch_size, n - k)
        bare_products(len(sizes) - 1, arrays[m][1][0], arrays)


def epoch_bare_draw(sizes, x, batch_size, arrays, seed=1):
    """The bare products, with each batch's inputs drawn from ``x`` in a fresh random
    order every epoch, exactly as ``nnlib.sgd`` draws them (rows of ``x.T``)."""
    xT = x.T                       # examples as rows: contiguous, as make_data gives them
    n = xT.shape[0]
    rng = np.random.default_rng(seed)
    for _epoch in range(EPOCHS):
        perm = rng.permutation(n)
        for k in range(0, n, batch_size):
            xb = xT[perm[k:k + batch_size]].T                # the draw: (n_0, m) columns
            bare_products(len(sizes) - 1, xb, arrays)


def bare_arrays(sizes, n, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    L = len(sizes) - 1
    arrays = {}
    for m in {batch_size, n % batch_size or batch_size}:
        ws = [None] + [rng.standard_normal((sizes[l], sizes[l - 1])) for l in range(1, L + 1)]
        acts = [rng.random((sizes[l], m)) for l in range(L + 1)]
        deltas = [None] + [rng.standard_normal((sizes[l], m)) for l in range(1, L + 1)]
        outs = {"z": [None] + [np.empty((sizes[l], m)) for l in range(1, L + 1)],
                "nw": [None] + [np.empty((sizes[l], sizes[l - 1])) for l in range(1, L + 1)],
                "g": [np.empty((sizes[l], m)) for l in range(L + 1)]}
        arrays[m] = (ws, acts, deltas, outs)
    return arrays


def timed(fn):
    """Seconds for one call of ``fn``, by the library's one timing helper."""
    return nn.timing.times(fn, repeat=1, warmup=0)[0]


def measure(sizes, hidden, batch_size, n, repeats):
    x, y = make_data(sizes[0], sizes[-1], n)
    net = classifier(sizes, hidden)
    net_loop = net.copy()
    arrays = bare_arrays(sizes, n, batch_size)
    jobs = {
        "nnlib": lambda: epoch_nnlib(net, x, y, batch_size),
        "per-example": lambda: epoch_per_example(net_loop, x, y, batch_size),
        "bare matmul": lambda: epoch_bare(sizes, n, batch_size, arrays),
        "+ draw": lambda: epoch_bare_draw(sizes, x, batch_size, arrays),
    }
    runs = {name: [] for name in jobs}
    for job in jobs.values():      # warm-up (allocations, BLAS threads)
        job()
    for _ in range(repeats):       # interleaved, so drifts in machine load hit all three
        for name, job in jobs.items():
            runs[name].append(timed(job))
    return {name: EPOCHS * n / statistics.median(t) for name, t in runs.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer examples and repeats")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 32, 128],
                        metavar="M", help="mini-batch sizes to measure (default: 1 32 128)")
    parser.add_argument("--threads", type=int, default=None,
                        help="limit BLAS to this many threads (default: as configured); "
                             "1 gives steadier numbers on a busy machine")
    args = parser.parse_args(argv)
    if args.threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)
    repeats = args.repeats or (3 if args.quick else 7)
    try:
        from threadpoolctl import threadpool_info

        blas = ", ".join(f"{i['internal_api']} {i.get('version')} ({i.get('architecture')}, "
                         f"{i['num_threads']} threads)" for i in threadpool_info())
    except ImportError:
        blas = "unknown"
    print(f"numpy {np.__version__}; BLAS: {blas}")
    print(f"median of {repeats} interleaved runs of {EPOCHS} epochs; throughput in examples/s\n")
    header = (f"{'network':<26} {'batch':>5} {'nnlib':>8} {'per-example':>12} {'bare matmul':>12} "
              f"{'+ draw':>8} {'nnlib/loop':>11} {'nnlib/bare':>11} {'nnlib/+draw':>12}")
    print(header)
    print("-" * len(header))
    results = []
    for label, sizes, hidden in CONFIGS:
        for batch_size in args.batch_sizes:
            n = (256 if batch_size == 1 else 4096) // (1 if sizes[1] < 200 else 4)
            if args.quick:
                n //= 2
            r = measure(sizes, hidden, batch_size, n, repeats)
            loop_ratio = r["nnlib"] / r["per-example"]
            bare_ratio = r["nnlib"] / r["bare matmul"]
            draw_ratio = r["nnlib"] / r["+ draw"]
            results.append((label, batch_size, loop_ratio, bare_ratio, draw_ratio))
            print(f"{label:<26} {batch_size:>5} {r['nnlib']:>8.0f} {r['per-example']:>12.0f} "
                  f"{r['bare matmul']:>12.0f} {r['+ draw']:>8.0f} {loop_ratio:>10.1f}x "
                  f"{bare_ratio:>11.2f} {draw_ratio:>12.2f}", flush=True)
    print("\ntarget at batch 128: nnlib/loop >= 10x (nnlib/+draw: the fraction of the honest floor)")
    ok = True
    for label, batch_size, loop_ratio, bare_ratio, draw_ratio in results:
        if batch_size == 128:
            met = loop_ratio >= 10
            ok &= met
            print(f"  {label}: {loop_ratio:.1f}x -> {'met' if met else 'NOT met'}; "
                  f"{draw_ratio:.2f} of the products with the batch draw, {bare_ratio:.2f} of the bare ones")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
