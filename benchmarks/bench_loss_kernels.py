"""Loss kernels: loss + gradient against plain NumPy and against one exp + log1p pass.

For every registered pointwise loss (default hyperparameters; ``bce`` also with
``label_smoothing=0.1``; ``splc`` at epoch 2, its label correction on) on a
200,000 x 50 logit matrix this times ``loss.loss_gradient`` (the numba kernel,
with its input checks and the allocation of the gradient) and compares it, in
the same run, with

* the same formula written in vectorised NumPy (stable: exp(-|z|), log1p),
  which also checks the kernel's value and gradient;
* one pass of ``np.exp`` plus one of ``np.log1p`` over an array of the same size,
  the least work an exact kernel must do.

NumPy's ufuncs run on one thread (with SIMD); the kernels run on one thread
unless asked (``kernel_threads``, as a fit with ``n_jobs``), so a column on
all cores is given too, on the package's threading layer (``workqueue``) and,
in a fresh process, on numba's default here (``omp``, used before the package
chose one). The first-call time of each kernel (compilation, numba cache off)
is measured in a fresh process.

Usage: ``python benchmarks/bench_loss_kernels.py [--quick] [--repeats N]``
"""

import argparse
import inspect
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numba
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _results import write_result  # noqa: E402

from skmultilabel._kernel_threads import kernel_threads  # noqa: E402
from skmultilabel.losses import LOSSES  # noqa: E402

# table row -> (loss name, constructor parameters, epoch for losses that need one)
ROWS = {
    "asymmetric": ("asymmetric", {}, None),
    "bce": ("bce", {}, None),
    "bce + label_smoothing": ("bce", {"label_smoothing": 0.1}, None),
    "focal": ("focal", {}, None),
    "hill": ("hill", {}, None),
    "splc": ("splc", {}, 2),
    "weak_negatives": ("weak_negatives", {}, None),
    "weighted_bce": ("weighted_bce", {}, None),
}
# the fresh processes build their loss with make_loss, imported from this file
IMPORT_MAKE_LOSS = (
    "import sys; sys.path.insert(0, 'benchmarks'); from bench_loss_kernels import make_loss\n"
)


def make_loss(name, params, epoch):
    """The loss object of a table row (at ``epoch`` when it needs one)."""
    loss = LOSSES[name](**params)
    return loss if epoch is None else loss.for_epoch(epoch)


def logistic_parts(Z):
    """Return p = sigmoid(Z), q = 1 - p, -log p and -log q, stably (exp(-|Z|), log1p)."""
    e = np.exp(-np.abs(Z))
    tail = np.log1p(e)
    r = 1.0 / (1.0 + e)
    nonneg = Z >= 0
    p = np.where(nonneg, r, e * r)
    q = np.where(nonneg, e * r, r)
    return p, q, tail + np.maximum(-Z, 0.0), tail + np.maximum(Z, 0.0)


def focal_positive(Z, gamma):
    """(1 - p) ** gamma * -log p and its derivative in Z (binary cross-entropy at gamma 0)."""
    p, q, nll_p, _ = logistic_parts(Z)
    focus = q**gamma if gamma else 1.0
    return focus * nll_p, -focus * (gamma * p * nll_p + q)


def focal_negative(Z, gamma):
    """Return p ** gamma * -log(1 - p) and its derivative in Z."""
    p, q, _, nll_q = logistic_parts(Z)
    focus = p**gamma if gamma else 1.0
    return focus * nll_q, focus * (gamma * q * nll_q + p)


def combine(Y, pos, dpos, neg, dneg, pos_weight=1.0, neg_weight=1.0):
    """Mean loss over the samples and its gradient from the per-entry terms."""
    a = pos_weight * Y
    b = neg_weight * (1.0 - Y)
    scale = 1.0 / Y.shape[0]
    return scale * np.sum(a * pos + b * neg), scale * (a * dpos + b * dneg)


