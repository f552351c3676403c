"""Input validation shared by the estimators, samplers and splitters."""

from ._validation import check_label_weights, check_multilabel_target, check_sample_weights

__all__ = ["check_label_weights", "check_multilabel_target", "check_sample_weights"]
