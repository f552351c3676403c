"""Exactness of the sort-and-count sweeps against plain-NumPy brute force."""

import numpy as np
import pytest
from sklearn.metrics import fbeta_score

from skmultilabel.thresholds import _label_merge
from skmultilabel.thresholds._label_merge import _heap_sort
from skmultilabel.thresholds._objectives import FBetaObjective, TuningData
from skmultilabel.thresholds._sweep import (
    FBeta,
    Groups,
    StartCounts,
    best_per_label,
    grouped_search,
    single_sweep,
)


def fbeta_reference(y, predicted, weight, beta, zero_division=0.0):
    """F-beta of 0/1 predictions, in plain NumPy."""
    tp = np.sum(weight * (y & predicted))
    fp = np.sum(weight * (~y & predicted))
    fn = np.sum(weight * (y & ~predicted))
    denominator = (1 + beta**2) * tp + beta**2 * fn + fp
    return zero_division if denominator == 0 else (1 + beta**2) * tp / denominator


def every_cut(scores):
    """Thresholds realising every distinct prediction set of ``scores >= t``."""
    return np.concatenate([np.unique(scores), [np.inf]])


def random_problem(rng, n, dtype, ties=False):
    scores = rng.random(n)
    if ties:
        scores = np.round(scores * 8) / 8
    y = rng.random(n) < 0.3 + 0.4 * scores
    return scores.astype(dtype), y


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0])
def test_single_sweep_is_the_exact_maximum(rng, dtype, ties, beta):
    scores, y = random_problem(rng, 300, dtype, ties)
    weight = np.ones(300)
    threshold, score, _ = single_sweep(scores, y, None, StartCounts(y.sum()), FBeta(beta, 0.0))
    exhaustive = max(fbeta_reference(y, scores >= t, weight, beta) for t in every_cut(scores))
    fine_grid = max(
        fbeta_reference(y, scores >= t, weight, beta) for t in np.linspace(-0.1, 1.1, 2401)
    )
    assert score == pytest.approx(exhaustive, rel=1e-12)
    assert score >= fine_grid - 1e-12
    assert fbeta_reference(y, scores >= threshold, weight, beta) == pytest.approx(score, rel=1e-12)


def test_threshold_is_midway_between_neighbouring_distinct_scores(rng):
    scores, y = random_problem(rng, 200, np.float64, ties=True)
    threshold, _, curve = single_sweep(
        scores, y, None, StartCounts(y.sum()), FBeta(1.0, 0.0), store=True
    )
    distinct = np.unique(scores)
    inner = curve[0][1:-1]
    np.testing.assert_allclose(inner, (distinct[:-1] + distinct[1:]) / 2)
    assert curve[0][0] < distinct[0] < distinct[-1] < curve[0][-1]
    assert len(curve[0]) == len(distinct) + 1
    upper = distinct[distinct >= threshold].min()
    lower = distinct[distinct < threshold].max()
    assert threshold == pytest.approx((upper + lower) / 2)


def test_curve_scores_match_brute_force(rng):
    scores, y = random_problem(rng, 150, np.float64, ties=True)
    _, _, (thresholds, values) = single_sweep(
        scores, y, None, StartCounts(y.sum()), FBeta(1.0, 0.0), store=True
    )
    expected = [fbeta_reference(y, scores >= t, np.ones(150), 1.0) for t in thresholds]
    np.testing.assert_allclose(values, expected, rtol=1e-12)


def test_adjacent_floats_are_still_separated():
    low = 0.3
    high = np.nextafter(low, 1.0)
    scores = np.array([low, high, high, low])
    y = np.array([False, True, True, False])
    threshold, score, _ = single_sweep(scores, y, None, StartCounts(2), FBeta(1.0, 0.0))
    assert score == 1.0
    np.testing.assert_array_equal(scores >= threshold, y)


