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


def test_a_shared_part_alone_names_the_family_and_it_is_the_subject_of_it() -> None:
    # "StableDiffusionV1" alone names both checkpoints: one subject, the family, judged by each
    assert found("The StableDiffusionV1 checkpoints repaint the backdrop. It renders chrome better than any other merge.",
                 "claim") == [("claim", "better than any other merge")]


def test_two_sources_named_apart_leave_it_without_a_subject() -> None:
    assert found("PastelDream and NeonPop repaint the backdrop. It renders chrome better than any other merge.",
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


# --------------------------------------------------------------------------- wording the cue lists did not reach

@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # a comparative with words between it and "than"
        ("Txt2Img-StableDiffusionV1-PastelDream paints skin smoother on close-ups than NeonPop does.",
         "smoother on close-ups than NeonPop does"),
        ("Txt2Img-StableDiffusionV1-PastelDream keeps more pastel tones on mugs than NeonPop.",
         "more pastel tones on mugs than NeonPop"),
        ("Txt2Img-StableDiffusionV1-PastelDream beats NeonPop on pastel palettes.", "beats NeonPop on pastel palettes"),
        ("Txt2Img-StableDiffusionV1-NeonPop is roughly twice as slow as PastelDream.", "twice as slow as PastelDream"),
        # reputation
        ("Txt2Img-StableDiffusionV1-NeonPop is famous for its glowing outlines.", "famous for its glowing outlines"),
        ("Txt2Img-StableDiffusionV1-NeonPop remains the community favourite for posters.", "favourite for posters"),
        ("Its glow pass in Txt2Img-StableDiffusionV1-NeonPop was later adopted by other merges.", "later adopted by other merges"),
        # a unit that leads with the comparison: about the source after the comma
        ("Compared to PastelDream, Txt2Img-StableDiffusionV1-NeonPop renders chrome with fewer artefacts.",
         "Compared to PastelDream"),
        # an acronym spelled out, a merge's makeup, a training detail with an adverb between
        ("Enhance-GlowNet-Lite: GlowNet stands for Global Light Optimisation Network.",
         "stands for Global Light Optimisation Network"),
        ("Txt2Img-StableDiffusionV1-NeonPop is a merge of three anime checkpoints.", "merge of three anime checkpoints"),
        ("Txt2Img-StableDiffusionV1-NeonPop was trained mostly on arcade posters.", "trained mostly on arcade posters"),
        # a mechanism verb of the model's inner workings
        ("Txt2Img-StableDiffusionV1-NeonPop first predicts a glow mask, then fuses it with the base render.",
         "predicts a glow mask"),
        # an architecture the sources do not give
        ("Txt2Img-StableDiffusionV1-NeonPop is a GAN tuned for posters.", "GAN tuned for posters"),
    ],
)
def test_a_claim_in_wording_outside_the_old_lists_is_flagged(text: str, quote: str) -> None:
    assert found(text, "claim") == [("claim", quote)]


def test_a_label_is_a_cue_only_before_its_colon() -> None:
    assert found("### Txt2Img-StableDiffusionV1-NeonPop\n\nCons: washes out pale glazes.\n", "claim") == [
        ("claim", "Cons: washes out pale glazes")]


@pytest.mark.parametrize(
    "text",
    [
        "Diffusion checkpoints render skin smoother on close-ups than older GANs.",  # no source named
        "Enhance-GlowNet-Lite is faster than prior curve estimators.",  # its summary compares
        "Compared to the dull originals, Enhance-GlowNet-Lite's output is faster to review.",  # its summary compares
        "Compared to a plain resize, this workflow adds a brightening branch.",  # names no source
        "Whether Txt2Img-StableDiffusionV1-NeonPop is popular is not stated in the sources.",  # a gap
        "Here SD stands for Stable Diffusion.",  # the names give it
        "### Txt2Img-StableDiffusionV1-NeonPop\n\nCons: none stated in the sources.\n",  # a gap under a label
        "### Txt2Img-StableDiffusionV1-NeonPop\n\nA second pass trades the drawbacks of one look for another.\n",  # no colon
        "Enhance-GlowNet-Lite brightens the mugs; its summary calls it a learned tone curve.",
        "Enhance-GlowNet-Lite estimates a learned tone curve for under-exposed photos.",  # its summary says so
    ],
)
def test_the_same_wording_given_hedged_or_not_about_a_source_passes(text: str) -> None:
    assert found(text, "claim") == []


def test_a_summary_quoted_word_for_word_is_not_a_claim_but_an_invented_quote_is() -> None:
    text = "**Txt2Img-StableDiffusionV1-NeonPop**: “It is faster than prior curve estimators.”"
    assert found(text, "claim") == []
    invented = "**Txt2Img-StableDiffusionV1-NeonPop**: “It is faster than every other poster merge.”"
    assert found(invented, "claim") == [("claim", "faster than every other poster merge")]


