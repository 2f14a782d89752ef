"""The ``quality`` check: each rule rejects a useless answer and passes its sound twin;
recorded useless answers of a real small model are rejected; repair never hollows out."""

from __future__ import annotations

import asyncio
import copy
import json
import re
from pathlib import Path

import pytest

from cnaps_llm.backends.fake import ScriptedBackend
from cnaps_llm.draft import parse_draft, render
from cnaps_llm.grounding import check, grounding_for, sections
from cnaps_llm.grounding.rules import quality
from cnaps_llm.inputs import case_from_object, load_case, normalise, read_text
from cnaps_llm.models import Case
from cnaps_llm.negotiate import ModeNegotiator
from cnaps_llm.pipeline import RunOptions, run_case
from cnaps_llm.prompts import load_templates
from cnaps_llm.settings import load_settings

from .conftest import FIXTURES, PROMPTS, SEEDS, SHARED

CASE = load_case(SEEDS["003"])
GOOD = json.loads((FIXTURES / "drafts" / "003_1ea1203c459ef3cc.json").read_text(encoding="utf-8"))[-1]
REGRESSIONS = sorted((FIXTURES / "regressions").glob("gemma_*.json"))


def answer_of(draft: dict, case: Case = CASE) -> str:
    parsed, problems = parse_draft(json.dumps(draft), case)
    assert parsed is not None, problems
    return render(parsed, case)


def quality_of(text: str, case: Case = CASE) -> list[tuple[str, str]]:
    return [(v.text, v.message) for v in check(text, case, kinds=["quality"])]


def failing_checks(text: str, case: Case = CASE) -> list[str]:
    return sorted(quality.failures(text, grounding_for(case)))


def mutate(**paths: object) -> dict:
    """The good draft with values replaced: ``workflow__input="x"`` sets draft["workflow"]["input"]."""
    d = copy.deepcopy(GOOD)
    for path, value in paths.items():
        *parents, last = path.split("__")
        node = d
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value
    return d


def test_the_good_draft_passes_every_quality_check() -> None:
    assert quality_of(answer_of(GOOD)) == []


# --------------------------------------------------------------------------- each rule and its twin

BAD_AND_GOOD = {
    # part 1 is a bare model name (Gemma on seed 003) / a sentence about the question
    "task": (mutate(task="Denoise-SwinIR-Noise15"), GOOD),
    # a sentence, but about another question entirely
    "task-other-question": (mutate(task="The user wants a French contract translated into English by tomorrow."), GOOD),
    # the input is a model's name (Gemma on seed 012) / what the user gives
    "workflow-input-name": (mutate(workflow__input="SISR-IMDN-4x"), GOOD),
    # input and output the same text (Gemma on seed 003)
    "workflow-copy": (mutate(workflow__output="a degraded photo"), GOOD),
    # a step with no words in it ("}, {" in Gemma's JSON)
    "workflow-empty-step": (mutate(workflow__steps__1__does="}, {"), GOOD),
    # a step that only repeats the task
    "workflow-step-copies-task": (mutate(workflow__steps__1__does=GOOD["task"]), GOOD),
    # one step five times (Gemma on seed 012) / four different steps
    "repeated_step": (mutate(workflow__steps=GOOD["workflow"]["steps"][:1] + [GOOD["workflow"]["steps"][1]] * 4), GOOD),
    # the recommended model left out of the workflow / set aside with a reason
    "models": (
        mutate(workflow__steps=GOOD["workflow"]["steps"][1:]),
        mutate(workflow__steps=GOOD["workflow"]["steps"][1:], not_used=[{
            "source": "R1", "reason": "Does not fit here: the other sources cover the degradations the user describes.",
            "quote": "Denoise-SwinIR-Noise15"}]),
    ),
    # set aside without a reason / with one
    "models-no-reason": (
        mutate(workflow__steps=GOOD["workflow"]["steps"][1:], not_used=[{"source": "R1", "reason": "", "quote": ""}]),
        mutate(workflow__steps=GOOD["workflow"]["steps"][1:], not_used=[{
            "source": "R1", "reason": "Does not fit: it is a denoising model only.", "quote": "Denoise-SwinIR-Noise15"}]),
    ),
    # no reference says why it supports the answer / one does
    "references": (
        mutate(references=[{"source": r["source"], "reason": "", "quote": ""} for r in GOOD["references"]]),
        mutate(references=[{"source": r["source"], "reason": "", "quote": ""} for r in GOOD["references"][:2]] + GOOD["references"][2:]),
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_AND_GOOD))
def test_each_rule_rejects_the_useless_draft_and_passes_its_twin(name: str) -> None:
    bad, good = BAD_AND_GOOD[name]
    assert failing_checks(answer_of(bad)) == [name.split("-")[0]]
    assert failing_checks(answer_of(good)) == []


