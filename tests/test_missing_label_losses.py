"""Losses for missing labels (hill, splc, weak_negatives, label_smoothing).

Plain-NumPy references and finite differences are the oracle of the kernels.
The per-entry references of the losses that fit ``test_losses.REFERENCES``
(hill, weak_negatives) and their settings are exported to ``test_losses``,
whose generic tests (reference, finite differences, extreme logits, layouts,
pickling) then cover them too; SPLC, whose weights switch with the
correction and which needs the epoch, is checked here.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.losses import (
    LOSSES,
    AsymmetricLoss,
    BinaryCrossEntropy,
    FocalLoss,
    HillLoss,
    SelfPacedLossCorrection,
    WeakNegatives,
    resolve_loss,
)

# --------------------------------------------------------------------------
# Plain-NumPy references (float64), per entry: value and derivative in z.


def _positive_focal(t, gamma):
    """(1 - p) ** gamma * -log p at p = sigmoid(t), and its derivative in t."""
    p, q = expit(t), expit(-t)
    log_p = -np.logaddexp(0.0, -t)
    return -(q**gamma) * log_p, q**gamma * (gamma * p * log_p - q)


def _negative_focal(z, gamma):
    """Return p ** gamma * -log(1 - p) at p = sigmoid(z), and its derivative in z."""
    p, q = expit(z), expit(-z)
    log_q = -np.logaddexp(0.0, z)
    return -(p**gamma) * log_q, p**gamma * (p - gamma * q * log_q)


def _reference_hill(loss, z):
    pos, dpos = _positive_focal(z - loss.margin, loss.gamma)
    p, q = expit(z), expit(-z)
    neg = (loss.lam - p) * p**2
    dneg = p**2 * q * (2 * loss.lam - 3 * p)
    return pos, dpos, neg, dneg, 1.0, 1.0


def _reference_weak_negatives(loss, z):
    pos, dpos = _positive_focal(z, 0.0)
    neg, dneg = _negative_focal(z, 0.0)
    return pos, dpos, neg, dneg, 1.0, loss.negative_weight


#: loss class -> per-entry reference, in the format of ``test_losses.REFERENCES``
MISSING_LABEL_REFERENCES = {HillLoss: _reference_hill, WeakNegatives: _reference_weak_negatives}
#: loss class -> constructor settings tested by ``test_losses``
MISSING_LABEL_SETTINGS = {
    HillLoss: [{}, {"lam": 2.0, "margin": 0.0, "gamma": 0.0}, {"margin": 2.5, "gamma": 0.5}],
    WeakNegatives: [{}, {"negative_weight": 0.5, "label_smoothing": 0.2}],
    BinaryCrossEntropy: [{}, {"label_smoothing": 0.2}],
    FocalLoss: [{"gamma": 1.5, "label_smoothing": 0.1}],
    AsymmetricLoss: [{"gamma_pos": 1.0, "gamma_neg": 2.0, "clip": 0.1, "label_smoothing": 0.3}],
}


def reference_splc(loss, epoch, Y, raw, sample_weight, pos_weight, neg_weight):
    """SPLC's loss and gradient at ``epoch`` (the official code's formula, in NumPy)."""
    Y, z = np.asarray(Y, dtype=float), np.asarray(raw, dtype=float)
    s = np.asarray(sample_weight, dtype=float)
    s = s / s.sum()
    pos, dpos = _positive_focal(z - loss.margin, loss.gamma)
    corrected = (epoch > loss.warmup) & (expit(z) > loss.tau)
    as_pos, das_pos = _positive_focal(z, loss.gamma)
    as_neg, das_neg = _negative_focal(z, loss.gamma)
    neg = np.where(corrected, as_pos, as_neg)
    dneg = np.where(corrected, das_pos, das_neg)
    w_neg = np.where(corrected, pos_weight, neg_weight)
    a, b = pos_weight * Y, w_neg * (1 - Y)
    return np.sum(s[:, None] * (a * pos + b * neg)), s[:, None] * (a * dpos + b * dneg)


TOLERANCE = {np.float64: {"rtol": 1e-10, "atol": 1e-13}, np.float32: {"rtol": 2e-5, "atol": 1e-6}}


def splc_problem(rng, dtype, n_samples=9, n_labels=4, gap=0.05):
    """Logits, 0/1 and soft targets and weights; no probability within ``gap`` of tau=0.6."""
    raw = rng.normal(0.0, 2.5, (n_samples, n_labels))
    p = expit(raw)
    raw = np.where(np.abs(p - 0.6) < gap, raw + 1.0, raw).astype(dtype)
    Y = (rng.random((n_samples, n_labels)) < 0.4).astype(dtype)
    Y[0] = 0.3
    return Y, raw, {
        "sample_weight": rng.uniform(0.2, 2.0, n_samples),
        "pos_weight": np.array([2.0, 0.0, 1.0, 3.5]),
        "neg_weight": np.array([0.5, 1.5, 0.0, 1.0]),
    }


SPLC_SETTINGS = [{}, {"tau": 0.6, "warmup": 0, "margin": 0.0, "gamma": 0.0},
                 {"tau": 0.6, "warmup": 3, "margin": 2.0, "gamma": 0.5}]


# --------------------------------------------------------------------------
# SPLC: reference, finite differences, extremes, the epoch


@pytest.mark.parametrize("epoch", [1, 2, 5])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("params", SPLC_SETTINGS)
def test_splc_kernel_matches_numpy_reference(params, dtype, epoch, rng):
    loss = SelfPacedLossCorrection(**params)
    Y, raw, kwargs = splc_problem(rng, dtype)
    value, grad = loss.for_epoch(epoch).loss_gradient(Y, raw, **kwargs)
    ref_value, ref_grad = reference_splc(loss, epoch, Y, raw, **kwargs)
    assert grad.dtype == dtype
    np.testing.assert_allclose(value, ref_value, **TOLERANCE[dtype])
    np.testing.assert_allclose(grad, ref_grad, **TOLERANCE[dtype])
    per_label = loss.for_epoch(epoch).loss(Y, raw, **kwargs, per_label=True)
    assert per_label.shape == (4,) and per_label.sum() == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("params", SPLC_SETTINGS)
def test_splc_gradient_matches_finite_differences(params, rng):
    loss = SelfPacedLossCorrection(**params).for_epoch(4)
    Y, raw, kwargs = splc_problem(rng, np.float64)
    grad = loss.gradient(Y, raw, **kwargs)
    step = 1e-6
    fd = np.empty(raw.shape)
    for index in np.ndindex(raw.shape):
        up, down = raw.copy(), raw.copy()
        up[index] += step
        down[index] -= step
        fd[index] = (loss.loss(Y, up, **kwargs) - loss.loss(Y, down, **kwargs)) / (2 * step)
    np.testing.assert_allclose(grad, fd, rtol=1e-7, atol=1e-7)


def test_splc_correction_switches_after_warmup():
    """A confident negative counts as a positive from epoch warmup + 1 on, not before."""
    loss = SelfPacedLossCorrection(tau=0.6, warmup=2, gamma=0.0)
    raw, Y = np.array([[3.0, 0.0]]), np.zeros((1, 2))
    before = loss.for_epoch(2).loss_gradient(Y, raw)
    after = loss.for_epoch(3).loss_gradient(Y, raw)
    bce = BinaryCrossEntropy()
    np.testing.assert_allclose(before[1], bce.gradient(Y, raw), rtol=1e-12)
    # entry 0 (p = 0.95 > tau) is pulled up as a positive; entry 1 (p = 0.5) stays negative
    np.testing.assert_allclose(after[1], bce.gradient(np.array([[1.0, 0.0]]), raw), rtol=1e-12)
    assert after[1][0, 0] < 0 < before[1][0, 0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_splc_and_hill_extreme_logits(dtype):
    raw = np.array([[1e4, -1e4, 1e4, -1e4], [30.0, -30.0, 800.0, -800.0]], dtype=dtype)
    Y = np.array([[1, 0, 0, 1], [1, 0, 0, 1]], dtype=dtype)
    ones = np.ones(4)
    for epoch in (1, 2):
        loss = SelfPacedLossCorrection()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            value, grad = loss.for_epoch(epoch).loss_gradient(Y, raw)
        ref_value, ref_grad = reference_splc(loss, epoch, Y, raw, np.ones(2), ones, ones)
        assert np.isfinite(value) and np.all(np.isfinite(grad))
        np.testing.assert_allclose(value, ref_value, rtol=1e-6)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-6, atol=1e-30)
    # a missing positive at z = 1e4: hill's negative term is bounded (0.5) and flat
    value, grad = HillLoss().loss_gradient(np.zeros((1, 1), dtype), np.full((1, 1), 1e4, dtype))
    assert value == pytest.approx(0.5, rel=1e-12) and grad[0, 0] == 0.0


def test_splc_needs_the_epoch_and_for_epoch_copies(rng):
    loss = SelfPacedLossCorrection(tau=0.7)
    Y, raw, _ = splc_problem(rng, np.float64)
    with pytest.raises(ValueError, match="solver='adam'"):
        loss.loss(Y, raw)
    at_epoch = loss.for_epoch(3)
    assert at_epoch is not loss and at_epoch.tau == 0.7
    assert loss == SelfPacedLossCorrection(tau=0.7) and "epoch" not in repr(loss)
    with pytest.raises(ValueError, match="solver='adam'"):
        loss.loss(Y, raw)  # the original stays without an epoch
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="epoch"):
            loss.for_epoch(bad)


# --------------------------------------------------------------------------
# Relations to the existing losses


def test_weak_negatives_is_bce_with_a_false_positive_cost(rng):
    Y = (rng.random((8, 3)) < 0.4).astype(float)
    raw = rng.normal(0.0, 2.0, (8, 3))
    weak = WeakNegatives(negative_weight=0.25).loss_gradient(Y, raw)
    bce = BinaryCrossEntropy().loss_gradient(Y, raw, neg_weight=np.full(3, 0.25))
    assert weak[0] == pytest.approx(bce[0], rel=1e-14)
    np.testing.assert_allclose(weak[1], bce[1], rtol=1e-14)


@pytest.mark.parametrize("loss", [BinaryCrossEntropy(label_smoothing=0.2),
                                  FocalLoss(gamma=1.0, label_smoothing=0.2)])
def test_label_smoothing_equals_soft_targets_and_keeps_y(loss, rng):
    Y = (rng.random((8, 3)) < 0.4).astype(float)
    Y_copy = Y.copy()
    raw = rng.normal(0.0, 2.0, (8, 3))
    plain = type(loss)(**{k: v for k, v in vars(loss).items() if k != "label_smoothing"})
    smoothed = loss.loss_gradient(Y, raw)
    soft = plain.loss_gradient(0.8 * Y + 0.1, raw)
    assert smoothed[0] == pytest.approx(soft[0], rel=1e-14)
    np.testing.assert_allclose(smoothed[1], soft[1], rtol=1e-13)
    np.testing.assert_array_equal(Y, Y_copy)
    # a hidden positive (0) predicted at p = 0.99 costs less with smoothing than without
    confident = np.array([[np.log(99.0)]])
    assert loss.loss(np.zeros((1, 1)), confident) < plain.loss(np.zeros((1, 1)), confident)


def test_hill_negative_gradient_vanishes_for_confident_negatives():
    """BCE pulls a high-scored negative hardest; hill lets it be (a likely missing positive)."""
    raw = np.array([[-2.0, 0.0, 2.0, 6.0]])
    Y = np.zeros_like(raw)
    hill = HillLoss().gradient(Y, raw)[0]
    bce = BinaryCrossEntropy().gradient(Y, raw)[0]
    assert np.all(np.diff(bce) > 0)
    assert hill[3] < hill[2] and hill[3] < 0.05 * bce[3]


# --------------------------------------------------------------------------
# Hyper-parameters: constraints declared once, by the loss


@pytest.mark.parametrize(
    "cls, params, match, estimator_params",
    [
        (HillLoss, {"lam": 1.0}, "lam", {"loss": "hill", "hill_lambda": 1.0}),
        (HillLoss, {"margin": -0.5}, "margin", {"loss": "hill", "positive_margin": -0.5}),
        (HillLoss, {"gamma": "2"}, "gamma", {"loss": "hill", "gamma": "2"}),
        (SelfPacedLossCorrection, {"tau": 1.0}, "tau", {"loss": "splc", "splc_tau": 1.0}),
        (SelfPacedLossCorrection, {"tau": 0.0}, "tau", {"loss": "splc", "splc_tau": 0.0}),
        (SelfPacedLossCorrection, {"warmup": -1}, "warmup", {"loss": "splc", "splc_warmup": -1}),
        (SelfPacedLossCorrection, {"warmup": 1.5}, "warmup",
         {"loss": "splc", "splc_warmup": 1.5}),
        (WeakNegatives, {"negative_weight": 0.0}, "negative_weight",
         {"loss": "weak_negatives", "negative_weight": 0.0}),
        (WeakNegatives, {"negative_weight": 1.5}, "negative_weight",
         {"loss": "weak_negatives", "negative_weight": 1.5}),
        (BinaryCrossEntropy, {"label_smoothing": 0.5}, "label_smoothing",
         {"label_smoothing": 0.5}),
        (FocalLoss, {"label_smoothing": -0.1}, "label_smoothing",
         {"loss": "focal", "label_smoothing": -0.1}),
        (AsymmetricLoss, {"label_smoothing": float("nan")}, "label_smoothing",
         {"loss": "asymmetric", "label_smoothing": float("nan")}),
    ],
)
def test_invalid_hyperparameters(small_data, cls, params, match, estimator_params):
    loss = cls(**params)  # stored unchanged; checked where it is used
    with pytest.raises((ValueError, TypeError), match=match):
        loss.validate_params()
    X, Y = small_data
    with pytest.raises((ValueError, TypeError), match=match):
        MultiLabelLossClassifier(loss=loss, solver="adam").fit(X, Y)
    estimator_param = next(name for name in estimator_params if name != "loss")
    with pytest.raises((ValueError, TypeError), match=estimator_param):
        MultiLabelLossClassifier(solver="adam", **estimator_params).fit(X, Y)


def test_estimator_params_build_the_losses():
    params = MultiLabelLossClassifier(
        hill_lambda=2.0, positive_margin=0.5, gamma=1.0, splc_tau=0.7, splc_warmup=3,
        negative_weight=0.3, label_smoothing=0.1,
    ).get_params()
    assert resolve_loss("hill", params) == HillLoss(lam=2.0, margin=0.5, gamma=1.0)
    assert resolve_loss("splc", params) == SelfPacedLossCorrection(0.7, 3, 0.5, 1.0)
    assert resolve_loss("weak_negatives", params) == WeakNegatives(0.3, label_smoothing=0.1)
    assert resolve_loss("bce", params) == BinaryCrossEntropy(label_smoothing=0.1)
    for name in ("hill", "splc", "weak_negatives"):
        assert name in LOSSES


@pytest.fixture(scope="module")
def small_data():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 5))
    Y = (X[:, :3] + 0.5 * rng.normal(size=(60, 3)) > 0.3).astype(np.int64)
    return X, Y


def test_estimator_rejects_bad_values_at_fit_and_keeps_its_state(small_data):
    X, Y = small_data
    model = MultiLabelLossClassifier(loss="hill").fit(X, Y)
    coef = model.coef_.copy()
    model.set_params(hill_lambda=0.5)
    with pytest.raises(ValueError, match="hill_lambda"):
        model.fit(X, Y)
    np.testing.assert_array_equal(model.coef_, coef)
    with pytest.raises(ValueError, match="label_smoothing"):
        MultiLabelLossClassifier(loss="focal", label_smoothing=0.6).fit(X, Y)


def test_splc_needs_adam_in_the_estimator(small_data):
    X, Y = small_data
    clf = MultiLabelLossClassifier(loss="splc")
    with pytest.raises(ValueError, match="solver='adam'"):
        clf.fit(X, Y)
    assert not hasattr(clf, "loss_")


def test_splc_partial_fit_counts_one_epoch_per_call(small_data):
    X, Y = small_data
    user_loss = SelfPacedLossCorrection(tau=0.3, warmup=1)
    streamed = MultiLabelLossClassifier(loss=user_loss, solver="adam", random_state=0)
    fitted = MultiLabelLossClassifier(loss=user_loss, solver="adam", random_state=0,
                                      max_iter=3, tol=0.0, n_iter_no_change=100)
    for _ in range(3):
        streamed.partial_fit(X, Y)
    with pytest.warns(ConvergenceWarning):
        fitted.fit(X, Y)
    # the same epochs 1, 2, 3 (warm-up, then corrected), the same row orders
    assert_allclose(streamed.coef_, fitted.coef_, rtol=1e-12)
    assert user_loss._epoch is None  # the user's object is never set to an epoch


def test_splc_trains_with_adam_and_corrects_after_warmup(small_data):
    """Under SPLC with a low tau, hidden positives that the model scores high are pulled up."""
    X, Y = small_data
    hidden = Y.copy()
    hidden[::3, 0] = 0
    common = {"solver": "adam", "learning_rate_init": 0.05, "max_iter": 15, "random_state": 0,
              "tol": 0.0, "n_iter_no_change": 100}
    no_correction = MultiLabelLossClassifier(loss="splc", splc_warmup=15, **common)
    corrected = MultiLabelLossClassifier(loss="splc", splc_tau=0.3, splc_warmup=3, **common)
    for model in (no_correction, corrected):
        with pytest.warns(ConvergenceWarning):  # 15 epochs, no stopping rule: on purpose
            model.fit(X, hidden)
    assert corrected.n_iter_ == no_correction.n_iter_ == 15
    assert corrected.loss_ == SelfPacedLossCorrection(0.3, 3, 1.0, 2.0)
    # identical while warming up, then the corrected model scores the hidden rows higher
    np.testing.assert_array_equal(corrected.loss_curve_[:3], no_correction.loss_curve_[:3])
    rows = (hidden[:, 0] == 0) & (Y[:, 0] == 1)
    assert (corrected.decision_function(X)[rows, 0].mean()
            > no_correction.decision_function(X)[rows, 0].mean())


def test_grid_search_sweeps_the_flat_parameters(small_data):
    X, Y = small_data
    search = GridSearchCV(
        MultiLabelLossClassifier(loss="hill", max_iter=50),
        {"loss": ["hill", "weak_negatives"], "positive_margin": [0.0, 1.0],
         "negative_weight": [0.2, 1.0]},
        cv=2, scoring="f1_macro",
    ).fit(X, Y)
    assert len(search.cv_results_["params"]) == 8
    assert search.best_params_["loss"] in ("hill", "weak_negatives")
