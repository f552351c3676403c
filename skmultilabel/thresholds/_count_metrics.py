"""Metrics of the confusion counts, vectorised, equal to scikit-learn's on 0/1 predictions.

Each takes arrays of (weighted) true positives, false positives, false
negatives and true negatives and returns the metric elementwise;
``zero_division`` is the value where the metric is undefined (scikit-learn's
``zero_division``; Matthews correlation is 0 there, as in scikit-learn).
"""

import numpy as np
from sklearn.metrics import (
    balanced_accuracy_score, jaccard_score, matthews_corrcoef, precision_score, recall_score,
)

__all__ = ["COUNT_METRICS", "BINARY_ONLY"]


def _ratio(numerator, denominator, zero_division):
    defined = denominator > 0
    return np.where(defined, numerator / np.where(defined, denominator, 1.0), zero_division)


def precision(tp, fp, fn, tn, zero_division):
    return _ratio(tp, tp + fp, zero_division)


def recall(tp, fp, fn, tn, zero_division):
    return _ratio(tp, tp + fn, zero_division)


def jaccard(tp, fp, fn, tn, zero_division):
    return _ratio(tp, tp + fp + fn, zero_division)


def balanced_accuracy(tp, fp, fn, tn, zero_division, adjusted=False):
    """Mean recall of the two classes (both present); ``adjusted``: chance at 0."""
    score = 0.5 * (_ratio(tp, tp + fn, 0.0) + _ratio(tn, tn + fp, 0.0))
    return 2.0 * score - 1.0 if adjusted else score


def matthews(tp, fp, fn, tn, zero_division):
    """scikit-learn's covariance form of the Matthews correlation, 0 where undefined."""
    n = tp + fp + fn + tn
    true_pos, true_neg = tp + fn, tn + fp
    pred_pos, pred_neg = tp + fp, tn + fn
    cov_ytyp = (tp + tn) * n - (true_neg * pred_neg + true_pos * pred_pos)
    cov_ypyp = n * n - (pred_neg * pred_neg + pred_pos * pred_pos)
    cov_ytyt = n * n - (true_neg * true_neg + true_pos * true_pos)
    product = cov_ytyt * cov_ypyp
    return np.where(product > 0, cov_ytyp / np.sqrt(np.where(product > 0, product, 1.0)), 0.0)


COUNT_METRICS = {
    precision_score: precision,
    recall_score: recall,
    jaccard_score: jaccard,
    balanced_accuracy_score: balanced_accuracy,
    matthews_corrcoef: matthews,
}
"""scikit-learn metric -> the same metric of the counts."""

BINARY_ONLY = {balanced_accuracy, matthews}
"""Metrics scikit-learn defines for a binary (or multiclass) target only, not per label."""
