"""Choose a candidate (alpha, pos_weight) per label, or one for all, from out-of-fold scores.

Each candidate k has pooled out-of-fold scores S_k (n_samples, n_labels).
Every candidate is first searched on its own, with the thresholds layer's
exact sweep (:func:`~skmultilabel.thresholds._search.search_thresholds`, no
noise margin): this gives its objective value, and each label's best
threshold and own F-beta there.

* Shared choice (``per_label=False``, or a model that does not decompose): the
  candidate with the best objective value; ties go to the preferred candidate.
* Per label, decomposable objective (macro or weighted F-beta): the objective
  is a fixed weighted sum of the labels' own F-beta, so each label c maximises
  its own score independently. One-standard-error rule, as the tuner's noise
  margin: the candidates whose score for c is within ``margin`` of c's best
  (by default one standard error of that best score,
  :meth:`FBetaObjective.std_error`) qualify. If the best shared candidate
  qualifies, c keeps it; otherwise c takes the preferred qualifying one: the
  largest alpha, then the smallest positive weight of c. A label thus leaves
  the shared choice only for a gain larger than the noise of its score (rare
  labels, whose scores are the noisiest, rarely do), and then toward the more
  regularised, less reweighted end of what its noise allows.
* Per label, coupled objective (micro or samples F-beta): coordinate ascent
  from the best shared candidate. A step gives label c the column of another
  candidate and re-optimises c's threshold with the others fixed (an exact
  sweep); it is kept only when the objective rises, so the result never scores
  below the best shared candidate.
"""

from typing import NamedTuple

import numpy as np

from ..thresholds._objectives import TuningData
from ..thresholds._search import search_thresholds

__all__ = [
    "CandidateSearch",
    "choose_per_label",
    "choose_shared",
    "coordinate_ascent",
    "search_candidates",
]

_MAX_ROUNDS = 20
_RELATIVE_TOLERANCE = 1e-12


class CandidateSearch(NamedTuple):
    """Every candidate searched on its own (rows: candidates, columns: labels)."""

    scores: np.ndarray  # (n_candidates,) objective value
    thresholds: np.ndarray  # (n_candidates, n_labels)
    label_scores: np.ndarray  # (n_candidates, n_labels) each label's own score
    std_errors: np.ndarray  # (n_candidates, n_labels), NaN for coupled objectives


def search_candidates(oof, Y, sample_weight, objective):
    """Search every candidate's out-of-fold scores ``oof`` (n_candidates, n_samples, n_labels)."""
    rows = []
    for scores in oof:
        data = TuningData(scores, Y, sample_weight)
        result = search_thresholds(
            data, objective, strategy="per_class", fixed_threshold=0.5, min_positives=0,
            margin=0, store=False,
        )
        std_error = (
            objective.std_error(data, result.thresholds) if objective.decomposable
            else np.full(Y.shape[1], np.nan)
        )
        rows.append((result.best_score, result.thresholds, result.label_scores, std_error))
    scores, thresholds, label_scores, std_errors = (np.array(part) for part in zip(*rows))
    return CandidateSearch(scores, thresholds, label_scores, std_errors)


def choose_shared(search, preference):
    """Index of the best candidate; ``preference`` (n_candidates,) ranks ties (0 first)."""
    best = search.scores.max()
    return int(np.flatnonzero(search.scores == best)[np.argmin(preference[search.scores == best])])


def choose_per_label(search, preference, margin, reference):
    """Per-label candidate indices of a decomposable objective (one-standard-error rule).

    ``preference`` (n_candidates, n_labels) ranks the candidates of each label,
    0 the most preferred; ``margin`` is "std_error" or a float >= 0;
    ``reference`` is the best shared candidate, kept by every label whose
    score there is within the margin of its best.
    """
    label_scores = search.label_scores
    labels = np.arange(label_scores.shape[1])
    # the best candidate of each label, the preferred one among equal scores
    at_best = label_scores == label_scores.max(axis=0)
    best = np.argmin(np.where(at_best, preference, np.inf), axis=0)
    tolerance = search.std_errors[best, labels] if margin == "std_error" else float(margin)
    qualifying = label_scores >= label_scores[best, labels] - tolerance
    choice = np.argmin(np.where(qualifying, preference, np.inf), axis=0)
    return np.where(qualifying[reference], reference, choice)


def coordinate_ascent(oof, Y, sample_weight, objective, search, start):
    """Per-label candidate indices of a coupled objective, from the shared candidate ``start``."""
    n_candidates, _, n_labels = oof.shape
    choice = np.full(n_labels, start)
    scores = oof[start].copy()
    thresholds = search.thresholds[start].copy()
    value = search.scores[start]
    for _ in range(_MAX_ROUNDS):
        improved = False
        for c in range(n_labels):
            for k in range(n_candidates):
                if k == choice[c]:
                    continue
                kept = scores[:, c].copy()
                scores[:, c] = oof[k, :, c]
                data = TuningData(scores, Y, sample_weight)
                threshold, candidate, _ = objective.label_search(data, thresholds, c)
                if candidate > value + _RELATIVE_TOLERANCE * max(1.0, abs(value)):
                    choice[c], thresholds[c], value, improved = k, threshold, candidate, True
                else:
                    scores[:, c] = kept
        if not improved:
            break
    return choice
