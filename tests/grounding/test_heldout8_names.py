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
