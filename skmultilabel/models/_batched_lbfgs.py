"""Batched L-BFGS: one independent L-BFGS per label, sharing every function evaluation.

When the objective is a sum of independent problems, F(x) = sum_c F_c(x_c) (the
linear model on a label-separable loss, see :mod:`._label_objective`), one
L-BFGS over all of x forces one step size and one curvature model onto
problems of different conditioning: on yeast it needs ~105 iterations where
each label alone needs at most 38. Here each problem c keeps its own L-BFGS
state - its (s, y) history, step size, line search and stopping test - while
each evaluation serves every problem still running at once (for the linear
model: one X @ W, one loss kernel pass, one X.T @ dZ for all labels). A
problem that has converged leaves the batch, so later evaluations are smaller.

Per problem, as scipy's L-BFGS-B (and so LogisticRegression's lbfgs) does:

* direction from the two-loop recursion over the last ``memory`` pairs, with
  the initial scaling s.y / y.y of the newest pair; a pair with
  s.y <= eps * y.y is not stored; a first step (or one after a reset) is
  steepest descent of length 1;
* stop when max |gradient| <= ``tol``, when the relative decrease
  (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) <= 64 machine epsilons, or after
  ``max_iter`` iterations.

The line search is backtracking with the Armijo condition (c1 = 1e-4) from
the unit step, each retry at the safeguarded minimiser of the quadratic through
f(0), f'(0) and f(t), in [0.1 t, 0.5 t]. Problems advance asynchronously: in
each evaluation round every running problem evaluates its own trial point,
whether that is a new iteration's unit step or a backtracking retry. After
``_MAX_TRIALS`` failed trials the history is dropped and the problem restarts
from steepest descent; if that fails too, it stops where it is (the
objective cannot be decreased at float precision).

No Python loop runs over problems: the state is arrays with one entry per
problem (the histories of shape (n_problems, memory, n_params)), updated with
NumPy, and the two-loop recursion of all problems is one small numba kernel
(:func:`two_loop`; per-problem NumPy calls cost more than the arithmetic).
Each history is a ring: a new pair overwrites the oldest slot, and a problem
that stops leaves its history rows where they are (the running problems
point at theirs), so no step copies a history; on bibtex (477 problems of
1,837 parameters) shifting and compacting the histories took 1/3 of the fit.

Memory: each problem keeps 2 * ``memory`` history vectors and about 12
vectors of running state (point, gradient, direction, trial point, ...), so
the per-label solver (:class:`PerLabelLBFGS`) runs the labels in blocks whose
state fits a memory budget (:data:`MEMORY_BUDGET` by default): with 100,000
features and 20 pairs a float64 label needs ~42 MB, and 1,000 labels at once
would need 42 GB. Blocks run one after the other; inside a block, every
evaluation is still shared. For such wide labels the solver keeps 10 pairs
instead of 20 (:data:`WIDE_MEMORY`): a pair costs two passes over 2 vectors
per iteration in the two-loop recursion, which on sparse text-sized data
costs as much as the products with X, and a smaller history lets more labels
share each product (sparse 50,000 x 100,000, 50 labels, 256 MiB: 16.7 s
against 21.7 s, for 42 iterations instead of 33).
"""

import time
from dataclasses import dataclass, field

import numpy as np

from .._config import jit
from ._solvers import Solver, SolverResult, report

__all__ = [
    "MEMORY_BUDGET", "WIDE_MEMORY", "BatchedResult", "Curvature", "PerLabelLBFGS",
    "batched_lbfgs", "kernel_diagonal", "two_loop",
]

#: Default bound, in bytes, on the per-label L-BFGS state of one block of labels.
#: The resident memory of a fit grows by about 1.6 times this (freed blocks of a
#: few MB stay with the allocator): at 160 MiB, sparse 50,000 x 100,000 with 50
#: labels peaks at 683 MB, within twice the 372 MB of the data.
MEMORY_BUDGET = 160 * 2**20

#: (s, y) pairs per label of :class:`PerLabelLBFGS` by default when 20 pairs
#: would let fewer than :data:`_WIDE_BLOCK` labels share a block.
WIDE_MEMORY = 10
_WIDE_BLOCK = 16
_STATE_VECTORS = 12

