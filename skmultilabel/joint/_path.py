"""The linear model on every (alpha, pos_weight) candidate at once: one warm-started path.

For the linear model on a label-separable loss the problem of label c under
the candidate (alpha, m) is

    F_cm(w, b) = L_c(X w + b; positive weight m_c p_c, negative weight q_c)
                 + alpha / (2 sum_i s_i) ||w||^2,

with p_c, q_c the label's own weights (the loss's default class weight) and
m_c the candidate multiplier of its positive term. Every F_cm depends on its
own (w, b) only, so the candidates of one alpha are P = n_labels *
n_multipliers independent problems: problem j = k * n_labels + c is label c
under multiplier k. They are solved by one per-label L-BFGS run
(:func:`~skmultilabel.models._batched_lbfgs.batched_lbfgs`, in the
memory-bounded blocks of ``PerLabelLBFGS``), whose evaluations serve every
running problem with one product X @ W, one loss kernel pass and one product
dZ.T @ X (no loop over samples, labels or candidates). The problems are
convex, so the starting point changes the solution only within the solver
tolerance; what the path saves is evaluations:

* The alphas are visited from the strongest to the weakest, each run started
  from the previous solution. F_cm at alpha' differs from F_cm at alpha by
  exactly (alpha' - alpha) / (2 sum_i s_i) ||w||^2, so the value and
  gradient there are known without evaluating: the value gains that term,
  the gradient (alpha' - alpha) / sum_i s_i * w on the coefficients.
* Each run starts with the previous alpha's L-BFGS memory, made exact for
  alpha' the same way: a stored pair (s, y = grad F(x + s) - grad F(x))
  becomes that of alpha' by y += (alpha' - alpha) / sum_i s_i * s on the
  coefficients (:func:`shift_pairs`). The first step of a warm start is then
  a quasi-Newton step, close to the Newton predictor of the path, instead of
  a steepest descent step of length 1, which a start near the solution
  overshoots (backtracking then costs several evaluations per problem).
* The first alpha starts from the intercept-only solution (every coefficient
  zero, each problem's intercept fitted alone: a cheap run on zero features),
  the path's exact limit at infinite alpha (from zeros, the badly scaled
  intercepts of rare labels cost most of the first alpha's iterations).
* The L-BFGS of every alpha is preconditioned: its initial inverse Hessian
  is gamma D, D diagonal, 1 / penalty on the coefficients (the penalty's
  curvature, which dominates at the strong alphas) and, on the intercept,
  which the penalty leaves alone, the inverse curvature of the problem's
  intercept-only fit (a secant over 0.1, one evaluation on no feature). The
  first step of the first alpha is then -D g; gamma = s.y / y.D y after.
  With the scalar 1 / penalty on every parameter instead, as before, the
  intercepts' first steps at the first alpha were too short by factors of
  4 ("balanced" problems) to 360 (rare labels unweighted) on bibtex.

Every problem stops at the same gradient tolerance. A tolerance on each
problem's weighted mean loss (its gradient divided by its loss weight per
sample, as scikit-learn's LogisticRegression normalises by the class-weighted
sample weight) saved 8% on bibtex, but with ``fp_cost=1000`` it loosened the
tolerance 1000-fold and stopped the candidates at the intercept-only fit
(yeast out-of-fold macro-F1 0.4747 fell to 0.4245): the negatives' weight
grows the loss, not the signal that ranks the positives.

On bibtex (one fold: 477 problems of 1,837 parameters, 10 alphas) the path
took 53,800 problem evaluations at tol=1e-4 with a fresh memory per alpha,
27,300 at 1e-3 (the path tolerance of :class:`MultiLabelLossClassifierCV`,
10 x ``tol``), 16,600 at 1e-3 with the memory carried and each alpha started
from the secant extrapolation of the two previous solutions (an evaluation
per problem at the start), 15,600 with the known start (out-of-fold
macro-F1 of the whole search: 0.4001 before, 0.3999 after) and 14,000 with
the diagonal (first alpha 3,540 -> 2,540; out-of-fold 0.4009; the diagonal
scaled by 0.5 or 2 on the intercept: 14,400 and 14,100). The memories of
all blocks are kept from one alpha to the next only while they fit
:data:`~skmultilabel.models._batched_lbfgs.MEMORY_BUDGET` (bibtex: 140 MB);
beyond, each alpha starts with a fresh memory.
"""

import numpy as np

from .._config import jit
from ..models import _batched_lbfgs
from ..models._batched_lbfgs import Curvature, PerLabelLBFGS, batched_lbfgs, kernel_diagonal
from ..models._label_objective import LinearLabelObjective
from ..models._mlp import Network

__all__ = [
    "CandidateObjective", "alpha_path", "fit_problems", "linear_parameters", "shift_pairs",
]

