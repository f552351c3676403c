"""The divergence check shared by the objectives."""

from ..utils import all_finite

__all__ = ["check_finite"]


def check_finite(values, what):
    """Stop training with a clear error as soon as ``values`` hold NaN or infinity."""
    if not all_finite(values):
        raise ValueError(
            f"Training diverged: the {what} became NaN or infinite, so training stopped and "
            "no coefficients were stored. Scale the features (e.g. StandardScaler), lower "
            "learning_rate_init or increase alpha."
        )