_ARMIJO = 1e-4
_MAX_TRIALS = 20
_FTOL = 64 * np.finfo(float).eps
_EPS = np.finfo(float).eps


@dataclass
class BatchedResult:
    """Solution of every problem (rows of ``x``) and how the solver got there."""

    x: np.ndarray
    n_iter: np.ndarray
    converged: np.ndarray
    loss_curve: list = field(default_factory=list)
    stalled: np.ndarray | None = None
    curvature: "Curvature | None" = None
    values: np.ndarray | None = None
    gradients: np.ndarray | None = None


@dataclass
class Curvature:
    """Each problem's L-BFGS memory: ring histories of (s, y) pairs and the initial scaling.

    ``s_hist``, ``y_hist`` of shape (n_problems, memory, n_params); problem c's
    newest pair in slot ``head[c]``, ``n_pairs[c]`` valid pairs; ``gamma[c]``
    the initial inverse Hessian gamma I: s.y / y.y of its newest pair, or
    without pairs a known scale (the first step is then -gamma g).

    ``diagonal`` (optional, shape (n_problems, n_params), positive) makes the
    initial inverse Hessian gamma diag(diagonal) (a preconditioned L-BFGS,
    Nocedal & Wright eq. 7.20 in the variables scaled by its square root):
    gamma is then s.y / y.D y, a first step without pairs -gamma D g and a
    steepest descent step -D g of length 1. It states the problems' relative
    scales, e.g. a penalised coefficient against an unpenalised intercept.
    """

    s_hist: np.ndarray
    y_hist: np.ndarray
    head: np.ndarray
    n_pairs: np.ndarray
    gamma: np.ndarray
    diagonal: np.ndarray | None = None


class _Batch:
    """L-BFGS state of the problems still running, one entry per problem (axis 0).

    The histories ``s_hist`` and ``y_hist`` (shape (n_problems, memory,
    n_params)) keep one row per problem of the start, ``slot`` the row of each
    running problem. A row is a ring: its newest pair in slot ``head``, the
    older ones before it (modulo ``memory``), ``n_pairs`` of them valid.
    """

    _FIELDS = ("labels", "slot", "x", "f", "g", "d", "slope", "step", "trials", "iters",
               "n_pairs", "head", "gamma")

    def __init__(self, labels, x, f, g, memory, curvature):
        k, n_params = x.shape
        self.labels, self.x, self.f, self.g = labels, x, f, g
        self.slot = np.arange(k)
        self.n_pairs = np.zeros(k, dtype=np.intp)
        self.gamma = np.ones(k)
        if curvature is None:
            # zeros, not empty: a caller may update every slot of a handed-back history
            self.s_hist = np.zeros((k, memory, n_params), dtype=x.dtype)
            self.y_hist = np.zeros((k, memory, n_params), dtype=x.dtype)
            self.head = np.full(k, memory - 1, dtype=np.intp)
        else:  # taken over, updated in place
            self.s_hist, self.y_hist = curvature.s_hist, curvature.y_hist
            self.head = curvature.head.copy()
        self.diagonal = None if curvature is None else curvature.diagonal
        self.iters = np.zeros(k, dtype=np.intp)
        self.trials = np.zeros(k, dtype=np.intp)
        self.d = np.empty_like(x)
        self.slope = np.empty(k)
        self.step = np.empty(k)
        if curvature is None:
            self.steepest_descent(np.arange(k))
        else:  # a quasi-Newton first step where pairs are known
            self.n_pairs[...] = curvature.n_pairs
            self.steepest_descent(np.flatnonzero(self.n_pairs == 0))
            self.gamma[...] = curvature.gamma
            self.new_directions(np.flatnonzero(self.n_pairs > 0))
            scaled = (self.n_pairs == 0) & np.isfinite(self.gamma) & (self.gamma > 0)
            self.step[scaled] = self.gamma[scaled]  # along -g: the step -gamma g

    def curvature(self):
        """The :class:`Curvature` of the running problems (histories shared, not copied)."""
        return Curvature(self.s_hist, self.y_hist, self.head.copy(), self.n_pairs.copy(),
                         self.gamma.copy(), self.diagonal)

    @property
    def size(self):
        return self.labels.shape[0]

    def keep(self, mask):
        """Drop the problems where ``mask`` is False (their history rows stay, unused)."""
        for name in self._FIELDS:
            setattr(self, name, getattr(self, name)[mask])

    def steepest_descent(self, rows):
        """Forget the history of ``rows``: a unit-length step along -g (step 1 along -D g)."""
        self.n_pairs[rows] = 0
        self.gamma[rows] = 1.0
        g = self.g[rows]
        if self.diagonal is not None:
            scaled = self.diagonal[self.slot[rows]] * g
            self.d[rows] = -scaled
            self.slope[rows] = -np.vecdot(g, scaled)
            self.step[rows] = 1.0
        else:
            norm2 = np.vecdot(g, g)
            self.d[rows] = -g
            self.slope[rows] = -norm2
            self.step[rows] = 1.0 / np.sqrt(np.maximum(norm2, np.finfo(float).tiny))
        self.trials[rows] = 0

    def store_pairs(self, rows, s, y):
        """Append the pairs (s, y) of ``rows`` to their histories, unless s.y <= eps y.y."""
        sy = np.vecdot(s, y)
        yy = np.vecdot(y, y if self.diagonal is None else self.diagonal[self.slot[rows]] * y)
        good = sy > _EPS * yy
        rows = rows[good]
        head = (self.head[rows] + 1) % self.s_hist.shape[1]
        self.s_hist[self.slot[rows], head] = s[good]
        self.y_hist[self.slot[rows], head] = y[good]
        self.head[rows] = head
        self.gamma[rows] = sy[good] / yy[good]
        self.n_pairs[rows] = np.minimum(self.n_pairs[rows] + 1, self.s_hist.shape[1])

    def new_directions(self, rows):
        """L-BFGS directions -H g of ``rows``; steepest descent where none descends."""
        fresh = self.n_pairs[rows] == 0
        self.steepest_descent(rows[fresh])
        rows = rows[~fresh]
        if rows.size:
            two_loop(rows, self.slot, self.head, self.g, self.s_hist, self.y_hist, self.n_pairs,
                     self.gamma, kernel_diagonal(self.diagonal, self.x.dtype), self.d, self.slope)
            self.step[rows] = 1.0
            self.trials[rows] = 0
            self.steepest_descent(rows[self.slope[rows] >= 0.0])


