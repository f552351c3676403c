"""Exact sort-and-count sweeps of F-beta objectives over decision thresholds.

A sweep walks the entries of a score vector from the highest score to the
lowest, switching them from "predicted negative" to "predicted positive" one
distinct score at a time (tied scores switch together). Every distinct cut is
evaluated, so the best threshold is exact, not a grid point. A cut between
the distinct neighbouring scores ``upper > lower`` gets the threshold
``(upper + lower) / 2`` (or ``upper`` when the midpoint rounds onto ``lower``),
and a sample is predicted positive when ``score >= threshold``. The cut above
the highest score and the cut below the lowest mirror the neighbouring gap
(half a unit of ``max(1, |score|)`` when all scores are equal).

Entries belong to groups that each hold true/false positive counts; the
objective is ``sum_g group_weight[g] * F_beta(tp[g], fp[g], pos[g])`` with

    F_beta = (1 + b2) tp / ((1 + b2) tp + b2 (pos - tp) + fp)

(``zero_division`` when the denominator is zero, as in scikit-learn). One
group gives one label's F-beta, or the micro F-beta when the counts start at
the other labels' totals; groups = labels give macro/weighted F-beta of a
single global threshold; groups = samples give the samples-averaged F-beta.
"""

import numpy as np
from numba import prange

from .._config import jit

__all__ = ["best_per_label", "fbeta_sweep"]


@jit
def _fbeta(tp, fp, pos, beta2, zero_division):
    denominator = (1.0 + beta2) * tp + beta2 * (pos - tp) + fp
    if denominator <= 0.0:
        return zero_division
    return (1.0 + beta2) * tp / denominator


@jit
def _cut_between(upper, lower):
    """Threshold separating the distinct scores ``upper > lower`` under ``score >= t``."""
    threshold = 0.5 * upper + 0.5 * lower
    if threshold <= lower or threshold > upper:
        threshold = upper
    return threshold


@jit
def _outer_cut(extreme, neighbour, direction):
    """Threshold beyond the extreme score: above the max (+1) or below the min (-1)."""
    if neighbour == extreme:
        gap = max(1.0, abs(extreme))
    else:
        gap = abs(extreme - neighbour)
    threshold = extreme + direction * 0.5 * gap
    if direction > 0 and threshold <= extreme:
        threshold = np.nextafter(extreme, np.inf)
    if direction < 0 and threshold >= extreme:
        threshold = np.nextafter(extreme, -np.inf)
    return threshold


