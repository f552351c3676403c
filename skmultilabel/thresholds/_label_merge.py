"""Exact sweep of one threshold shared by all labels, for macro and weighted F-beta.

The objective is ``sum_c label_weight[c] * F_beta(label c)`` as a function of a
single threshold. Instead of ``argsort``-ing all ``n_samples * n_labels``
scores (random memory access, an index array as large as the scores), the
entries are laid out as ``2 * n_labels`` segments (segment ``2c``: the
positives of label ``c``, segment ``2c + 1``: its negatives), each sorted on
its own (plain ``np.sort``, or ``argsort`` when weights travel with the
scores). The segments are then merged by sorting 64-bit keys with
``np.sort``: the high bits of a key are the order-preserving bit pattern of the
score, the low bits the segment. A float64 score loses its lowest bits to the
segment tag, so scores equal in the kept bits ("near ties", within about
``2**-44`` relative) form one group of keys whose exact order is restored by
sorting the group; float32 scores keep every bit. Walking the keys from the
highest, each key names a segment whose next score (highest first) is the
entry's exact score and weight.

Ties, thresholds and the curve are those of :func:`._sweep.grouped_sweep`.
"""

import numpy as np

from .._config import jit
from ._sweep import _ascending, _best_cut, _curve_buffers, _cut_thresholds, _fbeta, _store_cut

__all__ = ["label_merge_search"]


@jit
def _scatter_segments(scores, truth, weight, offsets, values, weights):
    """Copy every entry to the end of its segment (input order); -0.0 becomes 0.0."""
    unit = weight.shape[0] == 0
    cursor = offsets[:-1].copy()
    for i in range(scores.shape[0]):
        for c in range(scores.shape[1]):
            s = 2 * c + (0 if truth[i, c] else 1)
            values[cursor[s]] = scores[i, c] + 0.0
            if not unit:
                weights[cursor[s]] = weight[i]
            cursor[s] += 1


@jit
def _segment_keys(bits, offsets, value_bits, segment_bits, keys):
    """Merge keys: order-preserving score bits (lowest dropped if needed), then the segment."""
    sign = np.uint64(1) << np.uint64(value_bits - 1)
    flip = sign - np.uint64(1) + sign
    drop = np.uint64(max(0, value_bits + segment_bits - 64))
    shift = np.uint64(segment_bits)
    for s in range(offsets.shape[0] - 1):
        tag = np.uint64(s)
        for k in range(offsets[s], offsets[s + 1]):
            pattern = np.uint64(bits[k])
            ordered = (pattern ^ flip) if (pattern & sign) else (pattern | sign)
            keys[k] = ((ordered >> drop) << shift) | tag


@jit(inline="always")
def _gather_group(keys, start, size, mask, pointer, values, weights, segment, value, weight):
    """Take the next entry of each key's segment into the group buffers; True if scores differ."""
    unit = weights.shape[0] == 0
    mixed = False
    for r in range(size):
        s = np.int64(keys[start - r] & mask)
        p = pointer[s]
        segment[r] = s
        value[r] = values[p]
        weight[r] = 1.0 if unit else weights[p]
        pointer[s] = p - 1
        mixed |= value[r] != value[0]
    return mixed


@jit
def _sort_descending(segment, value, weight, size):
    """Order a group of near-tied scores from the highest score down."""
    order = np.argsort(value[:size])[::-1]
    segment[:size] = segment[:size][order]
    value[:size] = value[:size][order]
    weight[:size] = weight[:size][order]