def kernel_diagonal(diagonal, dtype):
    """A :class:`Curvature`'s ``diagonal`` as the kernels take it: (0, 0) for none."""
    return np.ones((0, 0), dtype=dtype) if diagonal is None else diagonal


@jit
def two_loop(rows, slot, head, g, s_hist, y_hist, n_pairs, gamma, diagonal, d, slope):
    """For each r in ``rows``: d[r] = -H_r g[r] (Nocedal's two-loop), slope[r] = g[r].d[r].

    Row r's pairs are in the ring ``s_hist[slot[r]]``, ``y_hist[slot[r]]``:
    the newest in slot ``head[r]``, the ``n_pairs[r] - 1`` older ones before it
    (modulo the memory). H_r starts from ``gamma[r]`` times the identity, or
    times diag(``diagonal[slot[r]]``) when ``diagonal`` has rows.
    Written with scalar indexing only, which numba compiles fastest.
    """
    memory, n_params = s_hist.shape[1], s_hist.shape[2]
    alpha = np.empty(memory)
    rho = np.empty(memory)
    for i in range(rows.shape[0]):
        r = rows[i]
        h = slot[r]
        for k in range(n_params):
            d[r, k] = g[r, k]
        for age in range(n_pairs[r]):  # newest first
            j = (head[r] - age) % memory
            sy = 0.0
            sd = 0.0
            for k in range(n_params):
                sy += s_hist[h, j, k] * y_hist[h, j, k]
                sd += s_hist[h, j, k] * d[r, k]
            rho[j] = 1.0 / sy
            alpha[j] = rho[j] * sd
            for k in range(n_params):
                d[r, k] -= alpha[j] * y_hist[h, j, k]
        if diagonal.shape[0]:
            for k in range(n_params):
                d[r, k] *= gamma[r] * diagonal[h, k]
        else:
            for k in range(n_params):
                d[r, k] *= gamma[r]
        for age in range(n_pairs[r] - 1, -1, -1):  # oldest first
            j = (head[r] - age) % memory
            yd = 0.0
            for k in range(n_params):
                yd += y_hist[h, j, k] * d[r, k]
            beta = rho[j] * yd
            for k in range(n_params):
                d[r, k] += (alpha[j] - beta) * s_hist[h, j, k]
        total = 0.0
        for k in range(n_params):
            d[r, k] = -d[r, k]
            total += g[r, k] * d[r, k]
        slope[r] = total


