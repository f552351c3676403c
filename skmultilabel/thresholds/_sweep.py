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

Objective, with ``tp``, ``fp`` the (weighted) true/false positive counts:

    F_beta = (1 + b2) tp / ((1 + b2) tp + b2 (pos - tp) + fp)

(``zero_division`` when the denominator is zero, as in scikit-learn).

* :func:`merge_sweep` follows one count pair. It walks the separately sorted
  scores of the positives and of the negatives (plain ``np.sort``, sequential
  memory access; sample weights need an ``argsort``). The pair may start at offsets:
  one label alone gives its F-beta, starting at the other labels' totals gives
  the micro F-beta as a function of this label's threshold.
* :func:`grouped_sweep` walks all entries in ``argsort`` order; each entry
  updates the counts of its group and the objective is
  ``sum_g group_weight[g] * F_beta(group g)``. Groups = samples give the
  samples-averaged F-beta (of one global threshold, or as a function of one
  label's threshold).

The macro or weighted F-beta of one global threshold (groups = labels) is
swept by :mod:`._label_merge`, which merges per-label sorted scores instead of
``argsort``-ing all of them, with the cut rules and helpers of this module.

The kernels take arrays and scalars only; their Python wrappers take the
records :class:`FBeta`, :class:`StartCounts` and :class:`Groups` and return a
:class:`BestCut`. "Sample weight" here always means a weight per sample (or
per entry), never a per-label cost.
"""

from typing import NamedTuple

import numpy as np

from .._config import jit

__all__ = [
    "BestCut", "FBeta", "Groups", "StartCounts", "best_per_label", "grouped_search",
    "grouped_sweep", "merge_sweep", "single_sweep",
]


class FBeta(NamedTuple):
    """The F-beta a sweep maximises: ``beta`` and its value where undefined (scikit-learn's)."""

    beta: float
    zero_division: float = 0.0


class StartCounts(NamedTuple):
    """One count pair of :func:`single_sweep`: the positive total and the counts before any cut."""

    total_pos: float
    tp: float = 0.0
    fp: float = 0.0


class Groups(NamedTuple):
    """The groups of :func:`grouped_search`.

    ``of_entry``: the group of every entry; ``weight``, ``pos``: each group's
    weight in the objective and positive total; ``tp``, ``fp``: each group's
    counts before any entry is predicted positive.
    """

    of_entry: np.ndarray
    weight: np.ndarray
    pos: np.ndarray
    tp: np.ndarray
    fp: np.ndarray


class BestCut(NamedTuple):
    """Result of a threshold search.

    ``threshold`` and ``score`` of the best cut; ``curve`` is None, or
    ``(thresholds, scores)`` of every cut, ascending in threshold.
    """

    threshold: float
    score: float
    curve: tuple | None = None


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
def _cut_thresholds(value, following, has_following, previous, n_cuts):
    """Thresholds once the entries scoring ``value`` are predicted positive.

    Returns (top, threshold): ``top`` is the cut above the highest score (used
    after the first group only, ``n_cuts == 1``); ``threshold`` separates
    ``value`` from the next lower score ``following``, or lies below the lowest
    score when there is none (``previous`` is the distinct score above ``value``).
    """
    top = _outer_cut(value, following if has_following else value, 1.0) if n_cuts == 1 else 0.0
    if has_following:
        return top, _cut_between(value, following)
    return top, _outer_cut(value, previous if n_cuts > 1 else value, -1.0)


@jit
def _start_curve(curve_thresholds, curve_scores, score, empty):
    """Write the score before any cut into the curve (threshold +inf when there is no entry)."""
    if curve_scores.shape[0] > 0:
        curve_scores[0] = score
        if empty:
            curve_thresholds[0] = np.inf


@jit
def _store_cut(curve_thresholds, curve_scores, n_cuts, top, threshold, score):
    """Write cut ``n_cuts`` (and, after the first group, the top cut) into the curve."""
    if n_cuts == 1:
        curve_thresholds[0] = top
    curve_thresholds[n_cuts] = threshold
    curve_scores[n_cuts] = score


@jit
def _best_cut(n_cuts, top, threshold, score, best_threshold, best_score):
    """The best (threshold, score) so far; scalars only, so the hot loop passes no arrays."""
    if n_cuts == 1:
        best_threshold = top
    if score > best_score:
        return threshold, score
    return best_threshold, best_score


@jit
def merge_sweep(
    pos_scores, pos_sample_weight, neg_scores, neg_sample_weight, tp, fp, total_pos, beta2,
    zero_division, curve_thresholds, curve_scores,
):
    """Sweep one count pair over the sorted scores of the positives and of the negatives.

    Parameters
    ----------
    pos_scores, neg_scores : ndarray, ascending
        Scores of the positive and of the negative entries.
    pos_sample_weight, neg_sample_weight : ndarray aligned with them, or (0,) for unit weights
    tp, fp : float
        Counts before any entry is predicted positive (e.g. the other labels'
        totals for the micro average).
    total_pos : float
        Positive total of the objective (``pos`` in the F-beta formula).
    beta2, zero_division : float
    curve_thresholds, curve_scores : ndarray of shape (n_distinct + 1,) or (0,)
        Filled with every cut, from the highest threshold down, when not empty.

    Returns
    -------
    best_threshold, best_score : float
    n_cuts : int
    """
    store = curve_scores.shape[0] > 0
    unit_pos = pos_sample_weight.shape[0] == 0
    unit_neg = neg_sample_weight.shape[0] == 0
    i = pos_scores.shape[0] - 1
    j = neg_scores.shape[0] - 1
    best_score = _fbeta(tp, fp, total_pos, beta2, zero_division)
    _start_curve(curve_thresholds, curve_scores, best_score, i < 0 and j < 0)
    if i < 0 and j < 0:
        return np.inf, best_score, 1
    best_threshold = 0.0
    n_cuts = 1
    previous = 0.0
    while i >= 0 or j >= 0:
        value = max(pos_scores[i] if i >= 0 else -np.inf, neg_scores[j] if j >= 0 else -np.inf)
        while i >= 0 and pos_scores[i] == value:
            tp += 1.0 if unit_pos else pos_sample_weight[i]
            i -= 1
        while j >= 0 and neg_scores[j] == value:
            fp += 1.0 if unit_neg else neg_sample_weight[j]
            j -= 1
        following = max(pos_scores[i] if i >= 0 else -np.inf, neg_scores[j] if j >= 0 else -np.inf)
        top, threshold = _cut_thresholds(value, following, i >= 0 or j >= 0, previous, n_cuts)
        previous = value
        score = _fbeta(tp, fp, total_pos, beta2, zero_division)
        if store:
            _store_cut(curve_thresholds, curve_scores, n_cuts, top, threshold, score)
        best_threshold, best_score = _best_cut(
            n_cuts, top, threshold, score, best_threshold, best_score
        )
        n_cuts += 1
    return best_threshold, best_score, n_cuts


@jit
def grouped_sweep(
    scores, y, increment, order, group, group_weight, tp, fp, pos, beta2, zero_division,
    curve_thresholds, curve_scores,
):
    """Sweep entries that update their group's counts; objective = weighted sum of group F-betas.

    Parameters
    ----------
    scores, y, increment : ndarray of shape (m,)
        Entry scores, 0/1 truths and the weight an entry adds to its group's
        true (y = 1) or false (y = 0) positive count when predicted positive.
    order : ndarray of shape (m,)
        ``np.argsort(scores)`` (ascending, any tie order).
    group : ndarray of shape (m,)
        Group of every entry.
    group_weight, pos : ndarray of shape (n_groups,)
        Weight of each group in the objective and its positive total.
    tp, fp : ndarray of shape (n_groups,), float64
        Counts before any entry is predicted positive; updated in place.

    The other arguments and the returned values are those of :func:`merge_sweep`.
    """
    m = scores.shape[0]
    store = curve_scores.shape[0] > 0
    total = 0.0
    for g in range(group_weight.shape[0]):
        total += group_weight[g] * _fbeta(tp[g], fp[g], pos[g], beta2, zero_division)
    _start_curve(curve_thresholds, curve_scores, total, m == 0)
    if m == 0:
        return np.inf, total, 1
    best_score = total
    best_threshold = 0.0
    n_cuts = 1
    previous = 0.0
    k = m - 1
    while k >= 0:
        value = scores[order[k]]
        while k >= 0 and scores[order[k]] == value:
            j = order[k]
            g = group[j]
            old = _fbeta(tp[g], fp[g], pos[g], beta2, zero_division)
            if y[j] > 0:
                tp[g] += increment[j]
            else:
                fp[g] += increment[j]
            total += group_weight[g] * (_fbeta(tp[g], fp[g], pos[g], beta2, zero_division) - old)
            k -= 1
        following = scores[order[k]] if k >= 0 else value
        top, threshold = _cut_thresholds(value, following, k >= 0, previous, n_cuts)
        previous = value
        if store:
            _store_cut(curve_thresholds, curve_scores, n_cuts, top, threshold, total)
        best_threshold, best_score = _best_cut(
            n_cuts, top, threshold, total, best_threshold, best_score
        )
        n_cuts += 1
    return best_threshold, best_score, n_cuts


def _curve_buffers(size, store):
    return np.empty(size if store else 0), np.empty(size if store else 0)


def _best_cut_of(threshold, score, n_cuts, curve, store):
    """The kernel's result as a :class:`BestCut`, the curve (if stored) ascending in threshold."""
    if not store:
        return BestCut(threshold, score)
    curve_thresholds, curve_scores = curve
    return BestCut(
        threshold, score,
        (curve_thresholds[:n_cuts][::-1].copy(), curve_scores[:n_cuts][::-1].copy()),
    )


@jit
def _split_by_truth(scores, truth):
    """Scores of the positive and of the negative entries (one pass, input order)."""
    n_pos = 0
    for k in range(truth.shape[0]):
        if truth[k]:
            n_pos += 1
    positives = np.empty(n_pos, dtype=scores.dtype)
    negatives = np.empty(truth.shape[0] - n_pos, dtype=scores.dtype)
    i = 0
    j = 0
    for k in range(truth.shape[0]):
        if truth[k]:
            positives[i] = scores[k]
            i += 1
        else:
            negatives[j] = scores[k]
            j += 1
    return positives, negatives


def _sorted_with_weights(scores, sample_weight):
    """Scores ascending with their sample weights aligned."""
    order = np.argsort(scores)
    return scores[order], np.ascontiguousarray(sample_weight[order], dtype=scores.dtype)


def single_sweep(scores, truth, sample_weight, counts, fbeta, store=False):
    """Best threshold of one score vector for one count pair (see :func:`merge_sweep`).

    Parameters
    ----------
    scores : ndarray of shape (m,)
    truth : ndarray of shape (m,), bool
    sample_weight : ndarray of shape (m,) or None
        None for unit weights (faster: plain in-place sorts, no index gathers).
    counts : StartCounts
    fbeta : FBeta
    store : bool
        Also return the curve of every cut.

    Returns
    -------
    BestCut
    """
    if sample_weight is None:
        pos_scores, neg_scores = _split_by_truth(scores, truth)
        pos_scores.sort()
        neg_scores.sort()
        pos_sample_weight = neg_sample_weight = np.empty(0, dtype=scores.dtype)
    else:
        pos_scores, pos_sample_weight = _sorted_with_weights(scores[truth], sample_weight[truth])
        neg_scores, neg_sample_weight = _sorted_with_weights(scores[~truth], sample_weight[~truth])
    curve = _curve_buffers(scores.shape[0] + 1, store)
    threshold, score, n_cuts = merge_sweep(
        pos_scores, pos_sample_weight, neg_scores, neg_sample_weight, float(counts.tp),
        float(counts.fp), float(counts.total_pos), float(fbeta.beta) ** 2,
        float(fbeta.zero_division), *curve,
    )
    return _best_cut_of(threshold, score, n_cuts, curve, store)


def best_per_label(scores, truth, sample_weight, fbeta, block_size=1 << 24):
    """Exact F-beta-maximising threshold of every label, independently.

    Parameters
    ----------
    scores : ndarray of shape (n_samples, n_labels), float32 or float64
    truth : ndarray of shape (n_samples, n_labels), bool
    sample_weight : ndarray of shape (n_samples,) or None (unit weights)
    fbeta : FBeta
    block_size : int
        Labels are made contiguous (transposed) in blocks of about this many
        entries: cheaper than one strided copy per label, bounded memory.

    Returns
    -------
    thresholds, label_scores : ndarray of shape (n_labels,)
    """
    n_samples, n_labels = scores.shape
    thresholds = np.empty(n_labels)
    label_scores = np.empty(n_labels)
    step = max(1, block_size // max(n_samples, 1))
    for start in range(0, n_labels, step):
        stop = min(start + step, n_labels)
        columns = np.ascontiguousarray(scores[:, start:stop].T)
        positives = np.ascontiguousarray(truth[:, start:stop].T)
        for k, c in enumerate(range(start, stop)):
            truth_k = positives[k]
            total_pos = truth_k.sum() if sample_weight is None else sample_weight @ truth_k
            best = single_sweep(columns[k], truth_k, sample_weight, StartCounts(total_pos), fbeta)
            thresholds[c], label_scores[c] = best.threshold, best.score
    return thresholds, label_scores


def grouped_search(scores, truth, increment, groups, fbeta, store=False):
    """Best threshold of :func:`grouped_sweep` (entries ``scores``, ``truth``, ``increment``).

    ``groups`` is a :class:`Groups`, ``fbeta`` an :class:`FBeta`; returns a :class:`BestCut`.
    """
    dtype = scores.dtype
    curve = _curve_buffers(scores.shape[0] + 1, store)
    threshold, score, n_cuts = grouped_sweep(
        scores, np.ascontiguousarray(truth, dtype=dtype),
        np.ascontiguousarray(increment, dtype=dtype), np.argsort(scores),
        np.ascontiguousarray(groups.of_entry, dtype=np.intp),
        np.ascontiguousarray(groups.weight, dtype=np.float64),
        np.array(groups.tp, dtype=np.float64), np.array(groups.fp, dtype=np.float64),
        np.ascontiguousarray(groups.pos, dtype=np.float64), float(fbeta.beta) ** 2,
        float(fbeta.zero_division), *curve,
    )
    return _best_cut_of(threshold, score, n_cuts, curve, store)
