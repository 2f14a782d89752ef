"""Regex building blocks the scanners share: trie-shaped alternations, literal-led
pattern sets, and a case-folding shortcut.

Invariant: pure functions of their arguments; each builds or runs patterns that
match exactly what the plain regex they replace would (``tests/test_scanners.py``
holds each to its plain form). Nothing here knows a word list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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


def _render(node: dict[str, dict]) -> str:
    alts = [tok + _render(child) for tok, child in node.items() if tok]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"
    return f"(?:{body})?" if "" in node else body


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


# --------------------------------------------------------------------------- code fences


def _fence_line(text: str, at: int, lo: int) -> int:
    """The first line start ``q``, ``lo <= q <= at``, with only whitespace from ``q`` to
    ``at``; -1 if there is none."""
    k = at
    while k > lo and text[k - 1].isspace():
        k -= 1
    if k == 0:
        return 0
    n = text.find("\n", k - 1, at)  # k >= lo: the walk stops there
    return -1 if n < 0 else n + 1


# "```" at the text's start or after whitespace: the only places _fence_line can accept
# (a run of backticks is passed over in C, not tried position by position)
_FENCE_CANDIDATE = re.compile(r"```(?<!\S```)")


def _at(text: str, pos: int) -> int:
    m = _FENCE_CANDIDATE.search(text, pos)
    return -1 if m is None else m.start()


def fence_spans(text: str) -> list[tuple[int, int]]:
    """Code fences, from the line start of an opening "```" to the end of its closing
    one: where the regex ``(?ms)^\\s*```.*?^\\s*``` `` matches, found instead from each
    "```" outward (that regex has no literal to skip ahead to: it costs a scan of the text)."""
    spans = []
    pos = 0
    while True:
        opening = _at(text, pos)
        while opening >= 0 and (start := _fence_line(text, opening, pos)) < 0:
            opening = _at(text, opening + 1)
        if opening < 0:
            return spans
        closing = _at(text, opening + 3)
        while closing >= 0 and _fence_line(text, closing, opening + 3) < 0:
            closing = _at(text, closing + 1)
        if closing < 0:  # no fence closes it, so none after it can close either
            return spans
        pos = closing + 3
        spans.append((start, pos))
