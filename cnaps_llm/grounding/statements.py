"""The piece of an answer a statement sits in, and the one source it is about when it
names none.

The attribution, venue, author and claim rules judge a statement by its unit: the
sentence, bullet or table row around an offset (``unit_at``). A unit that names no
source may still be about one named before it (``subject``): the sentence before names
it and the unit starts "It"/"This model…", or a bullet sits under a heading, bold label
or parent bullet that names it.

Invariant: a unit is a pure function of the text and an offset, never reaching past its
line; a subject is a pure function of the text, the unit, its links and the case's
``sources.CaseFacts``, and is one source or none.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from . import patterns
from .sources import CaseFacts

# a sentence ends at . ! ? and a space before a capital, quote, bracket or markdown mark,
# unless the full stop closes an abbreviation ("e.g.", "et al.") or an initial ("J.")
_ABBREVS = ("e.g", "i.e", "al", "etc", "vs", "fig", "eq", "approx", "cf", "no", "resp")
_SENTENCE_END = patterns.compile(
    r"[.!?]"  # the stop first: re finds it fast, and only there are the look-behinds tried
    + "".join(rf"(?<![^A-Za-z.]{a.replace('.', '[.]')}[.])(?<!^{a.replace('.', '[.]')}[.])" for a in _ABBREVS)
    + r"(?<![^A-Za-z][A-Z][.])[*_)\"'”’]*\s+(?=[A-Z*_\[(`\"“'])",
    re.IGNORECASE,
)


@lru_cache(maxsize=512)
def _sentence_starts(text: str, line_start: int, line_end: int) -> tuple[int, ...]:
    """Where each sentence of a line starts, the line's start first."""
    return (line_start, *(m.end() for m in _SENTENCE_END.finditer(text, line_start, line_end)))


_UNIT_REACH = 400  # a unit reaches at most this many characters either side of its offset (real answers: units of up to 525)


def unit_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence, bullet or table row around ``offset``: within its line, from the end
    of the sentence before to the end of its own; in a sentence of over 800 characters,
    only the part within ``_UNIT_REACH`` of ``offset``."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    if line_end < 0:
        line_end = len(text)
    starts = _sentence_starts(text, line_start, line_end)
    k = bisect_right(starts, offset)
    end = starts[k] if k < len(starts) else line_end
    start = starts[k - 1]
    while end > start and text[end - 1].isspace():  # the unit ends at its full stop
        end -= 1
    if end - start > 2 * _UNIT_REACH:
        # a wall of words with no sentence end ("one one one …", a degenerate reply): the
        # window of it around ``offset``, cut at spaces, so that a rule reading the unit of
        # each of its thousands of cues reads a bounded piece each, not the whole wall
        if offset - start > _UNIT_REACH:
            cut = text.find(" ", offset - _UNIT_REACH, offset)
            start = cut + 1 if cut >= 0 else offset - _UNIT_REACH
        if end - offset > _UNIT_REACH:
            cut = text.rfind(" ", offset + 1, offset + _UNIT_REACH)
            end = cut if cut > offset else offset + _UNIT_REACH
    return start, end


# --------------------------------------------------------------------------- a unit's subject

# a sentence about the one before's subject: "It …", "Its …", "This model …", "The paper …"
_PRONOUN = patterns.compile(
    r"[*_\s]*(?:(?:it|its)\b|(?:this|the)\s+(?:model|paper|method|network|work|approach|checkpoint|variant)\b)",
    re.IGNORECASE,
)
# "… survive its refinement better than …": the unit's own "it"/"its" after its first word
_INNER_PRONOUN = patterns.compile(r"\s(?:it|its)\s", re.IGNORECASE)
_BULLET = patterns.compile(r"([ \t]*)(?:[-*+•]|\d{1,2}[.)])[ \t]+")
# a bold label leading a line, after its bullet if any: "**MSSNet.** …", "- **MSSNet**: …"
# (in a block quote too: "> **MSSNet** — …")
_LABEL = patterns.compile(r"[ \t]*(?:>[ \t]*)*(?:(?:[-*+•]|\d{1,2}[.)])[ \t]+)?(?:\*\*|__)([^*_\n]{1,80})(?:\*\*|__)")
_SUBJECT_LINES = 30  # a bullet's heading is looked for this many lines up at most
_SUBJECT_DEPTH = 3  # "X … It … It …": a pronoun's subject is looked for this many sentences back


def _previous_unit(text: str, us: int) -> tuple[int, int] | None:
    """The sentence before the one starting at ``us`` in its paragraph: earlier in its
    line, or the last of the line before when that line is prose (not a bullet, heading
    or blank line, nor is ``us``'s own line a bullet)."""
    ls = text.rfind("\n", 0, us) + 1
    at = us - 1
    while at >= ls and text[at].isspace():
        at -= 1
    if at >= ls:
        return unit_at(text, at)
    if ls == 0 or _BULLET.match(text, ls):
        return None
    prev = text.rfind("\n", 0, ls - 1) + 1
    line = text[prev : ls - 1]
    if not line.strip() or _BULLET.match(line) or line.lstrip().startswith(("#", "|")):
        return None
    return unit_at(text, ls - 2) if ls >= 2 else None


