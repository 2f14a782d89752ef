"""Reading input files: bytes  ->  normalised text, whole or one line at a time.

Invariant: nothing is read past its limit (a file over it is refused, a line over it is
skipped without being held), every failure is an ``InputError`` naming the file (and the
line where there is one), and what ``read_text`` and ``read_lines`` give is normalised:
``\\n`` line ends, mojibake repaired, Unicode NFC. (``read_decoded`` gives the text as it
is, for the caller to choose ``normalise`` or ``normalise_json`` once it knows the format.)
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError

MAX_INPUT_BYTES = 8 * 1024 * 1024  # a prompt file is a few KB; one JSONL line is one case
MAX_DATASET_BYTES = 256 * 1024 * 1024  # a JSONL dataset, read line by line
_MOJIBAKE_LEAD = re.compile("[\u00c2-\u00f4]")
_NOT_UTF8 = "file is not UTF-8; re-save it as UTF-8"
# what Windows PowerShell's `>` writes: said once for the file, not once for every line
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF16 = "file is UTF-16, not UTF-8 (it starts with a UTF-16 byte-order mark); re-save it as UTF-8"
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")  # the first also starts like UTF-16's: asked first
_UTF32 = "file is UTF-32, not UTF-8 (it starts with a UTF-32 byte-order mark); re-save it as UTF-8"


def _wide(data: bytes, name: str) -> InputError | None:
    """The error for a file that starts with a UTF-16 or UTF-32 byte-order mark, else None."""
    if data.startswith(_UTF32_BOMS):
        return InputError(_UTF32, path=name)
    return InputError(_UTF16, path=name) if data.startswith(_UTF16_BOMS) else None


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# the control characters no text needs (all but tab and line feed): removed from every input
# text and from a model's reply (``strip_controls``), so a source's name or a draft never
# carries ESC into an answer printed on a terminal
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]+")


def strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


def _repair(text: str, *, line_breaks: bool = True) -> str:
    # UTF-8 read as Latin-1/cp1252 always shows a lead byte 0xC2-0xF4 as one of Â…ô: text
    # without one cannot hold mojibake, so it skips ftfy (and its ~50 ms import). Controls are
    # stripped after it: mojibake carries C1 characters (\x80-\x9f) that ftfy needs to repair it
    if _MOJIBAKE_LEAD.search(text):
        import ftfy

        text = ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=line_breaks, normalization="NFC")
    return unicodedata.normalize("NFC", strip_controls(text))


def normalise(text: str) -> str:
    """Line endings to ``\\n``, mojibake repaired (ftfy), Unicode NFC.

    Quotes are left curly: we repair encodings, we do not restyle people's text.
    """
    return _repair(_newlines(text).lstrip("\ufeff"))


def normalise_json(text: str) -> str:
    """``normalise`` for JSON text: U+2028, U+2029 and U+0085 inside strings are kept as they are.

    ftfy would turn them into a raw newline, which JSON does not allow inside a string.
    (Strings are ``normalise``d again, line breaks included, once parsed.)
    """
    return _repair(_newlines(text).lstrip("\ufeff"), line_breaks=False)


def _mb(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB"


# what to give instead of a directory, by what the file was to hold
_NOT_A_FOLDER = {
    "prompt": "is a directory, not a prompt file; pass prompt files (.txt, .md, .json, .jsonl) or a folder holding some",
    "answer": "is a directory, not an answer file; give the file holding the answer",
}


def _read_error(name: str, exc: OSError, what: str = "prompt") -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError("file not found; check the path", path=name)
    if isinstance(exc, IsADirectoryError):
        return InputError(_NOT_A_FOLDER[what], path=name)
    return InputError(f"cannot read file ({exc.strerror}); check its permissions", path=name)


def _open(name: str, what: str = "prompt") -> BinaryIO:
    """The file to read, opened without waiting: a named pipe that no one writes to reads
    as empty (and is reported so) instead of blocking ``open`` for ever, while a pipe that
    is written to (``<(cmd)`` in a shell) reads as usual."""
    if name == "-":
        if sys.stdin is None:  # started with stdin closed (`<&-`)
            raise InputError("stdin is closed; give a file instead of `-`, or pipe the input in", path=name)
        return sys.stdin.buffer
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
        os.set_blocking(fd, True)  # reads of a pipe with a writer wait for its data
        return os.fdopen(fd, "rb")  # the caller closes it
    except OSError as exc:
        raise _read_error(name, exc, what) from None
    except ValueError:  # a NUL in the path: only a caller in Python can pass one
        raise InputError("the path holds a NUL character; check it", path=name.replace("\0", "\\0")) from None


def read_text(path: str | Path, *, limit: int = MAX_INPUT_BYTES, what: str = "prompt") -> str:
    """Read a UTF-8 file (``-`` is stdin) and normalise it, or raise ``InputError``; ``what``
    the file is to hold (``prompt`` or ``answer``) says what to give instead of a directory."""
    return normalise(read_decoded(path, limit=limit, what=what))


def read_bounded(path: str | Path, *, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path``, so a caller can tell a file over ``limit``
    (``/dev/zero``) without reading it whole; a named pipe that no one writes to reads as
    empty instead of blocking. For callers with their own messages: an ``OSError`` is
    raised as it is (``InputError`` only for a NUL in the path)."""
    name = str(path)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
    except ValueError:  # a NUL in the path: only a caller in Python can pass one
        raise InputError("the path holds a NUL character; check it", path=name.replace("\0", "\\0")) from None
    with os.fdopen(fd, "rb") as fh:
        os.set_blocking(fd, True)  # reads of a pipe with a writer wait for its data
        return fh.read(limit + 1)


