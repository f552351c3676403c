"""The linear model on every (alpha, pos_weight) candidate at once: one warm-started path.

For the linear model on a label-separable loss the problem of label c under
the candidate (alpha, m) is

    F_cm(w, b) = L_c(X w + b; positive weight m_c p_c, negative weight q_c)
                 + alpha / (2 sum_i s_i) ||w||^2,

with p_c, q_c the label's own weights (the loss's default class weight) and
m_c the candidate multiplier of its positive term. Every F_cm depends on its
own (w, b) only, so the candidates of one alpha are P = n_labels *
n_multipliers independent problems: problem j = k * n_labels + c is label c
under multiplier k, i.e. column j of the tiled target [Y, Y, ..., Y]. They are
solved by one per-label L-BFGS run (:func:`~skmultilabel.models._batched_lbfgs.
batched_lbfgs`, in the memory-bounded blocks of ``PerLabelLBFGS``), whose
evaluations serve every running problem with one product X @ W, one loss
kernel pass and one product dZ.T @ X (no loop over samples, labels or
candidates). The problems are convex, so the starting point changes the
solution only within the solver tolerance; what the path saves is iterations:

* The alphas are visited from the strongest to the weakest, each run started
  from the previous solution extrapolated along the secant through the two
  previous solutions in log(alpha) (the solutions move smoothly with
  log(alpha)).
* Each run starts with the previous alpha's L-BFGS memory. F_cm at alpha'
  differs from F_cm at alpha by exactly (alpha' - alpha) / (2 sum_i s_i)
  ||w||^2, so a stored pair (s, y = grad F(x + s) - grad F(x)) of alpha is
  turned into the exact pair of alpha' by y += (alpha' - alpha) / sum_i s_i
  * s on the coefficients (not the intercept): the first step of a warm start
  is a quasi-Newton step instead of a steepest descent step of length 1,
  which a start near the solution overshoots (backtracking then costs several
  evaluations per problem).
* The first alpha starts from the intercept-only solution (every coefficient
  zero, each problem's intercept fitted alone: a cheap run on zero features),
  the path's exact limit at infinite alpha, and its first step is -g /
  penalty, the inverse of the penalty's curvature (from zeros, the badly
  scaled intercepts of rare labels cost most of the first alpha's
  iterations).

On bibtex (one fold: 477 problems of 1,837 parameters, 10 alphas) the path
took 53,800 problem evaluations at tol=1e-4 with a fresh memory per alpha,
27,300 at 1e-3 (the path tolerance of :class:`MultiLabelLossClassifierCV`,
10 x ``tol``), and 18,700 at 1e-3 with the memory carried. The memories of
all blocks are kept from one alpha to the next only while they fit
:data:`~skmultilabel.models._batched_lbfgs.MEMORY_BUDGET` (bibtex: 140 MB);
beyond, each alpha starts with a fresh memory.
"""

import numpy as np

from ..models import _batched_lbfgs
from ..models._batched_lbfgs import Curvature, PerLabelLBFGS, batched_lbfgs
from ..models._label_objective import LinearLabelObjective
from ..models._mlp import Network

__all__ = ["CandidateObjective", "alpha_path", "fit_problems", "linear_parameters"]

_EPS = np.finfo(float).eps
_MEMORY = 10


class CandidateObjective:
    """A sum of independent per-column problems of the linear model, for :class:`PerLabelLBFGS`.

    Parameters
    ----------
    network : Network
        Linear network with one output per problem.
    loss : MultiLabelLoss
        A label-separable loss, valid for any number of labels.
    pos_weight, neg_weight : ndarray of shape (n_problems,)
        Weights of the positive and negative terms of each problem.
    penalty : float or ndarray of shape (n_problems,)
        L2 strength(s) divided by the total sample weight.
    """

    separable_by_label = True

    def __init__(self, network, loss, pos_weight, neg_weight, penalty):
        self.network = network
        self.loss = loss
        self.pos_weight = pos_weight
        self.neg_weight = neg_weight
        self.penalty = penalty

    def label_problems(self, X, Y, sample_weight):
        """Return the per-column problems on these rows."""
        return LinearLabelObjective(
            self.network, self.loss, X, Y, sample_weight, self.pos_weight, self.neg_weight,
            self.penalty,
        )


