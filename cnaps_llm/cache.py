"""Record/replay: a ``Backend`` that wraps another and files every call as JSON.

Invariant: a recording is keyed by a canonical hash of the request (model, messages,
response format and schema, sampling parameters) and the template hash; it holds
no API key or header; it is written atomically, one human-readable file per call,
under ``<cache_dir>/<case-id>/<key>.json``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from .backends import Backend, Completion, Request
from .errors import ConfigError, InputError, ReplayMiss
from .fsutil import atomic_write

FORMAT_VERSION = 1


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def request_key(request: Request, template_hash: str) -> str:
    payload = {"request": request.identity(), "template_hash": template_hash, "format_version": FORMAT_VERSION}
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()[:24]


def _safe_id(case_id: str | None) -> str:
    cid = case_id or "_unfiled"
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in cid)[:120]


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


class CachingBackend:
    def __init__(self, inner: Backend | None, *, mode: str, folder: Path, template_hash: str) -> None:
        self.inner, self.mode, self.folder, self.template_hash = inner, mode, folder, template_hash
        self.hits = 0
        self.recorded = 0

    def path_for(self, request: Request) -> Path:
        return self.folder / _safe_id(request.case_id) / f"{request_key(request, self.template_hash)}.json"

    async def complete(self, request: Request) -> Completion:
        path = self.path_for(request)
        if self.mode in ("auto", "replay") and path.exists():
            return self._load(path)
        if self.mode == "replay" or (self.mode == "auto" and self.inner is None):
            raise self._miss(request, path)
        assert self.inner is not None
        completion = await self.inner.complete(request)
        if self.mode in ("auto", "record"):
            self._save(path, request, completion)
        return completion

    def _load(self, path: Path) -> Completion:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format_version") != FORMAT_VERSION:
                raise ValueError(f"format_version {data.get('format_version')}")
            completion = Completion.model_validate(data["response"])
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"recording is unreadable ({exc}); delete it and record again", path=str(path)) from None
        self.hits += 1
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
        atomic_write(path, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        self.recorded += 1

    def _miss(self, request: Request, path: Path) -> Exception:
        folder = path.parent
        recordings = []
        for p in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                recordings.append((p, json.loads(p.read_text(encoding="utf-8"))))
            except (OSError, ValueError):
                continue
        case = request.case_id or "?"
        if not recordings:
            if self.mode == "auto":
                return ConfigError(
                    f"no recording for case {case} and no model server configured: set OPENAI_API_KEY or OPENAI_BASE_URL, "
                    "or use a bundled example from fixtures/prompts"
                )
            return ReplayMiss(f"case {case} has no recordings under {folder}; record it with --cache record")
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
            f"case {case}: request {path.stem} was never recorded; closest is {best[0].name}, differing in "
            f"{'; '.join(diff[:4])}; record it with --cache record"
        )
