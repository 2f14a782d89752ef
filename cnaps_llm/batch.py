"""Results appended to a JSONL file as each case finishes, and resuming from one.

Invariant: every line in the file is one complete JSON record. A line is written
with a single write and flushed before the next case is reported; a torn last
line (an interrupted write) is dropped on resume, so a rerun writes it again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

from .errors import InputError
from .fsutil import atomic_write
from .models import Result


def finished_ids(path: Path) -> set[str]:
    """Case ids already in ``path``; a torn last line is removed from the file."""
    if not path.exists():
        return set()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read results file ({exc}); move it away or pass another --jsonl", path=str(path)) from None
    lines = text.split("\n")
    done, good = set(), []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            done.add(str(json.loads(line)["case_id"]))
            good.append(line)
        except (ValueError, KeyError, TypeError):
            if n >= len(lines) - 1:  # the torn tail of an interrupted run
                continue
            raise InputError("is not a cnaps-llm results file (a line is not a record)", path=str(path), line=n) from None
    if len(good) != len([ln for ln in lines if ln.strip()]) or (text and not text.endswith("\n")):
        atomic_write(path, "".join(line + "\n" for line in good))
    return done


class Appender:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh: IO[str] = open(path, "a", encoding="utf-8")

    def __call__(self, result: Result) -> None:
        # one write, then flush: the line is in the OS before the next result is reported,
        # so it survives the process being killed (no fsync: it would stall the event loop)
        self.fh.write(result.model_dump_json() + "\n")
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()
