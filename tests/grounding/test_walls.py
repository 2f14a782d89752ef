"""Walls of words: a degenerate reply ("one one one …", "CVPR CVPR …", "trained on trained
on …") is checked in time linear in its size.

Before, a rule that read the whole sentence around each of a wall's cues read the whole
wall once per cue, and two patterns re-walked a run from each of its words: 40 KB of
"one " took 462 s, of "half a " 155 s, of "trained on " 12 s, of "CVPR " 10 s, of "1. "
12 s, a table header with its rule repeated 24 s (each header walked every row after it), and
"super-resolution " 15 s (each task's clause read back to the line's start). The bound
below is loose (a loaded machine), far under those, which grow with the square of the size.
"""

from __future__ import annotations

import time

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.grounding.numbers import figures_in
from cnaps_llm.grounding.statements import unit_at
from cnaps_llm.inputs import load_case

from ..conftest import SEEDS

SIZE = 80_000


@pytest.fixture(scope="module")
def case():
    return load_case(SEEDS["003"])


def wall(unit: str) -> str:
    return "## 1. Task\nDenoise-SwinIR-Noise15 " + unit * (SIZE // len(unit)) + " end.\n## 2. How\nx\n## 3. Papers\ny\n"


@pytest.mark.parametrize(
    "unit", ["one ", "half a ", "trained on ", "CVPR ", "1. ", "(2021) ", "SwinIR CVPR ", "super-resolution ",
             "| Model | Strengths |\n|---|---|\n"]
)
def test_a_wall_of_one_phrase_is_checked_in_linear_time(case, unit: str) -> None:
    start = time.perf_counter()
    found = check(wall(unit), case)
    elapsed = time.perf_counter() - start
    assert elapsed < 12, elapsed
    assert any(v.kind == "quality" for v in found)  # and it is still judged: a wall is not an answer


def test_a_unit_in_a_wall_is_a_window_around_its_offset_and_a_sentence_is_whole() -> None:
    text = "Intro. " + "word " * 2000 + "end."
    us, ue = unit_at(text, 5000)
    assert us <= 5000 < ue and ue - us <= 800
    assert text[us - 1] == " " and text[ue] == " "  # cut at spaces, never inside a word
    sentence = "SwinIR restores the photo in one pass. It keeps the edges."
    assert unit_at(sentence, 3) == (0, 38) and unit_at(sentence, 45) == (39, len(sentence))


def test_a_claim_inside_a_wall_is_still_flagged_by_its_window(case) -> None:
    filler = "the photo " * 300
    body = f"{filler}Denoise-SwinIR-Noise15 was trained on ten million smartphone night shots {filler}"
    found = check("## 1. Task\n" + body + "\n## 2. How\nx\n## 3. Papers\ny\n", case)
    assert any(v.kind in ("claim", "number") and ("million" in v.text or "trained" in v.text) for v in found), found


def test_a_spelled_figure_of_many_words_is_still_read_whole() -> None:
    # the run reads at most eight words after its first: every real spelled figure fits
    got = [(f.text, f.values) for f in figures_in("about two hundred and fifty-three thousand images were used")]
    assert got == [("two hundred and fifty-three thousand images", (253000.0,))]
    assert list(figures_in("one " * 5000)) == []


def test_thousands_of_distinct_invented_names_are_each_told_apart_quickly(case) -> None:
    # each name was searched as a short form of every provided name (1 ms a name): a name
    # whose letters are not, in order, among a provided name's is no short form of it
    body = " ".join(f"ABCD{i}" for i in range(20_000))
    start = time.perf_counter()
    found = check("## 1. Task\n" + body + "\n## 2. How\nx\n## 3. Papers\ny\n", case)
    assert time.perf_counter() - start < 15  # 22 s before, 3 s here on a quiet machine
    assert sum(v.kind == "model" for v in found) == 20_000


def test_a_short_form_still_reads_as_the_provided_name(case) -> None:
    body = "SwinIR-Noise15 and Dual Transformers and HAIR and DreamClear restore the photo."
    assert not [v for v in check("## 1. Task\n" + body + "\n## 2. How\nx\n## 3. Papers\ny\n", case) if v.kind == "model"]