def numpy_asymmetric(Y, Z, gamma_pos, gamma_neg, clip):
    """Asymmetric loss: focal positive term, clipped focal negative term."""
    pos, dpos = focal_positive(Z, gamma_pos)
    p, q, _, _ = logistic_parts(Z)
    m = np.maximum(p - clip, 0.0)
    keep = q + clip
    nll_keep = -np.log(keep)
    focus = m**gamma_neg if gamma_neg else 1.0
    neg = np.where(m > 0, focus * nll_keep, 0.0)
    slope = gamma_neg * nll_keep / np.where(m > 0, m, 1.0) + 1.0 / keep
    return combine(Y, pos, dpos, neg, np.where(m > 0, p * q * focus * slope, 0.0))


def numpy_hill(Y, Z, lam, margin, gamma):
    """Hill loss: focal margin positive term, (lam - p) * p ** 2 negative term."""
    pos, dpos = focal_positive(Z - margin, gamma)
    p, q, _, _ = logistic_parts(Z)
    return combine(Y, pos, dpos, (lam - p) * p**2, p**2 * q * (2.0 * lam - 3.0 * p))


def numpy_splc(Y, Z, tau, margin, gamma):
    """SPLC with its correction on: negatives with p > tau take the focal positive term."""
    pos, dpos = focal_positive(Z - margin, gamma)
    corrected = logistic_parts(Z)[0] > tau
    as_pos, das_pos = focal_positive(Z, gamma)
    as_neg, das_neg = focal_negative(Z, gamma)
    return combine(Y, pos, dpos, np.where(corrected, as_pos, as_neg),
                   np.where(corrected, das_pos, das_neg))


def numpy_loss_gradient(loss, Y, Z, pos_weight):
    """The loss of a table row in vectorised NumPy (uniform sample weights).

    Terms whose exponent is 0 skip the power, so BCE is not charged for it.
    """
    if loss.name == "hill":
        return numpy_hill(Y, Z, loss.lam, loss.margin, loss.gamma)
    if loss.name == "splc":
        return numpy_splc(Y, Z, loss.tau, loss.margin, loss.gamma)
    Y = Y * (1.0 - loss.label_smoothing) + 0.5 * loss.label_smoothing
    if loss.name == "asymmetric":
        return numpy_asymmetric(Y, Z, loss.gamma_pos, loss.gamma_neg, loss.clip)
    gamma = loss.gamma if loss.name == "focal" else 0.0
    pos, dpos = focal_positive(Z, gamma)
    neg, dneg = focal_negative(Z, gamma)
    negative_weight = loss.negative_weight if loss.name == "weak_negatives" else 1.0
    return combine(Y, pos, dpos, neg, dneg, pos_weight, negative_weight)


def interleaved_medians(functions, repeats):
    """Median wall and CPU time of each function, the repeats taken in turn.

    ``functions`` maps a column to (function, numba threads to use). Taking
    the repeats in turn spreads a varying machine load over all columns; the
    CPU time (``key + "_cpu"``, all threads of the process) is not inflated by
    other processes taking the cores.
    """
    times = {key: [] for key in functions}
    cpu_times = {key: [] for key in functions}
    for _ in range(repeats):
        for key, (function, n_threads) in functions.items():
            with kernel_threads(n_threads):
                start, cpu_start = time.perf_counter(), time.process_time()
                function()
                times[key].append(time.perf_counter() - start)
                cpu_times[key].append(time.process_time() - cpu_start)
    medians = {key: float(np.median(values)) for key, values in times.items()}
    medians.update({key + "_cpu": float(np.median(values)) for key, values in cpu_times.items()})
    return medians


