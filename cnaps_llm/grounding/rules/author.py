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

Credits come in more shapes than "by": after a lead ("its authors, A and B", "**Authors:**
A, B", "Affiliation: X", "the work of A", "the prior of A", "co-written with A", "a paper
from X", "X is from A, B and C"), before a credit verb ("Adobe Research released …"), in a
possessive before a lab or a work ("Kim, Lee and Cho's lab", "Johnson's approach"; one
word with no inner capital, so "ResShift's" is a model's), and in each cell of a table
column headed "Authors", "Developer", "Lab" and the like. A list of people is one credit:
one source must give all of their surnames.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from .. import patterns, vocab
from ..index import Grounding
from ..sources import CaseFacts, facts_for
from ..statements import unit_at
from ..triggers import LEAD_LABELS, organisations, triggers
from . import Finding, Rule, View

Credit = tuple[int, str, tuple[tuple[str, ...], ...]]  # where the name starts, the name, the token runs that ground it

_NAME = patterns.compile(r"[A-Z][\w&'’.-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w&'’.-]*){0,4}")
_PERSON = patterns.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}")
_ORG_WORDS = patterns.compile(r"\b(?:University|Institute|Lab|Labs|Laboratory|Academy|College|Research)\b")
_SURNAME_BEFORE = patterns.compile(r"([A-Z][\w'’-]+)(?:\s+(?:and|&)\s+[A-Z][\w'’-]+)?\s+$")
# surnames listed before the one of "et al." ("Guo, Chen, Wang et al."), after a bracket or a line's start
_SURNAMES_BEFORE_ETAL = patterns.compile(r"(?:[(\[]|^|\n)[ \t]*((?:[A-Z][a-z]+,[ \t]+)+)$")
# a given name before the surname of "et al." ("Kai Zhang et al."), quoted with it
_GIVEN_BEFORE = patterns.compile(r"(?<![\w'’.-])([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+$")
# "developed by X" credits X as author or developer; "(by X", ", by X" and "paper by X" only a person
_BY_VERBS = frozenset((
    "developed", "created", "proposed", "introduced", "released", "maintained", "published", "authored",
    "trained", "built", "designed", "open-sourced", "sourced", "invented", "pioneered", "written",
    "fine-tuned", "tuned", "finetuned", "presented", "posted", "uploaded", "shared", "merged", "made",
    "together", "assembled", "curated", "compiled", "led", "coded", "produced", "co-authored", "coauthored",
    "co-written", "co-developed", "co-created", "supervised", "advised", "mentored", "funded", "sponsored",
))
# "MSSNet is by Kim, Lee and Cho": a work's verb before "by" credits a person
_BY_COPULAS = frozenset(("is", "was", "are", "were"))
_BY_WORKS = frozenset((
    "paper", "work", "style", "painting", "paintings", "artwork", "art", "method", "study", "approach",
    "article", "model", "repository", "repo", "code", "codebase", "checkpoint", "checkpoints", "weights",
    "implementation", "project", "page", "merge", "follow-up", "fork", "port", "re-implementation", "reimplementation",
    "re-training", "retraining", "extension", "variant", "version", "fine-tune", "finetune", "release", "library",
    "toolkit", "tool", "app", "dataset", "benchmark", "metric", "notebook", "script",
))
# the name of a work right before "by" ("RCAN by Zudi Lin", "MSSNet by Kim"): a capital or a digit inside
# the word, as model names have; "by" after it credits a person
_WORK_NAME = patterns.compile(r"[A-Za-z][a-z]*[A-Z0-9][\w.+-]*")
# a user name credited in one word: a digit, a lower-case letter before a capital ("ZheC"), an
# underscore ("pixel_owl") or a short part no English word is in a hyphenated lower-case word
# ("mv-lab", not "hand-tuning" or "on-device"); "@" before any
_HANDLE = patterns.compile(r"@?([A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*)(?![\w'’@-]|\.\w)")
_HANDLE_SHAPE = patterns.compile(r"\d|[a-z][A-Z]|^[a-z]+_[a-z]|(?:^|-)(?!(?:on|in|up|of|to|at|as|so|no|re|co|by|or|an|is|it|be|do|go|me|we|my|e|x)-)[a-z]{1,2}-[a-z]|^[a-z]{3,}-(?!on$|in$|up$|of$|to$|by$)[a-z]{1,2}$")
_VERSION_LIKE = patterns.compile(r"[A-Za-z]\d[\d.]*")  # "by v2", "by x4": a version or a scale, no user
# "by the author Lemon", "by the user ccdda": a person named by their account, in any case
_MEMBER = patterns.compile(
    r"(?:the\s+|a\s+)?(?:user|creator|author|artist|uploader|account|handle)\s+@?([A-Za-z][\w.-]*[A-Za-z0-9])(?![\w'’-])"
)
# "introduced in 2021 by X", "published at ECCV Workshops 2022 by X", "uploaded to Hugging Face by X": a credit
# verb, then a date, a venue or a site
_DATED_VERB = patterns.compile(
    r"\b(" + "|".join(sorted(_BY_VERBS, key=lambda w: (-len(w), w))) + r")\s+(?:in|at|on|to|during)\s+"
    r"(?:the\s+)?(?:[A-Z][\w-]*\s+|(?:19|20)\d\d,?\s+){1,4}$"
)
# "Ahn, Kang and Sohn": a list of surnames
_SURNAMES = patterns.compile(r"[A-Z][a-z]+(?:,\s+[A-Z][a-z]+)*,?\s+(?:and|&)\s+[A-Z][a-z]+\b(?!\s+[A-Z])")
# after a person: where they work ("Xiaojie Huang at Zhejiang University")
_AT_ORG = patterns.compile(r"(?:['’]s\s+(?:lab|group|team)\s+)?\s*(?:(?:at|from|of)\s+(?:the\s+)?|\()(?=[A-Z])")
# a one-word name credited by a verb ("created by Lykon"): a capitalised word, not a sentence's next one
_ONE_NAME = patterns.compile(r"[A-Z][a-z]+[A-Za-z]*(?![\w'’-]|\s+[A-Z])")
# "(2021, Kim et al.)", "(NeurIPS 2024, Xu et al.)": people after a year, in its parenthesis
_PERSON_AFTER_YEAR = patterns.compile(
    r",[ \t]+([A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:[ \t]+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){0,2}(?:[ \t]+et[ \t]+al\.?)?)[ \t]*\)"
)
_NOT_PEOPLE = frozenset((  # words after a year that are no one: "(CVPR 2023, Oral)", "(ECCV 2022, Tel Aviv)"
    "Oral", "Spotlight", "Highlight", "Poster", "Best", "Workshop", "Workshops", "Award", "Honorable", "Tel", "New",
    "San", "Los", "Hong", "Main", "Track", "Paper", "Papers", "Vol", "Volume", "Part", "Proceedings", "Findings",
    "Preprint", "Journal", "Extended", "Accepted", "Published", "Revised", "Version", "Updated", "Official", "Code",
))
# "Kim, Lee & Cho, 2022": the surnames before a year
_SURNAMES_BEFORE_YEAR = patterns.compile(r"(?<![\w-])([A-Z][a-z]+(?:,\s+[A-Z][a-z]+)*,?\s+(?:and|&)\s+[A-Z][a-z]+),\s*\(?$")
# before "lab"/"group"/"team": a person's possessive ("Seungyong Lee's lab")
_PERSON_OWNS = patterns.compile(r"([A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)['’]s\s+$")
# a possessive of one name or a list of surnames, a word or two before a lab or a work ("Kim, Lee and
# Cho's POSTECH lab", "Johnson's perceptual-loss approach", "Xiaomi's camera team")
_NAMES_OWN = patterns.compile(
    r"(?<![\w'’-])((?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?,\s+)*[A-Z][a-z]+(?:-[A-Z][a-z]+)?,?\s+(?:and|&)\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
    r"|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)['’]s\s+$"  # one word with no inner capital: "ResShift's" is a model's
)
# "Sam's group of friends": a collection, not a research group
_GROUP_OF = patterns.compile(r"\s+(?:[\w-]+\s+){0,2}?(?i:lab|labs|group|team|work)\s+of\b")
# capitalised words that lead a sentence or stand for something, never a credited name
_NOT_NAMES = frozenset((
    "It", "Its", "This", "That", "These", "Those", "There", "Here", "What", "Who", "Which", "Let", "He", "She",
    "They", "We", "You", "One", "Each", "Everyone", "Today", "Now", "The", "A", "An", "Our", "Your", "Their",
    "Both", "All", "Some", "Another", "Other", "Then", "User", "Model", "Paper", "Image", "Photo", "Input", "Output",
))
# what introduces a work's authors without "by" (a "lead" trigger): "its authors, A and B", "Authors: A, B",
# "Affiliation: X", "the work of A and B", "co-written with A", "the prior of A", "a paper from X", "X is from A"
_LABEL_COLON = patterns.compile(r"[*_]*\s*:[*_]*\s*[*_]*(?=[A-Z])")
_AUTHORS_BEFORE = patterns.compile(r"(?<![\w-])(?i:its|the|their|whose|paper's|model's)\s+(?:co-?)?$")
_AUTHORS_AFTER = patterns.compile(r"(?:\s+(?:are|were|include|included))?\s*[,:(—–]?[*_]*\s+[*_]*(?=[A-Z])")
_NAME_AFTER = patterns.compile(r"[*_\s]*(?=[A-Z])")
_THE_NAME_AFTER = patterns.compile(r"[*_\s]*(?:the\s+)?(?=[A-Z])")
_FROM_AFTER = patterns.compile(r"(?<![\w-])(?i:is|are|was|were|comes|come|came|originates|originated|work|paper|prior|method|approach|research|model|study|studies"
                               r"|code|checkpoint|project|backbone|network|detector|encoder|papers|dataset"
                               r"|authors|researchers|team|follow-up|release|variant|version|implementation|library|toolkit"
                               r"|framework)[*_]*,?\s+$")  # "the DRN paper, from X": a comma may part the work from its credit


def _work_before(text: str, at: int) -> bool:
    """Whether a work's name ends right before ``at`` ("Mask2Former from Meta"); a file format or a
    generic word ("the PNG from Google Drive", "the URL from Edge") is no work."""
    before = text[max(0, at - 40) : at].rstrip()
    if not before or before[-1:] in ".,;:":
        return False
    word = before.rsplit(None, 1)[-1].strip("*_`")
    return _WORK_NAME.fullmatch(word) is not None and vocab.squash(word) not in vocab.generic()


def _lead_end(text: str, start: int, end: int) -> int | None:
    """Where the names a lead at ``text[start:end]`` introduces start, or None."""
    word = text[start:end].lower()
    if word == "from":
        if not _FROM_AFTER.search(text, max(0, start - 16), start) and not _work_before(text, start):
            return None
        m = _THE_NAME_AFTER.match(text, end)  # "a paper from the University of Padova"
        return m.end() if m is not None else None
    elif word in LEAD_LABELS:
        label = _LABEL_COLON.match(text, end)
        if label is not None:
            return label.end()
        if word.startswith(("author", "coauthor")) and _AUTHORS_BEFORE.search(text, max(0, start - 24), start):
            after = _AUTHORS_AFTER.match(text, end)
            return after.end() if after is not None else None
        return None
    m = _NAME_AFTER.match(text, end)
    return m.end() if m is not None else None


_HOSTS = ("huggingface", "github", "civitai", "replicate", "kaggle", "arxiv", "paperswithcode", "colab", "googlecolab",
          "modelscope")
# a list of people: full names or surnames, by commas and "and" ("Zongsheng Yue, Jianyi Wang, Chen Change Loy")
_WHO = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:\s+[A-Z]\.)?(?:\s+(?:van\s+|von\s+|de\s+|Van\s+|Von\s+|De\s+)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?){0,2}"
_PEOPLE = patterns.compile(rf"{_WHO}(?:,\s+{_WHO})*(?:,?\s+(?:and|&)\s+{_WHO})?(?![\w'’-])")
_PEOPLE_ITEM = patterns.compile(_WHO)
# an organisation or person as the subject of a credit verb ("creditverb" trigger): "Adobe Research released
# the checkpoint"; the capitalised words that end right before the verb
_VERB_OBJECT = patterns.compile(r" +(?:the|a|an|this|it|its|[A-Z])")
_SUBJECT_NAME = patterns.compile(r"(?<![\w&'’.-])([A-Z][\w&'’.-]*(?:\s+(?:of\s+)?[A-Z][\w&'’.-]*){0,4})$")
# a table column that credits each row's work: "| Model | Authors |"
_CREDIT_COLUMN = frozenset((
    "author", "authors", "developer", "developers", "developed by", "created by", "made by", "credit", "credits",
    "creator", "creators", "team", "lab", "institution", "affiliation", "organisation", "organization", "origin", "maintainer",
    "released by", "trained by", "built by", "maintained by", "published by", "proposed by", "publisher",
))
_BY_WHO = patterns.compile(
    r"[*_]*:?[*_]*\s*(?:(?:a|the)\s+)?(?:(?:team|group|researchers|scientists|engineers)\s+(?:at|from|of)\s+)?(?:the\s+)?"
    r"(?:(?:Prof\.?|Professor|Dr\.?)\s+(?=[A-Z]))?"  # a title before a person: "by Prof. Kyoung Mu Lee"
)


