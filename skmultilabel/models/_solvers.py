"""Solvers over the flat parameter vector, and the contract between solver and objective.

As in skglm (``solvers/base.py``), a solver states what it needs from the
objective it is handed: ``requires`` lists the attributes it uses, and
:meth:`Solver.check_objective` raises before the solver starts if one is
missing (or, for a flag such as ``separable_by_label``, false). The estimator
assembles the objective (loss, penalty, model) and picks the solver; the
solver never takes the objective apart.

* :class:`LBFGS`: scipy's L-BFGS-B on all parameters at once;
* :class:`PerLabelLBFGS` (:mod:`._batched_lbfgs`): one L-BFGS per label for an
  objective that declares itself a sum of per-label problems;
* :class:`Adam`: minibatch Adam, for ``fit`` (:meth:`Adam.solve`) and for one
  ``partial_fit`` epoch (:meth:`Adam.epoch`).
"""

import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

from .._config import jit

__all__ = ["LBFGS", "Adam", "AdamState", "Solver", "SolverResult", "adam_step", "report"]


@dataclass
class SolverResult:
    """What a solver hands back to the estimator.

    ``stalled`` is True when the solver stopped at its starting point without
    a single accepted step although the gradient there was not zero.
    """

    theta: np.ndarray
    n_iter: int
    converged: bool
    loss_curve: list = field(default_factory=list)
    validation_scores: list | None = None
    best_validation_score: float | None = None
    stalled: bool = False


def report(iteration, loss, start, validation_score=None, labels_training=None):
    """Print one progress line, in the style of scikit-learn's MLP (``verbose``).

    ``labels_training``: how many labels the per-label L-BFGS still optimises.
    """
    extra = "" if validation_score is None else f", validation score = {validation_score:.8f}"
    if labels_training is not None:
        extra += f", labels training = {labels_training}"
    elapsed = time.perf_counter() - start
    print(f"Iteration {iteration}, loss = {loss:.8f}{extra}, time = {elapsed:.2f}s")


class Solver:
    """Base class: ``requires`` names what the solver uses from the objective."""

    requires = ()

    def check_objective(self, objective):
        """Raise a ValueError naming what the objective lacks for this solver."""
        missing = [name for name in self.requires if not getattr(objective, name, False)]
        if missing:
            raise ValueError(
                f"{type(self).__name__} needs an objective with {', '.join(missing)}."
            )


class LBFGS(Solver):
    """scipy's L-BFGS-B on all rows and all parameters.

    Stops when the largest gradient component is below ``tol`` (``gtol``),
    when the relative decrease of F is below 64 machine epsilons (as
    LogisticRegression's lbfgs), or after ``max_iter`` iterations. scipy
    works in float64: a float32 objective is evaluated in float32 and its
    gradient handed to scipy in float64.
    """

    requires = ("value_gradient",)

    def __init__(self, *, max_iter, tol, verbose=0):
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose

    def solve(self, objective, theta, X, Y, sample_weight):
        """Minimise the objective from ``theta``; return a :class:`SolverResult`."""
        self.check_objective(objective)
        loss_curve = []
        start = time.perf_counter()
        dtype = theta.dtype

        def fun(params):
            value, grad = objective.value_gradient(params.astype(dtype, copy=False), X, Y,
                                                   sample_weight)
            return value, grad.astype(np.float64, copy=False)

        def callback(intermediate_result):
            loss_curve.append(float(intermediate_result.fun))
            if self.verbose:
                report(len(loss_curve), loss_curve[-1], start)

        result = minimize(
            fun,
            theta.astype(np.float64),
            method="L-BFGS-B",
            jac=True,
            callback=callback,
            options={
                "maxiter": self.max_iter,
                "maxfun": max(15000, 2 * self.max_iter),
                "gtol": self.tol,
                "ftol": 64 * np.finfo(float).eps,
                "maxls": 50,
            },
        )
        converged = result.status != 1  # 1: iteration or evaluation limit reached
        stalled = int(result.nit) == 0 and np.abs(result.jac).max(initial=0.0) > 0.0
        return SolverResult(
            result.x.astype(dtype), int(result.nit), converged, loss_curve, stalled=stalled
        )


