"""Round 5 of answers the validator was not tuned on, area tasks: a participle of a verb
done to the user's content, read by what must hold around it (``passives.readings`` of
the cue file) rather than by listed phrases: a particle after it ("typed up", "rotated
around"), a subject of the task's word family ("the minutes are condensed", "a lullaby is
written"), any subject but a pipeline word ("the lamp is exchanged for a vase", "each
bird is named."), beside pipeline steps, the answer's own summaries, gap statements and
the question's own verb, which must pass.

Each planted claim has a sound twin that differs only in what makes it sound.
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check

from ..test_task_claims import NEUTRAL, answer
from ..test_task_claims import planted_flags as flags


@pytest.mark.parametrize(
    ("claim", "text", "twin"),
    [
        # a particle after the participle
        ("Afterwards the receipts are keyed in to a spreadsheet.", "are keyed in",
         "Afterwards the receipts are kept in a folder."),
        ("The vase is then rotated around to show its back.", "is then rotated around",
         "The vase is then rotated by 90 degrees before it is passed on."),
        ("Finally the portrait is cropped around her face.", "is cropped around",
         "Finally the portrait is cropped to 224x224 and passed on."),
        # a subject of the task's family
        ("The meeting minutes are condensed into a short paragraph.", "are condensed",
         "The comparison is condensed into the table below."),
        ("A lullaby is written to go with the slideshow.", "is written",
         "A log is written to go with the slideshow."),
        ("Every autograph is verified against a known sample.", "is verified",
         "Every output is verified against a known sample."),
        ("Her gaze is corrected so she looks into the lens.", "is corrected",
         "Its colour cast is corrected by the restorer, which the source describes."),
        ("The asking price is proposed from recent sales.", "is proposed",
         "The asking price is given by the seller in the question."),
        # any subject but a pipeline word, and no task term in it
        ("The lamp on the desk is exchanged for a vase.", "is exchanged for",
         "The low-resolution input is exchanged for the next one in the batch."),
        ("The scooter is deleted from the photo.", "is deleted from the photo",
         "The temporary file is deleted from the photo folder."),
        ("Each bird on the feeder is named.", "is named",
         "The output file is named restored.png."),
    ],
)
def test_a_participle_whose_reading_holds_is_a_claim(claim: str, text: str, twin: str) -> None:
    assert flags(claim) == [text]
    assert flags(twin) == []


@pytest.mark.parametrize(
    "sound",
    [
        "The results are summarised in the table below.",  # the answer's own summary
        "The pipeline is composed of three stages.",
        "The image is loaded, resized, saved and passed to the restorer.",  # pipeline verbs
        "The placeholder is replaced with the real file name.",
        "The original background must be replaced with a plain one.",  # a modal between subject and verb
        "None of the listed models can summarise the pages; a summary would need an extra step, which is not provided.",
        "The model is named after its authors.",
        "A lullaby is written by the user to go with the slideshow.",  # a person does it
        "The meeting minutes are condensed by hand before upload.",
    ],
)
def test_pipeline_steps_and_the_answers_own_wording_pass(sound: str) -> None:
    assert flags(sound) == []


def test_the_questions_own_verb_grounds_the_reading() -> None:
    claim = "The letters are summarised in two lines each."
    assert flags(claim) == ["are summarised"]
    assert flags(claim, "Can these models summarise my old letters after restoring the scans?") == []


def test_a_new_task_price_estimation_is_a_term_and_a_reading() -> None:
    assert flags("A regressor then handles price estimation for each item.") == ["price estimation"]
    assert flags("The price is estimated from similar listings.") == ["is estimated"]
    assert flags("The price is estimated from similar listings.", "Can a model estimate the price of my sofa?") == []


def test_the_prompts_own_instructions_do_not_ground_the_reading() -> None:
    """A CNAPS prompt tells the answer to "Summarize what the user wants": that is no
    request to summarise the user's pages."""
    from cnaps_llm.inputs.json_case import case_from_object

    from ..test_task_claims import LINK

    def with_instruction(instruction: str):
        return case_from_object(
            {"id": "t", "question": NEUTRAL, "instruction": instruction,
             "recommended": [{"name": "Restoration-Example-Restorer", "github": LINK}]},
            default_id="t",
        )

    claim = answer("The scanned letters are summarized as a short note.")
    told = [v.text for v in check(claim, with_instruction("1. Summarize what the user wants in one sentence.")) if v.kind == "task"]
    assert told == ["are summarized"]
    asked = with_instruction("1. Describe the workflow.")
    asked = asked.model_copy(update={"question": NEUTRAL + " Could the letters be summarized too?"})
    assert [v.text for v in check(claim, asked) if v.kind == "task"] == []


@pytest.mark.parametrize(
    ("claim", "text", "twin"),
    [
        # the subject's head is the word before its first preposition
        ("The kite above the beach is named.", "is named", "The file in the folder is named."),
        ("Each gull on the pier is removed from the picture.", "is removed from the picture",
         "Each box on the pier is removed from the picture."),
        # an abstract word of the answer's plan is no content
        ("The lamp in the hall can be swapped for a dark one.", "be swapped for",
         "The order of the two steps can be swapped for a dark photo."),
        # a detector's own outputs are pipeline words
        ("The seagulls are removed from the photo.", "are removed from the photo",
         "The weak detections are removed from the photo."),
    ],
)
def test_the_subjects_head_decides_a_reading_with_any_subject(claim: str, text: str, twin: str) -> None:
    assert flags(claim) == [text]
    assert flags(twin) == []


@pytest.mark.parametrize(
    ("claim", "text", "twin"),
    [
        # the document family holds the user's papers of every kind
        ("The bus timetable is summarised for the newsletter.", "is summarised",
         "The bus timetable is shown for the newsletter."),
        ("Each invoice is condensed into one line.", "is condensed",
         "Each step is condensed into one line."),
        # "named" with the means of naming after it
        ("Every flower is named using a plant guide.", "is named using",
         "Every output is named using the date."),
        ("The singer is named from the concert poster.", "is named from the",
         "The singer is named after her grandmother's village, the user says."),
    ],
)
def test_more_of_the_same_families(claim: str, text: str, twin: str) -> None:
    assert flags(claim) == [text]
    assert flags(twin) == []
