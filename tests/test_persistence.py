"""Persistence: pickle and joblib round trips predict the same bits in a fresh process.

A fitted estimator holds plain NumPy arrays and Python objects only (no
compiled numba dispatcher), so its pickle is about the size of its coefficients.
"""

import pickle
import subprocess
import sys
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.datasets import load_yeast

ROOT = Path(__file__).resolve().parents[1]
MODELS = {
    "linear": {"loss": "focal"},
    "mlp": {"model": "mlp", "hidden_layer_sizes": (100,), "loss": "asymmetric", "random_state": 0},
}

# Multi-threaded OpenBLAS rounds a product differently for each thread count, so
# both processes predict on one BLAS thread, whatever the machine and test order.
LOAD_AND_PREDICT = """
import pickle, sys
import joblib, numpy as np
from threadpoolctl import threadpool_limits
X = np.load(sys.argv[1])
for path in sys.argv[2:]:
    if path.endswith(".pkl"):
        with open(path, "rb") as f:
            model = pickle.load(f)
    else:
        model = joblib.load(path)
    with threadpool_limits(limits=1, user_api="blas"):
        np.save(path + ".proba.npy", model.predict_proba(X))
        np.save(path + ".labels.npy", model.predict(X))
"""


@pytest.fixture(scope="module")
def fitted_on_yeast():
    data = load_yeast()
    models = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name, params in MODELS.items():
            model = MultiLabelLossClassifier(max_iter=30, **params)
            models[name] = model.fit(data.X_train, data.Y_train)
    return models, data.X_test


def test_pickle_and_joblib_predict_the_same_in_a_fresh_process(fitted_on_yeast, tmp_path):
    models, X = fitted_on_yeast
    np.save(tmp_path / "X.npy", X)
    paths = []
    for name, model in models.items():
        with open(tmp_path / f"{name}.pkl", "wb") as f:
            pickle.dump(model, f)
        joblib.dump(model, tmp_path / f"{name}.joblib")
        paths += [tmp_path / f"{name}.pkl", tmp_path / f"{name}.joblib"]
    subprocess.run(
        [sys.executable, "-c", LOAD_AND_PREDICT, str(tmp_path / "X.npy"), *map(str, paths)],
        check=True, cwd=ROOT, timeout=120,
    )
    for path in paths:
        model = models[path.stem]
        with threadpool_limits(limits=1, user_api="blas"):
            np.testing.assert_array_equal(np.load(f"{path}.proba.npy"), model.predict_proba(X))
            np.testing.assert_array_equal(np.load(f"{path}.labels.npy"), model.predict(X))


def numba_objects(value, seen=None, where="model"):
    """Paths to every object of a numba module reachable from ``value``."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if any(cls.__module__.split(".")[0] in ("numba", "llvmlite") for cls in type(value).__mro__):
        return [where]  # a numba object, or one of a numba class (the package's dispatchers)
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple, set)):
        items = enumerate(value)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        items = vars(value).items()
    else:
        return []
    return [found for key, item in items for found in numba_objects(item, seen, f"{where}.{key}")]


@pytest.mark.parametrize("name", MODELS)
def test_fitted_estimator_holds_no_numba_object_and_pickles_small(fitted_on_yeast, name):
    from skmultilabel.losses._kernels import ordered_sum

    assert numba_objects({"kernel": [ordered_sum]}) == ["model.kernel.0"]  # the walk finds one
    model = fitted_on_yeast[0][name]
    assert numba_objects(model) == []
    if name == "linear":
        coefficients = [model.coef_, model.intercept_]
    else:
        coefficients = model.coefs_ + model.intercepts_
    size = len(pickle.dumps(model))
    # yeast: linear 103 x 14 (11.8 kB of float64), mlp 103 x 100 x 14 (94.5 kB)
    assert size < sum(c.nbytes for c in coefficients) + 8_000, size
