"""Metrics of the confusion counts, vectorised, equal to scikit-learn's on 0/1 predictions.

Each takes arrays of (weighted) true positives, false positives, false
negatives and true negatives and returns the metric elementwise;
``zero_division`` is the value where the metric is undefined (scikit-learn's
``zero_division``; Matthews correlation is 0 there, as in scikit-learn).
:func:`confusion_gain_score` is the public metric of a gain (cost) matrix.
"""

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    hamming_loss,
    jaccard_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
    zero_one_loss,
)
from sklearn.utils.validation import check_consistent_length

from ..utils import check_multilabel_target, check_sample_weights

__all__ = ["BINARY_ONLY", "COUNT_METRICS", "ENTRY_METRICS", "confusion_gain_score"]


def _check_gain(gain):
    gain = np.asarray(gain, dtype=np.float64)
    if gain.shape != (2, 2) or not np.all(np.isfinite(gain)):
        raise ValueError(f"gain must be a finite 2 x 2 matrix, got shape {gain.shape}.")
    return gain


def confusion_gain_score(y_true, y_pred, *, gain, sample_weight=None):
    """Mean gain of 0/1 predictions under a gain (negative cost) matrix.

    ``gain[i, j]`` is the gain of predicting ``j`` for an entry whose truth
    is ``i`` (0 or 1); costs are negative gains. The score is the gain of
    every (sample, label) entry, averaged over the samples (weighted by
    ``sample_weight``) and the labels. Use it as
    ``make_scorer(confusion_gain_score, gain=...)``: the threshold tuner then
    searches it exactly.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_labels)
        0/1 truths and predictions (a 1-D array is one label).
    gain : array-like of shape (2, 2)
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    score : float
    """
    gain = _check_gain(gain)
    y_true = check_multilabel_target(y_true, dtype=bool, allow_1d=True, name="y_true")
    y_pred = check_multilabel_target(y_pred, dtype=bool, allow_1d=True, name="y_pred")
    check_consistent_length(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}.")
    per_entry = gain[y_true.astype(np.intp), y_pred.astype(np.intp)]
    weights = sample_weight
    if weights is not None:
        weights = check_sample_weights(weights, y_true.shape[0])
    return float(np.average(per_entry.mean(axis=1), weights=weights))


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


def gain_per_entry(tp, fp, fn, tn, zero_division, gain):
    """:func:`confusion_gain_score` of one label: the mean gain of its entries."""
    gain = _check_gain(gain)
    total = gain[0, 0] * tn + gain[0, 1] * fp + gain[1, 0] * fn + gain[1, 1] * tp
    return _ratio(total, tp + fp + fn + tn, zero_division)


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


def accuracy(tp, fp, fn, tn, zero_division):
    """Fraction of correct entries."""
    return _ratio(tp + tn, tp + fp + fn + tn, zero_division)


def negative_error(tp, fp, fn, tn, zero_division):
    """Minus the fraction of wrong entries (a greater-is-better ``hamming_loss``)."""
    return -_ratio(fp + fn, tp + fp + fn + tn, zero_division)


def exact_match(tp, fp, fn, tn, zero_division):
    """1 where no entry is wrong (a sample's counts: subset accuracy), else 0."""
    return np.where(fp + fn == 0, 1.0, 0.0)


def negative_mismatch(tp, fp, fn, tn, zero_division):
    """-1 where an entry is wrong, else 0 (a greater-is-better ``zero_one_loss``)."""
    return exact_match(tp, fp, fn, tn, zero_division) - 1.0


ENTRY_METRICS = {
    (accuracy_score, 1): (accuracy, exact_match),
    (hamming_loss, -1): (negative_error, negative_error),
    (zero_one_loss, -1): (negative_error, negative_mismatch),
}
"""(scikit-learn metric, scorer sign) -> the metric of the counts (times the sign) on a
binary target (one label) and on a multi-label target: its average there is
"micro" for ``negative_error`` (``hamming_loss``), "samples" for the others
(``accuracy_score`` and ``zero_one_loss`` are subset accuracy and its loss)."""

COUNT_METRICS = {
    precision_score: precision,
    recall_score: recall,
    jaccard_score: jaccard,
    balanced_accuracy_score: balanced_accuracy,
    matthews_corrcoef: matthews,
    confusion_gain_score: gain_per_entry,
}
"""scikit-learn metric -> the same metric of the counts."""

BINARY_ONLY = {balanced_accuracy, matthews}
"""Metrics scikit-learn defines for a binary (or multiclass) target only, not per label."""