def test_feedback_names_the_problem_in_words_the_reask_can_use() -> None:
    text = answer_of(mutate(task="SISR-RCAN-4x", workflow__input="SISR-IMDN-4x", workflow__steps=[GOOD["workflow"]["steps"][1]] * 3))
    assert quality_of(text) == [
        ("SISR-RCAN-4x", 'Part 1 (the user\'s task) says only "SISR-RCAN-4x"; describe the user\'s task in a full sentence: what they want done, to what, in the question\'s words.'),
        ("SISR-IMDN-4x", 'The workflow\'s input is "SISR-IMDN-4x", a name, not what the user gives the models; describe the data itself (for example the photo as the user has it).'),
        (GOOD["workflow"]["steps"][1]["does"], "Steps 2 and 3 repeat step 1 word for word; give each step its own role, or drop the copies."),
        ("Denoise-SwinIR-Noise15", 'The recommended model "Denoise-SwinIR-Noise15" is neither used in the workflow nor set aside; use it in a step, or set it aside saying why it does not fit (for example "does not fit: it is a deblurring model").'),
    ]


def test_empty_heading_and_empty_list_item() -> None:
    good = read_text(FIXTURES / "answers" / "003_grounded.md")
    hollow = good.replace("**Output:** a clean, detailed image.", "**Caveats:**\n\n**Output:** a clean, detailed image.")
    assert quality_of(hollow) == [("**Caveats:**", 'The heading "**Caveats:**" has nothing under it; write what belongs there or remove the heading.')]
    emptied = good.replace("**Model:**\n", "**Model:**\n1.\n")
    assert quality_of(emptied) == [("1.", "An empty list item; write what belongs there or remove it.")]
    assert quality_of(good) == []


def test_length_one_liner_and_wall() -> None:
    one_liner = "## 1. The task\nDenoising.\n## 2. How it works\n**Input:** photo\n## 3. Papers\n- https://github.com/JingyunLiang/SwinIR\n"
    assert "length" in failing_checks(one_liner)
    # long, but 30 words: a reply of long tokens (a JSON blob, a run of links) is short too
    assert "length" in failing_checks(" ".join(["x" * 60] * 30))
    good = answer_of(GOOD)
    sentence = "The model removes the heavy noise from the degraded photo and keeps its details."
    assert failing_checks(good.replace("## 3. Papers and tools", f"{sentence}\n{sentence}\n{sentence}\n\n## 3. Papers and tools")) == ["length"]
    assert failing_checks(good.replace("## 3. Papers and tools", f"{sentence}\n\n## 3. Papers and tools")) == []


@pytest.mark.parametrize(("words", "found"), [(39, ["39 words"]), (40, []), (41, [])])
def test_length_counts_words_up_to_the_minimum(words: int, found: list[str]) -> None:
    answer = "\n " + "\t".join(f"w{i}" for i in range(words)) + " \n"
    assert [f.text for f in quality._length(sections.Answer(quality.View(answer), grounding_for(CASE)))] == found


def test_repeated_share_counts_every_word() -> None:
    """Lines said twice that make up REPEATED_SHARE of the answer's words are a wall."""
    line = "The model removes the heavy noise from each degraded photo and keeps every fine detail of the faces and the"
    assert len(line.split()) == 20 and len(line) <= quality.LONG_LINE

    def length_of(filler: int) -> list[str]:
        answer = f"## 1. Task\n{line}\n## 2. Workflow\n{line}\n## 3. Papers\n" + " ".join(["word"] * filler)
        return [f.text for f in quality._length(sections.Answer(quality.View(answer), grounding_for(CASE)))]

    assert length_of(0) == [quality._clip(line)]  # 20 of 49 words
    assert length_of(2) == []  # 20 of 51 words: under the share


