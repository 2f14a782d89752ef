"""Rule ``author``: a person or organisation named as a work's author or developer is
one the input names for it.

"by Kaiming He", "(Cao et al., 2017)", "developed by researchers at Tsinghua", "Meta's
model": grounded when a source the sentence is about (named in it, or whose link it
cites) has that name in its own name, URL or summary (``facebook/detr-resnet-50``
grounds "Facebook's DETR", ``Cho_Rethinking…`` grounds "Cho et al.", a repository's
owner ``menghanxia`` grounds "Menghan Xia" and "Xia et al."); when the sentence
names no source, when any source does. Organisations and their other names are listed
in ``data/organisations.txt``; a person is two or three capitalised words that are not
a model's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from .. import patterns, vocab
from ..index import Grounding
from ..sources import CaseFacts, facts_for
from ..statements import unit_at
from ..triggers import organisations, triggers
from . import Finding, Rule, View

Credit = tuple[int, str, tuple[tuple[str, ...], ...]]  # where the name starts, the name, the token runs that ground it

_NAME = patterns.compile(r"[A-Z][\w&'’.-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w&'’.-]*){0,4}")
_PERSON = patterns.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}")
_ORG_WORDS = patterns.compile(r"\b(?:University|Institute|Lab|Labs|Laboratory|Academy|College|Research)\b")
_SURNAME_BEFORE = patterns.compile(r"([A-Z][\w'’-]+)(?:\s+(?:and|&)\s+[A-Z][\w'’-]+)?\s+$")
# "developed by X" credits X as author or developer; "(by X", ", by X" and "paper by X" only a person
_BY_VERBS = frozenset((
    "developed", "created", "proposed", "introduced", "released", "maintained", "published", "authored",
    "trained", "built", "designed", "open-sourced", "sourced", "invented", "pioneered", "written",
    "fine-tuned", "tuned", "finetuned", "presented", "posted", "uploaded", "shared", "merged", "made",
))
_BY_WORKS = frozenset((
    "paper", "work", "style", "painting", "paintings", "artwork", "art", "method", "study", "approach",
    "article", "model", "repository", "repo", "code", "codebase", "checkpoint", "checkpoints", "weights",
    "implementation", "project", "page", "merge",
))
# "introduced in 2021 by X", "published at ECCV Workshops 2022 by X": a credit verb, then a date or venue
_DATED_VERB = patterns.compile(
    r"\b(" + "|".join(sorted(_BY_VERBS, key=lambda w: (-len(w), w))) + r")\s+(?:in|at|on|during)\s+"
    r"(?:the\s+)?(?:[A-Z][\w-]*\s+|(?:19|20)\d\d,?\s+){1,4}$"
)
# "Ahn, Kang and Sohn": a list of surnames
_SURNAMES = patterns.compile(r"[A-Z][a-z]+(?:,\s+[A-Z][a-z]+)*,?\s+(?:and|&)\s+[A-Z][a-z]+\b(?!\s+[A-Z])")
# after a person: where they work ("Xiaojie Huang at Zhejiang University")
_AT_ORG = patterns.compile(r"(?:['’]s\s+(?:lab|group|team)\s+)?\s*(?:(?:at|from|of)\s+(?:the\s+)?|\()(?=[A-Z])")
# a one-word name credited by a verb ("created by Lykon"): a capitalised word, not a sentence's next one
_ONE_NAME = patterns.compile(r"[A-Z][a-z]+[A-Za-z]*(?![\w'’-]|\s+[A-Z])")
# "Kim, Lee & Cho, 2022": the surnames before a year
_SURNAMES_BEFORE_YEAR = patterns.compile(r"(?<![\w-])([A-Z][a-z]+(?:,\s+[A-Z][a-z]+)*,?\s+(?:and|&)\s+[A-Z][a-z]+),\s*\(?$")
# before "lab"/"group"/"team": a person's possessive ("Seungyong Lee's lab")
_PERSON_OWNS = patterns.compile(r"([A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)['’]s\s+$")
_BY_WHO = patterns.compile(r"\s*(?:(?:a|the)\s+)?(?:(?:team|group|researchers|scientists|engineers)\s+(?:at|from|of)\s+)?(?:the\s+)?")


def message(name: str) -> str:
    return (f'The sources do not name "{name}" as the author or developer of this work; '
            "name authors only where the provided names, links or summaries do.")


@cache
def _orgs_longest_first() -> tuple[str, ...]:
    return tuple(sorted(organisations(), key=len, reverse=True))


def _org(name: str) -> str | None:
    """The listed organisation ``name`` starts with (its longest name that fits)."""
    for n in _orgs_longest_first():
        if name == n or (name.startswith(n) and not name[len(n)].isalnum()):
            return n
    return None


def _is_model_name(words: str, facts: CaseFacts) -> bool:
    v = vocab.names()
    generic = vocab.generic()
    return bool(facts.mentioned(words)) or any(
        vocab.squash(w) in v.any_case or w in v.exact or vocab.squash(w) in generic for w in [words, *words.split()]
    )


def _named(text: str, at: int, facts: CaseFacts, people_only: bool) -> Credit | None:
    """The organisation or person named at ``at`` (None for other words: "trained by
    Stable Diffusion" names a model)."""
    m = _NAME.match(text, at)
    if m is None:
        return None
    name = m.group().rstrip(".'’")
    org = None if people_only else _org(name)
    if org is not None:
        return at, org, organisations()[org]
    if not people_only and _ORG_WORDS.search(name):
        words = tuple(w.lower() for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper() and not _ORG_WORDS.fullmatch(w))
        return (at, name, (words,)) if words else None
    person = _PERSON.match(name)
    if person is None or _is_model_name(person.group(), facts):
        return None
    return at, person.group(), ((person.group().split()[-1].lower(),),)


def _credit(text: str, start: int, end: int, kind: str, facts: CaseFacts) -> list[Credit]:
    """The names credited at a trigger: a person may bring the organisation they are at."""
    if kind == "etal":
        m = _SURNAME_BEFORE.search(text, max(0, start - 60), start)
        if m is None:
            return []
        stop = end + 1 if text[end : end + 1] == "." else end
        return [(m.start(), text[m.start() : stop], ((m.group(1).lower(),),))]
    if kind == "year":
        m = _SURNAMES_BEFORE_YEAR.search(text, max(0, start - 60), start)
        if m is None or _is_model_name(m.group(1), facts):
            return []
        names = re.findall(r"[A-Z][a-z]+", m.group(1))
        return [(m.start(1), m.group(1), (tuple(n.lower() for n in names),))]
    if kind == "owned":  # "Sunghyun Cho's group"
        owner = _PERSON_OWNS.search(text, max(0, start - 50), start + 2)
        if owner is None or _is_model_name(owner.group(1), facts):
            return []
        return [(owner.start(), owner.group(1), ((owner.group(1).split()[-1].lower(),),))]
    if kind == "own":
        name = text[start : end - 2]
        return [(start, name, organisations()[name])] if name in organisations() else []
    if kind == "staff":
        out = []
        owner = _PERSON_OWNS.search(text, max(0, start - 50), start)
        if owner is not None and not _is_model_name(owner.group(1), facts):
            out.append((owner.start(), owner.group(1), ((owner.group(1).split()[-1].lower(),),)))
        named = _named(text, _BY_WHO.match(text, end).end(), facts, people_only=False)  # type: ignore[union-attr]
        return out + [named] if named else out
    before = text[max(0, start - 24) : start].rstrip()
    word = before.rsplit(None, 1)[-1].lstrip("*_([\"'“‘").lower() if before else ""  # "(paper by" as "paper by"
    who = _BY_WHO.match(text, end).end()  # type: ignore[union-attr]
    if word in _BY_VERBS or _DATED_VERB.search(text, max(0, start - 80), start):
        people_only = False
    elif word in _BY_WORKS or before[-1:] in ("(", ",", ";", "—", "–"):
        people_only = True
    else:
        return []
    listed = _SURNAMES.match(text, who)
    if listed is not None:  # "by Ahn, Kang and Sohn": every surname
        names = re.findall(r"[A-Z][a-z]+", listed.group())
        return [] if _is_model_name(" ".join(names), facts) else [(who, listed.group(), (tuple(n.lower() for n in names),))]
    named = _named(text, who, facts, people_only)
    if named is None and not people_only and (one := _ONE_NAME.match(text, who)) and not _is_model_name(one.group(), facts):
        named = (who, one.group(), ((one.group().lower(),),))
    if named is None:
        return []
    at = _AT_ORG.match(text, named[0] + len(named[1]))
    org = _named(text, at.end(), facts, people_only=False) if at and " " in named[1] else None
    return [named, org] if org and org[1] != named[1] else [named]


def _grounded(facts: CaseFacts, about: set[int], runs: tuple[tuple[str, ...], ...]) -> bool:
    candidates = [facts.sources[i] for i in about] if about else facts.sources
    return any(all(s.has_name_part(t) for t in run) for s in candidates for run in runs if run)


def find(view: View, g: Grounding) -> Iterator[Finding]:
    text = view.text
    facts = None
    said: set[tuple[int, str]] = set()  # "X's lab at Y": the possessive and "lab at" both credit X
    for start, end, kind in triggers(text):
        if kind not in ("etal", "by", "staff", "own", "owned", "year"):
            continue
        if facts is None:
            facts = facts_for(g)
            if facts is None:
                return
        for at, name, runs in _credit(text, start, end, kind, facts):
            if (at, name) in said:
                continue
            said.add((at, name))
            us, ue = unit_at(text, at)
            if not _grounded(facts, facts.about(text, us, ue, view.links), runs):
                yield Finding(at, name, message(name))


RULE = Rule("author", find)
