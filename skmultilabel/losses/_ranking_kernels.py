"""Numba kernels of the ranking losses.

Pairwise (AUC) losses, per label c, over the pairs (positive i, negative j):

    L_c = w_c / W**2 * sum_i sum_j s_i s_j phi(f_i - f_j),   W = sum_k s_k

with one kernel per algorithm (the loss object picks it, in Python):

* :func:`pairwise_logistic_kernel`: phi(d) = log(1 + exp(-d)), exact over all
  pairs, O(n_pos * n_neg);
* :func:`moment_pairs_kernel`: phi(d) = (1 - d)**2, exact in O(N) from
  weighted moments; with ``clip_gap`` the AUC-margin min-max loss (Yuan et
  al. 2021, LibAUC) with its auxiliary variables at their closed-form optimum
  on the batch, O(N) (the two differ by that one scalar, as the pointwise
  losses share one kernel);
* :func:`squared_hinge_kernel`: phi(d) = max(0, 1 - d)**2, exact in
  O(N log N): the positives are sorted, each negative is binary-searched
  among them, and merged (weight, mean, spread) moments give the sums over
  active pairs.

The kernels take label-major (n_labels, n_samples) arrays and run the labels
in parallel; each label gathers its positives and negatives into float64
arrays (:func:`_gather_label`), so float32 input is accumulated in float64,
and scatters their gradients back (:func:`_scatter_label`). A label without
positives or negatives contributes nothing. The moments are kept centred
(weight, mean, sum of squared deviations), so every loss is a sum of
non-negative terms and no cancellation occurs at large logits.

:func:`label_ranking_kernel` is the per-sample label-ranking loss of Su et al.
(2022), O(n_labels) per sample.
"""

import math

import numpy as np
from numba import prange

from .._config import jit
from ._kernels import inverse_total, ordered_sum

__all__ = [
    "label_ranking_kernel",
    "moment_pairs_kernel",
    "pairwise_logistic_kernel",
    "squared_hinge_kernel",
]


@jit
def _logistic_pairs(f_pos, s_pos, f_neg, s_neg, g_pos, g_neg, need_grad):
    """sum_ij s_i s_j log(1 + exp(f_j - f_i)) over all pairs; fills the gradients."""
    total = 0.0
    for a in range(f_pos.shape[0]):
        f_i = f_pos[a]
        row = 0.0
        row_grad = 0.0
        for b in range(f_neg.shape[0]):
            d = f_i - f_neg[b]
            e = math.exp(-abs(d))
            row += s_neg[b] * (math.log1p(e) + max(-d, 0.0))
            if need_grad:
                # d phi / d d = -sigmoid(-d)
                q = 1.0 / (1.0 + e) if d <= 0.0 else e / (1.0 + e)
                row_grad += s_neg[b] * q
                g_neg[b] += s_pos[a] * q
        total += s_pos[a] * row
        g_pos[a] = -s_pos[a] * row_grad
    for b in range(f_neg.shape[0]):
        g_neg[b] *= s_neg[b]
    return total


@jit
def _weighted_moments(f, s):
    """(sum s, weighted mean of f, sum s (f - mean)**2), centred in two passes."""
    weight = 0.0
    first = 0.0
    for k in range(f.shape[0]):
        weight += s[k]
        first += s[k] * f[k]
    mean = first / weight
    spread = 0.0
    for k in range(f.shape[0]):
        spread += s[k] * (f[k] - mean) ** 2
    return weight, mean, spread


