"""Names and links in shapes a second held-out set of answers used: checkpoint files offered
as downloads, variants of a provided name (a size letter, a plus), a site named by its
acronym; each planted into a bundled grounded answer (seed 003: SwinIR, HAIR, DreamClear…)
or into a small prompt of its own, each with a sound twin that must pass."""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.inputs import load_case

from .test_heldout_names import case, plant  # noqa: F401 -- the seed 003 case fixture and the planting helper

# a prompt of the primary format whose one model is written with "Plus" and one with a "+"
PLUS_PROMPT = """You are an AI scientist.

A user has asked the following question:
"My scans of old receipts are smudged. Which model can sharpen them?"

Based on the following recommended models, explain:

1. What task the user is trying to perform.
2. How the model(s) would work in a CNAPS AI-like workflow (input → model → output).
3. List relevant papers and tools (with GitHub or ArXiv links) that support your answer.

### Recommended AI Models:
Model: Deblur-StripNet-Plus-Receipts-v1
Paper: https://arxiv.org/pdf/2101.00001

Model: Segmenter-GridSeg+
Paper: https://arxiv.org/pdf/2101.00002

Answer:
"""


@pytest.fixture(scope="module")
def plus_case(tmp_path_factory):
    path = tmp_path_factory.mktemp("plus") / "prompt.txt"
    path.write_text(PLUS_PROMPT, encoding="utf-8")
    return load_case(path)


def names(case, answer: str) -> list[str]:
    return [v.text for v in check(answer, case) if v.kind == "model"]


# --------------------------------------------------------------------------- W: checkpoint files


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Fetch `HAIR_allweather_v2.ckpt` from the release page first", "HAIR_allweather_v2.ckpt"),
        ("The authors ship DreamClear-Large.safetensors for this", "DreamClear-Large.safetensors"),
        ("then load RealESRNet_x2.pth before the second pass", "RealESRNet_x2.pth"),
    ],
)
def test_a_checkpoint_file_named_in_prose_is_a_name(case, text: str, name: str) -> None:
    assert plant(case, text) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Save your own fine-tuned weights as model_best.pth",  # no part of the stem is a name
        "Keep checkpoint.ckpt next to the config",
        "Write the result to SwinIR.pdf for the report",  # another file type: its stem is judged
        "\n\n```python\nnet.load_state_dict(torch.load('HAIR_allweather_v2.ckpt'))\n```\n",  # code's own example
    ],
)
def test_generic_checkpoints_other_files_and_code_examples_pass(case, text: str) -> None:
    assert plant(case, text) == []


# --------------------------------------------------------------------------- V: variants of a provided name


def test_a_size_letter_after_a_provided_name_is_a_variant(case) -> None:
    assert plant(case, "A smaller DreamClear-S would fit a laptop") == [("model", "DreamClear-S")]


def test_a_plural_in_lower_case_after_a_hyphen_is_still_a_plural(case) -> None:
    assert plant(case, "Both HAIR-s share one classifier") == []


@pytest.mark.parametrize(
    ("answer", "flagged"),
    [
        ("Run StripNet++ on each scan.", ["StripNet++"]),  # the input has StripNet-Plus, not two pluses
        ("Run GridSeg++ to find the text lines.", ["GridSeg++"]),
        ("Run StripNet+ on each scan.", []),  # "Plus" written as a plus
        ("Run GridSeg+ to find the text lines.", []),  # as the input writes it
        ("Run StripNet on each scan, then C++ code glues the steps.", []),  # a language, not a variant
    ],
)
def test_a_plus_variant_is_grounded_only_as_the_input_writes_it(plus_case, answer: str, flagged: list[str]) -> None:
    assert names(plus_case, answer) == flagged


# --------------------------------------------------------------------------- C: a site by its host


def test_a_site_named_by_the_end_of_an_input_hosts_name_is_grounded(case) -> None:
    # seed 003 links SwinIR's paper on openaccess.thecvf.com
    assert plant(case, "The SwinIR paper is hosted on the CVF open-access site") == []


def test_an_acronym_no_input_host_ends_with_is_still_a_name(case) -> None:
    assert plant(case, "The SwinIR paper is mirrored on the PQRV site") == [("model", "PQRV")]


# --------------------------------------------------------------------------- V: a version after a name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Most people grab Juniper v7 for portraits", "Juniper v7"),  # an unlisted word with a version
        ("The HAIR v2.1 release adds a rain head", "HAIR v2.1"),  # a provided name, a version the input lacks
    ],
)
def test_a_version_after_a_name_is_part_of_it(case, text: str, name: str) -> None:
    assert plant(case, text) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Step v1 cleans the frame and Stage v2 sharpens it",  # plain words numbered
        "Keep the Config v3 file with the outputs",
        "In v2 of this plan the merge moves earlier",
    ],
)
def test_a_version_after_a_plain_word_is_not_a_name(case, text: str) -> None:
    assert plant(case, text) == []


