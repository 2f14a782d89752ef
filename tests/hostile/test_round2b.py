"""Round 2 of hostile use, as a user runs the installed command: each input here once
ended in a silent success, a traceback-free but wrong ``internal error``, a misleading
message, or a file of the user's overwritten. Each now ends in one clear line and the
documented exit code, before any request where the problem is known before one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnaps_llm.errors import BAD_INPUT, SERVER

from ..conftest import ROOT, SEEDS
from ..stubserver import Reply, StubServer, grounded_draft

CASE = SEEDS["003"]


def served(run_cli, *args: object):
    """Run ``generate`` against a stub that answers every case with a grounded draft (with
    ``--cache off`` unless ``args`` say otherwise); the result and the requests the stub received."""
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("generate", *args, "--base-url", srv.base_url, *(() if "--cache" in args else ("--cache", "off")))
    return res, srv.requests


# --------------------------------------------------------------------------- inputs


def test_an_empty_folder_is_an_error_not_an_empty_success(run_cli, tmp_path: Path) -> None:
    empty = tmp_path / "prompts"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF")  # not a prompt file: the folder holds none
    for command in ("parse", "generate"):
        res = run_cli(command, empty)
        assert (res.code, res.out) == (BAD_INPUT, ""), (command, res.err)
        assert res.err == f"cnaps-llm: {empty}: is a directory, not a prompt file; pass prompt files (.txt, .md, .json, .jsonl) or a folder holding some\n"


# --------------------------------------------------------------------------- where answers go


def test_an_out_folder_that_is_a_file_is_refused_before_any_request(run_cli, tmp_path: Path) -> None:
    taken = tmp_path / "answers"
    taken.write_text("mine\n")
    res, requests = served(run_cli, CASE, "-o", taken)
    assert (res.code, requests) == (BAD_INPUT, [])
    assert res.err == f"cnaps-llm: {taken}: is a file, not a folder; give -o a folder (it is made if missing)\n"
    assert taken.read_text() == "mine\n"


def test_an_answer_never_replaces_the_jsonl_records(run_cli, tmp_path: Path) -> None:
    # `--jsonl out/q1.md -o out`: the records appended as cases finish would be replaced by
    # q1's answer; refused before any request, the earlier records untouched
    data = tmp_path / "cases.jsonl"
    data.write_text(json.dumps({"id": "q1", "prompt": CASE.read_text(encoding="utf-8")}) + "\n")
    out = tmp_path / "out"
    out.mkdir()
    records = out / "q1.md"
    res, _ = served(run_cli, data, "--jsonl", records)  # an earlier run's records
    assert res.code == 0, res.err
    before = records.read_bytes()
    res, requests = served(run_cli, data, "-o", out, "--jsonl", records)
    assert (res.code, requests) == (BAD_INPUT, []), res.err
    assert res.err == f"cnaps-llm: {records}: is also the --jsonl file; give --jsonl a file outside the -o folder's answers\n"
    assert records.read_bytes() == before
    res, requests = served(run_cli, data, "-o", out, "--jsonl", out / "runs.jsonl")  # beside the answers is fine
    assert res.code == 0 and len(requests) == 1, res.err


def test_answers_never_replace_the_inputs_they_answer(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    folder.mkdir()
    prompt = folder / "q1.md"  # a prompt file named as its answer would be
    prompt.write_bytes(CASE.read_bytes())
    structured = folder / "q2.json"
    structured.write_text(json.dumps({**json.loads(run_cli("parse", CASE).out), "id": "q2"}))
    for fmt, victim in (("md", prompt), ("json", structured)):
        before = victim.read_bytes()
        res, requests = served(run_cli, victim, "-o", folder, "-f", fmt)
        assert (res.code, requests) == (BAD_INPUT, []), res.err
        assert res.err == f"cnaps-llm: {victim}: is also an input; give -o another folder, where the answers cannot replace the inputs\n"
        assert victim.read_bytes() == before
    res, requests = served(run_cli, prompt, "-o", tmp_path / "elsewhere")
    assert res.code == 0 and len(requests) == 1 and (tmp_path / "elsewhere" / "q1.md").is_file()


def test_eval_reports_never_replace_an_input_or_each_other(run_cli, tmp_path: Path) -> None:
    prompt = tmp_path / CASE.name  # named as the bundled recording's case
    prompt.write_bytes(CASE.read_bytes())
    before = prompt.read_bytes()
    for flag in ("--json", "--junit", "--html", "--markdown"):
        res = run_cli("eval", prompt, flag, prompt)
        assert (res.code, res.out) == (BAD_INPUT, ""), res.err
        assert res.err == f"cnaps-llm: {prompt}: is also an input; give {flag} a new file\n"
        assert prompt.read_bytes() == before
    res = run_cli("eval", prompt, "--json", tmp_path / "r.out", "--junit", tmp_path / "r.out")
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {tmp_path / 'r.out'}: is given to both --json and --junit; give each its own file\n"
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")  # one new file named through two folders
    res = run_cli("eval", prompt, "--json", tmp_path / "real" / "r.out", "--junit", tmp_path / "link" / "r.out")
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {tmp_path / 'link' / 'r.out'}: is given to both --json and --junit; give each its own file\n"
    assert not (tmp_path / "r.out").exists()
    res = run_cli("eval", prompt, "--json", tmp_path / "r.json", "--junit", tmp_path / "r.xml")
    assert res.code == 0 and json.loads((tmp_path / "r.json").read_text())["metrics"]["cases"] == 1


def test_a_cache_folder_that_is_a_file_is_refused_before_any_request(run_cli, tmp_path: Path) -> None:
    taken = tmp_path / "cassettes"
    taken.write_text("mine\n")
    res, requests = served(run_cli, CASE, "--cache", "auto", "--cache-dir", taken)
    assert (res.code, res.out, requests) == (BAD_INPUT, "", [])
    assert res.err == f"cnaps-llm: {taken}: is a file, not a folder; give --cache-dir (or CNAPS_CACHE_DIR) a folder (it is made if missing)\n"
    res = run_cli("generate", "--example", "003", "--cache-dir", taken)  # replay writes nothing: the file is no matter
    assert res.code == 0 and taken.read_text() == "mine\n"


# --------------------------------------------------------------------------- settings


@pytest.mark.parametrize("key", ["sk-two\nlines-KEYSENTINEL", "sk-ключ-KEYSENTINEL", "sk-with space-KEYSENTINEL", "sk-tab\tKEYSENTINEL"])
def test_an_api_key_no_header_can_carry_is_refused_at_once_unshown(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, key: str) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", key)
    res, requests = served(run_cli, CASE, "--jsonl", tmp_path / "r.jsonl")
    assert (res.code, res.out, requests) == (BAD_INPUT, "", [])
    assert res.err == (
        "cnaps-llm: setting `openai_api_key`: Value error, holds a space, a line break or a non-ASCII character, "
        "which an HTTP header cannot carry; copy the key again; fix the flag, OPENAI_API_KEY or .env\n"
    )
    assert not (tmp_path / "r.jsonl").exists()


def test_an_api_key_with_a_pasted_newline_around_it_is_used_trimmed(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "  sk-KEYSENTINEL-0123\n")
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off")
    assert res.code == 0 and {k.lower(): v for k, v in srv.headers[0].items()}["authorization"] == "Bearer sk-KEYSENTINEL-0123"


@pytest.mark.parametrize(("url", "why"), [("http://127.0.0.1:99999/v1", "Port out of range 0-65535"),
                                          ("http://127.0.0.1:http/v1", "Port could not be cast to integer value as 'http'")])
def test_a_base_url_with_an_impossible_port_is_a_setting_error(run_cli, url: str, why: str) -> None:
    res = run_cli("generate", CASE, "--base-url", url, "--cache", "off")
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: setting `openai_base_url`: Value error, {why}; fix the flag, OPENAI_BASE_URL or .env\n"


def test_a_dotenv_that_is_not_utf8_is_one_clear_line(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"CNAPS_MODEL=caf\xe9\n")  # saved as Latin-1
    res = run_cli("generate", CASE)
    assert (res.code, res.out, res.err) == (BAD_INPUT, "", "cnaps-llm: .env: is not UTF-8; re-save it as UTF-8\n")


# --------------------------------------------------------------------------- what reaches the terminal

RAW_BODY = "oops\nsecond line\x1b[2Jcleared\r\noverwritten\x07"


@pytest.mark.parametrize(("status", "code"), [(400, SERVER), (500, SERVER)])
def test_a_servers_control_characters_never_reach_the_terminal(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, status: int, code: int) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "0")
    with StubServer(default=Reply(status=status, body=RAW_BODY)) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--jsonl", tmp_path / "r.jsonl")
    assert res.code == code
    shown = res.out + res.err + (tmp_path / "r.jsonl").read_text(encoding="utf-8") if status == 500 else res.out + res.err
    assert "oops second line [2Jcleared overwritten " in shown
    assert not any(c in shown for c in "\x1b\r\x07"), shown
    assert len(res.err.splitlines()) == 1


def test_an_error_naming_a_file_with_a_line_break_stays_one_line(run_cli, tmp_path: Path) -> None:
    res = run_cli("parse", "two\nlines\x1b[2J.txt")
    assert (res.code, res.err) == (BAD_INPUT, "cnaps-llm: two\\nlines\\x1b[2J.txt: file not found; check the path\n")


@pytest.mark.parametrize("args", [["--version"], ["parse", "example:003"], ["generate", "--example", "003", "-f", "json"], ["eval", "--example", "003"]])
def test_stdout_on_a_full_disk_is_one_clear_line(tmp_path: Path, args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
    env.update(PYTHONPATH=str(ROOT), CNAPS_CACHE_DIR=str(tmp_path / "cas"))
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "cnaps_llm.cli", *args], env=env, stdout=full, stderr=subprocess.PIPE,
                              cwd=tmp_path, timeout=120, text=True)
    assert proc.returncode == BAD_INPUT, proc.stderr
    assert proc.stderr.splitlines()[-1] == "cnaps-llm: cannot write the output (No space left on device); free some space or send the output elsewhere"
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


# --------------------------------------------------------------------------- files read whole: bounded, never waited on


def _bounded(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    """Run the command in a process whose memory is capped at 1 GB, as a user's machine caps it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
    env.update(PYTHONPATH=str(ROOT), CNAPS_CACHE_DIR=str(tmp_path / "cas"))
    limit = "import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30)); "
    return subprocess.run([sys.executable, "-c", limit + "sys.argv = ['cnaps-llm', *sys.argv[1:]]; runpy.run_module('cnaps_llm.cli', run_name='__main__')", *args],
                          env=env, capture_output=True, text=True, cwd=tmp_path, timeout=60)


