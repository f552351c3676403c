"""Objectives a threshold search maximises, and how each searches one threshold.

Every objective offers the same three searches over pooled scores ``S`` and
0/1 truths ``Y`` of shape (n_samples, n_labels):

* ``global_search(data)``: the best single threshold shared by all labels;
* ``label_search(data, thresholds, c)``: the best threshold of label ``c``
  with the other labels held at ``thresholds`` (for a decomposable objective,
  the label's own score, which does not depend on the others);
* ``label_steps(data, thresholds)``: the label searches of coordinate ascent
  (``search(c)``, ``move(c, threshold)``), with whatever running state makes
  a step cheap;
* ``evaluate`` / ``label_scores``: the objective and the per-label scores of
  given 0/1 predictions.

A search returns a :class:`~._sweep.BestCut` (threshold, score, curve).

:class:`FBetaObjective` searches exactly with the sort-and-count sweeps of
:mod:`._sweep` (the global macro / weighted search with :mod:`._label_merge`);
:class:`~._count_objective.CountObjective` does the same for other metrics of
the confusion counts; :class:`MetricObjective` evaluates any metric on a grid.
"""

from functools import cached_property

import numpy as np

from ._label_merge import label_merge_search
from ._sweep import (
    BestCut,
    FBeta,
    Groups,
    StartCounts,
    best_per_label,
    grouped_search,
    single_sweep,
)

__all__ = [
    "CoupledSteps", "FBetaObjective", "GridSteps", "LabelSteps", "MetricObjective", "TuningData",
]


