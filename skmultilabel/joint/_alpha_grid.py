"""The candidate L2 strengths of :class:`MultiLabelLossClassifierCV`.

A default grid must follow the scale of the features. The fitted objective is
the mean loss plus ``alpha / (2 sum_i s_i) ||w||^2``; multiplying X by k
divides the linear model's solution w by k, and keeps every prediction, only
if alpha is multiplied by k^2. The grid of ``alphas=n`` is therefore
``logspace(4, 0, n)`` (``n=1``: the classifier's default 1) times the mean
variance of the features, sample-weighted (a weight of 2 counts a row twice),
so that it reads the same on standardised features (mean variance 1, the grid
unchanged) and on raw 0/1 bag-of-words columns (bibtex: mean variance 0.030).
The argument is exact for the linear model; the MLP's first layer follows it.
"""

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.utils.sparsefuncs import mean_variance_axis

__all__ = ["alpha_grid", "mean_feature_variance"]

_BLOCK_VALUES = 1 << 20  # values of dense X centred at a time (8 MiB), not a copy of X


def mean_feature_variance(X, sample_weight):
    """Sample-weighted variance of every column of ``X``, averaged over the columns."""
    if sp.issparse(X):
        _, variances = mean_variance_axis(X, axis=0, weights=sample_weight)
        return float(np.mean(variances))
    rows = max(1, _BLOCK_VALUES // X.shape[1])
    blocks = [slice(start, start + rows) for start in range(0, X.shape[0], rows)]
    total_weight = sample_weight.sum()
    # block by block: a float32 X is cast to float64 a block at a time, never whole
    mean = sum(sample_weight[block] @ X[block] for block in blocks) / total_weight
    squares = 0.0
    for block in blocks:
        centred = X[block] - mean
        squares += sample_weight[block] @ np.einsum("ij,ij->i", centred, centred)
    return float(squares / (total_weight * X.shape[1]))


def alpha_grid(alphas, X, sample_weight):
    """Return the candidate alphas of the parameter ``alphas``, strongest first.

    An int n gives n values from 1e4 to 1 (n=1: 1) times the mean feature
    variance of ``X`` (1 when every feature is constant); values are taken
    as given.
    """
    if isinstance(alphas, Integral):
        scale = mean_feature_variance(X, sample_weight)
        scale = scale if np.isfinite(scale) and scale > 0 else 1.0
        return scale * (np.ones(1) if alphas == 1 else np.logspace(4, 0, alphas))
    values = np.asarray(alphas, dtype=np.float64)
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)) or np.any(
        values < 0
    ):
        raise ValueError(
            f"alphas must be a positive int or a non-empty 1-D list of finite numbers >= 0, "
            f"got {alphas!r}."
        )
    return np.unique(values)[::-1]