@pytest.mark.parametrize(("args", "message"), [
    (["batch", "status", "/dev/zero", "--no-poll"], "/dev/zero: is larger than any batch run state file; give the RUN.json that `batch submit` wrote"),
    (["batch", "collect", "/dev/zero"], "/dev/zero: is larger than any batch run state file; give the RUN.json that `batch submit` wrote"),
    (["eval", "--from-run", "/dev/zero"], "/dev/zero: is larger than any batch run state file; give the RUN.json that `batch submit` wrote"),
    (["eval", str(CASE), "--baseline", "/dev/zero"], "/dev/zero: is larger than 256 MB, more than any eval report; give the file `eval --json` wrote"),
])
def test_an_endless_file_given_as_a_state_or_a_baseline_is_refused_in_bounded_memory(tmp_path: Path, args: list[str], message: str) -> None:
    proc = _bounded(args, tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (BAD_INPUT, "", f"cnaps-llm: {message}\n")


@pytest.mark.parametrize("make", ["fifo", "latin1"])
@pytest.mark.parametrize("args", [["batch", "status", "{}", "--no-poll"], ["eval", "--from-run", "{}"], ["eval", str(CASE), "--baseline", "{}"]])
def test_a_state_or_baseline_that_is_a_silent_pipe_or_not_utf8_is_one_line(run_cli, tmp_path: Path, make: str, args: list[str]) -> None:
    path = tmp_path / "run.json"
    if make == "fifo":
        os.mkfifo(path)  # no writer: reading it would wait for ever
    else:
        path.write_bytes(b'{"run_id": "caf\xe9"}')
    res = run_cli(*[a.replace("{}", str(path)) for a in args])
    assert (res.code, res.out) == (BAD_INPUT, "") and len(res.err.splitlines()) == 1, res.err
    assert res.err.startswith(f"cnaps-llm: {path}: ") and "internal error" not in res.err


# --------------------------------------------------------------------------- one bad case never sinks a run


def test_a_case_whose_prompt_cannot_fit_fails_alone_and_the_others_run(run_cli, tmp_path: Path) -> None:
    case = {"question": "How do I denoise a photo?", "recommended": [{"name": "DnCNN", "paper": "https://arxiv.org/abs/1608.03981"}]}
    data = tmp_path / "set.jsonl"
    data.write_text("\n".join(json.dumps({**case, "id": i, **({"question": "why? " * 20_000} if i == "long" else {})})
                              for i in ("first", "long", "last")) + "\n")
    res, requests = served(run_cli, data, "--jsonl", tmp_path / "r.jsonl", "-o", tmp_path / "out")
    records = {r["case_id"]: r for r in map(json.loads, (tmp_path / "r.jsonl").read_text().splitlines())}
    assert res.code == BAD_INPUT and len(requests) == 2, res.err
    assert (records["first"]["status"], records["last"]["status"]) == ("grounded", "grounded")
    assert (records["long"]["status"], records["long"]["error_kind"]) == ("failed", "input")
    assert records["long"]["error"].startswith("prompt for long needs ") and records["long"]["error"].endswith("raise --max-input-tokens (now 6000)")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["first.md", "last.md", "long.failed.md"]


@pytest.mark.parametrize(("name", "content"), [("set.json", "[]"), ("set.jsonl", ""), ("set.jsonl", "\n\n")])
def test_a_dataset_with_no_cases_is_an_error_not_an_empty_success(run_cli, tmp_path: Path, name: str, content: str) -> None:
    (tmp_path / name).write_text(content)
    for command in ("parse", "generate"):
        res = run_cli(command, tmp_path / name)
        assert (res.code, res.out) == (BAD_INPUT, ""), command
        assert res.err.startswith(f"cnaps-llm: {tmp_path / name}: holds ") and "no cases" in res.err, res.err  # the file is named (round 2c)


ESCAPES = "\x1b]0;retitled\x07\x1b[2J\r\x00\x9b"


@pytest.mark.parametrize("structured", ["json_object", "text"])
def test_a_models_control_characters_never_reach_the_answer(run_cli, tmp_path: Path, structured: str) -> None:
    def reply(body: dict) -> str:
        draft = grounded_draft(body)
        if structured == "text":  # a plain Markdown answer built from the same draft's words
            d = json.loads(draft)
            return f"## 1. Task\n\n{d['task']}\n\n## 2. Workflow\n\nthe result{ESCAPES} of the steps\n"
        return draft.replace("the result", "the result" + json.dumps(ESCAPES)[1:-1])

    with StubServer(default=Reply(reply_to=reply)) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--structured", structured,
                      "--max-attempts", "1", "--on-fail", "report", "-o", tmp_path / "out", "--jsonl", tmp_path / "r.jsonl")
    record = json.loads((tmp_path / "r.jsonl").read_text())
    answer = record["answer"] if record["answer"] is not None else record["attempts"][-1]["answer"]
    assert "the result]0;retitled[2J" in answer
    written = "".join(p.read_text() for p in (tmp_path / "out").iterdir())
    assert not any(c in answer + res.out + written for c in ESCAPES if c not in "]0;retitled[2J"), repr(answer)


