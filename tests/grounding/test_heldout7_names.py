"""Credits, venues and figures in shapes a seventh held-out set of answers used, each planted
into a bundled grounded answer (seed 003: SwinIR, HAIR, DreamClear…; repository owners
JingyunLiang, toummHus, shallowdream204) and caught, each with a sound twin that must pass."""

from __future__ import annotations

import pytest

from .test_heldout_names import case, plant  # noqa: F401 -- the seed 003 case fixture and the planting helper

# --------------------------------------------------------------------------- a list of people: each judged


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("SwinIR, by Jingyun Liang and Kai Zhang, uses residual Swin blocks", ["Kai Zhang"]),
        ("HAIR comes from Jin Cao, Yi Wen and Li Liu at their lab", ["Jin Cao", "Yi Wen", "Li Liu"]),
    ],
)
def test_every_person_of_a_credited_list_is_judged(case, text: str, names: list[str]) -> None:
    assert plant(case, text, ("author",)) == [("author", n) for n in names]


@pytest.mark.parametrize(
    "text",
    [
        "SwinIR, by Jingyun Liang and the SwinIR team, uses residual Swin blocks",
        "SwinIR comes from Jingyun Liang and colleagues",
    ],
)
def test_a_grounded_person_before_other_words_passes(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- "<work name> by <person>"


def test_a_person_after_a_work_name_and_by_is_a_credit(case) -> None:
    assert plant(case, "A careful re-training of SwinIR by Kai Zhang sharpens edges", ("author",)) == [("author", "Kai Zhang")]


@pytest.mark.parametrize(
    "text",
    [
        "A careful re-training of SwinIR by Jingyun Liang sharpens edges",  # the repository's owner
        "The output of SwinIR by Lanczos Resampling is the baseline",  # a method, not a person
        "Denoised by SwinIR then refined by DreamClear",
    ],
)
def test_a_grounded_or_unpersoned_name_after_a_work_name_passes(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- user names and accounts


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The checkpoint by mv-lab is the one to use", "mv-lab"),
        ("The training code by dreamer42 ships the weights", "dreamer42"),
        ("HAIR is a fork maintained by @pixel_owl", "pixel_owl"),
        ("A merge published by the author Lemon covers the style", "Lemon"),
    ],
)
def test_a_user_name_credited_for_a_work_is_an_author(case, text: str, name: str) -> None:
    assert plant(case, text, ("author",)) == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "The training code by shallowdream204 ships the weights",  # a repository owner the input gives
        "A variant released by the user toummHus covers the weights",
        "The weights by default are stored in fp16",  # a plain word after "by"
        "The code by hand-tuning the mask is short",
        "The checkpoint by x4 upscaling is sharper",  # a scale, not a user
    ],
)
def test_a_provided_owner_or_a_plain_word_after_by_passes(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- organisations after a work


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The restoration paper by the Chinese University of Hong Kong team reports this", "Chinese University of Hong Kong"),
        ("The HAIR paper, from the University of Padova, predicts degradations", "University of Padova"),
        ("The DreamClear backbone from Tencent ARC Lab is reused", "Tencent ARC"),
    ],
)
def test_an_organisation_credited_for_a_work_is_judged(case, text: str, name: str) -> None:
    assert plant(case, text, ("author",)) == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "The SwinIR paper by Jingyun Liang's group reports this",
        "The SwinIR paper, from the ICCV 2021 workshops, reports this",
        "The DreamClear weights, from the GitHub release, are large",
    ],
)
def test_a_venue_host_or_grounded_owner_after_a_work_passes(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- "<work> from <who>", "(venue year, who)"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("A segmenter, Mask2Former from Meta, would help", "Meta"),
        ("DreamClear from Kai Zhang is the base", "Kai Zhang"),
        ("A related restorer (NeurIPS 2024, Xu et al.) is close", "Xu et al."),
    ],
)
def test_a_credit_after_a_work_name_or_a_venue_year_is_judged(case, text: str, name: str) -> None:
    assert plant(case, text, ("author",)) == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "SwinIR from Jingyun Liang is the base",
        "Convert RGB from YCbCr first",
        "Switching from SwinIR to HAIR helps",
        "SwinIR (ICCV 2021, Jingyun Liang) is the base",
        "SwinIR (ICCV 2021, Oral) is the base",  # a session, not a person
        # places and sessions are written like names: only "et al." makes people of them
        "SwinIR (ICCV 2021, Long Beach) is the base",
        "SwinIR (NeurIPS 2022, Datasets Track) is the base",
        # a file, a link or weights fetched from a place: no credit
        "Move the PNG from Google Drive into the input folder",
        "Copy the URL from Microsoft Edge and paste it",
        "Fetch the checkpoints from Google Drive as the README says",
    ],
)
def test_a_grounded_credit_or_no_credit_after_from_or_a_year_passes(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- venues by their full names


def test_a_venue_written_in_full_is_a_venue(case) -> None:
    assert plant(case, "HAIR appeared at ACM Multimedia 2024", ("venue",)) == [("venue", "ACM Multimedia 2024")]


def test_the_venue_the_input_link_gives_passes(case) -> None:
    assert plant(case, "SwinIR appeared at the ICCV 2021 workshops", ("venue",)) == []


# --------------------------------------------------------------------------- a scale grounds only a scale

from cnaps_llm.grounding import check  # noqa: E402
from cnaps_llm.models import Case, Source  # noqa: E402

HASHED = "https://proceedings.neurips.cc/paper_files/paper/2023/file/2ac2eac5098dba08208807b65c5851cc-Paper-Conference.pdf"
SCALED = Case(
    id="scaled",
    question="The game screenshot is small. Please enlarge it 4x so the menu text is readable.",
    sources=[
        Source(id="R1", role="recommended", name="SISR-QuickNet-4x", paper_url="https://arxiv.org/pdf/2101.04321"),
        Source(id="R2", role="recommended", name="SISR-ShiftSR-v3-2x", paper_url=HASHED),
    ],
)


def figures(text: str) -> list[tuple[str, str]]:
    return [(v.kind, v.text) for v in check(text, SCALED, kinds=("number",))]


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("The text mask is refined with a beam size of 4.", "beam size of 4"),  # 4 is given only as "4x"
        ("QuickNet was trained for 3 days on 2 GPUs.", "2 GPUs"),  # 2 only as "2x" (3 only as "v3")
        ("ShiftSR was trained on 5098 images.", "5098 images"),  # digits of a link's hash
    ],
)
def test_a_count_or_setting_is_not_grounded_by_a_scale_version_or_hash(text: str, figure: str) -> None:
    assert figure in [t for _, t in figures(text)]