def batched_lbfgs(evaluate, x0, *, max_iter, tol, memory=20, verbose=0, curvature=None,
                  stall_tol=0.0, start_values=None, return_gradients=False):
    """Minimise sum_c F_c(x_c) with one L-BFGS per problem c, evaluations shared.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(x, problems)`` with ``x`` of shape (k, n_params) (row j the
        point of problem ``problems[j]``) returns the values F_c, shape (k,),
        and the gradients, shape (k, n_params).
    x0 : ndarray of shape (n_problems, n_params)
        Starting points.
    max_iter : int
        Iterations per problem.
    tol : float
        Gradient tolerance (largest absolute component) of each problem.
    memory : int, default=20
        Number of (s, y) pairs kept per problem. Twice scipy's default: on
        yeast and emotions it saves 15-20% of the iterations, for a history of
        2 * memory * x0.size floats.
    verbose : int, default=0
        Print the objective and the number of problems still training after
        each evaluation round.
    curvature : Curvature, default=None
        The L-BFGS memory to start from (e.g. the ``curvature`` of the result
        of nearby problems, its pairs still valid for these): the first step
        is then a quasi-Newton step rather than a steepest descent step of
        length 1, which a start near the solution overshoots. Its histories
        are updated in place.
    stall_tol : float or ndarray of shape (n_problems,), default=0.0
        A problem that takes no step is reported as stalled when the largest
        absolute component of its starting gradient exceeds this: 0 from a
        start that should move (zeros), ``tol`` from a start that may already
        be the solution.
    start_values : tuple of ndarray, default=None
        ``(values, gradients)`` of the problems at ``x0`` when the caller knows
        them (e.g. the previous solution of nearby problems, corrected
        exactly): the first evaluation is then skipped.
    return_gradients : bool, default=False
        Keep each problem's final gradient in the result (one more array of
        the size of ``x0``).

    Returns
    -------
    BatchedResult
        ``x`` the solutions, ``n_iter`` and ``converged`` per problem
        (not converged: stopped by ``max_iter``), ``loss_curve`` the total
        objective after each iteration (problems that stopped count with
        their final value), ``stalled`` the problems that took no step
        although their starting gradient exceeded ``stall_tol``, ``curvature`` the
        final L-BFGS memory of every problem, ``values`` the problems' values
        at ``x`` and ``gradients`` their gradients (None unless
        ``return_gradients``).
    """
    start = time.perf_counter()
    n_problems = x0.shape[0]
    labels = np.arange(n_problems)
    f, g = evaluate(x0, labels) if start_values is None else start_values
    f_final = f.copy()
    g_final = g.copy() if return_gradients else None
    moves = np.abs(g).max(axis=1, initial=0.0) > stall_tol
    x_final = x0.copy()
    n_iter = np.zeros(n_problems, dtype=np.intp)
    converged = np.ones(n_problems, dtype=bool)
    history = [(labels, n_iter.copy(), f.copy())]
    current = f.copy()
    batch = _Batch(labels, x0.copy(), f, g, memory, curvature)
    final = batch.curvature()
    batch.keep(np.abs(g).max(axis=1, initial=0.0) > tol)
    rounds = 0
    while batch.size:
        rounds += 1
        trial = (batch.x + batch.step[:, None] * batch.d).astype(batch.x.dtype, copy=False)
        f_trial, g_trial = evaluate(trial, batch.labels)
        accepted = f_trial <= batch.f + _ARMIJO * batch.step * batch.slope
        done = np.zeros(batch.size, dtype=bool)
        rows = np.flatnonzero(accepted)
        if rows.size:
            batch.store_pairs(rows, trial[rows] - batch.x[rows], g_trial[rows] - batch.g[rows])
            f_old, f_new = batch.f[rows], f_trial[rows]
            decrease = (f_old - f_new) / np.maximum(np.maximum(np.abs(f_old), np.abs(f_new)), 1.0)
            batch.x[rows], batch.f[rows], batch.g[rows] = trial[rows], f_new, g_trial[rows]
            batch.iters[rows] += 1
            small = (np.abs(g_trial[rows]).max(axis=1, initial=0.0) <= tol) | (decrease <= _FTOL)
            limit = batch.iters[rows] >= max_iter
            converged[batch.labels[rows[limit & ~small]]] = False
            done[rows] = small | limit
            history.append((batch.labels[rows], batch.iters[rows].copy(), f_new.copy()))
            current[batch.labels[rows]] = f_new
            batch.new_directions(rows[~done[rows]])
        done |= _backtrack(batch, np.flatnonzero(~accepted), f_trial)
        if verbose:
            report(rounds, current.sum(), start, labels_training=int((~done).sum()))
        if done.any():
            x_final[batch.labels[done]] = batch.x[done]
            f_final[batch.labels[done]] = batch.f[done]
            if return_gradients:
                g_final[batch.labels[done]] = batch.g[done]
            n_iter[batch.labels[done]] = batch.iters[done]
            stopped = batch.labels[done]
            final.head[stopped], final.n_pairs[stopped] = batch.head[done], batch.n_pairs[done]
            final.gamma[stopped] = batch.gamma[done]
            batch.keep(~done)
    stalled = moves & (n_iter == 0)
    return BatchedResult(x_final, n_iter, converged, _loss_curve(history, n_problems), stalled,
                         final, f_final, g_final)


