"""Claims, venues, authors and links judged against the source they are about, in the
forms answers write that were missed or wrongly flagged: a source called by its
repository's name, a subject named before the sentence ("It …", a bullet under a model's
heading), wording outside the old cue lists (mechanism verbs, -est/-er than, weaknesses,
results). Each caught form has a sound twin that passes."""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.grounding.triggers import degree_forms
from cnaps_llm.models import Case, Source

LITE_PAPER = "https://arxiv.org/pdf/2105.01234"
LITE_CODE = "https://github.com/someone/litesr"
WAVE_PAPER = "http://arxiv.org/pdf/2307.04321v2.pdf"
WAVE_CODE = "https://github.com/jdoe/wave-prior"

CASE = Case(
    id="heldout",
    question="My phone photo of a shop sign is small and grainy. Can AI enlarge it and clean it?",
    sources=[
        Source(id="R1", role="recommended", name="SISR-LiteSR-2x", paper_url=LITE_PAPER, github_url=LITE_CODE,
               summary="LiteSR is a compact super-resolution network trained on DIV2K pairs. It runs in real time on phones."),
        Source(id="P1", role="related", name="Learning Wavelet Priors for Blind Image Denoising",
               paper_url=WAVE_PAPER, github_url=WAVE_CODE,
               summary="We learn wavelet priors inside a U-Net for blind denoising. It outperforms prior methods on SIDD."),
    ],
)


def found(text: str, *kinds: str) -> list[tuple[str, str]]:
    return [(v.kind, v.text) for v in check(text, CASE, kinds=kinds or ("attribution", "venue", "author", "claim"))]


def test_degree_forms_follow_the_word() -> None:
    assert [degree_forms(w) for w in ("sharp", "fine", "slim", "heavy", "new", "accurate")] == [
        ("sharpest", "sharper than"), ("finest", "finer than"), ("slimmest", "slimmer than"),
        ("heaviest", "heavier than"), ("newest", "newer than"), ("most accurate", "more accurate than"),
    ]


# --------------------------------------------------------------------------- a repository's name names its source

def test_a_source_called_by_its_repository_name_is_judged_as_that_source() -> None:
    assert found("Wave-Prior is released under the MIT licence.", "claim") == [("claim", "licence")]
    assert found(f"LiteSR: {WAVE_CODE}", "attribution") == [("attribution", WAVE_CODE)]


@pytest.mark.parametrize(
    "text",
    [
        f"Wave-Prior: {WAVE_CODE} and {WAVE_PAPER}",  # its own links beside its repository name
        "Both LiteSR (2021) and Wave-Prior (2023) are small networks.",  # each year its arXiv id gives
        "Wave-Prior outperforms prior methods on SIDD.",  # the summary's own comparison
    ],
)
def test_a_source_called_by_its_repository_name_is_grounded_by_its_own_facts(text: str) -> None:
    assert found(text) == []


# --------------------------------------------------------------------------- the subject named before the unit

def test_it_takes_the_subject_of_the_sentence_before() -> None:
    assert found("LiteSR enlarges the sign. It was trained on satellite imagery.", "claim") == [
        ("claim", "trained on satellite imagery")
    ]
    assert found("LiteSR enlarges the sign. It was trained on DIV2K pairs.", "claim") == []


def test_it_after_two_sources_names_none() -> None:
    assert found("LiteSR and Wave-Prior are both listed. It was trained on satellite imagery.", "claim") == []


def test_a_bullet_takes_the_source_its_heading_names() -> None:
    text = "**LiteSR**\n\n- Strength: gives the cleanest edges of any upscaler\n- Trained on DIV2K pairs\n"
    assert found(text, "claim") == [("claim", "cleanest edges of any upscaler")]
    assert found("### LiteSR\n- struggles with neon signage at night\n", "claim") == [
        ("claim", "struggles with neon signage at night")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "**LiteSR**\n- Output: the enlarged sign, preserving the letter shapes\n",  # a workflow role
        "**Upscaling step**\n- struggles with neon signage at night\n",  # the heading names no source
        "**LiteSR and Wave-Prior**\n- struggles with neon signage at night\n",  # two sources: no one subject
        "LiteSR enlarges the sign.\n\n- struggles with neon signage at night\n",  # prose, not a heading
    ],
)
def test_a_bullet_without_one_named_subject_is_not_judged(text: str) -> None:
    assert found(text, "claim") == []


