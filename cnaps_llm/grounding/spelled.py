"""Numbers written in words: "five hundred thousand", "half a million", "a million",
"twenty-five", "tenfold" (``spelled_in``), for the figures of ``numbers``.

Invariant: pure functions of their text; a run is read in lower case, starts after a
space, a line break, a bracket, an emphasis mark or a quote, and its value is the one
the words say (``parse_run``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import patterns

_SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_BIG = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_PARTS = {"half": 0.5, "quarter": 0.25}
_FOLD = {**_SMALL, "hundred": 100, "thousand": 1000}  # "eightfold", "twentyfold"
SPELLED_WORDS = [*_SMALL, *_BIG, *_PARTS]
SPELLED_WORD = patterns.trie_regex([list(w) for w in SPELLED_WORDS])
# a run of number words, lower case: "five hundred thousand", "twenty-five", "half a million",
# "a million", "tenfold". One pattern per character a word may follow (space, line break,
# bracket, emphasis, quote): re skips to a literal in C, where a leading class or
# look-behind is tested at every letter (see ``patterns.finditer_any``).
_SPELLED_RUN = patterns.by_lead(
    " \n(*\"“",
    rf"(?:an?[ \t]+)?(?:{SPELLED_WORD})(?:(?:[ \t]+|-)(?:and[ \t]+|an?[ \t]+)?(?:{SPELLED_WORD}))*(?P<fold>fold)?(?![a-z])",
)
# "a million", "an hundred": a scale word after an article (looked for when a scale word is there)
A_SCALE = patterns.by_lead(" \n", r"[Aa]n?[ \t]+(?:hundred|thousand|million|billion)(?P<fold>)(?![a-z])")

def _spelled_value(words: list[str]) -> float:
    total, current = 0.0, 0.0
    for w in words:
        if w in _SMALL:
            current += _SMALL[w]
        elif w in _PARTS:
            current += _PARTS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _BIG:
            total += (current or 1) * _BIG[w]
            current = 0.0
    return total + current


def parse_run(run: str, fold: bool) -> tuple[int, float, bool] | None:
    """A run of number words (lower case, as ``_SPELLED_RUN`` reads it) -> (offset of its
    first number word in the run, value, scaled), or None when it gives no value."""
    words = re.findall(r"[a-z]+", run.removesuffix("fold") if fold else run)
    led_by_a = words[0] in ("a", "an")
    words = [w for w in words if w not in ("and", "a", "an")]
    if not words:
        return None
    skip = 0
    if led_by_a and words[0] not in _BIG:
        skip = len(run) - len(run.lstrip("an \t"))  # "a two-stage": the run is "two"
        led_by_a = False
    if fold:
        return (skip, float(_FOLD[words[0]]), False) if len(words) == 1 and words[0] in _FOLD else None
    if words[0] in _PARTS and not any(w in _BIG for w in words):
        return None  # "half" alone is no figure
    if words[0] in _BIG and not led_by_a:
        return None  # "2 million" is read from its digits
    return skip, _spelled_value(words), any(w in _BIG for w in words)


def _lower_padded(text: str) -> str | None:
    """" " + ``text`` lower-cased, the same length plus one, or None."""
    low = patterns.lower_for_search(text)
    if low is None:
        low = text.lower()
        if len(low) != len(text):
            return None
    return " " + low  # a run at the very start follows a space too


def spelled_in(text: str) -> Iterator[tuple[int, int, float, bool]]:
    """``(start, end, value, scaled)`` for each run of number words in ``text``:
    "five hundred thousand" -> 500000, "half a million" -> 500000, "a million" -> 1e6,
    "tenfold" -> 10; ``scaled`` when a scale word (hundred…) is in it. A run starts
    after a space, a line break, a bracket, an emphasis mark or a quote."""
    low = _lower_padded(text)
    if low is None:
        return
    for m in patterns.finditer_any(_SPELLED_RUN, low):
        parsed = parse_run(m.group(0)[1:], bool(m.group("fold")))
        if parsed is not None:
            skip, value, scaled = parsed
            yield m.start() + skip, m.end() - 1, value, scaled


# Multipliers and fractions in words, in the shapes that make them a figure: "twice as
# fast", "doubles the resolution", "cut in half", "half the memory", "a quarter of the
# time", "a third more", "a dozen experts". Not "half-precision", "the first half of",
# "a third model" (an ordinal) or "applied twice" (a repetition).
_MULTIPLIER = patterns.compile(
    r"(?<![\w-])(?:"
    r"(?P<twice>twice)[ \t]+(?:as|the|that|its|their)"
    r"|(?P<double>double)(?:s|d)?[ \t]+(?:the|its|their)"
    r"|(?P<doubling>doubling)[ \t]+(?:the|its|their)"
    r"|(?:in|into)[ \t]+(?P<half>half)(?![\w-])"
    r"|(?P<half2>half)[ \t]+(?:as|the|that|its|their)"
    r"|an?[ \t]+(?P<part>quarter|third)[ \t]+(?:of|more|less|fewer|as)"
    r"|an?[ \t]+(?P<dozen>dozen)"
    r")(?![\w-])",
    re.IGNORECASE,
)
_MULTIPLIER_CUES = ("wice", "ouble", "alf", "uarter", "hird", "ozen")
_TIMES = {"double": 2.0, "doubling": 2.0}
_FRACTIONS = {"quarter": 0.25, "third": 1 / 3}


def multipliers_in(text: str) -> Iterator[tuple[int, int, float, str]]:
    """``(start, end, value, kind)`` for each multiplier or fraction in words (``_MULTIPLIER``):
    kind "scale" (twice, double: 2), "fraction" (half: 0.5, a quarter: 0.25) or "value"
    (a dozen: 12). Matched only where ``str.find`` sees a word's tail ("wice", "alf"),
    at the word and at the article or preposition before it: most texts have none."""
    found: dict[int, re.Match[str]] = {}
    for cue in _MULTIPLIER_CUES:
        at = text.find(cue)
        while at >= 0:
            word = at - 1  # the cue lacks the word's first letter, which may be a capital
            for lead in (0, 2, 3, 5):  # the word; "a ", "an " or "in ", "into " before it
                if word - lead >= 0 and word - lead not in found and (m := _MULTIPLIER.match(text, word - lead)):
                    found[word - lead] = m
                    break
            at = text.find(cue, at + 1)
    yield from _orders_in(text)
    for _, m in sorted(found.items()):
        kind, word = next((k, w) for k, w in m.groupdict().items() if w)
        low = word.lower()
        if kind == "twice":
            yield m.start(kind), m.end(), 2.0, "scale"
        elif kind in ("double", "doubling"):
            yield m.start(kind), m.end(), _TIMES[low], "scale"
        elif kind in ("half", "half2"):
            yield m.start(), m.end(), 0.5, "fraction"
        elif kind == "part":
            yield m.start(), m.end(), _FRACTIONS[low], "fraction"
        else:
            yield m.start(), m.end(), 12.0, "value"


_MULTIPLIER_WORD = patterns.compile(
    r"(?<![\w-])(twice|doubl(?:e[sd]?|ing)|tripl(?:e[sd]?|ing)|quadrupl(?:e[sd]?|ing)|halve[sd]?|halving|half|quarter|third|dozens?)(?![\w])",
    re.IGNORECASE,
)
_WORD_VALUES = {
    "twi": (2.0,), "dou": (2.0,), "tri": (3.0,), "qua": (4.0,), "hal": (0.5, 2.0, 50.0),
    "quar": (0.25, 4.0, 25.0), "thi": (1 / 3, 3.0, 33.0), "doz": (12.0,),
}


# "two orders of magnitude faster": a scale of ten to the count ("an order of magnitude": 10)
_ORDERS = patterns.compile(
    r"(?<![\w-])(an?|one|two|three|four|five|six|[1-9])[ \t]+orders?[ \t]+of[ \t]+magnitude(?![\w-])", re.IGNORECASE
)
_ORDER_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _orders_in(text: str) -> Iterator[tuple[int, int, float, str]]:
    at = text.find("of magnitude")
    while at >= 0:
        m = _ORDERS.search(text, max(0, at - 24), at + 12)
        if m is not None:
            count = m.group(1).lower()
            yield m.start(), m.end(), 10.0 ** (int(count) if count.isdigit() else _ORDER_COUNTS[count]), "scale"
        at = text.find("of magnitude", at + 12)


def multiplier_values(text: str) -> set[float]:
    """The values an input's multiplier and fraction words give, in any shape ("enlarge it
    twice", "half the size"): what grounds an answer's "2x" or "50%" (read loosely, as an
    input is: it only grounds)."""
    out: set[float] = {v for _, _, v, _ in _orders_in(text)}
    if not any(c in text for c in _MULTIPLIER_CUES):
        return out
    for m in _MULTIPLIER_WORD.finditer(text):
        low = m.group(1).lower()
        out.update(_WORD_VALUES["quar" if low.startswith("quar") else low[:3]])
    return out
