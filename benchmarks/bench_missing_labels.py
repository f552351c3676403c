"""Losses for missing labels against BCE: test ranking and F1 after hiding training positives.

Run ``python benchmarks/bench_missing_labels.py`` (``--quick``: emotions, one
seed, 30% only, no file written). Writes ``benchmarks/results/missing_labels.md``.

On yeast, scene, emotions and bibtex, each positive entry of the official
training target is hidden (set to 0) with probability 10%, 30% or 50% (seeds
0, 1, 2); the test labels stay clean. The same fits on the clean training
labels (0%, seed 0) tell a gain under missing labels from a gain on the data.
Every pointwise loss, the losses for missing labels and BCE with class
weights (``weighted_bce``) train a linear ``MultiLabelLossClassifier(alpha=1)``
(L-BFGS; SPLC needs the epoch, so Adam: 50 epochs, 20 on bibtex).

Everything is chosen on the noisy training split only, with the same three
folds for every loss (:class:`~skmultilabel.MultilabelStratifiedKFold`,
shuffled with the seed). A loss's hyper-parameter is the candidate of its grid
with the best mean mAP on the noisy held-out folds. The chosen candidate then
goes to :class:`~skmultilabel.PerClassThresholdTuner` with these folds and
``refit=True``: its out-of-fold scores give the thresholds of the tuned
macro-F1, and its refit on the whole noisy training split gives the test
scores: mAP and macro-AUC (labels with both classes in the test split) and
macro-F1 at 0.5.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _results import write_result  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skmultilabel import (  # noqa: E402
    MultiLabelLossClassifier,
    MultilabelStratifiedKFold,
    PerClassThresholdTuner,
)
from skmultilabel.datasets import load_emotions, load_scene, load_yeast  # noqa: E402

# bibtex is not shipped: ``shared/data`` beside the checkout (or beside its parent, for worktrees)
DATA = next((p / "shared" / "data" for p in Path(__file__).resolve().parents[1:4]
             if (p / "shared" / "data" / "bibtex.npz").exists()), None)
# 0.0: the clean reference (one seed)
FRACTIONS = (0.0, 0.1, 0.3, 0.5)
N_FOLDS = 3
# row name -> (loss, fixed parameters, grid of tuned parameters)
ADAM = {"solver": "adam", "learning_rate_init": 0.01, "max_iter": 50}
LOSSES = {
    "bce": ("bce", {}, [{}]),
    "weighted_bce": ("weighted_bce", {}, [{}]),
    "focal": ("focal", {}, [{"gamma": 0.5}, {"gamma": 2.0}]),
    "asymmetric": ("asymmetric", {}, [{"gamma_neg": 2.0}, {"gamma_neg": 4.0}]),
    "bce + label_smoothing": ("bce", {}, [{"label_smoothing": 0.1}, {"label_smoothing": 0.3}]),
    "weak_negatives": ("weak_negatives", {}, [{"negative_weight": 0.1}, {"negative_weight": 0.4}]),
    "hill": ("hill", {}, [{"positive_margin": 0.5}, {"positive_margin": 1.0}]),
    "splc": ("splc", ADAM, [{"splc_tau": 0.6}, {"splc_tau": 0.8}]),
}


def load_bibtex():
    """Load bibtex from ``shared/data`` (CSR features): (X_train, Y_train, X_test, Y_test)."""
    if DATA is None:
        raise FileNotFoundError("bibtex.npz not found in a shared/data folder above the checkout")
    z = np.load(DATA / "bibtex.npz")
    X = sp.csr_matrix((z["X_data"], z["X_indices"], z["X_indptr"]), shape=tuple(z["X_shape"]))
    Y, train = z["Y"].astype(np.int64), z["is_train"]
    return X[train], Y[train], X[~train], Y[~train]


def load(name):
    if name == "bibtex":
        return load_bibtex()
    data = {"yeast": load_yeast, "scene": load_scene, "emotions": load_emotions}[name]()
    scaler = StandardScaler().fit(data.X_train)
    return (scaler.transform(data.X_train), data.Y_train, scaler.transform(data.X_test),
            data.Y_test)


def hide_positives(Y, fraction, seed):
    """A copy of ``Y`` whose positive entries are set to 0 with probability ``fraction``."""
    rng = np.random.default_rng(seed)
    return np.where(rng.random(Y.shape) < fraction, 0, Y)


def ranked(Y, scores):
    """(mAP, macro-AUC) over the labels that have both classes in ``Y``."""
    both = (Y.min(axis=0) == 0) & (Y.max(axis=0) == 1)
    Y, scores = Y[:, both], scores[:, both]
    return (average_precision_score(Y, scores, average="macro"),
            roc_auc_score(Y, scores, average="macro"))


def fit(model, X, Y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)  # labels never positive after hiding
        return clone(model).fit(X, Y)


def cv_map(model, X, Y, folds):
    """Mean mAP of ``model`` on the held-out folds (noisy labels)."""
    return np.mean([ranked(Y[test], fit(model, X[train], Y[train]).decision_function(X[test]))[0]
                    for train, test in folds])


def run_loss(row, X, Y, X_test, Y_test, folds, seed, max_epochs):
    """Test (mAP, macro-AUC, macro-F1 @0.5, tuned macro-F1) and the chosen parameters."""
    loss, fixed, grid = LOSSES[row]
    if fixed.get("solver") == "adam":
        fixed = {**fixed, "max_iter": max_epochs, "random_state": seed}
    candidates = [MultiLabelLossClassifier(loss=loss, alpha=1.0, **fixed, **params)
                  for params in grid]
    best = 0 if len(grid) == 1 else int(np.argmax([cv_map(m, X, Y, folds) for m in candidates]))
    tuner = PerClassThresholdTuner(candidates[best], cv=folds, refit=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)  # rare labels get the global threshold
        tuner.fit(X, Y)
    final = tuner.estimator_
    return (*ranked(Y_test, final.decision_function(X_test)),
            f1_score(Y_test, final.predict(X_test), average="macro", zero_division=0),
            f1_score(Y_test, tuner.predict(X_test), average="macro", zero_division=0)), grid[best]


def mean_std(values):
    values = np.asarray(values)
    if values.size == 1:
        return f"{values[0]:.4f}"
    return f"{values.mean():.4f} ± {values.std(ddof=1):.4f}"


def beats(diffs):
    """'yes' when the loss beats BCE in every seed, 'no' when in none, else 'k/n'."""
    wins = int(np.sum(np.asarray(diffs) > 0))
    return "yes" if wins == len(diffs) else "no" if wins == 0 else f"{wins}/{len(diffs)}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="emotions, one seed, 30%% hidden, no file written")
    args = parser.parse_args()
    plan = ([("emotions", 1)] if args.quick
            else [("emotions", 3), ("yeast", 3), ("scene", 3), ("bibtex", 3)])
    fractions = (0.3,) if args.quick else FRACTIONS
    lines = [
        "# Losses for missing labels: ranking and F1 on clean test labels",
        "",
        f"`python benchmarks/bench_missing_labels.py{' --quick' if args.quick else ''}`. "
        "Each positive of the official training split hidden (set to 0) with the given "
        "probability (seeds 0, 1, 2), test labels clean; 0%: the clean training labels "
        "(seed 0). Linear `MultiLabelLossClassifier(alpha=1)`, L-BFGS (`splc`: Adam, lr 0.01, "
        "batch 200, 50 epochs, 20 on bibtex); features standardised (bibtex: raw sparse 0/1). "
        f"Chosen on the *noisy* training split only, with the same {N_FOLDS} folds for every "
        "loss (`MultilabelStratifiedKFold`, shuffled with the seed): each loss's "
        "hyper-parameter is the candidate of its grid with the best mean held-out-fold mAP; "
        f"`PerClassThresholdTuner(cv=<these {N_FOLDS} folds>, refit=True)` on the chosen "
        "candidate gives the tuned thresholds (its out-of-fold scores) and the model scored "
        "(its refit on the whole noisy split). mAP and macro-AUC over the labels with both "
        "classes in the test split; macro-F1 at 0.5; tuned: at the tuner's thresholds. "
        "Mean ± standard deviation over the seeds. "
        "*mAP > bce* / *AUC > bce*: does the loss beat `bce` in every seed (yes), in none "
        "(no), or in k of n.",
        "",
        "Grids: " + "; ".join(
            f"`{row}`: " + (", ".join(
                ", ".join(f"{k}={v}" for k, v in p.items()) for p in grid) or "none")
            for row, (_, _, grid) in LOSSES.items()
        ) + ".",
    ]
    summary = []
    start = time.perf_counter()
    for name, n_seeds in plan:
        X, Y, X_test, Y_test = load(name)
        max_epochs = 20 if name == "bibtex" else 50
        lines += ["", f"## {name} ({X.shape[0]} train / {X_test.shape[0]} test, "
                  f"{Y.shape[1]} labels)"]
        for fraction in fractions:
            results = {row: [] for row in LOSSES}
            chosen = {row: [] for row in LOSSES}
            for seed in range(1 if fraction == 0.0 else n_seeds):
                noisy = hide_positives(Y, fraction, seed)
                folds = list(MultilabelStratifiedKFold(
                    N_FOLDS, shuffle=True, random_state=seed).split(X, noisy))
                for row in LOSSES:
                    scores, params = run_loss(row, X, noisy, X_test, Y_test, folds, seed,
                                              max_epochs)
                    results[row].append(scores)
                    if params:
                        chosen[row].append(", ".join(f"{v}" for v in params.values()))
                    print(f"{name} {fraction:.0%} seed {seed} {row}: "
                          + " ".join(f"{s:.4f}" for s in scores)
                          + f" ({time.perf_counter() - start:.0f} s)", flush=True)
            bce = np.asarray(results["bce"])
            lines += [
                "", f"### {name}, {fraction:.0%} of the training positives hidden", "",
                "| loss | mAP | macro-AUC | macro-F1 @0.5 | tuned macro-F1 | mAP > bce "
                "| AUC > bce | chosen |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for row in LOSSES:
                r = np.asarray(results[row])
                map_beats = "" if row == "bce" else beats(r[:, 0] - bce[:, 0])
                auc_beats = "" if row == "bce" else beats(r[:, 1] - bce[:, 1])
                lines.append(
                    f"| `{row}` | " + " | ".join(mean_std(r[:, k]) for k in range(4))
                    + f" | {map_beats} | {auc_beats} | {'; '.join(chosen[row]) or '-'} |"
                )
                if row != "bce":
                    summary.append((name, fraction, row, map_beats, auc_beats,
                                    float(np.mean(r[:, 0] - bce[:, 0])),
                                    float(np.mean(r[:, 1] - bce[:, 1]))))
    lines += [
        "", "## Summary: ranking quality against `bce`", "",
        "Mean difference to `bce` (positive: better) and whether it holds in every seed.",
        "", "| data | hidden | loss | Δ mAP | Δ macro-AUC | mAP > bce | AUC > bce |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, fraction, row, map_beats, auc_beats, d_map, d_auc in summary:
        lines.append(f"| {name} | {fraction:.0%} | `{row}` | {d_map:+.4f} | {d_auc:+.4f} "
                     f"| {map_beats} | {auc_beats} |")
    lines += ["", f"Total time {time.perf_counter() - start:.0f} s (shared 2-core machine)."]
    write_result("missing_labels", lines, args.quick)


if __name__ == "__main__":
    main()
