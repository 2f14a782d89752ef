"""Names and figures in shapes a fourth held-out set of answers used, each planted into a
bundled grounded answer (seed 003: SwinIR, HAIR, DreamClear…) and caught, each with a
sound twin that must pass."""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.inputs import load_case

from .test_heldout2_names import PLUS_PROMPT
from .test_heldout_names import case, plant  # noqa: F401 -- the seed 003 case fixture and the planting helper

# --------------------------------------------------------------------------- checkpoint files in lower case


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("It loads the `mosaic.pth` weights and restyles the frame in one pass", "mosaic.pth"),
        ("The release ships as udnie_v2.ckpt for the same network", "udnie_v2.ckpt"),
        ("Swap in la_muse.safetensors for a softer look", "la_muse.safetensors"),
    ],
)
def test_a_checkpoint_file_in_lower_case_is_a_name(case, text: str, name: str) -> None:
    assert plant(case, text, ("model",)) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Save your run as my_style_finetuned.ckpt when training ends",  # one's own file: generic words
        "Keep net_g_latest.pth and drop epoch10.pth afterwards",  # a generic word with a number
        "Export the graph to model.onnx for deployment",
        "Put the file at weights/mosaic.pth",  # a path's last part: not read alone
        "The repository keeps its UNet in diffusion_pytorch_model.safetensors",  # a library's own file names
        "Drop lora.safetensors and text_encoder.onnx into the same folder",
    ],
)
def test_own_checkpoints_and_paths_in_lower_case_pass(case, text: str) -> None:
    assert plant(case, text, ("model",)) == []


# --------------------------------------------------------------------------- thresholds named as settings


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("A selector keeps the better branch, with a threshold of 0.65 on the mean chroma", "threshold of 0.65"),
        ("Otsu-style thresholding at 128 separates ink from paper", "thresholding at 128"),
        ("Apply local equalisation with clip limit 3.5 to the luma channel", "clip limit 3.5"),
        ("Set the confidence threshold to 0.25 before counting people", "confidence threshold to 0.25"),
    ],
)
def test_a_threshold_named_as_one_is_a_figure(case, text: str, figure: str) -> None:
    assert plant(case, text, ("number",)) == [("number", figure)]


@pytest.mark.parametrize(
    "text",
    [
        "A selector keeps the better branch when its score is above 0.65",  # a bare comparison
        "A selector keeps the better branch above a threshold on the mean chroma",  # no value
        "Threshold 1: the saturation check runs first",  # a numbered label
        "It uses a noise level of 15, as the checkpoint's name says",  # a value the input gives
    ],
)
def test_bare_comparisons_unvalued_thresholds_and_given_values_pass(case, text: str) -> None:
    assert plant(case, text, ("number",)) == []


# --------------------------------------------------------------------------- what a checkpoint was merged from; chips


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The checkpoint was merged from Pastel Dream and Moonfilm", [("model", "Pastel Dream"), ("model", "Moonfilm")]),
        ("It is a blend of Abyss and Counterfeit, tuned for faces", [("model", "Abyss"), ("model", "Counterfeit")]),
        ("The larger model was fine-tuned from Dreamlike Photoreal on portraits", [("model", "Dreamlike Photoreal")]),
    ],
)
def test_capitalised_words_a_checkpoint_is_made_from_are_names(case, text: str, found) -> None:
    assert plant(case, text, ("model",)) == found


@pytest.mark.parametrize(
    "text",
    [
        "The result is a mix of Gaussian and Poisson noise removal",  # the words qualify a noun
        "The training set is a blend of Realistic and Anime styles",
        "It was merged from the two restoration branches",  # nothing capitalised
    ],
)
def test_words_qualifying_a_noun_after_a_mix_pass(case, text: str) -> None:
    assert plant(case, text, ("model",)) == []


