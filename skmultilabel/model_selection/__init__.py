"""Model selection tools for multi-label targets."""

from ._stratified import MultilabelStratifiedKFold, MultilabelStratifiedShuffleSplit

__all__ = ["MultilabelStratifiedKFold", "MultilabelStratifiedShuffleSplit"]
