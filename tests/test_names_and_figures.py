"""Names and figures as real answers write them: each form planted into a bundled grounded
answer is caught, and its harmless twin (a short form of a provided name, a colour space,
a count the input gives…) passes."""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.grounding.index import name_parts, short_form
from cnaps_llm.grounding.names import names_in
from cnaps_llm.grounding.numbers import figures_in
from cnaps_llm.inputs import load_case, read_text

from .conftest import FIXTURES, SEEDS

GROUNDED = {n: FIXTURES / "answers" / f"{n}_grounded.md" for n in SEEDS}
# where text is planted in each grounded answer: after a sentence of part 2
AFTER = {
    "000": "reached an accuracy of over 99%",
    "003": "here in its denoising variant",
    "004": "it is not designed to remove grain.",
}


@pytest.fixture(scope="module")
def cases():
    return {n: load_case(p) for n, p in SEEDS.items()}


def plant(cases, seed: str, text: str) -> list[tuple[str, str]]:
    answer = read_text(GROUNDED[seed])
    anchor = AFTER[seed]
    assert anchor in answer
    # names and figures only: a planted "It was trained on …" is also a claim about the source
    # the sentence before names, which the claim kind's own tests judge
    planted = check(answer.replace(anchor, f"{anchor}. {text}", 1), cases[seed])
    return [(v.kind, v.text) for v in planted if v.kind != "claim"]


# --------------------------------------------------------------------------- names: tools, metrics, devices


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("It would run on an H100", "H100"),
        ("It runs at interactive rates on an RTX 4090", "RTX 4090"),
        ("The result can be touched up in Photoshop", "Photoshop"),
        ("Apps like Lensa do this on a phone", "Lensa"),
        ("The Pixel 8 does this on the phone", "Pixel 8"),
        ("Quality can be judged with NIQE", "NIQE"),
        ("Quality can be judged with LPIPS", "LPIPS"),
        ("Quality can be judged with FID", "FID"),
        ("Resize the result with Lanczos", "Lanczos"),
        ("Faces are cropped with RetinaFace first", "RetinaFace"),  # "faces are found" also claims face detection
    ],
)
def test_tools_metrics_and_devices_the_input_lacks_are_names(cases, text: str, name: str) -> None:
    assert plant(cases, "003", text) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    [
        "The image is converted to YCbCr and back to RGB",  # colour spaces
        "It works in Lab or HSV as well",
        "Save it as PNG, not as JPEG",  # file formats
        "Non-JPEG inputs are fine",
        "It needs a GPU",  # a generic device
        "The Swin Transformer inside SwinIR",  # a name the input gives
    ],
)
def test_colour_spaces_formats_and_generic_devices_are_not_names(cases, text: str) -> None:
    assert plant(cases, "003", text) == []


def test_a_metric_the_input_gives_is_grounded(cases) -> None:
    # seed 000's P2 reports an average SSIM; PSNR it never names
    assert plant(cases, "000", "SSIM tells how close it is") == []
    assert plant(cases, "000", "PSNR tells how close it is") == [("model", "PSNR")]


# --------------------------------------------------------------------------- names: written out in words


def test_an_expansion_the_input_does_not_give_is_a_name(cases) -> None:
    # P1 spells HAIR out as "Hypernetworks-based All-in-One Image Restoration"
    assert plant(cases, "003", "HAIR (Hypernetworks-based All-in-One Image Restoration) adapts") == []
    assert plant(cases, "003", "HAIR (Hierarchical Attention Image Restoration) adapts") == [
        ("model", "Hierarchical Attention Image Restoration")
    ]


def test_a_lower_case_expansion_near_its_short_name_is_a_name(cases) -> None:
    # R1 is Deblur-MIMO-UNet-RealBlur; the input never spells MIMO out
    assert plant(cases, "004", "MIMO-UNet uses one network at several scales") == []
    assert plant(cases, "004", "MIMO-UNet uses a multi-input multi-output design") == [("model", "multi-input multi-output")]


def test_capitalised_words_ending_in_a_head_noun_are_a_name(cases) -> None:
    assert plant(cases, "003", "Unlike a Residual Channel Attention Network, it uses windows") == [
        ("model", "Residual Channel Attention Network")
    ]
    # "Diffusion Transformer" is P3's; "Generative Adversarial Network" is a family
    assert plant(cases, "003", "Unlike a Diffusion Transformer or a Generative Adversarial Network, it uses windows") == []


def test_an_acronym_beside_its_expansion_is_read_with_it(cases) -> None:
    v = plant(cases, "003", "TTVSR (Learning Trajectory-Aware Transformer for Image Restoration) is another")
    assert v == [("model", "TTVSR"), ("model", "Learning Trajectory-Aware Transformer for Image Restoration")]
    # a role in brackets is neither a name nor a title
    assert plant(cases, "003", "SwinIR (Structure Path) comes first") == []


