"""Fit time of MultiLabelLossClassifier against scikit-learn peers, with test scores.

    python benchmarks/bench_fit.py            # yeast + synthetic 150,000 x 100, 50 labels
    python benchmarks/bench_fit.py --quick    # yeast + synthetic 15,000 x 100 (smoke run)

Measured side by side in one run and written to benchmarks/results/fit.md:

* linear model, loss="bce", alpha=1, lbfgs  vs  OneVsRestClassifier(LogisticRegression(C=1))
  (the same objective: alpha=1 is C=1), default tolerances of both, and vs the same
  estimator forced onto the previous solver (one scipy L-BFGS over all labels);
* MLP, one hidden layer of 100 relu units, adam, the same number of epochs  vs
  MLPClassifier (same layer, adam, same epochs; tol=0 so that both run every epoch);
* the first fit in a fresh process (compilation included) with the numba cache
  off (SKMULTILABEL_NUMBA_CACHE=0) and with a warm cache, and the import times;
* the linear fit with ``n_jobs=2`` on numba's ``workqueue`` threading layer (the
  package's choice) and on ``omp`` (numba's default here, used before), each in
  a fresh process, against ``n_jobs=None`` (one thread, no pool).

Each table row gives the fit time, test macro-F1 (threshold 0.5) and test log-loss
(mean binary cross-entropy over labels), the ratio peer time / our time (wall clock),
and the same ratio in process CPU time, less sensitive to other jobs on a shared machine.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import warnings
from contextlib import nullcontext
from pathlib import Path
from unittest import mock

import numpy as np
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, log_loss
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _results import write_result  # noqa: E402

from skmultilabel import MultiLabelLossClassifier  # noqa: E402
from skmultilabel.datasets import load_yeast  # noqa: E402
from skmultilabel.models._objective import Objective  # noqa: E402


def yeast():
    data = load_yeast()
    scaler = StandardScaler().fit(data.X_train)
    return scaler.transform(data.X_train), data.Y_train, scaler.transform(data.X_test), data.Y_test


def synthetic(n_train, n_test=30_000, n_features=100, n_labels=50, seed=0):
    """Logistic generative model: Y ~ Bernoulli(sigmoid(X W + b)), positive rates ~1%-30%."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_train + n_test, n_features))
    W = rng.standard_normal((n_features, n_labels)) * (rng.random((n_features, n_labels)) < 0.2)
    b = np.log(rng.uniform(0.01, 0.3, n_labels) / 0.7) - 1.0
    Y = (rng.random((n_train + n_test, n_labels)) < expit(X @ W * 0.5 + b)).astype(np.int64)
    return X[:n_train], Y[:n_train], X[n_train:], Y[n_train:]


def scores(Y_test, proba):
    macro_f1 = f1_score(Y_test, (proba >= 0.5).astype(int), average="macro", zero_division=0)
    logloss = np.mean(
        [log_loss(Y_test[:, c], proba[:, c], labels=[0, 1]) for c in range(Y_test.shape[1])]
    )
    return macro_f1, logloss


def proba_of(model, X):
    proba = model.predict_proba(X)
    return np.column_stack([p[:, 1] for p in proba]) if isinstance(proba, list) else proba


def timed_fit(make, X, Y, repeats, blas_threads=None, context=nullcontext):
    """Fitted model, best wall time and best process CPU time over ``repeats`` fits.

    An untimed fit first loads (or compiles) the numba kernels; the fresh-process
    rows measure that cost.
    """
    times, cpu_times = [], []
    for repeat in range(repeats + 1):
        model = make()
        with (
            warnings.catch_warnings(),
            threadpool_limits(limits=blas_threads, user_api="blas"),
            context(),
        ):
            warnings.simplefilter("ignore", ConvergenceWarning)
            start, cpu_start = time.perf_counter(), time.process_time()
            model.fit(X, Y)
            if repeat:
                times.append(time.perf_counter() - start)
                cpu_times.append(time.process_time() - cpu_start)
    return model, min(times), min(cpu_times)


def joint_lbfgs():
    """The previous linear solver: one scipy L-BFGS over all labels (the per-label split off)."""
    return mock.patch.object(Objective, "separable_by_label", property(lambda self: False))


