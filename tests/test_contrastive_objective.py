"""The contrastive term inside MultiLabelLossClassifier's MLP objective."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import average_precision_score

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.losses import contrastive_loss, resolve_loss
from skmultilabel.models._mlp import Network
from skmultilabel.models._objective import Objective

PARAMS = {"gamma": 2.0, "focal_alpha": None, "gamma_pos": 0.0, "gamma_neg": 4.0, "clip": 0.05}


def make_data(rng, n_samples=24, n_features=4, n_labels=3):
    X = rng.standard_normal((n_samples, n_features))
    Y = (X[:, :n_labels] + 0.7 * rng.standard_normal((n_samples, n_labels)) > 0).astype(float)
    Y[0] = 0.0  # a sample with no label: no positive partner
    return X, Y


def objective(loss_name, weight, dtype=np.float64, hidden=(5,), activation="tanh"):
    network = Network([4, *hidden, 3], activation, True)
    loss = resolve_loss(loss_name, PARAMS)
    pos, neg = np.array([1.0, 2.0, 0.5]), np.array([1.0, 0.7, 1.5])
    return network, Objective(network, loss, pos, neg, 0.3, 24, 24.0, dtype=dtype,
                              contrastive_weight=weight, contrastive_temperature=0.5)


@pytest.mark.parametrize("loss_name", ["bce", "focal", "asymmetric"])
def test_value_is_the_loss_plus_lambda_times_the_contrastive_term(rng, loss_name):
    X, Y = make_data(rng)
    sw = rng.uniform(0.5, 2.0, 24)
    network, plain = objective(loss_name, 0.0)
    _, with_term = objective(loss_name, 0.8)
    theta = rng.uniform(-0.5, 0.5, network.n_params)
    coefs, intercepts = network.unpack(theta)
    hidden = network.forward(X, coefs, intercepts)[-2]
    expected = plain.value_gradient(theta, X, Y, sw)[0] + 0.8 * contrastive_loss(
        hidden, Y, sw, temperature=0.5)[0]
    assert with_term.value_gradient(theta, X, Y, sw)[0] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("rows", [slice(None), slice(0, 10)], ids=["all rows", "minibatch"])
def test_gradient_matches_finite_differences(rng, rows):
    X, Y = make_data(rng)
    sw = rng.uniform(0.5, 2.0, 24)
    network, obj = objective("bce", 1.3, hidden=(5, 4))
    theta = rng.uniform(-0.5, 0.5, network.n_params)
    X, Y, sw = X[rows], Y[rows], sw[rows]
    _, grad = obj.value_gradient(theta, X, Y, sw)
    numeric = np.empty_like(theta)
    step = 1e-6
    for k in range(theta.size):
        up, down = theta.copy(), theta.copy()
        up[k] += step
        down[k] -= step
        numeric[k] = (obj.value_gradient(up, X, Y, sw)[0]
                      - obj.value_gradient(down, X, Y, sw)[0]) / (2 * step)
    assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_float32_objective_stays_float32(rng):
    X, Y = make_data(rng)
    network, obj = objective("bce", 0.5, dtype=np.float32)
    theta = rng.uniform(-0.5, 0.5, network.n_params).astype(np.float32)
    value, grad = obj.value_gradient(theta, X.astype(np.float32), Y.astype(np.float32),
                                     np.ones(24, dtype=np.float32))
    _, obj64 = objective("bce", 0.5)
    value64, grad64 = obj64.value_gradient(theta.astype(float), X, Y, np.ones(24))
    assert grad.dtype == np.float32
    assert value == pytest.approx(value64, rel=1e-5)
    assert_allclose(grad, grad64, rtol=1e-3, atol=1e-5)


def test_zero_weight_trains_exactly_as_without_the_term(rng):
    X, Y = make_data(rng, n_samples=60)
    params = dict(model="mlp", hidden_layer_sizes=(6,), solver="adam", max_iter=3,
                  random_state=0)
    default = MultiLabelLossClassifier(**params).fit(X, Y)
    explicit = MultiLabelLossClassifier(contrastive_weight=0.0, **params).fit(X, Y)
    for a, b in zip(default.coefs_, explicit.coefs_):
        assert_array_equal(a, b)
    other = MultiLabelLossClassifier(contrastive_weight=1.0, **params).fit(X, Y)
    assert not np.array_equal(other.coefs_[0], default.coefs_[0])


def test_partial_fit_and_class_weights_with_the_term(rng):
    X, Y = make_data(rng, n_samples=60)
    clf = MultiLabelLossClassifier(
        model="mlp", hidden_layer_sizes=(6,), solver="adam", contrastive_weight=0.5,
        class_weight="balanced", fn_cost=2.0, loss="focal", random_state=0,
    )
    clf.partial_fit(X[:30], Y[:30]).partial_fit(X[30:], Y[30:])
    assert clf.n_iter_ == 2 and np.isfinite(clf.loss_curve_).all()


@pytest.mark.parametrize(
    "params", [{}, {"model": "mlp"}, {"solver": "adam"}],
    ids=["linear lbfgs", "mlp lbfgs", "linear adam"],
)
def test_the_term_needs_an_mlp_trained_by_adam(rng, params):
    X, Y = make_data(rng)
    clf = MultiLabelLossClassifier(contrastive_weight=0.5, **params)
    with pytest.raises(ValueError, match="needs model='mlp' and solver='adam'"):
        clf.fit(X, Y)


@pytest.mark.parametrize(
    "params, match",
    [({"contrastive_weight": -0.1}, "contrastive_weight"),
     ({"contrastive_temperature": 0.0}, "contrastive_temperature"),
     ({"contrastive_temperature": "warm"}, "contrastive_temperature")],
)
def test_bad_parameters(rng, params, match):
    X, Y = make_data(rng)
    with pytest.raises(ValueError, match=match):
        MultiLabelLossClassifier(model="mlp", solver="adam", **params).fit(X, Y)


def co_occurring_blocks(seed, n_samples=600, n_features=20, n_blocks=6, block=3, noise=2.5):
    """Noisy features of a latent cluster; each cluster owns a block of co-occurring labels.

    Each sample keeps each label of its cluster's block with probability 0.7, so a
    label's own positives are few and noisy, while the label sets (their overlap)
    say which samples belong together: a signal of the co-occurrence, which the
    features give only through heavy noise.
    """
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((n_blocks, n_features))
    cluster = rng.integers(0, n_blocks, n_samples)
    X = centers[cluster] + noise * rng.standard_normal((n_samples, n_features))
    Y = np.zeros((n_samples, n_blocks * block), dtype=np.int64)
    for j in range(block):
        Y[np.arange(n_samples), cluster * block + j] = 1
    Y &= rng.random(Y.shape) < 0.7
    half = n_samples // 2
    return X[:half], Y[:half], X[half:], Y[half:]


def test_the_term_raises_map_when_co_occurrence_carries_signal():
    gains = []
    for seed in range(3):
        X, Y, X_test, Y_test = co_occurring_blocks(seed)
        scores = []
        for weight in (0.0, 1.0):  # equal epochs, same initialisation and row order
            clf = MultiLabelLossClassifier(
                model="mlp", hidden_layer_sizes=(16,), solver="adam", max_iter=30, batch_size=50,
                learning_rate_init=0.01, contrastive_weight=weight, random_state=0,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)  # 30 epochs, on purpose
                clf.fit(X, Y)
            scores.append(average_precision_score(Y_test, clf.predict_proba(X_test)))
        gains.append(scores[1] - scores[0])
    assert np.mean(gains) > 0.005 and sum(gain > 0 for gain in gains) >= 2, gains
