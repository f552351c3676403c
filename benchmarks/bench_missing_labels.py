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
from sklearn.base import BaseEstimator, clone  # noqa: E402
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


class StoredScores(BaseEstimator):
    """A "model" whose probabilities for ``X`` are ``X``: thresholds from stored scores."""

    def fit(self, X, y=None):
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X):
        return X


def out_of_fold(model, X, Y, folds):
    """Pooled out-of-fold probabilities of ``model`` and its mean held-out-fold mAP."""
    proba, fold_map = np.empty(Y.shape), []
    for train, test in folds:
        part = fit(model, X[train], Y[train])
        proba[test] = part.predict_proba(X[test])
        fold_map.append(ranked(Y[test], part.decision_function(X[test]))[0])
    return proba, float(np.mean(fold_map))


def tune(estimator, X, Y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)  # rare labels get the global threshold
        return PerClassThresholdTuner(estimator, **params).fit(X, Y)


def run_loss(row, X, Y, X_test, Y_test, folds, seed, max_epochs, check):
    """Test (mAP, macro-AUC, macro-F1 @0.5, tuned macro-F1) and the chosen parameters.

    Each candidate's fold fits give its mean held-out-fold mAP; the chosen
    candidate's out-of-fold probabilities, pooled, are what the tuner's own
    ``cv=folds`` would compute (the same fits), so its thresholds are searched
    on them without fitting the folds again. ``check``: also run the tuner's own
    cross-validation and assert that the thresholds agree.
    """
    loss, fixed, grid = LOSSES[row]
    if fixed.get("solver") == "adam":
        fixed = {**fixed, "max_iter": max_epochs, "random_state": seed}
    candidates = [MultiLabelLossClassifier(loss=loss, alpha=1.0, **fixed, **params)
                  for params in grid]
    runs = [out_of_fold(model, X, Y, folds) for model in candidates]
    best = int(np.argmax([fold_map for _, fold_map in runs]))
    proba = runs[best][0]
    thresholds = tune(StoredScores().fit(proba), proba, Y, cv="prefit", refit=False).thresholds_
    if check:
        own = tune(candidates[best], X, Y, cv=folds, refit=True).thresholds_
        np.testing.assert_allclose(thresholds, own, rtol=1e-9, atol=1e-12)
    final = fit(candidates[best], X, Y)
    tuned = (final.predict_proba(X_test) >= thresholds).astype(np.int64)
    return (*ranked(Y_test, final.decision_function(X_test)),
            f1_score(Y_test, final.predict(X_test), average="macro", zero_division=0),
            f1_score(Y_test, tuned, average="macro", zero_division=0)), grid[best]


def mean_std(values):
    values = np.asarray(values)
    if values.size == 1:
        return f"{values[0]:.4f}"
    return f"{values.mean():.4f} ± {values.std(ddof=1):.4f}"


def beats(diffs):
    """'yes' when the loss beats BCE in every seed, 'no' when in none, else 'k/n'."""
    wins = int(np.sum(np.asarray(diffs) > 0))
    return "yes" if wins == len(diffs) else "no" if wins == 0 else f"{wins}/{len(diffs)}"


def header(quick):
    return [
        "# Losses for missing labels: ranking and F1 on clean test labels",
        "",
        f"`python benchmarks/bench_missing_labels.py{' --quick' if quick else ''}`. "
        "Each positive of the official training split hidden (set to 0) with the given "
        "probability (seeds 0, 1, 2), test labels clean; 0%: the clean training labels "
        "(seed 0). Linear `MultiLabelLossClassifier(alpha=1)`, L-BFGS (`splc`: Adam, lr 0.01, "
        "batch 200, 50 epochs, 20 on bibtex); features standardised (bibtex: raw sparse 0/1). "
        f"Chosen on the *noisy* training split only, with the same {N_FOLDS} folds for every "
        "loss (`MultilabelStratifiedKFold`, shuffled with the seed): each loss's "
        "hyper-parameter is the candidate of its grid with the best mean held-out-fold mAP; "
        "the tuned thresholds are `PerClassThresholdTuner`'s on the chosen candidate's pooled "
        "out-of-fold probabilities of these folds (the tuner's own "
        f"`cv=<these {N_FOLDS} folds>`, without fitting the folds twice; on emotions the run "
        "also runs the tuner's own cross-validation and checks that the thresholds agree). The "
        "model scored is the chosen candidate refitted on the whole noisy split. mAP and "
        "macro-AUC over the labels with both classes in the test split; macro-F1 at 0.5; "
        "tuned: at the tuned thresholds. Mean ± standard deviation over the seeds. "
        "*mAP > bce* / *AUC > bce*: does the loss beat `bce` in every seed (yes), in none "
        "(no), or in k of n.",
        "",
        "Grids: " + "; ".join(
            f"`{row}`: " + (", ".join(
                ", ".join(f"{k}={v}" for k, v in p.items()) for p in grid) or "none")
            for row, (_, _, grid) in LOSSES.items()
        ) + ".",
    ]


