"""Training options of MultiLabelLossClassifier.

Gradient normalisation, dynamic label weights, partial_fit and verbose.
"""

import pickle
import re

import numpy as np
import pytest
import scipy.sparse as sp
from _loss_at_epoch import at_an_epoch
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.losses import LOSSES, resolve_loss
from skmultilabel.models._mlp import Network
from skmultilabel.models._objective import Objective
from skmultilabel.models._training_options import (
    WEIGHT_BOUNDS,
    DynamicLabelWeights,
    label_difficulty,
)
from skmultilabel.models._weights import label_weights

LOSS_NAMES = sorted(LOSSES)
DEFAULTS = MultiLabelLossClassifier().get_params()


def make_data(rng, n_samples=80, n_features=4, n_labels=3):
    X = rng.standard_normal((n_samples, n_features))
    W = rng.standard_normal((n_features, n_labels))
    Y = (X @ W + rng.standard_normal((n_samples, n_labels)) > 0).astype(np.int64)
    return X, Y


def objective_value(clf, X, Y):
    """F of the fitted linear model on all rows (BCE, no sample weights), in NumPy."""
    p = expit(X @ clf.coef_.T + clf.intercept_)
    loss = -(Y * np.log(p) + (1 - Y) * np.log1p(-p)).sum(axis=1).mean()
    return loss + 0.5 * clf.alpha / X.shape[0] * float(np.sum(clf.coef_**2))


# ---------------------------------------------------------------- gradient normalisation


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_normalized_gradient_rows_have_the_sample_weight_as_norm(rng, name):
    # With X = identity and alpha = 0 the coefficient gradient of the linear model
    # is dL/dZ itself, so its rows can be read off.
    n_samples, n_labels = 12, 4
    Y = (rng.random((n_samples, n_labels)) < 0.4).astype(np.float64)
    Y[0] = 0.0  # a row whose ranking-loss gradient is zero for label_ranking
    Y[1, 0], Y[2, 0] = 1.0, 0.0
    X = np.eye(n_samples)
    sw = rng.uniform(0.5, 2.0, n_samples)
    loss = at_an_epoch(resolve_loss(name, DEFAULTS))
    network = Network([n_samples, n_labels], "identity", False)
    theta = rng.standard_normal(network.n_params)
    ones = np.ones(n_labels)
    plain = Objective(network, loss, ones, ones, 0.0, n_samples, sw.sum())
    normed = Objective(network, loss, ones, ones, 0.0, n_samples, sw.sum(), True)
    value, grad = plain.value_gradient(theta, X, Y, sw)
    value_n, grad_n = normed.value_gradient(theta, X, Y, sw)
    assert value_n == pytest.approx(value, rel=1e-12)
    delta, delta_n = grad.reshape(n_samples, n_labels), grad_n.reshape(n_samples, n_labels)
    norms = np.linalg.norm(delta, axis=1)
    for i in range(n_samples):  # plain reference, one row at a time
        expected = 0.0 if norms[i] == 0 else sw[i] / sw.sum() / norms[i]
        assert_allclose(delta_n[i], expected * delta[i], atol=1e-15)
    assert np.any(norms > 0)


def test_normalized_gradient_on_a_minibatch_keeps_the_unbiased_scale(rng):
    X, Y = make_data(rng, n_samples=30)
    sw = rng.uniform(0.5, 2.0, 30)
    network = Network([4, 3], "identity", True)
    theta = rng.standard_normal(network.n_params)
    loss = resolve_loss("bce", DEFAULTS)
    ones = np.ones(3)
    objective = Objective(network, loss, ones, ones, 0.0, 30, sw.sum(), True)
    rows = np.arange(10)
    _, grad = objective.value_gradient(theta, X[rows], Y[rows], sw[rows])
    # intercept gradient = column sums of the rescaled rows; the rows have norm
    # s_i * n / (b * S) and the direction of p - y.
    p = expit(X[rows] @ theta[:12].reshape(4, 3) + theta[12:])
    unit = (p - Y[rows]) / np.linalg.norm(p - Y[rows], axis=1, keepdims=True)
    expected = (unit * (sw[rows] * 30 / (10 * sw.sum()))[:, None]).sum(axis=0)
    assert_allclose(grad[12:], expected, rtol=1e-12)


@pytest.mark.parametrize("option", ["normalize_gradient", "dynamic_class_weight"])
def test_options_need_adam(rng, option):
    X, Y = make_data(rng)
    with pytest.raises(ValueError, match=f"{option}=True needs solver='adam'"):
        MultiLabelLossClassifier(**{option: True}).fit(X, Y)


