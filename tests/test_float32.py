"""float32 input stays float32 through products, loss kernels, solvers and coefficients."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.datasets import load_emotions
from skmultilabel.losses import MultiLabelLoss

CONFIGS = {
    "linear_lbfgs": {},
    "linear_lbfgs_focal": {"loss": "focal"},
    "linear_ranking": {"loss": "label_ranking", "max_iter": 100},
    "mlp_lbfgs": {"model": "mlp", "hidden_layer_sizes": (8,), "max_iter": 100},
    "linear_adam": {"solver": "adam", "max_iter": 30, "learning_rate_init": 0.01},
    "mlp_adam": {"solver": "adam", "model": "mlp", "hidden_layer_sizes": (8,), "max_iter": 30,
                 "learning_rate_init": 0.01},
}


@pytest.fixture(scope="module")
def emotions():
    data = load_emotions()
    return StandardScaler().fit_transform(data.X_train), data.Y_train


@pytest.fixture
def kernel_dtypes(monkeypatch):
    """The dtypes of the logits every loss kernel call of the fit receives."""
    seen = set()
    fill = MultiLabelLoss.fill_loss_gradient

    def spy(self, Y, raw, *args):
        seen.add((raw.dtype, Y.dtype, args[0].dtype, args[1].dtype))
        return fill(self, Y, raw, *args)

    monkeypatch.setattr(MultiLabelLoss, "fill_loss_gradient", spy)
    return seen


def fit(X, Y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MultiLabelLossClassifier(random_state=0, **params).fit(X, Y)


def parameters(clf):
    return [clf.coef_, clf.intercept_] if hasattr(clf, "coef_") else clf.coefs_ + clf.intercepts_


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_float32_fit_stays_float32_and_matches_float64(emotions, kernel_dtypes, name, sparse):
    X, Y = emotions
    X32 = X.astype(np.float32)
    if sparse:
        X, X32 = sp.csr_matrix(X), sp.csr_matrix(X32)
    clf32 = fit(X32, Y, **CONFIGS[name])
    assert kernel_dtypes == {(np.dtype(np.float32),) * 4}
    assert all(p.dtype == np.float32 for p in parameters(clf32))
    assert clf32.predict_proba(X32).dtype == np.float32
    clf64 = fit(X, Y, **CONFIGS[name])
    assert all(p.dtype == np.float64 for p in parameters(clf64))
    # same objective, float32 rounding: equal training loss; the convex (linear) fits
    # also agree in probability (an unconverged MLP's path may drift apart)
    assert abs(clf32.loss_curve_[-1] - clf64.loss_curve_[-1]) < 2e-2 * clf64.loss_curve_[-1]
    if "mlp" not in name:
        assert_allclose(clf32.predict_proba(X32), clf64.predict_proba(X), atol=2e-2)


def test_float32_linear_lbfgs_reaches_the_float64_optimum(emotions):
    X, Y = emotions
    clf32 = fit(X.astype(np.float32), Y, tol=1e-6, max_iter=2000)
    clf64 = fit(X, Y, tol=1e-6, max_iter=2000)
    assert clf32.loss_curve_[-1] == pytest.approx(clf64.loss_curve_[-1], rel=1e-5)
    # the objective is flat along correlated features (65, 67, 68): float32 values
    # place the coefficients there to a few 1e-3 only, the probabilities closer
    assert_allclose(clf32.coef_, clf64.coef_, atol=5e-3)
    assert_allclose(clf32.predict_proba(X), clf64.predict_proba(X), atol=1e-3)


def test_partial_fit_keeps_the_dtype_of_its_first_chunk(emotions, kernel_dtypes):
    X, Y = emotions
    clf = MultiLabelLossClassifier(solver="adam", random_state=0)
    clf.partial_fit(X[:200].astype(np.float32), Y[:200])
    clf.partial_fit(X[200:], Y[200:])  # float64 chunk, computed in the stream's float32
    assert clf.coef_.dtype == np.float32
    assert {dtypes[0] for dtypes in kernel_dtypes} == {np.dtype(np.float32)}


def test_float32_warm_start_and_other_dtypes(emotions):
    X, Y = emotions
    clf = fit(X, Y, warm_start=True, max_iter=5)
    clf.fit(X.astype(np.float32), Y)  # warm start from float64 coefficients, cast
    assert clf.coef_.dtype == np.float32
    assert fit(X.astype(np.int64), Y, max_iter=5).coef_.dtype == np.float64
    assert fit(X.astype(np.float16), Y, max_iter=5).coef_.dtype == np.float64
