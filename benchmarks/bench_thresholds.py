"""Exact per-label F1 threshold tuning vs scikit-learn's TunedThresholdClassifierCV and vs sorting.

Setup: n_labels labels of n_samples precomputed scores each (noisy sigmoids of
the 0/1 truth, prevalence 1%..30%), standing for out-of-fold scores of a
model: every method tunes on the same scores, so "same model and folds".

* ours: ``PerClassThresholdTuner(cv="prefit", refit=False, scoring="f1_macro",
  margin=0)`` on an estimator that returns the precomputed scores (end to end:
  response normalisation, sort, exact sweep), and the bare kernel path
  ``best_per_label`` (transpose, argsort, sweep); also the tuner with its
  default noise margin, which adds the global search (the exact macro F1 of
  one threshold shared by all labels: each label's positives and negatives
  sorted, merged by one sort of 64-bit keys) and a second sweep of the labels
  that move; the global search alone is timed too;
* sort: ``np.argsort`` of every label's (contiguous) scores, the least work an
  exact method does;
* scikit-learn: per label, ``TunedThresholdClassifierCV(scoring="f1",
  cv="prefit", refit=False, thresholds=100)`` on an estimator returning that
  label's precomputed probabilities, i.e. ``MultiOutputClassifier(
  TunedThresholdClassifierCV(...))`` on the same scores. It costs seconds per
  label, so it runs on ``--sklearn-labels`` labels and its time is
  extrapolated linearly to all labels (the labels are independent).

F1 reached: each label's F1 at the threshold each method chose, on the tuning
scores, for the labels scikit-learn ran on.

Run: ``python benchmarks/bench_thresholds.py`` (100 labels x 1,000,000 scores),
``--quick`` for a smoke run. Writes ``benchmarks/results/thresholds.md``.
"""

import argparse
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

import numpy as np
from _results import write_result  # noqa: E402
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import f1_score
from sklearn.model_selection import TunedThresholdClassifierCV

from skmultilabel import PerClassThresholdTuner
from skmultilabel._config import NUMBA_CACHE
from skmultilabel.thresholds._objectives import FBetaObjective, TuningData
from skmultilabel.thresholds._sweep import FBeta, best_per_label


class PrecomputedScores(ClassifierMixin, BaseEstimator):
    """Returns ``scores[row]`` for X = row indices; for one label, [1 - s, s] probabilities."""

    def __init__(self, scores=None, label=None):
        self.scores = scores
        self.label = label

    def fit(self, X, y):
        if self.label is not None:
            self.classes_ = np.array([0, 1])
        else:
            self.classes_ = np.arange(self.scores.shape[1])
        return self

    def predict_proba(self, X):
        rows = np.asarray(X)[:, 0].astype(np.intp)
        if self.label is None:
            if np.array_equal(rows, np.arange(self.scores.shape[0])):
                return self.scores  # all rows in order: no copy, the model costs nothing
            return self.scores[rows]
        s = self.scores[rows, self.label]
        return np.column_stack([1.0 - s, s])


def make_scores(n_samples, n_labels, seed=0):
    rng = np.random.default_rng(seed)
    prevalence = np.linspace(0.01, 0.30, n_labels)
    Y = rng.random((n_samples, n_labels)) < prevalence
    noise = 1.5 * rng.standard_normal((n_samples, n_labels))
    scores = 1.0 / (1.0 + np.exp(-(2.0 * Y - 1.0 + noise)))
    return scores, Y


def argsort_rows(columns):
    """``np.argsort`` of each row of ``columns`` (one label's scores per row)."""
    return [np.argsort(row) for row in columns]


def label_sort_cpu_time(scores):
    """CPU seconds of one ``np.argsort`` of every label's column of ``scores``: the floor."""
    columns = np.ascontiguousarray(scores.T)
    start = time.process_time()
    argsort_rows(columns)
    return time.process_time() - start