def test_normalize_gradient_trains_every_loss_family(rng):
    X, Y = make_data(rng, n_samples=120)
    for name in ("bce", "pairwise_square", "label_ranking"):
        clf = MultiLabelLossClassifier(
            loss=name, solver="adam", normalize_gradient=True, learning_rate_init=0.01,
            batch_size=20, max_iter=30, tol=0.0, n_iter_no_change=100, random_state=0,
        )
        with pytest.warns(ConvergenceWarning):  # ConvergenceWarning: tol=0 runs every epoch
            clf.fit(X, Y)
        assert clf.loss_curve_[-1] < 0.8 * clf.loss_.loss(Y, np.zeros(Y.shape))


# ---------------------------------------------------------------- dynamic label weights


def test_difficulty_of_bce_is_the_soft_balanced_error(rng):
    X, Y = make_data(rng, n_samples=50)
    Y = Y.astype(np.float64)
    Z = rng.standard_normal(Y.shape)
    sw = rng.uniform(0.5, 2.0, 50)
    p = expit(Z)
    expected = [
        np.average(1 - p[Y[:, c] == 1, c], weights=sw[Y[:, c] == 1])
        + np.average(p[Y[:, c] == 0, c], weights=sw[Y[:, c] == 0])
        for c in range(Y.shape[1])
    ]
    got = label_difficulty(resolve_loss("bce", DEFAULTS), Y, Z, sw)
    assert_allclose(got, expected, rtol=1e-10)


def test_difficulty_of_pairwise_logistic_is_the_soft_misordering_rate(rng):
    X, Y = make_data(rng, n_samples=30)
    Y = Y.astype(np.float64)
    Z = rng.standard_normal(Y.shape)
    sw = rng.uniform(0.5, 2.0, 30)
    expected = []
    for c in range(Y.shape[1]):  # brute force over the (positive, negative) pairs
        pos, neg = Y[:, c] == 1, Y[:, c] == 0
        pairs = expit(Z[neg, c][None, :] - Z[pos, c][:, None])
        weights = np.outer(sw[pos], sw[neg])
        expected.append((weights * pairs).sum() / weights.sum())
    got = label_difficulty(resolve_loss("pairwise_logistic", DEFAULTS), Y, Z, sw)
    assert_allclose(got, expected, rtol=1e-10)


def test_dynamic_weights_rule():
    dynamic = DynamicLabelWeights(3, momentum=0.5)
    assert_array_equal(dynamic.weights, 1.0)
    assert_allclose(dynamic.update(np.array([1.0, 2.0, 3.0])), [0.5, 1.0, 1.5])
    running = 0.5 * np.array([1.0, 2.0, 3.0]) + 0.5 * np.array([3.0, 2.0, 1.0])
    assert_allclose(dynamic.update(np.array([3.0, 2.0, 1.0])), running / running.mean())
    assert_allclose(dynamic.difficulty, running)
    clipped = DynamicLabelWeights(2, momentum=0.0).update(np.array([0.0, 1.0]))
    assert_allclose(clipped, [WEIGHT_BOUNDS[0], 2.0])


def test_fit_applies_the_dynamic_rule_after_each_epoch(rng):
    X, Y = make_data(rng, n_samples=100)
    params = dict(
        loss="focal", solver="adam", dynamic_class_weight=True, dynamic_momentum=0.7,
        batch_size=30, learning_rate_init=0.1, random_state=0,
    )
    with pytest.warns(ConvergenceWarning):
        one = MultiLabelLossClassifier(max_iter=1, **params).fit(X, Y)
        two = MultiLabelLossClassifier(max_iter=2, **params).fit(X, Y)
    ones = np.ones(X.shape[0])
    d1, d2 = (label_difficulty(one.loss_, Y.astype(float), m.decision_function(X), ones)
              for m in (one, two))
    assert_allclose(one.dynamic_label_weights_, d1 / d1.mean(), rtol=1e-10)
    running = 0.7 * d1 + 0.3 * d2
    assert_allclose(two.dynamic_label_weights_, running / running.mean(), rtol=1e-10)
    # the first epoch runs with unit weights, the second with d1 / mean(d1)
    with pytest.warns(ConvergenceWarning):
        static = [
            MultiLabelLossClassifier(**{**params, "dynamic_class_weight": False, "max_iter": n})
            .fit(X, Y) for n in (1, 2)
        ]
    assert_array_equal(static[0].coef_, one.coef_)
    assert not np.allclose(static[1].coef_, two.coef_)


def test_dynamic_weights_favour_the_hard_label(rng):
    X = rng.standard_normal((300, 3))
    easy = (X[:, 0] > 0).astype(int)
    noisy = (X[:, 1] + 2.0 * rng.standard_normal(300) > 0).astype(int)
    Y = np.column_stack([easy, noisy])
    clf = MultiLabelLossClassifier(
        solver="adam", dynamic_class_weight=True, learning_rate_init=0.05, max_iter=30,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, Y)
    weights = clf.dynamic_label_weights_
    assert weights.shape == (2,)
    assert weights[1] > 1.5 * weights[0]
    assert weights.mean() == pytest.approx(1.0)
    with pytest.warns(ConvergenceWarning):
        plain = clone(clf).set_params(dynamic_class_weight=False).fit(X, Y)
    assert not hasattr(plain, "dynamic_label_weights_")


def test_dynamic_weights_do_not_change_the_validation_score_weights(rng):
    X, Y = make_data(rng, n_samples=200)
    clf = MultiLabelLossClassifier(
        solver="adam", dynamic_class_weight=True, early_stopping=True, max_iter=20,
        learning_rate_init=0.05, random_state=0,
    )
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, Y)
    assert len(clf.validation_scores_) == clf.n_iter_
    assert not np.allclose(clf.dynamic_label_weights_, 1.0)


# ---------------------------------------------------------------- partial_fit


def stream(clf, X, Y, n_chunks, n_epochs, **kwargs):
    for _ in range(n_epochs):
        for rows in np.array_split(np.arange(X.shape[0]), n_chunks):
            clf.partial_fit(X[rows], Y[rows], **kwargs)
    return clf


def test_partial_fit_approaches_the_full_fit_objective(rng):
    X, Y = make_data(rng, n_samples=400)
    params = dict(solver="adam", learning_rate_init=0.05, batch_size=50, random_state=0)
    full = MultiLabelLossClassifier(**{**params, "solver": "lbfgs"}).fit(X, Y)
    clf = MultiLabelLossClassifier(**params)
    clf.partial_fit(X[:100], Y[:100])
    first = objective_value(clf, X, Y)
    stream(clf, X, Y, n_chunks=4, n_epochs=20)
    best = objective_value(full, X, Y)
    assert objective_value(clf, X, Y) - best < 0.05 * (first - best)
    assert clf.n_iter_ == 81 and len(clf.loss_curve_) == 81


def test_partial_fit_keeps_the_adam_state_and_pickles_mid_stream(rng):
    X, Y = make_data(rng, n_samples=120)
    clf = MultiLabelLossClassifier(solver="adam", batch_size=25, random_state=0)
    clf.partial_fit(X[:60], Y[:60])
    assert clf._stream.adam.step == 3
    restored = pickle.loads(pickle.dumps(clf))
    clf.partial_fit(X[60:], Y[60:])
    restored.partial_fit(X[60:], Y[60:])
    assert clf._stream.adam.step == 6
    assert_array_equal(restored.coef_, clf.coef_)
    # a fresh Adam state from the same coefficients takes a different step
    fresh = pickle.loads(pickle.dumps(restored))
    fresh._stream = None  # the next call starts a new stream
    before = restored.coef_.copy()
    fresh.partial_fit(X[60:], Y[60:])
    restored.partial_fit(X[60:], Y[60:])
    assert not np.allclose(fresh.coef_ - before, restored.coef_ - before)


def test_partial_fit_sparse_equals_dense(rng):
    X, Y = make_data(rng)
    X[np.abs(X) < 0.7] = 0.0
    dense = stream(MultiLabelLossClassifier(solver="adam", random_state=0), X, Y, 2, 2)
    sparse = MultiLabelLossClassifier(solver="adam", random_state=0)
    stream(sparse, sp.csr_matrix(X), Y, 2, 2)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-12)


