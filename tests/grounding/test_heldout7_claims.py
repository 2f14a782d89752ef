"""Claims in the forms a seventh held-out set showed were missed: praise with no cue word
but a manner ("stitches the panorama cleanly", "with no visible seams", "without losing
the grain", "out of the box"), ease of use ("easy to script", "needs no calibration"),
claims about every listed model ("All three checkpoints …", "Any of these models …"),
what users are said to report, an output said to pass for a real capture, and a verdict
between the listed models ("the safer choice", "equally well"). Each caught form has a
sound twin that passes: a gap statement, a hedge, the user's own condition, or what the
summary gives. A manner adverb after "to" ("uses X to cleanly merge …") is the answer's
design, not a claim.
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.models import Case, Source

CASE = Case(
    id="heldout7",
    question="My drone panoramas of a harbour have visible seams and a hazy horizon. Can these models fix them?",
    sources=[
        Source(id="R1", role="recommended", name="Stitching-SeamMender-Wide", paper_url="https://arxiv.org/pdf/2503.01234",
               summary="SeamMender blends overlapping aerial frames along a learned seam. It removes visible seams "
                       "in drone panoramas and outperforms multi-band blending on water surfaces."),
        Source(id="R2", role="recommended", name="WeatherRemoval-HazeLift-Outdoor"),
        Source(id="R3", role="recommended", name="SISR-GridUp-2x"),
    ],
)


def claims(text: str) -> list[str]:
    return [v.text for v in check(text, CASE, kinds=("claim",))]


# --------------------------------------------------------------------------- praise by manner, no cue word

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("HazeLift clears the horizon cleanly over the open sea.",
         "HazeLift is a dehazing model; the prompt gives no description of how it treats the open sea."),
        ("GridUp enlarges the rigging with no visible aliasing.",
         "GridUp enlarges by 2x, as its name says; you could check the rigging for aliasing afterwards."),
        ("HazeLift lifts the haze without washing out the white hulls.",
         "If the white hulls wash out after HazeLift, lower its strength."),
        ("GridUp gives clean, detailed masts out of the box.",
         "None of the listed models is described as sharpening masts."),
        ("HazeLift keeps the water's colour lifelike.",
         "Since your horizon is hazy, HazeLift goes before the stitching step."),
    ],
)
def test_manner_praise(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


def test_manner_after_to_is_the_design() -> None:
    assert not claims("The workflow uses SeamMender to cleanly merge the overlapping frames.")
    assert claims("SeamMender cleanly merges frames shot at dusk.")


# --------------------------------------------------------------------------- ease of use, needs

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("GridUp is trivial to deploy on a drone's controller.",
         "The prompt does not say how GridUp is deployed."),
        ("HazeLift needs no calibration for a new camera.",
         "HazeLift might need some calibration for a new camera."),
        ("Its compact decoder lets it stream tiles to the browser.",
         "Its name says only that it dehazes outdoor scenes."),
    ],
)
def test_ease_of_use(wrong: str, sound: str) -> None:
    assert claims("HazeLift-Outdoor is listed. " + wrong if wrong.startswith("Its") else wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- every listed model

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("All three models handle glare off the water gracefully.",
         "None of the three models is described as handling glare off the water."),
        ("Any of these checkpoints can run on a phone during the flight.",
         "Whether any of these checkpoints can run on a phone is not stated."),
        ("Both tools are easy to chain in a batch script.",
         "Both tools are listed by name only, except SeamMender, which has a summary."),
    ],
)
def test_every_listed_model(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


def test_every_listed_model_grounded_by_one_summary() -> None:
    # the summary of one of them says it: grounded; what none of them says is not
    assert not claims("All three models are meant for drone panoramas.")
    assert claims("All three models are meant for satellite mosaics.")


def test_each_module_is_the_design() -> None:
    assert not claims("Each module focuses on one defect: seams, haze or resolution.")


# --------------------------------------------------------------------------- users, and output passing for a real capture

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("Users consistently report crisper harbour shots than with desktop tools.",
         "Users of this workflow should compare the panorama with the source frames."),
        ("The final result will be indistinguishable from a single wide-angle shot.",
         "The final result is one panorama, dehazed and enlarged."),
        ("Expect postcard-ready images straight out of the pipeline.",
         "Expect to adjust the seam mask by hand on busy quays."),
    ],
)
def test_users_and_likeness(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


def test_final_output_praised_for_the_design_passes() -> None:
    assert not claims("The final output is the sharpest of the candidate panoramas, picked by the quality gate.")


# --------------------------------------------------------------------------- verdicts between listed models

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("HazeLift is the safer choice for sunsets.",
         "HazeLift is the only dehazer listed, so it goes first."),
        ("GridUp and HazeLift work equally well on night shots.",
         "According to its summary, SeamMender outperforms multi-band blending on water surfaces."),
        ("HazeLift is the lighter of the two, so run it on the drone.",
         "HazeLift and GridUp come with no summary, so their sizes are unknown."),
    ],
)
def test_verdicts(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- evaluative words and intensified traits

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("GridUp sharpens the hull lettering with remarkable clarity.",
         "GridUp sharpens by enlarging 2x; the prompt says nothing about lettering."),
        ("HazeLift is very fast and stays stable on long flights.",
         "HazeLift's speed is not given anywhere in the prompt."),
        ("GridUp turns any photo into a print-quality poster.",
         "You could print the panorama after GridUp if the size suits you."),
        ("HazeLift responds well to hazy sunsets.",
         "HazeLift is named for outdoor scenes, and your panorama is outdoors."),
        ("GridUp loses no detail on the crane cables.",
         "Check the crane cables after GridUp, since the prompt gives no detail on them."),
    ],
)
def test_evaluative_words(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


def test_a_manner_is_judged_with_what_it_qualifies() -> None:
    # the summary gives "removes visible seams in drone panoramas" but not the manner
    assert claims("SeamMender removes seams in drone panoramas with remarkable precision.")
    assert claims("SeamMender removes seams in drone panoramas effortlessly.")
    # what the summary gives, without a manner
    assert not claims("SeamMender removes visible seams in drone panoramas.")


def test_a_task_in_the_subject_name_does_not_ground_a_manner() -> None:
    assert claims("Stitching-SeamMender-Wide stitches the quay with surgical precision.")
    assert claims("Stitching-SeamMender-Wide stitches the quay effortlessly.")


# --------------------------------------------------------------------------- a hedge or gap in another clause

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("HazeLift could in principle enlarge too, and it keeps the sky gradient lifelike.",
         "HazeLift could in principle enlarge too, and it might keep the sky gradient."),
        ("None of the sources says how HazeLift treats colour, but it keeps the sea a natural blue.",
         "None of the sources says how HazeLift treats colour, so the sea may shift in tone."),
        ("Neither GridUp nor HazeLift is a stitcher, yet both keep the horizon perfectly level.",
         "Neither GridUp nor HazeLift is a stitcher, so SeamMender does the joining."),
    ],
)
def test_claim_after_a_hedged_or_gap_clause(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


@pytest.mark.parametrize(
    "verdict",
    ["Both dehazing models deliver gallery-ready skies every single time.",
     "All of them keep the water texture intact."],
)
def test_quantified_subjects(verdict: str) -> None:
    assert claims(verdict)
    assert not claims("All of them are listed by name; only SeamMender comes with a summary.")


def test_a_quality_under_a_job_label_is_the_design() -> None:
    head = "**SISR-GridUp-2x**\n"
    assert not claims(head + "- Task: final enlargement for a studio-quality print\n")
    assert claims(head + "- Function: enlarges the panorama with studio-quality sharpness\n")


# --------------------------------------------------------------------------- praise words of scale, maturity and cost

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("HazeLift dramatically improves contrast at the waterline.",
         "HazeLift may improve contrast at the waterline; test it on one frame."),
        ("GridUp adds negligible latency to the flight log export.",
         "GridUp's latency is not stated in the prompt."),
        ("HazeLift is a production-ready, industry-leading dehazer.",
         "HazeLift is the dehazer of the three, going by its name."),
        ("GridUp is comparable to SeamMender on water surfaces.",
         "According to its summary, SeamMender is better than multi-band blending on water surfaces."),
    ],
)
def test_scale_maturity_cost(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


def test_a_negation_in_a_result_clause_leaves_the_claim() -> None:
    assert claims("HazeLift clears the haze so well that nobody notices the edit.")
    assert not claims("HazeLift does not clear the haze in a way the prompt describes.")


def test_both_alone_after_a_clause_about_the_sources() -> None:
    assert claims("GridUp and HazeLift have no summary, but both respond well to dusk footage.")
    assert not claims("Both branches process the panorama at once, then their outputs are merged.")


def test_a_capital_to_before_a_manner_is_the_design() -> None:
    head = "**Stitching-SeamMender-Wide**\n"
    assert not claims(head + "- **Purpose:** To robustly join the frames into one panorama.\n")
    assert claims(head + "- **Why:** It robustly joins frames shot in strong wind.\n")


# --------------------------------------------------------------------------- "without" a harm, "no problem", "every time"

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("HazeLift brightens the quay without clipping the white sails.",
         "If HazeLift clips the white sails, run it on a darker copy."),
        ("GridUp enlarges the flags without turning them into mush.",
         "GridUp enlarges by 2x; the prompt says nothing about the flags."),
        ("GridUp is resolution-agnostic, so a 20-megapixel panorama is no problem.",
         "GridUp's name gives its scale, 2x; nothing is said about input size."),
        ("HazeLift rescues even the murkiest dawn frames.",
         "HazeLift is for outdoor haze, which dawn frames over water often have."),
        ("HazeLift gives a clean horizon every time.",
         "Run HazeLift on every frame whose horizon is hazy."),
        ("GridUp is the quicker pick for a whole flight's frames.",
         "GridUp is the only upscaler listed, so it enlarges the frames."),
    ],
)
def test_without_harm_and_promises(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


def test_the_sources_together() -> None:
    assert claims("These three together form a production-ready mapping pipeline.")
    assert claims("Together they give an industry-leading result on harbour scenes.")
    assert not claims("These three together cover the seams, the haze and the size; only SeamMender has a summary.")


def test_what_a_source_adapts() -> None:
    assert claims("HazeLift adapts its strength to the altitude of each frame.")
    assert not claims("SeamMender adapts a learned seam to overlapping aerial frames, as its summary says.")


def test_where_the_claim_comes_from_ends_its_words() -> None:
    # "per its summary" is no part of what SeamMender is said to do
    assert not claims("SeamMender works well on water, per its summary.")
    assert not claims("SeamMender works well on water, according to its summary.")
    assert claims("SeamMender works well for night-time satellite strips, per its summary.")


def test_the_users_own_words_copied_into_the_answer_are_no_claim() -> None:
    from pathlib import Path

    from cnaps_llm.inputs import load_case

    c = load_case(Path(__file__).parents[2] / "fixtures" / "prompts" / "010_style_transfer.txt")
    name = c.sources[0].name

    def claims(body: str) -> list[str]:
        return [v.text for v in check(f"## 1. Task\n\n{body}\n", c, kinds=["claim"])]

    assert claims(f"The user asks: {c.question}") == []  # "… in one click" is the user's
    assert claims(f"{name} styles the photo in one click.") == ["one click"]  # the answer's own claim
