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
        ("Step 3: ____", "Step 3: ____"),
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
        "- Step 3: write the file to my_output___final.png",  # underscores inside a name
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


# --------------------------------------------------------------------------- tasks the vocabulary lacked, plain-word claims

NEUTRAL = "How do these models work on my old scans?"


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("A sky-swap module puts a blue sky over the washed-out one.", "sky-swap"),
        ("The glass branch removes the reflections in the shop window.", "removes the reflections"),
        ("A flare removal pass cleans up the sun streaks.", "flare removal"),
        ("A lane-finding branch outlines the road on each frame.", "lane-finding"),
        ("Finally it interpolates new frames between the scanned ones.", "interpolates new frames"),
        ("An aesthetic scoring head ranks the three outputs.", "aesthetic scoring"),
        ("The subject is cut out with a soft alpha matte before blending.", "alpha matte"),
        ("Reflections on the bottle are painted out.", "Reflections on the bottle are painted out"),
        ("The background of every scan is removed.", "background of every scan is removed"),
        ("The face is then matched against the employee photos on file.", "matched against the employee photos"),
        ("A second module verifies the identity of whoever is in the scan.", "verifies the identity"),
        ("It picks out the station names printed on the platform.", "picks out the station names"),
        ("Each face in the crowd is blurred out, or rather a branch blurs out the faces.", "blurs out the faces"),
        ("It follows each cyclist from frame to frame.", "follows each cyclist from frame to frame"),
        ("The cleaned scan is turned into an infrared rendering.", "turned into an infrared"),
        ("The floor plan is converted into a 3D walk-through.", "converted into a 3D"),
        ("A final branch cleans the crowd noise out of the soundtrack.", "cleans the crowd noise out of the soundtrack"),
        ("The restored print is animated into a ten-second looping video.", "animated into a ten-second looping video"),
        ("It is then made three times larger.", "made three times larger"),
        ("It wipes the watermark off each scan.", "wipes the watermark"),
        ("A stick figure of the dancer's pose is estimated first.", "stick figure"),
    ],
)
def test_tasks_in_new_words_are_claims(claim: str, text: str) -> None:
    flags = _task_flags(claim, task_case(NEUTRAL))
    assert flags == [text]


@pytest.mark.parametrize(
    "gap",
    [
        "None of the listed models removes reflections from glass.",
        "A sky-swap module would need a model the list does not include.",
        "Lane detection is outside what these restorers do.",
        "A captioning model would be needed to write alt text, and none is listed.",  # "would be needed"
        "Frame interpolation is not provided by any source here.",
        "Nothing here verifies the identity of the people in the scan.",
        "If you wanted the clip animated into a short looping video, that would take a model the list lacks.",
        "Turning the scan into a 3D walk-through is beyond these models.",
    ],
)
def test_the_same_tasks_in_gap_statements_pass(gap: str) -> None:
    assert _task_flags(gap, task_case(NEUTRAL)) == []


def test_a_source_that_names_the_task_grounds_it() -> None:
    c = task_case(NEUTRAL, name="Restoration-Example-ReflectionRemoval")
    assert _task_flags("The glass branch removes the reflections in the shop window.", c) == []
    frames = task_case("Can AI do frame interpolation on my stuttering video?")
    assert _task_flags("Finally it interpolates new frames between the old ones.", frames) == []


# --------------------------------------------------------------------------- a part that only repeats the question, a short loop

QUESTION = "My night photo of the harbour is noisy; can you clean it and make it larger?"


def _quality(text: str) -> list[str]:
    return [v.message for v in check(text, case(SECTIONS), kinds="quality")]


def test_a_part_that_only_quotes_the_question() -> None:
    text = f"## 1. Core Task\n\nThe user wants the noisy harbour photo cleaned and enlarged.\n\n## 2. Workflow\n\n> \"{QUESTION}\"\n\n## 3. References\n\n{REFS}\n"
    assert [m for m in _quality(text) if "only repeats the user's question" in m] == [
        '"> "My night photo of the harbour is noisy; can you clean it…" only repeats the user\'s question; answer it in its place.'
    ]
    # twin: the question quoted, then answered under the same heading
    answered = text.replace(f'> "{QUESTION}"\n', f'> "{QUESTION}"\n\n{WORKFLOW}\n')
    assert [m for m in _quality(answered) if "question" in m] == []


