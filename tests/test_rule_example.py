"""Worked example: adding a grounding rule is one module and one table entry.

The first half of this file is what ``cnaps_llm/grounding/rules/placeholder.py`` would
hold: the kind, the finder, and the feedback sentence next to it. The table entry is
``PLACEHOLDER_TABLE`` below; in the package it is one more argument to the
``rule_table(...)`` that defines ``RULES`` in ``cnaps_llm/grounding/__init__.py``.
The tests show that ``check`` then runs the rule like a built-in one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from cnaps_llm.grounding import RULES, Finding, Grounding, Rule, View, check, is_grounded, rule_table
from cnaps_llm.inputs import load_case, read_text

from .conftest import FIXTURES, SEEDS

# --------------------------------------------------------------------------- the rule module

_PLACEHOLDER = re.compile(r"\b(?:TODO|TBD|lorem ipsum)\b|\[citation needed\]", re.IGNORECASE)


def message(text: str) -> str:
    return f'"{text}" is a placeholder; write the finished sentence, or leave it out.'


def find(view: View, grounding: Grounding) -> Iterator[Finding]:
    # view.text has the links blanked by the url rule before this one: a URL ending
    # in /TODO is the url rule's business, not a placeholder
    for m in _PLACEHOLDER.finditer(view.text):
        yield Finding(m.start(), m.group(), message(m.group()))


RULE = Rule("placeholder", find)

# --------------------------------------------------------------------------- the table entry

PLACEHOLDER_TABLE = rule_table(*RULES, RULE)

# --------------------------------------------------------------------------- check runs it


@pytest.fixture(scope="module")
def case():
    return load_case(SEEDS["003"])


@pytest.fixture(scope="module")
def answer() -> str:
    text = read_text(FIXTURES / "answers" / "003_grounded.md")
    text = text.replace("**Output:** a clean, detailed image.", "**Output:** a clean, detailed image (TODO: figures).")
    return text.replace("code https://github.com/toummHus/HAIR", "code https://github.com/toummHus/HAIR/TODO")


def test_check_runs_the_new_rule_in_table_order(case, answer: str) -> None:
    found = check(answer, case, rules=PLACEHOLDER_TABLE)
    assert [(v.kind, v.text, v.line, v.severity, v.message) for v in found] == [
        ("placeholder", "TODO", 15, "error", '"TODO" is a placeholder; write the finished sentence, or leave it out.'),
        ("url", "https://github.com/toummHus/HAIR/TODO", 20, "error",
         "The link https://github.com/toummHus/HAIR/TODO is not in the provided sources; cite only the exact links given with the sources."),
    ]
    assert [v.kind for v in check(answer, case)] == ["url"]  # the built-in table alone


def test_the_new_kind_can_be_chosen_and_warned_like_any_other(case, answer: str) -> None:
    assert [v.text for v in check(answer, case, rules=PLACEHOLDER_TABLE, kinds=["placeholder"])] == ["TODO"]
    warned = check(answer, case, rules=PLACEHOLDER_TABLE, kinds=["placeholder"], warn=["placeholder"])
    assert [v.severity for v in warned] == ["warn"] and is_grounded(warned)
