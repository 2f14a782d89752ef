"""An answer's Markdown as the quality checks read it: code fences, headings, the three
parts (under Markdown or bold headings, or else under plain ones: "2. Workflow",
"Part II: Workflow", or a short label line alone such as "WORKFLOW", "Sources:" or a
setext heading's text), and whether it is in our rendered format.

Invariant: pure; built per check from the answer and the case's index (``answer_of``: one
per check, shared by the rules that read it), each piece computed at most once
(``cached_property``) and only when a check asks for it. Everything is found by
literal-led scans and kept as offsets: an answer is never split into lines, since a check
runs thousands of times a second.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property, lru_cache
from typing import NamedTuple

from ..answer_format import INPUT, MODEL, OUTPUT, Statement, statements
from . import patterns, vocab
from .index import Grounding
from .rules import View

# What a heading of each of the three usual parts says, in lower case. Each branch leads
# with a letter (a word boundary is checked after it) and headings are lower-cased before
# the search: re then tests the first letter in C, which re.IGNORECASE or a leading \b
# prevent. (``structure`` reads the parts a prompt asks for; this reads an answer's outline.)
_PART_WORDS = (
    ("task", r"t(?<!\wt)asks?\b|g(?<!\wg)oal\b|p(?<!\wp)roblem\b|what (?:is |does )?the user|r(?<!\wr)equest\b|o(?<!\wo)bjective\b"),
    ("workflow", r"w(?:orkflow|(?<!\ww)orks?\b)|pipeline|input\s*(?:→|->|to)|how (?:it|the models?|they) (?:works?|(?:would |will )?runs?)"
     r"|f(?<!\wf)low\b|s(?<!\ws)teps?\b|a(?<!\wa)rchitecture|under the hood"),
    ("references", r"papers?|tools?|references?|resources?|links?|citations?|sources|further reading|literature|justif|why (?:th(?:is|ese|ose)|it|we)\b"),
)
PARTS = tuple((name, patterns.compile(words)) for name, words in _PART_WORDS)

_MD_HEADING = patterns.compile(r"(#{1,6})\s+(.*?)\s*#*\s*")
_BOLD_LINE = patterns.compile(r"\*\*[^*\n]+\*\*:?|__[^_\n]+__:?")
# "2. CNAPS-style Workflow", "C. Justification & References": plain lines that head a part
# in answers without Markdown; counted only where their words name a part
# (also "(2) Workflow", "2/ Workflow", "Part II: Workflow", "Section B – Workflow")
_PLAIN_HEADING = patterns.compile(
    r"(?:(?:\(\d{1,2}\)|\d{1,2}/|(?:\d{1,2}|[IVX]{2,4}|[A-Z])[.)]) [^*:\n]{3,55}"
    r"|(?:Part|Section) (?:\d{1,2}|[IVX]{1,4}|[A-Z])\b[^*\n]{0,55})[^.:!?*\n]"
)
PLAIN = 8
# a line that may be a heading, found on the answer with "\n" put in front (so offsets of
# the "\n" are the answer's line starts): it starts with "#", "**" or "__"
# (an emoji may lead it: "🎯 **Core Task**"), or "2. "/"C. "/"Part 2 "
_HEADING_LINE = patterns.compile(r"\n[ \t]*(?:[^\x00-\x7f\w\s][ \t]*){0,4}((?:#|\*\*|__)[^\n]*)")
_PLAIN_LINE = patterns.compile(
    r"\n[ \t]*((?:(?:\(\d{1,2}\)|\d{1,2}/|(?:\d{1,2}|[IVX]{2,4}|[A-Z])[.)]) |(?:Part|Section) (?:\d{1,2}|[IVX]{1,4}|[A-Z])\b)[^\n]*)"
)
# a short line that is a label alone, in answers without Markdown: "Workflow", "CORE TASK",
# "Sources:", "Task —", "➤ WORKFLOW", "> **Task**" (a quoted bold line), or a setext heading's
# text above its "====" (read by ``_label_kind``)
_LABEL_HEAD = patterns.compile(r"\n[ \t>]*((?:(?:[^\x00-\x7f\w\s]|\d\ufe0f?\u20e3)[ \t]*){0,3}(?:\*\*|__)?[A-Z][^\n]{1,44})(?=\n)")
_LABEL_TEXT = patterns.compile(r"[A-Z][A-Za-z'’&/ ()-]{1,40}?[ \t]*(?::|—|–| -)?")
LABEL_WORDS = 6
# our rendered format, on "\n" + the answer: the model label alone on its line over the first
# numbered step ("**Model:**\n1. **Name**: …"), as the renderer writes it. A prose answer's
# bold "**Model:** SwinIR restores…" on one line is not ours.
_OUR_STEPS = patterns.compile("\n" + re.escape(MODEL) + r"\n1\. \*\*")
# without steps the renderer writes no model label: its input and output labels at line
# starts under its own part-2 heading, as draft.render writes it (an answer that copies the
# prompt's "(input → model → output)" into a heading of its own is not ours)
_OUR_FLOW = "\n## 2. How it works: input → model → output\n"
_ANY_PART = patterns.compile("|".join(f"(?:{pat.pattern})" for _, pat in PARTS))
# what says a model is set aside: a cue ("not", "isn't", "irrelevant", "instead"…), and after
# a "not" what is not the case ("not used", "not a fit", "not designed for"…). Each pattern
# is literal-led, so re skips through a window in C; the letter before a cue is checked in Python.
# as a trie (no cue starts another, so it matches as the plain alternation would): re
# rejects a letter in a step, not in one step per cue
_ASIDE_CUE = patterns.compile(patterns.trie_regex([[re.escape(c) for c in cue] for cue in (
    "not ", "n't", "n’t", "irrelevant", "unsuitable", "unnecessary", "exclud", "omit", "skip", "set aside",
    "instead", "rather than", "optional", "outside th", "no need", "no role", "mismatch",
    "it aside", "them aside", "one aside", "wrong tool", "wrong model", "poor fit", "bad fit",
    "redundant", "superfluous", "unused", "no part in", "left out", "leave out", "out of scope", "discard", " out ", " out,", " out.", " out;",
)]))
# what leaves a model " out": "I leave SwinIR out", "DRN is left out", "which rules it out"
# (not "carry out", "filter out", "stand out"), read in the few words before the cue
_OUT_VERB = patterns.compile(r".*\b(?:leav(?:e|es|ing)|left|rul(?:e|es|ed|ing)|cross(?:es|ed)?)(?![\w-])[^.;:!?\n]{0,40}$", re.S)
_NOT_WHAT = patterns.compile(
    r"(?:be |directly |really )?(?:used|needed|necessary|suitable|suited|relevant|applicable|required|a fit|"
    r"a good fit|appropriate|designed|meant|helpful|useful|included|for |fit|apply|address|match|help|handle|target|need|"
    r"called|invoked|employed|chosen|selected|applied|part of|the right)"
)


def _heading_kind(line: str) -> tuple[int, str, str] | None:
    """(level, text, line) when ``line`` (a line's text from its first non-space) is a
    heading, else None. Remembered for short lines only: answers share headings such
    as "## References", not their long bold lines."""
    return _short_heading_kind(line) if len(line) <= SHORT_LINE else _read_heading(line)


def _read_heading(line: str) -> tuple[int, str, str] | None:
    s = line.rstrip()
    if s[0] == "#":
        h = _MD_HEADING.fullmatch(s)
        return (len(h.group(1)), h.group(2), s) if h is not None else None
    if s[0] in "*_":
        return (7, s.strip("*_: "), s) if _BOLD_LINE.fullmatch(s) else None
    return (PLAIN, s, s) if _PLAIN_HEADING.fullmatch(s) else None


@lru_cache(maxsize=4096)
def _label_kind(line: str) -> str | None:
    """The words of a line that is a label alone (see ``_LABEL_HEAD``), or None: at most
    LABEL_WORDS words of letters, with a colon or a dash at most after them, and nothing
    that ends a sentence. Remembered: the line is short."""
    s = line.strip().lstrip("".join(c for c in line if c > "\x7f" and not c.isalnum()) + " \t0123456789")  # emoji, keycaps ("1️⃣")
    s = s.strip("*_").strip()
    if _LABEL_TEXT.fullmatch(s) is None:
        return None
    words = s.rstrip(" \t:—–-").split()
    return " ".join(words) if 0 < len(words) <= LABEL_WORDS else None


def _parts_named(text: str) -> frozenset[str]:
    """The parts a heading's text could start ("1. Core Task" -> task). Remembered for
    short headings (see ``_heading_kind``)."""
    return _short_parts_named(text) if len(text) <= SHORT_LINE else _read_parts_named(text)


def _read_parts_named(text: str) -> frozenset[str]:
    low = text.lower()
    if _ANY_PART.search(low) is None:  # one search rules out most headings
        return frozenset()
    return frozenset(name for name, pat in PARTS if pat.search(low))


def _sets_aside(window: str) -> bool:
    """Does this (lower-cased) text say that something is not used? Not remembered: a
    window of lines is the answer's own text, and a memo of it would pay only where
    answers repeat each other's lines."""
    if "**not used:**" in window:  # the "**Not used:**" label says nothing of any one model
        window = window.replace("**not used:**", "")
    for m in _ASIDE_CUE.finditer(window):
        cue, at = m.group(), m.start()
        if cue in ("n't", "n’t"):
            # "isn't"/"aren't" say it; after "doesn't", "can't"… only what is not the case
            # does ("doesn't fit"): "you can't see the cars" sets nothing aside
            if window.endswith(("is", "are"), 0, at) or _NOT_WHAT.match(window, m.end() + 1) is not None:
                return True
            continue
        if cue[:4] == " out":  # "… out" says it after a verb that leaves a thing out (not "output": a stop or space follows)
            if _OUT_VERB.match(window, max(0, at - 60), at) is not None:
                return True
            continue
        if at and window[at - 1].isalpha() and cue != "not ":
            continue  # inside a word ("unomitted"); "cannot " is a "not " too
        if cue != "not " or _NOT_WHAT.match(window, m.end()) is not None:
            return True
    return False


# the longest heading line remembered: a memo pays on the short headings answers share
SHORT_LINE = 48
_short_heading_kind = lru_cache(maxsize=8192)(_read_heading)
_short_parts_named = lru_cache(maxsize=8192)(_read_parts_named)


@lru_cache(maxsize=4096)
def _assign_parts(named: tuple[frozenset[str], ...]) -> dict[str, int]:
    """Which heading starts each part, given the parts each heading could start, in order.
    Parts come in order: a title that says "workflow" above part 1 is not part 2; a part
    named only out of order still counts. Remembered: answers share their outlines."""
    found: dict[str, int] = {}
    after = -1
    for name, _ in PARTS:
        hit = next((i for i, parts in enumerate(named) if i > after and name in parts), None)
        if hit is None:
            hit = next((i for i, parts in enumerate(named) if name in parts), None)
        if hit is not None and hit not in found.values():
            found[name] = hit
            after = max(after, hit)
    return found


class Heading(NamedTuple):
    """A heading line from ``start`` (its line's start) to ``end`` (its line's end): ``#``
    headings by level, a line in bold (7), a plain numbered line (PLAIN)."""

    start: int
    end: int
    level: int
    text: str
    line: str  # the line as written, stripped


class Answer:
    """The answer as the checks read it."""

    def __init__(self, view: View, g: Grounding) -> None:
        self.view, self.g = view, g
        self.text = view.answer
        # windows already read in this check: a model's name and its short forms lead to
        # the same lines (kept per check, never across answers)
        self._asides: dict[tuple[int, int], bool] = {}

    def line_at(self, offset: int) -> tuple[int, int]:
        """The start and end of the line holding ``offset``."""
        end = self.text.find("\n", offset)
        return self.text.rfind("\n", 0, offset) + 1, len(self.text) if end < 0 else end

    @cached_property
    def nl(self) -> str:
        """"\n" + the answer: literal-led line scans find every line start in it, and an
        offset in it is the answer's offset of the line start after that "\n"."""
        return "\n" + self.text

    @cached_property
    def _fences(self) -> list[int]:
        """Offsets where code fences open and close, alternately (a fence left open runs to the end)."""
        # from each "```" to its line's start: a few finds, not a try at every line start
        text, out = self.text, []
        at = text.find("```")
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            if not text[start:at].strip(" \t"):  # only blanks before it: a fence line
                out.append(start)
            end = text.find("\n", at)  # a later "```" on this line follows this one: not a fence
            at = -1 if end < 0 else text.find("```", end)
        return out

    def fenced(self, offset: int) -> bool:
        """Is ``offset`` inside a code fence, its opening and closing lines included?"""
        fences = self._fences
        if not fences:
            return False
        k = bisect_right(fences, offset)
        return k % 2 == 1 or (k > 0 and self.text.rfind("\n", 0, offset) < fences[k - 1])

    @cached_property
    def headings(self) -> list[Heading]:
        """``#`` headings and lines in bold, in order."""
        return self._headings(_HEADING_LINE)

    @cached_property
    def plain_headings(self) -> list[Heading]:
        """Lines like "2. CNAPS-style Workflow", and short lines that are a label alone
        ("Workflow", "CORE TASK", "Sources:"): read only when no other heading names a part."""
        found = self._headings(_PLAIN_LINE)
        at = {h.start for h in found}
        fences = self._fences
        nl = self.nl
        for m in _LABEL_HEAD.finditer(nl):
            start = m.start()
            if start in at or (fences and self.fenced(start)):
                continue
            # a label on the line right under another heading is that part's own sub-label
            # ("Workflow" then "Tools used"), not the start of another part
            if nl.rfind("\n", 0, start) in at:
                continue
            text = _label_kind(m.group(1))
            if text is not None:
                found.append(Heading(start, m.end() - 1, PLAIN, text, m.group(1).strip()))
                at.add(start)
        return sorted(found)

    def _headings(self, pattern: re.Pattern[str]) -> list[Heading]:
        out = []
        fences = self._fences
        for m in pattern.finditer(self.nl):
            start = m.start()  # the "\n" put in front shifts offsets by one: this is the line's start
            if fences and self.fenced(start):
                continue
            kind = _heading_kind(m.group(1))
            if kind is not None:
                out.append(Heading(start, m.end() - 1, *kind))
        return out

    @cached_property
    def parts(self) -> dict[str, tuple[Heading, int]]:
        """Part name -> (its heading, the offset where the part ends), for the parts found."""
        matches = self._part_matches(self.headings)
        if not matches:  # no Markdown or bold heading names a part: plain numbered lines may
            matches = self._part_matches(self.plain_headings)
        if not matches:
            return {}
        chosen = _assign_parts(tuple(parts for _, parts in matches))
        order = sorted((matches[i][0], name) for name, i in chosen.items())
        ends = [h.start for h, _ in order[1:]] + [len(self.text)]
        return {name: (h, end) for (h, name), end in zip(order, ends)}

    def _part_matches(self, headings: list[Heading]) -> list[tuple[Heading, frozenset[str]]]:
        """(heading, parts it could start) for each heading that names a part."""
        out = []
        for h in headings:
            hit = _parts_named(h.text)
            if hit and (h.level != PLAIN or not any(n in h.text.lower() for n in self._names)):
                out.append((h, hit))
        return out

    def body(self, part: str) -> tuple[int, str]:
        """Offset and text of a part below its heading (-1 and "" when the part is missing)."""
        start, end = self.span(part)
        return start, self.text[start:end]

    def span(self, part: str) -> tuple[int, int]:
        """Where a part's text below its heading starts and ends (-1, -1 when it is missing)."""
        found = self.parts.get(part)
        if found is None:
            return -1, -1
        h, end = found
        return min(h.end + 1, end), end

    @cached_property
    def _names(self) -> tuple[str, ...]:
        known = self.g.derived.get("sections.names")  # once per case: every attempt's check reads them
        if known is None:
            known = self.g.derived["sections.names"] = tuple(n.lower() for _, n in self.g.source_names)
        return known  # type: ignore[return-value]

    @cached_property
    def statements(self) -> list[Statement]:
        return statements(self.text) if "**" in self.text else []

    @cached_property
    def ours(self) -> bool:
        """Is this our rendered format (labels for input, steps and output, as the renderer
        writes them)?"""
        text = self.text
        if MODEL in text:
            return _OUR_STEPS.search(self.nl) is not None
        nl = self.nl
        return ("\n" + INPUT) in nl and ("\n" + OUTPUT) in nl and _OUR_FLOW in nl

    @cached_property
    def low(self) -> str:
        return self.text.lower()

    def says_aside(self, offset: int) -> bool:
        """Do the line holding ``offset``, the one before or the two after say that something is not used?"""
        text = self.text
        start = text.rfind("\n", 0, offset) + 1
        first = text.rfind("\n", 0, max(start - 1, 0)) + 1 if start else 0
        end = offset
        for _ in range(3):
            end = text.find("\n", end + 1)
            if end < 0:
                end = len(text)
                break
        said = self._asides.get((first, end))
        if said is None:
            said = self._asides[(first, end)] = _sets_aside(self.low[first:end])
        return said

    @cached_property
    def source_keys(self) -> frozenset[str]:
        known = self.g.derived.get("sections.source_keys")  # once per case
        if known is None:
            known = self.g.derived["sections.source_keys"] = frozenset(vocab.squash(n) for _, n in self.g.source_names)
        return known  # type: ignore[return-value]


# the Answer of the check under way: (view, grounding, answer)
_last: tuple[View, Grounding, Answer] | None = None


def answer_of(view: View, g: Grounding) -> Answer:
    """The Answer read from ``view``: the rules of one check are given the same View, so the
    structure and quality rules read it through one Answer (the lower-cased text, headings
    and fences found once per check). Only the last is kept, matched by identity: a new
    check brings a new View, so nothing read from one answer serves another."""
    global _last
    last = _last  # one read: another thread may replace it
    if last is not None and last[0] is view and last[1] is g:
        return last[2]
    a = Answer(view, g)
    _last = (view, g, a)
    return a


MEMOS = (_short_heading_kind, _short_parts_named, _assign_parts, _label_kind)
