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

Every step that changes what exists at the provider is recorded in the state file
(``batchstate``) before the next one, and the calls that create something look for
what a lost try made: a kill at any point, then a rerun, loses and sends nothing twice.
Engines (``ENGINES``) are the only part that speaks to a provider.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pydantic import Field

from . import batchstate as bs
from .backends import Completion, Request
from .batchlines import PartWriter, answer_body, index_answers, judge, keys_in, request_line
from .cache import CachingBackend, request_key
from .errors import CallFailed, ConfigError, InputError, ReplayMiss
from .models import Case, Result, _Strict

if TYPE_CHECKING:
    from .settings import Settings

IN_FLIGHT = 32  # cases checked at once in a pass: the CPU work is serial, but the recordings' fsyncs overlap
CASE_DEADLINE = 86_400.0  # a pass replays; the provider's 24 h window is the real deadline


class BatchInfo(_Strict):
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
RETRYABLE_BATCH_CODES = {"token_limit_exceeded", "rate_limit_exceeded"}  # a refused batch that may pass later


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
        from .redact import redact_obj

        self.state, self.writer, self.answers, self.sent = state, writer, answers, sent
        self.redact = redact_obj
        self.th = state.template_hash
        self.recordings = CachingBackend(None, mode="replay", folder=Path(state.cache_dir), template_hash=self.th)
        self.deferred: set[str | None] = set()  # ids of the cases this pass that wait for a batch

    async def complete(self, request: Request) -> Completion:
        key = request_key(request, self.th)
        if key in self.state.failed_keys:
            raise CallFailed(self.state.failed_keys[key])
        if self.recordings.path_for(request).is_file():
            done = await self.recordings.complete(request)
            return done.model_copy(update={"replayed": False}) if key in self.sent else done
        where = self.answers.get(key)
        if where is not None:
            from .backends.openai import completion_from

            completion = completion_from(answer_body(*where), 0.0, self.redact)  # an unreadable body fails the case, as online
            cache = CachingBackend(_Given(completion), mode="record", folder=Path(self.state.cache_dir), template_hash=self.th)
            # filed by the ordinary cache, in a worker thread: each recording's fsync then overlaps the others'
            await asyncio.to_thread(asyncio.run, cache.complete(request))
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
    with open(run_dir / "cases.jsonl", encoding="utf-8") as fh:
        for line in fh:
            yield Case.model_validate_json(line)


_DECODE = json.JSONDecoder()


