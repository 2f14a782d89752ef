"""The parts under headings that placeholders and prompt copies read: found in one pass."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cnaps_llm.grounding import View, grounding_for
from cnaps_llm.grounding.hollow import _sections
from cnaps_llm.grounding.sections import Answer
from cnaps_llm.inputs import load_case

from ..conftest import FIXTURES

CASE = load_case(next((FIXTURES / "prompts").glob("003_*.txt")))


def _reference(a: Answer) -> list[tuple[int, int]]:
    # the definition: a heading's part runs to the next heading of its level or above
    hs = a.headings
    if not hs:
        return [(0, len(a.text))]
    out = [(0, hs[0].start)]
    for k, h in enumerate(hs):
        if h.level < 7:
            out.append((h.end, next((x.start for x in hs[k + 1 :] if x.level <= h.level), len(a.text))))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(1, 4).map(lambda n: "#" * n + " Part\n"), st.just("Some text here.\n"),
                          st.just("**Label:**\n"), st.just("\n")), max_size=25))
def test_parts_under_headings_are_what_the_definition_gives(lines: list[str]) -> None:
    a = Answer(View("".join(lines)), grounding_for(CASE))
    assert _sections(a) == _reference(a)


def test_nested_headings_end_at_their_own_level() -> None:
    text = "Intro\n# A\nx\n## B\ny\n## C\nz\n# D\nw\n"
    a = Answer(View(text), grounding_for(CASE))
    spans = [text[s:e].strip() for s, e in _sections(a)]
    assert spans == ["Intro", "x\n## B\ny\n## C\nz", "y", "z", "w"]
