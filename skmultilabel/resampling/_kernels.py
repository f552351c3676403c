"""numba loops of ML-ROS and ML-RUS (Charte et al., Neurocomputing 2015).

Both walk over the label bags round-robin, one sample per bag and turn, and
drop a bag from the walk once its label has reached MeanIR, which is computed
once on the original data. ``Y`` is a float64 0/1 matrix; a bag is the slice
``bag_rows[bag_ptr[b]:bag_ptr[b + 1]]`` of the rows holding ``bag_labels[b]``.
"""

import numpy as np

from .._config import jit

__all__ = ["mlros_clones", "mlrus_deletions"]


@jit
def mlros_clones(Y, bag_labels, bag_ptr, bag_rows, mean_ir, draws):
    """Rows to clone: one uniformly drawn row per minority bag and turn.

    ``draws`` holds one uniform [0, 1) number per clone (its length is the
    number of clones wanted). A bag leaves the walk when
    ``IRLbl(label) <= mean_ir``; the walk ends early when no bag is left.
    """
    counts = Y.sum(axis=0)
    n_bags = bag_labels.shape[0]
    active = np.ones(n_bags, dtype=np.bool_)
    n_active = n_bags
    n_wanted = draws.shape[0]
    clones = np.empty(n_wanted, dtype=np.int64)
    made = 0
    while made < n_wanted and n_active > 0:
        for b in range(n_bags):
            if made == n_wanted:
                break
            if not active[b]:
                continue
            start = bag_ptr[b]
            size = bag_ptr[b + 1] - start
            row = bag_rows[start + min(int(draws[made] * size), size - 1)]
            clones[made] = row
            made += 1
            counts += Y[row]
            if counts.max() <= mean_ir * counts[bag_labels[b]]:
                active[b] = False
                n_active -= 1
    return clones[:made]


@jit
def mlrus_deletions(Y, bag_labels, bag_ptr, bag_rows, mean_ir, n_wanted):
    """Mask of deleted rows: one row per majority bag and turn, in the bag's order.

    Each bag's rows must come shuffled: taking the next row not yet deleted is
    a uniform draw among the rows left. A bag leaves the walk when
    ``IRLbl(label) >= mean_ir`` or when it runs out of rows.
    """
    counts = Y.sum(axis=0)
    n_bags = bag_labels.shape[0]
    active = np.ones(n_bags, dtype=np.bool_)
    n_active = n_bags
    cursor = bag_ptr[:-1].copy()
    deleted = np.zeros(Y.shape[0], dtype=np.bool_)
    made = 0
    while made < n_wanted and n_active > 0:
        for b in range(n_bags):
            if made == n_wanted:
                break
            if not active[b]:
                continue
            while cursor[b] < bag_ptr[b + 1] and deleted[bag_rows[cursor[b]]]:
                cursor[b] += 1
            if cursor[b] == bag_ptr[b + 1]:
                active[b] = False
                n_active -= 1
                continue
            row = bag_rows[cursor[b]]
            deleted[row] = True
            made += 1
            counts -= Y[row]
            if counts.max() >= mean_ir * counts[bag_labels[b]]:
                active[b] = False
                n_active -= 1
    return deleted
