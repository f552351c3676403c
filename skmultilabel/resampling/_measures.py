"""Imbalance measures of a multi-label target (Charte et al.).

With ``n_c`` the number of samples having label ``c`` and ``q`` the number of
labels (Charte, Rivera, del Jesus, Herrera, "Addressing imbalance in multilabel
classification: measures and random resampling algorithms", Neurocomputing
163, 2015; SCUMBLE from Charte et al., "Concurrence among imbalanced labels and
its influence on multilabel resampling algorithms", HAIS 2014):

* ``IRLbl(c) = max_j n_j / n_c``, 1 for the most frequent label;
* ``MeanIR = mean_c IRLbl(c)`` and ``MaxIR = max_c IRLbl(c)``;
* ``CVIR = sigma / MeanIR`` with ``sigma = sqrt(sum_c (IRLbl(c) - MeanIR)^2 / (q - 1))``;
* ``SCUMBLE = mean_i SCUMBLE_i`` with ``SCUMBLE_i = 1 - G_i / A_i``, where
  ``G_i`` and ``A_i`` are the geometric and arithmetic means of the IRLbl of the
  labels of sample ``i`` (0 for a sample with fewer than two labels).

A label without positive samples has ``IRLbl = inf``; the aggregate measures
(MeanIR, MaxIR, CVIR, SCUMBLE) are computed over the labels that have at least
one positive sample, so that an absent label does not make them infinite.
"""

import numpy as np

from ..utils import check_multilabel_target

__all__ = ["cvir", "irlbl", "max_ir", "mean_ir", "scumble"]


def _label_counts(Y):
    Y = check_multilabel_target(Y, allow_1d=False)
    counts = Y.sum(axis=0)
    if not counts.any():
        raise ValueError("Y has no positive label: the imbalance ratios are undefined.")
    return Y, counts


def _irlbl_from_counts(counts):
    with np.errstate(divide="ignore", invalid="ignore"):  # 0 / 0: no label has a positive
        return counts.max() / counts


def irlbl(Y):
    """Imbalance ratio per label: ``max_j n_j / n_c``.

    Parameters
    ----------
    Y : array-like or sparse matrix of shape (n_samples, n_labels)
        0/1 label indicator matrix.

    Returns
    -------
    ratios : ndarray of shape (n_labels,)
        ``>= 1``; ``inf`` for a label without positive samples.
    """
    return _irlbl_from_counts(_label_counts(Y)[1])


def _present_irlbl(Y):
    ratios = irlbl(Y)
    return ratios[np.isfinite(ratios)]


def mean_ir(Y):
    """Mean of :func:`irlbl` over the labels with at least one positive sample."""
    return float(_present_irlbl(Y).mean())


def max_ir(Y):
    """Largest :func:`irlbl` over the labels with at least one positive sample."""
    return float(_present_irlbl(Y).max())


def cvir(Y):
    """Coefficient of variation of :func:`irlbl`: ``sigma / MeanIR``.

    ``sigma`` is the sample standard deviation (``ddof=1``) over the labels with
    at least one positive sample; 0 when only one such label exists.
    """
    ratios = _present_irlbl(Y)
    if ratios.size < 2:
        return 0.0
    return float(ratios.std(ddof=1) / ratios.mean())


def scumble(Y):
    """SCUMBLE: mean over samples of ``1 - geometric / arithmetic mean`` of their labels' IRLbl.

    Measures how much minority labels co-occur with majority labels in the same
    samples (0: never; towards 1: always). Samples with fewer than two labels
    contribute 0.
    """
    Y, counts = _label_counts(Y)
    ratios = _irlbl_from_counts(np.where(counts > 0, counts, 1.0))  # absent labels never weigh
    log_ratios = np.log(ratios)
    n_labels = Y.sum(axis=1)
    has_labels = n_labels > 0
    geometric = np.exp((Y @ log_ratios)[has_labels] / n_labels[has_labels])
    arithmetic = (Y @ ratios)[has_labels] / n_labels[has_labels]
    per_sample = np.zeros(Y.shape[0])
    per_sample[has_labels] = 1.0 - geometric / arithmetic
    return float(per_sample.mean())
