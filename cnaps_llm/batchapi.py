"""Generation through a provider's Batch API, in rounds: every case's next request goes into one batch.

Invariants: a round is the ordinary pipeline (``pipeline.run_case``) over every unfinished
case with a backend that replays recordings and *defers* any other request: a deferred
request is written to the round's request files (its ``custom_id`` is its cache key,
``cache.request_key``) and ends that case's pass. When the round's batches are back,
each answer is filed as a recording by the ordinary cache as the next pass asks for it,
so the next pass replays it, checks it exactly as ``generate`` does, and defers the
reasks. Cases already answered in the cache are never sent. A case ends once, in its
record appended to ``results.jsonl``; a collected run replays offline through
``generate --cache replay`` with the same cache folder.

This module is the pipeline's side of a run and the engine interface; ``batchdriver``
moves a run through a provider (``ENGINES``: the only part that speaks to one), and
``batchstate`` holds what it has done.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pydantic import Field

from . import batchstate as bs
from .backends import Completion, Request
from .batchlines import PartWriter, answer_body, index_answers, request_line
from .cache import CachingBackend
from .errors import CallFailed, ConfigError, InputError, ReplayMiss
from .models import Case, Result, StrictModel

if TYPE_CHECKING:
    from .settings import Settings

IN_FLIGHT = 32  # cases checked at once in a pass: the CPU work is serial, but the recordings' fsyncs overlap
CASE_DEADLINE = 86_400.0  # a pass replays; the provider's 24 h window is the real deadline


class BatchInfo(StrictModel):
    """What an engine says of one batch."""

    id: str
    status: str
    input_file_id: str
    created_at: int
    total: int = 0
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: list[str] = Field(default_factory=list)
    error_codes: list[str] = Field(default_factory=list)


class BatchEngine(Protocol):
    """A provider's batch service. ``since`` is when our own call began: ``find_*`` look no
    further back, and a create call that fails uncertainly looks before trying again."""

    def find_file(self, name: str, since: int) -> str | None: ...
    def upload(self, path: Path, name: str, since: int) -> str: ...
    def download(self, file_id: str, dest: Path) -> None: ...
    def find_batch(self, file_id: str, since: int) -> BatchInfo | None: ...
    def create(self, file_id: str, metadata: dict[str, str], since: int) -> BatchInfo: ...
    def retrieve(self, batch_id: str) -> BatchInfo: ...
    def cancel(self, batch_id: str) -> BatchInfo: ...


# provider -> "module:factory(settings)"; imported only when a run sends or collects
ENGINES: dict[str, str] = {"openai": "cnaps_llm.backends.openai_batch:OpenAIBatchEngine"}


def engine_for(provider: str, settings: Settings) -> BatchEngine:
    target = ENGINES.get(provider)
    if target is None:
        raise ConfigError(f"provider {provider!r} has no batch engine; batch runs use: {', '.join(sorted(ENGINES))}")
    module, _, attr = target.partition(":")
    return getattr(import_module(module), attr)(settings)  # type: ignore[no-any-return]


class Deferred(ReplayMiss):
    """The request goes into the round's batch: the pipeline ends the case's pass as for a missing recording."""


class _Given:
    """A backend that answers with one completion: how a batch answer enters the ordinary cache."""

    def __init__(self, completion: Completion) -> None:
        self.completion = completion

    async def complete(self, request: Request) -> Completion:
        return self.completion


class RoundBackend:
    """Replays recordings, records the last round's answers, and defers everything else."""

    def __init__(self, state: bs.RunState, writer: PartWriter, answers: dict[str, tuple[Path, int]], sent: set[str]) -> None:
        from . import redact

        self.state, self.writer, self.answers, self.sent = state, writer, answers, sent
        self.redactor = redact.current()
        self.th = state.template_hash
        self.recordings = CachingBackend(None, mode="replay", folder=Path(state.cache_dir), template_hash=self.th)
        self.deferred: set[str | None] = set()  # ids of the cases this pass that wait for a batch
        self.pool: Executor | None = None  # where recordings are written (None: the loop's default)

    async def complete(self, request: Request) -> Completion:
        recorded = self.recordings.path_for(request)
        key = recorded.stem  # the request's cache key (cache.request_key), hashed once here
        if key in self.state.failed_keys:
            raise CallFailed(self.state.failed_keys[key])
        if recorded.is_file():
            done = await self.recordings.complete(request)
            return done.model_copy(update={"replayed": False}) if key in self.sent else done
        where = self.answers.get(key)
        if where is not None:
            from .backends.openai import completion_from

            completion = completion_from(answer_body(*where), 0.0, self.redactor)  # an unreadable body fails the case, as online
            cache = CachingBackend(_Given(completion), mode="record", folder=Path(self.state.cache_dir), template_hash=self.th, must_record=True)
            # filed by the ordinary cache, in a worker thread: each recording's fsync then overlaps the others'
            await asyncio.get_running_loop().run_in_executor(self.pool, asyncio.run, cache.complete(request))
            return completion
        if self.state.cancelled:
            raise CallFailed("not sent: the batch run was cancelled (cnaps-llm batch cancel)")
        from .backends.openai import wire

        line = request_line(key, wire(request))
        if len(line) > self.state.limits.max_bytes:
            raise CallFailed(f"the request is {len(line)} bytes, over the batch file limit of {self.state.limits.max_bytes}; raise --max-bytes-per-file")
        self.writer.add(key, line)
        self.deferred.add(request.case_id)
        raise Deferred(f"case {request.case_id}: request {key} goes into batch round {self.writer.round_number}")