def fit_problems(X, Y, sample_weight, loss, pos_weight, neg_weight, alpha, theta, *,
                 fit_intercept, max_iter, tol):
    """Fit one linear problem per column of ``Y``; return the :class:`SolverResult`.

    ``alpha`` is one strength or one per column; ``theta`` the starting
    parameters (None: zeros). Every array is converted to the dtype of ``X``.
    """
    dtype = X.dtype
    total = float(sample_weight.sum())
    network = Network([X.shape[1], Y.shape[1]], "identity", fit_intercept)
    penalty = np.asarray(alpha, dtype=dtype) / total if np.ndim(alpha) else alpha / total
    objective = CandidateObjective(
        network, loss, np.ascontiguousarray(pos_weight, dtype=dtype),
        np.ascontiguousarray(neg_weight, dtype=dtype), penalty,
    )
    if theta is None:
        theta = np.zeros(network.n_params, dtype=dtype)
    solver = PerLabelLBFGS(max_iter=max_iter, tol=tol)
    return solver.solve(
        objective, theta, X, np.ascontiguousarray(Y, dtype=dtype),
        np.ascontiguousarray(sample_weight, dtype=dtype),
    )


def alpha_path(X, Y, sample_weight, loss, pos_weight, neg_weight, alphas, *,
               fit_intercept, max_iter, tol):
    """Solve every candidate of ``alphas`` x multipliers, the alphas warm-started in turn.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features), float32 or float64
    Y : ndarray of shape (n_samples, n_labels)
    sample_weight : ndarray of shape (n_samples,)
    loss : MultiLabelLoss
    pos_weight : ndarray of shape (n_multipliers, n_labels)
        Positive-term weight of every label under every multiplier.
    neg_weight : ndarray of shape (n_labels,)
    alphas : sequence of float
        Visited in the order given (strongest first for the warm starts to pay).
    fit_intercept : bool
    max_iter, tol : int, float
        Of each problem's L-BFGS.

    Yields
    ------
    coef : ndarray of shape (n_multipliers, n_labels, n_features)
    intercept : ndarray of shape (n_multipliers, n_labels)
    converged : bool
        Whether every problem of this alpha converged.
    """
    n_multipliers, n_labels = pos_weight.shape
    n_features = X.shape[1]
    dtype = X.dtype
    tiled = np.ascontiguousarray(np.tile(Y, (1, n_multipliers)), dtype=dtype)
    weight = np.ascontiguousarray(sample_weight, dtype=dtype)
    pos = np.ascontiguousarray(pos_weight.ravel(), dtype=dtype)
    neg = np.ascontiguousarray(np.tile(neg_weight, n_multipliers), dtype=dtype)
    total = float(sample_weight.sum())
    n_problems = tiled.shape[1]
    rows = np.zeros((n_problems, n_features + fit_intercept), dtype=dtype)
    if fit_intercept:  # the path's limit at infinite alpha: intercepts only
        problems = _problems(X, tiled, weight, loss, pos, neg, 0.0, True).intercept_problems()
        rows[:, n_features:], _, _ = _solve(problems, rows[:, n_features:], None,
                                            max_iter=max_iter, tol=tol)
    previous = curvature = None
    # the memories of all blocks live from one alpha to the next: only within the budget
    carry = 2 * _MEMORY * rows.nbytes <= _batched_lbfgs.MEMORY_BUDGET
    if carry and alphas[0] > 0:  # the penalty's curvature alone: a first step -g / penalty
        curvature = _penalty_curvature(rows, total / alphas[0])
    for k, alpha in enumerate(alphas):
        start = rows
        if previous is not None and alpha > 0 and alphas[k - 2] != alphas[k - 1]:
            # secant predictor: the solutions move smoothly with log(alpha)
            step = np.log(alphas[k - 1] / alpha) / np.log(alphas[k - 2] / alphas[k - 1])
            start = rows + step * (rows - previous)
        if curvature is not None and k > 0:
            for memory in curvature:
                _shift_penalty(memory, (alpha - alphas[k - 1]) / total, n_features)
        problems = _problems(X, tiled, weight, loss, pos, neg, alpha / total, fit_intercept)
        solution, curvature, converged = _solve(problems, start, curvature, max_iter=max_iter,
                                                tol=tol)
        curvature = curvature if carry else None
        previous, rows = rows, solution
        coef = rows[:, :n_features].reshape(n_multipliers, n_labels, n_features)
        intercept = (rows[:, n_features] if fit_intercept else np.zeros(n_problems, dtype=dtype))
        yield coef, intercept.reshape(n_multipliers, n_labels), converged


