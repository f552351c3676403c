"""Objectives a threshold search maximises, and how each searches one threshold.

Every objective offers the same three searches over pooled scores ``S`` and
0/1 truths ``Y`` of shape (n_samples, n_labels):

* ``global_search(data)``: the best single threshold shared by all labels;
* ``label_search(data, thresholds, c)``: the best threshold of label ``c``
  with the other labels held at ``thresholds`` (for a decomposable objective,
  the label's own score, which does not depend on the others);
* ``evaluate`` / ``label_scores``: the objective and the per-label scores of
  given 0/1 predictions.

:class:`FBetaObjective` searches exactly with the sort-and-count sweeps of
:mod:`._sweep`; :class:`MetricObjective` evaluates any metric on a grid.
"""

from functools import cached_property

import numpy as np
from sklearn.metrics import fbeta_score

from ._sweep import best_per_label, grouped_search, single_sweep

__all__ = ["FBetaObjective", "MetricObjective", "TuningData"]


class TuningData:
    """Pooled scores, 0/1 truths and sample weights (None: unit weights) of a search."""

    def __init__(self, scores, Y, sample_weight):
        truth = np.asarray(Y)
        truth = truth if truth.dtype == bool else truth > 0
        if sample_weight is not None:
            # a zero-weight sample must not even place a cut
            keep = np.asarray(sample_weight) > 0
            scores, truth = scores[keep], truth[keep]
            sample_weight = np.asarray(sample_weight, dtype=np.float64)[keep]
        self.scores = scores
        self.truth = truth
        self.sample_weight = sample_weight
        self.weight = np.ones(scores.shape[0]) if sample_weight is None else sample_weight

    @property
    def n_labels(self):
        return self.scores.shape[1]

    @cached_property
    def positives(self):
        """Weighted positive total of every label."""
        return self.weight @ self.truth

    def predict(self, thresholds):
        return self.scores >= np.asarray(thresholds)[None, :]


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

    def _fbeta_score(self, data, predictions, average):
        truth = data.truth
        if truth.shape[1] == 1:  # a binary target: F-beta of the positive class only
            truth, predictions, average = truth[:, 0], predictions[:, 0], "binary"
        return fbeta_score(
            truth, predictions, beta=self.beta, average=average,
            sample_weight=data.sample_weight, zero_division=self.zero_division,
        )

    def evaluate(self, data, predictions):
        return float(self._fbeta_score(data, predictions, self.average))

    def label_scores(self, data, predictions):
        return np.atleast_1d(np.asarray(self._fbeta_score(data, predictions, None), dtype=np.float64))

    def best_per_label(self, data):
        """Independent exact optimum of every label's own F-beta."""
        return best_per_label(data.scores, data.truth, data.sample_weight, self.beta, self.zero_division)

    def _sweep_options(self, store):
        return dict(beta=self.beta, zero_division=self.zero_division, store=store)

    def global_search(self, data, store=False):
        n_samples, n_labels = data.scores.shape
        flat = np.ascontiguousarray(data.scores).ravel()
        weight = data.sample_weight
        entry_weight = None if weight is None else np.repeat(weight, n_labels)
        if self.average == "micro":
            return single_sweep(
                flat, data.truth.ravel(), entry_weight,
                total_pos=data.positives.sum(), **self._sweep_options(store),
            )
        if self.average == "samples":
            group = np.repeat(np.arange(n_samples), n_labels)
            increment, pos = np.ones(flat.shape[0]), data.truth.sum(axis=1)
            group_weight = data.weight / data.weight.sum()
        else:
            group = np.tile(np.arange(n_labels), n_samples)
            increment = np.repeat(data.weight, n_labels)
            pos, group_weight = data.positives, self._label_weights(data)
        n_groups = len(group_weight)
        return grouped_search(
            flat, data.truth.ravel(), increment, group, group_weight,
            np.zeros(n_groups), np.zeros(n_groups), pos, **self._sweep_options(store),
        )

    def label_search(self, data, thresholds, c, store=False):
        column = np.ascontiguousarray(data.scores[:, c])
        truth = np.ascontiguousarray(data.truth[:, c])
        if self.decomposable:
            return single_sweep(
                column, truth, data.sample_weight, total_pos=data.positives[c], **self._sweep_options(store)
            )
        others = data.predict(thresholds)
        others[:, c] = False
        true_positive = others & data.truth
        false_positive = others & ~data.truth
        if self.average == "micro":
            return single_sweep(
                column, truth, data.sample_weight,
                tp=data.weight @ true_positive.sum(axis=1), fp=data.weight @ false_positive.sum(axis=1),
                total_pos=data.positives.sum(), **self._sweep_options(store),
            )
        return grouped_search(
            column, truth, np.ones_like(data.weight), np.arange(column.shape[0]),
            data.weight / data.weight.sum(), true_positive.sum(axis=1), false_positive.sum(axis=1),
            data.truth.sum(axis=1), **self._sweep_options(store),
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
