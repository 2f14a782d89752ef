"""Task claims: plain words count on both sides, and what is not a claim passes.

Each planted claim has a harmless twin that differs only in what makes it harmless: a
question that states the task in plain words, a gap statement, a name, a figure of speech.
"""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from cnaps_llm.grounding import check, vocab
from cnaps_llm.grounding.cues import supported_in
from cnaps_llm.grounding.tasks import NOT_A_TASK, all_terms, task_index, tasks_in
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


NEUTRAL = "How do these models work on my old scans?"


def planted_flags(body: str, question: str = NEUTRAL) -> list[str]:
    """The task violations' texts of ``body`` planted in a grounded answer to ``question``
    (the held-out rounds' sentences)."""
    return [v.text for v in check(answer(body), case(question)) if v.kind == "task"]


def task_flags(text: str, c) -> list[tuple[str, list[int]]]:
    return [(v.text, v.lines) for v in check(text, c) if v.kind == "task"]


def names(ids: set[int]) -> set[str]:
    all_tasks = vocab.tasks()
    return {all_tasks[i].name for i in ids}


# --------------------------------------------------------------------------- the cue file


def test_every_cue_names_a_task_of_the_vocabulary() -> None:
    raw = json.loads(files("cnaps_llm").joinpath("data", "task_cues.json").read_text(encoding="utf-8"))
    index = task_index()
    assert set(raw["tasks"]) <= set(index), set(raw["tasks"]) - set(index)
    for name, cues in raw["tasks"].items():
        assert set(cues) <= {"said", "asked"}, name
        assert all(c.strip() == c and c for phrases in cues.values() for c in phrases), name


@pytest.mark.parametrize(
    ("question", "task"),
    [
        ("The photo of my dog is too blurry.", "deblurring"),
        ("Can you make it four times bigger?", "super-resolution"),
        ("Please enlarge it by 3.5x.", "super-resolution"),
        ("Tell me what everyone is doing in this clip.", "action recognition"),
        ("Is there an animal in it?", "object detection"),
        ("This old black and white picture needs color.", "colorization"),
        ("The night shot is too dark.", "low-light enhancement"),
        ("Please describe the picture in a sentence.", "image captioning"),
        ("Can you make the photo move like a short video?", "video generation"),
    ],
)
def test_plain_words_in_a_question_support_the_task(question: str, task: str) -> None:
    assert task in names(supported_in(question))


@pytest.mark.parametrize(
    "question",
    ["Please make the colours of this photo warmer.", "What is the name of this flower?"],
)
def test_plain_questions_support_no_unrelated_task(question: str) -> None:
    assert not names(supported_in(question)) & {"super-resolution", "deblurring", "object detection", "video generation"}


def test_cue_phrases_never_cross_a_line() -> None:
    assert "super-resolution" not in names(supported_in("Could you make it\nbigger?"))
    assert "super-resolution" in names(supported_in("Could you make it bigger?"))


# --------------------------------------------------------------------------- support in plain words


@pytest.mark.parametrize(
    ("question", "claim"),
    [
        ("The photo of my dog is too blurry. What can be done?", "The models perform deblurring."),
        ("Can you make my photo four times bigger?", "This is a super-resolution task."),
        ("Tell me what everyone is doing in this clip.", "This is action recognition."),
        ("Is there an animal in it?", "The user needs object detection."),
    ],
)
def test_a_task_the_question_states_in_plain_words_is_grounded(question: str, claim: str) -> None:
    assert task_flags(answer(claim), case(question)) == []
    # the twin: the same claim, a question that says nothing of it
    assert len(task_flags(answer(claim), case("How do these models work?"))) == 1


def test_a_source_summary_in_plain_words_supports_a_task() -> None:
    c = case("How does this work?", summary="It makes small images four times bigger.")
    assert task_flags(answer("It performs super-resolution."), c) == []


# --------------------------------------------------------------------------- plain-word claims in the answer


@pytest.mark.parametrize(
    ("claim", "flagged", "task"),
    [
        ("It can also make the photo move like a short video.", "make the photo move like a short video", "video generation"),
        ("Finally it will describe the picture in a sentence.", "describe the picture in a sentence", "image captioning"),
        ("It can then tell me what everyone is doing.", "tell me what everyone is doing", "action recognition"),
        ("Then it hums along to the picture.", None, None),  # no phrase of the cue file: no claim
    ],
)
def test_plain_word_claims_in_the_answer_are_caught(claim: str, flagged: str | None, task: str | None) -> None:
    v = [x for x in check(answer(claim), case("How do these models work?")) if x.kind == "task"]
    if flagged is None:
        assert v == []
        return
    assert [(x.text, x.line) for x in v] == [(flagged, 3)]
    assert f"({task})" in v[0].message


