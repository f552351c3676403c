"""scikit-learn's estimator checks on the package's estimators."""

from sklearn import __version__ as sklearn_version
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.fixes import parse_version

from skmultilabel import (
    LabelStackingClassifier,
    MultiLabelLossClassifier,
    MultiLabelLossClassifierCV,
)

ESTIMATORS = [
    MultiLabelLossClassifier(),
    MultiLabelLossClassifier(
        model="mlp", solver="adam", hidden_layer_sizes=(8,), max_iter=30, random_state=0
    ),
    LabelStackingClassifier(MultiLabelLossClassifier(max_iter=30), cv=3, random_state=0),
    MultiLabelLossClassifierCV(alphas=2, pos_weights=[1.0, "balanced"], cv=2, random_state=0),
]

EXPECTED_FAILED = {
    "check_supervised_y_2d": (
        "A 2-D y of shape (n_samples, 1) is a multi-label indicator with one label, not a "
        "column vector to ravel: predictions keep its 2-D shape and no "
        "DataConversionWarning is raised."
    ),
    "check_class_weight_classifiers": (
        "class_weight weighs labels (columns of Y), not classes: a 1-D binary target is one "
        "label, so the check's {0: 1000, 1: 0.0001} names a label that does not exist. "
        "Rebalancing positives against negatives is done with fn_cost / fp_cost."
    ),
}


EXPECTED_FAILED_CV = {
    **EXPECTED_FAILED,
    "check_classifiers_train": (
        "predict applies the cross-validated thresholds_, not decision_function > 0: that "
        "they differ is the point of the estimator."
    ),
}


# scikit-learn 1.6 only (the oldest supported version, .ci/oldest.sh)
OLD_SCIKIT_LEARN_FAILED = {
    f"check_sample_weight_equivalence_on_{kind}_data": (
        "scikit-learn 1.6's version of the check (15 samples, 30 features, 3 classes "
        "folded to 2) compares predict_proba of an L-BFGS fit to separable data; its "
        "version from 1.7 on passes."
    )
    for kind in ("dense", "sparse")
}
if parse_version(sklearn_version) >= parse_version("1.7"):
    OLD_SCIKIT_LEARN_FAILED = {}


def expected_failed_checks(estimator):
    # the stacker reads a (n_samples, 1) y as a 1-D binary target, as scikit-learn does, and
    # has no class_weight: every other check passes
    if isinstance(estimator, LabelStackingClassifier):
        return OLD_SCIKIT_LEARN_FAILED
    if isinstance(estimator, MultiLabelLossClassifierCV):
        return {**EXPECTED_FAILED_CV, **OLD_SCIKIT_LEARN_FAILED}
    return {**EXPECTED_FAILED, **OLD_SCIKIT_LEARN_FAILED}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)
