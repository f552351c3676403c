"""Map ``scoring`` (a scikit-learn scorer name or object, or a metric) to an objective.

* ``"f1"``, ``"f1_macro"``, ``"f1_micro"``, ``"f1_samples"``, ``"f1_weighted"``
  and scorers made by ``make_scorer(f1_score | fbeta_score, average=..., beta=...)``
  become an exact :class:`FBetaObjective` (``beta`` from the scorer, or from the
  tuner's ``beta`` parameter for the names).
* ``"precision*"``, ``"recall*"``, ``"jaccard*"``, ``"balanced_accuracy"``,
  ``"matthews_corrcoef"`` and ``make_scorer`` of these metrics become an exact
  :class:`CountObjective` (binary target only for the last two, as in scikit-learn),
  and so does ``make_scorer(confusion_gain_score, gain=...)`` (a gain or cost matrix).
* Any other scorer that thresholds predictions (``response_method="predict"``)
  becomes a grid-searched :class:`MetricObjective` on its metric and keyword
  arguments (its sign is kept, so "neg_" scorers are maximised correctly).
* A plain callable is a metric ``metric(y_true, y_pred) -> float``, greater is better.
"""

import math

from sklearn.metrics import f1_score, fbeta_score, get_scorer
from sklearn.metrics._scorer import _BaseScorer

from ._count_metrics import BINARY_ONLY, COUNT_METRICS, gain_per_entry
from ._count_objective import CountObjective
from ._objectives import FBetaObjective, MetricObjective

__all__ = ["resolve_objective"]

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


def _fbeta_from_scorer(scorer):
    """An FBetaObjective equivalent to ``scorer``, or None when it is not an F-measure."""
    kwargs = scorer._kwargs
    if (
        scorer._score_func not in (f1_score, fbeta_score)
        or scorer._sign != 1
        or set(kwargs) - _FBETA_KWARGS
        or kwargs.get("pos_label", 1) not in (None, 1)
    ):
        return None
    zero_division = _zero_division(kwargs.get("zero_division", "warn"))
    if zero_division is None:
        return None
    beta = 1.0 if scorer._score_func is f1_score else float(kwargs["beta"])
    return FBetaObjective(kwargs.get("average", "binary"), beta, zero_division)


def _count_from_scorer(scorer):
    """A CountObjective equivalent to ``scorer``, or None when it is not a metric of the counts."""
    metric = COUNT_METRICS.get(scorer._score_func)
    kwargs = dict(scorer._kwargs)
    if (
        metric is None
        or scorer._sign != 1
        or set(kwargs) - _COUNT_KWARGS
        or kwargs.pop("pos_label", 1) not in (None, 1)
    ):
        return None
    zero_division = _zero_division(kwargs.pop("zero_division", "warn"))
    if zero_division is None:
        return None
    if metric is gain_per_entry:  # the mean over the labels of each label's mean gain
        return CountObjective(metric, "macro", 0.0, kwargs)
    average = "binary" if metric in BINARY_ONLY else kwargs.pop("average", "binary")
    return CountObjective(metric, average, zero_division, kwargs)


def _check_average(objective, n_labels):
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


def resolve_objective(scoring, *, beta, n_labels, grid):
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
    """
    if isinstance(scoring, str) and scoring in _F1_NAMES:
        objective = FBetaObjective(_F1_NAMES[scoring], 1.0 if beta is None else float(beta))
        return _check_average(objective, n_labels)
    scorer = get_scorer(scoring) if isinstance(scoring, str) else scoring
    if isinstance(scorer, _BaseScorer):
        if getattr(scorer, "_response_method", None) != "predict":
            raise ValueError(
                f"scoring {scoring!r} does not score thresholded predictions "
                f"(response_method={getattr(scorer, '_response_method', None)!r}), "
                "so no decision threshold can be tuned for it."
            )
        objective = _fbeta_from_scorer(scorer)
        if objective is not None:
            if beta is not None and not math.isclose(float(beta), objective.beta):
                raise ValueError(
                    f"beta={beta} conflicts with the scorer's beta={objective.beta}; give one."
                )
            return _check_average(objective, n_labels)
        _reject_beta(beta)
        objective = _count_from_scorer(scorer)
        if objective is not None:
            return _check_average(objective, n_labels)
        return MetricObjective(scorer._score_func, scorer._kwargs, scorer._sign, grid)
    if callable(scoring):
        _reject_beta(beta)
        return MetricObjective(scoring, grid=grid)
    raise TypeError(f"scoring must be a scorer name, a scorer or a callable, got {scoring!r}.")


def _reject_beta(beta):
    if beta is not None:
        raise ValueError("beta only applies to F-measure scoring ('f1_*' or an fbeta scorer).")