@jit
def _moment_pairs(f_pos, s_pos, f_neg, s_neg, g_pos, g_neg, clip_gap):
    """Pairwise square loss, or AUC-margin loss when ``clip_gap``, from moments, O(N).

    With gap = 1 - mean_pos + mean_neg and S, mean, spread the weight, mean
    and sum of squared deviations of each side,

        sum_ij s_i s_j (1 - f_i + f_j)**2 = S_p S_n gap**2 + S_n spread_p + S_p spread_n.

    The AUC-margin loss replaces gap by max(0, gap): it is the min-max
    objective var_p + var_n + max_{alpha >= 0} (2 alpha gap - alpha**2) at
    its optimum a = mean_pos, b = mean_neg, alpha = max(0, gap), times S_p S_n.
    """
    weight_pos, mean_pos, spread_pos = _weighted_moments(f_pos, s_pos)
    weight_neg, mean_neg, spread_neg = _weighted_moments(f_neg, s_neg)
    gap = 1.0 - mean_pos + mean_neg
    if clip_gap:
        gap = max(gap, 0.0)
    for a in range(f_pos.shape[0]):
        g_pos[a] = 2.0 * s_pos[a] * weight_neg * (f_pos[a] - mean_pos - gap)
    for b in range(f_neg.shape[0]):
        g_neg[b] = 2.0 * s_neg[b] * weight_pos * (f_neg[b] - mean_neg + gap)
    return weight_pos * weight_neg * gap * gap + weight_neg * spread_pos + weight_pos * spread_neg


@jit
def _add_moments(weight, mean, spread, other_weight, other_mean, other_spread):
    """Merge two sets of (weight, mean, sum of squared deviations), stably (Chan et al.)."""
    if other_weight <= 0.0:
        return weight, mean, spread
    total = weight + other_weight
    delta = other_mean - mean
    ratio = other_weight / total
    return total, mean + delta * ratio, spread + other_spread + delta * delta * weight * ratio


@jit
def _count_active(f_pos, f_j):
    """Number of sorted positives a with (1 - f_pos[a]) + f_j > 0 (a prefix), by bisection."""
    low = 0
    high = f_pos.shape[0]
    while low < high:
        middle = (low + high) // 2
        if (1.0 - f_pos[middle]) + f_j > 0.0:
            low = middle + 1
        else:
            high = middle
    return low


@jit
def _squared_hinge_pairs(f_pos, s_pos, f_neg, s_neg, g_pos, g_neg):
    """sum_ij s_i s_j max(0, 1 - f_i + f_j)**2, O(n_pos log n_pos + n_neg log n_pos).

    ``f_pos`` must be sorted increasingly. A pair is active when
    (1 - f_i) + f_j > 0, so negative j is active with the first k_j positives
    (found by binary search). Its gradient comes from the weight and mean of
    those positives (prefix moments). Each negative joins the moments
    (weight, mean, spread) of bucket k_j; positive a is active with the
    negatives of buckets a + 1 .. n_pos, whose merged moments give its terms
    S (1 - f_a + mean)**2 + spread. Only the positives (the rare side under
    imbalance) are sorted. Pairs at the margin contribute 0 either way.
    """
    n_pos = f_pos.shape[0]
    prefix_weight = np.zeros(n_pos + 1)
    prefix_mean = np.zeros(n_pos + 1)
    for a in range(n_pos):
        prefix_weight[a + 1], prefix_mean[a + 1], _ = _add_moments(
            prefix_weight[a], prefix_mean[a], 0.0, s_pos[a], f_pos[a], 0.0
        )
    bucket_weight = np.zeros(n_pos + 1)
    bucket_mean = np.zeros(n_pos + 1)
    bucket_spread = np.zeros(n_pos + 1)
    for b in range(f_neg.shape[0]):
        f_j = f_neg[b]
        low = _count_active(f_pos, f_j)
        g_neg[b] = 2.0 * s_neg[b] * prefix_weight[low] * (1.0 - prefix_mean[low] + f_j)
        bucket_weight[low], bucket_mean[low], bucket_spread[low] = _add_moments(
            bucket_weight[low], bucket_mean[low], bucket_spread[low], s_neg[b], f_j, 0.0
        )
    total = 0.0
    weight = 0.0
    mean = 0.0
    spread = 0.0
    for a in range(n_pos - 1, -1, -1):
        weight, mean, spread = _add_moments(
            weight, mean, spread, bucket_weight[a + 1], bucket_mean[a + 1], bucket_spread[a + 1]
        )
        margin = 1.0 - f_pos[a] + mean
        total += s_pos[a] * (weight * margin * margin + spread)
        g_pos[a] = -2.0 * s_pos[a] * weight * margin
    return total


