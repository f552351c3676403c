"""Numba kernels of the pointwise losses.

Every kernel has the signature

    kernel(Y, raw, sample_weight, pos_weight, neg_weight, <hyperparameters>, grad, need_grad)

takes only C-contiguous arrays of one float dtype and scalars, returns the
loss (a float64) and, when ``need_grad`` is True, writes dL/draw into ``grad``.
Rows run in parallel; the loss is accumulated in float64.

Stable building blocks: with e = exp(-|z|),
    -log(sigmoid(z))     = log1p(e) + max(-z, 0)
    -log(1 - sigmoid(z)) = log1p(e) + max(z, 0)
    sigmoid(z)           = 1 / (1 + e) if z >= 0 else e / (1 + e)
so each entry costs one exp and one log1p, and no logit overflows.
"""

import math

from numba import prange

from .._config import jit


@jit
def _sigmoid_parts(z):
    """Return (p, -log p, -log(1 - p)) for p = sigmoid(z), without overflow."""
    e = math.exp(-abs(z))
    softplus_tail = math.log1p(e)
    if z >= 0:
        p = 1.0 / (1.0 + e)
    else:
        p = e / (1.0 + e)
    return p, softplus_tail + max(-z, 0.0), softplus_tail + max(z, 0.0)


@jit
def inverse_total(sample_weight):
    """1 / sum(sample_weight), summed in float64."""
    total = 0.0
    for s in sample_weight:
        total += s
    return 1.0 / total


@jit(parallel=True)
def bce_kernel(Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad):
    """Binary cross-entropy: pos_weight[c] * y * -log p + neg_weight[c] * (1 - y) * -log(1 - p)."""
    n_samples, n_labels = raw.shape
    scale = inverse_total(sample_weight)
    total = 0.0
    for i in prange(n_samples):
        row = 0.0
        s = sample_weight[i] * scale
        for c in range(n_labels):
            y = Y[i, c]
            p, nll_pos, nll_neg = _sigmoid_parts(raw[i, c])
            w_pos = pos_weight[c] * y
            w_neg = neg_weight[c] * (1.0 - y)
            row += w_pos * nll_pos + w_neg * nll_neg
            if need_grad:
                grad[i, c] = s * (w_pos * (p - 1.0) + w_neg * p)
        total += s * row
    return total
