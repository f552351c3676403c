"""Numerical limits: extreme logits, badly scaled features, a loss that turns NaN in training.

No loss of the package takes probabilities: every one takes logits, and
logits of +-1e4 are probabilities of exactly 0 and 1 in floating point, so
the first test also covers the probability end points.
"""

import warnings

import numpy as np
import pytest
from _loss_at_epoch import at_an_epoch
from sklearn.exceptions import ConvergenceWarning

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.datasets import load_yeast
from skmultilabel.losses import LOSSES, BinaryCrossEntropy

LOSS_NAMES = sorted(LOSSES)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", LOSS_NAMES)
def test_every_loss_is_finite_at_extreme_logits(name, dtype):
    rng = np.random.default_rng(3)
    Y = (rng.random((40, 4)) < 0.4).astype(dtype)
    Y[:, 3] = 0  # a label without positives
    raw = rng.choice([-1e4, 1e4], size=Y.shape).astype(dtype)
    raw[:5] = -raw[:5] * (2 * Y[:5] - 1)  # some entries confidently wrong, the rest random
    weights = rng.uniform(0.5, 2.0, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or invalid-value RuntimeWarning either
        value, grad = at_an_epoch(LOSSES[name]()).loss_gradient(
            Y, raw, rng.uniform(0.5, 2.0, 40), pos_weight=weights, neg_weight=weights
        )
    assert np.isfinite(value) and value >= 0
    assert grad.dtype == dtype and np.all(np.isfinite(grad))


def yeast_subset(scale):
    X, Y = load_yeast(return_X_y=True)
    return X[:300] * scale, Y[:300]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"model": "mlp", "hidden_layer_sizes": (8,), "max_iter": 50, "random_state": 0},
        {
            "model": "mlp", "solver": "adam", "hidden_layer_sizes": (8,), "max_iter": 20,
            "random_state": 0,
        },
    ],
    ids=["linear", "mlp-lbfgs", "mlp-adam"],
)
def test_badly_scaled_features_fit_finite_or_warn(params):
    """Features around 1e6: a finite model, at worst with a ConvergenceWarning."""
    X, Y = yeast_subset(1e6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf = MultiLabelLossClassifier(**params).fit(X, Y)
    assert {w.category for w in caught} <= {ConvergenceWarning}
    coefs = [clf.coef_, clf.intercept_] if params == {} else clf.coefs_ + clf.intercepts_
    assert all(np.all(np.isfinite(c)) for c in coefs)
    assert np.all(np.isfinite(clf.decision_function(X)))


def test_overflowing_features_stop_training_with_a_clear_error():
    X, Y = yeast_subset(1e300)
    clf = MultiLabelLossClassifier(model="mlp", hidden_layer_sizes=(4,), random_state=0)
    with pytest.raises(
        ValueError, match="Training diverged: the (logits|loss|gradient) became NaN"
    ):
        clf.fit(X, Y)
    assert not hasattr(clf, "coefs_")


class NaNAfter(BinaryCrossEntropy):
    """Binary cross-entropy that returns NaN from its ``n_calls``-th evaluation on."""

    name = "nan_after"

    def __init__(self, n_calls=3):
        self.n_calls = n_calls

    def _run_kernel(self, Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad,
                    label_loss):
        self.n_calls -= 1
        value = super()._run_kernel(
            Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad, label_loss
        )
        if self.n_calls < 0:
            label_loss[:] = np.nan
            return np.nan
        return value


@pytest.mark.parametrize(
    "params",
    [{}, {"model": "mlp", "hidden_layer_sizes": (4,)},
     {"model": "mlp", "solver": "adam", "hidden_layer_sizes": (4,)}],
    ids=["linear", "mlp-lbfgs", "mlp-adam"],
)
def test_nan_loss_stops_training_and_keeps_no_nan_coefficients(params):
    X, Y = yeast_subset(1.0)
    clf = MultiLabelLossClassifier(random_state=0, max_iter=10, **params)
    with pytest.raises(ValueError, match="Training diverged: the loss became NaN or infinite"):
        clf.set_params(loss=NaNAfter(3)).fit(X, Y)
    assert not hasattr(clf, "loss_")  # not fitted: no coefficients at all
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.set_params(loss="bce").fit(X, Y)
    before = clf.predict_proba(X)
    with pytest.raises(ValueError, match="Training diverged"):
        clf.set_params(loss=NaNAfter(3), warm_start=True).fit(X, Y)
    np.testing.assert_array_equal(clf.predict_proba(X), before)  # the previous fit is kept intact


def test_adam_minibatches_of_zero_weight_rows_leave_no_nan():
    """Before the fix, an all-zero-weight minibatch divided 0 by 0: every coefficient NaN."""
    X, Y = yeast_subset(1.0)
    sample_weight = np.r_[np.zeros(150), np.ones(150)]
    clf = MultiLabelLossClassifier(
        model="mlp", solver="adam", hidden_layer_sizes=(4,), batch_size=1, max_iter=3,
        random_state=0,
    )
    with warnings.catch_warnings():
        # convergence; a label absent from rows 150:300
        warnings.simplefilter("ignore", UserWarning)
        clf.fit(X, Y, sample_weight=sample_weight)
    assert all(np.all(np.isfinite(c)) for c in clf.coefs_ + clf.intercepts_)
