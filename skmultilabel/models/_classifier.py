"""MultiLabelLossClassifier: a linear model or an MLP trained on any registered multi-label loss."""

import time
import warnings
from contextlib import contextmanager
from dataclasses import replace
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from ..losses import LOSSES, MultiLabelLoss, resolve_loss
from ..losses._base import loss_parameter_constraints
from ..utils import check_not_text, check_sample_weights, warn_constant_labels
from ..utils._sklearn_compat import Interval, StrOptions, _fit_context
from ._batched_lbfgs import PerLabelLBFGS
from ._mlp import ACTIVATIONS, Network
from ._objective import Objective
from ._solvers import LBFGS, Adam, AdamState, report
from ._stream import STREAM_PARAMS, Stream, changed_params
from ._target import encode_target
from ._threads import thread_limits
from ._training_options import DynamicLabelWeights
from ._weights import label_weights

__all__ = ["MultiLabelLossClassifier"]

_NON_NEGATIVE = Interval(Real, 0, None, closed="left")
_POSITIVE_INT = Interval(Integral, 1, None, closed="left")
_FLOAT_DTYPES = (np.float64, np.float32)
# Every attribute a fit sets; a successful fit replaces them all at once.
_FITTED_STATE = (
    "coef_", "intercept_", "coefs_", "intercepts_", "classes_", "loss_", "n_iter_",
    "loss_curve_", "validation_scores_", "best_validation_score_", "dynamic_label_weights_",
    "_binary", "_stream",
)


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
    ``LogisticRegression(C=1)`` per label. Computation is in the dtype of
    ``X``: float32 input stays float32 (coefficients, products, loss kernels
    and solver state), anything else is converted to float64.

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
        ``solver="adam"`` (it depends on the epoch; with ``partial_fit`` each call
        is one epoch): other solvers raise a ValueError.
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
        default is ``LogisticRegression(C=1)`` on each label. The objective F
        above is the same for both solvers: each Adam step follows an unbiased
        estimate of dF, whose penalty gradient is alpha / sum_i s_i * W. With
        L-BFGS this is ``MLPClassifier``'s scale; ``MLPClassifier`` with
        minibatches of b rows instead penalises each step by alpha / b * W, so
        ``MLPClassifier(alpha=a, batch_size=b)`` with Adam matches
        ``alpha = a * n / b`` here (n rows of unit weight).
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
    contrastive_weight : float, default=0.0
        lambda >= 0 of a multi-label supervised contrastive term added to the
        objective of every minibatch: needs ``model="mlp"`` and
        ``solver="adam"`` (0 trains exactly as without it). On a minibatch B
        with last hidden representations h_i, z_i = h_i / ||h_i||,
        s_ik = z_i . z_k / T, the Jaccard similarity a_ij of the label sets of
        i and j, A_i = sum_{j != i} a_ij and P the anchors with A_i > 0::

            C = sum_{i in P} s_i L_i / sum_{i in P} s_i,
            L_i = -sum_{j != i} (a_ij / A_i) (s_ij - log sum_{k != i} exp(s_ik)),

        the supervised contrastive loss of Khosla et al. (2020, "L_out") with
        its positives weighted by label overlap, as in the multi-label variants
        (Zhang & Wu 2024): samples that share more labels are pulled closer,
        samples with disjoint label sets pushed apart. The minibatch objective
        is its loss term plus ``contrastive_weight * C`` plus the penalty.
        It combines with every pointwise loss, class weights and costs.
    contrastive_temperature : float, default=0.1
        The temperature T > 0 of the contrastive term.
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
        contrastive_weight=0.0,
        contrastive_temperature=0.1,
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
        self.contrastive_weight = contrastive_weight
        self.contrastive_temperature = contrastive_temperature

    @property
    def _parameter_constraints(self):
        # Built on access, so that losses registered after import are accepted.
        return {
            "loss": [StrOptions(set(LOSSES)), MultiLabelLoss],
            **loss_parameter_constraints(),
            "class_weight": [StrOptions({"balanced"}), dict, "array-like", None],
            "fn_cost": [_NON_NEGATIVE, StrOptions({"balanced"}), "array-like"],
            "fp_cost": [_NON_NEGATIVE, "array-like"],
            "model": [StrOptions({"linear", "mlp"})],
            "hidden_layer_sizes": "no_validation",  # checked once, by _hidden_sizes
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
            "contrastive_weight": [_NON_NEGATIVE],
            "contrastive_temperature": [Interval(Real, 0, None, closed="neither")],
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

        A fit that raises leaves the estimator as it was before the call.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Sparse CSR/CSC input is used as is, never densified. float32 stays float32.
        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or (n_samples,)
            A 0/1 label indicator matrix, or a 1-D binary target (any two class labels).
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : MultiLabelLossClassifier
        """
        return self._fit(X, y, sample_weight, classes=None, incremental=False)

    @available_if(_stochastic_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Run one Adam epoch over a chunk of rows: the out-of-core route.

        The first call (or the first after ``fit``) starts a stream: it fixes
        the number of features and labels, the dtype, the loss and the model
        (the parameters that shape them may not change until ``fit`` starts
        afresh: a ValueError names them), and starts the Adam moments and step
        count (from the fitted coefficients after ``fit``); later calls
        continue them, so a loop over the chunks of a data set too large for
        memory trains the model, one minibatch at a time (``batch_size``).
        Each call descends the objective F of its chunk, whose penalty is
        alpha / (2 * the chunk's total sample weight) * ||W||^2: scale
        ``alpha`` by chunk size / n to match ``fit`` on n rows.
        ``class_weight="balanced"`` and ``fn_cost="balanced"`` are computed
        from the first chunk and then kept, so that chunk should be a
        representative (shuffled) sample; labels never or always positive in
        it get a warning, as in ``fit``. Dynamic label weights are updated
        after each call; ``early_stopping``, ``max_iter`` and ``tol`` are not
        used. A call that raises leaves the stream as it was. Only with
        ``solver="adam"``.

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
        return self._fit(X, y, sample_weight, classes=classes, incremental=True)

    def _fit(self, X, y, sample_weight, classes, incremental):
        """The one fit path of ``fit`` (``incremental=False``) and ``partial_fit``.

        Validate, initialise (on the first pass: a fit, or a stream's first
        ``partial_fit`` call), solve, then store every fitted attribute at once.
        """
        start = time.perf_counter()
        with _restored_on_error(self):
            stream = self._stream_to_continue() if incremental else None
            loss = stream.loss if stream else resolve_loss(self.loss, self.get_params(deep=False))
            self._check_options(loss)
            if y is None:
                raise ValueError(
                    f"{type(self).__name__} requires y to be passed, but the target y is None."
                )
            check_not_text(X)
            keeps_features = incremental and hasattr(self, "loss_")
            X = validate_data(
                self, X, accept_sparse=("csr", "csc"), reset=not keeps_features,
                dtype=stream.dtype if stream else _FLOAT_DTYPES,
            )
            dtype = X.dtype
            target = encode_target(
                y, X.shape[0], classes=classes, previous=stream.target if stream else None
            )
            Y = target.Y.astype(dtype, copy=False)
            sample_weight = check_sample_weights(sample_weight, X.shape[0])
            network = Network(
                [X.shape[1], *self._hidden_sizes(), Y.shape[1]], self.activation,
                self.fit_intercept,
            )
            if stream is None:
                warn_constant_labels(Y, sample_weight, type(self).__name__)
                pos_weight, neg_weight = self._label_weights(loss, Y, sample_weight)
                random_state = check_random_state(self.random_state)
                theta = self._initial_parameters(network, random_state, dtype, incremental)
            else:
                pos_weight, neg_weight = stream.pos_weight, stream.neg_weight
                theta = network.pack(*self._layers(), dtype=dtype)
            sample_weight = sample_weight.astype(dtype, copy=False)
            loss.check_n_labels(Y.shape[1])
            with thread_limits(self.n_jobs):
                if incremental:
                    if stream is None:
                        stream = self._start_stream(
                            loss, target, dtype, pos_weight, neg_weight, random_state, theta
                        )
                    state, epoch_loss = self._partial_fit_epoch(
                        stream, network, loss, theta, X, Y, sample_weight
                    )
                else:
                    state = self._full_fit(
                        network, loss, theta, X, Y, sample_weight, pos_weight, neg_weight,
                        random_state,
                    )
            del theta  # the start: free before the solution is copied into the attributes
            state.update(self._parameters_state(network, state.pop("theta")))
            state.update(classes_=target.classes, loss_=loss, _binary=target.binary)
            self._set_fitted_state(state)
        if incremental and self.verbose:
            report(self.n_iter_, epoch_loss, start)
        return self

    def _stream_to_continue(self):
        """The stream that this ``partial_fit`` call continues, or None to start one."""
        stream = getattr(self, "_stream", None)
        if stream is None:
            return None
        params = {name: getattr(self, name) for name in STREAM_PARAMS}
        changed = changed_params(stream.params, params)
        if changed:
            raise ValueError(
                f"partial_fit: {', '.join(changed)} changed since the first partial_fit call; "
                "these parameters are fixed for a stream. Call fit to start afresh (or clone "
                "the estimator)."
            )
        return stream

    def _start_stream(self, loss, target, dtype, pos_weight, neg_weight, random_state, theta):
        """A new stream, from the fitted or initial parameters ``theta``."""
        params = self.get_params(deep=False)
        return Stream(
            {name: params[name] for name in STREAM_PARAMS}, loss, replace(target, Y=None), dtype,
            pos_weight, neg_weight, AdamState.zeros(theta.shape[0], dtype), random_state,
            self._dynamic_weights(len(pos_weight)),
        )

    def _partial_fit_epoch(self, stream, network, loss, theta, X, Y, sample_weight):
        """One Adam epoch on a copy of the stream; return the new state and the epoch's loss."""
        stream = stream.copy()
        objective = Objective(
            network, loss, stream.pos_weight, stream.neg_weight, self.alpha, X.shape[0],
            sample_weight.sum(), self.normalize_gradient, stream.dynamic_weights, X.dtype,
            self.contrastive_weight, self.contrastive_temperature,
        )
        solver = Adam(
            batch_size=self._batch_size(X.shape[0]), learning_rate_init=self.learning_rate_init,
            random_state=stream.random_state,
        )
        if sp.issparse(X):
            X = X.tocsr()  # cheap row slicing for the minibatches
        fitted = hasattr(self, "loss_")
        number = self.n_iter_ + 1 if fitted else 1  # epochs of the stream, fit's included
        epoch_loss = solver.epoch(objective, theta, X, Y, sample_weight, stream.adam, number)
        state = {
            "theta": theta,
            "_stream": stream,
            "n_iter_": number,
            "loss_curve_": (self.loss_curve_ if fitted else []) + [epoch_loss],
        }
        state.update(self._dynamic_state(stream.dynamic_weights))
        return state, epoch_loss

    def _full_fit(self, network, loss, theta, X, Y, sample_weight, pos_weight, neg_weight,
                  random_state):
        """Solve with L-BFGS or Adam on all rows; return the new state."""
        validation = None
        if self.solver == "adam":
            if sp.issparse(X):
                X = X.tocsr()  # cheap row slicing for the minibatches
            if self.early_stopping:
                X, Y, sample_weight, validation = self._hold_out(X, Y, sample_weight, random_state)
        dynamic = self._dynamic_weights(Y.shape[1])
        objective = Objective(
            network, loss, pos_weight, neg_weight, self.alpha, X.shape[0], sample_weight.sum(),
            self.normalize_gradient, dynamic, X.dtype, self.contrastive_weight,
            self.contrastive_temperature,
        )
        if self.solver == "adam":
            solver = Adam(
                batch_size=self._batch_size(X.shape[0]),
                learning_rate_init=self.learning_rate_init, max_iter=self.max_iter,
                tol=self.tol, n_iter_no_change=self.n_iter_no_change,
                random_state=random_state, verbose=self.verbose,
            )
            result = solver.solve(objective, theta, X, Y, sample_weight, validation)
        else:
            solver_class = PerLabelLBFGS if objective.separable_by_label else LBFGS
            solver = solver_class(max_iter=self.max_iter, tol=self.tol, verbose=self.verbose)
            result = solver.solve(objective, theta, X, Y, sample_weight)
        self._warn_about(result)
        state = {"theta": result.theta, "n_iter_": result.n_iter, "loss_curve_": result.loss_curve}
        if result.validation_scores is not None:
            state["validation_scores_"] = result.validation_scores
            state["best_validation_score_"] = result.best_validation_score
        state.update(self._dynamic_state(dynamic))
        return state

    def _hold_out(self, X, Y, sample_weight, random_state):
        """Split off ``validation_fraction`` of the rows for early stopping."""
        n_val = int(np.ceil(self.validation_fraction * X.shape[0]))
        if n_val >= X.shape[0]:
            raise ValueError(
                f"early_stopping: validation_fraction={self.validation_fraction} of "
                f"{X.shape[0]} samples leaves no training sample."
            )
        order = random_state.permutation(X.shape[0])
        val, train = order[:n_val], order[n_val:]
        validation = (X[val], Y[val], sample_weight[val])
        return X[train], Y[train], sample_weight[train], validation

    def _warn_about(self, result):
        """Warn when the solver hit max_iter, or took no step (a silent non-training)."""
        if result.stalled and not (self.warm_start and hasattr(self, "loss_")):
            warnings.warn(
                f"{type(self).__name__}: the {self.solver} solver stopped at its starting point "
                "without a single step, so the model was not trained: the objective is too "
                "flat or too steep there at float precision. Typical causes are features of "
                "huge magnitude, tiny class or sample weights, or a large focal gamma; scale "
                "the features (e.g. StandardScaler) or the weights, or lower tol.",
                ConvergenceWarning,
            )
        elif not result.converged:
            warnings.warn(
                f"{type(self).__name__}: the {self.solver} solver reached max_iter="
                f"{self.max_iter} without converging; increase max_iter or scale the data.",
                ConvergenceWarning,
            )

    def _set_fitted_state(self, state):
        """Replace every fitted attribute by those of ``state`` (absent ones are removed)."""
        for name in _FITTED_STATE:
            self.__dict__.pop(name, None)
        self.__dict__.update(state)

    def _label_weights(self, loss, Y, sample_weight):
        """Per-label ``(pos_weight, neg_weight)`` of ``class_weight``, ``fn_cost``, ``fp_cost``.

        ``class_weight=None`` means the loss's ``default_class_weight``.
        """
        class_weight = self.class_weight
        if class_weight is None:
            class_weight = getattr(loss, "default_class_weight", None)
        return label_weights(
            class_weight, self.fn_cost, self.fp_cost, Y, sample_weight, loss.pointwise
        )

    def _check_options(self, loss):
        """Raise for options the solver or the loss cannot honour."""
        if not loss.pointwise:
            for name in ("fn_cost", "fp_cost"):
                value = getattr(self, name)
                if isinstance(value, str) or np.any(np.asarray(value) != 1):
                    raise ValueError(
                        f"The {loss.name!r} loss is not pointwise (it ranks positives against "
                        f"negatives): {name} must be 1, got {value!r}. Use class_weight instead."
                    )
        if self.contrastive_weight > 0 and (self.model, self.solver) != ("mlp", "adam"):
            raise ValueError(
                f"contrastive_weight={self.contrastive_weight} needs model='mlp' and "
                f"solver='adam' (the term acts on the hidden representation of each "
                f"minibatch), got model={self.model!r}, solver={self.solver!r}: set "
                "model='mlp' and solver='adam', or contrastive_weight=0."
            )
        if self.solver == "adam":
            return
        if getattr(loss, "needs_epoch", False):
            raise ValueError(
                f"The {loss.name!r} loss changes from one training epoch to the next: it needs "
                f"solver='adam' (fit or partial_fit), got solver={self.solver!r}."
            )
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

    @staticmethod
    def _dynamic_state(dynamic):
        if dynamic is None:
            return {}
        return {"dynamic_label_weights_": dynamic.weights.copy()}

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

    def _initial_parameters(self, network, random_state, dtype, incremental):
        """Start of a fit or of a stream: the fitted parameters, or new ones.

        ``fit`` continues from the fitted parameters with ``warm_start=True``,
        a stream's first ``partial_fit`` call whenever the model is fitted.
        """
        if not ((self.warm_start or incremental) and hasattr(self, "loss_")):
            return network.initial_parameters(random_state, dtype)
        coefs, intercepts = self._layers()
        shapes = [c.shape for c in coefs]
        if shapes != network.coef_shapes:
            reason = "partial_fit after fit" if incremental else "warm_start=True"
            raise ValueError(
                f"{reason} needs the layer shapes of the previous fit {shapes}, got "
                f"{network.coef_shapes} ({network.coef_shapes[0][0]} features, "
                f"{network.coef_shapes[-1][1]} labels, model={self.model!r})."
            )
        return network.pack(coefs, intercepts, dtype)

    def _batch_size(self, n_samples):
        return min(200 if self.batch_size == "auto" else self.batch_size, n_samples)

    def _parameters_state(self, network, theta):
        """The fitted coefficient attributes of the network parameters ``theta``."""
        coefs, intercepts = network.unpack(theta)
        if intercepts is None:
            intercepts = [np.zeros(n_out, dtype=theta.dtype) for _, n_out in network.coef_shapes]
        if self.model == "linear":  # coefs[0].T is not C-contiguous: the only full copy
            return {"coef_": np.ascontiguousarray(coefs[0].T), "intercept_": intercepts[0].copy()}
        return {"coefs_": [c.copy() for c in coefs], "intercepts_": [b.copy() for b in intercepts]}

    def _layers(self):
        if hasattr(self, "coef_"):
            return [self.coef_.T], [self.intercept_]
        return self.coefs_, self.intercepts_

    def _logits(self, X):
        check_is_fitted(self)
        check_not_text(X)
        X = validate_data(self, X, accept_sparse=("csr", "csc"), dtype=_FLOAT_DTYPES, reset=False)
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

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed stably from the logits."""
        logits = self._logits(X)
        if self._binary:
            return np.hstack([log_expit(-logits), log_expit(logits)])
        return log_expit(logits)

    def predict(self, X):
        """``predict_proba >= threshold``: a 0/1 matrix, or class labels for a 1-D binary target."""
        positive = expit(self._logits(X)) >= self.threshold
        if self._binary:
            return self.classes_[positive[:, 0].astype(np.intp)]
        return positive.astype(np.int64)


@contextmanager
def _restored_on_error(estimator):
    """Put back the estimator's attributes as they were if the block raises."""
    saved = dict(estimator.__dict__)
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(saved)
        raise
