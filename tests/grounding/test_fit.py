"""A provided model credited with the user's task when the input gives it another one
(``rules/fit.py``, kind ``claim``): the pretence seeds 001 and 004 are built to catch.
In seed 004 the user asks about grain and the recommended model is a deblurring model;
in seed 001 the user asks about static and the recommended model removes haze. Every
pretence is planted in the bundled grounded answer, which says plainly that the model
does not fit; each has honest twins that must pass: a negation, a condition, a sequence,
a comparison, a gap statement, what the model does do.
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check, is_grounded
from cnaps_llm.inputs import load_case, read_text
from cnaps_llm.models import Case, Source

from ..conftest import ROOT

PROMPTS = ROOT / "fixtures" / "prompts"
ANSWERS = ROOT / "fixtures" / "answers"


def _seed(n: str) -> tuple[Case, str]:
    return load_case(next(PROMPTS.glob(f"{n}_*.txt"))), read_text(ANSWERS / f"{n}_grounded.md")


def credited(n: str, sentence: str) -> list[str]:
    """The fit rule's claims once ``sentence`` is planted in seed ``n``'s grounded answer."""
    case, answer = _seed(n)
    planted = answer.replace("**Output:**", sentence + "\n\n**Output:**", 1)
    return [v.text for v in check(planted, case, kinds=("claim",)) if " credits " in v.message]


def test_the_grounded_answers_credit_no_model_wrongly() -> None:
    for n in ("000", "001", "003", "004"):
        case, answer = _seed(n)
        assert not [v for v in check(answer, case) if " credits " in v.message], n


@pytest.mark.parametrize(
    ("n", "pretence"),
    [
        ("004", "Deblur-MIMO-UNet-RealBlur denoises the grainy photo and keeps the detail."),
        ("004", "MIMO-UNet is a denoising network that removes the grain."),
        ("004", "MIMO-UNet performs image denoising on the grainy indoor photo."),
        ("004", "MIMO-UNet removes the grain as well."),
        ("004", "MIMO-UNet can also brighten dark indoor photos automatically."),
        ("004", "The recommended model, MIMO-UNet, cleans up the noise in low light."),
        ("004", "1. **Deblur-MIMO-UNet-RealBlur** (R1): reduces noise in the grainy photo."),
        ("001", "CLAIO denoises the low-light photo."),
        ("001", "WeatherRemoval-CLAIO-DeHaze reduces noise from digital zoom."),
    ],
)
def test_a_model_credited_with_a_task_the_input_gives_it_none_of(n: str, pretence: str) -> None:
    assert credited(n, pretence)


@pytest.mark.parametrize(
    ("n", "honest"),
    [
        ("004", "MIMO-UNet does not remove grain; it deblurs."),
        ("004", "MIMO-UNet would only help if the photo were also blurred, not with the noise."),
        ("004", "MIMO-UNet deblurs the image after a separate denoising step."),
        ("004", "Unlike a denoiser, MIMO-UNet targets blur."),
        ("004", "MIMO-UNet is a deblurring model, so it is not the right tool for denoising."),
        ("004", "MIMO-UNet cannot denoise the photo."),
        ("004", "MIMO-UNet needs a denoiser before it."),
        ("004", "MIMO-UNet restores sharp images from blurry ones."),
        ("004", "The already denoised image goes to MIMO-UNet."),
        ("004", "MIMO-UNet is no denoiser."),
        ("004", "For denoising, none of the listed models fits; MIMO-UNet deblurs."),
        ("004", "MIMO-UNet handles blur in low-light conditions."),
        ("004", "[MIMO-UNet]    [Denoising]"),
        ("004", "Path B: denoise first, followed by MIMO-UNet to deblur the already brightened image."),
        ("001", "CLAIO removes haze, which is not the user's noise."),
        ("001", "CLAIO is a dehazing model and does not target noise."),
        ("001", "The denoising paper (P2) adapts a denoiser to real noise."),
    ],
)
def test_honest_sentences_about_the_misfit_pass(n: str, honest: str) -> None:
    assert not credited(n, honest)


CASE = Case(
    id="fit",
    question="My scanned slides are full of dust and the colours are faded. Can AI clean and recolour them?",
    sources=[
        Source(id="R1", role="recommended", name="Inpainting-LaMa-Places"),
        Source(id="R2", role="recommended", name="Colorization-DDColor-Artistic"),
        Source(id="P1", role="related", name="All-in-One Image Restoration with Prompts",
               summary="A single network for image restoration that handles noise, blur and haze."),
        Source(id="R3", role="recommended", name="StyleNet-Mystery"),
    ],
)


def fit_flags(text: str) -> list[str]:
    return [v.text for v in check(text, CASE, kinds=("claim",)) if " credits " in v.message]


def test_a_second_model_credited_with_the_first_models_task() -> None:
    assert fit_flags("LaMa colorizes the faded slides.")  # an inpainting model credited with colorization
    assert not fit_flags("DDColor colorizes the faded slides.")  # its own task, by its name


def test_an_umbrella_task_the_input_gives_allows_every_task_under_it() -> None:
    # "image restoration" given to P1 in its title and summary: a kind of restoration is no misfit
    assert not fit_flags("The all-in-one restoration network (P1) removes the dust and can also colorize the slides.")


def test_a_model_the_input_gives_no_task_is_not_judged() -> None:
    assert not fit_flags("StyleNet-Mystery colorizes the slides.")


def test_a_broad_task_is_no_misfit() -> None:
    assert not fit_flags("LaMa is an image restoration model.")


def test_the_finding_fails_the_answer_and_says_what_the_input_gives() -> None:
    violations = check("LaMa colorizes the faded slides.", CASE, kinds=("claim",))
    assert not is_grounded(violations)
    message = next(v.message for v in violations if " credits " in v.message)
    assert "Inpainting-LaMa-Places" in message and "inpainting" in message and "does not fit" in message
