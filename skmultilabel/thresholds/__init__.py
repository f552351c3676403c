"""Decision thresholds: exact, cross-validated per-label threshold tuning."""

from ._tuner import PerClassThresholdTuner

__all__ = ["PerClassThresholdTuner"]
