"""Where the venue, author and claim rules have something to judge, found in one pass.

A trigger is a claim cue ("outperforms", "designed for"; ``data/claims.json``), a
venue's name (``data/venues.txt``), a year, "et al", "by", "researchers at", or an
organisation's possessive ("Meta's"; ``data/organisations.txt``). The answer is
lower-cased, reduced to ASCII words separated by spaces, and split once; the words
that may start a trigger are picked out by one set intersection, and only their
places are then read with a pattern. The cost of a pass does not grow with the word
lists (a regex over every term, tried at every word, cost a fifth of a whole check).

Invariant: ``triggers(text)`` is a pure function of ``text``, remembered for the last
few texts: the rules of one check share one pass.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from typing import NamedTuple

from . import patterns
from .kept import kept
from .vocab import data_text

CLAIM_CUE_KINDS = ("comparison", "licence", "quality", "mechanism", "weakness", "trait")
STAFF = ("researchers", "scientists", "engineers", "team", "teams", "group", "lab", "colleagues", "authors", "coauthors")
ORIGIN = ("comes", "came", "come", "originates", "originated")  # "comes from the German Cancer Research Center"
MADE_AT = ("developed", "built", "created", "designed", "work", "works")  # "developed at Tencent ARC Lab"
OWNED = ("lab", "labs", "group", "team", "approach", "method", "paper", "work")  # "Sunghyun Cho's group": read at the "s" of the possessive
# words that lead a credit without "by" ("Authors: A", "its authors, A", "the work of A", "co-written with A",
# "X is from A and B"): the author rule reads the text around them
LEAD_LABELS = ("author", "authors", "coauthors", "credit", "credits", "developer", "developers", "creator", "creators",
               "maintainer", "maintainers", "origin", "organisation", "organisations", "organization", "organizations",
               "institution", "institutions", "affiliation", "affiliations", "publisher", "lab", "team",
               "from")  # "from" after a copula or a work: "is from A and B", "a paper from X"
LEAD_WORKS = ("work", "paper", "prior", "method", "approach", "brainchild", "research", "model", "study", "studies",
              "code", "checkpoint", "project")
LEAD_WITH = ("written", "authored", "coauthored", "cowritten", "developed", "codeveloped")
# verbs that credit the name before them ("Adobe Research released the weights")
CREDIT_VERBS = ("released", "developed", "created", "proposed", "introduced", "published", "trained", "built", "designed",
                "invented", "authored", "maintains", "maintained", "develops", "releases")
# what a gradable word after which is a claim of degree ("is quick", "it's noticeably slower"), as words-only text
COPULA = ("is", "s", "are", "was", "were", "stays", "remains",
          *(f"{c} {a}" for c in ("is", "s", "are") for a in ("very", "quite", "really", "much", "far", "also", "still",
                                                             "noticeably", "remarkably", "a bit", "extremely",
                                                             "incredibly", "exceptionally", "impressively", "blazing",
                                                             "blazingly", "super", "insanely", "amazingly", "truly",
                                                             "surprisingly", "wonderfully", "exceedingly")))
YEARS = range(1980, 2030)  # not 2048: a size far more often than a year
# answer as ASCII bytes (a non-ASCII character encodes as one "?") -> letters lower-cased,
# digits kept, everything else a space: words split on spaces, offsets kept
_WORDS_ONLY = bytes(b if (48 <= b <= 57 or 97 <= b <= 122) else b + 32 if 65 <= b <= 90 else 32 for b in range(256))


def data_lines(name: str) -> list[str]:
    """The non-comment, non-blank lines of ``cnaps_llm/data/<name>``."""
    text = data_text(name)
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def claim_terms() -> dict[str, list[str]]:
    """``data/claims.json``: the claim rule's word lists, by name."""
    raw = json.loads(data_text("claims.json"))
    terms = {k: v for k, v in raw.items() if not k.startswith("_")}
    # "sharper than" also with words between: "sharper on text than"
    degrees = [f.replace(" than", " ~ than") for word in terms.get("gradable", ()) for f in degree_forms(word)]
    # "gives sharper edges", "produces more natural skin": a comparative with no "than" after a verb of output
    outputs = [f"{verb} {degree_forms(word)[1][: -len(' than')]}" for word in terms.get("gradable", ())
               for verb in ("gives", "produces", "yields", "delivers", "renders")]
    terms["comparison"] = list(dict.fromkeys([*terms["comparison"], *degrees, *outputs]))
    return terms


_VOWELS = re.compile(r"[aeiouy]+")


