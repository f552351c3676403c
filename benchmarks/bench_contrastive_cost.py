"""Cost of the contrastive term: one MLP Adam epoch on bibtex with and without it.

The target of issue 13: at batch 200 on bibtex (tag recommendation, the
training split of ``../shared/data/bibtex.npz``: 4,880 rows, 1,836 sparse
binary features, 159 labels), an epoch with the term costs at most 1.5 times
an epoch without it. For 64 and 100 hidden units, ``MultiLabelLossClassifier``
(``model="mlp"``, ``solver="adam"``, ``batch_size=200``) runs one epoch per
``partial_fit`` call with ``contrastive_weight`` 0 and 0.1: the numba cache
warm (one epoch on 400 rows first, not timed), process CPU seconds of the
timed epoch, ``REPEATS`` repeats interleaved, the best of each kept, and the
ratio with / without.

Run: ``python benchmarks/bench_contrastive_cost.py`` (``--quick``: 3 repeats,
table not written; ``--bibtex PATH``: bibtex.npz elsewhere). Writes
``benchmarks/results/contrastive_cost.md``.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

import numpy as np
from _results import write_result
from bench_label_dependencies import BIBTEX, load_bibtex

from skmultilabel import MultiLabelLossClassifier

HIDDEN = (64, 100)
BATCH = 200
WEIGHT = 0.1
REPEATS = 15
TARGET = 1.5


def epoch_seconds(data, hidden, weight):
    """CPU seconds of one epoch of a fresh model, after one untimed epoch on 400 rows."""
    model = MultiLabelLossClassifier(model="mlp", hidden_layer_sizes=(hidden,), solver="adam",
                                     batch_size=BATCH, contrastive_weight=weight, random_state=0)
    model.partial_fit(data.X_train[:400], data.Y_train[:400])  # compile, allocate
    start = time.process_time()
    model.partial_fit(data.X_train, data.Y_train)
    return time.process_time() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats, table not written")
    parser.add_argument("--bibtex", type=Path, default=BIBTEX, help="path of bibtex.npz")
    args = parser.parse_args()
    repeats = 3 if args.quick else REPEATS
    warnings.filterwarnings("ignore", message=".*never positive")
    data = load_bibtex(args.bibtex)
    lines = [
        "# Cost of the contrastive term: one MLP Adam epoch on bibtex, batch 200",
        "",
        (f"Process CPU seconds of one epoch over the {data.X_train.shape[0]} training rows, "
         f"best of {repeats} interleaved repeats, contrastive_weight 0 and {WEIGHT}; "
         f"target: ratio at most {TARGET}."),
        "",
        "| hidden units | epoch without (s) | epoch with (s) | ratio with / without |",
        "|---:|---:|---:|---:|",
    ]
    for hidden in HIDDEN:
        best = {0.0: np.inf, WEIGHT: np.inf}
        for _ in range(repeats):
            for weight in best:
                best[weight] = min(best[weight], epoch_seconds(data, hidden, weight))
        lines.append(f"| {hidden} | {best[0.0]:.3f} | {best[WEIGHT]:.3f} | "
                     f"{best[WEIGHT] / best[0.0]:.2f} |")
        print(lines[-1], flush=True)
    write_result("contrastive_cost", lines, args.quick)


if __name__ == "__main__":
    main()
