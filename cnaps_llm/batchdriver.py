"""Moving a batch run through a provider: upload, create, poll, download, sort, and the next round.

Invariants: every step that changes what exists at the provider is recorded in the
state file (``batchstate``) before the next one begins, and the calls that create
something look for what a lost try made, so a kill at any point followed by a rerun
loses and sends nothing twice. A round's requests are sorted once its batch has ended:
answered, failed for good (the request's own problem, a refused batch, a cancelled run)
or sent again in the next round (the provider's trouble), at most ``max_resubmits``
times. The checking itself is ``batchapi.validate_round``'s.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import batchstate as bs
from .batchapi import ENGINES, BatchEngine, BatchInfo, validate_round
from .batchlines import judge, keys_in
from .errors import ConfigError, InputError
from .models import Case

if TYPE_CHECKING:
    from .settings import Settings

RETRYABLE_BATCH_CODES = {"token_limit_exceeded", "rate_limit_exceeded"}  # a refused batch that may pass later


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
                self.note(f"done: {summary(st)}")
                return True
            st.rounds.append(bs.Round(
                number=writer.round_number, requests=sum(p.requests for p in writer.parts),
                parts=[bs.Part(name=p.name, requests=p.requests, bytes=p.bytes, sha256=p.sha256) for p in writer.parts],
            ))
            self.save()
            new = st.rounds[-1]
            self.note(f"round {new.number}: {new.requests} request(s) in {len(new.parts)} file(s); {summary(st)}")

    def _drive(self, part: bs.Part, *, poll: bool) -> None:
        st = self.state
        if st.cancelled and part.phase == "creating" and part.file_id and part.intent_at:
            info = self.engine.find_batch(part.file_id, part.intent_at)  # a batch made by a lost call still runs
            if info is not None:
                part.batch_id, part.phase = info.id, "running"
                self.seen(part, self.engine.cancel(info.id))
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
            self.seen(part, info)
            self.save()
            self.note(f"{part.name}: batch {info.id} created for {part.requests} request(s)")
            if st.cancelled:
                self.seen(part, self.engine.cancel(info.id))
        if part.phase == "running" and poll:
            assert part.batch_id is not None
            info = self.engine.retrieve(part.batch_id)
            self.seen(part, info)
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
                    self.seen(part, self.engine.retrieve(part.batch_id))
        self.save()

    def seen(self, part: bs.Part, info: BatchInfo) -> None:
        part.status, part.completed, part.failed = info.status, info.completed, info.failed
        part.output_file_id, part.error_file_id = info.output_file_id, info.error_file_id
        if info.errors:
            part.note = "; ".join(info.errors)[:500]

    def _take_in(self, part: bs.Part, info: BatchInfo | None) -> None:
        """Sort each request of a finished batch: answered, failed for good, or to be sent again."""
        from .redact import redact

        st = self.state
        v = judge(self.run_dir / f"{part.name}.output.jsonl", self.run_dir / f"{part.name}.errors.jsonl", redact, part.requests)
        for note in v.notes:
            self.note(note)
        refused = info is not None and info.status == "failed"
        refused_for_good = refused and not set(info.error_codes) <= RETRYABLE_BATCH_CODES  # type: ignore[union-attr]
        batch_why = f"batch {part.batch_id} ended {part.status}" + (f" ({part.note})" if part.note else "")
        failed = again = 0
        for key in keys_in(self.run_dir / part.upload_name):
            if key in v.answered:
                st.resubmits.pop(key, None)
                continue
            if key in v.final:
                st.failed_keys[key] = v.final[key]
            elif st.cancelled:
                st.failed_keys[key] = "not answered before the run was cancelled (cnaps-llm batch cancel)"
            elif refused_for_good:
                st.failed_keys[key] = redact(f"the Batch API refused the batch: {part.note or part.status}")
            else:
                n = st.resubmits.get(key, 0) + 1
                if n <= st.max_resubmits:
                    st.resubmits[key] = n
                    again += 1
                    continue
                st.failed_keys[key] = f"{v.retry.get(key, batch_why)}; no answer after {n} batch(es)"
                st.resubmits.pop(key, None)
            failed += 1
        part.phase = "collected"
        self.note(f"{part.name}: batch {part.batch_id or '-'} {part.status or 'not sent'}: {len(v.answered)} answered, "
                  f"{failed} failed for good, {again} to send again")


def summary(st: bs.RunState) -> str:
    c = st.counts
    ended = sum(c.get(s, 0) for s in ("grounded", "repaired", "failed"))
    return (f"{ended}/{st.cases} case(s) ended ({c.get('grounded', 0)} grounded, {c.get('repaired', 0)} repaired, "
            f"{c.get('failed', 0)} failed), {st.requests_sent} request(s) in {len(st.rounds)} round(s)")


# --------------------------------------------------------------------------- what the commands call


def new_run(cases: list[Case], settings: Settings, state_path: Path, *, limits: bs.Limits, max_resubmits: int,
            inputs: tuple[str, ...] | list[str] = ()) -> bs.RunState:
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
        inputs=list(inputs),
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
                driver.seen(part, driver.engine.cancel(part.batch_id))
                cancelled.append(part.batch_id)
                driver.save()
    return cancelled
