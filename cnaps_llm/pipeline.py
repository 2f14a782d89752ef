"""Build -> complete -> parse -> check -> reask, up to N attempts, within a deadline.

Invariant: a final answer never contains a violation. When attempts run out the
result is ``failed`` (or ``repaired`` with ``on_fail="repair"`` when dropping the
offending sentences leaves an answer that passes every check, ``quality`` included, so
a repair never hollows an answer out) and carries every attempt and what repair
dropped. Knows nothing of the CLI; transport errors arrive as exceptions, never as
drafts; a failure that belongs to one case (server, deadline, missing recording,
budget) ends that case only.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .answer_format import restyle
from .backends import Backend, Request
from .draft import parse_draft, render, schema_for
from .errors import CallFailed, PromptTooLong, ReplayMiss, UnsupportedFormat
from .grounding import check, grounding_for
from .inputs import normalise
from .inputs.text import strip_controls  # a model's escapes (\x1b[2J clears a terminal) never reach an answer
from .models import Attempt, Case, ErrorKind, Message, Result, Usage, Violation
from .negotiate import ModeNegotiator
from .pricing import Budget, estimate_cost
from .prompts import Templates, build_messages, reask_message
from .settings import Settings

MAX_TEMPERATURE = 1.0  # the bound for raising the temperature after identical drafts


@dataclass(frozen=True)
class Event:
    """What a case is doing, for progress displays: ``phase`` is "request", "checked" or
    "failed" (a server failure, the deadline or a missing recording ended the case: ``error``)."""

    case_id: str
    attempt: int
    mode: str
    phase: str
    started: float  # time.monotonic() when the case's clock started: its first request (see _CaseRun.clock)
    violations: int = 0
    error: str = ""


@dataclass(frozen=True)
class RunOptions:
    """Everything ``run_case`` needs beyond the case and the backend."""

    model: str = "gpt-4o-mini"
    max_attempts: int = 3
    on_fail: str = "report"
    case_timeout: float = 300.0
    temperature: float = 0.0
    max_input_tokens: int = 6000
    max_output_tokens: int = 1200
    kinds: frozenset[str] | None = None  # grounding kinds to check (None: all)
    warn: frozenset[str] = frozenset()  # kinds reported without failing the answer
    on_event: Callable[[Event], None] | None = field(default=None, compare=False)

    @classmethod
    def from_settings(cls, settings: Settings, **over: object) -> RunOptions:
        base = {
            "model": settings.model,
            "max_attempts": settings.max_attempts,
            "on_fail": settings.on_fail,
            "case_timeout": settings.case_timeout,
            "temperature": settings.temperature,
            "max_input_tokens": settings.max_input_tokens,
            "max_output_tokens": settings.max_output_tokens,
        }
        return cls(**{**base, **over})  # type: ignore[arg-type]


_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n|$)")
_MARKERS_ONLY = re.compile(r"\s*(?:\[\^\d+\]|\[\"[^\n]*?\"\]|\[no quote given\])+\s*")


def repair_dropping(answer: str, violations: list[Violation]) -> tuple[str, list[str]]:
    """Drop each sentence that holds an offending text, with the evidence markers that
    follow it; keep every other byte. Returns the text left and the sentences dropped.

    What is left is not trusted: the caller checks it again with every kind, quality
    included, so a repair that leaves an empty step or heading ends ``failed``."""
    texts = [v.text for v in violations if v.kind not in ("structure", "quality", "format")]
    out: list[str] = []
    dropped: list[str] = []
    for line in answer.split("\n"):
        kept: list[str] = []
        dropping = False
        for s in _SENTENCE.findall(line):
            if dropping and _MARKERS_ONLY.fullmatch(s):
                continue  # the evidence of a dropped sentence goes with it
            dropping = any(t in s for t in texts)
            if dropping:
                dropped.append(s.strip())
            else:
                kept.append(s)
        new = "".join(kept).strip()
        if line.strip() and not new:
            continue  # the whole line was offending
        indent = line[: len(line) - len(line.lstrip())]
        out.append(indent + new if new else line)
    return "\n".join(out), [d for d in dropped if d]


def repair(answer: str, violations: list[Violation]) -> str:
    """``repair_dropping`` without the list of what was dropped."""
    return repair_dropping(answer, violations)[0]


def with_evidence(result: Result, style: str) -> Result:
    """``result`` with its answer's evidence written in ``style`` (footnotes, inline, none).

    Only the answer changes: the attempts keep each draft with its quotes and the answer
    as it was checked (footnotes), so a record always holds the evidence."""
    if result.answer is None or style == "footnotes":
        return result
    return result.model_copy(update={"answer": restyle(result.answer, style)})


def _history(base: list[Message], turns: list[tuple[str, str]]) -> list[Message]:
    msgs = list(base)
    for assistant, user in turns:
        msgs += [Message(role="assistant", content=assistant), Message(role="user", content=user)]
    return msgs


class _CaseRun:
    """The state of one case while it runs: attempts so far, and how it ended."""

    def __init__(self, case: Case, options: RunOptions) -> None:
        self.case, self.options = case, options
        self.attempts: list[Attempt] = []
        self.turns: list[tuple[str, str]] = []
        self.answer: str | None = None
        self.last: list[Violation] = []
        self.error: str | None = None
        self.error_kind: ErrorKind | None = None
        self.stopped: str | None = None
        self.dropped: list[str] = []
        self.trimmed: list[str] = []
        self.model_used: str | None = None
        self.temperature = options.temperature
        self.started = time.monotonic()
        # when its first request went out: --case-timeout counts from there, not from the wait
        # for a free slot, so progress lines give the case's own time against its deadline
        self.clock: float | None = None

    def event(self, number: int, mode: str, phase: str, violations: int = 0, error: str = "") -> None:
        if self.options.on_event is not None:
            self.options.on_event(Event(self.case.id, number, mode, phase, self.clock or self.started, violations, error))

    def fail(self, number: int, mode: str, messages: list[Message], kind: ErrorKind, message: str) -> None:
        self.attempts.append(Attempt(number=number, mode=mode, messages=messages, temperature=self.temperature, raw=None, error=message))
        self.error, self.error_kind = message, kind
        self.event(number, mode, "failed", error=message)  # said as it happens, not only in the end

    def check(self, text: str) -> list[Violation]:
        o = self.options
        return check(text, self.case, grounding_for(self.case), kinds=o.kinds, warn=o.warn)


def _blocking(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity == "error"]


async def run_case(
    case: Case,
    backend: Backend,
    options: RunOptions,
    templates: Templates,
    negotiator: ModeNegotiator,
    budget: Budget | None = None,
) -> Result:
    run = _CaseRun(case, options)
    loop = asyncio.get_running_loop()
    deadline: float | None = None  # starts with the first request: waiting for a slot is not the case's time
    number = 0
    while number < options.max_attempts:
        if budget is not None and budget.exhausted():
            when = "its first attempt" if number == 0 else f"attempt {number + 1}"
            run.fail(number + 1, negotiator.mode, [], "budget", f"the run's cost budget of ${budget.limit:g} was reached before {when}")
            break
        messages: list[Message] = []
        try:
            async with negotiator.slot() as mode:
                if deadline is None:
                    deadline, run.clock = loop.time() + options.case_timeout, time.monotonic()
                async with asyncio.timeout_at(deadline):
                    built = build_messages(templates, case, mode, model=options.model, max_tokens=options.max_input_tokens)
                    run.trimmed = built.trimmed
                    messages = _history(built.messages, run.turns)
                    request = Request(
                        case_id=case.id, model=options.model, messages=messages, mode=mode,
                        schema=schema_for(case) if mode != "text" else None,
                        temperature=run.temperature, max_tokens=options.max_output_tokens,
                    )
                    run.event(number + 1, mode, "request")
                    completion = await backend.complete(request)
        except UnsupportedFormat as exc:
            if negotiator.reject(exc.mode):
                continue  # not the model's fault: the same attempt again, in the next mode
            raise
        except TimeoutError:
            run.fail(number + 1, mode, messages, "deadline", f"the case ran out of its {options.case_timeout:g} s (--case-timeout) and was stopped")
            break
        except CallFailed as exc:  # transport retries are spent: record it, never reask
            run.fail(number + 1, mode, messages, "server", str(exc))
            break
        except ReplayMiss as exc:
            run.fail(number + 1, mode, messages, "no_recording", str(exc))
            break
        except PromptTooLong as exc:  # nothing was sent for it; the other cases still run
            run.fail(number + 1, mode, messages, "input", str(exc))
            break
        number += 1
        run.model_used = completion.model or run.model_used
        if budget is not None:
            budget.add(None if completion.replayed else estimate_cost(completion.model or options.model, completion.usage))
        attempt = Attempt(
            number=number, mode=mode, messages=messages, temperature=run.temperature, raw=completion.text,
            usage=completion.usage, latency_s=completion.latency_s, finish_reason=completion.finish_reason,
            replayed=completion.replayed, synthetic=completion.synthetic,
        )
        text, violations = _judge(run, completion, mode, attempt)
        attempt.answer, attempt.violations = text, violations
        run.attempts.append(attempt)
        run.event(number, mode, "checked", len(_blocking(violations)))
        if text is not None and not _blocking(violations):
            run.answer, run.last = text, violations
            break
        run.last = violations
        if len(run.attempts) >= 2 and run.attempts[-2].raw == completion.text:
            # the reask changed nothing: at temperature 0 it never will
            if run.temperature >= MAX_TEMPERATURE:
                run.stopped = f"the model returned the same draft again at temperature {run.temperature:g}; stopped early"
                break
            run.temperature = min(MAX_TEMPERATURE, max(0.5, run.temperature + 0.3))
        run.turns.append((completion.text, reask_message(templates, case, violations)))
    return _result(run, options, templates, negotiator)


def _judge(run: _CaseRun, completion, mode: str, attempt: Attempt) -> tuple[str | None, list[Violation]]:  # type: ignore[no-untyped-def]
    """The answer text in a completion and what the checks say of it."""
    if completion.refusal:
        attempt.error = f"refused: {completion.refusal}"
        return None, [Violation(kind="format", text="refusal", line=1, message="The reply was a refusal; answer from the sources, which are safe to discuss.")]
    if completion.finish_reason == "length":
        attempt.error = "truncated: finish_reason=length"
        return None, [Violation(kind="format", text="length", line=1, message="The reply was cut off at the token limit; write a shorter answer.")]
    if mode == "text":
        text = strip_controls(normalise(completion.text))
        return text, run.check(text)
    draft, problems = parse_draft(completion.text, run.case)
    if draft is None:
        return None, problems
    attempt.draft = draft.model_dump()
    text = strip_controls(render(draft, run.case))  # the draft's strings may carry them as JSON escapes
    return text, run.check(text)


def _result(run: _CaseRun, options: RunOptions, templates: Templates, negotiator: ModeNegotiator) -> Result:
    usage = Usage(
        prompt_tokens=sum(a.usage.prompt_tokens for a in run.attempts),
        completion_tokens=sum(a.usage.completion_tokens for a in run.attempts),
    )
    status = "grounded" if run.answer is not None else "failed"
    if run.answer is None and options.on_fail == "repair" and run.error is None:
        last = next((a for a in reversed(run.attempts) if a.answer), None)
        if last is not None and last.answer is not None:
            fixed, run.dropped = repair_dropping(last.answer, last.violations)
            remaining = run.check(fixed)  # every kind, quality included: a hollow answer is not repaired
            if not _blocking(remaining):
                run.answer, status, run.last = fixed, "repaired", remaining
            else:
                run.last = remaining
    model = run.model_used or options.model
    synthetic = any(a.synthetic for a in run.attempts)
    return Result(
        case_id=run.case.id,
        status=status,  # type: ignore[arg-type]
        model=model,
        answer=run.answer,
        violations=run.last,
        attempts=run.attempts,
        usage=usage,
        latency_s=round(time.monotonic() - run.started, 4),
        cost_usd=None if synthetic else estimate_cost(model, usage),  # hand-written replies cost nothing real
        template_hash=templates.hash,
        trimmed=run.trimmed,
        error=run.error,
        error_kind=run.error_kind,
        stopped=run.stopped,
        dropped=run.dropped,
    )
