"""Run the small steps of a fit on one thread.

A solver step whose products and loss kernel are small gains nothing from a
thread pool: waking the pool costs more than the work it shares, and threads
left spinning after a numba parallel region or a BLAS call take the cores
from the next product (on a busy two-core machine a yeast fit was ~100x
slower with both pools active). :func:`thread_limits` therefore runs the fit
with one numba thread and one BLAS thread when a step is small.
"""

from contextlib import contextmanager

import numba
from threadpoolctl import threadpool_limits

__all__ = ["thread_limits"]

#: Matrix products below this many multiply-adds use one BLAS thread.
BLAS_PARALLEL_MIN_WORK = 50_000_000
#: Loss kernels over fewer logits than this use one numba thread.
KERNEL_PARALLEL_MIN_ENTRIES = 100_000


@contextmanager
def thread_limits(rows_per_step, coef_shapes):
    """Limit numba and BLAS to one thread while the steps are small.

    Parameters
    ----------
    rows_per_step : int
        Rows of one solver step (all rows for L-BFGS, a minibatch for Adam).
    coef_shapes : list of (int, int)
        Shapes of the network's coefficient matrices.
    """
    largest_product = rows_per_step * max(n_in * n_out for n_in, n_out in coef_shapes)
    n_logits = rows_per_step * coef_shapes[-1][1]
    blas_limit = 1 if largest_product < BLAS_PARALLEL_MIN_WORK else None
    numba_threads = numba.get_num_threads()
    if n_logits < KERNEL_PARALLEL_MIN_ENTRIES:
        numba.set_num_threads(1)
    try:
        with threadpool_limits(limits=blas_limit, user_api="blas"):
            yield
    finally:
        numba.set_num_threads(numba_threads)
