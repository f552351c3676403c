"""numba loop of ML-ROS and ML-RUS (Charte et al., Neurocomputing 2015).

Both walk over label bags round-robin, picking one sample per bag and turn
(to clone, or to delete), and drop a bag from the walk once its label has
reached MeanIR, which is computed once on the original data. ``Y`` is a
float64 0/1 matrix; a bag is the slice ``bag_rows[bag_ptr[b]:bag_ptr[b + 1]]``
of the rows holding ``bag_labels[b]``.
"""

import numpy as np

from .._config import jit

__all__ = ["round_robin_picks"]


@jit
def round_robin_picks(Y, bag_labels, bag_ptr, bag_rows, mean_ir, n_wanted, draws, sign):
    """Rows picked, in order: up to ``n_wanted``, one per active bag and turn.

    ``sign=+1`` (ML-ROS) clones: the row is drawn uniformly in the bag with
    ``draws[i]`` (uniform in [0, 1), one per pick), the label counts grow by
    its labels, and a bag stops when ``IRLbl(label) <= mean_ir``.
    ``sign=-1`` (ML-RUS) deletes: each bag's rows must come shuffled, the row
    is the bag's next one not yet deleted (a uniform draw among those left),
    the counts shrink, and a bag stops when ``IRLbl(label) >= mean_ir`` or
    when it has no row left. The walk ends early when every bag has stopped.
    """
    counts = Y.sum(axis=0)
    n_bags = bag_labels.shape[0]
    active = np.ones(n_bags, dtype=np.bool_)
    n_active = n_bags
    cursor = bag_ptr[:-1].copy()
    deleted = np.zeros(Y.shape[0], dtype=np.bool_)
    picks = np.empty(n_wanted, dtype=np.int64)
    made = 0
    while made < n_wanted and n_active > 0:
        for b in range(n_bags):
            if made == n_wanted:
                break
            if not active[b]:
                continue
            if sign > 0:
                size = bag_ptr[b + 1] - bag_ptr[b]
                row = bag_rows[bag_ptr[b] + min(int(draws[made] * size), size - 1)]
            else:
                while cursor[b] < bag_ptr[b + 1] and deleted[bag_rows[cursor[b]]]:
                    cursor[b] += 1
                if cursor[b] == bag_ptr[b + 1]:
                    active[b] = False
                    n_active -= 1
                    continue
                row = bag_rows[cursor[b]]
                deleted[row] = True
            picks[made] = row
            made += 1
            counts += sign * Y[row]
            if sign * (mean_ir * counts[bag_labels[b]] - counts.max()) >= 0:
                active[b] = False
                n_active -= 1
    return picks[:made]
