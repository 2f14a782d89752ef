"""Results  ->  text, in every output format: the table of formats.

Invariant: every format is a module with two pure functions, ``case(result) -> str``
(one case: what ``generate`` writes per case) and ``run(results, report=None) -> str``
(a whole run; with an eval ``Report``, its metrics and thresholds too). Adding a format
is adding a module and a row to ``FORMATS``; nothing here does I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..models import Result
from . import html, json, jsonl, junit, markdown

if TYPE_CHECKING:
    from ..evals import Report

__all__ = ["FORMATS", "Format", "get_format", "summary_line"]


@dataclass(frozen=True)
class Format:
    name: str  # what --format takes
    suffix: str  # the file suffix of one case's output
    description: str
    case: Callable[[Result], str]
    run: Callable[[list[Result], Report | None], str]


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("md", "md", "the answer, or a report headed NOT GROUNDED; for an eval, the metrics table", markdown.case, markdown.run),
        Format("json", "json", "the full record of each case; for an eval, metrics, thresholds and records", json.case, json.run),
        Format("jsonl", "jsonl", "one record per line, as --jsonl and --resume read them", jsonl.case, jsonl.run),
        Format("junit", "xml", "JUnit XML: one test case per case, plus one for the thresholds of an eval", junit.case, junit.run),
        Format("html", "html", "one self-contained page: metrics, a chart, the cases, every draft with its violations marked", html.case, html.run),
    )
}


def get_format(name: str) -> Format:
    """The format called ``name``, or a ``ConfigError`` listing them."""
    try:
        return FORMATS[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(FORMATS), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ConfigError(f"--format {name!r} is not one of {', '.join(FORMATS)}{hint}") from None


def summary_line(result: Result) -> str:
    """One line on how a case ended, for stderr."""
    if result.error is not None:
        return f"{result.case_id}: failed: {result.error}"
    cost = "—" if result.cost_usd is None else f"${result.cost_usd:.4f}"  # unknown price, or hand-written replies
    return (
        f"{result.case_id}: {result.status} after {len(result.attempts)} attempt(s), "
        f"{result.usage.prompt_tokens}+{result.usage.completion_tokens} tokens, {result.latency_s:.2f} s, cost {cost}"
    )
