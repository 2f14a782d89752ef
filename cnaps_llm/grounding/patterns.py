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
