"""Shared output step of the benchmarks: print the Markdown table and write it to results/."""

from pathlib import Path


def write_report(text, name, quick):
    """Print ``text``; write it to ``results/<name>.md`` (a ``.tmp`` file for ``--quick`` runs)."""
    print(text)
    out = Path(__file__).parent / "results" / (f"{name}_quick.md.tmp" if quick else f"{name}.md")
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    print(f"written {out}")
