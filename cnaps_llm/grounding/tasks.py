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
def _span(prefix: str) -> int:
    """How many words the longest term starting with these three letters has."""
    _, groups = vocab.task_starts()
    return max(len(vocab.parse_term(term)) for _, cands in groups[prefix] for _, term in cands)


def _match_phrase(phrase: str, prefix: str) -> tuple[int, int] | None:
    """``(task index, length)`` of the longest term at the start of ``phrase``, if any."""
    _, groups = vocab.task_starts()
    word_end = _WORD_END.match(phrase).end()  # type: ignore[union-attr]
    word = phrase[:word_end]
    second: str | None = None  # the next word, read only if a multi-word term needs it
    best: tuple[int, int] | None = None  # the longest term wins: "pose-to-motion" over "pose"
    for first, cands in groups[prefix]:
        if not word.startswith(first):
            continue
        for task, term in cands:
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

    Terms are tried only where a word starts with a term's first word, and what a
    phrase matches is remembered: an answer says "restoration" many times over.
    """
    pattern, _ = vocab.task_starts()
    low = text.lower()
    covered = 0
    for w in pattern.finditer(low):
        start = w.start()
        if start < covered:
            continue
        prefix = w.group()[:3]
        phrase = _PHRASE[_span(prefix) - 1].match(low, start).group()  # type: ignore[union-attr]
        hit = _MEMO.get(phrase, False)
        if hit is False:
            hit = _match_phrase(phrase, prefix)
            if len(_MEMO) >= _MEMO_MAX:
                _MEMO.clear()
            _MEMO[phrase] = hit
        if hit:
            covered = start + hit[1]
            yield hit[0], start, text[start:covered]
