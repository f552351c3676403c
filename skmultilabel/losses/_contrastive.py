"""Multi-label supervised contrastive loss on a minibatch representation, and its gradient.

For a minibatch of B samples with representations H (B x h, e.g. the last
hidden layer of an MLP, not normalised), labels Y (B x L, 0/1), sample weights
w and temperature T:

    z_i    = h_i / ||h_i||                          (z_i = 0 when h_i = 0)
    s_ik   = z_i . z_k / T
    a_ij   = |Y_i & Y_j| / |Y_i | Y_j|   for j != i  (0 when both label sets are empty)
    A_i    = sum_{j != i} a_ij
    LSE_i  = log sum_{k != i} exp(s_ik)
    L_i    = - sum_{j != i} (a_ij / A_i) (s_ij - LSE_i)          if A_i > 0
    loss   = sum_{i in P} w_i L_i / sum_{i in P} w_i,   P = {i : A_i > 0}

An anchor with no positive partner (A_i = 0: no other sample of the batch
shares one of its labels, in particular a sample without any label) is left
out of the mean; it still serves as a negative in the other anchors'
denominators. The loss is 0 (and so is its gradient) when no anchor of
positive weight has a partner. The weights weigh anchors only.

This is the "L_out" supervised contrastive loss of Khosla et al. (2020),
"Supervised Contrastive Learning", NeurIPS, eq. (2) (positives averaged
outside the log, the softmax over every other sample of the batch), with its
0/1 positive indicator replaced by a graded label overlap, as in the
multi-label variants: Zhang & Wu (2024), "Multi-Label Supervised Contrastive
Learning", AAAI, weigh positives by how much of their label set they share
with the anchor; Audibert, Gauffre & Amini (2024), arXiv:2412.00101, compare
such losses. The Jaccard similarity is the overlap measure chosen here (1 for
identical label sets, 0 for disjoint ones, symmetric): samples that share
more labels are pulled closer, samples with disjoint label sets pushed apart.

Gradient. With p_ij = a_ij / A_i and q_ij = exp(s_ij - LSE_i) (the softmax
over k != i), G_i = w_i / sum_{P} w (0 outside P) and M_ij = G_i (q_ij - p_ij):

    dloss/ds_ij = M_ij,
    dloss/dz_i  = (1 / T) sum_j (M_ij + M_ji) z_j,
    dloss/dh_i  = (g_i - (g_i . z_i) z_i) / ||h_i||,   g_i = dloss/dz_i

(the last line is the derivative of the L2 normalisation; 0 for h_i = 0).

Stability: with m_i = max_{k != i} s_ik, LSE_i = m_i + log sum_k exp(s_ik - m_i)
and L_i = log sum_k exp(s_ik - m_i) + sum_j p_ij (m_i - s_ij), every term
non-negative, so no exp overflows however large 1/T is and no large terms
cancel. Sums run in float64 whatever the input dtype; the per-anchor losses
are added in anchor order after the parallel loop, so the result does not
depend on the number of threads. Cost: O(B^2 h + B nnz(Y) + B L) per batch
(the label overlaps visit the anchor's labels only), no Python loop over pairs.
"""

import numbers

import numpy as np

from .._config import jit, prange
from ..utils import check_multilabel_target, check_sample_weights

__all__ = ["contrastive_loss", "contrastive_loss_gradient"]


