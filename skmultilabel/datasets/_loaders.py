"""Loaders for the MULAN benchmarks stored in ``datasets/data`` as ``.npz``."""

from importlib import resources

import numpy as np
from sklearn.utils import Bunch

__all__ = ["load_emotions", "load_scene", "load_yeast"]

_DESCRIPTIONS = {
    "emotions": (
        "emotions: 593 songs x 72 rhythmic and timbre features, 6 emotion labels "
        "(amazed-surprised, happy-pleased, relaxing-calm, quiet-still, sad-lonely, "
        "angry-aggresive); label cardinality 1.869. Official MULAN split 391 train / 202 test.\n"
        "Citation: K. Trohidis, G. Tsoumakas, G. Kalliris, I. Vlahavas, \"Multi-label "
        "Classification of Music into Emotions\", Proc. ISMIR 2008, pp. 325-330."
    ),
    "yeast": (
        "yeast: 2417 genes x 103 micro-array expression and phylogenetic features, "
        "14 functional classes; label cardinality 4.237. "
        "Official MULAN split 1500 train / 917 test.\n"
        "Citation: A. Elisseeff, J. Weston, \"A kernel method for multi-labelled "
        "classification\", NIPS 14, 2001, pp. 681-687."
    ),
    "scene": (
        "scene: 2407 images x 294 colour features, 6 scene labels (Beach, Sunset, "
        "FallFoliage, Field, Mountain, Urban); label cardinality 1.074. Official MULAN "
        "split 1211 train / 1196 test.\n"
        "Citation: M. R. Boutell, J. Luo, X. Shen, C. M. Brown, \"Learning multi-label scene "
        "classification\", Pattern Recognition 37(9):1757-1771, 2004."
    ),
}


def _load(name, return_X_y):
    path = resources.files(__package__).joinpath("data", f"{name}.npz")
    with resources.as_file(path) as file, np.load(file) as archive:
        X = archive["X"].astype(np.float64)
        Y = archive["Y"].astype(np.int64)
        is_train = archive["is_train"].astype(bool)
        feature_names = archive["feature_names"].astype(object)
        target_names = archive["label_names"].astype(object)
    if return_X_y:
        return X, Y
    train_index = np.flatnonzero(is_train)
    test_index = np.flatnonzero(~is_train)
    return Bunch(
        data=X,
        target=Y,
        feature_names=feature_names,
        target_names=target_names,
        is_train=is_train,
        train_index=train_index,
        test_index=test_index,
        X_train=X[train_index],
        X_test=X[test_index],
        Y_train=Y[train_index],
        Y_test=Y[test_index],
        DESCR=_DESCRIPTIONS[name],
    )


_DOC = """Load the {name} multi-label dataset (MULAN), with its official train/test split.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (float64, n_samples x n_features), ``target`` (0/1 int64,
        n_samples x n_labels), ``feature_names``, ``target_names``, ``is_train``
        (True for rows of the official training file), ``train_index``,
        ``test_index``, ``X_train``, ``X_test``, ``Y_train``, ``Y_test`` and
        ``DESCR`` (description and citation).
    (data, target) : tuple
        When ``return_X_y`` is True.
    """


def load_emotions(*, return_X_y=False):
    return _load("emotions", return_X_y)


def load_yeast(*, return_X_y=False):
    return _load("yeast", return_X_y)


def load_scene(*, return_X_y=False):
    return _load("scene", return_X_y)


load_emotions.__doc__ = _DOC.format(name="emotions")
load_yeast.__doc__ = _DOC.format(name="yeast")
load_scene.__doc__ = _DOC.format(name="scene")
