"""Writing a benchmark's Markdown table to ``benchmarks/results``."""

from pathlib import Path


def write_result(name, lines, quick):
    """Print ``lines``; write them to ``results/<name>.md`` unless this is a ``--quick`` run."""
    print("\n".join(lines))
    if quick:
        return  # a smoke run does not overwrite the committed table
    out = Path(__file__).resolve().parent / "results" / f"{name}.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}")