def test_titles_as_link_text_and_in_quotes(cases) -> None:
    link = "https://github.com/JingyunLiang/SwinIR"
    assert plant(cases, "003", f"See [Deep Residual Learning for Image Recognition]({link})") == [
        ("model", "Deep Residual Learning for Image Recognition")
    ]
    # a provided title is a grounded name; linked to another source's code, it is misattributed
    assert plant(cases, "003", f"See [HAIR: Hypernetworks-based All-in-One Image Restoration]({link})") == [("attribution", link)]
    assert plant(cases, "003", f"See [the SwinIR code]({link})") == []  # link text that names the link
    assert plant(cases, "003", 'The paper "Learning Deep Priors for Image Restoration with Diffusion" helps') == [
        ("model", "Learning Deep Priors for Image Restoration with Diffusion")
    ]
    assert plant(cases, "003", 'The paper "Learning Dual Transformers for All-In-One Image Restoration" helps') == []


# --------------------------------------------------------------------------- names: short forms


@pytest.mark.parametrize("short", ["MIMO-UNet", "Deblur-MIMO-UNet", "MIMO-UNet-RealBlur", "MIMO-UNet-RB", "MIMO"])
def test_short_forms_of_a_provided_name_are_grounded(cases, short: str) -> None:
    assert plant(cases, "004", f"{short} would sharpen it") == []


@pytest.mark.parametrize("other", ["MIMO-UNet-GoPro", "MIMO-UNet-Large", "UNet-RealBlur-v2"])
def test_a_part_the_provided_name_lacks_is_not_a_short_form(cases, other: str) -> None:
    assert [k for k, _ in plant(cases, "004", f"{other} would sharpen it")] == ["model"]


@pytest.mark.parametrize(
    ("short", "provided"),
    [
        ("SD1", "Txt2Img-StableDiffusionV1-4"),
        ("Txt2Img-SD1-CyberReal", "Txt2Img-StableDiffusionV1-CyberRealistic"),
        ("ViLT-VQA", "ImgTxt2Txt-HuggingFace-dandelin-vilt-b32-finetuned-vqa"),
        ("Img2Txt-BLIP", "Img2Txt-HuggingFace-Salesforce-blip-image-captioning-large"),
        ("HF-BLIP", "Img2Txt-HuggingFace-Salesforce-blip-image-captioning-large"),
        ("MSSNet", "Deblur-MSSNet-L-GoPro"),
        ("detr-resnet-50", "ObjDet-HuggingFace-facebook-detr-resnet-50"),
    ],
)
def test_short_form_rules(short: str, provided: str) -> None:
    assert short_form(name_parts(short), name_parts(provided))


@pytest.mark.parametrize(
    ("other", "provided"),
    [
        ("SDXL", "Txt2Img-StableDiffusionV1-4"),
        ("SD2", "Txt2Img-StableDiffusionV1-4"),
        ("ViLT-NLVR", "ImgTxt2Txt-HuggingFace-dandelin-vilt-b32-finetuned-vqa"),
        ("detr-resnet-101", "ObjDet-HuggingFace-facebook-detr-resnet-50"),
    ],
)
def test_short_form_rules_refuse_what_the_name_lacks(other: str, provided: str) -> None:
    assert not short_form(name_parts(other), name_parts(provided))


# --------------------------------------------------------------------------- names: tokens of code and diagrams


def test_tokens_of_code_and_diagrams_are_not_names(cases) -> None:
    diagram = (
        "\n\n```\nA[Input] --> O1[Output: Mask]\nC1 --> O3[Output: frame_1.png, frame_2.png]\n"
        "[PATH 1: DEBLUR-FIRST] then [POST-PROCESSING]\nPersonCount (integer)\nIF PersonCount > 0\n"
        "DetailMap = Output B - Output A\nFinal = Output A + DetailMap\nM1.label, [[x1,y1,conf1], [x2,y2,conf2]]\n"
        "Saved as cropped_person_1.jpg and enlarged_frame_2\n```\n"
    )
    assert plant(cases, "003", diagram) == []
    # a name in a diagram is still a name
    assert plant(cases, "003", "\n\n```\nA[Input] --> B[Real-ESRGAN]\n```\n") == [("model", "Real-ESRGAN")]


def test_names_in_reads_families_versions_and_written_out_names() -> None:
    found = [n for _, n in names_in("An RTX 4090, Pixel values, Stable Diffusion v1.5, the Holistic Attention Network.")]
    assert found == ["RTX 4090", "Stable Diffusion v1.5", "Holistic Attention Network"]


# --------------------------------------------------------------------------- figures


@pytest.mark.parametrize(
    "fig",
    [
        "half a million images",
        "five hundred thousand images",
        "ten times smaller",
        "tenfold",
        "seven decibels",
        "50 denoising steps",
        "12 attention heads",
        "60 fps",
        "120 fps",
        "16x16",  # a size: the 16 of VGG16 does not ground it
        "16x16px",
    ],
)
def test_figures_the_input_lacks_are_violations(cases, fig: str) -> None:
    text = f"It reaches {fig} here" if fig != "tenfold" else "It gives a tenfold speed-up here"
    assert plant(cases, "000", text) == [("number", fig)]


