"""Display objects (matplotlib is imported only when a plot is drawn)."""

from .classifier_cv import ClassifierCVDisplay
from .threshold_curve import ThresholdCurveDisplay
from .training_curve import TrainingCurveDisplay

__all__ = ["ClassifierCVDisplay", "ThresholdCurveDisplay", "TrainingCurveDisplay"]
