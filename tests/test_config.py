"""The numba cache switch."""

import subprocess
import sys

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


@pytest.mark.parametrize("value, expected", [("0", "False"), ("1", "True")])
def test_switch_is_read_from_environment(value, expected):
    code = "import skmultilabel._config as c; print(c.NUMBA_CACHE)"
    env = {"SKMULTILABEL_NUMBA_CACHE": value, "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == expected


def test_import_compiles_nothing():
    code = (
        "import sys, skmultilabel, skmultilabel.losses; "
        "from skmultilabel.losses._kernels import modulated_kernel; "
        "print(len(modulated_kernel.signatures))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
