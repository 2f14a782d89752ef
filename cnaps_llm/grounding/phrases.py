"""Find names written out in words that a name's own shape does not show: expansions of
short names, and names in brackets beside them.

* An expansion spells a short name: its words' initials, or the starts of its words,
  are the short name's letters and camelCase parts in order (``Multi-Scale Stage
  Network`` for MSSNet, ``residual channel attention networks`` for RCAN,
  ``multi-input multi-output`` for MIMO). The provided names' short forms are looked
  for near each mention of them, with patterns built once per case
  (``acronym_patterns``).
* A short name with its expansion or title in brackets beside it is read whatever it
  is: ``TTVSR (Learning … for Video Super-Resolution)``, ``"Diversity-sensitive Smart
  Colorization" (DISCO)``, ``Segment-Anything-Model (SAM)``.

(Capitalised words ending in a head noun, ``Holistic Attention Network``, are read by
``names.names_in``.) An expansion of a name the input gives is still a name the input
does not give, unless the input spells it out; a task written out (``Image Quality
Assessment (IQA)``) or a family (``Vision Transformers (ViT)``) is no name.

Invariant: pure functions of their arguments; patterns are built from names only.
Every scanning pattern leads with a literal (see ``patterns.finditer_any``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from . import patterns, vocab
from .tasks import tasks_in
from .words import MARKS as _MARKS
from .words import STOP as _STOP
from .words import capitalised_before, head_nouns, is_task_word

# a short name's units: single capitals and camelCase parts (MSSNet -> M S S Net)
_UNIT = patterns.compile(r"[A-Z](?![a-z])|[A-Z][a-z]+|[a-z]+")
_ACRONYM = patterns.compile(r"[A-Za-z]*[A-Z]{2}[A-Za-z]*")  # two capitals in a row: RCAN, MSSNet, ViLT
# words that say what a task works on, not which method does it
_MODIFIERS = frozenset(
    "image images single multi video object face human blind semantic instance panoptic scene text real real-world "
    "low-light document speech audio photo general".split()
)
_SEP = r"(?:[-/]|,?[ \t]+)"  # between the words of an expansion: multi-input, multi-output
_EXPANDED_SPAN = 300  # how near its short name a lower-case expansion is looked for
_WORD_BACK = 100  # how far back the word a window starts in is looked for

# (one pattern per leading letter, searched as their alternation: ``patterns.finditer_any``)
Expansions = tuple[tuple[re.Pattern[str], ...] | None, tuple[str, ...]]


def _units(token: str) -> list[str]:
    return _UNIT.findall(token)


def _unit_regex(unit: str) -> str:
    first = f"[{unit[0].upper()}{unit[0].lower()}]"
    if len(unit) == 1:  # a capital: a word, or a hyphenated word, starting with it
        return first + r"[A-Za-z]*(?:-[a-z][A-Za-z]*)??"
    return first + re.escape(unit[1:].lower()) + r"[a-z]*"  # a camelCase part: a word starting with it


def _short_names(names: Iterable[str]) -> list[str]:
    """The short names inside provided names: tokens with two capitals in a row (or a
    listed all-capitals name written in lower case: blip) that are not generic, formats
    or task words, of three units or more."""
    generic, listed = vocab.generic(), vocab.names().exact
    out: dict[str, None] = {}
    for name in names:
        for token in re.split(r"[^A-Za-z]+", name):
            if token.islower() and token.upper() in listed:
                token = token.upper()  # blip in a model id is BLIP
            if not _ACRONYM.fullmatch(token) or len(_units(token)) < 3:
                continue
            if vocab.squash(token) in generic or is_task_word(token):
                continue
            out[token] = None
    return list(out)


def acronym_patterns(names: Iterable[str]) -> Expansions:
    """Patterns that find an expansion of any short name inside ``names`` (searched only
    near a mention of the short name, a stretch of a few hundred characters), one per
    first letter, each led by its letter (re skips ahead to a literal in C, and tests a
    leading class character by character), and the short names."""
    shorts = _short_names(names)
    by_lead: dict[str, list[str]] = {}
    for short in shorts:
        units = _units(short)
        rest = _unit_regex(units[0])[len(f"[{units[0][0].upper()}{units[0][0].lower()}]") :]
        body = rest + "".join(_SEP + _unit_regex(u) for u in units[1:])
        for lead in {units[0][0].upper(), units[0][0].lower()}:
            by_lead.setdefault(lead, []).append(body)
    if not by_lead:
        return None, ()
    each = tuple(
        patterns.compile(re.escape(lead) + rf"(?<![A-Za-z0-9-]{re.escape(lead)})(?:{'|'.join(bodies)})(?![A-Za-z0-9])")
        for lead, bodies in sorted(by_lead.items())
    )
    return each, tuple(shorts)


@lru_cache(maxsize=1024)  # compiled patterns, as re's own cache keeps them
def _spelling(short: str) -> re.Pattern[str] | None:
    units = _units(short)
    return patterns.compile(_SEP.join(_unit_regex(u) for u in units)) if len(units) >= 2 else None


def _spells(short: str, phrase: str) -> bool:
    """Whether ``phrase`` spells ``short``: see the module docstring."""
    spelling = _spelling(short)
    return spelling is not None and spelling.fullmatch(phrase) is not None


def _near(text: str, shorts: tuple[str, ...]) -> list[tuple[int, int]]:
    """The stretches of ``text`` within ``_EXPANDED_SPAN`` of a short name, merged."""
    spans: list[tuple[int, int]] = []
    for short in shorts:
        n = len(short)
        own: list[tuple[int, int]] = []  # a short name's mentions come in order: each extends its last stretch or follows it
        at = text.find(short)
        while at >= 0:
            lo = at - _EXPANDED_SPAN if at > _EXPANDED_SPAN else 0
            if own and lo <= own[-1][1]:
                own[-1] = (own[-1][0], at + n + _EXPANDED_SPAN)
            else:
                own.append((lo, at + n + _EXPANDED_SPAN))
            at = text.find(short, at + n)
        spans += own
    if len(shorts) < 2:
        return spans
    return patterns.merge_spans(spans)


def _lower_ok(phrase: str) -> bool:
    """A lower-case expansion (found near its short name) is one when it ends in a head
    noun or is made of hyphenated words: "dense residual networks", "multi-input multi-output"."""
    last = re.split(r"[ \t/,-]+", phrase)[-1]
    return last.capitalize() in head_nouns() or "-" in phrase


def expansions_in(text: str, found: Expansions) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, phrase)`` for each expansion of a provided short name near a
    mention of it in ``text``."""
    each, shorts = found
    if each is None:
        return
    matches = []
    for lo, hi in _near(text, shorts):
        # from the start of the word at ``lo`` (a phrase may start inside it, after a
        # bracket), but never more than _WORD_BACK back: in text without spaces, walking
        # to the word's start from every window made a check quadratic. The look-behinds
        # read the text before the window.
        floor = max(0, lo - _WORD_BACK)
        while lo > floor and not text[lo - 1].isspace():
            lo -= 1
        matches += [(m.start(), m.group(0)) for m in patterns.finditer_any(each, text, lo, hi)]
    for at, phrase in sorted(set(matches)):
        words = re.split(r"[-/, \t]+", phrase)
        if len(words) < 2 or any(w.lower() in _STOP for w in words):
            continue
        if not any(_spells(s, phrase) for s in shorts) or _names_a_task(phrase):
            continue
        if all(w[0].isupper() for w in re.split(r"[/, \t]+", phrase) if w) or _lower_ok(phrase):
            yield at, phrase