class TuningData:
    """Pooled scores, 0/1 truths and ``sample_weight`` (None: unit weights) of a search."""

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

    @property
    def n_labels(self):
        return self.scores.shape[1]

    @property
    def n_samples(self):
        return self.scores.shape[0]

    def total(self, per_sample):
        """Weighted sum over the samples of a (n_samples,) array."""
        if self.sample_weight is None:
            return per_sample.sum()
        return self.sample_weight @ per_sample

    @property
    def sample_share(self):
        """Every sample's share of the total sample weight (sums to 1)."""
        if self.sample_weight is None:
            return np.full(self.n_samples, 1.0 / self.n_samples)
        return self.sample_weight / self.sample_weight.sum()

    def column_totals(self, mask):
        """Weighted count of True entries per column of a boolean (n_samples, n_labels) mask."""
        if self.sample_weight is None:
            return np.count_nonzero(mask, axis=0).astype(np.float64)
        return self.sample_weight @ mask

    @cached_property
    def positives(self):
        """Weighted positive total of every label."""
        return self.column_totals(self.truth)

    @cached_property
    def negatives(self):
        """Weighted negative total of every label."""
        return self.column_totals(~self.truth)

    def label_weights(self, average):
        """Weight of every label in a "macro" or "weighted" average (scikit-learn's).

        "weighted" weighs by the positive totals; without any positive it falls
        back to equal weights, as scikit-learn does.
        """
        if average == "weighted" and self.positives.sum() > 0:
            return self.positives / self.positives.sum()
        return np.full(self.n_labels, 1.0 / self.n_labels)

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

    has_std_error = True

    def combine(self, data, label_scores):
        """Objective value from the per-label scores of a decomposable average."""
        return float(data.label_weights(self.average) @ label_scores)

    def _fbeta(self, tp, fn, fp):
        """F-beta from (weighted) counts; ``zero_division`` where tp + fn + fp is 0 (as sklearn)."""
        beta2 = self.beta**2
        denominator = (1.0 + beta2) * tp + beta2 * fn + fp
        defined = denominator > 0
        return np.where(
            defined, (1.0 + beta2) * tp / np.where(defined, denominator, 1.0), self.zero_division
        )

    @staticmethod
    def _cells(data, predictions):
        """0/1 masks of the true positives, false negatives and false positives."""
        return predictions & data.truth, ~predictions & data.truth, predictions & ~data.truth

    def evaluate(self, data, predictions):
        """The objective of 0/1 ``predictions`` (equal to scikit-learn's ``fbeta_score``)."""
        if self.decomposable:
            return self.combine(data, self.label_scores(data, predictions))
        cells = self._cells(data, predictions)
        if self.average == "micro":
            return float(self._fbeta(*(data.total(cell.sum(axis=1)) for cell in cells)))
        per_sample = self._fbeta(*(cell.sum(axis=1) for cell in cells))
        return float(np.average(per_sample, weights=data.sample_weight))

    def label_scores(self, data, predictions):
        """Every label's own F-beta."""
        return self._fbeta(*(data.column_totals(cell) for cell in self._cells(data, predictions)))

    def std_error(self, data, thresholds):
        """Standard error of every label's own F-beta at ``thresholds`` (delta method).

        F-beta is a ratio of the weighted true positive, false negative and
        false positive totals, each taken as a Poisson count: a sample weight
        counts as that many repeated samples (scikit-learn's convention), so
        the variance of a total is the total. Zero where F-beta is undefined.
        """
        cells = self._cells(data, data.predict(thresholds))
        tp, fn, fp = (data.column_totals(cell) for cell in cells)
        beta2 = self.beta**2
        denominator = (1.0 + beta2) * tp + beta2 * fn + fp
        squared = np.where(denominator > 0, denominator, 1.0) ** 2
        d_tp = (1.0 + beta2) * (beta2 * fn + fp) / squared
        d_fn = -(1.0 + beta2) * beta2 * tp / squared
        d_fp = -(1.0 + beta2) * tp / squared
        return np.sqrt(d_tp**2 * tp + d_fn**2 * fn + d_fp**2 * fp)

    def best_per_label(self, data):
        """Independent exact optimum of every label's own F-beta."""
        return best_per_label(data.scores, data.truth, data.sample_weight, self.fbeta)

    @property
    def fbeta(self):
        """The sweeps' record of this F-beta."""
        return FBeta(self.beta, self.zero_division)

    def global_search(self, data, store=False):
        if self.decomposable:
            return label_merge_search(
                data.scores, data.truth, data.sample_weight, data.label_weights(self.average),
                data.positives, self.fbeta, store,
            )
        n_samples, n_labels = data.scores.shape
        flat = np.ascontiguousarray(data.scores).ravel()
        if self.average == "micro":
            sample_weight = data.sample_weight
            if sample_weight is not None:
                sample_weight = np.repeat(sample_weight, n_labels)
            counts = StartCounts(data.positives.sum())
            return single_sweep(flat, data.truth.ravel(), sample_weight, counts, self.fbeta, store)
        groups = Groups(
            np.repeat(np.arange(n_samples), n_labels), data.sample_share, data.truth.sum(axis=1),
            np.zeros(n_samples), np.zeros(n_samples),
        )
        increment = np.ones(flat.shape[0])
        return grouped_search(flat, data.truth.ravel(), increment, groups, self.fbeta, store)

    def label_search(self, data, thresholds, c, store=False):
        if self.decomposable:
            column = np.ascontiguousarray(data.scores[:, c])
            truth = np.ascontiguousarray(data.truth[:, c])
            counts = StartCounts(data.positives[c])
            return single_sweep(column, truth, data.sample_weight, counts, self.fbeta, store)
        return self.label_steps(data, thresholds).search(c, store)

    def label_steps(self, data, thresholds):
        """Label-by-label searches from ``thresholds`` (see :class:`CoupledSteps`)."""
        if self.decomposable:
            return LabelSteps(self, data, thresholds)
        return CoupledSteps(self, data, thresholds)

    def micro_step(self, data, column, truth, tp, fp, store):
        """Best threshold of one label for micro F-beta, the other labels' totals ``tp``, ``fp``."""
        counts = StartCounts(data.positives.sum(), tp, fp)
        return single_sweep(column, truth, data.sample_weight, counts, self.fbeta, store)

    def samples_step(self, data, column, truth, tp, fp, sample_positives, store):
        """Best threshold of one label for samples F-beta, the other labels' per-sample counts."""
        groups = Groups(np.arange(data.n_samples), data.sample_share, sample_positives, tp, fp)
        return grouped_search(column, truth, np.ones(data.n_samples), groups, self.fbeta, store)


class LabelSteps:
    """Searches of one label's threshold at a time, the others at ``thresholds``.

    ``search(c)`` returns the label's best cut; ``move(c, threshold)`` sets
    its threshold. This plain version re-evaluates from the thresholds.
    """

    def __init__(self, objective, data, thresholds):
        self.objective = objective
        self.data = data
        self.thresholds = np.array(thresholds, dtype=np.float64)

    def search(self, c, store=False):
        return self.objective.label_search(self.data, self.thresholds, c, store)

    def move(self, c, threshold):
        self.thresholds[c] = threshold


