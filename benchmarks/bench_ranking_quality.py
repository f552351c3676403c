"""Ranking quality of every loss on yeast and scene, with and without the training options.

Run ``python benchmarks/bench_ranking_quality.py`` (``--quick``: yeast only, one
seed, no file written). Writes ``benchmarks/results/ranking_quality.md``: test
macro-AUC, mean average precision (macro ``average_precision_score``),
``label_ranking_loss`` and macro-F1 at each loss's natural decision rule
(``predict``: sigmoid >= 0.5, i.e. logit > 0) of the linear
``MultiLabelLossClassifier`` on the official splits (features scaled by
``StandardScaler`` fitted on the training rows), for every registered loss:

* L-BFGS, full batch (the exact quadratic pairwise logistic loss too);
* Adam (minibatches of 200, early stopping on 10 % of the training rows),
  plain, with ``normalize_gradient``, with ``dynamic_class_weight`` and with both,
  each the mean over ``--seeds`` seeds (shuffling and validation split);
* a one-hidden-layer MLP (64 relu units, Adam) for three losses, plain and with both options.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from _results import write_result  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    average_precision_score,
    f1_score,
    label_ranking_loss,
    roc_auc_score,
)
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skmultilabel import MultiLabelLossClassifier  # noqa: E402
from skmultilabel.datasets import load_scene, load_yeast  # noqa: E402
from skmultilabel.losses import LOSSES  # noqa: E402

LOSS_ORDER = [
    "bce", "weighted_bce", "focal", "asymmetric", "pairwise_logistic", "pairwise_square",
    "pairwise_squared_hinge", "auc_margin", "label_ranking",
]
ADAM = dict(solver="adam", early_stopping=True, max_iter=200, alpha=1e-4)
VARIANTS = {
    "lbfgs": dict(solver="lbfgs", max_iter=500, alpha=1e-4),
    "adam": ADAM,
    "adam + normalize_gradient": dict(ADAM, normalize_gradient=True),
    "adam + dynamic_class_weight": dict(ADAM, dynamic_class_weight=True),
    "adam + both": dict(ADAM, normalize_gradient=True, dynamic_class_weight=True),
}
MLP = dict(model="mlp", hidden_layer_sizes=(64,))
MLP_LOSSES = ["bce", "pairwise_squared_hinge", "label_ranking"]
MLP_VARIANTS = {"mlp adam": dict(MLP, **ADAM), "mlp adam + both": VARIANTS["adam + both"] | MLP}
METRICS = ["macro-AUC", "mAP", "ranking loss", "macro-F1"]
# Written from the committed run's numbers (seeds 0-2); re-check them after a change.
FINDINGS = """## Findings

