"""Solvers over the flat parameter vector: full-batch L-BFGS and minibatch Adam."""

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

from .._config import jit

__all__ = ["SolverResult", "adam", "adam_step", "lbfgs"]


@dataclass
class SolverResult:
    """What a solver hands back to the estimator."""

    theta: np.ndarray
    n_iter: int
    converged: bool
    loss_curve: list = field(default_factory=list)
    validation_scores: list | None = None
    best_validation_score: float | None = None


def lbfgs(objective, theta, X, Y, sample_weight, *, max_iter, tol, verbose=0):
    """Minimise the objective on all rows with scipy's L-BFGS-B.

    Stops when the largest gradient component is below ``tol`` (``gtol``),
    when the relative decrease of F is below 64 machine epsilons (as
    LogisticRegression's lbfgs), or after ``max_iter`` iterations.
    """
    loss_curve = []

    def fun(params):
        return objective.value_gradient(params, X, Y, sample_weight)

    def callback(intermediate_result):
        loss_curve.append(float(intermediate_result.fun))
        if verbose:
            print(f"Iteration {len(loss_curve)}, loss = {loss_curve[-1]:.8f}")

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
    verbose=0,
    beta_1=0.9,
    beta_2=0.999,
    epsilon=1e-8,
):
    """Minibatch Adam (Kingma & Ba 2015) with the stopping rule of scikit-learn's MLP.

    Each epoch visits the rows once in a new random order (``random_state``).
    Training stops when, for more than ``n_iter_no_change`` consecutive epochs,
    the epoch's mean objective has not decreased by at least ``tol`` — or, when
    ``validation_score`` (a callable of ``theta``, higher is better) is given,
    the held-out score has not increased by at least ``tol``; the best
    parameters seen on the held-out set are then returned.
    """
    theta = theta.copy()
    grad = np.empty_like(theta)
    first_moment = np.zeros_like(theta)
    second_moment = np.zeros_like(theta)
    n_samples = X.shape[0]
    loss_curve, validation_scores = [], [] if validation_score is not None else None
    best_loss, best_score, best_theta = np.inf, -np.inf, None
    no_improvement, step, converged, epoch = 0, 0, False, 0
    for epoch in range(1, max_iter + 1):
        order = random_state.permutation(n_samples)
        epoch_loss = 0.0
        for start in range(0, n_samples, batch_size):
            rows = order[start : start + batch_size]
            value, grad = objective.value_gradient(theta, X[rows], Y[rows], sample_weight[rows], grad)
            epoch_loss += value * rows.shape[0]
            step += 1
            rate = learning_rate_init * np.sqrt(1.0 - beta_2**step) / (1.0 - beta_1**step)
            adam_step(theta, grad, first_moment, second_moment, rate, beta_1, beta_2, epsilon)
        loss_curve.append(epoch_loss / n_samples)
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
            extra = "" if validation_score is None else f", validation score = {score:.8f}"
            print(f"Iteration {epoch}, loss = {loss_curve[-1]:.8f}{extra}")
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