@pytest.mark.parametrize("version", ["v1", "V1", "v1.0"])
def test_a_version_the_input_gives_is_grounded(plus_case, version: str) -> None:
    assert names(plus_case, f"Run StripNet {version} on the receipts, with the arXiv 2101.00001 paper as reference.") == []


# --------------------------------------------------------------------------- U: a host alone


def test_a_university_host_written_alone_is_a_link_to_check(case) -> None:
    assert plant(case, "The rain set lives on vision.cs.example.edu for download") == [("url", "vision.cs.example.edu")]


def test_an_input_links_host_written_alone_is_its_site(case) -> None:
    assert plant(case, "The SwinIR paper is on openaccess.thecvf.com as a PDF") == []


# --------------------------------------------------------------------------- a size variant after a cue


def test_a_capitalised_word_with_a_size_letter_after_a_cue_is_a_name(case) -> None:
    assert plant(case, "Lighter options such as Kestrel-S or Heron-XL exist") == [("model", "Kestrel-S"), ("model", "Heron-XL")]


@pytest.mark.parametrize(
    "text",
    [
        "Diagram paths such as Path-A or Branch-B merge later",  # plain words lettered
        "Designs like Multi-Scale or Real-Time ones trade speed",  # a prefix, plain parts
    ],
)
def test_lettered_plain_words_after_a_cue_are_not_names(case, text: str) -> None:
    assert plant(case, text) == []


# --------------------------------------------------------------------------- attribution through a note

HAIR_PAPER = "http://arxiv.org/pdf/2408.08091v4.pdf"  # seed 003: HAIR's paper


def attributed(case, answer: str) -> list[str]:
    return [v.text for v in check(answer, case) if v.kind == "attribution"]


@pytest.mark.parametrize(
    "answer",
    [
        f"DreamClear curates its own training pairs[^3].\n\n[^3]: {HAIR_PAPER}",
        f"DreamClear curates its own training pairs [3].\n\n[3] {HAIR_PAPER}",
    ],
)
def test_a_notes_link_is_attached_to_the_sentences_citing_it(case, answer: str) -> None:
    assert attributed(case, answer) == [HAIR_PAPER]


@pytest.mark.parametrize(
    "answer",
    [
        f"HAIR picks weights per image[^3].\n\n[^3]: {HAIR_PAPER}",  # its own paper
        f"The router picks weights per image [3].\n\n[3] {HAIR_PAPER}",  # no source named where it is cited
        f"Both HAIR and DreamClear adapt to the input[^3].\n\n[^3]: {HAIR_PAPER}",  # cited beside its owner
    ],
)
def test_a_notes_link_cited_for_its_own_source_or_none_passes(case, answer: str) -> None:
    assert attributed(case, answer) == []


# --------------------------------------------------------------------------- a word in capitals ending a sentence


def test_an_unlisted_word_in_capitals_ending_a_sentence_is_a_name(case) -> None:
    assert plant(case, "For contrast, finish with QTPRM.") == [("model", "QTPRM")]


@pytest.mark.parametrize(
    "text",
    [
        "The branches meet again at MERGE.",  # a diagram word
        "Every path ends in OUTPUT.",
        "Then save it as a TIFF.",  # a format
        "Raise CFG a little when colours fade.",  # a generation setting
    ],
)
def test_diagram_words_formats_and_settings_in_capitals_pass(case, text: str) -> None:
    assert plant(case, text) == []


# --------------------------------------------------------------------------- a link's text that is another link

DREAMCLEAR_PAPER = "http://arxiv.org/pdf/2410.18666v2.pdf"  # seed 003: DreamClear's paper


@pytest.mark.parametrize(
    ("answer", "target"),
    [
        (f"The router is explained in [arXiv:2408.08091]({DREAMCLEAR_PAPER}).", DREAMCLEAR_PAPER),
        ("Source: [github.com/toummHus/HAIR](https://github.com/shallowdream204/DreamClear)", "https://github.com/shallowdream204/DreamClear"),
    ],
)
def test_a_link_whose_text_is_another_sources_link_is_misattributed(case, answer: str, target: str) -> None:
    assert attributed(case, answer) == [target]


@pytest.mark.parametrize(
    "answer",
    [
        f"The router is explained in [arxiv.org/abs/2408.08091]({HAIR_PAPER}).",  # the same paper, another form
        f"The curation is explained in [the preprint]({DREAMCLEAR_PAPER}).",  # plain words
    ],
)
def test_a_link_whose_text_is_the_same_link_or_plain_words_passes(case, answer: str) -> None:
    assert attributed(case, answer) == []


@pytest.mark.parametrize(
    ("answer", "flagged"),
    [
        ("Run StripNet-P on each scan.", []),  # the letter starts the provided name's next part (Plus)
        ("Run StripNet-X on each scan.", ["StripNet-X"]),  # no part after StripNet starts with X
    ],
)
def test_a_size_letter_may_abbreviate_the_next_part_of_a_provided_name(plus_case, answer: str, flagged: list[str]) -> None:
    assert names(plus_case, answer) == flagged
