"""MultiLabelLossClassifier: objective, solvers, weights, sklearn integration."""

import pickle
from contextlib import nullcontext

import numpy as np
import pytest
import scipy.sparse as sp
from _loss_at_epoch import at_an_epoch
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.datasets import load_emotions
from skmultilabel.losses import LOSSES, BinaryCrossEntropy
from skmultilabel.models._mlp import ACTIVATIONS, Network
from skmultilabel.models._objective import Objective
from skmultilabel.models._weights import label_weights

LOSS_NAMES = sorted(LOSSES)


def make_data(rng, n_samples=60, n_features=5, n_labels=3):
    X = rng.standard_normal((n_samples, n_features))
    W = rng.standard_normal((n_features, n_labels))
    Y = (X @ W + 2.0 * rng.standard_normal((n_samples, n_labels)) > 0).astype(np.int64)
    return X, Y


@pytest.fixture(scope="module")
def emotions():
    data = load_emotions()
    scaler = StandardScaler().fit(data.X_train)
    return scaler.transform(data.X_train), data.Y_train, scaler.transform(data.X_test), data.Y_test


# ---------------------------------------------------------------- plain-NumPy reference


def reference_objective(
    theta, X, Y, sw, pos_weight, neg_weight, alpha, layer_sizes, activation, fit_intercept
):
    """F of the module docstring, written directly in NumPy (BCE loss)."""
    shapes = list(zip(layer_sizes[:-1], layer_sizes[1:]))
    coefs, start = [], 0
    for n_in, n_out in shapes:
        coefs.append(theta[start : start + n_in * n_out].reshape(n_in, n_out))
        start += n_in * n_out
    intercepts = []
    for _, n_out in shapes:
        if fit_intercept:
            intercepts.append(theta[start : start + n_out])
            start += n_out
        else:
            intercepts.append(np.zeros(n_out))
    functions = {
        "identity": lambda a: a,
        "relu": lambda a: np.maximum(a, 0),
        "tanh": np.tanh,
        "logistic": lambda a: 1 / (1 + np.exp(-a)),
    }
    h = X
    for layer, (coef, intercept) in enumerate(zip(coefs, intercepts)):
        h = h @ coef + intercept
        if layer < len(coefs) - 1:
            h = functions[activation](h)
    p = 1 / (1 + np.exp(-h))
    per_entry = -pos_weight * Y * np.log(p) - neg_weight * (1 - Y) * np.log(1 - p)
    penalty = sum((c**2).sum() for c in coefs)
    return (sw @ per_entry.sum(axis=1)) / sw.sum() + alpha / (2 * sw.sum()) * penalty


CONFIGS = [((), "identity", True), ((), "identity", False)] + [
    ((4, 3), activation, True) for activation in ACTIVATIONS
] + [((4,), "tanh", False)]


def build_objective(rng, hidden, activation, fit_intercept, loss=None):
    X, Y = make_data(rng, n_samples=25, n_features=4, n_labels=3)
    layer_sizes = [4, *hidden, 3]
    network = Network(layer_sizes, activation, fit_intercept)
    sw = rng.uniform(0.5, 2.0, X.shape[0])
    pos_weight, neg_weight = rng.uniform(0.5, 2.0, 3), rng.uniform(0.5, 2.0, 3)
    objective = Objective(
        network, loss or BinaryCrossEntropy(), pos_weight, neg_weight, 0.7, X.shape[0], sw.sum()
    )
    theta = rng.uniform(-0.8, 0.8, network.n_params)
    return objective, theta, X, Y.astype(float), sw, layer_sizes


@pytest.mark.parametrize("hidden, activation, fit_intercept", CONFIGS)
def test_objective_matches_numpy_reference(rng, hidden, activation, fit_intercept):
    objective, theta, X, Y, sw, layer_sizes = build_objective(
        rng, hidden, activation, fit_intercept
    )
    value, _ = objective.value_gradient(theta, X, Y, sw)
    expected = reference_objective(
        theta, X, Y, sw, objective.pos_weight, objective.neg_weight, 0.7, layer_sizes, activation,
        fit_intercept,
    )
    assert_allclose(value, expected, rtol=1e-12)


