"""The rendered answer's notation: its labels, and how a statement's evidence is written and read back.

Invariant: pure, and the only definition of the notation. ``draft.render`` writes with it,
the ``quality`` and ``evidence`` rules read with it, ``restyle`` converts between the
three evidence styles; whatever ``render`` writes, ``statements`` reads back exactly.

A statement about a source is one line that starts with the source's name in bold: a
workflow step (``1. **Name**: what it does``), a model set aside (``- **Name**: why``) or
a reference (``- **Name**: links. why``). Its evidence follows it as a footnote marker
``[^1]`` whose definition (``[^1]: Name: “quote”``) sits under the references, or inline
as ``["quote"]``. A statement the draft gave no quote is marked too, so that checking
sees it (``[^1]: Name: no quote given`` / ``[no quote given]``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

STYLES = ("footnotes", "inline", "none")
INPUT, MODEL, NOT_USED, OUTPUT, CAVEATS = "**Input:**", "**Model:**", "**Not used:**", "**Output:**", "**Caveats:**"
NO_QUOTE = "no quote given"
ELLIPSIS = "…"

# a statement line: "1. **Name**: text" or "- **Name**: text" (the name as the renderer wrote it)
# (a hand-written answer may add the source's id after the name: "**Name** (R1): text")
STATEMENT = re.compile(r"^(?:\d+\.|-) \*\*(?P<name>[^*\n]+)\*\*(?: \([RP]\d+\))?(?::[ \t]*(?P<text>[^\n]*))?$", re.M)
FOOTNOTE_MARK = re.compile(r"\[\^(\d+)\]")
FOOTNOTE_DEF = re.compile(r"^\[\^(\d+)\]:[ \t]?(?P<body>[^\n]*)$", re.M)
INLINE_MARK = re.compile(r" ?\[(?:\"(?P<quote>[^\n]*?)\"|(?P<none>" + NO_QUOTE + r"))\]")


# a reference's links as the renderer writes them: "paper URL · code URL. " before the reason
_LINKS_FIRST = re.compile(r"[^\s·]+ https?://\S+?(?: · [^\s·]+ https?://\S+?)*(?:\. |\.?$)")


def reason_start(text: str) -> int:
    """Where the reason starts in a reference statement's text: after the links the
    renderer writes first (0 when it does not start with them)."""
    m = _LINKS_FIRST.match(text)
    return m.end() if m else 0


def has_evidence(answer: str) -> bool:
    """Does ``answer`` carry evidence in this notation (a footnote definition or an inline marker)?"""
    return ("[^" in answer and FOOTNOTE_DEF.search(answer) is not None) or '["' in answer or "[" + NO_QUOTE in answer


# --------------------------------------------------------------------------- writing


def inline(quote: str) -> str:
    return f' ["{quote.replace(chr(34), chr(39))}"]' if quote.strip() else f" [{NO_QUOTE}]"


def footnote(number: int, name: str, quote: str) -> str:
    return f"[^{number}]: {name}: " + (f"“{quote.strip()}”" if quote.strip() else NO_QUOTE)


class Notes:
    """Evidence markers for one answer, numbered as statements are written."""

    def __init__(self, style: str) -> None:
        if style not in STYLES:
            raise ValueError(f"evidence style {style!r}; use one of {', '.join(STYLES)}")
        self.style = style
        self.defs: list[str] = []

    def mark(self, name: str, quote: str) -> str:
        """The marker that follows a statement about ``name`` whose evidence is ``quote``."""
        if self.style == "none":
            return ""
        if self.style == "inline":
            return inline(quote)
        self.defs.append(footnote(len(self.defs) + 1, name, quote))
        return f"[^{len(self.defs)}]"

    def footer(self) -> list[str]:
        return ["", *self.defs] if self.defs else []


# --------------------------------------------------------------------------- reading


class Statement(NamedTuple):
    """A statement about a source as written: ``name`` in bold, then its text from ``offset``
    to ``end`` with the evidence ``markers`` (spans) inside it; ``quotes`` the evidence they
    point at (an empty string for "no quote given" or a footnote with no definition, an
    empty tuple when there is no marker); ``kind`` is step, set_aside or reference."""

    name: str
    text: str  # the statement without its markers
    offset: int
    end: int
    quotes: tuple[str, ...]
    markers: tuple[tuple[int, int], ...]
    kind: str
    line: int


def _footnotes(answer: str) -> dict[str, tuple[str, int]]:
    """Footnote number -> (quote, offset of the quote); an empty quote for "no quote given"."""
    out: dict[str, tuple[str, int]] = {}
    for m in FOOTNOTE_DEF.finditer(answer):
        body = m.group("body")
        start, end = body.find("“"), body.rfind("”")
        if 0 <= start < end:
            out[m.group(1)] = (body[start + 1 : end], m.start("body") + start + 1)
        else:
            out[m.group(1)] = ("", m.start("body"))
    return out


def _set_aside_blocks(answer: str) -> list[tuple[int, int]]:
    """Where the lists under "**Not used:**" run: from the label to the next blank line."""
    out = []
    at = answer.find(NOT_USED)
    while at >= 0:
        end = answer.find("\n\n", at)
        out.append((at, len(answer) if end < 0 else end))
        at = answer.find(NOT_USED, at + 1)
    return out


def statements(answer: str) -> list[Statement]:
    """Every statement line of ``answer`` with the evidence its markers point at."""
    notes = _footnotes(answer) if "[^" in answer else {}
    aside = _set_aside_blocks(answer) if NOT_USED in answer else []
    out = []
    line, counted = 1, 0  # line numbers counted on from the last statement: linear in the answer
    for m in STATEMENT.finditer(answer):
        raw = m.group("text") or ""
        start = m.start("text") if m.group("text") is not None else m.end()
        quotes: list[str] = []
        marks: list[tuple[int, int]] = []
        pieces: list[str] = []
        last = 0
        for mk in _markers(raw):
            pieces.append(raw[last : mk.start()])
            last = mk.end()
            marks.append((start + mk.start(), start + mk.end()))
            if mk.re is FOOTNOTE_MARK:
                quotes.append(notes.get(mk.group(1), ("", 0))[0])
            else:
                quotes.append(mk.group("quote") or "")
        pieces.append(raw[last:])
        if answer[m.start()] != "-":
            kind = "step"
        else:
            kind = "set_aside" if any(a <= m.start() < b for a, b in aside) else "reference"
        line += answer.count("\n", counted, m.start())
        counted = m.start()
        out.append(Statement(m.group("name"), "".join(pieces).strip(), start, start + len(raw), tuple(quotes), tuple(marks), kind, line))
    return out


def _markers(text: str) -> list[re.Match[str]]:
    found = list(FOOTNOTE_MARK.finditer(text)) if "[^" in text else []
    if "[" in text:
        found += INLINE_MARK.finditer(text)
    return sorted(found, key=lambda m: m.start())


def restyle(answer: str, style: str) -> str:
    """``answer`` (written in any style) with its evidence written in ``style``."""
    if style not in STYLES:
        raise ValueError(f"evidence style {style!r}; use one of {', '.join(STYLES)}")
    if not has_evidence(answer):
        return answer
    notes_by_number = _footnotes(answer) if "[^" in answer else {}
    lines = [ln for ln in answer.split("\n") if not FOOTNOTE_DEF.fullmatch(ln)]
    while lines and not lines[-1].strip():
        lines.pop()
    body = "\n".join(lines)
    notes = Notes(style)
    out, last = [], 0
    for m in STATEMENT.finditer(body):
        raw = m.group("text") or ""
        if not raw:
            continue
        base = m.start("text")
        name = m.group("name")
        pieces, cut = [], 0
        for mk in _markers(raw):
            quote = notes_by_number.get(mk.group(1), ("", 0))[0] if mk.re is FOOTNOTE_MARK else mk.group("quote") or ""
            pieces += [raw[cut : mk.start()], notes.mark(name, quote)]
            cut = mk.end()
        pieces.append(raw[cut:])
        out += [body[last:base], "".join(pieces)]
        last = base + len(raw)
    out.append(body[last:])
    return "\n".join(["".join(out).rstrip("\n"), *notes.footer()]).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- quotes

_QUOTE_MARKS = dict.fromkeys(map(ord, "\"'`‘’‚‛′″“”„‟«»‹›"), "'")
# every dash and hyphen reads as a space: "coarse-to-fine" is quoted from a title that says "Coarse To Fine"
_DASHES = dict.fromkeys(map(ord, "-‐‑‒–—―−﹣－"), " ")
_SPACE = re.compile(r"\s+")
FRAGMENTS = re.compile(r"\s*(?:…|\.\.\.)\s*")


def normalise_quote(text: str) -> str:
    """Case, white space, quote marks and dashes normalised, as a quote is compared with its source."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MARKS).translate(_DASHES).lower()
    return _SPACE.sub(" ", text).strip()


def fragments(quote: str) -> list[str]:
    """A quote's fragments (``…`` joins several), normalised, with edge punctuation dropped."""
    parts = [normalise_quote(p).strip(" .,;:'") for p in FRAGMENTS.split(unicodedata.normalize("NFKC", quote))]
    return [p for p in parts if p]


def occurs_in(quote: str, source_text: str) -> bool:
    """Do the quote's fragments occur in ``source_text`` (already ``normalise_quote``d), in order?"""
    parts = fragments(quote)
    if not parts:
        return False
    at = 0
    for p in parts:
        found = source_text.find(p, at)
        if found < 0:
            return False
        at = found + len(p)
    return True
