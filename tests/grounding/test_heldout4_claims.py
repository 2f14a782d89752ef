"""Claims and authors in the forms a fourth held-out set showed were missed or wrongly
flagged: authors introduced without "by" (a lead such as "its authors,", a label, a table
column, a possessive of a list of names, a credit verb after the name) and claims in plain
wording. Each caught form has a sound twin that passes."""

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
        "Restore-FilmFix-Dust is the work of Jiho Park, whose repository hosts the code.",
        "Restore-FilmFix-Dust, co-written with Jiho Park, removes dust.",
        "Restore-FilmFix-Dust is from Jiho Park.",
        "Restore-FilmFix-Dust follows Park's restoration approach.",
        "Restore-FilmFix-Dust borrows ResShift's residual approach.",  # a model's possessive, not a person's
        "Jiho Park released the Restore-FilmFix-Dust weights.",
        "Restore-FilmFix-Dust was put together by Jiho Park.",
        "Restore-FilmFix-Dust is a scanning paper from the same repository: " + FILM_CODE + ".",
        "It's a team effort: FilmFix cleans, HueShift recolours.",
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
