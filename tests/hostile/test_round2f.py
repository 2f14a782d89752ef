"""Round 2f of hostile use: case ids that name another case's failure report, eval reports
given the settings files the run read, a results file on a full disk, HTTP codes no chat
server answers with, UTF-32 files and odd config files. Each case here once lost a file, or
ended in a line that did not say what was wrong or where; each now ends in one clear line
and the documented exit code (``errors.EXIT_CODES``), and each has a sound twin that still works."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cnaps_llm.errors import BAD_INPUT, NO_RECORDING, OK, SERVER
from cnaps_llm.fsutil import safe_name

from ..conftest import ROOT, SEEDS
from ..stubserver import Reply, StubServer, grounded_draft

CASE = SEEDS["003"]


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "1")
    monkeypatch.setenv("CNAPS_MAX_RETRY_WAIT", "0.05")


def _dataset(path: Path, *ids: str) -> Path:
    path.write_text("".join(json.dumps({"id": i, "prompt": CASE.read_text()}) + "\n" for i in ids))
    return path


# --------------------------------------------------------------------------- an id that names another case's report


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_an_id_ending_in_failed_is_never_written_over_by_another_cases_failure_report(run_cli, tmp_path: Path, fmt: str) -> None:
    # case "x.failed" was written as x.failed.md, the very file case "x" writes when it fails:
    # its grounded answer was replaced by x's failure report (and said "kept x.md")
    out = tmp_path / "out"
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("generate", _dataset(tmp_path / "a.jsonl", "x.failed"), "-o", out, "-f", fmt, "--base-url", srv.base_url, "--cache", "off")
    assert res.code == OK, res.err
    (answer,) = out.iterdir()
    assert answer.name == f"{safe_name('x.failed')}.{fmt}" and answer.name.startswith("x.failed~")
    kept = answer.read_text()
    res = run_cli("generate", _dataset(tmp_path / "b.jsonl", "x"), "-o", out, "-f", fmt, "--cache", "replay", "--cache-dir", tmp_path / "none")
    assert res.code == NO_RECORDING
    assert answer.read_text() == kept
    assert sorted(p.name for p in out.iterdir()) == sorted([answer.name, f"x.failed.{fmt}"])
    assert "(kept" not in res.err


@pytest.mark.parametrize("case_id", ["x.FAILED", "failed.failed", "a/b.failed"])
def test_no_id_ending_in_failed_gets_a_name_ending_so(case_id: str) -> None:
    assert not safe_name(case_id).lower().endswith(".failed")


def test_sound_twin_ids_near_failed_stay_plain_and_a_failed_case_keeps_its_answer(run_cli, tmp_path: Path) -> None:
    assert [safe_name(i) for i in ("failed", "x.failed2", "x.failedness", "x_failed", "x.fail")] == [
        "failed", "x.failed2", "x.failedness", "x_failed", "x.fail"]
    out = tmp_path / "out"
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        assert run_cli("generate", _dataset(tmp_path / "a.jsonl", "x"), "-o", out, "--base-url", srv.base_url, "--cache", "off").code == OK
    res = run_cli("generate", tmp_path / "a.jsonl", "-o", out, "--cache", "replay", "--cache-dir", tmp_path / "none")
    assert res.code == NO_RECORDING
    assert sorted(p.name for p in out.iterdir()) == ["x.failed.md", "x.md"]
    assert "wrote " + str(out / "x.failed.md") + " (kept x.md)" in res.err


# --------------------------------------------------------------------------- eval reports over the settings read


SETTINGS_FILES = {
    "pyproject.toml": '[project]\nname = "mine"\n\n[tool.cnaps-llm.eval]\nmin_grounded_rate = 0.5\n',
    ".env": "CNAPS_MODEL=gpt-4o-mini\n",
}


@pytest.mark.parametrize("name", sorted(SETTINGS_FILES))
@pytest.mark.parametrize("flag", ["--json", "--html", "--junit", "--markdown"])
def test_an_eval_report_never_replaces_the_settings_files_read_without_being_named(run_cli, tmp_path: Path, name: str, flag: str) -> None:
    # `eval --json pyproject.toml` replaced the project's pyproject.toml (read for its
    # [tool.cnaps-llm.eval] thresholds) with the JSON report, and `--html .env` the .env
    # holding the user's settings and key; `--config pyproject.toml` was refused already
    settings = tmp_path / name
    settings.write_text(SETTINGS_FILES[name])
    res = run_cli("eval", "--example", "003", flag, name)
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {name}: is also an input; give {flag} a new file\n"
    assert settings.read_text() == SETTINGS_FILES[name]


def test_sound_twin_eval_reads_the_settings_and_writes_its_report_beside_them(run_cli, tmp_path: Path) -> None:
    for name, text in SETTINGS_FILES.items():
        (tmp_path / name).write_text(text)
    res = run_cli("eval", "--example", "003", "--json", "report.json", "--markdown", "summary.md")
    assert res.code == OK, res.err
    assert "**Thresholds: passed**" in res.out
    assert json.loads((tmp_path / "report.json").read_text())["metrics"]
    assert all((tmp_path / n).read_text() == t for n, t in SETTINGS_FILES.items())


# --------------------------------------------------------------------------- a results file on a full disk


def _capped(tmp_path: Path, args: list[object], max_bytes: int) -> subprocess.CompletedProcess:
    """The command run in a process that may write no file past ``max_bytes`` (a full disk,
    as a quota or a file-size limit makes it), in ``tmp_path``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
    clean.update(PYTHONPATH=str(ROOT), CNAPS_CACHE_DIR=str(tmp_path / "cas"), CNAPS_REGEX_CACHE="off")

    def cap() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return subprocess.run([sys.executable, "-m", "cnaps_llm.cli", *map(str, args)], env=clean, cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, preexec_fn=cap)


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="no file-size limit on this platform")
def test_a_full_disk_while_appending_a_record_names_the_results_file_and_resume_finishes(run_cli, tmp_path: Path) -> None:
    # said "cannot write the output (File too large); free some space or send the output
    # elsewhere", as of stdout, without naming the --jsonl file that could not be written
    data = _dataset(tmp_path / "ten.jsonl", *(f"c{i}" for i in range(6)))
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        args = ["generate", data, "--jsonl", "r.jsonl", "-o", "out", "--base-url", srv.base_url, "--cache", "off"]
        proc = _capped(tmp_path, args, 30_000)
        assert proc.returncode == BAD_INPUT
        assert proc.stderr.splitlines()[-1] == (
            "cnaps-llm: r.jsonl: cannot append a record (File too large); free some space, then rerun with --resume to finish the rest")
        assert "Traceback" not in proc.stderr and proc.stdout == ""
        written = len((tmp_path / "r.jsonl").read_bytes().splitlines())
        assert 0 < written < 6
        res = run_cli(*args, "--resume")
    assert res.code == OK, res.err
    ids = [json.loads(line)["case_id"] for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert sorted(ids) == [f"c{i}" for i in range(6)]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"c{i}.md" for i in range(6)]


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="no file-size limit on this platform")
def test_sound_twin_a_results_file_within_the_limit_is_written_whole(tmp_path: Path) -> None:
    data = _dataset(tmp_path / "two.jsonl", "c0", "c1")
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        proc = _capped(tmp_path, ["generate", data, "--jsonl", "r.jsonl", "--base-url", srv.base_url, "--cache", "off"], 10_000_000)
    assert proc.returncode == OK, proc.stderr
    assert len((tmp_path / "r.jsonl").read_text().splitlines()) == 2


