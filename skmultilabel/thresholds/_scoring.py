"""Map ``scoring`` (a scikit-learn scorer name or object, or a metric) to an objective.

* ``"f1"``, ``"f1_macro"``, ``"f1_micro"``, ``"f1_samples"``, ``"f1_weighted"``
  and scorers made by ``make_scorer(f1_score | fbeta_score, average=..., beta=...)``
  become an exact :class:`FBetaObjective` (``beta`` from the scorer, or from the
  tuner's ``beta`` parameter for the names).
* ``"precision*"``, ``"recall*"``, ``"jaccard*"``, ``"balanced_accuracy"``,
  ``"matthews_corrcoef"`` and ``make_scorer`` of these metrics become an exact
  :class:`CountObjective` (binary target only for the last two, as in scikit-learn),
  and so does ``make_scorer(confusion_gain_score, gain=...)`` (a gain or cost matrix).
* ``"accuracy"`` (subset accuracy on a multi-label target) and the losses
  ``make_scorer(hamming_loss | zero_one_loss, greater_is_better=False)`` become
  an exact :class:`CountObjective` too (samples and micro averages).
* Any other scorer that thresholds predictions (``response_method="predict"``)
  becomes a grid-searched :class:`MetricObjective` on its metric and keyword
  arguments (its sign is kept, so "neg_" scorers are maximised correctly).
* A plain callable is a metric ``metric(y_true, y_pred) -> float``, greater is better.

A binary target is scored as scikit-learn scores it: the macro, weighted and
micro F-measures average both classes (:class:`BinaryAverageFBeta`; other
metrics' averages are grid-searched on the metric itself), and the thresholded
score is that of the scorer's ``pos_label`` (:func:`positive_class`;
scikit-learn's metrics default to ``pos_label=1``).
"""

import inspect
import math

from sklearn.metrics import f1_score, fbeta_score, get_scorer

from ..utils._sklearn_compat import is_scorer, scorer_parts
from ._binary_average import BinaryAverageFBeta
from ._count_metrics import (
    BINARY_ONLY,
    COUNT_METRICS,
    ENTRY_METRICS,
    gain_per_entry,
    negative_error,
)
from ._count_objective import CountObjective
from ._objectives import FBetaObjective, MetricObjective

__all__ = ["positive_class", "resolve_objective"]

_F1_NAMES = {
    "f1": "binary", "f1_macro": "macro", "f1_micro": "micro",
    "f1_samples": "samples", "f1_weighted": "weighted",
}
_FBETA_KWARGS = {"average", "beta", "zero_division", "pos_label"}
_COUNT_KWARGS = {"average", "zero_division", "pos_label", "adjusted", "gain"}


def _zero_division(value):
    """scikit-learn's ``zero_division`` as a number, or None when it is NaN."""
    if isinstance(value, str):
        return 0.0
    value = float(value)
    return None if math.isnan(value) else value


def _fbeta_from_scorer(scorer, binary):
    """An F-beta objective equivalent to ``scorer``, or None when it is not an F-measure.

    On a binary target ``pos_label`` only chooses the thresholded class.
    """
    score_func, kwargs, sign, _ = scorer_parts(scorer)
    if (
        score_func not in (f1_score, fbeta_score)
        or sign != 1
        or set(kwargs) - _FBETA_KWARGS
        or (not binary and kwargs.get("pos_label", 1) not in (None, 1))
    ):
        return None
    zero_division = _zero_division(kwargs.get("zero_division", "warn"))
    if zero_division is None:
        return None
    beta = 1.0 if score_func is f1_score else float(kwargs["beta"])
    return _fbeta_objective(kwargs.get("average", "binary"), beta, zero_division, binary)


def _fbeta_objective(average, beta, zero_division, binary):
    """F-beta of ``average``; on a binary target, the averages score both classes."""
    if binary and average in ("macro", "weighted", "micro"):
        return BinaryAverageFBeta(average, beta, zero_division)
    return FBetaObjective(average, beta, zero_division)


def _count_from_scorer(scorer, binary):
    """A CountObjective equivalent to ``scorer``, or None when it is not a metric of the counts.

    On a binary target only the positive class's metric (``average="binary"``)
    is one: its averages over both classes are left to the grid search.
    """
    score_func, kwargs, sign, _ = scorer_parts(scorer)
    metric = COUNT_METRICS.get(score_func)
    kwargs = dict(kwargs)
    pos_label = kwargs.pop("pos_label", 1)
    both_classes = metric not in BINARY_ONLY and kwargs.get("average", "binary") != "binary"
    if (
        metric is None
        or sign != 1
        or set(kwargs) - _COUNT_KWARGS
        or (not binary and pos_label not in (None, 1))
        or (binary and both_classes and metric is not gain_per_entry)
    ):
        return None
    zero_division = _zero_division(kwargs.pop("zero_division", "warn"))
    if zero_division is None:
        return None
    if metric is gain_per_entry:  # the mean over the labels of each label's mean gain
        return CountObjective(metric, "macro", 0.0, kwargs)
    average = "binary" if metric in BINARY_ONLY else kwargs.pop("average", "binary")
    return CountObjective(metric, average, zero_division, kwargs)


