"""Round 4 of answers the validator was not tuned on, area tasks: tasks claimed in plain
words, passive ("faces are rebuilt", "the street signs are transcribed") or a verb
and its object ("whitens the teeth", "guesses the age"), beside gap statements and the
question's own words that must pass.

Each planted claim has a sound twin that differs only in what makes it sound.
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check

from ..test_task_claims import answer, case

NEUTRAL = "How do these models work on my old scans?"


def flags(body: str, question: str = NEUTRAL) -> list[str]:
    return [v.text for v in check(answer(body), case(question)) if v.kind == "task"]


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("Afterwards the faces are rebuilt with fine detail.", "faces are rebuilt"),  # passive
        ("A last stage repairs the faces of the guests.", "repairs the faces"),
        ("It also cleans the speckle out of the night sky.", "cleans the speckle"),
        ("The final module guesses the age of every visitor.", "guesses the age"),
        ("The guards are identified by name at the gate.", "identified by name"),
        ("A branch recognises the driver's face at the door.", "recognises the driver's face"),
        ("The street signs are transcribed into a list.", "signs are transcribed"),
        ("A narration is generated for each slide.", "narration is generated"),
        ("It also produces a voice-over for the slideshow.", "produces a voice-over"),
        ("Then it animates the photo of the lake.", "animates the photo"),
        ("The module whitens the bride's teeth.", "whitens the bride's teeth"),
        ("Then it softens the fine lines under the eyes.", "softens the fine lines"),
        ("A third branch changes the eye colour to green.", "changes the eye colour"),
        ("Its background is swapped for a beach at sunset.", "background is swapped"),
        ("It writes down what the guide says in each room.", "writes down what the guide says"),
        ("Every cyclist is followed across the clip.", "followed across the clip"),
        ("In a privacy step the faces are blurred.", "faces are blurred"),
        ("A privacy step would blur the faces of passers-by.", "blur the faces"),  # the verb's base form
    ],
)
def test_tasks_in_plain_words_and_passives_are_claims(claim: str, text: str) -> None:
    assert flags(claim) == [text]


@pytest.mark.parametrize(
    "sound",
    [
        "None of the listed models can guess the age of a visitor.",  # gap statements
        "No model here can recognise a driver's face; that would need another model, which is not provided.",
        "Reading the street signs would need an OCR step, which the list does not include.",
        "The restorer removes the blur from the faces.",  # "blur" as a noun
        "Blurry faces are made clear by the restorer.",
        "It changes the colour balance to warmer tones.",  # a colour balance is no hair or eye colour
        "The background is left as it was.",
        "The order of the two steps can be swapped for a dark photo.",  # no background
        "The scan is restored in one pass.",  # the grounded task alone
        "The tool follows the same steps for every scan.",  # no frames
        "It produces a clean copy of the scan.",  # produces no voice
    ],
)
def test_sound_sentences_beside_those_words_pass(sound: str) -> None:
    assert flags(sound) == []


def test_a_claim_over_a_grounded_term_of_another_task_is_still_a_claim() -> None:
    # "rebuilt"/"restored" is the restorer's own task (its name grounds it), "faces are
    # restored" claims face restoration, which the neutral question does not ask
    assert flags("Then the faces are restored one by one.") == ["faces are restored"]
    # twin: the question asks for it in its own plain words
    assert flags("Then the faces are restored one by one.", "Can you restore the faces in my wedding photo?") == []


def test_the_questions_own_task_in_passive_words_passes() -> None:
    q = "My holiday video has a blurred sign; can you read the street signs for me?"
    assert flags("The street signs are transcribed into a list.", q) == []
    # twin: the same sentence answering a question about something else
    assert flags("The street signs are transcribed into a list.") == ["signs are transcribed"]


# --------------------------------------------------------------------------- layouts: bold labels nested under a bold part label

from .test_heldout_structure import REFS, SECTIONS, WORKFLOW  # noqa: E402
from .test_heldout_structure import case as structure_case  # noqa: E402


def _empty_headings(text: str) -> list[str]:
    return [v.text for v in check(text, structure_case(SECTIONS), kinds="quality") if "has nothing under it" in v.message]


def test_a_part_label_whose_first_line_is_a_lettered_sub_label_is_not_empty() -> None:
    text = (
        "**1. Core Task:** a cleaner, larger copy of the harbour photo taken at night.\n\n"
        f"**2. CNAPS-style Workflow:**\n\n**A. Overview:** {WORKFLOW}\n\n**B. Outputs:** a clean photo, then a larger one.\n\n"
        f"**3. Justification:** {REFS}\n"
    )
    assert _empty_headings(text) == []
    # twin: a part label followed by the next part's label (a marker of the same kind) is empty
    cut = text.replace(f"**A. Overview:** {WORKFLOW}\n\n**B. Outputs:** a clean photo, then a larger one.\n\n", "")
    assert _empty_headings(cut) == ["**2. CNAPS-style Workflow:**"]
    # twin: a label without a part marker followed by another label without one is still empty
    plain = text.replace("**2. CNAPS-style Workflow:**", "**Workflow:**").replace("**A. Overview:**", "**Overview:**")
    assert _empty_headings(plain) == ["**Workflow:**"]


# --------------------------------------------------------------------------- more tasks in plain words


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("Then it counts the sheep in the field.", "counts the sheep in the field"),
        ("The visitors are counted at the door.", "visitors are counted"),
        ("A branch works out how far the boat is from the pier.", "works out how far"),
        ("A last step measures the distance to the pier.", "measures the distance"),
        ("An editor makes the groom smile.", "makes the groom smile"),
        ("It also opens the closed eyes of the child.", "opens the closed eyes"),
        ("A cleanup pass wipes the power lines from the sky.", "wipes the power lines"),
        ("The faces are detected in the first pass.", "faces are detected"),
        ("The handwriting is transcribed into a document.", "handwriting is transcribed"),
        ("It removes the harsh shadows under the eyes.", "removes the harsh shadows"),
        ("The last step checks whether the photo is a deepfake.", "checks whether the photo is a deepfake"),
        ("Each dress is matched against the online shop.", "matched against the online shop"),
        ("A reverse image search finds where else it was posted.", "reverse image search"),
    ],
)
def test_more_tasks_in_plain_words_are_claims(claim: str, text: str) -> None:
    assert flags(claim) == [text]


@pytest.mark.parametrize(
    "sound",
    [
        "The restorer counts the steps in the schedule before it starts.",  # no place of things to count
        "It measures the sharpness of each result.",  # no distance
        "The scratches are found by the restorer on its own.",  # no faces
        "The text of the prompt is extracted by the encoder.",  # "the text of …" is not read off the scan
        "The shadows are kept as they are.",  # kept, not removed
        "It checks whether the photo is dark enough to need the restorer.",  # nothing fake
        "None of the listed models can tell whether the photo is a deepfake.",  # gap
        "Removing the shadows would need another model, which is not provided.",  # gap
    ],
)
def test_sound_sentences_beside_those_plain_words_pass(sound: str) -> None:
    assert flags(sound) == []


def test_the_question_asks_for_the_new_tasks_in_its_own_words() -> None:
    assert flags("It removes the harsh shadows under the eyes.", "Can you get rid of the shadows on my face in this photo?") == []
    assert flags("The last step checks whether the photo is a deepfake.", "Is this photo of the mayor real or fake?") == []


def test_a_bold_part_heading_whose_first_line_is_a_markdown_sub_heading_is_not_empty() -> None:
    text = (
        "**1. Core Task**\n\nA cleaner, larger copy of the harbour photo taken at night.\n\n"
        f"**2. CNAPS-style Workflow**\n\n### A. Overview\n\n{WORKFLOW}\n\n**3. Justification**\n\n{REFS}\n"
    )
    assert _empty_headings(text) == []
    # twin: followed by the next part's heading (a marker of the same kind) it is empty
    cut = text.replace(f"### A. Overview\n\n{WORKFLOW}\n\n", "### 3. Justification\n\n")
    assert "**2. CNAPS-style Workflow**" in _empty_headings(cut)


def test_a_label_whose_first_line_opens_a_numbered_series_of_labels_is_not_empty() -> None:
    text = (
        "**Core Task:** a cleaner, larger copy of the harbour photo taken at night.\n\n"
        "**Workflow:**\n\n**Step 1:** Denoise-Restormer-Real cleans the photo.\n\n"
        "**Step 2:** SISR-HAT-4x enlarges the clean photo four times.\n\n"
        f"**References:** {REFS}\n"
    )
    assert _empty_headings(text) == []
    numbered = text.replace("**Step 1:**", "**1. Denoise:**").replace("**Step 2:**", "**2. Enlarge:**")
    assert _empty_headings(numbered) == []
    # twin: a series that does not start there ("Step 2") is another part's label, not this one's content
    later = text.replace("**Step 1:** Denoise-Restormer-Real cleans the photo.\n\n", "")
    assert _empty_headings(later) == ["**Workflow:**"]


# --------------------------------------------------------------------------- layouts: parts as the rows of a table

from .test_heldout_structure import missing  # noqa: E402


def test_a_table_whose_rows_are_the_parts_addresses_them() -> None:
    text = (
        "| Part | Answer |\n|---|---|\n"
        "| 1. Core Task | a cleaner, larger copy of the harbour photo taken at night |\n"
        f"| 2. Workflow | {WORKFLOW} |\n"
        "| 3. Justification | Restormer (https://arxiv.org/abs/2111.09881) removes real noise; HAT (https://arxiv.org/abs/2205.04437) enlarges. |\n\n"
        "**Diagram:**\n\nphoto → Denoise-Restormer-Real → SISR-HAT-4x → larger clean photo\n"
    )
    assert missing(text) == []
    # twin: without the justification row, part 3 is missing
    cut = "\n".join(line for line in text.split("\n") if not line.startswith("| 3."))
    assert missing(cut) == [3]
    # twin: a workflow table's numbered step cells name no part
    steps = cut.replace("| 2. Workflow |", "| 3 |")
    assert 3 in missing(steps)


def test_a_diagrams_boxes_are_no_table_rows() -> None:
    text = (
        "## 1. Core Task\n\nA cleaner, larger copy of the harbour photo taken at night.\n\n## 2. Workflow\n\n"
        f"{WORKFLOW}\n\n+----------------------------+\n| [Denoise-Restormer-Real]   |\n|  - In: Source photo        |\n"
        "|  - Out: clean photo        |\n+----------------------------+\n"
    )
    # "Source" in a box of a diagram addresses no reference part
    assert missing(text) == [3]
    # twin: the same words in the first cell of a real table (with its rule) do
    table = text + "\n| Source | Link |\n|---|---|\n| Restormer | https://arxiv.org/abs/2111.09881 |\n"
    assert missing(table) == []


# --------------------------------------------------------------------------- a participle after an auxiliary, whatever its subject


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("The boats in the marina are then counted.", "are then counted"),
        ("Afterwards the jacket is recoloured to navy.", "is recoloured"),
        ("The ballots get tallied at the end.", "get tallied"),
        ("Each crop is then classified.", "is then classified"),
        ("The portrait is relit from the left.", "is relit"),
        ("The sofa is segmented from the floor.", "is segmented"),
        ("The story is narrated by a warm voice.", "is narrated"),
        ("Each car is tagged with its brand.", "is tagged"),
        ("The trees are outlined one by one.", "are outlined"),
        ("The plate is read at the gate.", "plate is read"),  # a singular noun of writing
        ("A description is generated for each scan.", "description is generated"),
    ],
)
def test_a_task_participle_after_an_auxiliary_is_a_claim(claim: str, text: str) -> None:
    assert flags(claim) == [text]


@pytest.mark.parametrize(
    "sound",
    [
        "The restorer can be counted on for faint scratches.",  # "counted on": relied on
        "A blurry and a sharp copy are counted as one input.",  # "counted as"
        "The scratches are not counted by the restorer.",  # negated: not a claim
        "Whether a scratch is classified as damage depends on its width.",  # "classified as": a judgement
        "The steps are outlined below.",  # "outlined below": described
        "The text description is written by the user.",  # a description the user writes claims nothing
        "Nothing here is segmented or narrated; the restorer works on the whole scan.",  # negated by "nothing"
    ],
)
def test_the_same_participles_in_other_senses_pass(sound: str) -> None:
    assert flags(sound) == []


def test_the_question_that_asks_to_count_grounds_the_participle() -> None:
    assert flags("The boats in the marina are then counted.", "How many boats are in my marina photo?") == []
