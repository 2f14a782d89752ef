"""Round 2e of hostile use: numbers too large for a float in a config or a baseline, eval
reports given a path that can never be written, and more. Each case here once ended in an
internal error, a lost run or a wrong result; each now ends in one clear line and the
documented exit code (``errors.EXIT_CODES``), and each has a sound twin that still works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cnaps_llm.errors import BAD_INPUT, OK

from ..conftest import ROOT, SEEDS
from ..stubserver import Reply, StubServer
from ..test_pipeline import draft

CASE = SEEDS["003"]
HUGE = "1" + "0" * 400  # a TOML or JSON integer no float can hold


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "1")
    monkeypatch.setenv("CNAPS_MAX_RETRY_WAIT", "0.05")


# --------------------------------------------------------------------------- numbers past a float


@pytest.mark.parametrize("command", [("check", "example:003", "/dev/null"), ("eval", "--example", "003")])
def test_a_threshold_integer_too_large_for_a_float_names_the_file_and_the_key(run_cli, tmp_path: Path, command: tuple[str, ...]) -> None:
    # was an internal error (exit 70: OverflowError from math.isfinite)
    (tmp_path / "pyproject.toml").write_text(f"[tool.cnaps-llm.eval]\nmin_grounded_rate = {HUGE}\n")
    res = run_cli(*command)
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: pyproject.toml: [tool.cnaps-llm.eval] min_grounded_rate = {HUGE} is not a finite number; write e.g. min_grounded_rate = 0.9\n"


def test_sound_twin_an_integer_threshold_is_read(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cnaps-llm.eval]\nmin_grounded_rate = 1\n")
    res = run_cli("eval", "--example", "003")
    assert res.code == OK, res.err


def _baseline(run_cli, tmp_path: Path, **metrics: str) -> Path:
    base = tmp_path / "base.json"
    assert run_cli("eval", "--example", "003", "--no-thresholds", "--json", base).code == OK
    text = base.read_text()
    for name, value in metrics.items():
        text = text.replace(f'"{name}": 1.0,', f'"{name}": {value},', 1)
    base.write_text(text)
    return base


def test_a_baseline_metric_too_large_for_a_float_is_not_comparable_not_a_crash(run_cli, tmp_path: Path) -> None:
    # was an internal error (exit 70) after the whole run: OverflowError from math.isfinite
    base = _baseline(run_cli, tmp_path, grounded_rate=HUGE)
    assert HUGE in base.read_text()
    res = run_cli("eval", "--example", "003", "--baseline", base, "--no-thresholds", "--json", tmp_path / "now.json")
    assert res.code == OK, res.err
    grounded = next(m for m in json.loads((tmp_path / "now.json").read_text())["baseline"]["metrics"] if m["metric"] == "grounded_rate")
    assert grounded["delta"] is None


def test_sound_twin_a_baseline_metric_is_compared(run_cli, tmp_path: Path) -> None:
    base = _baseline(run_cli, tmp_path, grounded_rate="0.5")
    res = run_cli("eval", "--example", "003", "--baseline", base, "--no-thresholds", "--json", tmp_path / "now.json")
    assert res.code == OK, res.err
    grounded = next(m for m in json.loads((tmp_path / "now.json").read_text())["baseline"]["metrics"] if m["metric"] == "grounded_rate")
    assert grounded["delta"] == pytest.approx(0.5)


# --------------------------------------------------------------------------- eval reports that can never be written


@pytest.mark.parametrize("flag", ["--json", "--junit", "--html", "--markdown"])
@pytest.mark.parametrize(("make", "why"), [("folder", "is a folder; give a file name"),
                                           ("loop", "cannot write it (Too many levels of symbolic links); check the path and its permissions")])
def test_an_eval_report_path_that_is_a_folder_or_a_symlink_loop_is_refused_before_any_request(
    run_cli, tmp_path: Path, flag: str, make: str, why: str
) -> None:
    # every case was sent (and paid for), the Markdown printed, then the report failed: exit 2, the run lost
    where = tmp_path / "report"
    if make == "folder":
        where.mkdir()
    else:
        os.symlink(tmp_path / "other", where)
        os.symlink(where, tmp_path / "other")
    with StubServer(default=Reply(text=draft())) as srv:
        res = run_cli("eval", CASE, "--base-url", srv.base_url, "--cache", "off", "--no-thresholds", flag, where)
        assert srv.requests == []
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {where}: {why}\n"


def test_sound_twin_an_eval_report_through_a_symlink_to_a_missing_file_is_written(run_cli, tmp_path: Path) -> None:
    os.symlink(tmp_path / "real.json", tmp_path / "link.json")
    res = run_cli("eval", "--example", "003", "--no-thresholds", "--json", tmp_path / "link.json")
    assert res.code == OK, res.err
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "real.json").read_text())["metrics"]["cases"] == 1


# --------------------------------------------------------------------------- -o: a case's file that can never be written


def _answer_name(run_cli) -> str:
    res = run_cli("parse", CASE)
    return json.loads(res.out)["id"] + ".md"


@pytest.mark.parametrize(("make", "why"), [("folder", "is a folder; it is where a case's file goes: move it, or give -o another folder"),
                                           ("loop", "cannot write it (Too many levels of symbolic links); check the path and its permissions")])
def test_a_case_file_in_the_out_folder_that_cannot_be_written_is_refused_before_any_request(run_cli, tmp_path: Path, make: str, why: str) -> None:
    # the case was sent (and paid for), then its answer failed to land, and was lost
    out = tmp_path / "out"
    out.mkdir()
    where = out / _answer_name(run_cli)
    if make == "folder":
        where.mkdir()
    else:
        os.symlink(out / "other", where)
        os.symlink(where, out / "other")
    with StubServer(default=Reply(text=draft())) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "-o", out)
        assert srv.requests == []
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {where}: {why}\n"


def test_sound_twin_an_answer_through_a_symlink_to_a_missing_file_is_written(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    where = out / _answer_name(run_cli)
    os.symlink(tmp_path / "real.md", where)
    with StubServer(default=Reply(text=draft())) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object", "-o", out)
    assert res.code == OK, res.err
    assert where.is_symlink() and "**" in (tmp_path / "real.md").read_text()


# --------------------------------------------------------------------------- a base URL with a control character


@pytest.mark.parametrize("inside", ["\n", "\r\nX-Evil: 1", "\t", "\x01", "\x7f", "\u2028"])
def test_a_base_url_holding_a_control_character_is_a_setting_error_that_shows_no_password(
    run_cli, monkeypatch: pytest.MonkeyPatch, inside: str
) -> None:
    # was an internal error (exit 70: httpx's InvalidURL) at the first request
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://me:PW-SENTINEL-2e@127.0.0.1:9/v1{inside}x")
    res = run_cli("generate", CASE, "--cache", "off")
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == ("cnaps-llm: setting `openai_base_url`: Value error, holds a line break, a tab or a control character; "
                       "write the URL on one line; fix the flag, OPENAI_BASE_URL or .env\n")


def test_sound_twin_a_base_url_with_a_line_break_around_it_is_used_trimmed(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=draft())) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", f" {srv.base_url}\n")
        res = run_cli("generate", CASE, "--cache", "off", "--structured", "json_object")
        assert len(srv.requests) == 1
    assert res.code == OK, res.err


# --------------------------------------------------------------------------- batch collect -o over the run's inputs


def _batch_run(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, api) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-2e-000000000000000000000000")
    monkeypatch.setenv("OPENAI_BASE_URL", api.base_url)
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "a.json").write_text(json.dumps({"id": "a", "prompt": CASE.read_text()}))
    (tmp_path / "cases" / "results.json").write_text(json.dumps({"id": "results", "prompt": CASE.read_text()}))
    res = run_cli("batch", "submit", tmp_path / "cases", "--state", tmp_path / "run.json")
    assert res.code == OK, res.err
    return tmp_path / "run.json"


@pytest.mark.parametrize(("out", "fmt", "hit"), [("cases", "json", "cases/a.json"), ("run.batch", "jsonl", "run.batch/results.jsonl")])
def test_batch_collect_never_writes_an_answer_over_the_dataset_or_the_runs_own_files(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, out: str, fmt: str, hit: str
) -> None:
    # generate refused this; collect wrote cases/a.json over the case it answered, and a case
    # named `results` over the run's own results.jsonl
    from ..batchstub import FakeBatchAPI

    with FakeBatchAPI(lambda custom_id, body: draft()) as api:
        state = _batch_run(run_cli, monkeypatch, tmp_path, api)
        before = {p: p.read_bytes() for p in [*(tmp_path / "cases").iterdir(), *(tmp_path / "run.batch").iterdir()] if p.is_file()}
        calls = len(api.calls)
        res = run_cli("batch", "collect", state, "--wait", "--poll-interval", "0", "-o", tmp_path / out, "-f", fmt)
        assert len(api.calls) == calls  # refused before polling, not after the run was done
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err.endswith(f"cnaps-llm: {tmp_path / hit}: is also an input; give -o another folder, where the answers cannot replace the inputs\n"), res.err
    assert {p: p.read_bytes() for p in before} == before


def test_sound_twin_batch_collect_writes_the_answers_in_a_folder_of_their_own(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ..batchstub import FakeBatchAPI

    with FakeBatchAPI(lambda custom_id, body: draft()) as api:
        state = _batch_run(run_cli, monkeypatch, tmp_path, api)
        res = run_cli("batch", "collect", state, "--wait", "--poll-interval", "0", "-o", tmp_path / "answers", "-f", "json")
    assert res.code == OK, res.err
    assert sorted(p.name for p in (tmp_path / "answers").iterdir()) == ["a.json", "results.json"]
    assert json.loads((tmp_path / "cases" / "a.json").read_text())["id"] == "a"


# --------------------------------------------------------------------------- a recording that cannot be written


@pytest.mark.parametrize("cache", ["auto", "record"])
def test_a_reply_whose_recording_cannot_be_written_is_used_not_lost_with_the_run(run_cli, tmp_path: Path, cache: str) -> None:
    # was exit 2 after the paid call: the reply lost, no record in the JSONL, every other case of the run ended
    from ..stubserver import grounded_draft

    cassettes = tmp_path / "cx"
    cassettes.mkdir()
    first = json.loads(run_cli("parse", CASE).out)["id"]
    (cassettes / first).write_text("mine\n")  # where that case's recordings go: a file
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("generate", CASE, SEEDS["004"], "--base-url", srv.base_url, "--cache", cache, "--cache-dir", cassettes,
                      "--structured", "json_object", "--jsonl", tmp_path / "r.jsonl")
        assert len(srv.requests) == 2
    assert res.code == OK, res.err
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert sorted(r["status"] for r in records) == ["grounded", "grounded"]
    warned = [line for line in res.err.splitlines() if line.startswith("cnaps-llm: ")]
    assert len(warned) == 1 and warned[0].endswith("; the reply is used but not recorded (a rerun calls the server again)")
    assert (cassettes / first).read_text() == "mine\n"
    assert len(list(cassettes.glob("*/*.json"))) == 1  # the other case was recorded


def test_sound_twin_a_reply_is_recorded_and_replayed(run_cli, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=draft())) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "record", "--cache-dir", tmp_path / "cx", "--structured", "json_object")
    assert res.code == OK and "cnaps-llm: " not in res.err, res.err
    again = run_cli("generate", CASE, "--cache", "replay", "--cache-dir", tmp_path / "cx", "--structured", "json_object")
    assert again.code == OK and again.out == res.out


# --------------------------------------------------------------------------- a .env that is a named pipe


def _cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
    clean.update(PYTHONPATH=str(ROOT), CNAPS_CACHE_DIR=str(tmp_path / "cas"), CNAPS_REGEX_CACHE="off", **(env or {}))
    return subprocess.run([sys.executable, "-m", "cnaps_llm.cli", *args], env=clean, capture_output=True, cwd=tmp_path, timeout=120, text=True)


def test_a_dotenv_fifo_that_nothing_writes_is_read_as_empty_not_waited_on_for_ever(tmp_path: Path) -> None:
    # the settings library opened it for reading and blocked the command for ever
    os.mkfifo(tmp_path / ".env")
    proc = _cli(tmp_path, "generate", "--example", "003")
    assert proc.returncode == OK, proc.stderr
    assert proc.stdout.startswith("## 1. The task")


def _feed(fifo: Path, text: str) -> threading.Thread:
    def write() -> None:
        with open(fifo, "w") as fh:  # waits for the command to open it
            fh.write(text)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_a_dotenv_fifo_that_is_written_is_read_once_with_its_precedence(tmp_path: Path) -> None:
    # a secrets manager's pipe: read once (the typo check and the settings see the same values),
    # below the environment and the flags
    fifo = tmp_path / ".env"
    os.mkfifo(fifo)
    feeder = _feed(fifo, "CNAPS_MAX_ATTEMPTS=abc\nCNAPS_TIMEOUT=abc\n")
    proc = _cli(tmp_path, "generate", "--example", "003", "--max-attempts", "3", env={"CNAPS_TIMEOUT": "5"})
    feeder.join(5)
    assert proc.returncode == OK, proc.stderr
    feeder = _feed(fifo, "CNAPS_MODELL=x\n")
    proc = _cli(tmp_path, "generate", "--example", "003")
    feeder.join(5)
    assert (proc.returncode, proc.stderr) == (BAD_INPUT, "cnaps-llm: unknown setting CNAPS_MODELL; did you mean CNAPS_MODEL?\n")
    feeder = _feed(fifo, "CNAPS_TIMEOUT=abc\n")
    proc = _cli(tmp_path, "generate", "--example", "003")
    feeder.join(5)
    assert proc.returncode == BAD_INPUT
    assert proc.stderr == ("cnaps-llm: setting `timeout`: Input should be a valid number, unable to parse string as a number; "
                           "fix the flag, CNAPS_TIMEOUT or .env\n")


def test_sound_twin_a_dotenv_file_is_still_read(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CNAPS_TIMEOUT=abc\n")
    res = run_cli("generate", "--example", "003")
    assert res.code == BAD_INPUT and "CNAPS_TIMEOUT" in res.err


# --------------------------------------------------------------------------- started with a standard stream closed


def _closed(tmp_path: Path, args: list[str], *, close: tuple[int, ...]) -> subprocess.CompletedProcess:
    """The command run as `cnaps-llm ARGS <&- >&- 2>&-` (the descriptors in ``close``)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
    clean.update(PYTHONPATH=str(ROOT), CNAPS_CACHE_DIR=str(tmp_path / "cas"), CNAPS_REGEX_CACHE="off")
    closes = " ".join(f"{fd}>&-" if fd else "<&-" for fd in close)
    line = " ".join([sys.executable, "-m", "cnaps_llm.cli", *(f"'{a}'" for a in args)])
    return subprocess.run(["/bin/sh", "-c", f"exec {line} {closes}"], env=clean, capture_output=True, cwd=tmp_path, timeout=120, text=True)


