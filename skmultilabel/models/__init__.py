"""Loss-driven multi-label models (linear and MLP)."""

from ._classifier import MultiLabelLossClassifier

__all__ = ["MultiLabelLossClassifier"]