# "by the Civitai creator GhostInShell": a hosting site's member, named by their handle
_HOST_MEMBER = patterns.compile(
    r"(?:the\s+)?(?i:civitai|hugging\s?face|github)\s+(?i:user|creator|author|member|uploader|account)\s+"
    r"(?:@)?([A-Za-z][\w.-]*[A-Za-z0-9])(?![\w'’-])"
)


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
        at = m.start()
        listed = _SURNAMES_BEFORE_ETAL.search(text, max(0, at - 60), at)
        if listed is not None:  # "(Guo, Chen, Wang et al., 2020)": every surname of the list
            names = [n for n in re.findall(r"[A-Z][a-z]+", listed.group(1))]
            if not any(n in _NOT_NAMES or _model_like(n, facts) or _org(n) is not None for n in names):
                names.append(m.group(1))
                return [(listed.start(1), text[listed.start(1) : stop], (tuple(n.lower() for n in names),))]
        given = _GIVEN_BEFORE.search(text, max(0, at - 20), at)
        if given is not None and given.group(1) not in _NOT_NAMES and not _is_model_name(given.group(1), facts):
            at = given.start(1)
        return [(at, text[at:stop], ((m.group(1).lower(),),))]
    if kind == "year":
        after = _PERSON_AFTER_YEAR.match(text, end)
        if after is not None:  # "(NeurIPS 2024, Xu et al.)", "(2021, Kim et al.)"
            who = after.group(1)
            words = who.split()
            names = words[: words.index("et")] if "et" in words else words
            # only "et al." makes it a person: "(ICCV 2021, Long Beach)", "(NeurIPS 2022, Datasets Track)" are
            # places and sessions, written like names
            if len(words) > len(names) and names[0] not in _NOT_NAMES and names[0] not in _NOT_PEOPLE \
                    and not _is_model_name(" ".join(names), facts):
                return [(after.start(1), who, ((names[-1].lower(),),))]
        m = _SURNAMES_BEFORE_YEAR.search(text, max(0, start - 60), start)
        if m is None or _is_model_name(m.group(1), facts):
            return []
        names = re.findall(r"[A-Z][a-z]+", m.group(1))
        return [(m.start(1), m.group(1), (tuple(n.lower() for n in names),))]
    if kind == "owned":  # "Sunghyun Cho's group", "Kim, Lee and Cho's POSTECH lab", "Johnson's approach"
        owner = _PERSON_OWNS.search(text, max(0, start - 50), start + 2)
        if owner is not None and not _is_model_name(owner.group(1), facts):
            return [(owner.start(), owner.group(1), ((owner.group(1).split()[-1].lower(),),))]
        owners = _NAMES_OWN.search(text, max(0, start - 60), start + 2)
        if owners is None or owners.group(1) in _NOT_NAMES or _GROUP_OF.match(text, start + 1):
            return []
        org = _org(owners.group(1))
        if org is not None:
            return [(owners.start(), org, organisations()[org])]
        names = re.findall(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?", owners.group(1))
        if any(_model_like(n, facts) for n in names):
            return []
        return [(owners.start(1), owners.group(1), (tuple(n.lower() for n in names),))]
    if kind == "own":
        name = text[start : end - 2]
        return [(start, name, organisations()[name])] if name in organisations() else []
    if kind == "staff":
        out = []
        owner = _PERSON_OWNS.search(text, max(0, start - 50), start)
        if owner is not None and not _is_model_name(owner.group(1), facts):
            out.append((owner.start(), owner.group(1), ((owner.group(1).split()[-1].lower(),),)))
        named = _named(text, _BY_WHO.match(text, end).end(), facts, people_only=False)  # type: ignore[union-attr]
        return out + _each_person(text, named, facts) if named else out  # "comes from Kim, Lee and Cho": all three
    before = text[max(0, start - 24) : start].rstrip()
    word = before.rsplit(None, 1)[-1].lstrip("*_([\"'“‘").lower() if before else ""  # "(paper by" as "paper by"
    who = _BY_WHO.match(text, end).end()  # type: ignore[union-attr]
    dated = False
    if word in _BY_VERBS or (dated := _DATED_VERB.search(text, max(0, start - 80), start) is not None):
        people_only = False
    elif word in _BY_WORKS or word in _BY_COPULAS or before[-1:] in ("(", ",", ";", "—", "–", ")"):
        people_only = True
    elif before and _WORK_NAME.fullmatch(before.rsplit(None, 1)[-1].strip("*_`")):
        people_only = True  # "a re-training of RCAN by Zudi Lin"
    else:
        return []
    member = _HOST_MEMBER.match(text, who)
    if member is not None and (word in _BY_VERBS or dated):  # "trained by the Civitai user epinikion"
        return [(member.start(1), member.group(1), ((member.group(1).lower(),),))]
    if word in _BY_VERBS or word in _BY_WORKS or dated:  # "published on Civitai by the creator Nyx"
        member = _MEMBER.match(text, who)
        if member is not None and not _is_model_name(member.group(1), facts):  # "published by the author Lemon"
            return [(member.start(1), member.group(1), ((member.group(1).lower(),),))]
        handle = _HANDLE.match(text, who)
        if handle is not None and (text[who] == "@" or _HANDLE_SHAPE.search(handle.group(1))):
            name = handle.group(1)
            if not _VERSION_LIKE.fullmatch(name) and not _is_model_name(name, facts) and not name.lower().startswith(_HOSTS):
                return [(handle.start(1), name, ((name.lower(),),))]  # "the checkpoint by mv-lab", "code by kky7"
        if word in _BY_WORKS:  # "the paper by the Chinese University of Hong Kong team": an organisation too
            org = _named(text, who, facts, people_only=False)
            if org is not None and (org[1] in organisations() or _ORG_WORDS.search(org[1])):
                return [org]
    listed = _SURNAMES.match(text, who)
    if listed is not None:  # "by Ahn, Kang and Sohn": every surname
        names = re.findall(r"[A-Z][a-z]+", listed.group())
        return [] if _is_model_name(" ".join(names), facts) else [(who, listed.group(), (tuple(n.lower() for n in names),))]
    named = _named(text, who, facts, people_only)
    others: list[Credit] = []
    if named is not None:  # "by Menghan Xia and Wenbo Hu": each
        *others, named = _each_person(text, named, facts)
    if named is None and (people := _PEOPLE.match(text, who)) and len(_PEOPLE_ITEM.findall(people.group())) > 1:
        named = _people_or_org(text, who, facts)  # "by Yulu Gan and Ahmed Alaa": a full name like a model's word
    if named is None and not people_only and (one := _ONE_NAME.match(text, who)) and not _is_model_name(one.group(), facts):
        named = (who, one.group(), ((one.group().lower(),),))
    if named is None:
        return []
    at = _AT_ORG.match(text, named[0] + len(named[1]))
    org = _named(text, at.end(), facts, people_only=False) if at and " " in named[1] else None
    return [*others, named, org] if org and org[1] != named[1] else [*others, named]


def _each_person(text: str, named: Credit, facts: CaseFacts) -> list[Credit]:
    """A person credited first in a list of full names ("Kiyeon Kim, Seungyong Lee and
    Sunghyun Cho"): each of them, judged alone (the provided names may give one of them);
    else ``named`` alone."""
    at, name, _ = named
    if name in organisations() or _ORG_WORDS.search(name):
        return [named]
    m = _PEOPLE.match(text, at)
    if m is None or len(m.group()) <= len(name):
        return [named]
    items = [(at + i.start(), i.group()) for i in _PEOPLE_ITEM.finditer(m.group())]
    if len(items) < 2 or any(" " not in i or _model_like(i, facts) or _org(i) is not None for _, i in items):
        return [named]  # full names only: "Kim and Cho" after a full name may be anything
    return [(a, i, ((i.split()[-1].lower(),),)) for a, i in items]


def _model_like(item: str, facts: CaseFacts) -> bool:
    """Whether a name in a list of people is a model's: a full name as a whole ("Yulu Gan" is no GAN)."""
    v = vocab.names()
    if " " in item:  # a full name: "Ahmed Alaa" may share a word with a source's owner and still be a person
        return vocab.squash(item) in v.any_case or item in v.exact
    return bool(facts.mentioned(item)) or vocab.squash(item) in v.any_case or item in v.exact


def _people_or_org(text: str, at: int, facts: CaseFacts) -> Credit | None:
    """The names credited at ``at`` after a lead: a listed or named organisation, or a list of
    people (one run of their surnames, all of which one source must give)."""
    if text[at : at + 20].lower().replace(" ", "").startswith(_HOSTS):
        return None  # "a model from Hugging Face": where it is hosted, not who made it
    named = _named(text, at, facts, people_only=False)
    if named is not None and (named[1] in organisations() or _ORG_WORDS.search(named[1])):
        return named
    m = _PEOPLE.match(text, at)
    if m is None or (named is not None and len(m.group()) <= len(named[1])):
        return named  # one person, their name read in full ("Jaesung Rim's group", not "Jaesung")
    items = _PEOPLE_ITEM.findall(m.group())
    if not items or (len(items) == 1 and " " not in items[0]):
        return None  # one capitalised word after a label ("Origin: Camera") names no one for sure
    if items[0].split()[0] in _NOT_NAMES or any(_model_like(i, facts) for i in items):
        return None
    return at, m.group(), (tuple(i.split()[-1].lower() for i in items),)


def _led_credits(text: str, facts: CaseFacts, leads: list[tuple[int, int]], verbs: list[tuple[int, int]]) -> Iterator[Credit]:
    """Credits no "by" introduces: after a lead ("its authors, A and B", "Authors: A", "the work
    of A"), before a credit verb ("Adobe Research released …"), and in a table column headed
    "Authors", "Developer" or "Lab"."""
    for start, end in leads:
        team = _team_credit(text, start, end)
        if team is not None:
            yield team
            continue
        at = _lead_end(text, start, end)
        credit = _people_or_org(text, at, facts) if at is not None else None
        if credit is not None:
            yield credit
    for at, end in verbs:
        if not _VERB_OBJECT.match(text, end):
            continue
        if not text[text.rfind(" ", 0, at - 1) + 1 : at][:1].isupper():
            continue  # the name's last word ends right before the verb, an object after it
        subject = _SUBJECT_NAME.search(text, max(0, at - 80), at - 1)
        if subject is None:
            continue
        named = _named(text, subject.start(1), facts, people_only=False)
        if named is not None and named[1] == subject.group(1) and named[1] not in _NOT_NAMES:
            yield named
    if "|" in text:
        yield from _column_credits(text, facts)


# a listed organisation's people right before a credit verb: "the Stability AI team trained"
_TEAM_BEFORE = patterns.compile(
    r"(?<![\w&'’.-])([A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3})(?:['’]s)?\s+(?:research\s+)?$"
)
_TEAM_WORDS = frozenset(("team", "researchers", "engineers", "scientists", "group", "lab"))
_TEAM_VERB = patterns.compile(
    r"\s+(?:has\s+|have\s+|had\s+)?(?:" + "|".join(sorted(_BY_VERBS, key=lambda w: (-len(w), w))) + r")\s+(?:the|a|an|this|it|its|[A-Z])"
)


def _team_credit(text: str, start: int, end: int) -> Credit | None:
    """A listed organisation's people before a credit verb: "the Stability AI team trained it"."""
    if text[start:end].lower() not in _TEAM_WORDS or not _TEAM_VERB.match(text, end):
        return None
    m = _TEAM_BEFORE.search(text, max(0, start - 60), start)
    if m is None:
        return None
    words = m.group(1).split()
    for i in range(len(words)):  # "The Stability AI": the longest listed name it ends with
        name = " ".join(words[i:])
        if name in organisations():
            return m.start(1) + m.group(1).rfind(name), name, organisations()[name]
    return None


_SEPARATOR = patterns.compile(r"[ \t]*\|[ \t]*:?-{3}")


def _column_credits(text: str, facts: CaseFacts) -> Iterator[Credit]:
    """The names in each cell under a column headed as a credit ("| Model | Authors |"): found
    from the table's separator row ("|---|"), the header the line above it."""
    at = text.find("---")
    while at >= 0:
        ls = text.rfind("\n", 0, at) + 1
        le = text.find("\n", at)
        le = len(text) if le < 0 else le
        at = text.find("---", le)
        if ls < 2 or not _SEPARATOR.match(text, ls):
            continue
        hs = text.rfind("\n", 0, ls - 1) + 1
        header = text[hs : ls - 1]
        if not header.lstrip().startswith("|"):
            continue
        columns = {j for j, c in enumerate(header.split("|")) if c.strip(" *_:").lower() in _CREDIT_COLUMN}
        row = le + 1
        while columns and row < len(text) and text[row:].lstrip(" \t").startswith("|"):
            re_ = text.find("\n", row)
            re_ = len(text) if re_ < 0 else re_
            cell_at = row
            for j, cell in enumerate(text[row:re_].split("|")):
                if j in columns and cell.strip(" *_"):
                    credit = _people_or_org(text, cell_at + len(cell) - len(cell.lstrip(" *_")), facts)
                    if credit is not None:
                        yield credit
                cell_at += len(cell) + 1
            row = re_ + 1


# a person's full name in a possessive, whatever follows: "Kiyeon Kim's multi-scale network"
# (two to four capitalised words ending right before the "'s")
_FULL_NAME_BEFORE = patterns.compile(
    r"(?<![\w'’.-])([A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:[ \t]+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,3})$"
)


def _full_name_owners(text: str, facts: CaseFacts) -> Iterator[Credit]:
    """People named in full in a possessive ("Kiyeon Kim's network"): two or three capitalised
    words, none a model's, an organisation's or a word that leads a sentence ("Then Kim's").
    Read from each "'s" back: most are a lower-case word's ("it's", "the model's")."""
    for quote in ("'s", "’s"):
        at = text.find(quote)
        while at >= 0:
            after = text[at + 2 : at + 3]
            word_at = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at), text.rfind("\t", 0, at)) + 1
            if (not after or not (after.isalnum() or after in "'’-")) and text[word_at : word_at + 1].isupper() and text[at - 1 : at].islower():
                m = _FULL_NAME_BEFORE.search(text, max(0, at - 80), at)
                credit = _owner_credit(m, facts) if m is not None else None
                if credit is not None:
                    yield credit
            at = text.find(quote, at + 2)


