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
    dloss/dZ    = C Z,   C_ij = (M_ij + M_ji) / T   (C symmetric, zero diagonal),
    dloss/dh_i  = (g_i - (g_i . z_i) z_i) / ||h_i||,   g_i = dloss/dz_i

(the last line is the derivative of the L2 normalisation; 0 for h_i = 0).

Computation. The B x B similarities Z Z^T and the product C Z are two BLAS
calls, so each pair's dot product is taken once; a numba kernel goes from the
similarities to the loss and C: the label overlaps |Y_i & Y_j| are counted
from the samples of each of the anchor's labels (no B x B x L product) and
the Jaccard weight is divided out only for the pairs that share a label; the
exponentials are taken once per pair (below); then the softmax of each row.
Cost: O(B^2 h) in BLAS, O(B^2 + B L + sum_c n_c^2) in the kernel (n_c the
samples of label c in the batch), B (B - 1) / 2 exponentials.

Stability: with m_i = max_{k != i} s_ik,

    LSE_i = c_i + log sum_{k != i} exp(s_ik - c_i),
    L_i   = log (exp(c_i - m_i) sum_{k != i} exp(s_ik - c_i)) + sum_j p_ij (m_i - s_ij),

the last line's terms non-negative (so no large terms cancel), its first
factor's product at most B. The shift c_i is the largest m_k of the batch
when that is within SHIFT_RANGE = 600 of m_i, so that exp(s_ik - c_i) =
exp(s_ki - c_k) serves both rows of the pair, and m_i otherwise (a
temperature below 2 / 600 only); either way no exp overflows, however large
1/T is, and the row's largest term, exp(m_i - c_i) >= exp(-600), is a normal
number. The kernel's sums run in float64 whatever the input dtype (Z, the
BLAS products and C are float64), each in a fixed order; the per-anchor losses
are added in anchor order after the parallel loop, so the result does not
depend on the number of threads of the kernels.
"""

import numbers

import numpy as np

from .._config import jit, prange
from ..utils import check_multilabel_target, check_sample_weights

__all__ = ["contrastive_loss", "contrastive_loss_gradient"]

# a row's shift c_i may exceed its largest similarity m_i by this much: exp(-600) ~ 1e-261
SHIFT_RANGE = 600.0


@jit(parallel=True)
def _normalise_rows(H, Z, norms):
    """Write the L2 norms of the rows of ``H`` into ``norms``, the rows divided by them into Z."""
    n_samples, n_hidden = H.shape
    for i in prange(n_samples):
        total = 0.0
        for d in range(n_hidden):
            total += np.float64(H[i, d]) * np.float64(H[i, d])
        norms[i] = np.sqrt(total)
        for d in range(n_hidden):
            Z[i, d] = H[i, d] / norms[i] if norms[i] > 0.0 else 0.0


@jit
def _label_lists(Y):
    """The labels of each sample and the samples of each label, as two CSR index pairs."""
    n_samples, n_labels = Y.shape
    row_start = np.zeros(n_samples + 1, dtype=np.int64)
    labels = np.empty(n_samples * n_labels, dtype=np.int64)
    column_start = np.zeros(n_labels + 1, dtype=np.int64)
    for k in range(n_samples):
        nnz = row_start[k]
        for c in range(n_labels):
            if Y[k, c] != 0:
                labels[nnz] = c
                nnz += 1
                column_start[c + 1] += 1
        row_start[k + 1] = nnz
    for c in range(n_labels):
        column_start[c + 1] += column_start[c]
    samples = np.empty(row_start[n_samples], dtype=np.int64)
    filled = column_start[:-1].copy()
    for k in range(n_samples):
        for m in range(row_start[k], row_start[k + 1]):
            samples[filled[labels[m]]] = k
            filled[labels[m]] += 1
    return row_start, labels, column_start, samples


@jit(inline="always")
def _largest(x):
    """The largest entry of ``x``, four running maxima at a time (a maximum has no order)."""
    top0 = top1 = top2 = top3 = -np.inf
    n_full = x.shape[0] - x.shape[0] % 4
    for k in range(0, n_full, 4):
        top0 = max(top0, x[k])
        top1 = max(top1, x[k + 1])
        top2 = max(top2, x[k + 2])
        top3 = max(top3, x[k + 3])
    for k in range(n_full, x.shape[0]):
        top0 = max(top0, x[k])
    return max(max(top0, top1), max(top2, top3))


@jit(parallel=True)
def _pair_coefficients(S, Y, sample_weight, inv_temperature):
    """Loss (float64) from the cosine similarities ``S`` = Z Z^T, overwritten with C.

    C_ij = (M_ij + M_ji) / T (symmetric, zero diagonal), so that dloss/dZ = C Z;
    M as in the module docstring. ``S`` symmetric; its upper triangle gives the exponentials.
    """
    n_samples = Y.shape[0]
    row_start, labels, column_start, samples = _label_lists(Y)

    # per row: p_ik (in P), m_i, sum_k p_ik (m_i - s_ik), and whether i has a partner
    P = np.zeros((n_samples, n_samples))
    top = np.full(n_samples, -np.inf)
    spread = np.zeros(n_samples)
    has_partner = np.zeros(n_samples, dtype=np.bool_)
    for i in prange(n_samples):
        for m in range(row_start[i], row_start[i + 1]):  # |Y_i & Y_k|, label by label
            c = labels[m]
            for q in range(column_start[c], column_start[c + 1]):
                P[i, samples[q]] += 1.0
        P[i, i] = 0.0
        size = row_start[i + 1] - row_start[i]
        partners = 0.0
        for k in range(n_samples):
            if P[i, k] > 0.0:  # a_ik; the other pairs share no label (no division)
                P[i, k] = P[i, k] / (size + row_start[k + 1] - row_start[k] - P[i, k])
                partners += P[i, k]
        S[i, i] = -np.inf  # out of the row's maximum; the diagonal is not read again
        top[i] = _largest(S[i]) * inv_temperature
        if partners > 0.0:
            has_partner[i] = True
            inv_partners = 1.0 / partners
            row_spread = 0.0
            for k in range(n_samples):
                if P[i, k] > 0.0:
                    P[i, k] *= inv_partners
                    row_spread += P[i, k] * (top[i] - S[i, k] * inv_temperature)
            spread[i] = row_spread

    # exp(s_ik - c_i), c_i the largest m of the batch when it is within SHIFT_RANGE of m_i (then
    # the pair's exp serves both rows), m_i otherwise; the row's largest term is a normal number
    shift = np.empty(n_samples)
    largest = top.max()
    for i in range(n_samples):
        shift[i] = largest if largest - top[i] <= SHIFT_RANGE else top[i]
    for i in prange(n_samples):  # pair (i, k), k > i: S[i, k] and S[k, i] read, written by i only
        S[i, i] = 0.0
        for k in range(i + 1, n_samples):
            s = S[i, k] * inv_temperature
            S[i, k] = np.exp(s - shift[i])
            S[k, i] = S[i, k] if shift[k] == shift[i] else np.exp(s - shift[k])

    # rows of S become q_ik - p_ik (scaled by G_i below); L_i
    anchor_loss = np.zeros(n_samples)
    for i in prange(n_samples):
        if not has_partner[i]:
            S[i, :] = 0.0
            continue
        sum_exp = 0.0
        for k in range(n_samples):
            sum_exp += S[i, k]
        # sum_k exp(s_ik - m_i) <= n_samples: no overflow
        anchor_loss[i] = np.log(sum_exp * np.exp(shift[i] - top[i])) + spread[i]
        inv_sum = 1.0 / sum_exp
        for k in range(n_samples):
            S[i, k] = S[i, k] * inv_sum - P[i, k]

    total_weight = 0.0
    loss = 0.0
    for i in range(n_samples):
        if has_partner[i]:
            total_weight += sample_weight[i]
            loss += sample_weight[i] * anchor_loss[i]
    if not total_weight > 0.0:
        S[:] = 0.0
        return 0.0
    scale = np.zeros(n_samples)
    for i in range(n_samples):
        if has_partner[i]:
            scale[i] = sample_weight[i] / total_weight * inv_temperature
    for i in prange(n_samples):  # the pair (i, j), j >= i, is read and written by row i only
        for j in range(i, n_samples):
            both = scale[i] * S[i, j] + scale[j] * S[j, i]
            S[i, j] = both
            S[j, i] = both
    return loss / total_weight


@jit(parallel=True)
def _normalisation_backward(G, Z, norms, grad):
    """Write dloss/dH = (g_i - (g_i . z_i) z_i) / ||h_i|| into ``grad``, from G = dloss/dZ."""
    n_samples, n_hidden = G.shape
    for i in prange(n_samples):
        radial = 0.0
        for d in range(n_hidden):
            radial += G[i, d] * Z[i, d]
        for d in range(n_hidden):
            grad[i, d] = (G[i, d] - radial * Z[i, d]) / norms[i] if norms[i] > 0.0 else 0.0


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
    Z = np.empty(H.shape)
    norms = np.empty(H.shape[0])
    _normalise_rows(H, Z, norms)
    coefficients = Z @ Z.T  # the cosine similarities, one BLAS product
    loss = _pair_coefficients(coefficients, Y, sample_weight, 1.0 / temperature)
    _normalisation_backward(coefficients @ Z, Z, norms, grad_out)
    return float(loss)


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
