"""The validator against answers real commercial LLMs wrote, labelled by hand for every kind.

The answers are public data kept outside the project (../shared); these tests skip without
it. The labels (tests/data/labels/, made by reading: see GUIDE.md there) name every
ungrounded item; `bench/real_answers.py` prints the same figures as a table.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.inputs import case_from_object, normalise

from .conftest import ROOT, SHARED

REAL = SHARED / "real-answers"
LABELS = Path(__file__).parent / "data" / "labels"

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-answers is absent")

# what the validator achieves today, per kind: a regression below these fails
FLOORS = {  # kind: (precision, recall)
    "url": (0.95, 0.95),
    "model": (0.95, 0.95),
    "number": (0.95, 0.95),
    "task": (0.98, 0.98),
    "structure": (0.97, 0.97),
    "venue": (1.0, 1.0),
    "author": (1.0, 1.0),
    "claim": (0.95, 0.59),  # precision first: a claim flag on a sound sentence is worse than none
}


@pytest.fixture(scope="module")
def scores():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import real_answers
    finally:
        sys.path.pop(0)
    return real_answers.run()


def test_every_prompt_file_is_labelled_for_every_answer() -> None:
    for path in sorted(REAL.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        labels = json.loads((LABELS / f"{path.stem}.json").read_text(encoding="utf-8"))
        assert set(labels) == set(data["responses"]), path.stem


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_precision_and_recall_per_kind(scores, kind: str) -> None:
    precision, recall = FLOORS[kind]
    s = scores[kind]
    assert s.precision is not None and s.precision >= precision, (kind, s)
    assert s.recall is not None and s.recall >= recall, (kind, s)


def test_no_link_is_misattributed_where_none_is_labelled(scores) -> None:
    # no attribution item is labelled in these answers: every flag would be wrong
    assert scores["attribution"].labels == 0 and scores["attribution"].flags == 0


def test_every_real_answer_is_judged_without_error() -> None:
    judged = 0
    for path in sorted(REAL.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        case = case_from_object(data, default_id=path.stem)
        for text in data["responses"].values():
            assert all(v.line >= 1 for v in check(normalise(text), case))
            judged += 1
    assert judged == sum(len(json.loads(p.read_text())["responses"]) for p in REAL.glob("*.json")) == 146
