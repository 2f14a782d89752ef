"""Record/replay: bundled cassettes replay offline; misses and stale recordings are named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import FIXTURES, PROMPTS, ROOT, SEEDS
from .stubserver import Reply, StubServer
from .test_pipeline import draft

CASSETTES = FIXTURES / "cassettes"
BUNDLED = sorted(p.name for p in CASSETTES.iterdir() if p.is_dir())


def test_every_bundled_case_replays_grounded_offline(run_cli, tmp_path: Path) -> None:
    assert len(BUNDLED) >= 12
    prompts = [next(PROMPTS.glob(f"{cid}.*")) for cid in BUNDLED]
    res = run_cli("generate", *prompts, "--cache", "replay", "--cache-dir", CASSETTES, "-f", "json", "-o", tmp_path)
    assert res.code == 0, res.err
    records = [json.loads((tmp_path / f"{cid}.json").read_text()) for cid in BUNDLED]
    assert all(r["status"] == "grounded" and all(a["replayed"] for a in r["attempts"]) for r in records)
    reasked = [r["case_id"] for r in records if len(r["attempts"]) > 1]
    assert len(reasked) >= 4  # the loop itself is exercised: rejected first drafts, fixed second ones
    assert all(r["attempts"][0]["violations"] for r in records if r["case_id"] in reasked)


def test_readme_first_command_prints_grounded_answer_and_says_replayed(run_cli) -> None:
    # no key, no base URL (the autouse fixture clears them), default --cache auto
    res = run_cli("generate", SEEDS["003"])  # the bundled recordings, read from the package
    assert res.code == 0, res.err
    assert res.out.splitlines()[0] == "## 1. The task"  # published Markdown: no comment, no source ids
    assert "https://github.com/JingyunLiang/SwinIR" in res.out and "(R1)" not in res.out and "<!--" not in res.out
    assert res.err.endswith("cost —; replayed from recorded responses, no model was called\n")
    assert not (Path.cwd() / "cassettes").exists() or not any((Path.cwd() / "cassettes").iterdir())  # nothing recorded


def _copy_case(tmp_path: Path, cid: str) -> Path:
    dst = tmp_path / "cassettes"
    shutil.copytree(CASSETTES / cid, dst / cid)
    return dst


def test_replay_miss_names_case_key_and_closest_diff(run_cli, tmp_path: Path) -> None:
    cdir = _copy_case(tmp_path, SEEDS["003"].stem)
    res = run_cli("generate", SEEDS["003"], "--cache", "replay", "--cache-dir", cdir, "--model", "gpt-4.1")
    assert res.code == 4
    assert res.err.startswith(f"{SEEDS['003'].stem}: failed: case {SEEDS['003'].stem}: request ")
    assert "was never recorded; closest is" in res.err and "model: 'gpt-4o-mini' recorded, 'gpt-4.1' now" in res.err


def test_changed_template_reports_stale_cassettes(run_cli, tmp_path: Path, monkeypatch) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    (prompts / "system.md").write_text((prompts / "system.md").read_text() + "\nBe concise.\n")
    monkeypatch.setenv("CNAPS_PROMPTS_DIR", str(prompts))
    cdir = _copy_case(tmp_path, SEEDS["003"].stem)
    res = run_cli("generate", SEEDS["003"], "--cache", "replay", "--cache-dir", cdir)
    assert res.code == 4
    assert "2 stale recording(s) made with templates" in res.err and "re-record with --cache record" in res.err


def test_auto_records_then_replays_without_calling_again(run_cli, tmp_path: Path) -> None:
    cdir = tmp_path / "rec"
    with StubServer(default=Reply(text=draft())) as srv:
        first = run_cli("generate", SEEDS["003"], "--base-url", srv.base_url, "--cache-dir", cdir)
        second = run_cli("generate", SEEDS["003"], "--base-url", srv.base_url, "--cache-dir", cdir)
        assert first.code == second.code == 0
        assert len(srv.requests) == 1
        assert first.out == second.out
        assert "replayed" in second.err and "replayed" not in first.err
    (rec,) = list((cdir / SEEDS["003"].stem).glob("*.json"))
    data = json.loads(rec.read_text())
    assert data["format_version"] == 2 and data["request"]["model"] == "gpt-4o-mini"
    assert "authorization" not in rec.read_text().lower() and "sk-" not in rec.read_text()
    assert [p.name for p in cdir.rglob(".*")] == []  # no temp files left behind


def test_replay_with_a_key_set_does_not_import_openai(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    code = (
        "import sys; from cnaps_llm.cli import main; sys.argv=['cnaps-llm','eval',%r,'--cache-dir',%r,'--config',%r];\n"
        "try:\n main()\nexcept SystemExit as e: assert e.code == 0, e.code\n"
        "assert 'openai' not in sys.modules, 'replay imported the SDK'"
    ) % (str(PROMPTS), str(CASSETTES), str(tmp_path / "empty.toml"))
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")  # a --config that does not exist is an error
    env = {**os.environ, "OPENAI_API_KEY": "sk-test-not-used"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-500:]
