"""LabelStackingClassifier: out-of-fold stacking, sparse input, meta-estimator interplay."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.multioutput import MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabel import (
    LabelStackingClassifier,
    MultiLabelLossClassifier,
    PerClassThresholdTuner,
)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

LINEAR = MultiLabelLossClassifier(alpha=1e-4)


def and_data(n_samples, seed):
    """Labels 0 and 1 are half-spaces of X (with a margin); label 2 is their AND."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 4))
    X[:, :2] += np.sign(X[:, :2]) * 0.5
    Y = np.zeros((n_samples, 3), dtype=np.int64)
    Y[:, 0], Y[:, 1] = X[:, 0] > 0, X[:, 1] > 0
    Y[:, 2] = Y[:, 0] & Y[:, 1]
    return X, Y


class Recorder(ClassifierMixin, BaseEstimator):
    """A final estimator that keeps the features it was fitted on (and predicts zeros)."""

    def fit(self, X, y):
        self.X_fit_ = X.copy()
        self.n_labels_ = np.shape(y)[1]
        return self

    def predict(self, X):
        return np.zeros((X.shape[0], self.n_labels_), dtype=np.int64)


def test_stacking_recovers_a_label_that_is_a_function_of_two_others():
    X, Y = and_data(400, 0)
    X_test, Y_test = and_data(400, 1)
    plain = clone(LINEAR).fit(X, Y).predict(X_test)
    stacked = LabelStackingClassifier(LINEAR, cv=3, random_state=0).fit(X, Y).predict(X_test)
    assert f1_score(Y_test[:, 2], stacked[:, 2]) > 0.97
    assert f1_score(Y_test[:, 2], plain[:, 2]) < 0.93  # an AND of half-spaces is not linear in X


@pytest.mark.parametrize("passthrough", [True, False])
def test_final_level_is_trained_on_out_of_fold_scores(passthrough):
    X, _ = and_data(60, 2)
    Y = np.random.default_rng(2).integers(0, 2, size=(60, 3))  # noise: 1-NN cannot predict it
    first = KNeighborsClassifier(n_neighbors=1)  # in-sample scores would equal Y exactly
    cv = KFold(3, shuffle=True, random_state=0)
    stacker = LabelStackingClassifier(first, final_estimator=Recorder(), cv=cv,
                                      passthrough=passthrough).fit(X, Y)
    expected = np.empty(Y.shape)
    for train, test in cv.split(X):
        proba = clone(first).fit(X[train], Y[train]).predict_proba(X[test])
        expected[test] = np.column_stack([p[:, 1] for p in proba])
    assert not np.array_equal(expected, Y)  # the check below can tell in-sample from out-of-fold
    features = stacker.final_estimator_.X_fit_
    np.testing.assert_array_equal(features[:, -3:], expected)
    if passthrough:
        np.testing.assert_array_equal(features[:, :-3], X)
    else:
        assert features.shape == Y.shape


def test_default_final_estimator_is_a_clone_of_the_first():
    X, Y = and_data(60, 3)
    stacker = LabelStackingClassifier(LINEAR, cv=2, random_state=0).fit(X, Y)
    assert stacker.final_estimator_ is not LINEAR and stacker.estimator_ is not LINEAR
    assert stacker.final_estimator_.get_params() == LINEAR.get_params()
    assert stacker.final_estimator_.coef_.shape == (3, X.shape[1] + 3)
    assert stacker.estimator_.coef_.shape == (3, X.shape[1])
    assert not hasattr(LINEAR, "coef_")


