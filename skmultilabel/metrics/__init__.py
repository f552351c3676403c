"""Plots for multi-label models (threshold curves, training curves) and a gain-matrix metric."""

from ..thresholds._count_metrics import confusion_gain_score
from ._plot import ClassifierCVDisplay, ThresholdCurveDisplay, TrainingCurveDisplay

__all__ = [
    "ClassifierCVDisplay", "ThresholdCurveDisplay", "TrainingCurveDisplay", "confusion_gain_score",
]