def _names_a_task(phrase: str) -> bool:
    """Whether ``phrase`` is a task term after words that only say what it works on:
    "Object Detection", "Image Quality Assessment", "Single Image Super-Resolution" name a
    task (checked as such); "Holistically-Nested Edge Detection" names a method."""
    end = len(phrase.rstrip("s"))
    for _, offset, term in tasks_in(phrase):
        if offset + len(term) >= end:
            return all(w in _MODIFIERS for w in re.split(r"[ \t]+", phrase[:offset].lower()) if w)
    return False


def _strip_stop(words: list[str]) -> list[str]:
    for k in range(len(words) - 1, -1, -1):
        if words[k].lower() in _STOP:
            return words[k + 1 :]
    return words


# a bracketed aside: "X (Y)" or "Y (X)"; literal-led
_ASIDE = patterns.compile(r"\(([*_\"“`]*[A-Z][^()\n]{1,160})\)")
_SHORT = patterns.compile(r"[A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*")
_CONNECTORS = frozenset("for of with via using in on to from towards and by".split())


def _looks_like_title(words: list[str]) -> bool:
    caps = sum(w[:1].isupper() for w in words)
    return len(words) >= 4 and caps >= 3 and caps / len(words) >= 0.5 and any(w.lower() in _CONNECTORS for w in words)


