"""Task claims in forms the validator was not tuned on: gap statements of every family,
negations that govern something else, plain-word claims, tasks the vocabulary gained,
loose question cues, and recommender prefixes.

Each planted claim has a sound twin that differs only in what makes it sound.
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.inputs import case_from_object

LINK = "https://github.com/example/restorer"


def case(question: str, name: str = "Restoration-Example-Restorer", summary: str | None = None):
    return case_from_object(
        {"id": "t", "question": question, "recommended": [{"name": name, "github": LINK, "summary": summary}]},
        default_id="t",
    )


def answer(body: str, name: str = "Restoration-Example-Restorer") -> str:
    return (
        f"## 1. The task\n\n{body}\n\n## 2. How it works\n\n**Input:** a photo. **Model:** {name}. **Output:** a photo.\n\n"
        f"## 3. Papers and tools\n\n- {name}: {LINK}\n"
    )


def task_flags(text: str, c) -> list[str]:
    return [v.text for v in check(text, c) if v.kind == "task"]


NEUTRAL = "How do these models work on my old scans?"

# --------------------------------------------------------------------------- gap statements by family


@pytest.mark.parametrize(
    "gap",
    [
        "Depth estimation lies outside what this restorer was built for.",  # scope word after
        "Object tracking sits beyond the reach of the listed tool.",
        "Speech recognition is a skill the provided model simply lacks.",  # absence verb, far after
        "A face detection step would need a detector that the list does not contain.",  # hedge, "does not" + verb
        "To segment the cat you would want a segmentation network, but nothing here offers one.",
        "Nothing among the sources handles colorization.",  # negative determiner + one finite verb
        "Nobody in this list performs pose estimation.",
        "Image captioning? Not covered by these tools.",  # a question answered by a negation
        "Pose estimation — unnecessary for a single portrait.",  # bare scope adjective
        "The denoising pass is optional and can be left out.",  # can be omitted
        "Tracking would only help for moving footage.",  # counterfactual
        "Its OCR is not in scope for this request.",
        "A text-to-speech voice has no place in this workflow.",
        "If you ever wanted the scans upscaled, that calls for a model these sources don't include.",
    ],
)
def test_gap_statements_of_every_family_pass(gap: str) -> None:
    assert task_flags(answer(gap), case(NEUTRAL)) == []


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("Depth estimation runs on every scan.", "Depth estimation"),
        ("Object tracking follows each person.", "Object tracking"),
        ("Speech recognition transcribes the spoken audio.", "Speech recognition"),
        ("A face detection step finds each face.", "face detection"),
        ("Nothing gets lost, and the tool also handles colorization.", "colorization"),
        ("Image captioning? Yes, the tool writes one for each scan.", "Image captioning"),
        ("The denoising pass is always on.", "denoising"),
    ],
)
def test_the_same_tasks_claimed_are_flagged(claim: str, text: str) -> None:
    assert task_flags(answer(claim), case(NEUTRAL)) == [text]


# --------------------------------------------------------------------------- a negation governs its own statement


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("With no tuning at all the tool then performs pose estimation.", "pose estimation"),
        ("It never asks for a mask and adds colorization to each scan.", "colorization"),
        ("Without a GPU the script also runs OCR on the scans.", "OCR"),
        ("It is not slow: it can apply depth estimation in a second.", "depth estimation"),
    ],
)
def test_a_negation_of_something_else_does_not_hide_a_claim(claim: str, text: str) -> None:
    assert task_flags(answer(claim), case(NEUTRAL)) == [text]


@pytest.mark.parametrize(
    "gap",
    [
        "None of the three checkpoints performs pose estimation.",  # a negative subject governs its verb
        "It does not add colorization to the scans.",
        "No tool here can run OCR on the scans.",
    ],
)
def test_a_negation_that_governs_the_task_still_reads_as_a_gap(gap: str) -> None:
    assert task_flags(answer(gap), case(NEUTRAL)) == []


# --------------------------------------------------------------------------- a modifier makes a bare head another task


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("A smoke-free check then runs gesture-free intrusion detection at night.", "intrusion detection"),
        ("Drowsiness detection warns the driver, and tamper detection guards the lens.", "Drowsiness detection"),
    ],
)
def test_a_bare_detection_with_another_task_modifier_is_that_task(claim: str, text: str) -> None:
    assert task_flags(answer(claim), case("Find each car in my dashcam photos.")) == [text] + (
        ["tamper detection"] if "tamper" in claim else []
    )


@pytest.mark.parametrize(
    "sound",
    [
        "Fast detection of each car runs first.",  # an adjective: still the grounded object detection
        "Vehicle detection then draws a box around every car.",  # an object class
        "The detection head marks every car.",
        "It can refine detection on small cars.",
    ],
)
def test_object_detection_with_an_object_or_adjective_stays_grounded(sound: str) -> None:
    assert task_flags(answer(sound), case("I need car detection in my dashcam photos.")) == []


def test_a_modified_detection_is_grounded_by_its_modifier_in_the_question() -> None:
    text = answer("Intrusion detection raises an alert.")
    assert task_flags(text, case("Can it tell me about any intrusion into the yard?")) == []
    assert task_flags(text, case("Can it tell me about any car in the yard?")) == ["Intrusion detection"]


# --------------------------------------------------------------------------- loose question and summary cues


@pytest.mark.parametrize(
    ("claim", "summary", "sound_summary"),
    [
        (
            "A captioning stage writes what the scan shows.",
            "The authors do not describe any new architecture.",
            "Given a scan, the model can describe what it contains.",
        ),
        (
            "A style transfer pass follows.",
            "It behaves as if the noise were known in advance.",
            "Its output looks as if it were painted by hand.",
        ),
        (
            "A depth estimation head follows.",
            "Scans taken from a distance are handled as well.",
            "It predicts the distance to every point of the scene.",
        ),
    ],
)
def test_a_loose_or_negated_summary_phrase_grounds_no_task(claim: str, summary: str, sound_summary: str) -> None:
    assert len(task_flags(answer(claim), case(NEUTRAL, summary=summary))) == 1
    assert task_flags(answer(claim), case(NEUTRAL, summary=sound_summary)) == []


def test_a_negated_copula_in_the_question_still_asks_for_the_task() -> None:
    text = answer("It applies sharpening to the scan.")
    assert task_flags(text, case("My scan is not sharp at all, can you help?")) == []


# --------------------------------------------------------------------------- recommender prefixes


def test_an_a2b_prefix_of_a_model_name_grounds_its_task() -> None:
    text = answer("Txt2Voice-Example-Speaker is a text-to-speech model and reads the summary aloud.", "Txt2Voice-Example-Speaker")
    assert task_flags(text, case(NEUTRAL, name="Txt2Voice-Example-Speaker")) == []
    text = answer("Img2Vid-Example-Mover is a text-to-speech model too.", "Img2Vid-Example-Mover")
    assert task_flags(text, case(NEUTRAL, name="Img2Vid-Example-Mover")) == ["text-to-speech"]
