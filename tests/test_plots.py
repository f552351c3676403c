"""Displays: rendered with Agg, line data checked against plain-NumPy references."""

import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import fbeta_score, make_scorer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier

from skmultilabel import MultiLabelLossClassifier, PerClassThresholdTuner
from skmultilabel.metrics import ThresholdCurveDisplay, TrainingCurveDisplay

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data():
    X, Y = make_multilabel_classification(
        n_samples=150, n_features=6, n_classes=4, n_labels=2, random_state=0
    )
    return X, Y


@pytest.fixture(scope="module")
def tuner(data):
    X, Y = data
    model = OneVsRestClassifier(LogisticRegression())
    tuner = PerClassThresholdTuner(
        model, cv=3, store_cv_results=True, random_state=0, margin=0
    )
    return tuner.fit(X, Y)


def reference_fbeta(truth, scores, threshold, beta=1.0):
    """F-beta of one label predicted positive when score >= threshold."""
    return fbeta_score(truth, scores >= threshold, beta=beta, zero_division=0.0)


def reference_cuts(scores):
    """Every distinct cut: one below the lowest score, one between each pair, one above."""
    distinct = np.unique(scores)
    return distinct.size + 1


def check_lines_are_sweeps(display, Y, scores, labels, beta=1.0):
    assert len(display.lines_) == len(labels)
    for line, c in zip(display.lines_, labels):
        thresholds, values = line.get_xdata(), line.get_ydata()
        assert np.all(np.diff(thresholds) > 0)
        assert thresholds.size == reference_cuts(scores[:, c])
        expected = [reference_fbeta(Y[:, c], scores[:, c], t, beta) for t in thresholds]
        np.testing.assert_allclose(values, expected, rtol=1e-12, atol=1e-12)


def test_from_predictions_lines_and_markers(data, tmp_path):
    X, Y = data
    scores = np.random.default_rng(0).random(Y.shape)
    scores[:10] = np.round(scores[:10], 1)  # ties switch together
    chosen = np.array([0.2, 0.4, 0.5, 0.7])
    display = ThresholdCurveDisplay.from_predictions(Y, scores, thresholds=chosen)
    check_lines_are_sweeps(display, Y, scores, range(4))
    offsets = display.markers_.get_offsets()
    np.testing.assert_allclose(offsets[:, 0], chosen)
    expected = [reference_fbeta(Y[:, c], scores[:, c], chosen[c]) for c in range(4)]
    np.testing.assert_allclose(offsets[:, 1], expected, rtol=1e-12)
    assert display.ax_.get_ylabel() == "F1"
    assert "threshold" in display.ax_.get_xlabel()
    assert [text.get_text() for text in display.ax_.get_legend().get_texts()] == [
        "label 0", "label 1", "label 2", "label 3", "chosen threshold"
    ]
    assert display.figure_ is display.ax_.figure
    display.figure_.savefig(tmp_path / "from_predictions.png")
    assert (tmp_path / "from_predictions.png").stat().st_size > 0


def test_from_predictions_beta_labels_names_and_weights(data):
    _, Y = data
    scores = np.random.default_rng(1).random(Y.shape)
    display = ThresholdCurveDisplay.from_predictions(
        Y, scores, beta=2.0, labels=[2, 0], label_names=["a", "b", "c", "d"]
    )
    check_lines_are_sweeps(display, Y, scores, [2, 0], beta=2.0)
    assert display.ax_.get_ylabel() == "F2"
    assert [line.get_label() for line in display.lines_] == ["c", "a"]
    assert display.markers_ is None
    # integer sample weights equal repeated rows
    weight = np.arange(Y.shape[0]) % 3
    weighted = ThresholdCurveDisplay.from_predictions(Y, scores, sample_weight=weight, labels=[1])
    repeated = ThresholdCurveDisplay.from_predictions(
        np.repeat(Y, weight, axis=0), np.repeat(scores, weight, axis=0), labels=[1]
    )
    np.testing.assert_allclose(weighted.lines_[0].get_ydata(), repeated.lines_[0].get_ydata())


def test_from_predictions_binary_1d():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 60)
    scores = rng.normal(size=60)
    display = ThresholdCurveDisplay.from_predictions(y, scores)
    check_lines_are_sweeps(display, y[:, None], scores[:, None], [0])


