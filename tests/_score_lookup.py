"""A prefit classifier whose scores are given, for tests of the threshold search."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin


class ScoreLookup(ClassifierMixin, BaseEstimator):
    """A 'fitted' classifier whose score of row i is scores[i] (X holds the row numbers)."""

    def __init__(self, scores=None):
        self.scores = scores

    def fit(self, X, y):
        return self

    def __sklearn_is_fitted__(self):
        return True

    def predict_proba(self, X):
        return self.scores[np.asarray(X)[:, 0].astype(int)]
