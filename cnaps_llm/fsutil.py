"""Writing files without losing any: atomic replaces, safe names, appends.

Invariants: a reader sees the old file or the new one, never half of either; a file
is created with the user's umask (0644 under umask 022), and a replaced file keeps
its mode; a symlink is written through to its target, never replaced by a regular
file; a special file (a FIFO, a device) is written to, never replaced; a path that is
this process's own stdout or stderr (``/dev/stdout``, ``/dev/fd/2``, or a file the
stream is redirected to) is written through that stream, after what it already holds;
every name derived from a case id goes through ``safe_name`` and stays inside its
folder. A path that cannot be written is an ``InputError`` naming it, never a traceback.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TextIO

from .errors import InputError

_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
# names Windows reserves whatever the extension; refused everywhere so a results folder can be shared
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_NAME = 100  # characters of a readable name before the hash suffix
FAILED = ".failed"  # what a failed case's report adds to its name (``outputs``): no plain name ends so


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` with each lone surrogate (``"\\ud800"`` decoded from JSON a model wrote)
    replaced by U+FFFD: no UTF-8 file or stream can hold one, and writing it would fail
    after the work was done."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def terminal_line(text: str) -> str:
    """``text`` as one line for a terminal: each character that is not printable (a control
    character, a line break, a bidirectional override that would show ``\u202egpj.exe`` as
    ``exe.jpg``) written as its escape, so the terminal shows it instead of acting on it."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else ascii(c)[1:-1] for c in text)