@pytest.mark.parametrize("body", ["<html><body>Welcome to nginx</body></html>", json.dumps({"error": {"message": "overloaded"}})])
def test_a_streamed_reply_without_events_is_a_server_failure_not_an_empty_draft(run_cli, tmp_path: Path, body: str) -> None:
    with StubServer(default=Reply(body=body)) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--stream", "--jsonl", tmp_path / "r.jsonl")
    record = json.loads((tmp_path / "r.jsonl").read_text())
    assert (res.code, record["error_kind"], len(srv.requests)) == (SERVER, "server", 1)
    assert record["error"] == "the server's streamed reply held no events; check that it serves chat completions, or drop --stream"


def test_check_pairs_refuse_an_id_that_is_not_a_string(run_cli, tmp_path: Path) -> None:
    pair = {"prompt": CASE.read_text(), "answer": "An answer."}
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("\n".join(json.dumps({**pair, "id": i}) for i in (["x"], {"a": 1}, True, 1.5, 7, "ok")) + "\n")
    res = run_cli("check", pairs, "--json")
    assert res.code == BAD_INPUT
    assert res.err.splitlines() == [f"cnaps-llm: {pairs}:{n}: `id` must be a string, not {t}" for n, t in ((1, "list"), (2, "dict"), (3, "bool"), (4, "float"))]
    assert [r["id"] for r in json.loads(res.out)] == ["7", "ok"]


