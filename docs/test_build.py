"""The documentation builds with warnings as errors and shows every API page, example and table.

``sphinx-build -W -b html`` into a temporary directory (sphinx-gallery executes
every ``examples/plot_*.py`` during the build). Not part of the test suite: the
docs step of ``.ci/run`` runs it, ``python -m pytest -q -p no:cacheprovider
docs/test_build.py``. The docs packages are in the ``test`` extra: a missing one
fails these tests.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
DOCS_PACKAGES = ["sphinx", "numpydoc", "sphinx_gallery", "pydata_sphinx_theme", "myst_parser"]


@pytest.fixture(scope="module")
def built_docs(tmp_path_factory):
    for package in DOCS_PACKAGES:
        try:
            __import__(package)
        except ImportError:
            pytest.fail(f"{package} is required to build the docs: pip install -e '.[test]'")
    out = tmp_path_factory.mktemp("docs")
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html",
         "-d", str(out / "doctrees"), str(DOCS), str(out / "html")],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, (
        f"sphinx-build failed:\n{result.stdout[-5000:]}\n{result.stderr[-10000:]}"
    )
    return out / "html"


def test_api_reference_documents_every_public_object(built_docs):
    import skmultilabel
    from skmultilabel import datasets, losses, metrics, model_selection, resampling

    names = [n for n in skmultilabel.__all__ if n != "__version__"]
    names += [n for n in losses.__all__ if n != "LOSSES"]
    for module in (datasets, metrics, model_selection, resampling):
        names += module.__all__
    missing = [n for n in names if not list((built_docs / "generated").glob(f"*.{n}.html"))]
    assert not missing, f"no API page for {missing}"


def test_benchmark_page_includes_every_results_table(built_docs):
    page = (built_docs / "benchmarks.html").read_text()
    for table in sorted((ROOT / "benchmarks" / "results").glob("*.md")):
        # the table's title (its first line) must appear on the page
        title = table.read_text().splitlines()[0].lstrip("# ")
        title = re.sub(r"`([^`]*)`", r"\1", title)
        assert table.name in page and title.split("(")[0].strip() in page, table.name


def test_every_example_is_rendered_with_its_figure(built_docs):
    examples = sorted((ROOT / "examples").glob("plot_*.py"))
    assert examples
    for example in examples:
        assert (built_docs / "auto_examples" / f"{example.stem}.html").exists(), example.name
        figures = list((built_docs / "_images").glob(f"sphx_glr_{example.stem}_*.png"))
        assert figures, f"{example.name} produced no figure"


