"""imbalanced-learn's own sampler checks on MLROS, MLRUS and MLSMOTE.

The checks draw a 3-class vector from ``sample_dataset_generator``; here it
gives the same classes one-hot encoded, a 2-D label indicator with labels of
20 %, 30 % and 50 % of the samples. The checks that build a class vector
themselves are expected failures, each with its reason.
"""

import numpy as np
import pytest
from imblearn.utils import estimator_checks
from imblearn.utils.estimator_checks import parametrize_with_checks

from skmultilabel import MLROS, MLRUS, MLSMOTE

SAMPLERS = [MLROS(random_state=0), MLRUS(random_state=0), MLSMOTE(random_state=0)]

_ONE_LABEL_VECTOR = "The check passes a 1-D class vector; the samplers take a 2-D label indicator."
EXPECTED_FAILED = {
    "check_target_type": (
        "A multi-label indicator is the samplers' target, so it is not rejected with "
        "'Multilabel and multioutput targets are not supported'."
    ),
    "check_samplers_one_label": _ONE_LABEL_VECTOR,
    "check_samplers_fit": _ONE_LABEL_VECTOR,
    "check_samplers_fit_resample": (
        "It counts classes with Counter(y) on the target and expects them balanced; "
        "ML-ROS/ML-RUS/MLSMOTE change label frequencies by IRLbl, not to equal counts."
    ),
    "check_samplers_sampling_strategy_fit_resample": (
        "It sets a per-class sampling_strategy dict and counts classes with Counter(y); the "
        "samplers resample by label imbalance ratio and have no per-class strategy."
    ),
    "check_sampler_get_feature_names_out": "It passes make_blobs' 1-D class vector as the target.",
    "check_sampler_get_feature_names_out_pandas": (
        "It passes make_blobs' 1-D class vector as the target."
    ),
    "check_samplers_pandas": "It builds a pandas Series, a 1-D class vector, as the target.",
    "check_samplers_pandas_sparse": "It builds a pandas Series, a 1-D class vector, as the target.",
    "check_samplers_multiclass_ova": (
        "It compares with a one-vs-all target built by LabelBinarizer from the class vector."
    ),
    "check_samplers_2d_target": (
        "Its column vector holds the classes 0, 1, 2: a multiclass target, not a 0/1 indicator."
    ),
}


def one_hot_dataset():
    """``sample_dataset_generator`` of imbalanced-learn with the classes one-hot encoded."""
    X, y = estimator_checks.make_classification(
        n_samples=1000, n_classes=3, n_informative=4, weights=[0.2, 0.3, 0.5], random_state=0
    )
    return X, np.eye(3, dtype=np.int64)[y]


@pytest.fixture
def two_d_target(monkeypatch):
    monkeypatch.setattr(estimator_checks, "sample_dataset_generator", one_hot_dataset)


def _listed(marker):
    """``marker`` with its parameter values in a list, not imbalanced-learn's generator.

    pytest 9.2 deprecates parametrizing with a generator (PytestRemovedIn10Warning).
    """
    names, values = marker.args
    return pytest.mark.parametrize(names, list(values), **marker.kwargs)


@pytest.mark.usefixtures("two_d_target")
@_listed(parametrize_with_checks(SAMPLERS, expected_failed_checks=lambda sampler: EXPECTED_FAILED))
def test_imblearn_checks(estimator, check):
    check(estimator)
