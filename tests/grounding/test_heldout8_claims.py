"""Claims in the forms an eighth held-out set showed were missed, by family: architecture
parts said of a model ("its decoder", "Fourier convolutions"), what a model was taught on
and how much ("taught on", "millions of", "… during training"), a comparison with another
listed model whatever its words ("… than Restormer", "preferable", "lags"), what a model
is said to know or work out ("knows", "learned associations"), what it is said to do
wrong ("leaves", "washes out", "sometimes"), licences by use ("free for commercial
projects"). Each has a sound twin that passes: a gap statement, a hedge, what the summary
gives, a title spelled out, or the answer's own design ("uses them to …").
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.models import Case, Source

CASE = Case(
    id="heldout8",
    question="My late uncle's slides of alpine lakes are dusty and the blues have turned purple. "
             "Can these models clean and fix them?",
    sources=[
        Source(id="R1", role="recommended", name="Restore-SlideClean-Dust", paper_url="https://arxiv.org/abs/2504.04321",
               summary="SlideClean removes dust and scratches from scanned film slides with a dual-branch encoder "
                       "trained on synthetic dust overlays. It beats classic median filtering on the DustSlide "
                       "benchmark."),
        Source(id="R2", role="recommended", name="ColorFix-HueShift-Film"),
        Source(id="R3", role="recommended", name="SISR-PeakUp-2x"),
    ],
)


def claims(text: str) -> list[str]:
    return [v.text for v in check(text, CASE, kinds=("claim",))]


# --------------------------------------------------------------------------- architecture parts

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("HueShift has a latent-space colour head that predicts the original dyes.",
         "HueShift shifts the hues back; the prompt says nothing about how it is built."),
        ("PeakUp's Fourier layers keep the ripples on the water regular.",
         "PeakUp enlarges the slide scan 2x, going by its name."),
        ("HueShift relies on an attention module over the whole slide.",
         "HueShift is named for film; its architecture is not described."),
        ("PeakUp is a multi-scale network with a discriminator.",
         "SlideClean has a dual-branch encoder, as its summary says."),
    ],
)
def test_architecture_parts(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


def test_a_title_spelled_out_is_no_trait() -> None:
    assert not claims("- **Reference:** PeakUp, see *Fast Multi-Scale Upsampling Network for Film Scans* (arXiv).")
    assert claims("- PeakUp upsamples with a multi-scale pyramid of filters.")


def test_a_part_of_another_clause_is_not_the_models() -> None:
    assert not claims("One branch runs PeakUp on the slide, while the other builds attention maps for the merge.")


# --------------------------------------------------------------------------- what a model was taught on, and how much

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("HueShift was taught on faded Kodachrome slides.",
         "HueShift's training slides are not described in the prompt."),
        ("PeakUp was fitted on millions of landscape photographs.",
         "Whether PeakUp saw landscapes in training is unknown."),
        ("HueShift saw ten thousand hand-corrected scans during training.",
         "SlideClean was trained on synthetic dust overlays, according to its summary."),
        ("PeakUp was distilled from a much larger upscaler.",
         "PeakUp is the 2x upscaler of the list."),
    ],
)
def test_training(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- comparisons with another listed model

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("SlideClean removes more of the dust specks than PeakUp does.",
         "SlideClean removes the dust specks before PeakUp enlarges the scan."),
        ("HueShift is preferable to SlideClean for the purple cast.",
         "HueShift, not SlideClean, is the model named for colour, so it takes the purple cast."),
        ("PeakUp lags behind HueShift in speed.",
         "PeakUp runs after HueShift in this chain."),
        ("SlideClean tops the slide-restoration leaderboards.",
         "SlideClean beats classic median filtering on the DustSlide benchmark, per its summary."),
    ],
)
def test_comparisons_with_listed_models(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


def test_rather_than_a_listed_model_is_no_comparison() -> None:
    assert not claims("Send the slide to HueShift rather than PeakUp for the colour step.")


# --------------------------------------------------------------------------- what a model knows, what it does wrong

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("HueShift knows which blues belong to glacier water.",
         "HueShift corrects hues; the prompt does not say how it picks the blues."),
        ("HueShift's learned colour memory restores the original sky.",
         "Check the sky after HueShift, since nothing in the prompt describes its colour handling."),
        ("PeakUp leaves faint ringing around the mountain ridges.",
         "PeakUp might leave ringing around the ridges, so inspect them at 100%."),
        ("HueShift washes out the reds of the boat hulls.",
         "If HueShift washes out the reds, blend in the original."),
        ("PeakUp sometimes doubles the dust specks it enlarges.",
         "Run SlideClean before PeakUp so that dust is not enlarged."),
    ],
)
def test_knowledge_and_faults(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- licences by use, reputation

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("HueShift's weights are free for commercial projects.",
         "HueShift's licence is not given in the prompt."),
        ("PeakUp is a mature, dependable upscaler.",
         "PeakUp is the upscaler, by its name."),
    ],
)
def test_licence_and_reputation(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- the answer's own design

def test_what_the_design_hands_a_model_is_no_claim() -> None:
    assert not claims("SlideClean uses them to mask the dust before the merge.")
    assert not claims("HueShift handles the main colour correction in this workflow.")
    assert not claims("- Implementation: Use SlideClean's encoder features for the dust mask.")
    assert claims("SlideClean uses a frequency filter bank to find dust.")


# --------------------------------------------------------------------------- a second probe: means, tolerance, faults, reputation

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("HueShift restores the blues by matching each slide to a reference palette.",
         "SlideClean removes dust by its own means; the summary gives a dual-branch encoder."),
        ("PeakUp is remarkably tolerant of scanner noise.",
         "PeakUp's tolerance of scanner noise is not described."),
        ("HueShift has trouble with slides that were exposed under tungsten light.",
         "Whether HueShift works on tungsten-lit slides is not said in the prompt."),
        ("PeakUp drops the finest film grain when it enlarges.",
         "PeakUp could soften the film grain when it enlarges, so compare both versions."),
        ("Slide archivists routinely rely on HueShift for Ektachrome fading.",
         "Slide archivists would need to test HueShift on Ektachrome fading themselves."),
        ("HueShift has a solid reputation among photo restorers.",
         "HueShift is the colour step among the listed models."),
        ("PeakUp was built from a corpus of two million museum scans.",
         "PeakUp's training corpus is not given in the input."),
        ("HueShift rebuilds the missing cyan layer of the emulsion.",
         "HueShift shifts the hues of the film, going by its name."),
    ],
)
def test_means_tolerance_faults_reputation(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


def test_the_designs_means_are_no_claim() -> None:
    assert not claims("Branch B uses PeakUp to enlarge the slide by upscaling it twice.")
    assert not claims("HueShift corrects the colour by using the dust-free scan as input.")


def test_a_summary_comparison_of_degree_is_grounded() -> None:
    case = Case(id="deg", question="Remove the shadow from my document photo.", sources=[
        Source(id="R1", role="recommended", name="DocShadow-Lift-Paper",
               summary="Lift removes cast shadows and is more accurate than prior shadow removal methods on RDD.")])
    assert not check("Lift is more accurate than prior shadow removal methods on RDD.", case, kinds=("claim",))
    assert check("Lift is more accurate than prior dewarping methods on curled pages.", case, kinds=("claim",))