class CoupledSteps(LabelSteps):
    """Label steps of a micro or samples average with the other labels' counts as running totals.

    Micro keeps every label's (weighted) true and false positive totals,
    samples every sample's true and false positive counts. A search takes
    label ``c``'s own counts out of them (O(n_samples)) and sweeps its column
    (O(n_samples log n_samples), the objective's ``micro_step`` or
    ``samples_step``); a move puts the counts at the new threshold back. One
    pass over the labels thus costs O(n_labels n_samples log n_samples), not
    O(n_labels**2 n_samples).
    """

    def __init__(self, objective, data, thresholds):
        super().__init__(objective, data, thresholds)
        predictions = data.predict(self.thresholds)
        cells = predictions & data.truth, predictions & ~data.truth
        if objective.average == "micro":
            self.tp, self.fp = (data.column_totals(cell) for cell in cells)
        else:
            self.tp, self.fp = (cell.sum(axis=1) for cell in cells)
            self.sample_positives = data.truth.sum(axis=1)

    def _label(self, c):
        data = self.data
        return np.ascontiguousarray(data.scores[:, c]), np.ascontiguousarray(data.truth[:, c])

    def search(self, c, store=False):
        column, truth = self._label(c)
        if self.objective.average == "micro":
            tp, fp = np.delete(self.tp, c).sum(), np.delete(self.fp, c).sum()
            return self.objective.micro_step(self.data, column, truth, tp, fp, store)
        predicted = column >= self.thresholds[c]
        tp, fp = self.tp - (predicted & truth), self.fp - (predicted & ~truth)
        return self.objective.samples_step(
            self.data, column, truth, tp, fp, self.sample_positives, store
        )

    def move(self, c, threshold):
        column, truth = self._label(c)
        old = column >= self.thresholds[c]
        new = column >= threshold
        if self.objective.average == "micro":
            self.tp[c] = self.data.total(new & truth)
            self.fp[c] = self.data.total(new & ~truth)
        else:
            self.tp += (new & truth).astype(np.int64) - (old & truth)
            self.fp += (new & ~truth).astype(np.int64) - (old & ~truth)
        super().move(c, threshold)


class MetricObjective:
    """Any metric ``score_func(y_true, y_pred, **kwargs)`` (times ``sign``), searched on a grid.

    ``grid`` is the number of evenly spaced candidate thresholds between the
    lowest and highest score (of a label, or of all labels for the global
    search) or an array of candidates. The metric is called once per distinct
    prediction set: candidates with no score between them share one call
    (found for all candidates at once by one sort and ``searchsorted``).
    """

    decomposable = False
    has_std_error = False

    def __init__(self, score_func, kwargs=None, sign=1, grid=100):
        self.score_func = score_func
        self.kwargs = {} if kwargs is None else dict(kwargs)
        self.sign = sign
        self.grid = grid

    def _metric(self, truth, predictions, sample_weight):
        """The metric of 0/1 integer arrays (one column is passed 1-D)."""
        if truth.ndim == 2 and truth.shape[1] == 1:
            truth, predictions = truth[:, 0], predictions[:, 0]
        kwargs = dict(self.kwargs)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return self.sign * float(self.score_func(truth, predictions, **kwargs))

    def _call(self, truth, predictions, sample_weight):
        return self._metric(truth.astype(int), predictions.astype(int), sample_weight)

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

    def _best(self, candidates, values, evaluate, store):
        """Best of ``candidates`` cutting ``values``; ``evaluate(t)`` runs once per prediction set.

        The set ``values >= t`` is named by its size (it grows as ``t`` falls).
        """
        ordered = np.sort(values, axis=None)
        n_positive = ordered.shape[0] - np.searchsorted(ordered, candidates, side="left")
        _, first, inverse = np.unique(n_positive, return_index=True, return_inverse=True)
        scores = np.array([evaluate(candidates[k]) for k in first])[inverse]
        best = int(np.argmax(scores))
        return BestCut(candidates[best], scores[best], (candidates, scores) if store else None)

    def global_search(self, data, store=False):
        truth = data.truth.astype(int)
        return self._best(
            self._candidates(data.scores), data.scores,
            lambda t: self._metric(truth, (data.scores >= t).astype(int), data.sample_weight),
            store,
        )

    def label_steps(self, data, thresholds):
        """Label-by-label grid searches from ``thresholds`` (see :class:`GridSteps`)."""
        return GridSteps(self, data, thresholds)

    def label_search(self, data, thresholds, c, store=False):
        return self.label_steps(data, thresholds).search(c, store)


class GridSteps(LabelSteps):
    """Label steps of a grid-searched metric: 0/1 integer truths and predictions kept between steps.

    A candidate rewrites one column of the predictions instead of converting
    all of them for every metric call.
    """

    def __init__(self, objective, data, thresholds):
        super().__init__(objective, data, thresholds)
        self.truth = data.truth.astype(int)
        self.predictions = data.predict(self.thresholds).astype(int)

    def search(self, c, store=False):
        column = self.data.scores[:, c]
        kept = self.predictions[:, c].copy()

        def evaluate(t):
            self.predictions[:, c] = column >= t
            return self.objective._metric(self.truth, self.predictions, self.data.sample_weight)

        best = self.objective._best(self.objective._candidates(column), column, evaluate, store)
        self.predictions[:, c] = kept
        return best

    def move(self, c, threshold):
        self.predictions[:, c] = self.data.scores[:, c] >= threshold
        super().move(c, threshold)
