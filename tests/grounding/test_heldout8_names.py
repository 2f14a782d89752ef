"""Names, figures, venues and credits in shapes an eighth held-out set of answers used, each
planted into a bundled grounded answer (seed 003: SwinIR, HAIR, DreamClear…; repository owners
JingyunLiang, toummHus, shallowdream204; "one million" images, "three stages", "five"
restoration tasks) and caught, each with a sound twin that must pass."""

from __future__ import annotations

import pytest

from .test_heldout_names import case, plant  # noqa: F401 -- the seed 003 case fixture and the planting helper

# --------------------------------------------------------------------------- a listed name with a task's short form


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Quality is then judged with CLIP-IQA on each output", "CLIP-IQA"),
        ("A question about the photo goes to BLIP-VQA first", "BLIP-VQA"),
    ],
)
def test_a_listed_name_joined_to_a_task_acronym_is_a_name(case, text: str, name: str) -> None:
    assert plant(case, text) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    [
        "The DENOISE-FIRST branch runs before the rest",  # a section label in capitals
        "Then the OCR-READY crop is passed on",
    ],
)
def test_a_label_in_capitals_with_a_task_word_is_no_name(case, text: str) -> None:
    assert plant(case, text) == []


# --------------------------------------------------------------------------- tensor layouts


@pytest.mark.parametrize("text", ["Feed the frames as an NCHW tensor to the restorer", "Keep the array in HWC order, then save it"])
def test_a_tensor_layout_is_no_name(case, text: str) -> None:
    assert plant(case, text) == []


def test_an_unlisted_word_in_capitals_beside_a_layout_is_still_a_name(case) -> None:
    assert plant(case, "Feed the NCHW tensor to NAFSR afterwards") == [("model", "NAFSR")]


# --------------------------------------------------------------------------- bit depth per channel


@pytest.mark.parametrize("text", ["The output is an RGB image, 8-bit per channel", "Pixels stay 8-bit per colour until saved"])
def test_eight_bits_per_channel_is_an_ordinary_image(case, text: str) -> None:
    assert plant(case, text, ("number",)) == []


def test_another_depth_per_channel_is_a_figure(case) -> None:
    assert plant(case, "The output is an RGB image, 12-bit per channel", ("number",)) == [("number", "12-bit")]


# --------------------------------------------------------------------------- a range or choice in words


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("DreamClear samples for between 10 and 40 denoising steps", "between 10 and 40 denoising steps"),
        ("HAIR can be trained on 1 or 8 GPUs", "1 or 8 GPUs"),
    ],
)
def test_both_ends_of_a_range_in_words_are_a_figure(case, text: str, figure: str) -> None:
    assert plant(case, text, ("number",)) == [("number", figure)]


def test_a_range_in_words_whose_ends_the_input_gives_passes(case) -> None:
    # "three stages" and "five representative restoration tasks" are in the sources
    assert plant(case, "A pipeline like this runs between three and five stages", ("number",)) == []
    assert plant(case, "The Dual Transformers cover between 3 and 5 restoration tasks", ("number",)) == []


# --------------------------------------------------------------------------- a venue glued to its year


def test_a_venue_glued_to_a_year_is_a_venue_not_a_model(case) -> None:
    assert plant(case, "HAIR was presented at CVPR2024 as a poster", ("model", "venue")) == [("venue", "CVPR2024")]


def test_a_glued_venue_the_input_link_gives_passes(case) -> None:
    assert plant(case, "SwinIR was presented at ICCVW2021 in the AIM track", ("model", "venue")) == []
    assert plant(case, "SwinIR was presented at ICCV2021 workshops", ("model", "venue")) == []


