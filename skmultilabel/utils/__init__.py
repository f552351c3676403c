"""Input validation shared by the estimators, samplers and splitters."""

from ._validation import (
    all_finite,
    check_binary_or_multilabel_target,
    check_label_weights,
    check_multilabel_target,
    check_not_text,
    check_sample_weights,
    warn_constant_labels,
)

__all__ = [
    "all_finite",
    "check_binary_or_multilabel_target",
    "check_label_weights",
    "check_multilabel_target",
    "check_not_text",
    "check_sample_weights",
    "warn_constant_labels",
]
