"""Checking answers from files: one prompt file and one answer, or a JSONL of pairs.

Invariant: every bad line of a pairs file is yielded as an ``InputError`` in its place
and the others are still checked, so a caller can report both in input order.
``kinds``/``warn``/``links`` go to ``grounding.check`` only when set.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import InputError
from .grounding import check, is_grounded
from .inputs import case_from_object, load_case, normalise, read_text
from .inputs.json_files import iter_jsonl
from .models import CheckReport, Violation, StrictModel


class PairReport(StrictModel):
    """The verdict on one line of a pairs file; ``id`` is the line's id, else ``line N``."""

    id: str
    grounded: bool
    violations: list[Violation]


def _options(kinds: Sequence[str] | None, warn: Sequence[str], links: str = "any") -> dict[str, Any]:
    # only what is set, so the default call is the plain check(answer, case)
    out: dict[str, Any] = {}
    if kinds is not None:
        out["kinds"] = list(kinds)
    if warn:
        out["warn"] = tuple(warn)
    if links != "any":
        out["links"] = links
    return out


def check_answer(prompt_path: str | Path, answer_path: str | Path, *, kinds: Sequence[str] | None = None,
                 warn: Sequence[str] = (), links: str = "any") -> CheckReport:
    """Check the answer in ``answer_path`` (``-`` is stdin) against the prompt file ``prompt_path``.
    ``links="fields"``: a link found only in a summary's prose is reported (see ``grounding.check``)."""
    case = load_case(prompt_path)
    violations = check(read_text(answer_path, what="answer"), case, **_options(kinds, warn, links))
    return CheckReport(grounded=is_grounded(violations), violations=violations)


def check_pairs(path: str | Path, *, kinds: Sequence[str] | None = None,
                warn: Sequence[str] = (), links: str = "any") -> Iterator[PairReport | InputError]:
    """Check each line ``{"prompt": <prompt text or structured case>, "answer": <text>, "id": optional}`` of a JSONL file.

    Yields, in file order, a ``PairReport`` per good line and an ``InputError`` per bad one.
    """
    where = str(path)
    options = _options(kinds, warn, links)
    seen = False
    for n, obj in iter_jsonl(path):  # streamed; a line nested too deeply is that line's error
        seen = True
        if isinstance(obj, InputError):
            yield obj
            continue
        try:
            if not isinstance(obj, dict) or not isinstance(obj.get("answer"), str):
                raise InputError("each line needs a string `answer`", path=where, line=n)
            if isinstance(obj.get("id"), (bool, list, dict, float)):  # str() would turn it into an id nobody wrote
                raise InputError(f"`id` must be a string, not {type(obj['id']).__name__}", path=where, line=n)
            prompt = obj.get("prompt")
            case_obj = {"prompt": prompt} if isinstance(prompt, str) else prompt
            case = case_from_object(case_obj, default_id=str(obj.get("id") or f"line-{n}"), path=where, line=n)
        except InputError as exc:
            yield exc
            continue
        violations = check(normalise(obj["answer"]), case, **options)
        yield PairReport(id=str(obj.get("id") or f"line {n}"), grounded=is_grounded(violations), violations=violations)
    if not seen:  # checking nothing must not read as every answer grounded
        yield InputError("holds no {prompt, answer} pairs (no line holds a JSON object); put one per line", path=where)


def report_text(label: str, violations: list[Violation], *, color: bool = False) -> str:
    """The human-readable verdict on one answer: a line, then one line per violation
    (ANSI-coloured when ``color``: red errors, yellow warnings)."""
    red, yellow, green, off = ("\x1b[31m", "\x1b[33m", "\x1b[32m", "\x1b[0m") if color else ("", "", "", "")
    errors = [v for v in violations if v.severity == "error"]
    if not errors:
        head = f"{label}: {green}grounded{off}" + (f", {len(violations)} warning(s)" if violations else "")
    else:
        head = f"{label}: {red}NOT grounded{off}, {len(errors)} violation(s)" + (
            f" and {len(violations) - len(errors)} warning(s)" if len(violations) > len(errors) else ""
        )
    lines = [head]
    for v in violations:
        mark = red if v.severity == "error" else yellow
        lines.append(f"  line {v.line:>3}  {mark}{v.kind:<9}{off} {v.text!r}: {v.message}")
    return "\n".join(lines) + "\n"
