"""Multi-label losses: small objects with ``loss``, ``gradient`` and ``loss_gradient``.

Select one by name in an estimator (``loss="focal"``) or pass an object.
"""

from ._base import LOSSES, MultiLabelLoss, register_loss, resolve_loss
from ._contrastive import contrastive_loss
from ._pointwise import (
    AsymmetricLoss,
    BinaryCrossEntropy,
    FocalLoss,
    WeightedBinaryCrossEntropy,
)
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
    "LabelRankingLoss",
    "MultiLabelLoss",
    "PairwiseLogistic",
    "PairwiseSquare",
    "PairwiseSquaredHinge",
    "WeightedBinaryCrossEntropy",
    "contrastive_loss",
    "register_loss",
    "resolve_loss",
]
