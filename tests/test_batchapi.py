"""Batch API runs against the fake Batch API: rounds of reasks, file limits, expiry, per-line
errors, refused and cancelled batches, the cache, and the records they end in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cnaps_llm import batchstate as bs
from cnaps_llm.inputs import load_case
from cnaps_llm.models import Usage
from cnaps_llm.pricing import estimate_cost

from .batchstub import Answer, FakeBatchAPI, Plan
from .conftest import SEEDS
from .test_pipeline import draft

SEED = load_case(SEEDS["003"]).model_dump(mode="json", exclude_none=True)
BAD1 = draft(task="Image restoration; see https://github.com/xinntao/Real-ESRGAN for more.")
BAD2 = draft(task="Image restoration; see https://example.org/denoise for more.")
MODEL = "gpt-4o-mini-2024-07-18"


def dataset(path: Path, n: int, start: int = 0) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            fh.write(json.dumps({**SEED, "id": f"c{i:04d}", "question": f"{SEED['question']} (case #{i})"}) + "\n")
    return path


def attempt_and_case(body: dict) -> tuple[int, int]:
    msgs = body["messages"]
    return (len(msgs) - 2) // 2 + 1, int(re.search(r"case #(\d+)", msgs[1]["content"]).group(1))


def two_reasks(custom_id: str, body: dict) -> str:
    """An outside link first; even cases a second outside link; then a clean draft."""
    attempt, i = attempt_and_case(body)
    if attempt == 1:
        return BAD1
    return BAD2 if attempt == 2 and i % 2 == 0 else draft()


@pytest.fixture
def batch(run_cli, tmp_path: Path):
    def go(api: FakeBatchAPI, command: str, *args: str, run: str = "run.json"):
        extra = ["--poll-interval", "0"] if command == "collect" and "--wait" in args else []
        state = [] if command == "submit" else [str(tmp_path / run)]
        tail = ["--state", str(tmp_path / run)] if command == "submit" else []
        return run_cli("batch", command, *state, *args, *extra, *tail, "--base-url", api.base_url)

    return go


def records(path: Path) -> dict[str, dict]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        assert r["case_id"] not in out, f"{r['case_id']} twice"
        out[r["case_id"]] = r
    return out


def leftovers(*folders: Path) -> list[Path]:
    return [p for f in folders for p in f.rglob("*") if p.name.endswith((".tmp", ".part")) or p.name.startswith(".")]


# --------------------------------------------------------------------------- the whole loop


@pytest.mark.slow  # about a minute on an idle machine: three checking passes over 1,000 cases
def test_thousand_cases_through_two_reask_rounds(batch, run_cli, tmp_path: Path) -> None:
    data = dataset(tmp_path / "data.jsonl", 1000)
    with FakeBatchAPI(two_reasks, max_requests=300) as api:
        sub = batch(api, "submit", str(data), "--max-requests-per-file", "300")
        assert sub.code == 0, sub.err
        assert [b["request_counts"] for b in api.created()] == [{"total": 0, "completed": 0, "failed": 0}] * 4  # sent, not polled
        res = batch(api, "collect", "--wait", "--jsonl", str(tmp_path / "out.jsonl"))
        assert res.code == 0, res.err
        # every request sent exactly once: 1000 first drafts, 1000 reasks, 500 second reasks
        assert len(api.lines) == 2500 and set(api.lines.values()) == {1}
        sizes = [len(api.state[b["id"]]["lines"]) for b in api.created()]
        assert sizes == [300, 300, 300, 100, 300, 300, 300, 100, 300, 200]
        assert [c for c in api.calls if c == ("POST", "batches")] == [("POST", "batches")] * 10
        again = batch(api, "collect", "--jsonl", str(tmp_path / "out.jsonl"))  # a finished run: exports, sends nothing
        assert again.code == 0 and len(api.batches) == 10
        assert f"0 record(s) appended to {tmp_path / 'out.jsonl'} (1000 case(s) were there already)" in again.err
    out = records(tmp_path / "out.jsonl")
    assert len(out) == 1000 and {r["status"] for r in out.values()} == {"grounded"}
    for cid, r in out.items():
        kinds = [[v["kind"] for v in a["violations"]] for a in r["attempts"]]
        assert kinds == ([["url"], ["url"], []] if int(cid[1:]) % 2 == 0 else [["url"], []]), cid
        assert not any(a["replayed"] for a in r["attempts"])  # answered by the batches of this run
        assert r["cost_usd"] == estimate_cost(MODEL, Usage(**r["usage"]), batch=True)
    one = out["c0001"]
    assert one["cost_usd"] == pytest.approx(estimate_cost(MODEL, Usage(**one["usage"])) / 2, abs=1e-6)
    state = bs.load(tmp_path / "run.json")
    assert state.done and state.counts == {"grounded": 1000} and [r.requests for r in state.rounds] == [1000, 1000, 500]
    assert leftovers(tmp_path) == []

    # the collected run replays offline through generate, answer for answer
    sample = dataset(tmp_path / "sample.jsonl", 40, start=480)
    gen = run_cli("generate", sample, "--cache", "replay", "--jsonl", tmp_path / "gen.jsonl")
    assert gen.code == 0, gen.err
    for cid, g in records(tmp_path / "gen.jsonl").items():
        b = out[cid]
        assert (g["status"], g["answer"], g["usage"]) == (b["status"], b["answer"], b["usage"])
        assert [(a["messages"], a["raw"], a["violations"]) for a in g["attempts"]] == [(a["messages"], a["raw"], a["violations"]) for a in b["attempts"]]


def test_collect_writes_what_generate_writes(batch, run_cli, tmp_path: Path) -> None:
    data = dataset(tmp_path / "data.jsonl", 3)
    with FakeBatchAPI(two_reasks) as api:
        assert batch(api, "submit", str(data)).code == 0
        res = batch(api, "collect", "--wait", "-o", str(tmp_path / "out"), "--format", "json")
        assert res.code == 0, res.err
        stdout = batch(api, "collect")  # done already: the answers, in input order, on stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["c0000.json", "c0001.json", "c0002.json"]
    record = json.loads((tmp_path / "out" / "c0001.json").read_text())
    assert record["status"] == "grounded" and len(record["attempts"]) == 2 and record["model"] == MODEL
    assert stdout.code == 0 and stdout.out.count("https://github.com/JingyunLiang/SwinIR") == 3
    assert stdout.out.count("\n---\n") == 2  # three answers, as generate prints several
    assert stdout.err.index("c0000: grounded") < stdout.err.index("c0001: grounded") < stdout.err.index("c0002: grounded")
    assert "c0002: grounded after 3 attempt(s)" in stdout.err
    # each request's custom_id is its cache key: the name of the recording its answer was filed as
    assert {p.stem for p in (tmp_path / "cassettes").rglob("*.json")} == set(api.lines) and len(api.lines) == 8

    from cnaps_llm.batchapi import run_results
    from cnaps_llm.evals import evaluate

    cases, results = run_results(tmp_path / "run.json")
    report = evaluate(cases, results, None)
    assert [r.case_id for r in results] == ["c0000", "c0001", "c0002"]
    assert report.metrics.grounded_rate == 1.0 and report.metrics.mean_attempts == pytest.approx(8 / 3, abs=1e-4)
    # the same from the command line: eval over the collected run, no generation
    res = run_cli("eval", "--from-run", tmp_path / "run.json", "--json", tmp_path / "eval.json", "--no-thresholds")
    assert res.code == 0, res.err
    assert json.loads((tmp_path / "eval.json").read_text())["metrics"]["mean_attempts"] == pytest.approx(8 / 3, abs=1e-4)


def test_cached_cases_are_answered_from_the_cache_and_never_sent(batch, tmp_path: Path) -> None:
    with FakeBatchAPI(two_reasks) as api:
        assert batch(api, "submit", str(dataset(tmp_path / "a.jsonl", 3))).code == 0
        assert batch(api, "collect", "--wait").code == 0
        first = dict(api.lines)
    with FakeBatchAPI(two_reasks) as api:
        sub = batch(api, "submit", str(dataset(tmp_path / "b.jsonl", 5)), run="b.json")  # c0000-c0002 again, and two new
        assert sub.code == 0, sub.err
        res = batch(api, "collect", "--wait", "--jsonl", str(tmp_path / "b.out.jsonl"), run="b.json")
        assert res.code == 0, res.err
        assert not set(api.lines) & set(first) and len(api.lines) == 5  # c0003: 3 requests, c0004: 2
    state = bs.load(tmp_path / "b.json")
    assert state.cached == 3 and state.counts == {"grounded": 5}
    out = records(tmp_path / "b.out.jsonl")
    assert [a["replayed"] for a in out["c0000"]["attempts"]] == [True, True, True]
    assert [a["replayed"] for a in out["c0003"]["attempts"]] == [False, False]


def test_a_fully_cached_dataset_sends_nothing(batch, tmp_path: Path) -> None:
    data = dataset(tmp_path / "a.jsonl", 2)
    with FakeBatchAPI(two_reasks) as api:
        assert batch(api, "submit", str(data)).code == 0 and batch(api, "collect", "--wait").code == 0
    with FakeBatchAPI(two_reasks) as api:
        sub = batch(api, "submit", str(data), run="b.json")
        assert sub.code == 0 and "every case was answered from the cache" in sub.err, sub.err
        assert api.calls == []
        res = batch(api, "collect", "--jsonl", str(tmp_path / "again.jsonl"), run="b.json")
    assert res.code == 0 and len(records(tmp_path / "again.jsonl")) == 2


def test_a_batch_line_is_the_request_generate_sends_keyed_by_its_recording(batch, run_cli, tmp_path: Path) -> None:
    from .stubserver import Reply, StubServer

    data = dataset(tmp_path / "d.jsonl", 1)
    with StubServer(default=Reply(text=draft())) as srv:
        gen = run_cli("generate", data, "--base-url", srv.base_url, "--cache-dir", tmp_path / "online")
        assert gen.code == 0, gen.err
    with FakeBatchAPI(two_reasks) as api:
        assert batch(api, "submit", str(data)).code == 0
        (line,) = api.state["batch-000002"]["lines"]
    (recording,) = (tmp_path / "online" / "c0000").glob("*.json")
    assert line == {"custom_id": recording.stem, "method": "POST", "url": "/v1/chat/completions", "body": srv.requests[0]}


# --------------------------------------------------------------------------- limits


def test_request_files_stay_within_the_byte_limit(batch, tmp_path: Path) -> None:
    data = dataset(tmp_path / "data.jsonl", 9)
    with FakeBatchAPI(two_reasks, max_bytes=16_000) as api:  # the fake refuses any larger file
        assert batch(api, "submit", str(data), "--max-bytes-per-file", "16000").code == 0
        res = batch(api, "collect", "--wait")
        assert res.code == 0, res.err
        sizes = [f["bytes"] for f in api.files.values() if f["purpose"] == "batch"]
    assert max(sizes) <= 16_000 and len(sizes) >= 9  # about two requests a file
    assert bs.load(tmp_path / "run.json").counts == {"grounded": 9}


# --------------------------------------------------------------------------- what the Batch API does wrong


def test_expired_batch_sends_the_unanswered_requests_again(batch, tmp_path: Path) -> None:
    with FakeBatchAPI(two_reasks) as api:
        api.plan(Plan("expired", answered=4))
        assert batch(api, "submit", str(dataset(tmp_path / "d.jsonl", 10))).code == 0
        res = batch(api, "collect", "--wait", "--jsonl", str(tmp_path / "o.jsonl"))
        assert res.code == 0, res.err
        twice = sorted(k for k, n in api.lines.items() if n == 2)
    assert len(twice) == 6 and set(api.lines.values()) == {1, 2}
    assert {r["status"] for r in records(tmp_path / "o.jsonl").values()} == {"grounded"}
    assert bs.load(tmp_path / "run.json").resubmits == {}


def test_requests_never_answered_fail_their_cases_after_max_resubmits(batch, tmp_path: Path) -> None:
    with FakeBatchAPI(two_reasks) as api:
        api.plan(Plan("expired", answered=0), Plan("expired", answered=0))
        assert batch(api, "submit", str(dataset(tmp_path / "d.jsonl", 2)), "--max-resubmits", "1").code == 0
        res = batch(api, "collect", "--wait", "--jsonl", str(tmp_path / "o.jsonl"))
        assert set(api.lines.values()) == {2} and len(api.batches) == 2
    assert res.code == 3
    for r in records(tmp_path / "o.jsonl").values():
        assert r["status"] == "failed" and r["error_kind"] == "server"
        assert r["error"] == ("the Batch API answered batch_expired: This request could not be executed before the "
                              "completion window expired.; no answer after 2 batch(es)")


def test_per_line_errors_retry_the_provider_s_faults_and_fail_the_request_s(batch, tmp_path: Path) -> None:
    seen: dict[int, int] = {}

    def respond(custom_id: str, body: dict) -> str | Answer:
        attempt, i = attempt_and_case(body)
        seen[i] = seen.get(i, 0) + 1
        if i == 1 and seen[i] == 1:
            return Answer(status=500, body={"error": {"message": "server had an error", "type": "server_error"}})
        if i == 2:
            return Answer(status=400, body={"error": {"message": "Invalid 'max_tokens'", "code": "invalid_value"}})
        if i == 3:
            return Answer(body={"id": "x", "choices": []})  # a 200 that answers nothing: failed as generate fails it
        return two_reasks(custom_id, body)

    with FakeBatchAPI(respond) as api:
        assert batch(api, "submit", str(dataset(tmp_path / "d.jsonl", 4))).code == 0
        res = batch(api, "collect", "--wait", "--jsonl", str(tmp_path / "o.jsonl"))
    out = records(tmp_path / "o.jsonl")
    assert res.code == 3
    assert [out[c]["status"] for c in ("c0000", "c0001", "c0002", "c0003")] == ["grounded", "grounded", "failed", "failed"]
    assert len(out["c0001"]["attempts"]) == 2  # the 500 was sent again, never re-asked
    assert out["c0002"]["error"] == "the Batch API answered HTTP 400: Invalid 'max_tokens'" and out["c0002"]["error_kind"] == "server"
    assert out["c0003"]["error"].startswith("the server returned no choices")
    assert [a["error"] for a in out["c0002"]["attempts"]] == [out["c0002"]["error"]]


@pytest.mark.parametrize("code,resent", [("invalid_model", False), ("token_limit_exceeded", True)])
def test_a_refused_batch(batch, tmp_path: Path, code: str, resent: bool) -> None:
    with FakeBatchAPI(two_reasks) as api:
        api.plan(Plan("failed", errors=[{"code": code, "message": "no"}]))
        assert batch(api, "submit", str(dataset(tmp_path / "d.jsonl", 3))).code == 0
        res = batch(api, "collect", "--wait", "--jsonl", str(tmp_path / "o.jsonl"))
    out = records(tmp_path / "o.jsonl")
    if resent:
        assert res.code == 0 and {r["status"] for r in out.values()} == {"grounded"}
    else:
        assert res.code == 3 and len(api.batches) == 1
        assert {r["error"] for r in out.values()} == {f"the Batch API refused the batch: {code}: no"}


def test_cancel_stops_the_run_and_fails_what_was_not_answered(batch, tmp_path: Path) -> None:
    with FakeBatchAPI(two_reasks) as api:
        api.plan(Plan(ticks=5, answered=2))
        assert batch(api, "submit", str(dataset(tmp_path / "d.jsonl", 4))).code == 0
        stop = batch(api, "cancel")
        assert stop.code == 0 and "cancelled batch-000002" in stop.err
        res = batch(api, "collect", "--wait", "--jsonl", str(tmp_path / "o.jsonl"))
        assert len(api.batches) == 1  # nothing more was sent, reasks included
    out = records(tmp_path / "o.jsonl")
    assert res.code == 3 and {r["status"] for r in out.values()} == {"failed"}
    assert {r["error"] for r in out.values()} == {
        "not sent: the batch run was cancelled (cnaps-llm batch cancel)",  # answered once, its reask never sent
        "not answered before the run was cancelled (cnaps-llm batch cancel)",
    }


# --------------------------------------------------------------------------- one run, one process, one server


def test_status_shows_rounds_and_batches(batch, tmp_path: Path) -> None:
    with FakeBatchAPI(two_reasks) as api:
        api.plan(Plan(ticks=3))
        assert batch(api, "submit", str(dataset(tmp_path / "d.jsonl", 4))).code == 0
        first = batch(api, "status")
        second = batch(api, "status")
    assert first.code == 0 and re.search(r"^  r1-p1  batch-000002 +in_progress +0/4 done, 0 failed$", first.out, re.M), first.out
    assert "0/4 case(s) ended" in first.out and "4 request(s) in 1 round(s)" in first.out
    assert re.search(r"^  r1-p1  batch-000002 +in_progress +1/4 done", second.out, re.M), second.out


def test_collect_without_wait_does_what_it_can_and_says_what_is_left(batch, tmp_path: Path) -> None:
    with FakeBatchAPI(two_reasks) as api:
        api.plan(Plan(ticks=2))
        assert batch(api, "submit", str(dataset(tmp_path / "d.jsonl", 2))).code == 0
        first = batch(api, "collect")
        later = [batch(api, "collect") for _ in range(4)]
    assert first.code == 0 and first.out == ""
    assert f"1 batch(es) still running; run `cnaps-llm batch collect {tmp_path / 'run.json'}` again later, or add --wait" in first.err
    assert "round 1: 0/2 request(s) done, 0 failed; r1-p1 in_progress" in first.err
    assert [r.code for r in later] == [0, 0, 0, 0] and "round 2: 2 request(s) in 1 file(s)" in "".join(r.err for r in later)


def test_progress_on_a_terminal_is_a_bar_that_leaves_only_notes(capsys: pytest.CaptureFixture[str]) -> None:
    from cnaps_llm.cli_batch import Watch

    state = bs.RunState(
        run_id="x", created_at="now", engine="openai", server="api.openai.com", template_hash="t", prompts_dir="p", cache_dir="c",
        spec=bs.Spec(model="m", mode="json_schema", max_attempts=3, on_fail="report", temperature=0, max_input_tokens=6000, max_output_tokens=1200),
        limits=bs.Limits(), max_resubmits=2, cases=10,
        rounds=[bs.Round(number=1, requests=10, parts=[bs.Part(name="r1-p1", requests=10, bytes=1, sha256="", phase="running", status="in_progress", completed=4, failed=1)])],
    )
    watch = Watch(terminal=True)
    watch.checking(50, 100)
    watch.poll(state)
    assert watch.bar.tasks[0].completed == 5 and watch.bar.tasks[0].total == 10 and watch.bar.tasks[0].description == "round 1"
    watch.note("r1-p1: batch b created for 10 request(s)")
    watch.close()
    assert "batch: r1-p1: batch b created for 10 request(s)" in capsys.readouterr().err


def test_a_second_process_on_the_same_run_is_refused(batch, tmp_path: Path) -> None:
    with FakeBatchAPI(two_reasks) as api:
        assert batch(api, "submit", str(dataset(tmp_path / "d.jsonl", 2))).code == 0
        with bs.locked(tmp_path / "run.json"):
            res = batch(api, "collect")
            status = batch(api, "status")
        assert len(api.batches) == 1
    assert res.code == 2 and "another cnaps-llm process is working on this run" in res.err
    assert status.code == 0 and "showing its last saved state" in status.err and "r1-p1" in status.out


def test_collect_refuses_another_server(batch, run_cli, tmp_path: Path) -> None:
    with FakeBatchAPI(two_reasks) as api:
        assert batch(api, "submit", str(dataset(tmp_path / "d.jsonl", 2))).code == 0
    res = run_cli("batch", "collect", tmp_path / "run.json", "--base-url", "http://127.0.0.1:9/v1")
    assert res.code == 2 and res.err.startswith(f"cnaps-llm: this run's batches are at {api.base_url}, not http://127.0.0.1:9/v1")


def test_submit_refuses_an_existing_run_and_duplicate_ids(batch, tmp_path: Path) -> None:
    data = dataset(tmp_path / "d.jsonl", 2)
    with FakeBatchAPI(two_reasks) as api:
        assert batch(api, "submit", str(data)).code == 0
        again = batch(api, "submit", str(data))
        (tmp_path / "dup.jsonl").write_text(data.read_text() + data.read_text().splitlines()[0] + "\n")
        (tmp_path / "run.json").rename(tmp_path / "old.json")
        import shutil

        shutil.rmtree(tmp_path / "run.batch")
        dup = batch(api, "submit", str(tmp_path / "dup.jsonl"))
        assert len(api.batches) == 1
    assert again.code == 2 and "already exists; continue that run with `cnaps-llm batch collect FILE`" in again.err
    assert dup.code == 2 and "case id(s) c0000 occur more than once" in dup.err


def test_changed_templates_stop_the_run(batch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from cnaps_llm.prompts import load_templates
    from cnaps_llm.resources import prompts_dir

    shutil.copytree(prompts_dir(), tmp_path / "prompts")
    monkeypatch.setenv("CNAPS_PROMPTS_DIR", str(tmp_path / "prompts"))
    with FakeBatchAPI(two_reasks) as api:
        assert batch(api, "submit", str(dataset(tmp_path / "d.jsonl", 2))).code == 0
        reask = next((tmp_path / "prompts").glob("reask*.md"))
        reask.write_text(reask.read_text() + "\nOne more line.\n")
        load_templates.cache_clear()  # as a new process would read them
        res = batch(api, "collect", "--wait")
    assert res.code == 2 and "changed since this run was submitted" in res.err


# --------------------------------------------------------------------------- the run folder's files


def test_a_torn_results_line_is_cut_and_its_case_run_again(batch, tmp_path: Path) -> None:
    with FakeBatchAPI(two_reasks) as api:
        assert batch(api, "submit", str(dataset(tmp_path / "d.jsonl", 3))).code == 0
        assert batch(api, "collect", "--wait").code == 0
        results = tmp_path / "run.batch" / "results.jsonl"
        lines = results.read_bytes().splitlines(keepends=True)
        results.write_bytes(b"".join(lines[:2]) + lines[2][:100])  # the last write was cut by a kill
        state = bs.load(tmp_path / "run.json")
        state.done = False
        bs.save(tmp_path / "run.json", state)
        res = batch(api, "collect", "--jsonl", str(tmp_path / "o.jsonl"))
        assert set(api.lines.values()) == {1}
    assert res.code == 0 and len(records(results)) == 3 and len(records(tmp_path / "o.jsonl")) == 3


def test_judge_sorts_answers_and_errors(tmp_path: Path) -> None:
    from cnaps_llm.batchlines import judge

    out, err = tmp_path / "o.jsonl", tmp_path / "e.jsonl"
    out.write_text(json.dumps({"custom_id": "a", "response": {"status_code": 200, "body": {}}, "error": None}) + "\nnot json\n")
    err.write_text("".join(json.dumps(x) + "\n" for x in [
        {"custom_id": "b", "response": {"status_code": 429, "body": {"error": {"message": "slow"}}}, "error": None},
        {"custom_id": "c", "response": {"status_code": 404, "body": {"error": {"message": "no\nsuch model"}}}, "error": None},
        {"custom_id": "d", "response": None, "error": {"code": "batch_expired", "message": "late"}},
        {"custom_id": "a", "response": None, "error": {"code": "batch_expired", "message": "late"}},
    ]))
    v = judge(out, err, lambda s: s)
    assert v.answered == {"a"}
    assert v.retry == {"b": "the Batch API answered HTTP 429: slow", "d": "the Batch API answered batch_expired: late"}
    assert v.final == {"c": "the Batch API answered HTTP 404: no such model"}


def test_part_writer_splits_at_either_limit(tmp_path: Path) -> None:
    from cnaps_llm.batchlines import PartWriter, keys_in, request_line

    w = PartWriter(tmp_path, 1, max_requests=3, max_bytes=1000)
    lines = {f"{i:024x}": request_line(f"{i:024x}", {"x": "y" * (300 if i == 4 else 10)}) for i in range(8)}
    for key, line in lines.items():
        w.add(key, line)
    w.add("0" * 24, lines["0" * 24])  # the same request from another case: written once
    parts = w.finish()
    assert [(p.name, p.requests) for p in parts] == [("r1-p1", 3), ("r1-p2", 3), ("r1-p3", 2)]
    assert all(p.bytes <= 1000 for p in parts) and [p.bytes for p in parts] == [(tmp_path / f"{p.name}.jsonl").stat().st_size for p in parts]
    assert [k for p in parts for k in keys_in(tmp_path / f"{p.name}.jsonl")] == list(lines)
    assert (tmp_path / "r1.keys").read_text().split() == list(lines) and leftovers(tmp_path) == []


def test_batch_commands_start_without_the_sdk(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    code = ("import sys; from cnaps_llm.cli import main\n"
            "for args in (['batch', '--help'], ['batch', 'status', %r, '--no-poll']):\n"
            "    sys.argv = ['cnaps-llm', *args]\n"
            "    try:\n        main()\n    except SystemExit as e:\n        assert e.code == 0, e.code\n"
            "assert 'openai' not in sys.modules, 'imported the SDK'") % str(tmp_path / "run.json")
    with FakeBatchAPI(two_reasks) as api:
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent), "CNAPS_CACHE_DIR": str(tmp_path / "cas")}
        sub = subprocess.run([sys.executable, "-m", "cnaps_llm.cli", "batch", "submit", str(dataset(tmp_path / "d.jsonl", 1)),
                              "--state", str(tmp_path / "run.json"), "--base-url", api.base_url], capture_output=True, text=True, env=env)
        assert sub.returncode == 0, sub.stderr
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-500:]