def scan_results(path: Path, *, repair: bool = False) -> dict[str, tuple[int, str, str | None]]:
    """Case id -> (byte offset, status, error kind) of its last record; with ``repair``, a torn
    last line (a write cut by a kill) is cut off: that case simply runs again."""
    out: dict[str, tuple[int, str, str | None]] = {}
    if not path.is_file():
        return out
    offset = 0
    with open(path, "rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                if repair:
                    with open(path, "r+b") as w:
                        w.truncate(offset)
                break
            text = raw.decode("utf-8")
            try:  # Result's first fields, read without parsing the attempts
                cid, end = _DECODE.raw_decode(text, len('{"case_id":'))
                status, _ = _DECODE.raw_decode(text, end + len(',"status":'))
            except ValueError:
                obj = json.loads(text)
                cid, status = obj["case_id"], obj["status"]
            at = text.find('"error_kind":"')
            kind = _DECODE.raw_decode(text, at + len('"error_kind":'))[0] if at >= 0 else None
            out[cid] = (offset, status, kind)
            offset += len(raw)
    return out


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
    answers = index_answers([run_dir / f"{p.name}.output.jsonl" for p in last.parts]) if last else {}
    writer = PartWriter(run_dir, len(state.rounds) + 1, state.limits.max_requests, state.limits.max_bytes)
    backend = RoundBackend(state, writer, answers, sent)
    options, negotiator = _options(state.spec), ModeNegotiator.for_run(state.spec.mode)
    appender = Appender(results)
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
    writer.finish()
    state.counts = _counts(scan_results(results))
    return writer


def _round_keys(run_dir: Path, number: int) -> list[str]:
    path = run_dir / f"r{number}.keys"
    return path.read_text(encoding="ascii").split() if path.is_file() else []


# --------------------------------------------------------------------------- driving the provider


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Driver:
    """Moves a run forward with one engine; the state file is saved after every step."""

    def __init__(self, state_path: Path, state: bs.RunState, engine: Callable[[], BatchEngine], note: Callable[[str], None]) -> None:
        self.path, self.state, self._engine_factory, self.note = state_path, state, engine, note
        self.run_dir = bs.folder_of(state_path)
        self._engine: BatchEngine | None = None
        self.on_case: Callable[[int], None] | None = None

    @property
    def engine(self) -> BatchEngine:
        if self._engine is None:
            self._engine = self._engine_factory()
        return self._engine

    def save(self) -> None:
        bs.save(self.path, self.state)

    def step(self, *, poll: bool = True) -> bool:
        """Advance as far as possible without waiting; True once every case has ended."""
        st = self.state
        while True:
            rnd = st.rounds[-1] if st.rounds else None
            if rnd is not None and not rnd.collected:
                for part in rnd.parts:
                    self._drive(part, poll=poll)
                if not rnd.collected:
                    return False
            if st.done:
                return True
            writer = asyncio.run(validate_round(st, self.run_dir, self.on_case))
            if not st.rounds:  # the first pass: whatever ended, ended from the cache
                st.cached = sum(st.counts.get(s, 0) for s in ("grounded", "repaired", "failed"))
            if not writer.parts:
                st.done = True
                self.save()
                self.note(f"done: {_summary(st)}")
                return True
            st.rounds.append(bs.Round(
                number=writer.round_number, requests=sum(p.requests for p in writer.parts),
                parts=[bs.Part(name=p.name, requests=p.requests, bytes=p.bytes, sha256=p.sha256) for p in writer.parts],
            ))
            self.save()
            new = st.rounds[-1]
            self.note(f"round {new.number}: {new.requests} request(s) in {len(new.parts)} file(s); {_summary(st)}")

    def _drive(self, part: bs.Part, *, poll: bool) -> None:
        st = self.state
        if st.cancelled and part.phase == "creating" and part.file_id and part.intent_at:
            info = self.engine.find_batch(part.file_id, part.intent_at)  # a batch made by a lost call still runs
            if info is not None:
                part.batch_id, part.phase = info.id, "running"
                self._seen(part, self.engine.cancel(info.id))
                self.save()
        if st.cancelled and part.phase in ("written", "uploading", "uploaded", "creating"):
            part.phase, part.note = "collected", "not sent: the run was cancelled"
            self._take_in(part, None)
            self.save()
            return
        if part.phase in ("written", "uploading"):
            eng = self.engine
            local = self.run_dir / part.upload_name
            if _sha256(local) != part.sha256:
                raise InputError(f"{local} changed after it was written; restore it or submit a new run")
            found = eng.find_file(part.upload_name, part.intent_at) if part.phase == "uploading" and part.intent_at else None
            if found is None:
                part.phase, part.intent_at = "uploading", bs.now()
                self.save()
                found = eng.upload(local, part.upload_name, part.intent_at)
            part.file_id, part.phase = found, "uploaded"
            self.save()
        if part.phase in ("uploaded", "creating"):
            eng = self.engine
            assert part.file_id is not None
            info = eng.find_batch(part.file_id, part.intent_at) if part.phase == "creating" and part.intent_at else None
            if info is None:
                part.phase, part.intent_at = "creating", bs.now()
                self.save()
                info = eng.create(part.file_id, {"cnaps_run": st.run_id, "part": part.name}, part.intent_at)
            part.batch_id, part.phase = info.id, "running"
            self._seen(part, info)
            self.save()
            self.note(f"{part.name}: batch {info.id} created for {part.requests} request(s)")
            if st.cancelled:
                self._seen(part, self.engine.cancel(info.id))
        if part.phase == "running" and poll:
            assert part.batch_id is not None
            info = self.engine.retrieve(part.batch_id)
            self._seen(part, info)
            if info.status in bs.TERMINAL:
                for file_id, suffix in ((info.output_file_id, "output"), (info.error_file_id, "errors")):
                    dest = self.run_dir / f"{part.name}.{suffix}.jsonl"
                    if file_id and not dest.is_file():
                        self.engine.download(file_id, dest)
                self._take_in(part, info)
            self.save()

    def refresh(self) -> None:
        """Read the status of every running batch (nothing is downloaded or sent)."""
        for rnd in self.state.rounds:
            for part in rnd.parts:
                if part.phase == "running" and part.batch_id and part.status not in bs.TERMINAL:
                    self._seen(part, self.engine.retrieve(part.batch_id))
        self.save()

    def _seen(self, part: bs.Part, info: BatchInfo) -> None:
        part.status, part.completed, part.failed = info.status, info.completed, info.failed
        part.output_file_id, part.error_file_id = info.output_file_id, info.error_file_id
        if info.errors:
            part.note = "; ".join(info.errors)[:500]

    def _take_in(self, part: bs.Part, info: BatchInfo | None) -> None:
        """Sort each request of a finished batch: answered, failed for good, or to be sent again."""
        from .redact import redact

        st = self.state
        v = judge(self.run_dir / f"{part.name}.output.jsonl", self.run_dir / f"{part.name}.errors.jsonl", redact)
        refused = info is not None and info.status == "failed"
        refused_for_good = refused and not set(info.error_codes) <= RETRYABLE_BATCH_CODES  # type: ignore[union-attr]
        batch_why = f"batch {part.batch_id} ended {part.status}" + (f" ({part.note})" if part.note else "")
        for key in keys_in(self.run_dir / part.upload_name):
            if key in v.answered:
                st.resubmits.pop(key, None)
            elif key in v.final:
                st.failed_keys[key] = v.final[key]
            elif st.cancelled:
                st.failed_keys[key] = "not answered before the run was cancelled (cnaps-llm batch cancel)"
            elif refused_for_good:
                st.failed_keys[key] = redact(f"the Batch API refused the batch: {part.note or part.status}")
            else:
                n = st.resubmits.get(key, 0) + 1
                why = v.retry.get(key, batch_why)
                if n > st.max_resubmits:
                    st.failed_keys[key] = f"{why}; no answer after {n} batch(es)"
                    st.resubmits.pop(key, None)
                else:
                    st.resubmits[key] = n
        part.phase = "collected"
        self.note(f"{part.name}: batch {part.batch_id or '-'} {part.status or 'not sent'}: {len(v.answered)} answered, "
                  f"{len(v.final)} failed, {len(v.retry)} to send again")


def _summary(st: bs.RunState) -> str:
    c = st.counts
    ended = sum(c.get(s, 0) for s in ("grounded", "repaired", "failed"))
    return (f"{ended}/{st.cases} case(s) ended ({c.get('grounded', 0)} grounded, {c.get('repaired', 0)} repaired, "
            f"{c.get('failed', 0)} failed), {st.requests_sent} request(s) sent in {len(st.rounds)} round(s)")


# --------------------------------------------------------------------------- what the commands call


def new_run(cases: list[Case], settings: Settings, state_path: Path, *, limits: bs.Limits, max_resubmits: int) -> bs.RunState:
    """Create the state file and the run folder (nothing is sent yet)."""
    from .fsutil import atomic_write
    from .inputs import duplicate_ids
    from .prompts import load_templates

    if state_path.exists():
        raise InputError("already exists; continue that run with `cnaps-llm batch collect FILE`, or give --state a new file", path=str(state_path))
    run_dir = bs.folder_of(state_path)
    if run_dir.exists() and any(p.name != "lock" for p in run_dir.iterdir()):
        raise InputError(f"the run folder {run_dir} already holds files; give --state a new file")
    dupes = duplicate_ids([c.id for c in cases])
    if dupes:
        raise InputError(f"case id(s) {', '.join(dupes[:5])} occur more than once; give each case a unique id")
    if settings.provider not in ENGINES:
        raise ConfigError(f"provider {settings.provider!r} has no batch engine; batch runs use: {', '.join(sorted(ENGINES))}")
    templates = load_templates(settings.prompts_dir)
    mode = "json_schema" if settings.structured == "auto" else settings.structured  # the Batch API takes strict schemas
    state = bs.RunState(
        run_id=uuid.uuid4().hex[:16], created_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        engine=settings.provider, server=settings.server,
        spec=bs.Spec(model=settings.model, mode=mode, max_attempts=settings.max_attempts, on_fail=settings.on_fail,  # type: ignore[arg-type]
                     temperature=settings.temperature, max_input_tokens=settings.max_input_tokens,
                     max_output_tokens=settings.max_output_tokens),
        template_hash=templates.hash, prompts_dir=str(Path(settings.prompts_dir).resolve()),
        cache_dir=str(Path(settings.cache_dir).resolve()), limits=limits, max_resubmits=max_resubmits, cases=len(cases),
    )
    run_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(run_dir / "cases.jsonl", "".join(c.model_dump_json(exclude_none=True) + "\n" for c in cases))
    bs.save(state_path, state)
    return state


def check_server(state: bs.RunState, settings: Settings) -> None:
    if settings.server != state.server:
        raise ConfigError(f"this run's batches are at {state.server}, not {settings.server}; set OPENAI_BASE_URL (or --base-url) as when it was submitted")


def collect(driver: Driver, *, wait: bool, poll_interval: float, on_poll: Callable[[bs.RunState], None] | None = None) -> bool:
    """Step the run; with ``wait``, poll every ``poll_interval`` seconds until every case has ended."""
    while True:
        done = driver.step()
        if on_poll is not None:
            on_poll(driver.state)
        if done or not wait:
            return done
        time.sleep(poll_interval)


def cancel(driver: Driver) -> list[str]:
    """Cancel the run's running batches; collecting then takes in what they answered, and nothing more is sent."""
    st = driver.state
    st.cancelled = True
    driver.save()
    cancelled = []
    for rnd in st.rounds:
        for part in rnd.parts:
            if part.phase == "running" and part.batch_id and part.status not in bs.TERMINAL:
                driver._seen(part, driver.engine.cancel(part.batch_id))
                cancelled.append(part.batch_id)
                driver.save()
    return cancelled


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
                yield Result.model_validate_json(fh.readline())


def run_results(state_path: Path) -> tuple[list[Case], list[Result]]:
    """The cases and results of a finished run, for ``evals.evaluate`` (``eval --from-run``)."""
    state = bs.load(state_path)
    if not state.done:
        raise InputError("this batch run has not finished; run `cnaps-llm batch collect FILE --wait` first", path=str(state_path))
    return list(iter_run_cases(bs.folder_of(state_path))), list(run_records(state_path))
