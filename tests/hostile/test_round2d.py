"""Round 2d of hostile use: a server redirecting requests elsewhere, empty paths given on
the command line, a folder given as the answer to check, and the Batch API's output files
read without bound. Each ends in one clear line and the documented exit code
(``errors.EXIT_CODES``), with nothing sent where the user did not point and nothing of
theirs lost; each has a sound twin that still works."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cnaps_llm.errors import BAD_INPUT, OK, SERVER

from ..batchstub import FakeBatchAPI
from ..conftest import SEEDS
from ..stubserver import Reply, StubServer, completion_body
from ..test_pipeline import draft

CASE = SEEDS["003"]
KEY = "sk-cnaps-REDIRECTSENTINEL-9f8e7d6c5b4a"
PASSWORD = "pw-REDIRECTSENTINEL-1a2b3c4d"


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "2")
    monkeypatch.setenv("CNAPS_MAX_RETRY_WAIT", "0.05")


# --------------------------------------------------------------------------- redirects


class Elsewhere:
    """A server on another port that answers anything with a grounded completion and keeps
    every request it gets (any method): what a redirect must never reach."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                seen.append((self.command, self.path, dict(self.headers), body))
                data = completion_body(draft()).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _any  # noqa: N815

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def __enter__(self) -> Elsewhere:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Redirector:
    """A server that answers every request with ``status`` and a Location on ``target``
    (the same path and query appended)."""

    def __init__(self, status: int, target: str) -> None:
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                outer.hits += 1
                self.send_response(status)
                self.send_header("location", target + self.path)
                self.send_header("content-length", "0")
                self.end_headers()

            do_GET = do_POST = _any  # noqa: N815

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://alice:{PASSWORD}@127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> Redirector:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _generate(run_cli, base_url: str, tmp_path: Path, *extra: str):
    res = run_cli("generate", CASE, "--base-url", base_url, "--cache", "off", "--structured", "json_object",
                  "--jsonl", tmp_path / "r.jsonl", "--timeout", "5", *extra)
    assert "Traceback" not in res.err and "internal error" not in res.err, res.err
    record = json.loads((tmp_path / "r.jsonl").read_text().splitlines()[-1])
    return res, record


def _refused(port: int) -> str:
    return (f"the server redirected the request to http://127.0.0.1:{port}, another scheme, host or port; not followed, "
            "so the API key and the prompt went nowhere else: if that is the server's address, set OPENAI_BASE_URL to it")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("stream", [False, True])
def test_a_redirect_to_another_port_is_refused_before_anything_is_sent_there(
    run_cli, fast, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, status: int, stream: bool
) -> None:
    # httpx followed it: a 307/308 carried the prompt (and on an http->https hop the key) to the other port
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with Elsewhere() as other:
        # the Location names credentials and a query of its own: none of it is shown
        location = f"http://bob:tok-SENTINEL@127.0.0.1:{other.port}/v1/chat/completions?sig=q-SENTINEL"
        with StubServer(default=Reply(status=status, headers={"location": location}, body="")) as srv:
            url = srv.base_url.replace("http://", f"http://alice:{PASSWORD}@")
            res, record = _generate(run_cli, url, tmp_path, *(["--stream"] if stream else []))
            asked = len(srv.requests)
        assert other.requests == []
    assert asked == 1  # not retried: the same server would redirect again
    assert (res.code, record["error_kind"]) == (SERVER, "server")
    assert record["error"] == _refused(other.port)
    assert res.err.count(record["error"]) == 1
    everything = res.err + res.out + (tmp_path / "r.jsonl").read_text()
    for secret in (KEY, PASSWORD, "tok-SENTINEL", "q-SENTINEL", "bob"):
        assert secret not in everything


def test_a_redirect_from_http_to_https_on_the_same_host_is_refused_too(run_cli, fast, tmp_path: Path) -> None:
    # the one hop on which httpx keeps the Authorization header: the scheme is part of the origin
    with StubServer(default=Reply(status=308, headers={"location": "https://127.0.0.1:1/v1/chat/completions"}, body="")) as srv:
        res, record = _generate(run_cli, srv.base_url, tmp_path)
    assert (res.code, record["error_kind"]) == (SERVER, "server")
    assert record["error"].startswith("the server redirected the request to https://127.0.0.1:1, another scheme, host or port;")