def read_decoded(path: str | Path, *, limit: int = MAX_INPUT_BYTES, what: str = "prompt") -> str:
    """Read a UTF-8 file (``-`` is stdin) as it is, not normalised, or raise ``InputError``."""
    name = str(path)
    fh = _open(name, what)
    try:
        data = fh.read(limit + 1)
    except OSError as exc:
        raise _read_error(name, exc, what) from None
    finally:
        if name != "-":
            fh.close()
    if len(data) > limit:
        raise InputError(f"file is larger than {_mb(limit)}; split it into smaller files", path=name)
    wide = _wide(data, name)
    if wide is not None:
        raise wide
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(_NOT_UTF8, path=name, line=line) from None


def read_lines(
    path: str | Path, *, line_limit: int = MAX_INPUT_BYTES, limit: int = MAX_DATASET_BYTES
) -> Iterator[tuple[int, str | InputError]]:
    """Yield ``(line number, line)`` one line at a time, or ``(n, InputError)`` for a bad one.

    Lines are normalised as ``normalise_json`` does, and numbered as in
    ``read_text(path).split("\\n")`` (a lone ``\\r`` ends a line too). A line over
    ``line_limit`` bytes, or one that is not UTF-8, is reported and skipped; a file over
    ``limit`` is refused unread when its size is known, and otherwise (stdin) stops with an
    error when the limit is reached. Errors about the whole file come with line 0.
    """
    name = str(path)
    try:
        fh = _open(name)
    except InputError as exc:
        yield 0, exc
        return
    try:
        try:
            if name != "-" and os.fstat(fh.fileno()).st_size > limit:
                yield 0, InputError(f"file is larger than {_mb(limit)}; split it into smaller files", path=name)
                return
            yield from _lines(fh, name, line_limit=line_limit, limit=limit)
        except OSError as exc:
            yield 0, _read_error(name, exc)
    finally:
        if name != "-":
            fh.close()


def _lines(fh: BinaryIO, name: str, *, line_limit: int, limit: int) -> Iterator[tuple[int, str | InputError]]:
    n, total = 0, 0
    while True:
        raw = fh.readline(line_limit + 1)
        if not raw:
            return
        wide = _wide(raw, name) if total == 0 else None
        if wide is not None:
            yield 0, wide
            return
        total += len(raw)
        if len(raw) > line_limit:
            n += 1
            yield n, InputError(f"line is longer than {_mb(line_limit)}; one case per line, split it", path=name, line=n)
            # skip the rest of the line a piece at a time, never holding it whole
            while raw and not raw.endswith(b"\n") and total <= limit:
                raw = fh.readline(line_limit)
                total += len(raw)
        else:
            # a lone "\r" ends a line too, as in `read_text`; CR and LF bytes never occur inside
            # a UTF-8 sequence, so the bytes can be split before decoding, and a bad byte costs
            # only its own line
            pieces = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
            if raw.endswith(b"\n"):
                pieces.pop()
            for piece in pieces:
                n += 1
                try:
                    text = piece.decode("utf-8")
                except UnicodeDecodeError:
                    yield n, InputError(_NOT_UTF8, path=name, line=n)
                    continue
                # a byte-order mark opening any line goes (files joined with `cat` keep theirs)
                yield n, _repair(text.lstrip("\ufeff"), line_breaks=False)
        if total > limit:
            yield n, InputError(f"file is larger than {_mb(limit)}; split it into smaller files", path=name)
            return