@jit
def adam_step(theta, grad, first_moment, second_moment, rate, beta_1, beta_2, epsilon):
    """One Adam update of ``theta`` and of both moment estimates, in place, in one pass."""
    for k in range(theta.shape[0]):
        g = grad[k]
        m = beta_1 * first_moment[k] + (1.0 - beta_1) * g
        v = beta_2 * second_moment[k] + (1.0 - beta_2) * g * g
        first_moment[k] = m
        second_moment[k] = v
        theta[k] -= rate * m / (np.sqrt(v) + epsilon)


@dataclass
class AdamState:
    """Adam's moment estimates and step count, kept between epochs (and ``partial_fit`` calls)."""

    first_moment: np.ndarray
    second_moment: np.ndarray
    step: int = 0

    @classmethod
    def zeros(cls, n_params, dtype=np.float64):
        return cls(np.zeros(n_params, dtype=dtype), np.zeros(n_params, dtype=dtype))

    def copy(self):
        return AdamState(self.first_moment.copy(), self.second_moment.copy(), self.step)


class Adam(Solver):
    """Minibatch Adam (Kingma & Ba 2015) with the stopping rule of scikit-learn's MLP.

    Each epoch visits the rows once in a new random order (``random_state``).
    Training stops when, for more than ``n_iter_no_change`` consecutive epochs,
    the epoch's mean objective has not decreased by at least ``tol``, or, with
    held-out rows (``validation`` in :meth:`solve`), their score (the negated
    mean loss) has not increased by at least ``tol``; the best parameters seen
    on the held-out rows are then returned. After each epoch the objective's
    ``end_epoch`` runs on the training rows (dynamic label weighting).
    """

    requires = ("value_gradient", "end_epoch", "mean_loss")

    def __init__(self, *, batch_size, learning_rate_init, max_iter=1, tol=0.0,
                 n_iter_no_change=1, random_state, verbose=0, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-8):
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.random_state = random_state
        self.verbose = verbose
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def epoch(self, objective, theta, X, Y, sample_weight, state):
        """Run one epoch and return the mean over the rows of the minibatch objectives.

        Visit the rows once in a random order, update ``theta`` and ``state`` in place,
        then call the objective's ``end_epoch``.
        """
        n_samples = X.shape[0]
        order = self.random_state.permutation(n_samples)
        grad = np.empty_like(theta)
        epoch_loss = 0.0
        beta_1, beta_2 = self.beta_1, self.beta_2
        for start in range(0, n_samples, self.batch_size):
            rows = order[start : start + self.batch_size]
            value, grad = objective.value_gradient(
                theta, X[rows], Y[rows], sample_weight[rows], grad
            )
            epoch_loss += value * rows.shape[0]
            state.step += 1
            rate = (self.learning_rate_init * np.sqrt(1.0 - beta_2**state.step)
                    / (1.0 - beta_1**state.step))
            adam_step(theta, grad, state.first_moment, state.second_moment, rate, beta_1,
                      beta_2, self.epsilon)
        objective.end_epoch(theta, X, Y, sample_weight)
        return epoch_loss / n_samples

    def solve(self, objective, theta, X, Y, sample_weight, validation=None):
        """Train from ``theta`` for up to ``max_iter`` epochs; return a :class:`SolverResult`.

        ``validation``: the held-out ``(X, Y, sample_weight)`` of early stopping, or None.
        """
        self.check_objective(objective)
        theta = theta.copy()
        state = AdamState.zeros(theta.shape[0], theta.dtype)
        loss_curve, validation_scores = [], [] if validation is not None else None
        best_loss, best_score, best_theta = np.inf, -np.inf, None
        no_improvement, converged, epoch, score = 0, False, 0, None
        start = time.perf_counter()
        for epoch in range(1, self.max_iter + 1):
            loss_curve.append(self.epoch(objective, theta, X, Y, sample_weight, state))
            if validation is None:
                improved = loss_curve[-1] < best_loss - self.tol
                best_loss = min(best_loss, loss_curve[-1])
            else:
                score = -objective.mean_loss(theta, *validation)
                validation_scores.append(score)
                improved = score > best_score + self.tol
                if score > best_score:
                    best_score, best_theta = score, theta.copy()
            if self.verbose:
                report(epoch, loss_curve[-1], start, score)
            no_improvement = 0 if improved else no_improvement + 1
            if no_improvement > self.n_iter_no_change:
                converged = True
                break
        if best_theta is not None:
            theta = best_theta
        return SolverResult(
            theta, epoch, converged, loss_curve, validation_scores,
            None if validation is None else best_score,
        )
