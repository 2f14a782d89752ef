"""Real servers under load: mode negotiation under concurrency, deadlines, small-model drafts,
rate limits and a cost budget, against the stub OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path

import pytest

from cnaps_llm.backends.fake import ScriptedBackend
from cnaps_llm.backends.throttle import Throttle, parse_reset
from cnaps_llm.draft import extract_json

from .conftest import SEEDS
from .stubserver import Reply, StubServer
from .test_pipeline import draft, run

PROMPT = SEEDS["003"].read_text(encoding="utf-8")


def dataset(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps({"id": f"case{i:02d}", "prompt": PROMPT}) + "\n" for i in range(n)))
    return path


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_concurrent_batch_negotiates_the_mode_once_and_remembers_it(run_cli, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=draft())) as srv:
        srv.reject_json_schema = True
        res = run_cli("generate", dataset(tmp_path, 12), "-j", "8", "--base-url", srv.base_url, "--cache", "off", "--jsonl", tmp_path / "r.jsonl")
        assert res.code == 0, res.err
        recs = records(tmp_path / "r.jsonl")
        assert len(recs) == 12 and {r["status"] for r in recs} == {"grounded"}
        assert all(a["mode"] == "json_object" for r in recs for a in r["attempts"])
        sent = [(r.get("response_format") or {}).get("type") for r in srv.requests]
        assert sent == ["json_schema"] + ["json_object"] * 12  # one probe, then fan out
        # the next run starts in the mode this server accepted: no probe at all
        srv.requests.clear()
        res = run_cli("generate", dataset(tmp_path, 3), "-j", "3", "--base-url", srv.base_url, "--cache", "off")
        assert res.code == 0, res.err
        assert [(r.get("response_format") or {}).get("type") for r in srv.requests] == ["json_object"] * 3


def test_rejections_in_flight_never_push_the_run_to_text() -> None:
    from cnaps_llm.errors import UnsupportedFormat
    from cnaps_llm.negotiate import ModeNegotiator

    n = ModeNegotiator.for_run("auto")
    # three requests built with json_schema are all rejected: one step down, not three
    assert [n.reject("json_schema") for _ in range(3)] == [True, True, True]
    assert n.mode == "json_object" and n.fallbacks == ["json_schema -> json_object"]
    assert not ModeNegotiator.for_run("json_schema").reject("json_schema")  # a fixed mode has nowhere to go
    assert isinstance(UnsupportedFormat("x", mode="json_schema").mode, str)


def test_a_server_that_never_answers_ends_the_case_within_its_deadline(run_cli, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=draft())) as srv:
        srv.enqueue(Reply(text=draft(), delay=30))
        started = time.monotonic()
        res = run_cli("generate", dataset(tmp_path, 3), "-j", "2", "--base-url", srv.base_url, "--cache", "off",
                      "--structured", "json_object", "--case-timeout", "2", "--jsonl", tmp_path / "r.jsonl")
        elapsed = time.monotonic() - started
    assert res.code == 3 and elapsed < 15
    recs = records(tmp_path / "r.jsonl")
    slow = [r for r in recs if r["error_kind"] == "deadline"]  # whichever request reached the server first
    assert len(slow) == 1 and "ran out of its 2 s (--case-timeout)" in slow[0]["error"]
    assert sorted(r["status"] for r in recs) == ["failed", "grounded", "grounded"]  # the batch goes on


def test_a_local_server_that_timed_out_is_retried_once_not_four_times(run_cli, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=draft(), delay=3)) as srv:
        res = run_cli("generate", SEEDS["003"], "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object",
                      "--timeout", "0.5", "--max-attempts", "1")
        assert res.code == 3
        assert len(srv.requests) == 2 and "retried once at most" in res.err


def test_a_trickling_server_is_cut_off_by_the_request_timeout(run_cli, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=draft(), trickle=0.5)) as srv:
        started = time.monotonic()
        res = run_cli("generate", SEEDS["003"], "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object",
                      "--timeout", "1", "--case-timeout", "5")
        assert res.code == 3 and time.monotonic() - started < 10


# --------------------------------------------------------------------------- drafts small models write


@pytest.mark.parametrize(
    "raw",
    [
        '{"task": "line one\nline two"}',  # a raw control character inside a string
        'Here is the JSON:\n```json\n{"task": "x"}\n```\nHope this helps!',
        'Sure! {"task": "x"} Let me know.',
    ],
)
def test_lenient_json(raw: str) -> None:
    data, problem = extract_json(raw)
    assert problem is None and set(data) == {"task"}


def test_hopelessly_nested_reply_is_a_syntax_problem_not_a_crash() -> None:
    data, problem = extract_json("[" * 100_000 + "]" * 100_000)
    assert data is None and problem is not None and problem.kind == "format" and "nested" in problem.message


def test_an_identical_redraft_raises_the_temperature_then_stops_early() -> None:
    bad = draft(task="Image restoration, like Real-ESRGAN.")
    backend = ScriptedBackend(*[bad] * 5)
    from cnaps_llm.settings import load_settings

    result = run(backend, load_settings(openai_base_url="http://x/v1", max_attempts=8))
    temps = [h.temperature for h in backend.history]
    assert temps == [0.0, 0.0, 0.5, 0.8, 1.0]  # raised after each identical redraft, up to the bound
    assert result.status == "failed" and len(result.attempts) == 5
    assert result.stopped == "the model returned the same draft again at temperature 1; stopped early"


# --------------------------------------------------------------------------- rate limits and budget


def test_reset_headers_parse() -> None:
    assert [parse_reset(v) for v in ("1s", "6m0s", "20ms", "0.5", "1h2m3s", "soon", None)] == [1.0, 360.0, 0.02, 0.5, 3723.0, None, None]


def test_a_429_pauses_every_request_of_the_run() -> None:
    async def go() -> list[float]:
        t = Throttle()
        start = time.monotonic()
        t.pause(0.4)  # one request saw a 429 with Retry-After

        async def one() -> float:
            await t.acquire()
            return time.monotonic() - start

        return list(await asyncio.gather(*(one() for _ in range(3))))

    assert all(w >= 0.39 for w in asyncio.run(go()))


def test_spent_budget_headers_pause_dispatch() -> None:
    t = Throttle()
    asyncio.run(t.acquire(1000))  # requests of about 1,000 tokens
    t.observe({"x-ratelimit-remaining-tokens": "200", "x-ratelimit-reset-tokens": "1s"})
    assert t.pauses == 1
    t.observe({"x-ratelimit-remaining-requests": "5", "x-ratelimit-reset-requests": "1s"})
    assert t.pauses == 1


def test_rpm_spreads_requests_instead_of_bursting() -> None:
    async def go() -> float:
        t = Throttle(rpm=240)  # 4 a second
        start = time.monotonic()
        for _ in range(9):
            await t.acquire()
        return time.monotonic() - start

    assert 1.1 <= asyncio.run(go()) <= 2.5  # one second's worth (4) at once, then one every 0.25 s


def test_max_cost_stops_new_attempts_and_reports_the_cases_left(run_cli, tmp_path: Path) -> None:
    usage = {"prompt_tokens": 1_000_000, "completion_tokens": 0}  # $0.15 each at gpt-4o-mini prices
    with StubServer(default=Reply(text=draft(), usage=usage, model="gpt-4o-mini")) as srv:
        res = run_cli("generate", dataset(tmp_path, 4), "--base-url", srv.base_url, "--cache", "off", "--model", "gpt-4o-mini",
                      "--structured", "json_object", "--max-cost", "0.2", "--jsonl", tmp_path / "r.jsonl")
        assert len(srv.requests) == 2
    recs = records(tmp_path / "r.jsonl")
    assert [r["status"] for r in recs] == ["grounded", "grounded", "failed", "failed"]
    assert all(r["error_kind"] == "budget" and "cost budget of $0.2" in r["error"] for r in recs[2:])
    assert res.code == 1
    # the failure report says when the budget stopped the case, once
    from cnaps_llm.models import Result
    from cnaps_llm.reports.markdown import case as failure_report

    shown = failure_report(Result.model_validate(recs[2]))
    assert "The case was stopped: the run's cost budget of $0.2 was reached before its first attempt" in shown, shown


def test_a_slow_server_in_auto_mode_still_runs_cases_concurrently(run_cli, tmp_path: Path) -> None:
    # no remembered mode: the first request probes alone. It times out (not a rejection), so
    # the run fans out instead of probing case after case: 6 cases at -j 3 end in about two
    # case timeouts, not six
    with StubServer(default=Reply(text=draft(), delay=30)) as srv:
        started = time.monotonic()
        res = run_cli("generate", dataset(tmp_path, 6), "-j", "3", "--base-url", srv.base_url, "--cache", "off",
                      "--case-timeout", "1.5", "--jsonl", tmp_path / "r.jsonl")
        elapsed = time.monotonic() - started
        sent = [(r.get("response_format") or {}).get("type") for r in srv.requests]
    assert res.code == 3
    recs = records(tmp_path / "r.jsonl")
    assert len(recs) == 6 and {r["error_kind"] for r in recs} == {"deadline"}
    assert elapsed < 7.5, elapsed  # one case after another: 9 s and more (start-up and a loaded machine: up to 7 s)
    assert sent == ["json_schema"] * 6  # nothing rejected it: every case asked in the first mode
    # each failure is a line on stderr as it happens (not a terminal here), not only in the end
    said = re.findall(r"case0\d: attempt 1 \(json_schema, ([\d.]+) s\): the case ran out of its 1.5 s", res.err)
    assert len(said) == 6
    # each gives the case's own time, counted from its first request as its deadline is: the
    # cases that waited behind the probe say 1.5 s, not the 3 s since they were queued
    assert all(1.4 <= float(s) < 2.2 for s in said), said
