"""`eval --baseline`: this run against an earlier `eval --json` report, with deliberately
regressed runs (results altered in the test, and a dataset whose replies changed); and the
GitHub Actions recipe that keeps the last report as the next run's baseline."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cnaps_llm import evals
from cnaps_llm.errors import InputError
from cnaps_llm.inputs import expand_paths, iter_cases
from cnaps_llm.models import Result, Violation
from cnaps_llm.reports import FORMATS
from cnaps_llm.reports.baseline import compare, load_baseline, markdown, parse_baseline, render
from cnaps_llm.runner import run_cases
from cnaps_llm.settings import load_settings

from .conftest import FIXTURES, PROMPTS, ROOT
from .stubserver import Reply, StubServer

CASSETTES = FIXTURES / "cassettes"
S003 = "003_1ea1203c459ef3cc"


@pytest.fixture(scope="module")
def bundled() -> tuple[list, list[Result]]:
    cases = [c for p in expand_paths([str(PROMPTS)]) for c in iter_cases(p)]
    return cases, run_cases(cases, load_settings(cache="replay", cache_dir=CASSETTES), concurrency=4)  # type: ignore[arg-type]


def _regressed(results: list[Result]) -> list[Result]:
    """The bundled results with seed 003 failed, on a kind no bundled answer had."""
    gap = Violation(kind="structure", text="caveats", line=1, message="The answer has no part 3.")
    return [r.model_copy(update={"status": "failed", "answer": None, "violations": [gap]}) if r.case_id == S003 else r
            for r in results]


def test_a_deliberately_regressed_run_is_caught(bundled) -> None:  # type: ignore[no-untyped-def]
    cases, results = bundled
    before = evals.evaluate(cases, results, evals.Thresholds())
    baseline = parse_baseline(json.loads(FORMATS["json"].run(results, before)), "base.json")
    assert baseline.statuses == {r.case_id: "grounded" for r in results}

    now = evals.evaluate(cases, _regressed(results), evals.Thresholds())
    c = compare(now, baseline)
    assert (c.newly_failed, c.newly_passing, c.new_draft_kinds, c.new_final_kinds) == ([S003], [], [], ["structure"])
    assert (c.added_cases, c.removed_cases, c.judged, c.passed) == ([], [], True, False)
    assert c.regressions == ["grounded rate fell from 100.0% to 91.7% (by 8.3% of its baseline value; at most 0.0% allowed)"]
    grounded = next(m for m in c.metrics if m.metric == "grounded_rate")
    assert (grounded.before, grounded.after, grounded.delta, grounded.change, grounded.regression, grounded.regressed) == (
        1.0, 0.9167, -0.0833, "−8.3 pts", 0.0833, True)
    assert [m.metric for m in c.metrics if m.regressed] == ["grounded_rate"]
    assert [(m.metric, m.change) for m in c.metrics if not m.gated] == [
        ("cases", "="), ("prompt_tokens", "="), ("completion_tokens", "="), ("cost_usd", ""),
        ("latency_p50_s", next(m.change for m in c.metrics if m.metric == "latency_p50_s")),
        ("latency_p95_s", next(m.change for m in c.metrics if m.metric == "latency_p95_s")),
    ]
    # within the allowed regression it passes; the other way round, the case recovered
    assert compare(now, baseline, max_regression=0.09).regressions == []
    assert not compare(now, baseline, max_regression=0.08).passed
    back = compare(before, parse_baseline(json.loads(FORMATS["json"].run(now.results, now)), "regressed.json"))
    assert (back.newly_failed, back.newly_passing, back.new_final_kinds, back.regressions) == ([], [S003], [], [])


def test_the_comparison_in_markdown_json_and_html(bundled) -> None:  # type: ignore[no-untyped-def]
    cases, results = bundled
    baseline = parse_baseline(json.loads(FORMATS["json"].run(results, evals.evaluate(cases, results, evals.Thresholds()))), "a|b.json")
    now = evals.evaluate(cases, _regressed(results), evals.Thresholds())
    c = compare(now, baseline)
    md = render("md", now.results, now, c)
    assert md == FORMATS["md"].run(now.results, now) + markdown(c)
    assert "\n### Compared with the baseline `a\\|b.json`\n\n| metric | baseline | now | change |\n|---|---|---|---|\n" in md
    assert "| grounded rate | 100.0% | 91.7% | −8.3 pts **regressed** |\n| first-pass rate | 50.0% | 50.0% | = |\n" in md
    assert f"- Cases now failing: `{S003}`\n- New violation kinds in final answers: structure\n" in md
    assert md.endswith("**Baseline: REGRESSED** — grounded rate fell from 100.0% to 91.7% (by 8.3% of its baseline value; at most 0.0% allowed)\n")
    payload = json.loads(render("json", now.results, now, c))
    assert list(payload) == ["metrics", "thresholds", "missed", "failed_cases", "passed", "baseline", "results"]
    assert payload["baseline"] == c.model_dump(mode="json") and payload["baseline"]["newly_failed"] == [S003]
    page = render("html", now.results, now, c)
    assert '<section id="baseline">' in page and f"<dt>Cases now failing</dt><dd><code>{S003}</code></dd>" in page
    assert ('<p class="verdict fail"><strong>REGRESSED</strong> — regressed since the baseline: grounded rate fell from 100.0% '
            "to 91.7% (by 8.3% of its baseline value; at most 0.0% allowed)</p>") in page
    assert render("junit", now.results, now, c) == FORMATS["junit"].run(now.results, now)


def _replies_of(case_id: str) -> list[str]:
    return [json.loads(p.read_text())["response"]["text"] for p in sorted((CASSETTES / case_id).glob("*.json"))]


def test_eval_against_a_baseline_when_the_replies_changed(run_cli, tmp_path: Path) -> None:
    tts = PROMPTS / "014_tts.txt"
    base = run_cli("eval", tts, "--cache-dir", CASSETTES, "--json", tmp_path / "base.json")
    assert base.code == 0, base.err
    [good] = _replies_of("014_tts")
    bad = json.dumps({**json.loads(good), "task": json.loads(good)["task"] + " Real-ESRGAN does this too."})

    def again(*extra: str):  # type: ignore[no-untyped-def]
        # the same case, but now the model's first draft names a model the sources lack
        with StubServer() as srv:
            srv.enqueue(Reply(text=bad), Reply(text=good))
            return run_cli("eval", tts, "--cache", "off", "--base-url", srv.base_url, "--baseline", tmp_path / "base.json", *extra)

    res = again("--json", tmp_path / "now.json", "--html", tmp_path / "now.html", "--markdown", tmp_path / "summary.md")
    assert res.code == 1
    assert res.err == (
        "cnaps-llm: regressed since the baseline: first-pass rate fell from 100.0% to 0.0% (by 100.0% of its baseline value; at most 0.0% allowed)\n"
        "cnaps-llm: regressed since the baseline: mean attempts rose from 1.00 to 2.00 (by 100.0% of its baseline value; at most 0.0% allowed)\n"
    )
    assert "| first-pass rate | 100.0% | 0.0% | −100.0 pts **regressed** |\n| mean attempts | 1.00 | 2.00 | +1.00 **regressed** |\n" in res.out
    assert "- New violation kinds in drafts: model\n" in res.out and (tmp_path / "summary.md").read_text() == res.out
    data = json.loads((tmp_path / "now.json").read_text())
    assert (data["passed"], data["baseline"]["new_draft_kinds"], len(data["baseline"]["regressions"])) == (True, ["model"], 2)
    assert "<strong>REGRESSED</strong>" in (tmp_path / "now.html").read_text()
    # a regression of exactly the allowed fraction passes; --no-thresholds reports it without failing
    assert again("--max-regression", "1").code == 0
    told = again("--no-thresholds")
    assert (told.code, told.err) == (0, "") and "**Baseline: regressed (not judged)** — first-pass rate fell" in told.out


def test_bad_baselines_and_flags_are_refused_before_anything_runs(run_cli, tmp_path: Path) -> None:
    tts = PROMPTS / "014_tts.txt"
    missing = run_cli("eval", tts, "--baseline", tmp_path / "nope.json")
    assert (missing.code, missing.err) == (2, f"cnaps-llm: {tmp_path / 'nope.json'}: no such file; give the JSON report of an earlier run (`eval --json FILE`)\n")
    (tmp_path / "j.xml").write_text("<testsuite/>")
    xml = run_cli("eval", tts, "--baseline", tmp_path / "j.xml")
    assert (xml.code, xml.err) == (2, f"cnaps-llm: {tmp_path / 'j.xml'}: cannot be read as JSON (JSONDecodeError); give the file `eval --json` wrote\n")
    (tmp_path / "l.json").write_text("[]")
    listed = run_cli("eval", tts, "--baseline", tmp_path / "l.json")
    assert listed.err == f"cnaps-llm: {tmp_path / 'l.json'}: is not an `eval --json` report (it has no metrics); make one with `cnaps-llm eval … --json FILE`\n"
    alone = run_cli("eval", tts, "--max-regression", "0.1")
    assert (alone.code, alone.err) == (2, "cnaps-llm: --max-regression needs --baseline FILE, the `eval --json` report to compare with\n")
    assert run_cli("eval", tts, "--baseline", tmp_path / "l.json", "--max-regression", "-1").code == 2
    with pytest.raises(InputError, match="a result has no `case_id` and `status`"):
        parse_baseline({"metrics": {}, "results": [{"id": "x"}]}, "b.json")


def test_a_baseline_from_another_version_still_compares(bundled) -> None:  # type: ignore[no-untyped-def]
    cases, results = bundled
    now = evals.evaluate(cases, results, evals.Thresholds())
    # only what a comparison reads; unknown fields and missing metrics are fine
    old = {"metrics": {"grounded_rate": 1.0, "first_pass_rate": 0.4167, "future_metric": 3}, "results": [
        {"case_id": S003, "status": "failed", "extra": True}, {"case_id": "gone", "status": "grounded"}]}
    c = compare(now, parse_baseline(old, "old.json"))
    assert (c.newly_passing, c.removed_cases, len(c.added_cases), c.regressions) == ([S003], ["gone"], 11, [])
    assert [(m.metric, m.before_text, m.change) for m in c.metrics[:3]] == [
        ("grounded_rate", "100.0%", "="), ("first_pass_rate", "41.7%", "+8.3 pts"), ("mean_attempts", "n/a", "")]


def test_load_baseline_reads_what_eval_json_wrote(run_cli, tmp_path: Path) -> None:
    assert run_cli("eval", PROMPTS, "--cache-dir", CASSETTES, "--json", tmp_path / "m.json").code == 0
    b = load_baseline(tmp_path / "m.json")
    assert (b.source, len(b.statuses), b.metrics["grounded_rate"]) == (str(tmp_path / "m.json"), 12, 1.0)


# --------------------------------------------------------------------------- the GitHub Actions recipe


def test_github_actions_recipe_gates_on_the_previous_report(tmp_path: Path) -> None:
    """The recipe's Evaluate step, run twice as the workflow would: first with no baseline, then with
    the first run's report as the downloaded artifact, appending to the job summary both times."""
    workflow = yaml.safe_load((ROOT / "examples" / "github-actions" / "eval.yml").read_text())
    script = next(s["run"] for s in workflow["jobs"]["eval"]["steps"] if s.get("name") == "Evaluate")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "cnaps-llm"  # the installed command, from this checkout
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -m cnaps_llm.cli \"$@\"\n")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    work = tmp_path / "repo"
    work.mkdir()
    (work / "fixtures").symlink_to(FIXTURES)
    summary = tmp_path / "summary.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CNAPS_", "OPENAI_"))}
    env.update(PATH=f"{bindir}{os.pathsep}{env['PATH']}", PYTHONPATH=str(ROOT), GITHUB_STEP_SUMMARY=str(summary),
               CNAPS_CACHE_DIR=str(tmp_path / "cache"))

    def step() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=300)

    first = step()
    assert first.returncode == 0, first.stderr
    assert {p.name for p in work.iterdir()} == {"fixtures", "eval.json", "eval.html", "eval.xml"}
    (work / "baseline").mkdir()
    (work / "eval.json").rename(work / "baseline" / "eval.json")  # what the download step leaves
    second = step()
    assert second.returncode == 0, second.stderr
    text = summary.read_text()
    assert text.count("## cnaps-llm eval") == 2 and text.count("### Compared with the baseline `baseline/eval.json`") == 1
    assert text.endswith("**Baseline: no regression** (at most 2.0% allowed)\n")
    assert json.loads((work / "eval.json").read_text())["baseline"]["regressions"] == []