def interleaved_best_times(functions, repeats):
    """Best wall time of each function over ``repeats`` rounds that run them in turn.

    Interleaving spreads the noise of shared cores over all methods alike.
    """
    times = {name: [] for name in functions}
    results = {}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.perf_counter()
            results[name] = function()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 labels x 100,000 scores")
    parser.add_argument(
        "--sklearn-labels", type=int, default=None, help="labels timed with scikit-learn"
    )
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n_samples, n_labels = (100_000, 10) if args.quick else (1_000_000, 100)
    sklearn_labels = args.sklearn_labels or (2 if args.quick else 4)

    scores, Y = make_scores(n_samples, n_labels)
    X = np.arange(n_samples, dtype=np.float64)[:, None]

    tiny_scores, tiny_Y = make_scores(100, 2, seed=1)
    start = time.perf_counter()
    best_per_label(tiny_scores, tiny_Y, np.ones(100), FBeta(1.0))
    first_call = time.perf_counter() - start
    start = time.perf_counter()
    FBetaObjective("macro").global_search(TuningData(tiny_scores, tiny_Y, None))
    global_first_call = time.perf_counter() - start

    columns = np.ascontiguousarray(scores.T)
    model = PrecomputedScores(scores).fit(X, Y)
    tuner = PerClassThresholdTuner(model, cv="prefit", refit=False, scoring="f1_macro", margin=0)
    with_margin = PerClassThresholdTuner(model, cv="prefit", refit=False, scoring="f1_macro")
    times, results = interleaved_best_times(
        {
            "sort": partial(argsort_rows, columns),
            "kernel": lambda: best_per_label(scores, Y, None, FBeta(1.0)),
            "global": lambda: FBetaObjective("macro").global_search(TuningData(scores, Y, None)),
            "tuner": lambda: tuner.fit(X, Y),
            "margin": lambda: with_margin.fit(X, Y),
        },
        args.repeats,
    )
    del columns
    sort_time, kernel_time, global_time, tuner_time, margin_time = (
        times[k] for k in ("sort", "kernel", "global", "tuner", "margin")
    )
    assert np.array_equal(tuner.thresholds_, results["kernel"][0])

    labels = np.linspace(0, n_labels - 1, sklearn_labels).round().astype(int)
    sk_thresholds, sk_time = [], 0.0
    for c in labels:
        label_model = PrecomputedScores(scores, label=c).fit(X, Y[:, c])
        sk = TunedThresholdClassifierCV(
            label_model, scoring="f1", cv="prefit", refit=False, thresholds=100
        )
        start = time.perf_counter()
        sk.fit(X, Y[:, c].astype(int))
        sk_time += time.perf_counter() - start
        sk_thresholds.append(sk.best_threshold_)
    sk_total = sk_time / len(labels) * n_labels
    ours_f1 = np.array([f1_score(Y[:, c], scores[:, c] >= tuner.thresholds_[c]) for c in labels])
    sk_f1 = np.array([f1_score(Y[:, c], scores[:, c] >= t) for c, t in zip(labels, sk_thresholds)])

    rows = [
        ("np.argsort of every label (lower bound)", sort_time, "-"),
        ("skmultilabel best_per_label (blocked transpose; per label: numba split into "
         "positives/negatives, np.sort of each, numba merge sweep)", kernel_time, "exact"),
        ("skmultilabel global search alone (one threshold for all labels, macro F1: per label "
         "np.sort of positives and negatives, np.sort of 64-bit merge keys, numba sweep)",
         global_time, "exact"),
        ("PerClassThresholdTuner(cv='prefit', margin=0).fit, end to end", tuner_time, "exact"),
        ("PerClassThresholdTuner(cv='prefit').fit (default margin='std_error'), end to end",
         margin_time, "exact + global + margin"),
        (f"sklearn TunedThresholdClassifierCV per label (timed on {len(labels)} labels, "
         f"x{n_labels / len(labels):g})", sk_total, "grid of 100"),
    ]
    lines = [
        "# Exact per-label F1 thresholds: speed and F1",
        "",
        f"{n_labels} labels x {n_samples:,} precomputed scores each (float64), prevalence 1%..30%; "
        f"best of {args.repeats} interleaved runs; 2 shared CPU cores, timings noisy. Command: "
        f"`python benchmarks/bench_thresholds.py{' --quick' if args.quick else ''}`.",
        "",
        "| method | time (s) | vs sort | search |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {name} | {t:.2f} | {t / sort_time:.2f}x | {kind} |" for name, t, kind in rows]
    cache = "cache on: compile or cache load" if NUMBA_CACHE else "cache off: compile"
    lines += [
        "",
        f"- speed-up over scikit-learn: **{sk_total / tuner_time:.0f}x** end to end "
        f"({sk_total / kernel_time:.0f}x for the kernel path); target >= 100x.",
        f"- tuner / sort: **{tuner_time / sort_time:.2f}x** "
        f"(kernel path {kernel_time / sort_time:.2f}x); target <= 2x. "
        f"With the default noise margin: {margin_time / sort_time:.2f}x.",
        f"- F1 on labels {labels.tolist()}: ours {np.round(ours_f1, 5).tolist()}, "
        f"scikit-learn {np.round(sk_f1, 5).tolist()}; "
        f"min(ours - sklearn) = {np.min(ours_f1 - sk_f1):.2e} (target >= 0).",
        f"- numba first call (tiny input, {cache}): {first_call:.2f} s "
        f"(global search: {global_first_call:.2f} s), not included above.",
        f"- scikit-learn extrapolation: {sk_time:.1f} s measured on {len(labels)} labels, "
        f"x {n_labels}/{len(labels)}.",
    ]
    write_result("thresholds", lines, args.quick)

if __name__ == "__main__":
    main()
