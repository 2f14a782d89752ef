"""Vocabularies shipped as data files, loaded once per process.

Invariant: code holds no word lists; the files in ``data/`` do (names: ``NAME_FILES``;
never names: ``GENERIC_FILES``; tasks: ``tasks.json``), so they can be extended without
touching the rules. Names are stored squashed (``squash``), the form every look-up compares.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache, lru_cache
from typing import NamedTuple

from .kept import kept

_NOT_ALNUM_BYTES = bytes(b for b in range(128) if not (48 <= b <= 57 or 97 <= b <= 122))


def squash(text: str) -> str:
    """Lower case with everything but ASCII letters and digits removed: ``Noise-DA`` -> ``noiseda``."""
    # in C end to end: a regex substitution was a tenth of a whole check on a 3 KB answer
    return text.lower().encode("ascii", "ignore").translate(None, _NOT_ALNUM_BYTES).decode("ascii")


@lru_cache(maxsize=50_000)
def squash_word(word: str) -> str:
    """``squash`` for short strings that recur (chunks, names), remembered."""
    return squash(word)


_DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


def data_text(name: str) -> str:
    """The word list ``data/<name>``, read from the package folder as any install from a
    wheel or a checkout has it (a fifth of the time importlib.resources takes per file,
    and ``import cnaps_llm.grounding`` does not import it), or through importlib.resources
    from a zipped package."""
    try:
        with open(os.path.join(_DATA, name), encoding="utf-8") as f:
            return f.read()
    except OSError:
        from importlib.resources import files

        return files("cnaps_llm").joinpath("data", name).read_text(encoding="utf-8")


def data_lines(name: str) -> list[str]:
    text = data_text(name)
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


# models, methods and datasets; named metrics; software and apps; hardware and devices
NAME_FILES = ("models.txt", "metrics.txt", "software.txt", "hardware.txt")
# generic families and terms; file formats, colour spaces and languages
GENERIC_FILES = ("generic.txt", "formats.txt")
FAMILY = " #"  # a name line ending so names a family whose members add a model number


class NameVocab(NamedTuple):
    any_case: frozenset[str]  # squashed names matched in any letter case
    exact: frozenset[str]  # names matched only as written (could be ordinary words)
    multi_first: frozenset[str]  # squashed first words of multi-word names
    max_words: int
    families: frozenset[str] = frozenset()  # squashed family names ("rtx"): a model number may follow
    family_only: frozenset[str] = frozenset()  # squashed family names that are no name without one


def _is_wordlike(name: str) -> bool:
    # a plain capitalised word (Whisper) or a short all-caps word (SAM) could be ordinary text
    return bool(re.fullmatch(r"[A-Z][a-z]+|[A-Z]{2,5}|[a-z]+", name))


@cache
def names() -> NameVocab:
    return NameVocab(*kept("vocab.names", _name_tables))


def _name_tables() -> tuple:
    """``NameVocab``'s fields, parsed from the name files."""
    any_case, exact, first = set(), set(), set()
    longest = 1
    lines = [ln for f in NAME_FILES for ln in data_lines(f)]
    families = {squash(ln[: -len(FAMILY)]) for ln in lines if ln.endswith(FAMILY)}
    alone = {squash(ln) for ln in lines if not ln.endswith(FAMILY)}
    for line in lines:
        name = line[: -len(FAMILY)] if line.endswith(FAMILY) else line
        words = name.split()
        longest = max(longest, len(words))
        if len(words) > 1:
            first.add(squash(words[0]))
        if _is_wordlike(name):
            exact.add(name)
        else:
            any_case.add(squash(name))
    return (frozenset(any_case), frozenset(exact), frozenset(first), longest, frozenset(families), frozenset(families - alone))


@cache
def generic() -> frozenset[str]:
    return frozenset(squash(w) for f in GENERIC_FILES for w in data_lines(f))


class Task(NamedTuple):
    name: str
    terms: tuple[str, ...]  # in the term syntax ``tasks.parse_term`` reads: "reduc* noise"
    implied_by: tuple[str, ...]


@cache
def tasks() -> tuple[Task, ...]:
    """The task vocabulary from ``data/tasks.json``, in file order (a task's index is its id)."""
    raw = json.loads(data_text("tasks.json"))
    return tuple(Task(t["name"], tuple(t["terms"]), tuple(t.get("implied_by", ()))) for t in raw["tasks"])