def _backtrack(batch, rows, f_trial):
    """Shrink the steps of the rejected ``rows``; return the mask of problems that stop."""
    stop = np.zeros(batch.size, dtype=bool)
    if not rows.size:
        return stop
    step, slope = batch.step[rows], batch.slope[rows]
    excess = f_trial[rows] - batch.f[rows] - slope * step
    with np.errstate(divide="ignore", invalid="ignore"):
        minimiser = np.where(excess > 0.0, -slope * step * step / (2.0 * excess), 0.5 * step)
    minimiser = np.where(np.isfinite(minimiser), minimiser, 0.5 * step)
    batch.step[rows] = np.clip(minimiser, 0.1 * step, 0.5 * step)
    batch.trials[rows] += 1
    failed = rows[batch.trials[rows] >= _MAX_TRIALS]
    restart = failed[batch.n_pairs[failed] > 0]
    stop[failed[batch.n_pairs[failed] == 0]] = True
    batch.steepest_descent(restart)
    return stop


def _loss_curve(history, n_problems):
    """Total objective after each iteration, a stopped problem keeping its last value."""
    n_iter = max(int(iters.max(initial=0)) for _, iters, _ in history)
    table = np.full((n_iter + 1, n_problems), np.nan)
    for labels, iters, values in history:
        table[iters, labels] = values
    # forward fill: each cell points at the last row with a value (a running max of row indices)
    filled = np.where(np.isnan(table), 0, np.arange(n_iter + 1)[:, None])
    latest = np.maximum.accumulate(filled, axis=0)
    return table[latest, np.arange(n_problems)][1:].sum(axis=1).tolist()


