"""Evaluating every registered loss in generic tests, including those that need the epoch."""


def at_an_epoch(loss):
    """``loss`` ready to evaluate: a loss that needs the training epoch ("splc") at epoch 2.

    Outside the Adam loop such a loss has no epoch and raises; epoch 2 is past
    the default warm-up, so its label correction is exercised.
    """
    return loss.for_epoch(2) if getattr(loss, "needs_epoch", False) else loss
