"""Threads of the numba kernels: one thread unless asked, a threading layer chosen on purpose.

A kernel with ``prange`` loops (``jit(parallel=True)``) is compiled, on
demand, from one Python function in two ways: serial (the ``prange`` loops
run as ``range``) and parallel. A call runs the serial one unless the calling
thread asked for more threads with :func:`kernel_threads` (a fit does, for
``n_jobs`` > 1). So a default call

* never starts numba's thread pool: no OpenMP runtime of the process is
  touched, and numba's parallel compiler passes (most of a first call's
  compilation) never run;
* gives the same bits as a parallel one: the kernels add their partial sums
  in a fixed order, whatever the number of threads.

Threading layer. numba runs parallel loops on a pool from one of three
layers, started once per process at the first parallel call:

* ``omp``, numba's choice here when TBB is missing: thread-safe, but it calls
  ``omp_set_num_threads`` on the GNU OpenMP runtime that PyTorch, XGBoost or
  scikit-learn's own code share, and GNU OpenMP is not fork-safe (numba
  aborts a forked child that uses it);
* ``tbb``: thread-safe and leaves OpenMP alone, but needs a ``tbb`` package of
  a version numba accepts, rarely installed;
* ``workqueue``: ships with numba, leaves OpenMP alone, fork-safe, but not
  thread-safe: two threads in parallel regions at once abort the process.

This package starts the pool with ``workqueue`` and takes a process-wide lock
around each parallel call on it, so concurrent fits take turns for their loss
kernels (they would oversubscribe the cores anyway) instead of crashing. A
user who sets ``NUMBA_THREADING_LAYER`` (environment or
``numba.config.THREADING_LAYER``), or whose own code started the pool first,
keeps that layer; the lock is then taken only if it is ``workqueue``. Whatever
the layer, the OpenMP thread counts of the calling thread are put back after
the pool starts.
"""

import functools
import threading
import types
from contextlib import contextmanager

import numba
from threadpoolctl import ThreadpoolController

from ._dispatcher import make_dispatcher

__all__ = ["ParallelKernel", "kernel_threads", "requested_threads"]

LAYER = "workqueue"
_requests = threading.local()
_pool_lock = threading.Lock()


def requested_threads():
    """Threads the calling thread asked for its parallel kernels (1 unless asked)."""
    return getattr(_requests, "threads", 1)


@contextmanager
def kernel_threads(threads):
    """Run the parallel kernels this thread calls in the block on ``threads`` threads."""
    if not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be a positive int, got {threads!r}.")
    previous = requested_threads()
    _requests.threads = threads
    try:
        yield
    finally:
        _requests.threads = previous


class ParallelKernel:
    """A kernel with ``prange`` loops, run serial unless the caller asked for threads.

    Call it from Python only (numba cannot call it from another kernel).

    Parameters
    ----------
    function : callable
        The kernel's Python function.
    options : dict
        ``numba.njit`` options other than ``parallel``.
    """

    def __init__(self, function, options):
        functools.update_wrapper(self, function)
        self.serial = make_dispatcher(_serial_twin(function), parallel=False, **options)
        self.parallel = make_dispatcher(function, parallel=True, **options)

    @property
    def signatures(self):
        """The signatures compiled so far, serial then parallel."""
        return self.serial.signatures + self.parallel.signatures

    def __call__(self, *args):
        threads = requested_threads()
        if threads == 1:
            return self.serial(*args)
        with _pool_lock:
            if not _started():
                _start_pool()
            if numba.threading_layer() == "workqueue":  # not thread-safe: take turns
                return _call_on(self.parallel, threads, args)
        return _call_on(self.parallel, threads, args)


def _serial_twin(function):
    """A copy of ``function`` under its own name, so that its cache entry is its own.

    numba's cache index is keyed by the function's qualified name and
    signature, not by the ``parallel`` flag.
    """
    twin = types.FunctionType(function.__code__, function.__globals__, function.__name__,
                              function.__defaults__, function.__closure__)
    twin.__qualname__ = f"{function.__qualname__}_serial"
    twin.__module__ = function.__module__
    return twin


def _call_on(dispatcher, threads, args):
    """Call ``dispatcher`` with numba's thread count of this thread set to ``threads``."""
    previous = numba.get_num_threads()
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    try:
        return dispatcher(*args)
    finally:
        numba.set_num_threads(previous)


def _started():
    """Whether numba's thread pool runs in this process."""
    try:
        numba.threading_layer()
    except ValueError:
        return False
    return True


def _start_pool():
    """Start numba's pool on :data:`LAYER` unless the user chose one; OpenMP left as found."""
    openmp = ThreadpoolController().select(user_api="openmp")
    found = openmp.info()
    chosen = numba.config.THREADING_LAYER
    if chosen == "default":  # NUMBA_THREADING_LAYER unset, nothing chosen in code
        numba.config.THREADING_LAYER = LAYER
    try:
        numba.get_num_threads()  # starts the pool
    finally:
        numba.config.THREADING_LAYER = chosen
        for controller, info in zip(openmp.lib_controllers, found):
            if controller.num_threads != info["num_threads"]:
                controller.set_num_threads(info["num_threads"])
