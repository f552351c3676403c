"""Pointwise losses: kernels against plain-NumPy references and finite differences.

Every registered loss whose class is pointwise is covered; a new pointwise
loss must add its reference to ``REFERENCES`` (the tests fail until it does).
"""

import inspect
import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest
from scipy.special import expit
from sklearn.base import clone
from test_missing_label_losses import MISSING_LABEL_REFERENCES, MISSING_LABEL_SETTINGS

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.losses import (
    LOSSES,
    AsymmetricLoss,
    BinaryCrossEntropy,
    FocalLoss,
    WeightedBinaryCrossEntropy,
    resolve_loss,
)

# --------------------------------------------------------------------------
# Plain-NumPy references (float64). Each returns, per entry, the positive and
# negative terms and their derivatives with respect to the logit z.


def _log_sigmoids(z):
    """Return log p and log(1 - p) for p = sigmoid(z)."""
    return -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)


def _focal_terms(z, gamma_pos, gamma_neg):
    p, q = expit(z), expit(-z)
    log_p, log_q = _log_sigmoids(z)
    pos = -(q**gamma_pos) * log_p
    dpos = q**gamma_pos * (gamma_pos * p * log_p - q)
    neg = -(p**gamma_neg) * log_q
    dneg = p**gamma_neg * (p - gamma_neg * q * log_q)
    return pos, dpos, neg, dneg


def _reference_bce(loss, z):
    return _focal_terms(z, 0.0, 0.0) + (1.0, 1.0)


def _reference_focal(loss, z):
    alpha = 1.0 if loss.alpha is None else np.asarray(loss.alpha, dtype=float)
    neg_scale = 1.0 if loss.alpha is None else 1 - alpha
    return _focal_terms(z, loss.gamma, loss.gamma) + (alpha, neg_scale)


def _reference_asymmetric(loss, z):
    pos, dpos, neg, dneg = _focal_terms(z, loss.gamma_pos, loss.gamma_neg)
    if loss.clip > 0:
        g = loss.gamma_neg
        p = expit(z)
        m = np.maximum(p - loss.clip, 0.0)
        above = m > 0
        m_safe = np.where(above, m, 0.5)
        neg = np.where(above, -(m_safe**g) * np.log1p(-m_safe), 0.0)
        d_weight = g * m_safe ** (g - 1) if g > 0 else 0.0
        d_dm = -np.log1p(-m_safe) * d_weight + m_safe**g / (1 - m_safe)
        dneg = np.where(above, d_dm * p * expit(-z), 0.0)
    return pos, dpos, neg, dneg, 1.0, 1.0


REFERENCES = {
    BinaryCrossEntropy: _reference_bce,
    WeightedBinaryCrossEntropy: _reference_bce,
    FocalLoss: _reference_focal,
    AsymmetricLoss: _reference_asymmetric,
    **MISSING_LABEL_REFERENCES,
}


def reference_loss_gradient(loss, Y, raw, sample_weight=None, pos_weight=None, neg_weight=None):
    """L = sum_i s_i sum_c (w+ y l+ + w- (1 - y) l-) / sum_i s_i and dL/draw."""
    Y = np.asarray(Y, dtype=float)
    smoothing = getattr(loss, "label_smoothing", 0.0)
    Y = Y * (1 - smoothing) + smoothing / 2
    z = np.asarray(raw, dtype=float)
    n_samples, n_labels = z.shape
    s = np.ones(n_samples) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    w_pos = np.ones(n_labels) if pos_weight is None else np.asarray(pos_weight, dtype=float)
    w_neg = np.ones(n_labels) if neg_weight is None else np.asarray(neg_weight, dtype=float)
    pos, dpos, neg, dneg, scale_pos, scale_neg = REFERENCES[type(loss)](loss, z)
    a = w_pos * scale_pos * Y
    b = w_neg * scale_neg * (1 - Y)
    s = s / s.sum()
    value = np.sum(s[:, None] * (a * pos + b * neg))
    grad = s[:, None] * (a * dpos + b * dneg)
    return value, grad


# --------------------------------------------------------------------------
# The losses under test: every registered pointwise loss, with a few settings.

