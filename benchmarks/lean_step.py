"""How close to the bare matrix products can mini-batch SGD in numpy get at all?

``train_speed.py`` compares ``nnlib.sgd`` with the bare matrix products of the same
epochs. This script asks what part of the gap any numpy implementation must leave. It
times, side by side in one process (interleaved, median of several runs of five epochs,
batch 128), four ways of running the same epochs:

* ``bare``: only the matrix products, on preallocated arrays (``train_speed``'s floor);
* ``+ draw``: the same products on batches drawn from the data in a fresh random order
  each epoch (the copy that reshuffling implies);
* ``lean``: a complete SGD step written for speed, not for reading, as lean as numpy
  allows: biases folded into the weight matrices (a row of ones under every layer's
  activations), every array preallocated and written in place, the softmax and its
  error ``a - y`` in place, no per-batch bookkeeping, the plain ``1 / (1 + exp(-z))``;
  checked against ``nnlib.sgd`` before it is timed (same start, same shuffles, same
  weights after two epochs to 1e-9);
* ``nnlib``: ``nnlib.sgd``.

Run: ``.venv/bin/python benchmarks/lean_step.py`` on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys

import numpy as np

import nnlib as nn
from train_speed import (CONFIGS, EPOCHS, bare_arrays, classifier, epoch_bare, epoch_bare_draw,
                         epoch_nnlib, make_data, timed)

BATCH = 128
ETA = 0.01


class LeanSGD:
    """Softmax + log-likelihood output, one hidden activation (sigmoid or ReLU); float64.
    Every buffer is allocated once for each batch size (two when ``n`` is not a multiple
    of the batch size: the last batch of an epoch is smaller)."""

    def __init__(self, net, x, y, batch_size):
        n = x.shape[1]
        self.L, self.m, self.hidden = net.L, batch_size, net.act[1].name
        # w~^l = [w^l | b^l], so that z^l = w~^l [a^{l-1}; 1]
        self.W = [None] + [np.hstack([net.w[l], net.b[l]]) for l in range(1, net.L + 1)]
        self.xa = np.hstack([x.T, np.ones((n, 1))])          # examples as rows, plus the 1
        self.labels = np.asarray(y)
        self.buffers = {m: self._buffers(net, x.shape[0], m)
                        for m in {batch_size, n % batch_size or batch_size}}
        self.NW = [None] + [np.empty_like(w) for w in self.W[1:]]
        self.outputs = np.empty((net.sizes[-1], n))

    @staticmethod
    def _buffers(net, n_in, m):
        """The drawn batch (as rows), each layer's activations with a row of ones under
        them, weighted inputs and back-propagated errors, and the column indices."""
        return (np.empty((m, n_in + 1)),
                [None] + [np.ones((net.sizes[l] + 1, m)) for l in range(1, net.L)],
                [None] + [np.empty((net.sizes[l], m)) for l in range(1, net.L + 1)],
                [None] + [np.empty((net.sizes[l], m)) for l in range(1, net.L)],
                np.arange(m))

    def epochs(self, epochs, seed):
        rng = np.random.default_rng(seed)
        n, m = self.xa.shape[0], self.m
        for _ in range(epochs):
            perm = rng.permutation(n)
            for k in range(0, n, m):
                self.step(perm[k:k + m], k)
            # the epoch's cost, from the kept outputs, as nnlib.sgd records it
            p = self.outputs[self.labels[perm], np.arange(n)]
            self.cost = -float(np.mean(np.log(np.maximum(p, 1e-300))))

    def step(self, idx, k):
        L, W, m = self.L, self.W, len(idx)
        X, A, Z, G, cols = self.buffers[m]
        np.take(self.xa, idx, axis=0, out=X, mode="clip")
        acts = [X.T]
        for l in range(1, L + 1):
            np.matmul(W[l], acts[l - 1], out=Z[l])
            if l < L:
                a = A[l][:-1]                                # rows above the ones
                if self.hidden == "relu":
                    np.maximum(Z[l], 0.0, out=a)
                else:
                    with np.errstate(over="ignore"):
                        np.negative(Z[l], out=a)
                        np.exp(a, out=a)
                    a += 1.0
                    np.reciprocal(a, out=a)
                acts.append(A[l])
        z = Z[L]                                             # softmax, in place
        z -= z.max(axis=0)
        np.exp(z, out=z)
        z /= z.sum(axis=0)
        self.outputs[:, k:k + m] = z
        z[self.labels[idx], cols] -= 1.0                     # delta^L = a - y
        z *= ETA / m
        delta = z
        for l in range(L, 0, -1):
            if l > 1:
                g = np.matmul(W[l][:, :-1].T, delta, out=G[l - 1])
            np.matmul(delta, acts[l - 1].T, out=self.NW[l])
            W[l] -= self.NW[l]
            if l > 1:
                a = acts[l - 1][:-1]
                if self.hidden == "relu":
                    g *= a > 0
                else:
                    g *= a * (1.0 - a)
                delta = g

    def weights(self):
        return [None] + [w[:, :-1] for w in self.W[1:]], [None] + [w[:, -1:] for w in self.W[1:]]


def check_against_nnlib(sizes, hidden, x, y, batch_size=BATCH):
    net = classifier(sizes, hidden)
    lean = LeanSGD(net, x, y, batch_size)
    h = nn.sgd(net, x, y, eta=ETA, epochs=2, batch_size=batch_size, seed=1)
    lean.epochs(2, seed=1)
    w, b = lean.weights()
    for l in range(1, net.L + 1):
        assert np.allclose(w[l], net.w[l], rtol=0, atol=1e-9), f"w{l} differs from nnlib's"
        assert np.allclose(b[l], net.b[l], rtol=0, atol=1e-9), f"b{l} differs from nnlib's"
    assert abs(lean.cost - h.cost[-1]) < 1e-9, "the recorded cost differs from nnlib's"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"batch {BATCH}; median of {args.repeats} interleaved runs of {EPOCHS} epochs; "
          "microseconds per batch, and throughput as a fraction of bare\n")
    header = f"{'network':<26} {'bare':>8} {'+ draw':>14} {'lean':>14} {'nnlib':>14}"
    print(header)
    print("-" * len(header))
    for label, sizes, hidden in CONFIGS:
        n = 4096 // (1 if sizes[1] < 200 else 4)
        x, y = make_data(sizes[0], sizes[-1], n)
        check_against_nnlib(sizes, hidden, x, y)
        net = classifier(sizes, hidden)
        lean = LeanSGD(net, x, y, BATCH)
        arrays = bare_arrays(sizes, n, BATCH)
        jobs = {
            "bare": lambda: epoch_bare(sizes, n, BATCH, arrays),
            "+ draw": lambda: epoch_bare_draw(sizes, x, BATCH, arrays),
            "lean": lambda: lean.epochs(EPOCHS, seed=1),
            "nnlib": lambda: epoch_nnlib(net, x, y, BATCH),
        }
        runs = {name: [] for name in jobs}
        for job in jobs.values():
            job()
        for _ in range(args.repeats):
            for name, job in jobs.items():
                runs[name].append(timed(job))
        per_batch = {name: 1e6 * statistics.median(t) / (EPOCHS * n / BATCH)
                     for name, t in runs.items()}
        cells = [f"{per_batch['bare']:>8.0f}"] + [
            f"{per_batch[k]:>7.0f} ({per_batch['bare'] / per_batch[k]:.2f})"
            for k in ("+ draw", "lean", "nnlib")]
        print(f"{label:<26} " + " ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
