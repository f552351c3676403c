"""Exact sweeps for any objective of the confusion counts, vectorised over the cuts.

Sorting the entries from the highest score and accumulating their steps (the
weight each adds to a true or false positive count, or to the objective) gives
the totals at every distinct cut at once: tied scores switch together, so only
the last entry of each run of equal scores closes a cut. A metric of the
counts (precision, recall, Jaccard, balanced accuracy, Matthews correlation,
...) is then evaluated on all cuts in one NumPy expression and the best cut is
exact, as in :mod:`._sweep`. An objective that is a sum over groups (labels for
macro averaging, samples for samples averaging) is swept through its
increments: each entry carries the change it makes to its group's term.

Cut ``0`` predicts nothing positive; cut ``k`` predicts the ``k`` highest
distinct scores positive. Cut thresholds follow the rules of :mod:`._sweep`
(midway between neighbouring distinct scores, the outer cuts mirroring the
neighbouring gap), so both kinds of sweep place a cut at the same threshold.
"""

from typing import NamedTuple

import numpy as np

from ._sweep import BestCut

__all__ = ["CutTotals", "best_of_curve", "cut_thresholds", "cut_totals"]


class CutTotals(NamedTuple):
    """Totals at every cut.

    ``thresholds``: shape (k + 1,), descending (``k`` distinct scores);
    ``values``: the highest distinct scores, descending, shape (k,);
    ``totals``: one array of shape (k + 1,) per step array, 0 at cut 0.
    """

    thresholds: np.ndarray
    values: np.ndarray
    totals: tuple


def _outer(extreme, neighbour, direction):
    """Threshold beyond ``extreme`` (``_sweep._outer_cut``)."""
    gap = max(1.0, abs(extreme)) if neighbour == extreme else abs(extreme - neighbour)
    threshold = extreme + direction * 0.5 * gap
    if direction > 0 and threshold <= extreme:
        threshold = np.nextafter(extreme, np.inf)
    if direction < 0 and threshold >= extreme:
        threshold = np.nextafter(extreme, -np.inf)
    return threshold


def cut_thresholds(values):
    """Thresholds of the cuts of the distinct ``values`` (descending, float64); shape (k + 1,)."""
    values = np.asarray(values, dtype=np.float64)
    k = values.shape[0]
    if k == 0:
        return np.array([np.inf])
    upper, lower = values[:-1], values[1:]
    between = 0.5 * upper + 0.5 * lower
    between = np.where((between <= lower) | (between > upper), upper, between)
    top = _outer(values[0], values[1] if k > 1 else values[0], 1.0)
    bottom = _outer(values[-1], values[-2] if k > 1 else values[-1], -1.0)
    return np.concatenate([[top], between, [bottom]])


def cut_totals(scores, steps, order=None):
    """Totals of each array of ``steps`` over the entries scoring ``>=`` each cut.

    Parameters
    ----------
    scores : ndarray of shape (m,)
    steps : sequence of ndarray of shape (m,)
        What each entry adds once predicted positive.
    order : ndarray of shape (m,), default=None
        Indices of the entries by descending score (ties in any order);
        computed when None.

    Returns
    -------
    CutTotals
    """
    if order is None:
        order = np.argsort(scores)[::-1]
    ranked = scores[order]
    last = np.flatnonzero(ranked[1:] != ranked[:-1])  # last entry of each run of equal scores
    last = np.append(last, ranked.shape[0] - 1) if ranked.shape[0] else last
    values = ranked[last].astype(np.float64)
    totals = tuple(
        np.concatenate([[0.0], np.cumsum(np.asarray(step, dtype=np.float64)[order])[last]])
        for step in steps
    )
    return CutTotals(cut_thresholds(values), values, totals)


def best_of_curve(thresholds, scores, store):
    """The first (highest-threshold) best cut of a curve, as :class:`BestCut`.

    ``thresholds`` descending, as from :func:`cut_totals`; the curve, if
    stored, ascending as everywhere else.
    """
    best = int(np.argmax(scores))
    curve = None
    if store:
        curve = (thresholds[::-1].copy(), np.asarray(scores, dtype=np.float64)[::-1].copy())
    return BestCut(float(thresholds[best]), float(scores[best]), curve)
