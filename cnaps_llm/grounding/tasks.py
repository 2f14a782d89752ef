"""Find task claims (denoising, object tracking, text-to-image…) in text.

Invariant: a task is found where one of its terms (``data/tasks.json``) occurs at a
word start, as ``match_term`` defines it; where several do, the longest wins. The
trie-shaped scan and the memo tables only make that fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from . import patterns, vocab

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


@cache
def task_scan() -> tuple[re.Pattern[str], tuple[tuple[str, tuple[tuple[int, str], ...]], ...]]:
    """Where task terms occur, and the terms to try there.

    The pattern is every term at once, as a trie. It starts with the one character
    before a word, so the search skips through the text in C to the few places a
    word begins; search ``" " + text.lower()`` and the term starts one after the
    match. The groups pair each term's first word with its ``(task index, term)``
    pairs, longest first.
    """
    all_tasks = vocab.tasks()
    by_first: dict[str, list[tuple[int, str]]] = {}
    for i, t in enumerate(all_tasks):
        for term in t.terms:
            by_first.setdefault(parse_term(term)[0][0], []).append((i, term))
    trie = patterns.trie_regex([_term_tokens(term) for t in all_tasks for term in t.terms])
    groups = tuple((f, tuple(by_first[f])) for f in sorted(by_first, key=len, reverse=True))
    return re.compile("[^0-9a-z]" + trie), groups


_WORD_END = re.compile(r"[0-9a-z]*")
_NEXT_WORD = re.compile(r"[\s\-_]*([0-9a-z]*)")
# the phrase a term can span: its first word and up to k - 1 more
_PHRASE = [re.compile(r"[0-9a-z]+" + r"(?:[\s\-_]+[0-9a-z]+)?" * (k - 1)) for k in range(1, 7)]
_Candidates = tuple[tuple[str, tuple[tuple[int, str], ...]], ...]


@cache
def _starting(head: str) -> tuple[re.Pattern[str], _Candidates]:
    """For a word's first three letters: the phrase it can start, and the terms to try."""
    _, groups = task_scan()
    cands = tuple((first, terms) for first, terms in groups if head.startswith(first[:3]))
    span = max((len(parse_term(term)) for _, terms in cands for _, term in terms), default=1)
    return _PHRASE[span - 1], cands


@lru_cache(maxsize=50_000)
def _task_at(phrase: str) -> tuple[int, int] | None:
    """``(task index, length)`` of the longest term at the start of ``phrase``, if any.

    Remembered per phrase: an answer says "denoising" many times over. The terms to
    try depend only on the phrase's first three characters (``_starting``).
    """
    cands = _starting(phrase[:3])[1]
    word_end = _WORD_END.match(phrase).end()  # type: ignore[union-attr]
    word = phrase[:word_end]
    second: str | None = None  # the next word, read only if a multi-word term needs it
    best: tuple[int, int] | None = None  # the longest term wins: "pose-to-motion" over "pose"
    for first, terms in cands:
        if not word.startswith(first):
            continue
        for task, term in terms:
            words = parse_term(term)
            if len(words) == 1:  # most terms: one word, compared without a scan
                stem, is_stem = words[0]
                end = word_end if (word == stem or (is_stem and word.startswith(stem))) else None
            else:
                if second is None:
                    second = _NEXT_WORD.match(phrase, word_end).group(1)  # type: ignore[union-attr]
                stem2, is_stem2 = words[1]
                whole_first = len(word) == len(words[0][0]) or words[0][1]
                ok = not whole_first or second == stem2 or (is_stem2 and second.startswith(stem2))
                end = match_term(phrase, 0, term) if ok else None
            if end is not None and (best is None or end > best[1]):
                best = (task, end)
    return best


def tasks_in(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(task index, offset, matched text)`` for every task term in ``text``.

    One regex search finds each place a term occurs; which task it is, and the
    longest term there, is worked out once per phrase (``_task_at``).
    """
    pattern, _ = task_scan()
    low = " " + text.lower()  # the pattern starts with the character before a word
    if len(low) != len(text) + 1:  # "İ" lowers to two characters: keep offsets aligned
        low = " " + "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    search = pattern.search
    pos = 0
    while (m := search(low, pos)) is not None:
        start = m.start() + 1  # in ``low``; the same offset minus one in ``text``
        phrase_at, _ = _starting(low[start : start + 3])
        hit = _task_at(phrase_at.match(low, start).group())  # type: ignore[union-attr]
        if hit:
            pos = start + hit[1]
            yield hit[0], start - 1, text[start - 1 : pos - 1]
        else:  # not a term after all (the pattern may allow more than the terms): next word
            pos = start
