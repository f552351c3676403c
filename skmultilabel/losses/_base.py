"""The loss object: a checked API for users, an unchecked one for solvers.

A loss maps a 0/1 target ``Y`` and raw scores (logits) ``raw``, both of shape
(n_samples, n_labels), to one number:

    L = sum_i s_i * sum_c l_c(Y[i, c], raw[i, c]) / sum_i s_i

with ``s`` the sample weights (ones by default). The per-label terms may be
weighted by ``pos_weight[c]`` (positive term, the cost of a false negative)
and ``neg_weight[c]`` (negative term, the cost of a false positive).
``gradient`` is dL/draw, of the shape and dtype of ``raw``.

Two entry points, as scikit-learn's ``_loss`` module separates them:

* :meth:`MultiLabelLoss.loss`, :meth:`~MultiLabelLoss.gradient` and
  :meth:`~MultiLabelLoss.loss_gradient` are for users: they validate the
  hyperparameters and the inputs (shapes, dtypes, finite values, weights),
  convert them and allocate the results;
* :meth:`MultiLabelLoss.fill_loss_gradient` is for solvers: no check and no
  allocation, the results are written into buffers the caller owns. Its
  preconditions are listed in its docstring; the training objective meets them
  once, when it is built.

Each computation is a single numba kernel that takes arrays and scalars only:
subclasses implement :meth:`MultiLabelLoss._run_kernel`. Losses are
registered by name in :data:`LOSSES` with :func:`register_loss`, so that
estimators accept ``loss="name"``. A loss states its hyperparameters'
constraints once, in ``_parameter_constraints`` (scikit-learn's format); the
estimators reuse them for the parameters they pass on, so every
hyperparameter is validated once, where it enters: by the estimator for a
loss it builds by name, by the loss's checked API (or by the estimator that
receives it) for a loss object built by the user.
"""

import numpy as np

from ..utils import all_finite
from ..utils._sklearn_compat import validate_parameter_constraints

__all__ = ["LOSSES", "MultiLabelLoss", "register_loss", "resolve_loss"]

#: name -> loss class; filled by :func:`register_loss`.
LOSSES = {}


def register_loss(cls):
    """Class decorator adding ``cls`` to :data:`LOSSES` under ``cls.name``."""
    if not cls.name or cls.name in LOSSES:
        raise ValueError(f"Loss name {cls.name!r} is empty or already registered.")
    LOSSES[cls.name] = cls
    return cls


def loss_parameter_constraints():
    """Constraints of every estimator parameter that a registered loss takes.

    Returns a dict estimator parameter name -> list of constraints, read from
    the losses' ``_parameter_constraints`` through their ``estimator_params``.
    """
    constraints = {}
    for cls in LOSSES.values():
        for param, arg in cls.estimator_params.items():
            constraints[param] = cls._parameter_constraints[arg]
    return constraints


def resolve_loss(loss, estimator_params):
    """Return the loss object selected by an estimator's ``loss`` parameter.

    Parameters
    ----------
    loss : str or MultiLabelLoss
        A registered name, or a loss object (validated, then returned unchanged).
    estimator_params : dict
        The estimator's parameters, already validated against
        :func:`loss_parameter_constraints`. A named loss takes the
        hyperparameters listed in its ``estimator_params`` mapping (estimator
        name -> constructor argument) from this dict; those missing from it
        keep the constructor's defaults.

    Returns
    -------
    loss : MultiLabelLoss
    """
    if isinstance(loss, MultiLabelLoss):
        loss.validate_params()
        return loss
    if not isinstance(loss, str):
        raise TypeError(f"loss must be a string or a MultiLabelLoss, got {type(loss).__name__}.")
    if loss not in LOSSES:
        raise ValueError(f"Unknown loss {loss!r}; available losses: {sorted(LOSSES)}.")
    cls = LOSSES[loss]
    kwargs = {
        arg: estimator_params[param]
        for param, arg in cls.estimator_params.items()
        if param in estimator_params
    }
    return cls(**kwargs)


