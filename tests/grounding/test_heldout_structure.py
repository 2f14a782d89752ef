"""Answer shapes the structure and quality rules had not seen when they were written:
headings in other styles, "none fits" in other words, placeholders and copies of the
prompt. Each planted miss has a sound twin that must pass."""

from __future__ import annotations

from cnaps_llm.grounding import check
from cnaps_llm.grounding.structure import missing_parts
from cnaps_llm.inputs import case_from_object, load_case, read_text

from ..conftest import FIXTURES, SEEDS
from ..test_structure_parts import PRIMARY  # the usual three-part instruction

# the bulleted variant: part 3 asks to justify the design
SECTIONS = (
    "You do **not** need to use all listed models, only those that are clearly relevant.\n\n"
    "## 1. Core Task\nSummarize what the user wants to achieve in one or two sentences.\n\n"
    "## 2. CNAPS-style Workflow\nDesign a high-level synaptic workflow.\n\n"
    "# 1. **Identify the core task or goal** implied by the user's request.\n"
    "# 2. **Design a CNAPS-style synaptic workflow**:\n"
    "# 3. **Justify your design** with references to the papers and tools (include GitHub or ArXiv links listed).\n"
)
RECOMMENDED = [
    {"name": "Denoise-Restormer-Real", "paper": "https://arxiv.org/abs/2111.09881"},
    {"name": "SISR-HAT-4x", "paper": "https://arxiv.org/abs/2205.04437"},
]
NAMES = ("Denoise-Restormer-Real", "SISR-HAT-4x")


def case(instruction: str, recommended=RECOMMENDED):  # type: ignore[no-untyped-def]
    return case_from_object(
        {"id": "h", "question": "My night photo of the harbour is noisy; can you clean it and make it larger?",
         "instruction": instruction, "recommended": recommended},
        default_id="h",
    )


def structure(text: str, instruction: str = SECTIONS) -> list[str]:
    return [v.text for v in check(text, case(instruction), kinds="structure")]


def missing(text: str, instruction: str = SECTIONS) -> list[int]:
    return [p.number for p in missing_parts(text, instruction, NAMES)]


WORKFLOW = "The photo goes to Denoise-Restormer-Real, and the clean result goes to SISR-HAT-4x for a 4x enlargement."
REFS = "- Restormer: https://arxiv.org/abs/2111.09881, the denoiser used first.\n- HAT: https://arxiv.org/abs/2205.04437, the upscaler."


# --------------------------------------------------------------------------- F2: heading styles


def test_emoji_led_bold_headings_address_their_parts() -> None:
    text = (
        f"📌 **The Goal**\n\nThe user wants a clean, larger harbour photo.\n\n"
        f"⚙️ **The Pipeline**\n\n{WORKFLOW}\n\n🔗 **Sources**\n\n{REFS}\n"
    )
    assert missing(text) == []
    # twin: the same answer without its pipeline heading misses part 2
    cut = text.replace("⚙️ **The Pipeline**\n\n", "")
    assert missing(cut) == [2]


def test_emoji_led_sentence_is_not_a_heading() -> None:
    # an emoji before a sentence does not make it a heading that names the workflow
    text = f"**Goal**\n\nA clean, larger photo.\n\n✅ The workflow is simple and quick.\n\n**Sources**\n\n{REFS}\n"
    assert missing(text) == [2]


def test_part_n_dash_headings_address_their_parts() -> None:
    text = f"Part 1 – What is asked\n\nA cleaner, larger photo of the harbour at night.\n\nPart 2 – Putting it together\n\n{WORKFLOW}\n\nPart 3 – Papers\n\n{REFS}\n"
    assert missing(text) == []
    # twin: part 2's heading names nothing of the workflow and its text has no model or arrow
    vague = text.replace(WORKFLOW, "Everything works out nicely in the end and the result is good.")
    assert missing(vague) == [2]


def test_bold_label_with_a_synonym_of_the_task() -> None:
    text = f"**What you are asking for:** a clean, larger photo of the harbour.\n\n**Workflow**\n\n{WORKFLOW}\n\n**References**\n\n{REFS}\n"
    assert missing(text) == []
    twin = text.replace("**What you are asking for:**", "**Summary:**")
    assert missing(twin) == [1]


def test_why_heading_with_links_addresses_the_justification() -> None:
    table = "| Model | Link |\n|---|---|\n| Restormer | https://arxiv.org/abs/2111.09881 |\n| HAT | https://arxiv.org/abs/2205.04437 |"
    text = f"**Task**\n\nA clean, larger photo.\n\n**Workflow**\n\n{WORKFLOW}\n\n**Why this pair of models**\n\n{table}\n"
    assert missing(text) == []
    # twin: a "why" heading over text with no link and no source is no justification part
    twin = text.replace(table, "- It is fast.\n- It is cheap.")
    assert missing(twin) == [3]


# --------------------------------------------------------------------------- M8: a heading by number alone


