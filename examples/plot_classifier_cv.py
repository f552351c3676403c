"""
=====================================================
Alpha, positive weight and threshold chosen per label
=====================================================

:class:`~skmultilabel.MultiLabelLossClassifierCV` fits every candidate
(alpha, pos_weight) on five folds of the training split and gives each label
the candidate (and threshold) that maximises its out-of-fold F1, unless the
gain over the best shared candidate is within the noise of the label's score.
:class:`~skmultilabel.metrics.ClassifierCVDisplay` shows, for one label, the
out-of-fold F1 of every candidate with the chosen point marked: a frequent
label and a rare one of yeast.
"""  # noqa: D205, D400 (a sphinx-gallery title)

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import f1_score
from sklearn.preprocessing import StandardScaler

from skmultilabel import MultiLabelLossClassifierCV
from skmultilabel.datasets import load_yeast
from skmultilabel.metrics import ClassifierCVDisplay

yeast = load_yeast()
scaler = StandardScaler().fit(yeast.X_train)
X_train, X_test = scaler.transform(yeast.X_train), scaler.transform(yeast.X_test)
clf = MultiLabelLossClassifierCV(alphas=6, margin=0.0, random_state=0).fit(X_train, yeast.Y_train)
print("alpha per label:     ", clf.alpha_.round(1))
print("pos_weight per label:", clf.pos_weight_.round(2))
print(f"test macro-F1: {f1_score(yeast.Y_test, clf.predict(X_test), average='macro'):.3f}")

frequency = yeast.Y_train.mean(axis=0)
frequent, rare = int(np.argmax(frequency)), int(np.argmin(frequency))
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=False, layout="constrained")
for ax, c in zip(axes, (frequent, rare)):
    ClassifierCVDisplay.from_estimator(
        clf, c, label_name=f"{yeast.target_names[c]} ({frequency[c]:.0%} positive)", ax=ax
    )
plt.show()
