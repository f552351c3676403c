"""Plots for multi-label models: threshold curves and training curves."""

from ._plot import ClassifierCVDisplay, ThresholdCurveDisplay, TrainingCurveDisplay

__all__ = ["ClassifierCVDisplay", "ThresholdCurveDisplay", "TrainingCurveDisplay"]
