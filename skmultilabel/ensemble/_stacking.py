"""LabelStackingClassifier: stacked binary relevance over any multi-label estimator."""

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import check_cv
from sklearn.utils.metaestimators import available_if
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    check_array,
    check_is_fitted,
    has_fit_parameter,
    validate_data,
)

from ..model_selection._stratified import default_cv
from ..thresholds._response import label_scores, resolve_response_method
from ..utils import check_binary_or_multilabel_target, check_not_text, check_sample_weights
from ..utils._sklearn_compat import HasMethods, StrOptions, _fit_context
from ..utils._tags import wrapped_estimator_tags

__all__ = ["LabelStackingClassifier"]


def _final_has(method):
    """``available_if`` check: the (fitted, else configured) final estimator has ``method``."""

    def check(self):
        if hasattr(self, "final_estimator_"):
            final = self.final_estimator_
        else:
            final = self.estimator if self.final_estimator is None else self.final_estimator
        getattr(final, method)
        return True

    return check


def _fold_scores(estimator, X, y, sample_weight, train, test, method, n_labels, binary):
    """Fit ``estimator`` on ``train``; return its scores on ``test``."""
    params = {} if sample_weight is None else {"sample_weight": sample_weight[train]}
    estimator.fit(X[train], y[train], **params)
    return label_scores(estimator, X[test], method, n_labels, binary)


class LabelStackingClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Stacked binary relevance: each label also learns from the predicted presence of the others.

    The first level (``estimator``) is fitted per the usual multi-label
    interface. Its out-of-fold scores for all labels, one column per label, are
    appended to ``X`` (or replace it, ``passthrough=False``) to train the final
    multi-label estimator, so the final model of label ``c`` sees how likely
    every other label is. The scores that train the final level are never
    in-sample: every sample is scored by a first-level model fitted without
    it. At prediction, the first level refitted on all the data scores ``X``.
    This is stacked binary relevance (Godbole & Sarawagi 2004, "Discriminative
    methods for multi-labeled classification"; "MBR" in the comparative
    studies).

    Parameters
    ----------
    estimator : estimator instance
        First-level multi-label classifier with ``predict_proba`` or
        ``decision_function`` giving one score per label: an (n_samples,
        n_labels) array or a list of (n_samples, 2) arrays (as
        ``MultiOutputClassifier``).
    final_estimator : estimator instance, default=None
        Multi-label classifier trained on the stacked features; None: a clone
        of ``estimator``.
    cv : int, cross-validation generator or iterable, default=5
        Folds of the out-of-fold scores; they must partition the samples
        (every sample in exactly one test fold). An int: that many shuffled
        :class:`~skmultilabel.model_selection.MultilabelStratifiedKFold` folds
        (``StratifiedKFold`` for a binary ``y``).
    passthrough : bool, default=True
        Train the final estimator on ``[X, scores]``; False: on the scores only.
    response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        First-level scores to stack; "auto" tries ``predict_proba`` then
        ``decision_function``.
    n_jobs : int, default=None
        Parallel jobs for the fold fits (joblib).
    random_state : int, RandomState instance or None, default=None
        Shuffling of the default folds.

    Attributes
    ----------
    estimator_ : estimator instance
        The first level fitted on all the data.
    final_estimator_ : estimator instance
        The final level fitted on the stacked out-of-fold features.
    response_method_ : str
        The first-level method whose scores are stacked.
    classes_ : ndarray
        ``arange(n_labels)`` for a multi-label ``Y``; the two classes for a binary ``y``.
    n_features_in_ : int
        Number of features of ``X``.
    feature_names_in_ : ndarray of str
        Names of the features of ``X``, when it has string column names.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skmultilabel import LabelStackingClassifier, MultiLabelLossClassifier
    >>> from skmultilabel.datasets import load_emotions
    >>> data = load_emotions()
    >>> model = make_pipeline(StandardScaler(), MultiLabelLossClassifier())
    >>> stacked = LabelStackingClassifier(model, cv=3, random_state=0)
    >>> stacked.fit(data.X_train, data.Y_train).predict(data.X_test).shape
    (202, 6)
    """

    _parameter_constraints: dict = {
        "estimator": [
            HasMethods(["fit", "predict_proba"]), HasMethods(["fit", "decision_function"])
        ],
        "final_estimator": [HasMethods(["fit", "predict"]), None],
        "cv": ["cv_object"],
        "passthrough": ["boolean"],
        "response_method": [StrOptions({"auto", "predict_proba", "decision_function"})],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        final_estimator=None,
        cv=5,
        passthrough=True,
        response_method="auto",
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.final_estimator = final_estimator
        self.cv = cv
        self.passthrough = passthrough
        self.response_method = response_method
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _check_X(self, X):
        check_not_text(X)
        return check_array(
            X, accept_sparse=("csr", "csc"), dtype=(np.float64, np.float32), estimator=self,
            input_name="X",
        )

    def _splits(self, X, y, binary):
        if self.cv is None or isinstance(self.cv, Integral):
            cv = default_cv(5 if self.cv is None else self.cv, binary, self.random_state)
        else:
            cv = check_cv(self.cv, y=y, classifier=True)
        splits = list(cv.split(X, y))
        tested = np.concatenate([test for _, test in splits]) if splits else np.empty(0, int)
        if tested.shape[0] != X.shape[0] or np.unique(tested).shape[0] != X.shape[0]:
            raise ValueError(
                "cv must partition the samples (every sample in exactly one test fold) to give "
                "out-of-fold scores; use a KFold-like splitter."
            )
        return splits

    def _stack(self, X, scores):
        """The final level's features: ``[X, scores]`` (sparse if X is) or ``scores``."""
        scores = scores.astype(X.dtype, copy=False)
        if not self.passthrough:
            return scores
        if sp.issparse(X):
            block = sp.csr_array(scores) if isinstance(X, sp.sparray) else sp.csr_matrix(scores)
            return sp.hstack([X, block], format=X.format)
        return np.hstack([X, scores])

    @_fit_context(
        # the inner estimators are validated by their own fit
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y, sample_weight=None):
        """Fit the first level per fold and on all data, then the final level on the stacked X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Sparse CSR/CSC input stays sparse (the scores are appended as sparse columns).
        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or (n_samples,)
            0/1 label indicator matrix, or a binary target.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the ``fit`` of each level that accepts it.

        Returns
        -------
        self : LabelStackingClassifier
        """
        X_in = X
        X = self._check_X(X)
        y, classes, binary = check_binary_or_multilabel_target(
            y, X.shape[0], type(self).__name__, dtype=np.int64, warn=True
        )
        n_labels = 1 if binary else y.shape[1]
        if sample_weight is not None:
            sample_weight = check_sample_weights(sample_weight, X.shape[0])
        final = self.estimator if self.final_estimator is None else self.final_estimator
        method = resolve_response_method(self.estimator, self.response_method)
        first_weight = sample_weight if has_fit_parameter(self.estimator, "sample_weight") else None
        splits = self._splits(X, y, binary)
        X_rows = X.tocsr() if sp.issparse(X) and X.format == "csc" else X  # rows per fold
        fold_scores = Parallel(n_jobs=self.n_jobs)(
            delayed(_fold_scores)(
                clone(self.estimator), X_rows, y, first_weight, train, test, method, n_labels,
                binary,
            )
            for train, test in splits
        )
        scores = np.empty((X.shape[0], n_labels), dtype=fold_scores[0].dtype)
        for (_, test), block in zip(splits, fold_scores):
            scores[test] = block
        first_params = {} if first_weight is None else {"sample_weight": first_weight}
        estimator = clone(self.estimator).fit(X, y, **first_params)
        final_params = {}
        if sample_weight is not None and has_fit_parameter(final, "sample_weight"):
            final_params["sample_weight"] = sample_weight
        final_estimator = clone(final).fit(self._stack(X, scores), y, **final_params)

        validate_data(self, X_in, skip_check_array=True)
        self.estimator_ = estimator
        self.final_estimator_ = final_estimator
        self.response_method_ = method
        self.classes_ = classes
        self._binary = binary
        return self

    def _final_features(self, X):
        check_not_text(X)
        X = validate_data(
            self, X, accept_sparse=("csr", "csc"), dtype=(np.float64, np.float32), reset=False
        )
        n_labels = 1 if self._binary else self.classes_.shape[0]
        scores = label_scores(self.estimator_, X, self.response_method_, n_labels, self._binary)
        return self._stack(X, scores)

    def predict(self, X):
        """The final estimator's predictions on ``[X, first-level scores]``."""
        check_is_fitted(self)
        return self.final_estimator_.predict(self._final_features(X))

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X):
        """The final estimator's ``predict_proba`` on ``[X, first-level scores]``."""
        check_is_fitted(self)
        return self.final_estimator_.predict_proba(self._final_features(X))

    @available_if(_final_has("decision_function"))
    def decision_function(self, X):
        """The final estimator's ``decision_function`` on ``[X, first-level scores]``."""
        check_is_fitted(self)
        return self.final_estimator_.decision_function(self._final_features(X))

    def __sklearn_tags__(self):
        return wrapped_estimator_tags(super().__sklearn_tags__(), self.estimator)