def test_from_estimator_tuner_marks_its_thresholds(data, tuner, tmp_path):
    X, Y = data
    display = ThresholdCurveDisplay.from_estimator(tuner, X, Y)
    scores = tuner.estimator_.predict_proba(X)
    check_lines_are_sweeps(display, Y, scores, range(4))
    np.testing.assert_array_equal(display.markers_.get_offsets()[:, 0], tuner.thresholds_)
    display.figure_.savefig(tmp_path / "from_estimator.png")


def test_from_estimator_list_outputs_and_plain_arrays_agree(data):
    X, Y = data
    forest_like = MultiOutputClassifier(LogisticRegression()).fit(X, Y)  # list of (n, 2)
    one_vs_rest = OneVsRestClassifier(LogisticRegression()).fit(X, Y)  # (n, L) array
    a = ThresholdCurveDisplay.from_estimator(forest_like, X, Y, labels=[0, 3])
    b = ThresholdCurveDisplay.from_estimator(one_vs_rest, X, Y, labels=[0, 3])
    scores = np.column_stack([p[:, 1] for p in forest_like.predict_proba(X)])
    check_lines_are_sweeps(a, Y, scores, [0, 3])
    for line_a, line_b in zip(a.lines_, b.lines_):
        np.testing.assert_allclose(line_a.get_ydata(), line_b.get_ydata())
    decision = ThresholdCurveDisplay.from_estimator(
        one_vs_rest, X, Y, response_method="decision_function", labels=[1]
    )
    check_lines_are_sweeps(decision, Y, one_vs_rest.decision_function(X), [1])


def test_from_estimator_binary_tuner_with_class_labels():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 3))
    y = np.where(X[:, 0] + rng.normal(size=80) > 0, "yes", "no")
    scoring = make_scorer(fbeta_score, beta=2.0, pos_label="yes")
    tuner = PerClassThresholdTuner(LogisticRegression(), cv=2, scoring=scoring).fit(X, y)
    display = ThresholdCurveDisplay.from_estimator(tuner, X, y)
    truth = (y == "yes")[:, None]
    check_lines_are_sweeps(display, truth, tuner.predict_proba(X)[:, 1:], [0], beta=2.0)
    assert display.ax_.get_ylabel() == "F2"


def test_from_cv_results(tuner, tmp_path):
    display = ThresholdCurveDisplay.from_cv_results(tuner, label_names=["w", "x", "y", "z"])
    results = tuner.cv_results_
    for line, t, s in zip(display.lines_, results["thresholds"], results["scores"]):
        np.testing.assert_array_equal(line.get_xdata(), t)
        np.testing.assert_array_equal(line.get_ydata(), s)
    np.testing.assert_array_equal(display.global_line_.get_xdata(), results["global_thresholds"])
    np.testing.assert_array_equal(display.global_line_.get_ydata(), results["global_scores"])
    offsets = display.markers_.get_offsets()
    np.testing.assert_array_equal(offsets[:, 0], tuner.thresholds_)
    # macro F1 with margin=0: every label's own curve peaks at the chosen threshold
    np.testing.assert_allclose(offsets[:, 1], [s.max() for s in results["scores"]])
    np.testing.assert_allclose(offsets[:, 1], tuner.label_scores_)
    assert display.ax_.get_ylabel() == "F1 (out-of-fold)"
    assert display.global_line_.get_label() == "f1_macro, one threshold for all labels"
    display.figure_.savefig(tmp_path / "from_cv_results.png")
    subset = ThresholdCurveDisplay.from_cv_results(tuner, labels=[1], plot_global=False)
    assert len(subset.lines_) == 1 and subset.global_line_ is None


def test_from_cv_results_micro_names_the_objective(data):
    X, Y = data
    tuner = PerClassThresholdTuner(
        OneVsRestClassifier(LogisticRegression()), scoring="f1_micro", cv=2, store_cv_results=True,
        random_state=0,
    ).fit(X, Y)
    display = ThresholdCurveDisplay.from_cv_results(tuner)
    assert display.ax_.get_ylabel() == "F1 micro (out-of-fold)"
    # coupled objective: each curve's value at the chosen threshold is the tuner's best score
    np.testing.assert_allclose(display.markers_.get_offsets()[:, 1], tuner.best_score_)


