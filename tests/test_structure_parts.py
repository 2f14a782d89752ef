"""The answer's shape against the prompt's own rules: its numbered parts, a cited link, a
recommended model used. Each planted miss has a twin that passes."""

from __future__ import annotations

import re

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.grounding.mentions import Mentions, mention_forms, one_model_is_enough
from cnaps_llm.grounding.structure import missing_parts, parts_asked
from cnaps_llm.inputs import case_from_object

PRIMARY = (
    "You are an AI scientist.\n\nBased on the following recommended models, explain:\n\n"
    "1. What task the user is trying to perform.\n"
    "2. How the model(s) would work in a CNAPS AI-like workflow (input → model → output).\n"
    "3. List relevant papers and tools (with GitHub or ArXiv links) that support your answer.\n"
)
# the bulleted variant's forms: "## 1. …" headings, then a "# 1. **…**" list, and the clause
# that makes one used model enough
SECTIONS = (
    "**Answer with ONLY the models below.**\nYou do **not** need to use every listed model, only the relevant ones.\n\n"
    "## 1. Core Task\nSay what the user wants.\n\n## 2. Synaptic Workflow\nDesign the workflow.\n\n"
    "### A. Overview\nExplain the flow.\n\n"
    "# 1. **Identify the core goal** of the request.\n# 2. **Design a synaptic workflow**:\n"
    "# 3. **Justify your design** with references to the papers and tools (include the links listed).\n"
)
BOLD_LIST = "Answer in three parts:\n1. **Goal**: the user's goal.\n2. **Pipeline**: the models in order.\n3. **Sources**: papers with links.\n"

RECOMMENDED = [
    {"name": "Deblur-MSSNet-RealBlurR", "paper": "https://arxiv.org/abs/2111.11111"},
    {"name": "SISR-DRN-L-4x", "paper": "https://arxiv.org/abs/2003.07018"},
]


def case(instruction: str, recommended=RECOMMENDED):
    return case_from_object({"id": "s", "question": "Please make my blurry photo bigger.", "instruction": instruction, "recommended": recommended}, default_id="s")


def structure(text: str, c) -> list[str]:
    return [v.text for v in check(text, c, kinds="structure")]


GOOD = """## 1. Core Task
The user wants a sharper, larger photo.

## 2. CNAPS-style Workflow
The photo goes to **Deblur-MSSNet-RealBlurR**, then to **SISR-DRN-L-4x**.

## 3. Justification
- MSSNet: https://arxiv.org/abs/2111.11111
- DRN: https://arxiv.org/abs/2003.07018
"""


# --------------------------------------------------------------------------- parts the prompt asks for


def test_parts_come_from_the_numbered_instructions_in_every_form() -> None:
    assert [(p.number, p.title) for p in parts_asked(PRIMARY)] == [
        (1, "What task the user is trying to perform."),
        (2, "How the model(s) would work in a CNAPS AI-like workflow (input → model → output)."),
        (3, "List relevant papers and tools (with GitHub or ArXiv links) that support your answer."),
    ]
    assert [(p.number, p.title) for p in parts_asked(SECTIONS)] == [
        (1, "Core Task"),
        (2, "Synaptic Workflow"),
        (3, "Justify your design with references to the papers and tools (include the links listed)."),
    ]
    assert [(p.number, p.title) for p in parts_asked(BOLD_LIST)] == [(1, "Goal: the user's goal."), (2, "Pipeline: the models in order."), (3, "Sources: papers with links.")]
    assert [p.number for p in parts_asked("")] == [1, 2, 3]  # no numbered instructions: the usual three


@pytest.mark.parametrize("instruction", [PRIMARY, SECTIONS, BOLD_LIST, ""])
def test_a_complete_answer_has_no_structure_violation(instruction: str) -> None:
    assert structure(GOOD, case(instruction)) == []


