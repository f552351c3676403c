"""Losses for missing labels: annotators miss positives, so some 0s are unknown 1s.

* :class:`HillLoss` and :class:`SelfPacedLossCorrection` (Zhang et al., 2021)
  make the negative term robust to false negatives.
* :class:`WeakNegatives` ("weak assume negative", Cole et al., 2021) is binary
  cross-entropy whose negative term is down-weighted.
* Label smoothing of the pointwise losses (``label_smoothing``) lives in
  ``_label_smoothing``.

Each loss declares its hyper-parameters' constraints in
``_parameter_constraints`` (see ``_base``): the estimator validates the
parameters it passes on, the loss's checked API those of a loss built by the user.
"""

import copy
import numbers
from numbers import Integral, Real

from ..utils._sklearn_compat import Interval
from ._base import MultiLabelLoss, register_loss
from ._label_smoothing import LABEL_SMOOTHING
from ._missing_labels_kernels import focal_margin_kernel
from ._pointwise import BinaryCrossEntropy

__all__ = ["HillLoss", "SelfPacedLossCorrection", "WeakNegatives"]

_NON_NEGATIVE = Interval(Real, 0, None, closed="left")


@register_loss
class HillLoss(MultiLabelLoss):
    """Hill loss (Zhang et al., 2021): a focal margin positive term, a "hill" negative term.

    ::

        l(y, z) = -y * (1 - p_m) ** gamma * log(p_m) + (1 - y) * (lam - p) * p ** 2,
        p = sigmoid(z),  p_m = sigmoid(z - margin),

    times ``pos_weight[c]`` / ``neg_weight[c]``. The negative term is bounded
    (0.5 at p = 1 for lam = 1.5) and flat at both ends, so a negative that the
    model scores high, often a missing positive, pulls little, while the
    margin and focusing make the positives pull harder.

    Parameters
    ----------
    lam : float, default=1.5
        Height parameter of the negative term, >= 1.5 (the term then grows
        with p; 1.5 gives it a zero slope at p = 1).
    margin : float, default=1.0
        Logit margin of the positive term, >= 0.
    gamma : float, default=2.0
        Focusing parameter of the positive term, >= 0.

    References
    ----------
    Y. Zhang, Y. Cheng, X. Huang, F. Wen, R. Feng, Y. Li and Y. Guo, "Simple and
    Robust Loss Design for Multi-Label Learning with Missing Labels",
    arXiv:2112.07368, 2021 (official code: github.com/xinyu1205/robust-loss-mlml).
    """

    name = "hill"
    label_separable = True
    estimator_params = {"hill_lambda": "lam", "positive_margin": "margin", "gamma": "gamma"}

    _parameter_constraints = {
        "lam": [Interval(Real, 1.5, None, closed="left")],
        "margin": [_NON_NEGATIVE],
        "gamma": [_NON_NEGATIVE],
    }

    def __init__(self, lam=1.5, margin=1.0, gamma=2.0):
        self.lam = lam
        self.margin = margin
        self.gamma = gamma

    def _run_kernel(
        self, Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad, label_loss
    ):
        return focal_margin_kernel(
            Y, raw, sample_weight, pos_weight, neg_weight, float(self.margin), float(self.gamma),
            False, float(self.lam), 0.5, False, grad, need_grad, label_loss,
        )


