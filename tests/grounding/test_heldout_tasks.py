"""Task claims in forms the validator was not tuned on: gap statements of every family,
negations that govern something else, plain-word claims, tasks the vocabulary gained,
loose question cues, and recommender prefixes.

Each planted claim has a sound twin that differs only in what makes it sound.
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check

from ..test_task_claims import answer, case

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
        ("This is not a toy: the tool colourises old prints.", "colourises"),
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
        "The list has no model for this one: pose estimation.",
        "Not provided: a depth estimation model.",
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


# --------------------------------------------------------------------------- plain-word claims over word families


PLAIN_CLAIMS = [
    # (claim in an answer, the task's name, a question that asks for it in other words)
    ("Then it renders the scan three times larger.", "super-resolution", "Can the scan be 3x bigger?"),
    ("A second branch transcribes the street names on the map.", "ocr", "What does the text on this map say?"),
    ("Finally it converts the portrait into an animated clip.", "image-to-video", "Can you animate a photo of my grandfather?"),
    ("It voices the summary out loud for the user.", "text-to-speech", "Please read it aloud to me."),
    ("It generates two sentences describing the scene.", "image captioning", "Please describe the image for me."),
    ("The result resembles a pencil sketch.", "style transfer", "Make it look like an illustration."),
    ("It can make him appear years older.", "face editing", "I want to try face aging on this portrait."),
    ("It works out how old the sitter is.", "age estimation", "Guess the age of the sitter."),
    ("A head that gauges the sitter's facial expression runs next.", "emotion recognition", "What mood is the sitter in?"),
    ("It translates the menu to Spanish.", "machine translation", "Please translate the menu."),
    ("It screens every upload for explicit content.", "content moderation", "Nothing offensive may go on the school website."),
    ("It patches the creases and water damage.", "inpainting", "The print has scratches and tears."),
    ("It pixelates bystanders' faces before sharing.", "face anonymization", "Protect the privacy of people in the scan."),
    ("It brings back natural colours to the print.", "colorization", "My print is black-and-white."),
    ("It colourises the print.", "colorization", "My print is black-and-white."),
]


@pytest.mark.parametrize(("claim", "task", "question"), PLAIN_CLAIMS)
def test_a_plain_word_claim_is_flagged_unless_the_question_asks_for_it(claim: str, task: str, question: str) -> None:
    flags = [v for v in check(answer(claim), case(NEUTRAL)) if v.kind == "task"]
    assert [v.message.endswith(f"({task}) is not mentioned by the question or any source; describe only tasks they support.") or f'"{task}"' in v.message.lower() for v in flags] == [True]
    assert task_flags(answer(claim), case(question)) == []


@pytest.mark.parametrize(
    "sound",
    [
        "The model reads the text prompt and renders a larger batch when memory allows.",  # a prompt is no sign
        "It reads the words in the prompt.",
        "Making the batch bigger speeds up training.",  # not the image
        "It turns the frames into a video again.",  # reassembling footage is no image-to-video
        "It removes the blur and restores colour balance.",  # balance is no colorization
        "The workflow keeps the sitter's expression as it is.",
    ],
)
def test_sentences_that_share_words_with_a_claim_are_not_claims(sound: str) -> None:
    assert task_flags(answer(sound), case("Please sharpen my old scan and remove the blur.")) == []


def test_a_plain_word_claim_of_a_flagged_task_adds_its_line_to_that_violation() -> None:
    text = answer("An OCR step runs first.\n\nLater it picks out the words on each poster.")
    flags = [(v.text, v.lines) for v in check(text, case(NEUTRAL)) if v.kind == "task"]
    assert flags == [("OCR", [3, 5])]


# --------------------------------------------------------------------------- tasks the vocabulary gained


@pytest.mark.parametrize(
    ("claim", "question"),
    [
        ("A relighting stage evens out the shadows.", "The lighting in my portrait is harsh."),
        ("Video stabilisation removes the wobble.", "My footage is shaky."),
        ("A crowd counting module reports the total.", "How many people are at the party?"),
        ("Speed estimation reports each runner's pace.", "How fast is each runner?"),
        ("Age estimation tags each face.", "How old does everyone look?"),
        ("Facial expression recognition reads each guest.", "What emotions do the guests show?"),
        ("Background replacement puts the product on white.", "Put the product on a white backdrop."),
        ("Makeup transfer copies the look of the reference.", "Try this lipstick on my selfie."),
        ("Vectorisation turns the logo into paths.", "I need my logo as an SVG."),
        ("Face anonymisation hides every passer-by.", "Respect the privacy of passers-by."),
        ("Handwriting recognition reads the diary.", "What is written in this diary?"),
    ],
)
def test_a_new_task_is_flagged_unless_the_question_asks_for_it(claim: str, question: str) -> None:
    assert len(task_flags(answer(claim), case(NEUTRAL))) == 1
    assert task_flags(answer(claim), case(question)) == []


# --------------------------------------------------------------------------- the claims' regexes


@pytest.mark.parametrize("text", [claim for claim, _, _ in PLAIN_CLAIMS] + ["make it 2.5x larger", "how old is it", "x"])
def test_claim_regexes_accept_what_the_phrase_matcher_accepts(text: str) -> None:
    from cnaps_llm.grounding.cues import claims_in, cue_file, match_end, parse_cue
    from cnaps_llm.grounding.tasks import task_index

    low = text.lower()
    index = task_index()
    expected = []
    pos = 0
    while pos < len(low):  # at each word start the first phrase (file order) that matches, then past it
        if low[pos].isalnum() and (pos == 0 or not low[pos - 1].isalnum()):
            for name, cues in cue_file()["claims"].items():
                ends = [e for e in (match_end(low, pos, parse_cue(c)) for c in cues) if e is not None]
                if ends:
                    expected.append((index[name], pos))
                    pos = min(ends)
                    break
        pos += 1
    assert [(task, start) for task, start, _ in claims_in(text)] == expected