class PerLabelLBFGS(Solver):
    """One L-BFGS per label (:func:`batched_lbfgs`), labels in blocks that fit a memory budget.

    It needs an objective that declares itself a sum of per-label problems
    (``separable_by_label``) and gives them (``label_problems``); ``n_iter``
    of the result is the largest number of iterations of a label.

    From an all-zero start with intercepts (a fresh fit), each label's
    intercept is first fitted alone (a run on no feature, cheap) and every
    label starts there: from zeros, the badly scaled intercepts of rare labels
    cost many iterations (sparse 50,000 x 100,000, 50 labels with 0.2% to 5%
    positives: 36 iterations instead of 42 and 25% less time).

    Parameters
    ----------
    max_iter, tol : int, float
        Iterations and gradient tolerance of each label.
    verbose : int, default=0
    memory : int, default=None
        (s, y) pairs kept per label. None: 20, or :data:`WIDE_MEMORY` (10)
        for labels so wide that a block of 20-pair labels under the budget
        would hold fewer than 16 of them (above ~25,000 float64 parameters at
        the default budget).
    memory_budget : int, default=None
        Bytes the L-BFGS state of one block of labels may take; None reads
        :data:`MEMORY_BUDGET` when solving (so that setting it takes effect).
    """

    requires = ("separable_by_label", "label_problems")

    def __init__(self, *, max_iter, tol, verbose=0, memory=None, memory_budget=None):
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.memory = memory
        self.memory_budget = memory_budget

    def label_memory(self, n_params, dtype):
        """(s, y) pairs kept per label of ``n_params`` parameters."""
        if self.memory is not None:
            return self.memory
        wide = self._labels_per_block(20, n_params, dtype) < _WIDE_BLOCK
        return WIDE_MEMORY if wide else 20

    def block_size(self, n_params, dtype):
        """Labels per block: their histories and running state fit the budget."""
        return self._labels_per_block(self.label_memory(n_params, dtype), n_params, dtype)

    def _labels_per_block(self, memory, n_params, dtype):
        budget = MEMORY_BUDGET if self.memory_budget is None else self.memory_budget
        per_label = (2 * memory + _STATE_VECTORS) * n_params * np.dtype(dtype).itemsize
        return max(1, int(budget // per_label))

    def solve(self, objective, theta, X, Y, sample_weight):
        """Minimise the objective from ``theta``; return a :class:`SolverResult`."""
        self.check_objective(objective)
        problems = objective.label_problems(X, Y, sample_weight)
        n_labels = problems.n_labels
        size = self.block_size(problems.n_label_params, theta.dtype)
        memory = self.label_memory(problems.n_label_params, theta.dtype)
        # the blocks' solutions go straight into the returned parameters: besides
        # the start, one full-size array, whatever the number of labels
        solution = np.empty_like(theta)
        n_iter, converged, curves, stalled = [], True, [], False
        # overflow in a line search is a rejected trial; a label that cannot move is
        # reported by ``stalled``, not by NumPy warnings
        with np.errstate(over="ignore", invalid="ignore"):
            intercepts = None
            if problems.fit_intercept and not theta.any():
                intercepts = self._fit_intercepts(problems, theta.dtype)
                converged = bool(intercepts.converged.all())
            for block in np.array_split(np.arange(n_labels), -(-n_labels // size)):
                start = problems.label_rows(theta, block)
                if intercepts is not None:
                    start[:, -1] = intercepts.x[block, 0]
                # a label still at zero should move (a silent non-training otherwise,
                # e.g. tiny weights); one started elsewhere may be at its solution
                stall_tol = np.where(start.any(axis=1), self.tol, 0.0)
                result = batched_lbfgs(
                    lambda x, labels, block=block: problems(x, block[labels]),
                    start, max_iter=self.max_iter, tol=self.tol, memory=memory,
                    verbose=self.verbose, stall_tol=stall_tol,
                )
                problems.set_label_rows(solution, block, result.x)
                n_iter.append(result.n_iter)
                converged &= bool(result.converged.all())
                curves.append(result.loss_curve)
                stalled |= bool(result.stalled.any())
        return SolverResult(
            solution, int(np.concatenate(n_iter).max(initial=0)), converged,
            _sum_curves(curves), stalled=stalled,
        )

    def _fit_intercepts(self, problems, dtype):
        """Each label's intercept fitted alone, from zero: a :class:`BatchedResult`."""
        alone = problems.intercept_problems()
        return batched_lbfgs(alone, np.zeros((problems.n_labels, 1), dtype=dtype),
                             max_iter=self.max_iter, tol=self.tol,
                             memory=self.label_memory(1, dtype))


def _sum_curves(curves):
    """Add the loss curves of the blocks, each padded with its last value (blocks stop apart)."""
    if len(curves) == 1:
        return curves[0]
    length = max(len(curve) for curve in curves)
    padded = [curve + curve[-1:] * (length - len(curve)) for curve in curves if curve]
    return np.sum(padded, axis=0).tolist() if padded else []