@pytest.mark.parametrize("container", [sp.csr_matrix, sp.csr_array, sp.csc_matrix])
def test_sparse_X_stays_sparse(container):
    X, Y = and_data(80, 4)
    X_sparse = container(np.where(np.abs(X) > 1, X, 0.0))
    recorder = LabelStackingClassifier(LINEAR, final_estimator=Recorder(), cv=2, random_state=0)
    features = recorder.fit(X_sparse, Y).final_estimator_.X_fit_
    assert sp.issparse(features) and type(features) is type(X_sparse)
    assert features.shape == (80, X.shape[1] + 3)
    sparse_model = LabelStackingClassifier(LINEAR, cv=2, random_state=0).fit(X_sparse, Y)
    dense_model = LabelStackingClassifier(LINEAR, cv=2, random_state=0).fit(X_sparse.toarray(), Y)
    np.testing.assert_allclose(sparse_model.predict_proba(X_sparse),
                               dense_model.predict_proba(X_sparse.toarray()), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("first", [
    MultiOutputClassifier(LogisticRegression()),  # a list of (n_samples, 2) probabilities
    KNeighborsClassifier(n_neighbors=5),  # native multi-label, list output
    make_pipeline(StandardScaler(), MultiLabelLossClassifier()),
], ids=["MultiOutputClassifier", "KNeighborsClassifier", "Pipeline"])
def test_any_multilabel_estimator_with_scores(first):
    X, Y = and_data(90, 5)
    stacker = LabelStackingClassifier(first, cv=3, random_state=0).fit(X, Y)
    assert stacker.predict(X).shape == Y.shape
    assert stacker.response_method_ == "predict_proba"
    assert f1_score(Y, stacker.predict(X), average="micro") > 0.8


def test_decision_function_scores_are_stacked():
    X, Y = and_data(60, 6)
    stacker = LabelStackingClassifier(LINEAR, final_estimator=Recorder(), cv=2,
                                      response_method="decision_function", random_state=0)
    features = stacker.fit(X, Y).final_estimator_.X_fit_
    scores = features[:, -3:]
    assert np.any(scores < 0) and np.any(scores > 1)  # logits, not probabilities


def test_inside_tuner_pipeline_and_grid_search():
    X, Y = and_data(120, 7)
    stacker = LabelStackingClassifier(LINEAR, cv=2, random_state=0)
    tuner = PerClassThresholdTuner(make_pipeline(StandardScaler(), stacker), cv=2, random_state=0)
    assert tuner.fit(X, Y).predict(X).shape == Y.shape
    assert tuner.thresholds_.shape == (3,)
    grid = {"estimator__alpha": [1e-4, 1.0], "passthrough": [True, False]}
    search = GridSearchCV(stacker, grid, cv=KFold(2), scoring="f1_macro").fit(X, Y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_estimator_.final_estimator_.get_params()["alpha"] in (1e-4, 1.0)


def test_binary_target():
    X, Y = and_data(80, 8)
    y = np.where(Y[:, 2] == 1, "yes", "no")
    stacker = LabelStackingClassifier(LogisticRegression(), cv=2).fit(X, y)
    assert list(stacker.classes_) == ["no", "yes"]
    assert stacker.predict_proba(X).shape == (80, 2)
    assert set(stacker.predict(X)) <= {"no", "yes"}


def test_clone_and_pickle_keep_predictions():
    X, Y = and_data(60, 9)
    stacker = LabelStackingClassifier(LINEAR, cv=2, random_state=0).fit(X, Y)
    restored = pickle.loads(pickle.dumps(stacker))
    np.testing.assert_array_equal(restored.predict_proba(X), stacker.predict_proba(X))
    fresh = clone(stacker)
    assert not hasattr(fresh, "final_estimator_")
    np.testing.assert_array_equal(fresh.fit(X, Y).predict_proba(X), stacker.predict_proba(X))


def test_failed_fit_keeps_previous_state():
    X, Y = and_data(60, 10)
    stacker = LabelStackingClassifier(LINEAR, cv=2, random_state=0).fit(X, Y)
    before = stacker.predict_proba(X)
    with pytest.raises(ValueError, match="0/1 label indicator"):
        stacker.fit(X[:, :2], Y * 2)
    assert stacker.n_features_in_ == X.shape[1]
    np.testing.assert_array_equal(stacker.predict_proba(X), before)


def test_final_estimator_without_scores_has_no_predict_proba():
    class Predictor(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            return self

        def predict(self, X):
            return np.zeros((X.shape[0], 3), dtype=np.int64)

    stacker = LabelStackingClassifier(LINEAR, final_estimator=Predictor())
    assert not hasattr(stacker, "predict_proba") and not hasattr(stacker, "decision_function")
    assert hasattr(LabelStackingClassifier(LINEAR), "predict_proba")
