"""Iterative stratification: kernel against a plain-NumPy reference, fold quality, splitter API."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.multiclass import OneVsRestClassifier

from skmultilabel.datasets import load_yeast
from skmultilabel.model_selection import MultilabelStratifiedKFold, MultilabelStratifiedShuffleSplit


def reference_folds(Y, capacity, label_draws, row_draws):
    """Iterative stratification over the labels and their complements, written with dense arrays.

    ``Y`` rows are in processing order. Pseudo-label ``c`` is label ``c``, ``n_labels + c``
    its absence.
    """
    n_samples, n_labels = Y.shape
    pseudo_labels = np.hstack([Y, 1 - Y]).astype(bool)
    capacity = np.asarray(capacity)
    target = np.outer(capacity / n_samples, pseudo_labels.sum(axis=0))
    given = np.zeros_like(target)
    room = capacity.copy()
    folds = np.full(n_samples, -1)
    for step in range(2 * n_labels):
        remaining = pseudo_labels[folds < 0].sum(axis=0)
        if not remaining.any():
            break
        ties = np.flatnonzero(remaining == remaining[remaining > 0].min())
        pseudo = ties[min(int(label_draws[step] * len(ties)), len(ties) - 1)]
        for row in np.flatnonzero(pseudo_labels[:, pseudo] & (folds < 0)):
            desired = target[:, pseudo] - given[:, pseudo]
            open_folds = np.flatnonzero(room > 0)
            best = open_folds[desired[open_folds] == desired[open_folds].max()]
            best = best[room[best] == room[best].max()]
            fold = best[min(int(row_draws[row] * len(best)), len(best) - 1)]
            folds[row] = fold
            room[fold] -= 1
            given[fold] += pseudo_labels[row]
    assert (folds >= 0).all()
    return folds


def kfold_capacity(n_samples, n_splits):
    capacity = np.full(n_splits, n_samples // n_splits)
    capacity[: n_samples % n_splits] += 1
    return capacity


def fold_of(splitter, X, Y):
    """Fold of every sample, checking that the splits partition the indices."""
    n_samples = Y.shape[0]
    folds = np.full(n_samples, -1)
    for fold, (train, test) in enumerate(splitter.split(X, Y)):
        assert (folds[test] == -1).all(), "test sets overlap"
        folds[test] = fold
        np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(n_samples))
    return folds


def largest_rate_deviation(Y, splits):
    """Largest |positive rate of a label in a test fold - its rate in the whole data|."""
    overall = Y.mean(axis=0)
    return max(np.abs(Y[test].mean(axis=0) - overall).max() for _, test in splits)


def random_target(rng, n_samples, n_labels):
    rates = rng.uniform(0.03, 0.7, n_labels)
    return (rng.random((n_samples, n_labels)) < rates).astype(np.int64)




@pytest.mark.parametrize("n_samples, n_labels, n_splits", [(40, 3, 3), (75, 6, 5), (31, 1, 4)])
def test_kernel_matches_reference_in_order(rng, n_samples, n_labels, n_splits):
    Y = random_target(rng, n_samples, n_labels)
    X = np.zeros((n_samples, 1))
    folds = fold_of(MultilabelStratifiedKFold(n_splits=n_splits), X, Y)
    zeros = np.zeros(max(2 * n_labels, n_samples))
    expected = reference_folds(Y, kfold_capacity(n_samples, n_splits), zeros, zeros)
    np.testing.assert_array_equal(folds, expected)


@pytest.mark.parametrize("seed", [0, 5])
def test_kernel_matches_reference_shuffled(rng, seed):
    n_samples, n_labels, n_splits = 64, 5, 4
    Y = random_target(rng, n_samples, n_labels)
    folds = fold_of(
        MultilabelStratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed),
        np.zeros((n_samples, 1)),
        Y,
    )
    draws = np.random.RandomState(seed)
    order = draws.permutation(n_samples)
    label_draws, row_draws = draws.random_sample(2 * n_labels), draws.random_sample(n_samples)
    in_order = reference_folds(
        Y[order], kfold_capacity(n_samples, n_splits), label_draws, row_draws
    )
    expected = np.empty(n_samples, dtype=int)
    expected[order] = in_order
    np.testing.assert_array_equal(folds, expected)


def test_shuffle_split_matches_reference(rng):
    n_samples, n_labels = 50, 4
    Y = random_target(rng, n_samples, n_labels)
    splitter = MultilabelStratifiedShuffleSplit(
        n_splits=2, test_size=0.3, train_size=0.5, random_state=4
    )
    draws = np.random.RandomState(4)
    for train, test in splitter.split(np.zeros((n_samples, 1)), Y):
        order = draws.permutation(n_samples)
        label_draws, row_draws = draws.random_sample(2 * n_labels), draws.random_sample(n_samples)
        folds = np.empty(n_samples, dtype=int)
        folds[order] = reference_folds(Y[order], [25, 15, 10], label_draws, row_draws)
        np.testing.assert_array_equal(train, np.flatnonzero(folds == 0))
        np.testing.assert_array_equal(test, np.flatnonzero(folds == 1))


@pytest.mark.parametrize("shuffle, random_state", [(False, None), (True, 0), (True, 1)])
def fold_of_partition_with_kfold_sizes(rng, shuffle, random_state):
    Y = random_target(rng, 103, 7)
    splitter = MultilabelStratifiedKFold(n_splits=4, shuffle=shuffle, random_state=random_state)
    folds = fold_of(splitter, np.zeros((103, 2)), Y)
    np.testing.assert_array_equal(np.bincount(folds), kfold_capacity(103, 4))
    assert splitter.get_n_splits() == 4


def test_label_rates_closer_than_kfold_on_yeast():
    X, Y = load_yeast(return_X_y=True)
    for seed in range(3):
        plain = largest_rate_deviation(Y, KFold(5, shuffle=True, random_state=seed).split(X))
        ours = largest_rate_deviation(
            Y, MultilabelStratifiedKFold(5, shuffle=True, random_state=seed).split(X, Y)
        )
        assert ours < plain / 3
    assert largest_rate_deviation(Y, MultilabelStratifiedKFold(5).split(X, Y)) < plain / 3


def test_rare_labels_are_spread_evenly(rng):
    Y = random_target(rng, 500, 6)
    Y[:, 0] = 0
    Y[rng.choice(500, 11, replace=False), 0] = 1  # 11 positives over 5 folds: 2 or 3 per fold
    splits = list(MultilabelStratifiedKFold(5, shuffle=True, random_state=0).split(Y, Y))
    per_fold = [Y[test, 0].sum() for _, test in splits]
    assert sorted(per_fold) == [2, 2, 2, 2, 3]
    for c in range(6):
        positives = np.array([Y[test, c].sum() for _, test in splits])
        assert positives.max() - positives.min() <= 2


def test_binary_1d_target(rng):
    y = (rng.random(97) < 0.2).astype(int)
    splits = list(MultilabelStratifiedKFold(5).split(np.zeros((97, 1)), y))
    for _, test in splits:
        assert abs(y[test].sum() - y.sum() * len(test) / 97) < 1
    np.testing.assert_array_equal(
        fold_of(MultilabelStratifiedKFold(5), np.zeros((97, 1)), y),
        fold_of(MultilabelStratifiedKFold(5), np.zeros((97, 1)), y[:, None]),
    )


def test_sparse_target(rng):
    Y = random_target(rng, 60, 4)
    dense = fold_of(MultilabelStratifiedKFold(3), np.zeros((60, 1)), Y)
    np.testing.assert_array_equal(
        fold_of(MultilabelStratifiedKFold(3), np.zeros((60, 1)), sp.csr_array(Y)), dense
    )


def test_determinism(rng):
    Y = random_target(rng, 80, 5)
    X = np.zeros((80, 1))
    assert np.array_equal(
        fold_of(MultilabelStratifiedKFold(4), X, Y), fold_of(MultilabelStratifiedKFold(4), X, Y)
    )
    seeded = [
        fold_of(MultilabelStratifiedKFold(4, shuffle=True, random_state=s), X, Y)
        for s in (3, 3, 4)
    ]
    np.testing.assert_array_equal(seeded[0], seeded[1])
    assert not np.array_equal(seeded[0], seeded[2])
    Y_before = Y.copy()
    list(MultilabelStratifiedShuffleSplit(3, random_state=0).split(X, Y))
    np.testing.assert_array_equal(Y, Y_before)


@pytest.mark.parametrize(
    "test_size, train_size, n_train, n_test",
    [(0.25, None, 75, 25), (None, 60, 60, 40), (20, 50, 50, 20), (None, None, 90, 10)],
)
def test_shuffle_split_sizes_and_rates(rng, test_size, train_size, n_train, n_test):
    Y = random_target(rng, 100, 5)
    splitter = MultilabelStratifiedShuffleSplit(
        n_splits=3, test_size=test_size, train_size=train_size, random_state=0
    )
    splits = list(splitter.split(np.zeros((100, 1)), Y))
    assert splitter.get_n_splits() == 3 and len(splits) == 3
    for train, test in splits:
        assert (len(train), len(test)) == (n_train, n_test)
        assert not np.intersect1d(train, test).size
        for c in range(5):
            assert abs(Y[test, c].sum() - Y[:, c].sum() * n_test / 100) < 1.5
    assert not np.array_equal(splits[0][1], splits[1][1])


def test_works_as_cv_in_cross_val_score_and_grid_search(rng):
    X = rng.normal(size=(90, 3))
    Y = (X[:, :2] + rng.normal(scale=0.5, size=(90, 2)) > 0.3).astype(int)
    model = OneVsRestClassifier(LogisticRegression())
    scores = cross_val_score(model, X, Y, cv=MultilabelStratifiedKFold(3), scoring="f1_micro")
    assert scores.shape == (3,) and np.all(scores > 0.5)
    search = GridSearchCV(
        model,
        {"estimator__C": [0.1, 1.0]},
        cv=MultilabelStratifiedShuffleSplit(n_splits=2, test_size=0.3, random_state=0),
        scoring="f1_micro",
    ).fit(X, Y)
    assert search.best_params_["estimator__C"] in (0.1, 1.0)


def test_repr_and_pickle():
    splitter = MultilabelStratifiedKFold(n_splits=3, shuffle=True, random_state=2)
    assert repr(splitter) == "MultilabelStratifiedKFold(n_splits=3, random_state=2, shuffle=True)"
    Y = np.eye(3, dtype=int).repeat(4, axis=0)
    restored = pickle.loads(pickle.dumps(splitter))
    assert [t.tolist() for _, t in restored.split(Y, Y)] == [
        t.tolist() for _, t in splitter.split(Y, Y)
    ]


@pytest.mark.parametrize(
    "make_splitter, y, error, match",
    [
        (lambda: MultilabelStratifiedKFold(3), np.array([[0, 2]] * 6), ValueError, "0/1"),
        (lambda: MultilabelStratifiedKFold(3), None, ValueError, "requires y to be passed"),
        (
            lambda: MultilabelStratifiedKFold(3), np.array([0, 1, 2, 0, 1, 2]), ValueError,
            "Multiclass",
        ),
        (lambda: MultilabelStratifiedKFold(7), np.eye(6, dtype=int), ValueError, "n_splits=7"),
        (
            lambda: MultilabelStratifiedKFold(3, random_state=0), np.eye(6, dtype=int), ValueError,
            "shuffle",
        ),
        (
            lambda: MultilabelStratifiedShuffleSplit(test_size=1.5), np.eye(6, dtype=int),
            ValueError, "test_size",
        ),
    ],
)
def test_bad_input_raises(make_splitter, y, error, match):
    with pytest.raises(error, match=match):
        list(make_splitter().split(np.zeros((6, 1)), y))


def test_inconsistent_lengths_raise():
    with pytest.raises(ValueError, match="inconsistent"):
        list(MultilabelStratifiedKFold(2).split(np.zeros((5, 1)), np.eye(6, dtype=int)))
