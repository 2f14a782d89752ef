"""Figures in shapes of a second held-out round: a setting's value with no unit after it
("CFG 7.5", "seed: 42", "σ = 25"), each with a sound twin that passes (a value the
sources give, a small index after a word that may name a place, a key's value in an
object example, a threshold of the answer's own design)."""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.grounding.numbers import figures_in
from cnaps_llm.models import Case, Source

CASE = Case(
    id="heldout2-numbers",
    question="Turn my product sketches into glossy renders; keep the JPEG quality 85 look of the shop.",
    instruction="1. Core task.\n2. Workflow: your answer must include all 3 parts below.\n3. Justify the design.",
    sources=[
        Source(
            id="R1",
            role="recommended",
            name="Render-Gloss-Noise15",
            paper_url="https://arxiv.org/abs/2302.04321v2",
            summary="Sampled with 40 steps at a guidance scale of 6 and a strength of 0.35; gamma 2.2 output. "
            "(1) It keeps edges. (2) It keeps colour.",
        ),
    ],
)


def flagged(sentence: str) -> list[str]:
    return [v.text for v in check(f"## 1. Core task\n\n{sentence}\n", CASE, kinds=["number"])]


@pytest.mark.parametrize(
    ("invented", "figure", "sound"),
    [
        ("Render with CFG 9 for crisp highlights.", "CFG 9", "Render with a guidance scale of 6."),
        ("Set the img2img strength to 0.6.", "strength to 0.6", "Set the img2img strength to 0.35."),
        ("Fix the seed: 20240611 to compare runs.", "seed: 20240611", "Fix the seed to compare runs."),
        ("Render it with seed 77.", "seed 77", "Seed 1 and Seed 2 are the two sketches."),
        ("Use noise σ = 50 for the harder sketches.", "σ = 50", "Use noise σ = 15 for the sketches."),
        ("The output uses gamma 2.4 for print.", "gamma 2.4", "The output uses gamma 2.2 for print."),
        ("Train with a learning rate of 0.0005.", "learning rate of 0.0005", "Train with a small learning rate."),
        ("Keep the JPEG quality 70 for previews.", "JPEG quality 70", "Keep the JPEG quality 85 for previews."),
        ("Shoot the product at ISO 400.", "ISO 400", "Shoot the product in daylight."),
        ("Downsampling by a factor of 16 loses the logo.", "factor of 16", "Downsampling loses the logo."),
        # a word that may name a place: a setting before ":" or "=", or of a value that is no small whole number
        ("Sampling steps: 8 are enough.", "Sampling steps: 8", "In steps 2 and 3 the render is refined."),
        ("Split the page with tile 384 and no margin.", "tile 384", "Tile 2 holds the logo."),
        ("Blend the two renders at weight 0.25.", "weight 0.25", "Weight 1 goes to the sharper render."),
        ("Shrink the sketch by a factor of 3 first.", "factor of 3", "Factor 3: the lighting of the sketch."),
        ("Set the strength: 1 for a full repaint.", "strength: 1", "Strength 2: it keeps the outline."),
    ],
)
def test_a_setting_word_before_a_bare_value(invented: str, figure: str, sound: str) -> None:
    assert flagged(invented) == [figure]
    assert flagged(sound) == []


def test_a_settings_value_in_an_object_example_or_a_threshold_is_no_figure() -> None:
    assert flagged("Each result is `{id: 3, strength: 0.8}`.") == []
    assert flagged('Each result is `{"cfg": 11}`.') == []
    # a threshold of the answer's own design has no unit or metric: the labels count none
    assert flagged("Keep a render when its score is above 0.8.") == []
    assert [f.text for f in figures_in("Route it when sharpness < 120.")] == []


@pytest.mark.parametrize(
    ("invented", "figure", "sound"),
    [
        # the low end of a range shares the unit written once after the high end
        ("Expect a 1–40 steps schedule.", "1–40 steps", "Expect a 40 steps schedule."),
        ("Each render gains 5 to 6 dB.", "5 to 6 dB", "Each render gains some contrast."),
        ("Keep the blend weight 0.3-0.5 for the gloss.", "weight 0.3-0.5", "Keep the strength 0.35 for the gloss."),
        ("It needs 11-15% less memory.", "11-15%", "It needs less memory."),
    ],
)
def test_a_range_is_checked_at_both_ends(invented: str, figure: str, sound: str) -> None:
    assert flagged(invented) == [figure]
    assert flagged(sound) == []