# --------------------------------------------------------------------------- HTTP codes no chat server answers with


@pytest.mark.parametrize("status", [302])
def test_an_http_code_without_a_hint_says_what_the_server_answered(run_cli, fast, tmp_path: Path, status: int) -> None:
    # said only "cnaps-llm: HTTP 302 [HTTP 302: ]" (a 302 without a Location, a base URL
    # pointing at a web page's server); a 4xx (418, 451) says what the server said instead
    # (test_round2g)
    with StubServer(default=Reply(status=status, body="")) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off")
    assert (res.code, res.out) == (SERVER, "")
    assert res.err.splitlines()[-1] == (
        f"cnaps-llm: the server answered HTTP {status}, not a chat completion; check OPENAI_BASE_URL (it usually ends in /v1) and the server")


def test_sound_twin_a_known_code_keeps_its_hint_and_the_body_quoted(run_cli, fast, tmp_path: Path) -> None:
    with StubServer(default=Reply(status=404, body='{"error": {"message": "no such model"}}')) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--model", "nope")
    assert res.code == SERVER
    assert res.err.splitlines()[-1].startswith(
        "cnaps-llm: model 'nope' or the endpoint was not found; check --model and OPENAI_BASE_URL (it usually ends in /v1) [HTTP 404: {")


# --------------------------------------------------------------------------- UTF-32 files

