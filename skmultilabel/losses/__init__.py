"""Multi-label losses: small objects with ``loss``, ``gradient`` and ``loss_gradient``.

Select one by name in an estimator (``loss="focal"``) or pass an object.
"""

from ._base import LOSSES, MultiLabelLoss, register_loss, resolve_loss
from ._pointwise import AsymmetricLoss, BinaryCrossEntropy, FocalLoss, WeightedBinaryCrossEntropy

__all__ = [
    "LOSSES",
    "AsymmetricLoss",
    "BinaryCrossEntropy",
    "FocalLoss",
    "MultiLabelLoss",
    "WeightedBinaryCrossEntropy",
    "register_loss",
    "resolve_loss",
]