def test_a_short_sentence_written_again_and_again() -> None:
    # one long line holding it four times: read by its sentences
    text = BASE.format(extra=" ".join(["The harbour photo gets cleaned here."] * 4))
    assert [m for m in _quality(text) if "repeats" in m] == [
        'The answer repeats "The harbour photo gets cleaned here" 4 times; say each thing once.'
    ]
    # twin: a module's input line written three times, as real answers do
    spec = "\n".join(["- Input: the noisy harbour photo (RGB)"] * 3)
    assert [m for m in _quality(BASE.format(extra=spec)) if "repeats" in m] == []


# --------------------------------------------------------------------------- gap statements in more shapes


@pytest.mark.parametrize(
    "gap",
    [
        "Pose estimation: not something the listed restorer does.",  # a label answered by a negation
        "Captioning would have helped here, but it isn't on offer.",  # counterfactual
        "Depth estimation is left out on purpose.",  # left out / dropped / omitted
        "Skip the colorization pass; the scan is already in colour.",  # imperative skip
        "I left out object tracking because no source covers it.",
        "Unlike an OCR engine, the restorer never reads the page.",  # contrast
        "The design stops short of face recognition.",
        "Should you ever need upscaling, a further model would have to be added.",  # conditional
        "Adding a captioner is possible, but none of the sources provides one.",
        "Inpainting is handled by no model in the list.",
        "Neither source offers pose estimation, OCR, tracking or image captioning.",  # a list of tasks
        "Face detection and recognition are both out of reach for these models.",
    ],
)
def test_gap_statements_in_more_shapes_pass(gap: str) -> None:
    assert _task_flags(gap, task_case(NEUTRAL)) == []


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("Pose estimation: the second branch runs it on each scan.", "Pose estimation"),
        ("Depth estimation is left to the second branch, which runs it on each scan.", "Depth estimation"),
        ("Skip nothing: the pipeline also performs colorization.", "colorization"),
        ("Like an OCR engine, it reads every line of the page.", "OCR"),
        ("Upscaling runs last, and no other model touches the result.", "Upscaling"),
        ("Without a mask, colorization and tracking run on each frame.", "colorization"),
        ("Inpainting works with no mask at all.", "Inpainting"),
    ],
)
def test_the_same_tasks_claimed_beside_those_words_are_flagged(claim: str, text: str) -> None:
    assert _task_flags(claim, task_case(NEUTRAL))[:1] == [text]


# --------------------------------------------------------------------------- references as footnotes, questions as labels


def test_footnote_references_address_the_reference_part() -> None:
    text = (
        "## Task\nThe user wants the noisy harbour photo cleaned and enlarged.\n\n"
        "## Workflow\nThe photo goes to Denoise-Restormer-Real[^1], then to SISR-HAT-4x[^2].\n\n"
        "[^1]: https://arxiv.org/abs/2111.09881\n[^2]: https://arxiv.org/abs/2205.04437\n"
    )
    assert missing(text) == []
    # twin: footnotes that give no link list no source
    bare = text.replace("https://arxiv.org/abs/2111.09881", "the Restormer paper").replace("https://arxiv.org/abs/2205.04437", "the HAT paper")
    assert missing(bare) == [3]


def test_labels_asked_as_questions_with_a_q() -> None:
    text = (
        "**Q: What is wanted?**\nA: a cleaner and larger copy of the harbour photo taken at night.\n\n"
        f"**Q: How would it run?**\nA: {WORKFLOW}\n\n**Q: What backs this up?**\nA: {REFS}\n"
    )
    assert missing(text) == []
    # twin: the last label asks nothing and its text cites nothing
    assert missing(text.replace(f"**Q: What backs this up?**\nA: {REFS}", "**Closing**\nThat is all.")) == [3]


# --------------------------------------------------------------------------- the one recommended model set aside by its role

SEED_Q = "My grainy indoor photos from an old phone came out clean after AI denoising. How does it remove noise without losing detail?"
ONE = [{"name": "Deblur-MIMO-UNet-RealBlur", "github": "https://github.com/chosj95/MIMO-UNet"}]


def _models_flags(workflow: str, recommended=ONE) -> list[str]:  # type: ignore[no-untyped-def]
    from cnaps_llm.inputs import case_from_object

    c = case_from_object({"id": "s", "question": SEED_Q, "recommended": recommended}, default_id="s")
    text = (
        "## 1. Task\n\nThe user wants to know how noise is removed from grainy indoor photos without losing detail.\n\n"
        f"## 2. Workflow\n\n{workflow} Denoising networks in general learn from pairs of noisy and clean photos.\n\n"
        "## 3. Sources\n\n- https://github.com/chosj95/MIMO-UNet: code of the recommended deblurring model.\n"
    )
    return [v.text for v in check(text, c, kinds="quality") if "neither used" in v.message]