@pytest.mark.parametrize(
    ("text", "chip"),
    [
        ("The light variant runs on a laptop with an M3 chip", "M3"),
        ("On a phone, the A16 chip handles it in real time", "A16"),
        ("A tablet with the M2 Ultra chip can batch them", "M2 Ultra"),
    ],
)
def test_a_chip_named_by_a_capital_and_a_number_is_a_name(case, text: str, chip: str) -> None:
    assert plant(case, text, ("model",)) == [("model", chip)]


@pytest.mark.parametrize(
    "text",
    [
        "Branch M1 feeds M2, and the M1 chip-level features are merged",  # numbered nodes
        "Any modern chip can run it on an edge SoC",  # no chip named
    ],
)
def test_numbered_nodes_and_unnamed_chips_pass(case, text: str) -> None:
    assert plant(case, text, ("model",)) == []


# --------------------------------------------------------------------------- a word in capitals opening a table cell


def test_an_unlisted_word_in_capitals_opening_a_phrase_in_a_table_cell_is_a_name(case) -> None:
    row = "\n\n| Stage | Tool |\n|---|---|\n| 4 | DRCT with its default settings |\n"
    assert plant(case, row, ("model",)) == [("model", "DRCT")]


@pytest.mark.parametrize(
    "row",
    [
        "| 4 | DRCT |",  # a cell of one word in capitals: a label
        "| MERGE | the branches meet here |",
        "| 4 | FINAL output |",  # followed by a plain word, not a phrase's joining word
    ],
)
def test_labels_in_capitals_in_table_cells_pass(case, row: str) -> None:
    assert plant(case, f"\n\n| Stage | Tool |\n|---|---|\n{row}\n", ("model",)) == []


# --------------------------------------------------------------------------- citations by number


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("Its window attention is described in detail [14], with ablations", "[14]"),
        ("For the theory behind the hypernetwork, see [12] and the appendix", "[12]"),
        ("Priors of this kind beat plain losses.[17]", "[17]"),
    ],
)
def test_a_citation_by_number_with_no_source_given_is_an_invented_source(case, text: str, mark: str) -> None:
    assert plant(case, text, ("attribution",)) == [("attribution", mark)]


@pytest.mark.parametrize(
    "text",
    [
        "Its window attention is described in detail [14], with ablations.\n\n[14] http://arxiv.org/pdf/2408.08091v4.pdf\n",
        "Its window attention is described in detail[^14].\n\n[^14]: HAIR, the input's second paper.\n",
        "\n\n```\n[1] Input → [2] Denoise → [3] Output\n```\n",  # numbered boxes of a diagram
        "Pick the weights with `ckpt[1]` in the loader",  # an index in code
    ],
)
def test_defined_citations_numbered_boxes_and_code_indices_pass(case, text: str) -> None:
    assert plant(case, text, ("attribution",)) == []


@pytest.mark.parametrize(("mark", "expected"), [("[1]", []), ("[3]", [("attribution", "[3]")])])
def test_a_bulleted_reference_list_defines_as_many_citations_as_it_has_items(tmp_path, mark: str, expected) -> None:
    prompt = tmp_path / "p.txt"
    prompt.write_text(PLUS_PROMPT, encoding="utf-8")
    answer = (
        "## Task\nSharpening smudged receipt scans.\n\n## Workflow\n"
        f"Deblur-StripNet-Plus-Receipts-v1 removes the smudge {mark}, and the page is saved.\n\n"
        "## References\n- StripNet: https://arxiv.org/pdf/2101.00001\n- GridSeg+: https://arxiv.org/pdf/2101.00002\n"
    )
    assert [(v.kind, v.text) for v in check(answer, load_case(prompt)) if v.kind == "attribution"] == expected


# --------------------------------------------------------------------------- memory in unit words, "half a" unit, "to" in a name


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("The large variant needs about six gigabytes of memory", "six gigabytes"),
        ("It fits in 7 gigabytes once quantised", "7 gigabytes"),
        ("It takes half a second per frame on a laptop", "half a second"),
        ("Each tile covers half a megapixel", "half a megapixel"),
        ("The output is a twelve megapixels print file", "twelve megapixels"),
    ],
)
def test_memory_and_sizes_in_unit_words_and_half_a_unit_are_figures(case, text: str, figure: str) -> None:
    assert plant(case, text, ("number",)) == [("number", figure)]


