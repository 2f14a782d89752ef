"""Odd servers and odd inputs: each ends as a clear per-case failure or a one-line error
with the documented exit code (``errors.EXIT_CODES``), in bounded time and memory, with
no traceback."""

from __future__ import annotations

import json
import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnaps_llm.backends.openai import completion_from
from cnaps_llm.errors import BAD_INPUT, NO_RECORDING, NOT_GROUNDED, SERVER, CallFailed
from cnaps_llm.models import Usage
from cnaps_llm.pricing import estimate_cost
from cnaps_llm.redact import Redactor

from ..conftest import SEEDS
from ..stubserver import Reply, StubServer, completion_body
from ..test_pipeline import draft
from ..test_robustness import _peak_rss_mb

CASE = SEEDS["003"]
NESTED = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "1")
    monkeypatch.setenv("CNAPS_MAX_RETRY_WAIT", "0.05")


def generate(run_cli, srv: StubServer, tmp_path: Path, *extra: str):
    res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object",
                  "--jsonl", tmp_path / "r.jsonl", *extra)
    record = json.loads((tmp_path / "r.jsonl").read_text().splitlines()[-1])
    assert "Traceback" not in res.err
    return res, record


@pytest.mark.parametrize(
    ("usage", "shown"),
    [
        ({"prompt_tokens": 10, "completion_tokens": "abc"}, "completion_tokens='abc'"),
        ({"prompt_tokens": -5, "completion_tokens": 1}, "prompt_tokens=-5"),
        ({"prompt_tokens": 10**30, "completion_tokens": 1}, f"prompt_tokens={10**30}"),
        ({"prompt_tokens": 1.5, "completion_tokens": 1}, "prompt_tokens=1.5"),
        ({"prompt_tokens": True, "completion_tokens": 1}, "prompt_tokens=True"),
        ({"prompt_tokens": float("inf"), "completion_tokens": 1}, "prompt_tokens=inf"),
        ({"prompt_tokens": float("nan"), "completion_tokens": 1}, "prompt_tokens=nan"),
    ],
)
def test_impossible_usage_is_a_per_case_server_failure(run_cli, fast, tmp_path: Path, usage: dict, shown: str) -> None:
    with StubServer(default=Reply(text=draft(), usage=usage)) as srv:
        res, record = generate(run_cli, srv, tmp_path)
        assert len(srv.requests) == 1  # not retried: the same server would say the same
    assert res.code == SERVER and record["error_kind"] == "server"
    assert record["error"] == f"the server reported impossible token usage ({shown}); check the server"


@pytest.mark.parametrize(("finish", "kind"), [(1, "int"), ([], "list"), ({"a": 1}, "dict")])
def test_a_finish_reason_that_is_not_text_is_a_per_case_failure(run_cli, fast, tmp_path: Path, finish, kind: str) -> None:
    with StubServer(default=Reply(text=draft(), finish_reason=finish)) as srv:
        res, record = generate(run_cli, srv, tmp_path)
    assert res.code == SERVER
    assert record["error"] == f"the server's reply has a {kind} where finish_reason should be text; check the server"


def test_a_reply_from_another_model_is_recorded_and_priced_as_that_model(run_cli, tmp_path: Path) -> None:
    usage = {"prompt_tokens": 1000, "completion_tokens": 200}
    with StubServer(default=Reply(text=draft(), model="gpt-4o", usage=usage)) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "record", "-m", "gpt-4o-mini", "-f", "json")
        assert srv.requests[0]["model"] == "gpt-4o-mini"
    assert res.code == 0, res.err
    record = json.loads(res.out)["results"][0]
    assert record["model"] == "gpt-4o"
    assert record["cost_usd"] == estimate_cost("gpt-4o", Usage(prompt_tokens=1000, completion_tokens=200)) != estimate_cost(
        "gpt-4o-mini", Usage(prompt_tokens=1000, completion_tokens=200))
    cassette = next((tmp_path / "cassettes").rglob("*.json"))
    assert json.loads(cassette.read_text())["response"]["model"] == "gpt-4o"


