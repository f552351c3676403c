"""Exact searches of the metrics of the confusion counts against scikit-learn and brute force."""

import numpy as np
import pytest
from _score_lookup import ScoreLookup
from sklearn.metrics import accuracy_score, get_scorer, hamming_loss, make_scorer, zero_one_loss

from skmultilabel import PerClassThresholdTuner
from skmultilabel.metrics import confusion_gain_score
from skmultilabel.thresholds._count_objective import CountObjective
from skmultilabel.thresholds._count_sweep import cut_thresholds
from skmultilabel.thresholds._objectives import MetricObjective, TuningData
from skmultilabel.thresholds._scoring import resolve_objective
from skmultilabel.thresholds._sweep import FBeta, StartCounts, single_sweep

MULTILABEL = [
    f"{metric}_{average}"
    for metric in ("precision", "recall", "jaccard")
    for average in ("macro", "weighted", "micro", "samples")
]
BINARY = ["precision", "recall", "jaccard", "balanced_accuracy", "matthews_corrcoef"]


def every_cut(scores):
    """Thresholds realising every distinct prediction set of ``scores >= t``."""
    return np.concatenate([np.unique(scores), [np.inf]])


def problem(rng, n_samples=40, n_labels=3):
    scores = np.round(rng.random((n_samples, n_labels)) * 10) / 10  # ties
    truth = rng.random((n_samples, n_labels)) < scores
    truth[:2, 0] = True
    return scores, truth


def sklearn_metric(name, truth, weight):
    scorer = get_scorer(name)
    kwargs = dict(scorer._kwargs, sample_weight=weight)
    return lambda predicted: scorer._score_func(truth, predicted, **kwargs)


@pytest.mark.parametrize("name", MULTILABEL)
@pytest.mark.parametrize("weighted", [False, True])
def test_global_and_label_searches_are_exact_and_equal_sklearn(rng, name, weighted):
    scores, truth = problem(rng)
    weight = rng.uniform(0.2, 2.0, scores.shape[0]) if weighted else None
    metric = sklearn_metric(name, truth, weight)
    objective = resolve_objective(name, beta=None, n_labels=3, grid=10)
    assert isinstance(objective, CountObjective)
    data = TuningData(scores, truth, weight)

    best = objective.global_search(data, store=True)
    brute = max(metric(scores >= t) for t in every_cut(scores))
    assert best.score == pytest.approx(brute, rel=1e-12)
    assert metric(scores >= best.threshold) == pytest.approx(best.score, rel=1e-12)
    expected = [metric(scores >= t) for t in best.curve[0]]
    np.testing.assert_allclose(best.curve[1], expected, rtol=1e-12)

    current = np.array([0.3, 0.5, 0.7])
    step = objective.label_search(data, current, 1)
    if objective.decomposable:  # the label's own metric
        label_metric = sklearn_metric(name.split("_")[0], truth[:, 1], weight)
        at = lambda t: label_metric(scores[:, 1] >= t)  # noqa: E731
    else:
        at = lambda t: metric(scores >= np.where(np.arange(3) == 1, t, current))  # noqa: E731
    assert step.score == pytest.approx(max(at(t) for t in every_cut(scores[:, 1])), rel=1e-12)
    assert at(step.threshold) == pytest.approx(step.score, rel=1e-12)

    predictions = rng.random(scores.shape) < 0.4
    assert objective.evaluate(data, predictions) == pytest.approx(metric(predictions), rel=1e-12)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_metrics_are_exact_and_equal_sklearn(rng, name, weighted):
    scores, truth = problem(rng, n_labels=1)
    weight = rng.uniform(0.2, 2.0, scores.shape[0]) if weighted else None
    metric = sklearn_metric(name, truth[:, 0], weight)
    objective = resolve_objective(name, beta=None, n_labels=1, grid=10)
    thresholds, label_scores = objective.best_per_label(TuningData(scores, truth, weight))
    brute = max(metric(scores[:, 0] >= t) for t in every_cut(scores))
    assert label_scores[0] == pytest.approx(brute, rel=1e-12)
    assert metric(scores[:, 0] >= thresholds[0]) == pytest.approx(label_scores[0], rel=1e-12)


def test_binary_only_metrics_reject_a_multilabel_target():
    with pytest.raises(ValueError, match="needs a binary target"):
        resolve_objective("matthews_corrcoef", beta=None, n_labels=3, grid=10)


def test_cut_thresholds_follow_the_sweep_rules(rng):
    for scores in [np.round(rng.random(50) * 6) / 6, np.full(4, -3.0), rng.standard_normal(30)]:
        truth = rng.random(scores.shape[0]) < 0.5
        sweep = single_sweep(scores, truth, None, StartCounts(truth.sum()), FBeta(1.0), store=True)
        curve = sweep.curve
        np.testing.assert_array_equal(cut_thresholds(np.unique(scores)[::-1])[::-1], curve[0])


@pytest.mark.parametrize("scoring", ["precision_macro", "jaccard_samples", "recall_micro"])
def test_tuner_uses_the_exact_search_and_reports_the_sklearn_score(rng, scoring):
    scores, truth = problem(rng, n_samples=60, n_labels=4)
    X = np.arange(60)[:, None]
    tuner = PerClassThresholdTuner(
        ScoreLookup(scores), scoring=scoring, cv="prefit", refit=False, min_positives=0
    ).fit(X, truth)
    assert isinstance(tuner.objective_, CountObjective)
    metric = sklearn_metric(scoring, truth, None)
    assert tuner.best_score_ == pytest.approx(metric(tuner.predict(X).astype(bool)), rel=1e-12)
    global_best = max(metric(scores >= t) for t in every_cut(scores))
    assert tuner.best_score_ >= global_best - 1e-12


