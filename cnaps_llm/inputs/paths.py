"""Command-line paths  ->  the input files they name.

Invariant: a folder becomes the prompt files directly inside it, sorted by name (not
recursing, not following anything but the listing); a folder holding none (or that
cannot be listed) and any other path, ``-`` included, pass through untouched for the
reader to accept or report, so naming an empty folder is an error, not an empty run.
"""

from __future__ import annotations

from pathlib import Path

SUFFIXES = {".txt", ".md", ".json", ".jsonl"}


def expand_paths(paths: list[str]) -> list[str]:
    """Folders expand to the prompt files inside them (sorted); other paths pass through."""
    out: list[str] = []
    for p in paths:
        pp = Path(p)
        inside: list[str] = []
        try:
            if p != "-" and pp.is_dir():
                inside = sorted(str(f) for f in pp.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES)
        except OSError:  # a name too long, a folder that cannot be listed: reading the path reports it
            inside = []
        out.extend(inside or [p])
    return out
