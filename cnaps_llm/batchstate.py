"""The state of a Batch API run: one JSON file, and a folder of the run's own files beside it.

Invariants: the state file is the run's only memory and is replaced atomically after
every step that changes what exists at the provider (a file uploaded, a batch created,
a batch's results taken in), and written *before* each call that would create
something there (``uploading``, ``creating``), so a rerun after a kill at any point
knows to look for what that call may have made instead of making it twice. One
process at a time works on a run (an advisory lock on the run folder, released by the
system when the process dies). Nothing here talks to a provider.

The run folder (``RUN.json`` -> ``RUN.batch/``) holds ``cases.jsonl`` (the cases, as
submitted), ``results.jsonl`` (one record per finished case, append-only),
``r<N>-p<K>.jsonl`` (the request files as uploaded), ``r<N>-p<K>.output.jsonl`` /
``.errors.jsonl`` (as downloaded) and ``r<N>.keys`` (the request keys of round N).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from .errors import CnapsError, InputError
from .fsutil import atomic_write
from .models import StrictModel

STATE_VERSION = 1
TERMINAL = ("completed", "failed", "expired", "cancelled")  # a batch in one of these changes no more

Phase = Literal["written", "uploading", "uploaded", "creating", "running", "collected"]


class Limits(StrictModel):
    """How large one batch input file may be (OpenAI: 50,000 requests and 200 MB)."""

    max_requests: int = Field(default=50_000, ge=1)
    max_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)


class Spec(StrictModel):
    """What every round of the run is built with: the same as ``generate`` would use."""

    model: str
    mode: Literal["json_schema", "json_object", "text"]
    max_attempts: int
    on_fail: str
    temperature: float
    max_input_tokens: int
    max_output_tokens: int


class Part(StrictModel):
    """One request file of a round, and the batch that runs it."""

    name: str = Field(pattern=r"^r[0-9]+-p[0-9]+$")
    requests: int
    bytes: int
    sha256: str
    phase: Phase = "written"
    intent_at: int | None = Field(default=None, description="Unix time of the last upload/create call begun.")
    file_id: str | None = None
    batch_id: str | None = None
    status: str | None = Field(default=None, description="The batch's status as last seen.")
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    note: str | None = Field(default=None, description="Why the provider failed or refused the batch, if it did.")

    @property
    def upload_name(self) -> str:
        return f"{self.name}.jsonl"


class Round(StrictModel):
    number: int
    requests: int
    parts: list[Part]

    @property
    def collected(self) -> bool:
        return all(p.phase == "collected" for p in self.parts)


class RunState(StrictModel):
    version: int = STATE_VERSION
    run_id: str
    created_at: str
    engine: str
    server: str = Field(description="Where the batches live, safe to print; collect refuses another server.")
    spec: Spec
    template_hash: str
    prompts_dir: str
    cache_dir: str
    limits: Limits
    max_resubmits: int = Field(ge=0, description="How often a request the provider did not answer is sent again.")
    cases: int
    inputs: list[str] = Field(default_factory=list, description="The dataset files the cases were read from (absolute): collect -o never writes over them.")
    cached: int = Field(default=0, description="Requests answered from the cache before anything was sent.")
    rounds: list[Round] = Field(default_factory=list)
    failed_keys: dict[str, str] = Field(default_factory=dict, description="Request key -> why no answer will come.")
    resubmits: dict[str, int] = Field(default_factory=dict, description="Request key -> times sent without an answer.")
    counts: dict[str, int] = Field(default_factory=dict, description="Finished cases by status.")
    cancelled: bool = False
    done: bool = False

    @property
    def requests_sent(self) -> int:
        return sum(r.requests for r in self.rounds)


def now() -> int:
    return int(dt.datetime.now(dt.timezone.utc).timestamp())


def folder_of(state_path: Path) -> Path:
    """The run's folder: ``RUN.json`` -> ``RUN.batch``."""
    if state_path.suffix == ".batch":
        raise InputError("a state file cannot end in .batch (that is its folder's name); give RUN.json", path=str(state_path))
    return state_path.with_suffix(".batch")


MAX_STATE_BYTES = 256 * 1024 * 1024  # a state grows with failed requests' keys: far beyond any real run


def load(state_path: Path) -> RunState:
    from .inputs.text import read_bounded

    try:  # bounded, and not waiting on a pipe: `collect /dev/zero` must not fill the memory
        data = read_bounded(state_path, limit=MAX_STATE_BYTES)
    except FileNotFoundError:
        raise InputError("no such batch run; start one with `cnaps-llm batch submit DATASET --state FILE`", path=str(state_path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the batch run ({exc.strerror})", path=str(state_path)) from None
    if len(data) > MAX_STATE_BYTES:
        raise InputError("is larger than any batch run state file; give the RUN.json that `batch submit` wrote", path=str(state_path))
    try:
        state = RunState.model_validate_json(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(map(str, err["loc"])) or "the file"
        raise InputError(f"is not a batch run state file of this version ({where}: {err['msg']})", path=str(state_path)) from None
    return state


def save(state_path: Path, state: RunState) -> None:
    atomic_write(state_path, json.dumps(state.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n")


class RunBusy(CnapsError):
    """Another process is working on the same run."""


@contextmanager
def locked(state_path: Path, *, existing: bool = False) -> Iterator[None]:
    """Hold the run for this process: two collectors on one run would send requests twice.
    ``existing``: the run must exist already (no run folder is made for a mistyped name)."""
    import fcntl

    if existing and not os.path.exists(state_path):
        raise InputError("no such batch run; start one with `cnaps-llm batch submit DATASET --state FILE`", path=str(state_path))
    run_dir = folder_of(state_path)
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(run_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:  # a file named like the run folder, a folder that cannot be made
        raise InputError(f"cannot make the run's folder {run_dir} ({exc.strerror}); give --state another path", path=str(state_path)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunBusy(f"{state_path}: another cnaps-llm process is working on this run; wait for it to finish") from None
        yield
    finally:
        os.close(fd)