@pytest.mark.parametrize("value", [0.3, -7.0, 1e20])
def test_constant_scores_give_all_or_nothing(value):
    scores = np.full(10, value)
    y = np.arange(10) < 4
    threshold, score, (thresholds, _) = single_sweep(
        scores, y, None, StartCounts(4), FBeta(1.0, 0.0), store=True
    )
    assert len(thresholds) == 2
    assert thresholds[0] < value < thresholds[1]
    assert threshold < value
    assert score == pytest.approx(fbeta_reference(y, np.ones(10, bool), np.ones(10), 1.0))


def test_no_positive_uses_zero_division():
    scores = np.linspace(0, 1, 6)
    y = np.zeros(6, bool)
    threshold, score, _ = single_sweep(scores, y, None, StartCounts(0), FBeta(1.0, 1.0))
    assert score == 1.0
    assert not np.any(scores >= threshold)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_integer_weights_equal_repeated_rows(rng, dtype):
    scores, y = random_problem(rng, 120, dtype, ties=True)
    weight = rng.integers(0, 4, 120).astype(np.float64)
    weighted = single_sweep(scores, y, weight, StartCounts(weight @ y), FBeta(1.0, 0.0))
    repeat = weight.astype(int)
    repeated = single_sweep(
        np.repeat(scores, repeat), np.repeat(y, repeat), None,
        StartCounts(np.repeat(y, repeat).sum()), FBeta(1.0, 0.0),
    )
    assert weighted.score == pytest.approx(repeated.score, rel=1e-6)
    assert weighted.score == pytest.approx(
        fbeta_score(y, scores >= weighted.threshold, beta=1.0, sample_weight=weight), rel=1e-6
    )


def test_best_per_label_matches_single_sweeps_and_sklearn(rng):
    scores = rng.random((80, 4))
    truth = rng.random((80, 4)) < scores
    weight = rng.random(80)
    thresholds, label_scores = best_per_label(scores, truth, weight, FBeta(1.0, 0.0))
    for c in range(4):
        exhaustive = max(
            fbeta_reference(truth[:, c], scores[:, c] >= t, weight, 1.0)
            for t in every_cut(scores[:, c])
        )
        assert label_scores[c] == pytest.approx(exhaustive, rel=1e-12)
    np.testing.assert_allclose(
        label_scores,
        fbeta_score(truth, scores >= thresholds, beta=1.0, average=None, sample_weight=weight),
        rtol=1e-12,
    )


