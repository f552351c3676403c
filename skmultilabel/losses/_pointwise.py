"""Pointwise losses: each entry's loss depends on its own logit only.

All of them are members of one family, the asymmetric focal cross-entropy
computed by :func:`~skmultilabel.losses._kernels.modulated_kernel`; class
weights and false-negative / false-positive costs enter as the per-label
``pos_weight`` / ``neg_weight`` arrays. Each takes ``label_smoothing``
(see ``_label_smoothing``): its kernel then sees the smoothed soft targets.
"""

from numbers import Real

import numpy as np

from ..utils._sklearn_compat import Interval
from ._base import MultiLabelLoss, register_loss
from ._kernels import _ROW_BLOCK, modulated_kernel
from ._label_smoothing import LABEL_SMOOTHING, smooth_targets

__all__ = ["AsymmetricLoss", "BinaryCrossEntropy", "FocalLoss", "WeightedBinaryCrossEntropy"]


def _modulated(Y, raw, sample_weight, pos_weight, neg_weight, gamma_pos, gamma_neg, clip, grad,
               need_grad, label_loss):
    """:func:`modulated_kernel`; all three focusing parameters 0 (BCE) are passed as ``None``.

    The kernel is then compiled for binary cross-entropy alone (a shorter first fit).
    """
    if gamma_pos == 0.0 and gamma_neg == 0.0 and clip == 0.0:
        gamma_pos = gamma_neg = clip = None
    n_blocks = -(-raw.shape[0] // _ROW_BLOCK)
    return modulated_kernel(Y, raw, sample_weight, pos_weight, neg_weight, gamma_pos, gamma_neg,
                            clip, grad, need_grad, label_loss, np.zeros((n_blocks, raw.shape[1])))

_NON_NEGATIVE = Interval(Real, 0, None, closed="left")


@register_loss
class BinaryCrossEntropy(MultiLabelLoss):
    """Binary cross-entropy on each label (the logistic loss).

    l(y, z) = -w_pos * y * log(sigmoid(z)) - w_neg * (1 - y) * log(1 - sigmoid(z))

    Parameters
    ----------
    label_smoothing : float, default=0.0
        In [0, 0.5): the targets become y * (1 - label_smoothing) + label_smoothing / 2.
    """

    name = "bce"
    label_separable = True
    label_smoothing = 0.0  # also for subclasses whose __init__ does not call this one
    estimator_params = {"label_smoothing": "label_smoothing"}
    _parameter_constraints = {"label_smoothing": LABEL_SMOOTHING}

    def __init__(self, label_smoothing=0.0):
        self.label_smoothing = label_smoothing

    def _run_kernel(
        self, Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad, label_loss
    ):
        Y = smooth_targets(Y, self.label_smoothing)
        return _modulated(Y, raw, sample_weight, pos_weight, neg_weight, 0.0, 0.0, 0.0,
                          grad, need_grad, label_loss)


@register_loss
class WeightedBinaryCrossEntropy(BinaryCrossEntropy):
    """Binary cross-entropy whose estimator default is ``class_weight="balanced"``.

    The loss itself is :class:`BinaryCrossEntropy`; selecting ``"weighted_bce"``
    in an estimator makes ``class_weight=None`` mean ``"balanced"``.
    """

    name = "weighted_bce"
    default_class_weight = "balanced"


@register_loss
class FocalLoss(MultiLabelLoss):
    """Focal loss (Lin et al., 2017) on each label, both terms modulated.

    ::

        l(y, z) = -a_pos * y * (1 - p) ** gamma * log(p)
                  - a_neg * (1 - y) * p ** gamma * log(1 - p),     p = sigmoid(z),

    times ``pos_weight[c]`` / ``neg_weight[c]``. Well-classified entries of
    both kinds are down-weighted; gamma=0 without alpha is binary cross-entropy.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, >= 0.
    alpha : None, float in [0, 1] or array-like of shape (n_labels,), default=None
        Class-balance factor: the positive term is multiplied by alpha and the
        negative term by 1 - alpha (per label for an array). None weights
        both terms by 1.
    label_smoothing : float, default=0.0
        See :class:`BinaryCrossEntropy`.

    References
    ----------
    T.-Y. Lin, P. Goyal, R. Girshick, K. He and P. Dollar, "Focal Loss for
    Dense Object Detection", ICCV 2017.
    """

    name = "focal"
    label_separable = True
    label_smoothing = 0.0  # also for subclasses whose __init__ does not call this one
    estimator_params = {
        "gamma": "gamma", "focal_alpha": "alpha", "label_smoothing": "label_smoothing"
    }
    _parameter_constraints = {
        "gamma": [_NON_NEGATIVE],
        "alpha": [Interval(Real, 0, 1, closed="both"), "array-like", None],
        "label_smoothing": LABEL_SMOOTHING,
    }

    def __init__(self, gamma=2.0, alpha=None, label_smoothing=0.0):
        self.gamma = gamma
        self.alpha = alpha
        self.label_smoothing = label_smoothing

    def validate_params(self):
        """Check ``gamma`` and ``alpha`` (a float in [0, 1], an array of them, or None)."""
        super().validate_params()
        _check_alpha(self.alpha)

    def check_n_labels(self, n_labels):
        """Raise a ValueError unless an array ``alpha`` has ``n_labels`` entries."""
        _alpha_per_label(self.alpha, n_labels, np.float64)

    def _run_kernel(
        self, Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad, label_loss
    ):
        if self.alpha is not None:
            alpha = _alpha_per_label(self.alpha, raw.shape[1], raw.dtype)
            pos_weight = pos_weight * alpha
            neg_weight = neg_weight * (1.0 - alpha)
        gamma = float(self.gamma)
        Y = smooth_targets(Y, self.label_smoothing)
        return _modulated(Y, raw, sample_weight, pos_weight, neg_weight, gamma, gamma, 0.0,
                          grad, need_grad, label_loss)


@register_loss
class AsymmetricLoss(MultiLabelLoss):
    """Asymmetric loss, ASL (Ben-Baruch et al., 2021), on each label.

    ::

        l(y, z) = -y * (1 - p) ** gamma_pos * log(p)
                  - (1 - y) * m ** gamma_neg * log(1 - m),    m = max(p - clip, 0),

    times ``pos_weight[c]`` / ``neg_weight[c]``. The probability margin
    ``clip`` discards easy negatives (p <= clip) entirely. Gammas 0 and clip 0
    give binary cross-entropy.

    Parameters
    ----------
    gamma_pos : float, default=0.0
        Focusing parameter of the positive term, >= 0.
    gamma_neg : float, default=4.0
        Focusing parameter of the negative term, >= 0.
    clip : float, default=0.05
        Probability margin of the negative term, in [0, 1).
    label_smoothing : float, default=0.0
        See :class:`BinaryCrossEntropy`.

    References
    ----------
    E. Ben-Baruch, T. Ridnik, N. Zamir, A. Noy, I. Friedman, M. Protter and
    L. Zelnik-Manor, "Asymmetric Loss For Multi-Label Classification", ICCV 2021.
    """

    name = "asymmetric"
    label_separable = True
    label_smoothing = 0.0  # also for subclasses whose __init__ does not call this one
    estimator_params = {
        "gamma_pos": "gamma_pos", "gamma_neg": "gamma_neg", "clip": "clip",
        "label_smoothing": "label_smoothing",
    }

    _parameter_constraints = {
        "gamma_pos": [_NON_NEGATIVE],
        "gamma_neg": [_NON_NEGATIVE],
        "clip": [Interval(Real, 0, 1, closed="left")],
        "label_smoothing": LABEL_SMOOTHING,
    }

    def __init__(self, gamma_pos=0.0, gamma_neg=4.0, clip=0.05, label_smoothing=0.0):
        self.gamma_pos = gamma_pos
        self.gamma_neg = gamma_neg
        self.clip = clip
        self.label_smoothing = label_smoothing

    def _run_kernel(
        self, Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad, label_loss
    ):
        return _modulated(
            smooth_targets(Y, self.label_smoothing), raw, sample_weight, pos_weight, neg_weight,
            float(self.gamma_pos), float(self.gamma_neg), float(self.clip), grad, need_grad,
            label_loss,
        )


def _check_alpha(alpha):
    """Validate an array focal ``alpha``: a non-empty 1-D array of reals in [0, 1]."""
    if alpha is None or isinstance(alpha, Real):
        return  # the scalar cases are checked by the constraints
    values = np.asarray(alpha)
    if values.dtype.kind not in "biuf" or values.dtype.kind == "b":
        raise TypeError(
            f"alpha must be None, a float in [0, 1] or an array of them, got dtype {values.dtype}."
        )
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"alpha must be a scalar or a non-empty 1-D array, got shape {values.shape}."
        )
    if not np.all((values >= 0) & (values <= 1)):
        raise ValueError(f"alpha must lie in [0, 1], got {values.tolist()[:10]}.")


def _alpha_per_label(alpha, n_labels, dtype):
    """The focal ``alpha`` as an array of shape (n_labels,)."""
    values = np.asarray(alpha, dtype=dtype)
    if values.ndim == 0:
        return np.full(n_labels, values, dtype=dtype)
    if values.shape != (n_labels,):
        raise ValueError(f"alpha has {values.shape[0]} entries, but there are {n_labels} labels.")
    return values
