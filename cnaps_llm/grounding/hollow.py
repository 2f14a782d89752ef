"""Text that stands where an answer's content belongs: placeholders ("TBD", "[MODEL NAME]",
lorem ipsum) and lines copied from the prompt's own instructions ("Summarize what the user
wants to achieve…"). The quality rule reports both as parts left empty.

Invariant: pure functions of an ``Answer`` (and, for copies, its case's instruction and
question, read once per case into ``Grounding.derived``). Each scan is gated by a cheap
test (``str.find`` or one literal-led regex) and reads single lines only where it hits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import patterns
from .sections import Answer

# --------------------------------------------------------------------------- placeholders

# placeholders left where content belongs, searched in the lower-cased answer: lorem ipsum
# (found by str.find), a template slot in brackets ("[MODEL NAME]", "[Insert link]", "[Describe … here.]"; not a
# Markdown link or reference, which a "(", "[" or ":" follows), and a line that says only
# "TBD", "TODO", "to be completed"… (or starts "TODO:"). Each branch is literal-led.
_SLOT = patterns.compile(r"\[([^\[\]\n]{1,120})\](?![(\[:])")  # what is in brackets, read by _SLOT_TEXT
_SLOT_TEXT = patterns.compile(
    r"(?:insert|add|enter|your|describe|write|explain|fill in|todo|tbd)\b|.{0,60}\b(?:name|link|url|here|title)\.?$"
)
_TBD_LINE = patterns.compile(
    r"[\s>*_+\-(\[]*(?:(?:tbd|tba|todo|to do|fixme|placeholder|coming soon|(?P<dots>\.\.\.|…)"
    r"|to be (?:completed|added|written|filled(?: in)?|determined|decided|done|provided|expanded|continued|updated|announced))"
    r"[\s*_.!)\]]*$|(?:todo|tbd|fixme)\s*:)"
)


_TODO = patterns.compile(r"todo|fixme|tbd")
# the same template slots in other brackets: "<list sub-goals here>", "{overview}" (a brace
# holding words only: a slot as _SLOT_TEXT reads it, or all its line says), "(add justification)"
# (a parenthesis of at most five words that opens with an instruction's verb)
_ANGLE = patterns.compile(r"<([^<>\n]{1,120})>")
_BRACE = patterns.compile(r"\{([a-z][a-z _-]{1,40})\}")
# "(add justification)": a parenthesis of at most five words that opens with an instruction's verb
_PAREN = patterns.compile(r"\((?:add|insert|enter|describe|write|explain|fill in|list|paste)\b[^()\n,;.]{0,40}\)")
# a line that tells the writer what to put there: "Insert your references here."
_HERE = patterns.compile(r"here\b[ \t.:*_)\]]*(?=\n|$)")
# a labelled line whose value is only a placeholder: "- Module 2: ...", "Step 3: XXX", "Step 1: ___", "Sources: TBD"
# (runs bounded: three unbounded runs that can all take "_" made a long line of them cubic)
_LABEL_SLOT = patterns.compile(r":[ \t*_]{0,8}(?:\.\.\.|…|x{3,40}|_{3,40}|tbd|todo|to be (?:added|completed|written))[ \t*_.]{0,8}(?=\n|$)")
_ORDER_LINE = patterns.compile(
    r"[\s>*_+\-(\[]*(?:insert|add|enter|write|describe|put|paste|fill in|list|provide)\b(?:[ \t]+[\w'’-]+){0,8}?[ \t]+here\b"
)
_LABEL_START = patterns.compile(r"[ \t>]*+(?:[-*+]|\d{1,2}[.)])?[ \t]*[*_]*[\w][^:\n]{0,60}$")  # possessive: spaces given back made a long run quadratic
# the first character of the next line that is neither blank nor a rule ("---")
_CONTENT = patterns.compile(r"\n[ \t\-*_=]*[^\s\-*_=]")


def _sections(a: Answer) -> list[tuple[int, int]]:
    """Where the text under each ``#`` heading runs, the opening above the first heading
    first (lines in bold are labels inside a part: not read, so that a check stays cheap)."""
    hs = a.headings
    if not hs:
        return [(0, len(a.text))]
    # each heading's part ends at the next heading of its level or above: one pass with a
    # stack of the headings still open (a search forward from each was quadratic in headings)
    ends, open_ = [len(a.text)] * len(hs), []
    for k, h in enumerate(hs):
        while open_ and hs[open_[-1]].level >= h.level:
            ends[open_.pop()] = h.start
        open_.append(k)
    return [(0, hs[0].start)] + [(h.end, ends[k]) for k, h in enumerate(hs) if h.level < 7]


def _lines_of(a: Answer, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """The lines with content from ``lo`` to ``hi`` (blank lines and rules skipped), as spans."""
    text = a.text
    at = lo - 1 if lo and text[lo - 1] == "\n" else lo
    if at == 0 and text[:1] not in ("", "\n") and text[:1].strip(" \t-*_=") != "":
        end = text.find("\n")
        yield 0, min(hi, len(text) if end < 0 else end)
        at = 0 if end < 0 else end
    while at < hi:
        m = _CONTENT.search(text, at, hi + 1)
        if m is None:
            return
        start, end = a.line_at(m.end() - 1)
        if start >= hi:
            return
        yield start, min(end, hi)
        at = end


def placeholders(a: Answer) -> Iterator[tuple[int, str]]:
    """Placeholder text outside code fences: lorem ipsum, template slots (``_SLOT``), a
    line of only "TBD" or "TODO" (or led by "TODO:"), and a line that says only "TBD", "to be completed"… as the first line of
    the text under a heading (a line of dots only when it is all that stands there)."""
    low, text = a.low, a.text
    if len(low) != len(text):
        return  # a character that lower-cases to two: offsets in low are not the answer's
    at = low.find("lorem ipsum")
    if at >= 0 and not a.fenced(at):
        yield at, text[at : a.line_at(at)[1]]
    if "[" in low:
        for m in _SLOT.finditer(low):
            if _SLOT_TEXT.match(m.group(1)) is not None and not a.fenced(m.start()):
                yield m.start(), text[m.start() : m.end()]
    if "<" in low:
        for m in _ANGLE.finditer(low):
            if _SLOT_TEXT.match(m.group(1)) is not None and not a.fenced(m.start()):
                yield m.start(), text[m.start() : m.end()]
    if "{" in low:
        for m in _BRACE.finditer(low):
            start, end = a.line_at(m.start())
            whole = not low[start : m.start()].strip(" \t>*_-") and not low[m.end() : end].strip(" \t*_.")
            if (whole or _SLOT_TEXT.match(m.group(1).replace("_", " ")) is not None) and not a.fenced(m.start()):
                yield m.start(), text[m.start() : m.end()]
    for m in _PAREN.finditer(low):
        if not a.fenced(m.start()):
            yield m.start(), text[m.start() : m.end()]
    for m in _HERE.finditer(low):
        start, end = a.line_at(m.start())
        if _ORDER_LINE.match(low, start, m.end()) is not None and not a.fenced(start):
            yield start, text[start:end].strip()
    for m in _LABEL_SLOT.finditer(low):
        start, end = a.line_at(m.start())
        if _LABEL_START.match(low, start, m.start()) is not None and not a.fenced(start):
            yield start, text[start:end].strip()
    seen = set()
    if "tbd" in low or "todo" in low or "fixme" in low:  # three finds cost less than one search of the three
        for m in _TODO.finditer(low):
            start, end = a.line_at(m.start())
            if start not in seen and _TBD_LINE.match(low, start, end) is not None and not a.fenced(start):
                seen.add(start)
                yield start, text[start:end].strip()
    for lo, hi in _sections(a):
        first = next(_lines_of(a, lo, hi), None)
        if first is None or first[0] in seen:
            continue
        start, end = first
        m = _TBD_LINE.match(low, start, end)
        if m is None or a.fenced(start):
            continue
        if m.group("dots") is None or (lo > 0 and not text[end:hi].strip(" \t\n-*_=")):
            yield start, text[start:end].strip()


# --------------------------------------------------------------------------- copies of the prompt

COPY_WORDS = 4  # an instruction line of fewer words ("Core Task") is a heading an answer may reuse
_ITEM = re.compile(r"[ \t>#*]*(?:(?:part|step|section)\s+)?\d{1,2}\s*[.):]", re.I)
_MARKUP = re.compile(r"[*_`#>]+")
_BULLET = re.compile(r"^(?:[-+•]|\d{1,2}[.)])\s+")


def _norm(line: str) -> str:
    """A line as compared with the instruction's: markup, a leading bullet, case and runs of
    spaces dropped."""
    s = _BULLET.sub("", _MARKUP.sub("", line).strip())
    return " ".join(s.lower().split())


def _key(line: str) -> str:
    """The first characters of a line as ``_norm`` would give them, cheaply: markup dropped
    from its start only. A line whose key is no instruction line's key is no copy."""
    head = line[:40].replace("*", "").replace("_", "").replace("`", "")
    return " ".join(head.lstrip(" \t#>-+").lower().split())[:KEY_CHARS]


