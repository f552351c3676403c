"""Thread pools: fits that overlap in threads, and the pools of other libraries left as found.

The checks that need a fresh process (the first call that could start numba's
pool, another library's OpenMP runtime) run in a child process.
"""

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from skmultilabel import MultiLabelLossClassifier
from skmultilabel._kernel_threads import kernel_threads, requested_threads
from skmultilabel.models._threads import thread_limits

ROOT = Path(__file__).resolve().parents[1]


def blas_threads():
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((120, 5))
    Y = (X[:, :3] + rng.standard_normal((120, 3)) > 0.3).astype(int)
    return X, Y


def _environment():
    """Return the environment of this process, without a threading layer chosen by the caller."""
    return {key: value for key, value in os.environ.items() if key != "NUMBA_THREADING_LAYER"}


def run_child(code, **env):
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, env={**_environment(), **env}, check=False)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


# Fit A enters, fit B enters, A leaves, B leaves (not nested): B keeps one BLAS thread
# after A left, and the last to leave restores the two threads the process started with.
OUT_OF_ORDER = """
import threading
from threadpoolctl import threadpool_info
from skmultilabel.models._threads import thread_limits

def blas():
    return sorted({p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"})

a_inside, b_inside, a_left = threading.Event(), threading.Event(), threading.Event()
seen = {}

def fit_a():
    with thread_limits(None):
        a_inside.set()
        b_inside.wait(60)
    a_left.set()

def fit_b():
    a_inside.wait(60)
    with thread_limits(None):
        b_inside.set()
        a_left.wait(60)
        seen["b"] = blas()

before = blas()
threads = [threading.Thread(target=fit_a), threading.Thread(target=fit_b)]
[thread.start() for thread in threads]
[thread.join() for thread in threads]
print(before, seen["b"], blas())
"""


def test_overlapping_fits_exiting_out_of_order_restore_blas():
    assert run_child(OUT_OF_ORDER, OPENBLAS_NUM_THREADS="2") == ["[2]", "[1]", "[2]"]


def test_thread_limits_restores_blas_after_an_error():
    before = blas_threads()
    with pytest.raises(RuntimeError, match="inside"), thread_limits(2):
        assert requested_threads() == 2
        assert set(blas_threads()) == {1}
        raise RuntimeError("inside")
    assert blas_threads() == before
    assert requested_threads() == 1


def test_two_fits_in_two_threads_equal_serial_fits_and_restore_blas():
    data = [make_data(seed) for seed in (0, 1)]
    serial = [MultiLabelLossClassifier(n_jobs=2).fit(X, Y).coef_ for X, Y in data]
    barrier = threading.Barrier(2)

    def fit(X, Y):
        barrier.wait(10)
        return MultiLabelLossClassifier(n_jobs=2).fit(X, Y).coef_

    before = blas_threads()
    with ThreadPoolExecutor(2) as pool:
        concurrent = list(pool.map(lambda d: fit(*d), data))
    assert blas_threads() == before
    for a, b in zip(serial, concurrent):
        np.testing.assert_array_equal(a, b)


def test_kernel_threads_rejects_a_bad_count():
    for bad in (0, -1, 1.5, None):
        with pytest.raises(ValueError, match="positive int"), kernel_threads(bad):
            pass


POOL = """
import numba, numpy as np
from skmultilabel import MultiLabelLossClassifier
X = np.random.default_rng(0).standard_normal((80, 4)); Y = (X[:, :2] > 0).astype(int)
MultiLabelLossClassifier().fit(X, Y)
try:
    numba.threading_layer()
    print("started")
except ValueError:
    print("not-started")
MultiLabelLossClassifier(n_jobs=2).fit(X, Y)
print(numba.threading_layer())
"""


def test_default_fit_starts_no_pool_and_n_jobs_starts_workqueue():
    assert run_child(POOL) == ["not-started", "workqueue"]


def test_the_user_chooses_the_threading_layer():
    assert run_child(POOL, NUMBA_THREADING_LAYER="omp") == ["not-started", "omp"]


# Every thread pool threadpoolctl sees, with PyTorch's OpenMP and BLAS set by the user,
# before and after our fit, predict and tuner (the first parallel call starts numba's pool).
POOLS_WITH_TORCH = """
import threading, sys
import torch
import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits
from skmultilabel import MultiLabelLossClassifier, PerClassThresholdTuner
import scipy.optimize, sklearn.linear_model  # loaded before the snapshot
torch.set_num_threads(1)
threadpool_limits(limits=1)

def state():
    return torch.get_num_threads(), sorted(
        (p["filepath"], p["num_threads"]) for p in threadpool_info())

rng = np.random.default_rng(0)
X = rng.standard_normal((90, 4)); Y = (X[:, :3] + rng.standard_normal((90, 3)) > 0).astype(int)
before = state()
def work(n_jobs):
    for model in ("linear", "mlp"):
        clf = MultiLabelLossClassifier(model=model, n_jobs=n_jobs, max_iter=20).fit(X, Y)
        clf.predict_proba(X)
    PerClassThresholdTuner(MultiLabelLossClassifier(n_jobs=n_jobs), cv=2).fit(X, Y).predict(X)
if sys.argv[1] == "threads":
    threads = [threading.Thread(target=work, args=(n_jobs,)) for n_jobs in (2, None)]
    [t.start() for t in threads]; [t.join() for t in threads]
else:
    work(None); work(2)
after = state()
assert any("gomp" in path or "omp" in path for path, _ in before[1]), before
found = dict(before[1])
kept = (after[0], [(path, n) for path, n in after[1] if path in found])
print("same" if kept == before else f"changed {before} -> {after}")
print("new pools:", len(after[1]) - len(kept[1]))  # numba's omp layer loads the system libgomp
"""


@pytest.mark.parametrize(
    "how, layer", [("sequential", None), ("threads", None), ("sequential", "omp")]
)
def test_torch_thread_pools_are_left_as_found(how, layer):
    """Our layer, from one thread and from two; and numba's omp layer chosen by the user."""
    pytest.importorskip("torch", reason="torch (optional test dependency) is not installed")
    env = _environment() if layer is None else {**_environment(), "NUMBA_THREADING_LAYER": layer}
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", POOLS_WITH_TORCH, how], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, env=env, check=False)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "same"
    if layer is None:
        assert lines[1] == "new pools: 0"
