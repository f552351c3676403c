"""Training curves of a fitted ``MultiLabelLossClassifier``."""

import numpy as np

from ...utils._sklearn_compat import check_matplotlib_support

__all__ = ["TrainingCurveDisplay"]


class TrainingCurveDisplay:
    """Training loss per iteration, and the validation score when early stopping is on.

    Create it with :meth:`from_estimator`; do not call :meth:`plot` twice on one axes.

    Parameters
    ----------
    loss_curve : array-like of shape (n_iter,)
        Training objective after each iteration (epoch for minibatch solvers).
    validation_scores : array-like of shape (n_iter,), default=None
        Validation score after each epoch, drawn on a second y axis.
    name : str, default=None
        Legend label of the loss curve.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The loss curve.
    validation_line_ : matplotlib Line2D or None
        The validation curve.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    """

    def __init__(self, *, loss_curve, validation_scores=None, name=None):
        self.loss_curve = np.asarray(loss_curve, dtype=float)
        self.validation_scores = (
            None if validation_scores is None else np.asarray(validation_scores, dtype=float)
        )
        self.name = name

    def plot(self, ax=None, *, name=None):
        """Draw the curves on ``ax`` (a new figure when None); return ``self``."""
        check_matplotlib_support(f"{type(self).__name__}.plot")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        name = name if name is not None else self.name
        iterations = np.arange(1, self.loss_curve.size + 1)
        (self.line_,) = ax.plot(iterations, self.loss_curve, label=name or "training loss")
        ax.set_xlabel("iteration")
        ax.set_ylabel("training objective")
        self.validation_line_ = None
        if self.validation_scores is not None and self.validation_scores.size:
            twin = ax.twinx()
            epochs = np.arange(1, self.validation_scores.size + 1)
            (self.validation_line_,) = twin.plot(
                epochs, self.validation_scores, color="tab:orange", label="validation score"
            )
            twin.set_ylabel("validation score")
            handles = [self.line_, self.validation_line_]
            ax.legend(handles, [h.get_label() for h in handles], loc="center right")
        else:
            ax.legend(loc="upper right")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, name=None):
        """Plot the training curves stored on a fitted estimator.

        Parameters
        ----------
        estimator : fitted estimator with ``loss_curve_``
            For example a fitted :class:`~skmultilabel.MultiLabelLossClassifier`
            (or the last step of a pipeline, passed directly).
        ax : matplotlib Axes, default=None
        name : str, default=None
            Legend label; the estimator's class name by default.

        Returns
        -------
        display : TrainingCurveDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        if not hasattr(estimator, "loss_curve_"):
            raise TypeError(
                f"{type(estimator).__name__} has no loss_curve_: pass a fitted estimator "
                "that records its training curve."
            )
        display = cls(
            loss_curve=estimator.loss_curve_,
            validation_scores=getattr(estimator, "validation_scores_", None),
            name=name if name is not None else type(estimator).__name__,
        )
        return display.plot(ax=ax)
