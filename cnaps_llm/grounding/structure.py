"""The answer's shape: the three parts, and a mention of every recommended model."""

from __future__ import annotations

import re

_HEADING = re.compile(r"^\s*(?:#{1,6}\s+.*|\*\*[^*\n]+\*\*:?\s*|\d[.)]\s+.*|[A-Z][^.!?\n]{2,60}:)\s*$", re.M)
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


def missing_parts(answer: str) -> list[str]:
    """Names of the parts with no heading that introduces them, in order."""
    headings = [h.group(0) for h in _HEADING.finditer(answer)]
    return [name for name, pat in PARTS if not any(pat.search(h) for h in headings)]
