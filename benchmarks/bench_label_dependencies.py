"""Label dependencies: plain BCE against label stacking, linear and MLP, on four MULAN sets.

For emotions, yeast, scene (``skmultilabel.datasets``) and bibtex
(``/work/shared/data/bibtex.npz``, sparse), official train/test splits; every
row is a model wrapped in ``PerClassThresholdTuner(scoring="f1_macro")``
(3 shuffled stratified folds of the training split), so every choice (the
stacking folds, the thresholds) is made on the training split only:

* "BCE linear": ``MultiLabelLossClassifier()`` (L-BFGS, defaults);
* "BCE MLP": ``MultiLabelLossClassifier(model="mlp", hidden_layer_sizes=(64,),
  solver="adam", max_iter=100)``;
* "BCE + contrastive MLP": the MLP with the contrastive term, its
  ``contrastive_weight`` chosen among 0, 0.1 and 0.5 by a 3-fold
  ``GridSearchCV`` on the training split (macro average precision); the search
  runs before the tuner and its seconds are not in "fit s";
* "stacking over linear" / "stacking over MLP": ``LabelStackingClassifier``
  over that model (3 out-of-fold folds, scores appended to X, the final model a
  clone of the first).

Dense sets are standardised (``StandardScaler`` in a pipeline, inside every
fold); bibtex's binary features are used as they are. Columns, on the test
split: mAP (average precision per label, macro mean over the labels with a
positive test sample), label-ranking average precision, macro- and micro-F1
over all labels at the tuned thresholds (``zero_division=0``), and the seconds
of the tuner's fit (thresholds' folds + refit, stacking folds included). Each
note under the table gives a mechanism's change on the four metrics and says
where it helps: a change counts when it exceeds ``NOISE`` = 0.005.
The cost of the contrastive term per epoch is ``bench_contrastive_cost.py``.

A row is one entry of ``ROWS``: a name and a function of the dataset giving
the estimator, so a model is added with one line.

Run: ``python benchmarks/bench_label_dependencies.py`` (``--quick``: emotions only;
``--bibtex PATH``: bibtex.npz elsewhere than ``../shared/data`` beside the checkout).
Writes ``benchmarks/results/label_dependencies.md``.
"""

import argparse
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

import numpy as np
import scipy.sparse as sp
from _results import write_result
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import (
    average_precision_score,
    f1_score,
    label_ranking_average_precision_score,
)
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import Bunch

from skmultilabel import (
    LabelStackingClassifier,
    MultiLabelLossClassifier,
    PerClassThresholdTuner,
)
from skmultilabel.datasets import load_emotions, load_scene, load_yeast
from skmultilabel.model_selection import MultilabelStratifiedKFold

SEED = 0
FOLDS = 3  # of the thresholds and of the stacking, both on the training split
# the shared data folder beside the checkout (not shipped in the package)
BIBTEX = Path(__file__).resolve().parents[2] / "shared" / "data" / "bibtex.npz"
CONTRASTIVE_WEIGHTS = [0.0, 0.1, 0.5]
NOISE = 0.005  # a smaller change of a metric is reported as no change


def load_bibtex(path=BIBTEX):
    """Load bibtex as a Bunch with the official split (format in /work/shared/data/SOURCES.md)."""
    z = np.load(path)
    X = sp.csr_matrix((z["X_data"], z["X_indices"], z["X_indptr"]), shape=tuple(z["X_shape"]))
    Y, train = z["Y"].astype(np.int64), z["is_train"]
    return Bunch(X_train=X[train], X_test=X[~train], Y_train=Y[train], Y_test=Y[~train])


def scaled(model, data):
    """``model`` behind a StandardScaler for dense data; as is for sparse binary features."""
    return model if sp.issparse(data.X_train) else make_pipeline(StandardScaler(), model)


def linear(data):
    return scaled(MultiLabelLossClassifier(), data)


def mlp(data, **params):
    return scaled(MultiLabelLossClassifier(model="mlp", hidden_layer_sizes=(64,), solver="adam",
                                           max_iter=100, random_state=SEED, **params), data)


def contrastive(data):
    """The MLP with the contrastive weight chosen by 3-fold CV on the training split."""
    search = GridSearchCV(
        mlp(data), {f"{_step(data)}contrastive_weight": CONTRASTIVE_WEIGHTS},
        scoring="average_precision",
        cv=MultilabelStratifiedKFold(FOLDS, shuffle=True, random_state=SEED),
    ).fit(data.X_train, data.Y_train)
    weight = search.best_params_[f"{_step(data)}contrastive_weight"]
    CHOSEN[data.name] = weight
    return mlp(data, contrastive_weight=weight)


def _step(data):
    return "" if sp.issparse(data.X_train) else "multilabellossclassifier__"


CHOSEN = {}  # dataset name: the contrastive weight its search chose


def stacking(first):
    return lambda data: LabelStackingClassifier(first(data), cv=FOLDS, random_state=SEED)


