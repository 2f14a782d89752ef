"""Round 2 of answers the validator was not tuned on, area tasks, structure and quality:
Roman-numeral and question-style part headings, placeholders in other brackets and shapes,
task words and plain-word claims the vocabulary lacked.

Each planted item has a sound twin that differs only in what makes it sound.
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check

from .test_heldout_structure import REFS, SECTIONS, WORKFLOW, case, missing

# --------------------------------------------------------------------------- part headings


def test_roman_numeral_headings_address_their_parts() -> None:
    text = f"I. What is asked\n\nThe harbour photo should be cleaned and enlarged.\n\nII. The pipeline\n\n{WORKFLOW}\n\nIII. Papers\n\n{REFS}\n"
    assert missing(text) == []
    # twin: without its second heading the workflow part is missing
    assert missing(text.replace("II. The pipeline\n\n", "")) == [2]


def test_question_style_labels_address_the_part_in_their_place() -> None:
    text = (
        f"**What you're hoping for:** a cleaner and larger copy of your harbour photo at night.\n\n"
        f"**How it would run:** {WORKFLOW}\n\n**Where this comes from:** the two papers, {REFS}\n"
    )
    assert missing(text) == []
    # twin: a label that asks no question in the task's place ("Summary") addresses nothing
    assert missing(text.replace("**What you're hoping for:**", "**Summary:**")) == [1]
    # twin: four labels for three parts are not read by their places
    four = text.replace("**How it would run:**", "**Where it starts:** the photo.\n\n**How it would run:**")
    assert missing(four) == [1, 3]


def test_a_reference_part_that_says_no_links_are_given() -> None:
    text = (
        "**Core task:** a clean and larger copy of the harbour photo taken at night.\n\n"
        f"**Workflow:** {WORKFLOW}\n\n**Where this comes from:** the list gives no paper or code link for these models.\n"
    )
    assert missing(text) == []
    # twin: the same place holding no word of papers, links or sources
    assert missing(text.replace("the list gives no paper or code link for these models", "it all works out nicely in the end")) == [3]


# --------------------------------------------------------------------------- placeholders


def _placeholders(text: str) -> list[str]:
    return [v.text for v in check(text, case(SECTIONS), kinds="quality") if "is a placeholder" in v.message]


BASE = f"## 1. Core Task\n\nThe user wants the noisy harbour photo cleaned and enlarged.\n\n## 2. Workflow\n\n{WORKFLOW}\n\n{{extra}}\n\n## 3. References\n\n{REFS}\n"


@pytest.mark.parametrize(
    ("extra", "shown"),
    [
        ("Steps to follow: <describe each module here>", "<describe each module here>"),
        ("### Notes\n\n{notes}", "{notes}"),
        ("Photo → {upscaler_name} → larger photo", "{upscaler_name}"),
        ("The denoiser runs first (explain why).", "(explain why)"),
        ("Paste your preferred settings here.", "Paste your preferred settings here."),
        ("- Denoiser settings: ...\n- Upscaler settings: tbd", "- Denoiser settings: ..."),
        ("**Extra module:** XXXX", "**Extra module:** XXXX"),
    ],
)
def test_placeholders_in_other_shapes(extra: str, shown: str) -> None:
    assert shown in _placeholders(BASE.format(extra=extra))


@pytest.mark.parametrize(
    "extra",
    [
        "Pixels with values <0.5> are clipped before the denoiser.",  # angle brackets, no slot words
        "The output is a dictionary such as {boxes, scores} for each boat in view.",  # braces beside prose
        "The denoiser runs first (a light pass) and the upscaler after it.",  # parenthesis with no order
        "You can see the effect here: the noise is gone.",  # "here" on a line that orders nothing
        "- Paper: N/A (the list gives none for this checkpoint)",  # a label with content
        "```\nStep 2: ...\n{overview}\n```",  # in a code block
    ],
)
def test_sound_text_in_those_shapes(extra: str) -> None:
    assert _placeholders(BASE.format(extra=extra)) == []


# --------------------------------------------------------------------------- loose grounding

from ..test_task_claims import answer as task_answer  # noqa: E402
from ..test_task_claims import case as task_case  # noqa: E402


def _task_flags(body: str, c) -> list[str]:  # type: ignore[no-untyped-def]
    return [v.text for v in check(task_answer(body), c) if v.kind == "task"]


def test_a_plain_word_in_a_summary_grounds_no_task() -> None:
    summary = "We build a privacy-safe training set and encode each degradation as a compact vector."
    c = task_case("How can I repair the scratches on my old print?", summary=summary)
    assert _task_flags("A first branch blurs every face for privacy, then a second one vectorizes the logo.", c) == [
        "blurs every face", "vectorizes",
    ]
    # twin: the user's own plain word grounds the task
    asked = task_case("How can I repair the scratches on my old print and keep people private with face blurring?")
    assert _task_flags("A first branch blurs every face for privacy.", asked) == []


def test_a_plain_word_of_the_user_implies_no_further_task() -> None:
    c = task_case("Restore my night street photo so the people's outlines are clear.")
    assert _task_flags("A counter then tallies how many people are on the street.", c) == ["tallies how many"]
    # twin: a question that asks for detection by its term grounds what detection implies
    detect = task_case("Run object detection on my night street photo so every person is boxed.")
    assert _task_flags("A counter then tallies how many people are on the street.", detect) == []
