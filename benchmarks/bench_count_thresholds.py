"""Thresholds for precision, recall, Jaccard, accuracy, MCC, ...: exact vs grid vs scikit-learn.

Setup: the precomputed scores of ``bench_thresholds.py`` (noisy sigmoids of the
0/1 truth, prevalence 1%..30%), tuned with ``PerClassThresholdTuner(cv="prefit",
refit=False, scoring=...)``:

* exact: the scorer name (``"jaccard_samples"``, ...): every cut of the
  sorted scores (counts by one sort and cumulative sums, the metric on all
  cuts at once);
* grid: the same metric given as a plain callable, which the tuner can only
  search on its grid of 100 candidate thresholds per label (the path every
  non-F-measure scorer took before);
* scikit-learn: ``TunedThresholdClassifierCV(scoring=<binary metric>,
  cv="prefit", refit=False, thresholds=100)`` on one label's scores, run per
  label (timed on ``--sklearn-labels`` labels, extrapolated to all) for the
  macro averages, and on the one label of a binary target.

Score: the scikit-learn metric of the predictions at the chosen thresholds,
on the tuning scores. Part 1 is the size the slow grid path was reported at
(2,000 samples x 10 labels); part 2 times the exact search alone at 100,000 x
100; part 3 is a binary target of 100,000 samples.

Times are CPU times of the process (``time.process_time``): the work is
single-threaded and the benchmark machine is shared. Run:
``python benchmarks/bench_count_thresholds.py``, ``--quick`` for a smoke run.
Writes ``benchmarks/results/count_thresholds.md``.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

import numpy as np
from _results import write_result  # noqa: E402
from bench_thresholds import (  # noqa: E402
    PrecomputedScores,
    label_sort_cpu_time,
    make_scores,
)
from sklearn.metrics import get_scorer, hamming_loss, make_scorer
from sklearn.model_selection import TunedThresholdClassifierCV

from skmultilabel import PerClassThresholdTuner

HAMMING = "hamming_loss (greater_is_better=False)"
SCORERS = {HAMMING: make_scorer(hamming_loss, greater_is_better=False)}
MULTILABEL = [
    "precision_macro", "recall_macro", "jaccard_macro", "jaccard_micro", "precision_samples",
    "jaccard_samples", "accuracy", HAMMING,
]
BINARY = ["precision", "recall", "jaccard", "balanced_accuracy", "matthews_corrcoef", "accuracy"]


def scorer_of(name):
    return SCORERS[name] if name in SCORERS else get_scorer(name)


def as_callable(name):
    """The scorer's metric (times its sign) as a plain callable: searched on the tuner's grid."""
    scorer = scorer_of(name)
    return lambda y_true, y_pred: scorer._sign * scorer._score_func(
        y_true, y_pred, **scorer._kwargs
    )


def timed_fit(tuner, X, y):
    start = time.process_time()
    tuner.fit(X, y)
    return time.process_time() - start


def sklearn_per_label(name, scores, Y, labels, X):
    """Time of TunedThresholdClassifierCV on each of ``labels`` and the thresholds it chose."""
    metric = name.split("_")[0] if name not in BINARY else name
    elapsed, thresholds = 0.0, []
    for c in labels:
        model = PrecomputedScores(scores, label=c).fit(X, Y[:, c])
        sk = TunedThresholdClassifierCV(
            model, scoring=metric, cv="prefit", refit=False, thresholds=100
        )
        elapsed += timed_fit(sk, X, Y[:, c].astype(int))
        thresholds.append(sk.best_threshold_)
    return elapsed, np.array(thresholds)


def tuner(model, scoring):
    return PerClassThresholdTuner(model, cv="prefit", refit=False, scoring=scoring, min_positives=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--sklearn-labels", type=int, default=3)
    args = parser.parse_args()
    small = (500, 5) if args.quick else (2_000, 10)
    large = (10_000, 20) if args.quick else (100_000, 100)
    n_binary = 10_000 if args.quick else 100_000
    warnings.filterwarnings("ignore", message=".*ill-defined.*")

    tiny_scores, tiny_Y = make_scores(50, 3, seed=1)
    tiny_X = np.arange(50, dtype=np.float64)[:, None]
    for name in MULTILABEL:  # compilation and first calls, not timed
        tuner(PrecomputedScores(tiny_scores).fit(tiny_X, tiny_Y), scorer_of(name)).fit(
            tiny_X, tiny_Y
        )

    lines = [
        "# Exact thresholds for metrics of the confusion counts",
        "",
        "`PerClassThresholdTuner(cv='prefit', refit=False)` on precomputed scores (prevalence "
        "1%..30%); times are CPU times of the process (single-threaded work; the 2 cores are "
        "shared, so wall times are several times longer). Command: "
        f"`python benchmarks/bench_count_thresholds.py{' --quick' if args.quick else ''}`.",
        "",
        f"## {small[1]} labels x {small[0]:,} samples: exact sweep, grid (100 candidates), "
        "scikit-learn",
        "",
        "| scoring | exact (s) | grid (s) | grid / exact | scikit-learn per label (s) "
        "| sklearn / exact | score exact | score grid | score sklearn |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    scores, Y = make_scores(*small)
    X = np.arange(small[0], dtype=np.float64)[:, None]
    model = PrecomputedScores(scores).fit(X, Y)
    labels = np.linspace(0, small[1] - 1, args.sklearn_labels).round().astype(int)
    for name in MULTILABEL:
        metric = scorer_of(name)
        exact, grid = tuner(model, metric), tuner(model, as_callable(name))
        exact_time, grid_time = timed_fit(exact, X, Y), timed_fit(grid, X, Y)
        exact_score = metric(exact, X, Y)
        grid_score = metric(grid, X, Y)
        sk = ["-", "-", "-"]
        if name.endswith("_macro"):
            sk_time, sk_thresholds = sklearn_per_label(name, scores, Y, labels, X)
            sk_total = sk_time / len(labels) * small[1]
            on_labels = [
                metric._score_func(Y[:, labels], scores[:, labels] >= t, **metric._kwargs)
                for t in (sk_thresholds, exact.thresholds_[labels])
            ]
            sk = [f"{sk_total:.2f}", f"{sk_total / exact_time:.0f}x",
                  f"{on_labels[0]:.4f} (labels {labels.tolist()}; exact there {on_labels[1]:.4f})"]
        lines.append(
            f"| {name} | {exact_time:.3f} | {grid_time:.2f} | {grid_time / exact_time:.0f}x "
            f"| {sk[0]} | {sk[1]} | {exact_score:.4f} | {grid_score:.4f} | {sk[2]} |"
        )

    lines += [
        "",
        f"## {large[1]} labels x {large[0]:,} samples: exact sweep alone",
        "",
        "| scoring | exact (s) | vs argsort of every label |",
        "|---|---:|---:|",
    ]
    scores, Y = make_scores(*large)
    X = np.arange(large[0], dtype=np.float64)[:, None]
    model = PrecomputedScores(scores).fit(X, Y)
    sort_time = label_sort_cpu_time(scores)
    for name in MULTILABEL:
        exact_time = timed_fit(tuner(model, scorer_of(name)), X, Y)
        lines.append(f"| {name} | {exact_time:.2f} | {exact_time / sort_time:.1f}x |")
    lines.append(f"\nnp.argsort of every label's column once: {sort_time:.2f} s.")

    lines += [
        "",
        f"## Binary target, {n_binary:,} samples (prevalence 15%)",
        "",
        "| scoring | exact (s) | grid (s) | TunedThresholdClassifierCV (s) | sklearn / exact | "
        "score exact | score grid | score sklearn |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    scores, Y = make_scores(n_binary, 30)
    scores, Y = scores[:, 14:15], Y[:, 14:15]
    X = np.arange(n_binary, dtype=np.float64)[:, None]
    y = Y[:, 0].astype(int)
    model = PrecomputedScores(scores, label=0).fit(X, y)
    for name in BINARY:
        metric = get_scorer(name)
        exact, grid = tuner(model, name), tuner(model, as_callable(name))
        exact_time, grid_time = timed_fit(exact, X, y), timed_fit(grid, X, y)
        sk_time, sk_threshold = sklearn_per_label(name, scores, Y, [0], X)
        sk_score = metric._score_func(y, scores[:, 0] >= sk_threshold[0])
        lines.append(
            f"| {name} | {exact_time:.3f} | {grid_time:.2f} | {sk_time:.2f} "
            f"| {sk_time / exact_time:.0f}x | {metric(exact, X, y):.4f} | {metric(grid, X, y):.4f} "
            f"| {sk_score:.4f} |"
        )
    lines += [
        "",
        "- exact: every distinct cut of the sorted scores; its score is never below the grid's "
        "nor scikit-learn's on the same scores (the maximum over a superset of cuts; per label "
        "for macro).",
        "- grid: the same metric as a plain callable, 100 evenly spaced candidates per label, "
        "coordinate ascent for the coupled averages (the path of every non-F-measure scorer "
        "before).",
        "- accuracy: subset accuracy on the multi-label target (the samples average of an "
        "exact match); hamming_loss: `make_scorer(hamming_loss, greater_is_better=False)`, "
        "the micro average of the error (its score is minus the loss).",
    ]
    write_result("count_thresholds", lines, args.quick)


if __name__ == "__main__":
    main()
