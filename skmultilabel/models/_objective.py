"""The training objective: a multi-label loss plus an L2 penalty on the coefficients.

    F(theta) = sum_i s_i sum_c l_c(Y[i, c], Z[i, c]) / sum_i s_i
               + alpha / (2 * sum_i s_i) * ||W||^2

with Z the network's logits, s the sample weights and W every coefficient
(intercepts are not penalised). Dividing the penalty by the total sample
weight makes alpha=1 with the binary cross-entropy exactly scikit-learn's
LogisticRegression(C=1) on each label, and a sample weight of 2 the same as
a duplicated row. On a minibatch B of b of the n rows the value and gradient
are the unbiased estimates in which the loss term becomes
(n / b) * sum_{i in B} s_i sum_c l_c / sum_i s_i.

With ``normalize_gradient`` the rows of dL/dZ are rescaled before the back
propagation (see ``_training_options``): the value is still F, the gradient
is no longer dF/dtheta, only a descent direction for Adam.
"""

import numpy as np

from ..utils import all_finite
from ._training_options import normalize_rows

__all__ = ["Objective"]


class Objective:
    """Value and gradient of F for the solvers.

    Parameters
    ----------
    network : Network
    loss : MultiLabelLoss
    pos_weight, neg_weight : ndarray of shape (n_labels,)
    alpha : float
        L2 strength.
    n_samples : int
        Number of training rows (n above).
    total_weight : float
        sum_i s_i over the training rows.
    normalize_gradient : bool, default=False
        Rescale each sample's row of dL/dZ to the L2 norm s_i / sum_j s_j.
    """

    def __init__(
        self, network, loss, pos_weight, neg_weight, alpha, n_samples, total_weight,
        normalize_gradient=False,
    ):
        self.network = network
        self.loss = loss
        self.static_weights = (pos_weight, neg_weight)
        self.pos_weight = pos_weight
        self.neg_weight = neg_weight
        self.normalize_gradient = normalize_gradient
        self.penalty = alpha / total_weight
        self.n_samples = n_samples
        self.total_weight = total_weight

    def value_gradient(self, theta, X, Y, sample_weight, grad=None):
        """F (or its minibatch estimate on the rows given) and dF/dtheta.

        ``grad``, when given, is filled and returned instead of a new array.
        """
        network = self.network
        coefs, intercepts = network.unpack(theta)
        outputs = network.forward(X, coefs, intercepts)
        check_finite(outputs[-1], "logits")
        batch_weight = sample_weight.sum()
        if batch_weight > 0:
            value, delta = self.loss.loss_gradient(
                Y, outputs[-1], sample_weight, self.pos_weight, self.neg_weight, check_input=False
            )
        else:  # a minibatch of zero-weight rows: no loss term
            value, delta = 0.0, np.zeros_like(outputs[-1])
        n_rows = Y.shape[0]
        if n_rows != self.n_samples:
            scale = batch_weight * self.n_samples / (n_rows * self.total_weight)
            value *= scale
            delta *= scale
        if self.normalize_gradient:
            normalize_rows(delta, sample_weight * (self.n_samples / (n_rows * self.total_weight)))
        if grad is None:
            grad = np.empty_like(theta)
        grad_coefs, grad_intercepts = network.unpack(grad)
        network.backward(X, outputs, coefs, delta, grad_coefs, grad_intercepts)
        coef = theta[: network.n_coef]
        value += 0.5 * self.penalty * float(coef @ coef)
        grad[: network.n_coef] += self.penalty * coef
        check_finite(value, "loss")
        check_finite(grad, "gradient")
        return value, grad

    def set_label_weights(self, label_weight):
        """Multiply the static per-label weights by ``label_weight`` (dynamic weighting)."""
        pos_weight, neg_weight = self.static_weights
        self.pos_weight = pos_weight * label_weight
        self.neg_weight = neg_weight * label_weight

    def mean_loss(self, theta, X, Y, sample_weight):
        """The loss term alone (no penalty, static label weights) on the given rows."""
        return self.loss.loss(
            Y, self.logits(theta, X), sample_weight, *self.static_weights, check_input=False
        )

    def logits(self, theta, X):
        """The network's output Z on the given rows."""
        coefs, intercepts = self.network.unpack(theta)
        logits = self.network.forward(X, coefs, intercepts)[-1]
        check_finite(logits, "logits")
        return logits


def check_finite(values, what):
    """Stop training with a clear error as soon as ``values`` hold NaN or infinity."""
    if not all_finite(values):
        raise ValueError(
            f"Training diverged: the {what} became NaN or infinite, so training stopped and "
            "no coefficients were stored. Scale the features (e.g. StandardScaler), lower "
            "learning_rate_init or increase alpha."
        )
