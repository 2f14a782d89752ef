"""The answer's shape: the three parts, and a mention of every recommended model."""

from __future__ import annotations

import re

PARTS = (
    ("task", re.compile(r"\btasks?\b|\bgoal\b|\bproblem\b|what the user", re.I)),
    ("workflow", re.compile(r"workflow|pipeline|input\s*(?:→|->|to)|how (?:it|the models?|they) works?|\bworks?\b", re.I)),
    ("references", re.compile(r"papers?|tools?|references?|resources?|links?|citations?|sources|further reading|justif", re.I)),
)
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


def missing_parts(answer: str) -> list[str]:
    """Names of the parts with no heading that introduces them, in order."""
    # one search per part over all headings: no pattern can match across a NUL
    headings = "\0".join(line for line in answer.split("\n") if _is_heading(line))
    return [name for name, pat in PARTS if not pat.search(headings)]
