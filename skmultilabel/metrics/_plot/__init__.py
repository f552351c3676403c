"""Display objects (matplotlib is imported only when a plot is drawn)."""

from .training_curve import TrainingCurveDisplay

__all__ = ["TrainingCurveDisplay"]
