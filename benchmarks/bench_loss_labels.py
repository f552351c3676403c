"""Cost of every loss as the number of labels grows: loss + gradient time at fixed N.

Run ``python benchmarks/bench_loss_labels.py`` (``--quick``: fewer samples, no file written).
Measures one ``loss_gradient`` call (fastest of 3 to 50 calls, float64) of every
registered loss (``splc`` at epoch 2, its label correction on; ``bce`` also with
``label_smoothing=0.1``), in process CPU time with one numba thread: the work done, which
the load of a shared machine disturbs much less than wall time, on N = 10,000
samples and 10, 100 and 1,000 labels (positive rates spread from 1% to 30%),
with the ratio to ``bce`` at the same size and the fitted exponent of time
against the number of labels. The exact ``pairwise_logistic`` loss is quadratic
in the positives x negatives of each label; it is timed once per size and
skipped at 1,000 labels (about 100 x its 100-label time). Compilation is
excluded (one untimed call per loss first).
Writes ``benchmarks/results/loss_labels.md``.
"""

import argparse
import sys
import time
from pathlib import Path

import numba
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _results import write_result  # noqa: E402

from skmultilabel.losses import LOSSES  # noqa: E402

QUADRATIC = "pairwise_logistic"


def table_rows():
    """Row name -> loss: every registered loss, plus ``bce`` with label smoothing."""
    rows = {}
    for name, cls in sorted(LOSSES.items()):
        # "splc" needs the training epoch; epoch 2 switches its label correction on
        rows[name] = cls().for_epoch(2) if getattr(cls, "needs_epoch", False) else cls()
        if name == "bce":
            rows["bce + label_smoothing"] = cls(label_smoothing=0.1)
    return rows


def make_batch(n_samples, n_labels, seed=0):
    rng = np.random.default_rng(seed)
    rates = np.linspace(0.01, 0.3, n_labels)
    Y = (rng.random((n_samples, n_labels)) < rates).astype(np.float64)
    raw = rng.normal(size=(n_samples, n_labels)) + 1.5 * Y
    return Y, raw


def best_time(loss, Y, raw, repeats, budget=1.0):
    """Fastest of at least ``repeats`` calls, repeated (up to 50) while under ``budget`` seconds."""
    times = []
    while len(times) < repeats or (sum(times) < budget and len(times) < 50):
        start = time.process_time()
        loss.loss_gradient(Y, raw)
        times.append(time.process_time() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 1,000, no file written")
    args = parser.parse_args()
    numba.set_num_threads(1)
    n_samples = 1_000 if args.quick else 10_000
    label_counts = [10, 100, 1000]
    batches = {n: make_batch(n_samples, n) for n in label_counts}
    rows = table_rows()
    for loss in rows.values():  # compile (or load from the cache) outside the timings
        loss.loss_gradient(*make_batch(20, 3))
    times = {}
    for name, loss in rows.items():
        for n_labels in label_counts:
            if name == QUADRATIC and n_labels == label_counts[-1]:
                continue
            if name == QUADRATIC:
                times[name, n_labels] = best_time(loss, *batches[n_labels], 1, budget=0.0)
            else:
                times[name, n_labels] = best_time(loss, *batches[n_labels], 3)
            print(f"{name} {n_labels} labels: {times[name, n_labels]:.4g} s", flush=True)
    header = " | ".join(f"{n:,} labels" for n in label_counts)
    lines = [
        "# Loss + gradient time against the number of labels",
        "",
        f"`python benchmarks/bench_loss_labels.py{' --quick' if args.quick else ''}`: "
        f"N = {n_samples:,} samples, positive rates 1%-30%, float64, process CPU time with one "
        "numba thread (the work, less disturbed by "
        "the load of the shared 2-core machine than wall time), fastest of 3 to 50 calls "
        f"(repeated while under 1 s; `{QUADRATIC}`: one call, not run at 1,000 labels), "
        "compilation excluded; `splc` at epoch 2 (label correction on), `bce + label_smoothing`: "
        "0.1. Each cell: CPU seconds of one `loss_gradient` call "
        "(ratio to `bce` at the same size). "
        "Exponent: least-squares slope of log time against log(number of labels).",
        "",
        f"| loss | {header} | exponent |",
        "|---|" + "---|" * len(label_counts) + "---|",
    ]
    for name in rows:
        cells, sizes, measured = [], [], []
        for n_labels in label_counts:
            if (name, n_labels) not in times:
                cells.append("not run")
                continue
            seconds = times[name, n_labels]
            cells.append(f"{seconds:.4g} s ({seconds / times['bce', n_labels]:.3g}x)")
            sizes.append(n_labels)
            measured.append(seconds)
        exponent = np.polyfit(np.log(sizes), np.log(measured), 1)[0]
        lines.append(f"| `{name}` | {' | '.join(cells)} | {exponent:.2f} |")
    print("\n".join(lines))
    write_result("loss_labels", lines, args.quick)


if __name__ == "__main__":
    main()
