"""The attribution, venue, author and claim kinds: each planted form is caught, and its
harmless twin (a link beside its own model, a venue the URL gives, an organisation in
the Hugging Face path, a comparison the summary makes) passes."""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.models import Case, Source

MIMO_PAPER = "https://openaccess.thecvf.com/content/ICCV2021/papers/Cho_Rethinking_Coarse-To-Fine_Approach_in_Single_Image_Deblurring_ICCV_2021_paper.pdf"
MIMO_CODE = "https://github.com/chosj95/MIMO-UNet"
RESSHIFT_PAPER = "https://proceedings.neurips.cc/paper_files/paper/2023/file/2ac2eac5098dba08208807b65c5851cc-Paper-Conference.pdf"
RESSHIFT_CODE = "https://github.com/zsyOAOA/ResShift"
DETR_HF = "https://huggingface.co/facebook/detr-resnet-50"
RCAN_SUMMARY = (
    "RCAN is a very deep network for single image super-resolution built from residual groups with long and short "
    "skip connections and a channel attention mechanism. It outperforms state-of-the-art methods on standard "
    "benchmarks. The code is released under the MIT licence."
)

CASE = Case(
    id="kinds",
    question="My street photo is blurry and small: please sharpen it and enlarge it four times.",
    sources=[
        Source(id="R1", role="recommended", name="Deblur-MIMO-UNet-RealBlur", paper_url=MIMO_PAPER, github_url=MIMO_CODE),
        Source(id="R2", role="recommended", name="SISR-ResShift-RealSR-v1-4x", paper_url=RESSHIFT_PAPER, github_url=RESSHIFT_CODE),
        Source(id="R3", role="recommended", name="ObjDet-HuggingFace-facebook-detr-resnet-50",
               paper_url="https://arxiv.org/pdf/2005.12872", links={"HuggingFace": DETR_HF}),
        Source(id="P1", role="related", name="Image Super-Resolution Using Very Deep Residual Channel Attention Networks",
               paper_url="https://arxiv.org/abs/1807.02758", summary=RCAN_SUMMARY),
        Source(id="P2", role="related", name="Real Photo Deblurring", paper_url="https://openaccess.thecvf.com/content_CVPR_2020/html/x.html"),
    ],
)


def found(text: str, *kinds: str) -> list[tuple[str, str]]:
    return [(v.kind, v.text) for v in check(text, CASE, kinds=kinds or ("attribution", "venue", "author", "claim"))]


# --------------------------------------------------------------------------- attribution

@pytest.mark.parametrize(
    ("text", "link"),
    [
        (f"MIMO-UNet's code is at {RESSHIFT_CODE}.", RESSHIFT_CODE),  # a sentence
        (f"- **MIMO-UNet**: sharpens the photo ({RESSHIFT_PAPER})", RESSHIFT_PAPER),  # a bullet
        (f"| MIMO-UNet | deblurring | {RESSHIFT_CODE} |", RESSHIFT_CODE),  # a table row
        (f"See the [MIMO-UNet code]({RESSHIFT_CODE}) and ResShift.", RESSHIFT_CODE),  # a markdown link's text
        ("ResShift is described in arXiv:2005.12872.", "arXiv:2005.12872"),  # an arXiv id: DETR's paper
    ],
)
def test_an_input_link_attached_to_another_source_is_misattributed(text: str, link: str) -> None:
    v = check(text, CASE, kinds=["url", "attribution"])
    assert [(x.kind, x.text) for x in v] == [("attribution", link)]  # the link itself is the input's: no url violation
    assert v[0].line == 1 and v[0].message.startswith(f"The link {link} is given for ")


@pytest.mark.parametrize(
    "text",
    [
        f"MIMO-UNet's code is at {MIMO_CODE}.",  # its own link
        f"The code is at {RESSHIFT_CODE}.",  # beside no source's name
        f"MIMO-UNet sharpens the photo. ResShift enlarges it: {RESSHIFT_CODE}.",  # its own sentence
        f"MIMO-UNet and ResShift run in turn ({RESSHIFT_CODE}).",  # one of the names it sits beside is its own
        f"See [the ResShift code]({RESSHIFT_CODE}) after MIMO-UNet.",  # the link's own text names it
        f"DETR (R3) on the Hub: {DETR_HF}",
    ],
)
def test_a_link_beside_its_own_source_or_no_source_passes(text: str) -> None:
    assert found(text) == []


# --------------------------------------------------------------------------- venue

@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("MIMO-UNet was presented at ECCV 2024.", "ECCV 2024"),
        ("ResShift (CVPR 2021) enlarges the photo.", "CVPR 2021"),
        ("ResShift (ICCV 2021) enlarges the photo.", "ICCV 2021"),  # a venue of another source's paper
        ("ResShift was published in 2019.", "2019"),
        ("MIMO-UNet (Cho et al., 2019) sharpens it.", "2019"),
        ("MIMO-UNet, a NeurIPS paper, sharpens it.", "NeurIPS"),
    ],
)
def test_a_venue_or_year_the_input_does_not_give_for_the_work_is_a_violation(text: str, phrase: str) -> None:
    assert found(text, "venue") == [("venue", phrase)]


