"""Vocabularies shipped as data files, loaded once per process.

Invariant: code holds no word lists; ``data/models.txt``, ``data/generic.txt`` and
``data/tasks.json`` do, so they can be extended without touching the rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

_NOT_ALNUM_BYTES = bytes(b for b in range(128) if not (48 <= b <= 57 or 97 <= b <= 122))


def squash(text: str) -> str:
    """Lower case with everything but ASCII letters and digits removed: ``Noise-DA`` -> ``noiseda``."""
    # in C end to end: a regex substitution was a tenth of a whole check on a 3 KB answer
    return text.lower().encode("ascii", "ignore").translate(None, _NOT_ALNUM_BYTES).decode("ascii")


_SQUASHED: dict[str, str] = {}


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


_SEP_RE, _STEM_RE, _END_RE = "[ \t\n_-]*+", "[0-9a-z]*+", "(?![0-9a-z])"


def _term_tokens(term: str) -> list[str]:
    """A term as regex pieces, one per character: what ``match_term`` accepts, as a trie path."""
    words = parse_term(term)
    out: list[str] = []
    for k, (word, stem) in enumerate(words):
        if k:
            out.append(_SEP_RE)
        out += [re.escape(c) for c in word]
        if stem:
            out.append(_STEM_RE)
    if not words[-1][1]:
        out.append(_END_RE)
    return out


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


def by_lead(leads: str, rest: str, flags: int = 0) -> tuple[re.Pattern[str], ...]:
    """``[leads]rest`` as one pattern per leading character, for ``finditer_any``."""
    return tuple(re.compile(re.escape(c) + rest, flags) for c in leads)


def finditer_any(patterns: tuple[re.Pattern[str], ...], text: str) -> Iterator[re.Match[str]]:
    """The matches ``finditer`` gives for the alternation of ``patterns``: leftmost first,
    none overlapping. Each pattern must start with its own literal character and never
    match empty (``by_lead`` makes such patterns).

    re skips ahead to a literal in C, but tests a leading character class character by
    character: several literal-led searches over 3 KB cost a third of one class-led one.
    """
    found = [p.search(text) for p in patterns]
    pos = 0
    while True:
        best = None
        for k, m in enumerate(found):
            if m is not None and m.start() < pos:  # overlapped by the last match: look again
                m = found[k] = patterns[k].search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return
        yield best
        pos = best.end()


def _render(node: dict[str, dict]) -> str:
    alts = [tok + _render(child) for tok, child in node.items() if tok]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"
    return f"(?:{body})?" if "" in node else body


@cache
def task_scan() -> tuple[re.Pattern[str], tuple[tuple[str, tuple[tuple[int, str], ...]], ...]]:
    """Where task terms occur, and the terms to try there.

    The pattern is every term at once, as a trie. It starts with the one character
    before a word, so the search skips through the text in C to the few places a
    word begins; search ``" " + text.lower()`` and the term starts one after the
    match. The groups pair each term's first word with its ``(task index, term)``
    pairs, longest first.
    """
    by_first: dict[str, list[tuple[int, str]]] = {}
    for i, t in enumerate(tasks()):
        for term in t.terms:
            by_first.setdefault(parse_term(term)[0][0], []).append((i, term))
    pattern = re.compile("[^0-9a-z]" + trie_regex([_term_tokens(term) for t in tasks() for term in t.terms]))
    groups = tuple((f, tuple(by_first[f])) for f in sorted(by_first, key=len, reverse=True))
    return pattern, groups


@cache
def tasks() -> tuple[Task, ...]:
    """The task vocabulary from ``data/tasks.json``, in file order (a task's index is its id)."""
    raw = json.loads(files("cnaps_llm").joinpath("data", "tasks.json").read_text(encoding="utf-8"))
    return tuple(Task(t["name"], tuple(t["terms"]), tuple(t.get("implied_by", ()))) for t in raw["tasks"])
