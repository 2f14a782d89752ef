"""The answer's shape: the three parts, and a mention of every recommended model."""

from __future__ import annotations

import re

from . import patterns

# What a heading of each part says, in lower case. Each branch leads with a letter (a
# word boundary is checked after it) and the headings are lower-cased before the search:
# re then tests the first letter in C, which re.IGNORECASE or a leading \b prevent.
_PART_WORDS = (
    ("task", r"t(?<!\wt)asks?\b|g(?<!\wg)oal\b|p(?<!\wp)roblem\b|what the user"),
    ("workflow", r"w(?:orkflow|(?<!\ww)orks?\b)|pipeline|input\s*(?:→|->|to)|how (?:it|the models?|they) works?"),
    ("references", r"papers?|tools?|references?|resources?|links?|citations?|sources|further reading|justif"),
)
PARTS = tuple((name, re.compile(words)) for name, words in _PART_WORDS)
# for the rare headings where lower() and case-insensitive matching differ (İ, ı, ſ)
_PARTS_ANY_CASE = tuple((name, re.compile(words, re.I)) for name, words in _PART_WORDS)
PART_TITLES = {
    "task": "part 1 (the user's task)",
    "workflow": "part 2 (how the models work: input → model → output)",
    "references": "part 3 (the relevant papers and tools with their links)",
}


def _is_heading(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if s[0] == "#" or (s[0].isdigit() and s[1:3] in (". ", ") ")):
        return True
    if s.startswith("**") and s.endswith(("**", "**:")) and "**" not in s[2:-3]:
        return True
    return s.endswith(":") and s[0].isupper() and len(s) <= 62 and not any(c in s for c in ".!?")


# A heading line's first non-space character is "#" or "*", or is followed by ". " or
# ") ", or its last one is ":". Each pattern leads with a literal (the newline before
# the line, the colon), so re skips through the text in C to the few lines that
# ``_is_heading`` must then judge: calling it on every line was a twentieth of a check.
# (re's \s is str.isspace, the whitespace str.strip removes.)
_OPENS_HEADING = re.compile(r"\n[^\S\n]*+(?:[#*]|\S[.)] )")
_ENDS_HEADING = re.compile(r":[^\S\n]*+(?![^\n])")


def heading_lines(answer: str) -> list[str]:
    """The lines of ``answer`` (split at "\\n") that are headings, in order."""
    starts = {m.start() for m in _OPENS_HEADING.finditer("\n" + answer)}  # offsets in ``answer``
    if ":" in answer:
        starts.update(answer.rfind("\n", 0, m.start()) + 1 for m in _ENDS_HEADING.finditer(answer))
    out = []
    for start in sorted(starts):
        end = answer.find("\n", start)
        line = answer[start:] if end < 0 else answer[start:end]
        if _is_heading(line):
            out.append(line)
    return out


def missing_parts(answer: str) -> list[str]:
    """Names of the parts with no heading that introduces them, in order."""
    # one search per part over all headings: no pattern can match across a NUL
    headings = "\0".join(heading_lines(answer))
    low = patterns.lower_for_search(headings)
    parts, text = (PARTS, low) if low is not None else (_PARTS_ANY_CASE, headings)
    return [name for name, pat in parts if not pat.search(text)]
