"""Project-wide numba settings: one cache switch, the ``jit`` decorator, numba loaded on demand.

Every numba kernel of the package is decorated with :func:`jit`, so that the
on-disk compilation cache is controlled in one place. The switch is read once,
at import, from the environment variable ``SKMULTILABEL_NUMBA_CACHE``:

* unset, ``"1"``, ``"true"``, ``"yes"`` or ``"on"``: kernels are compiled with
  ``cache=True`` and the machine code is reused by later processes;
* ``"0"``, ``"false"``, ``"no"`` or ``"off"``: nothing is written to disk, every
  process compiles the kernels it calls.

numba is not imported with the package (its import costs more than the rest
of ours). Until a kernel is first called, :func:`jit` and :func:`intrinsic`
return placeholders and :data:`prange` is ``range``. The first call of any
kernel imports numba and makes the dispatcher of every kernel defined so far;
each name of the package's modules bound to a placeholder (or ``prange``
bound to ``range``) is then rebound to the real object, so that kernels
calling kernels compile as if numba had been imported first. Kernels defined
later are dispatchers at once. Compilation stays lazy: a kernel is compiled at
its first call, for the types of that call, never at import.
"""

import functools
import os
import sys
import threading

__all__ = ["NUMBA_CACHE", "intrinsic", "jit", "prange"]

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

prange = range  # numba.prange once numba is loaded
_pending = []  # placeholders made before numba was loaded
_lock = threading.RLock()
_loaded = False


class _Deferred:
    """A kernel (or intrinsic) whose numba object is made when numba is loaded.

    Calling it, or reading an attribute numba defines (``signatures``, ...),
    loads numba first; the call then goes to the numba object.
    """

    def __init__(self, function, build):
        self.py_func = function
        self._build = build
        self._target = None
        functools.update_wrapper(self, function)  # name, qualname, module, doc

    @property
    def target(self):
        """The numba object (dispatcher, parallel kernel or intrinsic), numba loaded on demand."""
        if self._target is None:
            _load_numba()
        return self._target

    def __call__(self, *args):
        return self.target(*args)

    def __getattr__(self, name):
        if name.startswith("__") or name in ("_build", "_target"):
            raise AttributeError(name)
        return getattr(self.target, name)

    def __repr__(self):
        return f"<kernel {self.__qualname__} (numba not loaded yet)>"


def _defer(function, build):
    """``build(function)`` now if numba is loaded, else a placeholder built when it is."""
    with _lock:
        if _loaded:
            return build(function)
        placeholder = _Deferred(function, build)
        _pending.append(placeholder)
        return placeholder


def _load_numba():
    """Import numba, build every placeholder and rebind the package's names to the results."""
    global _loaded, prange
    with _lock:
        if _loaded:
            return
        import numba

        for placeholder in _pending:
            placeholder._target = placeholder._build(placeholder.py_func)
        package = __name__.rpartition(".")[0]
        for name, module in list(sys.modules.items()):
            if module is None or not (name == package or name.startswith(package + ".")):
                continue
            namespace = vars(module)
            for key, value in list(namespace.items()):
                if isinstance(value, _Deferred):
                    namespace[key] = value._target
                elif key == "prange" and value is range:
                    namespace[key] = numba.prange
        prange = numba.prange
        _pending.clear()
        _loaded = True


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
    kernel : a numba dispatcher (a :class:`~skmultilabel._kernel_threads.ParallelKernel`
        when ``parallel``), or its placeholder until numba is loaded; a
        decorator when ``function`` is None.
    """
    if function is None:
        return lambda function: jit(function, parallel=parallel, inline=inline, fastmath=fastmath)
    options = {"cache": NUMBA_CACHE, "nogil": True, "error_model": "numpy", "inline": inline,
               "fastmath": fastmath}
    return _defer(function, lambda function: _build_kernel(function, parallel, options))


def _build_kernel(function, parallel, options):
    if parallel:
        from ._kernel_threads import ParallelKernel

        return ParallelKernel(function, options)
    from ._dispatcher import make_dispatcher

    return make_dispatcher(function, **options)


def intrinsic(definition):
    """``numba.extending.intrinsic(definition)``, made when numba is loaded.

    ``definition(typingctx, *arg_types)`` imports what it needs from numba and
    llvmlite itself (it runs when a kernel using it is compiled).
    """
    return _defer(definition, _build_intrinsic)


def _build_intrinsic(definition):
    from numba.core.extending import intrinsic as numba_intrinsic

    return numba_intrinsic(definition)