@jit(parallel=True)
def _contrastive_kernel(H, Y, sample_weight, inv_temperature, grad):
    """Loss (float64); writes dloss/dH into ``grad``. See the module docstring."""
    n_samples, n_hidden = H.shape
    n_labels = Y.shape[1]
    Z = np.zeros((n_samples, n_hidden))
    norms = np.zeros(n_samples)
    counts = np.zeros(n_samples)
    for i in prange(n_samples):
        total = 0.0
        for d in range(n_hidden):
            total += np.float64(H[i, d]) * np.float64(H[i, d])
        norms[i] = np.sqrt(total)
        if norms[i] > 0.0:
            for d in range(n_hidden):
                Z[i, d] = H[i, d] / norms[i]
        labels = 0.0
        for c in range(n_labels):
            labels += Y[i, c]
        counts[i] = labels

    # transposed copies: the inner loops below run over samples k, element-wise (SIMD), and
    # every sum over d or c is taken in index order
    ZT = np.ascontiguousarray(Z.T)
    YT = np.zeros((n_labels, n_samples))
    for k in range(n_samples):
        for c in range(n_labels):
            YT[c, k] = Y[k, c]

    # M holds q_ij - p_ij per anchor row (scaled by G_i below); L_i, and whether i has a partner
    M = np.zeros((n_samples, n_samples))
    anchor_loss = np.zeros(n_samples)
    has_partner = np.zeros(n_samples, dtype=np.bool_)
    for i in prange(n_samples):
        # the partners first: an anchor without any needs no similarity
        shared = np.zeros(n_samples)
        for c in range(n_labels):
            if Y[i, c] != 0:
                for k in range(n_samples):
                    shared[k] += YT[c, k]
        a = np.zeros(n_samples)
        partners = 0.0
        for k in range(n_samples):
            union = counts[i] + counts[k] - shared[k]
            if k != i and union > 0.0:
                a[k] = shared[k] / union
                partners += a[k]
        if not partners > 0.0:
            continue
        s = np.zeros(n_samples)
        for d in range(n_hidden):
            z_id = Z[i, d]
            for k in range(n_samples):
                s[k] += z_id * ZT[d, k]
        top = -np.inf
        for k in range(n_samples):
            if k != i:
                s[k] *= inv_temperature
                top = max(top, s[k])
        has_partner[i] = True
        shifted = np.empty(n_samples)  # exp(s_ik - m_i), computed once
        sum_exp = 0.0
        for k in range(n_samples):
            if k != i:
                shifted[k] = np.exp(s[k] - top)
                sum_exp += shifted[k]
        spread = 0.0
        for k in range(n_samples):
            if k != i:
                p = a[k] / partners
                spread += p * (top - s[k])
                M[i, k] = shifted[k] / sum_exp - p
        log_sum = np.log(sum_exp)
        anchor_loss[i] = log_sum + spread

    total_weight = 0.0
    loss = 0.0
    for i in range(n_samples):
        if has_partner[i]:
            total_weight += sample_weight[i]
            loss += sample_weight[i] * anchor_loss[i]
    if not total_weight > 0.0:
        grad[:] = 0.0
        return 0.0
    scale = np.zeros(n_samples)
    for i in range(n_samples):
        if has_partner[i]:
            scale[i] = sample_weight[i] / total_weight

    for i in prange(n_samples):
        g = np.zeros(n_hidden)
        for j in range(n_samples):
            both = (scale[i] * M[i, j] + scale[j] * M[j, i]) * inv_temperature
            if both != 0.0:
                for d in range(n_hidden):
                    g[d] += both * Z[j, d]
        if norms[i] > 0.0:
            radial = 0.0
            for d in range(n_hidden):
                radial += g[d] * Z[i, d]
            for d in range(n_hidden):
                grad[i, d] = (g[d] - radial * Z[i, d]) / norms[i]
        else:
            for d in range(n_hidden):
                grad[i, d] = 0.0
    return loss / total_weight


def contrastive_loss_gradient(H, Y, sample_weight, temperature, grad_out):
    """Loss and gradient of the multi-label contrastive term, unchecked (the solvers' entry point).

    Preconditions (not checked): ``H`` a C-contiguous float32 or float64 array
    (n_samples, n_hidden), finite; ``Y`` a C-contiguous 0/1 array (n_samples,
    n_labels) of ``H``'s dtype; ``sample_weight`` a C-contiguous non-negative
    finite array (n_samples,) of ``H``'s dtype; ``temperature`` a positive
    float; ``grad_out`` a C-contiguous array of ``H``'s shape and dtype, not
    overlapping the inputs.

    Parameters
    ----------
    H, Y, sample_weight, temperature :
        As in :func:`contrastive_loss`.
    grad_out : ndarray of shape (n_samples, n_hidden)
        Overwritten with dloss/dH.

    Returns
    -------
    loss : float
    """
    return float(_contrastive_kernel(H, Y, sample_weight, 1.0 / temperature, grad_out))


def contrastive_loss(H, Y, sample_weight=None, *, temperature=0.1):
    """Multi-label supervised contrastive loss of a batch representation, with its gradient.

    For every anchor, the other samples of the batch are positives in
    proportion to the Jaccard similarity of their label sets; the
    representation is L2-normalised first. The formula and its reference are
    in the user guide (:doc:`/user_guide/label_dependencies`); the gradient's
    derivation in the docstring of the module ``skmultilabel.losses._contrastive``.

    Parameters
    ----------
    H : ndarray of shape (n_samples, n_hidden), float32 or float64
        Representation of the batch (not normalised).
    Y : {array-like, sparse matrix} of shape (n_samples, n_labels)
        0/1 label indicator matrix.
    sample_weight : array-like of shape (n_samples,), default=None
        Weight of each sample as an anchor.
    temperature : float, default=0.1
        Positive temperature T of the similarities z_i . z_j / T.

    Returns
    -------
    loss : float
    gradient : ndarray of shape (n_samples, n_hidden), of ``H``'s dtype
        dloss/dH.
    """
    if not isinstance(H, np.ndarray) or H.dtype not in (np.float32, np.float64):
        raise TypeError(
            f"H must be a float32 or float64 ndarray, got {type(H).__name__} "
            f"of dtype {getattr(H, 'dtype', None)}."
        )
    if H.ndim != 2 or H.shape[0] == 0 or H.shape[1] == 0:
        raise ValueError(
            f"H must be a non-empty 2-D array (n_samples, n_hidden), got shape {H.shape}."
        )
    if not np.all(np.isfinite(H)):
        raise ValueError("H contains NaN or infinity.")
    if (not isinstance(temperature, numbers.Real) or isinstance(temperature, bool)
            or not np.isfinite(temperature) or temperature <= 0):
        raise ValueError(f"temperature must be a positive finite number, got {temperature!r}.")
    Y = check_multilabel_target(Y, n_samples=H.shape[0], dtype=H.dtype, allow_1d=False)
    sample_weight = check_sample_weights(sample_weight, H.shape[0], dtype=H.dtype)
    H = np.ascontiguousarray(H)
    gradient = np.empty_like(H)
    loss = contrastive_loss_gradient(H, Y, sample_weight, float(temperature), gradient)
    return loss, gradient
