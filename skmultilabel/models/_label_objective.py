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

from ._finite import check_finite
from ._mlp import Network

__all__ = ["LinearLabelObjective"]


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
        Y, pos_weight, neg_weight = self._columns(labels)
        coef = params[:, :n_features]
        logits = self.X @ coef.T
        if self.fit_intercept:
            logits += params[:, n_features]
        check_finite(logits, "logits")
        delta = np.empty_like(logits)
        values = np.zeros(labels.shape[0])
        self.loss.fill_loss_gradient(
            Y, logits, self.sample_weight, pos_weight, neg_weight, delta, values
        )
        penalty = self.penalty
        if np.ndim(penalty):  # one strength per label: a column for the rows of ``labels``
            penalty = penalty[labels][:, None]
        grad = np.empty_like(params)
        grad[:, :n_features] = delta.T @ self.X  # faster in BLAS than (X.T @ delta).T
        grad[:, :n_features] += penalty * coef
        if self.fit_intercept:
            grad[:, n_features] = self._ones @ delta  # a BLAS product: faster than delta.sum(0)
        values += 0.5 * np.reshape(penalty, -1) * np.einsum("ij,ij->i", coef, coef)
        check_finite(values, "loss")
        check_finite(grad, "gradient")
        return values, grad

    def _columns(self, labels):
        """Target columns and label weights of ``labels``, cached for the last label set."""
        if self._labels is None or not np.array_equal(labels, self._labels):
            self._labels = labels.copy()
            self._subset = (
                np.ascontiguousarray(self.Y[:, labels]),
                self.pos_weight[labels],
                self.neg_weight[labels],
            )
        return self._subset
