"""JSON files (one case or a list) and JSONL datasets (one case per line)  ->  cases.

Invariant: reading is bounded and nothing but ``InputError`` escapes. A JSONL file is read
one line at a time (never whole); JSON nested deeper than the parser can follow, or a
number too long to convert, is a one-line ``InputError``, not a ``RecursionError`` or
``ValueError``. A bad line is yielded as its error and the lines after it are still read.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import Case
from .json_case import case_from_object
from .text import MAX_DATASET_BYTES, MAX_INPUT_BYTES, read_lines

_PER_LINE = "; write one JSON object per line"


class _DuplicateKey(Exception):
    """An object names the same key twice: ``json`` would keep the last silently."""


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj


def loads(text: str, *, path: str | None, line: int | None = None, hint: str = "") -> Any:
    """``json.loads``, with every way it can fail as an ``InputError``; an object that names
    a key twice is refused (which of the two values was meant cannot be known)."""
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicates)
    except _DuplicateKey as exc:
        key = exc.args[0]
        shown = repr(key[:60]) + ("…" if len(key) > 60 else "")
        raise InputError(f"the key {shown} occurs twice in one object; keep one of them", path=path, line=line) from None
    except RecursionError:
        # json's C parser recurses once per bracket; 100,000 of them must not crash us
        raise InputError(f"not valid JSON (nested too deeply: a case is a few levels deep){hint}", path=path, line=line) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg}){hint}", path=path, line=line if line is not None else exc.lineno) from None
    except ValueError:
        # the only other refusal: an integer longer than Python converts (sys.int_info)
        digits = sys.get_int_max_str_digits()
        raise InputError(f"not valid JSON (a number of more than {digits} digits){hint}", path=path, line=line) from None


def iter_json_cases(text: str, *, stem: str, path: str) -> Iterator[Case | InputError]:
    """The case(s) in a JSON document: one object, or a list of them (ids ``stem-1``…)."""
    try:
        data = loads(text, path=path)
    except InputError as exc:
        yield exc
        return
    items = data if isinstance(data, list) else [data]
    if not items:  # among several inputs, an empty list would otherwise pass unnoticed
        yield InputError("holds an empty list, no cases; put cases in it or leave the file out", path=path)
    for k, obj in enumerate(items, start=1):
        try:
            yield case_from_object(obj, default_id=stem if len(items) == 1 else f"{stem}-{k}", path=path)
        except InputError as exc:
            yield exc


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed value or InputError)`` for each non-blank line, streamed.

    Any JSONL reader (a dataset of cases, or of ``{prompt, answer}`` pairs) can use it.
    """
    name = str(path)
    first = True
    for n, line in read_lines(name, line_limit=MAX_INPUT_BYTES, limit=MAX_DATASET_BYTES):
        if isinstance(line, InputError):
            yield n, line
        elif line.strip():
            if first and line.strip() in ("{", "["):  # pretty-printed JSON: one error for the file, not one per line
                yield n, InputError(
                    "opens a JSON document written over several lines, not JSONL (one object per line); "
                    "name the file .json, or write each case on one line",
                    path=name, line=n,
                )
                return
            first = False
            try:
                yield n, loads(line, path=name, line=n, hint=_PER_LINE)
            except InputError as exc:
                yield n, exc


def iter_jsonl_cases(path: str | Path, *, stem: str) -> Iterator[Case | InputError]:
    """The case on each line of a JSONL file (default id ``stem-N`` for line N)."""
    name = str(path)
    seen = False
    for n, obj in iter_jsonl(name):
        seen = True
        if isinstance(obj, InputError):
            yield obj
            continue
        try:
            yield case_from_object(obj, default_id=f"{stem}-{n}", path=name, line=n)
        except InputError as exc:
            yield exc
    if not seen:  # among several inputs, an empty file would otherwise pass unnoticed
        yield InputError("holds no cases (no line holds a JSON object); put cases in it or leave the file out", path=name)
