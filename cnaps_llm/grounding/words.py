"""Word-level readings the name scanners share: stop words, runs of capitalised words,
head nouns of names written out in words, task words, and the tokens of code and
diagrams that are not names.

Invariant: pure functions of their arguments and of the vocabularies (``data/``).
"""

from __future__ import annotations

import re
from functools import cache

from . import patterns, vocab

# words that end a run of capitalised words: "The Holistic Attention Network" is "Holistic Attention Network"
STOP = frozenset(
    "a an the and or of for to in on at by is are was be as it its this that these those with from into via "
    "we our you your their each both per than then using uses use which while when where how not no all any".split()
)
MARKS = "*_`\"“”' "  # emphasis and quotes around a name
_CAPITALISED = patterns.compile(r"[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")  # a capitalised word, hyphenated or not


@cache
def head_nouns() -> frozenset[str]:
    """Head nouns of written-out names (``data/name_heads.txt``), with their plurals."""
    return frozenset(h + end for h in vocab.data_lines("name_heads.txt") for end in ("", "s"))


def capitalised_before(text: str, end: int) -> tuple[int, list[str]]:
    """The capitalised words just before ``end`` on its line (separated by spaces, up to
    eight, after the last stop word among them, an emphasis mark opening the first), and
    where the first starts."""
    lo = max(0, end - 160)
    line = text.rfind("\n", lo, end) + 1 or lo
    tokens = text[line:end].split(" ")[-9:]
    words: list[str] = []
    for tok in reversed(tokens[:-1] if tokens and tokens[-1] == "" else tokens):
        word = tok.lstrip(MARKS + "([")
        if not _CAPITALISED.fullmatch(word) or word.lower() in STOP:
            break
        words.append(word)
        if word != tok:
            break  # "**Segment-Anything-Model", "(Generative …": the mark opens the phrase
    words.reverse()
    return end - len(" ".join(words)) - (1 if words else 0), words


@cache
def _task_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """Task terms squashed (``superresolution``), and the stems of those ending in * (``deblur``)."""
    whole, stems = set(), set()
    for task in vocab.tasks():
        for term in (task.name, *task.terms):
            if term.endswith("*") and "*" not in term[:-1] and " " not in term:
                stems.add(vocab.squash(term))
            elif "*" not in term:
                whole.add(vocab.squash(term))
    return frozenset(whole), tuple(s for s in sorted(stems) if len(s) >= 5)


def is_task_word(part: str) -> bool:
    """Whether ``part`` is a task term (``SUPER-RESOLUTION``) or starts like one (``DEBLUR``)."""
    whole, stems = _task_words()
    sq = vocab.squash(part)
    return sq in whole or sq.startswith(stems)


# a lower-case stem and one digit (conf1, img2): a placeholder when the text numbers the stem twice
# (or a capital and one digit: A2 beside A1 numbers diagram nodes, where T4 alone is a device)
_NUMBERED = patterns.compile(r"([a-z]{2,6}|[A-Z])_?\d")
# what follows a variable rather than a name: a type in brackets, or an assignment
_TYPED = patterns.compile(
    r"\s*(?:\((?:int|integer|float|double|str|string|bool|boolean|list|dict|array|tensor|number|object|json)\)|=(?![=>])|[<>]=?\s*\d)",
    re.I,
)


def _is_variable(text: str, name: str) -> bool:
    """Whether ``name`` is typed or assigned somewhere in ``text`` (``DetailMap = …``):
    a variable of the answer's diagram or code, wherever it is used."""
    if not name.isidentifier():
        return False
    at = text.find(name)  # in C; a pattern led by a look-behind would be tried at every position
    while at >= 0:
        if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_-")) and _TYPED.match(text, at + len(name)):
            return True
        at = text.find(name, at + len(name))
    return False


def code_token(text: str, start: int, name: str) -> bool:
    """Whether ``name``, read at ``start``, is a token of the answer's code or diagrams
    there rather than a name: a node id, a typed, assigned or compared variable, a key of
    a JSON example."""
    end = start + len(name)
    if end < len(text) and text[end] in "[{":
        return True  # a diagram node id: O1[Output], B{Branch}
    if start and text[start - 1] in "\"'" and text[end : end + 1] == text[start - 1] and text[end + 1 : end + 3].lstrip()[:1] == ":":
        return True  # a key of a JSON example: "RShoulder": [210, 150]
    return _TYPED.match(text, end) is not None  # PersonCount (integer), DetailMap = ..., Score > 0


def declared(text: str, name: str) -> bool:
    """Whether ``text`` shows ``name`` to be a variable or a placeholder wherever it is used:
    typed, assigned or compared somewhere, or numbered beside a sibling (conf1 and conf2).
    (Asked of the names a case does not ground, once per name.)"""
    numbered = _NUMBERED.fullmatch(name)
    if numbered is not None:
        digit = name[-1]
        stem = numbered.group(1)
        return any(m.group(1) != digit for m in re.finditer(rf"(?<![A-Za-z]){stem}_?(\d)(?!\d)", text))
    return _is_variable(text, name)


# --------------------------------------------------------------------------- plain words

_PROSE_WORD = patterns.compile(r"[A-Za-z][A-Za-z'’]+")
# words that say nothing of what a question is about: the answer's task part is judged by
# the rest ("denoise", "grain", "scanned")
QUESTION_STOP = frozenset(
    "this that these those with from what which have they their there into about would could should user users "
    "want wants wanted like more most some such them then than also very only just your does make made know "
    "using used when where while been being will many much each other photo photos image images picture "
    "pictures model models help task".split()
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ied", "es", "ed", "ly", "s", "y", "e")


def prose_words(text: str) -> list[str]:
    """The words of ``text``: runs of letters (and apostrophes) of two or more."""
    return _PROSE_WORD.findall(text)


def short_stem(word: str) -> str:
    """A rough stem for comparing words: lower case, one suffix off, six letters at most."""
    w = word.lower()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    return w[:6]


def content_stems(text: str) -> set[str]:
    """The stems of the words of ``text`` that say what it is about."""
    return {short_stem(w) for w in prose_words(text) if len(w) >= 4 and w.lower() not in QUESTION_STOP}