@pytest.mark.parametrize("weighted", [False, True])
def test_gain_matrix_scorer_is_searched_exactly(rng, weighted):
    scores, truth = problem(rng)
    weight = rng.uniform(0.2, 2.0, scores.shape[0]) if weighted else None
    gain = np.array([[0.0, -1.0], [-5.0, 2.0]])  # a false negative costs 5, a true positive gains 2
    scorer = make_scorer(confusion_gain_score, gain=gain)
    objective = resolve_objective(scorer, beta=None, n_labels=3, grid=10)
    assert isinstance(objective, CountObjective)
    data = TuningData(scores, truth, weight)

    def metric(predicted):
        return confusion_gain_score(truth, predicted, gain=gain, sample_weight=weight)

    best = objective.global_search(data)
    brute = max(metric(scores >= t) for t in every_cut(scores))
    assert best.score == pytest.approx(brute, rel=1e-12)
    thresholds, _ = objective.best_per_label(data)
    predicted = scores >= thresholds
    assert objective.evaluate(data, predicted) == pytest.approx(metric(predicted), rel=1e-12)
    for c in range(3):  # no label gains by moving its threshold alone: per-label optimum

        def moved(t):
            return metric(scores >= np.where(np.arange(3) == c, t, thresholds))

        brute = max(moved(t) for t in every_cut(scores[:, c]))
        assert metric(predicted) == pytest.approx(brute, rel=1e-12)


def test_gain_score_by_hand_and_bad_gain():
    y_true = np.array([[1, 0], [0, 0], [1, 1]])
    y_pred = np.array([[1, 1], [0, 1], [0, 1]])
    gain = [[1.0, -1.0], [-2.0, 3.0]]
    # entries: tp, fp | tn, fp | fn, tp -> (3 - 1 + 1 - 1 - 2 + 3) / 6
    assert confusion_gain_score(y_true, y_pred, gain=gain) == pytest.approx(3 / 6)
    with pytest.raises(ValueError, match="gain must be a finite 2 x 2 matrix"):
        confusion_gain_score(y_true, y_pred, gain=np.eye(3))


ENTRY_SCORERS = {
    "accuracy": "accuracy",
    "hamming": make_scorer(hamming_loss, greater_is_better=False),
    "zero_one": make_scorer(zero_one_loss, greater_is_better=False),
}


def signed_metric(scorer, truth, weight):
    """``scorer``'s metric times its sign (greater is better), on 0/1 predictions."""
    scorer = get_scorer(scorer) if isinstance(scorer, str) else scorer
    return lambda predicted: scorer._sign * scorer._score_func(
        truth, predicted, sample_weight=weight
    )


@pytest.mark.parametrize("name", list(ENTRY_SCORERS))
@pytest.mark.parametrize("weighted", [False, True])
def test_accuracy_and_entry_losses_are_searched_exactly(rng, name, weighted):
    scores, truth = problem(rng)
    weight = rng.uniform(0.2, 2.0, scores.shape[0]) if weighted else None
    metric = signed_metric(ENTRY_SCORERS[name], truth, weight)
    objective = resolve_objective(ENTRY_SCORERS[name], beta=None, n_labels=3, grid=10)
    assert isinstance(objective, CountObjective)
    data = TuningData(scores, truth, weight)
    best = objective.global_search(data)
    assert best.score == pytest.approx(max(metric(scores >= t) for t in every_cut(scores)))
    assert metric(scores >= best.threshold) == pytest.approx(best.score, rel=1e-12)
    current = np.array([0.3, 0.5, 0.7])
    step = objective.label_search(data, current, 1)
    at = lambda t: metric(scores >= np.where(np.arange(3) == 1, t, current))  # noqa: E731
    assert step.score == pytest.approx(max(at(t) for t in every_cut(scores[:, 1])), rel=1e-12)
    assert at(step.threshold) == pytest.approx(step.score, rel=1e-12)
    predictions = rng.random(scores.shape) < 0.4
    assert objective.evaluate(data, predictions) == pytest.approx(metric(predictions), rel=1e-12)

    binary = resolve_objective(ENTRY_SCORERS[name], beta=None, n_labels=1, grid=10, binary=True)
    metric = signed_metric(ENTRY_SCORERS[name], truth[:, 0], weight)
    data = TuningData(scores[:, :1], truth[:, :1], weight)
    thresholds, label_scores = binary.best_per_label(data)
    brute = max(metric(scores[:, 0] >= t) for t in every_cut(scores))
    assert label_scores[0] == pytest.approx(brute, rel=1e-12)
    assert metric(scores[:, 0] >= thresholds[0]) == pytest.approx(label_scores[0], rel=1e-12)


def test_unnormalised_accuracy_stays_on_the_grid():
    scorer = make_scorer(accuracy_score, normalize=False)
    objective = resolve_objective(scorer, beta=None, n_labels=3, grid=10)
    assert isinstance(objective, MetricObjective)