@pytest.mark.parametrize(
    "aside",
    [
        "The single recommended model removes blur, which is another task, so I set it aside.",
        "The listed checkpoint is the wrong tool here: it deblurs.",
        "Nothing recommended addresses grain, so what follows is general.",
        "None of what was recommended targets noise.",
    ],
)
def test_the_one_recommended_model_set_aside_by_its_role(aside: str) -> None:
    assert _models_flags(aside) == []


def test_the_role_sentence_without_an_aside_or_with_two_models() -> None:
    # twin: "the recommended model" used, not set aside, leaves the named model unhandled
    assert _models_flags("The single recommended model also helps with grain.") == ["Deblur-MIMO-UNet-RealBlur"]
    # twin: with two recommended models "the recommended model" says which one is meant no more
    two = [*ONE, {"name": "Denoise-SwinIR-Noise15", "github": "https://github.com/JingyunLiang/SwinIR"}]
    assert _models_flags("The single recommended model removes blur, so I set it aside.", two) == ["Deblur-MIMO-UNet-RealBlur"]


# --------------------------------------------------------------------------- more tasks said by a verb and its object


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("The last module tells the user what species the bird is.", "tells the user what species"),
        ("A helper writes alt-text for the gallery.", "writes alt-text"),
        ("It identifies the landmarks on the skyline.", "identifies the landmarks"),
        ("Branch C writes down the dialogue from the clip.", "writes down the dialogue"),
        ("The scan is converted into searchable text at the end.", "converted into searchable"),
        ("Another step sorts the shots into folders by event.", "sorts the shots into folders"),
        ("It flags explicit content before anything is shared.", "flags explicit content"),
        ("It then removes the tourists from the square.", "removes the tourists"),
        ("A geometry step levels the horizon.", "levels the horizon"),
        ("It exchanges the faces of the bride and groom.", "exchanges the faces"),
        ("Next it segments the road from the pavement.", "segments the road from"),
        ("A 3D face model of the speaker comes out last.", "3D face model"),
        ("Finally it narrates the report to you.", "narrates the report to you"),
        ("It fills out the missing part of the fence.", "fills out the missing"),
        ("The judge rates every shot for composition.", "rates every shot"),
    ],
)
def test_more_tasks_said_by_a_verb_and_its_object(claim: str, text: str) -> None:
    assert _task_flags(claim, task_case(NEUTRAL)) == [text]


@pytest.mark.parametrize(
    "sound",
    [
        "The guide tells you which of the two checkpoints suits a scan.",  # "which" without a kind
        "It tells you what kind of blur is present.",  # a kind of degradation is no class of object
        "A captioning model would be needed to write alt text, and none is listed.",  # gap
        "The restorer fills the gap between the two steps.",  # "fills" without "missing"
        "The prompt encoder scores each image for how well it matches the text.",  # scoring is no rating
        "It reads the instructions in the config file, then runs.",  # reading without speaking to someone
    ],
)
def test_sound_sentences_beside_those_verbs_pass(sound: str) -> None:
    assert _task_flags(sound, task_case(NEUTRAL)) == []


# --------------------------------------------------------------------------- short answers without headings, flows in bullets


def test_a_short_answer_without_headings_addresses_the_parts() -> None:
    text = (
        "Your harbour photo needs cleaning and enlarging. I would run it through Denoise-Restormer-Real first "
        "and then give the clean result to SISR-HAT-4x; the papers are https://arxiv.org/abs/2111.09881 and "
        "https://arxiv.org/abs/2205.04437."
    )
    assert missing(text) == []
    # twin: no source named, no arrow, no link: neither the workflow nor the references is there
    bare = "Your harbour photo needs cleaning and enlarging, which modern restoration can do well enough for print."
    assert missing(bare) == [2, 3]


def test_a_flow_in_a_bullet_uses_the_model() -> None:
    from ..test_structure_parts import PRIMARY  # every model is to be used or set aside

    c = case(PRIMARY)
    text = (
        "- **Task:** the noisy harbour photo, cleaned and then enlarged for print.\n"
        "- **Flow:** photo → Denoise-Restormer-Real → clean photo → SISR-HAT-4x → larger photo.\n"
        "- **Papers:** https://arxiv.org/abs/2111.09881 and https://arxiv.org/abs/2205.04437, the two models used.\n"
    )
    assert [v.text for v in check(text, c, kinds="quality") if "neither used" in v.message] == []
    # twin: the second model only in the papers line, with no flow naming it
    cut = text.replace(" → clean photo → SISR-HAT-4x", "").replace("the two models used", "SISR-HAT-4x among them")
    assert [v.text for v in check(cut, c, kinds="quality") if "neither used" in v.message] == ["SISR-HAT-4x"]
