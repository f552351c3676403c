"""MLSMOTE, MLROS and MLRUS on 50,000 samples x 100 features x 100 labels.

Run ``python benchmarks/bench_resampling.py`` (``--quick`` for a smoke run).
Writes ``benchmarks/results/resampling.md``. imbalanced-learn has no
multi-label sampler; as a point of reference, ``imblearn``'s binary ``SMOTE`` /
``RandomOverSampler`` / ``RandomUnderSampler`` are run one minority (or
majority) label at a time, producing as many samples per label as the
multi-label sampler does, which is what a user would otherwise write. The
numba compile cost is measured on the first call with the on-disk cache off.
"""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ["SKMULTILABEL_NUMBA_CACHE"] = "0"  # so that the first call measures the compile
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from _results import write_result  # noqa: E402
from _synthetic import make_imbalanced_multilabel  # noqa: E402
from imblearn.over_sampling import SMOTE, RandomOverSampler  # noqa: E402
from imblearn.under_sampling import RandomUnderSampler  # noqa: E402

from skmultilabel.resampling import MLROS, MLRUS, MLSMOTE, mean_ir  # noqa: E402
from skmultilabel.resampling._base import imbalance_split  # noqa: E402


def timed(function, repeats):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def per_label_smote(X, Y):
    """Run imblearn SMOTE per minority label (label vs rest), one synthetic sample per positive."""
    _, _, minority, _ = imbalance_split(Y.astype(float))
    for c in minority:
        positives = int(Y[:, c].sum())
        if positives > 5:
            smote = SMOTE(sampling_strategy={1: 2 * positives}, k_neighbors=5, random_state=0)
            smote.fit_resample(X, Y[:, c])


def per_label_random(X, Y, sampler):
    """Run an imblearn random sampler once per label of the multi-label sampler's bags."""
    _, _, minority, majority = imbalance_split(Y.astype(float))
    labels = minority if sampler is RandomOverSampler else majority
    for c in labels:
        sampler(random_state=0).fit_resample(X, Y[:, c])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="5,000 samples, one repeat, no file written"
    )
    args = parser.parse_args()
    n_samples, repeats = (5_000, 1) if args.quick else (50_000, 3)
    X, Y = make_imbalanced_multilabel(n_samples, 100, n_features=100)
    Y = Y.astype(np.int64)

    start = time.perf_counter()
    MLROS(random_state=0).fit_resample(X[:200], Y[:200])
    compile_seconds = time.perf_counter() - start

    peers = {
        "MLSMOTE": lambda: per_label_smote(X, Y),
        "MLROS": lambda: per_label_random(X, Y, RandomOverSampler),
        "MLRUS": lambda: per_label_random(X, Y, RandomUnderSampler),
    }
    lines = [
        f"# Multi-label resampling: {n_samples:,} samples x 100 features x 100 labels",
        "",
        f"`python benchmarks/bench_resampling.py{' --quick' if args.quick else ''}`; "
        "synthetic data with "
        "Zipf label prevalence (`benchmarks/_synthetic.py`), default parameters (k_neighbors=5, "
        "label_generation='ranking', percentage=25), median of "
        f"{repeats} runs. Reference: the imbalanced-learn binary sampler run once per label "
        "(minority labels for SMOTE/ROS, majority labels for RUS).",
        "",
        f"numba compile on first call (cache off): {compile_seconds:.2f} s "
        "for the round-robin kernel "
        "shared by MLROS and MLRUS (not in the times below; MLSMOTE has no numba kernel). "
        "One untimed warm-up run per sampler precedes the timed runs.",
        "",
        f"MeanIR of the input: {mean_ir(Y):.2f}.",
        "",
        "| sampler | time (s) | output rows | MeanIR after | imblearn per label (s) | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for Sampler in (MLSMOTE, MLROS, MLRUS):
        Sampler(random_state=0).fit_resample(X, Y)  # warm-up: first large allocations
        seconds, (X_res, Y_res) = timed(lambda: Sampler(random_state=0).fit_resample(X, Y), repeats)
        peer_seconds, _ = timed(peers[Sampler.__name__], 1)
        line = (
            f"| {Sampler.__name__} | {seconds:.3f} | {X_res.shape[0]:,} | {mean_ir(Y_res):.2f} "
            f"| {peer_seconds:.3f} | {peer_seconds / seconds:.1f}x |"
        )
        print(line, flush=True)
        lines.append(line)
    write_result("resampling", lines, args.quick)


if __name__ == "__main__":
    main()
