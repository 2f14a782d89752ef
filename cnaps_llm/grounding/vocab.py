"""Vocabularies shipped as data files, loaded once per process.

Invariant: code holds no word lists; ``data/models.txt``, ``data/generic.txt`` and
``data/tasks.json`` do, so they can be extended without touching the rules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def squash(text: str) -> str:
    """Lower case with everything but letters and digits removed: ``Noise-DA`` -> ``noiseda``."""
    return _NON_ALNUM.sub("", text.lower())


_SQUASHED: dict[str, str] = {}


def squash_word(word: str) -> str:
    """``squash`` for short strings that recur (chunks, names), remembered."""
    out = _SQUASHED.get(word)
    if out is None:
        if len(_SQUASHED) >= 50_000:
            _SQUASHED.clear()
        out = _SQUASHED[word] = squash(word)
    return out


def _lines(name: str) -> list[str]:
    text = files("cnaps_llm").joinpath("data", name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@dataclass(frozen=True)
class NameVocab:
    any_case: frozenset[str]  # squashed names matched in any letter case
    exact: frozenset[str]  # names matched only as written (could be ordinary words)
    multi_first: frozenset[str]  # squashed first words of multi-word names
    max_words: int


def _is_wordlike(name: str) -> bool:
    # a plain capitalised word (Whisper) or a short all-caps word (SAM) could be ordinary text
    return bool(re.fullmatch(r"[A-Z][a-z]+|[A-Z]{2,5}|[a-z]+", name))


@cache
def names() -> NameVocab:
    any_case, exact, first = set(), set(), set()
    longest = 1
    for name in _lines("models.txt"):
        words = name.split()
        longest = max(longest, len(words))
        if len(words) > 1:
            first.add(squash(words[0]))
        if _is_wordlike(name):
            exact.add(name)
        else:
            any_case.add(squash(name))
    return NameVocab(frozenset(any_case), frozenset(exact), frozenset(first), longest)


@cache
def generic() -> frozenset[str]:
    return frozenset(squash(w) for w in _lines("generic.txt"))


@dataclass(frozen=True)
class Task:
    name: str
    terms: tuple[str, ...]
    implied_by: tuple[str, ...]


_SEP = " -_\t\n"
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


@cache
def parse_term(term: str) -> tuple[tuple[str, bool], ...]:
    """``"reduc* noise"`` -> ``(("reduc", True), ("noise", False))``: words, and whether each is a stem."""
    return tuple((w.rstrip("*"), w.endswith("*")) for w in re.split(r"[\s\-_]+", term.lower()) if w)


def match_term(low: str, start: int, term: str) -> int | None:
    """End of ``term`` matched at ``low[start:]`` (lower-cased text), or None.

    A space or hyphen in a term matches any run of spaces, hyphens or underscores (or
    none); a trailing ``*`` matches any word ending. Plain string operations, not a
    regex per term: compiling ~300 regexes cost more start-up time than a check.
    """
    pos, n = start, len(low)
    words = parse_term(term)
    for k, (word, stem) in enumerate(words):
        if k:
            while pos < n and low[pos] in _SEP:
                pos += 1
        if not low.startswith(word, pos):
            return None
        pos += len(word)
        if stem:
            while pos < n and low[pos] in _ALNUM:
                pos += 1
    if not words[-1][1] and pos < n and low[pos] in _ALNUM:
        return None
    return pos


@cache
def task_starts() -> tuple[re.Pattern[str], dict[str, tuple[tuple[str, tuple[tuple[int, str], ...]], ...]]]:
    """Where a task term can start, and which terms to try there.

    One regex of the terms' first words after a word boundary finds the candidates;
    the map sends a found word's first three letters to the first words
    that share them, each with its ``(task index, term)`` pairs. Most words of an
    answer never match, so a 3 KB answer costs one regex pass and a few term tests.
    """
    all_tasks = tasks()
    by_first: dict[str, list[tuple[int, str]]] = {}
    for i, t in enumerate(all_tasks):
        for term in t.terms:
            by_first.setdefault(parse_term(term)[0][0], []).append((i, term))
    firsts = sorted(by_first, key=len, reverse=True)
    # Python's re has no trie for long alternations: group the first words by their
    # first letter so a non-matching word start is rejected in one or two steps
    by_letter: dict[str, set[str]] = {}
    for f in firsts:
        by_letter.setdefault(f[0], set()).add(re.escape(f[1:]))
    alts = "|".join(f"{re.escape(c)}(?:{'|'.join(sorted(rest, key=len, reverse=True))})" for c, rest in sorted(by_letter.items()))
    pattern = re.compile(f"(?<![0-9a-z])(?:{alts})")
    groups: dict[str, list[tuple[str, tuple[tuple[int, str], ...]]]] = {}
    for f in firsts:
        groups.setdefault(f[:3], []).append((f, tuple(by_first[f])))
    return pattern, {k: tuple(v) for k, v in groups.items()}


@cache
def tasks() -> tuple[Task, ...]:
    """The task vocabulary from ``data/tasks.json``, in file order (a task's index is its id)."""
    raw = json.loads(files("cnaps_llm").joinpath("data", "tasks.json").read_text(encoding="utf-8"))
    return tuple(Task(t["name"], tuple(t["terms"]), tuple(t.get("implied_by", ()))) for t in raw["tasks"])
