"""Scoring a held-out set or probe of planted claims and sound sentences, per case:
which planted sentences pass and which sound ones are flagged by ``claim`` or ``task``."""

from __future__ import annotations

from cnaps_llm.grounding import check
from cnaps_llm.models import Case


def flagged(text: str, case: Case) -> bool:
    return any(v.kind in ("claim", "task") for v in check(text, case, kinds=("claim", "task")))


def score(planted: dict[str, list[str]], sound: dict[str, list[str]], cases: dict[str, Case]) -> tuple[list[str], list[str]]:
    """(planted sentences missed, sound sentences flagged)."""
    missed = [s for k, ss in planted.items() for s in ss if not flagged(s, cases[k])]
    wrong = [s for k, ss in sound.items() for s in ss if flagged(s, cases[k])]
    return missed, wrong


def report(planted: dict[str, list[str]], sound: dict[str, list[str]], cases: dict[str, Case]) -> None:
    """Print the score and what it missed and flagged (``python -m tests.grounding.test_…``)."""
    missed, wrong = score(planted, sound, cases)
    n, m = sum(map(len, planted.values())), sum(map(len, sound.values()))
    print(f"caught {n - len(missed)}/{n}, sound flagged {len(wrong)}/{m}")
    print("missed:", *missed, sep="\n  ")
    print("sound flagged:", *wrong, sep="\n  ")


def assert_holds(planted: dict[str, list[str]], sound: dict[str, list[str]], cases: dict[str, Case],
                 caught_floor: int, flagged_ceiling: int) -> None:
    """At least ``caught_floor`` planted sentences caught, at most ``flagged_ceiling`` sound ones flagged."""
    missed, wrong = score(planted, sound, cases)
    assert sum(map(len, planted.values())) - len(missed) >= caught_floor, missed
    assert len(wrong) <= flagged_ceiling, wrong