def test_partial_fit_mlp_and_dynamic_weights(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(
        model="mlp", hidden_layer_sizes=(5,), solver="adam", dynamic_class_weight=True,
        normalize_gradient=True, random_state=0,
    )
    stream(clf, X, Y, 2, 2)
    assert [c.shape for c in clf.coefs_] == [(4, 5), (5, 3)]
    assert clf._stream.dynamic_weights.difficulty is not None
    assert_array_equal(clf.dynamic_label_weights_, clf._stream.dynamic_weights.weights)


def test_partial_fit_fixes_labels_and_features(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(solver="adam").partial_fit(X, Y)
    with pytest.raises(ValueError, match="2 labels, but 3 were fixed"):
        clf.partial_fit(X, Y[:, :2])
    with pytest.raises(ValueError, match="features"):
        clf.partial_fit(X[:, :3], Y)
    with pytest.raises(ValueError, match="keep the form"):
        clf.partial_fit(X, Y[:, 0])
    with pytest.raises(ValueError, match="labels, but 4 were fixed"):
        MultiLabelLossClassifier(solver="adam").partial_fit(X, Y, classes=range(4))


def test_partial_fit_binary_target_with_classes(rng):
    X = rng.standard_normal((40, 2))
    y = np.where(X[:, 0] > 0, "yes", "no")
    clf = MultiLabelLossClassifier(solver="adam", learning_rate_init=0.1, random_state=0)
    clf.partial_fit(X[y == "no"], y[y == "no"], classes=["yes", "no"])
    assert_array_equal(clf.classes_, ["no", "yes"])
    for _ in range(20):
        clf.partial_fit(X, y)
    assert np.mean(clf.predict(X) == y) > 0.9
    with pytest.raises(ValueError, match="differs from classes_"):
        clf.partial_fit(X, y, classes=["a", "b"])
    with pytest.raises(ValueError, match="2 values"):
        clf.partial_fit(X, np.where(y == "yes", "maybe", y))


def test_partial_fit_balanced_weights_come_from_the_first_chunk(rng):
    X, Y = make_data(rng, n_samples=100)
    first = slice(0, 50)
    pos, neg = label_weights("balanced", 1.0, 1.0, Y[first].astype(float), np.ones(50))
    balanced = MultiLabelLossClassifier(solver="adam", class_weight="balanced", random_state=0)
    explicit = MultiLabelLossClassifier(solver="adam", fn_cost=pos, fp_cost=neg, random_state=0)
    for clf in (balanced, explicit):
        clf.partial_fit(X[first], Y[first]).partial_fit(X[50:], Y[50:])
    assert_allclose(balanced.coef_, explicit.coef_, rtol=1e-12)


def test_partial_fit_after_fit_continues_and_fit_resets(rng):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(solver="adam", max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, Y)
    fitted = clf.coef_.copy()
    clf.partial_fit(X, Y)
    assert clf.n_iter_ == 6
    assert np.abs(clf.coef_ - fitted).max() < 0.05  # one small Adam epoch from the fit
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, Y)
    assert not hasattr(clf, "_stream")
    assert_allclose(clf.coef_, fitted)


def test_partial_fit_only_with_adam():
    assert not hasattr(MultiLabelLossClassifier(), "partial_fit")
    assert hasattr(MultiLabelLossClassifier(solver="adam"), "partial_fit")


# ---------------------------------------------------------------- verbose

LINE = r"Iteration {}, loss = \d+\.\d{{8}}{}, time = \d+\.\d\ds"


def test_verbose_adam_reports_loss_validation_score_and_time(rng, capsys):
    X, Y = make_data(rng, n_samples=100)
    clf = MultiLabelLossClassifier(
        solver="adam", early_stopping=True, max_iter=3, verbose=1, random_state=0
    )
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, Y)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for epoch, line in enumerate(lines, 1):
        assert re.fullmatch(LINE.format(epoch, r", validation score = -\d+\.\d{8}"), line)
    assert f"{clf.loss_curve_[1]:.8f}" in lines[1]
    assert f"{clf.validation_scores_[2]:.8f}" in lines[2]


def test_verbose_lbfgs_and_partial_fit(rng, capsys):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(verbose=1).fit(X, Y)  # per-label L-BFGS: one line per round
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= clf.n_iter_
    assert re.fullmatch(LINE.format(len(lines), ", labels training = 0"), lines[-1])
    assert all(re.fullmatch(LINE.format(k, r", labels training = \d+"), line)
               for k, line in enumerate(lines, start=1))
    clf = MultiLabelLossClassifier(loss="label_ranking", verbose=1).fit(X, Y)  # scipy's L-BFGS
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == clf.n_iter_
    assert re.fullmatch(LINE.format(clf.n_iter_, ""), lines[-1])
    clf = MultiLabelLossClassifier(solver="adam", verbose=True).partial_fit(X, Y).partial_fit(X, Y)
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(LINE.format(2, ""), lines[-1]) and len(lines) == 2
    MultiLabelLossClassifier(solver="adam").partial_fit(X, Y)
    assert capsys.readouterr().out == ""


def test_partial_fit_rejects_text_X_like_fit(rng):
    X, Y = make_data(rng)
    text = X.astype(str)
    with pytest.raises(TypeError, match="text"):
        MultiLabelLossClassifier(solver="adam").partial_fit(text, Y)