def asides_in(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, text)`` for short names beside their expansion in brackets, and
    for the expansion: ``TTVSR (Learning Trajectory-Aware Transformer for Video
    Super-Resolution)``, ``Segment-Anything-Model (SAM)``. A name with a role in
    brackets (``SwinIR (Structure Path)``) is neither."""
    if "(" not in text:
        return
    generic = vocab.generic()
    for m in _ASIDE.finditer(text):
        inner = m.group(1).strip(_MARKS)
        if not inner or not inner[0].isupper():
            continue
        short_inner = _SHORT.fullmatch(inner) is not None
        if not short_inner and " " not in inner:
            continue  # one word, not a short name: (Optional), (Recommended)
        inner_at = m.start(1) + m.group(1).index(inner)
        lo = max(0, m.start() - 160)
        before = text[lo : m.start()].rstrip(_MARKS)
        if short_inner:  # "Y (X)": the capitalised words before spell X
            if vocab.squash(inner) in generic:
                continue
            _, words = capitalised_before(before + " ", len(before) + 1)
            for k in range(len(words)):
                if (k < len(words) - 1 or "-" in words[k]) and _spells_any(inner, words[k:]):
                    phrase = " ".join(words[k:])
                    if _names_a_task(phrase):
                        break
                    yield lo + max(0, before.rfind(words[k])), phrase
                    yield inner_at, inner
                    break
            continue
        words = inner.split()  # "X (Y)": Y spells X, or Y is a title
        short = before[before.rfind(" ") + 1 :].lstrip(_MARKS)
        if not _SHORT.fullmatch(short) or vocab.squash(short) in generic:
            continue
        if (_spells_any(short, words) or _looks_like_title(words)) and not _names_a_task(inner):
            yield inner_at, inner
            if short.isupper():  # an acronym no vocabulary lists: TTVSR
                yield lo + len(before) - len(short), short


def _spells_any(name: str, words: list[str]) -> bool:
    """Whether ``words`` spell ``name`` or one of its hyphen parts (``RCAN`` of ``SISR-RCAN-it-2x``)."""
    phrase = " ".join(words)
    for token in re.split(r"[^A-Za-z]+", name):
        if len(_units(token)) >= 2 and (_spells(token, phrase) or _initials_fit(token, words)):
            return True
    return False


def _initials_fit(short: str, words: list[str]) -> bool:
    """The initials of ``words`` (or of their hyphen parts) are the short name's capitals,
    or, three at least, read in order inside them from its first (DISCO)."""
    letters = "".join(c for c in short if c.isupper()).lower()
    for initials in ("".join(w[0] for w in words), "".join(p[0] for w in words for p in w.split("-") if p)):
        initials = initials.lower()
        if initials == letters:
            return True
        if len(initials) >= 3 and initials[0] == letters[:1] and _in_order(initials, letters):
            return True
    return False


def _in_order(sub: str, s: str) -> bool:
    it = iter(s)
    return all(c in it for c in sub)
