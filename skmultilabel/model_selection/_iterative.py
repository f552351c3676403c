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
    seen = 0
    for f in range(n_folds):
        if room[f] == best_room and desired[f] == best_want:
            if draw * n_ties < seen + 1 or seen == n_ties - 1:  # tie floor(draw * n_ties)
                return f
            seen += 1
    return -1


@jit
def _rarest(remaining, draw):
    """Pseudo-label with the fewest (but some) samples left, ties by ``draw``; -1 if none."""
    fewest = 0
    n_ties = 0
    for c in range(remaining.shape[0]):
        if remaining[c] > 0:
            if n_ties == 0 or remaining[c] < fewest:
                fewest, n_ties = remaining[c], 1
            elif remaining[c] == fewest:
                n_ties += 1
    seen = 0
    for c in range(remaining.shape[0]):
        if remaining[c] == fewest and n_ties > 0:
            if draw * n_ties < seen + 1 or seen == n_ties - 1:  # tie floor(draw * n_ties)
                return c
            seen += 1
    return -1


@jit
def iterative_stratification(row_ptr, row_labels, order, label_ptr, label_draws, row_draws,
                             capacity, room, held, folds):
    """Write the fold of every sample into ``folds``.

    Parameters
    ----------
    row_ptr, row_labels : int64 arrays of shape (n_samples + 1,) and (n_positives,)
        The labels of sample ``i`` are ``row_labels[row_ptr[i]:row_ptr[i + 1]]``.
    order : int64 array of shape (n_samples,)
        The samples in processing order (a permutation).
    label_ptr : int64 array of shape (n_labels + 1,)
        ``label_ptr[c + 1] - label_ptr[c]`` is the number of positives of label ``c``.
    label_draws : float64 array of shape (2 * n_labels,)
        Uniform draws breaking ties between pseudo-labels (all 0: lowest index).
    row_draws : float64 array of shape (n_samples,)
        Uniform draws breaking ties between folds (all 0: lowest index), in processing order.
    capacity : int64 array of shape (n_folds,)
        Number of samples of each fold, summing to ``n_samples``.
    room : int64 array of shape (n_folds,)
        A copy of ``capacity``; ends at zeros (places left in each fold).
    held : int64 array of shape (n_folds, n_labels)
        Zeros; ends with the positives of each label in each fold.
    folds : int64 array of shape (n_samples,)
        -1 everywhere; ends with the fold of every sample.

    Notes
    -----
    Sechidis et al.'s loop over the labels and their complements: take the
    pseudo-label with the fewest samples not yet assigned (ties by
    ``label_draws``); give each such sample, in processing order, to the fold
    that wants most of that pseudo-label, then most samples (ties by
    ``row_draws``); update the wanted counts of all the sample's
    pseudo-labels. A fold whose size is reached takes no more samples, so
    fold sizes equal ``capacity``. Every sample holds ``c`` or its complement,
    so the loop assigns all samples. Only positives are stored: the counts of
    a complement follow from the label's counts and the fold sizes. The 2-D
    work array is allocated by the caller: numba compiles every allocation of
    a new shape or dtype as a function of its own (a cold-start cost).
    """
    n_samples = folds.shape[0]
    n_labels = label_ptr.shape[0] - 1
    n_folds = capacity.shape[0]
    # label_rows[label_ptr[c]:label_ptr[c + 1]]: the ranks (processing order) holding label c
    label_rows = np.empty(row_labels.shape[0], dtype=np.int64)
    fill = np.empty(n_labels, dtype=np.int64)
    for c in range(n_labels):
        fill[c] = label_ptr[c]
    pending = np.empty(n_samples, dtype=np.int64)  # superset of the unassigned ranks, in order
    for rank in range(n_samples):
        pending[rank] = rank
        for p in range(row_ptr[order[rank]], row_ptr[order[rank] + 1]):
            label_rows[fill[row_labels[p]]] = rank
            fill[row_labels[p]] += 1
    desired = np.empty(n_folds, dtype=np.float64)
    remaining = np.empty(2 * n_labels, dtype=np.int64)
    n_pending = n_samples
    n_assigned = 0
    for step in range(2 * n_labels):
        # pseudo-label c < n_labels: label c's positives; n_labels + c: its negatives
        for c in range(n_labels):
            positives = label_ptr[c + 1] - label_ptr[c]
            assigned_positives = 0
            for f in range(n_folds):
                assigned_positives += held[f, c]
            remaining[c] = positives - assigned_positives
            remaining[n_labels + c] = n_samples - positives - (n_assigned - assigned_positives)
        pseudo = _rarest(remaining, label_draws[step])
        if pseudo < 0:
            break
        label = pseudo % n_labels
        negative = pseudo >= n_labels
        positives = label_ptr[label + 1] - label_ptr[label]
        count = n_samples - positives if negative else positives
        if negative:
            candidates = pending[:n_pending]
        else:
            candidates = label_rows[label_ptr[label]:label_ptr[label + 1]]
        kept = 0
        for rank in candidates:
            row = order[rank]
            if folds[row] >= 0:
                continue
            if negative and _holds(row_labels[row_ptr[row]:row_ptr[row + 1]], label):
                pending[kept] = rank  # compaction: candidates is pending itself
                kept += 1
                continue
            for f in range(n_folds):
                given = capacity[f] - room[f] - held[f, label] if negative else held[f, label]
                desired[f] = capacity[f] / n_samples * count - given
            f = _choose_fold(desired, room, row_draws[rank])
            folds[row] = f
            room[f] -= 1
            n_assigned += 1
            for p in range(row_ptr[row], row_ptr[row + 1]):
                held[f, row_labels[p]] += 1
        if negative:
            n_pending = kept


@jit
def _holds(row_labels, label):
    for held_label in row_labels:
        if held_label == label:
            return True
    return False
