"""Names and links in shapes held-out answers use: each invented form planted into a
bundled grounded answer (seed 003: SwinIR, HAIR, DreamClear…) is caught, and its sound
twin (a generic acronym, a format variant, a library in an import line, an input link
with a pasted citation mark) passes."""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.grounding.links import canonical, find_links
from cnaps_llm.grounding.names import names_in
from cnaps_llm.inputs import load_case, read_text

from ..conftest import FIXTURES, SEEDS

ANCHOR = "here in its denoising variant"
PAPER = "http://arxiv.org/pdf/2408.08091v4.pdf"  # HAIR's paper, an input link of seed 003


@pytest.fixture(scope="module")
def case():
    return load_case(SEEDS["003"])


def plant(case, text: str, kinds: tuple[str, ...] = ("model", "url")) -> list[tuple[str, str]]:
    answer = read_text(FIXTURES / "answers" / "003_grounded.md")
    assert ANCHOR in answer
    planted = answer.replace(ANCHOR, f"{ANCHOR}. {text}", 1)
    return [(v.kind, v.text) for v in check(planted, case) if v.kind in kinds]


# --------------------------------------------------------------------------- M1: words in capitals


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Some teams prefer NAFSSR for stereo pairs", "NAFSSR"),
        ("A lighter option is PANet with fewer blocks", "PANet"),
        ("It was tuned on BSDS before release", "BSDS"),
    ],
)
def test_an_unlisted_word_in_capitals_in_prose_is_a_name(case, text: str, name: str) -> None:
    assert plant(case, text) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Export the RGB result as JPEG once the GPU is done",  # common acronyms
        "Keep the EXIF data and the ICC profile",
        "Send the HDR frame through the API",
        "[FINAL OUTPUT]",  # a diagram label in capitals
        "\n\n    subgraph MERGE\n",  # a diagram group, alone on its line
    ],
)
def test_acronyms_labels_and_headings_in_capitals_are_not_names(case, text: str) -> None:
    assert plant(case, text) == []


# --------------------------------------------------------------------------- M2: cue phrases and heads


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Phone apps such as Remini can do this too", "Remini"),
        ("Editors like Pixelmator Pro offer a similar button", "Pixelmator Pro"),
        ("It was trained on the Flickr Faces dataset", "Flickr Faces"),
        ("Scores on the Urban Street Benchmark are high", "Urban Street Benchmark"),
    ],
)
def test_capitalised_words_a_cue_marks_are_names(case, text: str, name: str) -> None:
    assert plant(case, text) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Filters such as Gaussian blur remove some noise",  # a proper adjective of a plain method
        "It was checked on a Japanese dataset",  # a language, and no article before it
        "Models such as SwinIR and HAIR do this",  # names the input gives
        "Split the data into a Training Dataset and a Test Set",
        "A Median Filter is a simple baseline",
    ],
)
def test_generic_words_after_a_cue_are_not_names(case, text: str) -> None:
    assert plant(case, text) == []


# --------------------------------------------------------------------------- M3: tools in lower case


def test_a_listed_tool_written_in_lower_case_is_a_name(case) -> None:
    assert plant(case, "Cut the video into stills with ffmpeg first") == [("model", "ffmpeg")]
    assert plant(case, "Then grade the stills in darktable") == [("model", "darktable")]
    # a plain word is still a word, a listed tool inside a path is the path's
    assert plant(case, "Then grade the stills in the dark") == []


# --------------------------------------------------------------------------- M4: devices


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("It runs well on a cloud T4", "T4"),
        ("Even a Nexus 6 phone can run it", "Nexus 6"),
        ("Shots from a Canon R6 look cleaner", "Canon R6"),
        ("The Tensor G2 chip handles it", "Tensor G2"),
        ("It was tested on an Intel Xeon box", "Xeon"),
    ],
)
def test_devices_with_one_letter_model_numbers_are_names(case, text: str, name: str) -> None:
    assert plant(case, text) == [("model", name)]


def test_numbered_diagram_nodes_of_one_letter_are_not_devices(case) -> None:
    assert plant(case, "Step T3 feeds T4 and T4 feeds T5") == []


# --------------------------------------------------------------------------- F4-F6: formats, code, files


@pytest.mark.parametrize(
    "text",
    [
        "Print with a FOGRA51 profile or GRACoL, then save a PNG-8 preview",
        "Keep a TIFF8 copy and decode NV21 frames",
        "The result is saved as street_scene_4x.png",
        "Open night_shot_02.jpg first",
    ],
)
def test_format_variants_and_snake_case_file_names_are_not_names(case, text: str) -> None:
    assert plant(case, text) == []


