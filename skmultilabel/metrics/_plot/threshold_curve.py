"""Per-label F-beta against the decision threshold, from the tuner's exact sweep."""

from numbers import Real

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from ...thresholds import PerClassThresholdTuner
from ...thresholds._binary_average import BinaryAverageFBeta
from ...thresholds._objectives import FBetaObjective, TuningData
from ...thresholds._response import label_scores, resolve_response_method
from ...utils import check_multilabel_target, check_sample_weights
from ...utils._sklearn_compat import check_matplotlib_support

__all__ = ["ThresholdCurveDisplay"]


def _metric_name(beta):
    return "F1" if beta == 1 else f"F{beta:g}"


def _label_curves(Y, scores, sample_weight, beta, labels):
    """Every selected label's F-beta at each distinct cut: the tuner's own exact sweep.

    Returns the curves (thresholds ascending) and the F-beta at the given thresholds,
    through a function ``at(thresholds)``.
    """
    data = TuningData(scores, Y, sample_weight)
    objective = FBetaObjective("macro", beta=beta)
    curves = [objective.label_search(data, None, c, store=True).curve for c in labels]

    def at(thresholds):
        predictions = data.predict(np.broadcast_to(thresholds, (data.n_labels,)))
        return objective.label_scores(data, predictions)[labels]

    return curves, at


def _check_labels(labels, n_labels):
    if labels is None:
        return np.arange(n_labels)
    labels = np.atleast_1d(np.asarray(labels))
    if labels.ndim != 1 or labels.size == 0 or labels.dtype.kind not in "iu":
        raise ValueError(
            f"labels must be a non-empty sequence of label column indices, got {labels!r}."
        )
    if labels.min() < 0 or labels.max() >= n_labels:
        raise ValueError(f"labels must lie in [0, {n_labels - 1}], got {labels.tolist()}.")
    return labels


def _check_scores(Y, scores):
    """0/1 targets as a boolean matrix and finite float scores of the same shape."""
    scores = np.asarray(scores)
    if scores.ndim == 1:
        scores = scores[:, None]
    if scores.ndim != 2 or scores.dtype.kind not in "iuf":
        raise ValueError(
            f"scores must be a numeric array of shape (n_samples, n_labels), got {scores.shape}."
        )
    Y = check_multilabel_target(Y, n_samples=scores.shape[0], dtype=bool, allow_1d=True)
    if Y.shape != scores.shape:
        raise ValueError(f"Y has shape {Y.shape} but scores have shape {scores.shape}.")
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores contain NaN or infinite values.")
    dtype = np.float32 if scores.dtype == np.float32 else np.float64
    return Y, np.ascontiguousarray(scores, dtype=dtype)


