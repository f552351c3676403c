"""ML-ROS and ML-RUS: random over- and under-sampling by label imbalance ratio.

Charte, Rivera, del Jesus, Herrera, "Addressing imbalance in multilabel
classification: measures and random resampling algorithms", Neurocomputing
163:3-16, 2015.
"""

from numbers import Real

import numpy as np

from ..utils._sklearn_compat import Interval, _safe_indexing
from ._base import BaseMultilabelSampler, imbalance_split, label_bags
from ._kernels import round_robin_picks

__all__ = ["MLROS", "MLRUS"]


class _RandomMultilabelSampler(BaseMultilabelSampler):
    """Shared part of ML-ROS and ML-RUS: a resampling percentage, rows picked by index."""

    _parameter_constraints: dict = {**BaseMultilabelSampler._parameter_constraints}

    def __init__(self, *, percentage=25.0, random_state=None):
        self.percentage = percentage
        self.random_state = random_state

    def _fit_resample(self, X, Y, rng):
        n_wanted = int(X.shape[0] * self.percentage / 100)
        self.sample_indices_ = self._pick_rows(Y, n_wanted, rng)
        return _safe_indexing(X, self.sample_indices_), Y[self.sample_indices_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.sampler_tags.sample_indices = True
        return tags


class MLROS(_RandomMultilabelSampler):
    """Multi-label random over-sampling (ML-ROS, Charte et al. 2015).

    The labels whose imbalance ratio ``IRLbl`` exceeds the mean ``MeanIR`` are
    minority labels; each has a bag, the samples holding it. Turn after turn, a
    uniformly drawn sample of every bag is cloned, until ``percentage`` percent
    of the samples have been added; a bag stops once its label's ``IRLbl``
    (recomputed as the clones are added) is no more than the initial
    ``MeanIR``, and sampling stops early if every bag has stopped.

    Parameters
    ----------
    percentage : float, default=25.0
        Number of clones as a percentage of the number of samples (0 or more).
    random_state : int, RandomState instance or None, default=None
        Controls the draws.

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_samples_new,)
        Original row of every output row: ``arange(n_samples)`` then the cloned rows.
    n_features_in_ : int
        Number of features seen in :meth:`fit_resample`.

    See Also
    --------
    MLRUS : the under-sampling counterpart.
    MLSMOTE : synthetic instead of cloned samples.
    """

    _parameter_constraints: dict = {
        **_RandomMultilabelSampler._parameter_constraints,
        "percentage": [Interval(Real, 0, None, closed="left")],
    }

    def _pick_rows(self, Y, n_wanted, rng):
        _, mean, minority, _ = imbalance_split(Y)
        bag_ptr, bag_rows = label_bags(Y, minority)
        draws = rng.random_sample(n_wanted)
        clones = round_robin_picks(
            Y, minority.astype(np.int64), bag_ptr, bag_rows, mean, n_wanted, draws, 1.0
        )
        return np.concatenate([np.arange(Y.shape[0]), clones])


class MLRUS(_RandomMultilabelSampler):
    """Multi-label random under-sampling (ML-RUS, Charte et al. 2015).

    The labels whose imbalance ratio ``IRLbl`` is below the mean ``MeanIR``
    are majority labels; each has a bag, the samples holding it. Turn after
    turn, a uniformly drawn sample of every bag is deleted (from the data set,
    hence from all bags), until ``percentage`` percent of the samples are
    gone; a bag stops once its label's ``IRLbl`` reaches the initial ``MeanIR``
    or it has no sample left.

    Unlike the paper's pseudo-code, and as in the ``mldr.resampling`` R
    package, a sample holding a minority label (``IRLbl > MeanIR``) is never
    deleted: majority labels co-occur with minority ones, and deleting such
    samples would make the minority labels rarer.

    Parameters
    ----------
    percentage : float, default=25.0
        Number of deleted samples as a percentage of the number of samples, in [0, 100).
    random_state : int, RandomState instance or None, default=None
        Controls the draws.

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_samples_new,)
        Kept original rows, increasing: the output is ``X[sample_indices_]``.
    n_features_in_ : int
        Number of features seen in :meth:`fit_resample`.

    See Also
    --------
    MLROS : the over-sampling counterpart.
    """

    _parameter_constraints: dict = {
        **_RandomMultilabelSampler._parameter_constraints,
        "percentage": [Interval(Real, 0, 100, closed="left")],
    }

    def _pick_rows(self, Y, n_wanted, rng):
        _, mean, minority, majority = imbalance_split(Y)
        candidates = Y * (Y[:, minority].sum(axis=1) == 0)[:, None]
        bag_ptr, bag_rows = label_bags(candidates, majority)
        bag_of_entry = np.repeat(np.arange(majority.size), np.diff(bag_ptr))
        shuffled = bag_rows[np.lexsort((rng.random_sample(bag_rows.size), bag_of_entry))]
        deleted = round_robin_picks(
            Y, majority.astype(np.int64), bag_ptr, shuffled, mean, n_wanted, np.empty(0), -1.0
        )
        return np.setdiff1d(np.arange(Y.shape[0]), deleted)