@pytest.mark.parametrize("average", ["micro", "macro", "weighted", "samples"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_global_sweep_is_exact_for_every_average(rng, average, weighted, dtype):
    scores = (np.round(rng.random((40, 3)) * 20) / 20).astype(dtype)
    truth = rng.random((40, 3)) < scores
    weight = rng.random(40) + 0.1 if weighted else None
    data = TuningData(scores, truth, weight)
    objective = FBetaObjective(average)
    threshold, score, (thresholds, values) = objective.global_search(data, store=True)

    def brute(t):
        return fbeta_score(
            truth, scores >= t, beta=1.0, average=average, sample_weight=weight, zero_division=0.0
        )

    # weights travel in the scores' dtype
    rel = 1e-9 if dtype == np.float64 or not weighted else 1e-6
    assert score == pytest.approx(max(brute(t) for t in every_cut(scores.ravel())), rel=rel)
    assert objective.evaluate(data, scores >= threshold) == pytest.approx(score, rel=rel)
    assert len(thresholds) == len(np.unique(scores)) + 1
    np.testing.assert_allclose(values, [brute(t) for t in thresholds], rtol=rel)


def flat_grouped_search(objective, data, store):
    """Macro / weighted global search the plain way: one argsort of all entries, groups = labels."""
    n_samples, n_labels = data.scores.shape
    weight = np.ones(n_samples) if data.sample_weight is None else data.sample_weight
    groups = Groups(
        np.tile(np.arange(n_labels), n_samples), data.label_weights(objective.average),
        data.positives, np.zeros(n_labels), np.zeros(n_labels),
    )
    return grouped_search(
        np.ascontiguousarray(data.scores).ravel(), data.truth.ravel(), np.repeat(weight, n_labels),
        groups, FBeta(objective.beta, objective.zero_division), store=store,
    )


def merge_problem(rng, kind, shape):
    """Scores of a kind: continuous, rounded (ties), constant or near ties (last bits, +-0.0)."""
    if kind == "continuous":
        return rng.standard_normal(shape)
    if kind == "ties":
        return np.round(rng.random(shape) * 8) / 8
    if kind == "constant":
        return np.full(shape, 0.3)
    base = np.array([0.3, -0.0, 0.0, -2.5])
    near = np.concatenate([base, np.nextafter(base, 1), np.nextafter(base, -1)])
    return rng.choice(near, size=shape)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["continuous", "ties", "constant", "near_ties"])
@pytest.mark.parametrize("weighted", [False, True])
def test_label_merge_search_equals_flat_grouped_search(rng, dtype, kind, weighted, monkeypatch):
    # the merge kernels on every size (by default, small inputs take the grouped sweep itself)
    monkeypatch.setattr(_label_merge, "MERGE_MIN_ENTRIES", 0)
    # (1500, 3): 4500 entries, several gather chunks; (6, 200): 400 segments, 9-bit segment tags
    for shape in [(0, 2), (1, 1), (2, 3), (3, 2), (40, 1), (40, 5), (1500, 3), (6, 200)]:
        scores = merge_problem(rng, kind, shape).astype(dtype)
        truth = rng.random(shape) < 0.4
        truth[:, 0] = shape[1] == 1 and truth[:, 0]  # with several labels, label 0 has no positive
        weight = rng.uniform(0.1, 2.0, shape[0]) if weighted else None
        data = TuningData(scores, truth, weight)
        for objective in [FBetaObjective("macro"), FBetaObjective("weighted", 2.0, 1.0)]:
            threshold, score, (thresholds, values) = objective.global_search(data, store=True)
            expected_threshold, expected_score, expected_curve = flat_grouped_search(
                objective, data, store=True
            )
            assert threshold == expected_threshold
            assert score == pytest.approx(expected_score, rel=1e-12)
            np.testing.assert_array_equal(thresholds, expected_curve[0])
            np.testing.assert_allclose(values, expected_curve[1], rtol=1e-12)
            assert objective.global_search(data)[:2] == (threshold, score)


@pytest.mark.parametrize("weighted", [False, True])
def test_small_global_search_takes_the_grouped_sweep_with_the_merge_result(rng, weighted):
    shape = (300, 4)  # 1,200 entries, below MERGE_MIN_ENTRIES
    assert shape[0] * shape[1] < _label_merge.MERGE_MIN_ENTRIES
    scores = merge_problem(rng, "ties", shape)
    weight = rng.uniform(0.1, 2.0, shape[0]) if weighted else None
    data = TuningData(scores, rng.random(shape) < 0.4, weight)
    objective = FBetaObjective("weighted", 2.0, 1.0)
    args = (data.scores, data.truth, data.sample_weight, data.label_weights("weighted"),
            data.positives, objective.fbeta, True)
    small = _label_merge.label_merge_search(*args)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_label_merge, "MERGE_MIN_ENTRIES", 0)
        merged = _label_merge.label_merge_search(*args)
    assert small.threshold == merged.threshold
    assert small.score == pytest.approx(merged.score, rel=1e-12)
    np.testing.assert_array_equal(small.curve[0], merged.curve[0])
    np.testing.assert_allclose(small.curve[1], merged.curve[1], rtol=1e-12)


@pytest.mark.parametrize("average", ["micro", "samples"])
def test_label_step_is_exact_given_the_other_labels(rng, average):
    scores = np.round(rng.random((50, 4)) * 25) / 25
    truth = rng.random((50, 4)) < scores
    current = np.array([0.4, 0.5, 0.6, 0.3])
    data = TuningData(scores, truth, None)
    objective = FBetaObjective(average)
    threshold, score, _ = objective.label_search(data, current, 2)

    def with_label_2_at(t):
        thresholds = current.copy()
        thresholds[2] = t
        return fbeta_score(
            truth, scores >= thresholds, beta=1.0, average=average, zero_division=0.0
        )

    best = max(with_label_2_at(t) for t in every_cut(scores[:, 2]))
    assert score == pytest.approx(best, rel=1e-9)
    assert with_label_2_at(threshold) == pytest.approx(score, rel=1e-9)


