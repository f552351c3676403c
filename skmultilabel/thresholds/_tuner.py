"""PerClassThresholdTuner: exact, cross-validated decision thresholds for multi-label models."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import get_scorer_names
from sklearn.model_selection import StratifiedShuffleSplit, check_cv
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    check_is_fitted,
    column_or_1d,
    has_fit_parameter,
    indexable,
)

from ..model_selection import MultilabelStratifiedShuffleSplit
from ..model_selection._stratified import default_cv
from ..utils import check_binary_or_multilabel_target, check_sample_weights
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    _check_method_params,
    _estimator_has,
    _fit_context,
    _num_samples,
    _routing_enabled,
    _safe_indexing,
)
from ..utils._tags import wrapped_estimator_tags
from ._objectives import TuningData
from ._response import label_scores, resolve_response_method
from ._scoring import positive_class, resolve_objective
from ._search import search_thresholds

__all__ = ["PerClassThresholdTuner"]


def _fit_fold(estimator, X, y, fit_params, train, test, scoring_options, verbose):
    """Fit a clone on ``train``; return it with its scores on ``test``."""
    fit_params = _check_method_params(X, fit_params, indices=train)
    estimator.fit(_safe_indexing(X, train), _safe_indexing(y, train), **fit_params)
    scores = label_scores(estimator, _safe_indexing(X, test), **scoring_options)
    if verbose:
        print(f"[PerClassThresholdTuner] fold fitted on {len(train)} samples, scored {len(test)}")
    return estimator, scores


class PerClassThresholdTuner(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Tune one decision threshold per label of a multi-label (or binary) classifier.

    Out-of-fold scores are pooled over the cross-validation folds, then the
    thresholds maximising ``scoring`` are searched on them: exactly for the
    F-measures (every distinct cut of the sorted scores is evaluated and the
    threshold placed midway between neighbouring distinct scores), on a grid
    for other metrics. Per-label thresholds of macro or weighted F-beta then
    keep the global threshold unless the label's own cut gains more than the
    noise ``margin`` (one standard error by default). A sample is predicted
    positive for label ``c`` when its score is ``>= thresholds_[c]``.

    A binary ``y`` is scored as scikit-learn's ``TunedThresholdClassifierCV``
    scores it: the thresholded score is that of the scorer's ``pos_label``
    (``pos_label_``; 1 by default for "f1", "precision", ...: an error when 1
    is not a class), and "f1_macro", "f1_weighted", "f1_micro" average both
    classes ("f1_micro" is the accuracy). Deliberate differences from
    ``TunedThresholdClassifierCV``: the search is exact on the pooled
    out-of-fold scores (not a grid averaged over folds); ``sample_weight`` is
    a parameter of ``fit`` that always weights the threshold search (with
    metadata routing it reaches ``estimator.fit`` only when requested; without
    routing, when ``estimator.fit`` takes it, else a ``UserWarning``), and
    without routing ``groups`` goes to the splitter rather than raising.

    Parameters
    ----------
    estimator : estimator instance
        Classifier with ``predict_proba`` or ``decision_function`` giving one
        score per label: an (n_samples, n_labels) array or a list of
        (n_samples, 2) arrays; for a binary ``y`` the usual binary outputs.
    scoring : str or callable, default="f1_macro"
        Objective. "f1_macro", "f1_weighted" (each label's F1 maximised on its
        own), "f1_micro", "f1_samples" (coordinate ascent on the coupled
        objective from the best global threshold, each step an exact sweep),
        "f1" for a binary ``y``, a ``make_scorer(f1_score | fbeta_score, ...)``
        scorer (F-beta with its ``beta`` and ``average``; exact), the
        precision, recall and Jaccard scorers of any average, "balanced_accuracy"
        and "matthews_corrcoef" for a binary ``y`` (exact: every cut of the
        sorted scores, coupled averages by coordinate ascent), any other
        scikit-learn scorer of predictions (grid search, see ``thresholds``),
        or a callable ``metric(y_true, y_pred) -> float`` (greater is better).
    response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        Scores to threshold; "auto" tries ``predict_proba`` then ``decision_function``.
    thresholds : int or array-like, default=100
        Candidate thresholds of grid-searched metrics: the number of evenly
        spaced values between a label's lowest and highest score, or the
        values. Unused by the exactly searched metrics.
    strategy : {"per_class", "global", "fixed"}, default="per_class"
        One threshold per label, one threshold shared by all labels, or
        ``fixed_threshold`` for every label.
    fixed_threshold : "auto" or float, default="auto"
        Cut-off of ``strategy="fixed"``; "auto" is 0.5 for ``predict_proba``,
        0.0 for ``decision_function``.
    beta : float, default=None
        F-beta with the "f1*" scorer names (None is 1).
    min_positives : int, default=5
        A label with fewer positive samples in the tuning data gets the global
        threshold of the objective instead of its own (``strategy="per_class"``);
        a ``UserWarning`` lists such labels.
    margin : "std_error" or float, default="std_error"
        Noise margin of per-label thresholds for "f1_macro", "f1_weighted" and
        F-beta with these averages: among the cuts whose out-of-fold score for
        the label is within ``margin`` of the label's best, the one closest to
        the global threshold of the objective is taken (the global threshold
        itself when it qualifies). "std_error": one standard error of the
        label's best score (delta method; the one-standard-error rule). 0:
        every label at its exact maximiser. No effect on a binary target nor
        on the coupled objectives ("f1_micro", "f1_samples"), whose coordinate
        ascent starts from the global threshold.
    cv : int, cross-validation generator, iterable, float or "prefit", default=None
        None or int: that many folds (default 5; ``StratifiedKFold`` for a
        binary ``y``, shuffled :class:`~skmultilabel.model_selection.MultilabelStratifiedKFold`
        for a multi-label ``Y``). A float in (0, 1): one stratified shuffled split
        with that fraction for tuning. "prefit": the
        fitted ``estimator`` is used as is and tuned on the data given to fit.
    refit : bool, default=True
        Refit the estimator on all the data. Must be False with "prefit";
        cannot be False with several folds.
    n_jobs : int, default=None
        Parallel jobs for the fold fits (joblib).
    random_state : int, RandomState instance or None, default=None
        Shuffling of the default multi-label folds and of the split when ``cv`` is a float.
    store_cv_results : bool, default=False
        Store the score curves in ``cv_results_``.
    verbose : int, default=0
        Print fold progress when positive.

    Attributes
    ----------
    estimator_ : estimator instance
        The fitted classifier used by ``predict``.
    thresholds_ : ndarray of shape (n_labels,)
        Decision threshold of every label (one entry for a binary ``y``).
    best_score_ : float
        Objective on the pooled out-of-fold scores at ``thresholds_``.
    label_scores_ : ndarray of shape (n_labels,)
        Every label's own score at its threshold (its F-beta for F-measure
        objectives, the metric on that label alone otherwise, NaN if undefined).
    rare_labels_ : ndarray of int
        Labels that received the global threshold (fewer than ``min_positives``).
    objective_ : object
        The objective ``scoring`` resolved to and the search maximised: an
        exact F-beta (attributes ``average``, ``beta``, ``zero_division``) or
        a grid-searched metric.
    cv_results_ : dict
        Only with ``store_cv_results=True``. ``"thresholds"`` and ``"scores"``:
        lists of one 1-D array per label (thresholds ascending) holding the
        score as that label's threshold varies with the others at
        ``thresholds_`` (the label's own F-beta for macro/weighted/binary
        F-measures, the objective otherwise). ``"global_thresholds"`` and
        ``"global_scores"``: the objective of one threshold shared by all labels.
    response_method_ : str
        The method whose scores are thresholded.
    classes_ : ndarray
        The two classes for a binary ``y``; ``arange(n_labels)`` for multi-label ``Y``.
    pos_label_ : object
        Binary ``y``: the class whose score is thresholded. None for multi-label ``Y``.
    outputs_2d_ : bool
        ``y`` was 2-D (an indicator matrix or a column vector): ``predict``
        returns 2-D predictions too.
    n_features_in_ : int
        Number of features seen by the estimator (when it exposes it).
    feature_names_in_ : ndarray of str
        Feature names seen by the estimator (when it exposes them).
    """

    _parameter_constraints: dict = {
        "estimator": [
            HasMethods(["fit", "predict_proba"]), HasMethods(["fit", "decision_function"])
        ],
        "scoring": [StrOptions(set(get_scorer_names())), callable],
        "response_method": [StrOptions({"auto", "predict_proba", "decision_function"})],
        "thresholds": [Interval(Integral, 2, None, closed="left"), "array-like"],
        "strategy": [StrOptions({"per_class", "global", "fixed"})],
        "fixed_threshold": [StrOptions({"auto"}), Real],
        "beta": [Interval(Real, 0, None, closed="left"), None],
        "min_positives": [Interval(Integral, 0, None, closed="left")],
        "margin": [StrOptions({"std_error"}), Interval(Real, 0, None, closed="left")],
        "cv": [
            "cv_object", StrOptions({"prefit"}), Interval(RealNotInt, 0.0, 1.0, closed="neither")
        ],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "store_cv_results": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        *,
        scoring="f1_macro",
        response_method="auto",
        thresholds=100,
        strategy="per_class",
        fixed_threshold="auto",
        beta=None,
        min_positives=5,
        margin="std_error",
        cv=None,
        refit=True,
        n_jobs=None,
        random_state=None,
        store_cv_results=False,
        verbose=0,
    ):
        self.estimator = estimator
        self.scoring = scoring
        self.response_method = response_method
        self.thresholds = thresholds
        self.strategy = strategy
        self.fixed_threshold = fixed_threshold
        self.beta = beta
        self.min_positives = min_positives
        self.margin = margin
        self.cv = cv
        self.refit = refit
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.store_cv_results = store_cv_results
        self.verbose = verbose

    def _encode_target(self, y, n_samples):
        """Return (classes, Y as a boolean matrix or None, binary flag)."""
        if n_samples < 2:
            raise ValueError(
                f"Threshold tuning needs at least 2 samples; got n_samples={n_samples}."
            )
        y, classes, binary = check_binary_or_multilabel_target(y, n_samples, type(self).__name__)
        return classes, None if binary else y, binary

    def _splits(self, X, y, Y, binary, split_params):
        if isinstance(self.cv, Real) and not isinstance(self.cv, (bool, Integral)):
            splitter = StratifiedShuffleSplit if binary else MultilabelStratifiedShuffleSplit
            cv = splitter(n_splits=1, test_size=self.cv, random_state=self.random_state)
        elif self.cv is None or isinstance(self.cv, Integral):
            cv = default_cv(5 if self.cv is None else self.cv, binary, self.random_state)
        else:
            cv = check_cv(self.cv, y=y if binary else Y, classifier=True)
        target = y if binary else Y
        if not self.refit and cv.get_n_splits(X, target, **split_params) > 1:
            raise ValueError("When cv has several folds, refit cannot be False.")
        return list(cv.split(X, target, **split_params))

    def _route(self, sample_weight, params):
        """Parameters of ``estimator.fit`` and of the splitter's ``split``.

        With metadata routing enabled, as requested (``set_fit_request``,
        ``set_split_request``). Without: ``groups`` goes to the splitter, the
        rest to ``estimator.fit``, and ``sample_weight`` too when the
        estimator's ``fit`` takes it; otherwise a ``UserWarning`` says that
        only the threshold search is weighted.
        """
        if _routing_enabled():
            routed = process_routing(self, "fit", sample_weight=sample_weight, **params)
            return dict(routed.estimator.fit), dict(routed.splitter.split)
        fit_params = dict(params)
        split_params = {"groups": fit_params.pop("groups")} if "groups" in fit_params else {}
        if sample_weight is not None:
            if has_fit_parameter(self.estimator, "sample_weight"):
                fit_params["sample_weight"] = sample_weight
            else:
                warnings.warn(
                    f"{type(self.estimator).__name__}.fit does not declare sample_weight "
                    "(e.g. a Pipeline or OneVsRestClassifier), so the fold fits are "
                    "unweighted and only the threshold search is weighted. Enable metadata "
                    "routing (sklearn.set_config(enable_metadata_routing=True)) and request "
                    "sample_weight with set_fit_request to weight the fits too.",
                    UserWarning,
                )
        return fit_params, split_params

    @_fit_context(
        # the inner estimator is validated by its own fit
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the estimator and tune the thresholds on out-of-fold scores.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like or sparse matrix of shape (n_samples, n_labels) or (n_samples,)
            0/1 label indicator matrix, or a binary target (1-D or one column).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the threshold search, and of ``estimator.fit``: with
            metadata routing, when the estimator requests them; without, when
            its ``fit`` takes ``sample_weight`` (else a ``UserWarning``).
        **params : dict
            Metadata. With routing enabled, routed to ``estimator.fit`` and to
            the splitter's ``split`` as requested. Without: ``groups`` to the
            splitter, everything else to ``estimator.fit`` (indexed per fold
            when per-sample).

        Returns
        -------
        self : object
        """
        X, y = indexable(X, y)
        n_samples = _num_samples(X)
        classes, Y, binary = self._encode_target(y, n_samples)
        positive = 1
        if binary:
            pos_label = positive_class(self.scoring, classes)
            positive = int(np.flatnonzero(classes == pos_label)[0])
            Y = (column_or_1d(y) == classes[positive])[:, None]
        n_labels = Y.shape[1]
        if sample_weight is not None:
            sample_weight = check_sample_weights(sample_weight, n_samples)
        fit_params, split_params = self._route(sample_weight, params)
        method = resolve_response_method(self.estimator, self.response_method)
        objective = resolve_objective(
            self.scoring, beta=self.beta, n_labels=n_labels, grid=self.thresholds, binary=binary
        )
        scoring_options = dict(method=method, n_labels=n_labels, binary=binary, positive=positive)

        if self.cv == "prefit":
            if self.refit:
                raise ValueError("When cv='prefit', refit cannot be True.")
            try:
                check_is_fitted(self.estimator)
            except NotFittedError as exc:
                raise NotFittedError("When cv='prefit', `estimator` must be fitted.") from exc
            estimator = self.estimator
            tuning_index = slice(None)
            scores = label_scores(estimator, X, **scoring_options)
        else:
            splits = self._splits(X, y, Y, binary, split_params)
            results = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
                delayed(_fit_fold)(
                    clone(self.estimator), X, y, fit_params, train, test, scoring_options,
                    self.verbose,
                )
                for train, test in splits
            )
            tuning_index = np.concatenate([test for _, test in splits])
            scores = np.concatenate([fold_scores for _, fold_scores in results])
            if self.refit:
                estimator = clone(self.estimator).fit(X, y, **fit_params)
            else:
                estimator = results[0][0]

        weight = None if sample_weight is None else sample_weight[tuning_index]
        data = TuningData(scores, Y[tuning_index], weight)
        fixed = self.fixed_threshold
        if fixed == "auto":
            fixed = 0.5 if method == "predict_proba" else 0.0
        result = search_thresholds(
            data, objective, strategy=self.strategy, fixed_threshold=fixed,
            min_positives=self.min_positives, margin=self.margin, store=self.store_cv_results,
        )
        if result.rare_labels.size:
            warnings.warn(
                f"Labels {result.rare_labels.tolist()} have fewer than min_positives="
                f"{self.min_positives} positive samples in the tuning data; they get the "
                "global threshold.",
                UserWarning,
            )
        self.estimator_ = estimator
        self.classes_ = classes
        self.pos_label_ = classes[positive] if binary else None
        self.outputs_2d_ = np.ndim(y) == 2
        self.response_method_ = method
        self.objective_ = objective
        self.thresholds_ = result.thresholds
        self.best_score_ = result.best_score
        self.label_scores_ = result.label_scores
        self.rare_labels_ = result.rare_labels
        if self.store_cv_results:
            self.cv_results_ = result.cv_results
        for attribute in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimator_, attribute):
                setattr(self, attribute, getattr(self.estimator_, attribute))
        return self

    def get_metadata_routing(self):
        """Metadata routing of the tuner: ``fit`` routes to ``estimator.fit`` and ``cv.split``.

        The tuner consumes ``sample_weight`` itself (the threshold search).

        Returns
        -------
        routing : MetadataRouter
        """
        fit = MethodMapping().add(caller="fit", callee="fit")
        split = MethodMapping().add(caller="fit", callee="split")
        return (
            MetadataRouter(owner=self)
            .add_self_request(self)
            .add(estimator=self.estimator, method_mapping=fit)
            .add(splitter=self.cv, method_mapping=split)
        )

    def _is_binary(self):
        """A binary ``y`` was fitted: one threshold, two classes (multi-label: one per label)."""
        return self.pos_label_ is not None

    def predict(self, X):
        """Labels whose score reaches their threshold.

        Returns
        -------
        y_pred : ndarray of shape (n_samples, n_labels) of 0/1, or of shape
            (n_samples,) of classes for a binary ``y`` ((n_samples, 1) when
            ``y`` was a column vector).
        """
        check_is_fitted(self, "thresholds_")
        binary = self._is_binary()
        positive = int(np.flatnonzero(self.classes_ == self.pos_label_)[0]) if binary else 1
        scores = label_scores(
            self.estimator_, X, self.response_method_, self.thresholds_.shape[0], binary, positive
        )
        predictions = scores >= self.thresholds_[None, :]
        if not binary:
            return predictions.astype(np.int64)
        labels = self.classes_[np.where(predictions[:, 0], positive, 1 - positive)]
        return labels[:, None] if self.outputs_2d_ else labels

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """``predict_proba`` of the fitted estimator."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """``predict_log_proba`` of the fitted estimator."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_log_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """``decision_function`` of the fitted estimator."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.decision_function(X)

    def __sklearn_tags__(self):
        return wrapped_estimator_tags(super().__sklearn_tags__(), self.estimator)
