"""JSON: the full record of a case; for an eval, metrics, thresholds and every record.

Invariant: the output parses with ``json.loads``; a case's record is ``Result`` as is.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..models import Result

if TYPE_CHECKING:
    from ..evals import Report


def case(result: Result) -> str:
    return result.model_dump_json(indent=2) + "\n"


def run(results: list[Result], report: Report | None = None) -> str:
    payload: dict[str, Any] = {}
    if report is not None:
        payload = {
            "metrics": report.metrics.model_dump(),
            "thresholds": None if report.thresholds is None else report.thresholds.model_dump(),
            "missed": report.missed,
            "failed_cases": report.failed_cases,
            "passed": report.passed,
        }
    payload["results"] = [r.model_dump(mode="json") for r in results]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
