"""Imbalance measures against plain-NumPy loops and hand-computable cases."""

import math

import numpy as np
import pytest
import scipy.sparse as sp

from skmultilabel.datasets import load_yeast
from skmultilabel.resampling import cvir, irlbl, max_ir, mean_ir, scumble


def reference_measures(Y):
    """Charte et al.'s definitions written out with Python loops (labels with positives only)."""
    n_samples, n_labels = Y.shape
    counts = [sum(Y[i, c] for i in range(n_samples)) for c in range(n_labels)]
    present = [c for c in range(n_labels) if counts[c] > 0]
    ratios = {c: max(counts) / counts[c] for c in present}
    mean = sum(ratios.values()) / len(ratios)
    if len(ratios) > 1:
        sigma = math.sqrt(sum((r - mean) ** 2 for r in ratios.values()) / (len(ratios) - 1))
    else:
        sigma = 0.0
    per_sample = []
    for i in range(n_samples):
        held = [ratios[c] for c in present if Y[i, c]]
        if len(held) < 2:
            per_sample.append(0.0)
            continue
        geometric = math.prod(held) ** (1 / len(held))
        per_sample.append(1 - geometric / (sum(held) / len(held)))
    full = np.array([ratios.get(c, np.inf) for c in range(n_labels)])
    return full, mean, max(ratios.values()), sigma / mean, sum(per_sample) / n_samples


def random_target(rng, n_samples, n_labels, density=None):
    rates = rng.uniform(0.02, 0.6, n_labels) if density is None else np.full(n_labels, density)
    return (rng.random((n_samples, n_labels)) < rates).astype(np.int64)


@pytest.mark.parametrize("shape", [(30, 3), (200, 7), (57, 12)])
def test_measures_match_reference(rng, shape):
    Y = random_target(rng, *shape)
    ratios, mean, largest, variation, concurrence = reference_measures(Y)
    np.testing.assert_allclose(irlbl(Y), ratios, rtol=1e-12)
    assert mean_ir(Y) == pytest.approx(mean, rel=1e-12)
    assert max_ir(Y) == pytest.approx(largest, rel=1e-12)
    assert cvir(Y) == pytest.approx(variation, rel=1e-12)
    assert scumble(Y) == pytest.approx(concurrence, rel=1e-10, abs=1e-12)


def test_measures_on_yeast_match_reference():
    _, Y = load_yeast(return_X_y=True)
    _, mean, largest, variation, concurrence = reference_measures(Y[:400])
    assert mean_ir(Y[:400]) == pytest.approx(mean)
    assert max_ir(Y[:400]) == pytest.approx(largest)
    assert cvir(Y[:400]) == pytest.approx(variation)
    assert scumble(Y[:400]) == pytest.approx(concurrence)


def test_hand_computed_case():
    # counts (4, 1, 1): IRLbl (1, 4, 4); rows 1 and 2 hold ratios {1, 4}:
    # geometric mean 2, arithmetic mean 2.5, so SCUMBLE_i = 1 - 2 / 2.5 there and 0 elsewhere.
    Y = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(irlbl(Y), [1.0, 4.0, 4.0])
    assert mean_ir(Y) == pytest.approx(3.0)
    assert max_ir(Y) == pytest.approx(4.0)
    assert cvir(Y) == pytest.approx(math.sqrt((4 + 1 + 1) / 2) / 3)
    assert scumble(Y) == pytest.approx(2 * (1 - 2 / 2.5) / 4)


def test_balanced_target_has_no_imbalance():
    Y = np.eye(4, dtype=int).repeat(3, axis=0)
    assert mean_ir(Y) == max_ir(Y) == 1.0
    assert cvir(Y) == 0.0
    assert scumble(Y) == 0.0


def test_label_without_positives_is_infinite_and_ignored(rng):
    Y = random_target(rng, 50, 4)
    with_empty = np.column_stack([Y[:, :2], np.zeros(50, dtype=int), Y[:, 2:]])
    assert np.isinf(irlbl(with_empty)[2])
    np.testing.assert_allclose(np.delete(irlbl(with_empty), 2), irlbl(Y))
    for measure in (mean_ir, max_ir, cvir, scumble):
        assert measure(with_empty) == pytest.approx(measure(Y))


def test_single_label_has_zero_variation():
    assert cvir(np.array([[1], [0], [1]])) == 0.0


def test_sparse_and_bool_targets_give_the_same_values(rng):
    Y = random_target(rng, 40, 5)
    for other in (sp.csr_array(Y), sp.csc_matrix(Y), Y.astype(bool), Y.astype(np.float32)):
        np.testing.assert_allclose(irlbl(other), irlbl(Y))
        assert scumble(other) == pytest.approx(scumble(Y))


def test_measures_do_not_modify_input(rng):
    Y = random_target(rng, 20, 3)
    before = Y.copy()
    for measure in (irlbl, mean_ir, max_ir, cvir, scumble):
        measure(Y)
    np.testing.assert_array_equal(Y, before)


@pytest.mark.parametrize(
    "Y, error, match",
    [
        (np.zeros((5, 3)), ValueError, "no positive"),
        (np.array([[0, 2], [1, 0]]), ValueError, "0/1"),
        (np.array([1, 0, 1]), ValueError, "2-D"),
        (np.array([["a", "b"]]), TypeError, "numbers"),
        (np.array([[np.nan, 1.0]]), ValueError, "NaN"),
    ],
)
def test_bad_targets_raise(Y, error, match):
    with pytest.raises(error, match=match):
        mean_ir(Y)
