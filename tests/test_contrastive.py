"""The multi-label contrastive kernel against a plain-NumPy reference and finite differences."""

import numba
import numpy as np
import pytest

from skmultilabel.losses import contrastive_loss
from skmultilabel.losses._contrastive import contrastive_loss_gradient


def reference_loss(H, Y, sample_weight, temperature, dtype=np.float64):
    """The module docstring's formula, written directly (in ``dtype``, e.g. longdouble)."""
    H, Y, w = (np.asarray(a, dtype=dtype) for a in (H, Y, sample_weight))
    norms = np.sqrt((H * H).sum(axis=1, keepdims=True))
    Z = np.divide(H, norms, out=np.zeros_like(H), where=norms > 0)
    S = Z @ Z.T / dtype(temperature)
    shared = Y @ Y.T
    union = Y.sum(axis=1)[:, None] + Y.sum(axis=1)[None, :] - shared
    A = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    n = H.shape[0]
    losses, anchors = [], []
    for i in range(n):
        others = np.arange(n) != i
        if A[i, others].sum() == 0:
            continue
        log_softmax = S[i, others] - np.log(np.exp(S[i, others]).sum())
        losses.append(-(A[i, others] * log_softmax).sum() / A[i, others].sum())
        anchors.append(i)
    if not anchors or w[anchors].sum() == 0:
        return dtype(0)
    return (w[anchors] * np.array(losses)).sum() / w[anchors].sum()


def batch(seed, n_samples=7, n_hidden=4, n_labels=3, dtype=np.float64):
    rng = np.random.default_rng(seed)
    H = rng.normal(size=(n_samples, n_hidden)).astype(dtype)
    Y = (rng.random((n_samples, n_labels)) < 0.4).astype(dtype)
    Y[0] = 0  # a sample without any label: never an anchor
    Y[1] = 0
    Y[1, 0] = 1
    Y[2:, 0] = 0  # ... and label 0 only on sample 1: an anchor without positive partner
    Y[2, 1:] = Y[3, 1:] = 1  # two samples sharing labels: at least one pair of partners
    w = rng.uniform(0.5, 2.0, n_samples).astype(dtype)
    return H, Y, w


def numeric_gradient(H, Y, w, temperature, step=1e-6):
    grad = np.zeros_like(H)
    for index in np.ndindex(*H.shape):
        up, down = H.copy(), H.copy()
        up[index] += step
        down[index] -= step
        grad[index] = (reference_loss(up, Y, w, temperature)
                       - reference_loss(down, Y, w, temperature)) / (2 * step)
    return grad


@pytest.mark.parametrize("temperature", [0.1, 0.5, 2.0])
@pytest.mark.parametrize("seed", [0, 1])
def test_matches_reference_and_finite_differences(seed, temperature):
    H, Y, w = batch(seed)
    loss, grad = contrastive_loss(H, Y, w, temperature=temperature)
    assert loss > 0
    np.testing.assert_allclose(loss, reference_loss(H, Y, w, temperature), rtol=1e-12)
    np.testing.assert_allclose(grad, numeric_gradient(H, Y, w, temperature), rtol=1e-5, atol=1e-7)


def test_float32_close_to_float64():
    H, Y, w = batch(2, n_samples=20, n_hidden=8, n_labels=5)
    loss64, grad64 = contrastive_loss(H, Y, w, temperature=0.2)
    loss32, grad32 = contrastive_loss(H.astype(np.float32), Y, w, temperature=0.2)
    assert grad32.dtype == np.float32
    np.testing.assert_allclose(loss32, loss64, rtol=1e-5)
    np.testing.assert_allclose(grad32, grad64, rtol=1e-3, atol=1e-5 * np.abs(grad64).max())


def test_anchors_without_partner_contribute_nothing():
    H, Y, w = batch(3)
    loss, grad = contrastive_loss(H, Y, w, temperature=0.3)
    # samples 0 (no label) and 1 (label 0 alone) are not anchors: their weights do not matter
    w_changed = w.copy()
    w_changed[:2] = [100.0, 0.0]
    loss_changed, grad_changed = contrastive_loss(H, Y, w_changed, temperature=0.3)
    assert loss_changed == pytest.approx(loss, rel=1e-14)
    np.testing.assert_allclose(grad_changed, grad, rtol=1e-12, atol=1e-15)
    # ... but they are negatives of the others: moving them changes the loss
    H_moved = H.copy()
    H_moved[0] *= -1
    assert contrastive_loss(H_moved, Y, w, temperature=0.3)[0] != pytest.approx(loss)


def test_sample_weights_weigh_anchors():
    H, Y, w = batch(4)
    loss_weighted = contrastive_loss(H, Y, w, temperature=0.5)[0]
    loss_unweighted = contrastive_loss(H, Y, temperature=0.5)[0]
    assert loss_unweighted == pytest.approx(reference_loss(H, Y, np.ones(len(H)), 0.5), rel=1e-12)
    assert loss_weighted != pytest.approx(loss_unweighted)
    # integer weights repeat an anchor's term: weight 2 = that anchor counted twice in the mean
    doubled = np.ones(len(H))
    doubled[3] = 2.0
    shares_a_label = (Y @ Y.T - np.diag((Y * Y).sum(axis=1))).any(axis=1)
    anchors = np.flatnonzero(shares_a_label).tolist()
    assert 3 in anchors and 0 not in anchors and 1 not in anchors
    expected = (sum(reference_loss(H, Y, np.eye(len(H))[i], 0.5) for i in anchors)
                + reference_loss(H, Y, np.eye(len(H))[3], 0.5)) / (len(anchors) + 1)
    assert contrastive_loss(H, Y, doubled, temperature=0.5)[0] == pytest.approx(expected, rel=1e-12)