def test_a_plain_word_claim_the_question_makes_passes() -> None:
    text = answer("It can also make the photo move like a short video.")
    assert task_flags(text, case("Could you make the photo move like a short video?")) == []


# --------------------------------------------------------------------------- gap statements


@pytest.mark.parametrize(
    "gap",
    [
        "No provided model performs face detection.",
        "Reading the plate would require an additional OCR module, which is not provided.",
        "None of the listed models can do object tracking.",
        "Colorization is out of scope here.",
        "The recommended model is a restorer, not a super-resolution model.",
        "Face detection is not provided by any of the sources.",
        "A captioning step would need an extra model.",
        "An OCR step could be added with an external tool.",
        "OCR: not available among the provided models.",
    ],
)
def test_gap_statements_are_not_claims(gap: str) -> None:
    assert task_flags(answer(gap), case("How do these models work?")) == []


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("The workflow first runs face detection.", "face detection"),
        ("An OCR module reads the plate.", "OCR"),
        ("It performs object tracking, but it does not change colours.", "object tracking"),
        ("It adds colorization; no extra model is needed.", "colorization"),
        ("It needs no extra GPU, it runs face detection on each frame.", "face detection"),
    ],
)
def test_the_same_tasks_claimed_are_violations(claim: str, text: str) -> None:
    assert task_flags(answer(claim), case("How do these models work?")) == [(text, [3])]


# --------------------------------------------------------------------------- what only looks like a task


@pytest.mark.parametrize(
    "harmless",
    [
        "It handles moderate noise and moderately blurred photos.",  # not content moderation
        "Its edge detection keeps lines crisp.",  # a figure of speech, not object detection
        "The output keeps the subject's pose and expression.",  # a pose kept is not pose estimation
        "The result is passed to Enhancement-low-light-img-enhancer for the final step.",  # a name
        "It writes `facial_landmarks` to structural_edges.png.",  # an identifier and a file name
        "See *Deep Learning for Image Super-Resolution: A Survey* for background.",  # a cited title
    ],
)
def test_words_that_only_look_like_tasks_are_not_claims(harmless: str) -> None:
    assert task_flags(answer(harmless), case("How do these models work?")) == []


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("It also handles content moderation.", "content moderation"),
        ("Then object detection finds the edges of each item.", "object detection"),
        ("It runs pose estimation on each person.", "pose estimation"),
        ("The result then gets low-light enhancement.", "low-light enhancement"),
        ("It writes facial landmarks to a file.", "facial landmarks"),
        ("It then performs image super-resolution for background.", "super-resolution"),
    ],
)
def test_their_twins_that_claim_the_task_are_violations(claim: str, text: str) -> None:
    assert task_flags(answer(claim), case("How do these models work?")) == [(text, [3])]


def test_a_task_term_never_spans_a_line_or_list_item_break() -> None:
    text = answer("Steps:\n- remove noise\n- reduction of size")
    assert [t for t, _ in task_flags(text, case("How do these models work?"))] == ["remove noise"]
    assert list(tasks_in("motion\ngeneration")) == []
    assert [t for _, _, t in tasks_in("motion generation")] == ["motion generation"]


def test_not_a_task_phrases_are_read_past() -> None:
    assert all(task != NOT_A_TASK for task, _, _ in tasks_in("edge detection and object detection"))
    assert [t for _, _, t in tasks_in("edge detection and object detection")] == ["object detection"]
    assert any(task == NOT_A_TASK for task, _ in all_terms())


def test_a_line_copied_from_the_prompt_is_not_a_claim() -> None:
    c = case_from_object(
        {
            "id": "t",
            "question": "How do these models work?",
            "instruction": "1. Summarize the task.\n2. Describe the workflow, including any object tracking it needs.\n3. Cite papers.",
            "recommended": [{"name": "Restoration-Example-Restorer", "github": LINK}],
        },
        default_id="t",
    )
    copied = answer("2. Describe the workflow, including any object tracking it needs.")
    assert task_flags(copied, c) == []
    assert task_flags(answer("The workflow includes object tracking."), c) == [("object tracking", [3])]


# --------------------------------------------------------------------------- one violation per claim


def test_one_claim_in_several_forms_and_lines_is_one_violation_with_every_line() -> None:
    text = answer("It will denoise the photo.\n\nThe denoised photo is sharper.\n\nDenoising helps, and denoising again helps more.")
    assert task_flags(text, case("How do these models work?")) == [("denoise", [3, 5, 7])]


def test_different_terms_of_one_task_are_quoted_each() -> None:
    text = answer("It removes noise.\n\nThen denoising follows.")
    assert task_flags(text, case("How do these models work?")) == [("removes noise", [3]), ("denoising", [5])]