def test_a_numbered_heading_about_something_else_does_not_address_the_workflow() -> None:
    off_topic = (
        "## 1. The request\n\nThe user wants the noisy harbour photo cleaned and enlarged.\n\n"
        "## 2. What makes night photos grainy\n\nSmall sensors gather little light, so the camera amplifies "
        "the signal and the grain becomes visible.\n\n"
        f"## 3. Papers\n\n{REFS}\n"
    )
    assert missing(off_topic, PRIMARY) == [2]
    assert "missing:2" in structure(off_topic, PRIMARY)
    # twin: the same numbered heading over a flow of the models addresses it
    on_topic = off_topic.replace(
        "Small sensors gather little light, so the camera amplifies the signal and the grain becomes visible.",
        "Photo → Denoise-Restormer-Real → SISR-HAT-4x → clean, larger photo.",
    )
    assert missing(on_topic, PRIMARY) == []


def test_a_weak_heading_word_needs_content_under_it() -> None:
    vague = f"**Task**\n\nA clean, larger photo.\n\n**How it all works**\n\nIt all works together smoothly.\n\n**Sources**\n\n{REFS}\n"
    assert missing(vague) == [2]
    sound = vague.replace("It all works together smoothly.", WORKFLOW)
    assert missing(sound) == []


# --------------------------------------------------------------------------- F3: "none fits" in other words

SCENES = [
    {"name": "Txt2Img-StableDiffusionV1-DreamShaper", "paper": ""},
    {"name": "Txt2Img-StableDiffusionV1-Deliberate", "paper": ""},
]
NO_MODEL = (
    "## 1. Task\nThe user wants every boat in the harbour photo outlined with a box.\n\n"
    "## 2. Workflow\nA box-drawing detector would take the photo and return boxes.\n\n"
    "## 3. References\n{said}\n"
)


def test_none_fits_said_in_other_words() -> None:
    c = case(SECTIONS, SCENES)
    for said in (
        "Both checkpoints draw pictures from text; none can find boats in a photo.",
        "None of them draws boxes around objects, so neither is used.",
        "None of the two text-to-image checkpoints can detect anything.",
        "The listed checkpoints cannot find objects in a photo.",
        "No model in the list does detection.",
        "Nothing in the recommended set locates objects.",
    ):
        found = [v.text for v in check(NO_MODEL.format(said=said), c, kinds="structure")]
        assert "no-recommended" not in found, said
    # twins: a "none" about something else says nothing of the models
    for said in ("None of the noise in the sky remains after cleaning.", "None of the boats are hidden by fog."):
        found = [v.text for v in check(NO_MODEL.format(said=said), c, kinds="structure")]
        assert "no-recommended" in found, said


# --------------------------------------------------------------------------- F5: bold labels in prose


def _quality(text: str, c) -> list[str]:  # type: ignore[no-untyped-def]
    return [v.message for v in check(text, c, kinds="quality")]


def test_bold_input_model_output_lines_in_prose_are_not_our_format() -> None:
    c = load_case(SEEDS["003"])
    ours = read_text(FIXTURES / "answers" / "003_grounded.md")
    head, rest = ours.split("**Model:**\n", 1)
    steps, tail = rest.split("\n\n", 1)
    prose = (
        head + "**Model:** Denoise-SwinIR-Noise15 takes the degraded photo and removes its heavy noise; "
        "HAIR then adapts its restoration to whatever degradation is left.\n\n" + tail
    )
    found = _quality(prose, c)
    assert not any("has no step" in m for m in found), found
    assert not any("gives no reason" in m for m in found), found
    # twin: our own format with its steps removed has no step
    stepless = head + tail
    assert any("The workflow has no step" in m for m in _quality(stepless, c))


# --------------------------------------------------------------------------- M6: placeholders


def _placeholders(text: str) -> list[str]:
    c = case(SECTIONS)
    return [v.text for v in check(text, c, kinds="quality") if "is a placeholder" in v.message]


BASE = f"## 1. Core Task\n\nThe user wants the noisy harbour photo cleaned and enlarged.\n\n## 2. Workflow\n\n{WORKFLOW}\n\n{{extra}}\n\n## 3. References\n\n{REFS}\n"


def test_placeholders_where_content_belongs() -> None:
    for extra, shown in (
        ("### Details\n\n*(still to be written)*\n\n### Notes\n\n*to be added*", "*to be added*"),
        ("### Module notes\n\nTBA", "TBA"),
        ("Photo → [UPSCALER NAME] → larger photo", "[UPSCALER NAME]"),
        ("[Insert the denoising settings you used]", "[Insert the denoising settings you used]"),
        ("- FIXME: cite the HAT repository", "- FIXME: cite the HAT repository"),
        ("Lorem ipsum dolor sit amet.", "Lorem ipsum dolor sit amet."),
        ("### Limits\n\n…", "…"),
    ):
        assert shown in _placeholders(BASE.format(extra=extra)), extra


def test_sound_text_that_looks_like_a_placeholder() -> None:
    for extra in (
        "The work to be done first is denoising; upscaling comes after it.",
        "BERT-style captioners prepend a [CLS] token, which is not needed here.",
        "See the [HAT repository](https://arxiv.org/abs/2205.04437) for the weights.",
        "```\n[Noisy photo] -> [Restormer] -> [HAT] -> [Final image]\nTBD\n```",
        "The output lists boxes: [x1, y1, x2, y2] ... and so on for each boat.",
        "### Example output\n\n...\n\nEach region gets a score between 0 and 1.",
        "Todo lists and planners are out of scope for this question.",
    ):
        assert _placeholders(BASE.format(extra=extra)) == [], extra


