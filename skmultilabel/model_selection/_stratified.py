"""Cross-validation splitters that stratify every label of a multi-label target."""

import numpy as np
from sklearn.model_selection import BaseShuffleSplit, StratifiedKFold
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target

from ..utils import check_multilabel_target
from ..utils._sklearn_compat import _BaseKFold, _num_samples, _validate_shuffle_split
from ._iterative import iterative_stratification

__all__ = ["MultilabelStratifiedKFold", "MultilabelStratifiedShuffleSplit", "default_cv"]


def _binary_as_indicator(y):
    """A 1-D binary target of any two labels (strings, {-1, 1}) as 0/1 (1: the greater class)."""
    if y is None or hasattr(y, "toarray") or np.ndim(y) != 1:
        return y
    y = np.asarray(y)
    if type_of_target(y, input_name="y") != "binary":
        return y
    return (y == np.unique(y)[-1]).astype(np.int8)


def _pointer(keys, n_keys):
    """``pointer`` with ``pointer[k + 1] - pointer[k]`` the number of ``keys`` equal to ``k``."""
    pointer = np.zeros(n_keys + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n_keys), out=pointer[1:])
    return pointer


def stratified_folds(X, y, capacity, rng):
    """Fold of every sample by iterative stratification of the labels of ``y``.

    ``capacity`` gives the size of each fold; ``rng`` (a RandomState, or None
    for the deterministic order) shuffles the samples and breaks ties.
    """
    Y = _binary_as_indicator(y)
    Y = check_multilabel_target(Y, n_samples=_num_samples(X), dtype=np.int8, name="y")
    n_samples, n_labels = Y.shape
    rows, labels = np.divmod(np.flatnonzero(Y.view(np.bool_)), n_labels)
    if rng is None:
        order = np.arange(n_samples)
        label_draws, row_draws = np.zeros(2 * n_labels), np.zeros(n_samples)
    else:
        order = rng.permutation(n_samples).astype(np.int64, copy=False)
        label_draws, row_draws = rng.random_sample(2 * n_labels), rng.random_sample(n_samples)
    capacity = np.asarray(capacity, dtype=np.int64)
    folds = np.full(n_samples, -1, dtype=np.int64)
    iterative_stratification(
        _pointer(rows, n_samples), labels.astype(np.int64, copy=False), order,
        _pointer(labels, n_labels), label_draws, row_draws, capacity, capacity.copy(),
        np.zeros((capacity.shape[0], n_labels), dtype=np.int64), folds,
    )
    return folds


class _MultilabelSplitMixin:
    """``split`` with ``y`` required: the splitters below stratify on it."""

    def split(self, X, y, groups=None):
        """Generate indices to split data into training and test set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data (only its number of samples is used).
        y : array-like or sparse matrix of shape (n_samples, n_labels) or (n_samples,)
            0/1 label indicator matrix, or a 1-D binary target.
        groups : None
            Ignored, present for API compatibility.

        Yields
        ------
        train : ndarray
            Training set indices of the split.
        test : ndarray
            Test set indices of the split.
        """
        return super().split(X, y, groups)


class MultilabelStratifiedKFold(_MultilabelSplitMixin, _BaseKFold):
    """K-fold cross-validator keeping each label's positive rate in every fold.

    Folds are made by iterative stratification (Sechidis, Tsoumakas, Vlahavas,
    ECML PKDD 2011): the rarest labels are distributed first, each sample going
    to the fold that still wants most positives of the label. The absence of
    each label is stratified the same way, as a label of its own, so that the
    most frequent labels, distributed last, are not squeezed into whatever room
    the other labels left. Fold sizes are those of
    :class:`~sklearn.model_selection.KFold` (``n_samples // n_splits``, one more
    for the first ``n_samples % n_splits`` folds).

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    shuffle : bool, default=False
        Shuffle the samples before stratifying and break ties at random; with
        ``shuffle=False`` the samples are taken in order and ties go to the
        lowest index, so the folds are deterministic.
    random_state : int, RandomState instance or None, default=None
        Controls the shuffling and tie-breaking when ``shuffle=True``.

    See Also
    --------
    MultilabelStratifiedShuffleSplit : stratified random train/test splits.
    sklearn.model_selection.StratifiedKFold : the single-label counterpart.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultilabel.model_selection import MultilabelStratifiedKFold
    >>> Y = np.array([[1, 0], [1, 1], [0, 1], [0, 0], [1, 0], [0, 1]])
    >>> [test.tolist() for _, test in MultilabelStratifiedKFold(n_splits=2).split(Y, Y)]
    [[0, 2, 4], [1, 3, 5]]
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        super().__init__(n_splits=n_splits, shuffle=shuffle, random_state=random_state)

    def _iter_test_masks(self, X, y=None, groups=None):
        n_samples = _num_samples(X)
        capacity = np.full(self.n_splits, n_samples // self.n_splits)
        capacity[: n_samples % self.n_splits] += 1
        rng = check_random_state(self.random_state) if self.shuffle else None
        folds = stratified_folds(X, y, capacity, rng)
        for fold in range(self.n_splits):
            yield folds == fold


class MultilabelStratifiedShuffleSplit(_MultilabelSplitMixin, BaseShuffleSplit):
    """Random train/test splits keeping each label's positive rate in both sets.

    Each split shuffles the samples and assigns them by iterative
    stratification (Sechidis et al. 2011) to a train and a test set of exactly
    the sizes asked for.

    Parameters
    ----------
    n_splits : int, default=10
        Number of re-shuffling and splitting iterations.
    test_size : float or int, default=None
        Proportion (float in (0, 1)) or number (int) of test samples; 0.1 when
        both sizes are None, else the complement of ``train_size``.
    train_size : float or int, default=None
        Proportion or number of train samples; the complement of ``test_size`` when None.
    random_state : int, RandomState instance or None, default=None
        Controls the shuffling and tie-breaking.

    See Also
    --------
    MultilabelStratifiedKFold : stratified k-fold.
    sklearn.model_selection.StratifiedShuffleSplit : the single-label counterpart.
    """

    def __init__(self, n_splits=10, *, test_size=None, train_size=None, random_state=None):
        super().__init__(
            n_splits=n_splits, test_size=test_size, train_size=train_size,
            random_state=random_state,
        )
        self._default_test_size = 0.1

    def _iter_indices(self, X, y, groups=None):
        n_samples = _num_samples(X)
        n_train, n_test = _validate_shuffle_split(
            n_samples, self.test_size, self.train_size, default_test_size=self._default_test_size
        )
        capacity = [n_train, n_test, n_samples - n_train - n_test]
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            folds = stratified_folds(X, y, capacity, rng)
            yield np.flatnonzero(folds == 0), np.flatnonzero(folds == 1)


def default_cv(n_splits, binary, random_state):
    """Stratified folds for an integer ``cv`` of the package's meta-estimators.

    ``StratifiedKFold`` for a binary target (as scikit-learn), shuffled
    ``MultilabelStratifiedKFold`` (iterative stratification) for a multi-label ``Y``,
    so that every fold holds each label in about its overall proportion.
    """
    if binary:
        return StratifiedKFold(n_splits)
    return MultilabelStratifiedKFold(n_splits, shuffle=True, random_state=random_state)
