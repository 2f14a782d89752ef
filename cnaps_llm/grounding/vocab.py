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
    patterns: tuple[re.Pattern[str], ...]
    implied_by: tuple[str, ...]


def _term_regex(term: str) -> re.Pattern[str]:
    # "reduc* noise" -> reduc[a-z0-9]*[\s\-_]*noise(?![a-z0-9])
    words = re.split(r"[\s\-_]+", term.lower())
    body = r"[\s\-_]*".join(re.escape(w.rstrip("*")) + ("[a-z0-9]*" if w.endswith("*") else "") for w in words)
    return re.compile(body + ("" if term.endswith("*") else r"(?![a-z0-9])"))


@cache
def task_starts() -> re.Pattern[str]:
    """One regex for every place a task term can start: its first three letters after a word boundary.

    Grouped by first letter, so the engine rejects most word starts in one step.
    """
    _, index = tasks()
    by_first: dict[str, set[str]] = {}
    for key in index:
        by_first.setdefault(key[0], set()).add(re.escape(key[1:]))
    alts = "|".join(f"{re.escape(c)}(?:{'|'.join(sorted(rest, key=len, reverse=True))})" for c, rest in sorted(by_first.items()))
    return re.compile(f"(?<![0-9a-z])(?:{alts})")


@cache
def tasks() -> tuple[tuple[Task, ...], dict[str, tuple[tuple[int, re.Pattern[str]], ...]]]:
    """The tasks, and an index from a term's first three letters to ``(task index, pattern)``.

    The index lets the scanner try only the few terms that can start at a word,
    instead of running every term's regex over the whole text.
    """
    raw = json.loads(files("cnaps_llm").joinpath("data", "tasks.json").read_text(encoding="utf-8"))
    out: list[Task] = []
    index: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
    for i, t in enumerate(raw["tasks"]):
        pats = tuple(_term_regex(term) for term in t["terms"])
        out.append(Task(t["name"], pats, tuple(t.get("implied_by", ()))))
        for term, pat in zip(t["terms"], pats, strict=True):
            index.setdefault(squash(term)[:3], []).append((i, pat))
    return tuple(out), {k: tuple(v) for k, v in index.items()}
