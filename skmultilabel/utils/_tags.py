"""Tags of the meta-estimators, read from the estimator they wrap."""

from sklearn.utils import get_tags

__all__ = ["wrapped_estimator_tags"]


def wrapped_estimator_tags(tags, estimator):
    """Update a meta-estimator's ``tags`` from those of the multi-label ``estimator`` it wraps.

    The meta-estimator is not multi-class; it is multi-label, multi-output and
    accepts sparse input exactly when ``estimator`` does. Returns ``tags``.
    """
    inner = get_tags(estimator)
    tags.classifier_tags.multi_class = False
    if inner.classifier_tags is not None:
        tags.classifier_tags.multi_label = inner.classifier_tags.multi_label
    tags.target_tags.multi_output = inner.target_tags.multi_output
    tags.input_tags.sparse = inner.input_tags.sparse
    return tags