def test_100k_nested_brackets_in_a_reply_body_are_an_unreadable_reply(run_cli, fast, tmp_path: Path) -> None:
    body = '{"choices": [], "x": ' + NESTED + "}"
    with StubServer(default=Reply(body=body)) as srv:
        res, record = generate(run_cli, srv, tmp_path)
    assert res.code == SERVER and record["error"].startswith("the server's reply could not be read (RecursionError")


def test_100k_nested_brackets_as_a_draft_are_reasked_then_fail(run_cli, fast, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=NESTED)) as srv:
        res, record = generate(run_cli, srv, tmp_path, "--max-attempts", "2")
        assert len(srv.requests) == 2
    assert res.code == NOT_GROUNDED and record["status"] == "failed" and len(record["attempts"]) == 2


def test_100k_nested_brackets_in_a_recording_fail_that_case_only(run_cli, tmp_path: Path) -> None:
    from cnaps_llm.resources import bundled_cassettes

    cas = tmp_path / "cas"
    shutil.copytree(bundled_cassettes(), cas)
    victim = next((cas / CASE.stem).glob("*.json"))
    victim.write_text('{"format_version": 2, "response": ' + NESTED + "}")
    res = run_cli("generate", CASE, SEEDS["004"], "--cache", "replay", "--cache-dir", cas, "--jsonl", tmp_path / "r.jsonl")
    records = {r["case_id"]: r for r in map(json.loads, (tmp_path / "r.jsonl").read_text().splitlines())}
    assert res.code == NO_RECORDING and "Traceback" not in res.err
    assert records[CASE.stem]["error"] == f"{victim}: recording is nested too deeply to read; delete it and record again"
    assert records[SEEDS["004"].stem]["status"] == "grounded"


def _generate_against(reply: Reply, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, float]:
    """``generate`` of one case against a server answering ``reply``, in a process whose peak
    memory is measured: the case's record, and the peak in MB. It must end as a server
    failure of that case (exit 3), never a traceback."""
    with StubServer(default=reply) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "0")
        _, rss, err = _peak_rss_mb(
            f"import sys; from cnaps_llm.cli import main; sys.argv=['cnaps-llm','generate',{str(CASE)!r},'--cache','off',"
            f"'--structured','json_object','--jsonl',{str(tmp_path / 'r.jsonl')!r}]\n"
            "try:\n main()\nexcept SystemExit as e: sys.stderr.write('EXIT=%s\\n' % e.code)"
        )
    assert "EXIT=3" in err and "Traceback" not in err, err[-500:]
    return json.loads((tmp_path / "r.jsonl").read_text()), rss


@pytest.mark.parametrize("status", [200, 500])
def test_a_50_mb_reply_is_cut_off_in_bounded_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: int) -> None:
    huge = completion_body("x" * (50 * 1024 * 1024)) if status == 200 else json.dumps({"error": {"message": "y" * (50 * 1024 * 1024)}})
    record, rss = _generate_against(Reply(status=status, body=huge), tmp_path, monkeypatch)
    assert record["error_kind"] == "server"
    if status == 200:
        assert record["error"] == "the reply was larger than 1048576 bytes (10x the output budget); it was cut off unread"
    else:
        assert record["error"] == "the server's reply (HTTP 500) was larger than 8388608 bytes; it was cut off unread"
    assert rss < 250, rss  # the reply alone is 50 MB


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, compresslevel=9)


@pytest.mark.parametrize("status", [200, 500])
def test_a_compressed_body_that_inflates_to_500_mb_is_cut_off_in_bounded_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: int) -> None:
    bomb = _gzip(b'{"error": {"message": "' + b"z" * (500 * 1024 * 1024))  # about 500 KB on the wire
    record, rss = _generate_against(Reply(status=status, raw=bomb, headers={"content-encoding": "gzip"}), tmp_path, monkeypatch)
    limit = 1048576 if status == 200 else 8388608  # the reply's own limit, or the HTTP one for an error body
    assert record["error"] in (f"the server's reply (HTTP {status}) was larger than 8388608 bytes; it was cut off unread",
                               f"the reply was larger than {limit} bytes (10x the output budget); it was cut off unread")
    assert rss < 250, rss


