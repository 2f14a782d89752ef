"""Round 2c of hostile use: odd server replies, odd input files, secrets in settings and
outputs that would land on inputs. Each case here once ended in an internal error, a
silent success or a wrong result; each now ends in one clear line and the documented exit
code (``errors.EXIT_CODES``), with nothing of the user's lost or half-written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cnaps_llm.errors import BAD_INPUT, SERVER

from ..conftest import SEEDS
from ..stubserver import Reply, StubServer, completion_body
from ..test_pipeline import draft

CASE = SEEDS["003"]


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "1")
    monkeypatch.setenv("CNAPS_MAX_RETRY_WAIT", "0.05")


def generate(run_cli, reply: Reply, tmp_path: Path, *extra: object):
    """``generate`` of seed 003 against a server answering ``reply``: the result, its one
    record and the number of requests the server got."""
    with StubServer(default=reply) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object",
                      "--jsonl", tmp_path / "r.jsonl", *extra)
    assert "Traceback" not in res.err and "internal error" not in res.err, res.err
    record = json.loads((tmp_path / "r.jsonl").read_text().splitlines()[-1])
    return res, record, len(srv.requests)


# --------------------------------------------------------------------------- odd server replies


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "x-gzip"])
@pytest.mark.parametrize("status", [200, 500])
@pytest.mark.parametrize("stream", [False, True])
def test_a_body_marked_compressed_that_is_not_is_a_server_failure(run_cli, fast, tmp_path: Path, encoding: str, status: int, stream: bool) -> None:
    # zlib's own error escaped the reader: exit 70, "internal error (error: Error -3 while decompressing data…)"
    reply = Reply(status=status, raw=b"this is not compressed at all", headers={"content-encoding": encoding})
    res, record, _ = generate(run_cli, reply, tmp_path, *(["--stream"] if stream else []))
    assert (res.code, record["error_kind"]) == (SERVER, "server")
    assert record["error"] == f"the server sent a body marked {encoding!r} that is not valid {encoding} data; check the server"
    assert res.err.count(record["error"]) == 1


@pytest.mark.parametrize("chunked", [False, True])
def test_a_deflate_body_without_its_zlib_header_is_read_as_browsers_do(run_cli, tmp_path: Path, chunked: bool) -> None:
    # `deflate` is sent both zlib-wrapped and raw; httpx reads both, the capped reader read only the first
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = packer.compress(completion_body(draft()).encode()) + packer.flush()
    res, record, _ = generate(run_cli, Reply(raw=body, headers={"content-encoding": "deflate"}, trickle=0.001 if chunked else 0.0), tmp_path)
    assert (res.code, record["status"]) == (0, "grounded"), res.err


def test_a_zlib_wrapped_deflate_body_is_still_read(run_cli, tmp_path: Path) -> None:
    import zlib

    body = zlib.compress(completion_body(draft()).encode())
    res, record, _ = generate(run_cli, Reply(raw=body, headers={"content-encoding": "deflate"}), tmp_path)
    assert (res.code, record["status"]) == (0, "grounded"), res.err


# --------------------------------------------------------------------------- inputs

EMPTY = {"set.json": ("[]", "holds an empty list, no cases; put cases in it or leave the file out"),
         "set.jsonl": ("", "holds no cases (no line holds a JSON object); put cases in it or leave the file out"),
         "blank.jsonl": ("\n  \n\n", "holds no cases (no line holds a JSON object); put cases in it or leave the file out")}


@pytest.mark.parametrize("name", sorted(EMPTY))
@pytest.mark.parametrize("command", ["parse", "generate", "eval"])
def test_an_empty_dataset_among_the_inputs_is_named_not_skipped(run_cli, tmp_path: Path, name: str, command: str) -> None:
    # `parse good.txt empty.json` printed the good case and exited 0: a dataset emptied by a
    # broken export went unnoticed
    content, message = EMPTY[name]
    (tmp_path / name).write_text(content)
    args = [CASE, tmp_path / name] + (["--cache", "replay", "--cache-dir", SEEDS["003"].parents[1] / "cassettes"] if command != "parse" else [])
    res = run_cli(command, *args)
    assert res.code == BAD_INPUT, res.err
    assert f"cnaps-llm: {tmp_path / name}: {message}\n" in res.err
    assert "Traceback" not in res.err


@pytest.mark.parametrize("name", sorted(EMPTY))
def test_an_empty_dataset_alone_is_named(run_cli, tmp_path: Path, name: str) -> None:
    content, message = EMPTY[name]
    (tmp_path / name).write_text(content)
    for command in ("parse", "generate", "eval"):
        res = run_cli(command, tmp_path / name)
        assert (res.code, res.out) == (BAD_INPUT, ""), command
        assert res.err.startswith(f"cnaps-llm: {tmp_path / name}: {message}\n"), (command, res.err)


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_check_of_an_empty_pairs_file_is_an_error_not_all_grounded(run_cli, tmp_path: Path, content: str) -> None:
    # `check pairs.jsonl` with no pairs printed nothing and exited 0, as if every answer passed
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(content)
    for extra in ([], ["--json"]):
        res = run_cli("check", pairs, *extra)
        assert res.code == BAD_INPUT, res.err
        assert res.err == f"cnaps-llm: {pairs}: holds no {{prompt, answer}} pairs (no line holds a JSON object); put one per line\n"


def _with_second(obj_text: str, key: str, value: object) -> str:
    """``obj_text`` (a JSON object) with ``key`` written once more at its end."""
    return obj_text[:-1] + f", {json.dumps(key)}: {json.dumps(value)}}}"


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_a_case_naming_prompt_twice_is_refused_not_the_last_taken(run_cli, tmp_path: Path, suffix: str) -> None:
    # json keeps the last of two keys: the case silently became the second prompt's
    text = CASE.read_text()
    data = tmp_path / f"cases{suffix}"
    data.write_text(_with_second(json.dumps({"id": "a", "prompt": text}), "prompt", "A user has asked the following question: \"x?\"") + "\n")
    res = run_cli("parse", data)
    where = f"{data}:1" if suffix == ".jsonl" else str(data)
    assert (res.code, res.out, res.err) == (BAD_INPUT, "", f"cnaps-llm: {where}: the key 'prompt' occurs twice in one object; keep one of them\n")


def test_a_duplicate_key_inside_a_structured_source_is_refused(run_cli, tmp_path: Path) -> None:
    data = tmp_path / "case.json"
    data.write_text('{"id": "x", "question": "q?", "recommended": [{"name": "A", "name": "B", "paper": "https://arxiv.org/abs/1"}]}')
    res = run_cli("parse", data)
    assert (res.code, res.out, res.err) == (BAD_INPUT, "", f"cnaps-llm: {data}: the key 'name' occurs twice in one object; keep one of them\n")


@pytest.mark.parametrize("key", ["answer", "prompt", "id"])
def test_a_pair_naming_a_key_twice_is_refused_and_the_others_checked(run_cli, tmp_path: Path, key: str) -> None:
    text = CASE.read_text()
    good = json.dumps({"id": "good", "prompt": text, "answer": "An answer."})
    bad = _with_second(json.dumps({"id": "bad", "prompt": text, "answer": "An answer."}), key, text if key == "prompt" else "other")
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(bad + "\n" + good + "\n")
    res = run_cli("check", pairs, "--json")
    assert res.code == BAD_INPUT
    assert res.err == f"cnaps-llm: {pairs}:1: the key {key!r} occurs twice in one object; keep one of them\n"
    assert [r["id"] for r in json.loads(res.out)] == ["good"]


def test_a_duplicate_key_with_control_characters_stays_one_line(run_cli, tmp_path: Path) -> None:
    data = tmp_path / "cases.jsonl"
    data.write_text('{"id": "a", "k\\n\\u001b[2J": 1, "k\\n\\u001b[2J": 2}\n')
    res = run_cli("parse", data)
    assert res.code == BAD_INPUT and res.err.count("\n") == 1 and "\x1b" not in res.err, res.err


def _sse(*events: object, done: bool = True) -> str:
    return "".join(f"data: {json.dumps(e)}\n\n" for e in events) + ("data: [DONE]\n\n" if done else "")


def _chunk(text: object = None, finish: object = None) -> dict:
    return {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "stub",
            "choices": [{"index": 0, "delta": {"content": text} if text is not None else {}, "finish_reason": finish}]}


STREAM_FAULTS = {
    # each of these three was an internal error (exit 70) with pydantic's warning lines on stderr
    "choices of strings": ({"choices": ["x"]}, "the server's streamed reply held an event that is not a chat completion chunk; check the server, or drop --stream"),
    "an event that is a list": ([1, 2], "the server's streamed reply held an event that is not a chat completion chunk; check the server, or drop --stream"),
    "content a number": (_chunk(5, "stop"), "the server's streamed reply has a int where content should be text; check the server"),
}


@pytest.mark.parametrize("fault", sorted(STREAM_FAULTS))
def test_a_streamed_event_of_the_wrong_shape_is_a_server_failure(run_cli, fast, tmp_path: Path, fault: str) -> None:
    event, message = STREAM_FAULTS[fault]
    res, record, requests = generate(run_cli, Reply(body=_sse(event)), tmp_path, "--stream")
    assert (res.code, record["error_kind"], record["error"], requests) == (SERVER, "server", message, 1)
    assert "Warning" not in res.err and "pydantic" not in res.err


def test_a_stream_cut_off_before_its_end_is_a_server_failure_not_a_draft_to_reask(run_cli, fast, tmp_path: Path) -> None:
    # a stream ending mid-draft (no finish_reason, no [DONE]) was taken as the model's draft:
    # reasked twice as "not JSON", exit 1, the server's fault blamed on the model
    text = draft()
    res, record, requests = generate(run_cli, Reply(body=_sse(_chunk(text[:60]), _chunk(text[60:120]), done=False)), tmp_path, "--stream")
    assert (res.code, record["error_kind"], requests) == (SERVER, "server", 1)
    assert record["error"] == "the server's streamed reply ended without a finish_reason (cut off); check the server, or drop --stream"


def test_a_whole_stream_is_still_read(run_cli, tmp_path: Path) -> None:
    text = draft()
    res, record, _ = generate(run_cli, Reply(body=_sse(_chunk(text[:60]), _chunk(text[60:], "stop"))), tmp_path, "--stream")
    assert (res.code, record["status"]) == (0, "grounded"), res.err


@pytest.mark.parametrize(("reply", "said"), [
    (Reply(text="{}", headers={"x-padding": "a" * 200_000}), "Receive buffer too long"),
    (Reply(drop=True), "Server disconnected without sending a response."),
])
def test_a_server_that_breaks_http_is_not_called_unreachable(run_cli, fast, tmp_path: Path, reply: Reply, said: str) -> None:
    # a 200 KB header line, or a connection closed without a reply, read "cannot connect to …;
    # check … that the server is up": the server was up, and answered
    with StubServer(default=reply) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--jsonl", tmp_path / "r.jsonl")
        assert len(srv.requests) == 2
    record = json.loads((tmp_path / "r.jsonl").read_text())
    assert (res.code, record["error_kind"]) == (SERVER, "server")
    assert record["error"] == f"{srv.base_url} broke off or sent a reply that is not valid HTTP ({said}); check the server"


UTF16 = "file is UTF-16, not UTF-8 (it starts with a UTF-16 byte-order mark); re-save it as UTF-8"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_a_utf16_dataset_is_one_error_not_one_per_line(run_cli, tmp_path: Path, codec: str) -> None:
    # what Windows PowerShell's `>` writes: 500 cases gave 501 lines of "not UTF-8"
    lines = "".join(json.dumps({"id": f"c{i}", "prompt": CASE.read_text(), "answer": "An answer."}) + "\n" for i in range(500))
    data = tmp_path / "cases.jsonl"
    data.write_bytes(("\ufeff" + lines).encode(codec) if codec == "utf-16-be" else lines.encode(codec))
    for command in (["parse"], ["check"], ["generate", "--cache", "off"]):
        res = run_cli(*command, data)
        assert (res.code, res.out, res.err) == (BAD_INPUT, "", f"cnaps-llm: {data}: {UTF16}\n"), command


def test_a_utf16_prompt_or_answer_file_says_so(run_cli, tmp_path: Path) -> None:
    prompt, answer = tmp_path / "p.txt", tmp_path / "a.md"
    prompt.write_bytes(CASE.read_text().encode("utf-16"))
    answer.write_bytes("An answer.\n".encode("utf-16"))
    res = run_cli("parse", prompt)
    assert (res.code, res.err) == (BAD_INPUT, f"cnaps-llm: {prompt}: {UTF16}\n")
    res = run_cli("check", CASE, answer)
    assert (res.code, res.out, res.err) == (BAD_INPUT, "", f"cnaps-llm: {answer}: {UTF16}\n")


# --------------------------------------------------------------------------- secrets in the base URL

SECRET = "SENTINEL-c0ffee-9a8b7c6d5e"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:{port}/v1?key={s}", "http://127.0.0.1:{port}/v1?auth_token={s}", "http://127.0.0.1:{port}/v1?x-api-key={s}",
    "http://127.0.0.1:{port}/v1?api-version=2024&client_secret={s}", "http://{s}@127.0.0.1:{port}/v1",
])
def test_a_url_credential_a_server_quotes_back_bare_is_masked(run_cli, tmp_path: Path, url: str) -> None:
    # only the `?key=…` form was masked: a server saying "invalid key <value>" (or naming
    # the model after it) put the value on stderr, in the records and in the eval reports
    failing = Reply(status=400, body=json.dumps({"error": {"message": f"invalid key {SECRET} for this account"}}))
    with StubServer(default=failing) as bad, StubServer(default=Reply(text=draft(), model=f"m-{SECRET}")) as good:
        outs = [run_cli("generate", CASE, "--cache", "off", "--base-url", url.format(port=bad.httpd.server_address[1], s=SECRET),
                        "--jsonl", tmp_path / "r.jsonl", "-o", tmp_path / "out"),
                run_cli("eval", CASE, "--cache", "record", "--base-url", url.format(port=good.httpd.server_address[1], s=SECRET),
                        "--json", tmp_path / "e.json", "--markdown", tmp_path / "e.md", "--junit", tmp_path / "e.xml")]
    assert [o.code for o in outs] == [SERVER, 0], [o.err for o in outs]
    assert "invalid key [redacted] for this account" in outs[0].err
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert {"r.jsonl", "e.json", "e.md", "e.xml", "servers.json"} <= {p.name for p in written}
    assert not [p for p in written if SECRET[:12] in p.read_text(errors="replace")]
    assert not [o for o in outs if SECRET[:12] in o.out + o.err]


@pytest.mark.parametrize("password", [f"{SECRET}/x", f"a#{SECRET}", f"a?{SECRET}"])
def test_a_password_that_breaks_the_url_is_not_shown_as_its_port(run_cli, password: str) -> None:
    # urllib read `alice:<password>` as host and port and quoted the "port": the password
    res = run_cli("generate", CASE, "--cache", "off", "--base-url", f"http://alice:{password}@127.0.0.1/v1")
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == ("cnaps-llm: setting `openai_base_url`: Value error, its port is not a number (a password holding / ? or # "
                       "must be percent-encoded: %2F %3F %23); fix the flag, OPENAI_BASE_URL or .env\n")


def test_a_masked_query_value_is_masked_once() -> None:
    from cnaps_llm.redact import MASK, Redactor, url_secrets

    redactor = Redactor(url_secrets(f"http://h/v1?key={SECRET}"))
    once = redactor.redact(f"cannot connect to http://h/v1?key={SECRET}; check it")
    assert once == f"cannot connect to http://h/v1?key={MASK}; check it" == redactor.redact(once)  # not `[redacted]]`


# --------------------------------------------------------------------------- settings that would check nothing


@pytest.mark.parametrize("kinds", ["", ",,,", " , "])
def test_kinds_naming_no_kind_is_refused_not_a_pass_for_every_answer(run_cli, tmp_path: Path, kinds: str) -> None:
    # `check --kinds "$KINDS"` with KINDS unset checked nothing: an empty answer was "grounded", exit 0
    empty = tmp_path / "empty.md"
    empty.write_text("")
    res = run_cli("check", CASE, empty, "--kinds", kinds)
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: --kinds {kinds!r} names no kind; give at least one (e.g. --kinds url,model), or leave it out to check all\n"


@pytest.mark.parametrize("listed", ["[]", '[""]'])
def test_a_config_whose_kinds_list_is_empty_is_refused(run_cli, tmp_path: Path, listed: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.cnaps-llm.check]\nkinds = {listed}\n")
    empty = tmp_path / "empty.md"
    empty.write_text("")
    res = run_cli("check", CASE, empty)
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == (f"cnaps-llm: pyproject.toml: [tool.cnaps-llm.check] kinds = {json.dumps(json.loads(listed))} names no kind; "
                       'list at least one, e.g. kinds = ["url", "model"], or remove it to check all\n')


def test_a_200_reply_in_vllms_error_shape_says_what_the_server_said(run_cli, fast, tmp_path: Path) -> None:
    # {"object": "error", "message": …} with HTTP 200 read "the server returned no choices" and no more
    body = json.dumps({"object": "error", "message": "This model's maximum context length is 2048 tokens", "type": "BadRequestError", "code": 400})
    res, record, requests = generate(run_cli, Reply(body=body), tmp_path)
    assert (res.code, requests) == (SERVER, 1)
    assert record["error"] == ("the server returned no choices; check that the model serves chat completions "
                               "[This model's maximum context length is 2048 tokens]")


# --------------------------------------------------------------------------- special files


@pytest.mark.parametrize("make", ["fifo", "dev-zero", "folder"])
def test_a_special_file_named_like_a_recording_is_skipped_not_read(run_cli, tmp_path: Path, make: str) -> None:
    # a replay miss reads the case's other recordings to say which differs: a FIFO among
    # them blocked the run for ever, a link to /dev/zero ended in MemoryError (exit 70)
    import shutil
    import subprocess
    import sys

    from cnaps_llm.resources import bundled_cassettes

    cas = tmp_path / "cas"
    shutil.copytree(bundled_cassettes(), cas)
    odd = cas / CASE.stem / "0000.json"
    {"fifo": lambda: os.mkfifo(odd), "dev-zero": lambda: os.symlink("/dev/zero", odd), "folder": odd.mkdir}[make]()
    code = (f"import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31)); from cnaps_llm.cli import main; "
            f"sys.argv = ['cnaps-llm', 'generate', {str(CASE)!r}, '--cache', 'replay', '--cache-dir', {str(cas)!r}, '--model', 'other-model']; main()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 4, proc.stderr[-500:]
    assert proc.stderr.endswith("differing in model: 'gpt-4o-mini' recorded, 'other-model' now; record it with --cache record\n"), proc.stderr[-500:]


def test_a_huge_foreign_file_given_as_jsonl_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    # `--jsonl` naming a 4 GB file without a line break (a disk image, weights) read its
    # first "line" whole: MemoryError (exit 70) under a 1 GB limit, or a machine swapping
    import subprocess
    import sys

    big = tmp_path / "disk.img"
    with open(big, "wb") as fh:
        fh.truncate(4 << 30)  # sparse: no disk used
    code = (f"import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); from cnaps_llm.cli import main; "
            f"sys.argv = ['cnaps-llm', 'generate', {str(CASE)!r}, '--cache', 'off', '--base-url', 'http://127.0.0.1:9/v1', "
            f"'--jsonl', {str(big)!r}]; main()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (BAD_INPUT, ""), proc.stderr[-500:]
    assert proc.stderr == (f"cnaps-llm: {big}:1: is not a cnaps-llm results file (this line is not one of its records); "
                           "nothing was written: give --jsonl another file\n")
    assert big.stat().st_size == 4 << 30


# --------------------------------------------------------------------------- where results go


@pytest.mark.parametrize(("where", "why"), [("file.txt/r.jsonl", "a part of its folder is a file"),
                                            ("file.txt/deeper/r.jsonl", "a part of its folder is a file"),
                                            ("/proc/no-such-folder/r.jsonl", "No such file or directory")])
def test_a_jsonl_file_whose_folder_cannot_be_made_is_one_line_before_any_request(run_cli, tmp_path: Path, where: str, why: str) -> None:
    # was an internal error (exit 70: FileExistsError, FileNotFoundError) — though before any request
    (tmp_path / "file.txt").write_text("mine\n")
    with StubServer(default=Reply(text=draft())) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--jsonl", where)
        assert srv.requests == []
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {where}: cannot write it ({why}); check the path and its permissions\n"
    assert (tmp_path / "file.txt").read_text() == "mine\n"


@pytest.mark.parametrize(("flag", "where", "why"), [("--json", "file.txt/e.json", "a part of its folder is a file"),
                                                    ("--markdown", "file.txt/sub/e.md", "a part of its folder is a file"),
                                                    ("--junit", "/proc/no-such-folder/e.xml", "No such file or directory"),
                                                    ("--html", "file.txt/e.html", "a part of its folder is a file")])
def test_an_eval_report_that_cannot_be_written_is_refused_before_any_request(run_cli, tmp_path: Path, flag: str, where: str, why: str) -> None:
    # every case was sent (and paid for), then the report could not be written: exit 2, the run lost
    (tmp_path / "file.txt").write_text("mine\n")
    with StubServer(default=Reply(text=draft())) as srv:
        res = run_cli("eval", CASE, "--base-url", srv.base_url, "--cache", "off", "--no-thresholds", flag, where)
        assert srv.requests == []
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {where}: cannot write it ({why}); check the path and its permissions\n"


def test_an_eval_report_in_a_missing_folder_is_still_written(run_cli, tmp_path: Path) -> None:
    res = run_cli("eval", "--example", "003", "--no-thresholds", "--json", tmp_path / "new" / "deeper" / "e.json")
    assert res.code == 0, res.err
    assert json.loads((tmp_path / "new" / "deeper" / "e.json").read_text())["metrics"]["cases"] == 1


# --------------------------------------------------------------------------- what reaches the terminal


def test_a_case_id_with_a_bidirectional_override_is_shown_escaped_on_stderr(run_cli, tmp_path: Path) -> None:
    # "\u202egpj.exe" displays as "exe.jpg" on a terminal: ids are kept as written (records,
    # file names by safe_name), but every line about the case on stderr shows the escape
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"id": "\u202egpj.exe", "prompt": CASE.read_text()}) + "\n")
    res = run_cli("generate", cases, "--cache", "replay", "--cache-dir", tmp_path / "none")
    assert res.code != 0 and "Traceback" not in res.err
    assert "\u202e" not in res.err, res.err
    assert "\\u202egpj.exe: failed:" in res.err, res.err


@pytest.mark.parametrize("value", ["nan", "NaN"])
def test_a_threshold_flag_of_nan_is_called_not_finite_not_out_of_range(run_cli, value: str) -> None:
    # typer lets NaN through its range check (every comparison with NaN is false); the
    # message said "should be less than or equal to 1" of a value that is no number at all
    res = run_cli("eval", "--example", "003", "--min-grounded-rate", value, "--cache", "replay")
    assert (res.code, res.err) == (BAD_INPUT, "cnaps-llm: threshold min_grounded_rate: Input should be a finite number\n")
