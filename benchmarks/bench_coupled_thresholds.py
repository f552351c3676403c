"""Coupled threshold objectives (micro and samples F1): incremental label steps vs recounting.

Setup: the precomputed scores of ``bench_thresholds.py`` (noisy sigmoids of the
0/1 truth, prevalence 1%..30%), 1,000 labels x 100,000 samples, tuned with
``PerClassThresholdTuner(cv="prefit", refit=False, scoring=...)`` for
``f1_micro`` and ``f1_samples``: the best global threshold, then coordinate
ascent, one exact sweep of one label's threshold per step.

* after (the library): a label step takes the label's own counts out of
  running totals (per label for micro, per sample for samples), O(n_samples),
  and sweeps its column, O(n_samples log n_samples). Timed end to end.
* before (the previous implementation, kept here as the peer): a label step
  recounts the other labels from the whole (n_samples, n_labels) prediction
  matrix, O(n_samples n_labels), then runs the same sweep. It costs seconds
  per step at this size, so it is timed on ``--before-steps`` labels (giving
  the same threshold and score as the incremental step, checked) and its
  total is the measured global search plus the after run's number of label
  steps at that per-step time.
* sort: ``np.argsort`` of every label's contiguous column once, the sorting
  work of one pass over the labels.

Times are CPU times of the process (``time.process_time``): the work is
single-threaded and the benchmark machine is shared, where wall times measure
the neighbours. Run: ``python benchmarks/bench_coupled_thresholds.py`` (1,000
labels x 100,000 samples), ``--quick`` for a smoke run.
Writes ``benchmarks/results/coupled_thresholds.md``.
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

from skmultilabel import PerClassThresholdTuner
from skmultilabel.thresholds._objectives import CoupledSteps, TuningData
from skmultilabel.thresholds._sweep import Groups, StartCounts, grouped_search, single_sweep


def recount_step(objective, data, thresholds, c):
    """The previous label step: the other labels recounted from the full prediction matrix."""
    column = np.ascontiguousarray(data.scores[:, c])
    truth = np.ascontiguousarray(data.truth[:, c])
    others = data.predict(thresholds)
    others[:, c] = False
    true_positive = others & data.truth
    false_positive = others & ~data.truth
    if objective.average == "micro":
        counts = StartCounts(
            data.positives.sum(), data.total(true_positive.sum(axis=1)),
            data.total(false_positive.sum(axis=1)),
        )
        return single_sweep(column, truth, data.sample_weight, counts, objective.fbeta)
    groups = Groups(
        np.arange(data.n_samples), data.sample_share, data.truth.sum(axis=1),
        true_positive.sum(axis=1), false_positive.sum(axis=1),
    )
    return grouped_search(column, truth, np.ones(data.n_samples), groups, objective.fbeta)


def counting_steps():
    """Count the label steps of CoupledSteps (patched for the run; returns the counter)."""
    counter = {"steps": 0}
    search = CoupledSteps.search

    def counted(self, c, store=False):
        counter["steps"] += 1
        return search(self, c, store)

    CoupledSteps.search = counted
    return counter


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 labels x 10,000 samples")
    parser.add_argument("--before-steps", type=int, default=5, help="label steps timed the old way")
    args = parser.parse_args()
    n_samples, n_labels = (10_000, 100) if args.quick else (100_000, 1_000)
    scores, Y = make_scores(n_samples, n_labels)
    X = np.arange(n_samples, dtype=np.float64)[:, None]
    model = PrecomputedScores(scores).fit(X, Y)
    data = TuningData(scores, Y, None)
    counter = counting_steps()

    tiny = make_scores(200, 4, seed=1)
    for scoring in ("f1_micro", "f1_samples"):  # numba compilation, not timed
        PerClassThresholdTuner(PrecomputedScores(tiny[0]).fit(X[:200], tiny[1]), cv="prefit",
                               refit=False, scoring=scoring, min_positives=0).fit(X[:200], tiny[1])

    sort_time = label_sort_cpu_time(scores)

    rows = []
    for scoring in ("f1_micro", "f1_samples"):
        tuner = PerClassThresholdTuner(model, cv="prefit", refit=False, scoring=scoring)
        with warnings.catch_warnings():  # rare labels in 200 rows
            warnings.simplefilter("ignore", UserWarning)
            objective = tuner.fit(X[:200], Y[:200]).objective_
        start = time.process_time()
        global_cut = objective.global_search(data)
        global_time = time.process_time() - start

        counter["steps"] = 0
        start = time.process_time()
        tuner.fit(X, Y)
        after_time = time.process_time() - start
        n_steps = counter["steps"]

        thresholds = np.full(n_labels, global_cut.threshold)
        steps = objective.label_steps(data, thresholds)
        labels = np.linspace(0, n_labels - 1, args.before_steps).round().astype(int)
        start = time.process_time()
        old = [recount_step(objective, data, thresholds, c) for c in labels]
        before_step = (time.process_time() - start) / len(labels)
        start = time.process_time()
        new = [steps.search(c) for c in labels]
        after_step = (time.process_time() - start) / len(labels)
        assert all(a.threshold == b.threshold and a.score == b.score for a, b in zip(old, new))
        before_time = global_time + n_steps * before_step
        rows.append((
            scoring, global_time, n_steps, after_step, after_time, before_step, before_time,
            tuner.best_score_,
        ))

    lines = [
        "# Coupled threshold objectives: incremental label steps against recounting",
        "",
        f"{n_labels:,} labels x {n_samples:,} precomputed scores (float64), prevalence 1%..30%; "
        "`PerClassThresholdTuner(cv='prefit', refit=False)`; times are CPU times of the process "
        "(single-threaded work; the 2 cores are shared, so wall times are several times longer). "
        "Command: `python benchmarks/bench_coupled_thresholds.py"
        f"{' --quick' if args.quick else ''}`.",
        "",
        "| scoring | global search (s) | label steps | step after (ms) | fit after (s) | "
        "step before (ms) | fit before (s, projected) | speed-up | best score |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {scoring} | {g:.1f} | {n:,} | {sa * 1e3:.1f} | {fa:.1f} | {sb * 1e3:.0f} | {fb:.0f} | "
        f"{fb / fa:.1f}x | {score:.4f} |"
        for scoring, g, n, sa, fa, sb, fb, score in rows
    ]
    lines += [
        "",
        "- np.argsort of every label once (the sorting of one pass over the labels): "
        f"{sort_time:.1f} s.",
        f"- step before: the previous label step (recount of all other labels), timed on "
        f"{args.before_steps} labels at the global threshold, where it gives the same threshold "
        "and "
        "score as the incremental step (checked); fit before = global search + label steps x step "
        "before (the label steps are those of the after run).",
        "- step after: the incremental step on the same labels; fit after: the whole tuner fit "
        "(global search, every coordinate ascent round, final scores), measured.",
    ]
    write_result("coupled_thresholds", lines, args.quick)


if __name__ == "__main__":
    main()
