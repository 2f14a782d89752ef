"""Rule ``venue``: a conference, journal or year given for a work is one the input gives for it.

"presented at ECCV 2024", "(CVPR 2021)", "(Kim et al., 2021)", "Kim & Cho, 2022", "published in
2019", "(v2, March 2023)", "the 2022 MSSNet paper":
grounded when a source the sentence is about (named in it, or whose link it cites)
gives that venue and year in its own URL or summary (``ICCV2021``,
``proceedings.neurips.cc/…/2023``, an arXiv id's year); when the sentence names no
source, when any source does. Venue names are listed in ``data/venues.txt`` and match
as written (``TIP``, not "tip"); years count only where they date a work (beside a
venue or a citation, or "published in"), not every number that looks like one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import patterns
from ..index import Grounding
from ..sources import CaseFacts, facts_for
from ..statements import unit_at
from ..triggers import triggers, venues
from . import Finding, Rule, View

_YEAR_AFTER = patterns.compile(r"W?[\s'’-]*((?:19[89]|20[0-2])\d)(?![\w-])")
# what makes a year a work's date: the text just before it (the pattern reads to the year)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+"
_DATING = patterns.compile(
    r"(?:et al\.?,?\s*\(?|(?:&|\band)\s+[A-Z][a-z]+,\s*\(?|([(\[])(?:" + _MONTH + r")?|[(\[][^()\[\]\n]{1,60},\s*(?:"
    + _MONTH + r")?"
    r"|\b(?:(?i:published|presented|introduced|released|proposed|appeared|accepted|debuted|posted|submitted|uploaded"
    r"|unveiled|announced|came\s+out|come\s+out|comes\s+out)\s+(?:at|in|on|to|during)\s+(?:the\s+)?(?:[A-Za-z]+\s+){0,3}?"
    r"|(?:dates|dated|dating)\s+(?:back\s+)?(?:from|to)\s+))$"
)
# after the year: a work it dates ("a 2018 model", "the 2021 paper")
_DATING_AFTER = patterns.compile(
    r"\s+(?:[A-Z][\w.+-]*\s+){0,2}(?:paper|papers|publication|work|model|models|method|network|architecture|approach|preprint|study|release)\b"
)
# a bracketed year dates a work when the words before the bracket name a source or a work
_WORK_BEFORE = patterns.compile(
    r"(?:paper|papers|publication|work|model|method|network|architecture|approach|preprint|study|release|version"
    r"|repository|repo|code|implementation|arxiv|et al\.?)[*_\"”’]*\s*$",
    re.IGNORECASE,
)
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


# a venue's short name glued to its year: "CVPR2020", "ICCVW2021" (the year's first two digits
# are found by ``str.find``; the letters before them are read back to the word's start)
_GLUED_NAME = patterns.compile(r"(?<![\w-])[A-Z][A-Za-z]*$")
_GLUED_YEAR = patterns.compile(r"(?:19[89]|20[0-2])\d(?![\w-]|\.\d)")


def glued(text: str) -> list[tuple[int, int, str, str]]:
    """Each venue glued to its year ("CVPR2020"): (start, end, venue's short name, year)."""
    out = []
    names = venues()
    for lead in ("20", "19"):
        at = text.find(lead, 1)
        while at > 0:
            if text[at - 1].isupper() and (year := _GLUED_YEAR.match(text, at)) is not None:
                word = _GLUED_NAME.search(text, max(0, at - 12), at)
                if word is not None:
                    raw = word.group()
                    name = raw[:-1] if raw[-1] == "W" and raw[:-1] in names else raw
                    if name in names:
                        out.append((word.start(), year.end(), names[name], year.group()))
            at = text.find(lead, at + 1)
    return sorted(out)


def _dates_a_work(text: str, start: int, end: int) -> int:
    """0 when the year at ``start`` dates no work; 2 when only a bracket before it does
    ("an old print (1998)" dates a work only if the words before it name one); else 1."""
    if (start and (text[start - 1].isalnum() or text[start - 1] in ".-_")) or _NOT_A_YEAR_AFTER.match(text, end):
        return 0
    m = _DATING.search(text, max(0, start - 80), start)
    if m is None:
        return 1 if _DATING_AFTER.match(text, end) else 0
    return 2 if m.group(1) and not _WORK_BEFORE.search(text, max(0, m.start() - 40), m.start()) else 1


def _grounded(facts: CaseFacts, about: set[int], venue: str | None, year: str | None) -> bool:
    candidates = [facts.sources[i] for i in about] if about else facts.sources
    return any((venue is None or venue in s.venues) and (year is None or year in s.years) for s in candidates)


def find(view: View, g: Grounding) -> Iterator[Finding]:
    text = view.text
    facts = None
    taken = -1  # the end of the last venue phrase: its year is not judged again alone
    found = triggers(text)
    if "20" in text or "19" in text:
        stuck = glued(text)
        if stuck:
            found = sorted([*found, *((a, b, "glued") for a, b, _, _ in stuck)])
            stuck_at = {a: (v, y) for a, _, v, y in stuck}
    for start, end, kind in found:
        if kind == "glued":
            venue, year = stuck_at[start]
            taken = end
        elif kind == "venue":
            hit = _venue_at(text, start, end)
            if hit is None:
                continue
            end, venue, year = hit
            taken = end
        elif kind == "year" and start >= taken and (dating := _dates_a_work(text, start, end)):
            venue, year = None, text[start:end]
        else:
            continue
        if facts is None:
            facts = facts_for(g)
            if facts is None:
                return
        us, ue = unit_at(text, start)
        about = facts.about(text, us, ue, view.links)
        if kind == "year" and dating == 2 and not about:
            continue  # a bracketed year in a unit that names no work: the user's photo, not a paper
        if not _grounded(facts, about, venue, year):
            phrase = text[start:end]
            yield Finding(start, phrase, message(phrase))


RULE = Rule("venue", find)
