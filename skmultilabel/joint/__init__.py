"""Joint choice of regularisation, loss weights and decision thresholds, per label."""

from ._classifier_cv import MultiLabelLossClassifierCV

__all__ = ["MultiLabelLossClassifierCV"]
