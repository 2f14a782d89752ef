"""The answer's shape against the prompt's own rules: the parts its numbered
instructions ask for. (Whether it uses a recommended model is read in ``mentions``.)

* **Parts.** The prompt's numbered instructions (``1. … 2. … 3.``, ``## 1. Core Task``,
  ``# 3. **Justify your design** …``) are the parts an answer must address; a prompt
  without any gets the usual three (task, workflow, references). A part is addressed
  when a heading of the answer carries its number or one of its distinctive words
  (Markdown or bold headings, numbered lines, and headings written as plain text such
  as ``C. Justification & References``; not a line the answer copies from the prompt's
  own text). A heading may be led by an emoji ("🎯 **Core Task**") or read "Part 1 — The
  task"; its words are read by family (``data/part_words.txt``: "What you want" is the
  task, "Why these models" the justification). A heading that names a part only by its
  number or by a weak word ("how", "why") addresses it only when the text under it has
  content for it (a source named, an arrow, a link). A part still missing may be
  addressed by a line led by its label ("1) Task: …", "Sources: …"), part 1 by an
  opening paragraph above the first heading, and a last part that asks for
  justification or references by the answer's closing paragraph giving reasons (a short
  justification without a heading of its own).

Reads: the instruction, the answer and the source names (a source named under a
heading, through ``mentions.Mentions``). Invariant: pure functions of those; what
depends on the instruction alone is remembered per value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

from . import patterns, vocab
from .mentions import Mentions, mention_forms, one_model_is_enough, plain_core

# --------------------------------------------------------------------------- parts

# what a closing paragraph that justifies the design says (the last part only)
_REASONS = frozenset({"justi", "ratio", "reaso", "becau", "why", "lever", "stren", "advan", "benef", "chose", "choos", "suite", "suita", "ideal"})
_STOP = frozenset(
    "a an and any are as at be by can could do does each eg etc for from give given how i if in include including "
    "into is it its list listed model models more must of on one or our provided relevant s should so that the "
    "their them these this those to use using what which who will with would you your answer following below "
    "above detail details full e g".split()
)


def stem(word: str) -> str:
    """A crude stem, enough to tell heading words apart: ``justify`` and ``justification``
    -> ``justi``, ``tools`` -> ``tool``."""
    w = word.lower()
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w[:5]


def _stems(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP}


def _families() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], frozenset[str]]:
    """From ``data/part_words.txt``: each family's stems that tie an instruction to it, all
    the stems that address it, and the weak stems (see ``missing_parts``)."""
    ties, words, weak = {}, {}, set()
    for line in vocab.data_lines("part_words.txt"):
        name, _, rest = line.partition(":")
        tie, _, more = rest.partition("|")
        stems = {w.rstrip("?"): stem(w.rstrip("?")) for w in (tie + " " + more).split()}
        weak |= {stem(w.rstrip("?")) for w in rest.split() if w.endswith("?")}
        ties[name.strip()] = frozenset(stem(w.rstrip("?")) for w in tie.split())
        words[name.strip()] = frozenset(stems.values())
    return ties, words, frozenset(weak)


# the words of the usual parts, as stems (``stem``): a numbered instruction that shares one of a
# family's ties gets all the family's words, so "3. List relevant papers" is addressed by "Sources"
_TIES, _GROUPS, _WEAK = _families()


class Part(NamedTuple):
    """One part the prompt asks for: its number and title as the prompt gives them, and
    the stems of the words that only this part's instruction uses."""

    number: int
    title: str
    stems: frozenset[str]
    references: bool  # a part of papers, tools, links or justification
    family: str = ""  # the usual part it is ("task", "workflow", "references"), if any


_ITEM = patterns.compile(r"^[ \t>#*]*(?:(?:part|step|section)\s+)?(\d{1,2})\s*[.):]\s*(.*\S)?", re.I | re.M)
_MARKUP = patterns.compile(r"[*_`#]+")

DEFAULT_PARTS = (
    Part(1, "the user's task", frozenset(_GROUPS["task"] | {"user"}), False, "task"),
    Part(2, "how the models work: input → model → output", frozenset(_GROUPS["workflow"] | {"input", "outpu"}), False, "workflow"),
    Part(3, "the relevant papers and tools with their links", _GROUPS["references"], True, "references"),
)


