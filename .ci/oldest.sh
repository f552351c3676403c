#!/usr/bin/env bash
# CI step: the test suite against the oldest supported scikit-learn (the lower bound in
# pyproject.toml) and the oldest imbalanced-learn release that supports it.
# Usage: .ci/oldest.sh [extra pytest arguments]   (OLDEST_VENV=dir to reuse a venv)
set -euo pipefail
cd "$(dirname "$0")/.."
SKLEARN="scikit-learn==1.6.*"
IMBLEARN="imbalanced-learn==0.13.*"
VENV="${OLDEST_VENV:-$(mktemp -d)/venv-oldest}"
"${PYTHON:-python3}" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet ".[test]" "$SKLEARN" "$IMBLEARN"
"$VENV/bin/python" -c "import sklearn, imblearn; print('scikit-learn', sklearn.__version__, \
'imbalanced-learn', imblearn.__version__)"
# the Sphinx build (docs/test_build.py) is checked by the main CI step only
"$VENV/bin/python" -m pytest -q -p no:cacheprovider tests "$@"
