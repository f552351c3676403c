"""Loss kernels: loss + gradient against plain NumPy and against one exp + log1p pass.

For every registered pointwise loss (default hyperparameters) on a 200,000 x 50
logit matrix this times ``loss.loss_gradient`` (the numba kernel, with its input
checks and the allocation of the gradient) and compares it, in the same run, with

* the same formula written in vectorised NumPy (stable: exp(-|z|), log1p);
* one pass of ``np.exp`` plus one of ``np.log1p`` over an array of the same size,
  the least work an exact kernel must do.

NumPy's ufuncs run on one thread (with SIMD); the kernels run on
``numba.get_num_threads()`` threads, so a single-thread kernel column is given
too. The first-call time of each kernel (compilation, numba cache off) is
measured in a fresh process.

Usage: ``python benchmarks/bench_loss_kernels.py [--quick] [--repeats N]``
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numba
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skmultilabel.losses import LOSSES  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "loss_kernels.md"


def numpy_loss_gradient(Y, Z, pos_weight, gamma_pos=0.0, gamma_neg=0.0, clip=0.0):
    """Asymmetric focal cross-entropy in vectorised NumPy (uniform sample weights).

    Gammas 0 and clip 0: binary cross-entropy; equal gammas and clip 0: focal.
    Terms whose exponent is 0 skip the power, so BCE is not charged for it.
    """
    e = np.exp(-np.abs(Z))
    tail = np.log1p(e)
    r = 1.0 / (1.0 + e)
    nonneg = Z >= 0
    p = np.where(nonneg, r, e * r)
    q = np.where(nonneg, e * r, r)
    nll_p = tail + np.maximum(-Z, 0.0)
    nll_q = tail + np.maximum(Z, 0.0)
    focus = q**gamma_pos if gamma_pos else 1.0
    loss_pos = focus * nll_p
    grad_pos = -focus * (gamma_pos * p * nll_p + q)
    if clip:
        m = np.maximum(p - clip, 0.0)
        keep = q + clip
        nll_keep = -np.log(keep)
        focus = m**gamma_neg if gamma_neg else 1.0
        loss_neg = np.where(m > 0, focus * nll_keep, 0.0)
        slope = gamma_neg * nll_keep / np.where(m > 0, m, 1.0) + 1.0 / keep
        grad_neg = np.where(m > 0, p * q * focus * slope, 0.0)
    else:
        focus = p**gamma_neg if gamma_neg else 1.0
        loss_neg = focus * nll_q
        grad_neg = focus * (gamma_neg * q * nll_q + p)
    a = pos_weight * Y
    b = 1.0 - Y
    scale = 1.0 / Z.shape[0]
    value = scale * np.sum(a * loss_pos + b * loss_neg)
    return value, scale * (a * grad_pos + b * grad_neg)


def hyperparameters(loss):
    """(gamma_pos, gamma_neg, clip) of a pointwise loss of the modulated family."""
    if loss.name == "focal":
        return loss.gamma, loss.gamma, 0.0
    if loss.name == "asymmetric":
        return loss.gamma_pos, loss.gamma_neg, loss.clip
    return 0.0, 0.0, 0.0


def median_time(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def first_call_seconds(name, dtype):
    """Compile + first call of a loss kernel in a fresh process, numba cache off."""
    code = (
        "import time, numpy as np\n"
        "from skmultilabel.losses import LOSSES\n"
        f"loss = LOSSES[{name!r}]()\n"
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 x 50 logits, 3 repeats")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per timing (median)")
    args = parser.parse_args()
    n_samples, n_labels = (20_000, 50) if args.quick else (200_000, 50)
    repeats = args.repeats or (3 if args.quick else 7)

    rng = np.random.default_rng(0)
    Z = rng.normal(0.0, 3.0, (n_samples, n_labels))
    Y = (rng.random((n_samples, n_labels)) < 0.2).astype(np.float64)
    Z32, Y32 = Z.astype(np.float32), Y.astype(np.float32)
    negative_abs = -np.abs(Z)
    threads = numba.get_num_threads()

    floor = median_time(lambda: np.log1p(np.exp(negative_abs)), repeats)
    rows = []
    for name in sorted(n for n, cls in LOSSES.items() if cls.pointwise):
        loss = LOSSES[name]()
        frequency = Y.mean(axis=0)
        pos_weight = (1.0 - frequency) / frequency if name == "weighted_bce" else np.ones(n_labels)
        kwargs = {"pos_weight": pos_weight}
        compile_64 = first_call_seconds(name, "float64")
        compile_32 = first_call_seconds(name, "float32")
        value, grad = loss.loss_gradient(Y, Z, **kwargs)
        ref_value, ref_grad = numpy_loss_gradient(Y, Z, pos_weight, *hyperparameters(loss))
        np.testing.assert_allclose(value, ref_value, rtol=1e-9)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-7, atol=1e-15)
        loss.loss_gradient(Y32, Z32, **kwargs)

        kernel = median_time(lambda: loss.loss_gradient(Y, Z, **kwargs), repeats)
        kernel_32 = median_time(lambda: loss.loss_gradient(Y32, Z32, **kwargs), repeats)
        numba.set_num_threads(1)
        kernel_1 = median_time(lambda: loss.loss_gradient(Y, Z, **kwargs), repeats)
        numba.set_num_threads(threads)
        numpy_time = median_time(
            lambda: numpy_loss_gradient(Y, Z, pos_weight, *hyperparameters(loss)), repeats
        )
        rows.append({
            "loss": f"{name} ({', '.join(f'{k}={v}' for k, v in vars(loss).items()) or 'no params'})",
            "kernel": kernel, "kernel_1": kernel_1, "kernel_32": kernel_32, "numpy": numpy_time,
            "compile_64": compile_64, "compile_32": compile_32,
        })
        print(f"{name:14s} kernel {1e3 * kernel:7.1f} ms  1 thread {1e3 * kernel_1:7.1f} ms  "
              f"float32 {1e3 * kernel_32:7.1f} ms  numpy {1e3 * numpy_time:7.1f} ms  "
              f"numpy/kernel {numpy_time / kernel:5.1f}x  kernel/(exp+log1p) {kernel / floor:4.2f}x")

    write_table(rows, floor, n_samples, n_labels, repeats, threads)


def write_table(rows, floor, n_samples, n_labels, repeats, threads):
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "# Loss kernels: loss + gradient",
        "",
        f"{n_samples:,} x {n_labels} logits (float64 unless said), median of {repeats} repeats; "
        f"numba threads: {threads} (machine: {os.cpu_count()} cores, load average {load} while "
        "running: timings are noisy). NumPy ufuncs use one thread. `exp+log1p` = "
        f"`np.log1p(np.exp(-abs(Z)))`: {1e3 * floor:.1f} ms. Kernel times are "
        "`loss.loss_gradient(Y, Z)` (checks and gradient allocation included). First call = "
        "compilation in a fresh process with the numba cache off (all these losses share one "
        "kernel, each process compiles it once per dtype).",
        "",
        "Targets: numpy/kernel >= 5; kernel/(exp+log1p) <= 3.",
        "",
        f"| loss | kernel ({threads} thr) ms | kernel (1 thr) ms | kernel float32 ms | numpy ms | "
        f"numpy/kernel | kernel/(exp+log1p) | 1-thr kernel/(exp+log1p) | first call float64 s | "
        "first call float32 s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['loss']} | {1e3 * row['kernel']:.1f} | {1e3 * row['kernel_1']:.1f} | "
            f"{1e3 * row['kernel_32']:.1f} | {1e3 * row['numpy']:.1f} | "
            f"{row['numpy'] / row['kernel']:.1f} | {row['kernel'] / floor:.2f} | "
            f"{row['kernel_1'] / floor:.2f} | {row['compile_64']:.2f} | {row['compile_32']:.2f} |"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
