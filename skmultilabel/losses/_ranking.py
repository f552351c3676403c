"""Ranking losses: pairwise AUC surrogates per label and a label-ranking loss per sample.

These losses compare entries with each other, so they are not pointwise: a
label's positive and negative terms cannot be weighted apart, and the
per-label weights must satisfy ``pos_weight == neg_weight`` (one weight per
label, checked by :class:`MultiLabelLoss`).

Pairwise losses, per label c, over the pairs (positive i, negative j) of the
batch, with sample weights s and W = sum_k s_k:

    L_c = w_c / W**2 * sum_i sum_j s_i s_j phi(f_i - f_j),   L = sum_c L_c

This is the 1/N**2 normalisation of the pairwise AUC objective, weighted
(W = N for unit weights): a label's loss scales with its positive rate
times its negative rate, as does its number of pairs. The AUC-margin loss
is scaled the same way. A label with no positive or no negative in the batch
contributes nothing.
"""

import numpy as np

from ._base import MultiLabelLoss, register_loss
from ._kernels import ordered_sum
from ._ranking_kernels import (
    gather_labels,
    label_ranking_kernel,
    moment_pairs_kernel,
    pairwise_logistic_kernel,
    scatter_labels,
    squared_hinge_kernel,
)

__all__ = [
    "AUCMargin",
    "LabelRankingLoss",
    "PairwiseLogistic",
    "PairwiseSquare",
    "PairwiseSquaredHinge",
]


class _PairwiseLoss(MultiLabelLoss):
    """A pairwise AUC loss per label; subclasses run their pair kernel in ``_pairs``."""

    pointwise = False
    label_separable = True
    _sort_positives = False

    def _run_kernel(
        self, Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad, label_loss
    ):
        # label-major copies: each label's pass then reads contiguous memory
        raw_by_label = np.ascontiguousarray(raw.T)
        n_labels, n_samples = raw_by_label.shape
        order = np.empty((n_labels, n_samples), dtype=np.int64)
        scores, weights = np.empty((n_labels, n_samples)), np.empty((n_labels, n_samples))
        n_pos, factor = np.empty(n_labels, dtype=np.int64), np.empty(n_labels)
        gather_labels(np.ascontiguousarray(Y.T), raw_by_label, sample_weight, pos_weight,
                      self._sort_positives, order, scores, weights, n_pos, factor)
        gradients = np.zeros((n_labels, n_samples))
        label_loss[...] = 0.0
        self._pairs(scores, weights, n_pos, factor, gradients, need_grad, label_loss)
        if need_grad:
            grad_by_label = np.empty((n_labels, n_samples), dtype=raw.dtype)
            scatter_labels(order, gradients, factor, grad_by_label)
            grad[...] = grad_by_label.T
        return ordered_sum(label_loss)

    def _pairs(self, scores, weights, n_pos, factor, gradients, need_grad, label_loss):
        """Run the loss's pair kernel on the gathered labels (see ``_ranking_kernels``)."""
        raise NotImplementedError


@register_loss
class PairwiseLogistic(_PairwiseLoss):
    """Exact pairwise logistic (AUC) loss: phi(d) = log(1 + exp(-d)).

    The quadratic one: every (positive, negative) pair is visited, so the cost
    is O(n_pos * n_neg) per label (labels run in parallel). Use it on
    minibatches or small data; the pairwise square and squared hinge losses
    are exact in O(N) and O(N log N).
    """

    name = "pairwise_logistic"

    def _pairs(self, *args):
        pairwise_logistic_kernel(*args)


@register_loss
class PairwiseSquare(_PairwiseLoss):
    """Pairwise square loss phi(d) = (1 - d)**2, exact in O(N) per label.

    Value and gradient come from the weighted count, mean and spread of the
    scores of the positives and of the negatives.
    """

    name = "pairwise_square"

    def _pairs(self, scores, weights, n_pos, factor, gradients, need_grad, label_loss):
        moment_pairs_kernel(scores, weights, n_pos, factor, gradients, False, label_loss)


@register_loss
class PairwiseSquaredHinge(_PairwiseLoss):
    """Pairwise squared hinge loss phi(d) = max(0, 1 - d)**2, exact in O(N log N) per label.

    The scores are sorted once; each positive's active negatives (those with
    f_j > f_i - 1) form a suffix of the sorted negatives, whose running
    moments give its terms, and symmetrically for the negatives.
    """

    name = "pairwise_squared_hinge"
    _sort_positives = True

    def _pairs(self, scores, weights, n_pos, factor, gradients, need_grad, label_loss):
        squared_hinge_kernel(scores, weights, n_pos, factor, gradients, label_loss)


@register_loss
class AUCMargin(_PairwiseLoss):
    """AUC-margin min-max loss (Yuan et al. 2021, LibAUC's ``AUCMLoss``), margin 1, O(N).

    Per label, with class-conditional weighted means and variances of the scores::

        min_{a, b} max_{alpha >= 0} E_pos (f - a)**2 + E_neg (f - b)**2
            + 2 alpha (1 - E_pos f + E_neg f) - alpha**2
        = var_pos + var_neg + max(0, 1 - mean_pos + mean_neg)**2,

    scaled by S_pos S_neg / W**2 like the pairwise losses. The auxiliary
    variables a, b, alpha are solved in closed form on each batch rather
    than kept as training state (LibAUC updates them by stochastic
    gradient descent-ascent). It differs from the pairwise square loss only
    in clipping the mean gap at 0: once positives outscore negatives by the
    margin on average, only the spreads are penalised.
    """

    name = "auc_margin"

    def _pairs(self, scores, weights, n_pos, factor, gradients, need_grad, label_loss):
        moment_pairs_kernel(scores, weights, n_pos, factor, gradients, True, label_loss)


@register_loss
class LabelRankingLoss(MultiLabelLoss):
    """Label-ranking loss of Su et al. (2022) (multi-label categorical cross-entropy, "ZLPR").

    Per sample, over its positive labels P and negative labels N:

        l = log(1 + sum_{c in N} w_c exp(z_c)) + log(1 + sum_{c in P} w_c exp(-z_c))

    and L is the weighted mean of l over samples. It ranks each sample's
    positive labels above the score 0 and the negative ones below it, in
    O(n_labels) per sample; its decision rule is z > 0, i.e. a threshold of
    0.5 on sigmoid(z). The label weight w_c multiplies its exponential term
    (it shifts the label's score by log w_c; a zero weight drops the label).
    """

    name = "label_ranking"
    pointwise = False

    def _run_kernel(
        self, Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad, label_loss
    ):
        return label_ranking_kernel(Y, raw, sample_weight, pos_weight, grad, need_grad)