class MultiLabelLoss:
    """Base class of the losses.

    The constructor of a subclass stores its hyperparameters unchanged, as
    scikit-learn estimators do; they are validated by :meth:`validate_params`.

    Attributes
    ----------
    name : str
        The registry name.
    estimator_params : dict
        Estimator hyperparameter name -> constructor argument, used by
        :func:`resolve_loss`.
    pointwise : bool
        True when each entry's loss depends only on that entry, so that
        ``pos_weight`` and ``neg_weight`` may differ (cost-sensitive learning).
        Ranking losses set it to False and require equal weights.
    label_separable : bool
        True when the loss is a sum over labels of terms that each depend on
        that label's column only (pointwise and pairwise losses): its kernel
        then fills the per-label losses, returned with ``per_label=True``.
    """

    name = None
    estimator_params = {}
    _parameter_constraints = {}
    pointwise = True
    label_separable = False

    def validate_params(self):
        """Check the hyperparameters against ``_parameter_constraints``; raise if one is invalid."""
        validate_parameter_constraints(
            self._parameter_constraints, vars(self), caller_name=type(self).__name__
        )

    def loss(self, Y, raw, sample_weight=None, pos_weight=None, neg_weight=None, *,
             per_label=False):
        """Weighted mean over samples of the summed per-label losses (a float).

        With ``per_label=True`` (label-separable losses only): the float64
        array of shape (n_labels,) of the per-label terms, which sum to the loss.
        """
        value, _ = self._evaluate(Y, raw, sample_weight, pos_weight, neg_weight, False, per_label)
        return value

    def gradient(self, Y, raw, sample_weight=None, pos_weight=None, neg_weight=None):
        """Gradient of :meth:`loss` with respect to ``raw`` (same shape and dtype)."""
        _, grad = self._evaluate(Y, raw, sample_weight, pos_weight, neg_weight, True)
        return grad

    def loss_gradient(self, Y, raw, sample_weight=None, pos_weight=None, neg_weight=None, *,
                      per_label=False):
        """Loss value (per label with ``per_label=True``, as :meth:`loss`) and gradient.

        Both come from one kernel pass.
        """
        return self._evaluate(Y, raw, sample_weight, pos_weight, neg_weight, True, per_label)

    def fill_loss_gradient(self, Y, raw, sample_weight, pos_weight, neg_weight, gradient_out,
                           label_loss_out):
        """Unchecked loss and gradient for solvers, written into the caller's buffers.

        Nothing is validated, converted or allocated (beyond the kernel's own
        scratch space). Preconditions, which the caller guarantees:

        * ``raw`` and ``Y`` are C-contiguous 2-D arrays of one shape
          (n_samples, n_labels) with n_samples, n_labels >= 1, of one dtype,
          float32 or float64; ``raw`` is finite and ``Y`` lies in [0, 1];
        * ``sample_weight`` (n_samples,), ``pos_weight`` and ``neg_weight``
          (n_labels,) are C-contiguous arrays of that dtype, finite and
          non-negative, ``sample_weight`` with a positive sum; for a loss that
          is not pointwise ``pos_weight`` equals ``neg_weight``;
        * ``gradient_out`` is None (the value only) or a C-contiguous array of
          the shape and dtype of ``raw``, overwritten with dL/draw;
        * ``label_loss_out`` is a float64 array of shape (n_labels,),
          overwritten with each label's share of the loss (label-separable
          losses; the others leave it untouched);
        * the hyperparameters are valid (:meth:`validate_params`) and fit
          n_labels (:meth:`check_n_labels`).

        The kernels run on the current number of numba threads
        (``numba.set_num_threads``; estimators set it from ``n_jobs``).

        Returns
        -------
        value : float
            The loss L.
        """
        need_grad = gradient_out is not None
        if not need_grad:
            gradient_out = np.empty((0, 0), dtype=raw.dtype)
        return float(self._run_kernel(
            Y, raw, sample_weight, pos_weight, neg_weight, gradient_out, need_grad,
            label_loss_out,
        ))

    def _evaluate(self, Y, raw, sample_weight, pos_weight, neg_weight, need_grad,
                  per_label=False):
        """The checked path: validate and convert, then :meth:`fill_loss_gradient`."""
        self.validate_params()
        if per_label and not self.label_separable:
            raise ValueError(
                f"The {self.name!r} loss is not a sum of per-label terms: per_label=True "
                "is only available for label-separable losses."
            )
        raw, Y = _real_array(raw, "raw"), _real_array(Y, "Y")
        dtype = raw.dtype if raw.dtype in (np.float32, np.float64) else np.float64
        raw = np.ascontiguousarray(raw, dtype=dtype)
        Y = np.ascontiguousarray(Y, dtype=dtype)
        if raw.ndim != 2 or Y.shape != raw.shape:
            raise ValueError(
                f"Y and raw must be 2-D arrays of the same shape, got {Y.shape} and {raw.shape}."
            )
        if raw.size == 0:
            raise ValueError(f"Y and raw are empty (shape {raw.shape}): no samples or no labels.")
        _check_values(Y, raw)
        n_samples, n_labels = raw.shape
        sample_weight = _as_weights(sample_weight, n_samples, dtype, "sample_weight")
        pos_weight = _as_weights(pos_weight, n_labels, dtype, "pos_weight")
        neg_weight = _as_weights(neg_weight, n_labels, dtype, "neg_weight")
        if not sample_weight.sum() > 0:
            raise ValueError("sample_weight sums to zero: the weighted mean loss is undefined.")
        if not self.pointwise and not np.array_equal(pos_weight, neg_weight):
            raise ValueError(
                f"The {self.name!r} loss ranks positives against negatives: it takes one weight "
                "per label, so pos_weight and neg_weight must be equal (no fn_cost / fp_cost)."
            )
        self.check_n_labels(n_labels)
        grad = np.empty_like(raw) if need_grad else None
        label_loss = np.zeros(n_labels)
        value = self.fill_loss_gradient(
            Y, raw, sample_weight, pos_weight, neg_weight, grad, label_loss
        )
        return (label_loss if per_label else value), grad

    def check_n_labels(self, n_labels):
        """Raise a ValueError if a per-label hyperparameter does not have ``n_labels`` entries."""

    def _run_kernel(self, Y, raw, sample_weight, pos_weight, neg_weight, grad, need_grad,
                    label_loss):
        """Call the loss kernel: return the loss, fill ``grad`` when ``need_grad``.

        A label-separable loss also writes each label's loss into ``label_loss``
        (float64, shape (n_labels,)); the others may ignore it.
        """
        raise NotImplementedError

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other):
        return type(self) is type(other) and _params_equal(vars(self), vars(other))

    __hash__ = None


def _params_equal(a, b):
    if a.keys() != b.keys():
        return False
    return all(np.array_equal(np.asarray(a[k]), np.asarray(b[k])) for k in a)


def _check_values(Y, raw):
    if not all_finite(raw):
        raise ValueError("raw (the logits) contains NaN or infinity.")
    if not (Y.min() >= 0 and Y.max() <= 1):  # False for NaN too
        raise ValueError("Y must hold targets in [0, 1]; it contains NaN or values outside.")


def _real_array(values, name):
    """``values`` as an array; TypeError unless it holds real numbers (no text, complex, object)."""
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {array.dtype}.")
    return array


def _as_weights(weights, size, dtype, name):
    if weights is None:
        return np.ones(size, dtype=dtype)
    weights = np.ascontiguousarray(_real_array(weights, name), dtype=dtype)
    if weights.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},), got {weights.shape}.")
    if not (np.isfinite(weights).all() and (weights >= 0).all()):
        raise ValueError(f"{name} must be finite and non-negative.")
    return weights