@pytest.mark.parametrize("status", [307, 308])
def test_sound_twin_a_redirect_on_the_same_server_is_followed(run_cli, fast, tmp_path: Path, status: int) -> None:
    with StubServer(default=Reply(text=draft())) as srv:
        srv.enqueue(Reply(status=status, headers={"location": "/v1/moved/chat/completions"}, body=""))
        res, record = _generate(run_cli, srv.base_url, tmp_path)
        asked = len(srv.requests)
    assert (res.code, record["status"]) == (OK, "grounded"), res.err
    assert asked == 2  # the redirect, then the same request (body kept) at the new path


def test_sound_twin_a_plain_reply_is_still_read(run_cli, fast, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=draft())) as srv:
        res, record = _generate(run_cli, srv.base_url, tmp_path)
    assert (res.code, record["status"]) == (OK, "grounded"), res.err


def test_a_redirect_loop_on_the_same_server_is_one_clear_failure(run_cli, fast, tmp_path: Path) -> None:
    with StubServer(default=Reply(status=307, headers={"location": "/v1/chat/completions"}, body="")) as srv:
        res, record = _generate(run_cli, srv.base_url, tmp_path)
        asked = len(srv.requests)
    assert (res.code, record["error_kind"]) == (SERVER, "server")
    assert record["error"] == (f"{srv.base_url} redirected the request too many times (a redirect loop); "
                               "check OPENAI_BASE_URL and the server")
    assert asked == 21  # httpx's 20 redirects, once: a loop is not retried


@pytest.mark.parametrize("status", [302, 307])
def test_the_batch_api_is_not_followed_to_another_host_either(run_cli, fast, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, status: int) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with FakeBatchAPI(lambda custom_id, body: draft()) as api:
        target = api.base_url.removesuffix("/v1")
        with Redirector(status, target) as srv:
            res = run_cli("batch", "submit", CASE, "--state", tmp_path / "run.json", "--base-url", srv.base_url)
        assert api.calls == []
    assert res.code == SERVER, res.err
    port = target.rsplit(":", 1)[1]
    lines = res.err.splitlines()
    assert len([x for x in lines if x.startswith("cnaps-llm: ")]) == 1, res.err
    assert f"the server redirected the request to http://127.0.0.1:{port}, another scheme, host or port; not followed" in res.err
    assert "Traceback" not in res.err and KEY not in res.err and PASSWORD not in res.err


# --------------------------------------------------------------------------- empty paths


def _path_parameters() -> list[tuple[tuple[str, ...], str, bool]]:
    """(command words and the arguments before it, flag or metavar, is an option) of every
    path parameter of every command, as the root group builds them."""
    import typer

    from cnaps_llm import cli
    from cnaps_llm.cli_common import PATH_METAVARS

    root = typer.main.get_command(cli.app)
    ctx = root.context_class(root)  # typer's own click, not an installed one
    found: list[tuple[tuple[str, ...], str, bool]] = []

    def walk(words: tuple[str, ...], command: Any) -> None:
        before: tuple[str, ...] = ()  # a value for each argument ahead of this one
        for param in command.params:
            option = param.param_type_name == "option"
            if param.metavar in PATH_METAVARS or getattr(param.type, "name", None) == "path":
                found.append(((*words, *(() if option else before)), [o for o in param.opts if o.startswith("--")][0] if option else param.metavar, option))
            if not option:
                before += ("x",)
        for name, sub in getattr(command, "commands", {}).items():
            walk((*words, name), sub)

    for name in cli.COMMANDS:
        walk((name,), root.get_command(ctx, name))
    return found


PATHS = _path_parameters()


def test_every_path_parameter_is_found() -> None:
    # the rule is by type and metavar: this list keeps it from matching nothing
    labels = {(" ".join(w for w in words if w != "x"), label) for words, label, _ in PATHS}
    for expected in [("generate", "--out"), ("generate", "--jsonl"), ("generate", "--cache-dir"), ("generate", "FILE..."),
                     ("parse", "FILE..."), ("prompt", "FILE"), ("check", "PROMPT"), ("check", "ANSWER"), ("check", "--config"),
                     ("eval", "--json"), ("eval", "--markdown"), ("eval", "--junit"), ("eval", "--html"), ("eval", "--baseline"),
                     ("eval", "--from-run"), ("eval", "--config"), ("eval", "--cache-dir"), ("batch submit", "--state"),
                     ("batch submit", "--cache-dir"), ("batch submit", "DATASET..."), ("batch status", "RUN.json"),
                     ("batch collect", "RUN.json"), ("batch collect", "--out"), ("batch collect", "--jsonl"), ("batch cancel", "RUN.json")]:
        assert expected in labels