@lru_cache(maxsize=256)
def parts_asked(instruction: str) -> tuple[Part, ...]:
    """The parts the instruction's numbered items ask for, numbered as the prompt numbers
    them (1, 2, 3…; several lists with the same numbers are one list, their words joined);
    the usual three when it numbers none."""
    titles: dict[int, list[str]] = {}
    for m in _ITEM.finditer(instruction):
        n, text = int(m.group(1)), _MARKUP.sub("", m.group(2) or "").strip()
        if text and 1 <= n <= 20:
            titles.setdefault(n, []).append(text)
    count = 0
    while count + 1 in titles:
        count += 1
    if count < 2:
        return DEFAULT_PARTS
    words = {n: _stems(" ".join(titles[n])) for n in range(1, count + 1)}
    parts = []
    for n in range(1, count + 1):
        own = {s for s in words[n] if not any(s in words[k] for k in words if k != n)}
        groups = [g for g, stems in _TIES.items() if stems & words[n]]
        for g in groups:
            own |= _GROUPS[g]
        title = min(titles[n], key=len)
        family = groups[0] if len(groups) == 1 else ""
        parts.append(Part(n, title[:160], frozenset(own), "references" in groups, family))
    return tuple(parts)


# "1. Core Task", "C. Sources", "II. The workflow" (a Roman numeral of two to four letters)
_PLAIN_HEADING = patterns.compile(r"(?:\d{1,2}|[IVX]{2,4}|[A-Z])[.)]\s+\S")
# "Part 1 — The task", "Section 2: Workflow": a plain line that names its part by number
_PART_LINE = patterns.compile(r"(?:part|section)\s+\d{1,2}\b(?!\s*[%.,]\d)", re.I)
_SENTENCE_END = patterns.compile(r"[.!?]\s*$")
# what may lead a heading before its words: emoji, their joiners and variation selectors
_LEAD = " \t\u200d\ufe0f"
LEAD_CHARS = 8


def _heading_text(line: str) -> str | None:
    """What a heading line says (markup kept), or None when the line is not a heading."""
    s = line.strip()
    if not s:
        return None
    if s[0] > "\x7f" and not s[0].isalnum():  # "🎯 **Core Task**": the emoji leads the heading
        i, most = 0, min(len(s), LEAD_CHARS)  # a few emoji, not a line of symbols read one by one
        while i < most and (s[i] in _LEAD or (s[i] > "\x7f" and not s[i].isalnum())):
            i += 1
        rest = s[i:]
        return _heading_text(rest) if rest[:1] in ("#", "*") or rest.endswith(":") else None
    if s[0] == "#":
        return s.lstrip("#").strip()
    if s.startswith("**"):  # a bold line, or a bold label that starts a line
        end = s.find("**", 2)
        if end > 2:
            return s[2:end]
        return None
    if len(s) > 80 or s[0] in "-*+|`>":
        return None
    # a plain-text heading: "1. Core Task", "C. Justification & References", "Sources:"
    if (_PLAIN_HEADING.match(s) or _PART_LINE.match(s)) and not _SENTENCE_END.search(s):
        return s
    if s.endswith(":") and s[0].isupper() and len(s) <= 62 and not any(c in s for c in ".!?"):
        return s
    return None


def heading_lines(lines: list[str]) -> list[tuple[str, str]]:
    """``(line, heading text)`` for the lines that are headings (``_heading_text``). A line
    is read only when its first character could start one ("#", "*", a digit, a capital,
    or any character beyond ASCII: an emoji may lead a heading)."""
    return [(line, h) for _, line, h in _heading_lines(lines)]


def _heading_lines(lines: list[str]) -> list[tuple[int, str, str]]:
    """``heading_lines`` with each line's index."""
    out = []
    for i, line in enumerate(lines):
        c = line.lstrip()[:1]
        if (c in _HEADING_FIRST or (c > "\x7f" and _may_lead(c, line))) and (h := _heading_text(line)):
            out.append((i, line, h))
    return out


def _may_lead(c: str, line: str) -> bool:
    """May a line whose first character ``c`` is beyond ASCII be a heading: a digit or a
    capital, or an emoji before "**", "#" or a label's colon (not a diagram's "│ …" line)."""
    if c.isalnum():
        return c.isdigit() or c.isupper()
    head = line[:LEAD_CHARS + 4]
    return "*" in head or "#" in head or line.rstrip().endswith(":")


