"""Seconds to the first result: import, first fit and first tuner fit in fresh processes.

    python benchmarks/bench_cold_start.py             # 3 fresh processes per row
    python benchmarks/bench_cold_start.py --quick     # 1 process per row
    python benchmarks/bench_cold_start.py --baseline /path/to/other/checkout

Each row runs in new Python processes and gives the median wall time and the
median process CPU time (the work, less inflated than wall time by other jobs
on a shared machine):

* ``import sklearn.base`` (the peer) and ``from skmultilabel import
  MultiLabelLossClassifier``, and the latter after the former in one process
  (what our import adds, free of the spread between processes);
* on yeast (standardised): the first linear fit (``MultiLabelLossClassifier(alpha=1)``)
  and then the first tuner fit (``PerClassThresholdTuner`` around it,
  ``scoring="f1_macro"``, 5 folds), with the numba cache off
  (``SKMULTILABEL_NUMBA_CACHE=0``: everything compiled) and with a cache filled
  by ``python -m skmultilabel --compile``;
* ``python -m skmultilabel --compile`` itself, into an empty cache.

``--baseline`` runs the cache-off rows on another checkout too (e.g. the code
before a change), in the same run. Results: ``benchmarks/results/cold_start.md``.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _results import write_result  # noqa: E402

IMPORT = """
import json, time
wall, cpu = time.perf_counter(), time.process_time()
{statement}
print(json.dumps({{"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}}))
"""

IMPORT_AFTER_SKLEARN = """
import json, time
import sklearn.base
wall, cpu = time.perf_counter(), time.process_time()
from skmultilabel import MultiLabelLossClassifier
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""

FIRST_FITS = """
import json, time, warnings
from sklearn.preprocessing import StandardScaler
from skmultilabel import MultiLabelLossClassifier, PerClassThresholdTuner
from skmultilabel.datasets import load_yeast
warnings.simplefilter("ignore")
data = load_yeast()
X = StandardScaler().fit_transform(data.X_train)
out = {}
for name, make in (
    ("fit", lambda: MultiLabelLossClassifier(alpha=1.0)),
    ("tuner", lambda: PerClassThresholdTuner(
        MultiLabelLossClassifier(alpha=1.0), scoring="f1_macro", random_state=0)),
    ("fit again", lambda: MultiLabelLossClassifier(alpha=1.0)),
):
    wall, cpu = time.perf_counter(), time.process_time()
    make().fit(X, data.Y_train)
    out[name] = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
print(json.dumps(out))
"""


def run(code, checkout, args=(), **env):
    """JSON printed by ``code`` run in a fresh process on ``checkout``."""
    environment = {**os.environ, "PYTHONPATH": str(checkout), **env}
    out = subprocess.run([sys.executable, "-c", code, *args], env=environment, cwd=checkout,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def medians(samples):
    """{"wall": median, "cpu": median} over a list of such dicts."""
    return {key: float(np.median([s[key] for s in samples])) for key in ("wall", "cpu")}


def compile_into(cache_dir):
    """Wall and CPU seconds of ``python -m skmultilabel --compile`` into ``cache_dir``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_CACHE_DIR": cache_dir}
    before = os.times()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "skmultilabel", "--compile"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return {"wall": time.perf_counter() - start, "cpu": cpu}


def first_fits(checkout, repeats, **env):
    samples = [run(FIRST_FITS, checkout, **env) for _ in range(repeats)]
    return {name: medians([s[name] for s in samples]) for name in samples[0]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one fresh process per row")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another checkout whose cache-off first fits are measured too")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 3

    rows = []  # (measurement, wall, cpu, peer name, peer wall, peer cpu)
    sklearn_import = medians([run(IMPORT.format(statement="import sklearn.base"), ROOT)
                              for _ in range(2 * repeats + 1)])
    ours_import = medians([
        run(IMPORT.format(statement="from skmultilabel import MultiLabelLossClassifier"), ROOT)
        for _ in range(2 * repeats + 1)
    ])
    rows.append(("`from skmultilabel import MultiLabelLossClassifier`", ours_import,
                 "`import sklearn.base`", sklearn_import))
    # the difference of the two rows above mixes two sets of processes; this one is exact
    ours_increment = medians([run(IMPORT_AFTER_SKLEARN, ROOT) for _ in range(2 * repeats + 1)])
    rows.append(("the same, after `import sklearn.base` in the same process", ours_increment,
                 "-", None))
    print(rows[-2:], flush=True)

    cold = first_fits(ROOT, repeats, SKMULTILABEL_NUMBA_CACHE="0")
    with tempfile.TemporaryDirectory() as cache_dir:
        compiled = compile_into(cache_dir)
        warm = first_fits(ROOT, repeats, NUMBA_CACHE_DIR=cache_dir)
    both = {key: cold["fit"][key] + cold["tuner"][key] for key in ("wall", "cpu")}
    both_warm = {key: warm["fit"][key] + warm["tuner"][key] for key in ("wall", "cpu")}
    rows += [
        ("first fit, cache off", cold["fit"], "same, warm cache", warm["fit"]),
        ("first tuner fit, cache off", cold["tuner"], "same, warm cache", warm["tuner"]),
        ("first fit + first tuner fit, cache off", both, "same, warm cache", both_warm),
        ("first fit, warm cache", warm["fit"], "next fit, same process", warm["fit again"]),
        ("`python -m skmultilabel --compile` (empty cache)", compiled, "-", None),
    ]
    if args.baseline is not None:
        before = first_fits(args.baseline, repeats, SKMULTILABEL_NUMBA_CACHE="0")
        before_both = {key: before["fit"][key] + before["tuner"][key] for key in ("wall", "cpu")}
        rows += [
            ("first fit, cache off", cold["fit"], "baseline checkout", before["fit"]),
            ("first tuner fit, cache off", cold["tuner"], "baseline checkout", before["tuner"]),
            ("first fit + first tuner fit, cache off", both, "baseline checkout", before_both),
        ]
    for row in rows:
        print(format_row(row), flush=True)
    write_table(rows, repeats, args.quick)


def format_row(row):
    name, ours, peer_name, peer = row
    if peer is None:
        return f"| {name} | {ours['wall']:.2f} | {ours['cpu']:.2f} | - | - | - | - | - |"
    return (
        f"| {name} | {ours['wall']:.2f} | {ours['cpu']:.2f} | {peer_name} | {peer['wall']:.2f} | "
        f"{peer['cpu']:.2f} | {ours['wall'] - peer['wall']:+.2f} | "
        f"{ours['cpu'] / peer['cpu']:.2f} |"
    )


def write_table(rows, repeats, quick):
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "# Cold start (`python benchmarks/bench_cold_start.py"
        + (" --quick" if quick else "")
        + "`)",
        "",
        (f"Fresh Python processes, median of {repeats} (imports: {2 * repeats + 1}); yeast, "
        "standardised; tuner = `PerClassThresholdTuner(MultiLabelLossClassifier(alpha=1), "
        f"scoring='f1_macro')`, 5 folds. {os.cpu_count()} cores, load average {load} at the end: "
        "wall times are inflated by other jobs, CPU time (process, all threads) is the work. "
        "Cache off: `SKMULTILABEL_NUMBA_CACHE=0`, every kernel compiled in the process; warm "
        "cache: filled by `python -m skmultilabel --compile`. Targets: first fit + first tuner "
        "fit with the cache off < 5 s on an idle machine; our import within 0.2 s of "
        "`import sklearn.base`."),
        "",
        ("| measurement | wall s | CPU s | compared with | wall s | CPU s | wall difference s | "
         "CPU ratio |"),
        "|---|---|---|---|---|---|---|---|",
        *[format_row(row) for row in rows],
    ]
    write_result("cold_start", lines, quick)


if __name__ == "__main__":
    main()
