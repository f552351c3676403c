"""What a fit leaves behind: atomic fitted state, partial_fit streams, silent non-training."""

import pickle
import tracemalloc
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.losses import BinaryCrossEntropy
from skmultilabel.models import _batched_lbfgs
from skmultilabel.models._batched_lbfgs import PerLabelLBFGS
from skmultilabel.models._mlp import Network
from skmultilabel.models._objective import Objective


def make_data(rng, n_samples=120, n_features=5, n_labels=3):
    X = rng.standard_normal((n_samples, n_features))
    W = rng.standard_normal((n_features, n_labels))
    Y = (X @ W + rng.standard_normal((n_samples, n_labels)) > 0).astype(np.int64)
    return X, Y


def fitted_state(clf):
    return pickle.dumps(dict(vars(clf)))


def test_a_refit_that_raises_leaves_the_previous_fit_intact(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier().fit(X, Y)
    before, proba = fitted_state(clf), clf.predict_proba(X)
    diverging = X * 1e300  # the logits overflow: the fit raises
    with pytest.raises(ValueError, match="diverged"):
        clf.set_params(model="mlp", hidden_layer_sizes=(4,)).fit(diverging, Y[:, 0])
    clf.set_params(model="linear", hidden_layer_sizes=(100,))
    assert fitted_state(clf) == before
    assert clf.predict(X).shape == (X.shape[0], 3)
    assert_array_equal(clf.predict_proba(X), proba)
    clf.fit(X[:, :2], Y)
    with pytest.raises(ValueError, match="diverged"):  # n_features_in_ is restored too
        clf.set_params(model="mlp", hidden_layer_sizes=(4,)).fit(diverging, Y)
    assert clf.n_features_in_ == 2


def test_a_first_fit_that_raises_leaves_an_unfitted_estimator(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(model="mlp", hidden_layer_sizes=(3,))
    with pytest.raises(ValueError, match="diverged"):
        clf.fit(X * 1e300, Y)
    assert vars(clf) == vars(clone(clf))


def test_a_partial_fit_that_raises_does_not_advance_the_stream(rng, monkeypatch):
    X, Y = make_data(rng)
    params = dict(solver="adam", model="mlp", hidden_layer_sizes=(4,), dynamic_class_weight=True,
                  batch_size=30, random_state=0)
    clf = MultiLabelLossClassifier(**params).partial_fit(X, Y)
    twin = pickle.loads(pickle.dumps(clf))
    before = fitted_state(clf)
    value_gradient, calls = Objective.value_gradient, []

    def fail_on_third_minibatch(self, *args):
        calls.append(1)
        if len(calls) == 3:  # after two Adam steps of this call
            raise ValueError("Training diverged: injected")
        return value_gradient(self, *args)

    monkeypatch.setattr(Objective, "value_gradient", fail_on_third_minibatch)
    with pytest.raises(ValueError, match="injected"):
        clf.partial_fit(X, Y)
    monkeypatch.undo()
    assert fitted_state(clf) == before
    clf.partial_fit(X, Y)
    twin.partial_fit(X, Y)
    for ours, theirs in zip(clf.coefs_, twin.coefs_):
        assert_array_equal(ours, theirs)
    assert clf._stream.adam.step == twin._stream.adam.step == 8


@pytest.mark.parametrize(
    "change, name",
    [({"loss": "focal"}, "loss"), ({"gamma": 1.0}, "gamma"), ({"model": "mlp"}, "model"),
     ({"class_weight": "balanced"}, "class_weight"), ({"hidden_layer_sizes": (3,)}, None)],
)
def test_partial_fit_refuses_a_changed_stream_parameter(rng, change, name):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(solver="adam", loss="focal" if name == "gamma" else "bce")
    clf.partial_fit(X, Y).set_params(**change)
    if name is None:  # hidden_layer_sizes of a linear model: still a stream parameter
        name = "hidden_layer_sizes"
    with pytest.raises(ValueError, match=f"partial_fit: {name} changed"):
        clf.partial_fit(X, Y)
    clf.fit(X, Y)  # fit starts afresh, and a new stream may follow
    clf.partial_fit(X, Y)


def test_partial_fit_accepts_per_call_parameters(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(solver="adam").partial_fit(X, Y)
    clf.set_params(learning_rate_init=0.01, alpha=2.0, batch_size=17).partial_fit(X, Y)
    assert clf.n_iter_ == 2


def test_partial_fit_warns_about_constant_labels_on_its_first_chunk(rng):
    X, Y = make_data(rng)
    Y[:, 1] = 0
    clf = MultiLabelLossClassifier(solver="adam")
    with pytest.warns(UserWarning, match=r"never positive: label\(s\) \[1\]"):
        clf.partial_fit(X, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.partial_fit(X, Y)  # later chunks of the stream: no repeat


@pytest.mark.parametrize(
    "params, scale, weights",
    [({}, 1e200, {}), ({"loss": "focal", "gamma": 20.0}, 1.0, {}),
     ({"class_weight": [1e-6] * 3}, 1.0, {})],
    ids=["huge features", "focal gamma 20", "tiny class weights"],
)
def test_silent_non_training_is_reported(rng, params, scale, weights):
    X, Y = make_data(rng)
    with pytest.warns(ConvergenceWarning, match="without a single step"):
        clf = MultiLabelLossClassifier(**params).fit(X * scale, Y)
    assert clf.n_iter_ == 0


def test_sample_weights_that_overflow_are_refused(rng):
    X, Y = make_data(rng)
    with pytest.raises(ValueError, match="sums to infinity"):
        MultiLabelLossClassifier().fit(X, Y, sample_weight=np.full(X.shape[0], 1e307))


def test_a_label_at_its_solution_after_the_intercept_start_is_not_a_stall():
    # label 1's positives split evenly between x = 1 and x = -1: at its intercept-only
    # solution the coefficient's gradient is exactly zero, so it takes no step
    x = np.tile([1.0, -1.0, 1.0, -1.0, 2.0, -2.0], 20)
    X = np.column_stack([x, np.zeros_like(x)])
    Y = np.column_stack([(x > 0), np.tile([1, 1, 0, 0, 0, 0], 20)]).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = MultiLabelLossClassifier().fit(X, Y)
    assert clf.n_iter_ > 0
    assert_allclose(clf.coef_[1], 0.0, atol=1e-12)
    assert_allclose(clf.predict_proba(X)[:, 1], 1 / 3, rtol=1e-4)


def test_balanced_weights_whose_intercepts_stay_at_zero_are_not_a_stall(rng):
    # balanced weights put each label's intercept-only solution at zero: the
    # coefficients still move, so nothing is reported
    X, Y = make_data(rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = MultiLabelLossClassifier(class_weight="balanced").fit(X, Y)
    assert clf.n_iter_ > 0


def test_a_fresh_fit_starts_from_the_intercepts_alone(rng):
    # rare labels: the intercept-only start saves iterations and reaches the same solution
    X = rng.standard_normal((2000, 20))
    logits = X @ rng.standard_normal((20, 4)) - np.array([4.0, 5.0, 6.0, 7.0])
    Y = (logits + rng.logistic(size=logits.shape) > 0).astype(float)
    network = Network([20, 4], "identity", True)
    ones = np.ones(4)
    objective = Objective(network, BinaryCrossEntropy(), ones, ones, 1.0, 2000, 2000)
    weights = np.ones(2000)
    solver = PerLabelLBFGS(max_iter=500, tol=1e-8)
    fresh = solver.solve(objective, np.zeros(network.n_params), X, Y, weights)
    # a start with a tiny non-zero coefficient is taken as given: no intercept run
    nudged = np.zeros(network.n_params)
    nudged[0] = 1e-12
    from_zeros = solver.solve(objective, nudged, X, Y, weights)
    assert fresh.n_iter < from_zeros.n_iter
    assert_allclose(fresh.theta, from_zeros.theta, atol=1e-5)


def test_a_warm_start_at_the_optimum_is_not_a_stall(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(warm_start=True, tol=1e-3).fit(X, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf.fit(X, Y)
    assert clf.n_iter_ == 0


def test_predict_log_proba(rng):
    X, Y = make_data(rng)
    for target in (Y, Y[:, 0]):
        clf = MultiLabelLossClassifier().fit(X, target)
        log_proba = clf.predict_log_proba(X)
        assert log_proba.shape == clf.predict_proba(X).shape
        assert_allclose(np.exp(log_proba), clf.predict_proba(X), rtol=1e-12)
    far = MultiLabelLossClassifier().fit(X * 1e3, Y).predict_log_proba(X * 1e3)
    assert np.isfinite(far).all()  # no log(0): computed from the logits


@pytest.mark.parametrize("budget_labels", [1, 2])
def test_label_blocks_give_the_same_solution(rng, budget_labels):
    X, Y = make_data(rng, n_labels=5)
    loss = BinaryCrossEntropy()
    network = Network([5, 5], "identity", True)
    ones = np.ones(5)
    objective = Objective(network, loss, ones, ones, 1.0, X.shape[0], X.shape[0])
    theta = np.zeros(network.n_params)
    one_block = PerLabelLBFGS(max_iter=100, tol=1e-8, memory=20)
    solver = PerLabelLBFGS(max_iter=100, tol=1e-8, memory=20)
    solver.memory_budget = budget_labels * (2 * 20 + 12) * 6 * 8  # histories + 12 vectors
    assert solver.block_size(6, np.float64) == budget_labels
    whole = one_block.solve(objective, theta, X, Y.astype(float), np.ones(X.shape[0]))
    blocks = solver.solve(objective, theta, X, Y.astype(float), np.ones(X.shape[0]))
    assert_allclose(blocks.theta, whole.theta, rtol=1e-10, atol=1e-12)
    assert blocks.n_iter == whole.n_iter
    assert_allclose(blocks.loss_curve[-1], whole.loss_curve[-1], rtol=1e-12)


def test_wide_labels_keep_fewer_pairs_and_share_larger_blocks():
    solver = PerLabelLBFGS(max_iter=10, tol=1e-4)
    # bibtex-sized labels: 20 pairs, and the budget holds hundreds of them
    assert solver.label_memory(1837, np.float64) == 20
    assert solver.block_size(1837, np.float64) == _batched_lbfgs.MEMORY_BUDGET // (52 * 1837 * 8)
    # 100,000 features: 20-pair labels would come 4 to a block, 10-pair labels come 6
    assert _batched_lbfgs.MEMORY_BUDGET // (52 * 100_001 * 8) < 16
    assert solver.label_memory(100_001, np.float64) == _batched_lbfgs.WIDE_MEMORY == 10
    assert solver.block_size(100_001, np.float64) == _batched_lbfgs.MEMORY_BUDGET // (
        32 * 100_001 * 8)
    # float32 halves the bytes: the threshold moves with the dtype
    assert solver.label_memory(30_000, np.float32) == 20
    assert solver.label_memory(30_000, np.float64) == 10
    # an explicit memory is kept
    assert PerLabelLBFGS(max_iter=10, tol=1e-4, memory=20).label_memory(100_001, float) == 20


def _peak_bytes(function):
    """Peak bytes traced by ``tracemalloc`` while ``function()`` runs (NumPy reports to it)."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_label_blocks_write_into_one_copy_of_the_coefficients(rng):
    # 200 labels, blocks of one label: the solver's peak is its one-block budget
    # plus the returned parameters, which the blocks fill in place
    X = rng.standard_normal((10, 1000))
    Y = (rng.random((10, 200)) < 0.3).astype(float)
    network = Network([1000, 200], "identity", True)
    ones = np.ones(200)
    objective = Objective(network, BinaryCrossEntropy(), ones, ones, 1.0, 10, 10)
    theta = np.zeros(network.n_params)
    solver = PerLabelLBFGS(max_iter=2, tol=1e-8, memory=20, memory_budget=(2 * 20 + 12) * 1001 * 8)
    assert solver.block_size(1001, np.float64) == 1
    solver.solve(objective, theta, X, Y, np.ones(10))  # compile first: numba allocates
    peak = _peak_bytes(lambda: solver.solve(objective, theta, X, Y, np.ones(10)))
    assert peak < solver.memory_budget + 1.5 * theta.nbytes


def test_linear_fit_holds_two_copies_of_the_coefficients_at_most(rng, monkeypatch):
    X = rng.standard_normal((10, 1000))
    Y = (rng.random((10, 200)) < 0.3).astype(int)
    clf = MultiLabelLossClassifier(max_iter=2).fit(X, Y)  # compile first: numba allocates
    budget = (2 * 20 + 12) * 1001 * 8
    monkeypatch.setattr(_batched_lbfgs, "MEMORY_BUDGET", budget)
    peak = _peak_bytes(lambda: clf.fit(X, Y))
    # the start and the solution beside one block, then the solution and coef_
    assert peak < budget + 2.5 * clf.coef_.nbytes + X.nbytes