# the ASCII characters that may start a heading line: one set look-up for most lines
_HEADING_FIRST = frozenset("#*0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")

# searched in "\0" + the headings joined by "\0": a literal first character, which re finds
# in C (a leading ``^|\0`` made it try every position)
_NUMBER = patterns.compile(
    r"\0[\s*_`]*(?:(?:part|section)\s+(?=\d{1,2}\b)|(?:step\s+)?(?=\d{1,2}\s*[.):]))(\d{1,2})", re.I
)


def _outside_code(answer: str) -> str:
    """The answer with its fenced code blocks (diagrams) removed, fence lines included; an
    unclosed fence runs to the end. (String search, not a line-anchored regex: re tries a
    ``^`` at every position.)"""
    at = answer.find("```")
    if at < 0:
        return answer
    pieces, last, fenced = [], 0, False
    while at >= 0:
        line_start = answer.rfind("\n", 0, at) + 1
        if answer[line_start:at].strip(" \t"):  # "```" inside a line: no fence on this line at all
            nl = answer.find("\n", at)
            at = -1 if nl < 0 else answer.find("```", nl)  # next line: linear, however many backticks
            continue
        line_end = answer.find("\n", at)
        line_end = len(answer) if line_end < 0 else line_end + 1
        if not fenced:
            pieces.append(answer[last:line_start])
        fenced = not fenced
        last = line_end
        at = answer.find("```", line_end)
    if not fenced:
        pieces.append(answer[last:])
    return "".join(pieces)


def _stem_pattern(stems: Iterable[str]) -> re.Pattern[str]:
    """Words whose ``stem`` is one of ``stems``, searched in lower-cased text. Each branch
    leads with its letter and looks behind only after it, so re skips in C to the few
    places a branch can start (a leading look-behind is tried at every position)."""
    branches = []
    for st in sorted(stems):
        head = f"{re.escape(st[0])}(?<![a-z]{re.escape(st[0])}){re.escape(st[1:])}"
        branches.append(head if len(st) >= 5 else head + "s?(?![a-z])")
    return patterns.compile("|".join(branches) or "(?!)")


@lru_cache(maxsize=1024)
def _part_pattern(part: Part) -> re.Pattern[str]:
    return _stem_pattern(part.stems)


@lru_cache(maxsize=256)
def _asked(instruction: str) -> tuple[tuple[Part, re.Pattern[str], tuple[str, ...]], ...]:
    """``parts_asked`` with each part's pattern and stems, once per prompt: a pattern can
    match only where one of its stems occurs, and ``in`` rules that out far faster than a
    search through an answer without headings."""
    return tuple((p, _part_pattern(p), tuple(sorted(p.stems))) for p in parts_asked(instruction))


_REASONS_RE = _stem_pattern(_REASONS)


def _lines_from_the_end(text: str) -> Iterator[str]:
    """``reversed(text.split("\n"))``, read only as far as the caller goes."""
    end = len(text)
    while True:
        start = text.rfind("\n", 0, end) + 1
        yield text[start:end]
        if start == 0:
            return
        end = start - 1


def _closing_paragraph(text: str) -> str:
    """The answer's last paragraph of prose (outside code, headings after it skipped), if
    it is not a list item or a bold label."""
    para: list[str] = []
    for line in _lines_from_the_end(text):
        rule = not line.strip(" -*_=\t")  # blank, or a horizontal rule
        if rule or (not para and _heading_text(line) and not line.lstrip().startswith("**")):
            if para:
                break
            continue
        para.append(line)
    text = " ".join(reversed(para)).strip()
    if not text or text[0] in "-*+|#>" or re.match(r"\d{1,2}[.)]\s", text):
        return ""
    return text


@lru_cache(maxsize=256)
def _echoed(instruction: str) -> frozenset[str]:
    """The instruction's lines other than its numbered items: an answer that copies one
    (``**Using ONLY the provided models and papers…**``) does not address a part by it."""
    items = {m.group(0).strip() for m in _ITEM.finditer(instruction)}
    return frozenset(s for line in instruction.split("\n") if (s := line.strip()) and s not in items)


