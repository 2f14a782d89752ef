"""Text that stands where an answer's content belongs: placeholders ("TBD", "[MODEL NAME]",
lorem ipsum) and lines copied from the prompt's own instructions ("Summarize what the user
wants to achieve…"). The quality rule reports both as parts left empty.

Invariant: pure functions of an ``Answer`` (and, for copies, its case's instruction and
question, read once per case into ``Grounding.derived``). Each scan is gated by a cheap
test (``str.find`` or one literal-led regex) and reads single lines only where it hits.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from . import patterns
from .sections import Answer

# --------------------------------------------------------------------------- placeholders

# placeholders left where content belongs, searched in the lower-cased answer: lorem ipsum
# (found by str.find), a template slot in brackets ("[MODEL NAME]", "[Insert link]", "[Describe … here.]"; not a
# Markdown link or reference, which a "(", "[" or ":" follows), and a line that says only
# "TBD", "TODO", "to be completed"… (or starts "TODO:"). Each branch is literal-led.
_SLOT = patterns.compile(
    r"\[(?:insert|add|enter|your|describe|write|explain|fill in|todo|tbd)\b[^\]\n]{0,120}\](?![(\[:])"
    r"|\[[^\]\n]{0,60}\b(?:name|link|url|here|title)\.?\](?![(\[:])"
)
_TBD_WORDS = ("tbd", "tba", "todo", "to do", "to be ", "fixme", "placeholder", "coming soon", "...", "…")
_TBD_LINE = patterns.compile(
    r"[\s>*_+\-(\[]*(?:(?:tbd|tba|todo|to do|fixme|placeholder|coming soon|(?P<dots>\.\.\.|…)"
    r"|to be (?:completed|added|written|filled(?: in)?|determined|decided|done|provided|expanded))"
    r"[\s*_.!)\]]*$|(?:todo|tbd|fixme)\s*:)"
)


def placeholders(a: Answer) -> Iterator[tuple[int, str]]:
    """Placeholder text (``_SLOT``, ``_TBD_LINE``) outside code fences. A line of dots
    alone counts only as all that stands under a heading."""
    low = a.low
    if len(low) != len(a.text):
        return  # a character that lower-cases to two: offsets in low are not the answer's
    at = low.find("lorem ipsum")
    if at >= 0 and not a.fenced(at):
        yield at, a.text[at : a.line_at(at)[1]]
    if "[" in low:
        for m in _SLOT.finditer(low):
            if not a.fenced(m.start()):
                yield m.start(), a.text[m.start() : m.end()]
    if not any(w in low for w in _TBD_WORDS):
        return
    seen: set[int] = set()
    for w in _TBD_WORDS:
        at = low.find(w)
        while at >= 0:
            start, end = a.line_at(at)
            m = _TBD_LINE.match(low, start, end) if start not in seen else None
            if m is not None and not a.fenced(start):
                seen.add(start)
                if m.group("dots") is None or _alone_under_heading(a, start, end):
                    yield start, a.text[start:end].strip()
            at = low.find(w, end)


def _alone_under_heading(a: Answer, start: int, end: int) -> bool:
    """Is the line from ``start`` to ``end`` all that stands between a heading and the next
    heading (or the end)?"""
    hs = a.headings
    before = [h for h in hs if h.end < start]
    if not before or a.text[before[-1].end : start].strip():
        return False
    nxt = next((h.start for h in hs if h.start > end), len(a.text))
    return not a.text[end:nxt].strip(" \t\n-*_=")


def _alone_under_heading(a: Answer, start: int, end: int) -> bool:
    """Is the line from ``start`` to ``end`` all that stands between a heading and the next
    heading (or the end)?"""
    hs = a.headings
    before = [h for h in hs if h.end < start]
    if not before or a.text[before[-1].end : start].strip():
        return False
    nxt = next((h.start for h in hs if h.start > end), len(a.text))
    return not a.text[end:nxt].strip(" \t\n-*_=")


# --------------------------------------------------------------------------- copies of the prompt

COPY_WORDS = 4  # an instruction line of fewer words ("Core Task") is a heading an answer may reuse
PROBE_CHARS = 20
_ITEM = re.compile(r"[ \t>#*]*(?:(?:part|step|section)\s+)?\d{1,2}\s*[.):]", re.I)
_MARKUP = re.compile(r"[*_`#>]+")
_BULLET = re.compile(r"^(?:[-+•]|\d{1,2}[.)])\s+")


def _norm(line: str) -> str:
    """A line as compared with the instruction's: markup, a leading bullet, case and runs of
    spaces dropped."""
    s = _BULLET.sub("", _MARKUP.sub("", line).strip())
    return " ".join(s.lower().split())


def _copy_table(a: Answer) -> tuple[frozenset[str], re.Pattern[str] | None]:
    """The instruction's lines an answer must not copy as its content (normalised; not its
    numbered items, which an answer may reuse as headings, nor lines holding the user's
    question, which an answer may quote), and one pattern that finds where any of them may
    start in the lower-cased answer. Once per case."""
    g = a.g
    known = g.derived.get("hollow.copies")
    if known is None:
        question = _norm(g.case.question) if g.case is not None else ""
        lines, probes = set(), set()
        for raw in g.instruction.split("\n"):
            n = _norm(raw)
            if len(n.split()) < COPY_WORDS or _ITEM.match(raw) or (question and (question[:40] in n or n in question)):
                continue
            piece = max(re.split(r"[*_`#>]+", raw.lower()), key=len).strip()[:PROBE_CHARS]
            if len(piece) >= 12:
                lines.add(n)
                probes.add(re.escape(piece))
        pattern = re.compile("|".join(sorted(probes))) if probes else None
        known = g.derived["hollow.copies"] = (frozenset(lines), pattern)
    return known  # type: ignore[no-any-return]


def copies(a: Answer) -> Iterator[tuple[int, str]]:
    """Where the answer copies the instruction's lines as its content: in the opening or under
    a heading, two copied lines or more, or one that is all that stands there. The first copied
    line of each such stretch, with its offset. Headings and code fences are not read."""
    lines, probe = _copy_table(a)
    if probe is None:
        return
    low, text = a.low, a.text
    if len(low) != len(text) or probe.search(low) is None:
        return
    found: list[tuple[int, int]] = []  # copied lines: (start, end)
    for m in probe.finditer(low):
        start, end = a.line_at(m.start())
        if found and found[-1][0] == start:
            continue
        s = text[start:end].strip()
        if s.startswith("#") or (s.startswith("**") and s.rstrip(":").endswith("**")) or a.fenced(start):
            continue  # a heading, or a diagram
        if _norm(s) in lines:
            found.append((start, end))
    if not found:
        return
    heads = a.headings
    starts = [h.start for h in heads]
    by_part: dict[int, list[tuple[int, int]]] = {}
    for span in found:
        by_part.setdefault(bisect_right(starts, span[0]), []).append(span)
    for k, spans in by_part.items():
        if len(spans) == 1:
            lo = heads[k - 1].end if k else 0
            hi = starts[k] if k < len(starts) else len(text)
            (start, end), = spans
            if (text[lo:start] + text[end:hi]).strip(" \t\n-*_="):
                continue  # one copied line beside the part's own content
        yield spans[0][0], text[spans[0][0] : spans[0][1]].strip()
