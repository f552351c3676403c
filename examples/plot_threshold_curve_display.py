"""
========================================
F1 against the threshold, label by label
========================================

:class:`~skmultilabel.metrics.ThresholdCurveDisplay` draws every label's F1 as
its decision threshold varies: exactly the curves that
:class:`~skmultilabel.PerClassThresholdTuner` maximises (one point per
distinct cut of the sorted scores), with the thresholds it chose marked.

The left panel shows the out-of-fold curves the tuner searched
(:meth:`~skmultilabel.metrics.ThresholdCurveDisplay.from_cv_results`); the
right panel the same labels on the test set
(:meth:`~skmultilabel.metrics.ThresholdCurveDisplay.from_estimator`), where the
chosen thresholds no longer sit exactly on the peaks.
"""  # noqa: D205, D400 (a sphinx-gallery title)

import matplotlib.pyplot as plt
import numpy as np

from skmultilabel import MultiLabelLossClassifier, PerClassThresholdTuner
from skmultilabel.datasets import load_yeast
from skmultilabel.metrics import ThresholdCurveDisplay

yeast = load_yeast()
tuner = PerClassThresholdTuner(
    MultiLabelLossClassifier(alpha=1.0, max_iter=500), cv=5, random_state=0, store_cv_results=True
).fit(yeast.X_train, yeast.Y_train)

# a frequent, two middle and a rare label
frequency = yeast.Y_train.mean(axis=0)
labels = np.argsort(frequency)[[-1, 9, 5, 0]]
for c in labels:
    print(
        f"{yeast.target_names[c]}: {frequency[c]:.1%} positive, "
        f"threshold {tuner.thresholds_[c]:.3f}"
    )

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True, layout="constrained")
ThresholdCurveDisplay.from_cv_results(
    tuner, labels=labels, label_names=yeast.target_names, ax=left,
    title="out-of-fold scores (what the tuner maximised)",
)
ThresholdCurveDisplay.from_estimator(
    tuner, yeast.X_test, yeast.Y_test, labels=labels, label_names=yeast.target_names, ax=right,
    title="test set",
)

# %%
# All fourteen labels at once, on the test set. The rare labels (bottom left)
# have low thresholds: predicting them more often pays off in F1.
ThresholdCurveDisplay.from_estimator(
    tuner, yeast.X_test, yeast.Y_test, label_names=yeast.target_names,
    title="yeast test set, every label",
)
plt.show()
