"""Multi-label losses: small objects with ``loss``, ``gradient`` and ``loss_gradient``.

Select one by name in an estimator (``loss="focal"``) or pass an object.
"""

from ._base import LOSSES, MultiLabelLoss, register_loss, resolve_loss
from ._contrastive import contrastive_loss
from ._missing_labels import HillLoss, SelfPacedLossCorrection, WeakNegatives
from ._pointwise import AsymmetricLoss, BinaryCrossEntropy, FocalLoss, WeightedBinaryCrossEntropy
from ._ranking import (
    AUCMargin,
    LabelRankingLoss,
    PairwiseLogistic,
    PairwiseSquare,
    PairwiseSquaredHinge,
)

__all__ = [
    "LOSSES",
    "AUCMargin",
    "AsymmetricLoss",
    "BinaryCrossEntropy",
    "FocalLoss",
    "HillLoss",
    "LabelRankingLoss",
    "MultiLabelLoss",
    "PairwiseLogistic",
    "PairwiseSquare",
    "PairwiseSquaredHinge",
    "SelfPacedLossCorrection",
    "WeakNegatives",
    "WeightedBinaryCrossEntropy",
    "contrastive_loss",
    "register_loss",
    "resolve_loss",
]