SETTINGS = {
    FocalLoss: [{}, {"gamma": 0.5, "alpha": 0.3}, {"gamma": 5, "alpha": [0.1, 0.5, 0.9, 1.0]}],
    AsymmetricLoss: [
        {},
        {"gamma_pos": 1.0, "gamma_neg": 2.5, "clip": 0.1},
        {"gamma_pos": 0.5, "gamma_neg": 0.3, "clip": 0.0},
        {"gamma_pos": 0.0, "gamma_neg": 0.0, "clip": 0.2},
    ],
}
for _cls, _extra in MISSING_LABEL_SETTINGS.items():  # hill, weak_negatives, label_smoothing
    SETTINGS[_cls] = SETTINGS.get(_cls, []) + _extra
# losses that need the training epoch (splc) are checked in test_missing_label_losses
POINTWISE = sorted(
    name for name, cls in LOSSES.items() if cls.pointwise and not getattr(cls, "needs_epoch", False)
)
CASES = [
    pytest.param(name, params, id=f"{name}-{i}")
    for name in POINTWISE
    for i, params in enumerate(SETTINGS.get(LOSSES[name], [{}]))
]
N_LABELS = 4


def make_problem(rng, n_samples=7, n_labels=N_LABELS, dtype=np.float64, scale=3.0):
    raw = (rng.normal(0.0, scale, (n_samples, n_labels))).astype(dtype)
    Y = (rng.random((n_samples, n_labels)) < 0.4).astype(dtype)
    Y[0] = 0.3  # soft targets follow the same formula
    return Y, raw


def weights(rng):
    return {
        "sample_weight": rng.uniform(0.2, 2.0, 7),
        "pos_weight": np.array([2.0, 0.0, 1.0, 3.5]),
        "neg_weight": np.array([0.5, 1.5, 0.0, 1.0]),
    }


TOLERANCE = {np.float64: {"rtol": 1e-10, "atol": 1e-13}, np.float32: {"rtol": 2e-5, "atol": 1e-6}}


def test_every_pointwise_loss_has_a_reference():
    missing = [name for name in POINTWISE if LOSSES[name] not in REFERENCES]
    assert not missing, f"add a NumPy reference for {missing}"


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, params", CASES)
def test_kernel_matches_numpy_reference(name, params, dtype, weighted, rng):
    loss = LOSSES[name](**params)
    Y, raw = make_problem(rng, dtype=dtype)
    kwargs = weights(rng) if weighted else {}
    value, grad = loss.loss_gradient(Y, raw, **kwargs)
    ref_value, ref_grad = reference_loss_gradient(loss, Y, raw, **kwargs)
    assert grad.dtype == dtype and grad.shape == raw.shape
    np.testing.assert_allclose(value, ref_value, **TOLERANCE[dtype])
    np.testing.assert_allclose(grad, ref_grad, **TOLERANCE[dtype])
    assert loss.loss(Y, raw, **kwargs) == value
    np.testing.assert_array_equal(loss.gradient(Y, raw, **kwargs), grad)


def _finite_differences(loss, Y, raw, step, **kwargs):
    fd = np.empty(raw.shape)
    for index in np.ndindex(raw.shape):
        up, down = raw.copy(), raw.copy()
        up[index] += step
        down[index] -= step
        fd[index] = (loss.loss(Y, up, **kwargs) - loss.loss(Y, down, **kwargs)) / (
            float(up[index]) - float(down[index])
        )
    return fd


@pytest.mark.parametrize(
    "dtype, step, tol", [(np.float64, 1e-6, 1e-7), (np.float32, 1e-2, 2e-3)]
)
@pytest.mark.parametrize("name, params", CASES)
def test_gradient_matches_finite_differences(name, params, dtype, step, tol, rng):
    loss = LOSSES[name](**params)
    Y, raw = make_problem(rng, dtype=dtype, scale=2.0)
    kwargs = weights(rng)
    grad = loss.gradient(Y, raw, **kwargs)
    fd = _finite_differences(loss, Y, raw, step, **kwargs)
    np.testing.assert_allclose(grad, fd, rtol=tol, atol=tol)


