"""Results appended to a JSONL file as each case finishes, and resuming from one.

Invariants: the file is append-only and ours. Every complete line is one record of
this tool; a file holding anything else, or that is also an input, is refused before
a byte is written. A torn last line (an interrupted write) is only ever moved aside
to ``<file>.torn``, on ``--resume``, and nothing else is ever removed; appending first
ends an unterminated last line so a record never glues onto it. The file is read as
a stream. For an id recorded twice, the last record is its result.

Several processes may append to one file at once: each record is one ``write`` of one
whole line to a file opened for appending, under an exclusive ``flock``, so records
never interleave; moving a torn tail aside takes the same lock and checks again that
the tail is still torn.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import InputError
from .fsutil import encodable
from .models import Result
from .redact import redact_obj

_PREFIX = b'{"case_id":'  # how every record of ours starts (Result's first field)
_KEYS = {"case_id", "status", "attempts", "template_hash"}


def _record(line: bytes) -> dict[str, Any] | None:
    if not line.startswith(_PREFIX):
        return None
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return obj if isinstance(obj, dict) and _KEYS <= obj.keys() else None


@contextmanager
def _locked(fd: int) -> Iterator[None]:
    """An exclusive advisory lock on the open file ``fd`` (none where flock is missing)."""
    try:
        import fcntl
    except ImportError:  # not on this platform: single writes to an O_APPEND file still do not interleave on most
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _last_byte(path: Path, size: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(size - 1)
        return fh.read(1)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _lines(fh: Any) -> Iterator[bytes]:
    """The file's lines; a line that does not start as a record of ours is read only as far
    as that (a multi-gigabyte file without a line break, given by mistake, is not read whole)."""
    while True:
        head = fh.readline(len(_PREFIX))
        if not head:
            return
        if not head.endswith(b"\n") and (_PREFIX.startswith(head) or not head.strip()):
            head += fh.readline()  # ours, or blank so far: the whole line
        yield head  # else a foreign line's start, which is all that is needed to refuse the file


class ResultsFile:
    """A ``--jsonl`` results file: what it holds, and appending to it."""

    def __init__(self, path: Path, *, inputs: Iterable[Path] = ()) -> None:
        self.path = path
        for given in inputs:
            if _same_file(path, given):
                raise InputError("is also an input; give --jsonl a new file for the results", path=str(path))
        self.finished: dict[str, bool] = {}  # case id -> whether its last record is final (no server failure)
        self.torn_at: int | None = None  # byte offset of a torn last fragment of ours
        self.unterminated = False
        self._scan()

    def _scan(self) -> None:
        if not self.path.exists():
            return
        if not self.path.is_file():
            raise InputError("is not a regular file; give --jsonl a file", path=str(self.path))
        offset = 0
        with open(self.path, "rb") as fh:
            for n, line in enumerate(_lines(fh), start=1):
                complete = line.endswith(b"\n")
                body = line.rstrip(b"\r\n")
                record = _record(body) if body.strip() else {}
                if record:
                    self.finished[str(record["case_id"])] = record.get("error_kind") is None and record.get("error") is None
                    self.unterminated = not complete
                elif record is None:
                    if not (body.startswith(_PREFIX) or _PREFIX.startswith(body)):  # `{"cas`: torn in the prefix itself
                        raise InputError(
                            "is not a cnaps-llm results file (this line is not one of its records); nothing was written: "
                            "give --jsonl another file",
                            path=str(self.path), line=n,
                        )
                    # a fragment of our own record: torn at the end, or kept from an earlier tear
                    if not complete:
                        self.torn_at = offset
                offset += len(line)

    def done(self) -> set[str]:
        """Ids whose last record needs no rerun (server failures are retried by ``--resume``)."""
        return {cid for cid, final in self.finished.items() if final}

    def move_torn_aside(self) -> Path | None:
        """Move a torn last fragment to ``<file>.torn`` (appended, so no earlier one is lost)."""
        if self.torn_at is None:
            return None
        aside = self.path.with_name(self.path.name + ".torn")
        torn_at, self.torn_at = self.torn_at, None
        with open(self.path, "r+b") as fh, _locked(fh.fileno()):
            fh.seek(torn_at)
            fragment = fh.read()
            if b"\n" in fragment or not fragment:
                return None  # another process ended or replaced the tail since it was read: nothing is torn now
            with open(aside, "ab") as out:
                out.write(fragment + b"\n")
                out.flush()
                os.fsync(out.fileno())
            fh.truncate(torn_at)
        return aside


def record_line(result: Result) -> bytes:
    """One record as its line: redacted JSON in UTF-8, and the newline."""
    text = json.dumps(redact_obj(result.model_dump(mode="json")), ensure_ascii=False, separators=(",", ":"))
    return encodable(text).encode("utf-8") + b"\n"


class Appender:
    """One record per line, each written with a single unbuffered write under an
    exclusive lock before the next case is reported, so it survives the process being
    killed and never interleaves with another process appending to the same file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:  # before any request: a folder that cannot be made is found now, not as a crash
            path.parent.mkdir(parents=True, exist_ok=True)
            self.fd: int | None = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        except OSError as exc:
            why = "a part of its folder is a file" if isinstance(exc, (FileExistsError, NotADirectoryError)) else exc.strerror or exc
            raise InputError(f"cannot write it ({why}); check the path and its permissions", path=str(path)) from None
        with _locked(self.fd):
            size = os.fstat(self.fd).st_size
            if size > 0 and _last_byte(path, size) != b"\n":
                _write_all(self.fd, b"\n")  # never glue a record onto an unterminated line

    def __call__(self, result: Result) -> None:
        # no fsync: it would stall the event loop; written, the line is in the OS
        if self.fd is None:
            raise ValueError("the results file is closed")
        data = record_line(result)
        try:
            with _locked(self.fd):
                _write_all(self.fd, data)
        except OSError as exc:  # a full disk or quota: said of this file, not of stdout
            raise InputError(
                f"cannot append a record ({exc.strerror or exc}); free some space, then rerun with --resume to finish the rest",
                path=str(self.path),
            ) from None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
