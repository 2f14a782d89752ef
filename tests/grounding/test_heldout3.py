"""Round 3 of answers the validator was not tuned on: what a set written after the second
round's fixes found wrong, in answers that a real LLM's style makes common.

Each case has a twin that differs only in what makes it sound (or wrong).
"""

from __future__ import annotations

from cnaps_llm.grounding import check
from cnaps_llm.inputs import load_case, normalise, read_text
from cnaps_llm.models import Case, Source

from ..conftest import FIXTURES, SEEDS

CASE = load_case(SEEDS["003"])
GOOD = read_text(FIXTURES / "answers" / "003_grounded.md")


def quality_of(text: str) -> list[str]:
    return [v.text for v in check(normalise(text), CASE, kinds=["quality"])]


# --------------------------------------------------------------------------- nested bold headings


def test_a_bold_part_heading_with_a_lettered_sub_heading_under_it_is_not_empty() -> None:
    # "**2. The pipeline**" then "**A. Overview**": the part opens with its first sub-heading
    for parent, child in (("2. The pipeline", "A. Overview"), ("II. The pipeline", "1. Inputs"),
                          ("Part 2: The pipeline", "Step 1: Clean the scan"), ("2. The pipeline", "2.1 Inputs")):
        text = GOOD.replace("**Output:** a clean, detailed image.", f"**{parent}**\n\n**{child}**\n\n**Output:** a clean, detailed image.")
        assert quality_of(text) == [], (parent, child)
    # twins: two headings of one kind, the first has nothing under it
    for parent, child in (("2. The pipeline", "3. The papers"), ("A. Overview", "B. Details"), ("Caveats", "Notes")):
        text = GOOD.replace("**Output:** a clean, detailed image.", f"**{parent}**\n\n**{child}**\n\n**Output:** a clean, detailed image.")
        assert quality_of(text) == [f"**{parent}**"], (parent, child)


# --------------------------------------------------------------------------- how diffusion generates


SD = Case(
    id="sketch", question="Can you turn my sketch of a lighthouse into a painted scene?",
    sources=[Source(id="R1", role="recommended", name="Txt2Img-StableDiffusionV1-Harbourlight",
                    github_url="https://github.com/example-org/harbourlight")],
)


def tasks_of(text: str, case=SD) -> list[str]:
    return [v.text for v in check(text, case, kinds=["task"])]


def test_a_diffusion_models_denoising_steps_and_strength_are_how_it_generates() -> None:
    for sound in ("Sampling takes 25 denoising steps per render.",
                  "Keep the denoising strength near 0.5 so the sketch's outline survives.",
                  "The picture emerges from an iterative denoising process in latent space.",
                  "The sampler works by denoising a latent from pure noise."):
        assert tasks_of(sound) == [], sound
    # twins: the same word as a job done to the user's picture is a task claim
    assert tasks_of("A final pass also performs denoising on the scanned sketch.") == ["denoising"]
    assert tasks_of("Then a denoising step cleans the painted scene.") == ["denoising"]


def test_quality_control_in_a_source_grounds_a_quality_check_step() -> None:
    said = "A quality check then decides whether the restored photo can be trusted."
    assert tasks_of(said, CASE) == ["quality check"]
    summary = "For quality control, it predicts whether a classifier stays reliable on a distorted photo."
    grounded = CASE.model_copy(update={"sources": [CASE.sources[0].model_copy(update={"summary": summary}), *CASE.sources[1:]]})
    assert tasks_of(said, grounded) == []


# --------------------------------------------------------------------------- a model used in prose


def test_a_recommended_model_used_in_an_answer_without_headings_is_used() -> None:
    prose = (
        "Your photo is mostly fighting heavy sensor noise, the grainy speckle that appears when a "
        "small sensor or an old film stock is pushed in poor light, and that is the first thing to "
        "treat before anything else is tried on it.\n\n"
        "I would run it through SwinIR's denoising variant first, which maps the noisy image to a "
        "clean one while keeping edges and fine texture, and look at the result at full size before "
        "deciding on more work. If other damage remains once the noise is gone, the all-in-one "
        "restoration papers describe networks that estimate the kind of degradation first and then "
        "adapt to it, which is the direction to read next.\n\n"
        "Code: https://github.com/JingyunLiang/SwinIR\n"
    )
    assert quality_of(prose) == []
    # twin: with a workflow part that never names it, a model named only under the papers is flagged
    parted = (
        "## 1. The task\n\nThe user wants the heavy noise removed from an old photo.\n\n"
        "## 2. How it works\n\n**Input:** the noisy photo.\n**Model:** an all-in-one restoration network.\n**Output:** a clean photo.\n\n"
        "## 3. Papers and tools\n\n- SwinIR (Denoise-SwinIR-Noise15): https://github.com/JingyunLiang/SwinIR, a denoising model.\n"
    )
    assert quality_of(parted) == ["Denoise-SwinIR-Noise15"]