@pytest.mark.parametrize("hidden, activation, fit_intercept", CONFIGS)
def test_gradient_matches_finite_differences_of_reference(rng, hidden, activation, fit_intercept):
    objective, theta, X, Y, sw, layer_sizes = build_objective(
        rng, hidden, activation, fit_intercept
    )
    _, grad = objective.value_gradient(theta, X, Y, sw)
    args = (
        X, Y, sw, objective.pos_weight, objective.neg_weight, 0.7, layer_sizes, activation,
        fit_intercept,
    )
    step = 1e-6
    numeric = np.empty_like(theta)
    for k in range(theta.size):
        shift = np.zeros_like(theta)
        shift[k] = step
        numeric[k] = (
            reference_objective(theta + shift, *args) - reference_objective(theta - shift, *args)
        ) / (2 * step)
    assert_allclose(grad, numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("loss_name", LOSS_NAMES)
@pytest.mark.parametrize("hidden", [(), (3,)])
def test_gradient_finite_differences_every_loss(rng, loss_name, hidden):
    loss = at_an_epoch(LOSSES[loss_name]())
    objective, theta, X, Y, sw, _ = build_objective(rng, hidden, "tanh", True, loss=loss)
    if not loss.pointwise:
        objective.neg_weight = objective.pos_weight
    _, grad = objective.value_gradient(theta, X, Y, sw)
    step = 1e-6
    for k in range(0, theta.size, 3):
        shift = np.zeros_like(theta)
        shift[k] = step
        plus, _ = objective.value_gradient(theta + shift, X, Y, sw)
        minus, _ = objective.value_gradient(theta - shift, X, Y, sw)
        assert_allclose(grad[k], (plus - minus) / (2 * step), rtol=1e-4, atol=1e-7)


def test_minibatch_estimates_average_to_full_objective(rng):
    objective, theta, X, Y, sw, _ = build_objective(rng, (4,), "relu", True)
    full_value, full_grad = objective.value_gradient(theta, X, Y, sw)
    batches = np.array_split(rng.permutation(X.shape[0])[:24], 4)  # 4 batches of 6 of 25 rows
    objective.n_samples = 24
    objective.total_weight = sw[np.concatenate(batches)].sum()
    rows = np.concatenate(batches)
    subset_value, subset_grad = objective.value_gradient(theta, X[rows], Y[rows], sw[rows])
    estimates = [objective.value_gradient(theta, X[b], Y[b], sw[b]) for b in batches]
    assert_allclose(np.mean([v for v, _ in estimates]), subset_value, rtol=1e-12)
    assert_allclose(np.mean([g for _, g in estimates], axis=0), subset_grad, rtol=1e-10, atol=1e-14)
    assert not np.isclose(subset_value, full_value)


# ---------------------------------------------------------------- equivalences


def test_linear_bce_alpha_one_is_one_vs_rest_logistic_regression(emotions):
    X, Y, X_test, _ = emotions
    clf = MultiLabelLossClassifier(alpha=1.0, tol=1e-6, max_iter=2000).fit(X, Y)
    ovr = OneVsRestClassifier(LogisticRegression(C=1.0, tol=1e-6, max_iter=2000)).fit(X, Y)
    assert_allclose(clf.coef_, np.vstack([e.coef_ for e in ovr.estimators_]), atol=1e-3)
    assert_allclose(
        clf.intercept_, np.concatenate([e.intercept_ for e in ovr.estimators_]), atol=1e-3
    )
    assert_allclose(clf.predict_proba(X_test), ovr.predict_proba(X_test), atol=1e-4)


@pytest.fixture
def forbid_densify(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a sparse matrix was densified")

    for cls in (sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.csc_array):
        monkeypatch.setattr(cls, "toarray", refuse)
        monkeypatch.setattr(cls, "todense", refuse)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_linear_equals_dense_without_densifying(rng, forbid_densify, fmt):
    X, Y = make_data(rng)
    X[rng.random(X.shape) < 0.5] = 0.0
    dense = MultiLabelLossClassifier(alpha=0.5, tol=1e-8).fit(X, Y)
    X_sparse = sp.csr_matrix(X).asformat(fmt)
    with pytest.raises(AssertionError, match="densified"):
        X_sparse.toarray()  # the spy is active
    sparse = MultiLabelLossClassifier(alpha=0.5, tol=1e-8).fit(X_sparse, Y)
    assert_allclose(sparse.coef_, dense.coef_, atol=1e-6)
    assert_allclose(sparse.predict_proba(X_sparse), dense.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize("solver", ["lbfgs", "adam"])
def test_sparse_mlp_equals_dense_without_densifying(rng, forbid_densify, solver):
    X, Y = make_data(rng)
    X[rng.random(X.shape) < 0.5] = 0.0
    params = dict(model="mlp", hidden_layer_sizes=(4,), solver=solver, max_iter=15, random_state=0)
    with pytest.warns(ConvergenceWarning):
        sparse = MultiLabelLossClassifier(**params).fit(sp.csr_matrix(X), Y)
    with pytest.warns(ConvergenceWarning):
        dense = MultiLabelLossClassifier(**params).fit(X, Y)
    for a, b in zip(sparse.coefs_, dense.coefs_):
        assert_allclose(a, b, atol=1e-8)


def test_huge_sparse_input_is_never_densified(rng):
    # 400 x 100,000 dense would be 320 MB; the fit touches only the 1,000 stored values.
    n_samples, n_features = 400, 100_000
    X = sp.random(n_samples, n_features, density=2.5e-5, format="csr", random_state=0)
    X = sp.hstack([X, sp.csr_matrix(rng.standard_normal((n_samples, 1)))], format="csr")
    Y = (rng.random((n_samples, 2)) < 0.3).astype(int)
    clf = MultiLabelLossClassifier(alpha=1.0, max_iter=5)
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, Y)
    assert clf.coef_.shape == (2, n_features + 1)
    assert clf.predict_proba(X).shape == (n_samples, 2)


def test_sample_weight_two_equals_duplicated_rows(rng):
    X, Y = make_data(rng, n_samples=40)
    sw = np.ones(40)
    sw[:10] = 2.0
    weighted = MultiLabelLossClassifier(alpha=1.0, tol=1e-9).fit(X, Y, sample_weight=sw)
    duplicated = MultiLabelLossClassifier(alpha=1.0, tol=1e-9).fit(
        np.vstack([X, X[:10]]), np.vstack([Y, Y[:10]])
    )
    assert_allclose(weighted.coef_, duplicated.coef_, atol=1e-6)


def test_mlp_objective_sample_weight_two_equals_duplicated_rows(rng):
    objective, theta, X, Y, _, _ = build_objective(rng, (4,), "tanh", True)
    sw = np.ones(X.shape[0])
    sw[:5] = 2.0
    objective.total_weight = sw.sum()
    weighted = objective.value_gradient(theta, X, Y, sw)
    objective.n_samples = X.shape[0] + 5
    duplicated = objective.value_gradient(
        theta, np.vstack([X, X[:5]]), np.vstack([Y, Y[:5]]), np.ones(X.shape[0] + 5)
    )
    assert_allclose(weighted[0], duplicated[0], rtol=1e-12)
    assert_allclose(weighted[1], duplicated[1], rtol=1e-10, atol=1e-14)


def test_zero_sample_weight_equals_dropping_rows(rng):
    X, Y = make_data(rng, n_samples=40)
    sw = np.ones(40)
    sw[:10] = 0.0
    weighted = MultiLabelLossClassifier(alpha=1.0, tol=1e-9).fit(X, Y, sample_weight=sw)
    dropped = MultiLabelLossClassifier(alpha=1.0, tol=1e-9).fit(X[10:], Y[10:])
    assert_allclose(weighted.coef_, dropped.coef_, atol=1e-5)


def test_binary_1d_target_matches_logistic_regression(rng):
    X, Y = make_data(rng, n_samples=80)
    y = np.where(Y[:, 0] == 1, "yes", "no")
    clf = MultiLabelLossClassifier(alpha=1.0, tol=1e-8).fit(X, y)
    reference = LogisticRegression(C=1.0, tol=1e-8).fit(X, y)
    assert_array_equal(clf.classes_, ["no", "yes"])
    assert clf.decision_function(X).shape == (80,)
    assert clf.predict_proba(X).shape == (80, 2)
    assert_allclose(clf.predict_proba(X), reference.predict_proba(X), atol=1e-5)
    assert_array_equal(clf.predict(X), reference.predict(X))


def test_multilabel_outputs_and_threshold(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(threshold=0.3).fit(X, sp.csr_matrix(Y))
    proba = clf.predict_proba(X)
    assert_array_equal(clf.classes_, np.arange(3))
    assert_allclose(proba, 1 / (1 + np.exp(-clf.decision_function(X))))
    assert_array_equal(clf.predict(X), (proba >= 0.3).astype(int))


# ---------------------------------------------------------------- label weights


def test_label_weights_balanced_reference(rng):
    Y = (rng.random((50, 4)) < [0.5, 0.2, 0.05, 0.0]).astype(float)
    sw = rng.uniform(0.5, 2, 50)
    positives = np.maximum(sw @ Y, sw.mean())
    negatives = np.maximum(sw.sum() - sw @ Y, sw.mean())
    pos, neg = label_weights("balanced", 1.0, 2.0, Y, sw)
    assert_allclose(pos, sw.sum() / (2 * positives))
    assert_allclose(neg, 2 * sw.sum() / (2 * negatives))
    ranking_pos, ranking_neg = label_weights("balanced", 1.0, 1.0, Y, sw, pointwise=False)
    assert_allclose(ranking_pos, pos * neg / 2)
    assert_array_equal(ranking_pos, ranking_neg)


def test_balanced_bce_matches_one_vs_rest_balanced_logistic_regression():
    data = load_emotions()
    X = StandardScaler().fit_transform(data.data)
    Y = data.target
    ours = MultiLabelLossClassifier(loss="bce", class_weight="balanced", alpha=1.0, tol=1e-10,
                                    max_iter=2000).fit(X, Y)
    reference = OneVsRestClassifier(
        LogisticRegression(C=1.0, class_weight="balanced", tol=1e-10, max_iter=2000)
    ).fit(X, Y)
    coef = np.vstack([e.coef_ for e in reference.estimators_])
    assert_allclose(ours.coef_, coef, atol=1e-4)


def test_label_weights_fn_cost_balanced_and_forms(rng):
    Y = (rng.random((50, 3)) < [0.5, 0.2, 0.1]).astype(float)
    sw = np.ones(50)
    pos, neg = label_weights(None, "balanced", [1.0, 2.0, 3.0], Y, sw)
    assert_allclose(pos, (50 - Y.sum(0)) / Y.sum(0))
    assert_allclose(neg, [1.0, 2.0, 3.0])
    from_dict = label_weights({1: 3.0}, 1.0, 1.0, Y, sw)
    from_array = label_weights([1.0, 3.0, 1.0], 1.0, 1.0, Y, sw)
    assert_allclose(from_dict, from_array)


def test_weighted_bce_defaults_to_balanced_bce(rng):
    X, Y = make_data(rng)
    Y[:50, 2] = 0
    weighted = MultiLabelLossClassifier(loss="weighted_bce", alpha=1.0).fit(X, Y)
    balanced = MultiLabelLossClassifier(loss="bce", class_weight="balanced", alpha=1.0).fit(X, Y)
    plain = MultiLabelLossClassifier(loss="bce", alpha=1.0).fit(X, Y)
    assert_allclose(weighted.coef_, balanced.coef_)
    assert not np.allclose(weighted.coef_, plain.coef_, atol=1e-3)


def test_fn_cost_raises_recall(rng):
    X, Y = make_data(rng, n_samples=200)
    plain = MultiLabelLossClassifier().fit(X, Y)
    costly = MultiLabelLossClassifier(fn_cost=5.0).fit(X, Y)
    assert costly.predict(X).sum() > plain.predict(X).sum()


# ---------------------------------------------------------------- solvers


@pytest.mark.parametrize("loss_name", LOSS_NAMES)
@pytest.mark.parametrize("model, solver", [("linear", "lbfgs"), ("mlp", "adam")])
def test_every_registered_loss_fits(rng, loss_name, model, solver):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(
        loss=loss_name, model=model, solver=solver, hidden_layer_sizes=(5,),
        learning_rate_init=0.02, max_iter=40 if solver == "adam" else 200, random_state=0,
        splc_tau=0.9,  # at 0.6 splc relabels most negatives of this noisy toy data as positives
    )
    if solver == "lbfgs" and getattr(LOSSES[loss_name], "needs_epoch", False):
        with pytest.raises(ValueError, match="solver='adam'"):
            clf.fit(X, Y)
        return
    with pytest.warns(ConvergenceWarning) if solver == "adam" else nullcontext():
        clf.fit(X, Y)
    assert clf.loss_.name == loss_name
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    assert len(clf.loss_curve_) == clf.n_iter_
    assert roc_auc_score(Y, clf.decision_function(X), average="macro") > 0.7


def test_max_iter_warns_convergence(rng):
    X, Y = make_data(rng)
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        MultiLabelLossClassifier(max_iter=2).fit(X, Y)


def test_warm_start_continues_from_previous_fit(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(alpha=1.0, tol=1e-8, warm_start=True).fit(X, Y)
    first = clf.coef_.copy()
    clf.fit(X, Y)
    assert clf.n_iter_ <= 2
    assert_allclose(clf.coef_, first, atol=1e-6)
    cold = MultiLabelLossClassifier(
        model="mlp", solver="adam", max_iter=3, random_state=0, hidden_layer_sizes=(4,)
    )
    warm = clone(cold).set_params(warm_start=True)
    with pytest.warns(ConvergenceWarning):
        cold.fit(X, Y)
        warm.fit(X, Y)
        start = warm.loss_curve_[-1]
        warm.fit(X, Y)
    assert warm.loss_curve_[0] < cold.loss_curve_[0]
    assert warm.loss_curve_[-1] < start


def test_warm_start_shape_mismatch_is_an_error(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(warm_start=True).fit(X, Y)
    with pytest.raises(ValueError, match="warm_start"):
        clf.fit(X, Y[:, :2])


def test_early_stopping_keeps_best_validation_score(rng):
    X, Y = make_data(rng, n_samples=200)
    clf = MultiLabelLossClassifier(
        model="mlp", solver="adam", hidden_layer_sizes=(16,), early_stopping=True,
        learning_rate_init=0.05, n_iter_no_change=3, max_iter=300, random_state=0,
    ).fit(X, Y)
    assert clf.n_iter_ < 300
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert all(score < 0 for score in clf.validation_scores_)


def test_adam_is_reproducible_with_random_state(rng):
    X, Y = make_data(rng)
    params = dict(model="mlp", solver="adam", max_iter=5, random_state=3, hidden_layer_sizes=(4,))
    with pytest.warns(ConvergenceWarning):
        a = MultiLabelLossClassifier(**params).fit(X, Y)
        b = MultiLabelLossClassifier(**params).fit(X, Y)
    assert_array_equal(a.coefs_[0], b.coefs_[0])


def test_no_intercept_and_verbose(rng, capsys):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(fit_intercept=False, verbose=1, max_iter=500).fit(X, Y)
    assert_array_equal(clf.intercept_, 0.0)
    assert "Iteration 1, loss" in capsys.readouterr().out


def test_inputs_not_modified_and_float32_accepted(rng):
    X, Y = make_data(rng)
    X32, sw = X.astype(np.float32), np.ones(X.shape[0])
    copies = X32.copy(), Y.copy(), sw.copy()
    clf = MultiLabelLossClassifier().fit(X32, Y, sample_weight=sw)
    assert clf.coef_.dtype == np.float32
    assert clf.predict_proba(X32).dtype == np.float32
    assert clf.predict_proba(X).dtype == np.float64
    for before, after in zip(copies, (X32, Y, sw)):
        assert_array_equal(before, after)


# ---------------------------------------------------------------- scikit-learn integration


def test_clone_pickle_pipeline(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(
        model="mlp", hidden_layer_sizes=(4,), random_state=0, max_iter=20
    )
    with pytest.warns(ConvergenceWarning):
        pipe = make_pipeline(StandardScaler(), clf).fit(X, Y)
    restored = pickle.loads(pickle.dumps(pipe))
    assert_array_equal(restored.predict_proba(X), pipe.predict_proba(X))
    fresh = clone(clf)
    assert fresh.get_params() == clf.get_params()
    assert not hasattr(fresh, "coefs_")


def test_grid_search_over_losses_and_hyperparameters(rng):
    X, Y = make_data(rng, n_samples=90)
    # the default solver is L-BFGS: losses that change with the epoch need adam
    lbfgs_losses = [name for name in LOSS_NAMES if not getattr(LOSSES[name], "needs_epoch", False)]
    grid = {"loss": lbfgs_losses, "alpha": [1e-3, 1.0]}
    if any("gamma" in cls.estimator_params for cls in LOSSES.values()):
        grid["gamma"] = [0.5, 2.0]
    search = GridSearchCV(
        MultiLabelLossClassifier(max_iter=50), grid, cv=2, scoring="f1_macro"
    ).fit(X, Y)
    assert search.best_params_["loss"] in LOSSES
    assert len(search.cv_results_["params"]) == np.prod([len(v) for v in grid.values()])
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()  # no fit failed
    assert search.best_score_ > 0.5


def test_loss_registered_after_import_is_accepted(rng, monkeypatch):
    class Renamed(BinaryCrossEntropy):
        name = "late_bce"

    monkeypatch.setitem(LOSSES, "late_bce", Renamed)
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(loss="late_bce").fit(X, Y)
    assert isinstance(clf.loss_, Renamed)


# ---------------------------------------------------------------- errors


class _RankingLike(BinaryCrossEntropy):
    name = "ranking_like"
    pointwise = False


@pytest.mark.parametrize(
    "params, y_kind, error, match",
    [
        ({"loss": "nope"}, "multi", ValueError, "'loss' parameter"),
        ({"loss": 3}, "multi", ValueError, "'loss' parameter"),
        ({"model": "tree"}, "multi", ValueError, "'model' parameter"),
        ({"alpha": -1.0}, "multi", ValueError, "'alpha' parameter"),
        ({"model": "mlp", "hidden_layer_sizes": (3, 0)}, "multi", ValueError, "hidden_layer_sizes"),
        ({"loss": _RankingLike(), "fn_cost": 2.0}, "multi", ValueError, "fn_cost must be 1"),
        (
            {"loss": _RankingLike(), "fp_cost": "balanced"}, "multi", ValueError,
            "'fp_cost' parameter",
        ),
        ({"class_weight": {7: 2.0}}, "multi", ValueError, "class_weight keys"),
        ({"class_weight": [1.0, 2.0]}, "multi", ValueError, "class_weight must"),
        (
            {"fn_cost": [-1.0, 1.0, 1.0]}, "multi", ValueError,
            "fn_cost must be finite and non-negative",
        ),
        ({}, "multiclass", ValueError, "Only binary classification is supported"),
        ({}, "one_class", ValueError, "2 classes"),
        ({}, "non_binary_matrix", ValueError, "0/1 label indicator"),
    ],
)
def test_errors(rng, params, y_kind, error, match):
    X, Y = make_data(rng)
    y = {
        "multi": Y,
        "multiclass": np.arange(X.shape[0]) % 3,
        "one_class": np.ones(X.shape[0]),
        "non_binary_matrix": Y * 2,
    }[y_kind]
    with pytest.raises(error, match=match):
        MultiLabelLossClassifier(**params).fit(X, y)


def test_predict_checks_features(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier().fit(X, Y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :3])


def test_n_jobs_gives_the_same_fit_and_restores_thread_settings(rng):
    import numba
    from threadpoolctl import threadpool_info

    X, Y = make_data(rng)
    numba_before = numba.get_num_threads()
    blas_before = [pool["num_threads"] for pool in threadpool_info()]
    one = MultiLabelLossClassifier(alpha=1.0, tol=1e-8).fit(X, Y)
    two = MultiLabelLossClassifier(alpha=1.0, tol=1e-8, n_jobs=2).fit(X, Y)
    assert_allclose(one.coef_, two.coef_, atol=1e-6)
    assert numba.get_num_threads() == numba_before
    assert [pool["num_threads"] for pool in threadpool_info()] == blas_before


def test_adam_step_matches_numpy_reference(rng):
    from skmultilabel.models._solvers import adam_step

    theta, grad = rng.standard_normal(50), rng.standard_normal(50)
    m, v = rng.standard_normal(50), rng.uniform(0, 1, 50)
    expected_m = 0.9 * m + 0.1 * grad
    expected_v = 0.999 * v + 0.001 * grad**2
    expected_theta = theta - 0.01 * expected_m / (np.sqrt(expected_v) + 1e-8)
    adam_step(theta, grad, m, v, 0.01, 0.9, 0.999, 1e-8)
    assert_allclose(m, expected_m, rtol=1e-14)
    assert_allclose(v, expected_v, rtol=1e-14)
    assert_allclose(theta, expected_theta, rtol=1e-14)