@jit
def _gather(scores, sample_weight, index):
    """scores[index] and sample_weight[index] as float64 arrays."""
    f = np.empty(index.shape[0], dtype=np.float64)
    s = np.empty(index.shape[0], dtype=np.float64)
    for k in range(index.shape[0]):
        f[k] = scores[index[k]]
        s[k] = sample_weight[index[k]]
    return f, s


@jit
def _gather_label(y, scores, sample_weight, factor, sort_positives):
    """One label's positives (y > 0.5) and negatives, gathered for a pair function.

    Returns (index_pos, f_pos, s_pos, g_pos, index_neg, f_neg, s_neg, g_neg,
    factor) with the gradients g zeroed; the positives sorted by score when
    ``sort_positives``. ``factor`` becomes 0 when the label has no pair of
    positive weight, and the kernel then skips its pair function.
    """
    n_samples = y.shape[0]
    n_pos = 0
    for i in range(n_samples):
        if y[i] > 0.5:
            n_pos += 1
    n_neg = n_samples - n_pos
    index_pos = np.empty(n_pos, dtype=np.int64)
    index_neg = np.empty(n_neg, dtype=np.int64)
    a = 0
    for i in range(n_samples):
        if y[i] > 0.5:
            index_pos[a] = i
            a += 1
        else:
            index_neg[i - a] = i
    f_pos, s_pos = _gather(scores, sample_weight, index_pos)
    f_neg, s_neg = _gather(scores, sample_weight, index_neg)
    if sort_positives:
        index_pos = index_pos[np.argsort(f_pos)]
        f_pos, s_pos = _gather(scores, sample_weight, index_pos)
    if not (factor > 0.0 and s_pos.sum() > 0.0 and s_neg.sum() > 0.0):
        factor = 0.0
    g_pos = np.zeros(n_pos, dtype=np.float64)
    g_neg = np.zeros(n_neg, dtype=np.float64)
    return index_pos, f_pos, s_pos, g_pos, index_neg, f_neg, s_neg, g_neg, factor


@jit
def _scatter_label(label, pairs_sum, grad, need_grad):
    """The label's loss, factor times the pair sum; its gradients scattered into ``grad``."""
    index_pos, _, _, g_pos, index_neg, _, _, g_neg, factor = label
    if need_grad:
        for a in range(index_pos.shape[0]):
            grad[index_pos[a]] = factor * g_pos[a]
        for b in range(index_neg.shape[0]):
            grad[index_neg[b]] = factor * g_neg[b]
    return factor * pairs_sum


@jit(parallel=True)
def pairwise_logistic_kernel(Y_by_label, raw_by_label, sample_weight, label_weight, grad,
                             need_grad, label_loss):
    """Pairwise logistic loss summed over labels, labels in parallel.

    Takes label-major arrays: ``Y_by_label`` and ``raw_by_label`` of shape
    (n_labels, n_samples), so that each label reads contiguous memory, and
    ``grad`` of that shape (or (n_labels, 0) when ``need_grad`` is False).
    Returns the loss, writes each label's loss into ``label_loss`` (float64,
    shape (n_labels,)) and, when ``need_grad``, dL/draw into ``grad``. The
    other pairwise kernels take and return the same.
    """
    scale = inverse_total(sample_weight) ** 2
    for c in prange(raw_by_label.shape[0]):
        label = _gather_label(Y_by_label[c], raw_by_label[c], sample_weight,
                              label_weight[c] * scale, False)
        _, f_pos, s_pos, g_pos, _, f_neg, s_neg, g_neg, factor = label
        total = _logistic_pairs(f_pos, s_pos, f_neg, s_neg, g_pos, g_neg, need_grad) if factor else 0.0
        label_loss[c] = _scatter_label(label, total, grad[c], need_grad)
    return ordered_sum(label_loss)