@pytest.mark.parametrize("instruction", [PRIMARY, SECTIONS, BOLD_LIST])
def test_a_missing_part_is_named_by_the_prompts_own_number(instruction: str) -> None:
    no_part_2 = GOOD[: GOOD.index("## 2.")] + GOOD[GOOD.index("## 3.") :]
    assert structure(no_part_2, case(instruction)) == ["missing:2"]


def test_headings_written_as_plain_text_count() -> None:
    plain = GOOD.replace("## 1. Core Task", "1. Core Task").replace("## 2. CNAPS-style Workflow", "2. CNAPS-style Workflow")
    plain = plain.replace("## 3. Justification", "C. Justification & References")
    assert structure(plain, case(SECTIONS)) == []
    # the twin: the same answer with its third heading gone
    assert structure(plain.replace("C. Justification & References\n", ""), case(SECTIONS)) == ["missing:3"]


def test_a_line_copied_from_the_prompt_addresses_no_part() -> None:
    echo = "**Answer with ONLY the models below.**\n\n" + GOOD[: GOOD.index("## 3.")]
    assert structure(echo, case(SECTIONS)) == ["missing:3", "no-links"]


def test_a_closing_paragraph_that_gives_reasons_addresses_the_justification_part() -> None:
    body = GOOD[: GOOD.index("## 3.")] + "\nThis design works because MSSNet removes the blur before DRN enlarges the photo.\n"
    assert missing_parts(body, SECTIONS) == []
    twin = GOOD[: GOOD.index("## 3.")] + "\nThe final photo is saved as a PNG file.\n"
    assert [p.number for p in missing_parts(twin, SECTIONS)] == [3]


def test_an_answer_cut_off_inside_its_diagram_misses_the_last_part() -> None:
    cut = GOOD[: GOOD.index("## 3.")] + "\n### B. Diagram\n```\n[Input] --> [MSSNet] --> [DRN]\n"
    assert structure(cut, case(SECTIONS)) == ["missing:3", "no-links"]


# --------------------------------------------------------------------------- links


def test_no_links_only_when_the_input_has_links() -> None:
    unlinked = GOOD.replace("https://arxiv.org/abs/2111.11111", "the MSSNet paper").replace("https://arxiv.org/abs/2003.07018", "the DRN paper")
    assert structure(unlinked, case(PRIMARY)) == ["no-links"]
    without_links = [{"name": r["name"]} for r in RECOMMENDED]
    assert structure(unlinked, case(PRIMARY, without_links)) == []


# --------------------------------------------------------------------------- recommended models


def test_the_prompt_saying_not_every_model_is_needed_is_understood() -> None:
    assert one_model_is_enough(SECTIONS)
    assert one_model_is_enough("You do **not** need to use all listed models—only those that are relevant.")
    assert not one_model_is_enough(PRIMARY)


def test_one_used_model_is_enough_when_the_prompt_says_so() -> None:
    one = GOOD.replace("then to **SISR-DRN-L-4x**", "then it is saved").replace("- DRN: https://arxiv.org/abs/2003.07018\n", "")
    assert structure(one, case(SECTIONS)) == []
    assert structure(one, case(PRIMARY)) == ["no-recommended"]  # the twin: every model is asked for
    v = [x for x in check(one, case(PRIMARY), kinds="structure")]
    assert '"SISR-DRN-L-4x"' in v[0].message and "MSSNet" not in v[0].message


def test_no_recommended_model_used_unless_the_answer_says_none_fits() -> None:
    none = (
        "## 1. Core Task\nA larger photo.\n\n## 2. Workflow\nAn outside upscaler.\n\n"
        "## 3. References\nhttps://arxiv.org/abs/2111.11111 is cited for context only.\n"
    )
    # citing a model's own link counts as using it: the twin without the link
    assert structure(none, case(SECTIONS)) == []
    unlinked = none.replace("https://arxiv.org/abs/2111.11111 is cited for context only.", "See https://example.org/x.")
    assert structure(unlinked, case(SECTIONS)) == ["no-recommended"]
    plain = unlinked.replace("An outside upscaler.", "None of the provided models fits this request.")
    assert structure(plain, case(SECTIONS)) == []