KEY_CHARS = 12


def _copy_table(a: Answer) -> tuple[frozenset[str], frozenset[str], str]:
    """The instruction's lines an answer must not copy as its content (normalised; not its
    numbered items, which an answer may reuse as headings, nor lines holding the user's
    question, which an answer may quote), their keys (``_key``), and the question
    (normalised). Once per case."""
    g = a.g
    known = g.derived.get("hollow.copies")
    if known is None:
        question = _norm(g.case.question) if g.case is not None else ""
        lines = set()
        for raw in g.instruction.split("\n"):
            n = _norm(raw)
            if len(n.split()) < COPY_WORDS or _ITEM.match(raw) or (question and (question[:40] in n or n in question)):
                continue
            lines.add(n)
        known = g.derived["hollow.copies"] = (frozenset(lines), frozenset(n[:KEY_CHARS] for n in lines), question)
    return known  # type: ignore[no-any-return]


def _quotes_question(line: str, question: str) -> bool:
    """Is ``line`` the user's question and nothing more (quote marks and markup aside)?"""
    return bool(question) and _norm(line).strip("\"'“”‘’ ") == question.strip("\"'“”‘’ ")


OPENING_LINES = 12


def is_question(a: Answer, line: str) -> bool:
    """Is ``line`` (a copy ``copies`` found) the user's question rather than an instruction?"""
    return _quotes_question(line, _copy_table(a)[2])


