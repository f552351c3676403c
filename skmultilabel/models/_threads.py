"""Thread count of a fit: numba loss kernels and BLAS products share one ``n_jobs``.

A fit alternates small steps of two thread pools (a numba parallel loss
kernel, then BLAS products). Each pool's idle threads keep spinning for a
while after their region, so running both pools at full width on the same
few cores makes them fight: on a busy two-core machine a yeast fit was ~100x
slower with both pools active than with one thread each. The estimator
therefore runs on ``n_jobs`` threads (scikit-learn convention: None means 1,
-1 all cores) in both pools.
"""

from contextlib import contextmanager
from functools import cache

import numba
from joblib import effective_n_jobs
from threadpoolctl import ThreadpoolController

__all__ = ["thread_limits"]


@contextmanager
def thread_limits(n_jobs):
    """Run the block with ``n_jobs`` numba threads and ``n_jobs`` BLAS threads."""
    threads = min(effective_n_jobs(n_jobs), numba.config.NUMBA_NUM_THREADS)
    previous = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        with _controller().limit(limits=threads, user_api="blas"):
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