def first_call_seconds(name, params, epoch, dtype):
    """Compile + first call of a loss kernel in a fresh process, numba cache off."""
    code = (
        "import time, numpy as np\n"
        f"{IMPORT_MAKE_LOSS}"
        f"loss = make_loss({name!r}, {params!r}, {epoch!r})\n"
        f"Z = np.zeros((4, 3), dtype=np.{dtype}); Y = np.ones_like(Z)\n"
        "t = time.perf_counter(); loss.loss_gradient(Y, Z); first = time.perf_counter() - t\n"
        "t = time.perf_counter(); loss.loss_gradient(Y, Z); second = time.perf_counter() - t\n"
        "print(first - second)\n"
    )
    env = {**os.environ, "SKMULTILABEL_NUMBA_CACHE": "0"}
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip())


LAYER_TIMING = """
import json, sys, time
import numpy as np
from skmultilabel._kernel_threads import kernel_threads
name, params, epoch = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
n_samples, n_labels, repeats, threads = map(int, sys.argv[4:])
rng = np.random.default_rng(0)
Z = rng.normal(0.0, 3.0, (n_samples, n_labels))
Y = (rng.random((n_samples, n_labels)) < 0.2).astype(np.float64)
frequency = Y.mean(axis=0)
pos_weight = (1.0 - frequency) / frequency if name == "weighted_bce" else np.ones(n_labels)
""" + IMPORT_MAKE_LOSS + """loss = make_loss(name, params, epoch)
times = []
with kernel_threads(threads):
    loss.loss_gradient(Y, Z, pos_weight=pos_weight)
    for _ in range(repeats):
        start = time.perf_counter()
        loss.loss_gradient(Y, Z, pos_weight=pos_weight)
        times.append(time.perf_counter() - start)
import numba
print(json.dumps({"seconds": float(np.median(times)), "layer": numba.threading_layer()}))
"""


def layer_seconds(name, params, epoch, layer, n_samples, n_labels, repeats, threads):
    """Median kernel time on ``threads`` threads of numba's ``layer``, in a fresh process."""
    env = {**os.environ, "NUMBA_THREADING_LAYER": layer}
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [
            sys.executable, "-c", LAYER_TIMING, name, json.dumps(params), json.dumps(epoch),
            *map(str, (n_samples, n_labels, repeats, threads)),
        ],
        env=env, cwd=root, capture_output=True, text=True, check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["layer"] == layer, result
    return result["seconds"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="20,000 x 50 logits, 3 repeats, no file written")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per timing (median)")
    args = parser.parse_args()
    n_samples, n_labels = (20_000, 50) if args.quick else (200_000, 50)
    repeats = args.repeats or (3 if args.quick else 5)

    rng = np.random.default_rng(0)
    Z = rng.normal(0.0, 3.0, (n_samples, n_labels))
    Y = (rng.random((n_samples, n_labels)) < 0.2).astype(np.float64)
    Z32, Y32 = Z.astype(np.float32), Y.astype(np.float32)
    negative_abs = -np.abs(Z)
    threads = numba.config.NUMBA_NUM_THREADS

    rows = []
    for label, (name, params, epoch) in ROWS.items():
        loss = make_loss(name, params, epoch)
        frequency = Y.mean(axis=0)
        pos_weight = (1.0 - frequency) / frequency if name == "weighted_bce" else np.ones(n_labels)
        kwargs = {"pos_weight": pos_weight}
        shown = {k: getattr(loss, k) for k in inspect.signature(type(loss)).parameters}
        shown.update({"epoch": epoch} if epoch else {})
        row = {
            "loss": f"{label} ({', '.join(f'{k}={v}' for k, v in shown.items()) or '-'})",
            "compile_64": first_call_seconds(name, params, epoch, "float64"),
            "compile_32": first_call_seconds(name, params, epoch, "float32"),
            "kernel_omp": layer_seconds(name, params, epoch, "omp", n_samples, n_labels, repeats,
                                        threads),
        }
        value, grad = loss.loss_gradient(Y, Z, **kwargs)
        ref_value, ref_grad = numpy_loss_gradient(loss, Y, Z, pos_weight)
        np.testing.assert_allclose(value, ref_value, rtol=1e-9)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-7, atol=1e-15)
        loss.loss_gradient(Y32, Z32, **kwargs)
        row.update(interleaved_medians({
            "kernel": (lambda: loss.loss_gradient(Y, Z, **kwargs), threads),
            "kernel_1": (lambda: loss.loss_gradient(Y, Z, **kwargs), 1),
            "kernel_32": (lambda: loss.loss_gradient(Y32, Z32, **kwargs), threads),
            "numpy": (lambda: numpy_loss_gradient(loss, Y, Z, pos_weight), 1),
            "floor": (lambda: np.log1p(np.exp(negative_abs)), 1),
        }, repeats))
        rows.append(row)
        ms = {key: 1e3 * row[key] for key in ("kernel", "kernel_1", "kernel_32", "numpy", "floor")}
        print(f"{label:22s} kernel {ms['kernel']:7.1f} ms  1 thread {ms['kernel_1']:7.1f} ms  "
              f"float32 {ms['kernel_32']:7.1f} ms  numpy {ms['numpy']:7.1f} ms  "
              f"exp+log1p {ms['floor']:6.1f} ms  numpy/kernel {ms['numpy'] / ms['kernel']:5.1f}x  "
              f"kernel/(exp+log1p) {ms['kernel'] / ms['floor']:4.2f}x", flush=True)

    write_result("loss_kernels", table(rows, n_samples, n_labels, repeats, threads), args.quick)


