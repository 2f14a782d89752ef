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
    question="My scanned slides are full of dust and the colours are faded. Can AI clean and colorize them?",
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


# --------------------------------------------------------------------------- a review's finds, by kind

NIGHT = Case(
    id="fit-night",
    question="The night photos from my trip are noisy, blurry and too small. Please clean them up and enlarge them 2x.",
    sources=[
        Source(id="R1", role="recommended", name="Denoise-SwinIR-Noise15"),
        Source(id="R2", role="recommended", name="Deblur-MSSNet-RealBlurR"),
        Source(id="R3", role="recommended", name="Deblur-MSSNet-RealBlurJ"),
        Source(id="R4", role="recommended", name="SISR-CARN-2x"),
        Source(id="R5", role="recommended", name="Inpainting-MISF-Places2"),
    ],
)


def night_flags(text: str) -> list[str]:
    return [v.message for v in check(text, NIGHT, kinds=("claim",)) if " credits " in v.message]


@pytest.mark.parametrize(
    "sound",
    [
        # what the model is given, not what it does
        "MSSNet-RealBlurR receives the denoised image and deblurs it.",
        "MSSNet-RealBlurR sharpens the denoised image.",
        "MSSNet-RealBlurR: Input (denoised image) → Output (deblurred image)",
        "MSSNet-RealBlurR works on the 2x upscaled photo.",
        "Inpainting-MISF-Places2 fills the holes in the upscaled image.",
        # the user's shooting condition
        "MSSNet-RealBlurR deblurs the night photo.",
        "MSSNet-RealBlurR removes blur from night photography.",
        # a misfit said in other words
        "MSSNet-RealBlurR is a poor fit for denoising.",
        "MSSNet-RealBlurR is ill-suited to noise reduction.",
        "MSSNet-RealBlurR fails to remove noise.",
        "MSSNet-RealBlurR is the wrong tool for denoising.",
        "MSSNet-RealBlurR is a deblurring network, unrelated to noise removal.",
        "MSSNet-RealBlurR vs. a denoiser: different tasks.",
        "- **Deblur-MSSNet-RealBlurR**: fit for denoising ✗",
        "**MSSNet-RealBlurR and denoising?** No.",
        "MSSNet-RealBlurR is complementary to the denoiser.",
        # another stage
        "MSSNet-RealBlurR outputs a deblurred image ready for upscaling.",
        "SwinIR removes noise so that the deblurring step sees a cleaner image.",
        # another model named nearer the task
        "MSSNet-RealBlurR is a deblurring model and the SwinIR denoiser handles noise.",
    ],
)
def test_sound_sentences_a_review_found_flagged_pass(sound: str) -> None:
    assert not night_flags(sound)


@pytest.mark.parametrize(
    "pretence",
    [
        "MSSNet-RealBlurR also reduces noise.",
        "SISR-CARN-2x denoises the night photo.",
        "Denoise-SwinIR-Noise15 upscales the photo 2x.",
        "MSSNet-RealBlurR produces a denoised image.",
    ],
)
def test_their_pretences_are_still_caught(pretence: str) -> None:
    assert night_flags(pretence)


def test_the_message_names_the_variant_the_sentence_names() -> None:
    # "Deblur-MSSNet-RealBlurJ" is written in full: the message must not name its sibling
    (message,) = night_flags("Deblur-MSSNet-RealBlurJ upscales the photo 2x.")
    assert "Deblur-MSSNet-RealBlurJ" in message and "RealBlurR" not in message


def test_only_the_questions_tasks_are_judged() -> None:
    # the user asks for no JPEG artifact removal: a model's own name suggesting one is not a pretence to catch here
    assert not night_flags("Deblur-MSSNet-RealBlurJ suits JPEG inputs with compression artifacts.")
