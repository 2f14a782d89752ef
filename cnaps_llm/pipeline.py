"""Build -> complete -> parse -> check -> reask, up to N attempts.

Invariant: a final answer never contains a violation. When attempts run out the
result is ``failed`` (or ``repaired`` with ``on_fail="repair"`` when dropping the
offending sentences leaves a grounded answer) and carries every attempt.
Knows nothing of the CLI; transport errors arrive as exceptions, never as drafts.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from .backends import Backend, Request
from .draft import parse_draft, render, response_format
from .errors import CallFailed, UnsupportedFormat
from .grounding import check, grounding_for
from .inputs import normalise
from .models import Attempt, Case, Result, Usage, Violation
from .prompts import Templates, build_messages, reask_message
from .settings import Settings

FALLBACK = {"json_schema": "json_object", "json_object": "text"}


@dataclass
class ModeState:
    """The structured mode in force; shared by every case of a run, so a fallback is remembered."""

    mode: str
    auto: bool
    fallbacks: list[str] = field(default_factory=list)

    @classmethod
    def from_settings(cls, settings: Settings) -> ModeState:
        auto = settings.structured == "auto"
        return cls(mode="json_schema" if auto else settings.structured, auto=auto)

    def downgrade(self, reason: str) -> bool:
        nxt = FALLBACK.get(self.mode) if self.auto else None
        if nxt is None:
            return False
        self.fallbacks.append(f"{self.mode} -> {nxt}: {reason}")
        self.mode = nxt
        return True


@cache
def prices() -> dict[str, Any]:
    return json.loads(files("cnaps_llm").joinpath("data", "prices.json").read_text(encoding="utf-8"))


def estimate_cost(model: str, usage: Usage) -> float | None:
    table = prices()["models"]
    # a dated snapshot ("gpt-4o-mini-2024-07-18") costs what its longest listed prefix costs
    prefixes = [k for k in table if model == k or model.startswith(k + "-")]
    entry = table[max(prefixes, key=len)] if prefixes else None
    if entry is None:
        return None
    return round(usage.prompt_tokens * entry["input_per_mtok"] / 1e6 + usage.completion_tokens * entry["output_per_mtok"] / 1e6, 6)


_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n|$)")


def repair(answer: str, violations: list[Violation]) -> str:
    """Drop each sentence that holds an offending text; keep every other byte."""
    texts = [v.text for v in violations if v.kind != "structure"]
    out = []
    for line in answer.split("\n"):
        kept = [s for s in _SENTENCE.findall(line) if not any(t in s for t in texts)]
        new = "".join(kept).strip()
        if line.strip() and not new:
            continue  # the whole line was offending
        indent = line[: len(line) - len(line.lstrip())]
        out.append(indent + new if new else line)
    return "\n".join(out)


def _messages_for_attempt(base: list[dict[str, Any]], history: list[tuple[str, str]]) -> list[dict[str, Any]]:
    msgs = list(base)
    for assistant, user in history:
        msgs.append({"role": "assistant", "content": assistant})
        msgs.append({"role": "user", "content": user})
    return msgs


async def run_case(case: Case, backend: Backend, settings: Settings, templates: Templates, state: ModeState) -> Result:
    attempts: list[Attempt] = []
    history: list[tuple[str, str]] = []
    started = time.perf_counter()
    trimmed: list[str] = []
    server_error: str | None = None
    answer: str | None = None
    last_violations: list[Violation] = []

    number = 0
    while number < settings.max_attempts:
        mode = state.mode
        built = build_messages(templates, case, mode, model=settings.model, max_tokens=settings.max_input_tokens)
        trimmed = built.trimmed
        messages = _messages_for_attempt(built.messages, history)
        request = Request(
            case_id=case.id,
            model=settings.model,
            messages=messages,
            response_format=response_format(case, mode),
            temperature=settings.temperature,
            max_tokens=settings.max_output_tokens,
        )
        try:
            completion = await backend.complete(request)
        except UnsupportedFormat as exc:
            if state.downgrade(str(exc)):
                continue  # not the model's fault: same attempt, next mode
            raise
        except CallFailed as exc:
            # transport retries are spent: record the failed call and stop this case, never reask
            number += 1
            attempts.append(Attempt(number=number, mode=mode, messages=messages, raw=None, error=str(exc)))
            server_error = str(exc)
            break
        number += 1
        attempt = Attempt(
            number=number,
            mode=mode,
            messages=messages,
            raw=completion.text,
            usage=completion.usage,
            latency_s=completion.latency_s,
            finish_reason=completion.finish_reason,
            replayed=completion.replayed,
        )
        violations: list[Violation]
        text: str | None = None
        if completion.refusal:
            attempt.error = f"refused: {completion.refusal}"
            violations = [Violation(kind="structure", text="refusal", line=1, message="The reply was a refusal; answer from the sources, which are safe to discuss.")]
        elif completion.finish_reason == "length":
            attempt.error = "truncated: finish_reason=length"
            violations = [Violation(kind="structure", text="length", line=1, message="The reply was cut off at the token limit; write a shorter answer.")]
        elif mode == "text":
            text = normalise(completion.text)
            violations = check(text, case, grounding_for(case))
        else:
            draft, violations = parse_draft(completion.text, case)
            if draft is not None:
                attempt.draft = draft.model_dump()
                text = render(draft, case)
                violations = check(text, case, grounding_for(case))
        attempt.answer = text
        attempt.violations = violations
        attempts.append(attempt)
        if text is not None and not violations:
            answer, last_violations = text, []
            break
        last_violations = violations
        history.append((completion.text, reask_message(templates, case, violations)))

    usage = Usage(
        prompt_tokens=sum(a.usage.prompt_tokens for a in attempts),
        completion_tokens=sum(a.usage.completion_tokens for a in attempts),
    )
    status = "grounded" if answer is not None else "failed"
    if answer is None and settings.on_fail == "repair" and server_error is None:
        last = next((a for a in reversed(attempts) if a.answer), None)
        if last is not None and last.answer is not None:
            fixed = repair(last.answer, last.violations)
            remaining = check(fixed, case, grounding_for(case))
            if not remaining:
                answer, status, last_violations = fixed, "repaired", []
            else:
                last_violations = remaining
    return Result(
        case_id=case.id,
        status=status,  # type: ignore[arg-type]
        model=settings.model,
        answer=answer,
        violations=last_violations,
        attempts=attempts,
        usage=usage,
        latency_s=round(time.perf_counter() - started, 4),
        cost_usd=estimate_cost(settings.model, usage),
        template_hash=templates.hash,
        trimmed=trimmed,
        error=server_error,
    )