@pytest.mark.parametrize(
    "text",
    [
        "Cut the memory in half by tiling",  # a scale with no unit
        "On the other half a second pass refines the edges",  # "second" as an ordinal
        "It needs one gigabyte or so",  # one of a unit: no count
        "Boxes come as [x1, y1, x2, y2] in pixels",  # coordinates' placeholders, no scale
        "It fits in 15 gigabytes, the noise level of its name",  # a value the input gives
    ],
)
def test_halves_ordinals_coordinates_and_given_values_pass(case, text: str) -> None:
    assert plant(case, text, ("number",)) == []


def test_a_two_inside_a_word_grounds_no_figure(tmp_path) -> None:
    """"Txt2Img" reads "text to image": its 2 is no value the input gives, so "two
    gigabytes" is not grounded by it; a 2 the input writes as a number still grounds."""
    prompt = (
        'You are an AI scientist.\n\nA user has asked the following question:\n"Make my sketch colourful."\n\n'
        "Based on the following recommended models, explain:\n\n1. What task the user is trying to perform.\n"
        "2. How the model(s) would work in a CNAPS AI-like workflow (input → model → output).\n"
        "3. List relevant papers and tools (with GitHub or ArXiv links) that support your answer.\n\n"
        "### Recommended AI Models:\nModel: Txt2Img-StableDiffusionV1-Crayon\nPaper: None\n\n{extra}Answer:\n"
    )
    answer = "## Task\nColouring a sketch.\n\n## Workflow\nTxt2Img-StableDiffusionV1-Crayon needs about two gigabytes of memory.\n"
    for extra, expected in (("", [("number", "two gigabytes")]), ("Summary: it runs in 2 gigabytes.\n\n", [])):
        path = tmp_path / f"p{len(extra)}.txt"
        path.write_text(prompt.replace("{extra}", extra), encoding="utf-8")
        found = [(v.kind, v.text) for v in check(answer, load_case(path)) if v.kind == "number"]
        assert found == expected


# --------------------------------------------------------------------------- a product after its maker's possessive; tools in lower case


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Phones do this too: Apple's Deep Fusion merges several frames", "Deep Fusion"),
        ("Samsung’s Scene Optimizer does it on the device", "Scene Optimizer"),
        ("Label the masks by hand in labelme first", "labelme"),
    ],
)
def test_a_product_after_its_makers_possessive_and_a_lower_case_tool_are_names(case, text: str, name: str) -> None:
    assert plant(case, text, ("model",)) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Apple's Photos app does a milder version of this",  # what the word qualifies: an app
        "Google's research team studied this",  # nothing capitalised after it
        "It runs on NVIDIA's GPUs",  # a generic family
    ],
)
def test_a_makers_possessive_before_a_kind_of_thing_passes(case, text: str) -> None:
    assert plant(case, text, ("model",)) == []


# --------------------------------------------------------------------------- a sampling interval by an ordinal


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("The sampler keeps every 6th frame of the clip", "every 6th frame"),
        ("Every 20th iteration, the weights are saved", "Every 20th iteration"),
    ],
)
def test_a_sampling_interval_by_an_ordinal_is_a_figure(case, text: str, figure: str) -> None:
    assert plant(case, text, ("number",)) == [("number", figure)]


@pytest.mark.parametrize(
    "text",
    [
        "The sampler keeps every frame of the clip",  # no number
        "The sampler checks every 6th person in the queue",  # not a unit of sampling
        "The sampler keeps every 15th frame, the noise level of its name",  # a value the input gives
    ],
)
def test_unnumbered_or_given_intervals_pass(case, text: str) -> None:
    assert plant(case, text, ("number",)) == []
