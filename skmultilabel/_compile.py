"""Filling numba's on-disk cache ahead of use (``python -m skmultilabel --compile``).

numba compiles a kernel at its first call for the argument types of that
call, and, with the cache on (``SKMULTILABEL_NUMBA_CACHE``, default on),
keeps the machine code on disk for later processes. A fresh container, CI job
or cluster worker without that cache pays the compilation at its first fit
and first tuner fit (tens of seconds). :func:`compile_kernels` runs every
kernel of the package once, on tiny data, in float64 and float32 (and on
several threads, the parallel variants used with ``n_jobs`` > 1), so that an
image built with it starts warm.
"""

import time
import warnings

import numba
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from . import _config
from ._kernel_threads import kernel_threads

__all__ = ["compile_kernels", "kernels_cached"]

DTYPES = (np.float64, np.float32)


def kernels_cached():
    """Whether the first fit's loss kernel is in numba's on-disk cache for this source."""
    from .losses._kernels import modulated_kernel

    try:
        cache_file = modulated_kernel.serial._cache._cache_file
        return _config.NUMBA_CACHE and bool(cache_file._load_index())
    except (AttributeError, OSError):  # numba internals moved: assume a cold cache
        return False


def compile_kernels(*, parallel=True, report=print):
    """Compile every kernel of the package into numba's cache, both float dtypes.

    Parameters
    ----------
    parallel : bool, default=True
        Also compile the multi-threaded variants of the loss kernels (used by
        fits with ``n_jobs`` > 1); this starts numba's thread pool in this process.
    report : callable, default=print
        Called with one line per step (what was compiled, in how many seconds).

    Returns
    -------
    seconds : float
        Total time taken.
    """
    if not _config.NUMBA_CACHE:
        raise RuntimeError(
            "SKMULTILABEL_NUMBA_CACHE is off: compiled kernels would not be kept; unset it or "
            "set it to 1 to fill the cache."
        )
    threads = numba.config.NUMBA_NUM_THREADS
    steps = [("loss kernels, float64 and float32", _losses)]
    if parallel and threads > 1:
        steps.append((f"parallel loss kernels ({threads} threads)", _parallel_losses))
    steps += [
        ("linear, MLP and CV fits", _estimators),
        ("threshold tuner, float64 and float32 scores", _tuner),
        ("stratified splits and resamplers", _splits_and_resamplers),
    ]
    total = time.perf_counter()
    for name, step in steps:
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            step()
        report(f"compiled {name} in {time.perf_counter() - start:.1f} s")
    return time.perf_counter() - total


def _data(dtype, n_samples=40, n_labels=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, 4)).astype(dtype)
    Y = (X[:, :n_labels] + rng.standard_normal((n_samples, n_labels)) > 0).astype(np.int64)
    Y[:2], Y[2:4] = 1, 0  # every label has both classes
    return X, Y


def _losses():
    from .losses import LOSSES

    for dtype in DTYPES:
        X, Y = _data(dtype)
        raw = X[:, :3].copy()
        for cls in LOSSES.values():
            loss = cls()
            if getattr(loss, "needs_epoch", False):  # SPLC: evaluated at an epoch
                loss = loss.for_epoch(1)
            loss.loss_gradient(Y.astype(dtype), raw)


def _parallel_losses():
    with kernel_threads(numba.config.NUMBA_NUM_THREADS):
        _losses()


def _estimators():
    from .joint import MultiLabelLossClassifierCV
    from .models import MultiLabelLossClassifier

    X, Y = _data(np.float64)
    for params in (
        {},
        {"model": "mlp", "max_iter": 3},
        {"model": "mlp", "solver": "adam", "max_iter": 3},
    ):
        MultiLabelLossClassifier(**params).fit(X, Y).predict(X)
    MultiLabelLossClassifierCV(alphas=2, cv=2).fit(X, Y).predict(X)  # the path's kernels


class _ScoresAs(ClassifierMixin, BaseEstimator):
    """The linear classifier with its probabilities in ``dtype`` (the tuner's sweep input)."""

    def __init__(self, dtype=np.float64):
        self.dtype = dtype

    def fit(self, X, y):
        from .models import MultiLabelLossClassifier

        self.model_ = MultiLabelLossClassifier(max_iter=5).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X).astype(self.dtype)


def _tuner():
    from .thresholds import PerClassThresholdTuner
    from .thresholds._label_merge import MERGE_MIN_ENTRIES

    X, Y = _data(np.float64, n_samples=60)
    # 3 labels: the global search of this many samples takes the label-merge kernels
    X_large, Y_large = _data(np.float64, n_samples=MERGE_MIN_ENTRIES // 3 + 1)
    for dtype in DTYPES:
        for scoring in ("f1_macro", "f1_micro", "f1_samples"):
            PerClassThresholdTuner(_ScoresAs(dtype), scoring=scoring, cv=2).fit(X, Y)
        PerClassThresholdTuner(_ScoresAs(dtype), scoring="f1_macro", cv=2).fit(X_large, Y_large)


def _splits_and_resamplers():
    from .model_selection import MultilabelStratifiedKFold
    from .resampling import MLROS, MLRUS, MLSMOTE

    for dtype in DTYPES:
        X, Y = _data(dtype)
        list(MultilabelStratifiedKFold(n_splits=2).split(X, Y))
        for resampler in (MLROS(random_state=0), MLRUS(random_state=0),
                          MLSMOTE(k_neighbors=3, random_state=0)):
            resampler.fit_resample(X, Y)