def copies(a: Answer) -> Iterator[tuple[int, str]]:
    """Where the answer copies the instruction's lines as its content: in its opening (above
    the first heading), two copied lines or more; under a heading, from its first line on,
    two or more, or one that is all that stands there (the user's question, quoted as all
    a part says, is such a copy too). The first copied line of each, with its offset.
    Headings and code fences are not read."""
    lines, keys, question = _copy_table(a)
    if not lines and not question:
        return
    text = a.text
    qkey = question[:KEY_CHARS - 1]
    for lo, hi in _sections(a):
        copied: list[tuple[int, int]] = []
        rest = False  # content beside the copies
        for n, (start, end) in enumerate(_lines_of(a, lo, hi)):
            line = text[start:end]
            key = _key(line)
            if key in keys and not a.fenced(start) and _norm(line) in lines:
                copied.append((start, end))
            elif lo > 0 and qkey and qkey in key and _quotes_question(line, question) and not a.fenced(start):
                copied.append((start, end))  # the question quoted as all a part says
            else:
                rest = True
                if lo > 0 or n >= OPENING_LINES:  # the opening is read on: its copies need not follow each other
                    break
        if len(copied) >= 2 or (copied and not rest and lo > 0):
            yield copied[0][0], text[copied[0][0] : copied[0][1]].strip()
