"""A quote in an evidence mark of our rendered format (a footnote under the references,
or an inline ``["…"]``) is judged by the evidence rule, which says once that it is not
the source's words; the claim rule does not flag the same words again. A claim in the
statement's own prose is still the claim rule's."""

from __future__ import annotations

from cnaps_llm.grounding import check
from cnaps_llm.models import Case, Source

CASE = Case(
    id="evidence-quotes",
    question="How does an AI copy an art style onto a photo so fast?",
    sources=[
        Source(id="R1", role="recommended", name="NST-fast-neural-style-mosaic"),
        Source(id="P1", role="related", name="Perceptual Losses for Real-Time Style Transfer", paper_url="https://arxiv.org/abs/1603.08155",
               summary="A feed-forward network is trained to stylise images in a single pass with perceptual loss functions."),
    ],
)

ANSWER = """## 1. The task

The user wants style transfer: repainting a photo in the style of an artwork.

## 2. How it works: input → model → output

**Input:** a photo

**Model:**
1. **NST-fast-neural-style-mosaic**: {step}[^1]

**Output:** the photo in a mosaic style

## 3. Papers and tools

- **Perceptual Losses for Real-Time Style Transfer**: paper https://arxiv.org/abs/1603.08155. Trains a feed-forward network with perceptual losses.[^2]

[^1]: NST-fast-neural-style-mosaic: “{quote}”
[^2]: Perceptual Losses for Real-Time Style Transfer: “A feed-forward network is trained to stylise images in a single pass”
"""


def kinds(step: str, quote: str) -> list[tuple[str, str]]:
    return [(v.kind, v.text) for v in check(ANSWER.format(step=step, quote=quote), CASE, kinds=("claim", "evidence"))]


def test_an_invented_quote_is_the_evidence_rules_alone() -> None:
    found = kinds("A style network repaints the photo in the mosaic style.", "a network that repaints any photo instantly and flawlessly")
    assert [k for k, _ in found] == ["evidence"], found


def test_the_same_words_in_the_statement_are_a_claim() -> None:
    found = kinds("It repaints any photo instantly and flawlessly.", "NST-fast-neural-style-mosaic")
    assert "claim" in [k for k, _ in found], found


def test_an_inline_mark_is_the_evidence_rules_too() -> None:
    answer = ANSWER.format(step="A style network repaints the photo.", quote="NST-fast-neural-style-mosaic").replace(
        "repaints the photo.[^1]", 'repaints the photo. ["a network that repaints any photo instantly and flawlessly"]'
    )
    assert "claim" not in [v.kind for v in check(answer, CASE, kinds=("claim", "evidence"))]
