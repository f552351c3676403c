"""Scaling of the ranking losses: loss + gradient time against the number of samples.

Usage: ``python benchmarks/bench_ranking_scaling.py [--quick]``

For N = 1e4, 1e5, 1e6 samples and 10 labels (positive rates 10% to 20%),
times one ``loss_gradient`` call (best of ``--repeats``, float64) of every
ranking surrogate and of BCE, the pointwise peer measured in the same run, and
fits the exponent b of time ~ N**b by least squares in log-log. The exact
pairwise logistic loss is quadratic: it is timed up to ``--logistic-max``
samples and its time at larger N is extrapolated from its own fit (marked
"~"). The first call of each kernel, on a tiny batch with the on-disk numba
cache switched off, gives its compile time; the three pairwise losses share
one kernel, so the first of them pays for all three.

Writes the table to ``benchmarks/results/ranking_scaling.md`` (``--quick``:
``ranking_scaling.md.tmp``, not committed).
"""

import argparse
import os
import pathlib
import time

os.environ["SKMULTILABEL_NUMBA_CACHE"] = "0"  # compile in this process, to time it

import numba  # noqa: E402
import numpy as np  # noqa: E402

from skmultilabel.losses import LOSSES  # noqa: E402

SURROGATES = ["pairwise_square", "pairwise_squared_hinge", "auc_margin", "label_ranking"]
EXACT = "pairwise_logistic"
PEER = "bce"
N_LABELS = 10
RESULT = pathlib.Path(__file__).parent / "results" / "ranking_scaling.md"


def make_batch(n_samples, seed=0):
    rng = np.random.default_rng(seed)
    rates = np.linspace(0.1, 0.2, N_LABELS)
    Y = (rng.random((n_samples, N_LABELS)) < rates).astype(np.float64)
    raw = rng.normal(size=(n_samples, N_LABELS)) + 1.5 * Y
    return Y, raw


def compile_seconds(name):
    Y, raw = make_batch(20)
    start = time.perf_counter()
    LOSSES[name]().loss_gradient(Y, raw)
    return time.perf_counter() - start


def best_time(name, Y, raw, repeats):
    loss = LOSSES[name]()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        loss.loss_gradient(Y, raw)
        times.append(time.perf_counter() - start)
    return min(times)


def fitted_exponent(sizes, times):
    """Least-squares slope and intercept of log time against log N."""
    slope, intercept = np.polyfit(np.log(sizes), np.log(times), 1)
    return slope, intercept


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat (smoke run)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--logistic-max", type=int, default=30_000,
        help="largest N at which the quadratic pairwise logistic loss is timed",
    )
    args = parser.parse_args()
    if args.quick:
        sizes, exact_sizes, repeats = [1_000, 3_000, 10_000], [300, 1_000, 3_000], 1
    else:
        sizes = [10_000, 100_000, 1_000_000]
        exact_sizes = [n for n in (1_000, 3_000, 10_000, 30_000, 100_000) if n <= args.logistic_max]
        repeats = args.repeats

    names = [PEER] + SURROGATES + [EXACT]
    load_before = os.getloadavg()[0]
    compile_time = {name: compile_seconds(name) for name in names}
    times = {name: {} for name in names}
    for n in sorted(set(sizes) | set(exact_sizes)):
        Y, raw = make_batch(n)
        for name in names:
            timed = exact_sizes if name == EXACT else sizes
            if n in timed:
                times[name][n] = best_time(name, Y, raw, 1 if name == EXACT else repeats)
                print(f"N={n:>9,d} {name:<24s} {times[name][n]:10.4f} s", flush=True)

    rows = []
    for name in names:
        measured = sorted(times[name])
        exponent, intercept = fitted_exponent(measured, [times[name][n] for n in measured])
        cells = []
        for n in sizes:
            if n in times[name]:
                seconds, mark = times[name][n], ""
            else:
                seconds, mark = float(np.exp(intercept) * n**exponent), "~"
            ratio = seconds / times[PEER][n]
            cells.append(f"{mark}{seconds:.4g} s ({mark}{ratio:.3g}x)")
        fit_range = f"{measured[0]:,}-{measured[-1]:,}"
        last, before = measured[-1], measured[-2]
        local = np.log(times[name][last] / times[name][before]) / np.log(last / before)
        rows.append(
            f"| `{name}` | {compile_time[name]:.2f} | " + " | ".join(cells)
            + f" | {exponent:.2f} ({fit_range}) | {local:.2f} |"
        )

    header = (
        "| loss | first call (compile) s | "
        + " | ".join(f"N = {n:,}" for n in sizes)
        + " | fitted exponent (N range) | exponent between the two largest N |"
    )
    lines = [
        "# Ranking losses: loss + gradient time against N",
        "",
        f"`python benchmarks/bench_ranking_scaling.py{' --quick' if args.quick else ''}`: "
        f"{N_LABELS} labels, positive rates 10%-20%, float64, best of {repeats} "
        f"(pairwise logistic: one run), numba threads: {numba.get_num_threads()}, "
        f"1-minute load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after "
        f"on {os.cpu_count()} CPUs (shared machine: ratios are more stable than seconds).",
        "Each cell: seconds for one `loss_gradient` call (ratio to `bce` at the same N, "
        "measured in the same run). Exponent b: least-squares fit of log time = a + b log N "
        "over the N range shown (target b <= 1.2 for the surrogates); the last column is "
        "the slope between the two largest measured N, less affected by fixed per-call costs.",
        f"`{EXACT}` is exact and quadratic (O(n_pos n_neg) per label): timed for "
        f"N in {exact_sizes}; cells marked ~ are extrapolated from its fit.",
        "First call: compile + run on 20 samples with the numba disk cache off; the pairwise "
        "losses share one kernel, compiled at the first of them (`pairwise_square`).",
        "",
        header,
        "|" + "---|" * (len(sizes) + 4),
        *rows,
        "",
    ]
    result = RESULT.with_suffix(".md.tmp") if args.quick else RESULT  # a smoke run keeps the table
    result.parent.mkdir(exist_ok=True)
    result.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
