"""Checks for multi-label targets and weights.

These functions never modify their input: when a conversion is needed they
return a new array, and a check that fails raises a ``ValueError`` or
``TypeError`` naming the problem.
"""

import numbers
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_consistent_length, column_or_1d

from ._sklearn_compat import _check_sample_weight

__all__ = [
    "all_finite",
    "check_binary_or_multilabel_target",
    "check_label_weights",
    "check_multilabel_target",
    "check_not_text",
    "check_sample_weights",
    "warn_constant_labels",
]


def check_multilabel_target(Y, *, n_samples=None, dtype=np.float64, allow_1d=True, name="Y"):
    """Validate a 0/1 indicator target and return it dense, C-ordered, as ``dtype``.

    Parameters
    ----------
    Y : array-like or sparse matrix of shape (n_samples, n_labels) or (n_samples,)
        A 0/1 label indicator matrix. A 1-D target must hold 0/1 values (binary
        classification); class labels other than 0/1 are encoded by the
        estimators before this check.
    n_samples : int, optional
        Expected number of rows (the rows of ``X``).
    dtype : numpy dtype, default=np.float64
        dtype of the returned array.
    allow_1d : bool, default=True
        Accept a 1-D binary target, returned as one column.
    name : str, default="Y"
        Name used in error messages.

    Returns
    -------
    Y_checked : ndarray of shape (n_samples, n_labels)
        A new C-contiguous array of ``dtype`` (never a view of the input).
    """
    if Y is None:
        raise ValueError(f"This estimator requires y to be passed, but the target {name} is None.")
    if sp.issparse(Y):
        # every format (COO with duplicated entries summed, LIL, DOK, sparse arrays)
        dense = Y.toarray()
    else:
        if isinstance(Y, (str, bytes)):
            raise TypeError(f"{name} must be an array-like 0/1 indicator, got {type(Y).__name__}.")
        dense = _numbers_of_objects(np.asarray(Y), name)
    if dense.dtype.kind in "USV" or dense.dtype.kind == "c":
        raise TypeError(
            f"{name} must hold numbers 0 and 1, got an array of dtype {dense.dtype}."
        )
    if dense.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got dtype {dense.dtype}.")
    if dense.ndim == 1:
        if not allow_1d:
            raise ValueError(f"{name} must be 2-D (n_samples, n_labels), got a 1-D array.")
        dense = dense.reshape(-1, 1)
    elif dense.ndim != 2:
        raise ValueError(f"{name} must be 1-D or 2-D, got an array with {dense.ndim} dimensions.")
    if dense.shape[1] == 0:
        raise ValueError(f"{name} has no labels (shape {dense.shape}).")
    if dense.shape[0] == 0:
        raise ValueError(f"{name} has no samples (shape {dense.shape}).")
    if n_samples is not None and dense.shape[0] != n_samples:
        raise ValueError(
            f"X and {name} have inconsistent numbers of samples: {n_samples} and {dense.shape[0]}."
        )
    if dense.dtype.kind == "f" and not np.all(np.isfinite(dense)):
        raise ValueError(f"{name} contains NaN or infinity.")
    bad = (dense != 0) & (dense != 1)
    if np.any(bad):
        examples = np.unique(dense[bad])[:5]
        raise ValueError(
            f"{name} must be a 0/1 label indicator; found values {examples.tolist()}. "
            "Multiclass targets are not supported: binarize them first "
            "(sklearn.preprocessing.MultiLabelBinarizer or LabelBinarizer)."
        )
    return np.array(dense, dtype=dtype, order="C", copy=True)


def check_binary_or_multilabel_target(y, n_samples, owner, dtype=bool, warn=False):
    """Validate the target of a meta-estimator: binary, or a 0/1 label indicator matrix.

    A 2-D ``y`` with several columns, or a sparse one, is an indicator matrix:
    returned dense as ``dtype``, with classes ``arange(n_labels)``. A 1-D or
    column-vector ``y`` must be binary: returned 1-D, with its two classes
    (``warn``: a ``DataConversionWarning`` for a column vector).

    Returns
    -------
    y : ndarray
    classes : ndarray
    binary : bool
    """
    if y is None:
        raise ValueError(f"{owner} requires y to be passed, but the target y is None.")
    if not sp.issparse(y):
        y = np.asarray(y)
    if sp.issparse(y) or (y.ndim == 2 and y.shape[1] > 1):
        Y = check_multilabel_target(y, n_samples=n_samples, dtype=dtype, allow_1d=False, name="y")
        return Y, np.arange(Y.shape[1]), False
    y = column_or_1d(y, warn=warn)
    check_consistent_length(y, np.empty(n_samples))
    target_type = type_of_target(y, input_name="y", raise_unknown=True)
    if target_type != "binary":
        raise ValueError(
            "Only binary classification is supported for a 1-D target (a multi-label 0/1 "
            f"indicator matrix is accepted too). The type of the target is {target_type}."
        )
    classes = np.unique(y)
    if classes.shape[0] < 2:
        raise ValueError(f"y has 1 class ({classes[0]!r}): {owner} needs two classes.")
    return y, classes, True


