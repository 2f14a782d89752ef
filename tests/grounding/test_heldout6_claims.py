"""Claims in the forms a sixth held-out set showed were missed: absolutes and promises
("never smears", "blends seamlessly", "stays accurate even at night", "well enough to"),
superlatives and verdicts ("the strongest of the three", "the clear winner"), speed and
hardware ("in milliseconds on a GPU", "fast enough for a live feed"), and a claim whose
only hedge is in a consequence after it ("…, so it could…"). Each caught form has a
sound twin that passes: an honest gap statement, a hedge, or what the summary gives.
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.models import Case, Source

CASE = Case(
    id="heldout6",
    question="My scanned concert tickets are faded and blurry. Which model can make the printing legible again?",
    sources=[
        Source(id="R1", role="recommended", name="Restoration-InkFix-Scan", paper_url="https://arxiv.org/pdf/2411.05512",
               summary="InkFix restores faded print in scanned documents. It keeps thin strokes sharp even in "
                       "low-contrast scans and outperforms earlier restorers on receipts."),
        Source(id="R2", role="recommended", name="Deblur-SteadyCam-Large"),
        Source(id="R3", role="recommended", name="Txt2Img-StableDiffusionV1-PaperDream"),
    ],
)


def claims(text: str) -> list[str]:
    return [v.text for v in check(text, CASE, kinds=("claim",))]


# --------------------------------------------------------------------------- absolutes and promises

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("SteadyCam never leaves ringing around the letters.",
         "SteadyCam's entry never mentions ringing around the letters."),
        ("SteadyCam removes the shake flawlessly on glossy paper.",
         "SteadyCam might not remove the shake on glossy paper."),
        ("- SteadyCam: sharpens the barcode reliably on every ticket.",
         "- SteadyCam: whether it sharpens the barcode on every ticket is unknown."),
        ("PaperDream stays convincing even at poster size.",
         "InkFix keeps thin strokes sharp even in low-contrast scans, according to its summary."),
        ("SteadyCam recovers enough detail to read the seat numbers, even with heavy motion.",
         "SteadyCam may recover enough detail to read the seat numbers, even with heavy motion."),
        ("PaperDream understands ticket layouts well enough to redraw them.",
         "PaperDream is a text-to-image checkpoint; none of the sources says it can redraw a ticket."),
    ],
)
def test_absolutes_and_promises(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- a hedge only in a consequence

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("SteadyCam is the fastest of the three on tickets, so it could run first.",
         "SteadyCam might be the fastest of the three on tickets, so it could run first."),
        ("PaperDream excels at ornate borders, which means it may redraw the frame well.",
         "PaperDream may excel at ornate borders, which means it may redraw the frame well."),
    ],
)
def test_a_hedge_in_a_consequence_leaves_the_claim(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


@pytest.mark.parametrize(
    "sound",
    [
        "InkFix outperforms earlier restorers on receipts, so it could suit tickets too.",  # its summary says so
        "If the tickets are torn, SteadyCam is not enough, so a manual fix may be needed.",
    ],
)
def test_a_consequence_after_a_grounded_or_hedged_clause_passes(sound: str) -> None:
    assert not claims(sound)


# --------------------------------------------------------------------------- verdicts and superlatives

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("PaperDream is the best checkpoint for poster-style reprints.",
         "PaperDream is a text-to-image checkpoint; the prompt does not say it can reprint a ticket."),
        ("SteadyCam is the strongest of the three on smudged ink.",
         "None of the three is said to be strongest on smudged ink."),
        ("For faded tickets, SteadyCam is the clear winner.",
         "For faded tickets, InkFix restores faded print, as its summary says."),
        ("SteadyCam is an excellent choice for glossy stubs.",
         "SteadyCam could be a reasonable choice for glossy stubs, if the blur is from shake."),
        ("SteadyCam is strong on curved paper.",
         "SteadyCam is not known to be strong on curved paper."),
    ],
)
def test_verdicts_and_superlatives(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- speed and hardware

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("SteadyCam handles a full scan in 40 milliseconds.",
         "The sources give no timing for SteadyCam, so its speed is unknown."),
        ("SteadyCam runs comfortably on a laptop GPU.",
         "Whether SteadyCam fits on a laptop GPU is not stated."),
        ("SteadyCam is fast enough for a phone scanner app.",
         "SteadyCam might be fast enough for a phone scanner app."),
        ("PaperDream renders a 4K poster without tiling.",
         "PaperDream may need tiling for a 4K poster."),
    ],
)
def test_speed_and_hardware(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- what a source is said to do

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("SteadyCam reconstructs torn perforations along the stub.",
         "InkFix restores faded print in scanned documents."),  # its summary says so
        ("SteadyCam targets the rolling-shutter wobble of phone scanners.",
         "SteadyCam brightens the scan rather than targets the rolling-shutter wobble."),
        ("PaperDream understands venue logos and redraws them.",
         "PaperDream does not understand venue logos; it only draws from a text prompt."),
        ("SteadyCam recovers hologram foil that the scanner washed out.",
         "SteadyCam sharpens rather than recovers hologram foil the scanner washed out."),
        ("SteadyCam copes with creased thermal paper.",
         "It is unclear whether SteadyCam copes with creased thermal paper."),
        ("SteadyCam removes the need for a flatbed rescan.",
         "None of the models removes the need for a flatbed rescan."),
    ],
)
def test_what_a_source_is_said_to_do(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- a source called by parts of its name

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("The steady-cam network never blurs serial numbers.",
         "The steady-cam network is a deblurring model; the prompt says nothing more about it."),
        ("The paper-dream checkpoint is the best option for reprinting artwork.",
         "The paper-dream checkpoint could make a new picture from text, if that is wanted."),
        ("The ink-fix restorer recovers holograms on every ticket.",
         "The ink-fix restorer restores faded print in scanned documents, as its summary says."),
    ],
)
def test_a_source_called_by_parts_of_its_name(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


@pytest.mark.parametrize(
    "sound",
    [
        "The same model never sees the original ticket.",  # no part of a name: about no one source
        "The final network blends the two scans seamlessly.",
    ],
)
def test_a_description_naming_no_source_is_no_subject(sound: str) -> None:
    assert not claims(sound)


# --------------------------------------------------------------------------- "it" after a described subject or a bullet

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("The steady-cam network sharpens the scan. It stays legible even at 50 dpi.",
         "The steady-cam network sharpens the scan. It may not stay legible at 50 dpi."),
        ("- SteadyCam sharpens the stub.\n- Trained on airline boarding passes, it fixes smudged barcodes.",
         "- SteadyCam sharpens the stub.\n- Whether it fixes smudged seat numbers is unknown."),
    ],
)
def test_it_after_a_described_subject_or_a_bullet(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


def test_a_labelled_bullet_is_about_its_label() -> None:
    text = ("- **Branch A:** SteadyCam sharpens the scan.\n"
            "- **Branch B:** It keeps an untouched copy, preserving it as a clean reference.")
    assert not claims(text)


# --------------------------------------------------------------------------- a quality in a verb's object

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("- SteadyCam provides robust stabilisation of handheld ticket photos.",
         "- SteadyCam provides the deblurred stub to the next step."),
        ("SteadyCam is best for glossy stubs shot under stage lights.",
         "Which model is best for glossy stubs is not said in the prompt."),
        ("SteadyCam is an expert in thermal-paper artefacts.",
         "None of the models is described as an expert in thermal-paper artefacts."),
        ("SteadyCam tackles rolling-shutter skew on phone captures.",
         "SteadyCam does not tackle rolling-shutter skew, as far as the sources say."),
    ],
)
def test_a_quality_in_a_verbs_object(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- a hedge in a concession or a coordinated predicate

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("While it may miss faint stamps, SteadyCam excels at recovering serial numbers.",
         "While it may miss faint stamps, SteadyCam might excel at recovering serial numbers."),
        ("Although the scan might be crooked, SteadyCam is the best option for stubs.",
         "Although SteadyCam might be the best option, the scan might be crooked."),
        ("SteadyCam excels at ink bleed and can often rescue torn corners.",
         "SteadyCam may excel at ink bleed and can often rescue torn corners."),
    ],
)
def test_a_hedge_in_a_concession_or_a_coordinated_predicate(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- a source called by its role

ROLE_CASE = Case(
    id="heldout6-roles",
    question="How many bottles are on the shelf in this photo, and can the picture be made brighter?",
    sources=[
        Source(id="R1", role="recommended", name="ObjDet-HuggingFace-acme-shelfnet"),
        Source(id="R2", role="recommended", name="Enhancement-night-lift"),
        Source(id="R3", role="recommended", name="Deblur-SteadyCam-Large"),
        Source(id="R4", role="recommended", name="Deblur-SteadyCam-Small"),
    ],
)


def role_claims(text: str) -> list[str]:
    return [v.text for v in check(text, ROLE_CASE, kinds=("claim",))]


@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("The detector is fast enough for a live camera feed.",
         "The detector might be fast enough for a live camera feed."),
        ("The enhancer never clips the bright labels.",
         "The enhancer brightens the photo; whether it clips the labels is unknown."),
        ("The detection model counts bottles reliably even behind glass.",
         "The detection model finds the bottles; its accuracy behind glass is not given."),
    ],
)
def test_a_source_called_by_its_role(wrong: str, sound: str) -> None:
    assert role_claims(wrong)
    assert not role_claims(sound)


def test_a_role_several_sources_share_names_none() -> None:
    assert not role_claims("The deblurring model never leaves ringing.")  # two deblurring checkpoints


# --------------------------------------------------------------------------- "if you …" is the user's condition

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("SteadyCam understands ticket layouts well enough to crop them if you give it the full scan.",
         "SteadyCam might crop the tickets if you give it the full scan."),
        ("If you need speed, SteadyCam is the fastest of the three.",
         "If you need speed, none of the sources says which of the three is fastest."),
    ],
)
def test_if_you_is_the_users_condition(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


def test_if_the_input_is_still_a_hedge() -> None:
    assert not claims("If the stub is glossy, SteadyCam is the best option.")


# --------------------------------------------------------------------------- capabilities and offers

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("PaperDream's layout capabilities keep the venue logo crisp.",
         "PaperDream's capabilities are not described in the prompt."),
        ("SteadyCam is capable of reading barcodes through smudges.",
         "SteadyCam may be capable of sharpening barcodes, if the blur is mild."),
        ("- SteadyCam offers robust stabilisation of phone captures.",
         "- SteadyCam offers a second, deblurred copy for the merge step."),
        ("SteadyCam effectively rescues creased stubs.",
         "Whether SteadyCam effectively rescues creased stubs is unknown."),
        ("SteadyCam contributes razor-sharp perforation edges.",
         "SteadyCam contributes nothing the sources describe beyond deblurring."),
        ("SteadyCam delivers gallery-grade reprints.",
         "SteadyCam may deliver a sharper copy; the prompt gives no quality figures."),
    ],
)
def test_capabilities_and_offers(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


# --------------------------------------------------------------------------- a verdict in a workflow-labelled bullet

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("### SteadyCam\n- **Output:** a sharper stub, flawlessly free of ringing",
         "### SteadyCam\n- **Output:** a sharper stub for the next step"),
        ("### SteadyCam\n- **Role:** the best option for glossy stubs",
         "### SteadyCam\n- **Role:** uses motion cues to sharpen the stub"),
    ],
)
def test_a_verdict_in_a_workflow_labelled_bullet(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)