@pytest.mark.parametrize(("words", "label", "option"), PATHS, ids=[f"{' '.join(w)} {lab}" for w, lab, _ in PATHS])
def test_an_empty_path_is_a_usage_error_naming_the_parameter(run_cli, tmp_path: Path, words: tuple[str, ...], label: str, option: bool) -> None:
    # `-o ""` was `-o .`: answers written into the current folder; `parse ""` read it; `batch submit --state ""`
    # ended in an internal error
    (tmp_path / "notes.md").write_text("mine\n")
    res = run_cli(*words, *((label, "") if option else ("",)))
    wanted = {"--out": "a folder (`.` for the current one)", "--cache-dir": "a folder (`.` for the current one)"}.get(label)
    if label in ("FILE...", "DATASET..."):
        wanted = "a file or folder"
    name = label.removesuffix("...")
    assert (res.code, res.out) == (BAD_INPUT, ""), res.err
    assert res.err == f"cnaps-llm: {name} was given an empty path; give {wanted or 'a file'}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"] and (tmp_path / "notes.md").read_text() == "mine\n"


def test_sound_twin_dot_is_still_the_current_folder(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = tmp_path / "here"
    out.mkdir()
    monkeypatch.chdir(out)
    res = run_cli("generate", "--example", "003", "--cache", "replay", "-o", ".", "--jsonl", "-")
    assert res.code == OK, res.err
    assert [p.suffix for p in out.iterdir()] == [".md"]
    assert json.loads(res.out.splitlines()[-1])["status"] == "grounded"


# --------------------------------------------------------------------------- a folder given to check

ANSWER_HINT = "ANSWER is a directory, not an answer file; give the file holding the answer to check"
PROMPT_HINT = "PROMPT is a directory, not a prompt file; give one prompt file and its answer, or a .jsonl of {prompt, answer} pairs"


@pytest.mark.parametrize("json_out", [False, True])
def test_check_names_the_answer_argument_when_it_is_a_folder(run_cli, tmp_path: Path, json_out: bool) -> None:
    # it said "is a directory; pass the prompt files inside it" of the answer
    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "a.md").write_text("An answer.\n")
    res = run_cli("check", CASE, answers, *(["--json"] if json_out else []))
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {answers}: {ANSWER_HINT}\n"


@pytest.mark.parametrize("name", ["prompts", "pairs.jsonl"])
@pytest.mark.parametrize("with_answer", [False, True])
def test_check_still_says_prompt_files_when_the_prompt_argument_is_a_folder(run_cli, tmp_path: Path, name: str, with_answer: bool) -> None:
    folder = tmp_path / name
    folder.mkdir()
    answer = tmp_path / "a.md"
    answer.write_text("An answer.\n")
    res = run_cli("check", folder, *([answer] if with_answer else []))
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {folder}: {PROMPT_HINT}\n"


def test_the_library_says_answer_of_a_folder_given_as_the_answer(tmp_path: Path) -> None:
    from cnaps_llm.checking import check_answer
    from cnaps_llm.errors import InputError

    with pytest.raises(InputError) as err:
        check_answer(CASE, tmp_path)
    assert str(err.value) == f"{tmp_path}: is a directory, not an answer file; give the file holding the answer"
    with pytest.raises(InputError) as err:
        check_answer(tmp_path, CASE)
    assert "not a prompt file; pass prompt files" in str(err.value)


def test_sound_twin_check_of_a_prompt_and_its_answer_files(run_cli, tmp_path: Path) -> None:
    answer = tmp_path / "a.md"
    answer.write_text("Nothing here names a model, a link or a figure.\n")
    res = run_cli("check", CASE, answer, "--json")
    assert res.code in (OK, 1) and json.loads(res.out)["grounded"] is (res.code == OK), res.err
    assert "directory" not in res.err


# --------------------------------------------------------------------------- the Batch API's files, bounded


def _answer(key: str) -> str:
    return json.dumps({"id": f"req-{key}", "custom_id": key, "response": {"status_code": 200, "body": {"choices": []}}, "error": None}) + "\n"


def test_the_line_bound_is_a_dataset_line_s() -> None:
    from cnaps_llm import batchlines
    from cnaps_llm.inputs import MAX_INPUT_BYTES

    assert batchlines.MAX_LINE_BYTES == MAX_INPUT_BYTES == 8 << 20


