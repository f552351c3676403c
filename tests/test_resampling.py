"""MLROS, MLRUS and MLSMOTE: the algorithms, the sampler API and the pipeline integration."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from imblearn.base import is_sampler
from imblearn.pipeline import make_pipeline
from scipy.optimize import linear_sum_assignment
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.multiclass import OneVsRestClassifier

from skmultilabel.datasets import load_yeast
from skmultilabel.model_selection import MultilabelStratifiedKFold
from skmultilabel.resampling import MLROS, MLRUS, MLSMOTE, irlbl, mean_ir

SAMPLERS = [MLROS, MLRUS, MLSMOTE]


def imbalanced_data(rng, n_samples=90, n_features=3, rates=(0.7, 0.5, 0.3, 0.12, 0.08)):
    X = rng.normal(size=(n_samples, n_features))
    Y = (rng.random((n_samples, len(rates))) < np.asarray(rates)).astype(np.int64)
    return X, Y


def split_labels(Y):
    """Plain-NumPy MeanIR and the minority (IRLbl > MeanIR) / majority (< MeanIR) labels."""
    counts = Y.sum(axis=0).astype(float)
    present = counts > 0
    ratios = np.full(Y.shape[1], np.inf)
    ratios[present] = counts.max() / counts[present]
    mean = ratios[present].mean()
    return mean, [c for c in range(Y.shape[1]) if present[c] and ratios[c] > mean], [
        c for c in range(Y.shape[1]) if ratios[c] < mean
    ]


def reference_mlros(Y, percentage, seed):
    """ML-ROS written out: round-robin over minority bags, a bag stops at IRLbl <= MeanIR."""
    n_wanted = int(Y.shape[0] * percentage / 100)
    draws = np.random.RandomState(seed).random_sample(n_wanted)
    mean, minority, _ = split_labels(Y)
    bags = [np.flatnonzero(Y[:, c]) for c in minority]
    counts = Y.sum(axis=0).astype(float)
    active, clones = list(range(len(bags))), []
    while len(clones) < n_wanted and active:
        for b in list(active):
            if len(clones) == n_wanted:
                break
            row = bags[b][int(draws[len(clones)] * len(bags[b]))]
            clones.append(row)
            counts += Y[row]
            if counts.max() <= mean * counts[minority[b]]:
                active.remove(b)
    return np.array(clones, dtype=int)


def reference_mlrus(Y, percentage, seed):
    """ML-RUS written out, rows holding a minority label protected; returns the deleted rows."""
    rng = np.random.RandomState(seed)
    n_wanted = int(Y.shape[0] * percentage / 100)
    mean, minority, majority = split_labels(Y)
    protected = Y[:, minority].any(axis=1)
    bags = [np.flatnonzero((Y[:, c] == 1) & ~protected) for c in majority]
    keys = rng.random_sample(sum(bag.size for bag in bags))
    start, queues = 0, []
    for bag in bags:
        queues.append(list(bag[np.argsort(keys[start:start + bag.size], kind="stable")]))
        start += bag.size
    counts = Y.sum(axis=0).astype(float)
    deleted, active = [], list(range(len(bags)))
    while len(deleted) < n_wanted and active:
        for b in list(active):
            if len(deleted) == n_wanted:
                break
            while queues[b] and queues[b][0] in deleted:
                queues[b].pop(0)
            if not queues[b]:
                active.remove(b)
                continue
            row = queues[b].pop(0)
            deleted.append(row)
            counts -= Y[row]
            if counts.max() >= mean * counts[majority[b]]:
                active.remove(b)
    return np.array(sorted(deleted), dtype=int)


# ---------------------------------------------------------------- ML-ROS / ML-RUS


@pytest.mark.parametrize("percentage", [5, 25, 60])
@pytest.mark.parametrize("seed", [0, 1])
def test_mlros_matches_reference(rng, percentage, seed):
    X, Y = imbalanced_data(rng)
    X_res, Y_res = (sampler := MLROS(percentage=percentage, random_state=seed)).fit_resample(X, Y)
    clones = reference_mlros(Y, percentage, seed)
    np.testing.assert_array_equal(
        sampler.sample_indices_, np.concatenate([np.arange(len(Y)), clones])
    )
    np.testing.assert_array_equal(X_res[len(X):], X[clones])
    np.testing.assert_array_equal(Y_res[len(Y):], Y[clones])
    _, minority, _ = split_labels(Y)
    assert Y[clones][:, minority].any(axis=1).all()


def test_mlros_stops_when_minority_labels_reach_mean_ir(rng):
    X, Y = imbalanced_data(rng)
    X_res, Y_res = MLROS(percentage=1000, random_state=0).fit_resample(X, Y)
    assert len(X_res) < len(X) * 11
    mean, minority, _ = split_labels(Y)
    assert np.all(irlbl(Y_res)[minority] <= mean + 1e-12)


@pytest.mark.parametrize("percentage", [10, 30, 80])
@pytest.mark.parametrize("seed", [0, 3])
def test_mlrus_matches_reference(rng, percentage, seed):
    X, Y = imbalanced_data(rng, n_samples=120)
    X_res, Y_res = (sampler := MLRUS(percentage=percentage, random_state=seed)).fit_resample(X, Y)
    deleted = reference_mlrus(Y, percentage, seed)
    kept = np.setdiff1d(np.arange(len(Y)), deleted)
    np.testing.assert_array_equal(sampler.sample_indices_, kept)
    np.testing.assert_array_equal(X_res, X[kept])
    np.testing.assert_array_equal(Y_res, Y[kept])
    assert len(deleted) <= int(len(Y) * percentage / 100)


def test_mlrus_never_deletes_minority_samples(rng):
    X, Y = imbalanced_data(rng, n_samples=200)
    _, Y_res = MLRUS(percentage=50, random_state=0).fit_resample(X, Y)
    _, minority, _ = split_labels(Y)
    np.testing.assert_array_equal(Y_res[:, minority].sum(axis=0), Y[:, minority].sum(axis=0))
    assert len(Y_res) < len(Y)


# ---------------------------------------------------------------- MLSMOTE


def nearest_in_bag(X, rows, seed, k):
    """The k nearest rows to ``seed`` among ``rows`` (seed excluded), by Euclidean distance."""
    others = rows[rows != seed]
    distances = np.sqrt(((X[others] - X[seed]) ** 2).sum(axis=1))
    return others[np.argsort(distances, kind="stable")[:k]]


def expected_labels(Y, seed, neighbours, rule):
    votes = Y[seed] + Y[neighbours].sum(axis=0)
    voters = len(neighbours) + 1
    return {
        "ranking": votes > voters / 2, "union": votes > 0, "intersection": votes == voters
    }[rule]


@pytest.mark.parametrize("rule", ["ranking", "union", "intersection"])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_mlsmote_samples_lie_on_segments_and_follow_label_rule(rng, rule, k):
    X, Y = imbalanced_data(rng, n_samples=70)
    X_res, Y_res = MLSMOTE(k_neighbors=k, label_generation=rule, random_state=0).fit_resample(X, Y)
    _, minority, _ = split_labels(Y)
    wanted = []  # one synthetic sample per (minority label, seed)
    for c in minority:
        rows = np.flatnonzero(Y[:, c])
        if rows.size > 1:
            wanted += [(c, seed) for seed in rows]
    assert len(X_res) - len(X) == len(wanted)
    # fits[i, j]: synthetic sample i lies on a segment from the seed of wanted[j] to one of its
    # k nearest neighbours in the label's bag, with u in [0, 1], and has the labels of the rule
    fits = np.zeros((len(wanted), len(wanted)), dtype=bool)
    for j, (c, seed) in enumerate(wanted):
        neighbours = nearest_in_bag(X, np.flatnonzero(Y[:, c]), seed, k)
        labels = expected_labels(Y, seed, neighbours, rule)
        assert labels[c]
        for i, (x, y) in enumerate(zip(X_res[len(X):], Y_res[len(Y):])):
            for reference in neighbours:
                step = X[reference] - X[seed]
                u = (x - X[seed]) @ step / (step @ step)
                on_segment = (
                    np.allclose(X[seed] + u * step, x, atol=1e-10) and -1e-12 <= u <= 1 + 1e-12
                )
                fits[i, j] |= on_segment and np.array_equal(y, labels)
    # every synthetic sample is explained by a distinct (label, seed) pair
    rows, columns = linear_sum_assignment(~fits)
    assert fits[rows, columns].all()


def test_mlsmote_uses_all_neighbours_of_small_bags(rng):
    X, Y = imbalanced_data(rng, n_samples=40)
    Y[:, 4] = 0
    Y[:3, 4] = 1  # a bag of 3 samples: 2 neighbours each, whatever k_neighbors
    Y[3, 3], Y[4:, 3] = 1, 0  # a label with one sample gets no synthetic sample
    X_res, Y_res = MLSMOTE(
        k_neighbors=5, label_generation="intersection", random_state=0
    ).fit_resample(X, Y)
    _, minority, _ = split_labels(Y)
    assert 3 in minority and 4 in minority
    bag_sizes = [Y[:, c].sum() for c in minority]
    assert len(X_res) - len(X) == sum(size for size in bag_sizes if size > 1)
    from_bag_4 = Y_res[len(Y):][:, 4] == 1
    assert from_bag_4.sum() >= 3
    # intersection over the whole bag of 3: exactly the labels common to rows 0, 1, 2
    common = Y[:3].min(axis=0)
    synthetic_of_4 = Y_res[len(Y):][from_bag_4]
    assert any(np.array_equal(row, common) for row in synthetic_of_4)


def test_mlsmote_sparse_matches_dense_without_densifying(rng):
    X, Y = imbalanced_data(rng)
    X[np.abs(X) < 0.8] = 0
    X_dense, Y_dense = MLSMOTE(random_state=1).fit_resample(X, Y)
    for container in (sp.csr_matrix, sp.csc_array):
        X_sparse, Y_sparse = MLSMOTE(random_state=1).fit_resample(container(X), Y)
        assert type(X_sparse) is container
        np.testing.assert_allclose(X_sparse.toarray(), X_dense, atol=1e-12)
        np.testing.assert_array_equal(Y_sparse, Y_dense)


def test_mlsmote_keeps_float32(rng):
    X, Y = imbalanced_data(rng)
    X_res, _ = MLSMOTE(random_state=0).fit_resample(X.astype(np.float32), Y)
    assert X_res.dtype == np.float32
    X64, _ = MLSMOTE(random_state=0).fit_resample(X.astype(np.float32).astype(np.float64), Y)
    np.testing.assert_allclose(X_res, X64, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------- shared behaviour


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_mean_ir_does_not_rise_on_yeast(Sampler):
    X, Y = load_yeast(return_X_y=True)
    for seed in range(3):
        _, Y_res = Sampler(random_state=seed).fit_resample(X, Y)
        assert mean_ir(Y_res) < mean_ir(Y)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_original_rows_first_and_unchanged(rng, Sampler):
    X, Y = imbalanced_data(rng)
    X_before, Y_before = X.copy(), Y.copy()
    X_res, Y_res = Sampler(random_state=0).fit_resample(X, Y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(Y, Y_before)
    assert Y_res.dtype == Y.dtype
    if Sampler is MLRUS:
        # kept rows: a subsequence of the original rows, in order
        positions = [np.flatnonzero((X == row).all(axis=1))[0] for row in X_res]
        assert np.all(np.diff(positions) > 0)
    else:
        np.testing.assert_array_equal(X_res[: len(X)], X)
        np.testing.assert_array_equal(Y_res[: len(Y)], Y)
        assert len(X_res) > len(X)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_deterministic_with_random_state(rng, Sampler):
    X, Y = imbalanced_data(rng, n_samples=150)
    first = Sampler(random_state=7).fit_resample(X, Y)
    second = Sampler(random_state=7).fit_resample(X, Y)
    other = Sampler(random_state=8).fit_resample(X, Y)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert first[0].shape != other[0].shape or not np.array_equal(first[0], other[0])


@pytest.mark.parametrize("Sampler", [MLROS, MLRUS])
@pytest.mark.parametrize("container", [sp.csr_matrix, sp.csc_array])
def test_random_samplers_accept_sparse(rng, Sampler, container):
    X, Y = imbalanced_data(rng)
    X_dense, Y_dense = Sampler(random_state=2).fit_resample(X, Y)
    X_sparse, Y_sparse = Sampler(random_state=2).fit_resample(container(X), Y)
    assert sp.issparse(X_sparse)
    np.testing.assert_array_equal(X_sparse.toarray(), X_dense)
    np.testing.assert_array_equal(Y_sparse, Y_dense)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_target_containers_round_trip(rng, Sampler):
    X, Y = imbalanced_data(rng)
    _, Y_ref = Sampler(random_state=0).fit_resample(X, Y)
    _, Y_sparse = Sampler(random_state=0).fit_resample(X, sp.csr_matrix(Y))
    assert isinstance(Y_sparse, sp.csr_matrix)
    np.testing.assert_array_equal(Y_sparse.toarray(), Y_ref)
    _, Y_bool = Sampler(random_state=0).fit_resample(X, Y.astype(bool))
    assert Y_bool.dtype == bool
    _, Y_list = Sampler(random_state=0).fit_resample(X.tolist(), Y.tolist())
    assert Y_list == Y_ref.tolist()


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_balanced_target_is_returned_unchanged(Sampler):
    X = np.arange(24.0).reshape(12, 2)
    Y = np.eye(3, dtype=int).repeat(4, axis=0)
    X_res, Y_res = Sampler(random_state=0).fit_resample(X, Y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(Y_res, Y)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_clone_pickle_params_and_tags(rng, Sampler):
    sampler = Sampler(random_state=3)
    assert is_sampler(sampler)
    params = sampler.get_params()
    assert params["random_state"] == 3
    assert clone(sampler).get_params() == params
    X, Y = imbalanced_data(rng)
    fitted = clone(sampler)
    X_res, Y_res = fitted.fit_resample(X, Y)
    assert fitted.n_features_in_ == X.shape[1]
    restored = pickle.loads(pickle.dumps(fitted))
    X_again, Y_again = restored.fit_resample(X, Y)
    np.testing.assert_array_equal(X_again, X_res)
    np.testing.assert_array_equal(Y_again, Y_res)
    assert fitted.fit(X, Y) is fitted
    tags = fitted.__sklearn_tags__()
    assert tags.target_tags.multi_output and tags.input_tags.sparse


@pytest.mark.parametrize("Sampler", SAMPLERS)
@pytest.mark.parametrize(
    "y_bad, error, match",
    [
        (lambda Y: Y[:, 0], ValueError, "2-D"),
        (lambda Y: Y * 2, ValueError, "0/1"),
        (lambda Y: Y[:-1], ValueError, "inconsistent"),
        (lambda Y: None, ValueError, "requires y to be passed"),
    ],
)
def test_bad_targets_raise(rng, Sampler, y_bad, error, match):
    X, Y = imbalanced_data(rng)
    with pytest.raises(error, match=match):
        Sampler().fit_resample(X, y_bad(Y))


@pytest.mark.parametrize(
    "sampler",
    [
        MLROS(percentage=-1), MLRUS(percentage=100), MLSMOTE(k_neighbors=0),
        MLSMOTE(label_generation="vote"),
    ],
)
def test_bad_parameters_raise(rng, sampler):
    X, Y = imbalanced_data(rng)
    with pytest.raises(ValueError, match="parameter"):
        sampler.fit_resample(X, Y)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_bad_features_raise(rng, Sampler):
    X, Y = imbalanced_data(rng)
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        Sampler().fit_resample(X, Y)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_pipeline_fit_predict_and_grid_search(rng, Sampler):
    X, Y = imbalanced_data(rng, n_samples=120)
    pipeline = make_pipeline(Sampler(random_state=0), OneVsRestClassifier(LogisticRegression()))
    predictions = pipeline.fit(X, Y).predict(X)
    assert predictions.shape == Y.shape
    # the sampler runs in fit only: predict sees the original rows
    assert pipeline.predict_proba(X[:5]).shape == (5, Y.shape[1])
    name = pipeline.steps[0][0]
    grid = {"mlsmote": {f"{name}__k_neighbors": [2, 4]}}.get(
        name, {f"{name}__percentage": [10, 30]}
    )
    search = GridSearchCV(
        pipeline, grid, cv=MultilabelStratifiedKFold(n_splits=3), scoring="f1_micro"
    )
    search.fit(X, Y)
    assert set(search.best_params_) == set(grid)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
