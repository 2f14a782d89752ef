"""The table of output formats, JUnit XML that stays well-formed whatever it holds, the eval
as a library call, eval without thresholds, and checking pairs from Python."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnaps_llm import evals
from cnaps_llm.checking import PairReport, check_pairs
from cnaps_llm.errors import ConfigError, InputError
from cnaps_llm.evals import Thresholds
from cnaps_llm.inputs import expand_paths, iter_cases
from cnaps_llm.models import Attempt, Result, Usage, Violation
from cnaps_llm.reports import FORMATS, get_format, junit, markdown
from cnaps_llm.runner import run_cases
from cnaps_llm.settings import load_settings

from .conftest import FIXTURES, PROMPTS, SEEDS
from .stubserver import Reply, StubServer

CASSETTES = FIXTURES / "cassettes"
NASTY = 'a\x00b\x01c\x1b[31m]]>"\'<&>\ud800\ufffe\x7f'
NASTY_CLEAN = 'a\\x00b\\x01c\\x1b[31m]]>"\'<&>\\ud800\\ufffe\x7f'  # DEL is allowed in XML 1.0


def _result(case_id: str = "c1", *, status: str = "grounded", error: str | None = None,
            violations: list[Violation] | None = None) -> Result:
    attempt = Attempt(number=1, mode="json_schema", messages=[], raw=None, error=error,
                      violations=violations or [])
    return Result(case_id=case_id, status=status, model="m", answer="The answer.\n" if status != "failed" else None,
                  violations=violations or [], attempts=[attempt], usage=Usage(prompt_tokens=3, completion_tokens=2),
                  latency_s=0.5, cost_usd=None, template_hash="t", error=error)


def _bundled_report(thresholds: Thresholds | None) -> evals.Report:  # type: ignore[valid-type]
    cases = [c for p in expand_paths([str(PROMPTS)]) for c in iter_cases(p)]
    results = run_cases(cases, load_settings(cache="replay", cache_dir=CASSETTES), concurrency=4)
    return evals.evaluate(cases, results, thresholds)


# --------------------------------------------------------------------------- the table


def test_formats_table() -> None:
    assert {k: (f.name, f.suffix) for k, f in FORMATS.items()} == {
        "md": ("md", "md"), "json": ("json", "json"), "jsonl": ("jsonl", "jsonl"), "junit": ("junit", "xml"), "html": ("html", "html"),
    }
    r = _result()
    assert FORMATS["md"].case(r) == "The answer.\n"  # published as it is
    assert Result.model_validate_json(FORMATS["json"].case(r)) == r
    assert FORMATS["json"].case(r).endswith("}\n")
    lines = FORMATS["jsonl"].run([r, _result("c2")]).splitlines()
    assert [Result.model_validate_json(line).case_id for line in lines] == ["c1", "c2"]
    assert json.loads(FORMATS["json"].run([r])) == {"results": [r.model_dump(mode="json")]}
    with pytest.raises(ConfigError, match=r"^--format 'jsn' is not one of md, json, jsonl, junit, html; did you mean json\?$"):
        get_format("jsn")


def test_markdown_of_a_failed_case_withholds_the_draft() -> None:
    v = Violation(kind="url", text="https://evil.example/x", line=4, message="Not in the sources.")
    text = markdown.case(_result(status="failed", violations=[v]))
    assert text == ("# NOT GROUNDED: c1\n\nNo grounded answer after 1 attempt(s); the last draft is withheld. Its violations:\n\n"
                    "- line 4 [url] 'https://evil.example/x': Not in the sources.\n")
    assert markdown.case(_result(status="failed", error="HTTP 500")).startswith("# FAILED: c1\n\nThe model server failed: HTTP 500\n")


# --------------------------------------------------------------------------- JUnit


def test_junit_is_well_formed_with_control_characters_and_markup() -> None:
    v = Violation(kind="model", text=NASTY, line=2, message="quote \" and ]]> and \x01")
    results = [
        _result(NASTY, status="failed", violations=[v]),
        _result("srv", status="failed", error=f"HTTP 502 {NASTY}"),
        _result("ok"),
    ]
    xml = junit.run(results)
    suite = ET.fromstring(xml.encode("utf-8"))  # encodes: no lone surrogate is left either
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == ("cnaps-llm", "3", "2")
    first, server, ok = suite.findall("testcase")
    assert first.get("name") == NASTY_CLEAN
    failure = first.find("failure")
    assert failure is not None and failure.get("type") == "not-grounded"
    assert failure.text == f"line 2 [model] {NASTY_CLEAN}: quote \" and ]]> and \\x01"
    err = server.find("failure")
    assert err is not None and err.get("type") == "server-error"
    assert err.get("message") == f"HTTP 502 {NASTY_CLEAN}" and err.text == f"attempt 1: HTTP 502 {NASTY_CLEAN}"
    assert list(ok) == []


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF)), st.text(st.characters(min_codepoint=0)))
def test_junit_parses_whatever_the_ids_and_messages(case_id: str, message: str) -> None:
    v = Violation(kind="number", text=message, line=1, message=message)
    xml = junit.run([_result(case_id or "x", status="failed", violations=[v]), _result("e", status="failed", error=message)])
    suite = ET.fromstring(xml.encode("utf-8"))
    assert [tc.get("name") for tc in suite.findall("testcase")] == [junit.clean(case_id or "x"), "e"]


def test_eval_junit_counts_the_thresholds_case() -> None:
    report = evals.Report(metrics=evals.compute([], []), thresholds=Thresholds(min_grounded_rate=1.0), missed=["grounded rate 0.5 is below the minimum 1"],
                          failed_cases=["srv"], results=[_result("srv", status="failed", error="boom"), _result("ok")])
    suite = ET.fromstring(junit.run(report.results, report))
    assert (suite.get("name"), suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("cnaps-llm eval", "3", "2", "0")
    assert suite.find("testcase[@name='thresholds']/failure").get("message") == "grounded rate 0.5 is below the minimum 1"


# --------------------------------------------------------------------------- evaluate() without the CLI


def test_evaluate_from_python_on_the_bundled_dataset() -> None:
    report = _bundled_report(Thresholds(min_first_pass_rate=0.9, max_mean_attempts=2))
    m = report.metrics
    assert (m.cases, m.grounded_rate, m.first_pass_rate, m.mean_attempts) == (12, 1.0, 0.5, 1.5)
    assert m.draft_violations == {"claim": 2, "evidence": 13, "model": 6, "number": 4, "quality": 1, "task": 1, "url": 1} and m.final_violations == {}
    # the bundled replies are hand-written: their tokens are counted, their cost is not real
    assert (m.prompt_tokens, m.completion_tokens, m.cost_usd) == (14720, 4166, None)
    assert report.missed == ["first-pass rate 0.5 is below the minimum 0.9"]
    assert (report.gated_by, report.passed, report.failed_cases) == ("thresholds", False, [])
    text = markdown.run(report.results, report)
    assert "| first-pass rate | 50.0% | ≥ 90.0% |\n| mean attempts | 1.50 | ≤ 2.00 |\n| link precision | 100.0% |  |\n" in text
    assert text.endswith("**Thresholds: FAILED** — first-pass rate 0.5 is below the minimum 0.9\n")
    payload = json.loads(FORMATS["json"].run(report.results, report))
    assert payload["thresholds"] == {t: None for t in Thresholds.model_fields} | {"min_first_pass_rate": 0.9, "max_mean_attempts": 2.0}
    assert (payload["missed"], payload["passed"], len(payload["results"])) == (report.missed, False, 12)


def test_no_thresholds_gates_on_cases_and_none_reports_only() -> None:
    report = _bundled_report(Thresholds())
    assert (report.gated_by, report.passed) == ("cases", True)
    assert markdown.run(report.results, report).endswith("**Thresholds: none configured** — every case passed\n")
    off = _bundled_report(None)
    assert (off.gated_by, off.passed, off.missed) == ("nothing", True, [])
    assert json.loads(FORMATS["json"].run(off.results, off))["thresholds"] is None


# --------------------------------------------------------------------------- eval without thresholds, through the CLI

BAD_DRAFT = json.dumps({"task": "Uses Real-ESRGAN.", "workflow": {"input": "x", "steps": [], "output": "y"}, "references": [], "caveats": []})


def test_eval_without_thresholds_fails_on_a_failed_case_unless_told(run_cli, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=BAD_DRAFT)) as srv:
        common = [PROMPTS / "014_tts.txt", "--cache", "auto", "--base-url", srv.base_url, "--cache-dir", tmp_path / "c"]
        res = run_cli("eval", *common, "--junit", tmp_path / "j.xml", "--json", tmp_path / "m.json")
        assert res.code == 1
        assert res.out.endswith("**Thresholds: none configured** — 1 case(s) failed: 014_tts\n")
        assert res.err == ("cnaps-llm: no thresholds configured and 1 case(s) failed: 014_tts; set thresholds in "
                           "[tool.cnaps-llm.eval] or pass --no-thresholds to only report\n")
        suite = ET.parse(tmp_path / "j.xml").getroot()
        assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("2", "1", "1")
        assert suite.find("testcase[@name='thresholds']/skipped").get("message") == (
            "no thresholds configured and 1 case(s) failed: 014_tts")
        data = json.loads((tmp_path / "m.json").read_text())
        assert (data["passed"], data["failed_cases"], data["missed"]) == (False, ["014_tts"], [])
        told = run_cli("eval", *common, "--no-thresholds")
        assert (told.code, told.err) == (0, "")
        assert told.out.endswith("**Thresholds: not applied**\n")
        both = run_cli("eval", *common, "--no-thresholds", "--min-grounded-rate", "0.5")
        assert (both.code, both.err) == (2, "cnaps-llm: --no-thresholds contradicts --min-grounded-rate; give one or the other\n")


def test_eval_server_error_is_a_junit_failure_with_its_message(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "0")
    with StubServer(default=Reply(status=503, body='{"error": {"message": "overloaded \\u001b[31m"}}')) as srv:
        res = run_cli("eval", PROMPTS / "014_tts.txt", "--cache", "auto", "--base-url", srv.base_url,
                      "--cache-dir", tmp_path / "c", "--junit", tmp_path / "j.xml", "--min-grounded-rate", "1")
    assert res.code == 1 and "threshold missed: grounded rate 0 is below the minimum 1" in res.err
    failure = ET.parse(tmp_path / "j.xml").getroot().find("testcase[@name='014_tts']/failure")
    assert failure is not None and failure.get("type") == "server-error"
    assert "503" in failure.get("message") and "\x1b" not in failure.get("message")


# --------------------------------------------------------------------------- check_pairs


def test_check_pairs_yields_reports_and_errors_in_file_order(tmp_path: Path) -> None:
    prompt = SEEDS["003"].read_text(encoding="utf-8")
    answer = (FIXTURES / "answers" / "003_grounded.md").read_text(encoding="utf-8")
    p = tmp_path / "pairs.jsonl"
    p.write_text("\n".join([
        json.dumps({"id": "good", "prompt": prompt, "answer": answer}),
        "{not json",
        json.dumps({"prompt": prompt, "answer": answer + "\nSee https://evil.example/x\n"}),
        "",
        json.dumps({"id": "no-answer", "prompt": prompt}),
    ]) + "\n", encoding="utf-8")
    items = list(check_pairs(p))
    assert [type(i) for i in items] == [PairReport, InputError, PairReport, InputError]
    good, bad_json, bad, no_answer = items
    assert (good.id, good.grounded, good.violations) == ("good", True, [])
    assert str(bad_json) == f"{p}:2: not valid JSON (Expecting property name enclosed in double quotes); write one JSON object per line"
    assert (bad.id, bad.grounded, [v.text for v in bad.violations]) == ("line 3", False, ["https://evil.example/x"])
    assert str(no_answer) == f"{p}:5: each line needs a string `answer`"
