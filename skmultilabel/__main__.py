"""``python -m skmultilabel``: compare losses on a multi-label benchmark shipped with the package.

Loads a dataset with its official train/test split, standardises the
features (fitted on the train split), fits :class:`MultiLabelLossClassifier`
with each chosen loss and prints, per loss, the test micro-F1 and macro-F1
at the fixed threshold 0.5 and with per-class thresholds tuned by
:class:`PerClassThresholdTuner` (5-fold cross-validation on the train split,
maximising macro-F1), the mean average precision (macro average of
``average_precision_score``) and the seconds of the plain fit and of the tuning.
A last row, "<loss>+CV", is :class:`MultiLabelLossClassifierCV` on the first
loss: alpha, positive weight and threshold chosen per label on 5 folds of the
train split (its "tuned" columns are its predictions, its fit seconds include
the whole search, so its tuning seconds are 0).

``python -m skmultilabel --compile`` instead compiles every numba kernel of the
package into numba's on-disk cache (float64 and float32), for container images
and cluster workers that should start warm.
"""

import argparse
import sys
import time

from sklearn.metrics import average_precision_score, f1_score
from sklearn.preprocessing import StandardScaler

from ._compile import compile_kernels, kernels_cached
from .datasets import load_emotions, load_scene, load_yeast
from .joint import MultiLabelLossClassifierCV
from .losses import LOSSES
from .models import MultiLabelLossClassifier
from .thresholds import PerClassThresholdTuner

__all__ = ["main"]

DATASETS = {"emotions": load_emotions, "scene": load_scene, "yeast": load_yeast}
COLUMNS = (
    "loss",
    "micro-F1@0.5",
    "macro-F1@0.5",
    "micro-F1 tuned",
    "macro-F1 tuned",
    "mAP",
    "fit s",
    "tune s",
)


def pointwise_losses():
    """Names of the registered pointwise losses (the default selection).

    Losses that need the training epoch (``needs_epoch``: "splc", Adam only) are left out.
    """
    return [
        name
        for name, cls in sorted(LOSSES.items())
        if cls.pointwise and not getattr(cls, "needs_epoch", False)
    ]


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m skmultilabel",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--dataset",
        choices=sorted(DATASETS),
        default="yeast",
        help="benchmark to load (default: yeast)",
    )
    parser.add_argument(
        "--losses",
        default=",".join(pointwise_losses()),
        help="comma-separated registered loss names (default: every pointwise loss: %(default)s); "
        f"registered: {', '.join(sorted(LOSSES))}",
    )
    parser.add_argument(
        "--model",
        choices=("linear", "mlp"),
        default="linear",
        help="linear model (L-BFGS) or one hidden layer of 100 relu units (Adam); default: linear",
    )
    parser.add_argument(
        "--alpha",
        type=float,
        default=1.0,
        help="L2 strength (default: 1.0; 1.0 with bce is LogisticRegression(C=1))",
    )
    parser.add_argument(
        "--max-iter", type=int, default=200, help="L-BFGS iterations or Adam epochs (default: 200)"
    )
    parser.add_argument(
        "--random-state",
        type=int,
        default=0,
        help="seed of the MLP and of the tuning folds (default: 0)",
    )
    parser.add_argument(
        "--compile",
        action="store_true",
        help="only compile every numba kernel into the on-disk cache (float64 and float32), "
        "then exit",
    )
    return parser


