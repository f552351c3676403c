"""
Losses for missing labels on yeast
==================================

Annotators miss positives: a multi-label training set has false negatives.
Hide a growing fraction of yeast's training positives (one seeded draw), fit
:class:`~skmultilabel.MultiLabelLossClassifier` (linear model) with every
pointwise loss, the losses for missing labels and class-weighted BCE, and
plot the mean average precision (mAP) on the clean test labels against the
fraction hidden. Hyper-parameters are the defaults here (the benchmark
``bench_missing_labels.py`` chooses them by 3-fold cross-validation on the
noisy training split); see :doc:`/user_guide/robustness`.
"""  # noqa: D205, D400 (a sphinx-gallery title)

# %%
# Fit every loss at every fraction
# --------------------------------
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import average_precision_score
from sklearn.preprocessing import StandardScaler

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.datasets import load_yeast

data = load_yeast()
scaler = StandardScaler().fit(data.X_train)
X_train, X_test = scaler.transform(data.X_train), scaler.transform(data.X_test)

losses = {
    "bce": {"loss": "bce"},
    "weighted_bce": {"loss": "weighted_bce"},
    "focal": {"loss": "focal"},
    "asymmetric": {"loss": "asymmetric"},
    "bce, label_smoothing=0.1": {"loss": "bce", "label_smoothing": 0.1},
    "weak_negatives": {"loss": "weak_negatives"},
    "hill": {"loss": "hill"},
    "splc (Adam)": {"loss": "splc", "solver": "adam", "learning_rate_init": 0.01,
                    "max_iter": 30, "random_state": 0},
}
fractions = [0.0, 0.1, 0.3, 0.5]
rng = np.random.default_rng(0)
draw = rng.random(data.Y_train.shape)  # one draw: a positive hidden at 10% is hidden at 30%
mean_ap = {name: [] for name in losses}
for fraction in fractions:
    Y_noisy = np.where(draw < fraction, 0, data.Y_train)
    for name, params in losses.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = MultiLabelLossClassifier(alpha=1.0, **params).fit(X_train, Y_noisy)
        scores = model.decision_function(X_test)
        mean_ap[name].append(average_precision_score(data.Y_test, scores, average="macro"))
    print(f"{fraction:.0%} hidden: " + ", ".join(f"{n} {v[-1]:.4f}" for n, v in mean_ap.items()))

# %%
# mAP against the fraction of hidden positives
# --------------------------------------------
fig, ax = plt.subplots(figsize=(7, 4.5))
for name, values in mean_ap.items():
    ax.plot(np.array(fractions) * 100, values, marker="o", label=name)
ax.set_xlabel("training positives hidden (%)")
ax.set_ylabel("test mAP (macro), clean labels")
ax.set_title("yeast, linear model")
ax.legend(fontsize="small")
fig.tight_layout()
plt.show()