@pytest.mark.parametrize("args", [["parse", str(CASE)], ["generate", "--example", "003"], ["eval", "--example", "003"]])
def test_a_closed_stdin_is_no_internal_error_when_no_input_is_read_from_it(tmp_path: Path, args: list[str]) -> None:
    # was an internal error (exit 70: 'NoneType' object has no attribute 'buffer') for every file read
    proc = _closed(tmp_path, args, close=(0,))
    assert proc.returncode == OK, proc.stderr
    assert "internal error" not in proc.stderr and proc.stdout


@pytest.mark.parametrize("args", [["parse", "-"], ["check", "example:003", "-"]])
def test_a_closed_stdin_given_as_an_input_is_one_line(tmp_path: Path, args: list[str]) -> None:
    proc = _closed(tmp_path, args, close=(0,))
    assert (proc.returncode, proc.stdout) == (BAD_INPUT, "")
    assert proc.stderr == "cnaps-llm: -: stdin is closed; give a file instead of `-`, or pipe the input in\n"


@pytest.mark.parametrize("close", [(1,), (1, 2)])
def test_a_closed_stdout_is_output_that_cannot_be_written_not_an_internal_error(tmp_path: Path, close: tuple[int, ...]) -> None:
    # was an internal error (exit 70: 'NoneType' object has no attribute 'flush'), or exit 1 with both closed
    proc = _closed(tmp_path, ["check", "example:003", str(ROOT / "fixtures" / "answers" / "003_grounded.md")], close=close)
    assert proc.returncode == BAD_INPUT
    assert proc.stderr == ("" if 2 in close else "cnaps-llm: cannot write the output (stdout is closed); send the output to a file or a pipe\n")