def _penalty_curvature(rows, scale):
    """One memory per block of :func:`_solve`: no pairs, initial inverse Hessian ``scale`` I."""
    return [
        Curvature(np.zeros((block.size, _MEMORY, rows.shape[1]), dtype=rows.dtype),
                  np.zeros((block.size, _MEMORY, rows.shape[1]), dtype=rows.dtype),
                  np.full(block.size, _MEMORY - 1), np.zeros(block.size, dtype=np.intp),
                  np.full(block.size, scale))
        for block in _blocks(rows)
    ]


def _blocks(rows):
    """Problem indices of each block: the L-BFGS state of a block fits the memory budget."""
    size = PerLabelLBFGS(max_iter=1, tol=0.0, memory=_MEMORY).block_size(rows.shape[1],
                                                                         rows.dtype)
    return np.array_split(np.arange(rows.shape[0]), -(-rows.shape[0] // size))


def _shift_penalty(memory, change, n_features):
    """Make the L-BFGS pairs of ``memory`` those of the objective with ``change`` more penalty.

    The two objectives differ by change / 2 ||w||^2 exactly, so every gradient
    difference y gains change * s on the coefficients (not the intercept).
    A problem with a pair left without positive curvature s.y forgets its pairs.
    """
    memory.y_hist[:, :, :n_features] += change * memory.s_hist[:, :, :n_features]
    sy = np.einsum("kmp,kmp->km", memory.s_hist, memory.y_hist)
    yy = np.einsum("kmp,kmp->km", memory.y_hist, memory.y_hist)
    n_slots = sy.shape[1]
    age = (memory.head[:, None] - np.arange(n_slots)) % n_slots  # 0: the newest pair
    valid = age < memory.n_pairs[:, None]
    bad = np.any(valid & ~(sy > _EPS * yy), axis=1)
    memory.n_pairs[bad] = 0
    newest = np.arange(sy.shape[0]), memory.head
    with np.errstate(divide="ignore", invalid="ignore"):
        memory.gamma[:] = np.where(memory.n_pairs > 0, sy[newest] / yy[newest], 1.0)


def _problems(X, Y, sample_weight, loss, pos_weight, neg_weight, penalty, fit_intercept):
    """The per-column linear problems of ``Y`` on ``X`` with this penalty."""
    network = Network([X.shape[1], Y.shape[1]], "identity", fit_intercept)
    objective = CandidateObjective(network, loss, pos_weight, neg_weight, penalty)
    return objective.label_problems(X, Y, sample_weight)


def _solve(problems, rows, curvature, *, max_iter, tol):
    """Solve the problems from their parameter rows ``rows``, labels in memory-bounded blocks.

    ``curvature`` (one :class:`Curvature` per block, or None) is the L-BFGS
    memory to start from: along the path, that of the previous alpha,
    corrected for the change of penalty, so that a warm start takes
    quasi-Newton steps from its first iteration. Return the solution rows,
    the blocks' final memories and whether every problem converged.
    """
    blocks = _blocks(rows)
    curvature = curvature or [None] * len(blocks)
    solution, memories, converged = np.empty_like(rows), [], True
    # overflow in a line search is a rejected trial (as in PerLabelLBFGS)
    with np.errstate(over="ignore", invalid="ignore"):
        for block, memory in zip(blocks, curvature):
            result = batched_lbfgs(
                lambda x, labels, block=block: problems(x, block[labels]), rows[block],
                max_iter=max_iter, tol=tol, memory=_MEMORY, curvature=memory,
            )
            solution[block] = result.x
            memories.append(result.curvature)
            converged &= bool(result.converged.all())
    return solution, memories, converged


def linear_parameters(theta, n_features, n_outputs, fit_intercept):
    """``(coef, intercept)`` of shapes (n_outputs, n_features) and (n_outputs,) from ``theta``."""
    network = Network([n_features, n_outputs], "identity", fit_intercept)
    coefs, intercepts = network.unpack(theta)
    intercept = intercepts[0].copy() if fit_intercept else np.zeros(n_outputs, dtype=theta.dtype)
    return np.ascontiguousarray(coefs[0].T), intercept
