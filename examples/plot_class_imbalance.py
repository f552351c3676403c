"""
Class imbalance: weights, costs and resampling
==============================================

Yeast has 14 labels whose frequencies range from about 1% to 75% of the genes.
A model trained with plain binary cross-entropy rarely gives a rare label a
probability above 0.5, so rare labels are almost never predicted and macro-F1
(the mean of the per-label F1) is low. This example compares remedies at the
default threshold 0.5:

* ``class_weight="balanced"``: scikit-learn's per-label balanced weights (the
  positives and the negatives of every label carry equal total weight);
* ``fn_cost="balanced"``: a false negative of label c costs n_neg / n_pos;
* the multi-label resamplers :class:`~skmultilabel.MLROS`,
  :class:`~skmultilabel.MLRUS` and :class:`~skmultilabel.MLSMOTE` in an
  imbalanced-learn pipeline (they resample the training data only).
"""  # noqa: D205, D400 (a sphinx-gallery title)

# %%
# How imbalanced is yeast?
# ------------------------
import matplotlib.pyplot as plt
import numpy as np
from imblearn.pipeline import make_pipeline
from sklearn.metrics import f1_score
from sklearn.preprocessing import StandardScaler

from skmultilabel import MLROS, MLRUS, MLSMOTE, MultiLabelLossClassifier
from skmultilabel.datasets import load_yeast
from skmultilabel.resampling import irlbl, mean_ir

data = load_yeast()
print("positive rate per label:", np.round(data.Y_train.mean(axis=0), 3))
print("IRLbl per label:", np.round(irlbl(data.Y_train), 1))
print(f"MeanIR of the training labels: {mean_ir(data.Y_train):.2f}")


# %%
# Remedies
# --------
def classifier(**params):
    return MultiLabelLossClassifier(alpha=1.0, max_iter=500, **params)


remedies = {
    "BCE": [classifier()],
    "class_weight\n'balanced'": [classifier(class_weight="balanced")],
    "fn_cost\n'balanced'": [classifier(fn_cost="balanced")],
    "MLROS": [MLROS(random_state=0), classifier()],
    "MLRUS": [MLRUS(random_state=0), classifier()],
    "MLSMOTE": [MLSMOTE(random_state=0), classifier()],
}
macro, micro = [], []
for name, steps in remedies.items():
    model = make_pipeline(StandardScaler(), *steps).fit(data.X_train, data.Y_train)
    predicted = model.predict(data.X_test)
    macro.append(f1_score(data.Y_test, predicted, average="macro", zero_division=0))
    micro.append(f1_score(data.Y_test, predicted, average="micro", zero_division=0))
    print(f"{name.replace(chr(10), ' '):24s} macro-F1 {macro[-1]:.3f}  micro-F1 {micro[-1]:.3f}")

resampled_Y = MLSMOTE(random_state=0).fit_resample(data.X_train, data.Y_train)[1]
print(f"MeanIR after MLSMOTE: {mean_ir(resampled_Y):.2f}")

# %%
# Weights move every label's decision boundary towards its negatives, which
# raises recall and macro-F1 at the price of precision on the frequent labels
# (micro-F1 falls). The resamplers add or remove whole samples, and since a
# yeast gene carries 4.2 labels on average, cloning a sample for its rare
# label also clones its frequent ones: the imbalance falls much less.
positions = np.arange(len(remedies))
fig, ax = plt.subplots(figsize=(7.5, 3.8))
ax.bar(positions - 0.2, macro, width=0.4, label="macro-F1")
ax.bar(positions + 0.2, micro, width=0.4, label="micro-F1")
ax.set_xticks(positions, list(remedies))
ax.set_ylabel("test score at threshold 0.5")
ax.set_ylim(0, 0.75)
ax.set_title("yeast: imbalance remedies (linear model, BCE)")
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()