@dataclass
class Row:
    """One model of the table: its name and the estimator for a dataset."""

    name: str
    make: callable


ROWS = [
    Row("BCE linear", linear),
    Row("BCE MLP", mlp),
    Row("BCE + contrastive MLP", contrastive),
    Row("stacking over linear", stacking(linear)),
    Row("stacking over MLP", stacking(mlp)),
]
COLUMNS = ["mAP", "LRAP", "tuned macro-F1", "tuned micro-F1", "fit s"]


def warm_up(data):
    """Compile the numba kernels once, outside the timed fits."""
    for model in (MultiLabelLossClassifier(max_iter=2),
                  MultiLabelLossClassifier(model="mlp", solver="adam", hidden_layer_sizes=(4,),
                                           max_iter=2)):
        model.fit(data.X_train[:50], data.Y_train[:50])


def evaluate(row, data):
    tuner = PerClassThresholdTuner(row.make(data), scoring="f1_macro", cv=FOLDS, random_state=SEED)
    start = time.perf_counter()
    tuner.fit(data.X_train, data.Y_train)
    seconds = time.perf_counter() - start
    scores = tuner.predict_proba(data.X_test)
    predicted = tuner.predict(data.X_test)
    Y = data.Y_test
    present = Y.sum(axis=0) > 0
    return [
        average_precision_score(Y[:, present], scores[:, present], average="macro"),
        label_ranking_average_precision_score(Y, scores),
        f1_score(Y, predicted, average="macro", zero_division=0),
        f1_score(Y, predicted, average="micro", zero_division=0),
        seconds,
    ]


def verdict(changes):
    """Where a mechanism helps, from its changes on the four metrics (``NOISE`` or less: none)."""
    up = [column for column, change in changes if change > NOISE]
    down = [column for column, change in changes if change < -NOISE]
    if not up and not down:
        return f"no change beyond {NOISE}"
    if not down:
        return "helps (" + ", ".join(up) + " up)"
    if not up:
        return "hurts (" + ", ".join(down) + " down)"
    return "mixed (" + ", ".join(up) + " up; " + ", ".join(down) + " down)"


def change_note(name, label, plain, other, extra=""):
    """A note line: ``other``'s change over ``plain`` per metric, and the verdict."""
    changes = list(zip(COLUMNS[:4], (o - p for p, o in zip(plain, other))))
    listed = ", ".join(f"{column} {change:+.4f}" for column, change in changes)
    return f"- {name}, {label}: {verdict(changes)}: {listed}{extra}."


def summary(name, results):
    """The notes of one dataset: each mechanism's change over the model it builds on."""
    lines = []
    for base in ("linear", "MLP"):
        plain, stacked = results[f"BCE {base}"], results[f"stacking over {base}"]
        lines.append(change_note(name, f"stacking over {base} vs BCE {base}", plain, stacked,
                                 f"; fit time x{stacked[4] / plain[4]:.1f}"))
    lines.append(change_note(name, f"contrastive_weight={CHOSEN[name]} chosen by CV, "
                             "BCE + contrastive MLP vs BCE MLP", results["BCE MLP"],
                             results["BCE + contrastive MLP"]))
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="emotions only")
    parser.add_argument("--bibtex", type=Path, default=BIBTEX, help="path of bibtex.npz")
    args = parser.parse_args()
    datasets = {"emotions": load_emotions}
    if not args.quick:
        datasets.update(yeast=load_yeast, scene=load_scene,
                        bibtex=lambda: load_bibtex(args.bibtex))
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    warnings.filterwarnings("ignore", message="Labels .* min_positives")
    warnings.filterwarnings("ignore", message=".*never positive")

    lines = [
        "# Label dependencies: BCE, the contrastive term and label stacking "
        "(official train/test splits)",
        "",
        (f"Thresholds tuned per label for macro-F1 on {FOLDS} folds of the training split; "
         f"stacking on {FOLDS} out-of-fold folds; scores on the test split. mAP: macro mean over "
         "the labels with a positive test sample. fit s: the tuner's whole fit; the contrastive "
         f"weight's search ({FOLDS}-fold, weights {CONTRASTIVE_WEIGHTS}, on the training split, "
         "every dataset) is not in fit s."),
        "",
        "| dataset | model | " + " | ".join(COLUMNS) + " |",
        "|---|---|" + "---:|" * len(COLUMNS),
    ]
    findings = []
    warm_up(load_emotions())
    for name, load in datasets.items():
        data = load()
        data.name = name
        results = {}
        for row in ROWS:
            results[row.name] = evaluate(row, data)
            values = " | ".join(f"{v:.4f}" for v in results[row.name][:4])
            lines.append(f"| {name} | {row.name} | {values} | {results[row.name][4]:.1f} |")
            print(lines[-1], flush=True)
        findings += summary(name, results)
    lines += ["", f"Change of each metric with stacking or the contrastive term (test split; "
              f"a change of {NOISE} or less counts as none):", "", *findings]
    write_result("label_dependencies", lines, args.quick)


if __name__ == "__main__":
    main()
