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
entry's exact score and weight. Distinct score bits mean distinct scores (-0.0
gets the key of 0.0), so exact scores are read only within groups of equal
score bits and where a cut's threshold is needed.

Ties, thresholds and the curve are those of :func:`._sweep.grouped_sweep`.
Below :data:`MERGE_MIN_ENTRIES` entries the search *is* that sweep (groups =
labels, one ``argsort``): as fast at that size (within ~0.2 ms), and the
merge kernels, the largest compilation of a first tuner fit (~3-4 s), are
compiled only for inputs where they pay.
"""

import numpy as np

from .._config import jit
from ._sweep import (
    Groups,
    _best_cut,
    _best_cut_of,
    _curve_buffers,
    _cut_thresholds,
    _fbeta,
    _start_curve,
    _store_cut,
    grouped_search,
)

__all__ = ["MERGE_MIN_ENTRIES", "label_merge_search"]

# entries (n_samples * n_labels) from which the merge kernels are used (measured: 1.05 ms
# argsort sweep against 0.89 ms merge at 21,000 entries, 48 ms against 16 ms at 250,000)
MERGE_MIN_ENTRIES = 1 << 15

_CHUNK = 4096  # entries whose positions (and weights) are gathered before they are swept


@jit
def _scatter_segments(
    scores, bits, truth, sample_weight, offsets, value_bits, segment_bits, values, weights, keys,
):
    """Copy every entry to the end of its segment and write its merge key (both in input order).

    A key is the order-preserving bit pattern of the score (-0.0 taken as 0.0;
    lowest bits dropped when the score and the segment need more than 64
    bits), then the segment.
    """
    unit = sample_weight.shape[0] == 0
    sign = np.uint64(1) << np.uint64(value_bits - 1)
    # all value_bits ones, written so that it does not overflow when value_bits is 64
    flip = sign - np.uint64(1) + sign
    drop = np.uint64(max(0, value_bits + segment_bits - 64))
    shift = np.uint64(segment_bits)
    n_labels = scores.shape[1]
    cursor = offsets[:-1].copy()
    for i in range(scores.shape[0]):
        for c in range(n_labels):
            s = 2 * c + 1 - np.int64(truth[i, c])  # positives in segment 2c, negatives in 2c + 1
            k = cursor[s]
            values[k] = scores[i, c]
            if not unit:
                weights[k] = sample_weight[i]
            cursor[s] = k + 1
            pattern = np.uint64(bits[i, c])
            if pattern == sign:  # -0.0: the key of 0.0
                pattern = np.uint64(0)
            # unsigned keys in score order: negative floats flip all bits, positives set the sign
            ordered = (pattern ^ flip) if (pattern & sign) else (pattern | sign)
            keys[i * n_labels + c] = ((ordered >> drop) << shift) | np.uint64(s)


@jit
def _sift_down(value, segment, root, end):
    """Restore the max-heap order of ``value[:end]`` below ``root`` (``segment`` moves along)."""
    child = 2 * root + 1
    while child < end:
        if child + 1 < end and value[child + 1] > value[child]:
            child += 1
        if value[root] >= value[child]:
            return
        value[root], value[child] = value[child], value[root]
        segment[root], segment[child] = segment[child], segment[root]
        root = child
        child = 2 * root + 1


@jit
def _heap_sort(value, segment):
    """Sort ``value`` ascending in place, ``segment`` alongside (any group size, O(n log n))."""
    n = value.shape[0]
    for root in range(n // 2 - 1, -1, -1):
        _sift_down(value, segment, root, n)
    for end in range(n - 1, 0, -1):
        value[0], value[end] = value[end], value[0]
        segment[0], segment[end] = segment[end], segment[0]
        _sift_down(value, segment, 0, end)


@jit
def _order_near_ties(keys, start, stop, mask, pointer, values):
    """Reorder the segment tags of keys ``stop < k <= start`` (one group) by exact score."""
    size = start - stop
    segment = np.empty(size, dtype=np.int64)
    value = np.empty(size, dtype=values.dtype)
    taken = pointer.copy()
    for r in range(size):
        s = np.int64(keys[start - r] & mask)
        segment[r] = s
        value[r] = values[taken[s]]
        taken[s] -= 1
    _heap_sort(value, segment)
    for r in range(size):  # keys ascend with the score
        keys[stop + 1 + r] = (keys[stop + 1 + r] & ~mask) | np.uint64(segment[r])


@jit
def _group_stop(keys, start, shift, mask, pointer, values, taken):
    """Index below the group of keys sharing the score bits of ``keys[start]``, put in score order.

    The keys of a group differ in their segment only, but their scores may
    still differ in the dropped bits (near ties). Reading each key's segment in
    turn must give non-increasing scores; otherwise the group is reordered.
    ``taken`` is a zero scratch array of one count per segment (left zero).
    """
    stop = start - 1
    while stop >= 0 and (keys[stop] >> shift) == (keys[start] >> shift):
        stop -= 1
    ordered = True
    last = values[pointer[np.int64(keys[start] & mask)]]
    for k in range(start, stop, -1):
        s = np.int64(keys[k] & mask)
        score = values[pointer[s] - taken[s]]
        taken[s] += 1
        ordered &= score <= last
        last = score
    for k in range(start, stop, -1):
        taken[np.int64(keys[k] & mask)] = 0
    if not ordered:
        _order_near_ties(keys, start, stop, mask, pointer, values)
    return stop


@jit
def _gather_chunk(
    keys, start, stop, shift, mask, near_ties, checked, pointer, taken, values, weights,
    chunk_positions, chunk_weights,
):
    """Write the positions in ``values`` (and weights) of keys ``start`` down to ``stop + 1``.

    They go into the chunk buffers ``chunk_positions`` and ``chunk_weights``.

    Gathering before sweeping keeps the weight loads independent, so their
    cache misses overlap. Groups of near ties are ordered on the way
    (``keys[checked:]`` already are); returns the new ``checked``.
    """
    unit = weights.shape[0] == 0
    for k in range(start, stop, -1):
        if near_ties and k < checked and k > 0 and (keys[k - 1] >> shift) == (keys[k] >> shift):
            checked = _group_stop(keys, k, shift, mask, pointer, values, taken) + 1
        s = np.int64(keys[k] & mask)
        p = pointer[s]
        pointer[s] = p - 1
        chunk_positions[start - k] = p
        if not unit:
            chunk_weights[start - k] = weights[p]
    return checked


@jit
def label_merge_sweep(
    keys, values, weights, offsets, segment_bits, near_ties, label_weight, pos, beta2,
    zero_division, curve_thresholds, curve_scores,
):
    """Sweep the merged segments; objective = ``sum_c label_weight[c] * F_beta(label c)``.

    Parameters
    ----------
    keys : ndarray of shape (m,), uint64, ascending
        Merge keys of :func:`_scatter_segments`.
    values : ndarray of shape (m,)
        Scores, segment after segment, each segment ascending.
    weights : ndarray of shape (m,) aligned with ``values``, or (0,) for unit weights
    offsets : ndarray of shape (2 * n_labels + 1,)
        Segment ``s`` is ``values[offsets[s]:offsets[s + 1]]``.
    segment_bits : int
        Low bits of a key holding the segment.
    near_ties : bool
        Whether the keys dropped score bits (then groups of equal score bits are checked).
    label_weight, pos : ndarray of shape (n_labels,)
        Weight of each label in the objective and its positive total.

    The other arguments and the returned values are those of :func:`._sweep.merge_sweep`.
    """
    n_labels = label_weight.shape[0]
    m = keys.shape[0]
    store = curve_scores.shape[0] > 0
    unit = weights.shape[0] == 0
    shift = np.uint64(segment_bits)
    mask = (np.uint64(1) << shift) - np.uint64(1)
    tp = np.zeros(n_labels)
    fp = np.zeros(n_labels)
    label_score = np.empty(n_labels)
    total = 0.0
    for c in range(n_labels):
        label_score[c] = _fbeta(0.0, 0.0, pos[c], beta2, zero_division)
        total += label_weight[c] * label_score[c]
    _start_curve(curve_thresholds, curve_scores, total, m == 0)
    if m == 0:
        return np.inf, total, 1
    pointer = offsets[1:] - 1
    taken = np.zeros(pointer.shape[0], dtype=np.int64)
    chunk_positions = np.empty(min(m, _CHUNK), dtype=np.int64)
    chunk_weights = np.empty(0 if unit else min(m, _CHUNK))
    best_score = total
    best_threshold = 0.0
    n_cuts = 1
    # positions in ``values`` of the last entry of the pending score and of the score above
    upper = lower = 0
    pending_head = keys[m - 1] >> shift
    pending_total = total
    checked = m
    for start in range(m - 1, -1, -_CHUNK):
        stop = max(start - _CHUNK, -1)
        checked = _gather_chunk(
            keys, start, stop, shift, mask, near_ties, checked, pointer, taken, values, weights,
            chunk_positions, chunk_weights,
        )
        for k in range(start, stop, -1):
            p = chunk_positions[start - k]
            head = keys[k] >> shift
            # scores differ where score bits do; equal bits, equal scores (unless bits were dropped)
            if k < m - 1 and (
                head != pending_head or (near_ties and values[p] != values[upper])
            ):
                if store or n_cuts == 1 or pending_total > best_score:  # else the cut is no change
                    top, threshold = _cut_thresholds(values[upper], values[p], True, 0.0, n_cuts)
                    if store:
                        _store_cut(
                            curve_thresholds, curve_scores, n_cuts, top, threshold, pending_total
                        )
                    best_threshold, best_score = _best_cut(
                        n_cuts, top, threshold, pending_total, best_threshold, best_score
                    )
                lower = upper
                n_cuts += 1
            s = np.int64(keys[k] & mask)
            c = s >> 1
            increment = 1.0 if unit else chunk_weights[start - k]
            if s & 1:
                fp[c] += increment
            else:
                tp[c] += increment
            updated = _fbeta(tp[c], fp[c], pos[c], beta2, zero_division)
            total += label_weight[c] * (updated - label_score[c])
            label_score[c] = updated
            upper = p
            pending_head = head
            pending_total = total
    # float64 like the other sweeps: same rounding of the gap below
    previous = np.float64(values[lower])
    top, threshold = _cut_thresholds(values[upper], values[upper], False, previous, n_cuts)
    if store:
        _store_cut(curve_thresholds, curve_scores, n_cuts, top, threshold, pending_total)
    best_threshold, best_score = _best_cut(
        n_cuts, top, threshold, pending_total, best_threshold, best_score
    )
    return best_threshold, best_score, n_cuts + 1


def _segments(scores, truth, sample_weight, segment_bits):
    """Sorted segments (positives then negatives of each label) and the sorted merge keys.

    Returns ``(keys, values, weights, offsets)``, see :func:`label_merge_sweep`.
    """
    n_samples, n_labels = scores.shape
    n_pos = np.count_nonzero(truth, axis=0)
    offsets = np.zeros(2 * n_labels + 1, dtype=np.int64)
    np.cumsum(np.column_stack([n_pos, n_samples - n_pos]).ravel(), out=offsets[1:])
    values = np.empty(scores.size, dtype=scores.dtype)
    weights = np.empty(0 if sample_weight is None else scores.size, dtype=scores.dtype)
    keys = np.empty(scores.size, dtype=np.uint64)
    _scatter_segments(
        scores, scores.view(np.uint64 if scores.dtype == np.float64 else np.uint32), truth,
        np.empty(0) if sample_weight is None else sample_weight, offsets, 8 * scores.dtype.itemsize,
        segment_bits, values, weights, keys,
    )
    keys.sort()
    for start, stop in zip(offsets[:-1], offsets[1:]):
        if sample_weight is None:
            values[start:stop].sort()
        else:
            order = np.argsort(values[start:stop])
            values[start:stop] = values[start:stop][order]
            weights[start:stop] = weights[start:stop][order]
    return keys, values, weights, offsets


def label_merge_search(scores, truth, sample_weight, label_weight, pos, fbeta, store=False):
    """Best threshold shared by all labels for ``sum_c label_weight[c] * F_beta(label c)``.

    Parameters
    ----------
    scores : ndarray of shape (n_samples, n_labels), float32 or float64, finite
    truth : ndarray of shape (n_samples, n_labels), bool
    sample_weight : ndarray of shape (n_samples,) or None (unit weights)
    label_weight, pos : ndarray of shape (n_labels,)
        Weight of each label in the objective and its (weighted) positive total.
    fbeta : FBeta
    store : bool
        Also return the curve of every cut.

    Returns
    -------
    BestCut
    """
    scores = np.ascontiguousarray(scores)
    if scores.size < MERGE_MIN_ENTRIES:
        return _grouped_by_label(scores, truth, sample_weight, label_weight, pos, fbeta, store)
    segment_bits = max(1, (2 * scores.shape[1] - 1).bit_length())
    truth = np.ascontiguousarray(truth)
    keys, values, weights, offsets = _segments(scores, truth, sample_weight, segment_bits)
    curve = _curve_buffers(values.shape[0] + 1, store)
    threshold, score, n_cuts = label_merge_sweep(
        keys, values, weights, offsets, segment_bits, 8 * scores.dtype.itemsize + segment_bits > 64,
        np.ascontiguousarray(label_weight, dtype=np.float64),
        np.ascontiguousarray(pos, dtype=np.float64),
        float(fbeta.beta) ** 2, float(fbeta.zero_division), *curve,
    )
    return _best_cut_of(threshold, score, n_cuts, curve, store)


def _grouped_by_label(scores, truth, sample_weight, label_weight, pos, fbeta, store):
    """The same search by :func:`._sweep.grouped_search` of all entries, groups = labels."""
    n_samples, n_labels = scores.shape
    weight = np.ones(n_samples) if sample_weight is None else sample_weight
    groups = Groups(
        np.tile(np.arange(n_labels), n_samples), label_weight, pos, np.zeros(n_labels),
        np.zeros(n_labels),
    )
    return grouped_search(
        scores.ravel(), np.ascontiguousarray(truth).ravel(), np.repeat(weight, n_labels), groups,
        fbeta, store=store,
    )
