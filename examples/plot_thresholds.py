"""
Per-class decision thresholds
=============================

:class:`~skmultilabel.PerClassThresholdTuner` wraps a model and chooses its
decision thresholds on out-of-fold scores (5-fold cross-validation of the
training data by default), exactly for the F-measures. This example compares,
on yeast:

* ``strategy="fixed"``: 0.5 for every label (what ``predict`` does untuned);
* ``strategy="global"``: one threshold for all labels, maximising micro-F1;
* ``strategy="per_class"``: one threshold per label, maximising each label's F1
  (hence macro-F1), kept at the global threshold unless the label's own cut
  gains more than one standard error of its F1 (the default ``margin``);
* per-class thresholds tuned on the *training* scores of the model fitted on
  those same rows (``cv="prefit"`` on the training data): they fit the
  training noise, and on the test data they do worse than the cross-validated
  ones.
"""  # noqa: D205, D400 (a sphinx-gallery title)

# %%
# Tuning
# ------
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultilabel import MultiLabelLossClassifier, PerClassThresholdTuner
from skmultilabel.datasets import load_yeast

# 100 Adam epochs is a deliberate budget (a light, fast model), not a failure
warnings.filterwarnings("ignore", category=ConvergenceWarning)

data = load_yeast()
model = make_pipeline(
    StandardScaler(),
    MultiLabelLossClassifier(model="mlp", hidden_layer_sizes=(64,), solver="adam", alpha=1.0,
                             max_iter=100, random_state=0),
)
tuners = {
    "fixed 0.5": PerClassThresholdTuner(model, strategy="fixed"),
    "global\n(f1_micro)": PerClassThresholdTuner(model, scoring="f1_micro", strategy="global",
                                                random_state=0),
    "per class\n(f1_macro)": PerClassThresholdTuner(model, scoring="f1_macro", random_state=0,
                                                   store_cv_results=True),
}
macro, micro = [], []
for name, tuner in tuners.items():
    predicted = tuner.fit(data.X_train, data.Y_train).predict(data.X_test)
    macro.append(f1_score(data.Y_test, predicted, average="macro", zero_division=0))
    micro.append(f1_score(data.Y_test, predicted, average="micro", zero_division=0))

# %%
# Thresholds tuned on the training data itself
# --------------------------------------------
fitted = model.fit(data.X_train, data.Y_train)
in_sample = PerClassThresholdTuner(fitted, scoring="f1_macro", cv="prefit", refit=False)
predicted = in_sample.fit(data.X_train, data.Y_train).predict(data.X_test)
train_macro = f1_score(data.Y_train, in_sample.predict(data.X_train), average="macro")
print(f"thresholds tuned on the training scores: training macro-F1 {train_macro:.3f}")
macro.append(f1_score(data.Y_test, predicted, average="macro", zero_division=0))
micro.append(f1_score(data.Y_test, predicted, average="micro", zero_division=0))
names = [*tuners, "per class,\non training data"]
for name, a, b in zip(names, macro, micro):
    print(f"{name.replace(chr(10), ' '):32s} test macro-F1 {a:.3f}  micro-F1 {b:.3f}")

per_class = tuners["per class\n(f1_macro)"]
print("per-class thresholds:", np.round(per_class.thresholds_, 3))
print("thresholds tuned on training scores:", np.round(in_sample.thresholds_, 3))

# %%
# Test scores, and the out-of-fold F1 curves of three labels
# ----------------------------------------------------------
# The right panel shows, for a frequent, a middle and a rare label, the F1 of
# the out-of-fold scores as the label's threshold varies; the dot is the
# threshold the tuner chose: the cut closest to the global threshold among
# those within one standard error of the label's maximum (the default
# ``margin``; ``margin=0`` would put it at the maximum).
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
positions = np.arange(len(names))
left.bar(positions - 0.2, macro, width=0.4, label="macro-F1")
left.bar(positions + 0.2, micro, width=0.4, label="micro-F1")
left.set_xticks(positions, names, fontsize=8)
left.set_ylim(0, 0.75)
left.set_ylabel("test score")
left.set_title("yeast, MLP: thresholds")
left.legend(loc="upper left")

rates = data.Y_train.mean(axis=0)
order = np.argsort(rates)
for label in (order[-1], order[len(order) // 2], order[0]):
    thresholds = per_class.cv_results_["thresholds"][label]
    scores = per_class.cv_results_["scores"][label]
    (line,) = right.plot(thresholds, scores,
                         label=f"{data.target_names[label]} ({rates[label]:.0%} positive)")
    chosen = per_class.thresholds_[label]
    right.plot(chosen, np.interp(chosen, thresholds, scores), "o", color=line.get_color())
right.set_xlabel("threshold on predict_proba")
right.set_ylabel("out-of-fold F1 of the label")
right.set_title("per-label F1 against threshold")
right.legend(loc="lower center", fontsize=8)
fig.tight_layout()
plt.show()
