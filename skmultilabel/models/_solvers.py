"""Solvers over the flat parameter vector: full-batch L-BFGS and minibatch Adam."""

import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

from .._config import jit

__all__ = ["AdamState", "SolverResult", "adam", "adam_epoch", "adam_step", "lbfgs", "report"]


@dataclass
class SolverResult:
    """What a solver hands back to the estimator."""

    theta: np.ndarray
    n_iter: int
    converged: bool
    loss_curve: list = field(default_factory=list)
    validation_scores: list | None = None
    best_validation_score: float | None = None


def report(iteration, loss, start, validation_score=None, labels_training=None):
    """Print one progress line, in the style of scikit-learn's MLP (``verbose``).

    ``labels_training``: how many labels the per-label L-BFGS still optimises.
    """
    extra = "" if validation_score is None else f", validation score = {validation_score:.8f}"
    if labels_training is not None:
        extra += f", labels training = {labels_training}"
    elapsed = time.perf_counter() - start
    print(f"Iteration {iteration}, loss = {loss:.8f}{extra}, time = {elapsed:.2f}s")


def lbfgs(objective, theta, X, Y, sample_weight, *, max_iter, tol, verbose=0):
    """Minimise the objective on all rows with scipy's L-BFGS-B.

    Stops when the largest gradient component is below ``tol`` (``gtol``),
    when the relative decrease of F is below 64 machine epsilons (as
    LogisticRegression's lbfgs), or after ``max_iter`` iterations.
    """
    loss_curve = []
    start = time.perf_counter()

    def fun(params):
        return objective.value_gradient(params, X, Y, sample_weight)

    def callback(intermediate_result):
        loss_curve.append(float(intermediate_result.fun))
        if verbose:
            report(len(loss_curve), loss_curve[-1], start)

    result = minimize(
        fun,
        theta,
        method="L-BFGS-B",
        jac=True,
        callback=callback,
        options={
            "maxiter": max_iter,
            "maxfun": max(15000, 2 * max_iter),
            "gtol": tol,
            "ftol": 64 * np.finfo(float).eps,
            "maxls": 50,
        },
    )
    converged = result.status != 1  # 1: iteration or evaluation limit reached
    return SolverResult(result.x, int(result.nit), converged, loss_curve)


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
    def zeros(cls, n_params):
        return cls(np.zeros(n_params), np.zeros(n_params))


def adam_epoch(
    objective, theta, X, Y, sample_weight, state, *, batch_size, learning_rate_init,
    random_state, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
):
    """One Adam epoch: visit the rows once in a random order, update ``theta`` and ``state``
    in place; return the mean over the rows of the minibatch objectives."""
    n_samples = X.shape[0]
    order = random_state.permutation(n_samples)
    grad = np.empty_like(theta)
    epoch_loss = 0.0
    for start in range(0, n_samples, batch_size):
        rows = order[start : start + batch_size]
        value, grad = objective.value_gradient(theta, X[rows], Y[rows], sample_weight[rows], grad)
        epoch_loss += value * rows.shape[0]
        state.step += 1
        rate = learning_rate_init * np.sqrt(1.0 - beta_2**state.step) / (1.0 - beta_1**state.step)
        adam_step(
            theta, grad, state.first_moment, state.second_moment, rate, beta_1, beta_2, epsilon
        )
    return epoch_loss / n_samples


def adam(
    objective,
    theta,
    X,
    Y,
    sample_weight,
    *,
    batch_size,
    learning_rate_init,
    max_iter,
    tol,
    n_iter_no_change,
    random_state,
    validation_score=None,
    epoch_end=None,
    verbose=0,
):
    """Minibatch Adam (Kingma & Ba 2015) with the stopping rule of scikit-learn's MLP.

    Each epoch visits the rows once in a new random order (``random_state``).
    Training stops when, for more than ``n_iter_no_change`` consecutive epochs,
    the epoch's mean objective has not decreased by at least ``tol`` — or, when
    ``validation_score`` (a callable of ``theta``, higher is better) is given,
    the held-out score has not increased by at least ``tol``; the best
    parameters seen on the held-out set are then returned. ``epoch_end``, a
    callable of ``theta``, runs after each epoch (dynamic label weighting). A loss
    with ``needs_epoch`` (SPLC) is replaced by ``loss.for_epoch(epoch)`` before each epoch.
    """
    theta = theta.copy()
    state = AdamState.zeros(theta.shape[0])
    loss_curve, validation_scores = [], [] if validation_score is not None else None
    best_loss, best_score, best_theta = np.inf, -np.inf, None
    no_improvement, converged, epoch, score = 0, False, 0, None
    start = time.perf_counter()
    for epoch in range(1, max_iter + 1):
        if getattr(objective.loss, "needs_epoch", False):  # e.g. SPLC: a copy for this epoch
            objective.loss = objective.loss.for_epoch(epoch)
        loss_curve.append(
            adam_epoch(
                objective, theta, X, Y, sample_weight, state, batch_size=batch_size,
                learning_rate_init=learning_rate_init, random_state=random_state,
            )
        )
        if epoch_end is not None:
            epoch_end(theta)
        if validation_score is None:
            improved = loss_curve[-1] < best_loss - tol
            best_loss = min(best_loss, loss_curve[-1])
        else:
            score = validation_score(theta)
            validation_scores.append(score)
            improved = score > best_score + tol
            if score > best_score:
                best_score, best_theta = score, theta.copy()
        if verbose:
            report(epoch, loss_curve[-1], start, score)
        no_improvement = 0 if improved else no_improvement + 1
        if no_improvement > n_iter_no_change:
            converged = True
            break
    if best_theta is not None:
        theta = best_theta
    return SolverResult(
        theta,
        epoch,
        converged,
        loss_curve,
        validation_scores,
        None if validation_score is None else best_score,
    )