def test_a_compressed_reply_of_a_sane_size_is_read(run_cli, tmp_path: Path) -> None:
    with StubServer(default=Reply(raw=_gzip(completion_body(draft()).encode()), headers={"content-encoding": "gzip"})) as srv:
        res, record = generate(run_cli, srv, tmp_path)
    assert res.code == 0 and record["status"] == "grounded", res.err


def test_a_body_in_an_encoding_not_asked_for_is_refused(run_cli, fast, tmp_path: Path) -> None:
    with StubServer(default=Reply(raw=b"\x8b\x00garbage", headers={"content-encoding": "br"})) as srv:
        res, record = generate(run_cli, srv, tmp_path)
        assert {k.lower(): v for k, v in srv.headers[0].items()}["accept-encoding"] == "gzip, deflate"
    assert res.code == SERVER and record["error"] == "the server sent a body encoded as 'br', which was not asked for; check the server"


def test_a_server_trickling_a_byte_every_2_s_is_cut_off_by_the_deadline(run_cli, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=draft(), trickle=2.0)) as srv:
        started = time.monotonic()
        res, record = generate(run_cli, srv, tmp_path, "--timeout", "3", "--case-timeout", "5")
        elapsed = time.monotonic() - started
    assert res.code == SERVER and elapsed < 12, elapsed
    assert record["error_kind"] in ("server", "deadline")


