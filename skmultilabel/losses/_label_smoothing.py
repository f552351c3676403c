"""Label smoothing of the pointwise losses (``label_smoothing``).

With two classes per label, smoothing by eps replaces each 0/1 target y by

    y_eps = y * (1 - eps) + eps / 2,

so a positive's target is 1 - eps/2 and a negative's eps/2 (Szegedy et al.,
"Rethinking the Inception Architecture for Computer Vision", CVPR 2016). A
pointwise loss with soft targets is y_eps * l+(z) + (1 - y_eps) * l-(z), which
its kernel computes: a missing positive (a wrong 0) is then fitted less hard,
as is every other target.
"""

from numbers import Real

from ..utils._sklearn_compat import Interval

__all__ = ["LABEL_SMOOTHING", "smooth_targets"]

#: The constraint of ``label_smoothing``: a real in [0, 0.5).
LABEL_SMOOTHING = [Interval(Real, 0, 0.5, closed="left")]


def smooth_targets(Y, label_smoothing):
    """``Y * (1 - label_smoothing) + label_smoothing / 2`` as a new array; ``Y`` itself at 0."""
    if label_smoothing == 0:
        return Y
    return Y * (1.0 - label_smoothing) + 0.5 * label_smoothing
