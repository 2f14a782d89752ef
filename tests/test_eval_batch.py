"""`cnaps-llm eval` metrics and thresholds; batch generation with --jsonl, --resume and Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import FIXTURES, PROMPTS, ROOT
from .stubserver import Reply, StubServer, grounded_draft

CASSETTES = FIXTURES / "cassettes"


def generic(**kw) -> Reply:
    """A reply grounded for whichever case asks: each recommended model used and quoted by name."""
    return Reply(reply_to=grounded_draft, **kw)


def test_eval_bundled_dataset_passes_project_thresholds(run_cli, tmp_path: Path) -> None:
    res = run_cli("eval", PROMPTS, "--cache-dir", CASSETTES, "--config", ROOT / "pyproject.toml",
                  "--json", tmp_path / "m.json", "--junit", tmp_path / "j.xml", "--markdown", tmp_path / "r.md")
    assert res.code == 0, res.err
    data = json.loads((tmp_path / "m.json").read_text())
    m = data["metrics"]
    assert m["cases"] == 12 and m["grounded_rate"] == 1.0 and m["final_violations"] == {}
    assert m["first_pass_rate"] == pytest.approx(6 / 12, abs=1e-4) and m["mean_attempts"] == pytest.approx(18 / 12, abs=1e-4)
    assert m["draft_violations"] == {"claim": 2, "evidence": 13, "model": 6, "number": 4, "quality": 1, "task": 1, "url": 1}
    assert m["quality_rate"] == 1.0 and m["quality_failures"] == {}
    assert m["link_precision"] == m["recommended_coverage"] == m["citation_recall"] == m["task_accuracy"] == 1.0
    suite = ET.parse(tmp_path / "j.xml").getroot()
    assert suite.get("tests") == "13" and suite.get("failures") == "0"
    assert (tmp_path / "r.md").read_text() == res.out and "**Thresholds: passed**" in res.out


def test_lowered_threshold_passes_raised_one_fails(run_cli, tmp_path: Path) -> None:
    low = run_cli("eval", PROMPTS, "--cache-dir", CASSETTES, "--min-first-pass-rate", "0.5")
    assert low.code == 0
    high = run_cli("eval", PROMPTS, "--cache-dir", CASSETTES, "--min-first-pass-rate", "0.9",
                   "--junit", tmp_path / "j.xml")
    assert high.code == 1
    assert "cnaps-llm: threshold missed: first-pass rate 0.5 is below the minimum 0.9" in high.err
    suite = ET.parse(tmp_path / "j.xml").getroot()
    assert suite.get("failures") == "1" and suite.find("testcase[@name='thresholds']/failure") is not None


def test_thresholds_from_pyproject(run_cli, tmp_path: Path) -> None:
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text("[tool.cnaps-llm.eval]\nmax_mean_attempts = 1.2\n")
    res = run_cli("eval", PROMPTS, "--cache-dir", CASSETTES, "--config", cfg)
    assert res.code == 1 and "mean attempts 1.5 is above the maximum 1.2" in res.err


def test_failed_case_is_a_junit_failure(run_cli, tmp_path: Path) -> None:
    bad = json.dumps({"task": "Uses Real-ESRGAN.", "workflow": {"input": "x", "steps": [], "output": "y"}, "references": [], "caveats": []})
    with StubServer(default=Reply(text=bad)) as srv:
        res = run_cli("eval", PROMPTS / "014_tts.txt", "--cache", "auto", "--base-url", srv.base_url,
                      "--cache-dir", tmp_path / "c", "--junit", tmp_path / "j.xml",
                      "--min-grounded-rate", "1")
    assert res.code == 1
    failure = ET.parse(tmp_path / "j.xml").getroot().find("testcase[@name='014_tts']/failure")
    assert failure is not None and "Real-ESRGAN" in failure.text


def _generate_batch(base_url: str, out: Path, cassettes: Path, *extra: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
    env.update(OPENAI_BASE_URL=base_url, CNAPS_CACHE_DIR=str(cassettes))
    return subprocess.Popen(
        [sys.executable, "-m", "cnaps_llm.cli", "generate", str(PROMPTS), "--jsonl", str(out), "-j", "2", *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # a shell that started us in the background left SIGINT ignored; Ctrl-C must reach the child
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def test_batch_interrupted_then_resumed_has_every_case_exactly_once(tmp_path: Path) -> None:
    out, cassettes = tmp_path / "results.jsonl", tmp_path / "cassettes"
    with StubServer(default=generic(delay=0.4)) as srv:
        proc = _generate_batch(srv.base_url, out, cassettes, "--cache", "off")
        deadline = time.monotonic() + 60
        while (not out.exists() or out.read_text().count("\n") < 4) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "Traceback" not in err
        first = [json.loads(line) for line in out.read_text().splitlines()]
        assert 4 <= len(first) < 12
        resumed = _generate_batch(srv.base_url, out, cassettes, "--cache", "off", "--resume")
        _, err = resumed.communicate(timeout=120)
        assert resumed.returncode == 0, err
        assert f"resume: {len(first)} case(s) already in" in err
    ids = [json.loads(line)["case_id"] for line in out.read_text().splitlines()]
    expected = sorted(p.stem for p in PROMPTS.iterdir() if p.suffix in {".txt", ".json"})
    assert sorted(ids) == expected  # every case exactly once


def test_resume_drops_a_torn_last_line(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    with StubServer(default=generic()) as srv:
        res = run_cli("generate", PROMPTS / "014_tts.txt", "--base-url", srv.base_url, "--jsonl", out, "--cache", "off")
        assert res.code == 0, res.err
        good = out.read_text()
        out.write_text(good + '{"case_id": "015_colorization", "stat')  # killed mid-write
        res = run_cli("generate", PROMPTS / "014_tts.txt", PROMPTS / "015_colorization.txt", "--base-url", srv.base_url,
                      "--jsonl", out, "--resume", "--cache", "off")
        assert res.code == 0, res.err
    ids = [json.loads(line)["case_id"] for line in out.read_text().splitlines()]
    assert ids == ["014_tts", "015_colorization"]


def test_concurrency_overlaps_requests(run_cli, tmp_path: Path) -> None:
    with StubServer(default=generic(delay=0.5)) as srv:
        started = time.monotonic()
        res = run_cli("generate", PROMPTS, "--base-url", srv.base_url, "-j", "12", "--cache", "off", "-o", tmp_path)
        elapsed = time.monotonic() - started
    assert res.code == 0, res.err
    assert len(srv.requests) == 12 and elapsed < 12 * 0.5 / 2  # far below the serial time
