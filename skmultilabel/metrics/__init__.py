"""Plots for multi-label models: threshold curves and training curves."""

from ._plot import ThresholdCurveDisplay, TrainingCurveDisplay

__all__ = ["ThresholdCurveDisplay", "TrainingCurveDisplay"]
