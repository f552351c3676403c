"""Targets as users pass them: every scipy sparse format, pandas nullable columns, 1-D labels."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_multilabel_classification

from skmultilabel import MLROS, MLRUS, MLSMOTE, MultiLabelLossClassifier, PerClassThresholdTuner
from skmultilabel.model_selection import MultilabelStratifiedKFold
from skmultilabel.resampling import irlbl
from skmultilabel.utils import check_multilabel_target

X, Y = make_multilabel_classification(n_samples=60, n_features=5, n_classes=3, random_state=0)

SPARSE = {
    "coo": sp.coo_matrix,
    "lil": sp.lil_matrix,
    "dok": sp.dok_matrix,
    "dia": sp.dia_matrix,
    "bsr": sp.bsr_matrix,
    "csc": sp.csc_matrix,
    "csr_array": sp.csr_array,
    "coo_array": sp.coo_array,
    "dok_array": sp.dok_array,
}


def with_duplicate(Y):
    """COO matrix equal to ``Y`` except that one positive entry is stored twice (summed: 2)."""
    coo = sp.coo_matrix(Y)
    rows, cols = np.append(coo.row, coo.row[0]), np.append(coo.col, coo.col[0])
    return sp.coo_matrix((np.append(coo.data, coo.data[0]), (rows, cols)), shape=Y.shape)


def users():
    """Every consumer of a multi-label target, as ``name -> callable(X, Y)``."""
    return {
        "validation": lambda X, Y: check_multilabel_target(Y),
        "classifier": lambda X, Y: MultiLabelLossClassifier(max_iter=3).fit(X, Y),
        "mlros": lambda X, Y: MLROS(random_state=0).fit_resample(X, Y),
        "mlrus": lambda X, Y: MLRUS(random_state=0).fit_resample(X, Y),
        "mlsmote": lambda X, Y: MLSMOTE(random_state=0).fit_resample(X, Y),
        "splitter": lambda X, Y: list(MultilabelStratifiedKFold(3).split(X, Y)),
        "measure": lambda X, Y: irlbl(Y),
        "tuner": lambda X, Y: PerClassThresholdTuner(
            MultiLabelLossClassifier(max_iter=3), cv=2
        ).fit(X, Y),
    }


@pytest.mark.parametrize("fmt", SPARSE)
def test_every_sparse_format_is_validated_on_the_matrix(fmt):
    np.testing.assert_array_equal(check_multilabel_target(SPARSE[fmt](Y)), Y)


@pytest.mark.parametrize("user", users())
def test_a_duplicated_coo_entry_is_the_value_2(user):
    with pytest.raises(ValueError, match=r"0/1 label indicator; found values \[2"):
        users()[user](X, with_duplicate(Y))


@pytest.mark.parametrize("user", ["classifier", "mlros", "splitter", "tuner"])
@pytest.mark.parametrize("fmt", ["lil", "dok", "coo_array"])
def test_users_accept_every_sparse_format(user, fmt):
    users()[user](X, SPARSE[fmt](Y))


def nullable_frames():
    return {
        "Int64": pd.DataFrame({c: pd.array(Y[:, c], dtype="Int64") for c in range(3)}),
        "boolean": pd.DataFrame(
            {c: pd.array(Y[:, c].astype(bool), dtype="boolean") for c in range(3)}
        ),
        "bool_int": pd.DataFrame({0: Y[:, 0].astype(bool), 1: Y[:, 1], 2: Y[:, 2].astype(bool)}),
    }


@pytest.mark.parametrize("frame", nullable_frames())
@pytest.mark.parametrize("user", users())
def test_pandas_nullable_and_mixed_columns_are_accepted(frame, user):
    users()[user](X, nullable_frames()[frame])
    np.testing.assert_array_equal(check_multilabel_target(nullable_frames()[frame]), Y)


def test_missing_and_object_labels_raise_unknown_label_type():
    frame = nullable_frames()["boolean"]
    frame.iloc[3, 1] = pd.NA
    frame[0] = frame[0].astype("Int64")
    for target in (frame, np.array([["a", 1, 0]] * len(Y), dtype=object)):
        with pytest.raises(ValueError, match="Unknown label type"):
            MLROS().fit_resample(X, target)
        with pytest.raises(ValueError, match="Unknown label type"):
            MultiLabelLossClassifier().fit(X, target)


@pytest.mark.parametrize("sampler", [MLROS(), MLRUS(), MLSMOTE()])
def test_samplers_require_y(sampler):
    with pytest.raises(ValueError, match="requires y to be passed"):
        sampler.fit_resample(X, None)


@pytest.mark.parametrize("labels", [["no", "yes"], [-1, 1], [0, 1]])
def test_stratified_kfold_takes_any_1d_binary_labels(labels):
    y = np.asarray(labels)[Y[:, 0]]
    folds = list(MultilabelStratifiedKFold(3).split(X, y))
    expected = list(MultilabelStratifiedKFold(3).split(X, Y[:, 0]))
    for (train, test), (train_01, test_01) in zip(folds, expected):
        np.testing.assert_array_equal(test, test_01)
        np.testing.assert_array_equal(train, train_01)


def test_mlsmote_returns_a_copy_when_it_generates_nothing():
    X_own = X.copy()
    X_res, Y_res = MLSMOTE(random_state=0).fit_resample(X_own, np.zeros_like(Y))
    assert X_res.shape == X_own.shape and not np.shares_memory(X_res, X_own)
    X_res[0, 0] += 1.0
    np.testing.assert_array_equal(X_own, X)


@pytest.mark.parametrize("sampler", [MLROS(), MLRUS()])
def test_sample_indices_tag(sampler):
    assert sampler.__sklearn_tags__().sampler_tags.sample_indices
    X_res, _ = sampler.fit_resample(X, Y)
    np.testing.assert_array_equal(X_res, X[sampler.sample_indices_])