def _numbers_of_objects(array, name):
    """An object array of bools and numbers (pandas nullable or mixed bool/int columns) as float.

    Any other object entry (text, ``pd.NA``, None) is an unknown label type, as
    scikit-learn's ``type_of_target`` calls it.
    """
    if array.dtype != object:
        return array
    for value in array.flat:
        if not isinstance(value, (bool, np.bool_, numbers.Real)) or isinstance(value, str):
            raise ValueError(
                f"Unknown label type: {name} has dtype object with an entry {value!r} of type "
                f"{type(value).__name__}; a label indicator holds the numbers 0 and 1 "
                "(missing labels must be filled first)."
            )
    return array.astype(np.float64)


def check_sample_weights(sample_weight, n_samples, dtype=np.float64):
    """Validate ``sample_weight``: finite, non-negative, one per sample, not all zero.

    Returns a new C-contiguous array of ``dtype`` (ones when ``sample_weight`` is None).
    """
    if sample_weight is not None and not isinstance(sample_weight, numbers.Number):
        array = np.asarray(sample_weight)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"sample_weight must be numeric, got dtype {array.dtype}.")
        if array.ndim != 1 or array.shape[0] != n_samples:
            raise ValueError(
                f"sample_weight must have shape ({n_samples},), got {array.shape}."
            )
        if not np.all(np.isfinite(array)):
            raise ValueError("sample_weight contains NaN or infinity.")
    weights = _check_sample_weight(
        sample_weight, np.empty((n_samples, 0)), dtype=dtype, ensure_non_negative=True, copy=True
    )
    total = weights.sum()
    if not total > 0:
        raise ValueError(
            "Sample weights must contain at least one non-zero number (sample_weight sums to zero)."
        )
    if not np.isfinite(total):
        raise ValueError(
            "sample_weight sums to infinity (the weights are too large to add up): divide them "
            "by a common factor."
        )
    return np.ascontiguousarray(weights)


def check_label_weights(weights, n_labels, name, dtype=np.float64):
    """Validate a scalar or per-label array of non-negative finite weights.

    Returns a new C-contiguous array of shape (n_labels,).
    """
    if isinstance(weights, numbers.Real) and not isinstance(weights, bool):
        array = np.full(n_labels, weights, dtype=dtype)
    else:
        array = np.asarray(weights)
        if array.dtype.kind not in "biuf":
            raise TypeError(
                f"{name} must be a number or an array of numbers, got dtype {array.dtype}."
            )
        if array.shape != (n_labels,):
            raise ValueError(
                f"{name} must be a scalar or have one entry per label, shape ({n_labels},); "
                f"got shape {array.shape}."
            )
        array = np.array(array, dtype=dtype, copy=True)
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} must be finite and non-negative, got {array.tolist()[:10]}.")
    return np.ascontiguousarray(array)


def check_not_text(X, name="X"):
    """Raise a ``TypeError`` when ``X`` is an array (or list) of str or bytes.

    Converting to float would parse numeric strings silently. Object arrays
    follow scikit-learn: they are converted to numbers where possible.
    """
    dtype = getattr(X, "dtype", None)
    if dtype is None and isinstance(X, (list, tuple)):
        dtype = np.asarray(X).dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "US":
        raise TypeError(
            f"{name} must hold numbers, got text (dtype {dtype}); encode it first, "
            "e.g. with sklearn.preprocessing.OneHotEncoder."
        )


def warn_constant_labels(Y, sample_weight, owner):
    """Warn about labels never (or always) positive among the samples of positive weight.

    Nothing distinguishes the samples of such a label, so a model cannot learn
    to rank them; it is trained all the same (scikit-learn's
    ``OneVsRestClassifier`` warns likewise).
    """
    counts = Y[sample_weight > 0].sum(axis=0)
    never = np.flatnonzero(counts == 0).tolist()
    always = np.flatnonzero(counts == np.count_nonzero(sample_weight > 0)).tolist()
    parts = [f"{kind} label(s) {labels}" for kind, labels in
             (("never positive:", never), ("always positive:", always)) if labels]
    if parts:
        warnings.warn(
            f"{owner}: {'; '.join(parts)} in the training data (columns of y); the model "
            "cannot learn to tell their samples apart and gives them a constant score.",
            UserWarning,
        )


def all_finite(values):
    """Whether every entry of a float array is finite; a finite sum (one pass) proves it."""
    return bool(np.isfinite(np.sum(values)) or np.isfinite(values).all())
