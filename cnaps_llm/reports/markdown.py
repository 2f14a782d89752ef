"""Markdown: a case's answer (or a report that is plainly not one); an eval's metrics table.

Invariant: a failed case never shows its ungrounded draft, only what was wrong with it.
Threshold rows, their labels and limits come from ``thresholds.THRESHOLDS``. No text from
outside (a server's model name or error, a model's answer, a case id) reaches the page with
a control character or a bidi control in it (``visible``): each is written as a visible
escape, so a terminal or a viewer shows the text as it is, not coloured, cleared or reversed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Result
from ..thresholds import THRESHOLDS

if TYPE_CHECKING:
    from ..evals import Report


# C0 controls but tab and line feed, DEL, C1 controls (ESC starts a terminal's escapes, BEL rings
# it), and the marks that reorder text on screen: bidi embeddings, overrides and isolates
# (U+202E shows "gpt-4o\u202eevil" as "gpt-4olive"), the Arabic letter mark, LRM and RLM
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    n = ord(m.group())
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def visible(text: str) -> str:
    """``text`` with every control character and bidi control written as a visible escape
    (``\\x1b``, ``\\u202e``); a carriage return ends a line as a line feed does (``\\r\\n`` is one
    line break); tabs and line feeds are kept."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _HIDDEN.sub(_escape, text) if _HIDDEN.search(text) else text


def case(result: Result) -> str:
    """The answer when there is one; otherwise a report that is plainly not an answer."""
    if result.answer is not None:  # published as it is: no ids, no comment (generate --annotate adds one)
        return visible(result.answer)
    if result.error is not None:
        what = {
            "no_recording": "There is no recorded response to replay",
            "deadline": "The case ran out of time",
            "budget": "The case was stopped",
            "input": "The case's prompt could not be sent",
        }.get(result.error_kind or "", "The model server failed")
        lines = [f"# FAILED: {visible(result.case_id)}", "", f"{what}: {visible(result.error)}", ""]
    else:
        lines = [
            f"# NOT GROUNDED: {visible(result.case_id)}",
            "",
            f"No grounded answer after {len(result.attempts)} attempt(s); the last draft is withheld. Its violations:",
            "",
        ]
    lines += [f"- line {v.line} [{v.kind}] {v.text!r}: {visible(v.message)}" for v in result.violations]
    errors = [f"attempt {a.number}: {visible(a.error)}" for a in result.attempts if a.error]
    if errors and result.error is None:
        lines += ["", "Errors:"] + [f"- {e}" for e in errors]
    return "\n".join(lines) + "\n"


def run(results: list[Result], report: Report | None = None) -> str:
    """Each case in turn; with an eval report, the metrics and per-case tables instead."""
    if report is None:
        return "".join(case(r) for r in results)
    return _eval(report, results)


def _cell(text: str) -> str:
    # a case id or message must not end its table cell or row, nor hide or reorder its text,
    # nor be read as markup where the report is rendered ($GITHUB_STEP_SUMMARY): an id like
    # `[x](https://…)` or `<img src=…>` is shown as written, not as a link or an image
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    return visible(_MARKUP.sub(r"\\\g<0>", text))


_MARKUP = re.compile(r"[<>\[\]`*]")


def _eval(report: Report, results: list[Result]) -> str:
    m = report.metrics
    limits = report.thresholds.limits() if report.thresholds is not None else {}
    rows: list[tuple[str, str, str]] = [("cases", str(m.cases), "")]
    for metric in dict.fromkeys(t.metric for t in THRESHOLDS):  # a metric may have a min and a max
        declared = [t for t in THRESHOLDS if t.metric == metric]
        value = getattr(m, metric)
        bound = ", ".join(t.bound(limits[t.name]) for t in declared if t.name in limits)
        rows.append((declared[0].label, "n/a" if value is None else declared[0].show(value), bound))
    rows += [
        ("violations in drafts", ", ".join(f"{k} {v}" for k, v in m.draft_violations.items()) or "none", ""),
        ("violations in final answers", ", ".join(f"{k} {v}" for k, v in m.final_violations.items()) or "none", ""),
        ("quality failures by check", ", ".join(f"{k} {v}" for k, v in m.quality_failures.items()) or "none", ""),
        ("tokens (prompt + completion)", f"{m.prompt_tokens} + {m.completion_tokens}", ""),
        ("estimated cost", "n/a" if m.cost_usd is None else f"${m.cost_usd:.4f}", ""),
        ("latency p50 / p95", f"{m.latency_p50_s:.2f} s / {m.latency_p95_s:.2f} s", ""),
    ]
    out = ["## cnaps-llm eval", "", "| metric | value | threshold |", "|---|---|---|"]
    out += [f"| {k} | {v} | {b} |" for k, v, b in rows]
    out += ["", "| case | status | attempts | violations in drafts |", "|---|---|---|---|"]
    for r in results:
        n = sum(len(a.violations) for a in r.attempts)
        out.append(f"| {_cell(r.case_id)} | {r.status} | {len(r.attempts)} | {n} |")
    out += ["", _verdict(report)]
    return "\n".join(out) + "\n"


def _verdict(report: Report) -> str:
    gate = report.gated_by
    if gate == "nothing":
        return "**Thresholds: not applied**"
    if gate == "thresholds":
        return "**Thresholds: FAILED** — " + "; ".join(report.missed) if report.missed else "**Thresholds: passed**"
    if not report.failed_cases:
        return "**Thresholds: none configured** — every case passed"
    ids = ", ".join(_cell(i) for i in report.failed_cases)
    return f"**Thresholds: none configured** — {len(report.failed_cases)} case(s) failed: {ids}"