@pytest.mark.parametrize(
    "text",
    [
        "QuickNet enlarges the screenshot 4x; ShiftSR does 2x.",
        "The image is upscaled by a factor of 4.",  # a scale written as a setting
        "Enlarge it four times, as asked.",
        "ShiftSR was presented in 2023 and upscales by 2x.",
        "Set the scale to 4 when running QuickNet.",  # the setting that is the scale
    ],
)
def test_a_scale_the_input_gives_still_grounds_a_scale(text: str) -> None:
    assert figures(text) == []


# --------------------------------------------------------------------------- counts of passes, anchors, colours


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("The mask is refined in 7 refinement passes", "7 refinement passes"),
        ("HAIR predicts 8 anchor colours per image", "8 anchor colours"),
        ("The detector places 9 anchors per cell", "9 anchors"),
    ],
)
def test_a_count_of_passes_anchors_or_colours_is_a_figure(case, text: str, figure: str) -> None:
    assert plant(case, text, ("number",)) == [("number", figure)]


@pytest.mark.parametrize(
    "text",
    [
        "The mask is refined in two passes",  # a spelled count of the answer's own design
        "The palette keeps the colours of the input",
        "The detector places anchors on every cell",
    ],
)
def test_an_unnumbered_or_spelled_count_of_passes_or_colours_passes(case, text: str) -> None:
    assert plant(case, text, ("number",)) == []


# --------------------------------------------------------------------------- a listed name's port, in lower case


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The resize uses realesrgan-ncnn-vulkan on any GPU", "realesrgan-ncnn-vulkan"),
        ("Use the stable-diffusion-webui to run it", "stable-diffusion-webui"),
        ("Run swinir-onnx on a phone", "swinir-onnx"),  # a port of a provided model is a tool of its own
    ],
)
def test_a_listed_name_joined_to_a_port_word_is_a_tool(case, text: str, name: str) -> None:
    assert plant(case, text) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    [
        "A swinir-based restorer handles the noise",
        "The swinir-style output is clean on mobile",
        "The on-device app runs the restorer",
    ],
)
def test_a_provided_name_with_a_suffix_or_a_plain_compound_passes(case, text: str) -> None:
    assert plant(case, text) == []


# --------------------------------------------------------------------------- an ordinary image's bit depth


@pytest.mark.parametrize("text", ["Save the result as an 8-bit PNG", "Keep the output in sRGB, 8-bit JPEG"])
def test_the_eight_bit_depth_of_an_ordinary_image_file_passes(case, text: str) -> None:
    assert plant(case, text, ("number",)) == []


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Save the result as a 16-bit PNG", "16-bit"),
        ("The model is quantised to 8-bit weights", "8-bit"),  # a claim about the model, not a file
        ("Frames are saved as 18-bit RGB", "18-bit"),
    ],
)
def test_another_depth_or_eight_bits_of_a_model_is_a_figure(case, text: str, figure: str) -> None:
    assert plant(case, text, ("number",)) == [("number", figure)]
