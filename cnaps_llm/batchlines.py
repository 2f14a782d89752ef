"""The Batch API's JSONL: request files written within the file limits, output and error files read.

Invariants: a request line is ``{"custom_id": <request key>, "method": "POST", "url":
"/v1/chat/completions", "body": <the chat-completions arguments>}``, its ``custom_id``
first, so a file's keys are read without parsing its bodies; each key occurs once in a
round. A request file holds at most ``max_requests`` lines and ``max_bytes`` bytes and
appears under its final name only when complete (written to ``.tmp``, fsynced,
renamed). Reading a provider's file never raises on a bad line: a line that cannot
be read answers nothing, so its request counts as unanswered (sent again, or failed
with a reason). The provider's files are read within bounds, as every input is: a line
over ``MAX_LINE_BYTES`` is skipped a piece at a time, never held whole; reading stops at
``MAX_FILE_BYTES`` (a download stops there too) and after as many lines as the batch had
requests. Each bound met is one line in ``Verdicts.notes``, naming the file; what lies
past it answers nothing, so the run goes on and nothing already answered is lost.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .inputs.text import MAX_INPUT_BYTES

ENDPOINT = "/v1/chat/completions"
MAX_LINE_BYTES = MAX_INPUT_BYTES  # one answer, as one JSONL line of a dataset is one case
# a batch answers at most 50,000 requests (the Batch API's limit, and --max-requests-per-file's
# default): at the default 1,200 output tokens a full one is about 350 MB of answers
MAX_FILE_BYTES = 1 << 30
_PREFIX = b'{"custom_id":"'
_KEY_LEN = 24  # cache.request_key's length
# per-line failures worth another batch: the provider's own trouble, not the request's
RETRYABLE_CODES = {"batch_expired", "batch_cancelled", "rate_limit_exceeded", "server_error", "timeout", "internal_error"}
RETRYABLE_STATUS = {408, 409, 429}


def request_line(key: str, body: dict[str, Any]) -> bytes:
    line = {"custom_id": key, "method": "POST", "url": ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def keys_in(path: Path) -> Iterator[str]:
    """The custom ids of a request file written by ``PartWriter``, in order."""
    with open(path, "rb") as fh:
        for line in fh:
            if line.startswith(_PREFIX):
                yield line[len(_PREFIX) : len(_PREFIX) + _KEY_LEN].decode("ascii")


@dataclass
class WrittenPart:
    name: str
    requests: int
    bytes: int
    sha256: str


@dataclass
class PartWriter:
    """Request lines into ``r<N>-p<K>.jsonl`` files of a run folder, a new part whenever the next
    line would break a limit; ``r<N>.keys`` lists every key of the round."""

    folder: Path
    round_number: int
    max_requests: int
    max_bytes: int
    parts: list[WrittenPart] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    _fh: IO[bytes] | None = None
    _hash: Any = None
    _keys_fh: IO[bytes] | None = None

    def _name(self, k: int) -> str:
        return f"r{self.round_number}-p{k}"

    def add(self, key: str, line: bytes) -> None:
        if key in self.keys:
            return  # two cases asking the very same thing: sent once, answered for both
        cur = self.parts[-1] if self.parts else None
        if cur is None or cur.requests >= self.max_requests or cur.bytes + len(line) > self.max_bytes:
            self._close_part()
            cur = WrittenPart(self._name(len(self.parts) + 1), 0, 0, "")
            self.parts.append(cur)
            self._fh = open(self.folder / f"{cur.name}.jsonl.tmp", "wb")
            self._hash = hashlib.sha256()
        if self._keys_fh is None:
            self._keys_fh = open(self.folder / f"r{self.round_number}.keys.tmp", "wb")
        assert self._fh is not None
        self._fh.write(line)
        self._hash.update(line)
        self._keys_fh.write(key.encode("ascii") + b"\n")
        cur.requests += 1
        cur.bytes += len(line)
        self.keys.add(key)

    def _close_part(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None
            self.parts[-1].sha256 = self._hash.hexdigest()

    def finish(self) -> list[WrittenPart]:
        """Close and move every file to its final name; what was written."""
        self._close_part()
        if self._keys_fh is not None:
            self._keys_fh.flush()
            os.fsync(self._keys_fh.fileno())
            self._keys_fh.close()
            self._keys_fh = None
            os.replace(self.folder / f"r{self.round_number}.keys.tmp", self.folder / f"r{self.round_number}.keys")
        for p in self.parts:
            os.replace(self.folder / f"{p.name}.jsonl.tmp", self.folder / f"{p.name}.jsonl")
        return self.parts

    def abandon(self) -> None:
        for fh in (self._fh, self._keys_fh):
            if fh is not None:
                fh.close()


def _mb(limit: int) -> str:
    return f"{limit >> 20} MB" if limit % (1 << 20) == 0 else f"{limit} bytes"


def _lines(path: Path, notes: list[str] | None = None, max_lines: int | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(byte offset, object) of each readable line of a provider's JSONL file, read within the
    bounds (see the module's docstring); each bound met is said once in ``notes``."""
    if not path.is_file():
        return
    say = notes.append if notes is not None else (lambda _: None)
    line_limit, file_limit = MAX_LINE_BYTES, MAX_FILE_BYTES
    offset, n = 0, 0
    with open(path, "rb") as fh:
        while True:
            raw = fh.readline(line_limit + 1)
            if not raw:
                return
            n, start = n + 1, offset
            offset += len(raw)
            long = len(raw) > line_limit
            while long and not raw.endswith(b"\n") and offset <= file_limit:  # the rest, a piece at a time
                raw = fh.readline(line_limit)
                offset += len(raw)
                if not raw:
                    break
            if offset > file_limit:
                say(f"{path}: the Batch API's file is larger than {_mb(file_limit)}; read only that far, "
                    "the requests it answers past that count as unanswered")
                return
            if max_lines is not None and n > max_lines:
                say(f"{path}: the Batch API's file holds more lines than the batch had requests ({max_lines}); "
                    "the lines past that were not read")
                return
            if long:
                say(f"{path}:{n}: the line is longer than {_mb(line_limit)}; skipped unread, its request counts as unanswered")
                continue
            try:
                obj = json.loads(raw)
            except (ValueError, RecursionError):
                obj = None
            if isinstance(obj, dict) and isinstance(obj.get("custom_id"), str):
                yield start, obj


