"""Run every ``benchmarks/bench_*.py`` in turn: one command refreshes ``benchmarks/results``.

    python benchmarks/run_all.py                    # every benchmark, default sizes
    python benchmarks/run_all.py --quick            # smoke run: each script's --quick
    python benchmarks/run_all.py --only fit,stratified

Each benchmark runs in its own process (fresh numba and BLAS state, as when run
alone) with its own command line; ``--quick`` is passed through, and a quick
run leaves the committed tables in place. The run goes on after a failing
benchmark and exits with status 1 if any failed. Rebuild the docs afterwards
(``sphinx-build -W -b html docs docs/_build/html``) to show the new tables.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks():
    """Name (``bench_<name>.py``) -> script path, sorted by name."""
    return {path.stem[len("bench_"):]: path for path in sorted(HERE.glob("bench_*.py"))}


def main(argv=None):
    available = benchmarks()
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"benchmarks: {', '.join(available)}",
    )
    parser.add_argument("--quick", action="store_true", help="pass --quick to every benchmark")
    parser.add_argument("--only", default=None, help="comma-separated benchmark names")
    args = parser.parse_args(argv)
    names = list(available) if args.only is None else [n.strip() for n in args.only.split(",")]
    unknown = sorted(set(names) - set(available))
    if unknown:
        parser.error(f"unknown benchmarks {unknown}; available: {list(available)}")
    # the scripts import skmultilabel: from this checkout unless it is installed
    path = os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    failed = []
    for name in names:
        command = [sys.executable, str(available[name])] + (["--quick"] if args.quick else [])
        print(f"=== {name}: {' '.join(command)}", flush=True)
        start = time.perf_counter()
        status = subprocess.run(command, cwd=HERE.parent, env=env).returncode
        print(f"=== {name}: exit {status} after {time.perf_counter() - start:.0f} s", flush=True)
        if status:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