@pytest.mark.parametrize(
    "text",
    [
        "MIMO-UNet (ICCV 2021) sharpens the photo.",  # ICCV2021 in its paper URL
        "MIMO-UNet (Cho et al., 2021) sharpens the photo.",
        "ResShift (NeurIPS 2023) enlarges the photo.",  # proceedings.neurips.cc/.../2023
        "The RCAN paper (2018) adds channel attention.",  # arXiv 1807.02758
        "Real Photo Deblurring (CVPR 2020) is related.",  # openaccess.thecvf.com/content_CVPR_2020
        "The output is a 2048×1536 image (2048 px wide), or (1920 px) for the web.",  # sizes, not years
        "Super-Resolution-NTIRE-2020-x4 is not provided.",  # inside a name
        "The tip of the brush stays sharp.",  # ordinary words are not venues
    ],
)
def test_a_venue_or_year_the_input_gives_for_the_work_passes(text: str) -> None:
    assert found(text, "venue") == []


# --------------------------------------------------------------------------- author

@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("DETR was developed by researchers at Tsinghua University.", "Tsinghua University"),
        ("ResShift, by Kaiming He, enlarges the photo.", "Kaiming He"),
        ("Meta's ResShift enlarges the photo.", "Meta"),
        ("ResShift was developed by Google Research.", "Google Research"),
        ("MIMO-UNet (Cao et al., 2021) sharpens it.", "Cao et al."),
        ("The style (by Leonid Afremov) is bright.", "Leonid Afremov"),
        ("ResShift enlarges it (paper by Kaiming He).", "Kaiming He"),
    ],
)
def test_an_author_the_input_does_not_name_for_the_work_is_a_violation(text: str, name: str) -> None:
    assert found(text, "author") == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Facebook's DETR finds the cars.",  # facebook/detr-resnet-50
        "Meta's DETR finds the cars.",  # Meta is Facebook's other name
        "DETR was developed by Facebook AI Research.",
        "MIMO-UNet (Cho et al., 2021) sharpens it.",  # Cho_Rethinking... in its paper URL
        "MIMO-UNet is followed by ResShift, trained by the user.",  # models and plain words are not authors
        "The photo was taken by Stable Diffusion users.",
    ],
)
def test_an_author_the_input_names_for_the_work_passes(text: str) -> None:
    assert found(text, "author") == []


# --------------------------------------------------------------------------- claim

@pytest.mark.parametrize(
    "text",
    [
        "MIMO-UNet outperforms every other deblurring model.",
        "ResShift is the fastest super-resolution model available.",
        "MIMO-UNet is state-of-the-art for street photos.",
        "ResShift is the best choice for this photo.",
        "ResShift is released under a CC BY-NC licence.",
        "MIMO-UNet excels at restoring faces in old portraits.",
        "ResShift is particularly effective for medical scans.",
        "MIMO-UNet is designed to remove rain streaks from windows.",
        "ResShift was trained on satellite imagery of farmland.",
        "MIMO-UNet: its architecture relies on graph convolutions.",
        "MIMO-UNet preserves skin tones in portraits.",
    ],
)
def test_a_claim_no_source_makes_about_that_work_is_a_violation(text: str) -> None:
    v = check(text, CASE, kinds=["claim"])
    assert [x.kind for x in v] == ["claim"] and v[0].line == 1
    assert v[0].text in text and "not supported by what the sources say" in v[0].message


@pytest.mark.parametrize(
    "text",
    [
        "RCAN (P1) outperforms earlier super-resolution methods.",  # the summary makes the comparison
        "RCAN (P1) is released under the MIT licence.",  # the summary names the licence
        "RCAN (P1) is designed with residual groups and long skip connections.",  # the summary's words
        "MIMO-UNet is designed for deblurring real blurry photos.",  # its name gives the task
        "ResShift is trained for 4x super-resolution.",  # its name gives the scale and the task
        "MIMO-UNet may excel at sharpening street photos.",  # hedged
        "None of the provided models is trained on satellite imagery.",  # a gap statement
        "ResShift is not designed for medical scans.",  # a limitation
        "Deblurring networks are often trained on synthetic pairs.",  # general, about no source
        "```\n[MIMO-UNet] -> excels at everything\n```",  # a diagram
    ],
)
def test_a_claim_a_source_makes_or_a_sound_sentence_passes(text: str) -> None:
    assert found(text, "claim") == []


def test_a_sentence_with_several_claims_is_quoted_once() -> None:
    v = check("MIMO-UNet excels at portraits and outperforms every model, trained on satellite imagery.", CASE, kinds=["claim"])
    assert [(x.kind, x.text) for x in v] == [("claim", "excels at portraits and outperforms every model")]
    assert v[0].message == ('The claim "excels at portraits and outperforms every model" is not supported by what the sources '
                            "say about this model or paper; state only what its name, links or summary give, or say plainly "
                            "that the sources do not say.")


def test_claims_are_judged_per_sentence() -> None:
    text = "MIMO-UNet sharpens the photo. Deblurring networks excel at portraits of cats."
    assert found(text, "claim") == []  # the second sentence names no source (and is not "It …" about the first's)
    assert found("MIMO-UNet sharpens the photo; it excels at portraits of cats.", "claim") == [
        ("claim", "excels at portraits of cats")
    ]