_ARROW = patterns.compile(r"→|->|⟶|=>|⇒|↓")
# a link, a citation marker, or words about papers and links ("no paper or code links are given")
# (searched in lower-cased text, each branch led by its character, so re skips to them in C)
_LINK_OR_REF = patterns.compile(r"https?://|\[\^?\d+\]|a(?<!\wa)rxiv\b|g(?<!\wg)ithub\b|p(?<!\wp)apers?\b|l(?<!\wl)inks?\b")
_PROSE_WORD = patterns.compile(r"[A-Za-z][a-z]+")


def _has_content(part: Part, body: str, names: tuple[str, ...]) -> bool:
    """Does the text under a heading say something for ``part``: for the workflow, a source
    it names or an arrow of a flow; for the references, a link or a source;
    for any other part, a sentence of five words or more."""
    if part.family == "workflow":
        return bool(_ARROW.search(body)) or _names_any(body, names)
    if part.family == "references" or part.references:
        return bool(_LINK_OR_REF.search(body.lower())) or _names_any(body, names)
    return len(_PROSE_WORD.findall(body)) >= 5


def _names_any(body: str, names: tuple[str, ...]) -> bool:
    seen = Mentions(body, ())
    return any(seen(n) for n in names)


def _body(lines: list[str], heads: list[tuple[int, str, str]], k: int) -> str:
    """The text under heading ``k``: the rest of its line after the heading's words (a bold
    label's "**Goal:** the user wants…"), then the lines down to the next heading."""
    i, line, h = heads[k]
    end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
    at = line.find(h)
    rest = line[at + len(h) :] if at >= 0 else ""
    return "\n".join([rest, *lines[i + 1 : end]])


def missing_parts(answer: str, instruction: str = "", names: tuple[str, ...] = ()) -> list[Part]:
    """The parts the instruction asks for that the answer does not address, in order.

    A heading addresses a part by one of the part's words; by a weak word alone ("how",
    "why") or by the part's number alone ("## 2. Why old phones are noisy"), only when the
    text under it has content for the part (``_has_content``; ``names``: the sources' names)."""
    asked = _asked(instruction)
    text = _outside_code(answer)
    echoed = _echoed(instruction)
    lines = text.split("\n")
    heads = [t for t in _heading_lines(lines) if t[1].strip() not in echoed]
    headings = [h for _, _, h in heads]
    said = "\0".join(headings) if headings else text  # no structure at all: its words anywhere
    low = said.lower()
    if headings:
        missing, weak = [], []
        for p, pattern, _ in asked:
            m = pattern.search(low)
            if m is None:
                missing.append(p)
            elif m.group().rstrip("s") in _WEAK and all(w.rstrip("s") in _WEAK for w in pattern.findall(low, m.end())):
                weak.append(p)  # named by weak words only
        if weak or missing:
            missing = _weakly_addressed(lines, heads, missing, weak, names, [p for p, _, _ in asked])
        if missing:
            missing = _labelled(lines, heads, missing)
    else:
        # no headings: a part is addressed by its words, or, for the workflow and the
        # references, by their content anywhere (a source named or an arrow; a link or a
        # word of papers and links: a source named is the workflow's too)
        missing = [
            p for p, pattern, stems in asked
            if not (any(st in low for st in stems) and pattern.search(low))
            and not (p.family == "workflow" and _has_content(p, text, names))
            and not ((p.family == "references" or p.references) and _LINK_OR_REF.search(low))
        ]
    last = asked[-1][0]
    if missing and missing[-1] is last and last.references:
        # a closing paragraph that justifies the design, or footnote-style references
        # ("[^1]: https://…", "[2]: https://…") that list the sources' links
        if _REASONS_RE.search(_closing_paragraph(text).lower()) or _FOOTNOTE_LINK.search(text):
            missing.pop()
    return missing


# a line led by a label: "1) Task: image denoising…", "2. **Workflow.** The photo…",
# "What the user wants: a caption…" (a capital, at most six words, then the colon)
_LABEL_LINE = patterns.compile(
    r"[ \t]*(?:(?:\d{1,2}|[A-Z])[.)][ \t]+)?(?:\*\*([^*\n]{2,60})\*\*|([A-Z][\w'’/&-]*(?: [\w'’/&-]+){0,5}):[ \t]+\S)"
)
OPENING_WORDS = 12