def test_a_range_ends_in_a_name_or_a_grounded_high_end_keep_their_reading() -> None:
    assert [f.text for f in figures_in("Use Render-v2-4x here.")] == ["4x"]
    # the high end is the sources' 40 steps, the low end is not: the range is flagged whole
    assert flagged("Sample with 25-40 steps.") == ["25-40 steps"]


def test_an_enumeration_marker_in_a_summary_grounds_no_figure() -> None:
    # the summary's "(1) … (2) …" markers are no values it gives
    assert flagged("A render takes 2 minutes.") == ["2 minutes"]
    assert flagged("Sample with 40 steps at gamma 2.2.") == []


@pytest.mark.parametrize(
    ("invented", "figure", "sound"),
    [
        ("A render costs about $0.03 on a rented GPU.", "$0.03", "A render costs little on a rented GPU."),
        ("The screen peaks at 600 nits.", "600 nits", "The screen is bright."),
    ],
)
def test_a_price_and_a_luminance_are_figures(invented: str, figure: str, sound: str) -> None:
    assert flagged(invented) == [figure]
    assert flagged(sound) == []


@pytest.mark.parametrize(
    ("invented", "figure", "sound"),
    [
        # a value and its SSIM written as a pair, no metric named
        ("The gloss model scores 29.95/0.872 on the shop set.", "29.95/0.872", "The gloss model scores well on the shop set."),
        # a split of a hundred
        ("Mix the two renders 70/30.", "70/30", "Mix the two renders evenly on 24/7 duty."),
        # "N times the …" in words, as in digits
        ("It carries nine times the detail.", "nine times the", "It carries more detail."),
    ],
)
def test_a_pair_a_split_and_times_the(invented: str, figure: str, sound: str) -> None:
    assert flagged(invented) == [figure]
    assert flagged(sound) == []


def test_a_fraction_and_a_date_are_no_pair() -> None:
    assert [f.text for f in figures_in("Crop 1/4 of the page on 12/05/2023.")] == []


def test_a_one_letter_symbols_value_and_a_size_setting() -> None:
    assert flagged("It keeps N=12 candidate renders.") == ["N=12"]
    assert flagged("It keeps i = 1 as the first render.") == []
    assert flagged("Train it with batch size 4.") == ["batch size 4"]


@pytest.mark.parametrize(
    ("invented", "figure", "sound"),
    [
        # a decimal scored on a named benchmark or metric, no metric word before it
        ("The gloss model reaches 30.4 on Urban100.", "30.4", "Render-Gloss SD 1.5 on a laptop is slow."),
        ("It gets 0.12 on LPIPS.", "0.12", "Version 2.1 on the shop server is older."),
        # a setting's value with a power of ten; the sources' own value passes
        ("Fine-tune with lr 3e-5.", "lr 3e-5", "Sample with 40 steps."),
    ],
)
def test_a_score_on_a_benchmark_and_a_power_of_ten(invented: str, figure: str, sound: str) -> None:
    assert flagged(invented) == [figure]
    assert flagged(sound) == []


def test_a_power_of_ten_the_sources_give_grounds_its_value() -> None:
    case = CASE.model_copy(update={"question": "I fine-tuned with a learning rate of 1e-4; can I render faster?"})
    assert [v.text for v in check("## 1. Core task\n\nKeep the learning rate of 1e-4.\n", case, kinds=["number"])] == []
    assert [v.text for v in check("## 1. Core task\n\nUse a learning rate of 5e-4.\n", case, kinds=["number"])] == [
        "learning rate of 5e-4"
    ]


@pytest.mark.parametrize(
    ("invented", "figure", "sound"),
    [
        ("A batch of renders takes about four hours.", "four hours", "A batch of renders takes a while."),
        ("The sampler runs at 7 it/s.", "7 it/s", "The sampler runs with 40 steps."),
        ("A 300-page catalogue is rendered overnight.", "300-page", "Page 3 of the catalogue is rendered first."),
    ],
)
def test_spelled_times_iterations_per_second_and_pages(invented: str, figure: str, sound: str) -> None:
    assert flagged(invented) == [figure]
    assert flagged(sound) == []
