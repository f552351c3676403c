"""Test quality of every loss on yeast and scene, with clean and partly missing positive labels.

Run ``python benchmarks/bench_loss_quality.py`` (``--quick``: yeast only, no file written).
Writes ``benchmarks/results/loss_quality.md``: for each registered loss (and
``bce`` with ``label_smoothing=0.1``),
``MultiLabelLossClassifier(model="linear", alpha=1)`` on standardised features
(L-BFGS; ``splc``, which needs the training epoch: Adam, lr 0.01, 50 epochs),
fitted on the official training split, scored on the test split: macro-AUC,
mean average precision (mAP, macro), ``label_ranking_loss``, macro-F1 and
micro-F1 of ``predict`` (threshold 0.5 on ``predict_proba``). The same fit is
repeated with label noise: each positive entry of the training target is
hidden (set to 0) with probability ``--missing`` (0.3), a seeded draw, so the
observed training prevalence of every label falls by that fraction while the
test labels stay clean (missing labels, a shift of the label priors).
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

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


def hide_positives(Y, fraction, seed=0):
    """A copy of ``Y`` whose positive entries are set to 0 with probability ``fraction``."""
    rng = np.random.default_rng(seed)
    return np.where(rng.random(Y.shape) < fraction, 0, Y)


def table_rows():
    """Row name -> parameters of ``MultiLabelLossClassifier``: every loss, bce with smoothing."""
    rows = {}
    for name, cls in sorted(LOSSES.items()):
        rows[name] = {"loss": name}
        if getattr(cls, "needs_epoch", False):  # "splc": Adam gives the epoch
            rows[name].update(solver="adam", learning_rate_init=0.01, max_iter=50, random_state=0)
        if name == "bce":
            rows["bce + label_smoothing"] = {"loss": "bce", "label_smoothing": 0.1}
    return rows


def evaluate(params, X_train, Y_train, X_test, Y_test):
    """Test (macro-AUC, mAP, ranking loss, macro-F1, micro-F1) and fit seconds."""
    model = MultiLabelLossClassifier(alpha=1.0, **params)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, Y_train)
    seconds = time.perf_counter() - start
    scores = model.decision_function(X_test)
    predicted = model.predict(X_test)
    return (
        roc_auc_score(Y_test, scores, average="macro"),
        average_precision_score(Y_test, scores, average="macro"),
        label_ranking_loss(Y_test, scores),
        f1_score(Y_test, predicted, average="macro", zero_division=0),
        f1_score(Y_test, predicted, average="micro", zero_division=0),
    ), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="yeast only, no file written")
    parser.add_argument(
        "--missing", type=float, default=0.3, help="fraction of hidden training positives"
    )
    args = parser.parse_args()
    loaders = [load_yeast] if args.quick else [load_yeast, load_scene]
    lines = [
        "# Losses: test quality, clean and with missing training labels",
        "",
        f"`python benchmarks/bench_loss_quality.py{' --quick' if args.quick else ''}`; "
        "`MultiLabelLossClassifier(loss=..., model='linear', alpha=1)` (L-BFGS, max_iter=200; "
        "`splc`: Adam, lr 0.01, batch 200, 50 epochs, seed 0), `bce + label_smoothing`: 0.1, "
        "features standardised, official splits. AUC, mAP (both macro) and ranking loss "
        "(`label_ranking_loss`, lower is better) use `decision_function`; F1 uses `predict` "
        "(threshold 0.5). *Missing*: each positive training entry hidden with probability "
        f"{args.missing} (seed 0), test labels clean. Fit seconds include numba compilation "
        "at a loss's first use in the run.",
    ]
    for loader in loaders:
        data = loader()
        scaler = StandardScaler().fit(data.X_train)
        X_train, X_test = scaler.transform(data.X_train), scaler.transform(data.X_test)
        noisy = hide_positives(data.Y_train, args.missing)
        name = loader.__name__[5:]
        lines += [
            "",
            f"## {name} ({len(data.Y_train)} train / {len(data.Y_test)} test, "
            f"{data.Y_train.shape[1]} labels)",
            "",
            "| loss | macro-AUC | mAP | ranking loss | macro-F1 @0.5 | micro-F1 @0.5 "
            "| macro-AUC, missing | mAP, missing | macro-F1 @0.5, missing | fit (s) |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for loss, params in table_rows().items():
            clean, seconds = evaluate(params, X_train, data.Y_train, X_test, data.Y_test)
            missing, _ = evaluate(params, X_train, noisy, X_test, data.Y_test)
            line = (
                f"| `{loss}` | {clean[0]:.4f} | {clean[1]:.4f} | {clean[2]:.4f} | {clean[3]:.4f} "
                f"| {clean[4]:.4f} | {missing[0]:.4f} | {missing[1]:.4f} | {missing[3]:.4f} "
                f"| {seconds:.2f} |"
            )
            print(f"{name}: {line}", flush=True)
            lines.append(line)
    write_result("loss_quality", lines, args.quick)


if __name__ == "__main__":
    main()