@jit
def label_merge_sweep(
    keys, values, weights, offsets, segment_bits, label_weight, pos, beta2, zero_division,
    curve_thresholds, curve_scores,
):
    """Sweep the merged segments; objective = ``sum_c label_weight[c] * F_beta(label c)``.

    Parameters
    ----------
    keys : ndarray of shape (m,), uint64, ascending
        Merge keys of :func:`_segment_keys`.
    values : ndarray of shape (m,)
        Scores, segment after segment, each segment ascending.
    weights : ndarray of shape (m,) aligned with ``values``, or (0,) for unit weights
    offsets : ndarray of shape (2 * n_labels + 1,)
        Segment ``s`` is ``values[offsets[s]:offsets[s + 1]]``.
    segment_bits : int
        Low bits of a key holding the segment.
    label_weight, pos : ndarray of shape (n_labels,)
        Weight of each label in the objective and its positive total.

    The other arguments and the returned values are those of :func:`._sweep.merge_sweep`.
    """
    n_labels = label_weight.shape[0]
    m = keys.shape[0]
    store = curve_scores.shape[0] > 0
    shift = np.uint64(segment_bits)
    mask = (np.uint64(1) << shift) - np.uint64(1)
    tp = np.zeros(n_labels)
    fp = np.zeros(n_labels)
    label_score = np.empty(n_labels)
    total = 0.0
    for c in range(n_labels):
        label_score[c] = _fbeta(0.0, 0.0, pos[c], beta2, zero_division)
        total += label_weight[c] * label_score[c]
    if store:
        curve_scores[0] = total
    if m == 0:
        if store:
            curve_thresholds[0] = np.inf
        return np.inf, total, 1
    pointer = offsets[1:] - 1
    capacity = 16
    segment = np.empty(capacity, dtype=np.int64)
    value = np.empty(capacity, dtype=values.dtype)
    weight = np.empty(capacity)
    best_score = total
    best_threshold = 0.0
    n_cuts = 1
    previous = 0.0  # float64 like the other sweeps: same rounding of the gap below the lowest score
    pending = values[0]
    pending_total = total
    started = False
    k = m - 1
    while k >= 0:
        end = k
        while end >= 0 and (keys[end] >> shift) == (keys[k] >> shift):
            end -= 1
        size = k - end
        if size > capacity:
            capacity = size
            segment = np.empty(capacity, dtype=np.int64)
            value = np.empty(capacity, dtype=values.dtype)
            weight = np.empty(capacity)
        if _gather_group(keys, k, size, mask, pointer, values, weights, segment, value, weight):
            _sort_descending(segment, value, weight, size)
        for r in range(size):
            if started and value[r] != pending:  # the entries scoring ``pending`` are all in: its cut
                top, threshold = _cut_thresholds(pending, value[r], True, previous, n_cuts)
                if store:
                    _store_cut(curve_thresholds, curve_scores, n_cuts, top, threshold, pending_total)
                best_threshold, best_score = _best_cut(
                    n_cuts, top, threshold, pending_total, best_threshold, best_score
                )
                previous = pending
                n_cuts += 1
            c = segment[r] >> 1
            if segment[r] & 1:
                fp[c] += weight[r]
            else:
                tp[c] += weight[r]
            updated = _fbeta(tp[c], fp[c], pos[c], beta2, zero_division)
            total += label_weight[c] * (updated - label_score[c])
            label_score[c] = updated
            pending = value[r]
            pending_total = total
            started = True
        k = end
    top, threshold = _cut_thresholds(pending, pending, False, previous, n_cuts)
    if store:
        _store_cut(curve_thresholds, curve_scores, n_cuts, top, threshold, pending_total)
    best_threshold, best_score = _best_cut(n_cuts, top, threshold, pending_total, best_threshold, best_score)
    return best_threshold, best_score, n_cuts + 1


def _segments(scores, truth, weight):
    """Scores (and weights) laid out as sorted segments: positives then negatives of each label."""
    n_samples, n_labels = scores.shape
    n_pos = np.count_nonzero(truth, axis=0)
    offsets = np.zeros(2 * n_labels + 1, dtype=np.int64)
    np.cumsum(np.column_stack([n_pos, n_samples - n_pos]).ravel(), out=offsets[1:])
    values = np.empty(scores.size, dtype=scores.dtype)
    weights = np.empty(0 if weight is None else scores.size, dtype=scores.dtype)
    _scatter_segments(scores, truth, np.empty(0) if weight is None else weight, offsets, values, weights)
    for start, stop in zip(offsets[:-1], offsets[1:]):
        if weight is None:
            values[start:stop].sort()
        else:
            order = np.argsort(values[start:stop])
            values[start:stop] = values[start:stop][order]
            weights[start:stop] = weights[start:stop][order]
    return values, weights, offsets


def _merge_keys(values, offsets, segment_bits):
    keys = np.empty(values.shape[0], dtype=np.uint64)
    bits = values.view(np.uint64 if values.dtype == np.float64 else np.uint32)
    _segment_keys(bits, offsets, 8 * values.dtype.itemsize, segment_bits, keys)
    keys.sort()
    return keys


def label_merge_search(scores, truth, weight, label_weight, pos, *, beta, zero_division, store=False):
    """Best threshold shared by all labels for ``sum_c label_weight[c] * F_beta(label c)``.

    Parameters
    ----------
    scores : ndarray of shape (n_samples, n_labels), float32 or float64, finite
    truth : ndarray of shape (n_samples, n_labels), bool
    weight : ndarray of shape (n_samples,) or None (unit weights)
    label_weight, pos : ndarray of shape (n_labels,)
        Weight of each label in the objective and its (weighted) positive total.
    beta, zero_division : float
    store : bool
        Also return the curve of every cut.

    Returns
    -------
    threshold, score, curve
        As :func:`._sweep.single_sweep`.
    """
    scores = np.ascontiguousarray(scores)
    values, weights, offsets = _segments(scores, np.ascontiguousarray(truth), weight)
    segment_bits = max(1, int(offsets.shape[0] - 2).bit_length())
    curve = _curve_buffers(values.shape[0] + 1, store)
    threshold, score, n_cuts = label_merge_sweep(
        _merge_keys(values, offsets, segment_bits), values, weights, offsets, segment_bits,
        np.ascontiguousarray(label_weight, dtype=np.float64), np.ascontiguousarray(pos, dtype=np.float64),
        float(beta) ** 2, float(zero_division), *curve,
    )
    return threshold, score, _ascending(*curve, n_cuts) if store else None
