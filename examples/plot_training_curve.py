"""
Training curves
===============

:class:`~skmultilabel.metrics.TrainingCurveDisplay` draws the training objective
stored in ``loss_curve_`` after each iteration (L-BFGS) or epoch (Adam), and,
when early stopping is on, the validation score (the negated mean loss on the
held-out rows) on a second axis.

Here an MLP with the focal loss is trained by Adam on the scene image data with
early stopping: training stops when the validation score has not improved for
``n_iter_no_change`` epochs, and the best parameters are kept.
"""  # noqa: D205, D400 (a sphinx-gallery title)

import matplotlib.pyplot as plt
from sklearn.metrics import f1_score
from sklearn.preprocessing import StandardScaler

from skmultilabel import MultiLabelLossClassifier
from skmultilabel.datasets import load_scene
from skmultilabel.metrics import TrainingCurveDisplay

data = load_scene()
scaler = StandardScaler().fit(data.X_train)
X_train, X_test = scaler.transform(data.X_train), scaler.transform(data.X_test)

model = MultiLabelLossClassifier(
    loss="focal", gamma=2.0, model="mlp", hidden_layer_sizes=(64,), solver="adam",
    alpha=1e-3, max_iter=300, early_stopping=True, n_iter_no_change=10, random_state=0,
).fit(X_train, data.Y_train)
print(f"stopped after {model.n_iter_} epochs; best validation score "
      f"{model.best_validation_score_:.4f}")
print(f"test macro-F1 at 0.5: {f1_score(data.Y_test, model.predict(X_test), average='macro'):.3f}")

display = TrainingCurveDisplay.from_estimator(model, name="focal MLP, training objective")
display.ax_.set_title("scene: Adam with early stopping")
display.figure_.tight_layout()
plt.show()