def render(quick, shapes, results, seconds, planned):
    """The Markdown report of the cells run so far (``results[name, fraction][seed][row]``)."""
    lines, summary = header(quick), []
    for name, shape in shapes.items():
        lines += ["", f"## {name} ({shape})"]
        for fraction in sorted({f for n, f in results if n == name}):
            by_seed = results[name, fraction]
            seeds = sorted(s for s in by_seed if len(by_seed[s]) == len(LOSSES))
            if not seeds:
                continue
            note = "" if len(seeds) == planned[name, fraction] else (
                f" (seed {', '.join(map(str, seeds))} only, of the {planned[name, fraction]} "
                "planned: the run was stopped)")
            r = {row: np.asarray([by_seed[s][row][0] for s in seeds]) for row in LOSSES}
            lines += [
                "", f"### {name}, {fraction:.0%} of the training positives hidden{note}", "",
                "| loss | mAP | macro-AUC | macro-F1 @0.5 | tuned macro-F1 | mAP > bce "
                "| AUC > bce | chosen |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for row in LOSSES:
                map_beats = "" if row == "bce" else beats(r[row][:, 0] - r["bce"][:, 0])
                auc_beats = "" if row == "bce" else beats(r[row][:, 1] - r["bce"][:, 1])
                chosen = "; ".join(", ".join(f"{v}" for v in by_seed[s][row][1].values())
                                   for s in seeds if by_seed[s][row][1])
                lines.append(
                    f"| `{row}` | " + " | ".join(mean_std(r[row][:, k]) for k in range(4))
                    + f" | {map_beats} | {auc_beats} | {chosen or '-'} |"
                )
                if row != "bce":
                    summary.append((name, fraction, row, map_beats, auc_beats,
                                    float(np.mean(r[row][:, 0] - r["bce"][:, 0])),
                                    float(np.mean(r[row][:, 1] - r["bce"][:, 1]))))
    lines += [
        "", "## Summary: ranking quality against `bce`", "",
        "Mean difference to `bce` (positive: better) and whether it holds in every seed.",
        "", "| data | hidden | loss | Δ mAP | Δ macro-AUC | mAP > bce | AUC > bce |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, fraction, row, map_beats, auc_beats, d_map, d_auc in summary:
        lines.append(f"| {name} | {fraction:.0%} | `{row}` | {d_map:+.4f} | {d_auc:+.4f} "
                     f"| {map_beats} | {auc_beats} |")
    lines += ["", f"Total time {seconds:.0f} s (shared 2-core machine)."]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="emotions, one seed, 30%% hidden, no file written")
    parser.add_argument("--datasets", default="emotions,yeast,scene,bibtex")
    parser.add_argument("--seeds", default="0,1,2", help="the clean row runs with seed 0")
    parser.add_argument("--output", default="missing_labels", help="results file name")
    args = parser.parse_args()
    names = ["emotions"] if args.quick else args.datasets.split(",")
    seeds = [int(seed) for seed in args.seeds.split(",")]
    # the clean row, then seed by seed: a run stopped early still has every fraction
    runs = [(0.3, 0)] if args.quick else [(0.0, 0)] * (0 in seeds) + [
        (fraction, seed) for seed in seeds for fraction in FRACTIONS if fraction]
    planned = {(name, f): sum(f == g for g, _ in runs) for name in names for f, _ in runs}
    shapes, results = {}, {}
    start = time.perf_counter()
    for name in names:
        X, Y, X_test, Y_test = load(name)
        max_epochs = 20 if name == "bibtex" else 50
        shapes[name] = f"{X.shape[0]} train / {X_test.shape[0]} test, {Y.shape[1]} labels"
        for fraction, seed in runs:
            noisy = hide_positives(Y, fraction, seed)
            folds = list(MultilabelStratifiedKFold(
                N_FOLDS, shuffle=True, random_state=seed).split(X, noisy))
            cell = results.setdefault((name, fraction), {}).setdefault(seed, {})
            for row in LOSSES:
                cell[row] = run_loss(row, X, noisy, X_test, Y_test, folds, seed, max_epochs,
                                     check=name == "emotions")
                print(f"{name} {fraction:.0%} seed {seed} {row}: "
                      + " ".join(f"{s:.4f}" for s in cell[row][0])
                      + f" ({time.perf_counter() - start:.0f} s)", flush=True)
            if not args.quick:  # the table so far, in case the run is stopped
                write_table(render(False, shapes, results, time.perf_counter() - start,
                                   planned), args.output)
    write_result(args.output, render(args.quick, shapes, results,
                                     time.perf_counter() - start, planned), args.quick)


def write_table(lines, name):
    """Write the table without printing it (the progress lines are printed)."""
    out = Path(__file__).resolve().parent / "results" / f"{name}.md"
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
