"""Input validation shared by the estimators, samplers and splitters."""

from ._validation import (
    check_label_weights,
    check_multilabel_target,
    check_not_text,
    check_sample_weights,
    warn_constant_labels,
)

__all__ = [
    "check_label_weights",
    "check_multilabel_target",
    "check_not_text",
    "check_sample_weights",
    "warn_constant_labels",
]