class ThresholdCurveDisplay:
    """Per-label score (F-beta by default) against the decision threshold.

    A sample is predicted positive for a label when its score is ``>=`` the
    threshold. The curves are the exact sort-and-count sweeps that
    :class:`~skmultilabel.PerClassThresholdTuner` maximises: one point per
    distinct cut of the sorted scores. Create the display with
    :meth:`from_estimator`, :meth:`from_predictions` or :meth:`from_cv_results`.

    Parameters
    ----------
    thresholds, scores : list of ndarray
        One curve per label: thresholds ascending and the score at each.
    label_names : list of str
        Legend entry of every curve.
    chosen_thresholds : ndarray of shape (n_curves,), default=None
        Thresholds to mark, one per curve.
    chosen_scores : ndarray of shape (n_curves,), default=None
        Score of every curve at its chosen threshold (the marker heights).
    metric_name : str, default="F1"
        Y axis label.
    global_curve : tuple of two ndarray, default=None
        (thresholds, scores) of one threshold shared by all labels, drawn dashed.
    global_name : str, default="one threshold for all labels"
        Legend entry of ``global_curve``.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        One curve per label.
    markers_ : matplotlib PathCollection or None
        The chosen thresholds.
    global_line_ : matplotlib Line2D or None
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    """

    def __init__(
        self, *, thresholds, scores, label_names, chosen_thresholds=None, chosen_scores=None,
        metric_name="F1", global_curve=None, global_name="one threshold for all labels",
    ):
        self.thresholds = thresholds
        self.scores = scores
        self.label_names = label_names
        self.chosen_thresholds = chosen_thresholds
        self.chosen_scores = chosen_scores
        self.metric_name = metric_name
        self.global_curve = global_curve
        self.global_name = global_name

    def plot(self, ax=None, *, title=None):
        """Draw the curves on ``ax`` (a new figure when None); return ``self``."""
        check_matplotlib_support(f"{type(self).__name__}.plot")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
        n_curves = len(self.label_names)
        # tab10 repeats after 10 curves; tab20 keeps up to 20 curves apart
        colors = plt.get_cmap("tab10" if n_curves <= 10 else "tab20").colors
        # The score is constant between neighbouring distinct input scores; each
        # cut sits midway, so "steps-mid" jumps near the input score itself.
        self.lines_ = [
            ax.plot(t, s, drawstyle="steps-mid", label=name, color=colors[k % len(colors)])[0]
            for k, (t, s, name) in enumerate(zip(self.thresholds, self.scores, self.label_names))
        ]
        self.global_line_ = None
        if self.global_curve is not None:
            (self.global_line_,) = ax.plot(
                *self.global_curve, drawstyle="steps-mid", color="black", linestyle="--",
                label=self.global_name,
            )
        self.markers_ = None
        if self.chosen_thresholds is not None:
            self.markers_ = ax.scatter(
                self.chosen_thresholds, self.chosen_scores, marker="o", s=40, zorder=3,
                facecolors=[line.get_color() for line in self.lines_], edgecolors="black",
                label="chosen threshold",
            )
        ax.set_xlabel("decision threshold (predicted positive when score >= threshold)")
        ax.set_ylabel(self.metric_name)
        if n_curves > 6:
            legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
        else:  # below the axes: the curves fill the plot area
            legend = ax.legend(
                loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3, fontsize="small",
                frameon=False,
            )
        if self.markers_ is not None:
            legend.legend_handles[-1].set_facecolor("white")
        if title is not None:
            ax.set_title(title)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_predictions(
        cls, Y, scores, *, labels=None, sample_weight=None, beta=1.0, thresholds=None,
        label_names=None, ax=None, title=None,
    ):
        """Plot every label's F-beta against its threshold from true labels and scores.

        Parameters
        ----------
        Y : array-like of shape (n_samples, n_labels) or (n_samples,)
            0/1 label indicator matrix (1-D: one binary label).
        scores : array-like of the shape of ``Y``
            Scores to threshold (probabilities or decision values).
        labels : array-like of int, default=None
            Label columns to draw; all by default.
        sample_weight : array-like of shape (n_samples,), default=None
        beta : float, default=1.0
        thresholds : array-like of shape (n_labels,), default=None
            Thresholds to mark (for instance a tuner's ``thresholds_``).
        label_names : list of str, default=None
            Names of all the labels; "label <c>" by default.
        ax : matplotlib Axes, default=None
        title : str, default=None

        Returns
        -------
        display : ThresholdCurveDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_predictions")
        Y, scores = _check_scores(Y, scores)
        return cls._from_scores(
            Y, scores, labels=labels, sample_weight=sample_weight, beta=beta,
            thresholds=thresholds, label_names=label_names, ax=ax, title=title,
        )

    @classmethod
    def _from_scores(
        cls, Y, scores, *, labels, sample_weight, beta, thresholds, label_names, ax, title
    ):
        n_labels = scores.shape[1]
        labels = _check_labels(labels, n_labels)
        if isinstance(beta, bool) or not isinstance(beta, Real) or not beta >= 0:
            raise ValueError(f"beta must be a non-negative number, got {beta!r}.")
        if sample_weight is not None:
            sample_weight = check_sample_weights(sample_weight, scores.shape[0])
        curves, at = _label_curves(Y, scores, sample_weight, float(beta), labels)
        chosen = chosen_scores = None
        if thresholds is not None:
            thresholds = np.asarray(thresholds, dtype=np.float64)
            if thresholds.shape != (n_labels,):
                raise ValueError(
                    f"thresholds must have shape ({n_labels},), got {thresholds.shape}."
                )
            chosen, chosen_scores = thresholds[labels], at(thresholds)
        display = cls(
            thresholds=[curve[0] for curve in curves], scores=[curve[1] for curve in curves],
            label_names=_names(label_names, n_labels, labels), chosen_thresholds=chosen,
            chosen_scores=chosen_scores, metric_name=_metric_name(float(beta)),
        )
        return display.plot(ax=ax, title=title)

    @classmethod
    def from_estimator(
        cls, estimator, X, Y, *, labels=None, response_method="auto", sample_weight=None,
        beta=None, label_names=None, ax=None, title=None,
    ):
        """Plot every label's F-beta against its threshold for a fitted model on ``X, Y``.

        Parameters
        ----------
        estimator : fitted classifier or fitted PerClassThresholdTuner
            Any multi-label model whose ``predict_proba`` or ``decision_function``
            gives an (n_samples, n_labels) array or a list of (n_samples, 2)
            arrays. A tuner's ``thresholds_`` are marked and its
            ``estimator_`` gives the scores (with the tuner's ``response_method_``).
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Y : array-like of shape (n_samples, n_labels) or (n_samples,)
        labels : array-like of int, default=None
            Label columns to draw; all by default.
        response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
            Ignored for a tuner.
        sample_weight : array-like of shape (n_samples,), default=None
        beta : float, default=None
            F-beta to draw; None is the tuner's beta when it tunes an F-measure, else 1.
        label_names : list of str, default=None
        ax : matplotlib Axes, default=None
        title : str, default=None

        Returns
        -------
        display : ThresholdCurveDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        tuner = estimator if isinstance(estimator, PerClassThresholdTuner) else None
        model, method = _scoring_model(estimator, tuner, response_method)
        binary = np.ndim(Y) == 1
        positive = 1
        if binary and tuner is not None and tuner._is_binary():  # class labels -> 0/1
            positive = int(np.flatnonzero(tuner.classes_ == tuner.pos_label_)[0])
            Y = np.asarray(Y) == tuner.pos_label_
        Y_checked = check_multilabel_target(Y, dtype=bool, allow_1d=True)
        n_labels = Y_checked.shape[1]
        thresholds = None if tuner is None else tuner.thresholds_
        if beta is None:
            beta = 1.0 if tuner is None else _tuner_beta(tuner)
        scores = label_scores(model, X, method, n_labels, binary, positive)
        Y_checked, scores = _check_scores(Y_checked, scores)
        return cls._from_scores(
            Y_checked, scores, labels=labels, sample_weight=sample_weight,
            beta=beta, thresholds=thresholds,
            label_names=label_names, ax=ax, title=title,
        )

    @classmethod
    def from_cv_results(
        cls, tuner, *, labels=None, plot_global=True, label_names=None, ax=None, title=None
    ):
        """Plot the out-of-fold curves a tuner fitted with ``store_cv_results=True`` searched.

        For a macro/weighted/binary F-measure each curve is the label's own
        F-beta; for other objectives it is the objective as that label's
        threshold varies with the others at ``thresholds_`` (see the tuner's
        ``cv_results_``). The chosen thresholds are marked.

        Parameters
        ----------
        tuner : fitted PerClassThresholdTuner
        labels : array-like of int, default=None
            Label columns to draw; all by default.
        plot_global : bool, default=True
            Also draw the objective of one threshold shared by all labels (dashed).
        label_names : list of str, default=None
        ax : matplotlib Axes, default=None
        title : str, default=None

        Returns
        -------
        display : ThresholdCurveDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_cv_results")
        if not isinstance(tuner, PerClassThresholdTuner):
            raise TypeError(
                "from_cv_results needs a PerClassThresholdTuner, "
                f"got {type(tuner).__name__}."
            )
        check_is_fitted(tuner, "thresholds_")
        if not hasattr(tuner, "cv_results_"):
            raise AttributeError(
                "The tuner has no cv_results_: fit it with store_cv_results=True "
                "to plot its curves."
            )
        results = tuner.cv_results_
        n_labels = len(results["thresholds"])
        labels = _check_labels(labels, n_labels)
        curves = list(zip(results["thresholds"], results["scores"]))
        chosen_scores = np.array([
            _value_at(*curves[c], tuner.thresholds_[c]) for c in labels
        ])
        name = _objective_name(tuner)
        display = cls(
            thresholds=[curves[c][0] for c in labels], scores=[curves[c][1] for c in labels],
            label_names=_names(label_names, n_labels, labels),
            chosen_thresholds=tuner.thresholds_[labels], chosen_scores=chosen_scores,
            metric_name=f"{name} (out-of-fold)",
            global_curve=(
                (results["global_thresholds"], results["global_scores"]) if plot_global else None
            ),
            global_name=f"{_scoring_name(tuner)}, one threshold for all labels",
        )
        return display.plot(ax=ax, title=title)


def _scoring_model(estimator, tuner, response_method):
    """The fitted model whose scores are thresholded, and its response method."""
    if tuner is not None:
        check_is_fitted(tuner, "thresholds_")
        return tuner.estimator_, tuner.response_method_
    try:
        check_is_fitted(estimator)
    except NotFittedError as exc:
        raise NotFittedError(
            f"{type(estimator).__name__} is not fitted: fit it before plotting its thresholds."
        ) from exc
    return estimator, resolve_response_method(estimator, response_method)


def _value_at(thresholds, scores, threshold):
    """Score of the curve point nearest to ``threshold``.

    That is the height of the drawn "steps-mid" line there (the tuner's choices are
    curve points, except the global threshold given to rare labels).
    """
    return scores[int(np.argmin(np.abs(thresholds - threshold)))]


def _tuner_beta(tuner):
    """The beta of the F-measure the tuner maximised (its ``objective_``), else 1."""
    objective = tuner.objective_
    return objective.beta if isinstance(objective, (FBetaObjective, BinaryAverageFBeta)) else 1.0


def _objective_name(tuner):
    objective = tuner.objective_
    if isinstance(objective, FBetaObjective):
        name = _metric_name(objective.beta)
        return name if objective.decomposable else f"{name} {objective.average}"
    return _scoring_name(tuner)


def _scoring_name(tuner):
    return tuner.scoring if isinstance(tuner.scoring, str) else "objective"


def _names(label_names, n_labels, labels):
    if label_names is None:
        return [f"label {c}" for c in labels]
    label_names = list(label_names)
    if len(label_names) != n_labels:
        raise ValueError(f"label_names must name all {n_labels} labels, got {len(label_names)}.")
    return [str(label_names[c]) for c in labels]
