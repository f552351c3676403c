"""Property-based tests (hypothesis): random shapes and values.

hypothesis draws the shapes and a seed; the values come from a NumPy
generator of that seed, so that they avoid the kinks of the hinge and
clipped losses (hypothesis' favourite values 0 and 1 sit exactly on them).
"""

import numpy as np
from _loss_at_epoch import at_an_epoch
from _score_lookup import ScoreLookup
from hypothesis import given, settings
from hypothesis import strategies as st

from skmultilabel import (
    MLROS,
    MLRUS,
    MLSMOTE,
    MultilabelStratifiedKFold,
    MultilabelStratifiedShuffleSplit,
    PerClassThresholdTuner,
)
from skmultilabel.losses import LOSSES, AsymmetricLoss, FocalLoss

SETTINGS = settings(max_examples=25, deadline=None)
LOSS_OBJECTS = [at_an_epoch(cls()) for _, cls in sorted(LOSSES.items())] + [
    FocalLoss(gamma=0.5, alpha=0.3),
    AsymmetricLoss(gamma_pos=1.0, gamma_neg=2.0, clip=0.1),
]


def random_target(rng, n_samples, n_labels, rate=0.4):
    return (rng.random((n_samples, n_labels)) < rate).astype(float)


@SETTINGS
@given(
    loss=st.sampled_from(LOSS_OBJECTS),
    n_samples=st.integers(1, 12),
    n_labels=st.integers(1, 5),
    scale=st.sampled_from([0.1, 1.0, 4.0]),
    seed=st.integers(0, 2**32 - 1),
)
def test_loss_gradient_matches_finite_differences(loss, n_samples, n_labels, scale, seed):
    rng = np.random.default_rng(seed)
    Y = random_target(rng, n_samples, n_labels)
    raw = rng.normal(0.0, scale, Y.shape)
    sample_weight = rng.uniform(0.2, 2.0, n_samples)
    weights = rng.uniform(0.2, 2.0, n_labels)
    args = (sample_weight, weights, weights)
    grad = loss.gradient(Y, raw, *args)
    step = 1e-6
    numeric = np.empty_like(raw)
    for index in np.ndindex(raw.shape):
        up, down = raw.copy(), raw.copy()
        up[index] += step
        down[index] -= step
        numeric[index] = (loss.loss(Y, up, *args) - loss.loss(Y, down, *args)) / (2 * step)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-7)


def tagged_data(rng, n_samples, n_labels, n_features=3):
    """X whose first column is the row number, so that every output row names its origin."""
    X = np.column_stack(
        [np.arange(n_samples, dtype=float), rng.normal(size=(n_samples, n_features))]
    )
    rates = rng.uniform(0.05, 0.7, n_labels)
    return X, (rng.random((n_samples, n_labels)) < rates).astype(np.int64)


SHAPES = {
    "n_samples": st.integers(2, 40),
    "n_labels": st.integers(1, 6),
    "seed": st.integers(0, 2**32 - 1),
}


@SETTINGS
@given(sampler=st.sampled_from([MLROS(percentage=60), MLRUS(percentage=40)]), **SHAPES)
def test_random_resamplers_keep_rows_aligned(sampler, n_samples, n_labels, seed):
    rng = np.random.default_rng(seed)
    X, Y = tagged_data(rng, n_samples, n_labels)
    X_res, Y_res = sampler.set_params(random_state=seed % 1000).fit_resample(X, Y)
    origin = X_res[:, 0].astype(np.intp)
    np.testing.assert_array_equal(X_res, X[origin])
    np.testing.assert_array_equal(Y_res, Y[origin])
    np.testing.assert_array_equal(origin, sampler.sample_indices_)


