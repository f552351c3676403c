"""PerClassThresholdTuner: scikit-learn API, output shapes of many models, objectives, CV."""

import pickle
import warnings

import numpy as np
import pytest
from _score_lookup import ScoreLookup
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, fbeta_score, make_scorer
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, TunedThresholdClassifierCV
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import ClassifierChain, MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmultilabel import PerClassThresholdTuner
from skmultilabel.model_selection._stratified import default_cv

EXPECTED_FAILED_CHECKS = {
    "check_classifier_multioutput": (
        "predict applies the tuned thresholds, not 0.5 on predict_proba: with random_state=0 "
        "(deterministic folds) 10 of the check's 126 predictions differ."
    ),
    "check_sample_weight_equivalence_on_dense_data": (
        "Cross-validation folds differ when samples are repeated instead of weighted, and "
        "OneVsRestClassifier.fit only receives sample_weight through metadata routing."
    ),
    "check_sample_weight_equivalence_on_sparse_data": "Same as on dense data.",
}


@parametrize_with_checks(
    [PerClassThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=2, random_state=0)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def multilabel():
    X, Y = make_multilabel_classification(
        n_samples=160, n_features=8, n_classes=4, n_labels=2, random_state=0
    )
    return StandardScaler().fit_transform(X), Y


def out_of_fold_scores(estimator, X, Y, cv):
    """Pooled positive-class scores of every label, in sample order."""
    scores = np.empty(Y.shape, dtype=float)
    for train, test in cv.split(X, Y):
        output = estimator.fit(X[train], Y[train]).predict_proba(X[test])
        if isinstance(output, list):
            output = np.column_stack([o[:, 1] for o in output])
        scores[test] = output
    return scores


MODELS = {
    "ovr": lambda: OneVsRestClassifier(LogisticRegression()),
    "mlp": lambda: MLPClassifier(hidden_layer_sizes=(8,), max_iter=200, random_state=0),
    "chain": lambda: ClassifierChain(LogisticRegression(), random_state=0),
    "multioutput": lambda: MultiOutputClassifier(LogisticRegression()),
    "forest": lambda: RandomForestClassifier(n_estimators=10, random_state=0),
    "knn": lambda: KNeighborsClassifier(n_neighbors=7),
}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("name", list(MODELS))
def test_every_output_shape_and_pooled_score(multilabel, name):
    X, Y = multilabel
    cv = KFold(3)
    tuner = PerClassThresholdTuner(MODELS[name](), cv=cv, margin=0).fit(X, Y)
    assert tuner.thresholds_.shape == (4,)
    prediction = tuner.predict(X)
    assert prediction.shape == Y.shape and set(np.unique(prediction)) <= {0, 1}
    scores = out_of_fold_scores(MODELS[name](), X, Y, cv)
    expected = f1_score(Y, scores >= tuner.thresholds_, average="macro", zero_division=0)
    assert tuner.best_score_ == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(
        tuner.label_scores_, f1_score(Y, scores >= tuner.thresholds_, average=None, zero_division=0)
    )
    fixed = f1_score(Y, scores >= 0.5, average="macro", zero_division=0)
    assert tuner.best_score_ >= fixed


@pytest.mark.parametrize(
    "scoring", ["f1_micro", "f1_samples", make_scorer(fbeta_score, beta=2, average="micro")]
)
def test_coordinate_ascent_never_loses_against_global(multilabel, scoring):
    X, Y = multilabel
    model = OneVsRestClassifier(LogisticRegression()).fit(X, Y)
    tuned = {
        strategy: PerClassThresholdTuner(
            model, scoring=scoring, strategy=strategy, cv="prefit", refit=False
        ).fit(X, Y)
        for strategy in ("per_class", "global", "fixed")
    }
    assert (
        tuned["per_class"].best_score_ >= tuned["global"].best_score_ >= tuned["fixed"].best_score_
    )
    assert np.ptp(tuned["global"].thresholds_) == 0
    np.testing.assert_array_equal(tuned["fixed"].thresholds_, 0.5)
    for tuner in tuned.values():
        scorer = make_scorer(f1_score, average=scoring[3:]) if isinstance(scoring, str) else scoring
        assert tuner.best_score_ == pytest.approx(scorer(tuner, X, Y), rel=1e-12)


def test_weighted_average_tunes_each_label_on_its_own(multilabel):
    X, Y = multilabel
    model = OneVsRestClassifier(LogisticRegression()).fit(X, Y)
    common = dict(cv="prefit", refit=False, margin=0)
    weighted = PerClassThresholdTuner(model, scoring="f1_weighted", **common).fit(X, Y)
    macro = PerClassThresholdTuner(model, scoring="f1_macro", **common).fit(X, Y)
    np.testing.assert_array_equal(weighted.thresholds_, macro.thresholds_)
    assert weighted.best_score_ == pytest.approx(
        f1_score(Y, weighted.predict(X), average="weighted")
    )


def test_exact_search_beats_every_grid_threshold(multilabel):
    X, Y = multilabel
    model = OneVsRestClassifier(LogisticRegression()).fit(X, Y)
    tuner = PerClassThresholdTuner(model, cv="prefit", refit=False, margin=0).fit(X, Y)
    scores = model.predict_proba(X)
    predicted = scores[:, :, None] >= np.linspace(0, 1, 2001)  # (n, labels, grid)
    truth = Y[:, :, None] > 0
    tp = (predicted & truth).sum(axis=0)
    grid_f1 = 2 * tp / (predicted.sum(axis=0) + truth.sum(axis=0))
    assert np.all(tuner.label_scores_ >= grid_f1.max(axis=1) - 1e-12)


@pytest.mark.parametrize("cv", ["prefit", "folds"])
def test_binary_reaches_tuned_threshold_classifier_cv(cv):
    X, y = make_classification(n_samples=300, weights=[0.85], random_state=1)
    folds = StratifiedKFold(4)
    model = LogisticRegression()
    options = dict(cv="prefit", refit=False) if cv == "prefit" else dict(cv=folds)
    if cv == "prefit":
        model.fit(X, y)
    ours = PerClassThresholdTuner(model, scoring="f1", **options).fit(X, y)
    theirs = TunedThresholdClassifierCV(model, scoring="f1", **options).fit(X, y)
    if cv == "prefit":
        assert ours.best_score_ >= theirs.best_score_
    else:
        scores = np.empty(len(y))
        for train, test in folds.split(X, y):
            scores[test] = LogisticRegression().fit(X[train], y[train]).predict_proba(X[test])[:, 1]
        ours_f1 = f1_score(y, scores >= ours.thresholds_[0])
        assert ours_f1 == pytest.approx(ours.best_score_)
        assert ours_f1 >= f1_score(y, scores >= theirs.best_threshold_)
    assert ours.predict(X).shape == y.shape


def test_binary_string_classes_and_decision_function():
    X, y = make_classification(n_samples=120, random_state=0)
    labels = np.array(["no", "yes"])[y]
    tuner = PerClassThresholdTuner(
        LogisticRegression(), response_method="decision_function", cv=3
    ).fit(X, labels)
    assert set(tuner.predict(X)) <= {"no", "yes"}
    np.testing.assert_array_equal(tuner.classes_, ["no", "yes"])
    fixed = PerClassThresholdTuner(
        LogisticRegression(), strategy="fixed", response_method="decision_function"
    )
    np.testing.assert_array_equal(fixed.fit(X, labels).thresholds_, [0.0])
    scores = np.empty(len(y))
    for train, test in StratifiedKFold(5).split(X, y):
        scores[test] = LogisticRegression().fit(X[train], y[train]).decision_function(X[test])
    # "f1_macro" on a binary target averages both classes, as scikit-learn scores it
    assert fixed.best_score_ == pytest.approx(f1_score(y, scores >= 0, average="macro"))
    np.testing.assert_allclose(fixed.label_scores_, [fixed.best_score_])


def test_rare_labels_get_the_global_threshold_and_warn(multilabel):
    X, Y = multilabel
    Y = Y.copy()
    Y[:, 1] = 0
    Y[:3, 1] = 1
    model = OneVsRestClassifier(LogisticRegression()).fit(X, Y)
    with pytest.warns(UserWarning, match=r"Labels \[1\] have fewer than min_positives=5") as record:
        tuner = PerClassThresholdTuner(model, cv="prefit", refit=False).fit(X, Y)
    assert len([w for w in record if "min_positives" in str(w.message)]) == 1
    global_tuner = PerClassThresholdTuner(
        model, cv="prefit", refit=False, strategy="global"
    ).fit(X, Y)
    np.testing.assert_array_equal(tuner.rare_labels_, [1])
    assert tuner.thresholds_[1] == global_tuner.thresholds_[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        relaxed = PerClassThresholdTuner(model, cv="prefit", refit=False, min_positives=3).fit(X, Y)
    assert relaxed.rare_labels_.size == 0


def fbeta_columns(truth, predicted, beta=1.0):
    """F-beta of each column of 0/1 ``predicted`` against ``truth`` (0 if undefined), NumPy only."""
    tp = (predicted & truth).sum(axis=0)
    fn = (truth & ~predicted).sum(axis=0)
    fp = (predicted & ~truth).sum(axis=0)
    denominator = (1 + beta**2) * tp + beta**2 * fn + fp
    return np.where(denominator > 0, (1 + beta**2) * tp / np.maximum(denominator, 1), 0.0)


@pytest.mark.parametrize("beta", [1.0, 2.0])
def test_std_error_matches_the_bootstrap(beta):
    from skmultilabel.thresholds._objectives import FBetaObjective, TuningData

    rng = np.random.default_rng(0)
    n = 3000
    truth = rng.random((n, 3)) < [0.05, 0.2, 0.5]
    predicted = np.where(truth, rng.random((n, 3)) < 0.7, rng.random((n, 3)) < 0.1)
    data = TuningData(predicted.astype(float), truth, None)
    std_error = FBetaObjective("macro", beta).std_error(data, np.full(3, 0.5))
    resamples = rng.integers(0, n, (2000, n))
    boot = np.array([fbeta_columns(truth[rows], predicted[rows], beta) for rows in resamples])
    np.testing.assert_allclose(std_error, boot.std(axis=0), rtol=0.1)


def test_std_error_counts_a_weight_as_repeated_samples():
    from skmultilabel.thresholds._objectives import FBetaObjective, TuningData

    rng = np.random.default_rng(1)
    scores, truth = rng.random((200, 3)), rng.random((200, 3)) < 0.3
    weight = rng.integers(1, 4, 200)
    repeated = np.repeat(np.arange(200), weight)
    objective, thresholds = FBetaObjective("macro"), np.array([0.3, 0.5, 0.7])
    np.testing.assert_allclose(
        objective.std_error(TuningData(scores, truth, weight.astype(float)), thresholds),
        objective.std_error(TuningData(scores[repeated], truth[repeated], None), thresholds),
    )


def closest_qualifying_cut(scores, truth, floor, reference):
    """Brute force: the midpoint between distinct scores nearest ``reference`` with F1 >= floor."""
    distinct = np.unique(scores)
    cuts = (distinct[1:] + distinct[:-1]) / 2
    qualifying = cuts[fbeta_columns(truth[:, None], scores[:, None] >= cuts[None, :]) >= floor]
    return qualifying[np.argmin(np.abs(qualifying - reference))] if qualifying.size else None


@pytest.mark.parametrize("margin", ["std_error", 0.03, 1.0])
def test_margin_keeps_the_cut_nearest_the_global_threshold(margin):
    from skmultilabel.thresholds._objectives import FBetaObjective, TuningData

    rng = np.random.default_rng(1)
    n, n_labels = 400, 5
    Y = rng.random((n, n_labels)) < [0.1, 0.2, 0.3, 0.4, 0.5]
    scores = np.round(1 / (1 + np.exp(-(1.5 * Y + rng.normal(size=Y.shape) - 1))), 3)  # ties too
    X = np.arange(n)[:, None]
    common = dict(cv="prefit", refit=False)
    exact = PerClassThresholdTuner(ScoreLookup(scores), margin=0, **common).fit(X, Y)
    tuner = PerClassThresholdTuner(ScoreLookup(scores), margin=margin, **common).fit(X, Y)
    global_tuner = PerClassThresholdTuner(ScoreLookup(scores), strategy="global", **common)
    reference = global_tuner.fit(X, Y).thresholds_[0]
    if margin == "std_error":
        tolerance = FBetaObjective("macro").std_error(
            TuningData(scores, Y, None), exact.thresholds_
        )
    else:
        tolerance = np.full(n_labels, margin)
    floor = exact.label_scores_ - tolerance
    at_reference = fbeta_columns(Y, scores >= reference)
    for c in range(n_labels):
        assert tuner.label_scores_[c] >= floor[c] - 1e-12
        if at_reference[c] >= floor[c]:
            assert tuner.thresholds_[c] == reference
        else:
            assert tuner.thresholds_[c] == pytest.approx(
                closest_qualifying_cut(scores[:, c], Y[:, c], floor[c], reference)
            )
    np.testing.assert_allclose(tuner.label_scores_, fbeta_columns(Y, scores >= tuner.thresholds_))
    if margin == 1.0:
        np.testing.assert_array_equal(tuner.thresholds_, reference)


def test_margin_moves_only_labels_whose_gain_beats_the_noise():
    """Labels drawn alike share one optimum; only a shifted label earns its own threshold."""
    rng = np.random.default_rng(0)
    n, n_labels = 600, 10
    Y = rng.random((n, n_labels)) < 0.3
    scores = 1 / (1 + np.exp(-(2.0 * Y + rng.normal(size=Y.shape) - 1)))
    scores[:, -1] = scores[:, -1] ** 4  # the last label's optimum moves far down
    X = np.arange(n)[:, None]
    common = dict(cv="prefit", refit=False)
    exact = PerClassThresholdTuner(ScoreLookup(scores), margin=0, **common).fit(X, Y)
    tuner = PerClassThresholdTuner(ScoreLookup(scores), **common).fit(X, Y)
    global_ = PerClassThresholdTuner(ScoreLookup(scores), strategy="global", **common).fit(X, Y)
    reference = global_.thresholds_[0]
    alike = slice(0, n_labels - 1)
    assert np.all(exact.thresholds_ != reference)
    assert np.sum(tuner.thresholds_[alike] == reference) >= n_labels - 3
    assert np.all(
        np.abs(tuner.thresholds_[alike] - reference)
        <= np.abs(exact.thresholds_[alike] - reference)
    )
    assert tuner.thresholds_[-1] < reference / 2
    assert global_.best_score_ < tuner.best_score_ <= exact.best_score_


def test_margin_does_not_change_a_binary_target():
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=3)
    exact = PerClassThresholdTuner(LogisticRegression(), cv=3, margin=0).fit(X, y)
    default = PerClassThresholdTuner(LogisticRegression(), cv=3).fit(X, y)
    np.testing.assert_array_equal(default.thresholds_, exact.thresholds_)


def test_fbeta_from_scorer_or_parameter(multilabel):
    X, Y = multilabel
    model = OneVsRestClassifier(LogisticRegression()).fit(X, Y)
    common = dict(cv="prefit", refit=False)
    f2_macro = make_scorer(fbeta_score, beta=2, average="macro")
    by_scorer = PerClassThresholdTuner(model, scoring=f2_macro, **common)
    by_beta = PerClassThresholdTuner(model, scoring="f1_macro", beta=2, **common)
    f1 = PerClassThresholdTuner(model, scoring="f1_macro", **common).fit(X, Y)
    np.testing.assert_array_equal(by_scorer.fit(X, Y).thresholds_, by_beta.fit(X, Y).thresholds_)
    assert by_beta.best_score_ == pytest.approx(
        fbeta_score(Y, by_beta.predict(X), beta=2, average="macro")
    )
    assert np.mean(by_beta.thresholds_) < np.mean(f1.thresholds_)  # recall weighs more
    conflicting = PerClassThresholdTuner(model, scoring=f2_macro, beta=1, **common)
    with pytest.raises(ValueError, match="conflicts"):
        conflicting.fit(X, Y)


def test_grid_scorer_and_callable(multilabel):
    X, Y = multilabel
    model = OneVsRestClassifier(LogisticRegression()).fit(X, Y)
    common = dict(cv="prefit", refit=False, store_cv_results=True)
    grid = np.linspace(0.05, 0.95, 19)
    matches = make_scorer(accuracy_score, normalize=False)  # not a ratio: searched on the grid
    by_scorer = PerClassThresholdTuner(model, scoring=matches, thresholds=grid, **common)
    by_scorer.fit(X, Y)
    assert by_scorer.best_score_ == pytest.approx(
        accuracy_score(Y, by_scorer.predict(X), normalize=False)
    )
    proba = model.predict_proba(X)
    assert by_scorer.best_score_ >= accuracy_score(Y, proba >= 0.5, normalize=False)
    assert set(by_scorer.thresholds_) <= set(grid)
    by_callable = PerClassThresholdTuner(
        model, scoring=accuracy_score, thresholds=19, **common
    ).fit(X, Y)
    assert by_callable.best_score_ == pytest.approx(accuracy_score(Y, by_callable.predict(X)))
    assert len(by_callable.cv_results_["thresholds"][0]) == 19
    # "accuracy" (subset accuracy) is searched exactly: its coordinate ascent starts from
    # the best single threshold, so it is never below any threshold of the grid
    exact = PerClassThresholdTuner(model, scoring="accuracy", **common).fit(X, Y)
    assert exact.best_score_ == pytest.approx(accuracy_score(Y, exact.predict(X)))
    assert exact.best_score_ >= max(accuracy_score(Y, proba >= t) for t in grid) - 1e-12


def test_cv_results_structure(multilabel):
    X, Y = multilabel
    tuner = PerClassThresholdTuner(
        OneVsRestClassifier(LogisticRegression()), cv=3, store_cv_results=True, margin=0
    ).fit(X, Y)
    results = tuner.cv_results_
    assert set(results) == {"thresholds", "scores", "global_thresholds", "global_scores"}
    for c, (thresholds, scores) in enumerate(zip(results["thresholds"], results["scores"])):
        assert thresholds.shape == scores.shape and np.all(np.diff(thresholds) > 0)
        assert scores.max() == pytest.approx(tuner.label_scores_[c])
        assert tuner.thresholds_[c] in thresholds
    assert np.all(np.diff(results["global_thresholds"]) > 0)
    assert results["global_scores"].max() <= tuner.best_score_ + 1e-12
    assert not hasattr(PerClassThresholdTuner(LogisticRegression()), "cv_results_")


def test_sample_weight_weights_the_objective(multilabel):
    X, Y = multilabel
    model = OneVsRestClassifier(LogisticRegression()).fit(X, Y)
    weight = np.random.default_rng(0).integers(0, 3, len(Y)).astype(float)
    tuner = PerClassThresholdTuner(model, cv="prefit", refit=False).fit(X, Y, sample_weight=weight)
    expected = f1_score(Y, tuner.predict(X), average="macro", sample_weight=weight)
    assert tuner.best_score_ == pytest.approx(expected, rel=1e-12)
    repeated = np.repeat(np.arange(len(Y)), weight.astype(int))
    on_repeats = PerClassThresholdTuner(model, cv="prefit", refit=False).fit(
        X[repeated], Y[repeated]
    )
    np.testing.assert_allclose(tuner.thresholds_, on_repeats.thresholds_)


def test_float_cv_pipeline_grid_search_and_pickle(multilabel):
    X, Y = multilabel
    tuner = PerClassThresholdTuner(
        OneVsRestClassifier(LogisticRegression()), cv=0.3, random_state=0, refit=False
    )
    pipe = make_pipeline(StandardScaler(), tuner).fit(X, Y)
    assert pipe.predict(X).shape == Y.shape
    search = GridSearchCV(
        PerClassThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=2),
        {"strategy": ["per_class", "global"]}, cv=2,
    ).fit(X, Y)
    assert search.best_estimator_.thresholds_.shape == (4,)
    fitted = search.best_estimator_
    clone = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(clone.predict(X), fitted.predict(X))
    np.testing.assert_array_equal(clone.predict_proba(X), fitted.predict_proba(X))