_MEMORY = 10
_SECANT_STEP = 0.1


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
    n_problems = n_multipliers * n_labels
    weight = np.ascontiguousarray(sample_weight, dtype=dtype)
    pos = np.ascontiguousarray(pos_weight.ravel(), dtype=dtype)
    neg = np.ascontiguousarray(np.tile(neg_weight, n_multipliers), dtype=dtype)
    total = float(sample_weight.sum())
    blocks = _blocks(n_problems, n_features + fit_intercept, dtype)
    # each block's own target columns (problem j is label j % n_labels): gathering the
    # columns of a block's running problems then reads a narrow array
    targets = [np.ascontiguousarray(Y[:, block % n_labels], dtype=dtype) for block in blocks]

    def problems(penalty):
        return [_problems(X, target, weight, loss, pos[block], neg[block], penalty,
                          fit_intercept) for target, block in zip(targets, blocks)]

    rows = np.zeros((n_problems, n_features + fit_intercept), dtype=dtype)
    intercept_scale = None
    if fit_intercept:  # the path's limit at infinite alpha: intercepts only
        alone = [block_problems.intercept_problems() for block_problems in problems(0.0)]
        rows[:, n_features:], _, _, slopes, _ = _solve(
            alone, blocks, rows[:, n_features:], None, max_iter=max_iter, tol=tol
        )
        intercept_scale = _inverse_curvature(alone, blocks, rows[:, n_features:], slopes)
    curvature = values = gradients = None
    # the memories of all blocks live from one alpha to the next: only within the budget
    carry = (2 * _MEMORY + 1) * rows.nbytes <= _batched_lbfgs.MEMORY_BUDGET
    if carry and alphas[0] > 0:  # a first step -D g: -g / penalty, the intercept by its own scale
        curvature = _penalty_curvature(blocks, rows)
    for k, alpha in enumerate(alphas):
        if curvature is not None:
            _set_diagonal(curvature, blocks, total / alpha if alpha > 0 else None,
                           intercept_scale)
        if k > 0:  # from the previous solution, its value and gradient corrected exactly
            change = (alpha - alphas[k - 1]) / total
            coef = rows[:, :n_features]
            values = values + 0.5 * change * np.einsum("ij,ij->i", coef, coef)
            gradients[:, :n_features] += change * coef
            if curvature is not None:
                for memory in curvature:
                    _shift_penalty(memory, change, n_features)
        rows, curvature, values, gradients, converged = _solve(
            problems(alpha / total), blocks, rows, curvature, values, gradients,
            max_iter=max_iter, tol=tol,
        )
        curvature = curvature if carry else None
        coef = rows[:, :n_features].reshape(n_multipliers, n_labels, n_features)
        intercept = (rows[:, n_features] if fit_intercept else np.zeros(n_problems, dtype=dtype))
        yield coef, intercept.reshape(n_multipliers, n_labels), converged


def _penalty_curvature(blocks, rows):
    """One memory per block: no pairs, gamma 1, a diagonal for :func:`_set_diagonal` to fill."""
    return [
        Curvature(np.zeros((block.size, _MEMORY, rows.shape[1]), dtype=rows.dtype),
                  np.zeros((block.size, _MEMORY, rows.shape[1]), dtype=rows.dtype),
                  np.full(block.size, _MEMORY - 1), np.zeros(block.size, dtype=np.intp),
                  np.ones(block.size), np.empty((block.size, rows.shape[1]), dtype=rows.dtype))
        for block in blocks
    ]


def _set_diagonal(curvature, blocks, penalty_scale, intercept_scale):
    """Set each memory's diagonal: ``penalty_scale`` on the coefficients, each intercept its own.

    ``penalty_scale`` is the inverse of the penalty's curvature (None without
    penalty: no diagonal, the scale then comes from the pairs alone);
    ``intercept_scale`` the inverse curvature of each problem's intercept-only
    fit (None without intercept).
    """
    for block, memory in zip(blocks, curvature):
        if penalty_scale is None:
            memory.diagonal = None
            continue
        if memory.diagonal is None:
            memory.diagonal = np.empty(memory.s_hist[:, 0].shape, dtype=memory.s_hist.dtype)
        memory.diagonal[...] = penalty_scale
        if intercept_scale is not None:
            memory.diagonal[:, -1] = intercept_scale[block]


def _inverse_curvature(alone, blocks, intercepts, slopes):
    """Each intercept-only problem's inverse curvature at its solution, by a secant.

    One evaluation at ``intercepts`` + 1/10 (no product with X): the change of
    slope over the step. Where it is not positive and finite, 1.
    """
    scale = np.ones(intercepts.shape[0])
    for block, block_problems in zip(blocks, alone):
        _, moved = block_problems(intercepts[block] + _SECANT_STEP, np.arange(block.size))
        with np.errstate(divide="ignore", invalid="ignore"):
            inverse = _SECANT_STEP / (moved[:, 0] - slopes[block, 0])
        scale[block] = np.where(np.isfinite(inverse) & (inverse > 0), inverse, 1.0)
    return scale


