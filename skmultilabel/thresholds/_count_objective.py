"""Exact threshold searches for a metric of the confusion counts under any average.

:class:`CountObjective` offers the searches of :class:`._objectives.FBetaObjective`
for precision, recall, Jaccard, balanced accuracy and Matthews correlation
(:mod:`._count_metrics`), with :mod:`._count_sweep`'s sort-and-accumulate
sweeps:

* one label (macro / weighted per-label thresholds, a binary target): the
  label's counts at every cut, the metric on all of them;
* one global threshold, macro / weighted: each label's metric curve turned
  into increments at its distinct scores, all labels' increments swept
  together; micro: the pooled counts of all entries; samples: each entry
  carries the change of its sample's metric (entries of a sample taken from
  its highest score);
* one label with the others fixed (coordinate ascent): micro adds the other
  labels' totals to the label's counts, samples sweeps the change of every
  sample's metric.
"""

import numpy as np

from ._count_sweep import best_of_curve, cut_totals
from ._objectives import CoupledSteps, LabelSteps

__all__ = ["CountObjective"]


class CountObjective:
    """A metric of the confusion counts with scikit-learn's ``average``.

    Parameters
    ----------
    metric : callable
        ``metric(tp, fp, fn, tn, zero_division, **kwargs)``, vectorised.
    average : {"macro", "weighted", "micro", "samples"}
        A binary target is one label with "macro".
    zero_division : float
    kwargs : dict, default=None
        Further arguments of ``metric`` (e.g. ``adjusted``).
    """

    has_std_error = False

    def __init__(self, metric, average, zero_division=0.0, kwargs=None):
        self.metric = metric
        self.average = average
        self.zero_division = zero_division
        self.kwargs = {} if kwargs is None else dict(kwargs)

    @property
    def decomposable(self):
        """True when each label's threshold can be chosen on its own."""
        return self.average in ("macro", "weighted")

    def _value(self, tp, fp, fn, tn):
        return self.metric(tp, fp, fn, tn, self.zero_division, **self.kwargs)

    def _label_value(self, data, tp, fp, c=slice(None)):
        """Metric of label(s) ``c`` from their true and false positive totals."""
        return self._value(tp, fp, data.positives[c] - tp, data.negatives[c] - fp)

    def _sample_value(self, data, tp, fp, sample_positives):
        """Metric of every sample from its counts over the labels (unit weight per entry)."""
        negatives = data.n_labels - sample_positives
        return self._value(tp, fp, sample_positives - tp, negatives - fp)

    def combine(self, data, label_scores):
        """Objective value from the per-label scores of a decomposable average."""
        return float(data.label_weights(self.average) @ label_scores)

    def label_scores(self, data, predictions):
        """Every label's own metric."""
        tp = data.column_totals(predictions & data.truth)
        fp = data.column_totals(predictions & ~data.truth)
        return self._label_value(data, tp, fp)

    def evaluate(self, data, predictions):
        """The objective of 0/1 ``predictions`` (equal to the scikit-learn metric)."""
        if self.decomposable:
            return self.combine(data, self.label_scores(data, predictions))
        if self.average == "micro":
            tp = data.column_totals(predictions & data.truth).sum()
            fp = data.column_totals(predictions & ~data.truth).sum()
            return float(self._value(tp, fp, data.positives.sum() - tp, data.negatives.sum() - fp))
        tp = (predictions & data.truth).sum(axis=1)
        fp = (predictions & ~data.truth).sum(axis=1)
        values = self._sample_value(data, tp, fp, data.truth.sum(axis=1))
        return float(np.average(values, weights=data.sample_weight))

    def _entry_weights(self, data, n_repeats=1):
        if data.sample_weight is None:
            return np.ones(data.n_samples * n_repeats)
        return np.repeat(data.sample_weight, n_repeats)

    def _label_curve(self, data, c):
        """Cut totals of label ``c`` and its metric at every cut."""
        column, truth = data.scores[:, c], data.truth[:, c]
        weight = self._entry_weights(data)
        cuts = cut_totals(column, (weight * truth, weight * ~truth))
        return cuts, self._label_value(data, *cuts.totals, c)

    def best_per_label(self, data):
        """Independent exact optimum of every label's own metric."""
        thresholds = np.empty(data.n_labels)
        label_scores = np.empty(data.n_labels)
        for c in range(data.n_labels):
            cuts, values = self._label_curve(data, c)
            best = best_of_curve(cuts.thresholds, values, False)
            thresholds[c], label_scores[c] = best.threshold, best.score
        return thresholds, label_scores

    def global_search(self, data, store=False):
        if self.decomposable:
            return self._global_decomposable(data, store)
        flat = np.ascontiguousarray(data.scores).ravel()
        if self.average == "micro":
            weight = self._entry_weights(data, data.n_labels)
            truth = data.truth.ravel()
            cuts = cut_totals(flat, (weight * truth, weight * ~truth))
            tp, fp = cuts.totals
            values = self._value(tp, fp, data.positives.sum() - tp, data.negatives.sum() - fp)
            return best_of_curve(cuts.thresholds, values, store)
        return self._global_samples(data, flat, store)

    def _global_decomposable(self, data, store):
        label_weight = data.label_weights(self.average)
        start = 0.0
        values, increments = [], []
        for c in range(data.n_labels):
            cuts, curve = self._label_curve(data, c)
            start += label_weight[c] * curve[0]
            values.append(cuts.values)
            increments.append(label_weight[c] * np.diff(curve))
        cuts = cut_totals(np.concatenate(values), (np.concatenate(increments),))
        return best_of_curve(cuts.thresholds, start + cuts.totals[0], store)

    def _global_samples(self, data, flat, store):
        """Entries of a sample from its highest score, each with the change of the metric."""
        share = data.sample_share
        sample_positives = data.truth.sum(axis=1)
        row_order = np.argsort(data.scores, axis=1)[:, ::-1]
        truth = np.take_along_axis(data.truth, row_order, axis=1)
        tp = np.cumsum(truth, axis=1)
        fp = np.arange(1, data.n_labels + 1) - tp
        after = self._sample_value(data, tp, fp, sample_positives[:, None])
        nothing = np.zeros(data.n_samples)
        before = self._sample_value(data, nothing, nothing, sample_positives)
        changes = np.diff(after, axis=1, prepend=before[:, None]) * share[:, None]
        increments = np.empty(flat.shape[0])
        rows = np.arange(data.n_samples)[:, None] * data.n_labels
        increments[(rows + row_order).ravel()] = changes.ravel()
        cuts = cut_totals(flat, (increments,))
        return best_of_curve(cuts.thresholds, share @ before + cuts.totals[0], store)

    def label_search(self, data, thresholds, c, store=False):
        if self.decomposable:
            cuts, values = self._label_curve(data, c)
            return best_of_curve(cuts.thresholds, values, store)
        return self.label_steps(data, thresholds).search(c, store)

    def label_steps(self, data, thresholds):
        """Label-by-label searches from ``thresholds`` (see :class:`._objectives.CoupledSteps`)."""
        if self.decomposable:
            return LabelSteps(self, data, thresholds)
        return CoupledSteps(self, data, thresholds)

    def micro_step(self, data, column, truth, tp, fp, store):
        """Best threshold of one label for the micro average (the others' totals ``tp``, ``fp``)."""
        weight = self._entry_weights(data)
        cuts = cut_totals(column, (weight * truth, weight * ~truth))
        tp, fp = tp + cuts.totals[0], fp + cuts.totals[1]
        values = self._value(tp, fp, data.positives.sum() - tp, data.negatives.sum() - fp)
        return best_of_curve(cuts.thresholds, values, store)

    def samples_step(self, data, column, truth, tp, fp, sample_positives, store):
        """Best threshold of one label for the samples average (the others' per-sample counts)."""
        share = data.sample_share
        before = self._sample_value(data, tp, fp, sample_positives)
        after = self._sample_value(data, tp + truth, fp + ~truth, sample_positives)
        cuts = cut_totals(column, (share * (after - before),))
        return best_of_curve(cuts.thresholds, share @ before + cuts.totals[0], store)