def test_no_anchor_with_partner_gives_zero():
    H, _, w = batch(5)
    Y = np.eye(len(H))[:, :3]  # at most one sample per label: nobody shares a label
    loss, grad = contrastive_loss(H, Y, w, temperature=0.1)
    assert loss == 0.0 and not grad.any()


def test_stable_for_large_inverse_temperature():
    H, Y, w = batch(6)
    for temperature in (1e-3, 2e-4):  # exp(5000) overflows float64, not longdouble
        loss, grad = contrastive_loss(H, Y, w, temperature=temperature)
        assert np.isfinite(loss) and np.all(np.isfinite(grad))
        expected = reference_loss(H, Y, w, temperature, dtype=np.longdouble)
        assert loss == pytest.approx(float(expected), rel=1e-9)


def test_scale_invariance_and_radial_gradient():
    H, Y, w = batch(7)
    loss, grad = contrastive_loss(H, Y, w, temperature=0.2)
    scales = np.linspace(0.5, 3.0, len(H))[:, None]
    loss_scaled, grad_scaled = contrastive_loss(H * scales, Y, w, temperature=0.2)
    assert loss_scaled == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(grad_scaled * scales, grad, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose((grad * H).sum(axis=1), 0.0, atol=1e-12)  # along h_i: no change


def test_zero_representation_gets_zero_gradient():
    H, Y, w = batch(8)
    H[4] = 0.0
    loss, grad = contrastive_loss(H, Y, w, temperature=0.2)
    assert np.isfinite(loss) and not grad[4].any()
    assert loss == pytest.approx(reference_loss(H, Y, w, 0.2), rel=1e-12)


def test_raw_entry_point_writes_the_buffer():
    H, Y, w = batch(9)
    out = np.full_like(H, np.nan)
    loss = contrastive_loss_gradient(H, Y, w, 0.25, out)
    expected_loss, expected_grad = contrastive_loss(H, Y, w, temperature=0.25)
    assert loss == expected_loss
    np.testing.assert_array_equal(out, expected_grad)


@pytest.mark.parametrize("change, error, match", [
    (lambda H, Y, w: (H.astype(int), Y, w, 0.1), TypeError, "float32 or float64 ndarray"),
    (lambda H, Y, w: (H[:, :0], Y, w, 0.1), ValueError, "non-empty 2-D"),
    (lambda H, Y, w: (np.where(H > 1, np.nan, H), Y, w, 0.1), ValueError, "NaN or infinity"),
    (lambda H, Y, w: (H, Y * 2, w, 0.1), ValueError, "0/1 label indicator"),
    (lambda H, Y, w: (H, Y[:-1], w, 0.1), ValueError, "inconsistent numbers of samples"),
    (lambda H, Y, w: (H, Y, -w, 0.1), ValueError, "Negative values"),
    (lambda H, Y, w: (H, Y, w, 0.0), ValueError, "temperature must be a positive"),
    (lambda H, Y, w: (H, Y, w, "hot"), ValueError, "temperature must be a positive"),
], ids=["H_int", "H_no_columns", "H_nan", "Y_not_0_1", "lengths", "negative_weight",
        "zero_temperature", "text_temperature"])
def test_checked_wrapper_rejects_bad_input(change, error, match):
    H, Y, w, temperature = change(*batch(10))
    before = (H.copy(), np.copy(Y), w.copy())
    with pytest.raises(error, match=match):
        contrastive_loss(H, Y, w, temperature=temperature)
    np.testing.assert_array_equal(H, before[0])
    np.testing.assert_array_equal(w, before[2])


def test_bit_identical_for_any_number_of_threads():
    H, Y, w = batch(11, n_samples=60, n_hidden=9, n_labels=5)
    previous = numba.get_num_threads()
    results = []
    try:
        for threads in (1, numba.config.NUMBA_NUM_THREADS, 1):
            numba.set_num_threads(threads)
            results.append(contrastive_loss(H, Y, w, temperature=0.1))
    finally:
        numba.set_num_threads(previous)
    for loss, grad in results[1:]:
        assert loss == results[0][0]
        np.testing.assert_array_equal(grad, results[0][1])


def test_gradient_for_large_inverse_temperature():
    # at T = 1e-3 one row's largest similarity is over 600 below the batch's: that row keeps
    # its own shift, the others share one; the gradient still matches a long-double derivative
    H, Y, w = batch(6)
    _, grad = contrastive_loss(H, Y, w, temperature=1e-3)
    direction = np.random.default_rng(0).normal(size=H.shape)
    step = np.longdouble(1e-8)
    base = np.asarray(H, dtype=np.longdouble)
    up = reference_loss(base + step * direction, Y, w, 1e-3, dtype=np.longdouble)
    down = reference_loss(base - step * direction, Y, w, 1e-3, dtype=np.longdouble)
    numeric = float((up - down) / (2 * step))
    assert abs(numeric) > 1.0  # a direction along which the loss changes
    assert (grad * direction).sum() == pytest.approx(numeric, rel=1e-6)
