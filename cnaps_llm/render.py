"""Results -> what the user reads: Markdown answers, failure reports, JSON records."""

from __future__ import annotations

from .models import Result


def result_markdown(result: Result) -> str:
    """The answer when there is one; otherwise a report that is plainly not an answer."""
    if result.answer is not None:
        return result.answer
    if result.error is not None:
        lines = [f"# FAILED: {result.case_id}", "", f"The model server failed: {result.error}", ""]
    else:
        lines = [
            f"# NOT GROUNDED: {result.case_id}",
            "",
            f"No grounded answer after {len(result.attempts)} attempt(s); the last draft is withheld. Its violations:",
            "",
        ]
    lines += [f"- line {v.line} [{v.kind}] {v.text!r}: {v.message}" for v in result.violations]
    errors = [f"attempt {a.number}: {a.error}" for a in result.attempts if a.error]
    if errors and result.error is None:
        lines += ["", "Errors:"] + [f"- {e}" for e in errors]
    return "\n".join(lines) + "\n"


def result_json(result: Result) -> str:
    return result.model_dump_json(indent=2)


def summary_line(result: Result) -> str:
    cost = "—" if result.cost_usd is None else f"${result.cost_usd:.4f}"
    if result.error is not None:
        return f"{result.case_id}: failed: {result.error}"
    return (
        f"{result.case_id}: {result.status} after {len(result.attempts)} attempt(s), "
        f"{result.usage.prompt_tokens}+{result.usage.completion_tokens} tokens, {result.latency_s:.2f} s, cost {cost}"
    )