def safe_name(case_id: str) -> str:
    """A file name for ``case_id``: readable, inside its folder, and unique.

    An id made only of ``[A-Za-z0-9._-]``, not starting with a dot, not ending in
    ``.failed`` (``x.failed.md`` is case ``x``'s failure report), not reserved and at most
    ``MAX_NAME`` long is used as it is. Any other id keeps its safe characters (others
    become ``_``) and gets ``~`` and a hash of the whole id: ``~`` is never in an id used
    as it is, so two distinct ids never share a name, nor one's answer the other's report.
    """
    plain = (
        case_id
        and len(case_id) <= MAX_NAME
        and all(c in _SAFE for c in case_id)
        and not case_id.startswith(".")
        and not case_id.lower().endswith(FAILED)
        and case_id.split(".")[0].lower() not in _RESERVED
    )
    if plain:
        return case_id
    folded = unicodedata.normalize("NFKD", case_id)
    readable = "".join(c if c in _SAFE else "_" for c in folded)[:MAX_NAME].lstrip(".") or "_"
    digest = hashlib.sha256(case_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{readable}~{digest}"


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would leave ``folder`` (a defence in depth:
    names from ``safe_name`` never do)."""
    path = folder / name
    if path.parent != folder or name in ("", ".", ".."):
        raise InputError(f"refusing to write {name!r} outside {folder}")
    return path


@cache
def _umask() -> int:
    # os.umask can only be read by setting it; done once, before any thread writes
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _target(path: Path) -> Path:
    """Where writing ``path`` lands: a symlink's final target (so the link is kept)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _special(path: Path) -> bool:
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return False


def _std_stream(path: Path) -> TextIO | None:
    """Our stdout or stderr when ``path`` is the very file it writes to."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    for stream in (sys.stdout, sys.stderr):
        try:
            fst = os.fstat(stream.fileno())
        except (OSError, ValueError, AttributeError):  # a captured or closed stream has no file
            continue
        if (st.st_dev, st.st_ino) == (fst.st_dev, fst.st_ino):
            return stream
    return None


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """OS errors while writing ``path`` as one-line ``InputError``s."""
    try:
        yield
    except OSError as exc:
        raise InputError(f"cannot write it ({exc.strerror or exc}); check the path and its permissions", path=str(path)) from None


def make_folder(path: Path, flag: str) -> None:
    """Make the folder ``path`` (and its parents) now, before any work whose results go in
    it, or raise an ``InputError`` naming it: a file in its place or a folder that cannot
    be made would otherwise be found only when the first result is written."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise InputError(f"is a file, not a folder; give {flag} a folder (it is made if missing)", path=str(path))
    with _writing(Path(path)):
        Path(path).mkdir(parents=True, exist_ok=True)


def refuse_unwritable_folder(folder: Path, fix: str) -> None:
    """Raise an ``InputError`` naming ``folder`` when no file can be made in it (a read-only
    folder or file system, one without write permission): found only when the first result
    is written otherwise, after its request was sent and paid for. Probed as writing does it,
    by making (and removing) a temporary file there; ``fix`` says what to do."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".cnaps-llm-", suffix=".probe", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write files in this folder ({exc.strerror or exc}); {fix}", path=str(folder)) from None
    os.close(fd)
    os.unlink(probe)


def file_key(path: Path | str) -> tuple[int, int] | None:
    """(device, inode) of the regular file ``path`` names (through symlinks), else None."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def refuse_clobbering(outputs: list[tuple[str, Path]], inputs: list[Path]) -> None:
    """Before any work: no output (``(flag, path)``) may be an input, and no two outputs one
    file, or the last written would silently replace the other. A special file, or the file
    our stdout goes to (``/dev/stdout``), may take several: it is written to, never replaced."""
    given = {key for p in inputs if (key := file_key(p)) is not None}
    seen: dict[object, str] = {}
    for flag, path in outputs:
        key: object = file_key(path)
        if _std_stream(path) is not None:  # our stdout: written through, after what it holds
            continue
        if key is None:
            if os.path.exists(path):  # a special file or a folder: reported when written
                continue
            key = os.path.realpath(path)  # a folder reached through a symlink is the same folder
        if key in given:
            raise InputError(f"is also an input; give {flag} a new file", path=str(path))
        if key in seen:
            raise InputError(f"is given to both {seen[key]} and {flag}; give each its own file", path=str(path))
        seen[key] = flag


def make_parents(outputs: list[tuple[str, Path]], *, appended: frozenset[str] = frozenset()) -> None:
    """Make the folder of each output file (``(flag, path)``) now, before any work whose
    result goes there, or raise an ``InputError`` naming it: a report whose folder cannot
    be made (or written in) would otherwise be found only after every request was sent and
    paid for. A file of a flag in ``appended`` that exists is appended to: its folder is not probed."""
    for flag, path in outputs:
        with _writing(Path(path)):
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                raise InputError("cannot write it (a part of its folder is a file); check the path and its permissions", path=str(path)) from None
            refuse_unwritable(Path(path), "give a file name")  # found only after the run otherwise, the report lost
            if flag in appended and os.path.exists(path):
                continue  # `--markdown "$GITHUB_STEP_SUMMARY"`: written in place, as its folder allows or not
            if _std_stream(Path(path)) is None and not _special(Path(path)):  # a regular file: replaced through one made beside it
                refuse_unwritable_folder(_target(Path(path)).parent, "check its permissions, or give the report another path")


def refuse_unwritable(path: Path, fix: str) -> None:
    """Raise an ``InputError`` naming ``path`` when a file cannot be written there: a folder in its
    place, or a path that cannot be resolved (a symlink loop); ``fix`` says what to do. A missing
    file, or a dangling symlink (written through), is fine."""
    if os.path.isdir(path):
        raise InputError(f"is a folder; {fix}", path=str(path))
    try:
        os.stat(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise InputError(f"cannot write it ({exc.strerror or exc}); check the path and its permissions", path=str(path)) from None


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically (see the module invariants)."""
    with _writing(Path(path)):
        _atomic_write(Path(path), text)


def _write_special(path: Path, data: bytes) -> None:
    """Write to a FIFO or a device; a FIFO that nobody reads is an error, not a hang."""
    if path.is_dir():
        raise InputError("is a folder; give a file name", path=str(path))
    if stat.S_ISFIFO(os.stat(path).st_mode):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ENXIO:
                raise InputError("is a FIFO that nothing reads; start its reader first", path=str(path)) from None
            raise
        os.set_blocking(fd, True)
    else:
        fd = os.open(path, os.O_WRONLY)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _file_to_write(path: Path, text: str) -> Path | None:
    """The regular file to write ``text`` to (its folder made), or None when ``path`` was
    written already: a standard stream, a FIFO or a device, which are written, never replaced."""
    stream = _std_stream(path)
    if stream is not None:
        stream.write(text)
        stream.flush()
        return None
    path = _target(path)
    if _special(path):
        _write_special(path, text.encode("utf-8"))
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _atomic_write(path: Path, text: str) -> None:
    text = encodable(text)
    target = _file_to_write(path, text)
    if target is None:
        return
    path = target
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)  # mkstemp creates 0600: give it the mode a plain open() would
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def append_text(path: Path, text: str) -> None:
    """Append ``text`` (GitHub's ``$GITHUB_STEP_SUMMARY`` convention), ending an
    unterminated last line first so the new text never glues onto it."""
    with _writing(Path(path)):
        _append_text(Path(path), text)


def _append_text(path: Path, text: str) -> None:
    text = encodable(text)
    target = _file_to_write(path, text)
    if target is None:
        return
    with open(target, "a+b") as fh:
        if fh.tell() > 0:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                fh.write(b"\n")
        fh.write(text.encode("utf-8"))