def test_modules_and_classes_in_import_lines_and_calls_are_not_names(case) -> None:
    code = "```python\nimport numpy, cv2\nfrom PIL import ImageOps\nfrom torchvision.models import VGGNet\nout = cv2.MedianBlur(x)\n```"
    assert plant(case, f"For example:\n\n{code}\n") == []
    # a model named in prose is still a name
    assert plant(case, "It can start from VGGNet features") == [("model", "VGGNet")]


# --------------------------------------------------------------------------- F3, M7: forms of provided names


def test_a_provided_names_parts_reordered_is_a_short_form(case) -> None:
    assert plant(case, "SwinIR-Denoise comes first") == []
    assert plant(case, "SwinIR-Deblur comes first") == [("model", "SwinIR-Deblur")]


def test_a_capital_after_a_hyphen_is_a_variant_not_a_plural() -> None:
    from cnaps_llm.grounding.index import _grounds_name, Tokens

    tokens = (Tokens.of("we compare pannet and more"),)
    assert _grounds_name(tokens, "wecomparepannetandmore", (), "PANNets")
    assert not _grounds_name(tokens, "wecomparepannetandmore", (), "PANNet-S")


# --------------------------------------------------------------------------- F1/F2, M8: links


@pytest.mark.parametrize(
    "glued",
    [
        f"{PAPER}:contentReference[oaicite:3]{{index=3}}",
        f"{PAPER}—which adapts",
        f"{PAPER}–it adapts",
        f"{PAPER}²",
        f"{PAPER}【4†L10-L22】",
        f"{PAPER}?utm_source=chatgpt.com",
    ],
)
def test_an_input_link_with_a_glued_citation_mark_is_the_input_link(case, glued: str) -> None:
    assert plant(case, f"HAIR is described at {glued} in full") == []


def test_a_glued_mark_does_not_ground_another_link(case) -> None:
    bad = "https://arxiv.org/pdf/2408.99999"
    assert plant(case, f"See {bad}:contentReference[oaicite:2]{{index=2}} too") == [("url", bad)]


def test_an_arxiv_id_after_a_space_is_a_link() -> None:
    assert [raw for _, _, raw in find_links("the follow-up is arXiv 2311.04567 now")] == ["arXiv 2311.04567"]
    assert canonical("arXiv 2311.04567") == canonical("https://arxiv.org/abs/2311.04567v2")


def test_an_arxiv_id_after_a_space_is_checked(case) -> None:
    assert plant(case, "The method is arXiv 2408.08091") == []
    assert plant(case, "The sequel is arXiv 2501.01234") == [("url", "arXiv 2501.01234")]


def test_citation_marks_standing_alone_are_not_read_as_names(case) -> None:
    assert plant(case, "HAIR adapts its weights【7†L3-L9】 per image") == []
    assert plant(case, "HAIR adapts its weights:contentReference[oaicite:5]{index=5} per image") == []


# --------------------------------------------------------------------------- M5: titles


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (f"\n\n- **Adaptive Hypernetworks for Blind Image Restoration** — {PAPER}\n", "Adaptive Hypernetworks for Blind Image Restoration"),
        ("Read ‘Routing Weights for Unknown Degradations’ first", "Routing Weights for Unknown Degradations"),
        (f"\n\n- [HAIR: weight routing for blind restoration]({PAPER})\n", "HAIR: weight routing for blind restoration"),
    ],
)
def test_titles_in_bold_single_quotes_or_sentence_case_links_are_read(case, text: str, title: str) -> None:
    assert ("model", title) in plant(case, text)


@pytest.mark.parametrize(
    "text",
    [
        f"\n\n- **Hypernetworks-based All-in-One Image Restoration** — {PAPER}\n",  # HAIR's own words
        f"\n\n1. **Model Choice for Noisy Photos:** see {PAPER}\n",  # a lead-in label
        "\n\n**Stage 2: Restoration of the Photo**\n",  # a heading in bold, no link
    ],
)
def test_bold_labels_headings_and_provided_titles_pass(case, text: str) -> None:
    assert plant(case, text) == []


# --------------------------------------------------------------------------- M8: hosts written alone


def test_a_host_written_alone_is_a_link_to_check(case) -> None:
    assert plant(case, "A demo lives at hairdemo.github.io for now") == [("url", "hairdemo.github.io")]
    assert plant(case, "Or try it at restoreit.app today") == [("url", "restoreit.app")]
    # the site of an input link, and file names with extensions, pass
    assert plant(case, "The code is on github.com, the paper on arxiv.org") == []
    assert plant(case, "Load weights.pth and run main.py") == []