UTF32 = "file is UTF-32, not UTF-8 (it starts with a UTF-32 byte-order mark); re-save it as UTF-8"


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be"])
def test_a_utf32_file_is_called_utf32_not_utf16(run_cli, tmp_path: Path, codec: str) -> None:
    # a UTF-32 file (little-endian: its mark starts as UTF-16's) was said to be UTF-16; a
    # big-endian one "not UTF-8" at line 1
    def wide(text: str) -> bytes:
        return ("\ufeff" + text).encode(codec) if codec == "utf-32-be" else text.encode(codec)

    prompt, answer, data = tmp_path / "p.txt", tmp_path / "a.md", tmp_path / "d.jsonl"
    prompt.write_bytes(wide(CASE.read_text()))
    answer.write_bytes(wide("An answer.\n"))
    data.write_bytes(wide(json.dumps({"id": "c", "prompt": CASE.read_text(), "answer": "An answer."}) + "\n"))
    for args, bad in ((("parse", prompt), prompt), (("check", CASE, answer), answer), (("check", data), data), (("parse", data), data)):
        res = run_cli(*args)
        assert (res.code, res.out, res.err) == (BAD_INPUT, "", f"cnaps-llm: {bad}: {UTF32}\n"), args


def test_sound_twin_utf16_is_still_called_utf16_and_a_utf8_bom_is_read(run_cli, tmp_path: Path) -> None:
    prompt = tmp_path / "p.txt"
    prompt.write_bytes(CASE.read_text().encode("utf-16"))
    res = run_cli("parse", prompt)
    assert res.err == f"cnaps-llm: {prompt}: file is UTF-16, not UTF-8 (it starts with a UTF-16 byte-order mark); re-save it as UTF-8\n"
    prompt.write_bytes(CASE.read_text().encode("utf-8-sig"))
    assert run_cli("parse", prompt).code == OK


# --------------------------------------------------------------------------- odd config files


def test_a_config_with_a_byte_order_mark_is_read(run_cli, tmp_path: Path) -> None:
    # Windows Notepad's UTF-8 mark: "not valid TOML (Invalid statement (at line 1, column 1))"
    (tmp_path / "pyproject.toml").write_bytes(b"\xef\xbb\xbf[tool.cnaps-llm.eval]\nmin_grounded_rate = 2\n")
    res = run_cli("eval", "--example", "003")
    assert res.code == BAD_INPUT  # the threshold was read: 2 is out of its range
    assert "min_grounded_rate" in res.err and "TOML" not in res.err


def test_a_config_nested_too_deeply_names_the_file(run_cli, tmp_path: Path) -> None:
    # said "an input is nested too deeply to read (JSON brackets?); check the files given"
    (tmp_path / "pyproject.toml").write_text("[tool.cnaps-llm.eval]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")
    res = run_cli("eval", "--example", "003")
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == "cnaps-llm: pyproject.toml: not valid TOML (nested too deeply); fix it or pass another --config\n"


def test_sound_twin_a_plain_config_is_read(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cnaps-llm.eval]\nmin_grounded_rate = 0.5\n")
    res = run_cli("eval", "--example", "003")
    assert res.code == OK, res.err
    assert "**Thresholds: passed**" in res.out


# --------------------------------------------------------------------------- base URL hosts the HTTP client refuses