def compare(dataset, X, Y, X_test, Y_test, *, epochs, repeats):
    rows = []
    linear = "linear, bce, alpha=1"
    fitted, t_ours, cpu_ours = timed_fit(lambda: MultiLabelLossClassifier(alpha=1.0), X, Y, repeats)
    f1_ours, ll_ours = scores(Y_test, proba_of(fitted, X_test))
    ours = (f"{linear} ({fitted.n_iter_} it.)", t_ours, f1_ours, ll_ours)
    peers = [
        ("OvR LogisticRegression(C=1)", lambda: OneVsRestClassifier(LogisticRegression(C=1.0)),
         None, nullcontext),
        ("OvR LogisticRegression(C=1)", lambda: OneVsRestClassifier(LogisticRegression(C=1.0)),
         1, nullcontext),
        ("same, one joint scipy L-BFGS (previous solver)",
         lambda: MultiLabelLossClassifier(alpha=1.0), None, joint_lbfgs),
    ]
    for peer_name, peer, blas_threads, context in peers:
        fitted_peer, t_peer, cpu_peer = timed_fit(peer, X, Y, repeats, blas_threads, context)
        f1_peer, ll_peer = scores(Y_test, proba_of(fitted_peer, X_test))
        if hasattr(fitted_peer, "estimators_"):
            iterations = max(int(e.n_iter_[0]) for e in fitted_peer.estimators_)
        else:
            iterations = fitted_peer.n_iter_
        suffix = ", 1 BLAS thread" if blas_threads == 1 else ""
        rows.append(
            (dataset, *ours, f"{peer_name}{suffix} ({iterations} it.)", t_peer, f1_peer, ll_peer,
             t_peer / t_ours, (ll_ours - ll_peer) / ll_peer, "s", cpu_peer / cpu_ours)
        )
        print(format_row(rows[-1]), flush=True)
    pairs = [
        (
            f"mlp (100,), adam, {epochs} epochs",
            lambda: MultiLabelLossClassifier(
                model="mlp", solver="adam", max_iter=epochs, tol=0.0,
                n_iter_no_change=epochs + 1, random_state=0,
            ),
            f"MLPClassifier (100,), adam, {epochs} epochs",
            lambda: MLPClassifier(
                solver="adam", max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1,
                random_state=0,
            ),
            epochs,
        ),
    ]
    for ours_name, ours, peer_name, peer, per_epoch in pairs:
        fitted_ours, t_ours, cpu_ours = timed_fit(ours, X, Y, repeats)
        f1_ours, ll_ours = scores(Y_test, proba_of(fitted_ours, X_test))
        if per_epoch:
            t_ours /= fitted_ours.n_iter_
        for blas_threads, suffix in ((None, ""), (1, ", 1 BLAS thread")):
            fitted_peer, t_peer, cpu_peer = timed_fit(peer, X, Y, repeats, blas_threads)
            f1_peer, ll_peer = scores(Y_test, proba_of(fitted_peer, X_test))
            if per_epoch:
                t_peer /= fitted_peer.n_iter_
            rows.append(
                (dataset, ours_name, t_ours, f1_ours, ll_ours, peer_name + suffix, t_peer, f1_peer,
                 ll_peer, t_peer / t_ours, (ll_ours - ll_peer) / ll_peer,
                 "s/epoch" if per_epoch else "s", cpu_peer / cpu_ours)
            )
            print(format_row(rows[-1]), flush=True)
    return rows


def format_row(row):
    (dataset, ours_name, t_ours, f1_ours, ll_ours, peer_name, t_peer, f1_peer, ll_peer, ratio,
     rel_ll, unit, cpu_ratio) = row
    return (
        f"| {dataset} | {ours_name} | {t_ours:.4f} {unit} | {f1_ours:.4f} | {ll_ours:.4f} "
        f"| {peer_name} | {t_peer:.4f} {unit} | {f1_peer:.4f} | {ll_peer:.4f} "
        f"| **{ratio:.1f}x** | {cpu_ratio:.1f}x | {100 * rel_ll:+.2f}% |"
    )


FRESH_FIT = """
import time
start = time.perf_counter()
from skmultilabel import MultiLabelLossClassifier
from skmultilabel.datasets import load_yeast
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits
imported = time.perf_counter()
data = load_yeast()
X = StandardScaler().fit_transform(data.X_train)
fit_start = time.perf_counter()
MultiLabelLossClassifier(alpha=1.0).fit(X, data.Y_train)
print(time.perf_counter() - fit_start)
"""

IMPORT = "import time; s = time.perf_counter(); {statement}; print(time.perf_counter() - s)"
NOTE = """
Peers run twice: with their default BLAS threads, and limited to one BLAS thread
(threadpoolctl). MultiLabelLossClassifier runs with its default n_jobs=None: one
numba thread and one BLAS thread. On these 2 shared cores, thread pools that wake
and spin around every small product cost more than they save; that is what makes
the peers' default-thread rows so slow, so compare with the one-thread rows.
The linear model's default solver runs one L-BFGS per label, sharing each evaluation
(one X @ W, one loss kernel pass, one X.T @ dZ for the labels still training);
"(k it.)" is the largest number of iterations of a label (of the whole problem for
the joint L-BFGS). Times are the best of 7 fits on yeast, of 1 on the synthetic data.
"""


def run_fresh(code, cache):
    env = dict(os.environ, SKMULTILABEL_NUMBA_CACHE=cache, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.split()[-1])


def fresh_process_rows():
    rows = [
        ("first fit on yeast (linear), numba cache off", run_fresh(FRESH_FIT, "0"),
         "< 2 s with a warm cache"),
    ]
    run_fresh(FRESH_FIT, "1")  # fills the cache
    rows.append(
        ("first fit on yeast (linear), warm numba cache", run_fresh(FRESH_FIT, "1"), "< 2 s")
    )
    for statement in ("import skmultilabel", "from skmultilabel import MultiLabelLossClassifier"):
        times = [run_fresh(IMPORT.format(statement=statement), "1") for _ in range(3)]
        rows.append((f"`{statement}`", min(times), "< 1 s"))
    return rows