def table(rows, n_samples, n_labels, repeats, threads):
    """The Markdown table of the timed rows."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "# Loss kernels: loss + gradient",
        "",
        f"{n_samples:,} x {n_labels} logits (float64 unless said), median of {repeats} repeats; "
        f"numba threads: {threads} (machine: {os.cpu_count()} cores, load average {load} at the "
        "end: timings are noisy; the columns of a row are timed in turn, repeat by repeat). "
        "NumPy ufuncs use one thread. `exp+log1p` = `np.log1p(np.exp(-abs(Z)))`. Kernel times are "
        "`loss.loss_gradient(Y, Z)` (checks and gradient allocation included). First call = "
        "compilation in a fresh process with the numba cache off (`hill` and `splc` have a kernel "
        "each, the other rows share one; each process compiles its kernel once per dtype; one "
        "thread: the serial kernel). `splc` at epoch 2 (its label correction on). Every kernel's "
        "value and gradient checked against the NumPy formula in the run. "
        f"Threading layers: `kernel ({threads} thr)` runs on `workqueue`, the layer the package "
        f"starts; `omp` (numba's default here, used before) is timed in a fresh process, median of "
        f"{repeats} calls.",
        "",
        "Targets: numpy/kernel >= 5; kernel/(exp+log1p) <= 3. `same, CPU time`: the 1-thread "
        "kernel against exp+log1p in process CPU time, the work ratio whatever the load.",
        "",
        f"| loss | kernel ({threads} thr) ms | kernel (1 thr) ms | kernel float32 ms | numpy ms | "
        "exp+log1p ms | numpy/kernel | kernel/(exp+log1p) | 1-thr kernel/(exp+log1p) | "
        f"same, CPU time | first call float64 s | first call float32 s | kernel ({threads} thr, "
        "omp) ms | workqueue/omp |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['loss']} | {1e3 * row['kernel']:.1f} | {1e3 * row['kernel_1']:.1f} | "
            f"{1e3 * row['kernel_32']:.1f} | {1e3 * row['numpy']:.1f} | {1e3 * row['floor']:.1f} | "
            f"{row['numpy'] / row['kernel']:.1f} | {row['kernel'] / row['floor']:.2f} | "
            f"{row['kernel_1'] / row['floor']:.2f} | "
            f"{row['kernel_1_cpu'] / row['floor_cpu']:.2f} | "
            f"{row['compile_64']:.2f} | {row['compile_32']:.2f} | {1e3 * row['kernel_omp']:.1f} | "
            f"{row['kernel'] / row['kernel_omp']:.2f} |"
        )
    return lines


if __name__ == "__main__":
    main()