def test_subset_clause_lets_one_recommended_model_suffice() -> None:
    """A prompt that says not every model need be used: one used model is enough."""
    two = {
        "id": "two", "question": "Please enlarge this small drone photo by 4x so the cars are clear.",
        "recommended": [{"name": "SISR-RCAN-4x", "paper": "https://arxiv.org/abs/1807.02758"},
                        {"name": "SISR-IMDN-4x", "paper": "https://arxiv.org/pdf/1909.11856v1"}],
    }
    draft = {
        "task": "The user wants super-resolution: enlarging a small drone photo by 4x so the cars are clear.",
        "workflow": {"input": "the small drone photo", "steps": [{"source": "R1", "does": "Enlarges the photo 4x.", "quote": "SISR-RCAN-4x"}],
                     "output": "the photo, 4x larger"},
        "references": [{"source": "R1", "reason": "The 4x super-resolution model used here.", "quote": "SISR-RCAN-4x"}],
    }
    strict = case_from_object(two, default_id="two")
    lenient = strict.model_copy(update={"instruction": "You do **not** need to use all listed models—only those that are clearly relevant."})
    assert failing_checks(answer_of(draft, strict), strict) == ["models"]
    assert failing_checks(answer_of(draft, lenient), lenient) == []


def test_what_sets_a_model_aside_in_answers_of_other_formats() -> None:
    """Around a model's name in a free-form answer: a "not" or "n't" says the model is set
    aside only with what is not the case ("doesn't fit"), or as "isn't"/"aren't"."""
    said = {
        "it isn't needed for this photo": True,
        "it doesn't fit: it is a deblurring model": True,
        "it is not designed for text": True,
        "it cannot handle heavy noise": True,
        "the photo is small and you can't see the cars": False,
        "we won't stop there": False,
        "it runs first, then the denoiser": False,
    }
    assert {text: sections._sets_aside(text) for text in said} == said


# --------------------------------------------------------------------------- real answers


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.stem for p in REGRESSIONS])
def test_recorded_useless_gemma_answers_are_rejected_for_quality(path: Path) -> None:
    """Answers a real 270M model wrote: those recorded with the earlier templates passed every
    grounding check then; the one recorded with the quote-asking templates still names a model
    as the task and the input."""
    rec = json.loads(path.read_text(encoding="utf-8"))
    case = load_case(next(PROMPTS.glob(rec["case"] + ".*")))
    assert rec["status_then"] == ("grounded" if rec["templates"] == "8dee88094b7ff2cc" else "failed")
    # as the answer was rendered then, and as the raw reply renders now
    assert "task" in failing_checks(rec["answer_then"], case) and "workflow" in failing_checks(rec["answer_then"], case)
    parsed, _ = parse_draft(rec["raw"], case)
    if parsed is not None:
        now = render(parsed, case)
        assert {"task", "workflow"} <= set(failing_checks(now, case))
        assert any(v.kind == "evidence" for v in check(now, case))  # and no statement carries a quote


def test_bundled_answers_and_replayed_answers_pass_quality() -> None:
    for seed, prompt in SEEDS.items():
        assert failing_checks(read_text(FIXTURES / "answers" / f"{seed}_grounded.md"), load_case(prompt)) == [], seed


