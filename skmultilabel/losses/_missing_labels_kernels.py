"""Numba kernel of the losses for missing labels: Hill and SPLC.

Both come from Zhang et al. (2021), "Simple and Robust Loss Design for
Multi-Label Learning with Missing Labels" (arXiv:2112.07368), and their
official code. With p = sigmoid(z), a margin m and a focusing parameter g,
both use the *focal margin* positive term

    l+(z) = (1 - p_m) ** g * -log p_m,        p_m = sigmoid(z - m),
    dl+/dz = -(1 - p_m) ** g * ((1 - p_m) + g * p_m * -log p_m)

(d(-log p_m)/dz = -(1 - p_m), d(1 - p_m)/dz = -p_m (1 - p_m)); this is the
positive term of :func:`~skmultilabel.losses._kernels.modulated_kernel` at the
logit z - m, evaluated by its stable building block ``_modulated_term``.

Hill: the negative term is the "hill" -(lam - p) * p ** 2 turned into a
non-negative loss, l-(z) = (lam - p) * p ** 2, with

    dl-/dz = (2 lam p - 3 p ** 2) * p (1 - p) = p ** 2 (1 - p) (2 lam - 3 p).

For lam = 1.5 (the paper's choice) it rises from 0 at p = 0 to 0.5 at p = 1
with a zero slope at both ends: a confident "negative" (probably a missing
positive) gets almost no gradient, unlike binary cross-entropy whose slope
grows to 1 there.

SPLC (self-paced loss correction): the positive term is l+ above; an entry
labelled negative whose probability p = sigmoid(z) exceeds ``tau`` is treated
as a missing positive, with the positive focal term at the unshifted logit,
(1 - p) ** g * -log p, and otherwise gets the focal negative term
p ** g * -log(1 - p). The switch is on only after the warm-up epochs
(``correct``); the corrected target is a constant, so the gradient is that of
the active branch (as in the official code, where the target is replaced
before the loss is differentiated).

Soft targets 0 < y < 1 weigh the two terms by y and 1 - y. Each entry's loss
is weighted by ``pos_weight[c]`` (positive terms, including corrected
negatives under SPLC) or ``neg_weight[c]`` (negative terms) and the sample
weight. Every value and slope is built from ``_logistic`` (one exp, one
log1p, no overflow), so logits of +-1e4 give finite, exact results; sums are
in float64 and per-block totals are added in a fixed order (see ``_kernels``).
"""

import numpy as np

from .._config import jit, prange
from ._kernels import (
    _FMA,
    _ROW_BLOCK,
    _logistic,
    _modulated_term,
    inverse_total,
    ordered_sum,
)

__all__ = ["focal_margin_kernel"]


@jit(inline="always", fastmath=_FMA)
def _positive_term(t, gamma):
    """Value and slope d/dt of (1 - p) ** gamma * -log p, p = sigmoid(t)."""
    p, q, nll_p, nll_q = _logistic(t)
    value, slope = _modulated_term(q, p, nll_q, nll_p, gamma, 0.0)
    return value, -slope  # _modulated_term's slope is with respect to -t


@jit(inline="always", fastmath=_FMA)
def _hill_negative_term(z, lam):
    """Value and slope d/dz of (lam - p) * p ** 2, p = sigmoid(z)."""
    p, q, _, _ = _logistic(z)
    return (lam - p) * p * p, p * p * q * (2.0 * lam - 3.0 * p)


@jit(inline="always", fastmath=_FMA)
def _splc_negative_term(z, gamma, tau, correct):
    """Value, slope d/dz and "corrected" flag of SPLC's term for a negative label."""
    p, q, nll_p, nll_q = _logistic(z)
    if correct and p > tau:
        value, slope = _modulated_term(q, p, nll_q, nll_p, gamma, 0.0)
        return value, -slope, True
    value, slope = _modulated_term(p, q, nll_p, nll_q, gamma, 0.0)
    return value, slope, False


@jit(parallel=True, fastmath=_FMA)
def focal_margin_kernel(Y, raw, sample_weight, pos_weight, neg_weight, margin, gamma, splc, lam,
                        tau, correct, grad, need_grad, label_loss):
    """Focal margin positive term with Hill's (``splc`` false) or SPLC's negative term.

    Hill:  l = y (1 - p_m) ** gamma * -log p_m + (1 - y) (lam - p) p ** 2;
    SPLC:  l = y (1 - p_m) ** gamma * -log p_m
               + (1 - y) [p > tau and correct] (1 - p) ** gamma * -log p   (pos_weight)
               + (1 - y) [p <= tau or not correct] p ** gamma * -log(1 - p).

    Same contract as ``modulated_kernel``: C-contiguous arrays of one float
    dtype, returns the float64 loss, fills ``label_loss`` and, with
    ``need_grad``, ``grad``; ``lam`` is unused by SPLC, ``tau`` and ``correct``
    by Hill. Call it from Python only (numba issue 8578).
    """
    n_samples, n_labels = raw.shape
    scale = inverse_total(sample_weight)
    n_blocks = (n_samples + _ROW_BLOCK - 1) // _ROW_BLOCK
    block_totals = np.zeros((n_blocks, n_labels))
    for block in prange(n_blocks):
        totals = block_totals[block]
        for i in range(block * _ROW_BLOCK, min(n_samples, (block + 1) * _ROW_BLOCK)):
            s = sample_weight[i] * scale
            for c in range(n_labels):
                y = float(Y[i, c])
                z = float(raw[i, c])
                value, slope = 0.0, 0.0
                if y != 0.0:
                    v, d = _positive_term(z - margin, gamma)
                    w = s * pos_weight[c] * y
                    value, slope = w * v, w * d
                if y != 1.0:
                    if splc:
                        v, d, corrected = _splc_negative_term(z, gamma, tau, correct)
                    else:
                        v, d = _hill_negative_term(z, lam)
                        corrected = False
                    w = s * (pos_weight[c] if corrected else neg_weight[c]) * (1.0 - y)
                    value, slope = value + w * v, slope + w * d
                totals[c] += value
                if need_grad:
                    grad[i, c] = slope
    for c in range(n_labels):
        label_loss[c] = ordered_sum(block_totals[:, c])
    return ordered_sum(label_loss)