# --------------------------------------------------------------------------- the run folder's files


def iter_run_cases(run_dir: Path) -> Iterator[Case]:
    path = run_dir / "cases.jsonl"
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:  # removed, or replaced by a folder
        raise InputError(f"cannot read the run's cases ({exc.strerror}); restore the file, or submit the run again", path=str(path)) from None
    with fh:
        for number, line in enumerate(_lines_of(fh, path), 1):
            try:
                case = Case.model_validate_json(line)
            except ValueError:  # pydantic's ValidationError: a line edited by hand
                raise InputError("is not a case this tool wrote; restore the file, or submit the run again", path=str(path), line=number) from None
            yield case


def _lines_of(fh, path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    try:
        yield from fh
    except UnicodeDecodeError:
        raise InputError("is not UTF-8; restore the file, or submit the run again", path=str(path)) from None


_DECODE = json.JSONDecoder()


def scan_results(path: Path, *, repair: bool = False) -> dict[str, tuple[int, str, str | None]]:
    """Case id -> (byte offset, status, error kind) of its last record; with ``repair``, a torn
    last line (a write cut by a kill) is cut off: that case simply runs again."""
    out: dict[str, tuple[int, str, str | None]] = {}
    if not path.is_file():
        return out
    offset = 0
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.endswith(b"\n"):
                if repair:
                    with open(path, "r+b") as w:
                        w.truncate(offset)
                break
            try:
                text = raw.decode("utf-8")
                try:  # Result's first fields, read without parsing the attempts
                    cid, end = _DECODE.raw_decode(text, len('{"case_id":'))
                    status, _ = _DECODE.raw_decode(text, end + len(',"status":'))
                except ValueError:
                    obj = json.loads(text)
                    cid, status = obj["case_id"], obj["status"]
                at = text.find('"error_kind":"')
                kind = _DECODE.raw_decode(text, at + len('"error_kind":'))[0] if at >= 0 else None
                if not isinstance(cid, str) or not isinstance(status, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError, IndexError, RecursionError):  # edited or replaced by hand
                raise _not_ours(path, number) from None
            out[cid] = (offset, status, kind)
            offset += len(raw)
    return out


def _not_ours(path: Path, line: int | None = None) -> InputError:
    what = "is not a result record this tool wrote" if line is not None else "holds a record this tool did not write"
    return InputError(f"{what}; restore the file, or submit the run again", path=str(path), line=line)


def _counts(finished: dict[str, tuple[int, str, str | None]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, status, kind in finished.values():
        counts[status] = counts.get(status, 0) + 1
        if kind is not None:
            counts[f"error:{kind}"] = counts.get(f"error:{kind}", 0) + 1
    return dict(sorted(counts.items()))


def batch_priced(result: Result) -> Result:
    """The record with its cost at the Batch API's price (hand-written replies stay at none)."""
    from .pricing import estimate_cost

    if result.cost_usd is None:
        return result
    return result.model_copy(update={"cost_usd": estimate_cost(result.model, result.usage, batch=True)})


# --------------------------------------------------------------------------- one pass of the pipeline


def _options(spec: bs.Spec):  # type: ignore[no-untyped-def]
    from .pipeline import RunOptions

    return RunOptions(
        model=spec.model, max_attempts=spec.max_attempts, on_fail=spec.on_fail, case_timeout=CASE_DEADLINE,
        temperature=spec.temperature, max_input_tokens=spec.max_input_tokens, max_output_tokens=spec.max_output_tokens,
    )


async def validate_round(state: bs.RunState, run_dir: Path, on_case: Callable[[int], None] | None = None) -> PartWriter:
    """Run every unfinished case as far as the recordings go; append those that end to
    ``results.jsonl``; write the requests they wait for into the next round's files."""
    from .batch import Appender
    from .negotiate import ModeNegotiator
    from .pipeline import run_case
    from .prompts import load_templates

    templates = load_templates(Path(state.prompts_dir))
    if templates.hash != state.template_hash:
        raise ConfigError(
            f"the prompt templates in {state.prompts_dir} changed since this run was submitted "
            f"({state.template_hash}, now {templates.hash}); restore them, or submit a new run"
        )
    results = run_dir / "results.jsonl"
    finished = scan_results(results, repair=True)
    sent = {k for r in state.rounds for k in _round_keys(run_dir, r.number)}
    last = state.rounds[-1] if state.rounds else None
    answers = index_answers([(run_dir / f"{p.name}.output.jsonl", p.requests) for p in last.parts]) if last else {}
    writer = PartWriter(run_dir, len(state.rounds) + 1, state.limits.max_requests, state.limits.max_bytes)
    backend = RoundBackend(state, writer, answers, sent)
    options, negotiator = _options(state.spec), ModeNegotiator.for_run(state.spec.mode)
    appender = Appender(results)
    backend.pool = ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="cnaps-record")
    gate = asyncio.Semaphore(IN_FLIGHT)
    seen = 0

    async def one(case: Case) -> None:
        nonlocal seen
        try:
            if case.id not in finished:
                result = await run_case(case, backend, options, templates, negotiator)
                if case.id not in backend.deferred:
                    appender(batch_priced(result))  # one write of a whole line: a kill leaves at most a torn last one
        finally:
            gate.release()
            seen += 1
            if on_case is not None:
                on_case(seen)

    tasks: set[asyncio.Task[None]] = set()
    try:
        for case in iter_run_cases(run_dir):
            await gate.acquire()  # cases are read as slots free up: memory stays flat however many there are
            task = asyncio.create_task(one(case))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        while tasks:
            await asyncio.gather(*tasks)
    except BaseException:
        for t in tasks:
            t.cancel()
        writer.abandon()
        raise
    finally:
        appender.close()
        backend.pool.shutdown()
    writer.finish()
    state.counts = _counts(scan_results(results))
    return writer


def _round_keys(run_dir: Path, number: int) -> list[str]:
    path = run_dir / f"r{number}.keys"
    return path.read_text(encoding="ascii").split() if path.is_file() else []


def run_records(state_path: Path) -> Iterator[Result]:
    """Each case's record, in the order the cases were submitted (only cases that ended)."""
    run_dir = bs.folder_of(state_path)
    path = run_dir / "results.jsonl"
    finished = scan_results(path)
    if not finished:
        return
    with open(path, "rb") as fh:
        for case in iter_run_cases(run_dir):
            at = finished.get(case.id)
            if at is not None:
                fh.seek(at[0])
                try:
                    result = Result.model_validate_json(fh.readline())
                except ValueError:  # pydantic's ValidationError: a line edited by hand
                    raise _not_ours(path) from None
                yield result


def run_results(state_path: Path) -> tuple[list[Case], list[Result]]:
    """The cases and results of a finished run, for ``evals.evaluate`` (``eval --from-run``)."""
    state = bs.load(state_path)
    if not state.done:
        raise InputError("this batch run has not finished; run `cnaps-llm batch collect FILE --wait` first", path=str(state_path))
    return list(iter_run_cases(bs.folder_of(state_path))), list(run_records(state_path))
