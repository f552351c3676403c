"""Per-label losses, the per-label linear objective and the batched (per-label) L-BFGS."""

import numpy as np
import pytest
import scipy.sparse as sp
from _loss_at_epoch import at_an_epoch
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.preprocessing import StandardScaler

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.datasets import load_emotions, load_yeast
from skmultilabel.losses import LOSSES, resolve_loss
from skmultilabel.models._batched_lbfgs import (
    Curvature,
    PerLabelLBFGS,
    batched_lbfgs,
    kernel_diagonal,
    two_loop,
)
from skmultilabel.models._label_objective import LinearLabelObjective
from skmultilabel.models._mlp import Network
from skmultilabel.models._objective import Objective
from skmultilabel.models._solvers import LBFGS
from skmultilabel.models._threads import thread_limits
from skmultilabel.models._weights import label_weights

SEPARABLE = sorted(name for name, cls in LOSSES.items() if cls.label_separable)
PARAMS = {
    "gamma": 2.0, "focal_alpha": None, "gamma_pos": 1.0, "gamma_neg": 3.0, "clip": 0.05,
    "label_smoothing": 0.0, "negative_weight": 0.3, "hill_lambda": 1.5, "positive_margin": 1.0,
    "splc_tau": 0.6, "splc_warmup": 1,
}


def make_loss(name):
    return at_an_epoch(resolve_loss(name, PARAMS))


def make_data(rng, n_samples=40, n_features=4, n_labels=3):
    X = rng.standard_normal((n_samples, n_features))
    W = rng.standard_normal((n_features, n_labels))
    Y = (X @ W + 1.5 * rng.standard_normal((n_samples, n_labels)) > 0.3).astype(float)
    return X, Y


@pytest.fixture(scope="module")
def yeast():
    data = load_yeast()
    return StandardScaler().fit_transform(data.X_train), data.Y_train


@pytest.fixture(scope="module")
def emotions():
    data = load_emotions()
    return StandardScaler().fit_transform(data.X_train), data.Y_train


# ---------------------------------------------------------------- per-label losses


def test_the_label_separable_losses():
    assert {"bce", "weighted_bce", "focal", "asymmetric", "pairwise_square"} <= set(SEPARABLE)
    assert not LOSSES["label_ranking"].label_separable


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", SEPARABLE)
def test_per_label_losses_sum_to_the_loss_and_are_each_labels_loss(rng, name, dtype):
    loss = make_loss(name)
    X, Y = make_data(rng, n_labels=4)
    raw = (3.0 * rng.standard_normal(Y.shape)).astype(dtype)
    sw = rng.uniform(0.2, 2.0, Y.shape[0])
    pos_weight = rng.uniform(0.5, 2.0, 4)
    neg_weight = pos_weight if not loss.pointwise else rng.uniform(0.5, 2.0, 4)
    per_label, grad = loss.loss_gradient(Y, raw, sw, pos_weight, neg_weight, per_label=True)
    total, expected_grad = loss.loss_gradient(Y, raw, sw, pos_weight, neg_weight)
    assert per_label.shape == (4,) and per_label.dtype == np.float64
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    assert_allclose(per_label.sum(), total, rtol=rtol)
    assert_array_equal(grad, expected_grad)
    assert_allclose(loss.loss(Y, raw, sw, pos_weight, neg_weight, per_label=True), per_label)
    for c in range(4):
        alone = loss.loss(Y[:, [c]], raw[:, [c]], sw, pos_weight[[c]], neg_weight[[c]])
        assert_allclose(per_label[c], alone, rtol=rtol)


def test_per_label_needs_a_label_separable_loss(rng):
    _, Y = make_data(rng)
    with pytest.raises(ValueError, match="per_label=True"):
        LOSSES["label_ranking"]().loss(Y, np.zeros(Y.shape), per_label=True)


