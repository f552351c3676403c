"""Ranking losses against brute-force plain-NumPy references and finite differences."""

import numpy as np
import pytest
from scipy.special import expit, logsumexp

from skmultilabel.losses import LOSSES, BinaryCrossEntropy, resolve_loss

PAIRWISE = ["pairwise_logistic", "pairwise_square", "pairwise_squared_hinge", "auc_margin"]
RANKING = PAIRWISE + ["label_ranking"]
TOLERANCE = {np.float64: 1e-9, np.float32: 2e-5}


def _phi(name, d):
    """Pair loss phi(d) and its derivative, d = f_pos - f_neg."""
    if name == "pairwise_logistic":
        return np.logaddexp(0.0, -d), -expit(-d)
    if name == "pairwise_square":
        return (1.0 - d) ** 2, -2.0 * (1.0 - d)
    hinge = np.maximum(0.0, 1.0 - d)
    return hinge**2, -2.0 * hinge


def pairwise_reference(name, Y, raw, sample_weight, label_weight):
    """O(N^2) loop over every (positive, negative) pair of every label."""
    raw = raw.astype(np.float64)
    total_weight = sample_weight.sum()
    value = 0.0
    grad = np.zeros_like(raw)
    for c in range(Y.shape[1]):
        pos = Y[:, c] == 1
        neg = ~pos
        d = raw[pos, c][:, None] - raw[neg, c][None, :]
        pair_weight = np.outer(sample_weight[pos], sample_weight[neg])
        scale = label_weight[c] / total_weight**2
        phi, dphi = _phi(name, d)
        value += scale * np.sum(pair_weight * phi)
        grad[pos, c] = scale * np.sum(pair_weight * dphi, axis=1)
        grad[neg, c] = -scale * np.sum(pair_weight * dphi, axis=0)
    return value, grad


def auc_margin_objective(f_pos, s_pos, f_neg, s_neg, a, b, alpha):
    """LibAUC's min-max AUC-margin objective (margin 1) with class-conditional weighted means."""
    mean_pos = np.average(f_pos, weights=s_pos)
    mean_neg = np.average(f_neg, weights=s_neg)
    return (
        np.average((f_pos - a) ** 2, weights=s_pos)
        + np.average((f_neg - b) ** 2, weights=s_neg)
        + 2 * alpha * (1 - mean_pos + mean_neg)
        - alpha**2
    )


def auc_margin_reference(Y, raw, sample_weight, label_weight):
    """The objective at its saddle point and its gradient.

    The saddle point is a = mean_pos, b = mean_neg, alpha = max(0, gap), the objective
    scaled by S_pos S_neg / W**2; the gradient by the envelope theorem (a, b, alpha fixed).
    """
    raw = raw.astype(np.float64)
    value = 0.0
    grad = np.zeros_like(raw)
    for c in range(Y.shape[1]):
        pos = Y[:, c] == 1
        neg = ~pos
        s_pos, s_neg = sample_weight[pos], sample_weight[neg]
        if s_pos.sum() == 0 or s_neg.sum() == 0:
            continue
        f_pos, f_neg = raw[pos, c], raw[neg, c]
        a = np.average(f_pos, weights=s_pos)
        b = np.average(f_neg, weights=s_neg)
        alpha = max(0.0, 1 - a + b)
        scale = label_weight[c] * s_pos.sum() * s_neg.sum() / sample_weight.sum() ** 2
        value += scale * auc_margin_objective(f_pos, s_pos, f_neg, s_neg, a, b, alpha)
        grad[pos, c] = scale * 2 * s_pos / s_pos.sum() * (f_pos - a - alpha)
        grad[neg, c] = scale * 2 * s_neg / s_neg.sum() * (f_neg - b + alpha)
    return value, grad


def label_ranking_reference(Y, raw, sample_weight, label_weight):
    """Per sample: logsumexp over {0} and the weighted exp terms of each side."""
    raw = raw.astype(np.float64)
    value = 0.0
    grad = np.zeros_like(raw)
    for i in range(raw.shape[0]):
        for side, sign in ((Y[i] == 1, -1.0), (Y[i] == 0, 1.0)):
            scores = np.concatenate([[0.0], sign * raw[i, side]])
            weights = np.concatenate([[1.0], label_weight[side]])
            value += sample_weight[i] * logsumexp(scores, b=weights)
            softmax = weights * np.exp(scores - logsumexp(scores, b=weights))
            grad[i, side] = sign * sample_weight[i] * softmax[1:]
    return value / sample_weight.sum(), grad / sample_weight.sum()


def reference(name, Y, raw, sample_weight, label_weight):
    if name == "label_ranking":
        return label_ranking_reference(Y, raw, sample_weight, label_weight)
    if name == "auc_margin":
        return auc_margin_reference(Y, raw, sample_weight, label_weight)
    return pairwise_reference(name, Y, raw, sample_weight, label_weight)


