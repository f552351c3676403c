"""MultiLabelLossClassifierCV: choices against a brute-force reference, the warm path, the API."""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import expit
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import f1_score, fbeta_score, make_scorer
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabel import MultiLabelLossClassifier, MultiLabelLossClassifierCV
from skmultilabel.joint._path import (
    _SECANT_STEP,
    _inverse_curvature,
    _problems,
    _shift_penalty,
    alpha_path,
    fit_problems,
    linear_parameters,
)
from skmultilabel.losses import resolve_loss
from skmultilabel.losses._base import loss_parameter_constraints
from skmultilabel.models._batched_lbfgs import Curvature

TIGHT = {"tol": 1e-9, "max_iter": 1000}


def make_data(n_samples=90, n_features=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    logits = X @ rng.normal(size=(n_features, 3)) + [0.5, -0.5, -1.5]
    Y = (rng.random((n_samples, 3)) < expit(logits)).astype(np.int64)
    return X, Y


def folds(n_samples, n_splits=3):
    return list(KFold(n_splits, shuffle=True, random_state=0).split(np.zeros(n_samples)))


def best_f1(y, scores):
    """Exact best F1 of one label: every distinct cut tried with scikit-learn's f1_score."""
    return max(f1_score(y, scores >= t, zero_division=0) for t in np.unique(scores))


def reference_choice(X, Y, splits, alphas, pos_weights):
    """Separate fits per candidate and label on the same folds; each label's best candidate.

    Candidates in preference order: larger alpha first, then the smaller positive weight.
    """
    n_labels = Y.shape[1]
    chosen_alpha, chosen_weight, best_scores = [], [], []
    for c in range(n_labels):
        candidates = []
        for alpha in sorted(alphas, reverse=True):
            for entry in pos_weights:
                oof = np.zeros(X.shape[0])
                for train, test in splits:
                    y = Y[train, c]
                    balanced = max(np.sum(y == 0), 1) / max(np.sum(y == 1), 1)
                    fn_cost = balanced if entry == "balanced" else entry
                    model = MultiLabelLossClassifier(alpha=alpha, fn_cost=fn_cost, **TIGHT)
                    oof[test] = model.fit(X[train], Y[train][:, [c]]).predict_proba(X[test])[:, 0]
                y = Y[:, c]
                value = max(np.sum(y == 0), 1) / max(np.sum(y == 1), 1)
                weight = value if entry == "balanced" else entry
                candidates.append((best_f1(Y[:, c], oof), alpha, weight))
        top = max(score for score, _, _ in candidates)
        # preferred: largest alpha, then smallest weight, among the best scores
        _, alpha, weight = min(
            (c for c in candidates if c[0] == top), key=lambda c: (-c[1], c[2])
        )
        chosen_alpha.append(alpha)
        chosen_weight.append(weight)
        best_scores.append(top)
    return np.array(chosen_alpha), np.array(chosen_weight), np.array(best_scores)


def test_per_label_choices_equal_brute_force():
    X, Y = make_data()
    splits = folds(X.shape[0])
    alphas, pos_weights = [10.0, 1.0, 0.1], [1.0, "balanced"]
    estimator = MultiLabelLossClassifierCV(
        alphas=alphas, pos_weights=pos_weights, cv=splits, margin=0.0, **TIGHT
    ).fit(X, Y)
    alpha, weight, scores = reference_choice(X, Y, splits, alphas, pos_weights)
    np.testing.assert_array_equal(estimator.alpha_, alpha)
    np.testing.assert_allclose(estimator.pos_weight_, weight)
    best = estimator.cv_results_["label_scores"].max(axis=0)
    np.testing.assert_allclose(best, scores, atol=1e-12)


def test_one_standard_error_rule_keeps_shared_or_prefers_regularised():
    X, Y = make_data()
    estimator = MultiLabelLossClassifierCV(
        alphas=[10.0, 1.0, 0.1], pos_weights=[1.0, "balanced"], cv=folds(X.shape[0]),
        margin=0.002, **TIGHT,
    ).fit(X, Y)
    results = estimator.cv_results_
    scores, alphas, values = results["label_scores"], results["alpha"], results["pos_weight_value"]
    top = np.flatnonzero(results["score"] == results["score"].max())
    shared = min(top, key=lambda k: (-alphas[k], values[k].mean()))
    moved = 0
    for c in range(Y.shape[1]):
        qualifying = np.flatnonzero(scores[:, c] >= scores[:, c].max() - 0.002)
        # the shared candidate if it qualifies, else the largest alpha, then smallest weight
        expected = shared if shared in qualifying else min(
            qualifying, key=lambda k: (-alphas[k], values[k, c])
        )
        moved += expected != shared
        assert estimator.alpha_[c] == alphas[expected]
        assert estimator.pos_weight_[c] == values[expected, c]
    assert moved > 0  # the data make at least one label leave the shared candidate


def test_warm_path_equals_cold_fits():
    X, Y = make_data(n_samples=120)
    loss = resolve_loss("bce", {})
    sample_weight = np.ones(X.shape[0])
    pos_weight = np.array([np.ones(3), np.full(3, 3.0)])
    alphas = [100.0, 10.0, 1.0, 0.1]
    path = list(alpha_path(X, Y.astype(float), sample_weight, loss, pos_weight, np.ones(3), alphas,
                           fit_intercept=True, max_iter=1000, tol=1e-9))
    for alpha, (coef, intercept, converged) in zip(alphas, path):
        assert converged
        for k in range(2):
            cold = fit_problems(X, Y.astype(float), sample_weight, loss, pos_weight[k],
                                np.ones(3), alpha, None, fit_intercept=True, max_iter=1000,
                                tol=1e-9)
            cold_coef, cold_intercept = linear_parameters(cold.theta, X.shape[1], 3, True)
            # both stop where the gradient (or the relative decrease) is below tolerance
            np.testing.assert_allclose(coef[k], cold_coef, atol=1e-5)
            np.testing.assert_allclose(intercept[k], cold_intercept, atol=1e-5)
        assert not np.allclose(coef[0], coef[1])  # the two weights are different problems


def test_path_without_carried_memory_gives_the_same_solutions(monkeypatch):
    # beyond the memory budget each alpha starts with a fresh L-BFGS memory
    X, Y = make_data(n_samples=80)
    loss = resolve_loss("bce", {})
    args = (X, Y.astype(float), np.ones(80), loss, np.ones((2, 3)), np.ones(3), [10.0, 1.0, 0.1])
    options = dict(fit_intercept=True, max_iter=1000, tol=1e-9)
    carried = list(alpha_path(*args, **options))
    monkeypatch.setattr("skmultilabel.models._batched_lbfgs.MEMORY_BUDGET", 1)
    fresh = list(alpha_path(*args, **options))
    for (coef, intercept, _), (coef_fresh, intercept_fresh, _) in zip(carried, fresh):
        np.testing.assert_allclose(coef, coef_fresh, atol=1e-6)
        np.testing.assert_allclose(intercept, intercept_fresh, atol=1e-6)


def test_path_stops_every_problem_at_the_tolerance_heavy_weights_included():
    # the gradients are evaluated afresh at the path's solutions: a problem that stops at
    # its known start (value and gradient carried from the previous alpha) is checked too.
    # A tolerance scaled by each problem's loss weight would stop the problems whose
    # negatives weigh 40 at 40 x tol (on yeast, fp_cost=1000 stopped at the intercept)
    X, Y = make_data(n_samples=120)
    loss = resolve_loss("bce", {})
    weight = np.ones(X.shape[0])
    pos_weight = np.array([np.ones(3), np.full(3, 40.0)])
    neg_weight = np.full(3, 40.0)
    tiled = np.tile(Y, (1, 2)).astype(float)
    alphas, tol = [100.0, 30.0, 10.0, 3.0, 1.0], 1e-3
    path = alpha_path(X, Y.astype(float), weight, loss, pos_weight, neg_weight, alphas,
                      fit_intercept=True, max_iter=1000, tol=tol)
    for alpha, (coef, intercept, converged) in zip(alphas, path):
        assert converged
        problems = _problems(X, tiled, weight, loss, pos_weight.ravel(), np.tile(neg_weight, 2),
                             alpha / X.shape[0], True)
        rows = np.hstack([coef.reshape(6, -1), intercept.reshape(6, 1)])
        assert np.abs(problems(rows, np.arange(6))[1]).max() <= tol


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_intercept_scale_is_the_inverse_curvature_of_the_intercept_only_fit(dtype):
    # weighted BCE on no feature: g(b) = (sigma(b) - mean positive share) * W / T, so the
    # secant over the step is exact in closed form, and close to 1 / g'(b)
    X, Y = make_data(n_samples=70)
    loss = resolve_loss("bce", {})
    rng = np.random.default_rng(3)
    weight = rng.uniform(0.5, 2.0, X.shape[0]).astype(dtype)
    pos, neg = np.array([1.0, 3.0, 0.5], dtype=dtype), np.array([2.0, 1.0, 1.0], dtype=dtype)
    alone = _problems(X.astype(dtype), Y.astype(dtype), weight, loss, pos, neg, 0.0,
                      True).intercept_problems()
    intercepts = rng.normal(size=(3, 1)).astype(dtype)
    slopes = alone(intercepts, np.arange(3))[1]
    blocks = [np.array([0, 2]), np.array([1])]
    scale = _inverse_curvature([_restrict(alone, b) for b in blocks], blocks, intercepts, slopes)
    mass = (weight[:, None] * np.where(Y == 1, pos, neg)).sum(axis=0) / weight.sum()
    b = intercepts[:, 0].astype(float)
    secant = _SECANT_STEP / ((expit(b + _SECANT_STEP) - expit(b)) * mass)
    rtol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(scale, secant, rtol=rtol)
    np.testing.assert_allclose(scale, 1.0 / (expit(b) * expit(-b) * mass), rtol=0.06)


def _restrict(problems, labels):
    """``problems`` on the columns ``labels`` only (as the path's blocks hold them)."""
    return lambda params, rows: problems(params, labels[rows])


@pytest.mark.parametrize("scaled", [False, True])
def test_penalty_shift_gives_the_pairs_of_the_new_objective(scaled):
    X, Y = make_data(n_samples=50)
    loss = resolve_loss("bce", {})
    weight, ones = np.ones(X.shape[0]), np.ones(3)

    def gradient(penalty, rows):
        problems = _problems(X, Y.astype(float), weight, loss, ones, ones, penalty, True)
        return problems(rows, np.arange(3))[1]

    rng = np.random.default_rng(1)
    points = rng.normal(size=(4, 3, X.shape[1] + 1))  # 4 iterates of 3 problems
    s_hist = np.diff(points, axis=0).transpose(1, 0, 2)  # ring: slots 0, 1, 2, head 2
    y_old = np.array([gradient(0.3, points[i + 1]) - gradient(0.3, points[i])
                      for i in range(3)]).transpose(1, 0, 2)
    y_new = np.array([gradient(0.05, points[i + 1]) - gradient(0.05, points[i])
                      for i in range(3)]).transpose(1, 0, 2)
    diagonal = rng.uniform(0.5, 2.0, (3, X.shape[1] + 1)) if scaled else None
    memory = Curvature(s_hist.copy(), y_old.copy(), np.full(3, 2), np.full(3, 3), np.ones(3),
                       diagonal)
    _shift_penalty(memory, 0.05 - 0.3, X.shape[1])
    np.testing.assert_allclose(memory.y_hist, y_new, rtol=1e-10, atol=1e-12)
    # gamma: s.y / y.D y of the newest shifted pair
    newest = s_hist[:, 2], y_new[:, 2]
    scaled_y = y_new[:, 2] * (1.0 if diagonal is None else diagonal)
    np.testing.assert_allclose(memory.gamma, np.vecdot(*newest) / np.vecdot(y_new[:, 2],
                                                                             scaled_y))
    # a pair left without positive curvature makes its problem forget its pairs
    memory.y_hist[1, 0] = -memory.s_hist[1, 0]
    _shift_penalty(memory, 0.0, X.shape[1])
    np.testing.assert_array_equal(memory.n_pairs, [3, 0, 3])


@pytest.mark.parametrize("params", [
    {},
    {"loss": "focal", "gamma": 1.0, "class_weight": [1.0, 2.0, 0.5], "fp_cost": 1.5},
    {"loss": "asymmetric", "gamma_neg": 2.0, "clip": 0.1, "class_weight": "balanced"},
    {"label_smoothing": 0.1, "fp_cost": [1.0, 0.5, 2.0]},
])
def test_refit_equals_classifier_with_chosen_values(params):
    X, Y = make_data()
    estimator = MultiLabelLossClassifierCV(
        alphas=[10.0, 0.1], pos_weights=[1.0, 2.0], cv=3, random_state=0, **params, **TIGHT
    ).fit(X, Y)
    # the classifier with the chosen alpha and fn_cost per label and the same other parameters
    single = MultiLabelLossClassifier(**params, **TIGHT)
    for c in range(Y.shape[1]):
        # per-label lists: label c's entry ("balanced" is of label c alone anyway)
        label_params = {name: value[c:c + 1] if isinstance(value, list) else value
                        for name, value in params.items()}
        single.set_params(alpha=estimator.alpha_[c], fn_cost=estimator.pos_weight_[c],
                          **label_params)
        single.fit(X, Y[:, [c]])
        np.testing.assert_allclose(estimator.coef_[c], single.coef_[0], atol=1e-6)
    proba = estimator.predict_proba(X)
    np.testing.assert_allclose(proba, expit(estimator.decision_function(X)))
    expected = (proba >= estimator.thresholds_).astype(int)
    np.testing.assert_array_equal(estimator.predict(X), expected)


@pytest.mark.parametrize("scoring", ["f1_micro", "f1_samples"])
def test_coupled_objective_never_below_best_shared(scoring):
    X, Y = make_data()
    params = dict(alphas=[10.0, 0.1], pos_weights=[1.0, "balanced"], cv=folds(X.shape[0]),
                  scoring=scoring, margin=0.0, min_positives=0, **TIGHT)
    per_label = MultiLabelLossClassifierCV(**params).fit(X, Y)
    shared = MultiLabelLossClassifierCV(per_label=False, **params).fit(X, Y)
    assert shared.best_score_ == pytest.approx(per_label.cv_results_["score"].max())
    assert per_label.best_score_ >= shared.best_score_ - 1e-12
    assert np.isnan(per_label.cv_results_["std_error"]).all()


def test_every_shared_classifier_parameter_is_passed_on():
    # the loss hyper-parameters and the label weights of MultiLabelLossClassifier are CV
    # parameters, and the fits of the general path get every shared one
    ours = MultiLabelLossClassifierCV().get_params()
    for name in [*loss_parameter_constraints(), "class_weight", "fp_cost"]:
        assert name in ours, name
    estimator = MultiLabelLossClassifierCV(loss="focal", gamma=0.5, fp_cost=2.0, n_jobs=3,
                                           class_weight="balanced", label_smoothing=0.05)
    inner = estimator._inner(3.0, 1.5).get_params()
    given = estimator.get_params()
    shared = set(given) & set(inner) - {"n_jobs", "verbose"}
    assert {"loss", "gamma", "fp_cost", "class_weight", "label_smoothing"} <= shared
    assert {name: inner[name] for name in shared} == {name: given[name] for name in shared}
    assert inner["alpha"] == 3.0 and inner["fn_cost"] == 1.5 and inner["n_jobs"] is None


def test_beta_scores_f_beta_like_the_tuner():
    X, Y = make_data()
    params = dict(alphas=[10.0, 0.1], pos_weights=[1.0, "balanced"], cv=folds(X.shape[0]),
                  margin=0.0, **TIGHT)
    by_name = MultiLabelLossClassifierCV(scoring="f1_macro", beta=2.0, **params).fit(X, Y)
    scorer = make_scorer(fbeta_score, beta=2.0, average="macro", zero_division=0)
    by_scorer = MultiLabelLossClassifierCV(scoring=scorer, **params).fit(X, Y)
    f1 = MultiLabelLossClassifierCV(**params).fit(X, Y)
    np.testing.assert_array_equal(by_name.alpha_, by_scorer.alpha_)
    np.testing.assert_allclose(by_name.cv_results_["label_scores"],
                               by_scorer.cv_results_["label_scores"])
    assert not np.allclose(by_name.cv_results_["label_scores"], f1.cv_results_["label_scores"])
    # candidate 0 (alpha 10, weight 1): each label's score is its exact best out-of-fold F2
    assert (by_name.cv_results_["alpha"][0], by_name.cv_results_["pos_weight"][0]) == (10, 1)
    oof = np.zeros(Y.shape)
    for train, test in params["cv"]:
        model = MultiLabelLossClassifier(alpha=10.0, **TIGHT).fit(X[train], Y[train])
        oof[test] = model.predict_proba(X[test])
    for c in range(Y.shape[1]):
        best = max(fbeta_score(Y[:, c], oof[:, c] >= t, beta=2.0, zero_division=0)
                   for t in np.unique(oof[:, c]))
        assert by_name.cv_results_["label_scores"][0, c] == pytest.approx(best, abs=1e-9)


def test_two_jobs_equal_one_job():
    X, Y = make_data()
    params = dict(alphas=3, pos_weights=[1.0, "balanced"], cv=3, random_state=0)
    one = MultiLabelLossClassifierCV(n_jobs=1, **params).fit(X, Y)
    two = MultiLabelLossClassifierCV(n_jobs=2, **params).fit(X, Y)
    np.testing.assert_array_equal(two.alpha_, one.alpha_)
    np.testing.assert_array_equal(two.pos_weight_, one.pos_weight_)
    np.testing.assert_array_equal(two.thresholds_, one.thresholds_)
    np.testing.assert_array_equal(two.cv_results_["label_scores"],
                                  one.cv_results_["label_scores"])
    np.testing.assert_array_equal(two.coef_, one.coef_)


def test_mlp_one_candidate_for_all_labels():
    X, Y = make_data()
    estimator = MultiLabelLossClassifierCV(
        model="mlp", hidden_layer_sizes=(4,), alphas=[1.0, 10.0], pos_weights=[1.0, 2.0], cv=2,
        max_iter=30, random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, Y)
    assert np.unique(estimator.alpha_).size == 1 and np.unique(estimator.pos_weight_).size == 1
    best = int(np.argmax(estimator.cv_results_["score"]))
    assert estimator.alpha_[0] == estimator.cv_results_["alpha"][best]
    assert len(estimator.coefs_) == 2 and estimator.predict_proba(X).shape == Y.shape


def test_sample_weight_two_equals_duplicated_row():
    X, Y = make_data(n_samples=60)
    weight = np.ones(60)
    weight[:10] = 2.0
    splits = folds(60)
    X_dup, Y_dup = np.vstack([X, X[:10]]), np.vstack([Y, Y[:10]])
    # the copy of row i sits in row i's fold
    fold_of = np.empty(60, dtype=int)
    for f, (_, test) in enumerate(splits):
        fold_of[test] = f
    fold_dup = np.concatenate([fold_of, fold_of[:10]])
    splits_dup = [(np.flatnonzero(fold_dup != f), np.flatnonzero(fold_dup == f)) for f in range(3)]
    params = dict(alphas=[10.0, 1.0], pos_weights=[1.0, "balanced"], **TIGHT)
    weighted = MultiLabelLossClassifierCV(cv=splits, **params).fit(X, Y, sample_weight=weight)
    duplicated = MultiLabelLossClassifierCV(cv=splits_dup, **params).fit(X_dup, Y_dup)
    np.testing.assert_array_equal(weighted.alpha_, duplicated.alpha_)
    np.testing.assert_allclose(weighted.pos_weight_, duplicated.pos_weight_)
    np.testing.assert_allclose(weighted.cv_results_["label_scores"],
                               duplicated.cv_results_["label_scores"], atol=1e-9)
    np.testing.assert_allclose(weighted.coef_, duplicated.coef_, atol=1e-6)
    np.testing.assert_allclose(weighted.thresholds_, duplicated.thresholds_, atol=1e-6)


def test_sparse_X_never_densified(monkeypatch):
    X, Y = make_data()
    X[np.abs(X) < 0.8] = 0.0
    params = dict(alphas=[1.0, 0.1], pos_weights=[1.0, 2.0], cv=folds(X.shape[0]), **TIGHT)
    dense = MultiLabelLossClassifierCV(**params).fit(X, Y)

    def refuse(*args, **kwargs):
        raise AssertionError("sparse X was densified")

    for cls in (sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.csc_array):
        monkeypatch.setattr(cls, "toarray", refuse)
        monkeypatch.setattr(cls, "todense", refuse)
    sparse = MultiLabelLossClassifierCV(**params).fit(sp.csr_matrix(X), Y)
    np.testing.assert_array_equal(sparse.alpha_, dense.alpha_)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-7)
    np.testing.assert_array_equal(sparse.predict(sp.csr_matrix(X)), dense.predict(X))


