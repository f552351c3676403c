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

A call runs three kernels, each over the labels in parallel: :func:`gather_labels`
puts every label's positives, then negatives, with their scores and weights,
into float64 arrays (so float32 input is accumulated in float64), the loss's
pair kernel computes each label's loss and gradients on them, and
:func:`scatter_labels` puts the gradients back in sample order. A label without
positives or negatives contributes nothing. The moments are kept centred
(weight, mean, sum of squared deviations), so every loss is a sum of
non-negative terms and no cancellation occurs at large logits.

:func:`label_ranking_kernel` is the per-sample label-ranking loss of Su et al.
(2022), O(n_labels) per sample.
"""

import math

import numpy as np

from .._config import jit, prange
from ._kernels import inverse_total, ordered_sum

__all__ = [
    "gather_labels",
    "label_ranking_kernel",
    "moment_pairs_kernel",
    "pairwise_logistic_kernel",
    "scatter_labels",
    "squared_hinge_kernel",
]


@jit
def _logistic_pairs(f, s, n_pos, g, need_grad):
    """sum_ij s_i s_j log(1 + exp(f_j - f_i)) over all pairs; fills the gradients.

    The pair functions take one label's gathered scores ``f``, weights ``s``
    and gradients ``g``: the first ``n_pos`` entries are its positives.
    """
    f_pos, s_pos, g_pos = f[:n_pos], s[:n_pos], g[:n_pos]
    f_neg, s_neg, g_neg = f[n_pos:], s[n_pos:], g[n_pos:]
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
def _moment_pairs(f, s, n_pos, g, clip_gap):
    """Pairwise square loss, or AUC-margin loss when ``clip_gap``, from moments, O(N).

    With gap = 1 - mean_pos + mean_neg and S, mean, spread the weight, mean
    and sum of squared deviations of each side,

        sum_ij s_i s_j (1 - f_i + f_j)**2 = S_p S_n gap**2 + S_n spread_p + S_p spread_n.

    The AUC-margin loss replaces gap by max(0, gap): it is the min-max
    objective var_p + var_n + max_{alpha >= 0} (2 alpha gap - alpha**2) at
    its optimum a = mean_pos, b = mean_neg, alpha = max(0, gap), times S_p S_n.
    """
    f_pos, s_pos, g_pos = f[:n_pos], s[:n_pos], g[:n_pos]
    f_neg, s_neg, g_neg = f[n_pos:], s[n_pos:], g[n_pos:]
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
def _squared_hinge_pairs(f, s, n_pos, g):
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
    f_pos, s_pos, g_pos = f[:n_pos], s[:n_pos], g[:n_pos]
    f_neg, s_neg, g_neg = f[n_pos:], s[n_pos:], g[n_pos:]
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


@jit(parallel=True)
def gather_labels(Y_by_label, raw_by_label, sample_weight, label_weight, sort_positives, order,
                  scores, weights, n_pos, factor):
    """Gather every label's positives, then negatives, for the pair kernels; labels in parallel.

    For label c (row c of the label-major ``Y_by_label`` and ``raw_by_label``,
    shape (n_labels, n_samples)): ``order[c]`` receives the sample indices,
    positives (y > 0.5) first, sorted by score when ``sort_positives``, then
    negatives; ``scores[c]`` and ``weights[c]`` (float64) the scores and sample
    weights in that order; ``n_pos[c]`` the number of positives; ``factor[c]``
    the label's scale w_c / W**2, or 0 when it has no pair of positive weight
    (the pair kernels then skip it).
    """
    scale = inverse_total(sample_weight) ** 2
    for c in prange(raw_by_label.shape[0]):
        y = Y_by_label[c]
        p = 0
        for i in range(y.shape[0]):
            if y[i] > 0.5:
                order[c, p] = i
                p += 1
        q = p
        for i in range(y.shape[0]):
            if not y[i] > 0.5:
                order[c, q] = i
                q += 1
        if sort_positives:
            order[c, :p] = order[c, :p][np.argsort(raw_by_label[c][order[c, :p]])]
        for k in range(y.shape[0]):
            scores[c, k] = raw_by_label[c, order[c, k]]
            weights[c, k] = sample_weight[order[c, k]]
        n_pos[c] = p
        has_pairs = weights[c, :p].sum() > 0.0 and weights[c, p:].sum() > 0.0
        factor[c] = label_weight[c] * scale if has_pairs else 0.0


@jit(parallel=True)
def pairwise_logistic_kernel(scores, weights, n_pos, factor, gradients, need_grad, label_loss):
    """Pairwise logistic loss of every label with ``factor[c] > 0`` into ``label_loss[c]``.

    Takes the output of :func:`gather_labels`; ``gradients`` (float64, shape of
    ``scores``, zeros) receives each label's unscaled gradients, in the gathered
    order. The other pair kernels take and fill the same.
    """
    for c in prange(scores.shape[0]):
        if factor[c] > 0.0:
            label_loss[c] = factor[c] * _logistic_pairs(scores[c], weights[c], n_pos[c],
                                                        gradients[c], need_grad)


@jit(parallel=True)
def moment_pairs_kernel(scores, weights, n_pos, factor, gradients, clip_gap, label_loss):
    """Pairwise square loss, or AUC-margin loss with ``clip_gap``; as the logistic kernel."""
    for c in prange(scores.shape[0]):
        if factor[c] > 0.0:
            label_loss[c] = factor[c] * _moment_pairs(scores[c], weights[c], n_pos[c],
                                                      gradients[c], clip_gap)


@jit(parallel=True)
def squared_hinge_kernel(scores, weights, n_pos, factor, gradients, label_loss):
    """Pairwise squared hinge loss (positives gathered sorted); as the logistic kernel."""
    for c in prange(scores.shape[0]):
        if factor[c] > 0.0:
            label_loss[c] = factor[c] * _squared_hinge_pairs(scores[c], weights[c], n_pos[c],
                                                             gradients[c])


@jit(parallel=True)
def scatter_labels(order, gradients, factor, grad):
    """grad[c, order[c, k]] = factor[c] * gradients[c, k]: back to the label-major sample order."""
    for c in prange(order.shape[0]):
        for k in range(order.shape[1]):
            grad[c, order[c, k]] = factor[c] * gradients[c, k]


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