def _status(obj: dict[str, Any]) -> int | None:
    response = obj.get("response")
    code = response.get("status_code") if isinstance(response, dict) else None
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def _error_text(obj: dict[str, Any]) -> tuple[str | None, str]:
    """(error code, one-line message) of a failed line."""
    err = obj.get("error")
    if not isinstance(err, dict):
        body = (obj.get("response") or {}).get("body") if isinstance(obj.get("response"), dict) else None
        err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        return None, "no error given"
    code = err.get("code") if isinstance(err.get("code"), str) else (err.get("type") if isinstance(err.get("type"), str) else None)
    message = err.get("message") if isinstance(err.get("message"), str) else "no message"
    return code, " ".join(message.split())[:200]


@dataclass
class Verdicts:
    """What a batch's output and error files say about each of its requests."""

    answered: set[str] = field(default_factory=set)
    retry: dict[str, str] = field(default_factory=dict)  # key -> why: the provider's trouble
    final: dict[str, str] = field(default_factory=dict)  # key -> why: the request's own problem
    notes: list[str] = field(default_factory=list)  # a bound met in reading the files, one line each


def judge(output: Path, errors: Path, redact: Callable[[str], str], requests: int | None = None) -> Verdicts:
    """Sort every line of a batch's output and error files (missing files hold nothing);
    ``requests``: how many the batch had (neither file holds more lines)."""
    v = Verdicts()
    for path in (output, errors):
        for _, obj in _lines(path, v.notes, requests):
            key, status = obj["custom_id"], _status(obj)
            if status == 200 and obj.get("error") is None:
                v.answered.add(key)
                v.retry.pop(key, None)
                continue
            if key in v.answered:
                continue
            code, message = _error_text(obj)
            what = f"HTTP {status}" if status is not None else (code or "error")
            why = redact(f"the Batch API answered {what}: {message}")
            if code in RETRYABLE_CODES or status is None or status in RETRYABLE_STATUS or status >= 500:
                v.retry[key] = why
            else:
                v.final[key] = why
    return v


def index_answers(files: list[tuple[Path, int | None]]) -> dict[str, tuple[Path, int]]:
    """Request key -> where its successful answer is (file, byte offset), of output files
    given with their batch's number of requests (``judge`` has said what a bound cut)."""
    out: dict[str, tuple[Path, int]] = {}
    for path, requests in files:
        for offset, obj in _lines(path, None, requests):
            if _status(obj) == 200 and obj.get("error") is None:
                out.setdefault(obj["custom_id"], (path, offset))
    return out


def answer_body(path: Path, offset: int) -> Any:
    """The chat-completions body of the answer line at ``offset``."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        obj = json.loads(fh.readline(MAX_LINE_BYTES + 1))
    return obj["response"].get("body")
