"""The code blocks of the user guide and of the index page run.

The documentation build itself (Sphinx with warnings as errors, the gallery,
the API reference and the benchmark tables) is checked by ``docs/test_build.py``,
its own step in ``.ci/run``.
"""

import textwrap
import warnings
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _code_blocks(path):
    """The ``.. code-block:: python`` bodies of an reST file, dedented."""
    blocks, lines = [], path.read_text().splitlines()
    for i, line in enumerate(lines):
        if line.strip() != ".. code-block:: python":
            continue
        body = []
        for next_line in lines[i + 1:]:
            if next_line.strip() and not next_line.startswith("   "):
                break
            body.append(next_line)
        blocks.append(textwrap.dedent("\n".join(body)).strip("\n"))
    return blocks


@pytest.mark.parametrize(
    "page", [DOCS / "index.rst", *sorted((DOCS / "user_guide").glob("*.rst"))], ids=lambda p: p.stem
)
def test_guide_code_runs(page, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    blocks = _code_blocks(page)
    namespace = {"__name__": "__docs__"}  # the blocks of a page run in turn, as a reader runs them
    for block in blocks:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence warnings of the short fits
            exec(compile(block, f"{page.name} code block", "exec"), namespace)
