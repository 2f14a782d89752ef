"""Claims in the forms a fifth held-out set showed were missed: a claim in a sentence that
also holds a negation elsewhere (a negation takes back only its own clause), a sentence
led by "It" right after a bulleted list, and a gradable word after a copula ("is slower
but more thorough", "so it is quick"). Each caught form has a sound twin that passes: an
honest gap statement, a hedge, or what the source's summary gives.
"""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.models import Case, Source

CASE = Case(
    id="heldout5",
    question="My vacation photos of a harbour at dusk are dark and grainy. Which model should clean them up?",
    sources=[
        Source(id="R1", role="recommended", name="Denoise-DuskNet-Harbor", paper_url="https://arxiv.org/pdf/2409.04321",
               summary="DuskNet removes sensor grain from dark photos without paired data. It is faster than "
                       "earlier denoisers on a single GPU and keeps boat rigging sharp."),
        Source(id="R2", role="recommended", name="Enhancement-GlowLift-Base"),
        Source(id="R3", role="recommended", name="Deblur-StillHand-Large"),
    ],
)


def claims(text: str) -> list[str]:
    return [v.text for v in check(text, CASE, kinds=("claim",))]


# --------------------------------------------------------------------------- a negation governs its own clause

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        # a predicate coordinated after the negated one is a claim of its own
        ("GlowLift does not need a reference shot and beats every rival on dusk scenes.",
         "GlowLift does not need a reference shot and does not beat every rival on dusk scenes."),
        ("GlowLift doesn't need a reference shot, and it outperforms older enhancers on harbour lights.",
         "GlowLift doesn't need a reference shot, and none of the models outperforms older enhancers here."),
        # a negation inside the claim's own words does not take the claim back
        ("GlowLift is well suited to not blowing out harbour lamps.",
         "GlowLift may be well suited to not blowing out harbour lamps."),
    ],
)
def test_a_negation_takes_back_only_its_own_clause(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


@pytest.mark.parametrize(
    "sound",
    [
        "None of the three models is faster than a plain resize here.",
        "StillHand is not faster than DuskNet as far as the sources say.",
        "GlowLift is not designed for grain, and the prompt gives no summary for it.",
        "The StillHand checkpoint is designed to remove shake, not analyse grain.",
        "DuskNet does not need paired data and is faster than earlier denoisers.",  # its summary says both
    ],
)
def test_honest_gap_statements_and_grounded_comparisons_still_pass(sound: str) -> None:
    assert not claims(sound)


# --------------------------------------------------------------------------- "It" right after a bulleted list

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        # the list's items name one source: "It" is about it
        ("Steps:\n- Input: the dusk photo.\n- Step: GlowLift brightens the shadows.\n\nIt excels at neon reflections on water.\n",
         "Steps:\n- Input: the dusk photo.\n- Step: GlowLift brightens the shadows.\n\nIt may excel at neon reflections on water.\n"),
        ("- Run StillHand on each frame.\n- Keep the originals.\nThis model is known for rescuing handheld night shots.\n",
         "- Run StillHand on each frame.\n- Keep the originals.\nThis model is not known for rescuing handheld night shots.\n"),
        # a loose list (blank lines between items) is one list
        ("- Input: the photo.\n\n- Step: GlowLift lifts exposure.\n\nIt excels at neon reflections on water.\n",
         "- Input: the photo.\n\n- Step: GlowLift lifts exposure.\n\nIt might excel at neon reflections on water.\n"),
    ],
)
def test_it_after_a_list_is_about_the_source_the_list_names(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


@pytest.mark.parametrize(
    "sound",
    [
        # the list names two sources: "It" is about neither for sure
        "- Step 1: GlowLift lifts exposure.\n- Step 2: StillHand removes shake.\n\nIt excels at neon reflections on water.\n",
        # not led by "It": an inner "its" does not reach back into the list
        "- Step: GlowLift lifts exposure.\n\nThe merge step lets each part add its strengths and excels at neon reflections.\n",
        # a second blank line ends the reach
        "- Step: GlowLift lifts exposure.\n\n\nIt excels at neon reflections on water.\n",
    ],
)
def test_it_after_a_list_of_several_sources_or_far_from_it_is_about_none(sound: str) -> None:
    assert not claims(sound)


# --------------------------------------------------------------------------- a gradable word after a copula

@pytest.mark.parametrize(
    ("wrong", "sound"),
    [
        # a comparative with no "than"
        ("StillHand is the large checkpoint; it is slower but more thorough.",
         "StillHand is the large checkpoint; it may be slower but more thorough."),
        ("GlowLift is noticeably more natural on skin.",
         "GlowLift is not noticeably more natural on skin."),
        # a positive form: a trait the source does not give
        ("GlowLift needs one pass, so it is quick.",
         "GlowLift needs one pass, so it is probably quick."),
        ("StillHand is very accurate on rigging lines.",
         "None of the models is very accurate on rigging lines."),
        ("GlowLift is clever about not blowing out lamps.",
         "GlowLift is perhaps clever about not blowing out lamps."),
    ],
)
def test_a_gradable_word_after_a_copula_is_a_claim(wrong: str, sound: str) -> None:
    assert claims(wrong)
    assert not claims(sound)


@pytest.mark.parametrize(
    "sound",
    [
        "DuskNet is faster than earlier denoisers on a single GPU.",  # its summary says so
        "DuskNet keeps rigging sharp, and it is fast.",  # its summary says "faster"
        "The harbour is quickly dark after sunset, and GlowLift lifts it.",  # "quickly": not the gradable word
        "Fine grain is what DuskNet removes.",  # no copula before the gradable word
    ],
)
def test_a_gradable_word_the_source_gives_or_no_copula_passes(sound: str) -> None:
    assert not claims(sound)


def test_a_gradable_word_before_an_infinitive_is_the_readers_effort() -> None:
    assert not claims("With its clean masks, GlowLift's output is quicker to check by hand.")
    assert claims("With its clean masks, GlowLift's output is quicker on large scans.")
