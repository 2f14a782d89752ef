"""Tasks described in plain words: the phrases of ``data/task_cues.json`` ("too blurry",
"make it four times bigger", "is there an animal in it") in a question or a source.

Invariant: a phrase is found where its words follow each other as ``match_cue``
defines it (spaces or tabs between them, never a line break); the look-up by first
word (``supported_in``) only decides which phrases are tried where.
"""

from __future__ import annotations

import re
from functools import cache

from . import patterns
from .kept import kept
from .tasks import ALNUM, cue_data, cue_file, task_index, tasks_in

_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten twice double triple half".split())
_GAP_WORDS = 4  # how many words a "…" in a phrase stands for
_Token = tuple[str, str, bool]  # (kind: "word" | "#" | "#x" | "…", word, is a stem)


@cache
def parse_cue(cue: str) -> tuple[_Token, ...]:
    """``"restor* … face"`` -> ``(("word", "restor", True), ("…", "", False), ("word", "face", False))``."""
    out: list[_Token] = []
    for word in cue.lower().split():
        if word in ("#", "#x", "…"):
            out.append((word, "", False))
        else:
            out.append(("word", word.rstrip("*"), word.endswith("*")))
    return tuple(out)


def _skip_spaces(low: str, pos: int) -> int:
    n = len(low)
    while pos < n and low[pos] in " \t":
        pos += 1
    return pos


def _word_end(low: str, pos: int) -> int:
    n = len(low)
    while pos < n and low[pos] in ALNUM:
        pos += 1
    return pos


@cache
def _parts(word: str) -> tuple[str, ...]:
    """A phrase word's pieces between hyphens and underscores."""
    return tuple(p for p in re.split(r"[-_]", word) if p)


def _match_token(low: str, pos: int, token: _Token) -> int | None:
    """End of ``token`` matched at ``low[pos:]``, or None."""
    kind, word, stem = token
    n = len(low)
    if kind == "#":
        end = _word_end(low, pos)
        if low[pos:end] in _NUMBER_WORDS:
            return end
        k = pos
        while k < n and low[k].isdigit() and low[k] in ALNUM:
            k += 1
        if k == pos:
            return None
        if k + 1 < n and low[k] in ".," and low[k + 1].isdigit() and low[k + 1] in ALNUM:
            k += 1
            while k < n and low[k].isdigit() and low[k] in ALNUM:
                k += 1
        return None if k < n and low[k] in ALNUM else k
    if kind == "#x":
        if pos < n and low[pos] in "x×":
            k = _skip_spaces(low, pos + 1)
            digits = _word_end(low, k)
            return digits if digits > k and low[k:digits].isdigit() else None
        k = pos
        while k < n and low[k] in "0123456789":
            k += 1
        if k == pos:
            return None
        if k + 1 < n and low[k] == "." and low[k + 1] in "0123456789":
            k += 1
            while k < n and low[k] in "0123456789":
                k += 1
        k = _skip_spaces(low, k)
        if k < n and low[k] in "x×":
            return None if k + 1 < n and low[k + 1] in ALNUM else k + 1
        return None
    # a word; a hyphen in it matches any run of spaces, tabs, hyphens or underscores, or none
    parts = _parts(word)
    k = pos
    for i, part in enumerate(parts):
        if i:
            while k < n and low[k] in " \t_-":
                k += 1
        if not low.startswith(part, k):
            return None
        k += len(part)
    if stem:
        return _word_end(low, k)
    return None if k < n and low[k] in ALNUM else k


def match_cue(low: str, pos: int, tokens: tuple[_Token, ...]) -> bool:
    """Does the phrase (``parse_cue``) occur at ``low[pos:]`` (lower-cased text), its
    words apart by spaces or tabs, never by a line break?"""
    if not tokens:
        return True
    head, rest = tokens[0], tokens[1:]
    if head[0] == "…":  # up to four words, then the rest
        for _ in range(_GAP_WORDS + 1):
            if match_cue(low, pos, rest):
                return True
            k = pos
            while k < len(low) and not low[k].isspace():
                k += 1
            if k == pos or k >= len(low) or low[k] not in " \t":
                return False
            pos = _skip_spaces(low, k)
        return False
    end = _match_token(low, pos, head)
    if end is None:
        return False
    if not rest:
        return True
    k = _skip_spaces(low, end)
    return k > end and match_cue(low, k, rest)


@cache
def _cues_by_head() -> dict[str, tuple[tuple[int, tuple[_Token, ...]], ...]]:
    """Every ``asked`` and ``said`` phrase as ``(task index, tokens)``, keyed by what its
    first word starts with: its first three letters (all of it if shorter), or ``#`` for
    a phrase led by a number. Kept between runs (``kept``)."""
    return kept("cues.by_head", _build_cues_by_head)


def _build_cues_by_head() -> dict[str, tuple[tuple[int, tuple[_Token, ...]], ...]]:
    index = task_index()
    out: dict[str, list[tuple[int, tuple[_Token, ...]]]] = {}
    for name, cues in cue_data().items():
        for cue in (*cues.get("asked", ()), *cues.get("said", ())):
            tokens = parse_cue(cue)
            key = "#" if tokens[0][0] != "word" else re.match(r"[0-9a-z]*", tokens[0][1]).group()[:3]  # type: ignore[union-attr]
            out.setdefault(key, []).append((index[name], tokens))
    return {k: tuple(v) for k, v in out.items()}


_WORD = patterns.compile(r"[0-9a-z]+")
# a negated auxiliary right before a phrase, an adverb at most between: "does not describe",
# "never uses a different style"; "is not sharp" still asks for sharpness, so a copula is no such
_NEGATED = patterns.compile(
    r"(?:\b(?:do|does|did|can|could|will|would|should|must)(?:n[’']t|\s+not)|\bcannot|\bnever)\s+(?:[a-z]+ly\s+)?$"
)


def _negated(low: str, at: int) -> bool:
    return _NEGATED.search(low, max(0, at - 30), at) is not None


_COMPOUND = patterns.compile(r"(?<![0-9a-z])([a-z]+)2([a-z]+|3d)(?![0-9a-z])")


def _compound_tasks(low: str) -> set[int]:
    """The tasks of ``A2B`` prefixes (``Txt2Voice`` -> "text to speech"), their short words
    read in full by the cue file's ``compounds``."""
    full = cue_file()["compounds"]["words"]
    found: set[int] = set()
    for m in _COMPOUND.finditer(low):
        a, b = full.get(m.group(1)), full.get(m.group(2))
        if a and b:
            found |= {t for t, _, _ in tasks_in(f"{a} to {b}")}
    return found


def supported_in(text: str) -> set[int]:
    """The tasks ``text`` (a question, a source) describes in plain words, where no
    negated auxiliary governs the phrase ("this paper does not describe…").

    Driven by the text's words: at each word, only the phrases whose first word can
    start there are tried, with string operations (a regex per phrase cost more to
    compile than the whole look-up).
    """
    low = text.lower()
    heads = _cues_by_head()
    found: set[int] = _compound_tasks(low) if "2" in low else set()
    for m in _WORD.finditer(low):
        word = m.group()
        keys = [word[:3]]
        if word[0].isdigit() or word in _NUMBER_WORDS or word[0] == "x":  # "4", "four", "x4", "x 4"
            keys.append("#")
        for key in keys:
            for task, tokens in heads.get(key, ()):
                if task not in found and match_cue(low, m.start(), tokens) and not _negated(low, m.start()):
                    found.add(task)
    return found
