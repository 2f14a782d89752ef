"""Find paper titles cited in text: in italics, in quotes, in bold in a reference item,
or as a link's text.

A title is text in italics, in quotes (with a colon, or a word like "for" and five
words at least; single curly quotes too), in bold in a reference item beside a link,
or a link's text (three words at least, none saying it is a link: "[MSSNet paper]")
that is mostly capitalised; a link's text or bold with that shape of a title (a colon,
or "for" in five words) is one in sentence case too.

Invariant: a pure function of the text, with no word list: nothing in a code fence is a
title, and titles are yielded in the order of their offsets, stripped of spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import patterns

# text in *italics*, or "quoted"/`quoted` (starting with a capital or digit), reads as a cited title.
# Each is ``[marks]body`` split into one pattern per opening mark (``patterns.finditer_any``),
# with no look-behind at the start: the character before the mark is checked in Python.
# Neither body can hold its closing marks, so a possessive run ends where the closing mark must be
# (backing off from a longer run only finds body characters there).
_ITALIC = patterns.by_lead("*_", r"(?![*_])([^*_\n]{12,200}+)[*_](?![*_\w])")
_QUOTED = patterns.by_lead('"“`', r"(?=[A-Z0-9])([^\"”`\n]{12,240}+)[\"”`]")
_SINGLE_QUOTED = patterns.compile(r"‘(?=[A-Z0-9])([^’\n]{12,240}+)’")  # ‘Title’ (an apostrophe closes it too)
_BOLD = patterns.compile(r"\*\*(?=[A-Z0-9])([^*\n]{12,240}+)\*\*")
_ITEM_MARKS = frozenset("-*+0123456789")  # a list item's first character (its bold's own "**" too)
_MASKED_LINK = " " * 12  # a link the url rule masked leaves a run of spaces this long at least
_LABEL = patterns.compile(r"(?:paper|title|reference|ref|source)\s*:\s*", re.I)  # "**Paper: Title**"
# words that say a link's text names the link, not a paper: [MSSNet paper](…), [code](…)
_LINK_WORDS = frozenset(
    "paper papers code repo repository github arxiv pdf project page website site link demo card huggingface "
    "here official implementation weights checkpoint homepage".split()
)
# a short quoted title said to be a paper: the "Deep Image Harmonization" paper, the paper "Deep Image Prior"
_PAPER_AFTER = patterns.compile(r"[ \t]+(?:paper|article|study|work)(?![\w-])")
_PAPER_BEFORE = patterns.compile(r"(?<![\w-])(?:paper|article|titled|entitled)[ \t]*[,:]?[ \t]*$")
_CONNECTORS = frozenset("for of with via using in on to from towards and by".split())


def _reads_as_title(t: str, *, least: int = 4) -> bool:
    words = t.split()
    caps = sum(w[:1].isupper() for w in words)
    return len(words) >= least and caps >= min(3, least) and caps / len(words) >= 0.5


def _cites(body: str) -> bool:
    """Whether quoted or bold text has a title's shape: a colon with words after it, or
    five words at least with a word like "for" or "with"."""
    if body[:1].isspace() or body[-1:].isspace():
        return False
    colon = body.find(":")
    if 3 <= colon and len(body) - colon - 1 >= 6 and len(body[colon + 1 :].split()) >= 3:
        return True
    words = body.split()
    return len(words) >= 5 and any(w.lower() in _CONNECTORS for w in words)


def _link_texts(text: str) -> Iterator[tuple[int, str]]:
    """The text of each markdown link, ``[text](``."""
    at = text.find("](")
    while at >= 0:
        open_ = text.rfind("[", max(0, at - 240), at)
        if open_ >= 0 and "]" not in text[open_ + 1 : at] and "\n" not in text[open_ + 1 : at]:
            yield open_ + 1, text[open_ + 1 : at]
        at = text.find("](", at + 2)


def titles_in(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, title)`` for text that reads as a paper's title: in italics, in
    quotes (with a colon, or with a word like "for" or "with"), in bold in a reference
    item beside a link, or as a link's text (a sentence-case one too, by that shape)."""
    # diagrams in code fences label boxes, they do not cite papers
    if "```" in text:
        pieces, last = [], 0
        for a, b in patterns.fence_spans(text):  # one join, not a copy of the text per fence
            pieces += [text[last:a], " " * (b - a)]
            last = b
        text = "".join(pieces) + text[last:]
    found = []
    if "*" in text or "_" in text:
        found += [
            (m.start(), m.group(1), True)
            for m in patterns.finditer_any(_ITALIC, text)
            if not m.start() or not (text[m.start() - 1] in "*_" or text[m.start() - 1].isalnum())
        ]
    if any(q in text for q in '"“`'):
        for m in patterns.finditer_any(_QUOTED, text):
            body = m.group(1)
            if body[0].isspace() or body[-1].isspace():
                continue  # the text between two quotes, not a quote
            colon = body.find(":")
            words = body.split()
            if 3 <= colon and len(body) - colon - 1 >= 6:
                found.append((m.start(), body, True))
            elif len(words) >= 5 and any(w.lower() in _CONNECTORS for w in words):
                found.append((m.start(), body, True))
            elif 3 <= len(words) < 5 and (_PAPER_AFTER.match(text, m.end()) or _PAPER_BEFORE.search(text, max(0, m.start() - 16), m.start() - 1)):
                found.append((m.start(), body, False))  # the "Deep Image Harmonization" paper: a short title
    if "‘" in text:
        found += [(m.start(1), m.group(1), True) for m in _SINGLE_QUOTED.finditer(text) if _cites(m.group(1))]
    if "**" in text:
        # bold cites a title only in a reference item: an item of a list beside a link
        # (masked to spaces by then, or a markdown link's brackets); else it is a heading
        for m in _BOLD.finditer(text):
            if m.group(1).endswith(":") or text[m.end() : m.end() + 1] == ":":
                continue  # "**Model Selection for Text Clarity:** …": a lead-in label
            # the item's line, read at most 400 characters either side (a reference item is short)
            lo = text.rfind("\n", max(0, m.start() - 400), m.start())
            if (lo < 0 and m.start() > 400) or text[lo + 1 : m.start()].lstrip()[:1] not in _ITEM_MARKS:
                continue
            hi = text.find("\n", m.end(), m.end() + 400)
            if hi < 0 and len(text) > m.end() + 400:
                continue
            line = text[lo + 1 : len(text) if hi < 0 else hi]
            if _MASKED_LINK not in line and "](" not in line:
                continue
            body = _LABEL.sub("", m.group(1), count=1) if _LABEL.match(m.group(1)) else m.group(1)
            if _cites(body):
                found.append((m.end() - 2 - len(body), body, True))
    if "](" in text:
        for at, body in _link_texts(text):
            words = {w.strip("*_\"“”`'.,:()").lower() for w in body.split()}
            if "/" not in body and not words & _LINK_WORDS:
                # a title in sentence case ("HAIR: hypernetwork routing for …") reads by its shape
                found.append((at, body.strip("*_\"“”`' "), None if _cites(body) else False))
    found.sort(key=lambda f: f[:2])
    for start, raw, strict in found:
        t = raw.strip()
        if strict is None or _reads_as_title(t, least=4 if strict else 3):
            yield start, t