def test_parallel_folds_give_the_same_thresholds(multilabel):
    X, Y = multilabel
    model = OneVsRestClassifier(LogisticRegression())
    serial = PerClassThresholdTuner(model, cv=3, random_state=0).fit(X, Y)
    parallel = PerClassThresholdTuner(model, cv=3, n_jobs=2, random_state=0).fit(X, Y)
    np.testing.assert_array_equal(serial.thresholds_, parallel.thresholds_)


def test_default_multilabel_folds_are_stratified_and_shuffled(multilabel):
    X, Y = multilabel
    order = np.lexsort(Y.T)  # label-sorted rows: unshuffled folds would miss labels
    tuner = PerClassThresholdTuner(OneVsRestClassifier(LogisticRegression()), random_state=0)
    tuner.fit(X[order], Y[order])
    folds = list(default_cv(5, False, 0).split(X, Y[order]))
    assert all(Y[order][train].sum(axis=0).min() > 0 for train, _ in folds)
    assert not np.array_equal(np.concatenate([test for _, test in folds]), np.arange(len(Y)))
    rates = np.array([Y[order][test].mean(axis=0) for _, test in folds])
    kfold_rates = np.array([Y[order][test].mean(axis=0) for _, test in KFold(5).split(X)])
    overall = Y.mean(axis=0)
    assert np.abs(rates - overall).max() < np.abs(kfold_rates - overall).max()


