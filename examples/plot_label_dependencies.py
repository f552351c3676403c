"""
Label co-occurrence and the gain of label stacking
==================================================

Yeast's 14 labels (functional classes of genes) co-occur strongly: a gene of
one class is often in several others. :class:`~skmultilabel.LabelStackingClassifier`
lets each label's model see the predicted presence of every other label: the
first level's out-of-fold scores are appended to the features of a second
model. This example draws, side by side:

* the label co-occurrence matrix of the training split, P(label j | label i):
  row i is the share of label i's samples that also carry label j;
* the change of each label's test average precision when a linear BCE model is
  stacked over itself.
"""  # noqa: D205, D400 (a sphinx-gallery title)

# %%
# Fitting the plain and the stacked model
# ---------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import average_precision_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabel import LabelStackingClassifier, MultiLabelLossClassifier
from skmultilabel.datasets import load_yeast

data = load_yeast()
model = make_pipeline(StandardScaler(), MultiLabelLossClassifier())
stacked = LabelStackingClassifier(model, cv=3, random_state=0)

plain_ap, stacked_ap = (
    average_precision_score(
        data.Y_test, estimator.fit(data.X_train, data.Y_train).predict_proba(data.X_test),
        average=None,
    )
    for estimator in (model, stacked)
)
print(f"mAP plain {plain_ap.mean():.4f}, stacked {stacked_ap.mean():.4f}")

# %%
# Co-occurrence next to the per-label gain
# ----------------------------------------
Y = data.Y_train.astype(float)
counts = Y.sum(axis=0)
co_occurrence = (Y.T @ Y) / np.maximum(counts, 1)[:, None]
n_labels = Y.shape[1]

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), width_ratios=[1.1, 1])
image = left.imshow(co_occurrence, cmap="viridis", vmin=0, vmax=1)
left.set(title="P(label j | label i), training split", xlabel="label j", ylabel="label i",
         xticks=range(n_labels), yticks=range(n_labels))
fig.colorbar(image, ax=left, shrink=0.8)

change = stacked_ap - plain_ap
right.barh(range(n_labels), change, color=np.where(change >= 0, "tab:green", "tab:red"))
right.axvline(0, color="black", linewidth=0.8)
right.invert_yaxis()
right.set(title="test average precision: stacked - plain", xlabel="change", ylabel="label",
          yticks=range(n_labels))
fig.tight_layout()
plt.show()
