"""One label's out-of-fold F-beta against alpha and pos_weight, from MultiLabelLossClassifierCV."""

from numbers import Integral

import numpy as np
from sklearn.utils._optional_dependencies import check_matplotlib_support
from sklearn.utils.validation import check_is_fitted

__all__ = ["ClassifierCVDisplay"]


class ClassifierCVDisplay:
    """Out-of-fold score of one label against alpha, one line per positive weight.

    Each point is the label's F-beta on the pooled out-of-fold scores of one
    candidate (alpha, pos_weight), at that candidate's best threshold for the
    label: the table :class:`~skmultilabel.MultiLabelLossClassifierCV` chose
    from. Create it with :meth:`from_estimator`.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
    scores : ndarray of shape (n_alphas, n_pos_weights)
    pos_weight_names : list of str
        Legend entry of every column of ``scores``.
    chosen_alpha, chosen_score : float, default=None
        The chosen point, marked.
    title : str, default=None

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        One line per positive weight.
    marker_ : matplotlib PathCollection or None
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    """

    def __init__(self, *, alphas, scores, pos_weight_names, chosen_alpha=None, chosen_score=None,
                 title=None):
        self.alphas = alphas
        self.scores = scores
        self.pos_weight_names = pos_weight_names
        self.chosen_alpha = chosen_alpha
        self.chosen_score = chosen_score
        self.title = title

    def plot(self, ax=None):
        """Draw on ``ax`` (a new figure when None); return ``self``."""
        check_matplotlib_support(f"{type(self).__name__}.plot")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4), layout="constrained")
        self.lines_ = [
            ax.plot(self.alphas, column, marker=".", label=f"pos_weight={name}")[0]
            for column, name in zip(self.scores.T, self.pos_weight_names)
        ]
        self.marker_ = None
        if self.chosen_alpha is not None:
            self.marker_ = ax.scatter(
                [self.chosen_alpha], [self.chosen_score], s=120, marker="*", color="black",
                zorder=3, label="chosen",
            )
        ax.set_xscale("log")
        ax.set_xlabel("alpha (L2 strength)")
        ax.set_ylabel("out-of-fold F-beta at its best threshold")
        ax.legend(fontsize="small")
        if self.title is not None:
            ax.set_title(self.title)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, label, *, label_name=None, ax=None):
        """Plot label ``label`` of a fitted :class:`~skmultilabel.MultiLabelLossClassifierCV`.

        Parameters
        ----------
        estimator : MultiLabelLossClassifierCV
            Fitted.
        label : int
            Label (column) index.
        label_name : str, default=None
            Title; "label <label>" by default.
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : ClassifierCVDisplay
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        check_is_fitted(estimator, "cv_results_")
        results = estimator.cv_results_
        n_labels = results["label_scores"].shape[1]
        if not isinstance(label, Integral) or not 0 <= label < n_labels:
            raise ValueError(f"label must be a label index in [0, {n_labels - 1}], got {label!r}.")
        n_alphas = estimator.alphas_.shape[0]
        scores = results["label_scores"][:, label].reshape(n_alphas, -1)
        names = [str(entry) for entry in results["pos_weight"][: scores.shape[1]]]
        chosen = np.flatnonzero(
            (results["alpha"] == estimator.alpha_[label])
            & (results["pos_weight_value"][:, label] == estimator.pos_weight_[label])
        )[0]
        display = cls(
            alphas=estimator.alphas_, scores=scores, pos_weight_names=names,
            chosen_alpha=estimator.alpha_[label],
            chosen_score=results["label_scores"][chosen, label],
            title=f"label {label}" if label_name is None else label_name,
        )
        return display.plot(ax=ax)