# --------------------------------------------------------------------------- config


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_threshold_that_is_not_finite_names_the_file_and_the_key(run_cli, tmp_path: Path, value: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.cnaps-llm.eval]\nmin_grounded_rate = {value}\n")
    res = run_cli("eval", "--example", "003")
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: pyproject.toml: [tool.cnaps-llm.eval] min_grounded_rate = {float(value)} is not a finite number; write e.g. min_grounded_rate = 0.9\n"


def test_a_config_that_is_not_a_regular_file_is_not_called_missing(run_cli) -> None:
    res = run_cli("check", "example:003", "/dev/null", "--config", "/dev/zero")
    assert (res.code, res.err) == (BAD_INPUT, "cnaps-llm: /dev/zero: is not a regular file; check the path given to --config\n")


@pytest.mark.parametrize(("body", "said"), [({"error": {"message": "Provider returned error\n\x1b[2J"}}, " [Provider returned error [2J]"),
                                            ({"error": "rate limited upstream"}, " [rate limited upstream]"),
                                            ({"choices": []}, "")])
def test_a_200_reply_without_choices_says_what_the_server_said(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, body: dict, said: str) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "0")
    with StubServer(default=Reply(body=json.dumps(body))) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--jsonl", tmp_path / "r.jsonl")
    record = json.loads((tmp_path / "r.jsonl").read_text())
    assert (res.code, record["error"]) == (SERVER, "the server returned no choices; check that the model serves chat completions" + said)