@pytest.mark.parametrize(
    ("text", "fig"),
    [
        ("It improves accuracy by seven per cent", "seven per cent"),
        ("It gains seven percentage points of mAP", "seven percentage points"),
        ("It is seven points better than the baseline", "seven points"),
        ("It gains seven points of accuracy", "seven points"),
        ("It scores seven points higher than before", "seven points"),
    ],
)
def test_spelled_percentages_and_points_of_a_score_are_figures(cases, text: str, fig: str) -> None:
    assert plant(cases, "000", text) == [("number", fig)]


@pytest.mark.parametrize(
    "text",
    [
        "There are seven points to note here",  # points of an argument
        "It works at seven points in the pipeline",  # places
        "It is three points better than the baseline",  # three: "three classical image restoration tasks"
    ],
)
def test_points_that_are_no_score_or_the_input_gives_pass(cases, text: str) -> None:
    assert plant(cases, "000", text) == []


def test_a_count_of_gpus_is_a_figure_and_the_gpu_a_name(cases) -> None:
    assert plant(cases, "000", "It was trained on four V100s") == [("number", "four V100s"), ("model", "V100s")]


@pytest.mark.parametrize(
    "text",
    [
        "It was tested on six image datasets",  # P3: "six popular image datasets"
        "It was tested on 6 datasets",
        "Noise is removed from 16 channels",  # 16 from VGG16, compared as a number
        "It reaches 99% accuracy",
        "It is shown at 1x and at x16",  # 1x is the original size
        'Example: "There are 12 products, 4 pairs of trousers"',  # an example output
        '\n\n```json\n{"score": 0.92, "bbox": [120, 45, 80, 120]}\n```\n',  # a JSON example
        "It is three times smaller",  # three from "three classical image restoration tasks"
    ],
)
def test_counts_the_input_gives_and_examples_pass(cases, text: str) -> None:
    assert plant(cases, "000", text) == []


def test_one_million_spelled_or_not_is_grounded_by_one_million(cases) -> None:
    # seed 003: "a large-scale dataset of one million high-quality images"
    assert plant(cases, "003", "It was trained on a million images") == []
    assert plant(cases, "003", "It was trained on 1,000,000 images") == []
    assert plant(cases, "003", "It was trained on half a million images") == [("number", "half a million images")]


def test_figures_in_reads_each_form_whole() -> None:
    got = [(f.text, f.values, f.kind) for f in figures_in("a 256x256px crop, four V100s, a tenfold gain, 400% and x4")]
    assert got == [
        ("256x256px", (256.0, 256.0), "size"),
        ("four V100s", (4.0,), "value"),
        ("tenfold", (10.0,), "scale"),
        ("400%", (400.0,), "percent"),
        ("x4", (4.0,), "scale"),
    ]


def test_spelled_figures_led_by_a_capital_where_a_sentence_or_line_starts() -> None:
    text = "Done. Five hundred thousand images were used.\n- Four V100s ran it.\n**Three decibels** better."
    got = [(f.text, f.values) for f in figures_in(text)]
    assert got == [("Five hundred thousand images", (500000.0,)), ("Four V100s", (4.0,)), ("Three decibels", (3.0,))]


def test_a_long_rule_of_marks_before_a_line_is_read_in_linear_time() -> None:
    # list marks before a capitalised run are taken whole: no re-splitting of "-----…"
    text = ("\n" + "-*" * 2000 + " Five words\n") * 20
    assert list(figures_in(text)) == []


def test_spelled_runs_after_marks_and_within_a_run_are_read_once() -> None:
    # a run's lead is taken by the run before it ("one two three layers" is one run);
    # a capitalised run after marks with no space ("\n1.Two", ". **Six") is still read
    text = "then one two three layers.\n1.Two heads and. **Six steps**, a twofold gain, tensor ten often"
    got = [(f.offset, f.text, f.values, f.kind) for f in figures_in(text)]
    assert got == [
        (5, "one two three layers", (6.0,), "value"),
        (29, "Two heads", (2.0,), "value"),
        (46, "Six steps", (6.0,), "value"),
        (61, "twofold", (2.0,), "scale"),
    ]


def test_units_after_a_character_outside_ascii_are_read() -> None:
    # the next-character test passes every non-ASCII character on to the unit patterns
    got = [(f.text, f.values, f.kind) for f in figures_in("4\u00a0GB, 8\u2009ms, 3\u00d7 and 2, 5.")]
    assert got == [("4\u00a0GB", (4.0,), "value"), ("8\u2009ms", (8.0,), "value"), ("3\u00d7", (3.0,), "scale")]


def test_digit_leads_are_the_first_bytes_of_every_decimal_digit_outside_ascii() -> None:
    from cnaps_llm.grounding import numbers

    leads = {chr(c).encode("utf-8")[:1] for c in range(128, 0x110000) if chr(c).isdecimal()}
    assert set(numbers._DIGIT_LEADS) == leads
    assert [f.text for f in figures_in("\u0663\u0665 images and 12 ms \u2014 ok")] == ["\u0663\u0665 images", "12 ms"]