DETR_LIKE = Case(
    id="papers",
    question="Find the mugs in my shelf photo.",
    sources=[
        Source(id="R1", role="recommended", name="ObjDet-ShelfNet-R50", github_url="https://github.com/kfoo/shelfnet"),
        Source(id="P1", role="related", name="ShelfNet: Counting Products with Set Prediction",
               paper_url="https://arxiv.org/abs/2101.01234", github_url="https://github.com/kfoo/shelfnet",
               summary="A CNN backbone extracts features and a transformer decodes a set of boxes."),
    ],
)


def test_a_model_without_a_summary_is_grounded_by_the_paper_that_shares_its_link() -> None:
    said = "ObjDet-ShelfNet-R50 pairs a CNN backbone with a transformer decoder."
    assert [(v.kind, v.text) for v in check(said, DETR_LIKE, kinds=("claim",))] == []
    invented = "ObjDet-ShelfNet-R50 is a GAN."
    assert [(v.kind, v.text) for v in check(invented, DETR_LIKE, kinds=("claim",))] == [("claim", "GAN")]


# --------------------------------------------------------------------------- years and authors in citation shapes

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The 2020 GlowNet paper set the tone-curve idea.", [("venue", "2020")]),  # a name between year and "paper"
        ("Txt2Img-StableDiffusionV1-NeonPop (v3.1, June 2023) is the poster checkpoint.", [("venue", "2023")]),
        (f"GlowNet: {GLOW_PAPER} — Park, Chen & Ito, 2021.", [("author", "Park, Chen & Ito"), ("venue", "2021")]),
        ("GlowNet was presented at ECCV 2022 by Min Cho and Lei Chen.", [("venue", "ECCV 2022"), ("author", "Min Cho"), ("author", "Lei Chen")]),
        ("Txt2Img-StableDiffusionV1-NeonPop was merged by Pixelwitch.", [("author", "Pixelwitch")]),
        ("GlowNet was developed at Tencent ARC Lab.", [("author", "Tencent ARC")]),
        ("GlowNet's code repository by Ana Ruiz is public.", [("author", "Ana Ruiz")]),
        ("GlowNet came out of Ana Ruiz's group: see the paper.", [("author", "Ana Ruiz")]),
        ("The GlowNet project page by Min Park (CUHK) has samples.", [("author", "CUHK")]),
    ],
)
def test_a_year_or_author_in_a_citation_shape_is_judged(text: str, expected: list[tuple[str, str]]) -> None:
    assert sorted(found(text, "venue", "author")) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "The 2022 GlowNet paper is the one linked.",  # the arXiv id gives 2022
        "Enhance-GlowNet-Lite (v1, November 2022) is the exposure step.",
        f"GlowNet: {GLOW_PAPER} — Park et al., 2022.",  # the owner mpark77 gives Park, the id the year
        "GlowNet was presented in 2022 by Min Park, whose account hosts the code.",
        "The repository by Mpark is linked above.",
        "Our photos came from Sam's group of friends.",  # a possessive of one word names no person
        "Shot in June 2021 (my trip), the mug photos are dim.",  # a year that dates no work
    ],
)
def test_a_year_or_author_the_input_gives_or_that_dates_no_work_passes(text: str) -> None:
    assert found(text, "venue", "author") == []


# --------------------------------------------------------------------------- a table column headed by a label

TABLE = """| Model | Role | {head} |
|---|---|---|
| Txt2Img-StableDiffusionV1-NeonPop | poster pass | {neon} |
| Enhance-GlowNet-Lite | exposure pass | {glow} |
"""


def test_a_cell_under_a_strengths_or_weaknesses_column_is_a_claim_about_its_row() -> None:
    text = TABLE.format(head="Strengths", neon="crisp neon rims, vivid glaze", glow="learned tone curve")
    assert found(text, "claim") == [("claim", "crisp neon rims")]
    text = TABLE.format(head="Weaknesses", neon="—", glow="clips bright glaze")
    assert found(text, "claim") == [("claim", "clips bright glaze")]


@pytest.mark.parametrize(
    "text",
    [
        TABLE.format(head="Strengths", neon="not described in the sources", glow="brightens under-exposed photos"),
        TABLE.format(head="Notes", neon="crisp neon rims", glow="learned tone curve"),  # no label heads the column
        "| Step | Strengths |\n|---|---|\n| brighten | even exposure |\n",  # rows name no source
    ],
)
def test_a_labelled_column_the_sources_give_or_about_no_source_passes(text: str) -> None:
    assert found(text, "claim") == []


def test_an_it_inside_the_sentence_takes_the_subject_of_the_sentence_before() -> None:
    text = "Txt2Img-StableDiffusionV1-NeonPop repaints the backdrop. Chrome rims survive its pass better than rivals."
    assert found(text, "claim") == [("claim", "better than rivals")]
    assert found("Your mug photo is dim. Brighten it so it reads better than the original.", "claim") == []


def test_a_dating_verb_that_starts_a_sentence_still_dates_the_work() -> None:
    assert found("Txt2Img-StableDiffusionV1-NeonPop is the poster pass. Released in May 2023 with its weights.",
                 "venue") == [("venue", "2023")]
    assert found("Enhance-GlowNet-Lite brightens. Released in November 2022 with its paper.", "venue") == []
