"""Imbalance remedies on yeast and scene: loss weighting, focal loss and the multi-label resamplers.

Run ``python benchmarks/bench_imbalance_quality.py`` (``--quick``: yeast only, no file written).
Writes ``benchmarks/results/imbalance_quality.md``: test macro-F1 and micro-F1
on the official splits of ``MultiLabelLossClassifier`` with BCE, with
``class_weight="balanced"``, behind each resampler, and with focal loss, each
with thresholds at 0.5 and tuned per class by ``PerClassThresholdTuner``
(macro-F1, multi-label stratified 5-fold). ``OneVsRestClassifier(LogisticRegression())``
rows are a reference.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _results import write_result  # noqa: E402
from imblearn.pipeline import make_pipeline  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.multiclass import OneVsRestClassifier  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skmultilabel import MultiLabelLossClassifier, PerClassThresholdTuner  # noqa: E402
from skmultilabel.datasets import load_scene, load_yeast  # noqa: E402
from skmultilabel.model_selection import MultilabelStratifiedKFold  # noqa: E402
from skmultilabel.resampling import MLROS, MLRUS, MLSMOTE  # noqa: E402

SAMPLERS = {"MLROS": MLROS, "MLRUS": MLRUS, "MLSMOTE": MLSMOTE}


def loss_model(**params):
    return MultiLabelLossClassifier(random_state=0, **params)


def reference_model(**params):
    return OneVsRestClassifier(LogisticRegression(max_iter=1000, **params))


def configurations():
    """(model family, remedy, factory of the pipeline steps)."""
    rows = []
    remedies = [
        ("BCE", lambda: [loss_model(loss="bce")]),
        (
            "BCE, class_weight='balanced'",
            lambda: [loss_model(loss="weighted_bce", class_weight="balanced")],
        ),
    ]
    remedies += [
        (f"BCE + {name}", lambda Sampler=Sampler: [Sampler(random_state=0), loss_model(loss="bce")])
        for name, Sampler in SAMPLERS.items()
    ]
    remedies.append(("focal (gamma=2)", lambda: [loss_model(loss="focal", gamma=2.0)]))
    for remedy, steps in remedies:
        rows.append(("MultiLabelLossClassifier", remedy, steps))
    reference = [
        ("plain", lambda: [reference_model()]),
        ("class_weight='balanced'", lambda: [reference_model(class_weight="balanced")]),
    ]
    reference += [
        (f"+ {name}", lambda Sampler=Sampler: [Sampler(random_state=0), reference_model()])
        for name, Sampler in SAMPLERS.items()
    ]
    rows += [("OvR LogisticRegression", remedy, steps) for remedy, steps in reference]
    return rows


def scores(Y_true, Y_pred):
    return (
        f1_score(Y_true, Y_pred, average="macro", zero_division=0),
        f1_score(Y_true, Y_pred, average="micro", zero_division=0),
    )


def evaluate(steps, data):
    """Test (macro-F1, micro-F1) at 0.5 and tuned, and the seconds of both fits."""
    start = time.perf_counter()
    model = make_pipeline(StandardScaler(), *steps()).fit(data.X_train, data.Y_train)
    at_half = scores(data.Y_test, model.predict(data.X_test))
    tuner = PerClassThresholdTuner(
        make_pipeline(StandardScaler(), *steps()),
        scoring="f1_macro",
        cv=MultilabelStratifiedKFold(5, shuffle=True, random_state=0),
    ).fit(data.X_train, data.Y_train)
    tuned = scores(data.Y_test, tuner.predict(data.X_test))
    return at_half, tuned, time.perf_counter() - start


def cell(pair):
    return f"{pair[0]:.4f} | {pair[1]:.4f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="yeast only, no file written")
    args = parser.parse_args()
    loaders = [load_yeast] if args.quick else [load_yeast, load_scene]
    lines = [
        "# Imbalance remedies: test F1 on the official splits",
        "",
        "`python benchmarks/bench_imbalance_quality.py`; features standardised; resamplers with "
        "default parameters and `random_state=0`, applied to the training data only "
        "(imblearn pipeline); tuned = `PerClassThresholdTuner(scoring='f1_macro', "
        "cv=MultilabelStratifiedKFold(5, shuffle=True))`.",
    ]
    for loader in loaders:
        data = loader()
        lines += [
            "",
            f"## {loader.__name__[5:]} ({len(data.Y_train)} train / {len(data.Y_test)} test, "
            f"{data.Y_train.shape[1]} labels)",
            "",
            "| model | remedy | macro-F1 @0.5 | micro-F1 @0.5 | macro-F1 tuned | micro-F1 tuned "
            "| fit (s) |",
            "|---|---|---|---|---|---|---|",
        ]
        for family, remedy, steps in configurations():
            at_half, tuned, seconds = evaluate(steps, data)
            line = f"| {family} | {remedy} | {cell(at_half)} | {cell(tuned)} | {seconds:.1f} |"
            print(f"{loader.__name__[5:]}: {line}", flush=True)
            lines.append(line)
    write_result("imbalance_quality", lines, args.quick)


if __name__ == "__main__":
    main()
