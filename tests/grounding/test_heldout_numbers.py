"""Figures in the shapes answers write them that the validator had never seen: counts
with words between, hyphenated units, units of every dimension, metrics after their
value or in a table, multipliers in words; and the sound twin of each, which passes
(a figure the sources give, a faithful rounding, a size a source's name gives, a
sample output marked as such). Values come from the question and the sources, never
from the prompt's own numbered instructions or a link's version suffix."""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.grounding.numbers import figures_in
from cnaps_llm.models import Case, Source

CASE = Case(
    id="heldout-numbers",
    question="My webcam records 640x480 clips of a workshop; make them sharper and enlarge them 2x.",
    instruction="1. Core task.\n2. Workflow: your answer must include all 3 parts below.\n3. Justify the design.",
    sources=[
        Source(
            id="R1",
            role="recommended",
            name="Upscale-Lattice-Res512",
            paper_url="https://arxiv.org/abs/2301.01234v3",
            summary="Trained on 3,450 image pairs with 16 residual blocks; it reaches 27.9 dB PSNR and 0.81 SSIM "
            "on Set14 and runs at 35 ms per frame.",
        ),
        Source(
            id="P1",
            role="related",
            name="Caption-Survey",
            paper_url="https://arxiv.org/abs/2207.05555v5",
            summary="A survey of 7 benchmarks holding 1,312,345 images and 57,648 captions.",
        ),
    ],
)


def flagged(sentence: str) -> list[str]:
    return [v.text for v in check(f"## 1. Core task\n\n{sentence}\n", CASE, kinds=["number"])]


@pytest.mark.parametrize(
    ("invented", "sound"),
    [
        # the instruction's numbering (1. 2. 3., "all 3 parts") and a link's v3 / v5 ground nothing
        ("The restorer is 3 times faster than bicubic.", "The restorer is 2 times larger than its input."),
        ("Each clip takes about 5 seconds.", "Each frame takes 35 ms per frame."),
        # counts with words between, after a scale word, of data items
        ("It learns from 9,120 curated image pairs.", "It learns from 3,450 image pairs."),
        ("It saw 2.4 million web photos.", "It saw about 1.3 million photos."),
        ("Its trunk stacks 11 residual dense blocks.", "Its trunk stacks 16 residual blocks."),
        ("It was scored on 9 public benchmarks.", "It was scored on 7 public benchmarks."),
        ("The survey lists 4,200 annotated video clips.", "The survey lists 57,648 captions."),
        # units as hyphenated adjectives
        ("It is a 152-layer backbone.", "It is a 16-block backbone."),
        ("It is a 1.5B-parameter model.", "It is a 2x model."),
        ("Frames are saved as 10-bit video.", "Frames are saved as 640x480 video."),
        ("Tiles keep a 48-pixel margin.", "Tiles keep a margin."),
    ],
)
def test_counts_and_hyphenated_units(invented: str, sound: str) -> None:
    assert flagged(invented) != []
    assert flagged(sound) == []


@pytest.mark.parametrize(
    ("invented", "figure"),
    [
        ("A batch takes about 4 minutes.", "4 minutes"),
        ("Inference needs 0.4 s on a laptop.", "0.4 s"),
        ("Print the stills at 600 dpi.", "600 dpi"),
        ("The webcam sensor has 12 megapixels.", "12 megapixels"),
        ("It grabs a 12-megapixel still.", "12-megapixel"),
        ("It tolerates a 90 degrees rotation.", "90 degrees"),
        ("It copes with scenes below 20 lux.", "20 lux"),
        ("The camera covers about 13 stops.", "13 stops"),
        ("Each pixel spans 0.2 m per pixel on the ground.", "0.2 m"),
        ("The output is a 1080p stream.", "1080p"),
        ("The output is an 8K stream.", "8K"),
    ],
)
def test_units_of_every_dimension(invented: str, figure: str) -> None:
    assert flagged(invented) == [figure]


def test_a_unit_the_sources_give_passes_and_a_decade_is_no_seconds() -> None:
    assert flagged("It runs at 35 ms per frame on 640x480 clips, a method of the 2010s.") == []