With the same solver (Adam rows), the per-label pairwise losses (pairwise_logistic,
pairwise_square, pairwise_squared_hinge, auc_margin) beat BCE on macro-AUC and mAP on both data
sets (yeast 0.686 vs 0.673 macro-AUC, scene 0.918-0.922 vs 0.898), but class-balanced BCE
(weighted_bce: 0.686 and 0.911) and, on scene, the asymmetric loss (0.922) get most or all of
that gain, so much of it is class balancing. The pairwise losses lose where scores must be
compared across labels or thresholded: they are blind to a label's offset, so on yeast (label
frequencies 1 % to 75 %) their label_ranking_loss is 0.36 against BCE's 0.21 (on scene, whose
label frequencies are closer, they win it: 0.085-0.091 vs 0.108), and on scene their macro-F1
at sigmoid 0.5 drops to 0.52-0.53 from 0.65 (on yeast it rises, 0.44 vs 0.40, because logit 0
over-predicts the rare labels). The per-sample label_ranking loss is on par with BCE on every
metric (ranking loss 0.203 vs 0.214 on yeast, 0.103 vs 0.108 on scene) and, as an MLP, with the
MLP BCE (scene macro-AUC 0.935 for both). auc_margin equals pairwise_square wherever the mean
score gap of a label stays below the margin (every Adam row of yeast). normalize_gradient is
mixed: it raises the linear macro-AUC on scene (BCE 0.898 to 0.919) but lowers its macro-F1
(0.65 to 0.57) and worsens yeast's ranking loss; with the MLP, the two options together lower
macro-AUC and mAP for all three losses on both data sets. dynamic_class_weight changes no score
by more than 0.005 (at most +0.005 mAP, scene pairwise_square): the difficulty-driven weights
stay within about 0.8-1.2 on these data (lbfgs rows: alpha=1e-4, 500 iterations, so nearly
unregularised and overfitted; compare losses within one training row type).
"""


def scores(clf, X_test, Y_test):
    logits = clf.decision_function(X_test)
    return np.array([
        roc_auc_score(Y_test, logits, average="macro"),
        average_precision_score(Y_test, logits, average="macro"),
        label_ranking_loss(Y_test, logits),
        f1_score(Y_test, clf.predict(X_test), average="macro", zero_division=0),
    ])


def evaluate(data, loss, params, seeds):
    """Mean test scores over the seeds (one for the deterministic L-BFGS) and fit time."""
    scaler = StandardScaler().fit(data.X_train)
    X_train, X_test = scaler.transform(data.X_train), scaler.transform(data.X_test)
    runs, start = [], time.perf_counter()
    for seed in seeds if params["solver"] == "adam" else seeds[:1]:
        clf = MultiLabelLossClassifier(loss=loss, random_state=seed, **params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X_train, data.Y_train)
        runs.append(scores(clf, X_test, data.Y_test))
    return np.mean(runs, axis=0), (time.perf_counter() - start) / len(runs)


def table(name, data, seeds):
    lines = [
        f"## {name} ({data.X_train.shape[0]} train / {data.X_test.shape[0]} test rows, "
        f"{data.Y_train.shape[1]} labels)",
        "",
        "| loss | training | " + " | ".join(METRICS) + " | fit time |",
        "|---|---|" + "---:|" * (len(METRICS) + 1),
    ]
    rows = [(loss, variant, params) for loss in LOSS_ORDER for variant, params in VARIANTS.items()]
    rows += [(loss, v, p) for loss in MLP_LOSSES for v, p in MLP_VARIANTS.items()]
    for loss, variant, params in rows:
        values, seconds = evaluate(data, loss, params, seeds)
        cells = " | ".join(f"{v:.4f}" for v in values)
        lines.append(f"| {loss} | {variant} | {cells} | {seconds:.2f} s |")
        print(lines[-1], flush=True)
    return lines + [""]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="yeast, one seed, no file written")
    parser.add_argument("--seeds", type=int, default=3, help="Adam seeds averaged per row")
    args = parser.parse_args(argv)
    missing = sorted(set(LOSSES) - set(LOSS_ORDER))
    if missing:
        print(f"losses not in this benchmark: {missing}")
    seeds = list(range(1 if args.quick else args.seeds))
    datasets = {"yeast": load_yeast}
    if not args.quick:
        datasets["scene"] = load_scene
    start = time.perf_counter()
    lines = [
        "# Ranking quality of the losses, with and without the training options",
        "",
        "`python benchmarks/bench_ranking_quality.py`: linear `MultiLabelLossClassifier` "
        "(and a 64-unit MLP for three losses), official test splits, `StandardScaler`, "
        "alpha=1e-4. Adam rows: minibatches of 200, learning rate 1e-3, early stopping on "
        f"10 % of the training rows, mean of {len(seeds)} seeds. macro-F1 at the natural "
        "decision rule (sigmoid >= 0.5). Lower is better for the ranking loss.",
        "",
    ]
    for name, load in datasets.items():
        lines += table(name, load(), seeds)
    lines.append(f"Total run time: {time.perf_counter() - start:.0f} s.")
    lines += ["", FINDINGS]
    write_result("ranking_quality", lines, args.quick)


if __name__ == "__main__":
    main()