def test_retry_after_a_day_is_capped(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_MAX_RETRY_WAIT", "1")
    with StubServer(default=Reply(text=draft())) as srv:
        srv.enqueue(Reply(status=429, headers={"retry-after": "86400"}, body='{"error": {"message": "slow down"}}'))
        started = time.monotonic()
        res, record = generate(run_cli, srv, tmp_path)
        elapsed = time.monotonic() - started
        assert len(srv.requests) == 2
    assert res.code == 0 and record["status"] == "grounded" and elapsed < 10, (res.err, elapsed)


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/v1", "file:///etc/passwd", "not a url", "http://", "http://[::1", "javascript:alert(1)"])
def test_a_base_url_that_is_not_http_is_refused_at_once(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    for how in ("env", "flag"):
        started = time.monotonic()
        if how == "env":
            monkeypatch.setenv("OPENAI_BASE_URL", url)
            res = run_cli("generate", CASE, "--cache", "off")
            monkeypatch.delenv("OPENAI_BASE_URL")
        else:
            res = run_cli("generate", CASE, "--cache", "off", "--base-url", url)
        assert res.code == BAD_INPUT and time.monotonic() - started < 5
        assert res.err.count("\n") == 1 and res.err.startswith("cnaps-llm: setting `openai_base_url`: ") and "OPENAI_BASE_URL" in res.err
        assert res.out == ""


def test_ids_with_odd_characters_give_well_formed_junit(run_cli, tmp_path: Path) -> None:
    ids = ["line\u2028sep", "nonchar\ufffe", "<tag attr='x'>&amp;]]>", "tab-less\u0085".replace("\u0085", "\u00a0"), "ünï/cöde"]
    data = tmp_path / "cases.jsonl"
    data.write_text("".join(json.dumps({"id": i, "prompt": CASE.read_text()}) + "\n" for i in ids))
    with StubServer(default=Reply(text=draft())) as srv:
        res = run_cli("eval", data, "--cache", "off", "--base-url", srv.base_url, "--junit", tmp_path / "j.xml")
    assert res.code == 0, res.err
    names = [tc.get("name") for tc in ET.parse(tmp_path / "j.xml").getroot().iter("testcase")]
    assert names == [i.replace("\ufffe", "\\ufffe") for i in ids] + ["thresholds"]


@pytest.mark.parametrize(("cid", "message"), [
    ("x" * 5000, f"case id '{'x' * 40}'… is 5000 characters long; give an id (or file name) of at most 200"),
    ("a\x00b", "case id 'a\\x00b' holds the control character '\\x00'; remove it from the id (or file name)"),
    ("a\x1b[31mred", "case id 'a\\x1b[31mred' holds the control character '\\x1b'; remove it from the id (or file name)"),
])
def test_an_impossible_id_is_a_clear_error_before_any_call(run_cli, tmp_path: Path, cid: str, message: str) -> None:
    data = tmp_path / "cases.jsonl"
    data.write_text(json.dumps({"id": cid, "prompt": CASE.read_text()}) + "\n")
    with StubServer(default=Reply(text=draft())) as srv:
        for command in ("generate", "eval"):
            res = run_cli(command, data, "--cache", "off", "--base-url", srv.base_url)
            assert res.code == BAD_INPUT and res.err.startswith(f"cnaps-llm: {data}:1: {message}\n"), res.err
        assert srv.requests == []


def test_40000_duplicate_ids_are_found_fast_before_any_call(run_cli, tmp_path: Path) -> None:
    line = {"question": "How does X work?", "recommended": [{"name": "X", "paper": "https://a.org/x"}]}
    data = tmp_path / "cases.jsonl"
    data.write_text("".join(json.dumps({"id": f"c{i % 20_000}", **line}) + "\n" for i in range(40_000)))
    with StubServer(default=Reply(text=draft())) as srv:
        started = time.monotonic()
        res = run_cli("generate", data, "--cache", "off", "--base-url", srv.base_url, "--jsonl", tmp_path / "r.jsonl")
        elapsed = time.monotonic() - started
        assert srv.requests == []
    assert res.code == BAD_INPUT and res.err == "cnaps-llm: <input>: case id(s) c0, c1, c10, c100, c1000 occur more than once; give each case a unique id\n"
    assert elapsed < 60, elapsed


def test_runs_in_one_process_leave_no_client_for_asyncio_to_complain_about(run_cli, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import asyncio
    import gc

    async def collect_in_another_loop() -> None:  # where the next run would meet the last run's client
        gc.collect()
        await asyncio.sleep(0.05)

    with StubServer(default=Reply(text=draft())) as srv:
        for _ in range(2):
            assert generate(run_cli, srv, tmp_path)[0].code == 0
            asyncio.run(collect_in_another_loop())
    assert [r.getMessage() for r in caplog.records if r.name == "asyncio"] == []


# --------------------------------------------------------------------------- fuzz: whatever a body holds

_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=20), st.sampled_from(["stop", "length", "", "\ud800", "sk-x"]))
_JSON = st.recursive(_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=20)
_USAGE = st.dictionaries(st.sampled_from(["prompt_tokens", "completion_tokens", "total_tokens"]), _SCALAR, max_size=3)
_CHOICE = st.fixed_dictionaries({}, optional={"message": st.one_of(_JSON, st.fixed_dictionaries({}, optional={"content": _SCALAR, "refusal": _SCALAR})),
                                               "finish_reason": _SCALAR})
_BODY = st.one_of(_JSON, st.fixed_dictionaries({}, optional={"choices": st.one_of(_JSON, st.lists(st.one_of(_CHOICE, _JSON), max_size=2)),
                                                             "usage": st.one_of(_USAGE, _JSON), "model": _SCALAR}))


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(_BODY)
def test_fuzz_whatever_a_body_holds_it_is_a_completion_or_a_call_failure(body) -> None:
    try:
        completion = completion_from(body, 0.1, Redactor(["sk-x-secret"]))
    except CallFailed as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(completion.text, str) and completion.usage.prompt_tokens >= 0
    completion.model_dump_json()  # every field serialisable: nothing a writer could choke on
