"""Meta-estimators that combine multi-label models: label stacking."""

from ._stacking import LabelStackingClassifier

__all__ = ["LabelStackingClassifier"]
