"""Per-label weights of the positive and negative loss terms.

``class_weight`` weights each label's positive and negative terms; ``fn_cost``
and ``fp_cost`` multiply its positive term (the cost of a false negative) and
its negative term (the cost of a false positive). The loss receives

    pos_weight[c] = w_pos_c * fn_cost_c,    neg_weight[c] = w_neg_c * fp_cost_c.

``class_weight="balanced"`` is scikit-learn's "balanced" applied to each label's
binary problem: with n the total sample weight and n_pos_c, n_neg_c the
sample-weighted numbers of positives and negatives of label c,

    w_pos_c = n / (2 * n_pos_c)   (proportional to 1 / freq_c),
    w_neg_c = n / (2 * n_neg_c),

so that the positives and the negatives of every label carry equal total
weight (n / 2), and ``OneVsRestClassifier(LogisticRegression(class_weight=
"balanced"))`` is the linear model with ``loss="bce"``, ``class_weight="balanced"``
and ``alpha=1``. Counts are floored at one average sample, so a label without
positives gets a finite weight. Losses that are not pointwise (ranking losses)
take one weight per label; for them "balanced" is w_pos_c * w_neg_c =
n**2 / (4 n_pos_c n_neg_c), which turns each label's pairwise sum into the
mean over its (positive, negative) pairs, up to the constant 1/4.
An array or a dict gives each label one weight, applied to both of its terms.
``fn_cost="balanced"``: fn_cost_c = n_neg_c / n_pos_c, which equalises the
total weight of the positives and negatives of each label while leaving the
negatives at weight 1.
"""

import numbers

import numpy as np

from ..utils import check_label_weights

__all__ = ["label_weights"]


def label_weights(class_weight, fn_cost, fp_cost, Y, sample_weight, pointwise=True):
    """Return ``(pos_weight, neg_weight)``, two float64 arrays of shape (n_labels,).

    Parameters
    ----------
    class_weight : None, "balanced", array-like of shape (n_labels,) or dict
        Weight of each label; a dict maps label (column) indices to weights,
        missing labels weigh 1.
    fn_cost, fp_cost : float or array-like of shape (n_labels,)
        Weights of the positive and negative terms; ``fn_cost`` may also be "balanced".
    Y : ndarray of shape (n_samples, n_labels)
        The 0/1 target.
    sample_weight : ndarray of shape (n_samples,)
    pointwise : bool, default=True
        False for ranking losses: "balanced" then gives one weight per label.
    """
    n_labels = Y.shape[1]
    total = sample_weight.sum()
    positives, negatives = _weighted_counts(Y, sample_weight, total)
    if class_weight is None:
        pos_class_weight = neg_class_weight = np.ones(n_labels)
    elif isinstance(class_weight, str):  # "balanced", validated by the estimator
        pos_class_weight, neg_class_weight = 0.5 * total / positives, 0.5 * total / negatives
        if not pointwise:
            pos_class_weight = neg_class_weight = pos_class_weight * neg_class_weight
    else:
        pos_class_weight = neg_class_weight = _per_label_weights(class_weight, n_labels)
    if isinstance(fn_cost, str):  # "balanced", validated by the estimator
        fn_cost = negatives / positives
    fn_cost = check_label_weights(fn_cost, n_labels, "fn_cost")
    fp_cost = check_label_weights(fp_cost, n_labels, "fp_cost")
    return pos_class_weight * fn_cost, neg_class_weight * fp_cost


def _weighted_counts(Y, sample_weight, total):
    """Sample-weighted numbers of positives and negatives per label, floored at one sample."""
    one_sample = total / Y.shape[0]
    positives = sample_weight @ Y
    return np.maximum(positives, one_sample), np.maximum(total - positives, one_sample)


def _per_label_weights(class_weight, n_labels):
    """One weight per label from an array-like or a {label index: weight} dict."""
    if isinstance(class_weight, dict):
        weights = np.ones(n_labels)
        for label, weight in class_weight.items():
            if not isinstance(label, numbers.Integral) or not 0 <= label < n_labels:
                raise ValueError(
                    f"class_weight keys must be label (column) indices in [0, {n_labels}), "
                    f"got {label!r}."
                )
            weights[label] = weight
        return check_label_weights(weights, n_labels, "class_weight")
    return check_label_weights(class_weight, n_labels, "class_weight")
