"""An answer's Markdown as the quality checks read it: lines, code fences, headings and
the three parts, and whether it is in our rendered format.

Invariant: pure; built per check from the answer and the case's index, each piece
computed at most once (``cached_property``), in time linear in the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..answer_format import INPUT, MODEL, OUTPUT, Statement, statements
from . import vocab
from .index import Grounding
from .rules import View
from .structure import PARTS

_MD_HEADING = re.compile(r"(#{1,6})\s+(.*?)\s*#*\s*")
# "2. CNAPS-style Workflow", "C. Justification & References": plain lines that head a part
# in answers without Markdown; counted only where their words name a part
_PLAIN_HEADING = re.compile(r"(?:\d{1,2}|[A-Z])[.)] [^*:\n]{3,55}[^.:!?*\n]")
PLAIN = 8
_BOLD_LINE = re.compile(r"\*\*[^*\n]+\*\*:?|__[^_\n]+__:?")


@dataclass(frozen=True)
class Heading:
    """A heading line: ``#`` headings by level, a line in bold (7), a plain numbered line (PLAIN)."""

    line: int  # index into lines
    level: int  # 1-6 for "#" headings, 7 for a line in bold
    text: str


class Answer:
    """The answer as the checks read it: lines (outside code fences), headings, parts."""

    def __init__(self, view: View, g: Grounding) -> None:
        self.view, self.g = view, g
        self.text = view.answer
        self.lines = self.text.split("\n")
        self.starts = [0]
        for ln in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(ln) + 1)

    @cached_property
    def fenced(self) -> list[bool]:
        out, inside = [], False
        for ln in self.lines:
            opens = ln.lstrip().startswith("```")
            out.append(inside or opens)
            if opens:
                inside = not inside
        return out

    @cached_property
    def headings(self) -> list[Heading]:
        out = []
        fenced = self.fenced if "```" in self.text else None
        for i, ln in enumerate(self.lines):
            s = ln.strip()
            if not s or (fenced is not None and fenced[i]):
                continue
            if s[0] == "#":
                m = _MD_HEADING.fullmatch(s)
                if m is not None:
                    out.append(Heading(i, len(m.group(1)), m.group(2)))
            elif s[0] in "*_":
                if _BOLD_LINE.fullmatch(s):
                    out.append(Heading(i, 7, s.strip("*_: ")))
            elif _PLAIN_HEADING.fullmatch(s):
                out.append(Heading(i, PLAIN, s))
        return out

    @cached_property
    def parts(self) -> dict[str, tuple[int, int]]:
        """Part name -> (line of its heading, line where it ends), for the parts found."""
        found: dict[str, int] = {}
        after = -1  # parts come in order: a title that says "workflow" above part 1 is not part 2
        for name, pat in PARTS:
            hit = self._part_heading(pat, after)
            if hit is None:
                hit = self._part_heading(pat, -1)
            if hit is not None and hit not in found.values():
                found[name] = hit
                after = max(after, hit)
        order = sorted(found.items(), key=lambda kv: kv[1])
        return {name: (at, order[k + 1][1] if k + 1 < len(order) else len(self.lines)) for k, (name, at) in enumerate(order)}

    def body(self, part: str) -> tuple[int, str]:
        """Offset and text of a part below its heading (empty when the part is missing)."""
        if part not in self.parts:
            return -1, ""
        head, end = self.parts[part]
        if head + 1 >= len(self.lines):
            return self.starts[head], ""
        start = self.starts[head + 1]
        stop = self.starts[end] if end < len(self.lines) else len(self.text)
        return start, self.text[start:stop]

    def _part_heading(self, pat: re.Pattern[str], after: int) -> int | None:
        for h in self.headings:
            if h.line > after:
                low = h.text.lower()
                if pat.search(low) and (h.level != PLAIN or not any(n in low for n in self._names)):
                    return h.line
        return None

    @cached_property
    def _names(self) -> tuple[str, ...]:
        return tuple(n.lower() for _, n in self.g.source_names)

    @cached_property
    def statements(self) -> list[Statement]:
        return statements(self.text) if "**" in self.text else []

    @cached_property
    def ours(self) -> bool:
        """Is this our rendered format (labels for input, steps and output)?"""
        t = self.text
        return any(("\n" + label) in t or t.startswith(label) for label in (INPUT, MODEL, OUTPUT))

    @cached_property
    def source_keys(self) -> frozenset[str]:
        return frozenset(vocab.squash(n) for _, n in self.g.source_names)