# --------------------------------------------------------------------------- surnames before "et al." and after "is by"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("DreamClear (Ai, Zhou, Wang et al.) curates its own data", "Ai, Zhou, Wang et al."),
        ("HAIR is by Cao, Wen and Liu at their lab", "Cao, Wen and Liu"),
    ],
)
def test_a_list_of_surnames_credited_is_judged_whole(case, text: str, name: str) -> None:
    assert plant(case, text, ("author",)) == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "The base is SwinIR (SwinIR, HAIR, Liang et al.) for the noise",  # model names before a grounded surname
        "HAIR is by far the lightest of them",
        "SwinIR is by Jingyun Liang, the repository's owner",
        "The restorer is by design a plug-in",
    ],
)
def test_model_names_plain_words_or_a_grounded_person_after_is_by_pass(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- a member after "published on <site> by"


def test_a_member_credited_after_a_dated_verb_is_an_author(case) -> None:
    assert plant(case, "DreamClear was uploaded to Hugging Face by the user clearfan", ("author",)) == [("author", "clearfan")]


def test_the_owner_the_input_gives_after_a_dated_verb_passes(case) -> None:
    assert plant(case, "DreamClear was uploaded to GitHub by the user shallowdream204", ("author",)) == []


# --------------------------------------------------------------------------- a work named before "repo", "library"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The denoiser follows the Deep Image Prior repo closely", "Deep Image Prior"),
        ("Masks are drawn with the Label Forge library first", "Label Forge"),
    ],
)
def test_capitalised_words_before_a_repository_or_library_are_a_name(case, text: str, name: str) -> None:
    assert plant(case, text) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    ["The code is in the GitHub repository above", "Load it with the Hugging Face library", "See the official repository of HAIR"],
)
def test_a_host_or_plain_words_before_a_repository_pass(case, text: str) -> None:
    assert plant(case, text) == []


# --------------------------------------------------------------------------- annotation formats and conversions


@pytest.mark.parametrize(
    "text",
    [
        "Write the detections as COCO-format JSON",
        "Store the boxes in YOLO format, one file per image",
        "A PNG-to-WebP step shrinks the files",
        "Run the RGB-to-YCbCr conversion first",
    ],
)
def test_an_annotation_format_or_a_format_conversion_is_no_name(case, text: str) -> None:
    assert plant(case, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [("HAIR was evaluated on COCO before release", "COCO"), ("A SwinIR-to-NAFSR hand-off follows", "SwinIR-to-NAFSR")],
)
def test_a_dataset_or_a_name_on_one_side_of_a_conversion_is_still_a_name(case, text: str, name: str) -> None:
    assert plant(case, text) == [("model", name)]


# --------------------------------------------------------------------------- the channels of an ordinary image


@pytest.mark.parametrize(
    "text",
    ["Both paths read the same 3-channel RGB photo", "The input has 3 channels (RGB) only", "The matte is a 1-channel grayscale mask"],
)
def test_the_channels_an_ordinary_image_has_are_no_figure(case, text: str) -> None:
    assert plant(case, text, ("number",)) == []


@pytest.mark.parametrize(
    ("text", "figure"),
    [("HAIR reads a 6-channel input of image and prior", "6-channel"), ("The first layer has 7 channels per group", "7 channels")],
)
def test_other_channel_counts_are_figures(case, text: str, figure: str) -> None:
    assert plant(case, text, ("number",)) == [("number", figure)]


# --------------------------------------------------------------------------- data types, symbols divided, settings held


@pytest.mark.parametrize("text", ["Keep the weights in bfloat16 and the pixels as uint8", "The output is a float32 array"])
def test_a_data_type_is_no_name(case, text: str) -> None:
    assert plant(case, text) == []


@pytest.mark.parametrize("text", ["The encoder halves the map to H/2 × W/2 twice", "A bottleneck of C/4 channels follows"])
def test_a_symbol_divided_is_no_figure(case, text: str) -> None:
    assert plant(case, text, ("number",)) == []


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Renders are repeatable with the seed fixed at 20251", "seed fixed at 20251"),
        ("The guidance scale is kept at 6.5 for every prompt", "guidance scale is kept at 6.5"),
        ("A hires pass with an upscale of 1.75 sharpens faces", "upscale of 1.75"),
    ],
)
def test_a_setting_fixed_or_kept_at_a_value_is_a_figure(case, text: str, figure: str) -> None:
    assert plant(case, text, ("number",)) == [("number", figure)]


@pytest.mark.parametrize("text", ["The seed is fixed so runs repeat", "An upscale of the crop follows", "The seed is held at one value"])
def test_a_setting_with_no_value_passes(case, text: str) -> None:
    assert plant(case, text, ("number",)) == []


def test_an_aperture_after_a_lower_case_f_is_still_a_figure(case) -> None:
    assert plant(case, "Shoot at f/2.8 or wider", ("number",)) == [("number", "f/2.8")]
