"""The word lists behind the attribution, venue, author and claim kinds (cnaps_llm/data:
claims.json, venues.txt, organisations.txt, name_parts.txt), and the pieces that read
them: every listed word is found where it should be, and the lists stay well-formed."""

from __future__ import annotations

import re

import pytest

from cnaps_llm.grounding import sources, statements, triggers
from cnaps_llm.models import Source

TERMS = triggers.claim_terms()
CUE_TERMS = [(kind, t) for kind in triggers.CLAIM_CUE_KINDS for t in TERMS[kind]]


def test_the_claim_lists_are_well_formed() -> None:
    assert set(TERMS) == {*triggers.CLAIM_CUE_KINDS, "comparison_in_source", "hedge", "gap", "plain", "gradable", "label", "workflow_label"}
    for name, terms in TERMS.items():
        assert terms and len(terms) == len(set(terms)), name
        assert all(t == t.strip().lower() and t for t in terms), name
    for name in (*triggers.CLAIM_CUE_KINDS, "hedge", "gap"):  # searched by their first word, written out
        assert not [t for t in TERMS[name] if "*" in t.split()[0]], name
    every_cue = [t for _, t in CUE_TERMS]
    assert len(every_cue) == len(set(every_cue))  # one kind per cue


@pytest.mark.parametrize(("kind", "term"), CUE_TERMS)
def test_every_cue_is_found_with_its_kind(kind: str, term: str) -> None:
    written = term.replace("*", "x").replace(" ", "-" if term == "state of the art" else " ")
    text = f"MSSNet {written} sharp edges."
    found = [(text[s:e].lower(), k) for s, e, k in triggers.triggers(text) if k in triggers.CLAIM_CUE_KINDS]
    assert found and found[0][1] == kind, found
    assert found[0][0].replace("-", " ").startswith(term.split("*")[0].split()[0])


@pytest.mark.parametrize("term", TERMS["hedge"] + TERMS["gap"])
def test_every_hedge_and_gap_word_makes_a_sentence_no_claim(term: str) -> None:
    words = triggers.to_words(f"MSSNet {term.replace('*', '')} excels at sharp edges.")
    assert triggers.hedged(words, 1, len(words) - 1)


def test_a_sentence_without_a_hedge_is_not_hedged() -> None:
    words = triggers.to_words("MSSNet excels at sharp edges; knots, nothing and notes are plain words.")
    assert not triggers.hedged(words, 1, len(words) - 1)


@pytest.mark.parametrize("name", sorted(triggers.venues()))
def test_every_venue_is_found_as_written_and_in_a_url(name: str) -> None:
    text = f"The paper ({name} 2021) is cited."
    assert [(text[s:e], k) for s, e, k in triggers.triggers(text) if k == "venue"] == [(name, "venue")]
    short = triggers.venues()[name]
    assert sources.venues_in(f"https://example.org/content/{name.replace(' ', '_')}2021/paper.pdf") >= {short}
    lower = f"The paper ({name.lower()} 2021) is cited."
    assert name.lower() == name or not [k for _, _, k in triggers.triggers(lower) if k == "venue"]


@pytest.mark.parametrize("name", sorted(triggers.organisations()))
def test_every_organisation_is_found_in_its_possessive(name: str) -> None:
    text = f"The model is {name}'s best."
    assert [(text[s:e], k) for s, e, k in triggers.triggers(text) if k == "own"] == [(f"{name}'s", "own")]


def test_organisation_names_and_venue_names_are_listed_once() -> None:
    for file in ("venues.txt", "organisations.txt", "name_parts.txt"):  # venues and organisations match as written
        names = [n.strip() if file != "name_parts.txt" else n.strip().lower()
                 for line in triggers.data_lines(file) for n in re.split(r"[|=]", line)]
        assert len(names) == len(set(names)), file


@pytest.mark.parametrize(
    ("name", "handles"),
    [
        ("Deblur-MSSNet-L-GoPro", {"deblur mssnet l gopro", "r1", "mssnet l gopro", "mssnet gopro", "mssnet", "gopro"}),
        ("Txt2Img-StableDiffusionV1-Realisian", {"txt2img stablediffusionv1 realisian", "r1", "stablediffusionv1 realisian",
                                                 "stablediffusionv1", "stable diffusion", "sd", "sd1", "sd 1 x", "sd v1", "realisian"}),
        ("Enhancement-low-light-img-enhancer", {"enhancement low light img enhancer", "r1", "low light img enhancer"}),
        ("Classification-HuggingFace-microsoft-resnet-50", {"classification huggingface microsoft resnet 50", "r1",
                                                            "huggingface microsoft resnet 50", "microsoft", "resnet 50"}),
        ("SwinIR: Image Restoration Using Swin Transformer", {"swinir image restoration using swin transformer", "r1", "swinir"}),
        ("End-to-End Object Detection with Transformers", {"end to end object detection with transformers", "r1"}),
    ],
)
def test_a_source_is_known_by_its_identifying_parts(name: str, handles: set[str]) -> None:
    got = {" ".join(h) for h in sources.handles(Source(id="R1", role="recommended", name=name))}
    assert got == handles


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("MSSNet deblurs. It excels at edges.", "It excels at edges."),
        ("MSSNet (Kim et al., 2021) excels at edges. Next.", "MSSNet (Kim et al., 2021) excels at edges."),
        ("It removes blur, e.g. Shake excels at edges. Next.", "It removes blur, e.g. Shake excels at edges."),
        ("The model by J. Smith excels at edges.", "The model by J. Smith excels at edges."),
        ("- **MSSNet**: excels at edges\n- next", "- **MSSNet**: excels at edges"),
        ("It is for haze removal. **DeHaze** excels at edges.", "**DeHaze** excels at edges."),
    ],
)
def test_a_unit_is_the_sentence_bullet_or_row_around_an_offset(text: str, unit: str) -> None:
    s, e = statements.unit_at(text, text.index("excels"))
    assert text[s:e] == unit


def test_a_sentence_that_starts_at_the_offset_is_the_unit_not_the_one_before() -> None:
    # the stop before the offset ends a sentence even though the capital after it is the offset itself
    text = "IMDN is light ([paper](https://arxiv.org/abs/1909.11856)). Its architecture excels at edges."
    s, e = statements.unit_at(text, text.index("Its"))
    assert text[s:e] == "Its architecture excels at edges."


def test_a_source_gives_the_years_and_venues_of_its_urls() -> None:
    assert sources.years_of(["https://arxiv.org/abs/2003.07018", "see 2019"]) == {"2020", "2019"}
    assert sources.venues_in("openaccess.thecvf.com/content_CVPR_2020/html/x.html") == {"CVPR"}
    assert sources.venues_in("https://proceedings.neurips.cc/paper_files/paper/2023/file/x.pdf") == {"NeurIPS"}
    assert sources.venues_in("multiple tips for the task") == frozenset()
