"""Multi-label resampling for imbalanced-learn pipelines, and imbalance measures."""

from ._measures import cvir, irlbl, max_ir, mean_ir, scumble
from ._mlsmote import MLSMOTE
from ._random import MLROS, MLRUS

__all__ = ["MLROS", "MLRUS", "MLSMOTE", "cvir", "irlbl", "max_ir", "mean_ir", "scumble"]
