"""Claims, venues and authors in the forms a second held-out set showed were missed or
wrongly flagged: a checkpoint named in full beside a part other checkpoints share, a
subject given by a paragraph's bold label or the heading above a prose line, comparisons
with words between their parts, reputation and acronym wording, years and authors in
citation shapes. Each caught form has a sound twin that passes."""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.models import Case, Source

GLOW_PAPER = "http://arxiv.org/pdf/2211.05432v1.pdf"
GLOW_CODE = "https://github.com/mpark77/glownet"

CASE = Case(
    id="heldout2",
    question="My product photos of mugs look dull. Can AI make them brighter and more playful?",
    sources=[
        Source(id="R1", role="recommended", name="Txt2Img-StableDiffusionV1-PastelDream"),
        Source(id="R2", role="recommended", name="Txt2Img-StableDiffusionV1-NeonPop"),
        Source(id="R3", role="recommended", name="Enhance-GlowNet-Lite", paper_url=GLOW_PAPER, github_url=GLOW_CODE,
               summary="GlowNet brightens under-exposed photos with a learned tone curve. It is faster than prior curve estimators."),
    ],
)


def found(text: str, *kinds: str) -> list[tuple[str, str]]:
    return [(v.kind, v.text) for v in check(text, CASE, kinds=kinds or ("attribution", "venue", "author", "claim"))]


# --------------------------------------------------------------------------- a full name beside a shared part

def test_a_checkpoint_named_in_full_is_the_subject_of_it_despite_a_part_it_shares() -> None:
    text = "Txt2Img-StableDiffusionV1-NeonPop repaints the backdrop. It renders chrome better than any other SD 1.5 merge."
    assert found(text, "claim") == [("claim", "better than any other SD 1")]


def test_a_shared_part_alone_still_names_every_checkpoint_that_has_it() -> None:
    # "StableDiffusionV1" alone names both checkpoints: "It" has no single subject, nothing is judged
    assert found("Both StableDiffusionV1 checkpoints repaint the backdrop. It renders chrome better than any other SD 1.5 merge.",
                 "claim") == []


# --------------------------------------------------------------------------- a subject given by the line's label or the heading above

def test_a_sentence_after_a_bold_paragraph_label_is_about_the_labelled_source() -> None:
    text = "**Enhance-GlowNet-Lite.** The exposure step. The weights are Apache-licensed."
    assert found(text, "claim") == [("claim", "licensed")]


def test_a_prose_line_under_a_model_heading_is_about_that_model() -> None:
    text = "### Enhance-GlowNet-Lite\n\nBrightens the mugs first.\nReviewers say it struggles with glossy glaze.\n"
    assert found(text, "claim") == [("claim", "struggles with glossy glaze")]


@pytest.mark.parametrize(
    "text",
    [
        "**Enhance-GlowNet-Lite.** The exposure step. Its weights may be licensed differently; check before use.",
        # the paragraph above the line is led by a bold name, not a heading: the line is the answer's own design
        "### Why these models\n\n**Enhance-GlowNet-Lite** brightens.\n\nThe branching struggles with nothing the user shot.\n",
        "### Enhance-GlowNet-Lite\n\nIt is faster than prior curve estimators, as its summary says.\n",
    ],
)
def test_a_labelled_or_headed_sentence_that_hedges_or_is_given_passes(text: str) -> None:
    assert found(text, "claim") == []