def test_clone_pickle_pipeline_and_grid_search():
    X, Y = make_data()
    estimator = MultiLabelLossClassifierCV(alphas=2, pos_weights=[1.0], cv=2, random_state=0)
    fitted = clone(estimator).fit(X, Y)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict(X), fitted.predict(X))
    pipeline = make_pipeline(StandardScaler(), clone(estimator)).fit(X, Y)
    assert pipeline.predict(X).shape == Y.shape
    search = GridSearchCV(estimator, {"per_label": [True, False]}, cv=2, scoring="f1_macro")
    search.fit(X, Y)
    assert search.best_params_["per_label"] in (True, False)


def test_refit_false_chooses_without_a_model():
    X, Y = make_data()
    estimator = MultiLabelLossClassifierCV(alphas=2, cv=2, refit=False).fit(X, Y)
    assert estimator.alpha_.shape == (3,) and not hasattr(estimator, "coef_")
    with pytest.raises(AttributeError, match="refit=False"):
        estimator.predict(X)


def test_failed_fit_keeps_previous_state():
    X, Y = make_data()
    estimator = MultiLabelLossClassifierCV(alphas=2, cv=2).fit(X, Y)
    coef = estimator.coef_.copy()
    estimator.set_params(pos_weights=[-1.0])
    with pytest.raises(ValueError, match="pos_weights"):
        estimator.fit(X, Y)
    np.testing.assert_array_equal(estimator.coef_, coef)
    assert estimator.n_features_in_ == X.shape[1]