# --------------------------------------------------------------------------- M7: the prompt copied back


def _copies(text: str, instruction: str = SECTIONS) -> list[str]:
    return [v.text for v in check(text, case(instruction), kinds="quality") if "copies the prompt's instructions" in v.message]


def test_a_part_that_only_repeats_its_instruction() -> None:
    text = BASE.format(extra="### Overview\n\nDesign a high-level synaptic workflow.")
    assert _copies(text) == ["Design a high-level synaptic workflow."]
    # twin: the part answers in its own words, and may quote a short heading of the prompt
    assert _copies(BASE.format(extra="")) == []


def test_instruction_lines_pasted_before_the_answer() -> None:
    pasted = (
        "You are an AI scientist.\n\nBased on the following recommended models, explain:\n\n"
        "Use only the provided models and papers, and do not refer to outside sources.\n\n"
    )
    instruction = PRIMARY + "\nUse **only the provided models and papers**, and do not refer to outside sources.\n"
    answer = pasted + BASE.format(extra="")
    assert _copies(answer, instruction) == ["You are an AI scientist."]
    # twins: the numbered items reused as headings, the user's question quoted, one instruction
    # line quoted beside the part's own content
    reused = (
        "## 1. What task the user is trying to perform.\n\nThe user asked: \"My night photo of the harbour is noisy; "
        "can you clean it and make it larger?\" They want it cleaned and enlarged.\n\n"
        f"## 2. How the model(s) would work\n\n{WORKFLOW}\n\nBased on the following recommended models, explain: "
        f"this is what the prompt asked, and the flow above does it.\n\n## 3. Papers\n\n{REFS}\n"
    )
    assert _copies(reused, instruction) == []


def test_quality_reads_emoji_led_and_part_n_headings_as_parts() -> None:
    c = case(SECTIONS)
    for head in ("🎯 **Task**", "Part 1 — Task"):
        rest = f"\n\n{head.replace('1', '2').replace('🎯', '⚙️').replace('Task', 'Workflow')}\n\n{WORKFLOW}\n\n"
        rest += f"{head.replace('1', '3').replace('🎯', '🔗').replace('Task', 'References')}\n\n{REFS}\n"
        bare = f"{head}\n\nDenoising.{rest}"
        found = [v.message for v in check(bare, c, kinds="quality")]
        assert any(m.startswith('Part 1 (the user\'s task) says only "Denoising."') for m in found), (head, found)
        sound = f"{head}\n\nThe user wants the noisy harbour photo cleaned and made larger.{rest}"
        assert [v.message for v in check(sound, c, kinds="quality")] == [], head


# --------------------------------------------------------------------------- F2: parts led by a label


def test_parts_led_by_a_label_on_their_own_line() -> None:
    text = (
        "1) Goal: a clean, larger copy of the night photo of the harbour.\n"
        f"2) Pipeline: {WORKFLOW}\n"
        "3) Sources: Restormer https://arxiv.org/abs/2111.09881 and HAT https://arxiv.org/abs/2205.04437.\n"
    )
    assert missing(text, PRIMARY) == []
    bold = text.replace("1) Goal:", "1. **Goal.**").replace("2) Pipeline:", "2. **Pipeline.**").replace("3) Sources:", "3. **Sources.**")
    assert missing(bold, PRIMARY) == []
    # twin: labels that name no part address none
    other = text.replace("Goal:", "Photo:").replace("Sources:", "Also:").replace(" https://arxiv.org/abs/2111.09881", "").replace(" https://arxiv.org/abs/2205.04437", "")
    assert missing(other, PRIMARY) == [1, 3]


def test_an_opening_paragraph_states_the_task() -> None:
    body = f"**Workflow**\n\n{WORKFLOW}\n\n**References**\n\n{REFS}\n"
    opening = "The user took a noisy photo of the harbour at night and wants it cleaned and printed larger.\n\n"
    assert missing(opening + body) == []
    # twins: no opening, or a one-line greeting, leaves part 1 unaddressed
    assert missing(body) == [1]
    assert missing("Here is my answer.\n\n" + body) == [1]


def test_prose_labels_under_a_heading_that_names_the_flow_are_not_our_format() -> None:
    c = load_case(SEEDS["003"])
    ours = read_text(FIXTURES / "answers" / "003_grounded.md")
    head, rest = ours.split("**Model:**\n", 1)
    _, tail = rest.split("\n\n", 1)
    # an answer of its own, with the prompt's "(input → model → output)" in its heading
    prose = head.replace("## 2. How it works: input → model → output", "## 2. The models together (input → model → output)")
    prose += "**Branch A, Denoise-SwinIR-Noise15.** It removes the heavy noise from the photo.\n\n" + tail
    assert not any("has no step" in m for m in _quality(prose, c))
