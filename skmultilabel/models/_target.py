"""The classifier's target: a 0/1 label matrix, its ``classes_``, and its form.

A 2-D target is a label indicator matrix (``classes_`` = arange(n_labels)); a
1-D target is a binary problem with any two class labels, trained as one
label that is positive for the larger class (``classes_`` = the two sorted
labels). ``partial_fit`` fixes the form and the classes on its first call
(or through its ``classes`` argument); later chunks must keep them.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.utils.multiclass import type_of_target

from ..utils import check_multilabel_target

__all__ = ["Target", "encode_target"]


@dataclass(frozen=True)
class Target:
    """A dense float64 0/1 matrix ``Y`` (n_samples, n_labels), ``classes`` and ``binary``."""

    Y: np.ndarray
    classes: np.ndarray
    binary: bool


def encode_target(y, n_samples, *, classes=None, previous=None):
    """Validate and encode a target.

    Parameters
    ----------
    y : {array-like, sparse matrix} of shape (n_samples,) or (n_samples, n_labels)
    n_samples : int
    classes : array-like, default=None
        ``partial_fit``'s ``classes``: the two class labels of a 1-D target,
        or any sequence of length n_labels for a 2-D one.
    previous : Target, default=None
        The target of the stream's first ``partial_fit`` call, whose form
        and classes this chunk must keep.

    Returns
    -------
    Target
    """
    if not sp.issparse(y):
        y = np.asarray(y)
    binary = not sp.issparse(y) and y.ndim == 1
    if previous is not None:
        if binary != previous.binary:
            form = "1-D binary" if previous.binary else "2-D label indicator"
            raise ValueError(f"partial_fit: y must keep the form of the first call ({form}).")
        if classes is not None and not np.array_equal(
            _classes_of(classes, binary), previous.classes
        ):
            raise ValueError(
                f"partial_fit: classes={classes!r} differs from classes_={previous.classes!r} "
                "of the first call."
            )
        known = previous.classes
    elif classes is not None:
        known = _classes_of(classes, binary)
    else:
        known = None
    if binary:
        return _binary_target(y, n_samples, known)
    Y = check_multilabel_target(y, n_samples=n_samples, allow_1d=False)
    if known is not None and Y.shape[1] != known.size:
        raise ValueError(
            f"partial_fit: y has {Y.shape[1]} labels, but {known.size} were fixed "
            "by the first call (or by classes)."
        )
    return Target(Y, np.arange(Y.shape[1]), False)


def _binary_target(y, n_samples, known):
    """A 1-D binary target as one label: positive for the larger (or ``known[1]``) class."""
    if known is None:
        target_type = type_of_target(y, input_name="y", raise_unknown=True)
        if target_type != "binary":
            raise ValueError(
                "Only binary classification is supported for a 1-D target (use a 2-D 0/1 "
                f"indicator matrix for multi-label data). The type of the target is "
                f"{target_type}."
            )
        known = np.unique(y)
        if known.size != 2:
            raise ValueError(
                f"A 1-D target needs samples of 2 classes; got 1 class ({known[0]!r})."
            )
    elif known.size != 2 or not np.all(np.isin(y, known)):
        raise ValueError(
            f"partial_fit: a 1-D target must take the 2 values of classes={known!r}, "
            f"got {np.unique(y)!r}."
        )
    positive = (y == known[1]).astype(np.float64)
    return Target(check_multilabel_target(positive, n_samples=n_samples), known, True)


def _classes_of(classes, binary):
    """``classes_`` from partial_fit's ``classes``: sorted labels (1-D) or arange (2-D)."""
    classes = np.asarray(classes)
    return np.unique(classes) if binary else np.arange(classes.size)
