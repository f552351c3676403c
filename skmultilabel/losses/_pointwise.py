"""Pointwise losses: each entry's loss depends on its own logit only."""

from ._base import MultiLabelLoss, register_loss
from ._kernels import bce_kernel

__all__ = ["BinaryCrossEntropy", "WeightedBinaryCrossEntropy"]


@register_loss
class BinaryCrossEntropy(MultiLabelLoss):
    """Binary cross-entropy on each label (the logistic loss).

    l(y, z) = -w_pos * y * log(sigmoid(z)) - w_neg * (1 - y) * log(1 - sigmoid(z))
    """

    name = "bce"

    def _run_kernel(self, Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad):
        return bce_kernel(Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad)


@register_loss
class WeightedBinaryCrossEntropy(BinaryCrossEntropy):
    """Binary cross-entropy whose estimator default is ``class_weight="balanced"``.

    The loss itself is :class:`BinaryCrossEntropy`; selecting ``"weighted_bce"``
    in an estimator makes ``class_weight=None`` mean ``"balanced"``.
    """

    name = "weighted_bce"
    default_class_weight = "balanced"