def _entry_from_scorer(scorer, binary):
    """A CountObjective for accuracy, hamming or zero-one loss scorers, or None."""
    score_func, kwargs, sign, _ = scorer_parts(scorer)
    metrics = ENTRY_METRICS.get((score_func, sign))
    if metrics is None or set(kwargs) - {"normalize"} or not kwargs.get("normalize", True):
        return None
    if binary:
        return CountObjective(metrics[0], "binary")
    return CountObjective(metrics[1], "micro" if metrics[1] is negative_error else "samples")


def _check_average(objective, n_labels):
    if isinstance(objective, BinaryAverageFBeta):
        return objective
    if objective.average == "binary":
        if n_labels > 1:
            raise ValueError(
                "scoring with average='binary' (e.g. 'f1', 'precision', 'matthews_corrcoef') needs "
                f"a binary target; Y has {n_labels} labels: use 'f1_macro', 'f1_micro', "
                "'f1_samples' or another metric's '_macro', '_micro', '_samples' scorer."
            )
        objective.average = "macro"
    elif objective.average == "samples" and n_labels == 1:
        raise ValueError("average='samples' needs a multi-label target; y is binary.")
    elif objective.average not in ("macro", "micro", "weighted", "samples"):
        raise ValueError(f"Unsupported average {objective.average!r}.")
    return objective


def _metric_default(score_func, name):
    """Default of ``score_func``'s parameter ``name``, or None when it has none."""
    try:
        parameter = inspect.signature(score_func).parameters.get(name)
    except (TypeError, ValueError):
        return None
    return None if parameter is None else parameter.default


def positive_class(scoring, classes):
    """The class of a binary target whose score is thresholded.

    The scorer's ``pos_label``; for a metric of the positive class
    (``average="binary"``, e.g. "f1", "precision") without one, the metric's
    default (1, an error when 1 is not a class, as scikit-learn's metrics
    raise); otherwise ``classes[1]`` (the averages score both classes alike).
    """
    scorer = get_scorer(scoring) if isinstance(scoring, str) else scoring
    if not is_scorer(scorer):
        return classes[1]
    score_func, kwargs, _, _ = scorer_parts(scorer)
    pos_label = kwargs.get("pos_label")
    if pos_label is None:
        average = kwargs.get("average", _metric_default(score_func, "average"))
        if average != "binary":
            return classes[1]
        pos_label = _metric_default(score_func, "pos_label")
        if pos_label is None or pos_label is inspect.Parameter.empty:
            return classes[1]
    matches = [c for c in classes if c == pos_label]
    if not matches:
        raise ValueError(
            f"pos_label={pos_label!r} of scoring {scoring!r} is not a class of y; the classes "
            f"are {list(classes)}. Give make_scorer(..., pos_label=<class>) to choose one."
        )
    return matches[0]


def resolve_objective(scoring, *, beta, n_labels, grid, binary=False):
    """Return the objective of ``scoring`` for a target with ``n_labels`` labels.

    Parameters
    ----------
    scoring : str, scorer or callable
    beta : float or None
        The tuner's ``beta`` (F-beta with the F1 scorer names).
    n_labels : int
        1 for a binary target.
    grid : int or array-like
        The tuner's ``thresholds``, used by grid-searched objectives.
    binary : bool, default=False
        A binary target, its positive class encoded as 1: averaged F-measures
        score both classes, and a metric's ``pos_label`` becomes 1.
    """
    if isinstance(scoring, str) and scoring in _F1_NAMES:
        beta = 1.0 if beta is None else float(beta)
        return _check_average(_fbeta_objective(_F1_NAMES[scoring], beta, 0.0, binary), n_labels)
    scorer = get_scorer(scoring) if isinstance(scoring, str) else scoring
    if is_scorer(scorer):
        score_func, kwargs, sign, response_method = scorer_parts(scorer)
        if response_method != "predict":
            raise ValueError(
                f"scoring {scoring!r} does not score thresholded predictions "
                f"(response_method={response_method!r}), "
                "so no decision threshold can be tuned for it."
            )
        objective = _fbeta_from_scorer(scorer, binary)
        if objective is not None:
            if beta is not None and not math.isclose(float(beta), objective.beta):
                raise ValueError(
                    f"beta={beta} conflicts with the scorer's beta={objective.beta}; give one."
                )
            return _check_average(objective, n_labels)
        _reject_beta(beta)
        objective = _count_from_scorer(scorer, binary) or _entry_from_scorer(
            scorer, binary or n_labels == 1
        )
        if objective is not None:
            return _check_average(objective, n_labels)
        kwargs = dict(kwargs)
        if binary and kwargs.get("pos_label") is not None:
            kwargs["pos_label"] = 1
        return MetricObjective(score_func, kwargs, sign, grid)
    if callable(scoring):
        _reject_beta(beta)
        return MetricObjective(scoring, grid=grid)
    raise TypeError(f"scoring must be a scorer name, a scorer or a callable, got {scoring!r}.")


def _reject_beta(beta):
    if beta is not None:
        raise ValueError("beta only applies to F-measure scoring ('f1_*' or an fbeta scorer).")