@pytest.mark.parametrize(
    ("invented", "sound"),
    [
        ("It reaches 29.4 PSNR on Set14.", "It reaches 27.9 PSNR on Set14."),
        ("It reaches 0.86 SSIM on Set14.", "It reaches 0.81 SSIM on Set14."),
        ("Detection scores 31.5 AP on COCO.", "Detection is not scored in the sources."),
        ("Panoptic quality is 44.2 PQ.", "Panoptic quality is not given."),
    ],
)
def test_a_metric_after_its_value(invented: str, sound: str) -> None:
    assert flagged(invented) != []
    assert flagged(sound) == []


def test_bare_values_under_a_header_naming_the_metric_are_figures() -> None:
    table = "| Model | PSNR (dB) | SSIM |\n|---|---|---|\n| Upscale-Lattice-Res512 | {} | {} |\n"
    assert flagged(table.format("28.6", "0.84")) == ["28.6", "0.84"]
    assert flagged(table.format("27.9", "**0.81**")) == []
    # a header naming nothing measured: its numbers are no figures
    assert flagged("| Stage | Order |\n|---|---|\n| denoise | 4 |\n") == []


@pytest.mark.parametrize(
    ("invented", "figure"),
    [
        ("It needs a quarter of the memory.", "a quarter of"),
        ("It brings a ninefold speed-up.", "ninefold"),
        ("An eightfold enlargement is possible.", "eightfold"),
        ("It mixes roughly a dozen experts.", "a dozen"),
        ("It takes a third of the time.", "a third of"),
    ],
)
def test_multipliers_and_fractions_in_words(invented: str, figure: str) -> None:
    assert flagged(invented) == [figure]


def test_a_multiplier_the_question_gives_passes() -> None:
    # "enlarge them 2x": twice, double
    assert flagged("The output is twice as wide and doubles the height.") == []
    # not figures: half-precision, an ordinal, a repetition
    assert flagged("Run it in half-precision; a third model is optional; apply it twice.") == []


@pytest.mark.parametrize(
    ("sound", "invented"),
    [
        ("The survey holds nearly 58,000 captions.", "The survey holds nearly 61,000 captions."),
        ("The survey holds about 1.3M images.", "The survey holds about 1.6M images."),
        ("The survey holds over 1.3 million images.", "The survey holds 1.3 million images."),
    ],
)
def test_a_hedged_rounding_of_a_given_value_is_grounded(sound: str, invented: str) -> None:
    assert flagged(sound) == []
    assert flagged(invented) != []


def test_a_square_size_a_source_name_gives_is_grounded() -> None:
    assert flagged("Upscale-Lattice-Res512 works on 512×512 crops.") == []
    assert flagged("Upscale-Lattice-Res512 works on 768×768 crops.") == ["768×768"]


def test_arithmetic_is_not_a_size() -> None:
    assert [f.text for f in figures_in("Chaining them gives 2 × 8 = 16x.")] == ["16x"]
    assert flagged("Chaining two passes gives 2 × 8 = 16 blocks.") == []


def test_an_index_is_not_a_count() -> None:
    assert flagged("Step 4 samples the latent and Module 6 crops the face.") == []
    assert flagged("It then draws 6 samples per frame.") == ["6 samples"]


def test_output_marked_as_a_sample_is_not_claimed() -> None:
    block = "Sample output of the logger (illustrative):\n\n```\nclip 7 | 4.1 s | conf 93%\n```\n"
    assert flagged(block) == []
    assert flagged("```\nclip 7 | 4.1 s | conf 93%\n```\n") == ["4.1 s", "93%"]
    assert flagged("Events look like {clip: 7, start: 4.1s, end: 6.0s}.") == []
    assert flagged("The event lasts 4.1s.") == ["4.1s"]
    style = "```mermaid\ngraph TD\n  A --> B\n  style A fill:#f9f,stroke-width:3px\n```\n"
    assert flagged(style) == []
    assert flagged("Borders are drawn 3px wide.") == ["3px"]
