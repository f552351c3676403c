"""F-beta of a binary target averaged over both classes, as scikit-learn's averages score it.

On a binary target scikit-learn's ``f1_score(average=...)`` (``"f1_macro"``,
``"f1_weighted"``, ``"f1_micro"``) scores the positive *and* the negative class.
With the (weighted) counts of one threshold, ``P`` positives, ``N`` negatives,

    tp, fp (predicted positive),  fn = P - tp,  tn = N - fp
    F_pos = F_beta(tp, fn, fp),   F_neg = F_beta(tn, fp, fn)

(the negative class's true positives are ``tn``, its misses the false
positives, its false alarms the false negatives), and

* macro:    (F_pos + F_neg) / 2
* weighted: (P F_pos + N F_neg) / (P + N)     (supports as weights)
* micro:    (tp + tn) / (P + N)               (pooled counts: the accuracy, for every beta)

The search is exact: the scores are sorted once and the counts of every
distinct cut taken by cumulative sums (plain NumPy, O(n log n)); the cuts get
the thresholds of :mod:`._sweep` (midway between neighbouring distinct scores,
mirrored gaps outside) and ties go to the highest threshold, as there.
"""

import numpy as np

from ._objectives import LabelSteps
from ._sweep import BestCut

__all__ = ["BinaryAverageFBeta"]


def _weights(data):
    """The sample weights of ``data``, ones when it has none."""
    return np.ones(data.n_samples) if data.sample_weight is None else data.sample_weight


def _fbeta(tp, fn, fp, beta2, zero_division):
    denominator = (1.0 + beta2) * tp + beta2 * fn + fp
    defined = denominator > 0
    return np.where(
        defined, (1.0 + beta2) * tp / np.where(defined, denominator, 1.0), zero_division
    )


def _outer(extreme, neighbour, direction):
    gap = max(1.0, abs(extreme)) if neighbour == extreme else abs(extreme - neighbour)
    threshold = extreme + direction * 0.5 * gap
    if (threshold - extreme) * direction <= 0:
        threshold = np.nextafter(extreme, direction * np.inf)
    return threshold


def _cut_thresholds(distinct):
    """Thresholds: above ``distinct[0]`` (descending), between neighbours, below the last."""
    upper, lower = distinct[:-1], distinct[1:]
    between = 0.5 * upper + 0.5 * lower
    between = np.where((between <= lower) | (between > upper), upper, between)
    top = _outer(distinct[0], distinct[min(1, distinct.size - 1)], 1.0)
    bottom = _outer(distinct[-1], distinct[max(distinct.size - 2, 0)], -1.0)
    return np.concatenate([[top], between, [bottom]])


class BinaryAverageFBeta:
    """Macro, weighted or micro F-beta of both classes of a binary target (one score column)."""

    decomposable = False

    def __init__(self, average, beta=1.0, zero_division=0.0):
        self.average = average
        self.beta = beta
        self.zero_division = zero_division

    def _average(self, tp, fp, positives, negatives):
        if self.average == "micro":
            return (tp + negatives - fp) / (positives + negatives)
        beta2 = float(self.beta) ** 2
        fn, tn = positives - tp, negatives - fp
        f_pos = _fbeta(tp, fn, fp, beta2, self.zero_division)
        f_neg = _fbeta(tn, fp, fn, beta2, self.zero_division)
        if self.average == "weighted":
            return (positives * f_pos + negatives * f_neg) / (positives + negatives)
        return 0.5 * (f_pos + f_neg)

    def evaluate(self, data, predictions):
        """The objective of 0/1 ``predictions`` of shape (n_samples, 1)."""
        predicted, truth = predictions[:, 0], data.truth[:, 0]
        weight = _weights(data)
        positives, negatives = weight @ truth, weight @ ~truth
        tp, fp = weight @ (predicted & truth), weight @ (predicted & ~truth)
        return float(self._average(tp, fp, positives, negatives))

    def label_scores(self, data, predictions):
        """The objective itself: a binary target is one label."""
        return np.array([self.evaluate(data, predictions)])

    def global_search(self, data, store=False):
        """Best threshold: ``(threshold, score, curve)`` as :func:`._sweep.single_sweep`."""
        scores, truth = data.scores[:, 0], data.truth[:, 0]
        order = np.argsort(-scores, kind="stable")
        ordered = scores[order]
        weight = _weights(data)[order]
        ends = np.flatnonzero(np.append(ordered[1:] != ordered[:-1], True))
        positive_weight = np.where(truth[order], weight, 0.0)
        tp = np.concatenate([[0.0], np.cumsum(positive_weight)[ends]])
        fp = np.concatenate([[0.0], np.cumsum(weight - positive_weight)[ends]])
        curve_scores = self._average(tp, fp, tp[-1], fp[-1])
        thresholds = _cut_thresholds(ordered[ends].astype(np.float64))
        best = int(np.argmax(curve_scores))
        curve = (thresholds[::-1].copy(), curve_scores[::-1].copy()) if store else None
        return BestCut(float(thresholds[best]), float(curve_scores[best]), curve)

    def label_search(self, data, thresholds, c, store=False):
        """The only label's search is the global one."""
        return self.global_search(data, store=store)

    def label_steps(self, data, thresholds):
        """Coordinate-ascent steps: the one label's search is the global one."""
        return LabelSteps(self, data, thresholds)
