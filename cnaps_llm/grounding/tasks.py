"""Find task claims (denoising, object tracking, text-to-image…) in text."""

from __future__ import annotations

from collections.abc import Iterator

from . import vocab



def tasks_in(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(task index, offset, matched text)`` for every task term in ``text``.

    Terms are tried only where a word starts with their first three letters.
    """
    _, index = vocab.tasks()
    low = text.lower()
    covered = 0
    for w in vocab.task_starts().finditer(low):
        start = w.start()
        cands = index.get(w.group())
        if not cands or start < covered:
            continue
        best: tuple[int, int] | None = None  # the longest term wins: "pose-to-motion" over "pose"
        for task, pat in cands:
            m = pat.match(low, start)
            if m and (best is None or m.end() > best[1]):
                best = (task, m.end())
        if best:
            covered = best[1]
            yield best[0], start, text[start : best[1]]
