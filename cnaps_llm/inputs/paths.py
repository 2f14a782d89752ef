"""Command-line paths  ->  the input files they name.

Invariant: a folder becomes the prompt files directly inside it, sorted by name (not
recursing, not following anything but the listing); any other path, ``-`` included,
passes through untouched for the reader to accept or report.
"""

from __future__ import annotations

from pathlib import Path

SUFFIXES = {".txt", ".md", ".json", ".jsonl"}


def expand_paths(paths: list[str]) -> list[str]:
    """Folders expand to the prompt files inside them (sorted); other paths pass through."""
    out: list[str] = []
    for p in paths:
        pp = Path(p)
        if p != "-" and pp.is_dir():
            out.extend(sorted(str(f) for f in pp.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out
