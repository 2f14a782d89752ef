"""Prompt files, JSON and JSONL  ->  ``Case``.

Invariant: every failure is an ``InputError`` naming the file and, where there is one,
the line; nothing else escapes (the property tests hold us to that). Reading is bounded:
a file or line over its size limit is refused unread, JSONL is streamed, and every scan
is linear in the input.

Formats (see README "Input formats"), one module each, chosen by ``_FORMATS`` below:

* ``prompt_file``: the primary format, ``### Recommended AI Models:`` / ``### Related
  Papers:`` blocks of ``Model:`` / ``Paper:`` / ``GitHub:`` / ``Summary:`` lines;
* ``bulleted``: the variant with ``- **Name**`` followed by indented ``Paper:`` lines
  (read by the same walk: a file may mix both);
* ``json_files`` / ``json_case``: JSON (one object or a list) and JSONL (one object per
  line), either ``{"prompt": "<prompt text>"}`` or the structured form printed by ``parse``.

``text`` reads and normalises, ``paths`` expands folders, ``sources`` holds what all share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError
from ..models import Case
from .json_case import case_from_object
from .json_files import iter_json_cases, iter_jsonl, iter_jsonl_cases
from .paths import expand_paths
from .prompt_file import GITHUB_KEYS, KNOWN_KEYS, PAPER_KEYS, SUMMARY_KEYS, parse_prompt_text
from .sources import MAX_ID_CHARS, MAX_SOURCES, NULLS, check_case_id, check_link, clean_value
from .text import MAX_DATASET_BYTES, MAX_INPUT_BYTES, normalise, normalise_json, read_decoded, read_text

__all__ = [
    "GITHUB_KEYS", "KNOWN_KEYS", "MAX_DATASET_BYTES", "MAX_ID_CHARS", "MAX_INPUT_BYTES", "MAX_SOURCES", "NULLS",
    "PAPER_KEYS", "SUMMARY_KEYS", "case_from_object", "check_case_id", "check_link", "clean_value", "duplicate_ids",
    "expand_paths", "iter_cases", "iter_jsonl", "load_case", "normalise", "parse_prompt_text", "read_text",
]

Parse = Callable[[str, str, str], Iterator["Case | InputError"]]  # (normalised text, stem, path)
Stream = Callable[[str, str], Iterator["Case | InputError"]]  # (path, stem): reads the file itself


class _Format(NamedTuple):  # (a NamedTuple: a third of a frozen dataclass's import cost)
    name: str
    suffixes: tuple[str, ...]  # a file with one of these suffixes is this format, whatever it holds
    sniff: Callable[[str], bool]  # otherwise: does the file's (raw) text look like this format?
    normalise: Callable[[str], str] = normalise
    parse: Parse | None = None  # reads the whole text (a file is at most MAX_INPUT_BYTES)
    stream: Stream | None = None  # or reads the file line by line, however large


def _looks_like_json(text: str) -> bool:
    return text.lstrip("\ufeff").lstrip()[:1] in ("{", "[")


def _parse_prompt(text: str, stem: str, path: str) -> Iterator[Case | InputError]:
    try:
        yield parse_prompt_text(text, case_id=stem, path=path)
    except InputError as exc:
        yield exc


# By suffix first, then the first whose sniff says yes; the last says yes to anything. The
# bulleted variant has no row: the prompt walk reads both (a file may mix them).
_FORMATS = (
    _Format("jsonl", (".jsonl",), lambda text: False, stream=lambda p, s: iter_jsonl_cases(p, stem=s)),
    _Format("json", (".json",), _looks_like_json, normalise_json, parse=lambda t, s, p: iter_json_cases(t, stem=s, path=p)),
    _Format("prompt", (), lambda text: True, normalise, parse=_parse_prompt),
)


def iter_cases(path: str | Path) -> Iterator[Case | InputError]:
    """Yield each case in ``path`` (prompt file, JSON or JSONL), or the error that stopped it.

    Errors are yielded, not raised, so one bad line or file does not hide the rest.
    """
    name = str(path)
    stem = Path(name).stem if name != "-" else "stdin"
    fmt = next((f for f in _FORMATS if Path(name).suffix.lower() in f.suffixes), None)
    if fmt is not None and fmt.stream is not None:
        yield from fmt.stream(name, stem)
        return
    try:
        raw = read_decoded(name, limit=MAX_INPUT_BYTES)
    except InputError as exc:
        yield exc
        return
    if fmt is None:
        fmt = next(f for f in _FORMATS if f.sniff(raw))
    assert fmt.parse is not None  # every format without a suffix-only stream parses text
    yield from fmt.parse(fmt.normalise(raw), stem, name)


def load_case(path: str | Path) -> Case:
    """Exactly one case from ``path``, or an ``InputError`` (the first one in the file)."""
    first: Case | None = None
    count = 0
    for item in iter_cases(path):  # counted, not kept: a JSONL file may hold many
        if isinstance(item, InputError):
            raise item
        if first is None:
            first = item
        count += 1
    if count != 1 or first is None:
        raise InputError(f"holds {count} cases; pass a file with exactly one", path=str(path))
    return first


def duplicate_ids(ids: Iterable[str]) -> list[str]:
    """The ids that occur more than once, sorted; one pass with a set."""
    seen: set[str] = set()
    dupes: set[str] = set()
    for case_id in ids:
        (dupes if case_id in seen else seen).add(case_id)
    return sorted(dupes)
