"""Scale-out: joblib's dask backend runs the tuner's folds and a grid search on a cluster."""

import re

import distributed  # the dask extra is part of the test extra: fail, never skip
import numpy as np
import pytest
from joblib import parallel_config
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.multiclass import OneVsRestClassifier

from skmultilabel import MultiLabelLossClassifier, PerClassThresholdTuner


@pytest.fixture(scope="module")
def client():
    # in-process workers: no process start-up, and the numba kernels compiled here are reused
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def data():
    return make_multilabel_classification(
        n_samples=90, n_features=5, n_classes=3, n_labels=2, random_state=0
    )


def run_on(backend, make, data):
    X, Y = data
    with parallel_config(backend=backend):
        return make().fit(X, Y)


def make_tuner():
    return PerClassThresholdTuner(
        OneVsRestClassifier(LogisticRegression()), cv=3, n_jobs=2, random_state=0,
        store_cv_results=True,
    )


def make_search():
    return GridSearchCV(
        MultiLabelLossClassifier(max_iter=30),
        {"loss": ["bce", "focal"], "alpha": [1e-4, 1.0]},
        scoring="f1_macro", cv=2, n_jobs=2,
    )


def test_tuner_folds_on_dask_equal_local(client, data):
    with distributed.get_task_stream(client) as stream:
        dask = run_on("dask", make_tuner, data)
    local = run_on("threading", make_tuner, data)
    np.testing.assert_array_equal(dask.thresholds_, local.thresholds_)
    assert dask.best_score_ == local.best_score_
    for a, b in zip(dask.cv_results_["scores"], local.cv_results_["scores"]):
        np.testing.assert_array_equal(a, b)
    # the three folds ran as dask tasks on the cluster's workers
    assert n_calls(stream) >= 3
    assert {task["worker"] for task in stream.data} <= set(client.scheduler_info()["workers"])


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_grid_search_on_dask_equals_local(client, data):
    with distributed.get_task_stream(client) as stream:
        dask = run_on("dask", make_search, data)
    assert n_calls(stream) >= 8  # 4 candidates x 2 folds
    local = run_on("threading", make_search, data)
    assert dask.best_params_ == local.best_params_
    for key in ("mean_test_score", "split0_test_score", "split1_test_score"):
        np.testing.assert_allclose(dask.cv_results_[key], local.cv_results_[key], rtol=1e-12)


def n_calls(stream):
    """Function calls run on the cluster: joblib sends them in batches ("batch_of_f_2_calls")."""
    counts = [re.search(r"_(\d+)_calls", task["key"]) for task in stream.data]
    return sum(int(match.group(1)) if match else 1 for match in counts)
