"""
Comparing losses on yeast
=========================

Fit :class:`~skmultilabel.MultiLabelLossClassifier` (linear model) with several
losses on the yeast gene-function data (14 labels, official split) and compare
test macro-F1 at the default threshold 0.5 with the mean average precision
(mAP), which does not depend on a threshold.

The pointwise losses (``bce``, ``focal``, ``asymmetric``) and the ranking losses
(``label_ranking``, ``pairwise_square``) order the test samples about equally
well (similar mAP), but they put the scores at very different places relative to
0.5, so their macro-F1 at 0.5 differs much more. Class-balanced BCE and the
asymmetric loss push rare labels over 0.5 and gain macro-F1; see
:doc:`/user_guide/thresholds` for tuning the threshold instead.
"""  # noqa: D205, D400 (a sphinx-gallery title)

# %%
# Data and models
# ---------------
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import average_precision_score, f1_score
from sklearn.preprocessing import StandardScaler

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.datasets import load_yeast

data = load_yeast()
scaler = StandardScaler().fit(data.X_train)
X_train, X_test = scaler.transform(data.X_train), scaler.transform(data.X_test)

losses = ["bce", "weighted_bce", "focal", "asymmetric", "label_ranking", "pairwise_square"]
macro_f1, mean_ap = [], []
for loss in losses:
    start = time.perf_counter()
    model = MultiLabelLossClassifier(loss=loss, alpha=1.0, max_iter=500).fit(X_train, data.Y_train)
    seconds = time.perf_counter() - start
    macro_f1.append(f1_score(data.Y_test, model.predict(X_test), average="macro"))
    mean_ap.append(average_precision_score(data.Y_test, model.decision_function(X_test)))
    print(f"{loss:16s} macro-F1 {macro_f1[-1]:.3f}  mAP {mean_ap[-1]:.3f}  fit {seconds:.2f} s")

# %%
# The first fit of each loss family includes the numba compilation of its
# kernel (cached on disk for later runs).
#
# Test scores
# -----------
positions = np.arange(len(losses))
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.bar(positions - 0.2, macro_f1, width=0.4, label="macro-F1 at 0.5")
ax.bar(positions + 0.2, mean_ap, width=0.4, label="mean average precision")
ax.set_xticks(positions, losses, rotation=20)
ax.set_ylabel("test score")
ax.set_ylim(0, 0.7)
ax.set_title("yeast, linear model: losses")
ax.legend(loc="upper left")
fig.tight_layout()
plt.show()