# --------------------------------------------------------------------------- wording families

@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("LiteSR leverages a graph neural network over pixels.", "leverages a graph neural network over pixels"),
        ("LiteSR was fine-tuned on scanned magazine covers.", "fine-tuned on scanned magazine covers"),
        ("LiteSR is sharper than Wave-Prior on text.", "sharper than Wave-Prior on text"),
        ("LiteSR gives the crispest letters.", "crispest letters"),
        ("LiteSR is one of the most downloaded upscalers.", "one of the most downloaded upscalers"),
        ("LiteSR struggles with motion blur.", "struggles with motion blur"),
        ("LiteSR won a mobile upscaling challenge.", "won a mobile upscaling challenge"),
        ("Compared with Wave-Prior, LiteSR is superior on faces.", "superior on faces"),
        ("LiteSR hallucinates faces in crowds.", "hallucinates faces in crowds"),
        ("LiteSR is for non-commercial research only.", "non-commercial research only"),
        ("Wave-Prior is a lightweight denoiser.", "lightweight denoiser"),
        ("Wave-Prior runs in real time.", "real time"),
        ("LiteSR was trained on grainy shop signs.", "trained on grainy shop signs"),  # the question's words only
        ("**Wave-Prior**\n- Bad at motion blur\n", "Bad at motion blur"),
    ],
)
def test_a_claim_in_a_wording_family_is_judged(text: str, quote: str) -> None:
    assert found(text, "claim") == [("claim", quote)]


@pytest.mark.parametrize(
    "text",
    [
        "LiteSR relies on a compact super-resolution network.",  # the summary says so
        "This pipeline uses LiteSR for the enlarging step.",  # the source is the object, not the subject
        "Wave-Prior is more accurate than earlier denoisers.",  # its summary makes a comparison
        "Compared with LiteSR, Wave-Prior is superior on SIDD.",  # about Wave-Prior, whose summary compares
        "LiteSR may struggle with motion blur.",  # hedged
        "Check each repository's licence before commercial use of LiteSR.",  # advice, not a licence claim
        "LiteSR runs in real time.",  # its summary says so
        "LiteSR was trained on DIV2K pairs of shop signs.",  # the source gives words of its own
        "LiteSR may hallucinate letters on small signs.",  # hedged
    ],
)
def test_a_sound_sentence_of_a_wording_family_passes(text: str) -> None:
    assert found(text, "claim") == []


# --------------------------------------------------------------------------- venues and dates

@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("LiteSR was presented at the International Conference on Computer Vision.", "International Conference on Computer Vision"),
        ("Wave-Prior later appeared in IEEE Transactions on Image Processing.", "IEEE Transactions on Image Processing"),
        ("Wave-Prior was printed in Scientific Reports.", "Scientific Reports"),
        ("The LiteSR paper came out in 2019.", "2019"),  # its arXiv id gives 2021
        ("LiteSR, a 2017 model, is small.", "2017"),
        ("LiteSR was posted in 2020 with its code.", "2020"),
        ("LiteSR (2015) is small.", "2015"),  # a bracketed year beside a source's name dates it
    ],
)
def test_a_venue_written_out_or_a_year_in_other_words_is_judged(text: str, phrase: str) -> None:
    assert found(text, "venue") == [("venue", phrase)]


@pytest.mark.parametrize(
    "text",
    [
        "The LiteSR paper came out in 2021.",  # the year its arXiv id gives
        "LiteSR, a 2021 model, is small.",
        "The sign dates from a shop photo (1987) of a high street.",  # a bracketed year of no work
        "This upscaler is good for an old scan (1995).",
    ],
)
def test_a_date_the_sources_give_or_a_year_of_no_work_passes(text: str) -> None:
    assert found(text, "venue") == []


# --------------------------------------------------------------------------- authors