def degree_forms(word: str) -> tuple[str, str]:
    """An adjective's superlative and its comparative before "than": a short word by its
    endings ("sharpest", "sharper than"; "heaviest"; "finest"; "slimmest"), a longer one by
    most/more ("most accurate", "more accurate than")."""
    syllables = len(_VOWELS.findall(word[:-1] if word.endswith("e") else word))
    if syllables == 2 and word.endswith("y") and word[-2] not in "aeiou":  # heavy, noisy
        base = word[:-1] + "i"
    elif syllables != 1:
        return f"most {word}", f"more {word} than"
    elif word.endswith("e"):
        base = word[:-1]
    else:
        cvc = len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou"
        base = word + word[-1] if cvc else word
    return f"{base}est", f"{base}er than"


@cache
def venues() -> dict[str, str]:
    """``data/venues.txt``: every name of a venue (as written) -> its short name."""
    out: dict[str, str] = {}
    for line in data_lines("venues.txt"):
        names = [n.strip() for n in line.split("|") if n.strip()]
        for n in names:
            out[n] = names[0]
    return out


@cache
def organisations() -> dict[str, tuple[tuple[str, ...], ...]]:
    """``data/organisations.txt``: every name of an organisation (as written) -> the
    token runs of all its names (any of which in a source grounds it)."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for line in data_lines("organisations.txt"):
        names = [n.strip() for n in line.split("|") if n.strip()]
        runs = tuple(tuple(re.findall(r"[0-9a-z]+", n.lower())) for n in names)
        for n in names:
            out[n] = runs
    return out


def term_regex(term: str) -> list[str]:
    """A word-list term as regex pieces (a trie path) for lower-cased text: ``*`` any word
    ending, ``~`` up to three words, a space any run of spaces and hyphens, whole words only."""
    out: list[str] = []
    gap = False
    for k, w in enumerate(w for w in re.split(r"[\s-]+", term.lower()) if w):
        if k and not gap:
            out.append(r"[\s-]+")
        gap = w == "~"
        if gap:  # "sharper ~ than": up to three words between ("sharper on text than")
            out.append(r"(?:[a-z0-9]+[\s-]+){0,3}")
            continue
        out += [re.escape(c) for c in w.rstrip("*")]
        if w.endswith("*"):
            out.append(r"[a-z]*")
    out.append(r"(?![a-z0-9])")
    return out


class _Reader(NamedTuple):
    kind: str
    pattern: re.Pattern[bytes] | re.Pattern[str] | None  # None: the word alone is the trigger
    on_words: bool  # read in the words-only bytes (lower case), else in the answer as written


def _words_form(term: str) -> str:
    """A term as it reads in the words-only text: letters and digits, single spaces."""
    return " ".join(re.sub(r"[^a-z0-9*~]+", " ", term.lower()).split())


def _first_word(term: str) -> str:
    first = _words_form(term).split(" ")[0]
    if first.endswith("*"):
        raise ValueError(f"the term {term!r} has a * on its first word; write its forms out (data/claims.json)")
    return first


def _word_reader_sources(terms: list[str]) -> dict[str, bytes | None]:
    """For each first word of ``terms``, the pattern (its source) that reads the whole
    terms there in words-only text (None when the word alone is the term)."""
    firsts: dict[str, list[str]] = {}
    for term in terms:
        firsts.setdefault(_first_word(term), []).append(_words_form(term))
    out: dict[str, bytes | None] = {}
    for word, forms in firsts.items():
        if forms == [word]:
            out[word] = None
        else:
            paths = [[" +" if p == r"[\s-]+" else p for p in term_regex(t)] for t in forms]
            out[word] = patterns.trie_regex(paths).encode()
    return out


def _word_readers(terms: list[str]) -> dict[str, re.Pattern[bytes] | None]:
    """``_word_reader_sources``, compiled."""
    return {w: None if src is None else patterns.compile(src) for w, src in _word_reader_sources(terms).items()}


def _negation(term: str) -> bool:
    """Whether a gap word of the claim list is a negation of the task rule's gap families
    ("not", "doesn't", "lacks"): it governs its own clause only, as a task's gap does."""
    return _negations().fullmatch(term.lower().replace("’", "'")) is not None


@cache
def _negations() -> re.Pattern[str]:
    return re.compile("|".join(json.loads(data_text("task_cues.json"))["gap"]["negations"]))


@cache
def _table(which: str) -> dict[bytes, re.Pattern[bytes] | None]:
    """By first word, as ``_word_readers``: the hedge words and the gap words that are no
    negation (``which`` "unit": they take a whole unit's claim back), or the negations
    ("clause": they take back the claim of their clause)."""
    terms = claim_terms()
    chosen = (terms["hedge"] + [t for t in terms["gap"] if not _negation(t)] if which == "unit"
              else [t for t in terms["gap"] if _negation(t)])
    return {w.encode(): r for w, r in _word_readers(chosen).items()}


