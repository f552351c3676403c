"""MultiLabelLossClassifierCV: regularisation, positive weight and threshold chosen per label."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import check_cv
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from ..losses import LOSSES, MultiLabelLoss, resolve_loss
from ..losses._base import loss_parameter_constraints
from ..model_selection import MultilabelStratifiedKFold
from ..models import MultiLabelLossClassifier
from ..models._mlp import ACTIVATIONS, Network
from ..models._target import encode_target
from ..models._threads import thread_limits
from ..models._weights import label_weights
from ..thresholds._objectives import FBetaObjective, TuningData
from ..thresholds._scoring import resolve_objective
from ..thresholds._search import search_thresholds
from ..utils import check_not_text, check_sample_weights, warn_constant_labels
from ._alpha_grid import alpha_grid
from ._choose import (
    choose_per_label,
    choose_shared,
    coordinate_ascent,
    search_candidates,
)
from ._path import alpha_path, fit_problems, linear_parameters

__all__ = ["MultiLabelLossClassifierCV"]

_FLOAT_DTYPES = (np.float64, np.float32)
_F_SCORINGS = {"f1", "f1_macro", "f1_micro", "f1_samples", "f1_weighted"}
_WEIGHT_NAMES = ("balanced", "sqrt_balanced")
# The path's candidates are scored, not kept: their fits stop at this multiple of
# ``tol`` (the refit uses ``tol``). On bibtex it halves the path's evaluations.
_PATH_TOL_FACTOR = 10.0
_FITTED_STATE = (
    "alpha_", "pos_weight_", "thresholds_", "best_score_", "label_scores_", "cv_results_",
    "alphas_", "coef_", "intercept_", "coefs_", "intercepts_", "n_iter_", "classes_", "loss_",
    "_binary",
)


def _multipliers(pos_weights, Y, sample_weight):
    """Per-label value of every ``pos_weights`` entry: shape (n_multipliers, n_labels).

    "balanced" is n_neg / n_pos of the label (sample-weighted, counts floored at
    one average sample), "sqrt_balanced" its square root; a number is itself.
    """
    balanced = label_weights(None, "balanced", 1.0, Y, sample_weight)[0]
    rows = []
    for weight in pos_weights:
        if isinstance(weight, str):
            rows.append(balanced if weight == "balanced" else np.sqrt(balanced))
        else:
            rows.append(np.full(Y.shape[1], float(weight)))
    return np.array(rows)


class MultiLabelLossClassifierCV(ClassifierMixin, BaseEstimator):
    """Multi-label loss classifier whose alpha, positive weight and threshold are cross-validated.

    Every candidate (alpha, pos_weight) of the grid ``alphas`` x ``pos_weights``
    is fitted on the training part of every fold and scored on the held-out
    part; the pooled out-of-fold scores give each candidate's best thresholds
    (the exact sweep of :class:`~skmultilabel.PerClassThresholdTuner`). Then:

    * linear model, loss a sum over labels, ``per_label=True``: every label
      takes its own (alpha_c, pos_weight_c). For macro or weighted F-beta each
      label maximises its own out-of-fold F-beta, with the one-standard-error
      rule: among the candidates within ``margin`` of the label's best score
      it takes the largest alpha, then the smallest positive weight. For
      micro or samples F-beta, coordinate ascent over labels from the best
      shared candidate, each step kept only if the objective rises.
    * otherwise (``per_label=False``, the MLP, a loss coupling the labels) one
      candidate for all labels, the best objective value.

    The thresholds are then searched on the chosen candidates' out-of-fold
    scores as the tuner does (``margin``, ``min_positives``), and the model is
    refitted on all rows with the chosen values. For the linear model on a
    label-separable loss all candidates of a fold are independent per-label
    problems, solved together: one per-label L-BFGS run per alpha for every
    (label, pos_weight) pair, warm-started from the previous, stronger alpha.

    Parameters
    ----------
    loss : str or MultiLabelLoss, default="bce"
        As in :class:`~skmultilabel.MultiLabelLossClassifier`; so are the loss
        hyper-parameters ``gamma``, ``focal_alpha`` (a scalar here),
        ``gamma_pos``, ``gamma_neg``, ``clip``, ``label_smoothing``,
        ``negative_weight``, ``hill_lambda``, ``positive_margin``, ``splc_tau``,
        ``splc_warmup``, the label weights ``class_weight`` and ``fp_cost``
        (the candidates' ``pos_weights`` multiply the positive term on top of
        them, in the place of ``fn_cost``), and ``model``,
        ``hidden_layer_sizes``, ``activation``, ``fit_intercept``, ``max_iter``
        and ``tol`` (the solver is L-BFGS; the candidates of the linear path
        stop at 10 x ``tol``, the refit at ``tol``).
    alphas : int or array-like of float, default=10
        Candidate L2 strengths: an int n gives n values on a log grid from
        1e4 down to 1 (one value: 1, the classifier's default), times the
        sample-weighted mean variance of the features, so that the grid
        follows the scale of X (unchanged on standardised features); or the
        values themselves. Strengths below the grid were never chosen on
        emotions, yeast and scene (standardised) and cost the most iterations;
        on bibtex's raw 0/1 features (mean variance 0.030) the scaled grid
        reached out-of-fold macro-F1 0.4042 against 0.4033 for the unscaled
        one (mean of three fold seeds).
    pos_weights : array-like, default=(1.0, "balanced")
        Candidate multipliers of each label's positive loss term: positive
        numbers, "balanced" (n_neg / n_pos of the label in the training rows)
        or "sqrt_balanced" (its square root). Ranking losses take only 1.
        "sqrt_balanced" is not in the default: with the default ``margin`` it
        was chosen for 3 of the 185 labels of the emotions, yeast, scene and
        bibtex training splits; without it 4 bibtex labels chose otherwise,
        the out-of-fold scores were the same to four decimals, and the search
        took a third less time (with ``margin=0`` labels often choose it).
    scoring : str or scorer, default="f1_macro"
        "f1_macro", "f1_weighted", "f1_micro", "f1_samples", "f1" (binary ``y``)
        or a ``make_scorer(f1_score | fbeta_score, average=...)`` scorer.
    beta : float, default=None
        F-beta with the "f1*" scoring names (None is 1), as
        :class:`~skmultilabel.PerClassThresholdTuner`; an fbeta scorer brings
        its own (a different ``beta`` beside it is an error).
    margin : "std_error" or float, default="std_error"
        Noise margin of the per-label choice of a candidate and of the
        per-label thresholds (see :class:`~skmultilabel.PerClassThresholdTuner`);
        0 takes every label's exact maximiser.
    min_positives : int, default=5
        Labels with fewer positives get the global threshold (as the tuner).
    cv : int, cross-validation generator or iterable, default=None
        None or int: that many folds (default 5) of shuffled
        :class:`~skmultilabel.model_selection.MultilabelStratifiedKFold`.
    per_label : bool, default=True
        Choose (alpha, pos_weight) per label where the model decomposes.
    refit : bool, default=True
        Refit on all rows with the chosen values. With False only the choice
        is made (``alpha_``, ``pos_weight_``, ``thresholds_``, ``cv_results_``)
        and the estimator cannot predict.
    n_jobs : int, default=None
        Folds fitted in parallel (joblib); each fold's kernels run on one thread.
    random_state : int, RandomState or None, default=None
        Shuffling of the default folds; initialisation of the MLP.
    verbose : int, default=0
        Print the progress of the folds.

    Attributes
    ----------
    alpha_, pos_weight_ : ndarray of shape (n_labels,)
        Chosen L2 strength and positive-term multiplier (its value on all
        rows) of every label.
    thresholds_ : ndarray of shape (n_labels,)
        ``predict`` is ``predict_proba >= thresholds_``.
    best_score_ : float
        Objective of the pooled out-of-fold scores of the choice at ``thresholds_``.
    label_scores_ : ndarray of shape (n_labels,)
        Each label's own out-of-fold score at its threshold.
    cv_results_ : dict
        One row per candidate: ``"alpha"``, ``"pos_weight"`` (the entry of
        ``pos_weights``), ``"score"`` (objective at the candidate's best
        thresholds), and of shape (n_candidates, n_labels): ``"label_scores"``
        (each label's out-of-fold F-beta at its best threshold),
        ``"thresholds"``, ``"std_error"`` (of the label score; NaN for
        coupled objectives) and ``"pos_weight_value"``.
    alphas_ : ndarray
        The alpha grid, strongest first (scaled by the feature variance when
        ``alphas`` is an int).
    coef_, intercept_ : ndarray
        Linear model (refit only).
    coefs_, intercepts_ : list of ndarray
        MLP (refit only).
    n_iter_ : int
        Iterations of the refit (per-label L-BFGS: the largest of a label).
    classes_ : ndarray
        ``arange(n_labels)``, or the two classes of a 1-D binary ``y``.
    loss_ : MultiLabelLoss
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` has string feature names.
    """

    def __init__(
        self,
        *,
        loss="bce",
        gamma=2.0,
        focal_alpha=None,
        gamma_pos=0.0,
        gamma_neg=4.0,
        clip=0.05,
        label_smoothing=0.0,
        negative_weight=0.1,
        hill_lambda=1.5,
        positive_margin=1.0,
        splc_tau=0.6,
        splc_warmup=1,
        class_weight=None,
        fp_cost=1.0,
        model="linear",
        hidden_layer_sizes=(100,),
        activation="relu",
        alphas=10,
        pos_weights=(1.0, "balanced"),
        scoring="f1_macro",
        beta=None,
        margin="std_error",
        min_positives=5,
        cv=None,
        per_label=True,
        refit=True,
        fit_intercept=True,
        max_iter=200,
        tol=1e-4,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.loss = loss
        self.gamma = gamma
        self.focal_alpha = focal_alpha
        self.gamma_pos = gamma_pos
        self.gamma_neg = gamma_neg
        self.clip = clip
        self.label_smoothing = label_smoothing
        self.negative_weight = negative_weight
        self.hill_lambda = hill_lambda
        self.positive_margin = positive_margin
        self.splc_tau = splc_tau
        self.splc_warmup = splc_warmup
        self.class_weight = class_weight
        self.fp_cost = fp_cost
        self.model = model
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.alphas = alphas
        self.pos_weights = pos_weights
        self.scoring = scoring
        self.beta = beta
        self.margin = margin
        self.min_positives = min_positives
        self.cv = cv
        self.per_label = per_label
        self.refit = refit
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    @property
    def _parameter_constraints(self):
        return {
            "loss": [StrOptions(set(LOSSES)), MultiLabelLoss],
            **loss_parameter_constraints(),
            "class_weight": [StrOptions({"balanced"}), dict, "array-like", None],
            "fp_cost": [Interval(Real, 0, None, closed="left"), "array-like"],
            "model": [StrOptions({"linear", "mlp"})],
            "hidden_layer_sizes": "no_validation",  # checked by MultiLabelLossClassifier
            "activation": [StrOptions(set(ACTIVATIONS))],
            "alphas": [Interval(Integral, 1, None, closed="left"), "array-like"],
            "pos_weights": ["array-like"],
            "scoring": [StrOptions(_F_SCORINGS), callable],
            "beta": [Interval(Real, 0, None, closed="left"), None],
            "margin": [StrOptions({"std_error"}), Interval(Real, 0, None, closed="left")],
            "min_positives": [Interval(Integral, 0, None, closed="left")],
            "cv": ["cv_object"],
            "per_label": ["boolean"],
            "refit": ["boolean"],
            "fit_intercept": ["boolean"],
            "max_iter": [Interval(Integral, 1, None, closed="left")],
            "tol": [Interval(Real, 0, None, closed="left")],
            "n_jobs": [Integral, None],
            "random_state": ["random_state"],
            "verbose": ["verbose"],
        }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.classifier_tags.multi_class = False
        tags.input_tags.sparse = True
        return tags

    # ------------------------------------------------------------------ checks

    def _pos_weight_grid(self, loss):
        """``pos_weights`` checked: a list of positive numbers and weight names."""
        entries = list(self.pos_weights) if not isinstance(self.pos_weights, str) else None
        valid = entries is not None and len(entries) > 0 and all(
            entry in _WEIGHT_NAMES if isinstance(entry, str)
            else isinstance(entry, Real) and not isinstance(entry, bool)
            and np.isfinite(entry) and entry > 0
            for entry in entries
        )
        if not valid:
            raise ValueError(
                "pos_weights must be a non-empty list of positive numbers, 'balanced' or "
                f"'sqrt_balanced', got {self.pos_weights!r}."
            )
        if not loss.pointwise and any(isinstance(e, str) or e != 1 for e in entries):
            raise ValueError(
                f"The {loss.name!r} loss is not pointwise: pos_weights must be [1], "
                f"got {self.pos_weights!r}."
            )
        return entries

    def _objective(self, n_labels):
        objective = resolve_objective(self.scoring, beta=self.beta, n_labels=n_labels, grid=100)
        if not isinstance(objective, FBetaObjective):
            raise ValueError(
                "scoring must be an F-measure ('f1_macro', 'f1_micro', 'f1_samples', "
                f"'f1_weighted', 'f1' or an f1/fbeta scorer), got {self.scoring!r}."
            )
        return objective

    def _splits(self, X, Y):
        if self.cv is None or isinstance(self.cv, Integral):
            n_splits = 5 if self.cv is None else self.cv
            cv = MultilabelStratifiedKFold(n_splits, shuffle=True, random_state=self.random_state)
        else:
            cv = check_cv(self.cv)
        return list(cv.split(X, Y))

    def _batched(self, loss):
        """Whether every candidate is a set of independent per-label linear problems."""
        return self.model == "linear" and loss.label_separable

    # ------------------------------------------------------------------ fit

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Choose the candidates and thresholds on out-of-fold scores, then refit.

        A fit that raises leaves the estimator as it was before the call.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Sparse CSR/CSC input is used as is, never densified. float32 stays float32.
        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the training loss and of the out-of-fold objective.

        Returns
        -------
        self : MultiLabelLossClassifierCV
        """
        saved = {name: self.__dict__[name] for name in ("n_features_in_", "feature_names_in_")
                 if name in self.__dict__}
        try:
            state = self._fit_state(X, y, sample_weight)
        except BaseException:
            for name in ("n_features_in_", "feature_names_in_"):
                self.__dict__.pop(name, None)
            self.__dict__.update(saved)
            raise
        for name in _FITTED_STATE:
            self.__dict__.pop(name, None)
        self.__dict__.update(state)
        return self

    def _fit_state(self, X, y, sample_weight):
        """Every fitted attribute, computed without touching ``self`` (but the feature checks)."""
        loss = resolve_loss(self.loss, self.get_params(deep=False))
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        check_not_text(X)
        X = validate_data(self, X, accept_sparse=("csr", "csc"), dtype=_FLOAT_DTYPES)
        target = encode_target(y, X.shape[0])
        Y = target.Y
        sample_weight = check_sample_weights(sample_weight, X.shape[0])
        n_labels = Y.shape[1]
        loss.check_n_labels(n_labels)
        if np.ndim(self.focal_alpha):
            raise ValueError(
                f"{type(self).__name__} takes a scalar focal_alpha (pos_weights reweights "
                f"the labels), got {self.focal_alpha!r}."
            )
        entries = self._pos_weight_grid(loss)
        self._base_weights(loss, Y, sample_weight)  # checks class_weight and fp_cost up front
        alphas = alpha_grid(self.alphas, X, sample_weight)
        objective = self._objective(n_labels)
        if X.shape[0] < 2:
            raise ValueError(
                f"Cross-validation needs at least 2 samples; got n_samples={X.shape[0]}."
            )
        warn_constant_labels(Y, sample_weight, type(self).__name__)
        splits = self._splits(X, Y)
        batched = self._batched(loss)
        oof = self._out_of_fold(X, Y, sample_weight, loss, entries, alphas, splits, batched)
        truth = Y > 0
        rows = np.concatenate([test for _, test in splits])
        oof, truth_rows, weight_rows = oof[:, rows], truth[rows], sample_weight[rows]
        search = search_candidates(oof, truth_rows, weight_rows, objective)
        candidate_alpha = np.repeat(alphas, len(entries))
        values = np.tile(_multipliers(entries, Y, sample_weight), (len(alphas), 1))
        choice = self._choose(oof, truth_rows, weight_rows, objective, search, batched,
                              candidate_alpha, values)
        labels = np.arange(n_labels)
        chosen = np.ascontiguousarray(oof[choice, :, labels].T)
        result = search_thresholds(
            TuningData(chosen, truth_rows, weight_rows), objective, strategy="per_class",
            fixed_threshold=0.5, min_positives=self.min_positives, margin=self.margin, store=False,
        )
        state = {
            "alpha_": candidate_alpha[choice],
            "pos_weight_": values[choice, labels],
            "thresholds_": result.thresholds,
            "best_score_": result.best_score,
            "label_scores_": result.label_scores,
            "alphas_": alphas,
            "cv_results_": {
                "alpha": candidate_alpha,
                "pos_weight": entries * len(alphas),
                "score": search.scores,
                "label_scores": search.label_scores,
                "thresholds": search.thresholds,
                "std_error": search.std_errors,
                "pos_weight_value": values,
            },
            "classes_": target.classes,
            "loss_": loss,
            "_binary": target.binary,
        }
        if self.refit:
            state.update(self._refit(X, Y, sample_weight, loss, state, batched))
        return state

    def _out_of_fold(self, X, Y, sample_weight, loss, entries, alphas, splits, batched):
        """Out-of-fold probabilities of every candidate: shape (n_candidates, n_samples, n_labels).

        Candidate k is alpha k // len(entries) (strongest first), pos_weights entry
        k % len(entries).
        """
        fold = _batched_fold if batched else _separate_fold
        with warnings.catch_warnings():
            # constant labels of a fold and fold convergence are reported on all rows
            warnings.simplefilter("ignore", UserWarning)
            results = Parallel(n_jobs=self.n_jobs)(
                delayed(fold)(self, X, Y, sample_weight, loss, entries, alphas, train, test)
                for train, test in splits
            )
        oof = np.zeros((len(alphas) * len(entries), *Y.shape))
        for (_, test), (scores, converged) in zip(splits, results):
            oof[:, test] = scores
            if not converged:
                warnings.warn(
                    f"{type(self).__name__}: some candidate fits reached max_iter="
                    f"{self.max_iter} without converging; increase max_iter or scale the data.",
                    ConvergenceWarning,
                )
        if self.verbose:
            print(f"[{type(self).__name__}] {len(splits)} folds x {oof.shape[0]} candidates scored")
        return oof

    def _choose(self, oof, truth, weight, objective, search, batched, candidate_alpha, values):
        """Candidate index of every label."""
        n_labels = truth.shape[1]
        # preference: larger alpha first, then the smaller positive weight (per label)
        rank = np.lexsort((values, -candidate_alpha[:, None] + 0 * values), axis=0)
        preference = np.empty_like(rank)
        np.put_along_axis(preference, rank, np.arange(rank.shape[0])[:, None], axis=0)
        shared = choose_shared(search, preference.mean(axis=1))
        if not (self.per_label and batched) or n_labels == 1:
            return np.full(n_labels, shared)
        if objective.decomposable:
            return choose_per_label(search, preference, self.margin, shared)
        return coordinate_ascent(oof, truth, weight, objective, search, shared)

    def _refit(self, X, Y, sample_weight, loss, state, batched):
        """Refit on all rows with the chosen values; return the model's fitted attributes."""
        if batched:
            base_pos, neg_weight = self._base_weights(loss, Y, sample_weight)
            with thread_limits(1):
                result = fit_problems(
                    X, Y, sample_weight, loss, base_pos * state["pos_weight_"], neg_weight,
                    state["alpha_"], None, fit_intercept=self.fit_intercept,
                    max_iter=self.max_iter, tol=self.tol,
                )
            if not result.converged:
                warnings.warn(
                    f"{type(self).__name__}: the refit reached max_iter={self.max_iter} without "
                    "converging; increase max_iter or scale the data.",
                    ConvergenceWarning,
                )
            coef, intercept = linear_parameters(
                result.theta, X.shape[1], Y.shape[1], self.fit_intercept
            )
            return {"coef_": coef, "intercept_": intercept, "n_iter_": result.n_iter}
        inner = self._inner(state["alpha_"][0], state["pos_weight_"])
        inner.fit(X, Y, sample_weight)
        state = {"n_iter_": inner.n_iter_}
        if self.model == "linear":
            return {**state, "coef_": inner.coef_, "intercept_": inner.intercept_}
        return {**state, "coefs_": inner.coefs_, "intercepts_": inner.intercepts_}

    def _inner(self, alpha, fn_cost):
        """Build a MultiLabelLossClassifier with these values and this estimator's other ones.

        Every parameter the two estimators share is passed on, but ``n_jobs``
        and ``verbose`` (the folds run in parallel, each fit quietly).
        """
        shared = set(MultiLabelLossClassifier().get_params()) - {"n_jobs", "verbose"}
        params = {name: value for name, value in self.get_params(deep=False).items()
                  if name in shared}
        return MultiLabelLossClassifier(**params, alpha=float(alpha), fn_cost=fn_cost)

    def _base_weights(self, loss, Y, sample_weight):
        """``(pos_weight, neg_weight)`` of ``class_weight`` and ``fp_cost`` (fn_cost 1).

        ``class_weight=None`` means the loss's ``default_class_weight``, as in the classifier.
        """
        class_weight = self.class_weight
        if class_weight is None:
            class_weight = getattr(loss, "default_class_weight", None)
        return label_weights(class_weight, 1.0, self.fp_cost, Y, sample_weight, loss.pointwise)

    # ------------------------------------------------------------------ predict

    def _logits(self, X):
        check_is_fitted(self, "thresholds_")
        if not hasattr(self, "coef_") and not hasattr(self, "coefs_"):
            raise AttributeError(
                f"{type(self).__name__} was fitted with refit=False: it holds no model."
            )
        check_not_text(X)
        X = validate_data(self, X, accept_sparse=("csr", "csc"), dtype=_FLOAT_DTYPES, reset=False)
        if hasattr(self, "coef_"):
            coefs, intercepts, activation = [self.coef_.T], [self.intercept_], "identity"
        else:
            coefs, intercepts, activation = self.coefs_, self.intercepts_, self.activation
        network = Network([coefs[0].shape[0], *(c.shape[1] for c in coefs)], activation, True)
        return network.forward(X, coefs, intercepts)[-1]

    def decision_function(self, X):
        """Logits of the refitted model: shape (n_samples, n_labels), or (n_samples,) if binary."""
        logits = self._logits(X)
        return logits[:, 0] if self._binary else logits

    def predict_proba(self, X):
        """Sigmoid of the logits; for a 1-D binary target shape (n_samples, 2)."""
        proba = expit(self._logits(X))
        return np.hstack([1.0 - proba, proba]) if self._binary else proba

    def predict(self, X):
        """``predict_proba >= thresholds_`` per label (class labels for a 1-D binary target)."""
        positive = expit(self._logits(X)) >= self.thresholds_
        if self._binary:
            return self.classes_[positive[:, 0].astype(np.intp)]
        return positive.astype(np.int64)


def _batched_fold(estimator, X, Y, sample_weight, loss, entries, alphas, train, test):
    """One fold of the linear path: every candidate's probabilities on ``test``."""
    Y_train, weight = Y[train], sample_weight[train]
    base_pos, neg_weight = estimator._base_weights(loss, Y_train, weight)
    pos_weight = _multipliers(entries, Y_train, weight) * base_pos
    X_train, X_test = X[train], X[test]
    scores, converged = [], True
    with thread_limits(1):
        for coef, intercept, done in alpha_path(
            X_train, Y_train, weight, loss, pos_weight, neg_weight, alphas,
            fit_intercept=estimator.fit_intercept, max_iter=estimator.max_iter,
            tol=_PATH_TOL_FACTOR * estimator.tol,
        ):
            logits = X_test @ coef.reshape(-1, coef.shape[-1]).T + intercept.ravel()
            scores.append(expit(logits).reshape(X_test.shape[0], *intercept.shape))
            converged &= done
    # (n_alphas, n_test, n_multipliers, n_labels) -> (n_candidates, n_test, n_labels)
    stacked = np.stack(scores).transpose(0, 2, 1, 3)
    return stacked.reshape(-1, X_test.shape[0], Y.shape[1]), converged


def _separate_fold(estimator, X, Y, sample_weight, loss, entries, alphas, train, test):
    """One fold of the general path: one MultiLabelLossClassifier fit per candidate."""
    Y_train, weight = Y[train], sample_weight[train]
    multipliers = _multipliers(entries, Y_train, weight)
    X_train, X_test = X[train], X[test]
    scores = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        for alpha in alphas:
            for fn_cost in multipliers:
                inner = estimator._inner(alpha, fn_cost).fit(X_train, Y_train, weight)
                scores.append(inner.predict_proba(X_test))
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return np.stack(scores), converged
