"""The linear model's objective split by label: one value and gradient per label.

For the linear model Z = X @ W + b and a label-separable loss, the training
objective of :mod:`._objective` is a sum over labels c of

    F_c(w_c, b_c) = L_c(Z[:, c]) + penalty / 2 * ||w_c||^2,

with L_c label c's share of the loss (its terms in the weighted mean over
samples) and ``penalty`` = alpha / sum_i s_i. Each F_c depends on label c's
parameters only, so the labels are independent problems; one evaluation still
serves all of them at once: one product X @ W, one loss kernel pass (returning
the per-label losses) and one product X.T @ dZ.
"""

import numpy as np
import scipy.sparse as sp

from ._finite import check_finite
from ._mlp import Network

__all__ = ["CACHE_BYTES", "LinearLabelObjective"]

#: Bytes of coefficients the labels evaluated together may take on sparse X
#: (within the 1-2 MiB of a core's L2 cache on current x86 processors).
CACHE_BYTES = 2**20
_MIN_CHUNK = 32


class LinearLabelObjective:
    """Per-label values and gradients of the linear model on a label-separable loss.

    The parameters of the labels being evaluated are the rows of an array of
    shape (n_labels_evaluated, n_features [+ 1]): label c's coefficients, then
    its intercept when the network fits intercepts. :meth:`label_rows` and
    :meth:`set_label_rows` read and write the rows of some labels in the
    network's ``theta``, so that no full-size copy in this layout is needed.

    Parameters
    ----------
    network : Network
        A network without hidden layer.
    loss : MultiLabelLoss
        A loss with ``label_separable = True``.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_labels)
    sample_weight : ndarray of shape (n_samples,)
    pos_weight, neg_weight : ndarray of shape (n_labels,)
    penalty : float or ndarray of shape (n_labels,)
        L2 strength divided by the total sample weight: one for all labels, or
        one per label (column of ``Y``).
    """

    def __init__(self, network, loss, X, Y, sample_weight, pos_weight, neg_weight, penalty):
        self.network = network
        self.loss = loss
        self.X = X
        self.Y = Y
        self.sample_weight = sample_weight
        self.pos_weight = pos_weight
        self.neg_weight = neg_weight
        self.penalty = penalty
        self.fit_intercept = network.fit_intercept
        self._labels = None
        self._ones = np.ones(X.shape[0], dtype=Y.dtype)
        self._chunk_size = _chunk_size(X)

    @property
    def n_labels(self):
        return self.Y.shape[1]

    @property
    def n_label_params(self):
        """Parameters of one label: its coefficients, then its intercept if fitted."""
        return self.X.shape[1] + self.fit_intercept

    def intercept_problems(self):
        """The same labels on no feature: each label's intercept fitted alone."""
        network = Network([0, self.n_labels], "identity", True)
        return LinearLabelObjective(
            network, self.loss, self.X[:, :0], self.Y, self.sample_weight, self.pos_weight,
            self.neg_weight, self.penalty,
        )

    def label_rows(self, theta, labels):
        """The parameter rows of ``labels`` (indices of columns of ``Y``) in ``theta``."""
        coefs, intercepts = self.network.unpack(theta)
        rows = np.empty((labels.shape[0], self.n_label_params), dtype=theta.dtype)
        rows[:, : self.X.shape[1]] = coefs[0][:, labels].T
        if self.fit_intercept:
            rows[:, -1] = intercepts[0][labels]
        return rows

    def set_label_rows(self, theta, labels, rows):
        """Write the parameter rows ``rows`` of ``labels`` into ``theta``, in place."""
        coefs, intercepts = self.network.unpack(theta)
        coefs[0][:, labels] = rows[:, : self.X.shape[1]].T
        if self.fit_intercept:
            intercepts[0][labels] = rows[:, -1]

    def __call__(self, params, labels):
        """Values (shape (k,)) and gradients (shape of ``params``) of labels ``labels``.

        ``params`` has one row per entry of ``labels`` (indices into the
        columns of ``Y``).
        """
        n_features = self.X.shape[1]
        coef = params[:, :n_features]
        values = np.zeros(labels.shape[0])
        grad = np.empty_like(params)
        for chunk, (Y, pos_weight, neg_weight) in self._columns(labels):
            logits = self.X @ coef[chunk].T
            if self.fit_intercept:
                logits += params[chunk, n_features]
            check_finite(logits, "logits")
            delta = np.empty_like(logits)
            self.loss.fill_loss_gradient(
                Y, logits, self.sample_weight, pos_weight, neg_weight, delta, values[chunk]
            )
            grad[chunk, :n_features] = delta.T @ self.X  # faster in BLAS than (X.T @ delta).T
            if self.fit_intercept:
                grad[chunk, n_features] = self._ones @ delta  # BLAS: faster than delta.sum(0)
        penalty = self.penalty
        if np.ndim(penalty):  # one strength per label: a column for the rows of ``labels``
            penalty = penalty[labels][:, None]
        grad[:, :n_features] += penalty * coef
        values += 0.5 * np.reshape(penalty, -1) * np.einsum("ij,ij->i", coef, coef)
        check_finite(values, "loss")
        check_finite(grad, "gradient")
        return values, grad

    def _columns(self, labels):
        """``(chunk, (Y, pos_weight, neg_weight))`` per chunk (a slice of ``labels``), cached.

        For sparse X the labels are evaluated in chunks whose coefficients fit
        :data:`CACHE_BYTES` (at least :data:`_MIN_CHUNK` labels, else in one
        piece): the products with X then read the coefficients from the CPU
        cache (bibtex, 1,836 features: 71 labels a chunk; a
        MultiLabelLossClassifierCV fit 9% faster, the tuner's 7%).
        The target columns and weights of each chunk are gathered once per
        label set.
        """
        if self._labels is None or not np.array_equal(labels, self._labels):
            self._labels = labels.copy()
            self._chunks = [
                (chunk, (np.take(self.Y, labels[chunk], axis=1),  # 7x faster than Y[:, ...]
                         self.pos_weight[labels[chunk]], self.neg_weight[labels[chunk]]))
                for chunk in _chunks(labels.shape[0], self._chunk_size)
            ]
        return self._chunks


def _chunk_size(X):
    """Labels evaluated together on ``X``: all of them, or a cache-sized chunk for sparse X."""
    size = CACHE_BYTES // max(1, X.shape[1] * X.dtype.itemsize)
    return size if sp.issparse(X) and size >= _MIN_CHUNK else None


def _chunks(n_labels, size):
    """Slices of ``range(n_labels)``, ``size`` long (one slice if ``size`` is None)."""
    size = size or max(n_labels, 1)
    return [slice(start, start + size) for start in range(0, n_labels, size)]
