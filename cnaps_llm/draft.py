"""The structured draft: its JSON schema for one case, parsing, and rendering to Markdown.

Invariant: the model never types a link. Source ids are an enum of the case's ids;
the renderer writes names and exact URLs from the input. Every statement about a source
(a step, a model set aside, a reference) is rendered with its evidence, in the notation
``answer_format`` defines, so that the checks can read it back.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from .answer_format import CAVEATS, INPUT, MODEL, NOT_USED, OUTPUT, Notes
from .models import QUOTE_HELP, Case, Draft, Violation

def schema_for(case: Case) -> dict[str, Any]:
    """A strict JSON schema (every property required, no extras), as OpenAI's strict mode wants."""
    ids = {"type": "string", "enum": [s.id for s in case.sources]}

    def obj(props: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}

    text = {"type": "string"}
    # the field docs ride in the schema (sent once per request, and enforced in strict mode),
    # so the system message, shared by every case and mode, stays short
    quote = {"type": "string", "description": QUOTE_HELP}
    # quote after the prose it supports: a model writes the claim, then finds its words
    return obj(
        {
            "task": text,
            "workflow": obj(
                {
                    "input": text,
                    "steps": {"type": "array", "items": obj({"source": ids, "does": text, "quote": quote})},
                    "output": text,
                }
            ),
            "not_used": {
                "type": "array",
                "description": "Recommended models that do not fit the user's task, each with why (what it is for instead).",
                "items": obj({"source": ids, "reason": text, "quote": quote}),
            },
            "references": {"type": "array", "items": obj({"source": ids, "reason": text, "quote": quote})},
            "caveats": {"type": "array", "items": text},
        }
    )


_FENCED = re.compile(r"```(?:json|JSON)?[ \t]*\n(.*?)\n[ \t]*```", re.S)


def format_problem(problem: str, message: str, text: str = "") -> Violation:
    """A reply that is not a draft: ``problem`` ("syntax" or "schema") picks the reask template."""
    return Violation(kind="format", text=problem, line=1, message=message + (f" It began: {text[:60]!r}." if text else ""))


def extract_json(raw: str) -> tuple[Any, Violation | None]:
    """The JSON object in a reply, read leniently, as small models write it: raw control
    characters inside strings, a fenced ```json block, a line of chatter before or after."""
    body = raw.strip()
    fenced = _FENCED.search(body)
    candidates = [fenced.group(1)] if fenced else []
    candidates.append(body)
    first, last = body.find("{"), body.rfind("}")
    if 0 <= first < last:
        candidates.append(body[first : last + 1])
    error: json.JSONDecodeError | None = None
    for text in candidates:
        try:
            return json.loads(text, strict=False), None
        except json.JSONDecodeError as exc:
            error = error or exc
        except RecursionError:
            return None, format_problem("syntax", "The reply is JSON nested far too deeply; reply with the flat object described.")
    assert error is not None
    return None, format_problem(
        "syntax", f"The reply is not valid JSON ({error.msg} at line {error.lineno} column {error.colno}).", body
    )


def parse_draft(raw: str, case: Case) -> tuple[Draft | None, list[Violation]]:
    """The draft in ``raw``, or the reasons it is not one (fed back to the model)."""
    data, problem = extract_json(raw)
    if problem is not None:
        return None, [problem]
    if not isinstance(data, dict):
        return None, [format_problem("schema", f"The reply is a JSON {type(data).__name__}, not an object with the fields task, workflow, not_used, references, caveats.")]
    try:
        draft = Draft.model_validate(data)
    except ValidationError as exc:
        errs = [f"{'.'.join(str(p) for p in e['loc']) or 'reply'}: {e['msg']}" for e in exc.errors()[:6]]
        return None, [format_problem("schema", "The JSON does not match the draft's fields (" + "; ".join(errs) + ").")]
    known = {s.id for s in case.sources}
    used = [st.source for st in draft.workflow.steps] + [n.source for n in draft.not_used] + [r.source for r in draft.references]
    bad = sorted({u for u in used if u not in known})
    if bad:
        return None, [format_problem("schema", f"Unknown source id(s) {', '.join(bad)}; use only {', '.join(sorted(known))}.")]
    return draft, []


def _links(case: Case, sid: str) -> str:
    s = case.source(sid)
    assert s is not None
    parts = []
    if s.paper_url:
        parts.append(f"paper {s.paper_url}")
    if s.github_url:
        parts.append(f"code {s.github_url}")
    parts.extend(f"{k} {v}" for k, v in s.links.items())
    return " · ".join(parts)


def _one_line(text: str) -> str:
    # a statement is one line of the answer: the checks read it back line by line
    return " ".join(text.split())


def render(draft: Draft, case: Case, evidence: str = "footnotes") -> str:
    """Markdown in three parts; names and links come from the case, prose and quotes from
    the draft. ``evidence`` is footnotes (the form checked), inline, or none."""
    name = {s.id: s.name for s in case.sources}
    notes = Notes(evidence)
    out = ["## 1. The task", "", draft.task.strip(), ""]
    out += ["## 2. How it works: input → model → output", "", f"{INPUT} {_one_line(draft.workflow.input)}".rstrip(), ""]
    if draft.workflow.steps:
        out.append(MODEL)
        for i, step in enumerate(draft.workflow.steps, start=1):
            does = _one_line(step.does)
            n = name[step.source]
            out.append(f"{i}. **{n}**" + (f": {does}{notes.mark(n, step.quote)}" if does else ""))
        out.append("")
    if draft.not_used:
        out.append(NOT_USED)
        for item in draft.not_used:
            reason = _one_line(item.reason)
            n = name[item.source]
            out.append(f"- **{n}**" + (f": {reason}{notes.mark(n, item.quote)}" if reason else ""))
        out.append("")
    out += [f"{OUTPUT} {_one_line(draft.workflow.output)}".rstrip(), ""]
    caveats = [_one_line(c) for c in draft.caveats if c.strip()]
    if caveats:  # never an empty heading
        out += [CAVEATS] + [f"- {c}" for c in caveats] + [""]
    out += ["## 3. Papers and tools", ""]
    first: dict[str, tuple[str, str]] = {}
    for r in draft.references:  # a source cited twice keeps its first reason
        first.setdefault(r.source, (_one_line(r.reason), r.quote))
    cited = list(first)
    # every recommended model is listed, so the reader always gets its links
    for s in reversed(case.sources):
        if s.role == "recommended" and s.id not in first:
            cited.insert(0, s.id)
    for sid in cited:
        links = _links(case, sid)
        line = f"- **{name[sid]}**" + (f": {links}" if links else "")
        reason, quote = first.get(sid, ("", ""))
        if reason:
            line += (". " if links else ": ") + reason + notes.mark(name[sid], quote)
        out.append(line)
    out += notes.footer()
    return "\n".join(out).rstrip() + "\n"