@jit(parallel=True)
def moment_pairs_kernel(Y_by_label, raw_by_label, sample_weight, label_weight, clip_gap, grad,
                        need_grad, label_loss):
    """Pairwise square loss, or AUC-margin loss with ``clip_gap``, summed over labels.

    As :func:`pairwise_logistic_kernel`.
    """
    scale = inverse_total(sample_weight) ** 2
    for c in prange(raw_by_label.shape[0]):
        label = _gather_label(Y_by_label[c], raw_by_label[c], sample_weight,
                              label_weight[c] * scale, False)
        _, f_pos, s_pos, g_pos, _, f_neg, s_neg, g_neg, factor = label
        total = _moment_pairs(f_pos, s_pos, f_neg, s_neg, g_pos, g_neg, clip_gap) if factor else 0.0
        label_loss[c] = _scatter_label(label, total, grad[c], need_grad)
    return ordered_sum(label_loss)


@jit(parallel=True)
def squared_hinge_kernel(Y_by_label, raw_by_label, sample_weight, label_weight, grad, need_grad,
                         label_loss):
    """Pairwise squared hinge loss summed over labels; as :func:`pairwise_logistic_kernel`."""
    scale = inverse_total(sample_weight) ** 2
    for c in prange(raw_by_label.shape[0]):
        label = _gather_label(Y_by_label[c], raw_by_label[c], sample_weight,
                              label_weight[c] * scale, True)
        _, f_pos, s_pos, g_pos, _, f_neg, s_neg, g_neg, factor = label
        total = _squared_hinge_pairs(f_pos, s_pos, f_neg, s_neg, g_pos, g_neg) if factor else 0.0
        label_loss[c] = _scatter_label(label, total, grad[c], need_grad)
    return ordered_sum(label_loss)


@jit
def _label_ranking_row(Y, raw, i, label_weight, log_weight, s, grad, need_grad):
    """Loss of sample i times ``s``; writes row i of ``grad`` when ``need_grad``.

    Each side is a log-sum-exp that includes the implicit score 0: with
    t_c = log w_c - z_c (positives) or log w_c + z_c (negatives), shifted by
    the side's max(0, max t_c), so no exponential overflows.
    """
    n_labels = raw.shape[1]
    shift_pos = 0.0
    shift_neg = 0.0
    for c in range(n_labels):
        if label_weight[c] > 0.0:
            if Y[i, c] > 0.5:
                shift_pos = max(shift_pos, log_weight[c] - raw[i, c])
            else:
                shift_neg = max(shift_neg, log_weight[c] + raw[i, c])
    sum_pos = math.exp(-shift_pos)
    sum_neg = math.exp(-shift_neg)
    for c in range(n_labels):
        term = 0.0
        if label_weight[c] > 0.0:
            if Y[i, c] > 0.5:
                term = -math.exp(log_weight[c] - raw[i, c] - shift_pos)
                sum_pos -= term
            else:
                term = math.exp(log_weight[c] + raw[i, c] - shift_neg)
                sum_neg += term
        if need_grad:
            grad[i, c] = term
    if need_grad:
        for c in range(n_labels):
            grad[i, c] *= s / (sum_pos if Y[i, c] > 0.5 else sum_neg)
    return s * (shift_pos + math.log(sum_pos) + shift_neg + math.log(sum_neg))


@jit(parallel=True)
def label_ranking_kernel(Y, raw, sample_weight, label_weight, grad, need_grad):
    """Label-ranking loss of Su et al. (2022), rows in parallel.

    Per sample, with w_c the label weights (a zero weight drops the label):
        log(1 + sum_{c neg} w_c exp(z_c)) + log(1 + sum_{c pos} w_c exp(-z_c))
    """
    n_samples, n_labels = raw.shape
    scale = inverse_total(sample_weight)
    log_weight = np.empty(n_labels, dtype=np.float64)
    for c in range(n_labels):
        log_weight[c] = math.log(label_weight[c]) if label_weight[c] > 0.0 else -np.inf
    totals = np.empty(n_samples)
    for i in prange(n_samples):
        s = sample_weight[i] * scale
        totals[i] = _label_ranking_row(Y, raw, i, label_weight, log_weight, s, grad, need_grad)
    return ordered_sum(totals)
