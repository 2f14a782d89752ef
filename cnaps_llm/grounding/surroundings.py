"""Where a number sits, which decides whether ``numbers`` reads it as a claim: the
text right before it and the lines around it.

Reads: a value's key before it (``"score": 0.92``: ``JSON_KEY``; ``{start: 2.3s}``:
``in_object``), a drawing's style property (``stroke-width:2px``: ``CSS_KEY``), a place
word (``Step 2 samples``: ``INDEX_BEFORE``); the spans of output led as a sample or
illustrative and of quoted example outputs (``example_spans``), whose numbers are no
claims; and the bare numbers of Markdown table columns whose header names a metric or a
unit (``table_cells``), which are figures though nothing follows them.

Invariant: pure functions of the text; every look back is bounded (its line, 120
characters at most; the caller gives ``JSON_KEY``, ``CSS_KEY`` and ``INDEX_BEFORE`` a
short window before the number), and each scan starts where ``str.find`` sees its cue
(a table's rule line, a sample's lead).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from . import patterns
from .units import METRICS, METRICS_AS_WRITTEN, NUM

# a value in a JSON example: "score": 0.92, 'bbox': [120, 45, 80, 120]
JSON_KEY = patterns.compile(r"[\"']\s*:\s*$")
# a value in an object written loosely, its key unquoted: {id: 1, start: 2.3s, end_time: 36.2s}
_OBJECT_KEY = patterns.compile(r"[{,][ \t]*\w+[ \t]*:[ \t]*$")


def in_object(text: str, start: int) -> bool:
    """The number at ``start`` is a key's value inside braces opened on its line."""
    line = max(start - 120, text.rfind("\n", max(0, start - 120), start) + 1)  # a bounded look back
    brace = text.rfind("{", line, start)
    return brace >= 0 and text.rfind("}", brace, start) < 0 and _OBJECT_KEY.search(text, brace, start) is not None


# a style property right before its value: stroke-width:2px, font-size:14px
CSS_KEY = patterns.compile(r"(?<![\w-])[a-z]+(?:-[a-z]+)*:$")
# a number that names a place, not a count: "Step 2 samples the latent", "Module 3 crops the face"
INDEX_BEFORE = patterns.compile(
    r"(?<![\w-])(?:step|stage|module|branch|phase|part|path|option|tier|pass|round|figure|fig\.|table|"
    r"section|line|version|node|scenario|item|no\.|#)[ \t]*$",
    re.IGNORECASE,
)


# a quoted example output: Example: "There are 12 products …"
_EXAMPLE = patterns.compile(r"xample[^\"\n]{0,30}?:\s*\"[^\"\n]*\"")
# output marked as made up: a line led by "Sample output …", "Example log …", "(illustrative …)",
# with the fenced block right under it; not a plain "Example:" or a diagram, whose values count
_SAMPLE = patterns.compile(
    r"(?i)[ \t>*_-]*(?:[^\n]{0,40}?\billustrative\b[^\n]*|(?:sample|example|hypothetical|mock|dummy)[ \t]+"
    r"(?:[\w-]+[ \t]+){0,3}?(?:output|log|result|response|line|run|report|summary)s?\b[^\n]*)"
    r"(?:\n[ \t]*\n?[ \t]*```[^\n]*\n(?:(?!```)[^\n]*\n)*?[ \t]*```)?"
)


class Spans:
    """Disjoint spans, sorted: ``in`` by bisection (an answer may hold many)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged = patterns.merge_spans(spans)
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def __contains__(self, at: int) -> bool:
        k = bisect_right(self.starts, at) - 1
        return k >= 0 and at < self.ends[k]


def example_spans(text: str) -> Spans:
    """Spans whose numbers are examples, not claims: quoted example outputs, and output
    led as a sample or illustrative (with the fenced block under its lead)."""
    spans: list[tuple[int, int]] = []
    example = False
    for cue in ("ample", "llustrative"):  # sample, example: matched at the lines they are on (str.find)
        at = text.find(cue)
        while at >= 0:
            example = example or text[at - 1 : at] in ("x", "X")
            line = text.rfind("\n", max(0, at - 120), at) + 1 or max(0, at - 120)  # a bounded look back
            # "Sample output" leads its line (after its marks); "illustrative" may be anywhere in it
            m = _SAMPLE.match(text, line) if cue[0] == "l" or at - line < 9 else None
            if m is not None:
                spans.append(m.span())
            at = text.find(cue, max(at + 1, m.end() if m else 0))
    if example:
        spans += [m.span() for m in _EXAMPLE.finditer(text)]
    return Spans(spans)


# a Markdown table's rule line, under its header: |---|:---:|
_RULE_LINE = patterns.compile(r"[ \t]*\|?[ \t:]*-[-| \t:]*")
_METRIC_HEAD = patterns.compile(
    rf"(?<![\w-])(?:(?i:{'|'.join(m for m in METRICS.split('|') if m not in METRICS_AS_WRITTEN)})|{'|'.join(METRICS_AS_WRITTEN)}"
    r"|(?i:dB|ms|fps|%|params|parameters|FLOPs|GFLOPs|MACs|latency|runtime|time|size|memory))(?![\w-])"
)
# a cell holding one bare number, maybe bold or approximate: "| 32.73 |", "| **0.9013** |"
_BARE_CELL = patterns.compile(rf"[ \t]*[*_~≈]*[ \t]*(?P<n>{NUM})[*_]*[ \t]*")


def table_cells(text: str) -> dict[int, int]:
    """The bare numbers of Markdown table rows under a header cell that names a metric or
    a unit (``| Model | PSNR (dB) | SSIM |``): offset -> end. Such a cell is a figure though
    nothing follows its number. A table is found at its rule line (``|---|---|``, by
    ``str.find``), read line by line."""
    cells: dict[int, int] = {}
    at = text.find("-|")
    while at >= 0:
        rule_end = text.find("\n", at)
        if rule_end < 0:
            break  # a rule with no rows under it
        rule_start = text.rfind("\n", 0, at) + 1  # each line is looked back over once: the search goes on from its end
        if rule_start < 2 or not _RULE_LINE.fullmatch(text, rule_start, rule_end):
            at = text.find("-|", rule_end)
            continue
        head_start = text.rfind("\n", 0, rule_start - 1) + 1
        head = [c.strip() for c in text[head_start : rule_start - 1].strip().strip("|").split("|")]
        named = {i for i, c in enumerate(head) if _METRIC_HEAD.search(c)}
        line = rule_end + 1
        while named and line < len(text) and text[line : line + 8].lstrip(" \t").startswith("|"):
            end = text.find("\n", line)
            end = len(text) if end < 0 else end
            col, pos = -1, line
            for k, part in enumerate(text[line:end].split("|")):
                if k and col + 1 in named and (cell := _BARE_CELL.fullmatch(part)):
                    cells[pos + cell.start("n")] = pos + cell.end("n")
                if k:
                    col += 1
                pos += len(part) + 1
            line = end + 1
        at = text.find("-|", max(line, rule_end))
    return cells
