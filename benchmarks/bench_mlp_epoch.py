"""Seconds per MLP Adam epoch: ours before and after the raw loss API, against peers.

    python benchmarks/bench_mlp_epoch.py            # yeast + synthetic 100,000 x 300, 50 labels
    python benchmarks/bench_mlp_epoch.py --quick    # yeast + synthetic 10,000 x 300 (smoke run)

One hidden layer of 100 relu units, Adam with learning rate 1e-3, minibatches
of 200 rows, no L2 penalty, everything on 1 thread (threadpoolctl for BLAS and
OpenMP, ``torch.set_num_threads(1)``, our ``n_jobs=1``). Rows:

* ours (``MultiLabelLossClassifier.partial_fit``, one epoch per call), float64
  and float32 input, and "before": the same estimator at ``--before-rev`` (the
  commit before the raw loss API and float32 path), checked out by ``git
  worktree`` into a temporary folder;
* scikit-learn's ``MLPClassifier.partial_fit`` (one epoch per call), float64 and float32;
* a minimal PyTorch loop (Linear-ReLU-Linear, ``BCEWithLogitsLoss``, Adam), float64
  and float32, when torch is installed.

Each configuration runs in its own fresh process (imports, one warm-up epoch,
then timed epochs: the best one counts), configurations interleaved round by
round. The table gives wall and process-CPU seconds per epoch and the ratio
ours (after, float64 and float32) / peer: below 1, ours is faster.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _results import write_result  # noqa: E402

HIDDEN = 100
BATCH = 200


def load(dataset, n_samples):
    """``(X, Y)``: standardised features, an int64 0/1 target."""
    import numpy as np
    from sklearn.preprocessing import StandardScaler

    if dataset == "yeast":
        from skmultilabel.datasets import load_yeast

        data = load_yeast()
        X, Y = data.X_train, data.Y_train
    else:
        from _synthetic import make_imbalanced_multilabel

        X, Y = make_imbalanced_multilabel(n_samples, 50, 300, seed=0)
    return StandardScaler().fit_transform(X), np.asarray(Y, dtype=np.int64)


def ours_epoch(X, Y):
    from skmultilabel import MultiLabelLossClassifier

    clf = MultiLabelLossClassifier(
        model="mlp", hidden_layer_sizes=(HIDDEN,), solver="adam", alpha=0.0, batch_size=BATCH,
        random_state=0,
    )
    return lambda: clf.partial_fit(X, Y)


def sklearn_epoch(X, Y):
    import numpy as np
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=0.0, batch_size=BATCH,
                        random_state=0)
    classes = np.arange(Y.shape[1])
    return lambda: clf.partial_fit(X, Y, classes=classes)


def torch_epoch(X, Y):
    import torch

    dtype = torch.float32 if X.dtype.name == "float32" else torch.float64
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(X.shape[1], HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, Y.shape[1])
    ).to(dtype)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_function = torch.nn.BCEWithLogitsLoss(reduction="sum")
    inputs, targets = torch.from_numpy(X), torch.from_numpy(Y.astype(X.dtype))

    def epoch():
        order = torch.randperm(inputs.shape[0])
        for start in range(0, inputs.shape[0], BATCH):
            rows = order[start : start + BATCH]
            optimizer.zero_grad()
            loss = loss_function(model(inputs[rows]), targets[rows]) / rows.shape[0]
            loss.backward()
            optimizer.step()

    return epoch


def worker(library, dataset, dtype, n_samples, epochs):
    """Time ``epochs`` epochs after a warm-up one; print the best wall and CPU seconds."""
    from threadpoolctl import threadpool_limits

    X, Y = load(dataset, n_samples)
    X = X.astype(dtype)
    epoch = {"ours": ours_epoch, "sklearn": sklearn_epoch, "torch": torch_epoch}[library](X, Y)
    threadpool_limits(1)  # every BLAS and OpenMP pool loaded by now (torch's included)
    if library == "torch":
        import torch

        torch.set_num_threads(1)
    epoch()  # warm-up: compilation, first allocations
    walls, cpus = [], []
    for _ in range(epochs):
        wall, cpu = time.perf_counter(), time.process_time()
        epoch()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(json.dumps({"wall": min(walls), "cpu": min(cpus)}))


CONFIGS = [  # (label, library, dtype, uses the "before" checkout)
    ("ours after, float64", "ours", "float64", False),
    ("ours after, float32", "ours", "float32", False),
    ("ours before, float64", "ours", "float64", True),
    ("MLPClassifier, float64", "sklearn", "float64", False),
    ("MLPClassifier, float32", "sklearn", "float32", False),
    ("PyTorch loop, float64", "torch", "float64", False),
    ("PyTorch loop, float32", "torch", "float32", False),
]


def run(config, dataset, n_samples, epochs, before):
    label, library, dtype, old = config
    root = before if old else HERE.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(HERE)])}
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", library, dataset,
               dtype, str(n_samples), str(epochs)]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{label} on {dataset} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def has_torch():
    probe = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True)
    return probe.returncode == 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before-rev", default="6f6d91b")
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        library, dataset, dtype, n_samples, epochs = args.worker
        return worker(library, dataset, dtype, int(n_samples), int(epochs))
    datasets = [("yeast", 1500, 10), ("dense", 10_000 if args.quick else 100_000, 2)]
    configs = [c for c in CONFIGS if c[1] != "torch" or has_torch()]
    rounds = 1 if args.quick else args.rounds
    best = {}
    with tempfile.TemporaryDirectory() as folder:
        before = Path(folder) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", str(before), args.before_rev],
                       cwd=HERE.parent, check=True, capture_output=True)
        try:
            for _ in range(rounds):
                for dataset, n_samples, epochs in datasets:
                    for config in configs:
                        times = run(config, dataset, n_samples, epochs, before)
                        key = (dataset, config[0])
                        old = best.get(key, {"wall": float("inf"), "cpu": float("inf")})
                        best[key] = {k: min(old[k], times[k]) for k in old}
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)],
                           cwd=HERE.parent, capture_output=True)
    lines = [
        "Seconds per MLP Adam epoch (one hidden layer of 100 relu units, batch 200, 1 thread; "
        f"best of {rounds} fresh processes). ratio = ours / peer, below 1: ours faster.",
        "",
        "| data | configuration | s/epoch wall (CPU) | ours f64 / this (CPU) | "
        "ours f32 / this (CPU) |",
        "|---|---|---|---|---|",
    ]
    for dataset, n_samples, _ in datasets:
        ours64, ours32 = best[(dataset, CONFIGS[0][0])], best[(dataset, CONFIGS[1][0])]
        for config in configs:
            times = best[(dataset, config[0])]
            lines.append(
                f"| {dataset} | {config[0]} | {times['wall']:.4f} ({times['cpu']:.4f}) | "
                f"**{ours64['wall'] / times['wall']:.2f}** ({ours64['cpu'] / times['cpu']:.2f}) | "
                f"**{ours32['wall'] / times['wall']:.2f}** ({ours32['cpu'] / times['cpu']:.2f}) |"
            )
    lines += [
        "",
        "* yeast: the yeast training set, 1,500 x 103, 14 labels (10 timed epochs per process)",
        f"* dense: synthetic {datasets[1][1]:,} x 300, 50 labels, standardised "
        "(2 timed epochs per process)",
        f"* before: this estimator at commit {args.before_rev} (always float64)",
    ]
    write_result("mlp_epoch", lines, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
