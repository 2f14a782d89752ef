"""cnaps-llm as a pytest assertion: `python3 -m pytest examples/pytest`.

`assert_grounded(answer, case)` fails the test with every violation listed (line, kind,
text, message) when the answer says anything its case does not support. The case is a
prompt file (path or text), a dict in the JSON form, or a loaded `Case`.
"""

import pytest

import cnaps_llm
from cnaps_llm.resources import examples, examples_dir
from cnaps_llm.testing import assert_grounded


@pytest.mark.parametrize("name", ["000", "001", "003", "004"])
def test_hand_written_answers_are_grounded(name: str) -> None:
    answer = (examples_dir() / "answers" / f"{name}_grounded.md").read_text(encoding="utf-8")
    assert_grounded(answer, examples(name)[0])


def test_generated_answer_is_grounded() -> None:
    result = cnaps_llm.generate(examples("003")[0])  # replayed from the bundled recordings
    assert result.status == "grounded"
    assert_grounded(result.answer, examples("003")[0])


def test_an_invented_link_fails_the_assertion() -> None:
    answer = (examples_dir() / "answers" / "003_grounded.md").read_text(encoding="utf-8")
    with pytest.raises(AssertionError, match=r"\[url\] 'https://example.com/made-up'"):
        assert_grounded(answer + "\nSee also https://example.com/made-up.\n", examples("003")[0])