def evaluate(dataset, losses, *, model="linear", alpha=1.0, max_iter=200, random_state=0):
    """Fit one classifier per loss; return a list of result rows (tuples in COLUMNS order)."""
    data = DATASETS[dataset]()
    scaler = StandardScaler().fit(data.X_train)
    X_train, X_test = scaler.transform(data.X_train), scaler.transform(data.X_test)
    solver = "lbfgs" if model == "linear" else "adam"
    rows = []
    for loss in losses:
        clf = MultiLabelLossClassifier(
            loss=loss,
            model=model,
            solver=solver,
            alpha=alpha,
            max_iter=max_iter,
            random_state=random_state,
        )
        start = time.perf_counter()
        clf.fit(X_train, data.Y_train)
        fit_seconds = time.perf_counter() - start
        tuner = PerClassThresholdTuner(clf, scoring="f1_macro", random_state=random_state)
        start = time.perf_counter()
        tuner.fit(X_train, data.Y_train)
        tune_seconds = time.perf_counter() - start
        fixed, tuned = clf.predict(X_test), tuner.predict(X_test)
        rows.append(
            (
                loss,
                f1_score(data.Y_test, fixed, average="micro", zero_division=0),
                f1_score(data.Y_test, fixed, average="macro", zero_division=0),
                f1_score(data.Y_test, tuned, average="micro", zero_division=0),
                f1_score(data.Y_test, tuned, average="macro", zero_division=0),
                average_precision_score(data.Y_test, clf.predict_proba(X_test), average="macro"),
                fit_seconds,
                tune_seconds,
            )
        )
    rows.append(cv_row(data, X_train, X_test, losses[0], model, max_iter, random_state))
    return rows


def cv_row(data, X_train, X_test, loss, model, max_iter, random_state):
    """The row of MultiLabelLossClassifierCV on ``loss`` (a small grid for the MLP)."""
    grid = {} if model == "linear" else {"alphas": [1.0, 10.0], "pos_weights": [1.0, "balanced"]}
    cv = MultiLabelLossClassifierCV(
        loss=loss, model=model, max_iter=max_iter, random_state=random_state, **grid
    )
    start = time.perf_counter()
    cv.fit(X_train, data.Y_train)
    fit_seconds = time.perf_counter() - start
    proba = cv.predict_proba(X_test)
    fixed, tuned = (proba >= 0.5).astype(int), cv.predict(X_test)
    return (
        f"{loss}+CV",
        f1_score(data.Y_test, fixed, average="micro", zero_division=0),
        f1_score(data.Y_test, fixed, average="macro", zero_division=0),
        f1_score(data.Y_test, tuned, average="micro", zero_division=0),
        f1_score(data.Y_test, tuned, average="macro", zero_division=0),
        average_precision_score(data.Y_test, proba, average="macro"),
        fit_seconds,
        0.0,
    )


def format_table(rows):
    """The rows as an aligned text table."""
    cells = [COLUMNS] + [
        (row[0], *(f"{value:.4f}" for value in row[1:6]), *(f"{value:.2f}" for value in row[6:]))
        for row in rows
    ]
    widths = [max(len(line[k]) for line in cells) for k in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)) for line in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main(argv=None):
    """Run the comparison and print the table; return the result rows."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.compile:
        seconds = compile_kernels()
        print(f"numba cache filled in {seconds:.1f} s")
        return []
    losses = [name.strip() for name in args.losses.split(",") if name.strip()]
    unknown = [name for name in losses if name not in LOSSES]
    if unknown or not losses:
        parser.error(f"unknown loss(es) {unknown}; registered: {', '.join(sorted(LOSSES))}")
    data = DATASETS[args.dataset]()
    print(
        f"{args.dataset}: {len(data.train_index)} train / {len(data.test_index)} test samples, "
        f"{data.data.shape[1]} features, {data.target.shape[1]} labels; model={args.model}, "
        f"alpha={args.alpha}"
    )
    if not kernels_cached():
        print(
            "compiling the numba kernels (first run without a cache, ~10-30 s; "
            "`python -m skmultilabel --compile` does it ahead) ...",
            file=sys.stderr,
            flush=True,
        )
    rows = evaluate(
        args.dataset,
        losses,
        model=args.model,
        alpha=args.alpha,
        max_iter=args.max_iter,
        random_state=args.random_state,
    )
    print(format_table(rows))
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
