"""Project-wide numba settings: one cache switch and the ``jit`` decorator.

Every numba kernel of the package is decorated with :func:`jit`, so that the
on-disk compilation cache is controlled in one place. The switch is read once,
at import, from the environment variable ``SKMULTILABEL_NUMBA_CACHE``:

* unset, ``"1"``, ``"true"``, ``"yes"`` or ``"on"``: kernels are compiled with
  ``cache=True`` and the machine code is reused by later processes;
* ``"0"``, ``"false"``, ``"no"`` or ``"off"``: nothing is written to disk, every
  process compiles the kernels it calls.

Numba compiles lazily: decorating a function compiles nothing, so importing
the package never triggers a compilation.
"""

import os

__all__ = ["NUMBA_CACHE", "jit"]

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _read_cache_switch(value):
    """Parse the value of ``SKMULTILABEL_NUMBA_CACHE`` (``None`` when unset)."""
    if value is None:
        return True
    normalised = value.strip().lower()
    if normalised in _TRUE:
        return True
    if normalised in _FALSE:
        return False
    raise ValueError(
        f"SKMULTILABEL_NUMBA_CACHE must be one of {_TRUE + _FALSE}, got {value!r}."
    )


NUMBA_CACHE = _read_cache_switch(os.environ.get("SKMULTILABEL_NUMBA_CACHE"))


def jit(function=None, *, parallel=False, inline="never", fastmath=False):
    """Compile ``function`` with numba in nopython mode, cached per the switch.

    Parameters
    ----------
    function : callable, optional
        The kernel. Kernels take only arrays and scalars.
    parallel : bool, default=False
        Let numba run ``prange`` loops on several threads, when the caller asks
        for them (:mod:`skmultilabel._kernel_threads`); serial otherwise.
    inline : {"never", "always"}, default="never"
        "always" inlines a small device function into its callers at the numba
        IR level, so that LLVM can vectorise the caller's loop around it.
    fastmath : bool or set of str, default=False
        numba's ``fastmath`` flags, e.g. ``{"contract"}`` to fuse a * b + c
        into one fused multiply-add (one rounding instead of two).

    Returns
    -------
    dispatcher : numba dispatcher (a :class:`~skmultilabel._kernel_threads.ParallelKernel`
        when ``parallel``), or a decorator when ``function`` is None.
    """
    if function is None:
        return lambda function: jit(function, parallel=parallel, inline=inline, fastmath=fastmath)
    import numba

    options = {"cache": NUMBA_CACHE, "nogil": True, "error_model": "numpy", "inline": inline,
               "fastmath": fastmath}
    if parallel:
        from ._kernel_threads import ParallelKernel

        return ParallelKernel(function, options)
    return numba.njit(function, **options)
