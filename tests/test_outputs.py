"""What generate and eval leave behind: answers never lost, one bad case never sinks a run,
one document per format, files as each case finishes."""

from __future__ import annotations

import json
import os
import shutil
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import PROMPTS, SEEDS
from .stubserver import Reply, StubServer
from .test_pipeline import draft


def test_a_failed_rerun_never_replaces_a_grounded_answer(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = run_cli("generate", SEEDS["003"], "-o", out)  # replayed from the bundled recordings
    assert res.code == 0, res.err
    answer = out / f"{SEEDS['003'].stem}.md"
    before = answer.read_bytes()
    old = os.umask(0o022)
    try:
        with StubServer(default=Reply(text=draft(task="Image restoration, like Real-ESRGAN."))) as srv:
            res = run_cli("generate", SEEDS["003"], "-o", out, "--base-url", srv.base_url, "--cache", "off", "--max-attempts", "1")
    finally:
        os.umask(old)
    assert res.code == 1
    assert answer.read_bytes() == before  # byte-identical
    failed = out / f"{SEEDS['003'].stem}.failed.md"
    assert failed.read_text().startswith(f"# NOT GROUNDED: {SEEDS['003'].stem}")
    assert stat.S_IMODE(failed.stat().st_mode) == 0o644
    assert f"wrote {failed} (kept {answer.name})" in res.err


def test_one_unrecorded_case_still_yields_every_report_for_the_others(run_cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(PROMPTS, data)
    (data / "999_new.txt").write_text(SEEDS["003"].read_text())  # never recorded
    summary = tmp_path / "summary.md"
    summary.write_text("## an earlier step\n")
    res = run_cli("eval", data, "--junit", tmp_path / "e.xml", "--json", tmp_path / "e.json", "--markdown", summary, "--no-thresholds")
    assert res.code == 0, res.err  # --no-thresholds: report only
    report = json.loads((tmp_path / "e.json").read_text())
    by_id = {r["case_id"]: r for r in report["results"]}
    assert len(by_id) == 13 and by_id["999_new"]["error_kind"] == "no_recording"
    assert all(r["status"] == "grounded" for cid, r in by_id.items() if cid != "999_new")
    suite = ET.parse(tmp_path / "e.xml").getroot()
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["999_new"].find("failure") is not None and "no recording" in cases["999_new"].find("failure").get("message", "") + (cases["999_new"].find("failure").text or "")
    assert summary.read_text().startswith("## an earlier step\n## cnaps-llm eval")  # appended, GitHub's convention
    assert "| 999_new | failed |" in summary.read_text()
    # with thresholds, the same dataset fails the gate with the documented code
    res = run_cli("eval", data)
    assert res.code == 1


def test_generate_over_a_folder_with_an_unrecorded_case_exits_4_and_keeps_the_others(run_cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SEEDS["003"], data)
    (data / "999_new.txt").write_text(SEEDS["003"].read_text())
    res = run_cli("generate", data, "-o", tmp_path / "out", "--jsonl", tmp_path / "r.jsonl")
    assert res.code == 4, res.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{SEEDS['003'].stem}.md", "999_new.failed.md"]
    assert len((tmp_path / "r.jsonl").read_text().splitlines()) == 2


def test_several_cases_in_json_are_one_array_and_jsonl_streams(run_cli, tmp_path: Path) -> None:
    res = run_cli("generate", "--example", "003", "--example", "004", "--format", "json")
    assert res.code == 0, res.err
    records = json.loads(res.out)
    assert isinstance(records, list) and [r["case_id"][:3] for r in records] == ["003", "004"]
    res = run_cli("generate", "--example", "003", "--example", "004", "--jsonl", "-")
    lines = res.out.splitlines()
    assert res.code == 0 and len(lines) == 2 and all(json.loads(line)["status"] == "grounded" for line in lines)


def test_published_markdown_has_no_source_ids_or_comments_unless_annotated(run_cli) -> None:
    plain = run_cli("generate", "--example", "003").out
    assert "(R1)" not in plain and "(P1)" not in plain and "<!--" not in plain
    annotated = run_cli("generate", "--example", "003", "--annotate").out
    assert annotated.startswith("<!-- cnaps-llm: 003_1ea1203c459ef3cc grounded after 2 attempt(s) -->\n## 1. The task")
