"""Claims and authors in the forms a fourth held-out set showed were missed or wrongly
flagged: authors introduced without "by" (a lead such as "its authors,", a label such as
"Authors:" or "Affiliation:", a table column of authors, a possessive of a list of names or
of one surname before a lab or a work, a name before a credit verb) and claims in plain
wording (tuned or built for, copes better, a knack for, does a great job, the go-to, fits on
a phone, a comparative after a verb of output), a comparison its source makes about other
things, a clause that says where a claim comes from, a label in a block quote. Each caught
form has a sound twin that passes: the input gives it, it hedges, or it names no one.
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.models import Case, Source

FILM_PAPER = "https://arxiv.org/pdf/2405.01234"
FILM_CODE = "https://github.com/parkjiho/filmfix"

CASE = Case(
    id="heldout4",
    question="My scanned film photos have a green cast and dust specks. Can AI clean them and fix the colours?",
    sources=[
        Source(id="R1", role="recommended", name="Restore-FilmFix-Dust", paper_url=FILM_PAPER, github_url=FILM_CODE,
               summary="FilmFix removes dust and scratches from scanned film with a two-stage network trained on "
                       "synthetic scratches. It recovers faded colours better than prior film restorers."),
        Source(id="R2", role="recommended", name="Colorization-HueShift-Base"),
        Source(id="R3", role="recommended", name="Txt2Img-StableDiffusionV1-RetroGrain"),
    ],
)


def found(text: str, *kinds: str) -> list[tuple[str, str]]:
    return [(v.kind, v.text) for v in check(text, CASE, kinds=kinds or ("attribution", "venue", "author", "claim"))]


# --------------------------------------------------------------------------- authors without "by"

@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("FilmFix cleans the scans. Its authors, Minji Seo and Daniel Varga, trained it on synthetic scratches.",
         "Minji Seo and Daniel Varga"),
        ("**Restore-FilmFix-Dust**\n\n**Authors:** Minji Seo, Daniel Varga\n", "Minji Seo, Daniel Varga"),
        ("- **Restore-FilmFix-Dust**\n  - *Released by:* Adobe Research\n", "Adobe Research"),
        ("**Restore-FilmFix-Dust** | Affiliation: Seoul National University\n", "Seoul National University"),
        ("Restore-FilmFix-Dust is the work of Minji Seo and Daniel Varga.", "Minji Seo and Daniel Varga"),
        ("Restore-FilmFix-Dust, co-written with Daniel Varga, removes dust.", "Daniel Varga"),
        ("Restore-FilmFix-Dust is from Seo, Varga and Park.", "Seo, Varga and Park"),
        ("Restore-FilmFix-Dust follows Seo and Varga's restoration approach.", "Seo and Varga"),
        ("Restore-FilmFix-Dust was made in Varga's imaging lab.", "Varga"),
        ("Adobe Research released the Restore-FilmFix-Dust weights.", "Adobe Research"),
        ("Restore-FilmFix-Dust was put together by Yulu Gan and Jiho Park.", "Yulu Gan and Jiho Park"),
        ("Restore-FilmFix-Dust is a scanning paper from Seoul National University.", "Seoul National University"),
    ],
)
def test_an_author_introduced_without_by_is_flagged(text: str, name: str) -> None:
    assert found(text, "author") == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "FilmFix cleans the scans. Its authors are not named in the prompt; the code is at " + FILM_CODE + ".",
        "**Restore-FilmFix-Dust**\n\n**Authors:** not given in the sources\n",
        "- **Restore-FilmFix-Dust**\n  - *Released by:* Jiho Park, on GitHub\n",
        "**Restore-FilmFix-Dust** | Team: Park lab, as the repository owner parkjiho suggests\n",
        "Restore-FilmFix-Dust is the work of Jiho Park, whose repository hosts the code.",
        "Restore-FilmFix-Dust, co-written with Jiho Park, removes dust.",
        "Restore-FilmFix-Dust is from Jiho Park.",
        "Restore-FilmFix-Dust follows Park's restoration approach.",
        "Restore-FilmFix-Dust borrows ResShift's residual approach.",  # a model's possessive, not a person's
        "Jiho Park released the Restore-FilmFix-Dust weights.",
        "Restore-FilmFix-Dust was put together by Jiho Park.",
        "Restore-FilmFix-Dust is a scanning paper from the same repository: " + FILM_CODE + ".",
        "It's a team effort: FilmFix cleans, HueShift recolours.",
        "Restore-FilmFix-Dust is a model from Hugging Face, per its card.",  # a host, not an author
        "**Origin:** Camera upload\n",  # one capitalised word after a label names no one for sure
        "Colorization-HueShift-Base was written with Python.",
    ],
)
def test_an_author_the_input_gives_or_no_author_passes(text: str) -> None:
    assert found(text, "author") == []


def test_a_table_column_of_authors_credits_each_row() -> None:
    text = ("| Model | Authors | Role |\n|---|---|---|\n"
            "| Restore-FilmFix-Dust | Seo, Varga | dust |\n"
            "| Colorization-HueShift-Base | not listed | colour |\n"
            "| Restore-FilmFix-Dust | Jiho Park | dust |\n")
    assert found(text, "author") == [("author", "Seo, Varga")]


def test_a_table_without_a_credit_column_credits_nobody() -> None:
    text = ("| Model | Strength | Role |\n|---|---|---|\n"
            "| Restore-FilmFix-Dust | Seo, Varga | dust |\n")
    assert found(text, "author") == []


def test_a_person_with_a_possessive_lab_is_credited_once_by_their_full_name() -> None:
    assert found("Restore-FilmFix-Dust. Credit: Minji Seo's group at Seoul National University.", "author") == [
        ("author", "Minji Seo"), ("author", "Seoul National University")]


# --------------------------------------------------------------------------- claims in plain wording

@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Colorization-HueShift-Base is tuned for faded slide film.", "tuned for faded slide film"),
        ("Colorization-HueShift-Base was built with old slides in mind.", "built with old slides in mind"),
        ("Colorization-HueShift-Base copes better with green casts.", "copes better with green casts"),
        ("Colorization-HueShift-Base has a knack for skin tones.", "knack for skin tones"),
        ("Colorization-HueShift-Base does skin tones really well.", "really well"),
        ("Colorization-HueShift-Base nails the sky on beach shots.", "nails the sky on beach shots"),
        ("Txt2Img-StableDiffusionV1-RetroGrain is the go-to checkpoint for film looks.", "go-to checkpoint for film looks"),
        ("Colorization-HueShift-Base is a light model that fits on a phone.", "fits on a phone"),
        ("Colorization-HueShift-Base runs comfortably on a laptop GPU.", "runs comfortably on a laptop GPU"),
        ("Colorization-HueShift-Base leans towards warm sepia.", "leans towards warm sepia"),
        ("Colorization-HueShift-Base keeps skin tones natural.", "keeps skin tones natural"),
        ("Colorization-HueShift-Base is gentler on skin than most recolourers.", "gentler on skin than most recolourers"),
        ("Colorization-HueShift-Base holds up in harsh backlight.", "holds up in harsh backlight"),
        ("Colorization-HueShift-Base is what most pros reach for.", "pros reach for"),
        ("Colorization-HueShift-Base gives crisper edges around faces.", "gives crisper edges around faces"),
        ("Colorization-HueShift-Base produces more natural skin than a plain recolour.", "produces more natural skin than a plain recolour"),
        ("Colorization-HueShift-Base does a great job on skies.", "does a great job on skies"),
        ("Colorization-HueShift-Base handles backlit faces well.", "handles backlit faces well"),
        ("Colorization-HueShift-Base is a safe default for family albums.", "safe default for family albums"),
    ],
)
def test_a_plain_worded_claim_the_sources_do_not_make_is_flagged(text: str, quote: str) -> None:
    assert found(text, "claim") == [("claim", quote)]


@pytest.mark.parametrize(
    "text",
    [
        "Restore-FilmFix-Dust is tuned for dust and scratches on scanned film.",  # its summary's words
        "Restore-FilmFix-Dust was built with scanned film in mind.",
        "Restore-FilmFix-Dust copes better with faded colours than prior film restorers.",  # its summary's comparison
        "Restore-FilmFix-Dust gives cleaner scans with fewer dust specks.",
        "The merge step gives sharper edges than either branch alone.",  # the answer's own design, no source
        "Colorization-HueShift-Base may have a knack for skin tones; the prompt does not say.",  # a hedge
        "Colorization-HueShift-Base is a colorization model; whether it fits on a phone is not stated.",
        "Results may vary from scan to scan, so try a few settings on one photo first.",  # generic advice
        "### Colorization-HueShift-Base\n\nThe first stop in the chain; reach for it after the dust pass.\n",  # the design's order
        "Restore-FilmFix-Dust keeps scratches out of the scanned film.",
    ],
)
def test_a_plain_worded_claim_the_sources_make_or_a_hedge_passes(text: str) -> None:
    assert found(text, "claim") == []


# --------------------------------------------------------------------------- where a claim's clause ends, who it is about

def test_a_clause_that_says_where_a_claim_comes_from_is_not_read_as_its_content() -> None:
    head = "**Restore-FilmFix-Dust**\n"
    assert found(head + "- Trained on: the Dust pairs, as its name says.\n", "claim") == []
    assert found(head + "- Trained on: archival slides, as its name says.\n", "claim") == [
        ("claim", "Trained on: archival slides")]


def test_a_bold_label_in_a_block_quote_is_the_subject_of_the_sentences_after_it() -> None:
    assert found("> **Colorization-HueShift-Base** — the colour step. Gentle on skin tones.\n", "claim") == [
        ("claim", "Gentle on skin tones")]
    assert found("> **Restore-FilmFix-Dust** — the dust step. Trained on synthetic scratches.\n", "claim") == []


def test_a_comparison_is_grounded_by_the_source_making_that_comparison_not_any() -> None:
    # FilmFix's summary compares it with prior film restorers on faded colours, not on slides
    assert found("Restore-FilmFix-Dust recovers faded colours better than prior film restorers.", "claim") == []
    assert found("Restore-FilmFix-Dust copes better with green casts on slides than any other model.", "claim") == [
        ("claim", "copes better with green casts on slides than any other")]
    assert found("Restore-FilmFix-Dust outperforms prior film restorers.", "claim") == []