@pytest.mark.parametrize("gamma_neg", [0.0, 0.5, 2.0, 4.0])
@pytest.mark.parametrize("side", [-1, 1])
def test_asymmetric_gradient_around_clip_kink(gamma_neg, side):
    """Just below the margin a negative costs nothing; just above, the slope is exact."""
    clip = 0.1
    loss = AsymmetricLoss(gamma_pos=0.0, gamma_neg=gamma_neg, clip=clip)
    kink = np.log(clip / (1 - clip))
    raw = kink + side * np.array([[1e-2, 1e-4, 1e-7]])
    Y = np.zeros_like(raw)
    value, grad = loss.loss_gradient(Y, raw)
    ref_value, ref_grad = reference_loss_gradient(loss, Y, raw)
    np.testing.assert_allclose(value, ref_value, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-7, atol=1e-300)
    if side < 0:
        assert value == 0.0 and np.all(grad == 0.0)
    else:
        assert np.all(grad > 0.0)
    if gamma_neg >= 1 or side < 0:  # derivative continuous there: central differences apply
        fd = _finite_differences(loss, Y, raw, 1e-9)
        np.testing.assert_allclose(grad, fd, rtol=1e-3, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_special_cases_reduce_to_bce(dtype, rng):
    Y, raw = make_problem(rng, dtype=dtype)
    kwargs = weights(rng)
    bce_value, bce_grad = BinaryCrossEntropy().loss_gradient(Y, raw, **kwargs)
    for loss in (FocalLoss(gamma=0.0), AsymmetricLoss(gamma_pos=0.0, gamma_neg=0.0, clip=0.0)):
        value, grad = loss.loss_gradient(Y, raw, **kwargs)
        np.testing.assert_allclose(value, bce_value, **TOLERANCE[dtype])
        np.testing.assert_allclose(grad, bce_grad, **TOLERANCE[dtype])


@pytest.mark.parametrize("gamma", [0.5, 2.0, 3.7])
def test_focal_alpha_and_asymmetric_relations(gamma, rng):
    Y, raw = make_problem(rng)
    focal_value, focal_grad = FocalLoss(gamma=gamma).loss_gradient(Y, raw)
    half_value, half_grad = FocalLoss(gamma=gamma, alpha=0.5).loss_gradient(Y, raw)
    np.testing.assert_allclose(half_value, 0.5 * focal_value, rtol=1e-12)
    np.testing.assert_allclose(half_grad, 0.5 * focal_grad, rtol=1e-12, atol=1e-15)
    per_label = FocalLoss(gamma=gamma, alpha=np.full(N_LABELS, 0.5)).loss_gradient(Y, raw)
    np.testing.assert_allclose(per_label[0], half_value, rtol=1e-12)
    asym = AsymmetricLoss(gamma_pos=gamma, gamma_neg=gamma, clip=0.0).loss_gradient(Y, raw)
    np.testing.assert_allclose(asym[0], focal_value, rtol=1e-12)
    np.testing.assert_allclose(asym[1], focal_grad, rtol=1e-12, atol=1e-15)


def test_focal_down_weights_easy_entries_of_both_kinds():
    """Both focal terms are modulated: an easy negative costs less than with BCE."""
    raw = np.array([[-3.0, 3.0]])
    Y = np.array([[0.0, 1.0]])
    focal = FocalLoss(gamma=2.0).gradient(Y, raw)
    bce = BinaryCrossEntropy().gradient(Y, raw)
    assert np.all(np.abs(focal) < 0.1 * np.abs(bce))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, params", CASES)
def test_extreme_logits_are_finite_and_correct(name, params, dtype):
    loss = LOSSES[name](**params)
    raw = np.array([[1e4, -1e4, 1e4, -1e4], [30.0, -30.0, 800.0, -800.0]], dtype=dtype)
    Y = np.array([[1, 0, 0, 1], [1, 0, 0, 1]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = loss.loss_gradient(Y, raw)
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    ref_value, ref_grad = reference_loss_gradient(loss, Y, raw)
    np.testing.assert_allclose(value, ref_value, rtol=1e-6)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-6, atol=1e-30)


def test_bce_extreme_logits_values():
    raw = np.array([[1e4, -1e4]])
    right = BinaryCrossEntropy().loss_gradient(np.array([[1.0, 0.0]]), raw)
    wrong = BinaryCrossEntropy().loss_gradient(np.array([[0.0, 1.0]]), raw)
    assert right[0] == pytest.approx(0.0, abs=1e-300)
    np.testing.assert_allclose(right[1], 0.0, atol=1e-300)
    assert wrong[0] == pytest.approx(2e4, rel=1e-12)
    np.testing.assert_allclose(wrong[1], [[1.0, -1.0]], rtol=1e-12)


@pytest.mark.parametrize(
    "cls, params, match, error",
    [
        (FocalLoss, {"gamma": -1.0}, "gamma", ValueError),
        (FocalLoss, {"gamma": float("nan")}, "gamma", ValueError),
        (FocalLoss, {"gamma": "2"}, "gamma", TypeError),
        (FocalLoss, {"alpha": 1.5}, "alpha", ValueError),
        (FocalLoss, {"alpha": -0.1}, "alpha", ValueError),
        (FocalLoss, {"alpha": [0.2, -0.1]}, "alpha", ValueError),
        (FocalLoss, {"alpha": [[0.2]]}, "alpha", ValueError),
        (FocalLoss, {"alpha": "balanced"}, "alpha", TypeError),
        (AsymmetricLoss, {"gamma_pos": -0.5}, "gamma_pos", ValueError),
        (AsymmetricLoss, {"gamma_neg": -1}, "gamma_neg", ValueError),
        (AsymmetricLoss, {"clip": 1.0}, "clip", ValueError),
        (AsymmetricLoss, {"clip": -0.01}, "clip", ValueError),
    ],
)
def test_invalid_hyperparameters(rng, cls, params, match, error):
    loss = cls(**params)  # stored unchanged, as scikit-learn estimators do
    with pytest.raises(error, match=match):
        loss.validate_params()
    Y, raw = make_problem(rng)
    with pytest.raises(error, match=match):
        loss.loss(Y, raw)
    with pytest.raises(error, match=match):
        resolve_loss(loss, {})


def test_alpha_length_must_match_labels(rng):
    Y, raw = make_problem(rng)
    with pytest.raises(ValueError, match="alpha"):
        FocalLoss(alpha=[0.5, 0.5]).loss(Y, raw)


@pytest.mark.parametrize("name, params", CASES)
def test_shape_mismatch(name, params, rng):
    loss = LOSSES[name](**params)
    Y, raw = make_problem(rng)
    with pytest.raises(ValueError, match="same shape"):
        loss.loss_gradient(Y[:, :-1], raw)
    with pytest.raises(ValueError, match="pos_weight"):
        loss.loss_gradient(Y, raw, pos_weight=np.ones(N_LABELS + 1))


@pytest.mark.parametrize("name, params", CASES)
def test_inputs_not_mutated_and_layouts(name, params, rng):
    loss = LOSSES[name](**params)
    Y, raw = make_problem(rng)
    Y[0] = 1.0
    kwargs = weights(rng)
    expected = loss.loss_gradient(Y, raw, **kwargs)
    arrays = {"Y": Y, "raw": raw, **kwargs}
    copies = {key: value.copy() for key, value in arrays.items()}
    layouts = [
        (np.asfortranarray(Y), np.asfortranarray(raw)),
        (Y.astype(np.int64), raw),
        (np.repeat(Y, 2, axis=1)[:, ::2], np.repeat(raw, 2, axis=0)[::2]),
    ]
    for Y_layout, raw_layout in layouts:
        value, grad = loss.loss_gradient(Y_layout, raw_layout, **kwargs)
        assert value == pytest.approx(expected[0], rel=1e-14)
        np.testing.assert_allclose(grad, expected[1], rtol=1e-14, atol=1e-300)
    for key, value in arrays.items():
        np.testing.assert_array_equal(value, copies[key], err_msg=key)


@pytest.mark.parametrize("name, params", CASES)
def test_objects_store_params_compare_clone_and_pickle(name, params):
    loss = LOSSES[name](**params)
    for key, value in params.items():
        assert getattr(loss, key) is value
    assert loss == LOSSES[name](**params)
    assert pickle.loads(pickle.dumps(loss)) == loss
    assert clone(loss, safe=False) == loss
    assert repr(loss).startswith(type(loss).__name__)
    if params:
        assert loss != LOSSES[name]()


def test_estimator_params_map_to_constructor_args():
    for cls in LOSSES.values():
        signature = inspect.signature(cls.__init__).parameters
        assert set(cls.estimator_params.values()) <= set(signature), cls


def test_resolve_loss_by_name_and_object():
    params = {"gamma": 1.5, "focal_alpha": 0.25, "gamma_pos": 1.0, "gamma_neg": 3.0, "clip": 0.1,
              "label_smoothing": 0.0}
    assert resolve_loss("focal", params) == FocalLoss(gamma=1.5, alpha=0.25)
    expected = AsymmetricLoss(gamma_pos=1.0, gamma_neg=3.0, clip=0.1)
    assert resolve_loss("asymmetric", params) == expected
    assert resolve_loss("bce", params) == BinaryCrossEntropy()
    loss = AsymmetricLoss(clip=0.2)
    assert resolve_loss(loss, params) is loss
    # a loss built by name takes the estimator's parameters, validated by the estimator
    with pytest.raises(ValueError, match="gamma"):
        MultiLabelLossClassifier(loss="focal", gamma=-2.0).fit(np.eye(4), np.eye(4)[:, :2])


def test_resolve_loss_rejects_unknown_names():
    with pytest.raises(ValueError) as error:
        resolve_loss("hinge", {})
    for name in LOSSES:
        assert repr(name) in str(error.value)
    with pytest.raises(TypeError, match="loss"):
        resolve_loss(3, {})


def test_kernels_load_from_the_numba_cache(tmp_path):
    """A second process runs the kernels from the on-disk cache, with the same results."""
    code = (
        "import numpy as np\n"
        "from skmultilabel.losses import LOSSES\n"
        "rng = np.random.default_rng(0)\n"
        "Z = rng.normal(size=(300, 5)); Y = (Z > 0.5) * 1.0\n"
        "losses = [LOSSES[name]() for name in sorted(LOSSES) if LOSSES[name].pointwise]\n"
        "losses = [l.for_epoch(2) if getattr(l, 'needs_epoch', False) else l for l in losses]\n"
        "print([loss.loss(Y, Z) for loss in losses])\n"
    )
    env = {"SKMULTILABEL_NUMBA_CACHE": "1", "NUMBA_CACHE_DIR": str(tmp_path), "PATH": ""}
    runs = [
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert runs[0].stdout == runs[1].stdout
    assert any(tmp_path.rglob("*.nbc"))


def test_arithmetic_exp_and_log_are_accurate():
    """The vectorisable exp and log of the kernels agree with libm to a few ulps."""
    from skmultilabel.losses._kernels import _exp_nonpositive, _log_reduced, _log_split

    x = -np.concatenate([np.linspace(0.0, 1.0, 50), np.geomspace(1e-12, 708.0, 50)])
    exp = np.array([_exp_nonpositive(v) for v in x])
    np.testing.assert_allclose(exp, np.exp(x), rtol=4e-16, atol=0)
    assert _exp_nonpositive(-1e4) == _exp_nonpositive(-708.0) > 0.0  # documented floor
    u = np.concatenate([np.geomspace(1e-300, 1.0, 60), np.linspace(0.5, 2.0, 40), [1e300]])
    log = np.array([_log_reduced(*_log_split(v)) for v in u])
    np.testing.assert_allclose(log, np.log(u), rtol=4e-16, atol=1e-300)
    e = np.concatenate([np.geomspace(1e-300, 0.41, 40), np.linspace(0.0, 0.41, 10)])
    log1p = np.array([_log_reduced(v, 0.0) for v in e])
    np.testing.assert_allclose(log1p, np.log1p(e), rtol=4e-16, atol=0)
