"""Objectives a threshold search maximises, and how each searches one threshold.

Every objective offers the same three searches over pooled scores ``S`` and
0/1 truths ``Y`` of shape (n_samples, n_labels):

* ``global_search(data)``: the best single threshold shared by all labels;
* ``label_search(data, thresholds, c)``: the best threshold of label ``c``
  with the other labels held at ``thresholds`` (for a decomposable objective,
  the label's own score, which does not depend on the others);
* ``evaluate`` / ``label_scores``: the objective and the per-label scores of
  given 0/1 predictions.

:class:`FBetaObjective` searches exactly with the sort-and-count kernel of
:mod:`._sweep`; :class:`MetricObjective` evaluates any metric on a grid.
"""

from functools import cached_property

import numpy as np
from sklearn.metrics import fbeta_score

from ._sweep import best_per_label, fbeta_sweep

__all__ = ["FBetaObjective", "MetricObjective", "TuningData"]

_NO_CURVE = np.empty(0)


class TuningData:
    """Pooled scores, truths and weights of a search, with cached sort orders."""

    def __init__(self, scores, Y, sample_weight):
        self.scores = scores
        self.Y = Y
        self.sample_weight = sample_weight
        self.weight = (
            np.ones(scores.shape[0]) if sample_weight is None
            else np.asarray(sample_weight, dtype=np.float64)
        )
        self.truth = np.asarray(Y) > 0

    @property
    def n_labels(self):
        return self.scores.shape[1]

    @cached_property
    def positives(self):
        """Weighted positive total of every label."""
        return self.weight @ self.truth

    @cached_property
    def columns(self):
        """Label scores as rows (n_labels, n_samples) and their ascending sort orders."""
        columns = np.ascontiguousarray(self.scores.T)
        return columns, np.argsort(columns, axis=1)

    def predict(self, thresholds):
        return self.scores >= np.asarray(thresholds)[None, :]


def _run_sweep(scores, truth, increment, order, group, group_weight, tp, fp, pos, beta, zero_division, store):
    """Call the kernel; return (threshold, score, curve) with the curve ascending in threshold."""
    dtype = scores.dtype
    size = scores.shape[0] + 1 if store else 0
    curve_thresholds = np.empty(size)
    curve_scores = np.empty(size)
    threshold, score, n_cuts = fbeta_sweep(
        scores, np.ascontiguousarray(truth, dtype=dtype), np.ascontiguousarray(increment, dtype=dtype),
        order, group, np.ascontiguousarray(group_weight, dtype=np.float64),
        np.array(tp, dtype=np.float64), np.array(fp, dtype=np.float64),
        np.ascontiguousarray(pos, dtype=np.float64), float(beta) ** 2, float(zero_division),
        curve_thresholds, curve_scores,
    )
    curve = None
    if store:
        curve = (curve_thresholds[:n_cuts][::-1].copy(), curve_scores[:n_cuts][::-1].copy())
    return threshold, score, curve


