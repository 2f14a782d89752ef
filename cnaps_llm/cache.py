"""Record/replay: a ``Backend`` that wraps another and files every call as JSON.

Invariants: a recording is keyed by a canonical hash of the request (model, messages,
structured mode and schema, sampling parameters) and the template hash; it holds no
API key, password or header (``redact``); it is written atomically, one
human-readable file per call, under ``<cache_dir>/<safe case id>/<key>.json``. Reads
look in the user's cache first, then in the bundled recordings, which are never
written; a replayed response is redacted as a live one is (a recording edited by hand
may hold a key). ``wrap`` is the one place that turns ``--cache auto|replay|record|off`` into
a backend.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .backends import Backend, Completion, Request
from .errors import InputError, ReplayMiss
from .fsutil import atomic_write, make_folder, safe_name, terminal_line
from .redact import redact_obj

if TYPE_CHECKING:
    from .settings import Settings

FORMAT_VERSION = 2
# far above any recording we write (a prompt within its token budget and a reply within the
# backend's cap, each escaped once more in JSON): a larger file was edited or grown by hand,
# and reading it whole would take its size several times over in memory
MAX_RECORDING_BYTES = 256 * 1024 * 1024
# as the live backend checks a reply's usage: more tokens in one reply is a broken file
MAX_USAGE = 100_000_000


class BadRecording(ReplayMiss):
    """A recording that cannot be read: as good as none, for that case only."""


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def request_key(request: Request, template_hash: str) -> str:
    payload = {"request": request.identity(), "template_hash": template_hash, "format_version": FORMAT_VERSION}
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()[:24]


def _diff(recorded: dict[str, Any], now: dict[str, Any], prefix: str = "") -> list[str]:
    """Where two request dicts differ, as short paths (``messages[1].content at char 240``)."""
    out: list[str] = []
    for k in sorted(set(recorded) | set(now)):
        path = f"{prefix}{k}"
        a, b = recorded.get(k), now.get(k)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            out += _diff(a, b, path + ".")
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                out.append(f"{path}: {len(a)} items recorded, {len(b)} now")
            for i, (x, y) in enumerate(zip(a, b, strict=False)):
                if x != y:
                    out += _diff(x, y, f"{path}[{i}].") if isinstance(x, dict) and isinstance(y, dict) else [f"{path}[{i}]"]
        elif isinstance(a, str) and isinstance(b, str) and max(len(a), len(b)) > 60:
            at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            out.append(f"{path} at char {at}")
        else:
            out.append(f"{path}: {a!r} recorded, {b!r} now")
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        # opened without waiting, and only a regular file read: a FIFO named like a recording
        # would block the run for ever, a link to /dev/zero fill the memory
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise BadRecording(f"{path}: recording is not a regular file; delete it and record again")
            raw = fh.read(MAX_RECORDING_BYTES + 1) if info.st_size <= MAX_RECORDING_BYTES else b""
            if info.st_size > MAX_RECORDING_BYTES or len(raw) > MAX_RECORDING_BYTES:
                raise BadRecording(
                    f"{path}: recording is larger than {MAX_RECORDING_BYTES >> 20} MB, far more than any reply; delete it and record again"
                )
            data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise BadRecording(f"{path}: recording is nested too deeply to read; delete it and record again") from None
    except (OSError, ValueError) as exc:
        raise BadRecording(f"{path}: recording is unreadable ({exc}); delete it and record again") from None
    if not isinstance(data, dict):
        raise BadRecording(f"{path}: recording is not a JSON object; delete it and record again")
    return data


def _check_numbers(path: Path, completion: Completion) -> None:
    """The figures a replayed reply brings into records, totals and reports are the ones a
    live reply could bring: token counts the backend would accept, a finite latency (NaN
    would make every JSON report invalid JSON, 1e308 every latency figure absurd)."""
    for name in ("prompt_tokens", "completion_tokens"):
        value = getattr(completion.usage, name)
        if not 0 <= value <= MAX_USAGE:
            raise BadRecording(f"{path}: recording holds impossible token usage ({name}={value!r:.40}); delete it and record again")
    latency = completion.latency_s
    if not (math.isfinite(latency) and 0 <= latency <= 86_400):
        raise BadRecording(f"{path}: recording holds an impossible latency ({latency!r:.40}); delete it and record again")


class CachingBackend:
    def __init__(
        self,
        inner: Backend | None,
        *,
        mode: str,
        folder: Path,
        template_hash: str,
        read_only: Sequence[Path] = (),
        no_backend_hint: str = "",
        must_record: bool = False,
    ) -> None:
        """``must_record``: a recording that cannot be written is an error (a batch run's answers
        live in their recordings); otherwise the reply is used and that is said once."""
        self.inner, self.mode, self.folder, self.template_hash = inner, mode, folder, template_hash
        self.read_only = [p for p in read_only if p != folder]
        self.no_backend_hint = no_backend_hint
        self.recorded = 0
        self.must_record = must_record
        self.unrecorded = 0  # replies used though their recording could not be written (said once)

    async def aclose(self) -> None:
        close = getattr(self.inner, "aclose", None)
        if close is not None:
            await close()

    def _folders(self) -> list[Path]:
        return [self.folder, *self.read_only]

    def path_for(self, request: Request, folder: Path | None = None) -> Path:
        return (folder or self.folder) / safe_name(request.case_id or "_unfiled") / f"{request_key(request, self.template_hash)}.json"

    async def complete(self, request: Request) -> Completion:
        if self.mode in ("auto", "replay"):
            for folder in self._folders():
                path = self.path_for(request, folder)
                if path.is_file():
                    return self._load(path)
        if self.mode == "replay" or self.inner is None:
            raise self._miss(request)
        completion = await self.inner.complete(request)
        if self.mode in ("auto", "record"):
            path = self.path_for(request)
            try:
                self._save(path, request, completion)
            except InputError as exc:  # the reply was paid for: keep it, say once that it was not recorded
                if self.must_record:
                    raise
                self.unrecorded += 1
                if self.unrecorded == 1:  # once a run: a cache folder that cannot be written fails every case alike
                    sys.stderr.write(terminal_line(f"cnaps-llm: {exc}; the reply is used but not recorded (a rerun calls the server again)") + "\n")
        return completion

    def _load(self, path: Path) -> Completion:
        data = _read(path)
        if data.get("format_version") != FORMAT_VERSION:
            raise BadRecording(f"{path}: recording has format_version {data.get('format_version')}, not {FORMAT_VERSION}; record it again")
        try:
            # redacted as a live reply is: a recording edited by hand may hold a key or a lone surrogate
            completion = Completion.model_validate(redact_obj(data["response"]))
        except (KeyError, ValueError) as exc:
            raise BadRecording(f"{path}: recording is unreadable ({str(exc).splitlines()[0]}); delete it and record again") from None
        _check_numbers(path, completion)
        return completion.model_copy(update={"replayed": True})

    def _save(self, path: Path, request: Request, completion: Completion) -> None:
        record = {
            "format_version": FORMAT_VERSION,
            "key": path.stem,
            "case_id": request.case_id,
            "template_hash": self.template_hash,
            "recorded_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "request": request.identity(),
            "response": completion.model_dump(mode="json", exclude={"replayed"}),
        }
        atomic_write(path, json.dumps(redact_obj(record), indent=2, ensure_ascii=False) + "\n")
        self.recorded += 1

    def _miss(self, request: Request) -> ReplayMiss:
        case = request.case_id or "?"
        key = request_key(request, self.template_hash)
        recordings: list[tuple[Path, dict[str, Any]]] = []
        seen: set[str] = set()
        for folder in self._folders():
            sub = folder / safe_name(case)
            for p in sorted(sub.glob("*.json")) if sub.is_dir() else []:
                if p.name in seen:  # the same call in the user cache and the bundled copy
                    continue
                seen.add(p.name)
                try:
                    recordings.append((p, _read(p)))
                except ReplayMiss:
                    continue
        if not recordings:
            hint = self.no_backend_hint or "record it with --cache record"
            return ReplayMiss(f"case {case} has no recording; {hint}")
        stale = [p.name for p, r in recordings if r.get("template_hash") != self.template_hash]
        if stale and len(stale) == len(recordings):
            return ReplayMiss(
                f"case {case}: {len(stale)} stale recording(s) made with templates {recordings[0][1].get('template_hash')} "
                f"(now {self.template_hash}): {', '.join(stale[:5])}; re-record with --cache record"
            )
        now = request.identity()
        best = min(recordings, key=lambda pr: len(_diff(pr[1].get("request", {}), now)))
        diff = _diff(best[1].get("request", {}), now)
        return ReplayMiss(
            f"case {case}: request {key} was never recorded; closest is {best[0].name}, differing in "
            f"{'; '.join(diff[:4])}; record it with --cache record"
        )


def wrap(settings: Settings, template_hash: str, live: Callable[[], Backend]) -> Backend:
    """The backend for ``settings.cache``: the one place the record/replay policy is decided.

    ``off`` calls the live backend only; ``replay`` never does (nor imports its SDK);
    ``record`` always calls and records; ``auto`` replays what is recorded and otherwise
    calls and records when a server is configured. Bundled recordings are read, never written.
    """
    from .resources import bundled_cassettes

    if settings.cache == "off":
        return live()
    calls = settings.cache == "record" or (settings.cache == "auto" and settings.has_backend)
    if calls:  # a recording that cannot be written would end the run after a paid call
        make_folder(settings.cache_dir, "--cache-dir (or CNAPS_CACHE_DIR)")
    hint = ""
    if settings.cache == "auto" and not settings.has_backend:
        hint = (
            "no model server is configured: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local "
            "OpenAI-compatible server (vLLM, Ollama, llama.cpp); see .env.example"
        )
    return CachingBackend(
        live() if calls else None,
        mode=settings.cache,
        folder=settings.cache_dir,
        template_hash=template_hash,
        read_only=[] if calls else [bundled_cassettes()],
        no_backend_hint=hint,
    )