def test_pass_through_methods_follow_the_estimator(multilabel):
    X, Y = multilabel
    forest = PerClassThresholdTuner(
        RandomForestClassifier(n_estimators=5, random_state=0), cv=2
    ).fit(X, Y)
    assert not hasattr(forest, "decision_function")
    assert len(forest.predict_proba(X)) == 4
    ovr = PerClassThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=2).fit(X, Y)
    np.testing.assert_array_equal(ovr.decision_function(X), ovr.estimator_.decision_function(X))


def test_verbose_prints_fold_progress(multilabel, capsys):
    X, Y = multilabel
    PerClassThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=2, verbose=1).fit(X, Y)
    assert capsys.readouterr().out.count("fold fitted") == 2


@pytest.mark.parametrize(
    ("options", "target", "error", "match"),
    [
        (dict(scoring="f1"), "multilabel", ValueError, "average='binary'"),
        (dict(scoring="roc_auc"), "multilabel", ValueError,
         "does not score thresholded predictions"),
        (dict(scoring="f1_samples"), "binary", ValueError, "needs a multi-label target"),
        (dict(scoring="accuracy", beta=2), "multilabel", ValueError, "beta only applies"),
        (dict(cv="prefit"), "multilabel", ValueError, "refit cannot be True"),
        (dict(cv=3, refit=False), "multilabel", ValueError, "refit cannot be False"),
        (dict(), "multiclass", ValueError, "Only binary classification is supported"),
        (dict(), "values", ValueError, "0/1 label indicator"),
    ],
)
def test_bad_input_raises(multilabel, options, target, error, match):
    X, Y = multilabel
    y = {
        "multilabel": Y, "binary": Y[:, 0], "multiclass": np.arange(len(Y)) % 3, "values": Y * 2,
    }[target]
    with pytest.raises(error, match=match):
        PerClassThresholdTuner(OneVsRestClassifier(LogisticRegression()), **options).fit(X, y)


