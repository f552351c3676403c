"""numba kernel of iterative stratification (Sechidis, Tsoumakas, Vlahavas 2011).

"On the stratification of multi-label data", ECML PKDD 2011, LNCS 6913:145-158.

Besides the labels, the kernel stratifies their complements: "sample lacks
label c" is a pseudo-label ``n_labels + c``. Sechidis et al. distribute the
positives of the rarest labels first; when folds have fixed sizes, the last
(most frequent) labels would otherwise only get the room left by the others,
and their positive rates drift. With the complements, every label's positives
*and* negatives are spread in proportion to the fold sizes.
"""

import numpy as np

from .._config import jit

__all__ = ["iterative_stratification"]


@jit
def _pick(n_ties, draw):
    """Index among ``n_ties`` tied candidates chosen by a uniform ``draw`` in [0, 1)."""
    return min(int(draw * n_ties), n_ties - 1)


@jit
def _choose_fold(desired, room, draw):
    """Fold with room wanting most (``desired``), then with most room, ties by ``draw``."""
    n_folds = room.shape[0]
    best_want = -np.inf
    best_room = 0
    n_ties = 0
    for f in range(n_folds):
        if room[f] <= 0:
            continue
        want = desired[f]
        if want > best_want or (want == best_want and room[f] > best_room):
            best_want, best_room, n_ties = want, room[f], 1
        elif want == best_want and room[f] == best_room:
            n_ties += 1
    chosen = _pick(n_ties, draw)
    for f in range(n_folds):
        if room[f] == best_room and desired[f] == best_want:
            if chosen == 0:
                return f
            chosen -= 1
    return -1


@jit
def _rarest(remaining, draw):
    """Pseudo-label with the fewest (but some) samples left, ties by ``draw``; -1 if none."""
    fewest = np.iinfo(np.int64).max
    n_ties = 0
    for c in range(remaining.shape[0]):
        if remaining[c] > 0:
            if remaining[c] < fewest:
                fewest, n_ties = remaining[c], 1
            elif remaining[c] == fewest:
                n_ties += 1
    if n_ties == 0:
        return -1
    chosen = _pick(n_ties, draw)
    for c in range(remaining.shape[0]):
        if remaining[c] == fewest:
            if chosen == 0:
                return c
            chosen -= 1
    return -1


@jit
def _group(keys, values, n_keys):
    """Counting sort: ``values`` grouped by ``keys``, in their order within a group.

    Returns ``(pointer, grouped)``: the values of key ``k`` are
    ``grouped[pointer[k]:pointer[k + 1]]``.
    """
    pointer = np.zeros(n_keys + 1, dtype=np.int64)
    for key in keys:
        pointer[key + 1] += 1
    for k in range(n_keys):
        pointer[k + 1] += pointer[k]
    fill = pointer[:-1].copy()
    grouped = np.empty(keys.shape[0], dtype=np.int64)
    for i in range(keys.shape[0]):
        grouped[fill[keys[i]]] = values[i]
        fill[keys[i]] += 1
    return pointer, grouped


@jit
def iterative_stratification(rows, labels, n_samples, n_labels, capacity, label_draws, row_draws):
    """Fold of every sample.

    Parameters
    ----------
    rows, labels : int64 arrays of shape (n_positives,)
        Positions of the positives of the 0/1 target (any order), ``rows``
        numbered in processing order.
    n_samples, n_labels : int
        Shape of the target.
    capacity : int64 array of shape (n_folds,)
        Number of samples of each fold, summing to ``n_samples``.
    label_draws : float64 array of shape (2 * n_labels,)
        Uniform draws breaking ties between pseudo-labels (all 0: lowest index).
    row_draws : float64 array of shape (n_samples,)
        Uniform draws breaking ties between folds (all 0: lowest index).

    Returns
    -------
    folds : int64 array of shape (n_samples,)

    Notes
    -----
    Sechidis et al.'s loop over the labels and their complements: take the
    pseudo-label with the fewest samples not yet assigned (ties by
    ``label_draws``); give each such sample, in row order, to the fold that
    wants most of that pseudo-label, then most samples (ties by
    ``row_draws``); update the wanted counts of all the sample's
    pseudo-labels. A fold whose size is reached takes no more samples, so
    fold sizes equal ``capacity``. Every sample holds ``c`` or its complement,
    so the loop assigns all samples. Only positives are stored: the counts of
    a complement follow from the label's counts and the fold sizes.
    """
    n_folds = capacity.shape[0]
    row_ptr, row_labels = _group(rows, labels, n_samples)
    rows_in_order = np.empty(row_labels.shape[0], dtype=np.int64)
    for row in range(n_samples):
        rows_in_order[row_ptr[row]:row_ptr[row + 1]] = row
    label_ptr, label_rows = _group(row_labels, rows_in_order, n_labels)
    # target[f, c]: positives (c < n_labels) or negatives (c >= n_labels) of label c % n_labels
    # fold f should get; held[f, c]: positives of label c assigned to f; room[f]: places left
    target = np.empty((n_folds, 2 * n_labels), dtype=np.float64)
    for f in range(n_folds):
        for c in range(n_labels):
            positives = label_ptr[c + 1] - label_ptr[c]
            target[f, c] = capacity[f] / n_samples * positives
            target[f, n_labels + c] = capacity[f] / n_samples * (n_samples - positives)
    held = np.zeros((n_folds, n_labels), dtype=np.int64)
    room = capacity.copy()
    desired = np.empty(n_folds, dtype=np.float64)
    remaining = np.empty(2 * n_labels, dtype=np.int64)
    folds = np.full(n_samples, -1, dtype=np.int64)
    pending = np.arange(n_samples)  # superset of the unassigned rows, in order
    n_pending = n_samples
    n_assigned = 0
    for step in range(2 * n_labels):
        for c in range(n_labels):
            assigned_positives = held[:, c].sum()
            remaining[c] = label_ptr[c + 1] - label_ptr[c] - assigned_positives
            remaining[n_labels + c] = (
                n_samples - (label_ptr[c + 1] - label_ptr[c]) - (n_assigned - assigned_positives)
            )
        pseudo = _rarest(remaining, label_draws[step])
        if pseudo < 0:
            break
        label = pseudo % n_labels
        negative = pseudo >= n_labels
        if negative:
            candidates = pending[:n_pending]
        else:
            candidates = label_rows[label_ptr[label]:label_ptr[label + 1]]
        kept = 0
        for row in candidates:
            if folds[row] >= 0:
                continue
            if negative and _holds(row_labels[row_ptr[row]:row_ptr[row + 1]], label):
                pending[kept] = row  # compaction: candidates is pending itself
                kept += 1
                continue
            for f in range(n_folds):
                size = capacity[f] - room[f]
                desired[f] = target[f, pseudo] - (
                    size - held[f, label] if negative else held[f, label]
                )
            f = _choose_fold(desired, room, row_draws[row])
            folds[row] = f
            room[f] -= 1
            n_assigned += 1
            for p in range(row_ptr[row], row_ptr[row + 1]):
                held[f, row_labels[p]] += 1
        if negative:
            n_pending = kept
    return folds


@jit
def _holds(row_labels, label):
    for held_label in row_labels:
        if held_label == label:
            return True
    return False