def make_problem(rng, n_samples=80, n_labels=4, dtype=np.float64, scale=2.0):
    Y = (rng.random((n_samples, n_labels)) < 0.3).astype(np.float64)
    Y[0] = 1 - Y[1]  # every label has a positive and a negative
    raw = (scale * rng.normal(size=(n_samples, n_labels))).astype(dtype)
    sample_weight = rng.uniform(0.2, 2.0, n_samples)
    label_weight = rng.uniform(0.5, 2.0, n_labels)
    return Y, raw, sample_weight, label_weight


def evaluate(name, Y, raw, sample_weight, label_weight):
    return LOSSES[name]().loss_gradient(
        Y, raw, sample_weight=sample_weight, pos_weight=label_weight, neg_weight=label_weight
    )


def assert_matches(value, grad, expected_value, expected_grad, rtol):
    np.testing.assert_allclose(value, expected_value, rtol=rtol)
    np.testing.assert_allclose(
        grad, expected_grad, rtol=rtol, atol=rtol * np.abs(expected_grad).max()
    )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", RANKING)
def test_matches_reference_with_sample_and_label_weights(name, dtype, rng):
    Y, raw, sample_weight, label_weight = make_problem(rng, dtype=dtype)
    value, grad = evaluate(name, Y, raw, sample_weight, label_weight)
    assert grad.dtype == dtype and grad.shape == raw.shape
    expected_value, expected_grad = reference(name, Y, raw, sample_weight, label_weight)
    assert_matches(value, grad, expected_value, expected_grad, TOLERANCE[dtype])


@pytest.mark.parametrize("name", RANKING)
def test_gradient_matches_finite_differences(name, rng):
    Y, raw, sample_weight, label_weight = make_problem(rng, n_samples=30, n_labels=3)
    loss = LOSSES[name]()
    grad = loss.gradient(Y, raw, sample_weight, label_weight, label_weight)
    step = 1e-6
    numeric = np.zeros_like(raw)
    for index in np.ndindex(raw.shape):
        shifted = [raw.copy(), raw.copy()]
        shifted[0][index] += step
        shifted[1][index] -= step
        up, down = (loss.loss(Y, r, sample_weight, label_weight, label_weight) for r in shifted)
        numeric[index] = (up - down) / (2 * step)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("name", PAIRWISE)
def test_labels_without_positives_or_negatives_contribute_nothing(name, rng):
    Y, raw, sample_weight, label_weight = make_problem(rng, n_samples=40, n_labels=4)
    Y[:, 1] = 0
    Y[:, 3] = 1
    value, grad = evaluate(name, Y, raw, sample_weight, label_weight)
    assert np.all(grad[:, [1, 3]] == 0)
    kept = [0, 2]
    expected, _ = evaluate(name, Y[:, kept], raw[:, kept], sample_weight, label_weight[kept])
    np.testing.assert_allclose(value, expected, rtol=1e-12)


