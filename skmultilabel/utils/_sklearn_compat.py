"""The private scikit-learn names the package uses, in one place.

Everything else is imported from its public path (``sklearn.model_selection.check_cv``,
``sklearn.utils.metaestimators.available_if``, ``sklearn.utils.check_scalar``, ...).
The names below have no public path; they are tested against the scikit-learn
versions of ``pyproject.toml`` (the oldest by ``.ci/oldest.sh``), so that a
scikit-learn release that moves one breaks this module only.

The names of ``sklearn.model_selection`` and ``sklearn.metrics`` are imported
on first use (PEP 562): those subpackages are most of the import time of
``sklearn``'s estimators, and ``from skmultilabel import
MultiLabelLossClassifier`` needs neither.
"""

import importlib

from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._optional_dependencies import check_matplotlib_support
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.metadata_routing import _routing_enabled
from sklearn.utils.validation import (
    _check_method_params,
    _check_sample_weight,
    _estimator_has,
    _num_samples,
)

__all__ = [
    "HasMethods",
    "Interval",
    "RealNotInt",
    "StrOptions",
    "_check_method_params",
    "_check_sample_weight",
    "_estimator_has",
    "_fit_context",
    "_num_samples",
    "_routing_enabled",
    "_safe_indexing",
    "check_matplotlib_support",
    "is_scorer",
    "scorer_parts",
    "validate_parameter_constraints",
]


# name: the module that defines it, imported at the first access (not in __all__)
_LAZY = {
    "_BaseKFold": "sklearn.model_selection._split",
    "_validate_shuffle_split": "sklearn.model_selection._split",
}


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_scorer(scoring):
    """Whether ``scoring`` is a scorer made by ``make_scorer`` / ``get_scorer``."""
    from sklearn.metrics._scorer import _BaseScorer

    return isinstance(scoring, _BaseScorer)


def scorer_parts(scorer):
    """``(score_func, kwargs, sign, response_method)`` of a scorer (private in scikit-learn)."""
    response_method = getattr(scorer, "_response_method", None)
    return scorer._score_func, scorer._kwargs, scorer._sign, response_method