@cache
def hedges() -> dict[bytes, re.Pattern[bytes] | None]:
    """The hedge and gap words (``data/claims.json``) by first word, as ``_word_readers``."""
    terms = claim_terms()
    return {w.encode(): r for w, r in _word_readers(terms["hedge"] + terms["gap"]).items()}


@cache
def _first_words(which: str) -> frozenset[bytes]:
    return frozenset(hedges()) if which == "all" else frozenset(_table(which))


def _reads(table: dict[bytes, re.Pattern[bytes] | None], hits: set[bytes] | frozenset[bytes], words: bytes,
           start: int, end: int) -> bool:
    """Whether one of ``hits`` (first words found in ``words[start:end]``) starts a term of ``table`` there."""
    for word in hits:
        if word not in table:
            continue
        reader = table[word]
        if reader is None:
            return True
        needle = b" " + word + b" "
        at = words.find(needle, start - 1, end + 1)
        while at >= 0:
            if reader.match(words, at + 1):
                return True
            at = words.find(needle, at + 1, end + 1)
    return False


def hedged(words: bytes, start: int, end: int, toks: list[bytes] | None = None) -> bool:
    """Whether ``words[start:end]`` (words-only text, whose words ``toks`` are if given)
    holds a hedge or gap word."""
    hits = _first_words("all").intersection(words[start:end].split() if toks is None else toks)
    return bool(hits) and _reads(hedges(), hits, words, start, end)


def hedge_reading(words: bytes, start: int, end: int) -> int:
    """How ``words[start:end]`` (words-only text) takes claims back, its words split once:
    2 when it holds a hedge or a gap word that is no negation ("may", "none of": the whole
    unit), 1 when it holds only a negation ("not", "doesn't": the caller reads its clause),
    0 when neither."""
    hits = _first_words("all").intersection(words[start:end].split())
    if not hits:
        return 0
    if _reads(_table("unit"), hits, words, start, end):
        return 2
    return 1 if _reads(_table("clause"), hits, words, start, end) else 0


_Recipe = tuple[str, "str | bytes | None", bool]  # a _Reader with its pattern's source


@cache
def _readers() -> dict[bytes, tuple[bytes, tuple[_Reader, ...]]]:
    """For each word that may start a trigger: the word between spaces (what to look
    for), and the patterns that read a trigger there. Built from the word lists once
    (``_reader_recipes``, kept between runs), each pattern compiled once."""
    compiled: dict[str | bytes, re.Pattern] = {}  # a venue's reader also reads its workshop

    def reader(kind: str, source: str | bytes | None, on_words: bool) -> _Reader:
        if source is None:
            return _Reader(kind, None, on_words)
        if source not in compiled:
            compiled[source] = patterns.compile(source)
        return _Reader(kind, compiled[source], on_words)

    recipes = kept("triggers.readers", _reader_recipes)
    return {w: (needle, tuple(reader(*r) for r in rs)) for w, (needle, rs) in recipes.items()}