def test_sound_twin_a_closed_stdout_is_not_needed_when_answers_go_to_a_folder(tmp_path: Path) -> None:
    proc = _closed(tmp_path, ["generate", "--example", "003", "-o", "out"], close=(1, 2))
    assert proc.returncode == OK
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["003_1ea1203c459ef3cc.md"]


# --------------------------------------------------------------------------- a finished batch run's own files


def _finished_run(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    from ..batchstub import FakeBatchAPI

    with FakeBatchAPI(lambda custom_id, body: draft()) as api:
        state = _batch_run(run_cli, monkeypatch, tmp_path, api)
        res = run_cli("batch", "collect", state, "--wait", "--poll-interval", "0", "-o", tmp_path / "answers")
        assert res.code == OK, res.err
    return state


def test_eval_from_a_run_never_writes_a_report_over_the_runs_records(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # `eval --from-run run.json --json run.batch/results.jsonl` replaced the run's only records
    state = _finished_run(run_cli, monkeypatch, tmp_path)
    records = tmp_path / "run.batch" / "results.jsonl"
    before = records.read_bytes()
    res = run_cli("eval", "--from-run", state, "--no-thresholds", "--json", records)
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {records}: is also an input; give --json a new file\n"
    assert records.read_bytes() == before
    again = run_cli("eval", "--from-run", state, "--no-thresholds", "--json", tmp_path / "e.json")  # the sound twin
    assert again.code == OK, again.err
    assert json.loads((tmp_path / "e.json").read_text())["metrics"]["cases"] == 2


@pytest.mark.parametrize(("garbage", "line"), [("{\n", 1), ('{"case_id": 5, "status": "grounded"}\n', 1), ("\xff\n", 1), ("[]\n", 1)])
@pytest.mark.parametrize("command", ["eval", "collect"])
def test_a_runs_results_edited_by_hand_are_one_line_naming_the_file(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, garbage: str, line: int, command: str
) -> None:
    # was an internal error (exit 70: JSONDecodeError, KeyError, UnicodeDecodeError)
    state = _finished_run(run_cli, monkeypatch, tmp_path)
    records = tmp_path / "run.batch" / "results.jsonl"
    records.write_bytes(garbage.encode("latin-1") + records.read_bytes())
    words = {"eval": ("eval", "--from-run", state, "--no-thresholds"), "collect": ("batch", "collect", state)}[command]
    res = run_cli(*words)
    assert res.code == BAD_INPUT
    assert res.err.endswith(f"cnaps-llm: {records}:{line}: is not a result record this tool wrote; restore the file, or submit the run again\n"), res.err


@pytest.mark.parametrize(("make", "said"), [("garbage", ":1: is not a case this tool wrote; restore the file, or submit the run again"),
                                            ("latin1", ": is not UTF-8; restore the file, or submit the run again"),
                                            ("missing", ": cannot read the run's cases (No such file or directory); restore the file, or submit the run again"),
                                            ("folder", ": cannot read the run's cases (Is a directory); restore the file, or submit the run again")])
@pytest.mark.parametrize("command", ["eval", "collect"])
def test_a_runs_cases_file_edited_or_removed_is_one_line_naming_it(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, make: str, said: str, command: str
) -> None:
    # was an internal error (exit 70: ValidationError, FileNotFoundError, IsADirectoryError)
    state = _finished_run(run_cli, monkeypatch, tmp_path)
    cases = tmp_path / "run.batch" / "cases.jsonl"
    kept = cases.read_bytes()
    cases.unlink()
    if make == "garbage":
        cases.write_bytes(b"{\n" + kept)
    elif make == "latin1":
        cases.write_bytes(b"\xff\n" + kept)
    elif make == "folder":
        cases.mkdir()
    words = {"eval": ("eval", "--from-run", state, "--no-thresholds"), "collect": ("batch", "collect", state)}[command]
    res = run_cli(*words)
    assert res.code == BAD_INPUT
    assert res.err.endswith(f"cnaps-llm: {cases}{said}\n"), res.err
    if make == "folder":
        cases.rmdir()
    cases.write_bytes(kept)  # the sound twin: restored, the run reads again
    assert run_cli(*words).code == OK


# --------------------------------------------------------------------------- a batch run's folder


def test_batch_submit_whose_run_folder_is_a_file_is_one_line_before_anything_is_sent(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # was an internal error (exit 70: FileExistsError)
    from ..batchstub import FakeBatchAPI

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-2e-000000000000000000000000")
    (tmp_path / "run.batch").write_text("mine\n")
    with FakeBatchAPI(lambda custom_id, body: draft()) as api:
        res = run_cli("batch", "submit", CASE, "--state", tmp_path / "run.json", "--base-url", api.base_url)
        assert api.calls == []
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {tmp_path / 'run.json'}: cannot make the run's folder {tmp_path / 'run.batch'} (File exists); give --state another path\n"
    assert (tmp_path / "run.batch").read_text() == "mine\n"


@pytest.mark.parametrize("command", ["collect", "cancel"])
@pytest.mark.parametrize("where", ["nothere.json", "/proc/nothere.json"])
def test_collecting_or_cancelling_a_run_that_does_not_exist_leaves_nothing_behind(run_cli, tmp_path: Path, command: str, where: str) -> None:
    # made an empty nothere.batch/ folder each time, or was an internal error (exit 70) where none can be made
    res = run_cli("batch", command, where)
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err == f"cnaps-llm: {where}: no such batch run; start one with `cnaps-llm batch submit DATASET --state FILE`\n"
    assert not (tmp_path / "nothere.batch").exists()


def test_sound_twin_a_run_in_a_new_folder_is_submitted(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ..batchstub import FakeBatchAPI

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-2e-000000000000000000000000")
    with FakeBatchAPI(lambda custom_id, body: draft()) as api:
        res = run_cli("batch", "submit", CASE, "--state", tmp_path / "new" / "run.json", "--base-url", api.base_url)
        assert res.code == OK, res.err
        res = run_cli("batch", "collect", tmp_path / "new" / "run.json", "--wait", "--poll-interval", "0", "--base-url", api.base_url)
    assert res.code == OK, res.err
    assert res.out.startswith("## 1. The task")


# --------------------------------------------------------------------------- `~` in a folder setting


@pytest.mark.parametrize("how", ["dotenv", "flag"])
def test_a_cache_folder_under_tilde_goes_to_the_home_folder_not_a_folder_named_tilde(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, how: str
) -> None:
    # `CNAPS_CACHE_DIR=~/x` in a .env (or `--cache-dir=~/x`) made ./~/x: a folder `rm -rf ~` would remove with the home
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CNAPS_CACHE_DIR")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    flags: tuple[str, ...] = ()
    if how == "dotenv":
        (work / ".env").write_text("CNAPS_CACHE_DIR=~/recordings\n")
    else:
        flags = ("--cache-dir=~/recordings",)
    with StubServer(default=Reply(text=draft())) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "record", "--structured", "json_object", *flags)
    assert res.code == OK, res.err
    assert not (work / "~").exists()
    assert len(list((home / "recordings").glob("*/*.json"))) == 1


def test_sound_twin_a_relative_cache_folder_is_still_relative(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=draft())) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "record", "--structured", "json_object", "--cache-dir", "rec")
    assert res.code == OK, res.err
    assert len(list((tmp_path / "rec").glob("*/*.json"))) == 1


# --------------------------------------------------------------------------- an edited template with a bad placeholder


def _edited_prompts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, extra: str) -> Path:
    import shutil

    from cnaps_llm.resources import prompts_dir

    copy = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), copy)
    with open(copy / name, "a", encoding="utf-8") as fh:
        fh.write(extra)
    monkeypatch.setenv("CNAPS_PROMPTS_DIR", str(copy))
    return copy