def _owner_credit(m: re.Match[str], facts: CaseFacts) -> Credit | None:
    words = m.group(1).split()
    while words and (words[0] in _NOT_NAMES or words[0].lower() in _LEADING_WORDS):
        words = words[1:]
    if not 2 <= len(words) <= 3:
        return None
    name = " ".join(words)
    if _org(name) is not None or _ORG_WORDS.search(name) or any(_model_like(w, facts) for w in words) or _is_model_name(name, facts):
        return None
    return m.end(1) - len(name), name, ((words[-1].lower(),),)


_LEADING_WORDS = frozenset((
    "then", "next", "finally", "first", "second", "third", "also", "use", "using", "run", "try", "apply", "with", "from",
    "in", "on", "for", "unlike", "like", "per", "via", "and", "but", "or", "if", "when", "while", "after", "before",
))


# a listed organisation alone in parentheses right after a name: "GFPGAN (Tencent ARC)"
_ORG_IN_PARENS = patterns.compile(r"\([ \t]*([A-Z][\w&'’.-]*(?:[ \t]+[A-Z][\w&'’.-]*){0,3})[ \t]*\)")


def _parenthesised_orgs(text: str) -> Iterator[Credit]:
    at = text.find("(")
    while at >= 0:
        m = _ORG_IN_PARENS.match(text, at) if text[at + 1 : at + 2].isupper() else None
        if m is not None and m.group(1) in organisations() and text[at - 1 : at] in (" ", "\t"):
            before = text[text.rfind(" ", 0, at - 1) + 1 : at - 1]
            # after a name with a capital ("GFPGAN"), not a hardware number ("RTX 4090 (NVIDIA)")
            if before[-1:].isalnum() or before[-1:] == "+":
                if any(c.isupper() for c in before) and not before.isdigit():
                    yield m.start(1), m.group(1), organisations()[m.group(1)]
        at = text.find("(", at + 1)


