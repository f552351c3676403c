"""skmultilabel: scikit-learn compatible multi-label classification under class imbalance.

Public objects are imported lazily (PEP 562), so ``import skmultilabel`` is
cheap and compiles nothing; the first access to an estimator imports what it needs.
"""

import importlib

__version__ = "0.1.0.dev0"

_LAZY = {
    # name: module that defines it
    "LabelStackingClassifier": ".ensemble",
    "MLROS": ".resampling",
    "MLRUS": ".resampling",
    "MLSMOTE": ".resampling",
    "MultilabelStratifiedKFold": ".model_selection",
    "MultilabelStratifiedShuffleSplit": ".model_selection",
    "MultiLabelLossClassifier": ".models",
    "MultiLabelLossClassifierCV": ".joint",
    "PerClassThresholdTuner": ".thresholds",
}

__all__ = sorted(_LAZY) + ["__version__"]


_SUBPACKAGES = {
    "datasets", "ensemble", "joint", "losses", "metrics", "model_selection", "models",
    "resampling", "thresholds", "utils",
}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    if name in _SUBPACKAGES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
