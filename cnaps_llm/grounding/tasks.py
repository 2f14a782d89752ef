"""Find task claims (denoising, object tracking, text-to-image…) in text."""

from __future__ import annotations

from collections.abc import Iterator

import re

from . import vocab

_WORD_END = re.compile(r"[0-9a-z]*")
_NEXT_WORD = re.compile(r"[\s\-_]*([0-9a-z]*)")



def tasks_in(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(task index, offset, matched text)`` for every task term in ``text``.

    Terms are tried only where a word starts with a term's first word.
    """
    pattern, groups = vocab.task_starts()
    low = text.lower()
    covered = 0
    for w in pattern.finditer(low):
        start = w.start()
        if start < covered:
            continue
        word_end = _WORD_END.match(low, start).end()  # type: ignore[union-attr]
        word = low[start:word_end]
        second: str | None = None  # the next word, read only if a multi-word term needs it
        best: tuple[int, int] | None = None  # the longest term wins: "pose-to-motion" over "pose"
        for first, cands in groups[w.group()[:3]]:
            if not word.startswith(first):
                continue
            for task, term in cands:
                words = vocab.parse_term(term)
                if len(words) == 1:  # most terms: one word, compared without a scan
                    stem, is_stem = words[0]
                    end = word_end if (word == stem or (is_stem and word.startswith(stem))) else None
                else:
                    if second is None:
                        second = _NEXT_WORD.match(low, word_end).group(1)  # type: ignore[union-attr]
                    stem2, is_stem2 = words[1]
                    ok = second == stem2 or (is_stem2 and second.startswith(stem2)) or not word.startswith(words[0][0]) or len(word) != len(words[0][0])
                    end = vocab.match_term(low, start, term) if ok else None
                if end is not None and (best is None or end > best[1]):
                    best = (task, end)
        if best:
            covered = best[1]
            yield best[0], start, text[start : best[1]]
