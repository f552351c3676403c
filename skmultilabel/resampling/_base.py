"""Base class of the multi-label samplers and the label bags they draw from.

imbalanced-learn's :class:`~imblearn.base.BaseSampler` checks ``y`` as a
single-output classification target and rejects a label indicator matrix.
:class:`BaseMultilabelSampler` keeps its interface (``fit_resample``, the
``sampler`` estimator type that :mod:`imblearn.pipeline` recognises, the tags)
and replaces the checks: ``X`` dense or sparse (CSR/CSC), numeric and finite
(text is rejected, object arrays are converted to numbers as scikit-learn
does), ``Y`` a 2-D 0/1 indicator validated by
:func:`skmultilabel.utils.check_multilabel_target`. A label without positive
samples has no bag and is left as it is.
"""

from abc import abstractmethod

import numpy as np
import scipy.sparse as sp
from imblearn.base import BaseSampler
from imblearn.utils._validation import ArraysTransformer  # private: no public path
from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data

from ..utils import check_multilabel_target, check_not_text
from ..utils._sklearn_compat import _fit_context
from ._measures import _irlbl_from_counts

__all__ = ["BaseMultilabelSampler"]


class BaseMultilabelSampler(BaseSampler):
    """Base class of the samplers of a multi-label target.

    Subclasses implement ``_fit_resample(X, Y, rng)`` on validated
    input (``X`` an ndarray or CSR/CSC matrix, ``Y`` a float64 0/1 ndarray) and
    return ``(X_res, Y_res)`` whose first rows are the kept original rows, in
    their original order.
    """

    _sampling_type = "bypass"
    _parameter_constraints: dict = {"random_state": ["random_state"]}
    # dtype argument of the validation of X: "numeric" keeps any numeric dtype.
    _X_dtype = "numeric"

    @abstractmethod
    def __init__(self, *, random_state=None):
        self.random_state = random_state

    def _check_X_Y(self, X, y):
        check_not_text(X)
        X = validate_data(self, X=X, reset=True, accept_sparse=["csr", "csc"], dtype=self._X_dtype)
        Y = check_multilabel_target(y, n_samples=X.shape[0], allow_1d=False, name="y")
        return X, Y

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Check ``X`` and ``y``; use :meth:`fit_resample` to resample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        y : array-like or sparse matrix of shape (n_samples, n_labels)
            0/1 label indicator matrix.

        Returns
        -------
        self : object
        """
        self._check_X_Y(X, y)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Samples.
        y : array-like or sparse matrix of shape (n_samples, n_labels)
            0/1 label indicator matrix.

        Returns
        -------
        X_resampled : {ndarray, dataframe, sparse matrix} of shape (n_samples_new, n_features)
            The kept original rows first, unchanged and in their order, then the new rows.
        y_resampled : {ndarray, dataframe, sparse matrix} of shape (n_samples_new, n_labels)
            Labels of ``X_resampled``, of the type and dtype of ``y``.
        """
        arrays = ArraysTransformer(X, y)
        X_checked, Y = self._check_X_Y(X, y)
        X_res, Y_res = self._fit_resample(X_checked, Y, check_random_state(self.random_state))
        y_dtype = y.dtype if sp.issparse(y) else np.asarray(y).dtype
        Y_res = Y_res.astype(y_dtype)
        if sp.issparse(y):
            Y_res = type(y)(Y_res)
        return arrays.transform(X_res, Y_res)

    @abstractmethod
    def _fit_resample(self, X, Y, rng):
        """Resample validated ``X`` and float64 ``Y`` drawing from ``rng`` (a RandomState)."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.two_d_labels = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags


def label_bags(Y, labels):
    """Rows holding each of ``labels``, as ``(pointer, rows)`` in CSC layout.

    The rows of ``labels[b]`` are ``rows[pointer[b]:pointer[b + 1]]``, increasing.
    """
    columns = sp.csc_array(Y[:, labels])
    return columns.indptr.astype(np.int64), columns.indices.astype(np.int64)


def imbalance_split(Y):
    """Label counts, MeanIR and the labels above / below it (IRLbl > MeanIR / < MeanIR)."""
    counts = Y.sum(axis=0)
    ratios = _irlbl_from_counts(counts)
    present = np.isfinite(ratios)
    if not present.any():
        return counts, np.inf, np.empty(0, np.int64), np.empty(0, np.int64)
    mean = ratios[present].mean()
    minority = np.flatnonzero(present & (ratios > mean))
    majority = np.flatnonzero(ratios < mean)
    return counts, mean, minority, majority
