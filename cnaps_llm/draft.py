"""The structured draft: its JSON schema for one case, parsing, and rendering to Markdown.

Invariant: the model never types a link. Source ids are an enum of the case's ids;
the renderer writes names and exact URLs from the input.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from .models import Case, Draft, Violation

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.S)


def schema_for(case: Case) -> dict[str, Any]:
    """A strict JSON schema (every property required, no extras), as OpenAI's strict mode wants."""
    ids = {"type": "string", "enum": [s.id for s in case.sources]}

    def obj(props: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}

    text = {"type": "string"}
    return obj(
        {
            "task": text,
            "workflow": obj(
                {
                    "input": text,
                    "steps": {"type": "array", "items": obj({"source": ids, "does": text})},
                    "output": text,
                }
            ),
            "references": {"type": "array", "items": obj({"source": ids, "reason": text})},
            "caveats": {"type": "array", "items": text},
        }
    )


def response_format(case: Case, mode: str) -> dict[str, Any] | None:
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": "draft", "strict": True, "schema": schema_for(case)}}
    if mode == "json_object":
        # llama.cpp and vLLM constrain decoding to `schema`; OpenAI ignores nothing here, so
        # this mode is only reached after json_schema was rejected
        return {"type": "json_object", "schema": schema_for(case)}
    return None


def _problem(text: str, message: str) -> Violation:
    return Violation(kind="structure", text=text[:80], line=1, message=message)


def parse_draft(raw: str, case: Case) -> tuple[Draft | None, list[Violation]]:
    """The draft in ``raw``, or the reasons it is not one (fed back to the model)."""
    body = raw.strip()
    fence = _FENCE.match(body)
    if fence:
        body = fence.group(1)
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        return None, [_problem(body, f"The reply is not valid JSON ({exc.msg} at position {exc.pos}); reply with one JSON object only.")]
    try:
        draft = Draft.model_validate(data)
    except ValidationError as exc:
        errs = [f"{'.'.join(str(p) for p in e['loc']) or 'reply'}: {e['msg']}" for e in exc.errors()[:5]]
        return None, [_problem(body, "The JSON does not match the draft schema (" + "; ".join(errs) + ").")]
    known = {s.id for s in case.sources}
    used = [st.source for st in draft.workflow.steps] + [r.source for r in draft.references]
    bad = sorted({u for u in used if u not in known})
    if bad:
        return None, [_problem(", ".join(bad), f"Unknown source id(s) {', '.join(bad)}; use only {', '.join(sorted(known))}.")]
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


def render(draft: Draft, case: Case) -> str:
    """Markdown in three parts; names and links come from the case, prose from the draft."""
    name = {s.id: s.name for s in case.sources}
    out = ["## 1. The task", "", draft.task.strip(), ""]
    out += ["## 2. How it works: input → model → output", "", f"**Input:** {draft.workflow.input.strip()}", "", "**Model:**"]
    for i, step in enumerate(draft.workflow.steps, start=1):
        out.append(f"{i}. **{name[step.source]}** ({step.source}): {step.does.strip()}")
    out += ["", f"**Output:** {draft.workflow.output.strip()}", ""]
    if draft.caveats:
        out += ["**Caveats:**"] + [f"- {c.strip()}" for c in draft.caveats if c.strip()] + [""]
    out += ["## 3. Papers and tools", ""]
    cited = list(dict.fromkeys(r.source for r in draft.references))
    reasons = {r.source: r.reason.strip() for r in draft.references}
    # every recommended model is listed, so the reader always gets its links
    for s in case.sources:
        if s.role == "recommended" and s.id not in cited:
            cited.insert(0, s.id)
    for sid in cited:
        links = _links(case, sid)
        line = f"- **{name[sid]}** ({sid})" + (f": {links}" if links else "")
        if reasons.get(sid):
            line += f". {reasons[sid]}"
        out.append(line)
    return "\n".join(out).rstrip() + "\n"
