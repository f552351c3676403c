"""What ``partial_fit`` keeps between calls: one small record, copied on every call.

A call works on a copy of the stream and the estimator keeps the copy only
when the call succeeds, so a call that raises leaves the Adam moments, the
random state and the dynamic weights where they were.
"""

import copy
from dataclasses import dataclass

import numpy as np

__all__ = ["STREAM_PARAMS", "Stream", "changed_params"]

#: The estimator parameters fixed by the first ``partial_fit`` call of a stream.
STREAM_PARAMS = (
    "loss", "gamma", "focal_alpha", "gamma_pos", "gamma_neg", "clip", "class_weight",
    "fn_cost", "fp_cost", "model", "hidden_layer_sizes", "activation", "fit_intercept",
    "dynamic_class_weight", "dynamic_momentum", "label_smoothing", "negative_weight",
    "hill_lambda", "positive_margin", "splc_tau", "splc_warmup",
)


@dataclass
class Stream:
    """The state of a ``partial_fit`` stream.

    Attributes
    ----------
    params : dict
        The values of :data:`STREAM_PARAMS` at the first call.
    loss : MultiLabelLoss
    target : Target
        The form and classes of the first call's target (its ``Y`` is None).
    dtype : numpy.dtype
        The dtype of the parameters and of every chunk's computation.
    pos_weight, neg_weight : ndarray of shape (n_labels,)
        The label weights computed on the first chunk.
    adam : AdamState
    random_state : numpy.random.RandomState
        Draws the order of the rows of each chunk.
    dynamic_weights : DynamicLabelWeights or None
    """

    params: dict
    loss: object
    target: object
    dtype: np.dtype
    pos_weight: np.ndarray
    neg_weight: np.ndarray
    adam: object
    random_state: np.random.RandomState
    dynamic_weights: object = None

    def copy(self):
        """A copy whose mutable parts (Adam moments, random state, dynamic weights) are new."""
        random_state = np.random.RandomState(0)
        random_state.set_state(self.random_state.get_state())  # ~50x cheaper than deepcopy
        dynamic_weights = self.dynamic_weights
        if dynamic_weights is not None:
            dynamic_weights = copy.deepcopy(dynamic_weights)
        return Stream(
            self.params, self.loss, self.target, self.dtype, self.pos_weight, self.neg_weight,
            self.adam.copy(), random_state, dynamic_weights,
        )


def changed_params(stream_params, params):
    """Names of the stream parameters whose value differs in ``params``."""
    return [name for name in STREAM_PARAMS if not _same(stream_params[name], params[name])]


def _same(a, b):
    try:
        return bool(np.array_equal(np.asarray(a, dtype=object), np.asarray(b, dtype=object)))
    except ValueError:  # ragged sequences
        return a == b