# ---------------------------------------------------------------- per-label objective


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("name", ["bce", "focal", "pairwise_square"])
def test_label_objective_splits_the_joint_objective(rng, name, fit_intercept):
    X, Y = make_data(rng, n_labels=4)
    loss = make_loss(name)
    sw = rng.uniform(0.5, 2.0, X.shape[0])
    pos_weight = rng.uniform(0.5, 2.0, 4)
    neg_weight = pos_weight if not loss.pointwise else rng.uniform(0.5, 2.0, 4)
    network = Network([4, 4], "identity", fit_intercept)
    objective = Objective(network, loss, pos_weight, neg_weight, 0.7, X.shape[0], sw.sum())
    theta = rng.standard_normal(network.n_params)
    value, grad = objective.value_gradient(theta, X, Y, sw)
    coefs, intercepts = network.unpack(theta)
    grad_coefs, grad_intercepts = network.unpack(grad)
    params = np.hstack([coefs[0].T] + ([intercepts[0][:, None]] if fit_intercept else []))
    split = LinearLabelObjective(network, loss, X, Y, sw, pos_weight, neg_weight,
                                 objective.penalty)
    assert_array_equal(split.label_rows(theta, np.arange(4)), params)
    assert_array_equal(split.label_rows(theta, np.array([3, 1])), params[[3, 1]])
    written = np.zeros_like(theta)
    split.set_label_rows(written, np.array([3, 1]), params[[3, 1]])
    split.set_label_rows(written, np.array([0, 2]), params[[0, 2]])
    assert_array_equal(written, theta)
    values, grads = split(params, np.arange(4))
    assert_allclose(values.sum(), value, rtol=1e-12)
    assert_allclose(grads[:, :4], grad_coefs[0].T, rtol=1e-10, atol=1e-14)
    if fit_intercept:
        assert_allclose(grads[:, 4], grad_intercepts[0], rtol=1e-10, atol=1e-14)
    subset = np.array([3, 1])
    sub_values, sub_grads = split(params[subset], subset)
    assert_allclose(sub_values, values[subset], rtol=1e-12)
    assert_allclose(sub_grads, grads[subset], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_label_objective_in_cache_sized_chunks_equals_one_piece(rng, monkeypatch, dtype):
    # sparse X: the labels are evaluated in chunks whose coefficients fit CACHE_BYTES
    X, Y = make_data(rng, n_samples=60, n_features=8, n_labels=7)
    X = sp.csr_matrix(np.where(np.abs(X) > 0.8, X, 0.0).astype(dtype))
    loss = make_loss("focal")
    sw = rng.uniform(0.5, 2.0, X.shape[0]).astype(dtype)
    pos_weight, neg_weight = (rng.uniform(0.5, 2.0, 7).astype(dtype) for _ in range(2))
    network = Network([8, 7], "identity", True)
    params = rng.standard_normal((7, 9)).astype(dtype)
    labels = np.arange(7)

    def evaluate():
        split = LinearLabelObjective(network, loss, X, Y.astype(dtype), sw, pos_weight,
                                     neg_weight, 0.3)
        return split, split(params, labels)

    whole, (values, grads) = evaluate()
    assert len(whole._columns(labels)) == 1  # 8 features: all 7 labels fit one chunk
    monkeypatch.setattr("skmultilabel.models._label_objective.CACHE_BYTES",
                        3 * 8 * X.dtype.itemsize)
    monkeypatch.setattr("skmultilabel.models._label_objective._MIN_CHUNK", 2)
    chunked, (chunk_values, chunk_grads) = evaluate()
    assert [chunk for chunk, _ in chunked._columns(labels)] == [
        slice(0, 3), slice(3, 6), slice(6, 9)
    ]
    rtol, atol = (1e-5, 1e-6) if dtype == np.float32 else (1e-12, 1e-14)
    assert_allclose(chunk_values, values, rtol=rtol)
    assert_allclose(chunk_grads, grads, rtol=rtol, atol=atol)
    # the running labels of a batch: a subset, gathered in chunks of its own
    subset = np.array([6, 4, 1, 0])
    sub_values, sub_grads = chunked(params[subset], subset)
    assert_allclose(sub_values, values[subset], rtol=rtol)
    assert_allclose(sub_grads, grads[subset], rtol=rtol, atol=atol)


# ---------------------------------------------------------------- two-loop recursion


def reference_direction(g, pairs, gamma, diagonal=1.0):
    """Nocedal's two-loop from H0 = gamma diag(diagonal), plain NumPy, pairs oldest first."""
    q = g.copy()
    alphas = []
    for s, y in reversed(pairs):
        alpha = (s @ q) / (s @ y)
        q -= alpha * y
        alphas.append(alpha)
    q *= gamma * diagonal
    for (s, y), alpha in zip(pairs, reversed(alphas)):
        q += (alpha - (y @ q) / (s @ y)) * s
    return -q


@pytest.mark.parametrize("scaled", [False, True])
def test_two_loop_matches_numpy_reference(rng, scaled):
    n_rows, memory, n_params = 4, 5, 6
    g = rng.standard_normal((n_rows, n_params))
    s_hist = rng.standard_normal((n_rows, memory, n_params))
    y_hist = s_hist + 0.3 * rng.standard_normal((n_rows, memory, n_params))  # s.y > 0
    n_pairs = np.array([5, 2, 0, 3])
    head = np.array([2, 0, 4, 4])  # ring: row 1's older pair wraps around to slot 4
    slot = np.array([3, 0, 1, 2])  # history row of each problem
    gamma = rng.uniform(0.5, 2.0, n_rows)
    d = np.full((n_rows, n_params), np.nan)
    slope = np.full(n_rows, np.nan)
    rows = np.array([0, 1, 3])
    # the diagonal is indexed like the histories (by slot), as the gamma is by row
    diagonal = rng.uniform(0.1, 10.0, (n_rows, n_params)) if scaled else None
    two_loop(rows, slot, head, g, s_hist, y_hist, n_pairs, gamma,
             kernel_diagonal(diagonal, g.dtype), d, slope)
    for r in rows:
        # oldest first: slots head - n_pairs + 1, ..., head (modulo the memory)
        ring = [(head[r] - age) % memory for age in range(n_pairs[r] - 1, -1, -1)]
        pairs = [(s_hist[slot[r], j], y_hist[slot[r], j]) for j in ring]
        expected = reference_direction(g[r], pairs, gamma[r],
                                       1.0 if diagonal is None else diagonal[slot[r]])
        assert_allclose(d[r], expected, rtol=1e-10)
        assert_allclose(slope[r], g[r] @ expected, rtol=1e-10)
    assert np.isnan(d[2]).all()  # rows not listed are left alone


# ---------------------------------------------------------------- the solver


def quadratic_problems(rng, n_problems=5, n_params=4):
    """F_c(x) = 1/2 x'A_c x - b_c'x with condition numbers from 1 to 1e4."""
    matrices = []
    for c in range(n_problems):
        q, _ = np.linalg.qr(rng.standard_normal((n_params, n_params)))
        matrices.append(q @ np.diag(np.logspace(0, c, n_params)) @ q.T)
    A = np.array(matrices)
    b = rng.standard_normal((n_problems, n_params))
    calls = []

    def evaluate(x, problems):
        calls.append(problems.copy())
        Ax = np.einsum("kij,kj->ki", A[problems], x)
        return 0.5 * np.vecdot(x, Ax) - np.vecdot(b[problems], x), Ax - b[problems]

    return A, b, evaluate, calls


def test_batched_lbfgs_solves_each_problem_and_drops_converged_ones(rng):
    A, b, evaluate, calls = quadratic_problems(rng)
    result = batched_lbfgs(evaluate, np.zeros(b.shape), max_iter=500, tol=1e-10)
    assert_allclose(result.x, np.linalg.solve(A, b[:, :, None])[:, :, 0], rtol=1e-7, atol=1e-9)
    assert result.converged.all()
    assert result.n_iter[0] < result.n_iter[-1]  # the well-conditioned problem stops first
    sizes = [len(c) for c in calls]
    assert sizes[0] == 5 and sizes[-1] == 1 and sizes == sorted(sizes, reverse=True)
    curve = np.array(result.loss_curve)
    assert len(curve) == result.n_iter.max()
    assert np.all(np.diff(curve) <= 1e-12)


def test_batched_lbfgs_max_iter_and_a_converged_start(rng):
    A, b, evaluate, _ = quadratic_problems(rng)
    result = batched_lbfgs(evaluate, np.zeros(b.shape), max_iter=2, tol=1e-10)
    assert not result.converged[-1] and result.n_iter.max() == 2
    solution = np.linalg.solve(A, b[:, :, None])[:, :, 0]
    result = batched_lbfgs(evaluate, solution, max_iter=10, tol=1e-6)
    assert_array_equal(result.n_iter, 0)
    assert_array_equal(result.x, solution)
    assert result.loss_curve == []


def test_handed_back_curvature_restarts_with_quasi_newton_steps(rng):
    A, b, evaluate, _ = quadratic_problems(rng)
    solution = np.linalg.solve(A, b[:, :, None])[:, :, 0]
    first = batched_lbfgs(evaluate, np.zeros(b.shape), max_iter=500, tol=1e-10)
    assert (first.curvature.n_pairs > 0).all()
    start = solution + 0.1 * rng.standard_normal(b.shape)
    cold = batched_lbfgs(evaluate, start, max_iter=500, tol=1e-10)
    warm = batched_lbfgs(evaluate, start, max_iter=500, tol=1e-10, curvature=first.curvature)
    assert_allclose(warm.x, solution, rtol=1e-7, atol=1e-9)
    assert warm.converged.all()
    # the pairs of the same quadratics stay exact: fewer iterations than from a fresh memory
    assert warm.n_iter.sum() < cold.n_iter.sum()
    assert warm.n_iter[-1] < cold.n_iter[-1]  # above all on the worst-conditioned problem


def test_curvature_without_pairs_scales_the_first_step(rng):
    # F_c = 1/2 h_c ||x||^2 - b_c'x: with gamma = 1 / h_c the first step lands on b_c / h_c
    h = np.array([0.5, 4.0, 50.0])
    b = rng.standard_normal((3, 4))
    calls = []

    def evaluate(x, problems):
        calls.append(problems.copy())
        grad = h[problems, None] * x - b[problems]
        return 0.5 * h[problems] * np.vecdot(x, x) - np.vecdot(b[problems], x), grad

    memory = Curvature(np.zeros((3, 5, 4)), np.zeros((3, 5, 4)), np.full(3, 4),
                       np.zeros(3, dtype=np.intp), 1.0 / h)
    result = batched_lbfgs(evaluate, np.zeros((3, 4)), max_iter=50, tol=1e-12, memory=5,
                           curvature=memory)
    assert_allclose(result.x, b / h[:, None], rtol=1e-12)
    assert_array_equal(result.n_iter, 1)
    assert len(calls) == 2  # the start, then one accepted step for every problem


def test_diagonal_scales_each_parameter_and_keeps_the_solution(rng):
    # F_c = 1/2 x'diag(h_c)x - b_c'x, scales 1e-2 to 1e2 within a problem: with the diagonal
    # 1 / h_c the first step lands on the solution; without it L-BFGS needs several
    h = rng.uniform(-2.0, 2.0, (3, 6))
    h = 10.0**h
    b = rng.standard_normal((3, 6))

    def evaluate(x, problems):
        grad = h[problems] * x - b[problems]
        return 0.5 * np.vecdot(x, h[problems] * x) - np.vecdot(b[problems], x), grad

    def memory(diagonal):
        return Curvature(np.zeros((3, 5, 6)), np.zeros((3, 5, 6)), np.full(3, 4),
                         np.zeros(3, dtype=np.intp), np.ones(3), diagonal)

    scaled = batched_lbfgs(evaluate, np.zeros((3, 6)), max_iter=200, tol=1e-10, memory=5,
                           curvature=memory(1.0 / h))
    plain = batched_lbfgs(evaluate, np.zeros((3, 6)), max_iter=200, tol=1e-10, memory=5,
                          curvature=memory(None))
    assert_allclose(scaled.x, b / h, rtol=1e-9)
    assert_allclose(plain.x, b / h, rtol=1e-4)  # stopped by the relative decrease, flat 1e-2
    assert_array_equal(scaled.n_iter, 1)
    assert (plain.n_iter > 3).all()
    # a diagonal of the wrong scale is corrected by gamma = s.y / y.D y from the first pair
    wrong = batched_lbfgs(evaluate, np.zeros((3, 6)), max_iter=200, tol=1e-10, memory=5,
                          curvature=memory(np.full_like(h, 1e3)))
    assert_allclose(wrong.x, b / h, rtol=1e-4)
    assert wrong.converged.all()


def test_known_start_values_skip_the_first_evaluation(rng):
    A, b, evaluate, calls = quadratic_problems(rng)
    start = rng.standard_normal(b.shape)
    evaluated = batched_lbfgs(evaluate, start, max_iter=500, tol=1e-10, return_gradients=True)
    n_calls = len(calls)
    known = evaluate(start, np.arange(5))
    calls.clear()
    result = batched_lbfgs(evaluate, start, max_iter=500, tol=1e-10, start_values=known,
                           return_gradients=True)
    assert len(calls) == n_calls - 1  # the same run without evaluating the start
    assert_array_equal(result.x, evaluated.x)
    # the values and gradients returned are those at the solution
    values, gradients = evaluate(result.x, np.arange(5))
    assert_allclose(result.values, values, rtol=1e-12, atol=1e-15)
    assert_allclose(result.gradients, gradients, rtol=1e-12, atol=1e-15)
    assert batched_lbfgs(evaluate, start, max_iter=5, tol=1e-10).gradients is None


# ---------------------------------------------------------------- the estimator


def joint_solution(X, Y, sw, *, loss="bce", alpha=1.0, fit_intercept=True, class_weight=None):
    """Coefficients and intercepts from scipy's L-BFGS over all labels at once."""
    loss = make_loss(loss)
    pos_weight, neg_weight = label_weights(class_weight, 1.0, 1.0, Y, sw, loss.pointwise)
    network = Network([X.shape[1], Y.shape[1]], "identity", fit_intercept)
    objective = Objective(network, loss, pos_weight, neg_weight, alpha, X.shape[0], sw.sum())
    with thread_limits(None):  # one numba thread, as in the estimator
        solver = LBFGS(max_iter=5000, tol=1e-10)
        result = solver.solve(objective, np.zeros(network.n_params), X, Y, sw)
    coefs, intercepts = network.unpack(result.theta)
    return coefs[0].T, (intercepts[0] if fit_intercept else np.zeros(Y.shape[1])), objective


def assert_same_fit(clf, coef, intercept, atol=2e-5):
    assert_allclose(clf.coef_, coef, atol=atol)
    assert_allclose(clf.intercept_, intercept, atol=atol)


@pytest.mark.parametrize(
    "case", ["plain", "sample_weight", "sparse", "balanced", "no_intercept", "float32", "focal",
             "pairwise_square"]
)
def test_estimator_reaches_the_joint_lbfgs_optimum(emotions, case):
    X, Y = emotions
    X, Y = X[:200], Y[:200]
    rng = np.random.default_rng(1)
    sw = rng.uniform(0.2, 3.0, X.shape[0]) if case == "sample_weight" else np.ones(X.shape[0])
    options = {
        "balanced": {"class_weight": "balanced"},
        "no_intercept": {"fit_intercept": False},
        "focal": {"loss": "focal"},
        "pairwise_square": {"loss": "pairwise_square"},
    }.get(case, {})
    coef, intercept, objective = joint_solution(X, Y.astype(float), sw, **options)
    assert objective.separable_by_label
    X_fit = {"sparse": sp.csr_matrix(X), "float32": X.astype(np.float32)}.get(case, X)
    clf = MultiLabelLossClassifier(alpha=1.0, tol=1e-10, max_iter=5000, **options)
    clf.fit(X_fit, Y, sample_weight=sw if case == "sample_weight" else None)
    if case == "float32":
        # computed in float32: gradients carry ~1e-6 of rounding, which the weakest
        # curvature (alpha / n_samples = 1 / 200) turns into ~1e-4 of coefficient
        assert clf.coef_.dtype == np.float32
        coef, intercept, _ = joint_solution(X.astype(np.float32).astype(float), Y.astype(float), sw)
        assert_same_fit(clf, coef, intercept, atol=2e-3)
        return
    assert_same_fit(clf, coef, intercept)


def test_estimator_on_yeast_matches_joint_lbfgs(yeast):
    X, Y = yeast
    coef, intercept, _ = joint_solution(X, Y.astype(float), np.ones(X.shape[0]))
    clf = MultiLabelLossClassifier(alpha=1.0, tol=1e-10, max_iter=5000).fit(X, Y)
    # both stop on the float64 resolution of F, at gradients ~1e-7; the weakest
    # curvature (alpha / n_samples) then leaves coefficients ~1e-5 apart
    assert_same_fit(clf, coef, intercept, atol=1e-4)
    default = MultiLabelLossClassifier(alpha=1.0).fit(X, Y)
    assert default.n_iter_ < 60  # one joint L-BFGS needs ~105 iterations here
    assert default.loss_curve_[-1] - clf.loss_curve_[-1] < 5e-5 * clf.loss_curve_[-1]


def test_sparse_input_is_never_densified(monkeypatch, rng):
    def refuse(*args, **kwargs):
        raise AssertionError("a sparse matrix was densified")

    for cls in (sp.csr_matrix, sp.csc_matrix):
        monkeypatch.setattr(cls, "toarray", refuse)
        monkeypatch.setattr(cls, "todense", refuse)
    X, Y = make_data(rng, n_samples=60)
    for fmt in ("csr", "csc"):
        clf = MultiLabelLossClassifier(tol=1e-8).fit(sp.random(60, 4, 0.5, fmt, random_state=0), Y)
        assert np.isfinite(clf.coef_).all()


def test_non_separable_objectives_keep_the_joint_solver(rng):
    X, Y = make_data(rng)
    sw = np.ones(X.shape[0])
    ones = np.ones(Y.shape[1])
    for loss, sizes in ((make_loss("label_ranking"), [4, 3]), (make_loss("bce"), [4, 5, 3])):
        network = Network(sizes, "relu", True)
        objective = Objective(network, loss, ones, ones, 1.0, X.shape[0], sw.sum())
        assert not objective.separable_by_label
        with pytest.raises(ValueError, match="separable_by_label"):
            PerLabelLBFGS(max_iter=1, tol=0.0).solve(
                objective, np.zeros(network.n_params), X, Y, sw
            )
    network = Network([4, 3], "identity", True)
    objective = Objective(network, make_loss("bce"), ones, ones, 1.0, X.shape[0], sw.sum())
    theta = np.zeros(network.n_params)
    with thread_limits(None):
        result = PerLabelLBFGS(max_iter=200, tol=1e-9).solve(objective, theta, X, Y, sw)
        joint = LBFGS(max_iter=200, tol=1e-9).solve(objective, theta, X, Y, sw)
    assert result.converged and len(result.loss_curve) == result.n_iter
    assert_allclose(result.theta, joint.theta, atol=1e-6)
