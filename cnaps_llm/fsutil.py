"""Writing files without losing any: atomic replaces, safe names, appends.

Invariants: a reader sees the old file or the new one, never half of either; a file
is created with the user's umask (0644 under umask 022), and a replaced file keeps
its mode; a symlink is written through to its target, never replaced by a regular
file; a special file (``/dev/stdout``, a FIFO) is written to, never replaced; every
name derived from a case id goes through ``safe_name`` and stays inside its folder.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

from .errors import InputError

_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
# names Windows reserves whatever the extension; refused everywhere so a results folder can be shared
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_NAME = 100  # characters of a readable name before the hash suffix


def safe_name(case_id: str) -> str:
    """A file name for ``case_id``: readable, inside its folder, and unique.

    An id made only of ``[A-Za-z0-9._-]``, not starting with a dot, not reserved and at
    most ``MAX_NAME`` long is used as it is. Any other id keeps its safe characters
    (others become ``_``) and gets ``~`` and a hash of the whole id: ``~`` is never in
    an id used as it is, so two distinct ids never share a name.
    """
    plain = (
        case_id
        and len(case_id) <= MAX_NAME
        and all(c in _SAFE for c in case_id)
        and not case_id.startswith(".")
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


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically (see the module invariants)."""
    path = _target(Path(path))
    if _special(path):
        if path.is_dir():
            raise InputError(f"{path} is a folder; give a file name")
        with open(path, "w", encoding="utf-8") as fh:  # /dev/stdout, a FIFO: write, never replace
            fh.write(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
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
    path = _target(Path(path))
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        if not _special(path) and fh.tell() > 0:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                fh.write(b"\n")
        fh.write(text.encode("utf-8"))
