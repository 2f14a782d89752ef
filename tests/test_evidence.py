"""Quote-anchored drafts: every statement about a source carries a quote from it, the quote
is in that source, and the statement says nothing of it that the source does not."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from cnaps_llm.answer_format import fragments, normalise_quote, occurs_in, reason_start, restyle, statements
from cnaps_llm.draft import parse_draft, render, schema_for
from cnaps_llm.grounding import check
from cnaps_llm.inputs import load_case, read_text
from cnaps_llm.models import Case

from .conftest import FIXTURES, PROMPTS, SEEDS

CASE = load_case(SEEDS["003"])
GOOD = json.loads((FIXTURES / "drafts" / "003_1ea1203c459ef3cc.json").read_text(encoding="utf-8"))[-1]
CASSETTES = FIXTURES / "cassettes"
BUNDLED = sorted(p for p in PROMPTS.iterdir() if p.suffix in {".txt", ".json"})
HAIR = "HAIR: Hypernetworks-based All-in-One Image Restoration"
DUAL = "Learning Dual Transformers for All-In-One Image Restoration from a Frequency Perspective"


def answer_of(draft: dict, case: Case = CASE, evidence: str = "footnotes") -> str:
    parsed, problems = parse_draft(json.dumps(draft), case)
    assert parsed is not None, problems
    return render(parsed, case, evidence)


def evidence_of(text: str, case: Case = CASE) -> list[tuple[str, str]]:
    return [(v.text, v.message) for v in check(text, case, kinds=["evidence"])]


def with_step(i: int, **fields: str) -> dict:
    d = copy.deepcopy(GOOD)
    d["workflow"]["steps"][i].update(fields)
    return d


def test_the_good_draft_carries_and_verifies_every_quote() -> None:
    text = answer_of(GOOD)
    found = [s for s in statements(text) if s.text]
    assert len(found) == 8  # four steps, three references with a reason and the recommended model's links
    assert evidence_of(text) == []


# --------------------------------------------------------------------------- each failure and its sound twin


def test_invented_quote_is_rejected_and_the_real_one_passes() -> None:
    bad = with_step(1, quote="HAIR removes every kind of noise in one pass")
    assert evidence_of(answer_of(bad)) == [(
        "HAIR removes every kind of noise in one pass",
        f"The quote “HAIR removes every kind of noise in one pass” is not in what {HAIR[:45]}… says (its summary begins "
        "“Image restoration aims to recover a high-quality clean image from its degraded version. Recent progress in image "
        "restoration has demonstrated the effectiveness of All-in-One…”); copy the words exactly from that source.",
    )]
    assert evidence_of(answer_of(with_step(1, quote="generates parameters based on the input image"))) == []


def test_quote_moved_to_the_wrong_source_is_rejected() -> None:
    moved = with_step(2, quote="The Classifier is a simple image classification network")  # HAIR's words, given to the dual transformers
    assert evidence_of(answer_of(moved)) == [(
        "The Classifier is a simple image classification network",
        f"The quote “The Classifier is a simple image classification network” comes from {HAIR[:45]}…, not from {DUAL[:45]}…; "
        "give each statement a quote from its own source.",
    )]
    assert evidence_of(answer_of(with_step(2, quote="a frequency-aware Degradation estimation transformer (Dformer)"))) == []


def test_mechanism_the_source_does_not_state_is_rejected() -> None:
    quote = "generates parameters based on the input image"
    bad = with_step(1, does="HAIR denoises the photo with a diffusion model trained on ImageNet.", quote=quote)
    found = dict(evidence_of(answer_of(bad)))
    assert list(found) == ["denoises", "diffusion", "trained", "ImageNet"]
    assert found["diffusion"] == (
        f'The step using {HAIR[:45]}… says "diffusion", which that source does not state (its quote says “{quote}”); '
        "say of a source only what its summary or name states, or quote where it says it."
    )
    sound = with_step(1, does="HAIR's hypernetwork generates the restoration model's parameters from the input image.", quote=quote)
    assert evidence_of(answer_of(sound)) == []


def test_a_figure_or_name_from_another_source_is_rejected() -> None:
    bad = with_step(1, does="Like DreamClear, it was curated on one million images.", quote="generates parameters based on the input image")
    assert [t for t, _ in evidence_of(answer_of(bad))] == ["DreamClear", "curated", "million"]


def test_a_statement_without_evidence_is_rejected() -> None:
    bare = with_step(0, quote="")
    assert evidence_of(answer_of(bare)) == [(
        "Denoise-SwinIR-Noise15",
        "The step using Denoise-SwinIR-Noise15 has no evidence; add a quote copied from that source that states it "
        "(it has no summary, only its name “Denoise-SwinIR-Noise15”), and say only what the quote states.",
    )]


def test_a_source_without_summary_is_quoted_by_its_name_or_title_and_says_only_that() -> None:
    # R1 has no summary: its name and its paper's title (in the link) are its evidence
    by_name = with_step(0, does="The denoising variant of the model.", quote="Denoise-SwinIR-Noise15")
    assert evidence_of(answer_of(by_name)) == []
    beyond = with_step(0, does="It is trained with a perceptual loss.", quote="Denoise-SwinIR-Noise15")
    assert [t for t, _ in evidence_of(answer_of(beyond))] == ["trained", "loss"]


def test_a_model_set_aside_may_use_the_question_words() -> None:
    case = load_case(SEEDS["004"])
    draft = json.loads((FIXTURES / "drafts" / "004_e4f22718e29e19c5.json").read_text(encoding="utf-8"))[-1]
    aside = copy.deepcopy(draft)
    aside["not_used"] = [{"source": "R1", "reason": "Does not fit: it is a deblurring model, and the question is about noise reduction.", "quote": "Deblur-MIMO-UNet-RealBlur"}]
    assert evidence_of(answer_of(aside, case), case) == []
    # the same words in a step claim that the model reduces noise: its name does not say so
    claimed = copy.deepcopy(draft)
    claimed["workflow"]["steps"][0].update(does="It performs noise reduction on the photo.")
    assert [t for t, _ in evidence_of(answer_of(claimed, case), case)] == ["noise reduction"]


# --------------------------------------------------------------------------- quotes are compared normalised


@pytest.mark.parametrize("quote", [
    "the classifier is a SIMPLE image   classification network",  # case and white space
    "“The Classifier is a simple image classification network”",  # quote marks
    "Hypernetworks—based All-in-One",  # dashes
    "The Classifier is a simple … outputs parameters for the corresponding modules",  # fragments, in order
    "The Classifier is a simple ... the HSN is a simple fully-connected neural network",
])
def test_quote_normalisation(quote: str) -> None:
    assert evidence_of(answer_of(with_step(1, quote=quote))) == []


def test_fragments_out_of_order_do_not_verify() -> None:
    assert fragments("B part … A part") == ["b part", "a part"]
    source = normalise_quote("A part, then B part.")
    assert occurs_in("A part … B part", source) and not occurs_in("B part … A part", source)


# --------------------------------------------------------------------------- rendering styles


def test_footnotes_inline_and_none_carry_the_same_evidence() -> None:
    foot = answer_of(GOOD)
    inline = answer_of(GOOD, evidence="inline")
    none = answer_of(GOOD, evidence="none")
    assert "[^1]" in foot and "\n[^1]: Denoise-SwinIR-Noise15: “SwinIR Image Restoration Using Swin Transformer”" in foot
    assert ' ["SwinIR Image Restoration Using Swin Transformer"]' in inline and "[^" not in inline
    assert "[^" not in none and '["' not in none
    assert restyle(foot, "inline") == inline and restyle(inline, "footnotes") == foot and restyle(foot, "none") == none
    assert [s.quotes for s in statements(foot)] == [s.quotes for s in statements(inline)]
    # each form passes every check; without evidence the rule has nothing to read
    assert check(foot, CASE) == check(inline, CASE) == check(none, CASE) == []


def test_evidence_is_a_no_op_on_answers_without_the_notation() -> None:
    text = read_text(FIXTURES / "answers" / "003_grounded.md")
    assert evidence_of(text) == []
    # statement-like lines and a "[" in code are not the notation
    coded = text.replace("**Output:**", '```python\nlabels = ["noisy", "clean"]\n```\n\n**Output:**')
    assert '["' in coded and evidence_of(coded) == []


def test_schema_asks_for_a_quote_with_every_statement() -> None:
    schema = schema_for(CASE)
    step = schema["properties"]["workflow"]["properties"]["steps"]["items"]
    assert step["required"] == ["source", "does", "quote"] and step["properties"]["quote"]["type"] == "string"
    for field in ("not_used", "references"):
        assert schema["properties"][field]["items"]["required"] == ["source", "reason", "quote"]
    assert schema["required"] == ["task", "workflow", "not_used", "references", "caveats"]


# --------------------------------------------------------------------------- the bundled examples


def _replayed(run_cli, tmp_path: Path, *extra: str) -> list[dict]:
    res = run_cli("generate", *BUNDLED, "--cache-dir", CASSETTES, "--cache", "replay", "-f", "json", *extra)
    assert res.code == 0, res.err
    return json.loads(res.out)


def test_every_bundled_answer_quotes_every_statement_and_every_quote_verifies(run_cli, tmp_path: Path) -> None:
    records = _replayed(run_cli, tmp_path)
    assert len(records) == 12
    for rec in records:
        case = load_case(next(PROMPTS.glob(rec["case_id"] + ".*")))
        # a statement says something of its source: a step, a reason to set aside, a reason to cite
        about = [s for s in statements(rec["answer"]) if (s.text[reason_start(s.text):] if s.kind == "reference" else s.text).strip()]
        assert about and all(s.quotes and all(q.strip() for q in s.quotes) for s in about), rec["case_id"]
        assert evidence_of(rec["answer"], case) == [], rec["case_id"]
        # the record keeps every quote of the draft that was accepted
        final = rec["attempts"][-1]["draft"]
        assert all(st["quote"] for st in final["workflow"]["steps"]) and all(r["quote"] for r in final["references"])
    # some first drafts are deliberately ungrounded, and one of them only for its evidence
    first = {rec["case_id"]: {v["kind"] for v in rec["attempts"][0]["violations"]} for rec in records if len(rec["attempts"]) > 1}
    assert first["010_style_transfer"] == {"evidence"} and len(first) == 6


@pytest.mark.parametrize("seed", ["001", "004"])
def test_seeds_whose_model_does_not_fit_say_so_plainly(run_cli, seed: str) -> None:
    res = run_cli("generate", SEEDS[seed], "--cache-dir", CASSETTES, "--cache", "replay")
    assert res.code == 0 and "does not fit" in res.out.lower()


def test_generate_evidence_styles_and_the_record_keeps_the_quotes(run_cli, tmp_path: Path) -> None:
    base = ("generate", SEEDS["003"], "--cache-dir", CASSETTES, "--cache", "replay")
    foot, inline, none = (run_cli(*base, "--evidence", style) for style in ("footnotes", "inline", "none"))
    assert (foot.code, inline.code, none.code) == (0, 0, 0)
    assert "\n[^1]: " in foot.out and '["' in inline.out and "[^" not in inline.out
    assert "[^" not in none.out and '["' not in none.out and "**Model:**" in none.out
    record = json.loads(run_cli(*base, "--evidence", "none", "-f", "json").out)["results"][0]
    assert "[^" not in record["answer"] and "[^1]" in record["attempts"][-1]["answer"]
    assert record["attempts"][-1]["draft"]["workflow"]["steps"][0]["quote"] == "SwinIR Image Restoration Using Swin Transformer"
    bad = run_cli(*base, "--evidence", "sidenotes")
    assert (bad.code, bad.err) == (2, 'cnaps-llm: --evidence "sidenotes" is not a style; use one of footnotes, inline, none\n')
