"""Find task claims (denoising, object tracking, text-to-image…) in text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from . import vocab

_WORD_END = re.compile(r"[0-9a-z]*")
_NEXT_WORD = re.compile(r"[\s\-_]*([0-9a-z]*)")
# the phrase a term can span: its first word and up to k - 1 more
_PHRASE = [re.compile(r"[0-9a-z]+" + r"(?:[\s\-_]+[0-9a-z]+)?" * (k - 1)) for k in range(1, 7)]
_MEMO: dict[str, tuple[int, int] | None] = {}
_MEMO_MAX = 50_000


@cache
def _starting(head: str) -> tuple[re.Pattern[str], tuple[tuple[str, tuple[tuple[int, str], ...]], ...]]:
    """For a word's first three letters: the phrase it can start, and the terms to try."""
    _, groups = vocab.task_scan()
    cands = tuple((first, terms) for first, terms in groups if head.startswith(first[:3]))
    span = max((len(vocab.parse_term(term)) for _, terms in cands for _, term in terms), default=1)
    return _PHRASE[span - 1], cands


def _match_phrase(phrase: str, cands: tuple[tuple[str, tuple[tuple[int, str], ...]], ...]) -> tuple[int, int] | None:
    """``(task index, length)`` of the longest term at the start of ``phrase``, if any."""
    word_end = _WORD_END.match(phrase).end()  # type: ignore[union-attr]
    word = phrase[:word_end]
    second: str | None = None  # the next word, read only if a multi-word term needs it
    best: tuple[int, int] | None = None  # the longest term wins: "pose-to-motion" over "pose"
    for first, terms in cands:
        if not word.startswith(first):
            continue
        for task, term in terms:
            words = vocab.parse_term(term)
            if len(words) == 1:  # most terms: one word, compared without a scan
                stem, is_stem = words[0]
                end = word_end if (word == stem or (is_stem and word.startswith(stem))) else None
            else:
                if second is None:
                    second = _NEXT_WORD.match(phrase, word_end).group(1)  # type: ignore[union-attr]
                stem2, is_stem2 = words[1]
                whole_first = len(word) == len(words[0][0]) or words[0][1]
                ok = not whole_first or second == stem2 or (is_stem2 and second.startswith(stem2))
                end = vocab.match_term(phrase, 0, term) if ok else None
            if end is not None and (best is None or end > best[1]):
                best = (task, end)
    return best


def tasks_in(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(task index, offset, matched text)`` for every task term in ``text``.

    One regex search finds each place a term occurs; which task it is, and the
    longest term there, is worked out once per phrase and remembered: an answer says
    "denoising" many times over.
    """
    pattern, _ = vocab.task_scan()
    low = " " + text.lower()  # the pattern starts with the character before a word
    if len(low) != len(text) + 1:  # "İ" lowers to two characters: keep offsets aligned
        low = " " + "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    search = pattern.search
    pos = 0
    while (m := search(low, pos)) is not None:
        start = m.start() + 1  # in ``low``; the same offset minus one in ``text``
        phrase_at, cands = _starting(low[start : start + 3])
        phrase = phrase_at.match(low, start).group()  # type: ignore[union-attr]
        hit = _MEMO.get(phrase, False)
        if hit is False:
            hit = _match_phrase(phrase, cands)
            if len(_MEMO) >= _MEMO_MAX:
                _MEMO.clear()
            _MEMO[phrase] = hit
        if hit:
            pos = start + hit[1]
            yield hit[0], start - 1, text[start - 1 : pos - 1]
        else:  # not a term after all (the pattern may allow more than the terms): next word
            pos = start
