"""Every fault an OpenAI-compatible server produces: retried then succeeded, or a clear failure
with the attempts recorded, the right exit code, and nothing partial on disk."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from .conftest import SEEDS
from .stubserver import Reply, StubServer, grounded_draft
from .test_pipeline import draft

CASE = SEEDS["003"]
ERR = '{"error": {"message": "boom"}}'


@pytest.fixture
def gen(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "2")
    monkeypatch.setenv("CNAPS_MAX_RETRY_WAIT", "0.05")

    def go(srv: StubServer, *extra: str):
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "-f", "json", "-o", tmp_path / "out",
                      "--cache-dir", tmp_path / "cas", *extra)
        path = tmp_path / "out" / f"{CASE.stem}.json"
        failed = tmp_path / "out" / f"{CASE.stem}.failed.json"  # a failure never takes an answer's name
        record = json.loads(path.read_text()) if path.exists() else json.loads(failed.read_text()) if failed.exists() else None
        cassettes = sorted((tmp_path / "cas").rglob("*.json"))
        leftovers = [p for p in tmp_path.rglob(".*") if p.is_file()]
        assert leftovers == [], "temporary files left behind"
        return res, record, cassettes

    return go


TRANSIENT = {
    "429": Reply(status=429, headers={"retry-after": "0"}, body=ERR),
    "500": Reply(status=500, body=ERR),
    "502": Reply(status=502, body=ERR),
    "503": Reply(status=503, body=ERR),
    "slow": Reply(text=draft(), delay=1.5),
    "dropped": Reply(drop=True),
    "not-json": Reply(status=200, body="<html>bad gateway</html>"),
    "empty-choices": Reply(text="", choices=False),
}
# a 200 whose body is not a completion is unreadable: per-call failure, not retried by the SDK
NOT_RETRIED = {"not-json", "empty-choices"}


@pytest.mark.parametrize("fault", sorted(set(TRANSIENT) - NOT_RETRIED))
def test_transient_fault_is_retried_then_succeeds(gen, fault: str) -> None:
    with StubServer() as srv:
        srv.enqueue(TRANSIENT[fault], Reply(text=draft()))
        res, record, cassettes = gen(srv, "--timeout", "0.5")
    assert res.code == 0, res.err
    assert record["status"] == "grounded" and len(record["attempts"]) == 1 and record["attempts"][0]["error"] is None
    assert len(srv.requests) == 2 and srv.requests[0] == srv.requests[1]  # the same request, not a reask
    assert len(cassettes) == 1


@pytest.mark.parametrize("fault", sorted(TRANSIENT))
def test_persistent_fault_fails_clearly_with_attempt_recorded(gen, fault: str) -> None:
    with StubServer(default=TRANSIENT[fault]) as srv:
        res, record, cassettes = gen(srv, "--timeout", "0.5")
    assert res.code == 3
    assert record["status"] == "failed" and record["answer"] is None and record["error"]
    assert [a["error"] for a in record["attempts"]] == [record["error"]]
    assert res.err.count("\n") == 1 and res.err.startswith(f"{CASE.stem}: failed: ") and "Traceback" not in res.err
    assert cassettes == []  # nothing recorded for a failed call
    # a local server that timed out is retried once at most: it goes on computing the abandoned request
    assert len(srv.requests) == (1 if fault in NOT_RETRIED else 2 if fault == "slow" else 3)


def test_retry_after_is_honoured(gen, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_MAX_RETRY_WAIT", "5")
    with StubServer() as srv:
        srv.enqueue(Reply(status=429, headers={"retry-after": "1"}, body=ERR), Reply(text=draft()))
        started = time.monotonic()
        res, record, _ = gen(srv)
    assert res.code == 0 and 1.0 <= time.monotonic() - started < 4


def test_draft_not_matching_schema_is_reasked_then_succeeds(gen) -> None:
    with StubServer() as srv:
        srv.enqueue(Reply(text='{"task": 3, "steps": []}'), Reply(text=draft()))
        res, record, cassettes = gen(srv)
    assert res.code == 0
    assert "does not match the draft's fields" in record["attempts"][0]["violations"][0]["message"]
    assert len(cassettes) == 2


def test_schema_mismatch_every_time_fails_with_exit_1(gen) -> None:
    with StubServer(default=Reply(text='{"task": 3}')) as srv:
        res, record, cassettes = gen(srv)
    assert res.code == 1 and record["status"] == "failed" and record["error"] is None
    assert len(record["attempts"]) == 3 and all(a["violations"] for a in record["attempts"])


@pytest.mark.parametrize("reply,error", [
    (Reply(text='{"task": "cut', finish_reason="length"), "truncated: finish_reason=length"),
    (Reply(text="", refusal="I can't help with that"), "refused: I can't help with that"),
])
def test_length_and_refusal_are_reported_then_reasked(gen, reply: Reply, error: str) -> None:
    with StubServer() as srv:
        srv.enqueue(reply, Reply(text=draft()))
        res, record, _ = gen(srv)
    assert res.code == 0
    assert [a["error"] for a in record["attempts"]] == [error, None]
    assert srv.requests[1]["messages"][-1]["role"] == "user"  # reasked


def test_one_failed_case_does_not_stop_the_batch(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "0")
    with StubServer(default=Reply(text=draft())) as srv:
        srv.enqueue(Reply(status=500, body=ERR))
        srv.default = Reply(reply_to=grounded_draft)
        res = run_cli("generate", SEEDS["003"], SEEDS["004"],
                      "--base-url", srv.base_url, "--cache", "off", "--jsonl", tmp_path / "r.jsonl")
    lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert res.code == 3 and sorted(r["status"] for r in lines) == ["failed", "grounded"]