class FBetaObjective:
    """F-beta with scikit-learn's ``average`` ("macro", "weighted", "micro", "samples").

    A binary target is one label with ``average="macro"``.
    """

    def __init__(self, average, beta=1.0, zero_division=0.0):
        self.average = average
        self.beta = beta
        self.zero_division = zero_division

    @property
    def decomposable(self):
        """True when each label's threshold can be chosen on its own."""
        return self.average in ("macro", "weighted")

    def _label_weights(self, data):
        if self.average == "weighted":
            total = data.positives.sum()
            return data.positives / total if total > 0 else np.zeros(data.n_labels)
        return np.full(data.n_labels, 1.0 / data.n_labels)

    def combine(self, data, label_scores):
        """Objective value from the per-label scores of a decomposable average."""
        return float(self._label_weights(data) @ label_scores)

    def evaluate(self, data, predictions):
        return float(fbeta_score(
            data.truth, predictions, beta=self.beta, average=self.average,
            sample_weight=data.sample_weight, zero_division=self.zero_division,
        ))

    def label_scores(self, data, predictions):
        return np.asarray(fbeta_score(
            data.truth, predictions, beta=self.beta, average=None,
            sample_weight=data.sample_weight, zero_division=self.zero_division,
        ), dtype=np.float64)

    def best_per_label(self, data):
        """Independent exact optimum of every label's own F-beta."""
        return best_per_label(data.scores, data.truth, data.weight, self.beta, self.zero_division)

    def global_search(self, data, store=False):
        n_samples, n_labels = data.scores.shape
        flat = np.ascontiguousarray(data.scores).ravel()
        entry_weight = np.repeat(data.weight, n_labels)
        if self.average == "micro":
            group = np.empty(0, dtype=np.intp)
            increment, pos, group_weight = entry_weight, [data.positives.sum()], [1.0]
        elif self.average == "samples":
            group = np.repeat(np.arange(n_samples, dtype=np.intp), n_labels)
            increment, pos = np.ones(flat.shape[0]), data.truth.sum(axis=1)
            group_weight = data.weight / data.weight.sum()
        else:
            group = np.tile(np.arange(n_labels, dtype=np.intp), n_samples)
            increment, pos, group_weight = entry_weight, data.positives, self._label_weights(data)
        n_groups = len(group_weight)
        return _run_sweep(
            flat, data.truth.ravel(), increment, np.argsort(flat), group, group_weight,
            np.zeros(n_groups), np.zeros(n_groups), pos, self.beta, self.zero_division, store,
        )

    def label_search(self, data, thresholds, c, store=False):
        columns, orders = data.columns
        truth = data.truth[:, c]
        if self.average == "samples":
            predictions = data.predict(thresholds)
            predictions[:, c] = False
            group = np.arange(data.scores.shape[0], dtype=np.intp)
            increment, pos = np.ones_like(data.weight), data.truth.sum(axis=1)
            tp = (predictions & data.truth).sum(axis=1)
            fp = (predictions & ~data.truth).sum(axis=1)
            group_weight = data.weight / data.weight.sum()
        else:
            group, increment, group_weight = np.empty(0, dtype=np.intp), data.weight, [1.0]
            pos, tp, fp = [data.positives[c]], [0.0], [0.0]
            if self.average == "micro":
                predictions = data.predict(thresholds)
                predictions[:, c] = False
                pos = [data.positives.sum()]
                tp = [data.weight @ (predictions & data.truth).sum(axis=1)]
                fp = [data.weight @ (predictions & ~data.truth).sum(axis=1)]
        return _run_sweep(
            columns[c], truth, increment, orders[c], group, group_weight, tp, fp, pos,
            self.beta, self.zero_division, store,
        )


class MetricObjective:
    """Any metric ``score_func(y_true, y_pred, **kwargs)`` (times ``sign``), searched on a grid.

    ``grid`` is the number of evenly spaced candidate thresholds between the
    lowest and highest score (of a label, or of all labels for the global
    search) or an array of candidates.
    """

    decomposable = False

    def __init__(self, score_func, kwargs=None, sign=1, grid=100):
        self.score_func = score_func
        self.kwargs = {} if kwargs is None else dict(kwargs)
        self.sign = sign
        self.grid = grid

    def _call(self, truth, predictions, sample_weight):
        if truth.ndim == 2 and truth.shape[1] == 1:
            truth, predictions = truth[:, 0], predictions[:, 0]
        kwargs = dict(self.kwargs)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return self.sign * float(self.score_func(truth.astype(int), predictions.astype(int), **kwargs))

    def evaluate(self, data, predictions):
        return self._call(data.truth, predictions, data.sample_weight)

    def label_scores(self, data, predictions):
        scores = np.full(data.n_labels, np.nan)
        for c in range(data.n_labels):
            try:
                scores[c] = self._call(data.truth[:, c], predictions[:, c], data.sample_weight)
            except (ValueError, TypeError):
                pass
        return scores

    def _candidates(self, values):
        if isinstance(self.grid, (int, np.integer)):
            return np.linspace(values.min(), values.max(), num=int(self.grid))
        return np.sort(np.asarray(self.grid, dtype=np.float64))

    def _best(self, candidates, evaluate, store):
        scores = np.array([evaluate(t) for t in candidates])
        best = int(np.argmax(scores))
        return candidates[best], scores[best], (candidates, scores) if store else None

    def global_search(self, data, store=False):
        return self._best(
            self._candidates(data.scores),
            lambda t: self.evaluate(data, data.scores >= t),
            store,
        )

    def label_search(self, data, thresholds, c, store=False):
        predictions = data.predict(thresholds)

        def evaluate(t):
            predictions[:, c] = data.scores[:, c] >= t
            return self.evaluate(data, predictions)

        return self._best(self._candidates(data.scores[:, c]), evaluate, store)