PAGES_CASE = Case(
    id="pages",
    question="Colour my old photo.",
    sources=[Source(id="R1", role="recommended", name="Colorization-HUE-rand",
                    paper_url="https://ruolinzhao.github.io/hue/paper.pdf", github_url="https://github.com/zhaoruolin/hue")],
)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("LiteSR was introduced in 2021 by Dana Whitfield.", ["Dana Whitfield"]),
        ("LiteSR was released at CVPR 2021 by Dana Whitfield and colleagues.", ["CVPR 2021", "Dana Whitfield"]),
        ("LiteSR was proposed by Dana Whitfield at Lund University.", ["Dana Whitfield", "Lund University"]),
        ("LiteSR was proposed in 2021 by Berg, Holm and Lind.", ["Berg, Holm and Lind"]),
        ("The LiteSR authors are from Lund University.", ["Lund University"]),
        ("LiteSR comes from the Norwegian Research Centre.", ["Norwegian Research Centre"]),
        ("LiteSR comes from Dana Whitfield's lab at Lund University.", ["Dana Whitfield", "Lund University"]),
        ("Wave-Prior was built by colleagues at ETH Zurich.", ["ETH Zurich"]),
    ],
)
def test_an_author_in_other_words_is_judged(text: str, names: list[str]) -> None:
    assert [t for _, t in found(text, "author", "venue")] == names


@pytest.mark.parametrize(
    "text",
    [
        "LiteSR comes from the same family as Wave-Prior.",  # no name after "from"
        "LiteSR was introduced in 2021 by its authors.",
        "The pipeline comes from the user's own design.",
    ],
)
def test_a_sentence_naming_no_author_passes(text: str) -> None:
    assert found(text, "author") == []


@pytest.mark.parametrize("text", ["HUE was proposed by Ruolin Zhao.", "HUE (Zhao et al.) colours photos."])
def test_a_name_run_together_in_a_repository_owner_grounds_the_author(text: str) -> None:
    assert check(text, PAGES_CASE, kinds=["author"]) == []


def test_a_name_no_owner_holds_is_still_judged() -> None:
    assert [v.text for v in check("HUE was proposed by Ruolin Chen.", PAGES_CASE, kinds=["author"])] == ["Ruolin Chen"]


# --------------------------------------------------------------------------- a link under a name line

def test_a_link_under_a_line_holding_another_sources_name_is_misattributed() -> None:
    assert found(f"**SISR-LiteSR-2x**\nPaper: {WAVE_PAPER}\n", "attribution") == [("attribution", WAVE_PAPER)]
    assert found(f"LiteSR\n\n{WAVE_CODE}\n", "attribution") == [("attribution", WAVE_CODE)]


@pytest.mark.parametrize(
    "text",
    [
        f"**Wave-Prior**\nPaper: {WAVE_PAPER}\n",  # its own link
        f"LiteSR enlarges the sign and cleans it.\n{WAVE_PAPER}\n",  # a sentence above, not a name line
        f"- LiteSR: {LITE_PAPER}\n- Related denoising study: {WAVE_PAPER}\n",  # the line above cites its own link
        f"LiteSR\n\n\n{WAVE_PAPER}\n",  # too far below
    ],
)
def test_a_link_under_its_own_name_or_under_no_name_line_passes(text: str) -> None:
    assert found(text, "attribution") == []


# --------------------------------------------------------------------------- a paper described by its title's words

def test_a_paper_described_by_its_title_words_is_that_paper() -> None:
    assert found("The wavelet prior paper is released under the MIT licence.", "claim") == [("claim", "licence")]
    assert found(f"The wavelet study's code is at {LITE_CODE}.", "attribution") == [("attribution", LITE_CODE)]
    assert found(f"The wavelet study's code is at {WAVE_CODE}.", "attribution") == []


@pytest.mark.parametrize(
    "text",
    [
        f"The image paper's code is at {LITE_CODE}.",  # a plain word describes no paper
        f"The transformer paper's code is at {LITE_CODE}.",  # a word of no title
        f"This paper's code is at {LITE_CODE}.",  # no description at all
    ],
)
def test_a_description_no_title_fits_names_no_paper(text: str) -> None:
    assert found(text, "attribution") == []
