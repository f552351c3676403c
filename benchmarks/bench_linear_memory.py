"""Peak memory and time of the linear model on sparse text-sized data, against one-vs-rest peers.

    python benchmarks/bench_linear_memory.py                  # 50, 200 and 1,000 labels
    python benchmarks/bench_linear_memory.py --labels 50,200  # a subset
    python benchmarks/bench_linear_memory.py --quick          # 5,000 x 10,000, 20 labels
    python benchmarks/bench_linear_memory.py --peer-labels 100  # peers fit 100 labels at most
    python benchmarks/bench_linear_memory.py --labels 1000 --output linear_memory_1000

Data: a sparse CSR matrix of 50,000 x 100,000 features at density 1e-3 (Zipf
feature frequencies, L2-normalised rows, as tf-idf), labels from a noisy
linear model with positive rates log-uniform in [0.2%, 5%]; a test set of
10,000 rows from the same model. Models, each fitted in a fresh process so
that its peak resident memory (``ru_maxrss``) is its own, on 1 thread (the
OpenMP / OpenBLAS / MKL thread variables set to 1 in its environment):

* ours: ``MultiLabelLossClassifier()`` (bce, alpha=1: ``LogisticRegression(C=1)``
  per label), per-label L-BFGS in label blocks under the default memory budget;
* ``OneVsRestClassifier(LogisticRegression(C=1, solver="liblinear"))``;
* ``OneVsRestClassifier(LogisticRegression(C=1))`` (lbfgs).

The table gives wall and CPU seconds, peak RSS, the ratio peer / ours of each,
and the test log-loss (mean binary cross-entropy over labels). The baseline
RSS (data loaded, nothing fitted) is given once per label count.

With ``--peer-labels K`` (default 200), a label count above K has the peers fit
the first K labels only (one-vs-rest fits the labels one after the other):
their times are scaled by labels / K and their peak memory gets the fitted
coefficients of the other labels added (the bytes of the K fitted estimators'
``coef_`` and ``intercept_``, per label); the log-losses of that row are then
over the first K labels, for ours too.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _results import write_result  # noqa: E402

ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
MODELS = ["ours", "ovr_liblinear", "ovr_lbfgs"]
NAMES = {
    "ours": "ours (linear, bce, per-label L-BFGS in blocks)",
    "ovr_liblinear": "OvR(LogisticRegression(liblinear))",
    "ovr_lbfgs": "OvR(LogisticRegression(lbfgs))",
    "baseline": "data only (baseline)",
}


def make_data(n_samples, n_features, n_labels, density, seed=0):
    """Sparse tf-idf-like X (train and 10,000 test rows) and a 0/1 target from a linear model."""
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    n_total = n_samples + 10_000
    per_row = max(1, int(density * n_features))
    frequency = 1.0 / np.arange(1, n_features + 1)
    frequency /= frequency.sum()
    columns = rng.choice(n_features, size=(n_total, per_row), p=frequency)
    values = rng.random((n_total, per_row))
    X = sp.csr_matrix(
        (values.ravel(), columns.ravel(), np.arange(0, n_total * per_row + 1, per_row)),
        shape=(n_total, n_features),
    )
    X.sum_duplicates()
    X = sp.csr_matrix(X.multiply(1.0 / np.sqrt(X.multiply(X).sum(axis=1))))
    W = sp.random(n_features, n_labels, density=0.01, random_state=seed, format="csc") * 30.0
    logits = np.asarray((X @ W).todense())
    rates = np.exp(rng.uniform(np.log(0.002), np.log(0.05), n_labels))
    noisy = logits + rng.logistic(size=logits.shape)
    cut = np.array([np.quantile(noisy[:, c], 1.0 - rates[c]) for c in range(n_labels)])
    Y = (noisy > cut).astype(np.int64)
    return X[:n_samples], Y[:n_samples], X[n_samples:], Y[n_samples:]


def worker(model, n_samples, n_features, n_labels, density, fit_labels):
    from threadpoolctl import threadpool_limits

    X, Y, X_test, Y_test = make_data(n_samples, n_features, n_labels, density)
    if model != "ours":
        Y, Y_test = Y[:, :fit_labels], Y_test[:, :fit_labels]
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    threadpool_limits(1)
    wall, cpu = time.perf_counter(), time.process_time()
    if model == "baseline":
        proba = None
    elif model == "ours":
        from skmultilabel import MultiLabelLossClassifier

        proba = MultiLabelLossClassifier().fit(X, Y).predict_proba(X_test)
    else:
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        solver = "liblinear" if model == "ovr_liblinear" else "lbfgs"
        peer = OneVsRestClassifier(LogisticRegression(C=1.0, solver=solver))
        proba = peer.fit(X, Y).predict_proba(X_test)
        coef_bytes = sum(e.coef_.nbytes + e.intercept_.nbytes for e in peer.estimators_)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"wall": wall, "cpu": cpu, "peak": peak, "baseline": baseline}
    if proba is not None:
        p = np.clip(proba, 1e-15, 1 - 1e-15)
        losses = -(Y_test * np.log(p) + (1 - Y_test) * np.log1p(-p)).mean(axis=0)
        result.update(log_loss=float(losses.mean()),
                      first_log_loss=float(losses[:fit_labels].mean()))
    if model.startswith("ovr") and fit_labels < n_labels:
        scale = n_labels / fit_labels
        result.update(wall=wall * scale, cpu=cpu * scale,
                      peak=peak + (n_labels - fit_labels) * coef_bytes / fit_labels / 2**20)
    print(json.dumps(result))


def run(model, *sizes):
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", model,
               *map(str, sizes)]
    # set before any library loads: threadpoolctl limits only the BLAS libraries loaded
    # when it is called, and scipy's own OpenBLAS (liblinear's ddot/daxpy) loads later
    one_thread = {name: "1" for name in ONE_THREAD}
    result = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent,
                            env={**os.environ, **one_thread})
    if result.returncode:
        raise RuntimeError(f"{model} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--labels", default="50,200,1000")
    parser.add_argument("--peer-labels", type=int, default=200)
    parser.add_argument("--output", default="linear_memory", help="results file name")
    parser.add_argument("--worker", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        model, *sizes = args.worker
        return worker(model, int(sizes[0]), int(sizes[1]), int(sizes[2]), float(sizes[3]),
                      int(sizes[4]))
    n_samples, n_features, density = (
        (5_000, 10_000, 2e-3) if args.quick else (50_000, 100_000, 1e-3)
    )
    label_counts = [20] if args.quick else [int(n) for n in args.labels.split(",")]
    lines = [
        f"Linear model on sparse {n_samples:,} x {n_features:,} (density {density:g}), 1 thread, "
        "each fit in a fresh process. ratio = peer / ours: above 1, ours is faster or smaller.",
        "",
        "| labels | model | wall s | CPU s | peak RSS MB | peer / ours wall | peer / ours CPU | "
        "peer / ours peak RSS | test log-loss |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n_labels in label_counts:
        fit_labels = min(n_labels, args.peer_labels)
        sizes = (n_samples, n_features, n_labels, density, fit_labels)
        base = run("baseline", *sizes)
        results = {model: run(model, *sizes) for model in MODELS}
        ours = results["ours"]
        lines.append(f"| {n_labels} | {NAMES['baseline']} | | | {base['peak']:.0f} | | | | |")
        for model in MODELS:
            r = results[model]
            name, log_loss = NAMES[model], f"{r['log_loss']:.5f}"
            if fit_labels < n_labels:
                name += f" (fits the first {fit_labels} labels, scaled)" if model != "ours" else ""
                log_loss = f"{r['first_log_loss']:.5f} (first {fit_labels} labels)"
            lines.append(
                f"| {n_labels} | {name} | {r['wall']:.1f} | {r['cpu']:.1f} | "
                f"{r['peak']:.0f} | {r['wall'] / ours['wall']:.2f} | "
                f"{r['cpu'] / ours['cpu']:.2f} | "
                f"{r['peak'] / ours['peak']:.2f} | {log_loss} |"
            )
        print("\n".join(lines[-4:]), flush=True)
    from skmultilabel.models._batched_lbfgs import MEMORY_BUDGET

    lines += ["", f"Memory budget of the per-label L-BFGS state: {MEMORY_BUDGET / 2**20:.0f} MiB "
              "(skmultilabel.models._batched_lbfgs.MEMORY_BUDGET)."]
    write_result(args.output, lines, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