@pytest.mark.parametrize(
    ("name", "mention"),
    [
        ("Deblur-MSSNet-RealBlurR", "the MSSNet model"),
        ("Deblur-MSSNet-RealBlurR", "MSSNet-RealBlurR"),
        ("SISR-DRN-L-4x", "a DRN network"),
        ("SISR-DRN-L-4x", "DRN-L"),
        ("Txt2Img-StableDiffusionV1-4", "SD 1.4"),
        ("Txt2Img-StableDiffusionV1-4", "Stable Diffusion v1.4"),
        ("Txt2Img-StableDiffusionV1-colorful", "StableDiffusion-colorful"),
        ("Txt2Img-StableDiffusionV1-henmixReal", "the henmixReal checkpoint"),
        ("ObjDet-HuggingFace-facebook-detr-resnet-50", "detr-resnet-50"),
        ("Img2Txt-HuggingFace-Salesforce-blip-image-captioning-large", "BLIP"),
        ("PoseEstimation-OpenPose", "OpenPose"),
        ("NST-fast-neural-style-candy", "fast-neural-style"),
    ],
)
def test_a_model_is_mentioned_with_or_without_its_prefix_and_by_its_short_forms(name: str, mention: str) -> None:
    assert Mentions(f"We use {mention} here.", ())(name)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("SISR-DRN-L-4x", "A hydrant in the drone shot."),  # "drn" inside a word
        ("Classification-HuggingFace-NTQAI-pedestrian_gender_recognition", "Each pedestrian is counted."),  # a plain word
        ("Txt2Img-StableDiffusionV1-colorful", "A colorful result."),
        ("Txt2Img-StableDiffusionV1-henmixReal", "Stable Diffusion v1 is used."),  # the family, not this model
        ("Deblur-MSSNet-RealBlurR", "A deblurring network."),
    ],
)
def test_plain_words_and_family_names_are_not_mentions(name: str, text: str) -> None:
    assert not Mentions(text, ())(name)


def test_a_models_own_link_counts_as_its_mention() -> None:
    assert Mentions("See the paper.", ("arxiv:2111.11111",))("Deblur-MSSNet-RealBlurR", ("arxiv:2111.11111",))
    assert not Mentions("See the paper.", ("arxiv:2003.07018",))("Deblur-MSSNet-RealBlurR", ("arxiv:2111.11111",))


def test_short_forms_are_derived_from_the_name() -> None:
    long, short = mention_forms("Deblur-MSSNet-RealBlurR")
    assert {"mssnet", "realblurr", "mssnetrealblurr"} <= set(long) and short == ()
    assert mention_forms("SISR-DRN-L-4x")[1] == ("drn",)


def test_structure_texts_are_the_label_vocabulary() -> None:
    broken = "Some text without headings or links."
    texts = structure(broken, case(PRIMARY))
    assert texts and all(re.fullmatch(r"missing:\d+|no-links|no-recommended", t) for t in texts)


@pytest.mark.parametrize("text", [
    "None of the listed models fits this task.", "NO suitable MODELS were given.", "The provided models aren't for faces.",
    "The provided model can not help.", "Nonetheless, the models fit.", "Ano suitable tool", "The listed models are fine.",
    "The İ provided models aren't used.", "The ſuitable tool", "no Suitable tool", "Given models do not apply.",
])
def test_none_fits_read_on_the_lower_cased_answer_as_on_the_answer(text: str) -> None:
    from cnaps_llm.grounding.mentions import says_none_fits
    assert says_none_fits(text, text.lower()) == says_none_fits(text)


@pytest.mark.parametrize("text", ["", "\n", "a", "a\n", "\na", "a\n\nb c\n", "x\ny\nz"])
def test_lines_read_from_the_end_are_the_split_lines_reversed(text: str) -> None:
    from cnaps_llm.grounding.structure import _lines_from_the_end
    assert list(_lines_from_the_end(text)) == list(reversed(text.split("\n")))