def test_display_marks_the_chosen_candidate():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from skmultilabel.metrics import ClassifierCVDisplay

    X, Y = make_data()
    estimator = MultiLabelLossClassifierCV(
        alphas=[10.0, 1.0, 0.1], pos_weights=[1.0, "balanced"], cv=2, margin=0.0
    ).fit(X, Y)
    display = ClassifierCVDisplay.from_estimator(estimator, 2)
    assert len(display.lines_) == 2
    np.testing.assert_allclose(display.lines_[1].get_ydata(),
                               estimator.cv_results_["label_scores"][1::2, 2])
    x, y = display.marker_.get_offsets()[0]
    assert x == estimator.alpha_[2]
    assert y == estimator.cv_results_["label_scores"][:, 2].max()  # margin=0: the best
    with pytest.raises(ValueError, match="label must be"):
        ClassifierCVDisplay.from_estimator(estimator, 3)


@pytest.mark.parametrize("layout", ["dense", "dense in blocks", "csr", "csc"])
def test_mean_feature_variance_is_the_weighted_variance_of_the_columns(layout, monkeypatch):
    from skmultilabel.joint import _alpha_grid

    rng = np.random.default_rng(3)
    X = rng.normal(loc=5.0, scale=[0.5, 1.0, 3.0], size=(50, 3)) * (rng.random((50, 3)) < 0.6)
    weight = rng.uniform(0.2, 3.0, 50)
    expected = np.mean(np.average((X - np.average(X, axis=0, weights=weight)) ** 2,
                                  axis=0, weights=weight))
    if layout == "dense in blocks":
        monkeypatch.setattr(_alpha_grid, "_BLOCK_VALUES", 21)  # 7 rows of 3 columns
    data = {"csr": sp.csr_matrix, "csc": sp.csc_matrix}.get(layout, np.asarray)(X)
    assert _alpha_grid.mean_feature_variance(data, weight) == pytest.approx(expected, rel=1e-12)
    # a weight of 2 counts the row twice
    doubled = np.vstack([X, X[:5]])
    weight_2 = np.concatenate([np.ones(45), np.full(5, 2.0)])
    reordered = np.vstack([X[5:], X[:5]])
    assert _alpha_grid.mean_feature_variance(reordered, weight_2) == pytest.approx(
        _alpha_grid.mean_feature_variance(doubled, np.ones(55)), rel=1e-12
    )


