"""Claims in forms a sixth fresh probe showed were missed: a source called "the leading"
architecture or approach, trust and guarantees credited to it ("trusted by", "guarantees",
"studio-quality", "avoids"), and a design it is said to be built around. Each caught form
has a sound twin that passes: a hedge, a gap statement, or what the source's summary gives.
A comparison by a factor ("twice as fast", "three times faster") on a gradable word its
source never uses is not grounded by a summary that compares on something else.
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.models import Case, Source

CASE = Case(
    id="probe6",
    question="My scanned concert posters have moire stripes and faded ink. Which model can fix them?",
    sources=[
        Source(id="R1", role="recommended", name="Restoration-InkRevive-Base", paper_url="https://arxiv.org/pdf/2411.07654",
               summary="InkRevive restores faded print scans with a wavelet-domain network built around a "
                       "moire-aware attention block. It avoids colour shifts on halftone dots in our tests."),
        Source(id="R2", role="recommended", name="Descreen-PatternOff-L"),
        Source(id="R3", role="recommended", name="SISR-PosterUp-4x"),
        Source(id="R4", role="recommended", name="Denoise-QuietScan-S", paper_url="https://arxiv.org/pdf/2412.01234",
               summary="QuietScan removes scanner noise from poster scans. It outperforms earlier scan denoisers and keeps scans sharper."),
    ],
)


def claims(text: str) -> list[str]:
    return [v.text for v in check(text, CASE, kinds=("claim",))]


@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("PatternOff-L is the leading architecture for removing moire from scans.",
         "Whether PatternOff-L is the leading architecture for moire is not something the prompt says."),
        ("PosterUp-4x remains the leading approach for enlarging printed posters.",
         "PosterUp-4x may be a reasonable approach for enlarging printed posters."),
        ("PatternOff-L is trusted by print shops for cleaning halftone scans.",
         "The prompt gives no summary for PatternOff-L, so nothing says it is trusted by print shops."),
        ("PosterUp-4x guarantees crisp lettering at poster size.",
         "PosterUp-4x could help with lettering, but nothing in the prompt says how crisp it stays."),
        ("PatternOff-L avoids banding in flat colour areas.",
         "InkRevive avoids colour shifts on halftone dots, according to its summary."),
        ("PosterUp-4x was designed around a perceptual loss that sharpens printed type.",
         "InkRevive was designed around a moire-aware attention block, as its summary says."),
    ],
)
def test_probe6_forms(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        ("QuietScan is twice as fast as earlier scan denoisers on poster scans.",
         "QuietScan is sharper than earlier scan denoisers, its summary says."),
        ("QuietScan is three times faster than earlier scan denoisers on poster scans.",
         "QuietScan may be faster than earlier scan denoisers, but the summary only says it is sharper."),
        ("QuietScan is twice as clean as earlier scan denoisers on poster scans.",
         "QuietScan gives sharper scans than earlier scan denoisers."),
    ],
)
def test_a_comparison_on_a_degree_the_source_never_names(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)
