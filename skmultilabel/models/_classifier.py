"""MultiLabelLossClassifier: a linear model or an MLP trained on any registered multi-label loss."""

import time
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from ..losses import LOSSES, MultiLabelLoss, resolve_loss
from ..utils import (
    check_multilabel_target,
    check_not_text,
    check_sample_weights,
    warn_constant_labels,
)
from ._batched_lbfgs import per_label_lbfgs, splits_by_label
from ._mlp import ACTIVATIONS, Network
from ._objective import Objective
from ._solvers import AdamState, adam, adam_epoch, lbfgs, report
from ._threads import thread_limits
from ._training_options import DynamicLabelWeights, label_difficulty
from ._weights import label_weights

__all__ = ["MultiLabelLossClassifier"]

_NON_NEGATIVE = Interval(Real, 0, None, closed="left")
_POSITIVE_INT = Interval(Integral, 1, None, closed="left")
# What partial_fit keeps between calls; fit starts afresh.
_STREAM_STATE = ("_adam_state", "_stream_random_state", "_stream_weights", "_dynamic")


def _stochastic_solver(estimator):
    if estimator.solver != "adam":
        raise AttributeError(
            f"partial_fit is only available with solver='adam', not {estimator.solver!r}."
        )
    return True


class MultiLabelLossClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label classifier (linear or MLP) trained on a chosen multi-label loss.

    The model minimises

        F = sum_i s_i sum_c l_c / sum_i s_i + alpha / (2 sum_i s_i) ||W||^2

    where ``l_c`` is the loss of label ``c`` (weighted per label by
    ``class_weight``, ``fn_cost`` and ``fp_cost``), ``s`` the sample weights
    and ``W`` all coefficients (intercepts are not penalised). With
    ``loss="bce"``, ``model="linear"`` and ``alpha=1`` it is one
    ``LogisticRegression(C=1)`` per label. Computation is in float64.

    Parameters
    ----------
    loss : str or MultiLabelLoss, default="bce"
        A name registered in :data:`skmultilabel.losses.LOSSES` (e.g. "bce",
        "weighted_bce", "focal", "asymmetric"; for missing labels "hill", "splc",
        "weak_negatives") or a loss object.
    gamma : float, default=2.0
        Focusing parameter of the focal loss, and of the positive term of
        "hill" and both terms of "splc".
    focal_alpha : float or array-like, default=None
        Class-balance weight of the focal loss.
    gamma_pos, gamma_neg : float, default=0.0 and 4.0
        Focusing parameters of the asymmetric loss.
    clip : float, default=0.05
        Probability margin of the asymmetric loss.
    label_smoothing : float in [0, 0.5), default=0.0
        Label smoothing of the pointwise losses ("bce", "weighted_bce",
        "focal", "asymmetric", "weak_negatives"): targets become
        y * (1 - label_smoothing) + label_smoothing / 2.
    negative_weight : float in (0, 1], default=0.1
        Weight of the negative term of "weak_negatives".
    hill_lambda : float >= 1.5, default=1.5
        Height of the negative term of "hill", (hill_lambda - p) * p ** 2.
    positive_margin : float >= 0, default=1.0
        Logit margin of the positive term of "hill" and "splc".
    splc_tau : float in (0, 1), default=0.6
        "splc": probability above which a negative counts as a missing positive.
    splc_warmup : int >= 0, default=1
        "splc": epochs trained before the correction starts. "splc" needs
        ``solver="adam"`` (it depends on the epoch): other solvers raise a ValueError.

        These six are validated by the loss that uses them, when ``fit`` builds it.
    class_weight : None, "balanced", array-like of shape (n_labels,) or dict, default=None
        Weight of each label's terms (a dict maps label column indices to
        weights). "balanced" is scikit-learn's "balanced" on each label: the
        positive term of label c weighs n / (2 n_pos_c), proportional to
        1 / freq_c, and the negative term n / (2 n_neg_c) (sample-weighted
        counts), so linear + bce + ``alpha=1`` equals
        ``OneVsRestClassifier(LogisticRegression(class_weight="balanced"))``.
        Ranking losses take the product as one weight per label. None means the
        loss's own default (``"weighted_bce"``: "balanced").
    fn_cost, fp_cost : float or array-like of shape (n_labels,), default=1.0
        Cost of a false negative (weight of the positive term) and of a false
        positive (weight of the negative term), per label. ``fn_cost="balanced"``
        is n_neg / n_pos per label. Only pointwise losses accept costs other than 1.
    model : {"linear", "mlp"}, default="linear"
    hidden_layer_sizes : tuple of int, default=(100,)
        Hidden layers of the MLP.
    activation : {"relu", "tanh", "logistic", "identity"}, default="relu"
        Activation of the hidden layers.
    solver : {"lbfgs", "adam"}, default="lbfgs"
        Full-batch L-BFGS or minibatch Adam. For the linear model on a loss
        that is a sum over labels (all but "label_ranking"), L-BFGS runs one
        independent L-BFGS per label, with shared evaluations.
    alpha : float, default=1.0
        L2 strength on the coefficients (not the intercepts), divided by the
        total sample weight: with the linear model and ``loss="bce"`` the
        default is ``LogisticRegression(C=1)`` on each label, and the scale is
        that of ``MLPClassifier``'s ``alpha``.
    batch_size : int or "auto", default="auto"
        Adam minibatch size; "auto" is min(200, n_samples).
    learning_rate_init : float, default=1e-3
        Adam step size.
    max_iter : int, default=200
        L-BFGS iterations or Adam epochs.
    tol : float, default=1e-4
        L-BFGS: gradient tolerance. Adam: minimum improvement of the epoch
        loss (or validation score) over ``n_iter_no_change`` epochs.
    early_stopping : bool, default=False
        Adam only: hold out ``validation_fraction`` of the rows and stop when
        their score, the negated mean loss, stops improving; keep the best parameters.
    validation_fraction : float, default=0.1
    n_iter_no_change : int, default=10
    fit_intercept : bool, default=True
        Give every layer an intercept.
    threshold : float, default=0.5
        ``predict`` returns ``predict_proba >= threshold``.
    random_state : int, RandomState or None, default=None
        Seeds the MLP initialisation, the Adam shuffling and the validation split.
    n_jobs : int, default=None
        Threads of the numba loss kernels during the fit (None: 1, -1: all
        cores). The matrix products of the fit run on one BLAS thread: the
        kernels add their partial sums in a fixed order and single-threaded
        BLAS rounds the same way every time, so the fitted coefficients are
        bit-identical for every ``n_jobs`` (and the two thread pools never
        compete for the cores).
    normalize_gradient : bool, default=False
        Adam only. Per-sample gradient normalisation: before back-propagation
        each sample's gradient over the labels (its row of dL/dZ) is rescaled
        to the L2 norm s_i / sum_j s_j, a unit vector before the sample-weighted
        averaging (zero rows stay zero), for every loss. The reported loss is
        unchanged, but the step is no longer the gradient of the objective, so
        L-BFGS (whose line search needs that gradient) raises a ValueError.
        Well-fit samples keep pulling as hard as badly fit ones, so the
        logits keep growing: use a small ``learning_rate_init`` or ``early_stopping``.
    dynamic_class_weight : bool, default=False
        Adam only (L-BFGS raises a ValueError: the objective would change
        under its line search). After every epoch, per-label weights are
        updated from each label's difficulty d_c, the class-balanced mean
        magnitude of the unweighted loss gradient on the training rows::

            d_c = mean_{i: y_ic=1} |dL/dZ_ic| + mean_{i: y_ic=0} |dL/dZ_ic|

        (sample-weighted means; for "bce" a soft balanced error, for pairwise
        losses a soft 1 - AUC). The running difficulty D is d after the first
        epoch, then ``D = dynamic_momentum * D + (1 - dynamic_momentum) * d``;
        the next epoch uses the weights D_c / mean(D), clipped to [0.1, 10],
        times the static weights of ``class_weight``, ``fn_cost`` and ``fp_cost``.
        Costs one more forward pass and loss gradient on the training rows per
        epoch (for the exact "pairwise_logistic", quadratic in their number).
    dynamic_momentum : float in [0, 1), default=0.9
        Weight of the past in the running difficulty of ``dynamic_class_weight``.
    verbose : int, default=0
        Print the loss, the validation score (early stopping) and the elapsed
        time after each L-BFGS iteration or Adam epoch (or ``partial_fit`` call).
    warm_start : bool, default=False
        Start from the fitted coefficients of the previous call to ``fit``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_labels, n_features)
        Linear model only.
    intercept_ : ndarray of shape (n_labels,)
        Linear model only.
    coefs_, intercepts_ : list of ndarray
        MLP only; ``coefs_[l]`` has shape (n_in, n_out), as in scikit-learn's MLP.
    classes_ : ndarray
        ``np.arange(n_labels)`` for a multi-label target; the two class labels
        (sorted, the positive one last) for a 1-D binary target.
    loss_ : MultiLabelLoss
        The loss object used.
    n_iter_ : int
        L-BFGS per label: the largest number of iterations of a label.
    loss_curve_ : list of float
        Objective after each L-BFGS iteration or Adam epoch (or ``partial_fit``
        call), under the label weights in force during that epoch.
    validation_scores_ : list of float
        Negated held-out loss after each epoch (early stopping only).
    best_validation_score_ : float
        Early stopping only.
    dynamic_label_weights_ : ndarray of shape (n_labels,)
        ``dynamic_class_weight=True`` only: the last dynamic label weights
        (mean about 1), which multiply the static ones.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` has string feature names.

    Notes
    -----
    ``predict_proba`` is the sigmoid of the logits. For ranking losses (which
    only order labels) it is a score in (0, 1), not a calibrated probability.
    For a 1-D binary target the model has one label, so ``class_weight``
    weighs that label and does not rebalance the two classes: use ``fn_cost``.
    A label never (or always) positive in the training data gets a
    ``UserWarning``; the model is fitted anyway and scores it constantly.
    Training that produces NaN or infinite values stops with a ``ValueError``.
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
        fn_cost=1.0,
        fp_cost=1.0,
        model="linear",
        hidden_layer_sizes=(100,),
        activation="relu",
        solver="lbfgs",
        alpha=1.0,
        batch_size="auto",
        learning_rate_init=1e-3,
        max_iter=200,
        tol=1e-4,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        fit_intercept=True,
        threshold=0.5,
        random_state=None,
        n_jobs=None,
        normalize_gradient=False,
        dynamic_class_weight=False,
        dynamic_momentum=0.9,
        verbose=0,
        warm_start=False,
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
        self.fn_cost = fn_cost
        self.fp_cost = fp_cost
        self.model = model
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.tol = tol
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.fit_intercept = fit_intercept
        self.threshold = threshold
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.normalize_gradient = normalize_gradient
        self.dynamic_class_weight = dynamic_class_weight
        self.dynamic_momentum = dynamic_momentum
        self.verbose = verbose
        self.warm_start = warm_start

    @property
    def _parameter_constraints(self):
        # Built on access, so that losses registered after import are accepted.
        return {
            "loss": [StrOptions(set(LOSSES)), MultiLabelLoss],
            "gamma": [_NON_NEGATIVE],
            "focal_alpha": [Interval(Real, 0, 1, closed="both"), "array-like", None],
            "gamma_pos": [_NON_NEGATIVE],
            "gamma_neg": [_NON_NEGATIVE],
            "clip": [Interval(Real, 0, 1, closed="left")],
            # validated once, by the constructor of the loss that uses them (resolve_loss in fit)
            "label_smoothing": "no_validation",
            "negative_weight": "no_validation",
            "hill_lambda": "no_validation",
            "positive_margin": "no_validation",
            "splc_tau": "no_validation",
            "splc_warmup": "no_validation",
            "class_weight": [StrOptions({"balanced"}), dict, "array-like", None],
            "fn_cost": [_NON_NEGATIVE, StrOptions({"balanced"}), "array-like"],
            "fp_cost": [_NON_NEGATIVE, "array-like"],
            "model": [StrOptions({"linear", "mlp"})],
            "hidden_layer_sizes": ["array-like", _POSITIVE_INT],
            "activation": [StrOptions(set(ACTIVATIONS))],
            "solver": [StrOptions({"lbfgs", "adam"})],
            "alpha": [_NON_NEGATIVE],
            "batch_size": [StrOptions({"auto"}), _POSITIVE_INT],
            "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
            "max_iter": [_POSITIVE_INT],
            "tol": [_NON_NEGATIVE],
            "early_stopping": ["boolean"],
            "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
            "n_iter_no_change": [_POSITIVE_INT],
            "fit_intercept": ["boolean"],
            "threshold": [Interval(Real, 0, 1, closed="both")],
            "random_state": ["random_state"],
            "n_jobs": [Integral, None],
            "normalize_gradient": ["boolean"],
            "dynamic_class_weight": ["boolean"],
            "dynamic_momentum": [Interval(Real, 0, 1, closed="left")],
            "verbose": ["verbose"],
            "warm_start": ["boolean"],
        }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.classifier_tags.multi_class = False
        tags.input_tags.sparse = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Sparse CSR/CSC input is used as is, never densified.
        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or (n_samples,)
            A 0/1 label indicator matrix, or a 1-D binary target (any two class labels).
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : MultiLabelLossClassifier
        """
        loss = resolve_loss(self.loss, self.get_params(deep=False))
        self._check_costs(loss)
        self._check_training_options()
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        check_not_text(X)
        X = validate_data(self, X, accept_sparse=("csr", "csc"), dtype=np.float64)
        Y, classes = self._encode_target(y, X.shape[0])
        sample_weight = check_sample_weights(sample_weight, X.shape[0])
        warn_constant_labels(Y, sample_weight, type(self).__name__)
        pos_weight, neg_weight = self._label_weights(loss, Y, sample_weight)
        network = Network(
            [X.shape[1], *self._hidden_sizes(), Y.shape[1]], self.activation, self.fit_intercept
        )
        random_state = check_random_state(self.random_state)
        theta = self._initial_parameters(network, random_state, X.shape[1], Y.shape[1])
        dynamic = self._dynamic_weights(Y.shape[1])
        with thread_limits(self.n_jobs):
            result = self._solve(
                network, loss, theta, X, Y, sample_weight, pos_weight, neg_weight, random_state,
                dynamic,
            )
        if not result.converged:
            warnings.warn(
                f"{type(self).__name__}: the {self.solver} solver reached max_iter="
                f"{self.max_iter} without converging; increase max_iter or scale the data.",
                ConvergenceWarning,
            )
        self._store(network, result.theta)
        self.classes_ = classes
        self.loss_ = loss
        self.n_iter_ = result.n_iter
        self.loss_curve_ = result.loss_curve
        for name in _STREAM_STATE + ("validation_scores_", "best_validation_score_"):
            self.__dict__.pop(name, None)
        if result.validation_scores is not None:
            self.validation_scores_ = result.validation_scores
            self.best_validation_score_ = result.best_validation_score
        self._store_dynamic_weights(dynamic)
        return self

    @available_if(_stochastic_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Run one Adam epoch over a chunk of rows: the out-of-core route.

        The first call (or the first after ``fit``) fixes the number of
        features and labels and starts the Adam moments and step count (from
        the fitted coefficients after ``fit``); later calls continue them, so
        a loop over the chunks of a data set too large for memory trains the
        model, one minibatch at a time (``batch_size``). Each call descends the
        objective F of its chunk, whose penalty is alpha / (2 * the chunk's
        total sample weight) * ||W||^2: scale ``alpha`` by chunk size / n to
        match ``fit`` on n rows. ``class_weight="balanced"`` and
        ``fn_cost="balanced"`` are computed from the first chunk and then kept,
        so that chunk should be a representative (shuffled) sample. Dynamic
        label weights are updated after each call; ``early_stopping``,
        ``max_iter`` and ``tol`` are not used. Only with ``solver="adam"``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
        classes : array-like, default=None
            For a 1-D binary target, the two class labels, needed on the first
            call when its chunk holds one class only. For a 2-D target, any
            sequence of length n_labels. Must not change between calls.

        Returns
        -------
        self : MultiLabelLossClassifier
        """
        start = time.perf_counter()
        fitted = hasattr(self, "loss_")
        loss = self.loss_ if fitted else resolve_loss(self.loss, self.get_params(deep=False))
        self._check_costs(loss)
        check_not_text(X)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=not fitted)
        Y, classes = self._encode_chunk(y, X.shape[0], classes, fitted)
        sample_weight = check_sample_weights(sample_weight, X.shape[0])
        network = Network(
            [X.shape[1], *self._hidden_sizes(), Y.shape[1]], self.activation, self.fit_intercept
        )
        if not hasattr(self, "_adam_state"):
            self._start_stream(loss, network, Y, sample_weight, fitted)
        theta = network.pack(*self._layers())
        objective = Objective(
            network, loss, *self._stream_weights, self.alpha, X.shape[0], sample_weight.sum(),
            self.normalize_gradient,
        )
        if self._dynamic is not None:
            objective.set_label_weights(self._dynamic.weights)
        with thread_limits(self.n_jobs):
            epoch_loss = adam_epoch(
                objective, theta, X, Y, sample_weight, self._adam_state,
                batch_size=self._batch_size(X.shape[0]),
                learning_rate_init=self.learning_rate_init,
                random_state=self._stream_random_state,
            )
            if self._dynamic is not None:
                self._update_dynamic_weights(self._dynamic, objective, theta, X, Y, sample_weight)
        self._store(network, theta)
        self.classes_ = classes
        self.loss_ = loss
        self.n_iter_ += 1
        self.loss_curve_.append(epoch_loss)
        for name in ("validation_scores_", "best_validation_score_"):
            self.__dict__.pop(name, None)
        self._store_dynamic_weights(self._dynamic)
        if self.verbose:
            report(self.n_iter_, epoch_loss, start)
        return self

    def _start_stream(self, loss, network, Y, sample_weight, fitted):
        """First ``partial_fit`` call: parameters, label weights and a fresh Adam state."""
        random_state = check_random_state(self.random_state)
        if fitted:
            shapes = [c.shape for c in self._layers()[0]]
            if shapes != network.coef_shapes:
                raise ValueError(
                    f"partial_fit after fit needs the layer shapes of the fit {shapes}, got "
                    f"{network.coef_shapes}."
                )
        else:
            self._store(network, network.initial_parameters(random_state))
            self.n_iter_ = 0
            self.loss_curve_ = []
        self._stream_weights = self._label_weights(loss, Y, sample_weight)
        self._stream_random_state = random_state
        self._adam_state = AdamState.zeros(network.n_params)
        self._dynamic = self._dynamic_weights(Y.shape[1])

    def _label_weights(self, loss, Y, sample_weight):
        """``(pos_weight, neg_weight)`` of ``class_weight``, ``fn_cost``, ``fp_cost``
        (``class_weight=None`` means the loss's ``default_class_weight``)."""
        class_weight = self.class_weight
        if class_weight is None:
            class_weight = getattr(loss, "default_class_weight", None)
        return label_weights(
            class_weight, self.fn_cost, self.fp_cost, Y, sample_weight, loss.pointwise
        )

    def _encode_chunk(self, y, n_samples, classes, fitted):
        """The dense 0/1 target of a ``partial_fit`` chunk and ``classes_``."""
        if not sp.issparse(y):
            y = np.asarray(y)
        binary = not sp.issparse(y) and y.ndim == 1
        if fitted:
            if binary != self._binary:
                raise ValueError(
                    "partial_fit: y must keep the form of the first call ("
                    f"{'1-D binary' if self._binary else '2-D label indicator'})."
                )
            if classes is not None and not np.array_equal(
                self._classes_of(classes, binary), self.classes_
            ):
                raise ValueError(
                    f"partial_fit: classes={classes!r} differs from classes_={self.classes_!r} "
                    "of the first call."
                )
            known = self.classes_
        elif classes is None:
            return self._encode_target(y, n_samples)
        else:
            known = self._classes_of(classes, binary)
        self._binary = binary
        if not binary:
            Y = check_multilabel_target(y, n_samples=n_samples, allow_1d=False)
            if Y.shape[1] != known.size:
                raise ValueError(
                    f"partial_fit: y has {Y.shape[1]} labels, but {known.size} were fixed "
                    "by the first call (or by classes)."
                )
            return Y, known
        if known.size != 2 or not np.all(np.isin(y, known)):
            raise ValueError(
                f"partial_fit: a 1-D target must take the 2 values of classes={known!r}, "
                f"got {np.unique(y)!r}."
            )
        positive = (y == known[1]).astype(np.float64)
        return check_multilabel_target(positive, n_samples=n_samples), known

    @staticmethod
    def _classes_of(classes, binary):
        """``classes_`` from partial_fit's ``classes``: sorted labels (1-D) or arange (2-D)."""
        classes = np.asarray(classes)
        return np.unique(classes) if binary else np.arange(classes.size)

    def _check_training_options(self):
        if self.solver == "adam":
            return
        for name in ("normalize_gradient", "dynamic_class_weight"):
            if getattr(self, name):
                raise ValueError(
                    f"{name}=True needs solver='adam': with solver={self.solver!r} the "
                    "line search needs the exact gradient of a fixed objective."
                )

    def _dynamic_weights(self, n_labels):
        if not self.dynamic_class_weight:
            return None
        return DynamicLabelWeights(n_labels, self.dynamic_momentum)

    def _store_dynamic_weights(self, dynamic):
        self.__dict__.pop("dynamic_label_weights_", None)
        if dynamic is not None:
            self.dynamic_label_weights_ = dynamic.weights.copy()

    @staticmethod
    def _update_dynamic_weights(dynamic, objective, theta, X, Y, sample_weight):
        """Fold the labels' difficulty on these rows into ``dynamic``; reweight the objective."""
        logits = objective.logits(theta, X)
        weights = dynamic.update(label_difficulty(objective.loss, Y, logits, sample_weight))
        objective.set_label_weights(weights)

    def _check_costs(self, loss):
        if loss.pointwise:
            return
        for name in ("fn_cost", "fp_cost"):
            value = getattr(self, name)
            if isinstance(value, str) or np.any(np.asarray(value) != 1):
                raise ValueError(
                    f"The {loss.name!r} loss is not pointwise (it ranks positives against "
                    f"negatives): {name} must be 1, got {value!r}. Use class_weight instead."
                )

    def _hidden_sizes(self):
        if self.model == "linear":
            return []
        sizes = np.atleast_1d(np.asarray(self.hidden_layer_sizes))
        if sizes.ndim != 1 or sizes.size == 0 or sizes.dtype.kind not in "iu" or np.any(sizes < 1):
            raise ValueError(
                "hidden_layer_sizes must be a positive int or a non-empty sequence of "
                f"positive ints, got {self.hidden_layer_sizes!r}."
            )
        return sizes.tolist()

    def _encode_target(self, Y, n_samples):
        """Return the dense 0/1 target (n_samples, n_labels) and ``classes_``."""
        if not sp.issparse(Y):
            Y = np.asarray(Y)
        if sp.issparse(Y) or Y.ndim != 1:
            Y = check_multilabel_target(Y, n_samples=n_samples, allow_1d=False)
            self._binary = False
            return Y, np.arange(Y.shape[1])
        y = Y
        target_type = type_of_target(y, input_name="y", raise_unknown=True)
        if target_type != "binary":
            raise ValueError(
                "Only binary classification is supported for a 1-D target (use a 2-D 0/1 "
                f"indicator matrix for multi-label data). The type of the target is {target_type}."
            )
        classes = np.unique(y)
        if classes.size != 2:
            raise ValueError(
                f"A 1-D target needs samples of 2 classes; got 1 class ({classes[0]!r})."
            )
        positive = (y == classes[1]).astype(np.float64)
        self._binary = True
        return check_multilabel_target(positive, n_samples=n_samples), classes

    def _initial_parameters(self, network, random_state, n_features, n_labels):
        if not (self.warm_start and hasattr(self, "loss_")):
            return network.initial_parameters(random_state)
        coefs, intercepts = self._layers()
        shapes = [c.shape for c in coefs]
        if shapes != network.coef_shapes:
            raise ValueError(
                f"warm_start=True needs the layer shapes of the previous fit {shapes}, "
                f"got {network.coef_shapes} ({n_features} features, {n_labels} labels, "
                f"model={self.model!r})."
            )
        return network.pack(coefs, intercepts)

    def _solve(
        self, network, loss, theta, X, Y, sample_weight, pos_weight, neg_weight, random_state,
        dynamic=None,
    ):
        if self.solver == "lbfgs":
            objective = Objective(
                network, loss, pos_weight, neg_weight, self.alpha, X.shape[0], sample_weight.sum()
            )
            solve = per_label_lbfgs if splits_by_label(objective) else lbfgs
            return solve(
                objective, theta, X, Y, sample_weight,
                max_iter=self.max_iter, tol=self.tol, verbose=self.verbose,
            )
        if sp.issparse(X):
            X = X.tocsr()  # cheap row slicing for the minibatches
        validation_score = None
        if self.early_stopping:
            n_val = int(np.ceil(self.validation_fraction * X.shape[0]))
            if n_val >= X.shape[0]:
                raise ValueError(
                    f"early_stopping: validation_fraction={self.validation_fraction} of "
                    f"{X.shape[0]} samples leaves no training sample."
                )
            order = random_state.permutation(X.shape[0])
            val, train = order[:n_val], order[n_val:]
            X_val, Y_val, sw_val = X[val], Y[val], sample_weight[val]
            X, Y, sample_weight = X[train], Y[train], sample_weight[train]
        objective = Objective(
            network, loss, pos_weight, neg_weight, self.alpha, X.shape[0], sample_weight.sum(),
            self.normalize_gradient,
        )
        if self.early_stopping:
            def validation_score(params):
                return -objective.mean_loss(params, X_val, Y_val, sw_val)
        epoch_end = None
        if dynamic is not None:
            def epoch_end(params):
                self._update_dynamic_weights(dynamic, objective, params, X, Y, sample_weight)
        return adam(
            objective, theta, X, Y, sample_weight,
            batch_size=self._batch_size(X.shape[0]), learning_rate_init=self.learning_rate_init,
            max_iter=self.max_iter, tol=self.tol, n_iter_no_change=self.n_iter_no_change,
            random_state=random_state, validation_score=validation_score, epoch_end=epoch_end,
            verbose=self.verbose,
        )

    def _batch_size(self, n_samples):
        return min(200 if self.batch_size == "auto" else self.batch_size, n_samples)

    def _store(self, network, theta):
        coefs, intercepts = network.unpack(theta.copy())
        if intercepts is None:
            intercepts = [np.zeros(n_out) for _, n_out in network.coef_shapes]
        if self.model == "linear":
            self.coef_ = np.ascontiguousarray(coefs[0].T)
            self.intercept_ = intercepts[0]
            for name in ("coefs_", "intercepts_"):
                self.__dict__.pop(name, None)
        else:
            self.coefs_ = coefs
            self.intercepts_ = intercepts
            for name in ("coef_", "intercept_"):
                self.__dict__.pop(name, None)

    def _layers(self):
        if hasattr(self, "coef_"):
            return [self.coef_.T], [self.intercept_]
        return self.coefs_, self.intercepts_

    def _logits(self, X):
        check_is_fitted(self)
        check_not_text(X)
        X = validate_data(self, X, accept_sparse=("csr", "csc"), dtype=np.float64, reset=False)
        coefs, intercepts = self._layers()
        activation = self.activation if len(coefs) > 1 else "identity"
        network = Network([coefs[0].shape[0], *(c.shape[1] for c in coefs)], activation, True)
        return network.forward(X, coefs, intercepts)[-1]

    def decision_function(self, X):
        """Logits: shape (n_samples, n_labels), or (n_samples,) for a 1-D binary target."""
        logits = self._logits(X)
        return logits[:, 0] if self._binary else logits

    def predict_proba(self, X):
        """Sigmoid of the logits, shape (n_samples, n_labels).

        For a 1-D binary target: shape (n_samples, 2), the columns of ``classes_``.
        """
        proba = expit(self._logits(X))
        if self._binary:
            return np.hstack([1.0 - proba, proba])
        return proba

    def predict(self, X):
        """``predict_proba >= threshold``: a 0/1 matrix, or class labels for a 1-D binary target."""
        positive = expit(self._logits(X)) >= self.threshold
        if self._binary:
            return self.classes_[positive[:, 0].astype(np.intp)]
        return positive.astype(np.int64)