@pytest.mark.parametrize("make", ["latin1", "fifo"])
def test_an_edited_template_that_cannot_be_read_is_one_line(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, make: str) -> None:
    import shutil

    from cnaps_llm.resources import prompts_dir

    copy = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), copy)
    (copy / "system.md").unlink()
    if make == "fifo":
        os.mkfifo(copy / "system.md")  # reading it would wait for ever
    else:
        (copy / "system.md").write_bytes("Explain, caf\u00e9.".encode("latin-1"))
    monkeypatch.setenv("CNAPS_PROMPTS_DIR", str(copy))
    res = run_cli("generate", "--example", "003")
    what = "is not UTF-8; re-save it as UTF-8" if make == "latin1" else "is missing; restore it or point CNAPS_PROMPTS_DIR at a full copy"
    assert (res.code, res.out, res.err) == (BAD_INPUT, "", f"cnaps-llm: prompt template {copy / 'system.md'} {what}\n")


def test_a_user_cache_that_cannot_be_written_does_not_end_a_run_without_cache(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("CNAPS_CACHE_DIR", str(blocked / "cassettes"))  # the mode memory goes beside it: cannot be made
    res, requests = served(run_cli, CASE, "--cache", "off")
    assert (res.code, len(requests)) == (0, 1), res.err
    assert res.out.startswith("## 1. The task")


def test_check_refuses_stdin_for_both_prompt_and_answer(run_cli) -> None:
    res = run_cli("check", "-", "-", stdin=CASE.read_text())
    assert (res.code, res.out, res.err) == (BAD_INPUT, "", "cnaps-llm: <input>: PROMPT and ANSWER cannot both be `-` (stdin); give one of them as a file\n")


def test_eval_refuses_a_case_given_twice_instead_of_counting_it_twice(run_cli, tmp_path: Path) -> None:
    res = run_cli("eval", CASE, CASE, "--json", tmp_path / "r.json")
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: <input>: case id(s) {CASE.stem} occur more than once; give each case a unique id\n"
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("command", ["parse", "generate", "eval"])
def test_stdin_named_twice_is_refused(run_cli, command: str) -> None:
    res = run_cli(command, "-", "-", stdin=CASE.read_text())
    assert (res.code, res.out, res.err) == (BAD_INPUT, "", "cnaps-llm: <input>: `-` (stdin) can be given once\n")


def test_a_path_too_long_to_look_up_is_an_input_error_not_an_output_one(run_cli) -> None:
    # the folder test of a 300-letter name raised ENAMETOOLONG before the reader saw it; it
    # reached the handler for a stdout that cannot be written, and was reported as one
    name = "a" * 300
    res = run_cli("parse", name)
    assert res.code == BAD_INPUT
    assert res.err == f"cnaps-llm: {name}: cannot read file (File name too long); check its permissions\n"