@pytest.mark.parametrize("name", RANKING)
def test_batch_of_one_sample(name):
    Y = np.array([[1.0, 0.0, 1.0]])
    raw = np.array([[0.3, -1.2, 2.0]])
    value, grad = LOSSES[name]().loss_gradient(Y, raw)
    expected_value, expected_grad = reference(name, Y, raw, np.ones(1), np.ones(3))
    assert_matches(value, grad, expected_value, expected_grad, 1e-12)
    if name in PAIRWISE:
        assert value == 0.0 and np.all(grad == 0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_squared_hinge_ties_at_the_margin(dtype, rng):
    # Scores on a grid of halves: many pairs have f_i - f_j exactly 1 (the
    # margin), exactly 0 or equal scores across and within classes.
    Y = (rng.random((60, 3)) < 0.4).astype(np.float64)
    Y[0] = 1 - Y[1]
    raw = rng.integers(-4, 5, size=(60, 3)).astype(dtype) / 2
    sample_weight = rng.uniform(0.5, 1.5, 60)
    label_weight = np.array([1.0, 0.5, 2.0])
    value, grad = evaluate("pairwise_squared_hinge", Y, raw, sample_weight, label_weight)
    expected = pairwise_reference("pairwise_squared_hinge", Y, raw, sample_weight, label_weight)
    assert_matches(value, grad, *expected, TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", RANKING)
def test_large_logits_stay_finite_and_exact(name, dtype, rng):
    Y, _, sample_weight, label_weight = make_problem(rng, n_samples=50, n_labels=3)
    raw = rng.choice([-1e4, -3.0, 0.0, 2.5, 1e4], size=Y.shape).astype(dtype)
    value, grad = evaluate(name, Y, raw, sample_weight, label_weight)
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    expected_value, expected_grad = reference(name, Y, raw, sample_weight, label_weight)
    assert_matches(value, grad, expected_value, expected_grad, TOLERANCE[dtype])


def test_label_ranking_with_one_label_is_binary_cross_entropy(rng):
    # With one label, log(1 + e^z) for a negative and log(1 + e^-z) for a
    # positive: the logistic loss, whose decision rule z > 0 is p > 0.5.
    Y, raw, sample_weight, _ = make_problem(rng, n_labels=1)
    value, grad = LOSSES["label_ranking"]().loss_gradient(Y, raw, sample_weight)
    expected_value, expected_grad = BinaryCrossEntropy().loss_gradient(Y, raw, sample_weight)
    assert_matches(value, grad, expected_value, expected_grad, 1e-12)


def test_label_ranking_zero_label_weight_drops_the_label(rng):
    Y, raw, sample_weight, label_weight = make_problem(rng, n_labels=4)
    label_weight[2] = 0.0
    value, grad = evaluate("label_ranking", Y, raw, sample_weight, label_weight)
    assert np.all(grad[:, 2] == 0)
    kept = [0, 1, 3]
    expected, _ = evaluate(
        "label_ranking", Y[:, kept], raw[:, kept], sample_weight, label_weight[kept]
    )
    np.testing.assert_allclose(value, expected, rtol=1e-12)


@pytest.mark.parametrize("name", RANKING)
def test_unequal_positive_and_negative_weights_are_rejected(name, rng):
    Y, raw, _, label_weight = make_problem(rng, n_samples=10)
    with pytest.raises(ValueError, match="pos_weight and neg_weight must be equal"):
        LOSSES[name]().loss(Y, raw, pos_weight=label_weight, neg_weight=2 * label_weight)


@pytest.mark.parametrize("name", RANKING)
def test_selected_by_name_without_hyperparameters(name, rng):
    loss = resolve_loss(name, {})
    assert type(loss) is LOSSES[name] and not loss.pointwise
    Y, raw, _, _ = make_problem(rng, n_samples=10)
    raw_before = raw.copy()
    loss.loss(Y, raw)
    np.testing.assert_array_equal(raw, raw_before)


def test_auc_margin_reference_is_the_saddle_point(rng):
    # The closed form claims a = mean_pos, b = mean_neg minimise and alpha = max(0, gap)
    # maximises the min-max objective: moving a or b raises it, moving alpha lowers it.
    f_pos, f_neg = rng.normal(0.5, 1.0, 30), rng.normal(0.0, 1.0, 50)
    s_pos, s_neg = rng.uniform(0.5, 2.0, 30), rng.uniform(0.5, 2.0, 50)
    a, b = np.average(f_pos, weights=s_pos), np.average(f_neg, weights=s_neg)
    alpha = max(0.0, 1 - a + b)
    best = auc_margin_objective(f_pos, s_pos, f_neg, s_neg, a, b, alpha)
    for step in (-0.1, 0.1):
        assert auc_margin_objective(f_pos, s_pos, f_neg, s_neg, a + step, b, alpha) > best
        assert auc_margin_objective(f_pos, s_pos, f_neg, s_neg, a, b + step, alpha) > best
        assert auc_margin_objective(f_pos, s_pos, f_neg, s_neg, a, b, alpha + step) < best


def test_auc_margin_is_the_pairwise_square_loss_with_a_clipped_mean_gap(rng):
    Y, raw, sample_weight, label_weight = make_problem(rng, n_labels=2)
    raw[:, 0] += 3.0 * Y[:, 0]  # label 0: positives outscore negatives by more than the margin
    margin_value, margin_grad = evaluate("auc_margin", Y, raw, sample_weight, label_weight)
    square_value, square_grad = evaluate("pairwise_square", Y, raw, sample_weight, label_weight)
    assert margin_value < square_value
    np.testing.assert_allclose(margin_grad[:, 1], square_grad[:, 1], rtol=1e-12, atol=1e-15)
    assert not np.allclose(margin_grad[:, 0], square_grad[:, 0])


@pytest.mark.parametrize("name", RANKING)
def test_zero_sample_weight_is_removing_the_sample(name, rng):
    Y, raw, sample_weight, label_weight = make_problem(rng, n_samples=60, n_labels=3)
    dropped = rng.random(60) < 0.3
    dropped[:2] = False
    sample_weight[dropped] = 0.0
    sample_weight[Y[:, 2] == 1] = 0.0  # label 2 keeps no weighted positive
    value, grad = evaluate(name, Y, raw, sample_weight, label_weight)
    kept = sample_weight > 0
    expected_value, expected_grad = evaluate(
        name, Y[kept], raw[kept], sample_weight[kept], label_weight
    )
    np.testing.assert_allclose(value, expected_value, rtol=1e-12)
    np.testing.assert_allclose(grad[kept], expected_grad, rtol=1e-12, atol=1e-15)
    assert np.all(grad[~kept] == 0)
