"""Threads of a fit: ``n_jobs`` threads for the loss kernels, one BLAS thread.

A fit alternates small steps of two thread pools (a numba parallel loss
kernel, then BLAS products). Each pool's idle threads keep spinning for a
while after their region, so running both pools at full width on the same
few cores makes them fight: on a busy two-core machine a yeast fit was ~100x
slower with both pools active than with one thread each. The loss kernels
add their partial sums in a fixed order, so they give the same bits for any
number of threads; multi-threaded BLAS does not (OpenBLAS splits large
products between threads and rounds differently). A fit therefore runs its
loss kernels on ``n_jobs`` threads (scikit-learn convention: None means 1,
-1 all cores; one thread never starts numba's pool, see
:mod:`skmultilabel._kernel_threads`) and its products on one BLAS thread,
which makes the fitted coefficients bit-identical for every ``n_jobs``.

BLAS thread counts are process-wide, and fits overlap (joblib's threading
backend, dask's in-process workers, a user's own threads). A fit that saved
the count on entry and restored it on exit would, with exits out of order,
restore another fit's "1" for the rest of the process, and leave a running fit
on full-width BLAS. So the fits share one limit: the first fit to enter saves
the counts and sets one thread, the last to leave restores them.

threadpoolctl (3.8 and later) lets one Python thread at a time set OpenBLAS's
process-wide count: the first thread that sets it keeps control until it
leaves a ``threadpool_limits`` block, or for its lifetime outside one. The
shared limit hands control back after each change, so that the last fit to
leave, in whichever thread, can restore the counts; a user's own
``threadpool_limits`` block in another thread keeps control, and its limit wins.
"""

import threading
from contextlib import contextmanager
from functools import cache

import threadpoolctl
from joblib import effective_n_jobs
from threadpoolctl import ThreadpoolController

__all__ = ["thread_limits"]

_lock = threading.Lock()
_fits = 0  # fits running, in any thread
_limiter = None  # the BLAS limit they share, with the counts found by the first


@contextmanager
def thread_limits(n_jobs):
    """Run the block with ``n_jobs`` loss-kernel threads and one BLAS thread."""
    import numba  # not at import: see skmultilabel._config

    from .._kernel_threads import kernel_threads

    threads = min(effective_n_jobs(n_jobs), numba.config.NUMBA_NUM_THREADS)
    _enter()
    try:
        with kernel_threads(threads):
            yield
    finally:
        _leave()


def _enter():
    """Count a fit in; the first one limits BLAS to one thread."""
    global _fits, _limiter
    with _lock:
        if _fits == 0:
            _limiter = _controller().select(user_api="blas").limit(limits=1)
            _release_control()
        _fits += 1


def _leave():
    """Count a fit out; the last one restores the BLAS thread counts it found."""
    global _fits, _limiter
    with _lock:
        _fits -= 1
        if _fits == 0:
            _limiter.restore_original_limits()
            _release_control()
            _limiter = None


def _release_control():
    """Let another thread set OpenBLAS's count next, unless this one is in a limits block."""
    ownership = getattr(threadpoolctl, "CONTROLLING_THREAD_OWNERSHIP", None)
    if ownership is not None and ownership.count == 0:
        threadpoolctl.OpenBLASController.clear_controlling_thread()


@cache
def _controller():
    """The thread pools loaded at the first fit, found once.

    Scanning the loaded libraries costs ~2 ms, 5% of a linear fit on yeast;
    the BLAS of NumPy and SciPy, the ones a fit uses, are loaded by then.
    """
    return ThreadpoolController()