@SETTINGS
@given(rule=st.sampled_from(["union", "intersection"]), k=st.integers(1, 4), **SHAPES)
def test_mlsmote_rows_lie_between_two_rows_and_follow_the_label_rule(
    rule, k, n_samples, n_labels, seed
):
    """Originals first and unchanged; synthetic rows interpolate two rows sharing a label.

    Each synthetic row x = a + u (b - a), u in [0, 1], of two original rows sharing a label,
    labelled by the rule: union holds the labels of a and b, intersection only labels both hold.
    """
    rng = np.random.default_rng(seed)
    X, Y = tagged_data(rng, n_samples, n_labels)
    X_res, Y_res = MLSMOTE(k_neighbors=k, label_generation=rule, random_state=0).fit_resample(X, Y)
    np.testing.assert_array_equal(X_res[:n_samples], X)
    np.testing.assert_array_equal(Y_res[:n_samples], Y)
    for x, y in zip(X_res[n_samples:], Y_res[n_samples:]):
        explained = False
        for a in range(n_samples):
            for b in range(n_samples):
                if a == b or not (Y[a] & Y[b]).any():
                    continue
                step = X[b] - X[a]
                u = (x - X[a]) @ step / (step @ step)
                if -1e-9 <= u <= 1 + 1e-9 and np.allclose(X[a] + u * step, x, atol=1e-9):
                    union, common = Y[a] | Y[b], Y[a] & Y[b]
                    explained |= bool(
                        np.all(y >= union) if rule == "union" else np.all(y <= common)
                    )
        assert explained


@SETTINGS
@given(n_splits=st.integers(2, 5), **SHAPES)
def test_kfold_partitions_the_indices(n_splits, n_samples, n_labels, seed):
    rng = np.random.default_rng(seed)
    _, Y = tagged_data(rng, max(n_samples, n_splits), n_labels)
    n = Y.shape[0]
    tests = []
    splitter = MultilabelStratifiedKFold(n_splits, shuffle=True, random_state=seed % 1000)
    for train, test in splitter.split(Y, Y):
        np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(n))
        assert np.intersect1d(train, test).size == 0
        tests.append(test)
    np.testing.assert_array_equal(np.sort(np.concatenate(tests)), np.arange(n))
    sizes = [n // n_splits + (fold < n % n_splits) for fold in range(n_splits)]  # as KFold
    assert sorted(len(t) for t in tests) == sorted(sizes)


@SETTINGS
@given(test_fraction=st.floats(0.1, 0.5), **SHAPES)
def test_shuffle_split_gives_disjoint_sets_of_the_asked_sizes(
    test_fraction, n_samples, n_labels, seed
):
    rng = np.random.default_rng(seed)
    _, Y = tagged_data(rng, max(n_samples, 10), n_labels)
    n = Y.shape[0]
    n_test = int(np.ceil(test_fraction * n))
    splitter = MultilabelStratifiedShuffleSplit(3, test_size=test_fraction, random_state=1)
    for train, test in splitter.split(Y, Y):
        assert len(test) == n_test and len(train) == n - n_test
        assert np.intersect1d(train, test).size == 0
        assert len(np.unique(np.concatenate([train, test]))) == n


@SETTINGS
@given(n_samples=st.integers(2, 40), n_labels=st.integers(2, 4), ties=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
def test_exact_threshold_search_beats_every_grid_threshold(n_samples, n_labels, ties, seed):
    rng = np.random.default_rng(seed)
    scores = rng.random((n_samples, n_labels))
    if ties:
        scores = np.round(scores, 1)
    Y = (rng.random((n_samples, n_labels)) < 0.4).astype(int)
    Y[0], Y[1] = 1, 0  # every label has a positive and a negative
    X = np.arange(n_samples)[:, None]
    tuner = PerClassThresholdTuner(
        ScoreLookup(scores), cv="prefit", refit=False, min_positives=0, margin=0
    )
    tuner.fit(X, Y)
    grid = np.linspace(scores.min() - 0.01, scores.max() + 0.01, 301)
    for c in range(n_labels):
        tuned = f1(Y[:, c], scores[:, c][:, None] >= tuner.thresholds_[c])
        assert tuned[0] >= f1(Y[:, c], scores[:, c][:, None] >= grid).max() - 1e-12


def f1(truth, predicted):
    """F1 of each column of ``predicted`` (0 when undefined), in plain NumPy."""
    tp = (predicted & (truth[:, None] == 1)).sum(axis=0)
    return 2 * tp / np.maximum(predicted.sum(axis=0) + truth.sum(), 1)
