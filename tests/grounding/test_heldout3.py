"""Round 3 of answers the validator was not tuned on: what a set written after the second
round's fixes found wrong, in answers that a real LLM's style makes common.

Each case has a twin that differs only in what makes it sound (or wrong).
"""

from __future__ import annotations

from cnaps_llm.grounding import check
from cnaps_llm.inputs import load_case, normalise, read_text

from ..conftest import FIXTURES, SEEDS

CASE = load_case(SEEDS["003"])
GOOD = read_text(FIXTURES / "answers" / "003_grounded.md")


def quality_of(text: str) -> list[str]:
    return [v.text for v in check(normalise(text), CASE, kinds=["quality"])]


# --------------------------------------------------------------------------- nested bold headings


def test_a_bold_part_heading_with_a_lettered_sub_heading_under_it_is_not_empty() -> None:
    # "**2. The pipeline**" then "**A. Overview**": the part opens with its first sub-heading
    for parent, child in (("2. The pipeline", "A. Overview"), ("II. The pipeline", "1. Inputs"),
                          ("Part 2: The pipeline", "Step 1: Clean the scan"), ("2. The pipeline", "2.1 Inputs")):
        text = GOOD.replace("**Output:** a clean, detailed image.", f"**{parent}**\n\n**{child}**\n\n**Output:** a clean, detailed image.")
        assert quality_of(text) == [], (parent, child)
    # twins: two headings of one kind, the first has nothing under it
    for parent, child in (("2. The pipeline", "3. The papers"), ("A. Overview", "B. Details"), ("Caveats", "Notes")):
        text = GOOD.replace("**Output:** a clean, detailed image.", f"**{parent}**\n\n**{child}**\n\n**Output:** a clean, detailed image.")
        assert quality_of(text) == [f"**{parent}**"], (parent, child)