LAYER_FIT = """
import json, sys, time, warnings
sys.path.insert(0, "benchmarks")
import numba
from bench_fit import synthetic, yeast
from skmultilabel import MultiLabelLossClassifier
warnings.simplefilter("ignore")
size, repeats = sys.argv[1], int(sys.argv[3])
n_jobs = None if sys.argv[2] == "None" else int(sys.argv[2])
X, Y = (yeast() if size == "yeast" else synthetic(int(size)))[:2]
MultiLabelLossClassifier(alpha=1.0, n_jobs=n_jobs).fit(X, Y)  # compiles or loads the kernels
walls, cpus = [], []
for _ in range(repeats):
    wall, cpu = time.perf_counter(), time.process_time()
    MultiLabelLossClassifier(alpha=1.0, n_jobs=n_jobs).fit(X, Y)
    walls.append(time.perf_counter() - wall)
    cpus.append(time.process_time() - cpu)
try:
    layer = numba.threading_layer()
except ValueError:
    layer = "none"
print(json.dumps({"wall": min(walls), "cpu": min(cpus), "layer": layer}))
"""


def layer_fit(size, n_jobs, layer, repeats):
    """Best wall and CPU time of a linear fit on ``layer`` (None: numba's pool unused)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("NUMBA_THREADING_LAYER", None)
    if layer is not None:
        env["NUMBA_THREADING_LAYER"] = layer
    out = subprocess.run([sys.executable, "-c", LAYER_FIT, str(size), str(n_jobs), str(repeats)],
                         env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["layer"] == (layer or "none"), result
    return result


def layer_rows(n_synthetic, repeats):
    """(data, n_jobs=None, n_jobs=2 on workqueue, n_jobs=2 on omp) fit times."""
    rows = []
    synthetic_name = f"synthetic {n_synthetic:,} x 100, 50 labels"
    for size, name, k in (("yeast", "yeast", repeats), (n_synthetic, synthetic_name, 1)):
        rows.append((name, layer_fit(size, None, None, k), layer_fit(size, 2, "workqueue", k),
                     layer_fit(size, 2, "omp", k)))
        print(format_layer_row(rows[-1]), flush=True)
    return rows


def format_layer_row(row):
    name, serial, workqueue, omp = row
    return (
        f"| {name} | {serial['wall']:.4f} | {workqueue['wall']:.4f} | {omp['wall']:.4f} | "
        f"**{omp['wall'] / workqueue['wall']:.2f}x** | {omp['cpu'] / workqueue['cpu']:.2f}x | "
        f"{serial['wall'] / workqueue['wall']:.2f}x |"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="synthetic problem of 15,000 rows, fewer repeats"
    )
    args = parser.parse_args(argv)
    n_synthetic = 15_000 if args.quick else 150_000
    fresh = fresh_process_rows()
    for name, seconds, target in fresh:
        print(f"{name}: {seconds:.4f} s (target {target})", flush=True)
    rows = compare("yeast", *yeast(), epochs=50, repeats=1 if args.quick else 7)
    rows += compare(
        f"synthetic {n_synthetic:,} x 100, 50 labels", *synthetic(n_synthetic), epochs=5, repeats=1
    )
    layers = layer_rows(n_synthetic, repeats=1 if args.quick else 7)
    lines = [
        "# Fit benchmark (`python benchmarks/bench_fit.py"
        + (" --quick" if args.quick else "")
        + "`)",
        "",
        "Same machine, same run; 2 shared CPU cores, so absolute times are noisy. "
        "Ratio = peer time / our time (> 1: we are faster). Log-loss gap = (ours - peer) / peer. "
        "MLP times are per epoch. Test macro-F1 at threshold 0.5; "
        "log-loss = mean binary cross-entropy over labels.",
        "",
        "| data | ours | time | macro-F1 | log-loss | peer | time | macro-F1 | log-loss | ratio "
        "| CPU-time ratio | log-loss gap |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *[format_row(row) for row in rows],
        "",
        "## Fresh process (yeast, standardised; compile included)",
        "",
        "| measurement | seconds | target |",
        "|---|---|---|",
        *[f"| {name} | {seconds:.4f} | {target} |" for name, seconds, target in fresh],
        "",
        "## Threading layer (linear fit, bce, alpha=1; fresh process per column, warm cache)",
        "",
        "`n_jobs=2` runs the loss kernels on two numba threads: on `workqueue` (the layer the "
        "package starts) and on `omp` (numba's default here, used before the package chose). "
        "`n_jobs=None` runs them on one thread without numba's pool. Ratio = omp / workqueue "
        "(> 1: workqueue faster). Best of 7 fits on yeast, of 1 on the synthetic data.",
        "",
        "| data | n_jobs=None s | n_jobs=2, workqueue s | n_jobs=2, omp s | ratio | CPU-time ratio "
        "| n_jobs=None / workqueue |",
        "|---|---|---|---|---|---|---|",
        *[format_layer_row(row) for row in layers],
        NOTE,
    ]
    write_result("fit", lines, args.quick)


if __name__ == "__main__":
    main()
