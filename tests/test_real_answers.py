"""The validator against answers real commercial LLMs wrote, labelled by hand.

The answers are public data kept outside the project (../shared); these tests skip without it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.inputs import case_from_object, normalise

from .conftest import SHARED

REAL = SHARED / "real-answers"
LABELS = json.loads((Path(__file__).parent / "data" / "real_answer_labels.json").read_text(encoding="utf-8"))
ROWS = [(f, r) for f, by in LABELS.items() if not f.startswith("_") for r in by]

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-answers is absent")


@pytest.mark.parametrize("name,response", ROWS, ids=[f"{f}-{r}" for f, r in ROWS])
def test_flags_exactly_the_hand_labelled_links_and_names(name: str, response: str) -> None:
    data = json.loads((REAL / f"{name}.json").read_text(encoding="utf-8"))
    case = case_from_object(data, default_id=name)
    violations = check(normalise(data["responses"][response]), case)
    label = LABELS[name][response]
    assert sorted({v.text for v in violations if v.kind == "url"}) == sorted(label["urls"])
    assert sorted({v.text for v in violations if v.kind == "model"}) == sorted(label["names"])


def test_every_real_answer_is_judged_without_error() -> None:
    judged = 0
    for path in sorted(REAL.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        case = case_from_object(data, default_id=path.stem)
        for text in data["responses"].values():
            assert all(v.line >= 1 for v in check(normalise(text), case))
            judged += 1
    assert judged == 30
