"""Rule ``venue``: a conference, journal or year given for a work is one the input gives for it.

"presented at ECCV 2024", "(CVPR 2021)", "(Kim et al., 2021)", "published in 2019":
grounded when a source the sentence is about (named in it, or whose link it cites)
gives that venue and year in its own URL or summary (``ICCV2021``,
``proceedings.neurips.cc/…/2023``, an arXiv id's year); when the sentence names no
source, when any source does. Venue names are listed in ``data/venues.txt`` and match
as written (``TIP``, not "tip"); years count only where they date a work (beside a
venue or a citation, or "published in"), not every number that looks like one.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import patterns
from ..index import Grounding
from ..sources import CaseFacts, facts_for, unit_at
from ..triggers import triggers, venues
from . import Finding, Rule, View

_YEAR_AFTER = patterns.compile(r"W?[\s'’-]*((?:19[89]|20[0-2])\d)(?![\w-])")
# what makes a year a work's date: the text just before it (the pattern reads to the year)
_DATING = patterns.compile(
    r"(?:et al\.?,?\s*\(?|[(\[]|[(\[][^()\[\]\n]{1,60},\s*"
    r"|\b(?:published|presented|introduced|released|proposed|appeared|accepted|debuted)\s+(?:at|in|on)\s+(?:the\s+)?(?:[A-Za-z]+\s+){0,3}?)$"
)
_DATING_AFTER = patterns.compile(r"\s+(?:paper|publication|work)\b")
# 1920×1080, 2020.5, NTIRE-2020-x4, (1920 px)
_NOT_A_YEAR_AFTER = patterns.compile(r"\.\d|\s*[×xX*]\s*\d|[\w-]|\s*(?:px|pixels?|dpi|p)\b")


def message(phrase: str) -> str:
    return (f'The venue or year "{phrase}" is not given for this work by the sources; '
            "give a venue or year only where its provided link or summary does.")


def _venue_at(text: str, start: int, end: int) -> tuple[int, str, str | None] | None:
    """At a venue trigger: the phrase's end, the venue's short name and the year after it;
    None when the letters are not a listed name as written ("tip" is not TIP)."""
    if start and text[start - 1] in "-_":  # inside an identifier: NTIRE-... in a model name
        return None
    names = venues()
    raw = text[start:end]
    name = raw[:-1] if raw[-1] in "wW" and raw[:-1] in names else raw
    short = names.get(name) or next((s for n, s in names.items() if " " in n and n.lower() == " ".join(raw.lower().split())), None)
    if short is None:
        return None
    m = _YEAR_AFTER.match(text, start + len(name))
    return (m.end(), short, m.group(1)) if m else (end, short, None)


def _dates_a_work(text: str, start: int, end: int) -> bool:
    if (start and (text[start - 1].isalnum() or text[start - 1] in ".-_")) or _NOT_A_YEAR_AFTER.match(text, end):
        return False
    return bool(_DATING.search(text, max(0, start - 80), start) or _DATING_AFTER.match(text, end))


def _grounded(facts: CaseFacts, about: set[int], venue: str | None, year: str | None) -> bool:
    candidates = [facts.sources[i] for i in about] if about else facts.sources
    return any((venue is None or venue in s.venues) and (year is None or year in s.years) for s in candidates)


def find(view: View, g: Grounding) -> Iterator[Finding]:
    text = view.text
    facts = None
    taken = -1  # the end of the last venue phrase: its year is not judged again alone
    for start, end, kind in triggers(text):
        if kind == "venue":
            hit = _venue_at(text, start, end)
            if hit is None:
                continue
            end, venue, year = hit
            taken = end
        elif kind == "year" and start >= taken and _dates_a_work(text, start, end):
            venue, year = None, text[start:end]
        else:
            continue
        if facts is None:
            facts = facts_for(g)
            if facts is None:
                return
        us, ue = unit_at(text, start)
        if not _grounded(facts, facts.about(text, us, ue, view.links), venue, year):
            phrase = text[start:end]
            yield Finding(start, phrase, message(phrase))


RULE = Rule("venue", find)
