"""The numba cache switch."""

import subprocess
import sys

import numpy as np
import pytest

from skmultilabel._config import _read_cache_switch


@pytest.mark.parametrize(
    "value, expected",
    [(None, True), ("1", True), ("on", True), ("0", False), (" False ", False)],
)
def test_read_cache_switch(value, expected):
    assert _read_cache_switch(value) is expected


def test_read_cache_switch_rejects_unknown_value():
    with pytest.raises(ValueError, match="SKMULTILABEL_NUMBA_CACHE"):
        _read_cache_switch("maybe")


def run_fresh(code, env=None):
    """What ``code`` prints, run in a new Python process (stripped)."""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


@pytest.mark.parametrize("value, expected", [("0", "False"), ("1", "True")])
def test_switch_is_read_from_environment(value, expected):
    code = "import skmultilabel._config as c; print(c.NUMBA_CACHE)"
    assert run_fresh(code, env={"SKMULTILABEL_NUMBA_CACHE": value, "PATH": ""}) == expected


def test_import_compiles_nothing():
    code = (
        "import sys, skmultilabel, skmultilabel.losses; "
        "from skmultilabel.losses._kernels import modulated_kernel; "
        "print(len(modulated_kernel.signatures))"
    )
    assert run_fresh(code) == "0"


def test_import_does_not_load_numba():
    code = (
        "import sys; from skmultilabel import MultiLabelLossClassifier, PerClassThresholdTuner; "
        "import skmultilabel.losses, skmultilabel.model_selection, skmultilabel.thresholds; "
        "print(sorted(m for m in ('numba', 'llvmlite', 'imblearn') if m in sys.modules))"
    )
    assert run_fresh(code) == "[]"


def test_first_call_binds_every_kernel_name_to_its_numba_object():
    code = (
        "import numpy as np, skmultilabel.losses._kernels as k\n"
        "import skmultilabel.thresholds._sweep as s\n"
        "from skmultilabel.losses._pointwise import modulated_kernel\n"
        "before = type(k._block).__name__, type(modulated_kernel).__name__, k.prange is range\n"
        "total = k.ordered_sum(np.arange(4.0))\n"
        "import numba, skmultilabel.losses._pointwise as p\n"
        "after = (type(k._block).__name__, type(k._float_bits).__name__,\n"
        "         type(p.modulated_kernel).__name__, type(s._fbeta).__name__,\n"
        "         k.prange is numba.prange)\n"
        "print(before, total, after)"
    )
    assert run_fresh(code) == (
        "('_Deferred', '_Deferred', True) 6.0 "
        "('Dispatcher', '_Intrinsic', 'ParallelKernel', 'Dispatcher', True)"
    )


def test_kernel_called_from_a_kernel_compiles_one_signature_for_literals():
    from numba.core import types

    from skmultilabel._dispatcher import make_dispatcher

    def callee(x, flag, n):
        return x + n if flag else x - n

    inner = make_dispatcher(callee, cache=False)

    def caller(values):
        n = 1
        total = 0.0
        for v in values:
            total += inner(v, True, n)
            n += 1
        return total + inner(total, False, n)

    outer = make_dispatcher(caller, cache=False)
    total = (1.0 + 1) + (2.0 + 2)
    assert outer(np.array([1.0, 2.0])) == total + (total - 3)
    assert inner.signatures == [(types.float64, types.boolean, types.int64)]