@pytest.mark.parametrize(("name", "extra", "said"), [
    ("reask_syntax.md", "\n$nope\n", "('nope'); use $violations, $allowed"),
    ("reask.md", "\nIt costs $5.\n", "(a `$` not followed by a name; write $$ for a dollar sign); use $violations, $allowed"),
    ("source.md", "\n${question}\n", "('question'); use $id, $name, $links, $summary"),
])
def test_a_template_placeholder_nothing_fills_is_refused_before_any_request(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, extra: str, said: str
) -> None:
    # found at the first reask: after replies were paid for, the run ended with exit 2 and no record written
    _edited_prompts(monkeypatch, tmp_path, name, extra)
    with StubServer(default=Reply(text="not JSON at all")) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object", "--jsonl", tmp_path / "r.jsonl")
        assert srv.requests == []
    assert (res.code, res.out) == (BAD_INPUT, "")
    assert res.err.endswith(f"cnaps-llm: template {name} has a bad placeholder {said}\n"), res.err


def test_sound_twin_an_edited_template_with_a_dollar_sign_written_twice_is_used(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _edited_prompts(monkeypatch, tmp_path, "reask_syntax.md", "\nIt costs $$5; only use $allowed.\n")
    with StubServer(default=Reply(text="not JSON at all")) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object", "--max-attempts", "2")
        assert len(srv.requests) == 2
        assert "It costs $5; only use R1" in srv.requests[1]["messages"][-1]["content"]
    assert res.code == 1, res.err


# --------------------------------------------------------------------------- check's report on a terminal


GROUNDED = ROOT / "fixtures" / "answers" / "003_grounded.md"


def test_an_answers_control_characters_are_shown_escaped_by_check(run_cli, tmp_path: Path) -> None:
    # the violation's message quoted the link as written: a raw ESC reached the terminal
    answer = tmp_path / "a\x1bb.md"
    answer.write_text(GROUNDED.read_text() + "\nSee https://evil.example/\x1b[2J\x07 for more.\n")
    res = run_cli("check", CASE, answer)
    assert res.code == 1
    assert not any(c in res.out for c in "\x1b\x07")
    assert res.out.startswith(f"{tmp_path}/a\\x1bb.md: NOT grounded")
    assert "The link https://evil.example/ is not in the provided sources" in res.out  # the escape read away with the text


def test_sound_twin_checks_report_of_a_plain_answer_is_as_written(run_cli, tmp_path: Path) -> None:
    answer = tmp_path / "a.md"
    answer.write_text(GROUNDED.read_text() + "\nSee https://evil.example/x for more.\n")
    res = run_cli("check", CASE, answer)
    assert res.code == 1
    assert f"{answer}: NOT grounded" in res.out and "The link https://evil.example/x is not in the provided sources" in res.out


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_a_source_names_terminal_escape_never_reaches_the_answer(run_cli, tmp_path: Path, fmt: str) -> None:
    # `Model: X\x1b[2J` was rendered into the answer (and a failure report) printed on the terminal;
    # ftfy removed control characters only from text that happened to hold mojibake
    from ..stubserver import grounded_draft

    prompt = tmp_path / "p.txt"
    text = CASE.read_text()
    name = next(line for line in text.splitlines() if line.startswith("Model: ")).removeprefix("Model: ")
    prompt.write_text(text.replace(f"Model: {name}", f"Model: {name}\x1b[2J\x1b]0;owned\x07\x00", 1))
    parsed = json.loads(run_cli("parse", prompt).out)
    assert parsed["sources"][0]["name"] == f"{name}[2J]0;owned"  # the control characters read away, as from a model's reply
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("generate", prompt, "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object", "-f", fmt)
    assert res.code == OK, res.err
    assert name in res.out and not any(c in res.out + res.err for c in "\x1b\x07\x00")
    assert "\\u001b" not in res.out


def test_sound_twin_a_source_name_with_accents_and_a_tab_in_its_summary_is_kept(run_cli, tmp_path: Path) -> None:
    prompt = tmp_path / "p.txt"
    text = CASE.read_text()
    name = next(line for line in text.splitlines() if line.startswith("Model: ")).removeprefix("Model: ")
    prompt.write_text(text.replace(f"Model: {name}", f"Model: {name} Café", 1))
    parsed = json.loads(run_cli("parse", prompt).out)
    assert parsed["sources"][0]["name"] == f"{name} Café"


# --------------------------------------------------------------------------- megabytes of short sentences in a summary


def _with_related_summary(tmp_path: Path, summary: str) -> Path:
    text = CASE.read_text()
    at = text.index("Summary:", text.index("### Related Papers:"))
    prompt = tmp_path / "long.txt"
    prompt.write_text(text[:at] + "Summary: " + summary + text[at + len("Summary: "):])
    return prompt


def test_a_summary_of_100k_short_sentences_is_cut_in_seconds_not_hours(run_cli, tmp_path: Path) -> None:
    # the prompt was cut one sentence at a time, its tokens counted again after each: hours
    # before the first request (a case's deadline starts there), the whole run stalled
    import time

    prompt = _with_related_summary(tmp_path, "This is a sentence. " * 100_000)
    started = time.monotonic()
    res = run_cli("prompt", prompt)
    assert res.code == OK, res.err
    assert time.monotonic() - started < 60
    total = int(res.out.split("===== total: ")[1].split(" tokens")[0])
    assert total <= 6000
    assert "trimmed: P1: summary shortened from 2001757 to " in res.out  # the input's own length


def test_sound_twin_a_prompt_over_its_budget_is_cut_exactly_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from cnaps_llm import prompts
    from cnaps_llm.inputs import load_case
    from cnaps_llm.prompts import build_messages, load_templates
    from cnaps_llm.resources import prompts_dir

    rng = random.Random(7)
    case = load_case(CASE)
    texts = {
        # ordinary prose: many characters per token, so cut by characters first
        "prose": lambda s: "  ".join(f"Point {i} of {s.id}: {'y' * rng.randint(5, 90)}." for i in range(rng.randint(50, 300))),
        # runs of spaces (text pulled from a PDF): few tokens for many characters, so cut far less
        "spaces": lambda s: " ".join(f"Point {i}.{' ' * rng.randint(20, 200)}" for i in range(rng.randint(50, 200))),
    }
    templates = load_templates(prompts_dir())
    for kind, text in texts.items():
        sources = [s.model_copy(update={"summary": text(s)}) if s.role == "related" else s for s in case.sources]
        long_case = case.model_copy(update={"sources": sources})
        for budget in (1500, 3000, 6000):
            fast = build_messages(templates, long_case, "json_object", model="gpt-4o-mini", max_tokens=budget)
            with monkeypatch.context() as m:
                m.setattr(prompts, "CHARS_PER_TOKEN_BOUND", 10**9)  # no cut by characters: the sentence loop alone
                exact = build_messages(templates, long_case, "json_object", model="gpt-4o-mini", max_tokens=budget)
            assert (fast.messages, fast.tokens, fast.trimmed) == (exact.messages, exact.tokens, exact.trimmed), (kind, budget)


def test_mojibake_with_c1_characters_is_still_repaired_before_controls_are_stripped() -> None:
    # UTF-8 read as Latin-1 and saved again: "’" became "â\x80\x99"; ftfy needs the \x80 and \x99
    from cnaps_llm.inputs import normalise

    assert normalise("Caf\u00c3\u00a9 It\u00e2\u0080\u0099s") == "Café It’s"
    # a control character in text without mojibake is still removed
    assert normalise("It\u0099s \x1b[2Jclean") == "Its [2Jclean"


def test_a_tilde_naming_no_user_is_a_settings_error_not_an_internal_one(run_cli, tmp_path: Path) -> None:
    res = run_cli("generate", "-e", "003", "--cache", "replay", "--cache-dir", "~nosuchuser-cnaps/c")
    assert res.code == 2, res.err
    assert "no such user's home folder" in res.err and "Traceback" not in res.err
