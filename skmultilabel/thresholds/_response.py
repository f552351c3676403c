"""Turn a classifier's ``predict_proba`` / ``decision_function`` into one score per label.

Accepted outputs, for ``n_labels`` labels (1 for a binary target):

* an (n_samples, n_labels) array (OneVsRestClassifier, MLPClassifier, ClassifierChain);
* a list of n_labels arrays of shape (n_samples, 2) (MultiOutputClassifier,
  RandomForestClassifier, KNeighborsClassifier): the positive column is kept; a
  label that had one class in training gives (n_samples, 1), read as a constant
  score (1 if that class is the positive one, else 0);
* for a binary target, an (n_samples, 2) array (the column of the positive
  class) or a 1-D array (scores of ``classes_[1]``, turned into scores of
  ``classes_[0]`` when that is the positive class: ``1 - p`` for
  probabilities, ``-d`` for decision values, as scikit-learn's ``pos_label``).
"""

import numpy as np

__all__ = ["label_scores", "resolve_response_method"]


def resolve_response_method(estimator, response_method):
    """The method to call: ``response_method``, or the first available for "auto"."""
    if response_method != "auto":
        if not hasattr(estimator, response_method):
            raise AttributeError(
                f"{type(estimator).__name__} has no {response_method!r} "
                "(response_method of the tuner)."
            )
        return response_method
    for method in ("predict_proba", "decision_function"):
        if hasattr(estimator, method):
            return method
    raise AttributeError(
        f"{type(estimator).__name__} has neither predict_proba nor decision_function."
    )


def _positive_column(output, classes):
    output = np.asarray(output)
    if output.ndim == 1:
        return output
    if output.shape[1] == 2:
        return output[:, 1]
    if output.shape[1] == 1:
        positive = classes is not None and len(classes) == 1 and classes[0] == 1
        return np.full(output.shape[0], 1.0 if positive else 0.0)
    raise ValueError(f"Expected (n_samples, 2) per-label outputs, got shape {output.shape}.")


def _binary_scores(output, method, positive):
    """One column of scores of the class ``classes_[positive]`` from a binary output."""
    if output.ndim == 2 and output.shape[1] == 2:
        return output[:, positive:positive + 1]
    if positive == 1:
        return output
    return 1.0 - output if method == "predict_proba" else -output


def label_scores(estimator, X, method, n_labels, binary, positive=1):
    """Scores of shape (n_samples, n_labels), float64 (or float32 if the model gives float32).

    ``positive`` (binary target only) is the index in ``classes_`` of the class scored.
    """
    output = getattr(estimator, method)(X)
    if isinstance(output, list):
        classes = getattr(estimator, "classes_", None)
        if not isinstance(classes, list):
            classes = [None] * len(output)
        scores = np.column_stack([_positive_column(o, c) for o, c in zip(output, classes)])
        if binary:
            scores = _binary_scores(scores, method, positive)
    else:
        scores = np.asarray(output)
        if scores.ndim == 1:
            scores = scores[:, None]
        if binary:
            scores = _binary_scores(scores, method, positive)
    if scores.ndim != 2 or scores.shape[1] != n_labels:
        raise ValueError(
            f"{type(estimator).__name__}.{method} returned scores of shape {scores.shape}; "
            f"expected one score per label ({n_labels} labels)."
        )
    dtype = np.float32 if scores.dtype == np.float32 else np.float64
    scores = np.ascontiguousarray(scores, dtype=dtype)
    if not np.all(np.isfinite(scores)):
        raise ValueError(f"{type(estimator).__name__}.{method} returned NaN or infinite scores.")
    return scores
