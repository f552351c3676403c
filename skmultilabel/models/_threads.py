"""Threads of a fit: ``n_jobs`` numba threads for the loss kernels, one BLAS thread.

A fit alternates small steps of two thread pools (a numba parallel loss
kernel, then BLAS products). Each pool's idle threads keep spinning for a
while after their region, so running both pools at full width on the same
few cores makes them fight: on a busy two-core machine a yeast fit was ~100x
slower with both pools active than with one thread each. The loss kernels
add their partial sums in a fixed order, so they give the same bits for any
number of threads; multi-threaded BLAS does not (OpenBLAS splits large
products between threads and rounds differently). A fit therefore runs its
loss kernels on ``n_jobs`` numba threads (scikit-learn convention: None means
1, -1 all cores) and its products on one BLAS thread, which makes the fitted
coefficients bit-identical for every ``n_jobs``.
"""

from contextlib import contextmanager
from functools import cache

import numba
from joblib import effective_n_jobs
from threadpoolctl import ThreadpoolController

__all__ = ["thread_limits"]


@contextmanager
def thread_limits(n_jobs):
    """Run the block with ``n_jobs`` numba threads and one BLAS thread."""
    threads = min(effective_n_jobs(n_jobs), numba.config.NUMBA_NUM_THREADS)
    previous = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        with _controller().limit(limits=1, user_api="blas"):
            yield
    finally:
        numba.set_num_threads(previous)


@cache
def _controller():
    """The thread pools loaded at the first fit, found once.

    Scanning the loaded libraries costs ~2 ms, 5% of a linear fit on yeast;
    the BLAS of NumPy and SciPy, the ones a fit uses, are loaded by then.
    """
    return ThreadpoolController()