def test_a_line_over_the_bound_is_skipped_unheld_and_said_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # the provider's output file was read with `for raw in fh`: a line of any length was held whole
    import tracemalloc

    from cnaps_llm import batchlines

    monkeypatch.setattr(batchlines, "MAX_LINE_BYTES", 1 << 20)
    out = tmp_path / "r1-p1.output.jsonl"
    with open(out, "wb") as fh:
        fh.write(_answer("a").encode())
        fh.write(b'{"custom_id": "b", "x": "' + b"x" * (20 << 20) + b'"}\n')
        fh.write(_answer("c").encode())
        fh.write(b"y" * (3 << 20))  # a last line without its line break
    tracemalloc.start()
    try:
        v = batchlines.judge(out, tmp_path / "none.jsonl", lambda s: s, requests=4)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert v.answered == {"a", "c"} and not v.retry and not v.final
    assert v.notes == [f"{out}:{n}: the line is longer than 1 MB; skipped unread, its request counts as unanswered" for n in (2, 4)]
    assert peak < 5 << 20, peak  # a few pieces of the bound's size, never the 20 MB line whole
    assert set(batchlines.index_answers([(out, 4)])) == {"a", "c"}


def test_a_file_over_the_bound_is_read_only_that_far(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from cnaps_llm import batchlines

    lines = [_answer(k) for k in "abcd"]
    monkeypatch.setattr(batchlines, "MAX_FILE_BYTES", len(lines[0]) * 2 + 5)  # the third line runs past it
    out = tmp_path / "r1-p1.output.jsonl"
    out.write_text("".join(lines))
    v = batchlines.judge(out, tmp_path / "none.jsonl", lambda s: s, requests=4)
    assert v.answered == {"a", "b"}
    assert v.notes == [f"{out}: the Batch API's file is larger than {len(lines[0]) * 2 + 5} bytes; read only that far, "
                       "the requests it answers past that count as unanswered"]
    assert set(batchlines.index_answers([(out, 4)])) == {"a", "b"}


def test_a_file_with_more_lines_than_requests_is_read_only_that_far(tmp_path: Path) -> None:
    from cnaps_llm import batchlines

    out, err = tmp_path / "o.jsonl", tmp_path / "e.jsonl"
    out.write_text("".join(_answer(f"k{i}") for i in range(10)))
    err.write_text("\n" * 100_000)  # blank lines count: a file of nothing but line breaks is not read for ever
    v = batchlines.judge(out, err, lambda s: s, requests=3)
    assert v.answered == {"k0", "k1", "k2"}
    assert v.notes == [f"{p}: the Batch API's file holds more lines than the batch had requests (3); the lines past that were not read"
                       for p in (out, err)]


def test_sound_twin_a_normal_output_file_reads_whole_and_says_nothing(tmp_path: Path) -> None:
    from cnaps_llm import batchlines

    out = tmp_path / "o.jsonl"
    out.write_text("".join(_answer(f"k{i}") for i in range(5)))
    v = batchlines.judge(out, tmp_path / "none.jsonl", lambda s: s, requests=5)
    assert v.answered == {f"k{i}" for i in range(5)} and v.notes == []
    index = batchlines.index_answers([(out, 5)])
    assert batchlines.answer_body(*index["k3"]) == {"choices": []}


def test_a_batch_whose_output_is_over_the_bound_is_cut_at_download_and_the_rest_sent_again(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the download wrote whatever the server sent, then all of it was read: a server could fill the disk
    from cnaps_llm import batchlines

    from ..test_batchapi import dataset

    data = dataset(tmp_path / "data.jsonl", 4)
    with FakeBatchAPI(lambda custom_id, body: draft()) as api:
        base = ["--base-url", api.base_url]
        assert run_cli("batch", "submit", data, "--state", tmp_path / "run.json", *base).code == OK
        size = len(completion_body(draft())) + 200  # about one output line: the bound lets two through
        monkeypatch.setattr(batchlines, "MAX_FILE_BYTES", int(size * 2.5))
        res = run_cli("batch", "collect", tmp_path / "run.json", "--wait", "--poll-interval", "0", "--jsonl", tmp_path / "o.jsonl", *base)
        sent = dict(api.lines)
    assert res.code == OK, res.err
    got = tmp_path / "run.batch" / "r1-p1.output.jsonl"
    assert got.stat().st_size == int(size * 2.5) + 1  # the download stopped a byte past the bound
    assert f"batch: {got}: the Batch API's file is larger than {int(size * 2.5)} bytes; read only that far" in res.err
    records = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert sorted(r["case_id"] for r in records) == ["c0000", "c0001", "c0002", "c0003"]
    assert {r["status"] for r in records} == {"grounded"}
    assert sorted(sent.values()) == [1, 1, 2, 2]  # the two answers past the bound were asked again, once
    assert "Traceback" not in res.err
