"""Cold start: ``python -m skmultilabel --compile`` fills the cache; the demo says it compiles."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import skmultilabel.__main__ as demo
from skmultilabel._compile import compile_kernels

ROOT = Path(__file__).resolve().parents[1]

# a fresh process: the first fit and tuner fit on yeast, counting numba compilations
COMPILATIONS = """
import warnings
from numba.core import event
from skmultilabel import MultiLabelLossClassifier, PerClassThresholdTuner
from skmultilabel.datasets import load_yeast
warnings.simplefilter("ignore")
X, Y = load_yeast(return_X_y=True)
with event.install_recorder("numba:compile") as recorder:
    MultiLabelLossClassifier(max_iter=5).fit(X[:200], Y[:200])
    PerClassThresholdTuner(MultiLabelLossClassifier(max_iter=5), cv=2).fit(X[:200], Y[:200])
print(sum(e.is_start for _, e in recorder.buffer))
"""


def test_compile_fills_the_cache_for_the_first_fit_and_tuner():
    # the suite's own cache (what other tests compiled is reused; the rest is filled here)
    env = {**os.environ, "SKMULTILABEL_NUMBA_CACHE": "1"}
    out = subprocess.run([sys.executable, "-m", "skmultilabel", "--compile"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900, check=False)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert [line.split(" in ")[0] for line in lines[:2]] == [
        "compiled loss kernels, float64 and float32", "compiled parallel loss kernels (2 threads)",
    ][: 1 + (os.cpu_count() > 1)]
    assert lines[-1].startswith("numba cache filled in ")
    first = subprocess.run([sys.executable, "-c", COMPILATIONS], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300, check=True)
    assert first.stdout.split() == ["0"]  # nothing left to compile


def test_compile_refuses_when_the_cache_is_off(monkeypatch):
    monkeypatch.setattr("skmultilabel._config.NUMBA_CACHE", False)
    with pytest.raises(RuntimeError, match="SKMULTILABEL_NUMBA_CACHE is off"):
        compile_kernels()


@pytest.mark.parametrize("cached", [False, True])
def test_demo_prints_one_notice_while_it_compiles(monkeypatch, capsys, cached):
    monkeypatch.setattr(demo, "kernels_cached", lambda: cached)
    demo.main(["--dataset", "emotions", "--losses", "bce", "--max-iter", "5"])
    err = capsys.readouterr().err.splitlines()
    notices = [line for line in err if line.startswith("compiling the numba kernels")]
    assert len(notices) == (0 if cached else 1)
    assert "--compile" in "".join(notices) or cached
