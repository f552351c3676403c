"""Training options of the Adam solver.

Per-sample gradient normalisation and difficulty-driven (dynamic) label weights.

Gradient normalisation rescales each row i of G = dL/dZ (the sample's gradient
over the labels) to the L2 norm s_i / sum_j s_j, i.e. to a unit vector before
the sample-weighted averaging (rows of zeros stay zero). Every sample then
pulls with the same strength whatever its loss, which is a change of descent
direction, not the gradient of the objective.

Dynamic label weights follow each label's difficulty. After every epoch, with
G0 the gradient of the loss with respect to the logits of the training rows,
computed with unit label weights, and P_c, N_c the sample-weighted shares of
the positives and negatives of label c (counts floored at one sample, as for
``class_weight="balanced"``), the difficulty of label c is

    d_c = sum_{i: y_ic = 1} |G0_ic| / P_c + sum_{i: y_ic = 0} |G0_ic| / N_c,

the class-balanced mean gradient magnitude of the label: for ``"bce"`` it is
mean(1 - p) over the positives plus mean(p) over the negatives (a soft
balanced error), for the pairwise losses the mean |phi'| over the label's
(positive, negative) pairs (a soft 1 - AUC), so that it does not depend on
the label's frequency. The running difficulty is D = d after the first epoch,
then D <- momentum * D + (1 - momentum) * d; the label weights used in the
next epoch are w_c = D_c / mean(D), clipped to [0.1, 10]. They multiply the
static per-label weights (``class_weight``, ``fn_cost``, ``fp_cost``).
"""

import numpy as np

from ._weights import _weighted_counts

__all__ = ["DynamicLabelWeights", "label_difficulty", "normalize_rows"]

#: Bounds of the dynamic label weights (relative to their mean of 1).
WEIGHT_BOUNDS = (0.1, 10.0)


def normalize_rows(delta, row_norms):
    """Rescale row i of ``delta`` in place to the L2 norm ``row_norms[i]``; zero rows stay zero."""
    norms = np.linalg.norm(delta, axis=1)
    nonzero = norms > 0.0
    scale = np.divide(row_norms, norms, out=np.zeros_like(norms), where=nonzero)
    delta *= scale[:, np.newaxis]
    return delta


def label_difficulty(loss, Y, logits, sample_weight):
    """The difficulty d_c of every label (module docstring), shape (n_labels,)."""
    magnitude = np.abs(loss.gradient(Y, logits, sample_weight))
    positive_mass = np.einsum("ij,ij->j", magnitude, Y)
    negative_mass = magnitude.sum(axis=0) - positive_mass
    total = sample_weight.sum()
    positives, negatives = _weighted_counts(Y, sample_weight, total)
    return positive_mass * (total / positives) + negative_mass * (total / negatives)


class DynamicLabelWeights:
    """Running label difficulty with momentum and the label weights it gives.

    Parameters
    ----------
    n_labels : int
    momentum : float in [0, 1)
        Weight of the past in the running difficulty.
    """

    def __init__(self, n_labels, momentum):
        self.momentum = momentum
        self.difficulty = None
        self.weights = np.ones(n_labels)

    def update(self, difficulty):
        """Fold one epoch's difficulty into the running one; return the new weights."""
        if self.difficulty is None:
            self.difficulty = difficulty.copy()
        else:
            self.difficulty = self.momentum * self.difficulty + (1.0 - self.momentum) * difficulty
        mean = self.difficulty.mean()
        if mean > 0.0:
            self.weights = np.clip(self.difficulty / mean, *WEIGHT_BOUNDS)
        return self.weights