@jit
def fbeta_sweep(
    scores, y, increment, order, group, group_weight, tp, fp, pos, beta2, zero_division,
    curve_thresholds, curve_scores,
):
    """Evaluate every distinct cut of ``scores`` and return the best one.

    Parameters
    ----------
    scores, y, increment : ndarray of shape (m,)
        Entry scores, 0/1 truths and the weight an entry adds to its group's
        true (y = 1) or false (y = 0) positive count when it is predicted positive.
    order : ndarray of shape (m,)
        ``np.argsort(scores)`` (ascending, any tie order).
    group : ndarray of shape (m,) or (0,)
        Group of every entry; empty means one group (index 0).
    group_weight, pos : ndarray of shape (n_groups,)
        Weight of each group in the objective and its positive total.
    tp, fp : ndarray of shape (n_groups,), float64
        Counts before any entry is predicted positive; updated in place.
    beta2, zero_division : float
    curve_thresholds, curve_scores : ndarray of shape (n_distinct + 1,) or (0,)
        Filled with every cut, from the highest threshold down, when not empty.

    Returns
    -------
    best_threshold, best_score : float
    n_cuts : int
        Number of cuts evaluated (distinct scores + 1).
    """
    m = scores.shape[0]
    grouped = group.shape[0] > 0
    store = curve_scores.shape[0] > 0
    total = 0.0
    for g in range(group_weight.shape[0]):
        total += group_weight[g] * _fbeta(tp[g], fp[g], pos[g], beta2, zero_division)
    if m == 0:
        return np.inf, total, 1
    top = scores[order[m - 1]]
    second = top
    k = m - 1
    while k >= 0 and scores[order[k]] == top:
        k -= 1
    if k >= 0:
        second = scores[order[k]]
    best_threshold = _outer_cut(top, second, 1.0)
    best_score = total
    if store:
        curve_thresholds[0] = best_threshold
        curve_scores[0] = total
    n_cuts = 1
    previous = top
    k = m - 1
    while k >= 0:
        value = scores[order[k]]
        while k >= 0 and scores[order[k]] == value:
            j = order[k]
            g = group[j] if grouped else 0
            old = _fbeta(tp[g], fp[g], pos[g], beta2, zero_division) if grouped else 0.0
            if y[j] > 0:
                tp[g] += increment[j]
            else:
                fp[g] += increment[j]
            if grouped:
                total += group_weight[g] * (_fbeta(tp[g], fp[g], pos[g], beta2, zero_division) - old)
            k -= 1
        if not grouped:
            total = group_weight[0] * _fbeta(tp[0], fp[0], pos[0], beta2, zero_division)
        if k >= 0:
            threshold = _cut_between(value, scores[order[k]])
        else:
            threshold = _outer_cut(value, previous, -1.0)
        previous = value
        if store:
            curve_thresholds[n_cuts] = threshold
            curve_scores[n_cuts] = total
        n_cuts += 1
        if total > best_score:
            best_score = total
            best_threshold = threshold
    return best_threshold, best_score, n_cuts


@jit(parallel=True)
def _best_per_label_kernel(scores_t, y_t, weight, order, pos, beta2, zero_division):
    n_labels = scores_t.shape[0]
    thresholds = np.empty(n_labels)
    best = np.empty(n_labels)
    no_group = np.empty(0, dtype=np.intp)
    one = np.ones(1)
    no_curve = np.empty(0)
    for c in prange(n_labels):
        tp = np.zeros(1)
        fp = np.zeros(1)
        pos_c = np.full(1, pos[c])
        thresholds[c], best[c], _ = fbeta_sweep(
            scores_t[c], y_t[c], weight, order[c], no_group, one, tp, fp, pos_c,
            beta2, zero_division, no_curve, no_curve,
        )
    return thresholds, best


def best_per_label(scores, Y, sample_weight, beta, zero_division, chunk_size=10_000_000):
    """Exact F-beta-maximising threshold of every label, independently.

    Parameters
    ----------
    scores : ndarray of shape (n_samples, n_labels), float32 or float64
    Y : ndarray of shape (n_samples, n_labels), 0/1
    sample_weight : ndarray of shape (n_samples,)
    beta, zero_division : float
    chunk_size : int
        Labels are sorted and swept in blocks of about this many entries, to
        bound the memory of the transposed copies and the sort indices.

    Returns
    -------
    thresholds, label_scores : ndarray of shape (n_labels,)
    """
    n_samples, n_labels = scores.shape
    weight = np.ascontiguousarray(sample_weight, dtype=scores.dtype)
    pos = np.asarray(sample_weight, dtype=np.float64) @ (np.asarray(Y) > 0)
    step = max(1, chunk_size // max(n_samples, 1))
    thresholds = np.empty(n_labels)
    label_scores = np.empty(n_labels)
    for start in range(0, n_labels, step):
        block = slice(start, min(start + step, n_labels))
        scores_t = np.ascontiguousarray(scores[:, block].T)
        y_t = np.ascontiguousarray(Y[:, block].T, dtype=scores.dtype)
        order = np.argsort(scores_t, axis=1)
        thresholds[block], label_scores[block] = _best_per_label_kernel(
            scores_t, y_t, weight, order, np.ascontiguousarray(pos[block]),
            float(beta) ** 2, float(zero_division),
        )
    return thresholds, label_scores
