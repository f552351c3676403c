"""Determinism and concurrency: same random_state, same bits; predict from several threads.

What holds across ``n_jobs``: the parallel loss kernels add their partial sums
in a fixed order, so their values and gradients are bit-identical for any
number of numba threads (before, the prange reductions were not), and a fit
runs its BLAS products on one thread (multi-threaded OpenBLAS rounds products
of 1000 x 103 and more differently), so fits are bit-identical for every ``n_jobs``.
"""

import warnings
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
import pytest
from _loss_at_epoch import at_an_epoch
from sklearn.exceptions import ConvergenceWarning

from skmultilabel import (
    MLROS,
    MLRUS,
    MLSMOTE,
    MultiLabelLossClassifier,
    MultilabelStratifiedKFold,
    MultilabelStratifiedShuffleSplit,
)
from skmultilabel._kernel_threads import kernel_threads
from skmultilabel.datasets import load_yeast
from skmultilabel.losses import LOSSES


@pytest.fixture(scope="module")
def yeast():
    X, Y = load_yeast(return_X_y=True)
    return X[:400], Y[:400]


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_kernels_are_bit_identical_for_any_number_of_threads(name):
    rng = np.random.default_rng(0)
    Y = (rng.random((700, 9)) < 0.3).astype(float)  # several row blocks and labels per thread
    raw = rng.normal(0.0, 3.0, Y.shape)
    sample_weight = rng.uniform(0.1, 3.0, Y.shape[0])
    results = []
    for threads in (1, numba.config.NUMBA_NUM_THREADS, 1):
        with kernel_threads(threads):
            results.append(at_an_epoch(LOSSES[name]()).loss_gradient(Y, raw, sample_weight))
    for value, grad in results[1:]:
        assert value == results[0][0]
        np.testing.assert_array_equal(grad, results[0][1])


FITS = {
    "linear-bce": {"loss": "bce"},
    "linear-pairwise": {"loss": "pairwise_square"},
    "linear-label-ranking": {"loss": "label_ranking"},
    "mlp-lbfgs-focal": {"model": "mlp", "loss": "focal", "hidden_layer_sizes": (8,)},
    "mlp-adam-early-stopping": {"model": "mlp", "solver": "adam", "hidden_layer_sizes": (8,),
                                "early_stopping": True},
}


def fitted(X, Y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MultiLabelLossClassifier(max_iter=25, random_state=0, **params).fit(X, Y)


def parameters(clf):
    return [clf.coef_, clf.intercept_] if hasattr(clf, "coef_") else clf.coefs_ + clf.intercepts_


@pytest.mark.parametrize("params", FITS.values(), ids=FITS.keys())
def test_same_random_state_gives_the_same_bits_across_runs_and_n_jobs(yeast, params):
    X, Y = yeast
    first = fitted(X, Y, **params)
    for n_jobs in (None, 2, -1):
        again = fitted(X, Y, n_jobs=n_jobs, **params)
        for a, b in zip(parameters(first), parameters(again), strict=True):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(again.predict_proba(X), first.predict_proba(X))
        assert again.loss_curve_ == first.loss_curve_


@pytest.mark.parametrize(
    "params", [FITS["linear-bce"], FITS["mlp-lbfgs-focal"]], ids=["linear", "mlp"]
)
def test_predict_from_several_threads_equals_one_thread(yeast, params):
    X, Y = yeast
    clf = fitted(X, Y, **params)
    expected = (
        [clf.predict_proba(X[k::4]) for k in range(4)],
        [clf.predict(X[k::4]) for k in range(4)],
    )
    with ThreadPoolExecutor(max_workers=4) as pool:
        proba = list(pool.map(lambda k: clf.predict_proba(X[k % 4::4]), range(16)))
        labels = list(pool.map(lambda k: clf.predict(X[k % 4::4]), range(16)))
    for k in range(16):
        np.testing.assert_array_equal(proba[k], expected[0][k % 4])
        np.testing.assert_array_equal(labels[k], expected[1][k % 4])


SAMPLERS = [MLROS(percentage=40), MLRUS(percentage=20), MLSMOTE(k_neighbors=3)]


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: type(s).__name__)
def test_samplers_are_deterministic_with_random_state(yeast, sampler):
    X, Y = yeast
    runs = [sampler.set_params(random_state=seed).fit_resample(X, Y) for seed in (3, 3, 4)]
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert runs[2][0].shape != runs[0][0].shape or not np.array_equal(runs[2][0], runs[0][0])


@pytest.mark.parametrize(
    "make",
    [lambda seed: MultilabelStratifiedKFold(4, shuffle=True, random_state=seed),
     lambda seed: MultilabelStratifiedShuffleSplit(3, test_size=0.25, random_state=seed)],
    ids=["kfold", "shuffle_split"],
)
def test_splitters_are_deterministic_with_random_state(yeast, make):
    X, Y = yeast

    def tests(seed):
        return [test.tolist() for _, test in make(seed).split(X, Y)]

    assert tests(5) == tests(5)
    assert tests(5) != tests(6)