def test_threshold_display_errors(data, tuner):
    X, Y = data
    unfitted = OneVsRestClassifier(LogisticRegression())
    with pytest.raises(NotFittedError, match="not fitted"):
        ThresholdCurveDisplay.from_estimator(unfitted, X, Y)
    with pytest.raises(NotFittedError):
        ThresholdCurveDisplay.from_estimator(PerClassThresholdTuner(unfitted), X, Y)
    with pytest.raises(NotFittedError):
        ThresholdCurveDisplay.from_cv_results(PerClassThresholdTuner(unfitted))
    no_results = PerClassThresholdTuner(LogisticRegression(), cv=2).fit(X, Y[:, 0])
    with pytest.raises(AttributeError, match="store_cv_results=True"):
        ThresholdCurveDisplay.from_cv_results(no_results)
    with pytest.raises(TypeError, match="PerClassThresholdTuner"):
        ThresholdCurveDisplay.from_cv_results(tuner.estimator_)
    with pytest.raises(ValueError, match="expected one score per label"):
        ThresholdCurveDisplay.from_estimator(tuner.estimator_, X, Y[:, :3])
    scores = np.random.default_rng(0).random(Y.shape)
    with pytest.raises(ValueError, match="shape"):
        ThresholdCurveDisplay.from_predictions(Y, scores[:, :3])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        ThresholdCurveDisplay.from_predictions(Y[:-1], scores)
    with pytest.raises(ValueError, match="0/1"):
        ThresholdCurveDisplay.from_predictions(Y * 2, scores)
    bad = scores.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        ThresholdCurveDisplay.from_predictions(Y, bad)
    with pytest.raises(ValueError, match="labels must lie"):
        ThresholdCurveDisplay.from_predictions(Y, scores, labels=[4])
    with pytest.raises(ValueError, match="beta must be"):
        ThresholdCurveDisplay.from_predictions(Y, scores, beta=-1.0)
    with pytest.raises(ValueError, match="label_names"):
        ThresholdCurveDisplay.from_predictions(Y, scores, label_names=["a"])
    with pytest.raises(ValueError, match="thresholds must have shape"):
        ThresholdCurveDisplay.from_predictions(Y, scores, thresholds=[0.5])
    original = scores.copy()
    ThresholdCurveDisplay.from_predictions(Y, scores)
    np.testing.assert_array_equal(scores, original)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_training_curve_display_with_early_stopping(data, tmp_path):
    X, Y = data
    model = MultiLabelLossClassifier(
        solver="adam", early_stopping=True, max_iter=8, n_iter_no_change=50, random_state=0
    ).fit(X, Y)
    display = TrainingCurveDisplay.from_estimator(model)
    np.testing.assert_array_equal(display.line_.get_ydata(), model.loss_curve_)
    np.testing.assert_array_equal(display.line_.get_xdata(), np.arange(1, model.n_iter_ + 1))
    np.testing.assert_array_equal(display.validation_line_.get_ydata(), model.validation_scores_)
    labels = [text.get_text() for text in display.ax_.get_legend().get_texts()]
    assert labels == ["MultiLabelLossClassifier", "validation score"]
    assert display.ax_.get_xlabel() == "iteration"
    display.figure_.savefig(tmp_path / "training_curve.png")


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_training_curve_display_without_validation(data):
    X, Y = data
    model = MultiLabelLossClassifier(max_iter=5).fit(X, Y)
    display = TrainingCurveDisplay.from_estimator(model, name="lbfgs")
    assert display.validation_line_ is None
    np.testing.assert_array_equal(display.line_.get_ydata(), model.loss_curve_)
    assert display.line_.get_label() == "lbfgs"
    with pytest.raises(TypeError, match="loss_curve_"):
        TrainingCurveDisplay.from_estimator(MultiLabelLossClassifier())


def test_importing_metrics_does_not_import_matplotlib():
    code = "import sys, skmultilabel.metrics; print('matplotlib' in sys.modules)"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    ).stdout.strip()
    assert output == "False"
