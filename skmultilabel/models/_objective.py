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

The objective is what the estimator hands to a solver, and it states what it
offers (see :mod:`._solvers` for what each solver requires):

* ``value_gradient``: F and dF/dtheta on all rows or a minibatch;
* ``separable_by_label``: True when F is a sum of independent per-label
  problems (the linear model on a label-separable loss, with no option that
  couples the labels); ``label_problems`` then gives them, for the per-label
  L-BFGS;
* ``start_epoch`` and ``end_epoch``: what changes between epochs of a
  stochastic solver (a loss that corrects labels from the epoch on, SPLC;
  dynamic label weights); the objective updates itself, no one else mutates it.

With ``contrastive_weight`` lambda > 0 (an MLP trained on minibatches), the
minibatch objective adds lambda times the multi-label supervised contrastive
loss of the batch's last hidden representation
(:func:`skmultilabel.losses.contrastive_loss`): a per-batch term, not scaled by
n / b, whose gradient with respect to the hidden layer joins the back
propagation.

With ``normalize_gradient`` the rows of dL/dZ are rescaled before the back
propagation (see ``_training_options``): the value is still F, the gradient
is no longer dF/dtheta, only a descent direction for Adam.

Everything is computed in the dtype of the parameters (float32 or float64),
through the loss's unchecked entry point (``fill_loss_gradient``): the label
and sample weights are converted once, here, and the logit-shaped buffers are
reused between calls.
"""

import numpy as np

from ..losses._contrastive import contrastive_loss_gradient
from ._finite import check_finite
from ._label_objective import LinearLabelObjective
from ._training_options import label_difficulty, normalize_rows

__all__ = ["Objective"]


class Objective:
    """Value and gradient of F for the solvers.

    Parameters
    ----------
    network : Network
        The model: the map from ``theta`` to the logits.
    loss : MultiLabelLoss
        A loss whose hyperparameters are valid for the target's number of labels.
    pos_weight, neg_weight : ndarray of shape (n_labels,)
        Static per-label weights of the positive and negative terms.
    alpha : float
        L2 strength.
    n_samples : int
        Number of training rows (n above).
    total_weight : float
        sum_i s_i over the training rows.
    normalize_gradient : bool, default=False
        Rescale each sample's row of dL/dZ to the L2 norm s_i / sum_j s_j.
    dynamic_weights : DynamicLabelWeights, default=None
        Difficulty-driven label weights, updated by :meth:`end_epoch`.
    dtype : {np.float64, np.float32}, default=np.float64
        The dtype of ``theta``, of the data and of every computation.
    contrastive_weight : float, default=0.0
        lambda of the contrastive term (a network with a hidden layer only).
    contrastive_temperature : float, default=0.1
        Temperature of the contrastive term.
    """

    def __init__(
        self, network, loss, pos_weight, neg_weight, alpha, n_samples, total_weight,
        normalize_gradient=False, dynamic_weights=None, dtype=np.float64,
        contrastive_weight=0.0, contrastive_temperature=0.1,
    ):
        self.network = network
        self.loss = loss
        self.dtype = np.dtype(dtype)
        self.static_weights = (
            np.asarray(pos_weight, dtype=self.dtype), np.asarray(neg_weight, dtype=self.dtype)
        )
        self.pos_weight, self.neg_weight = self.static_weights
        self.normalize_gradient = normalize_gradient
        self.dynamic_weights = dynamic_weights
        if dynamic_weights is not None:
            self._reweight(dynamic_weights.weights)
        self.contrastive_weight = contrastive_weight
        self.contrastive_temperature = contrastive_temperature
        self.penalty = alpha / total_weight
        self.n_samples = n_samples
        self.total_weight = total_weight
        self._buffers = {}

    @property
    def separable_by_label(self):
        """Whether F is a sum of independent per-label problems (see :meth:`label_problems`)."""
        return (
            len(self.network.coef_shapes) == 1
            and self.loss.label_separable
            and not self.normalize_gradient
            and self.dynamic_weights is None
        )

    def label_problems(self, X, Y, sample_weight):
        """The per-label problems of a separable objective on these rows."""
        if not self.separable_by_label:
            raise ValueError("This objective is not a sum of independent per-label problems.")
        return LinearLabelObjective(
            self.network, self.loss, X, Y, sample_weight, self.pos_weight, self.neg_weight,
            self.penalty,
        )

    def value_gradient(self, theta, X, Y, sample_weight, grad=None):
        """F (or its minibatch estimate on the rows given) and dF/dtheta.

        ``grad``, when given, is filled and returned instead of a new array.
        """
        network = self.network
        coefs, intercepts = network.unpack(theta)
        outputs = network.forward(X, coefs, intercepts)
        check_finite(outputs[-1], "logits")
        delta, label_loss = self._buffers_for(outputs[-1].shape)
        batch_weight = sample_weight.sum()
        if batch_weight > 0:
            value = self.loss.fill_loss_gradient(
                Y, outputs[-1], sample_weight, self.pos_weight, self.neg_weight, delta, label_loss
            )
        else:  # a minibatch of zero-weight rows: no loss term
            value = 0.0
            delta[...] = 0.0
        n_rows = Y.shape[0]
        if n_rows != self.n_samples:
            scale = batch_weight * self.n_samples / (n_rows * self.total_weight)
            value *= scale
            delta *= scale
        if self.normalize_gradient:
            normalize_rows(delta, sample_weight * (self.n_samples / (n_rows * self.total_weight)))
        hidden_delta = None
        if self.contrastive_weight > 0.0:
            hidden = outputs[-2]
            hidden_delta = np.empty_like(hidden)
            value += self.contrastive_weight * contrastive_loss_gradient(
                hidden, Y, sample_weight, self.contrastive_temperature, hidden_delta
            )
            hidden_delta *= self.contrastive_weight
        if grad is None:
            grad = np.empty_like(theta)
        grad_coefs, grad_intercepts = network.unpack(grad)
        network.backward(X, outputs, coefs, delta, grad_coefs, grad_intercepts, hidden_delta)
        coef = theta[: network.n_coef]
        value += 0.5 * self.penalty * float(coef @ coef)
        grad[: network.n_coef] += self.penalty * coef
        check_finite(value, "loss")
        check_finite(grad, "gradient")
        return value, grad

    def start_epoch(self, number):
        """Set what depends on the epoch: a ``needs_epoch`` loss (SPLC) for epoch ``number``."""
        if getattr(self.loss, "needs_epoch", False):
            self.loss = self.loss.for_epoch(number)

    def end_epoch(self, theta, X, Y, sample_weight):
        """Update what depends on the epoch: the dynamic label weights, from these rows."""
        if self.dynamic_weights is None:
            return
        difficulty = label_difficulty(self.loss, Y, self.logits(theta, X), sample_weight)
        self._reweight(self.dynamic_weights.update(difficulty))

    def _reweight(self, label_weight):
        """Multiply the static per-label weights by ``label_weight``."""
        pos_weight, neg_weight = self.static_weights
        self.pos_weight = (pos_weight * label_weight).astype(self.dtype)
        self.neg_weight = (neg_weight * label_weight).astype(self.dtype)

    def mean_loss(self, theta, X, Y, sample_weight):
        """The loss term alone (no penalty, static label weights) on the given rows."""
        logits = self.logits(theta, X)
        _, label_loss = self._buffers_for(logits.shape)
        return self.loss.fill_loss_gradient(
            Y, logits, sample_weight, *self.static_weights, None, label_loss
        )

    def logits(self, theta, X):
        """The network's output Z on the given rows."""
        coefs, intercepts = self.network.unpack(theta)
        logits = self.network.forward(X, coefs, intercepts)[-1]
        check_finite(logits, "logits")
        return logits

    def _buffers_for(self, shape):
        """The dL/dZ buffer and the per-label loss buffer for logits of this shape."""
        if shape not in self._buffers:
            self._buffers[shape] = (np.empty(shape, dtype=self.dtype), np.zeros(shape[1]))
        return self._buffers[shape]