def test_prefit_needs_a_fitted_estimator(multilabel):
    X, Y = multilabel
    with pytest.raises(NotFittedError, match="must be fitted"):
        PerClassThresholdTuner(
            OneVsRestClassifier(LogisticRegression()), cv="prefit", refit=False
        ).fit(X, Y)


def test_does_not_modify_inputs(multilabel):
    X, Y = multilabel
    X_copy, Y_copy = X.copy(), Y.copy()
    PerClassThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=2).fit(X, Y)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(Y, Y_copy)


def test_margin_survives_a_best_score_one_bit_above_the_curve():
    """A label scored 1 has a zero standard error: a best one bit above its curve still qualifies.

    The best per-label scores and the curve come from two sweeps whose sums may round apart.
    """
    from skmultilabel.thresholds._objectives import FBetaObjective, TuningData
    from skmultilabel.thresholds._search import _closest_within_margin

    rng = np.random.default_rng(0)
    Y = np.column_stack([rng.random(60) < 0.4, np.ones(60, dtype=bool)])
    scores = rng.random((60, 2))
    data = TuningData(scores, Y, rng.uniform(0.5, 2.0, 60))
    objective = FBetaObjective("macro")
    thresholds, label_scores = objective.best_per_label(data)
    assert label_scores[1] == pytest.approx(1.0) and objective.std_error(data, thresholds)[1] == 0.0
    _, curve = objective.label_search(data, thresholds, 1, store=True).curve
    nudged = label_scores.copy()
    nudged[1] = np.nextafter(curve.max(), 2.0)
    reference = 2.0  # above every score: label 1 does not qualify there
    moved = _closest_within_margin(
        objective, data, thresholds.copy(), nudged, reference, "std_error", [1]
    )
    assert moved[1] <= scores[:, 1].min()  # the cut that keeps every sample, the only best