def test_grouped_search_without_entries_returns_start_value():
    groups = Groups(np.empty(0, int), weight=[1.0], pos=[2.0], tp=[1.0], fp=[0.0])
    threshold, score, curve = grouped_search(
        np.empty(0), np.empty(0, bool), np.empty(0), groups, FBeta(1.0, 0.0), store=True
    )
    assert score == pytest.approx(2 / 3)
    assert threshold == np.inf and len(curve[0]) == 1


@pytest.mark.parametrize("average", ["macro", "weighted", "micro", "samples"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(("beta", "zero_division"), [(1.0, 0.0), (2.0, 1.0), (0.5, 0.0)])
def test_objective_values_equal_sklearn(rng, average, weighted, beta, zero_division):
    """Objective values from counts equal fbeta_score, with empty labels and empty samples.

    Both ``evaluate`` and ``label_scores`` are checked.
    """
    truth = rng.random((60, 4)) < [0.0, 0.1, 0.4, 0.7]  # label 0 never positive
    predictions = rng.random((60, 4)) < 0.3
    predictions[:, 1] = False  # label 1 never predicted
    truth[:5], predictions[:5] = False, False  # samples with no true and no predicted label
    weight = rng.uniform(0.1, 2.0, 60) if weighted else None
    objective = FBetaObjective(average, beta, zero_division)
    data = TuningData(np.zeros((60, 4)), truth, weight)
    common = dict(beta=beta, sample_weight=weight, zero_division=zero_division)
    assert objective.evaluate(data, predictions) == pytest.approx(
        fbeta_score(truth, predictions, average=average, **common), rel=1e-12
    )
    np.testing.assert_allclose(
        objective.label_scores(data, predictions),
        fbeta_score(truth, predictions, average=None, **common),
        rtol=1e-12,
    )
    nobody = np.zeros_like(truth)
    if average == "weighted":  # no positive at all: scikit-learn averages the labels evenly
        no_positive = TuningData(data.scores, nobody, weight)
        assert objective.evaluate(no_positive, predictions) == pytest.approx(
            fbeta_score(nobody, predictions, average=average, **common), rel=1e-12
        )


def test_heap_sort_orders_near_tie_groups_of_any_size(rng):
    for size in [0, 1, 2, 7, 64]:
        value = rng.integers(0, 5, size).astype(np.float64)  # many repeats
        segment = np.arange(size)
        original = value.copy()
        _heap_sort(value, segment)
        np.testing.assert_array_equal(value, np.sort(original))
        np.testing.assert_array_equal(original[segment], value)  # segments moved along


@pytest.mark.parametrize("average", ["micro", "samples"])
@pytest.mark.parametrize("weighted", [False, True])
def test_coupled_steps_keep_running_totals_equal_to_a_recount(rng, average, weighted):
    """After moves, each incremental label step equals brute force over the current thresholds."""
    scores = np.round(rng.random((60, 5)) * 20) / 20
    truth = rng.random((60, 5)) < scores
    weight = rng.uniform(0.2, 2.0, 60) if weighted else None
    data = TuningData(scores, truth, weight)
    objective = FBetaObjective(average)
    steps = objective.label_steps(data, np.full(5, 0.5))
    for c, t in [(1, 0.2), (3, 0.75), (1, 0.9), (0, -1.0), (4, 2.0)]:
        steps.move(c, t)
    for c in range(5):
        step = steps.search(c)

        def with_label_at(t):
            thresholds = steps.thresholds.copy()
            thresholds[c] = t
            return fbeta_score(
                truth, scores >= thresholds, beta=1.0, average=average, sample_weight=weight,
                zero_division=0.0,
            )

        best = max(with_label_at(t) for t in every_cut(scores[:, c]))
        assert step.score == pytest.approx(best, rel=1e-12)
        assert with_label_at(step.threshold) == pytest.approx(step.score, rel=1e-12)
