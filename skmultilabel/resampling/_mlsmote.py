"""MLSMOTE: synthetic samples for the minority labels of a multi-label data set.

Charte, Rivera, del Jesus, Herrera, "MLSMOTE: Approaching imbalanced
multilabel learning through synthetic instance generation", Knowledge-Based
Systems 89:385-397, 2015.
"""

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import pairwise_distances_chunked

from ..utils._sklearn_compat import Interval, StrOptions
from ._base import BaseMultilabelSampler, imbalance_split, label_bags

__all__ = ["MLSMOTE"]


class MLSMOTE(BaseMultilabelSampler):
    """Multi-label SMOTE (Charte et al. 2015).

    The labels whose imbalance ratio ``IRLbl`` exceeds the mean ``MeanIR``
    (both computed on the input) are minority labels. For each minority label
    and each sample holding it (the *seed*), the ``k_neighbors`` nearest
    samples (Euclidean distance) among those holding the label are found, one
    of them is drawn (the *reference*), and a synthetic sample
    ``seed + u * (reference - seed)`` is made with ``u`` uniform in [0, 1).
    Its labels are those of the seed and its neighbours chosen by
    ``label_generation``.

    Parameters
    ----------
    k_neighbors : int, default=5
        Number of neighbours of a seed; a label held by ``m <= k_neighbors``
        samples uses ``m - 1`` and a label held by a single sample gets no
        synthetic sample.
    label_generation : {"ranking", "union", "intersection"}, default="ranking"
        Label set of a synthetic sample, from the seed and its neighbours:
        ``"ranking"`` keeps the labels held by more than half of them,
        ``"union"`` the labels held by any, ``"intersection"`` those held by all.
    random_state : int, RandomState instance or None, default=None
        Controls the choice of the references and of ``u``.

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen in :meth:`fit_resample`.

    Notes
    -----
    As in the reference implementation of the authors' group (R package
    ``mldr.resampling``), the minority labels and their samples are taken from
    the input, and every seed gives one synthetic sample; on nearly balanced
    data (MeanIR close to 1) this can overshoot and raise MeanIR. Sparse ``X``
    (CSR or CSC) is supported without densifying: the synthetic rows are sparse
    combinations of two rows. ``X`` is cast to floating point.

    See Also
    --------
    MLROS : clones instead of synthetic samples.
    """

    _parameter_constraints: dict = {
        **BaseMultilabelSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "label_generation": [StrOptions({"ranking", "union", "intersection"})],
    }
    _X_dtype = (np.float64, np.float32)

    def __init__(self, *, k_neighbors=5, label_generation="ranking", random_state=None):
        self.k_neighbors = k_neighbors
        self.label_generation = label_generation
        self.random_state = random_state

    def _fit_resample(self, X, Y, rng):
        _, _, minority, _ = imbalance_split(Y)
        bag_ptr, bag_rows = label_bags(Y, minority)
        X_rows = X.tocsr() if sp.issparse(X) else X
        seeds, references, label_sets = [], [], []
        for b in range(minority.size):
            rows = bag_rows[bag_ptr[b]:bag_ptr[b + 1]]
            if rows.size < 2:
                continue
            n_neighbors = min(self.k_neighbors, rows.size - 1)
            neighbours = rows[_nearest_neighbours(X_rows[rows], n_neighbors)]
            seeds.append(rows)
            references.append(
                neighbours[np.arange(rows.size), rng.randint(n_neighbors, size=rows.size)]
            )
            label_sets.append(
                self._label_sets(Y[rows] + Y[neighbours].sum(axis=1), n_neighbors + 1)
            )
        if not seeds:
            return X.copy(), Y
        seeds, references = np.concatenate(seeds), np.concatenate(references)
        steps = rng.random_sample(seeds.size).astype(X.dtype)
        n_new = seeds.size
        sparse_format = sp.csr_matrix if isinstance(X, sp.spmatrix) else sp.csr_array
        mixing = sparse_format(
            (
                np.concatenate([1 - steps, steps]),
                (np.tile(np.arange(n_new), 2), np.concatenate([seeds, references])),
            ),
            shape=(n_new, X.shape[0]),
        )
        X_new = mixing @ X_rows
        if sp.issparse(X):
            X_res = sp.vstack([X, X_new], format=X.format)
        else:
            X_res = np.vstack([X, X_new])
        return X_res, np.vstack([Y] + label_sets)

    def _label_sets(self, votes, n_voters):
        """0/1 labels from the number of voters (seed and neighbours) holding each label."""
        if self.label_generation == "ranking":
            chosen = votes > n_voters / 2
        elif self.label_generation == "union":
            chosen = votes > 0
        else:
            chosen = votes == n_voters
        return chosen.astype(np.float64)


def _nearest_neighbours(X, n_neighbors):
    """Indices of the ``n_neighbors`` nearest other rows of each row of ``X`` (Euclidean).

    Chunked exact search with BLAS distances: the bags are often small, where
    :class:`~sklearn.neighbors.NearestNeighbors` spends most of its time
    starting threads.
    """

    def nearest(distances, start):
        rows = np.arange(distances.shape[0])
        distances[rows, start + rows] = np.inf  # a row is not its own neighbour
        return np.argpartition(distances, n_neighbors - 1, axis=1)[:, :n_neighbors]

    return np.vstack(list(pairwise_distances_chunked(X, reduce_func=nearest, metric="euclidean")))
