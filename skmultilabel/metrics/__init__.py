"""Plots for multi-label models: threshold curves and training curves."""

from ._plot import TrainingCurveDisplay

__all__ = ["TrainingCurveDisplay"]