def _grounded(facts: CaseFacts, about: set[int], runs: tuple[tuple[str, ...], ...]) -> bool:
    candidates = [facts.sources[i] for i in about] if about else facts.sources
    return any(all(s.has_name_part(t) for t in run) for s in candidates for run in runs if run)


def find(view: View, g: Grounding) -> Iterator[Finding]:
    text = view.text
    trigs, leads, verbs = [], [], []
    for start, end, kind in triggers(text):
        if kind == "lead":
            leads.append((start, end))
        elif kind == "creditverb":
            verbs.append((start, end))
        elif kind in ("etal", "by", "staff", "own", "owned", "year"):
            trigs.append((start, end, kind))
    facts = facts_for(g)
    if facts is None:
        return
    credits = [c for start, end, kind in trigs for c in _credit(text, start, end, kind, facts)]
    credits += _led_credits(text, facts, leads, verbs)
    if "'s" in text or "’s" in text:
        credits += _full_name_owners(text, facts)
    if "(" in text:
        credits += _parenthesised_orgs(text)
    credits.sort(key=lambda c: c[0])
    # one name read twice, in full and by its last words ("Chen Change Loy's" and "Change Loy's"): the full one
    longest: dict[int, int] = {}
    for at, name, _ in credits:
        longest[at + len(name)] = max(longest.get(at + len(name), 0), len(name))
    credits = [c for c in credits if len(c[1]) == longest[c[0] + len(c[1])]]
    said: set[tuple[int, str]] = set()  # "X's lab at Y": the possessive and "lab at" both credit X
    for at, name, runs in credits:
        if (at, name) in said:
            continue
        said.add((at, name))
        us, ue = unit_at(text, at)
        if not _grounded(facts, facts.about(text, us, ue, view.links), runs):
            yield Finding(at, name, message(name))


RULE = Rule("author", find)