@pytest.mark.skipif(not (SHARED / "real-answers").is_dir(), reason="the real answers live outside the project")
def test_quality_is_quiet_on_real_answers_of_large_models() -> None:
    """150 answers written by three commercial LLMs: the few it flags are truncated answers,
    an answer to another question and answers that echo their prompt (one all through, three
    in an opening pasted from the prompt's preamble)."""
    flagged = {}
    for path in sorted((SHARED / "real-answers").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        case = case_from_object(data, default_id=path.stem)
        for llm, text in data["responses"].items():
            found = failing_checks(normalise(text), case)
            if found:
                flagged[f"{path.stem}/{llm}"] = found
    assert flagged == {
        "Harmonization-INR-RAW-iHarmony4/llm_b": ["empty"],  # opens with the prompt's preamble
        "SISR-CARN-2x/llm_b": ["empty"],  # opens with the prompt's preamble
        "SISR-HAN-2x/llm_b": ["empty"],  # opens with the prompt's preamble
        "SISR-SwinIR-Classical-DF2K-64-M-4x/llm_c": ["empty"],  # cut off after a heading
        "Txt2Img-HuggingFace-prompthero-openjourney-v4/llm_b": ["empty", "models", "task"],  # echoes the prompt
        "Txt2Img-StableDiffusionV1-4/llm_c": ["empty"],  # cut off at a list item
        "Txt2Img-StableDiffusionV1-ConsistentFactor/llm_b": ["task"],  # answers another question
        "Txt2Img-StableDiffusionV1-PirsusEpicRealism/llm_c": ["empty"],  # cut off at a list item
    }


# --------------------------------------------------------------------------- repair


def _run(case: Case, *replies: str, **settings: object):
    s = load_settings(openai_base_url="http://127.0.0.1:9/v1", **settings)

    async def go():
        return await run_case(case, ScriptedBackend(*replies), RunOptions.from_settings(s), load_templates(s.prompts_dir), ModeNegotiator.for_run(s.structured))

    return asyncio.run(go())


def test_repair_that_would_leave_an_empty_step_ends_failed_and_says_what_it_dropped() -> None:
    # the only sentence of the only step names an outside model: dropping it empties the step
    bad = mutate(workflow__steps=[{"source": "R1", "does": "It works like Real-ESRGAN.", "quote": "Denoise-SwinIR-Noise15"}])
    result = _run(CASE, json.dumps(bad), on_fail="repair", max_attempts=1)
    assert result.status == "failed" and result.answer is None
    assert "It works like Real-ESRGAN." in " ".join(result.dropped)
    assert ("quality", "1.") in [(v.kind, v.text) for v in result.violations]


def test_repair_of_a_recorded_gemma_reply_is_not_marked_repaired() -> None:
    rec = json.loads((FIXTURES / "regressions" / "gemma_003_1ea1203c459ef3cc_1.json").read_text(encoding="utf-8"))
    result = _run(CASE, rec["raw"], on_fail="repair", max_attempts=1)
    assert result.status == "failed" and result.dropped
    assert any(v.kind == "quality" for v in result.violations)


def test_a_repair_that_leaves_a_useful_answer_is_repaired() -> None:
    bad = mutate(task=GOOD["task"] + " Real-ESRGAN is the best at it.")
    result = _run(CASE, json.dumps(bad), on_fail="repair", max_attempts=1)
    assert result.status == "repaired" and result.dropped == ["Real-ESRGAN is the best at it."]
    assert check(result.answer, CASE) == []


# --------------------------------------------------------------------------- eval


def test_eval_prints_the_quality_rate_and_failures_by_check(run_cli, tmp_path: Path) -> None:
    from .conftest import ROOT
    from .stubserver import Reply, StubServer

    bundled = run_cli("eval", PROMPTS, "--cache-dir", FIXTURES / "cassettes", "--config", ROOT / "pyproject.toml")
    assert bundled.code == 0, bundled.err
    assert "| quality rate | 100.0% | ≥ 100.0% |\n" in bundled.out and "| quality failures by check | none |  |\n" in bundled.out
    rec = json.loads((FIXTURES / "regressions" / "gemma_012_super_resolution_1.json").read_text(encoding="utf-8"))
    with StubServer(default=Reply(text=rec["raw"])) as srv:
        res = run_cli("eval", PROMPTS / "012_super_resolution.txt", "--cache", "off", "--base-url", srv.base_url,
                      "--min-quality-rate", "1", "--json", tmp_path / "m.json")
    assert res.code == 1
    assert "| quality rate | 0.0% | ≥ 100.0% |\n" in res.out
    assert "cnaps-llm: threshold missed: quality rate 0 is below the minimum 1\n" in res.err
    failures = json.loads((tmp_path / "m.json").read_text())["metrics"]["quality_failures"]
    assert failures == {"task": 1, "workflow": 1, "repeated_step": 1, "models": 1, "references": 1}


@pytest.mark.parametrize("text", ["", "```", "a\n```py\nx\n```", " \t```\n``` ```\nx ```\n````\n", "a```\n  ```", "```\n\n```\n```"])
def test_fences_are_the_lines_that_start_with_backticks_after_blanks(text: str) -> None:
    fence_lines = re.compile(r"\n[ \t]*```")  # the reading the str.find walk replaced
    assert sections.Answer(quality.View(text), grounding_for(CASE))._fences == [m.start() for m in fence_lines.finditer("\n" + text)]
