"""The numba dispatcher of the package's kernels: one signature per argument types.

numba types an integer or boolean constant passed to a jitted function as a
literal (``Literal[int](1)``, ``Literal[bool](True)``), and a variable that
starts as a constant is a literal during the first rounds of type inference.
A kernel called from another kernel is then compiled once for the literal
types and once more for the plain ones: twins that cost a cold start ~0.1 s
each and run the same code. :class:`Dispatcher` compiles a kernel called from
a kernel for the plain types only (a Python call already does: numba drops
literal types of Python arguments). No kernel of the package asks for a
literal (``numba.literally``).

Imported on the first call of a kernel (:mod:`skmultilabel._config`), never
at the package's import.
"""

import numba
from numba.core import types
from numba.core.registry import CPUDispatcher

__all__ = ["Dispatcher", "make_dispatcher"]


class Dispatcher(CPUDispatcher):
    """numba's CPU dispatcher, compiling nested calls for non-literal argument types."""

    def get_call_template(self, args, kws):
        """Typing of a call from a kernel, for the argument types without their literal values."""
        args = tuple(types.unliteral(arg) for arg in args)
        kws = {name: types.unliteral(arg) for name, arg in kws.items()}
        return super().get_call_template(args, kws)


def make_dispatcher(function, *, cache, **options):
    """A :class:`Dispatcher` of ``function`` in nopython mode, as ``numba.njit`` makes one.

    ``cache`` turns numba's on-disk cache on; ``options`` are numba's target
    options (``parallel``, ``nogil``, ``fastmath``, ...).
    """
    if numba.config.DISABLE_JIT:
        return function
    options = {"nopython": True, "boundscheck": None, **options}
    dispatcher = Dispatcher(py_func=function, locals={}, targetoptions=options)
    if cache:
        dispatcher.enable_caching()
    return dispatcher