def _reader_recipes() -> dict[bytes, tuple[bytes, tuple[_Recipe, ...]]]:
    by_word: dict[str, list[_Recipe]] = {}

    def add(word: str, recipe: _Recipe) -> None:
        by_word.setdefault(word, []).append(recipe)

    terms = claim_terms()
    for kind in CLAIM_CUE_KINDS:
        for word, source in _word_reader_sources(terms[kind]).items():
            add(word, (kind, source, True))
    # a gradable word after a copula, with no "than" ("it is slower but more thorough", "so it
    # is quick"): read at the adjective (a word the pass already picks out, or a rare one),
    # the copula looked back for, so no cue starts at "is"
    copula = b"|".join(rb"(?<= " + c.encode() + rb" )" for c in COPULA)
    not_to = rb"(?![a-z0-9])(?! +to )"  # "the output is faster to review": the reader's effort, not the model's
    comparatives: dict[str, list[str]] = {}
    for word in terms.get("gradable", ()):
        comparative = degree_forms(word)[1][: -len(" than")]
        first, _, rest = comparative.partition(" ")
        comparatives.setdefault(first, []).append(rest)
        add(word, ("trait", rb"(?:" + copula + rb")" + re.escape(word).encode() + not_to, True))
    for first, rests in comparatives.items():
        tail = b"|".join(re.escape(r).encode() for r in sorted(rests, key=len, reverse=True) if r)
        body = re.escape(first).encode() + (rb" +(?:" + tail + rb")" if tail else b"")
        add(first, ("comparison", rb"(?:" + copula + rb")" + body + not_to, True))
    # "without dulling the cymbals": what a model is said to spare, whatever the verb ("without using" is a means)
    add("without", ("quality", rb"without +(?!(?:using|needing|requiring|having|being|changing|touching|modifying|"
                               rb"retraining|training|fine tuning|writing|coding|installing|paying)(?![a-z0-9]))"
                               rb"[a-z]{2,}ing(?![a-z0-9])", True))
    for year in YEARS:
        add(str(year), ("year", None, True))
    add("et", ("etal", rb"et +al(?![a-z0-9])", True))
    add("by", ("by", None, True))
    for w in STAFF:
        add(w, ("staff", re.escape(w).encode() + rb" +(?:(?:are|were|is|was) +)?(?:at|from) ", True))
    for w in ORIGIN:
        add(w, ("staff", re.escape(w).encode() + rb" +from ", True))
    for w in MADE_AT:
        add(w, ("staff", re.escape(w).encode() + rb" +at ", True))
    # the "s" alone: "lab at Lund" after it is still read as a staff trigger
    add("s", ("owned", rb"s(?= +(?:[a-z0-9]+ +){0,2}(?:" + b"|".join(w.encode() for w in OWNED) + rb")(?![a-z0-9]))", True))
    for kind, names, tail in (("venue", venues(), "W?(?![A-Za-z])"), ("own", organisations(), "['’]s(?![a-z])")):
        by_first: dict[str, list[str]] = {}
        for name in names:
            by_first.setdefault(_words_form(name).split(" ")[0], []).append(name)
        for first, group in by_first.items():
            alts = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(group, key=len, reverse=True))
            recipe = (kind, rf"(?:{alts}){tail}", False)
            add(first, recipe)
            if kind == "venue":
                add(first + "w", recipe)  # ICCVW: the venue's workshop
    for w in LEAD_WORKS:  # "the work of"
        add(w, ("lead", re.escape(w).encode() + rb" +of ", True))
    add("co", ("lead", rb"co +(?:written|authored|developed) +with ", True))
    for w in LEAD_WITH:
        add(w, ("lead", re.escape(w).encode() + rb" +with ", True))
    for w in LEAD_LABELS:  # last: the word alone, when no other reading of it holds
        add(w, ("lead", None, True))
    for w in CREDIT_VERBS:
        add(w, ("creditverb", None, True))
    return {w.encode(): (f" {w} ".encode(), tuple(r)) for w, r in by_word.items()}


@cache
def _starts() -> frozenset[bytes]:
    return frozenset(_readers())


def to_words(text: str) -> bytes:
    """``text`` as ASCII bytes, letters lower-cased, everything but letters and digits a
    space, with a space added at each end: offset ``i`` in ``text`` is ``i + 1`` here."""
    return (" " + text + " ").encode("ascii", "replace").translate(_WORDS_ONLY)


@lru_cache(maxsize=8)
def words_only(text: str) -> bytes:
    """``to_words`` of an answer, remembered: the rules of one check share it."""
    return to_words(text)


@lru_cache(maxsize=8)
def triggers(text: str) -> tuple[tuple[int, int, str], ...]:
    """``(start, end, kind)`` in ``text`` of each trigger, in order: kind is a claim cue's
    ("comparison", "licence", "quality", "mechanism", "weakness", "trait"), "venue", "year", "etal", "by", "staff"
    ("researchers at", "developed at"), "owned" (the "s" of a possessive a word or two before "lab"/"group"/
    "approach"), "own" (an organisation's possessive), "lead" (a word that may lead a credit without "by":
    "Authors", "work of", "co-written with", "is from") or "creditverb" ("released", "developed"). Found once per answer
    text, whichever rule asks first."""
    words = words_only(text)
    hits = _starts().intersection(words.split())
    if not hits:
        return ()
    table = _readers()
    out: list[tuple[int, int, str]] = []
    append = out.append
    find = words.find
    for word in hits:
        needle, readers = table[word]
        size = len(needle) - 2
        at = find(needle)
        while at >= 0:
            # ``at`` is where the word starts in ``text`` (``words`` is one ahead)
            for kind, pattern, on_words in readers:
                if pattern is None:
                    append((at, at + size, kind))
                    break
                m = pattern.match(words, at + 1) if on_words else pattern.match(text, at)  # type: ignore[arg-type]
                if m is not None:
                    append((at, m.end() - 1 if on_words else m.end(), kind))
                    break
            at = find(needle, at + 1 + size)
    out.sort()
    kept: list[tuple[int, int, str]] = []
    last = -1
    for trig in out:  # one trigger per place: "University of Hong Kong's" inside "Chinese University of ..."
        if trig[0] >= last:
            kept.append(trig)
            last = trig[1]
    return tuple(kept)
