"""Regex building blocks the scanners share: trie-shaped alternations, literal-led
pattern sets, a case-folding shortcut, and ``compile``: ``re.compile`` with the compiled
programs kept between runs.

Invariant: pure functions of their arguments (``compile`` aside, whose kept file only
saves time); each builds or runs patterns that match exactly what the plain regex they
replace would (``tests/test_scanners.py`` holds each to its plain form,
``tests/test_regex_cache.py`` holds kept programs to fresh ones). Nothing here knows a
word list.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from collections.abc import Iterator
from typing import AnyStr

try:
    import _sre  # CPython's engine, already loaded by re
except ImportError:  # elsewhere compile() is re.compile
    _sre = None

# --------------------------------------------------------------------------- compiled programs

# (pattern, flags) -> what re._compiler.compile passes to _sre.compile after the pattern:
# (flags, code, groups - 1, groupindex, indexgroup), or that tuple marshalled (as the file
# keeps it: read whole at every start, each program is decoded only when compiled, so a
# run pays for the programs it uses). None until the first compile() loads it.
_programs: dict[tuple[str | bytes, int], tuple | bytes] | None = None
_file: str | None = None  # where they are kept; None: not kept (off, or no usable folder)
_added = False
_used: set[tuple[str | bytes, int]] = set()  # keys this run compiled or read
# patterns built from an input (its acronyms, its names) add a few per new input: past
# this many the file keeps only what the last run used, so it cannot grow without bound
MAX_KEPT = 2000
# programs of an earlier version of the word lists (a big scan a release or an edit
# replaced) are never used again: once the file's programs add up to more than this many
# times the code this run used, it keeps only what this run used, so a file read at every
# start stays near the size one run needs (each megabyte of it costs some 4 ms to read)
MAX_KEPT_SIZE = 2
# flags re.compile treats specially (re.DEBUG prints, re.TEMPLATE warns and is gone in 3.13)
_PLAIN_ONLY = re.DEBUG | 1


def compile(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:  # noqa: A001 - re.compile's drop-in
    """``re.compile(pattern, flags)``, from a program compiled by an earlier run when there
    is one (building a Pattern from its program skips parsing and code generation, most of
    the grounding package's start-up). Any failure falls back to ``re.compile``: what the
    Pattern matches never depends on the kept file."""
    global _added
    if _programs is None:
        _load()
    try:
        flags = int(flags)
        key = (pattern, flags)
        plain = type(pattern) in (str, bytes) and not flags & _PLAIN_ONLY
        entry = _programs.get(key) if plain else None
        if entry is not None:
            if type(entry) is bytes:
                entry = _programs[key] = marshal.loads(entry)
            compiled = _sre.compile(pattern, *entry)
            _used.add(key)
            return compiled
        if _file is not None and plain:
            entry = _program(pattern, flags)
            compiled = _sre.compile(pattern, *entry)
            _programs[key] = entry
            _used.add(key)
            if not _added:
                import atexit

                atexit.register(_save)
                _added = True
            return compiled
    except Exception:  # private API changed, damaged entry, or a bad pattern: re says what is wrong
        pass
    return re.compile(pattern, flags)


def _program(pattern: str | bytes, flags: int) -> tuple:
    """What ``re._compiler.compile`` computes for ``pattern`` and hands to ``_sre.compile``
    (the opcodes as plain ints, which marshal keeps)."""
    from re import _compiler, _parser

    p = _parser.parse(pattern, flags)
    code = _compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup = [None] * p.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (flags | p.state.flags, [int(c) for c in code], p.state.groups - 1, groupindex, tuple(indexgroup))


def _version() -> str:
    """Programs are only valid for the re engine that made them."""
    return f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}"


def cache_file() -> str | None:
    """The file compiled programs are kept in: ``$CNAPS_REGEX_CACHE`` (a folder) or, when
    unset, the user cache folder recordings also go under; None when the variable is ``off``."""
    import zlib

    setting = os.environ.get("CNAPS_REGEX_CACHE", "").strip()
    if setting.lower() == "off":
        return None
    if setting:
        folder = setting
    elif sys.platform.startswith("linux"):  # platformdirs' rule, without importing it at start-up
        base = os.environ.get("XDG_CACHE_HOME", "")
        folder = os.path.join(base if base.strip() else os.path.expanduser("~/.cache"), "cnaps-llm")
    else:
        from platformdirs import user_cache_dir

        folder = user_cache_dir("cnaps-llm", appauthor=False)
    return os.path.join(folder, f"regex-{sys.implementation.cache_tag}-{zlib.crc32(_version().encode()):08x}.marshal")


def _load() -> None:
    global _programs, _file
    _programs = {}
    try:
        _file = cache_file()
        if _file is None:
            return
        with open(_file, "rb") as f:
            data = marshal.loads(f.read())  # marshal.load(f) reads item by item: ten times slower
        if type(data) is tuple and len(data) == 2 and data[0] == _version() and type(data[1]) is dict:
            _programs = data[1]
    except Exception:  # missing, damaged or foreign: compile afresh and write it again
        pass


def _all_kept() -> bool:
    """Whether the file may keep every program it holds, not only those this run used
    (each held marshalled: its size is that of its code)."""
    assert _programs is not None
    if len(_programs) > MAX_KEPT:
        return False
    used = sum(len(_programs[k]) for k in _used if k in _programs)
    return sum(len(entry) for entry in _programs.values()) <= MAX_KEPT_SIZE * used


def _save() -> None:
    """Write the programs when this run added any, atomically (a reader never sees half a file)."""
    if not _added or _file is None or _programs is None:
        return
    tmp = f"{_file}.{os.getpid()}.tmp"
    try:
        for key, entry in _programs.items():
            if type(entry) is not bytes:
                _programs[key] = marshal.dumps(entry)
        kept = _programs if _all_kept() else {k: _programs[k] for k in _used}
        os.makedirs(os.path.dirname(_file), exist_ok=True)
        with open(tmp, "wb") as f:
            marshal.dump((_version(), kept), f)
        os.replace(tmp, _file)
    except Exception:  # read-only or full disk: the next run compiles again
        try:
            os.remove(tmp)
        except OSError:
            pass


# the only characters re.IGNORECASE matches to an ASCII letter that lower() does not turn
# into it (İ also lowers to two characters)
_FOLD_APART = ("\u0130", "\u0131", "\u017f")  # İ ı ſ


def lower_for_search(text: str) -> str | None:
    """``text.lower()``, the same length, when lower-case patterns on it match exactly
    what they match on ``text`` with re.IGNORECASE (which makes re try every branch at
    every position); None for the rare text where they may differ."""
    if any(c in text for c in _FOLD_APART):
        return None
    return text.lower()


def trie_regex(paths: list[list[str]]) -> str:
    """One regex for many token sequences (regex pieces), shared prefixes written once.

    Python's re has no trie for long alternations: ``a|b|c…`` tries every branch at
    every position, while a trie rejects a non-matching word in a step or two.
    """
    trie: dict[str, dict] = {}
    for path in paths:
        node = trie
        for tok in path:
            node = node.setdefault(tok, {})
        node[""] = {}
    return _render(trie)


def _render(node: dict[str, dict]) -> str:
    alts = [tok + _render(child) for tok, child in node.items() if tok]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"
    return f"(?:{body})?" if "" in node else body


def by_lead(leads: str, rest: str, flags: int = 0) -> tuple[re.Pattern[str], ...]:
    """``[leads]rest`` as one pattern per leading character, for ``finditer_any``."""
    return tuple(compile(re.escape(c) + rest, flags) for c in leads)


def finditer_any(patterns: tuple[re.Pattern[str], ...], text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
    """The matches ``finditer`` gives for the alternation of ``patterns``: leftmost first,
    none overlapping, within ``text[pos:endpos]`` (a look-behind still sees the text
    before ``pos``, as in ``Pattern.finditer(text, pos, endpos)``). Each pattern must
    start with its own literal character and never match empty (``by_lead`` makes such
    patterns).

    re skips ahead to a literal in C, but tests a leading character class character by
    character: several literal-led searches over 3 KB cost a third of one class-led one.
    """
    end = len(text) if endpos is None else endpos
    found = [p.search(text, pos, end) for p in patterns]
    while True:
        best = None
        for k, m in enumerate(found):
            if m is not None and m.start() < pos:  # overlapped by the last match: look again
                m = found[k] = patterns[k].search(text, pos, end)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return
        yield best
        pos = best.end()


# --------------------------------------------------------------------------- code fences


def _fence_line(text: str, at: int, lo: int) -> int:
    """The first line start ``q``, ``lo <= q <= at``, with only whitespace from ``q`` to
    ``at``; -1 if there is none."""
    k = at
    while k > lo and text[k - 1].isspace():
        k -= 1
    if k == 0:
        return 0
    n = text.find("\n", k - 1, at)  # k >= lo: the walk stops there
    return -1 if n < 0 else n + 1


# "```" at the text's start or after whitespace: the only places _fence_line can accept
# (a run of backticks is passed over in C, not tried position by position)
_FENCE_CANDIDATE = compile(r"```(?<!\S```)")


def _at(text: str, pos: int) -> int:
    m = _FENCE_CANDIDATE.search(text, pos)
    return -1 if m is None else m.start()


def fence_spans(text: str) -> list[tuple[int, int]]:
    """Code fences, from the line start of an opening "```" to the end of its closing
    one: where the regex ``(?ms)^\\s*```.*?^\\s*``` `` matches, found instead from each
    "```" outward (that regex has no literal to skip ahead to: it costs a scan of the text)."""
    spans = []
    pos = 0
    while True:
        opening = _at(text, pos)
        while opening >= 0 and (start := _fence_line(text, opening, pos)) < 0:
            opening = _at(text, opening + 1)
        if opening < 0:
            return spans
        closing = _at(text, opening + 3)
        while closing >= 0 and _fence_line(text, closing, opening + 3) < 0:
            closing = _at(text, closing + 1)
        if closing < 0:  # no fence closes it, so none after it can close either
            return spans
        pos = closing + 3
        spans.append((start, pos))


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``(start, end)`` spans sorted, those that overlap or touch joined into one."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged
