"""JSONL: one record per line, the shape ``--jsonl`` appends and ``--resume`` reads.

Invariant: every line is one complete ``Result``; an eval's metrics are not written
here (they would not be a record), the JSON format carries them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Result

if TYPE_CHECKING:
    from ..evals import Report


def case(result: Result) -> str:
    return result.model_dump_json() + "\n"


def run(results: list[Result], report: Report | None = None) -> str:
    return "".join(case(r) for r in results)