@register_loss
class SelfPacedLossCorrection(MultiLabelLoss):
    """SPLC (Zhang et al., 2021): focal margin loss whose confident negatives become positives.

    ::

        l(y, z) = -y * (1 - p_m) ** gamma * log(p_m)
                  - (1 - y) * (1 - p) ** gamma * log(p)        if p > tau after warm-up,
                  - (1 - y) * p ** gamma * log(1 - p)          otherwise,

    with p = sigmoid(z), p_m = sigmoid(z - margin); the corrected entries
    weigh ``pos_weight[c]``, the others ``pos_weight[c]`` / ``neg_weight[c]``.
    The correction depends on the training epoch: it is off during the first
    ``warmup`` epochs. The loss therefore needs the epoch: the Adam solver
    gives it (``needs_epoch`` and :meth:`for_epoch`; each ``partial_fit`` call
    is one epoch); L-BFGS, which has no epochs, raises a ValueError. To evaluate the loss
    outside training, call it on ``loss.for_epoch(epoch)``.

    Parameters
    ----------
    tau : float, default=0.6
        Probability above which a negative label is treated as a missing
        positive, in (0, 1).
    warmup : int, default=1
        Number of epochs trained without correction, >= 0 (the official code
        corrects from its second epoch on: ``change_epoch=1``, counted from 0).
    margin : float, default=1.0
        Logit margin of the positive term, >= 0.
    gamma : float, default=2.0
        Focusing parameter of both terms, >= 0.

    References
    ----------
    Zhang et al. (2021), the paper of :class:`HillLoss`.
    """

    name = "splc"
    label_separable = True
    needs_epoch = True
    estimator_params = {
        "splc_tau": "tau", "splc_warmup": "warmup", "positive_margin": "margin", "gamma": "gamma"
    }
    # the epoch set by for_epoch (1 for the first epoch); None: not in training
    _epoch = None

    _parameter_constraints = {
        "tau": [Interval(Real, 0, 1, closed="neither")],
        "warmup": [Interval(Integral, 0, None, closed="left")],
        "margin": [_NON_NEGATIVE],
        "gamma": [_NON_NEGATIVE],
    }

    def __init__(self, tau=0.6, warmup=1, margin=1.0, gamma=2.0):
        self.tau = tau
        self.warmup = warmup
        self.margin = margin
        self.gamma = gamma

    def for_epoch(self, epoch):
        """A copy of this loss for training epoch ``epoch`` (1 for the first); self is unchanged."""
        if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or epoch < 1:
            raise ValueError(f"epoch must be an int >= 1, got {epoch!r}.")
        at_epoch = copy.copy(self)
        at_epoch._epoch = int(epoch)
        return at_epoch

    def _run_kernel(
        self, Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad, label_loss
    ):
        if self._epoch is None:
            raise ValueError(
                "The 'splc' loss corrects labels from one training epoch to the next, so it "
                "needs the epoch: train it with solver='adam' (not L-BFGS, which has no "
                "epochs), or evaluate loss.for_epoch(epoch)."
            )
        return focal_margin_kernel(
            Y, raw, sample_weight, pos_weight, neg_weight, float(self.margin), float(self.gamma),
            True, 1.5, float(self.tau), self._epoch > self.warmup, grad, need_grad, label_loss,
        )


@register_loss
class WeakNegatives(BinaryCrossEntropy):
    """Binary cross-entropy with a down-weighted negative term ("weak assume negative").

    ::

        l(y, z) = -y * log(p) - negative_weight * (1 - y) * log(1 - p),

    times ``pos_weight[c]`` / ``neg_weight[c]``: the standard baseline for
    partial labels, which assumes every unobserved label negative but trusts
    that assumption less (Cole et al. use 1 / (n_labels - 1)). It is
    :class:`BinaryCrossEntropy` with ``fp_cost`` scaled by
    ``negative_weight``, named so that it can be selected and swept as a loss.

    Parameters
    ----------
    negative_weight : float, default=0.1
        Weight of the negative term, in (0, 1].
    label_smoothing : float, default=0.0
        See :class:`BinaryCrossEntropy`.

    References
    ----------
    E. Cole, O. Mac Aodha, T. Lorieul, P. Perona, D. Morris and N. Jojic,
    "Multi-Label Learning from Single Positive Labels", CVPR 2021.
    """

    name = "weak_negatives"
    estimator_params = {"negative_weight": "negative_weight", "label_smoothing": "label_smoothing"}

    _parameter_constraints = {
        "negative_weight": [Interval(Real, 0, 1, closed="right")],
        "label_smoothing": LABEL_SMOOTHING,
    }

    def __init__(self, negative_weight=0.1, label_smoothing=0.0):
        super().__init__(label_smoothing=label_smoothing)
        self.negative_weight = negative_weight

    def _run_kernel(
        self, Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad, label_loss
    ):
        return super()._run_kernel(
            Y, raw, sample_weight, pos_weight, neg_weight * self.negative_weight, grad, need_grad,
            label_loss,
        )
