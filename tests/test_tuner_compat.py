"""PerClassThresholdTuner as TunedThresholdClassifierCV: routing, groups, pos_label, shapes."""

import warnings

import numpy as np
import pytest
import sklearn
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    fbeta_score,
    jaccard_score,
    make_scorer,
    precision_score,
)
from sklearn.model_selection import GroupKFold, StratifiedKFold, TunedThresholdClassifierCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.fixes import parse_version

from skmultilabel import MultiLabelLossClassifier, PerClassThresholdTuner


class WeightSpy(LogisticRegression):
    """LogisticRegression recording whether ``fit`` received sample weights."""

    def fit(self, X, y, sample_weight=None):
        self.got_weight_ = sample_weight is not None
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(n_samples=200, weights=[0.7], flip_y=0.1, random_state=0)
    return X, y


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


def test_routing_off_warns_when_the_estimator_cannot_take_weights(binary):
    X, y = binary
    weight = np.linspace(0.5, 2.0, len(y))
    with pytest.warns(UserWarning, match="does not declare sample_weight"):
        PerClassThresholdTuner(make_pipeline(StandardScaler(), WeightSpy()), cv=2).fit(
            X, y, sample_weight=weight
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        tuner = PerClassThresholdTuner(WeightSpy(), cv=2).fit(X, y, sample_weight=weight)
    assert tuner.estimator_.got_weight_


@pytest.mark.usefixtures("routing")
def test_routing_on_follows_the_fit_requests(binary):
    X, y = binary
    weight = np.linspace(0.5, 2.0, len(y))
    declined = PerClassThresholdTuner(WeightSpy().set_fit_request(sample_weight=False), cv=2)
    assert not declined.fit(X, y, sample_weight=weight).estimator_.got_weight_
    step = WeightSpy().set_fit_request(sample_weight=True)
    pipeline = make_pipeline(StandardScaler().set_fit_request(sample_weight=False), step)
    tuner = PerClassThresholdTuner(pipeline, cv=2).fit(X, y, sample_weight=weight)
    assert tuner.estimator_[-1].got_weight_
    routing = tuner.get_metadata_routing()
    assert routing.consumes("fit", ["sample_weight"]) == {"sample_weight"}
    with pytest.raises(sklearn.exceptions.UnsetMetadataPassedError):
        PerClassThresholdTuner(WeightSpy(), cv=2).fit(X, y, sample_weight=weight)


@pytest.mark.parametrize("routing_enabled", [False, True])
def test_groups_reach_the_splitter(binary, routing_enabled):
    X, y = binary
    groups = np.arange(len(y)) % 8
    folds = list(GroupKFold(3).split(X, y, groups))
    with sklearn.config_context(enable_metadata_routing=routing_enabled):
        grouped = PerClassThresholdTuner(
            LogisticRegression(), cv=GroupKFold(3), store_cv_results=True
        )
        grouped.fit(X, y, groups=groups)
    explicit = PerClassThresholdTuner(LogisticRegression(), cv=folds, store_cv_results=True).fit(
        X, y
    )
    np.testing.assert_array_equal(grouped.thresholds_, explicit.thresholds_)
    assert grouped.best_score_ == explicit.best_score_


def out_of_fold(X, y, column):
    """Out-of-fold ``predict_proba[:, column]`` over the tuner's default binary folds."""
    scores = np.empty(len(y))
    for train, test in StratifiedKFold(5).split(X, y):
        scores[test] = (
            LogisticRegression().fit(X[train], y[train]).predict_proba(X[test])[:, column]
        )
    return scores


def test_binary_f1_scores_pos_label_1_of_classes_1_2(binary):
    X, y = binary
    y = y + 1
    tuner = PerClassThresholdTuner(LogisticRegression(), scoring="f1").fit(X, y)
    assert tuner.pos_label_ == 1
    scores = out_of_fold(X, y, 0)
    predicted = np.where(scores >= tuner.thresholds_[0], 1, 2)
    assert tuner.best_score_ == pytest.approx(f1_score(y, predicted, pos_label=1))
    theirs = TunedThresholdClassifierCV(LogisticRegression(), scoring="f1", cv=5).fit(X, y)
    assert tuner.best_score_ >= theirs.best_score_ - 0.01
    proba = tuner.estimator_.predict_proba(X)[:, 0]
    np.testing.assert_array_equal(tuner.predict(X), np.where(proba >= tuner.thresholds_[0], 1, 2))


@pytest.mark.parametrize(
    "classes, pos_label", [(["benign", "cancer"], "cancer"), ([1, 2], 2), ([1, 2], 1)]
)
@pytest.mark.parametrize("response_method", ["predict_proba", "decision_function"])
def test_binary_pos_label_names_the_thresholded_class(binary, classes, pos_label, response_method):
    X, y = binary
    labels = np.asarray(classes)[y]
    scoring = make_scorer(fbeta_score, beta=2.0, pos_label=pos_label)
    tuner = PerClassThresholdTuner(
        LogisticRegression(), scoring=scoring, response_method=response_method
    )
    tuner.fit(X, labels)
    assert tuner.pos_label_ == pos_label
    negative = classes[0] if pos_label == classes[1] else classes[1]
    column = classes.index(pos_label)
    score = getattr(tuner.estimator_, response_method)(X)
    score = score[:, column] if score.ndim == 2 else (score if column == 1 else -score)
    expected = np.where(score >= tuner.thresholds_[0], pos_label, negative)
    np.testing.assert_array_equal(tuner.predict(X), expected)
    oof = out_of_fold(X, labels, column)
    if response_method == "predict_proba":
        predicted = np.where(oof >= tuner.thresholds_[0], pos_label, negative)
        assert tuner.best_score_ == pytest.approx(
            fbeta_score(labels, predicted, beta=2.0, pos_label=pos_label)
        )


def test_binary_f1_on_classes_without_1_raises_as_scikit_learn(binary):
    X, y = binary
    with pytest.raises(ValueError, match="pos_label=1 of scoring 'f1' is not a class"):
        PerClassThresholdTuner(LogisticRegression(), scoring="f1").fit(X, np.array(["a", "b"])[y])


def brute_force_best(scores, y, average, weight=None):
    """Best ``f1_score(average=...)`` over every distinct threshold ``scores >= t`` (and none)."""
    candidates = np.append(np.unique(scores), np.inf)
    return max(
        f1_score(y, (scores >= t).astype(int), average=average, sample_weight=weight)
        for t in candidates
    )


@pytest.mark.parametrize("average", ["macro", "weighted", "micro"])
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_averages_score_both_classes_exactly(binary, average, weighted):
    X, y = binary
    weight = np.random.default_rng(0).uniform(0.2, 3.0, len(y)) if weighted else None
    model = LogisticRegression(C=0.05).fit(X[:100], y[:100])
    X_tune, y_tune = X[100:], y[100:]
    w_tune = None if weight is None else weight[100:]
    tuner = PerClassThresholdTuner(model, scoring=f"f1_{average}", cv="prefit", refit=False)
    tuner.fit(X_tune, y_tune, sample_weight=w_tune)
    scores = model.predict_proba(X_tune)[:, 1]
    assert tuner.best_score_ == pytest.approx(brute_force_best(scores, y_tune, average, w_tune))
    predicted = tuner.predict(X_tune)
    assert tuner.best_score_ == pytest.approx(
        f1_score(y_tune, predicted, average=average, sample_weight=w_tune)
    )
    if average == "micro":
        assert tuner.best_score_ == pytest.approx(
            accuracy_score(y_tune, predicted, sample_weight=w_tune)
        )


def test_binary_average_scorer_with_store_cv_results(binary):
    X, y = binary
    scoring = make_scorer(f1_score, average="macro")
    tuner = PerClassThresholdTuner(
        LogisticRegression(), scoring=scoring, store_cv_results=True
    ).fit(X, y)
    curve_thresholds, curve_scores = (
        tuner.cv_results_["thresholds"][0],
        tuner.cv_results_["scores"][0],
    )
    assert np.all(np.diff(curve_thresholds) > 0)
    assert curve_scores.max() == pytest.approx(tuner.best_score_)
    oof = out_of_fold(X, y, 1)
    assert tuner.best_score_ == pytest.approx(
        f1_score(y, oof >= tuner.thresholds_[0], average="macro")
    )


def test_predict_log_proba_passes_through(binary):
    X, y = binary
    tuner = PerClassThresholdTuner(LogisticRegression(), cv=2).fit(X, y)
    np.testing.assert_array_equal(tuner.predict_log_proba(X), tuner.estimator_.predict_log_proba(X))
    assert not hasattr(PerClassThresholdTuner(LinearSVC()), "predict_log_proba")


def test_column_vector_target_predicts_a_column_like_the_classifier(binary):
    X, y = binary
    column = y[:, None]
    classifier = MultiLabelLossClassifier().fit(X, column)
    tuner = PerClassThresholdTuner(MultiLabelLossClassifier(), cv=3).fit(X, column)
    flat = PerClassThresholdTuner(MultiLabelLossClassifier(), cv=3).fit(X, y)
    assert classifier.predict(X).shape == tuner.predict(X).shape == (len(y), 1)
    np.testing.assert_array_equal(tuner.predict(X)[:, 0], flat.predict(X))


EXPECTED_FAILED_AROUND_CLASSIFIER = {
    "check_supervised_y_2d": (
        "MultiLabelLossClassifier reads a column vector as a one-label indicator, so no "
        "DataConversionWarning is raised (its own expected failure)."
    ),
}


if parse_version(sklearn.__version__) < parse_version("1.7"):
    EXPECTED_FAILED_AROUND_CLASSIFIER.update(
        {
            f"check_sample_weight_equivalence_on_{kind}_data": (
                "As MultiLabelLossClassifier's own check with scikit-learn 1.6 (test_common.py)."
            )
            for kind in ("dense", "sparse")
        }
    )


@parametrize_with_checks(
    [PerClassThresholdTuner(MultiLabelLossClassifier(), cv=2, random_state=0)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_AROUND_CLASSIFIER,
)
def test_sklearn_checks_around_the_classifier(estimator, check):
    check(estimator)


@pytest.mark.parametrize(
    "scoring, metric",
    [
        ("precision_macro", lambda y, p: precision_score(y, p, average="macro")),
        (make_scorer(jaccard_score, pos_label=1), lambda y, p: jaccard_score(y, p, pos_label=1)),
        (
            make_scorer(precision_score, pos_label=2),
            lambda y, p: precision_score(y, p, pos_label=2),
        ),
    ],
)
def test_binary_count_metrics_score_like_scikit_learn(binary, scoring, metric):
    X, y = binary
    y = y + 1
    model = LogisticRegression(C=0.05).fit(X[:100], y[:100])
    tuner = PerClassThresholdTuner(model, scoring=scoring, cv="prefit", refit=False)
    tuner.fit(X[100:], y[100:])
    assert tuner.best_score_ == pytest.approx(metric(y[100:], tuner.predict(X[100:])))
