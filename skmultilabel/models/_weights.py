"""Per-label weights of the positive and negative loss terms.

``class_weight`` weights a whole label (both of its terms); ``fn_cost`` and
``fp_cost`` weight its positive term (the cost of a false negative) and its
negative term (the cost of a false positive). The loss receives

    pos_weight[c] = w_c * fn_cost_c,    neg_weight[c] = w_c * fp_cost_c.

``class_weight="balanced"``: w_c is proportional to 1 / freq_c, where freq_c is
the sample-weighted rate of positives of label c, floored at one (average)
sample so that a label without positives gets a finite weight; the w_c are
normalised to a mean of 1 over the labels, so the overall scale of the loss
(and the meaning of the L2 strength) does not change.
``fn_cost="balanced"``: fn_cost_c = n_neg_c / n_pos_c (sample-weighted, both
counts floored at one average sample), which equalises the total weight of
the positives and negatives of each label.
"""

import numbers

import numpy as np

from ..utils import check_label_weights

__all__ = ["label_weights"]


def label_weights(class_weight, fn_cost, fp_cost, Y, sample_weight):
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
    """
    n_labels = Y.shape[1]
    positives, negatives = _weighted_counts(Y, sample_weight)
    weights = _class_weights(class_weight, n_labels, positives)
    if isinstance(fn_cost, str):  # "balanced", validated by the estimator
        fn_cost = negatives / positives
    fn_cost = check_label_weights(fn_cost, n_labels, "fn_cost")
    fp_cost = check_label_weights(fp_cost, n_labels, "fp_cost")
    return weights * fn_cost, weights * fp_cost


def _weighted_counts(Y, sample_weight):
    """Sample-weighted numbers of positives and negatives per label, floored at one sample."""
    total = sample_weight.sum()
    one_sample = total / Y.shape[0]
    positives = sample_weight @ Y
    return np.maximum(positives, one_sample), np.maximum(total - positives, one_sample)


def _class_weights(class_weight, n_labels, positives):
    if class_weight is None:
        return np.ones(n_labels)
    if isinstance(class_weight, str):  # "balanced"
        inverse_frequency = 1.0 / positives
        return inverse_frequency / inverse_frequency.mean()
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