def _list_above(text: str, ls: int) -> tuple[int, int] | None:
    """The bulleted list a prose line at ``ls`` follows (one blank line may part them): the
    span of all its items (a loose list's too, blank lines between them), up to
    ``_SUBJECT_LINES`` lines; None when no list is there."""
    end = -1
    top = ls
    for _ in range(_SUBJECT_LINES):
        if top == 0:
            break
        start = text.rfind("\n", 0, top - 1) + 1
        line = text[start : top - 1]
        if not line.strip():
            above = text.rfind("\n", 0, start - 1) + 1 if start else 0
            if (end < 0 and top != ls) or (end >= 0 and not (start and _BULLET.match(text, above))):
                break  # a second blank line, or the list's first item above (a loose list goes on)
            top = start
            continue
        if not (_BULLET.match(line) or (end >= 0 and line[:1] in " \t")):  # an item, or an item's own indented line
            break
        end = top - 1 if end < 0 else end
        top = start
    if end < 0 or not _BULLET.match(text, top):
        return None
    return top, end


def _header_line(text: str, ls: int, indent: int) -> tuple[int, int] | None:
    """The line a bullet at ``ls`` (indented ``indent``) sits under: its parent bullet,
    or the heading, bold label or "…:" line above its list (one blank line may part them)."""
    blanks = 0
    for _ in range(_SUBJECT_LINES):
        if ls == 0:
            return None
        start = text.rfind("\n", 0, ls - 1) + 1
        line = text[start : ls - 1]
        ls = start
        if not line.strip():
            blanks += 1
            if blanks > 1:
                return None
            continue
        m = _BULLET.match(line)
        if m:
            if len(m.group(1).expandtabs(4)) < indent:
                return start, start + len(line)  # the parent bullet
            continue  # a sibling
        body = line.strip()
        if body.startswith(("#", "**", "__")) or body.endswith(":"):
            return start, start + len(line)
        return None
    return None


def _heading_above(text: str, ls: int) -> tuple[int, int] | None:
    """The heading or bold-label line a prose line at ``ls`` sits under: up through the
    prose lines of its paragraph (one blank line may part it from the heading), not past
    a bullet, a table, a paragraph led by a bold name or a second blank line."""
    blanks = 0
    for _ in range(_SUBJECT_LINES):
        if ls == 0:
            return None
        start = text.rfind("\n", 0, ls - 1) + 1
        body = text[start : ls - 1].strip()
        ls = start
        if not body:
            blanks += 1
            if blanks > 1:
                return None
            continue
        if body.startswith("#") or (body.startswith(("**", "__")) and body.rstrip(":").endswith(("**", "__"))):
            return start, start + len(text[start:].split("\n", 1)[0])  # a heading, or a bold label alone
        if body.startswith(("|", "**", "__")) or _BULLET.match(body):  # a table, a bold-led paragraph, a list
            return None
    return None


def _line_label(text: str, ls: int, us: int) -> tuple[int, int] | None:
    """The bold label that leads the line of a unit after it ("**MSSNet.** Sharp. …",
    "- **MSSNet**: fast. …"): its span, when it ends before ``us``."""
    m = _LABEL.match(text, ls)
    return (m.start(1), m.end(1)) if m and m.end() <= us else None


def _one(facts: CaseFacts, text: str, span: tuple[int, int], found: set[int]) -> set[int]:
    """``found`` when it is one subject: one source, or the checkpoints one shared part
    names ("MSSNet"); else empty."""
    return found if len(found) == 1 or facts.family(text, span[0], span[1], found) else set()


def subject(facts: CaseFacts, text: str, us: int, ue: int, links: tuple[tuple[int, int, str], ...]) -> set[int]:
    """The one source a unit that names none is about: the source the sentence before
    names when the unit starts "It"/"This model…" (the items of the bulleted list right
    above, when it leads its line after one); else the source the bold label leading
    its line names ("**MSSNet.** … The code is MIT-licensed."); else the source the
    heading or bold label line its bullet, or its prose paragraph, sits under names.
    Empty when that is not one source, or the variants one shared name ("MSSNet") names."""
    ls = text.rfind("\n", 0, us) + 1
    bullet = _BULLET.match(text, ls)
    if us == ls and bullet:
        head = _header_line(text, ls, len(bullet.group(1).expandtabs(4)))
        if head is None:
            return set()
        return _one(facts, text, head, facts.about(text, head[0], head[1], links))
    at = us
    for _ in range(_SUBJECT_DEPTH):
        if not _PRONOUN.match(text, at, ue) and not (at == us and _INNER_PRONOUN.search(text, at, ue)):
            break
        prev = _previous_unit(text, at)
        if prev is None:
            if at == ls and _PRONOUN.match(text, at, ue):  # "It …" right after a bulleted list: the source its items name
                listed = _list_above(text, ls)
                if listed is not None:
                    found = facts.about(text, listed[0], listed[1], links)
                    if found:
                        return _one(facts, text, listed, found)
            break
        found = facts.about(text, prev[0], prev[1], links)
        if found:
            return _one(facts, text, prev, found)
        at = prev[0]
    label = _line_label(text, ls, us)
    if label is not None:
        return _one(facts, text, label, facts.about(text, label[0], label[1], links))
    if bullet:
        head = _header_line(text, ls, len(bullet.group(1).expandtabs(4)))
    elif text.startswith(("#", "|"), ls) or text[ls:us].lstrip().startswith(("#", "|")):
        return set()
    else:
        head = _heading_above(text, ls)
    if head is None:
        return set()
    return _one(facts, text, head, facts.about(text, head[0], head[1], links))