def test_int_alphas_follow_the_scale_of_X():
    """X times k: the grid times k^2, the same choices and predictions, coefficients over k."""
    X, Y = make_data()
    params = dict(alphas=4, pos_weights=[1.0, "balanced"], cv=folds(X.shape[0]), **TIGHT)
    base = MultiLabelLossClassifierCV(**params).fit(X, Y)
    scaled = MultiLabelLossClassifierCV(**params).fit(10.0 * X, Y)
    np.testing.assert_allclose(base.alphas_, np.logspace(4, 0, 4) * X.var(axis=0).mean())
    np.testing.assert_allclose(scaled.alphas_, 100.0 * base.alphas_)
    np.testing.assert_allclose(scaled.alpha_, 100.0 * base.alpha_)
    np.testing.assert_allclose(scaled.coef_, base.coef_ / 10.0, rtol=1e-5, atol=1e-8)
    np.testing.assert_array_equal(scaled.predict(10.0 * X), base.predict(X))
    one = MultiLabelLossClassifierCV(**{**params, "alphas": 1}).fit(X, Y)
    np.testing.assert_allclose(one.alphas_, [X.var(axis=0).mean()])
    constant = MultiLabelLossClassifierCV(**{**params, "alphas": 2}).fit(np.ones_like(X), Y)
    np.testing.assert_allclose(constant.alphas_, [1e4, 1.0])  # no variance: the unscaled grid
    listed = MultiLabelLossClassifierCV(**{**params, "alphas": [3.0, 30.0]}).fit(10.0 * X, Y)
    np.testing.assert_array_equal(listed.alphas_, [30.0, 3.0])  # values are taken as given
