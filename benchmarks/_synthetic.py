"""Synthetic imbalanced multi-label data shared by the benchmarks.

Label ``c`` (1-based rank) has prevalence ``max(0.3 / c, 0.001)`` (Zipf-like, as
in text and tagging data sets), labels are correlated through an 8-dimensional
latent factor, and the features are a noisy linear image of the same factor.
"""

import numpy as np
from scipy.stats import norm


def make_imbalanced_multilabel(n_samples, n_labels, n_features=0, seed=0):
    """Return ``(X, Y)``: float64 features (``None`` if ``n_features == 0``), an int8 0/1 target."""
    rng = np.random.default_rng(seed)
    prevalence = np.maximum(0.3 / np.arange(1, n_labels + 1), 0.001)
    factors = rng.standard_normal((n_samples, 8))
    loadings = rng.standard_normal((8, n_labels)) * 0.8 / np.sqrt(8)
    scale = np.sqrt(1 + (loadings**2).sum(axis=0))
    noise = rng.standard_normal((n_samples, n_labels))
    Y = (factors @ loadings + noise > norm.ppf(1 - prevalence) * scale).astype(np.int8)
    if not n_features:
        return None, Y
    mixing = rng.standard_normal((8, n_features))
    X = factors @ mixing + rng.standard_normal((n_samples, n_features))
    return X, Y
