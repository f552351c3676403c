"""Choose the thresholds of every label: fixed, one global, or one per label.

Per-label thresholds are found

* independently, by one exact sweep per label, when the objective is
  decomposable (a macro or weighted average, or a binary target);
* otherwise (micro or samples averages, any grid-searched metric) by coordinate
  ascent started from the best global threshold: each step re-optimises one
  label's threshold with the others fixed (an exact sweep for metrics of the
  confusion counts, the grid for other metrics) and is kept only when it
  raises the objective, so the result never scores below the global threshold.

Rare labels: a label with fewer than ``min_positives`` positive samples in the
tuning data keeps the global threshold of the same objective instead of a
threshold fitted to its few positives (with no positive at all, its own F-beta
is flat and any "best" cut would be arbitrary).

Noise margin (decomposable F-beta objectives): a label's F-beta curve is often flat
near its top, so its exact maximiser is mostly noise of the tuning data. Among
the cuts whose score is within ``margin`` of the label's best (by default one
standard error of that best score: the one-standard-error rule), the label
takes the one closest to the global threshold, the global threshold itself
when it qualifies. A label thus leaves the global threshold only for a gain
larger than the noise of its score.
"""

from typing import NamedTuple

import numpy as np

__all__ = ["SearchResult", "search_thresholds"]

_MAX_ROUNDS = 20
_RELATIVE_TOLERANCE = 1e-12


class SearchResult(NamedTuple):
    thresholds: np.ndarray
    best_score: float
    label_scores: np.ndarray
    rare_labels: np.ndarray
    cv_results: dict | None


def _coordinate_ascent(objective, data, thresholds, score, labels):
    steps = objective.label_steps(data, thresholds)
    for _ in range(_MAX_ROUNDS):
        improved = False
        for c in labels:
            step = steps.search(c)
            if step.score > score + _RELATIVE_TOLERANCE * max(1.0, abs(score)):
                steps.move(c, step.threshold)
                score, improved = step.score, True
        if not improved:
            break
    return steps.thresholds, score


def _curves(objective, data, thresholds, global_curve):
    steps = objective.label_steps(data, thresholds)
    per_label = [steps.search(c, store=True).curve for c in range(data.n_labels)]
    return {
        "thresholds": [curve[0] for curve in per_label],
        "scores": [curve[1] for curve in per_label],
        "global_thresholds": global_curve[0],
        "global_scores": global_curve[1],
    }


def _closest_within_margin(objective, data, thresholds, label_scores, reference, margin, labels):
    """Move each of ``labels`` to its cut closest to ``reference`` within the margin of its best."""
    if margin == "std_error":
        tolerance = objective.std_error(data, thresholds)
    else:
        tolerance = np.full(data.n_labels, margin)
    floor = label_scores - tolerance
    at_reference = objective.label_scores(data, data.predict(np.full(data.n_labels, reference)))
    for c in labels:
        if at_reference[c] >= floor[c]:
            thresholds[c] = reference
            continue
        candidates, scores = objective.label_search(data, thresholds, c, store=True).curve
        # The floor under this curve's own best: its sums may round apart from label_scores'
        # in the last bit, and with a zero tolerance the best cut must still qualify.
        qualifying = candidates[scores >= min(floor[c], scores.max())]
        thresholds[c] = qualifying[np.argmin(np.abs(qualifying - reference))]
    return thresholds


def search_thresholds(data, objective, *, strategy, fixed_threshold, min_positives, margin, store):
    """Thresholds maximising ``objective`` on ``data`` (a :class:`TuningData`).

    ``margin`` is "std_error" or a float >= 0 (0: every label at its exact
    maximiser); it only applies to per-label thresholds of a decomposable objective
    with a standard error (F-beta).
    Returns a :class:`SearchResult`; ``cv_results`` is None unless ``store``.
    """
    n_labels = data.n_labels
    rare = np.empty(0, dtype=np.intp)
    if strategy == "per_class":
        rare = np.flatnonzero(data.truth.sum(axis=0) < min_positives)
    apply_margin = (
        strategy == "per_class" and objective.decomposable and objective.has_std_error
        and n_labels > 1 and margin != 0
    )
    global_threshold = global_score = global_curve = None
    if store or strategy == "global" or apply_margin or (
        strategy == "per_class" and (rare.size or not objective.decomposable)
    ):
        global_threshold, global_score, global_curve = objective.global_search(data, store=store)

    score = label_scores = None
    if strategy == "fixed":
        thresholds = np.full(n_labels, float(fixed_threshold))
    elif strategy == "global":
        thresholds, score = np.full(n_labels, global_threshold), global_score
    elif objective.decomposable:
        thresholds, label_scores = objective.best_per_label(data)
        if apply_margin:
            free = np.setdiff1d(np.arange(n_labels), rare)
            thresholds = _closest_within_margin(
                objective, data, thresholds, label_scores, global_threshold, margin, free
            )
        if rare.size or apply_margin:
            thresholds[rare] = global_threshold
            label_scores = None
        else:
            score = objective.combine(data, label_scores)
    else:
        free = np.setdiff1d(np.arange(n_labels), rare)
        thresholds, score = _coordinate_ascent(
            objective, data, np.full(n_labels, global_threshold), global_score, free
        )

    if score is None or label_scores is None:
        predictions = data.predict(thresholds)
        if label_scores is None:
            label_scores = objective.label_scores(data, predictions)
        if score is None:  # a decomposable objective is its label scores combined: no second pass
            score = (
                objective.combine(data, label_scores) if objective.decomposable
                else objective.evaluate(data, predictions)
            )
    cv_results = _curves(objective, data, thresholds, global_curve) if store else None
    return SearchResult(thresholds, float(score), label_scores, rare, cv_results)