_TABLE_RULE = patterns.compile(r"\|[ \t]*:?-{3,}:?[ \t]*\|")


def _labelled(lines: list[str], heads: list[tuple[int, str, str]], missing: list[Part]) -> list[Part]:
    """Of the parts still missing, those that no line led by a label names by a strong word;
    the first part, when it is the task, is also addressed by an opening paragraph of
    OPENING_WORDS words or more above the first heading ("The user scanned a page…")."""
    labels = []
    table: bool | None = None  # does the answer hold a Markdown table (a "|---|" rule), read at its first "|" line
    for line in lines:
        if line[:1] in _HEADING_FIRST or line[:1] in " \t":
            m = _LABEL_LINE.match(line)
            if m is not None:
                labels.append((m.group(1) or m.group(2)).lower())
        elif line[:1] == "|":  # a table row led by a part's name: "| 1. Core Task | … |", "| Papers | … |"
            if table is None:  # not a diagram's boxes ("| [Model] |"): a table has its rule
                table = any(_TABLE_RULE.match(row) for row in lines if row[:1] == "|")
            if not table:
                continue
            cell = line[1:].split("|", 1)[0].strip(" \t*_")
            if 0 < len(cell) <= 40:
                labels.append(cell.lower())
    out = []
    for p in missing:
        pattern = _part_pattern(p)
        if any(w.rstrip("s") not in _WEAK for label in labels for w in pattern.findall(label)):
            continue
        if p.number == 1 and p.family == "task" and heads:
            opening = " ".join(lines[: heads[0][0]])
            if len(_PROSE_WORD.findall(opening)) >= OPENING_WORDS and "http" not in opening:
                continue
        out.append(p)
    return out


def _weakly_addressed(
    lines: list[str],
    heads: list[tuple[int, str, str]],
    missing: list[Part],
    weak: list[Part],
    names: tuple[str, ...],
    parts: list[Part],
) -> list[Part]:
    """Of the parts no heading names by a strong word, those still missing once the headings
    that carry their number or a weak word of theirs, or stand in their place, are read with
    the text under them."""
    numbers = [int(m.group(1)) if (m := _NUMBER.match("\0" + h)) else 0 for _, _, h in heads]
    placed = _in_place(heads, parts)
    out = []
    for p in sorted([*missing, *weak], key=lambda p: p.number):
        pattern = _part_pattern(p)
        candidates = [
            k
            for k, (_, _, h) in enumerate(heads)
            if numbers[k] == p.number
            or (p in weak and pattern.search(h.lower()))
            or (placed and k + 1 == p.number and _WH.match(h) is not None)
        ]
        if not any(_has_content(p, _body(lines, heads, k), names) for k in candidates):
            out.append(p)
    return out


# a question, with or without a "Q:" before it ("**Q: What backs this up?**")
_WH = patterns.compile(r"[\s*_`]*(?:q\d{0,2}[:.)]\s*)?(?:what|how|where|why|which|who)\b", re.I)
_FOOTNOTE_LINK = patterns.compile(r"^[ \t]*\[\^?[\w.-]{1,10}\]:[^\n]*https?://", re.M)


def _in_place(heads: list[tuple[int, str, str]], parts: list[Part]) -> bool:
    """Do the answer's headings stand one for each part, in the parts' order: as many
    headings as parts, and none naming another part than the one in its place by a strong
    word ("**What you're after:**", "**How it would run:**", "**Where this comes from:**")?
    Then a heading that asks a question of the part's kind (it opens with "what", "how",
    "where"…; not a "**Summary:**") addresses the part in its place when the text under it
    has content for it."""
    if len(heads) != len(parts):
        return False
    for k, (_, _, h) in enumerate(heads):
        low = h.lower()
        for p in parts:
            if p.number != k + 1 and any(w.rstrip("s") not in _WEAK for w in _part_pattern(p).findall(low)):
                return False
    return True


# for ``grounding.clear_caches``: what is remembered per prompt, and per name (``mentions``'
# memos listed here too, so that clearing this module's clears both)
PER_CASE = (parts_asked, one_model_is_enough, _echoed, _asked)
MEMOS = (mention_forms, plain_core)
