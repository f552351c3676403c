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

Focusing weights ``x ** gamma`` (x = p or 1 - p) are computed as
``exp(-gamma * (-log x))`` from the already known -log x, never with ``**``:
at x = 0 this gives 0 for gamma > 0 and 1 for gamma = 0 (the limit), and the
gradients below are written so that no ``x ** (gamma - 1)`` appears, hence
they stay finite for every gamma >= 0, including gamma < 1 at p = 0 or 1.
"""

import math

from numba import prange

from .._config import jit


@jit
def _logistic(z):
    """Return (p, 1 - p, -log p, -log(1 - p)) for p = sigmoid(z), without overflow.

    log1p(e) is computed as log(u) - ((u - 1) - e) / u with u = 1 + e rounded:
    the first-order correction of the rounding of u, accurate to about one ulp
    (e.g. it returns e when u rounds to 1), and faster than math.log1p in numba.
    """
    e = math.exp(-abs(z))
    u = 1.0 + e
    r = 1.0 / u
    softplus_tail = math.log(u) - ((u - 1.0) - e) * r
    positive = z >= 0
    p = r if positive else e * r
    q = e * r if positive else r
    return p, q, softplus_tail + max(-z, 0.0), softplus_tail + max(z, 0.0)


@jit
def _sigmoid_parts(z):
    """Return (p, -log p, -log(1 - p)) for p = sigmoid(z), without overflow."""
    p, _, nll_pos, nll_neg = _logistic(z)
    return p, nll_pos, nll_neg


@jit
def inverse_total(sample_weight):
    """1 / sum(sample_weight), summed in float64."""
    total = 0.0
    for s in sample_weight:
        total += s
    return 1.0 / total


@jit
def _power(x, neg_log_x, gamma):
    """x ** gamma for x in [0, 1], given -log x (0 ** 0 = 1, the gamma -> 0 limit).

    Integer gammas up to 4 multiply (exact and cheap); others use exp(gamma * log x).
    """
    k = int(gamma)
    if k == gamma and k <= 4:
        result = 1.0
        for _ in range(k):
            result *= x
        return result
    return math.exp(-gamma * neg_log_x)


@jit
def _focal_term(p, q, nll_p, nll_q, gamma):
    """Value and d/dz of (1 - p) ** gamma * -log p, for p = sigmoid(z), q = 1 - p.

    d/dz = q ** gamma * (-gamma * p * (-log p) - q), finite for every gamma >= 0.
    The negative focal term p ** gamma * -log(1 - p) is this term at -z: call
    it with (q, p, -log q, -log p) and negate the derivative.
    """
    weight = _power(q, nll_q, gamma)
    return weight * nll_p, -weight * (gamma * p * nll_p + q)


@jit
def _shifted_negative_term(p, q, nll_p, nll_q, gamma, clip):
    """Value and d/dz of the asymmetric loss negative term.

    With the shifted probability m = max(p - clip, 0) the term is
    m ** gamma * -log(1 - m). It and its derivative are 0 where p <= clip
    (the left derivative is used at p = clip exactly, where for gamma = 0 the
    derivative jumps). Above the kink, with L = -log(1 - m) and dp/dz = p q,

        d/dz = p q m ** gamma * (gamma * L / m + 1 / (1 - m)),

    finite as m -> 0 since L / m -> 1. 1 - m = q + clip is formed from q, so it
    stays exact for huge logits; L uses log1p(-m) while m is small.
    """
    if clip == 0.0:
        value, slope = _focal_term(q, p, nll_q, nll_p, gamma)
        return value, -slope
    m = p - clip
    if m <= 0.0:
        return 0.0, 0.0
    keep = q + clip
    nll_keep = -math.log1p(-m) if m < 0.5 else -math.log(keep)
    weight = _power(m, -math.log(m), gamma)
    return weight * nll_keep, p * q * weight * (gamma * nll_keep / m + 1.0 / keep)


@jit(parallel=True)
def modulated_kernel(Y, raw, sample_weight, pos_weight, neg_weight, gamma_pos, gamma_neg, clip,
                     grad, need_grad):
    """Asymmetric focal cross-entropy, the family of "bce", "focal" and "asymmetric".

    l = pos_weight[c] * y * (1 - p) ** gamma_pos * -log p
        + neg_weight[c] * (1 - y) * m ** gamma_neg * -log(1 - m),   m = max(p - clip, 0).

    Gammas 0 and clip 0 give binary cross-entropy; gamma_pos = gamma_neg and
    clip 0 give the focal loss. A term whose weight is 0 is not evaluated.
    """
    n_samples, n_labels = raw.shape
    scale = inverse_total(sample_weight)
    total = 0.0
    for i in prange(n_samples):
        row = 0.0
        s = sample_weight[i] * scale
        for c in range(n_labels):
            y = Y[i, c]
            p, q, nll_p, nll_q = _logistic(raw[i, c])
            w_pos = pos_weight[c] * y
            w_neg = neg_weight[c] * (1.0 - y)
            value = 0.0
            slope = 0.0
            if w_pos != 0.0:
                term, term_slope = _focal_term(p, q, nll_p, nll_q, gamma_pos)
                value += w_pos * term
                slope += w_pos * term_slope
            if w_neg != 0.0:
                term, term_slope = _shifted_negative_term(p, q, nll_p, nll_q, gamma_neg, clip)
                value += w_neg * term
                slope += w_neg * term_slope
            row += value
            if need_grad:
                grad[i, c] = s * slope
        total += s * row
    return total


@jit
def bce_kernel(Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad):
    """Binary cross-entropy: pos_weight[c] * y * -log p + neg_weight[c] * (1 - y) * -log(1 - p).

    The modulated kernel with gammas 0 and clip 0.
    """
    return modulated_kernel(Y, raw, sample_weight, pos_weight, neg_weight, 0.0, 0.0, 0.0,
                            grad, need_grad)