def _blocks(n_problems, n_params, dtype):
    """Problem indices of each block: the L-BFGS state of a block fits the memory budget."""
    size = PerLabelLBFGS(max_iter=1, tol=0.0, memory=_MEMORY).block_size(n_params, dtype)
    return np.array_split(np.arange(n_problems), -(-n_problems // size))


def _shift_penalty(memory, change, n_features):
    """Make the L-BFGS pairs of ``memory`` those of the objective with ``change`` more penalty.

    The two objectives differ by change / 2 ||w||^2 exactly, so every gradient
    difference y gains change * s on the coefficients (not the intercept).
    A problem with a pair left without positive curvature s.y forgets its pairs.
    """
    shift_pairs(memory.s_hist, memory.y_hist, memory.head, memory.n_pairs, memory.gamma,
                kernel_diagonal(memory.diagonal, memory.s_hist.dtype), change, n_features)


@jit
def shift_pairs(s_hist, y_hist, head, n_pairs, gamma, diagonal, change, n_coef):
    """Add change * s to y on the first ``n_coef`` entries of every valid pair, in one pass.

    Problem r's valid pairs are the ``n_pairs[r]`` newest of its ring (newest
    in slot ``head[r]``). Its initial scaling ``gamma[r]`` becomes s.y / y.D y
    of its newest shifted pair (D = diag(``diagonal[r]``), the identity when
    ``diagonal`` has no rows); a problem with a shifted pair of s.y <= eps
    y.D y forgets its pairs (``n_pairs[r] = 0``, ``gamma[r] = 1``).
    """
    n_problems, memory, n_params = s_hist.shape
    scaled = diagonal.shape[0] > 0
    eps = np.finfo(np.float64).eps
    for r in range(n_problems):
        scaling = 1.0
        for age in range(n_pairs[r]):  # newest first
            j = (head[r] - age) % memory
            sy = 0.0
            yy = 0.0
            for k in range(n_params):
                y = y_hist[r, j, k]
                if k < n_coef:
                    y += change * s_hist[r, j, k]
                    y_hist[r, j, k] = y
                sy += s_hist[r, j, k] * y
                yy += y * y * (diagonal[r, k] if scaled else 1.0)
            if not sy > eps * yy:
                n_pairs[r] = 0
                scaling = 1.0
                break
            if age == 0:
                scaling = sy / yy
        gamma[r] = scaling


def _problems(X, Y, sample_weight, loss, pos_weight, neg_weight, penalty, fit_intercept):
    """The per-column linear problems of ``Y`` on ``X`` with this penalty."""
    network = Network([X.shape[1], Y.shape[1]], "identity", fit_intercept)
    objective = CandidateObjective(network, loss, pos_weight, neg_weight, penalty)
    return objective.label_problems(X, Y, sample_weight)


def _solve(problems, blocks, rows, curvature, values=None, gradients=None, *, max_iter, tol):
    """Solve each block's problems (``problems[i]`` those of ``blocks[i]``) from ``rows``.

    ``curvature`` (one :class:`Curvature` per block, or None) is the L-BFGS
    memory to start from: along the path, that of the previous alpha,
    corrected for the change of penalty, so that a warm start takes
    quasi-Newton steps from its first iteration. ``values`` and ``gradients``
    are the problems' values and gradients at ``rows`` when known (None:
    evaluated). Return the solution rows, the blocks' final memories, the
    values and gradients at the solution and whether every problem converged.
    """
    curvature = curvature or [None] * len(blocks)
    solution, memories, converged = np.empty_like(rows), [], True
    final_values, final_gradients = np.empty(rows.shape[0]), np.empty_like(rows)
    # overflow in a line search is a rejected trial (as in PerLabelLBFGS)
    with np.errstate(over="ignore", invalid="ignore"):
        for block, block_problems, memory in zip(blocks, problems, curvature):
            known = None if values is None else (values[block], gradients[block])
            result = batched_lbfgs(
                block_problems, rows[block], max_iter=max_iter, tol=tol,
                memory=_MEMORY, curvature=memory, start_values=known, return_gradients=True,
            )
            solution[block] = result.x
            final_values[block], final_gradients[block] = result.values, result.gradients
            memories.append(result.curvature)
            converged &= bool(result.converged.all())
    return solution, memories, final_values, final_gradients, converged


def linear_parameters(theta, n_features, n_outputs, fit_intercept):
    """``(coef, intercept)`` of shapes (n_outputs, n_features) and (n_outputs,) from ``theta``."""
    network = Network([n_features, n_outputs], "identity", fit_intercept)
    coefs, intercepts = network.unpack(theta)
    intercept = intercepts[0].copy() if fit_intercept else np.zeros(n_outputs, dtype=theta.dtype)
    return np.ascontiguousarray(coefs[0].T), intercept