@pytest.mark.parametrize(("host", "why"), [
    ("999.1.1.1", "its host 999.1.1.1 is not an IPv4 address (each of the four numbers is 0 to 255)"),
    ("\U0001f600.com", "its host '\U0001f600.com' is not a valid international domain name (IDNA)"),
])
@pytest.mark.parametrize("command", ["generate", "batch"])
def test_a_base_url_host_the_http_client_refuses_is_a_setting_error(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                     host: str, why: str, command: str) -> None:
    # was an internal error (exit 70: InvalidURL) when the backend was built; `batch submit`
    # had written the run's state and folder first, so the corrected command was refused too
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-2f-000000000000000000000000")
    url = f"http://user:pw-SECRET-2f-77@{host}/v1"
    words = ["generate", CASE, "--cache", "off"] if command == "generate" else ["batch", "submit", CASE, "--state", "run.json"]
    res = run_cli(*words, "--base-url", url)
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: setting `openai_base_url`: Value error, {why}; fix the flag, OPENAI_BASE_URL or .env\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_sound_twin_an_international_host_and_an_ip_address_are_accepted() -> None:
    from cnaps_llm.settings import load_settings

    for url in ("http://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/v1", "http://10.0.0.255:8080/v1", "http://[::1]:8080/v1", "http://my-host.local/v1"):
        assert load_settings(openai_base_url=url).openai_base_url == url


# --------------------------------------------------------------------------- a folder no file can be written in


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder that exists and holds no file this process can make: one without write
    permission for a user, a sysfs folder for root (whom permissions do not stop)."""
    if os.geteuid() != 0:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    if not os.path.isdir("/sys/kernel"):
        pytest.skip("no read-only folder to try as root")
    return Path("/sys/kernel")


@pytest.mark.parametrize("flag", ["-o", "--json", "--html"])
def test_a_folder_no_file_can_be_written_in_is_refused_before_any_request(run_cli, tmp_path: Path, flag: str) -> None:
    # an existing read-only folder was found only when the first answer (or the report)
    # was written: after its request was sent and paid for, the answer lost with the run
    folder = _read_only_folder(tmp_path)
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        if flag == "-o":
            res = run_cli("generate", CASE, "-o", folder, "--base-url", srv.base_url, "--cache", "off")
        else:
            res = run_cli("eval", CASE, flag, folder / "report.out", "--base-url", srv.base_url, "--cache", "off")
        assert srv.requests == []
    assert (res.code, res.out) == (BAD_INPUT, "")
    fix = "give -o another folder" if flag == "-o" else "give the report another path"
    assert res.err.startswith(f"cnaps-llm: {folder}: cannot write files in this folder (")
    assert res.err.endswith(f"); check its permissions, or {fix}\n") and res.err.count("\n") == 1


def test_sound_twin_answers_and_reports_in_writable_folders_and_to_stdout_are_written(run_cli, tmp_path: Path) -> None:
    res = run_cli("generate", "--example", "003", "-o", tmp_path / "new" / "out")
    assert res.code == OK, res.err
    assert [p.name for p in (tmp_path / "new" / "out").iterdir()] == ["003_1ea1203c459ef3cc.md"]  # no probe left behind
    # /dev/stdout (a pipe here) is written to, not replaced: its folder is not probed
    proc = _capped(tmp_path, ["eval", "--example", "003", "--json", tmp_path / "r" / "report.json", "--junit", "/dev/stdout"], 10**9)
    assert proc.returncode == OK, proc.stderr
    assert json.loads((tmp_path / "r" / "report.json").read_text())["metrics"] and "<testsuite" in proc.stdout
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["report.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in any folder: no read-only folder to hold the file")
def test_sound_twin_a_markdown_summary_in_a_read_only_folder_is_still_appended_to(run_cli, tmp_path: Path) -> None:
    # GitHub's $GITHUB_STEP_SUMMARY: a file the job may write, in a folder it may not add files to
    folder = tmp_path / "ro"
    folder.mkdir()
    summary = folder / "summary.md"
    summary.write_text("earlier step\n")
    folder.chmod(0o555)
    try:
        res = run_cli("eval", "--example", "003", "--markdown", summary)
    finally:
        folder.chmod(0o755)
    assert res.code == OK, res.err
    assert summary.read_text().startswith("earlier step\n## cnaps-llm eval")
