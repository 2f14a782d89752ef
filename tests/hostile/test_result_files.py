"""Result files: nothing of the user's is overwritten, nothing of ours is lost, duplicated
or torn, whatever else writes, reads or interrupts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnaps_llm.batch import Appender, ResultsFile
from cnaps_llm.errors import InputError
from cnaps_llm.fsutil import append_text, atomic_write
from cnaps_llm.models import Result, Usage

from ..conftest import PROMPTS, ROOT, SEEDS
from ..stubserver import Reply, StubServer
from ..test_eval_batch import generic

CASES = sorted(p.stem for p in PROMPTS.iterdir() if p.suffix in {".txt", ".json"})


def result(case_id: str, answer: str = "ok", **kw) -> Result:
    return Result(case_id=case_id, status="grounded", model="m", answer=answer, attempts=[], usage=Usage(),
                  latency_s=0.0, cost_usd=None, template_hash="t", **kw)


def env_for(base_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
    env.update(OPENAI_BASE_URL=base_url, CNAPS_CACHE_DIR=str(tmp_path / "cas"), PYTHONPATH=str(ROOT))
    return env


def cli(*args: object, env: dict[str, str], **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cnaps_llm.cli", *map(str, args)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kw)


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["case_id"] for line in path.read_text().splitlines()]


# --------------------------------------------------------------------------- refused before a byte is written


def test_a_foreign_file_given_as_jsonl_is_refused_byte_identical(run_cli, tmp_path: Path) -> None:
    foreign = tmp_path / "notes.jsonl"
    content = b'{"id": "mine", "note": "not a record"}\nplain text, no newline'
    foreign.write_bytes(content)
    with StubServer(default=generic()) as srv:
        res = run_cli("generate", SEEDS["003"], "--base-url", srv.base_url, "--cache", "off", "--jsonl", foreign, "--resume", "-o", tmp_path / "out")
        assert srv.requests == []
    assert res.code == 2 and "is not a cnaps-llm results file" in res.err and "nothing was written" in res.err
    assert foreign.read_bytes() == content and not (tmp_path / "out").exists() and not list(tmp_path.glob("notes.jsonl.*"))


@pytest.mark.parametrize("alias", ["same", "dot", "symlink", "hardlink"])
def test_the_input_given_as_jsonl_is_refused_byte_identical(run_cli, tmp_path: Path, alias: str) -> None:
    data = tmp_path / "cases.jsonl"
    content = (json.dumps({"id": "c1", "prompt": SEEDS["003"].read_text()}) + "\n").encode()
    data.write_bytes(content)
    target = {"same": data, "dot": tmp_path / "." / "cases.jsonl", "symlink": tmp_path / "link.jsonl", "hardlink": tmp_path / "hard.jsonl"}[alias]
    if alias == "symlink":
        target.symlink_to(data)
    elif alias == "hardlink":
        os.link(data, target)
    with StubServer(default=generic()) as srv:
        res = run_cli("generate", data, "--base-url", srv.base_url, "--cache", "off", "--jsonl", target)
        assert srv.requests == []
    assert (res.code, res.err.strip().endswith("is also an input; give --jsonl a new file for the results")) == (2, True)
    assert data.read_bytes() == content


# --------------------------------------------------------------------------- several writers, interruptions

_APPEND = """
import sys
from pathlib import Path
from cnaps_llm.batch import Appender
from cnaps_llm.models import Result, Usage
who, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
app = Appender(Path(sys.argv[4]))
for i in range(n):
    app(Result(case_id=f"{who}-{i}", status="grounded", model="m", answer=who * size, attempts=[], usage=Usage(),
               latency_s=0.0, cost_usd=None, template_hash="t"))
app.close()
"""


def test_two_processes_appending_at_once_lose_duplicate_and_tear_nothing(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    n, size = 300, 70_000  # records far larger than a pipe or stdio buffer
    procs = [subprocess.Popen([sys.executable, "-c", _APPEND, who, str(n), str(size), str(path)], env=env) for who in "ab"]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 2 * n + 1
    records = [json.loads(line) for line in lines[:-1]]
    assert sorted(r["case_id"] for r in records) == sorted(f"{w}-{i}" for w in "ab" for i in range(n))
    assert all(r["answer"] == r["case_id"][0] * size for r in records)
    assert ResultsFile(path).done() == {r["case_id"] for r in records}


def test_sigint_mid_batch_keeps_finished_cases_and_resume_runs_the_rest_once(tmp_path: Path) -> None:
    out, jsonl = tmp_path / "out", tmp_path / "r.jsonl"
    with StubServer(default=generic(delay=0.4)) as srv:
        env = env_for(srv.base_url, tmp_path)
        args = ("generate", PROMPTS, "-j", "2", "--cache", "off", "-f", "json", "-o", out, "--jsonl", jsonl)
        proc = cli(*args, env=env)
        deadline = time.monotonic() + 60
        while (not jsonl.exists() or jsonl.read_text().count("\n") < 4) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130 and "Traceback" not in err, err
        assert err.strip().endswith("cnaps-llm: interrupted; finished cases are kept")
        first = ids_in(jsonl)
        assert 4 <= len(first) < len(CASES) and len(set(first)) == len(first)
        # every finished case has its file, complete; no other case has one; no temporary file is left
        assert sorted(p.stem for p in out.iterdir()) == sorted(first)
        assert all(json.loads((out / f"{c}.json").read_text())["case_id"] == c for c in first)
        assert not [p for p in tmp_path.rglob(".*") if p.is_file()]
        srv.requests.clear()
        resumed = cli(*args, "--resume", env=env)
        _, err = resumed.communicate(timeout=120)
        assert resumed.returncode == 0, err
        assert f"resume: {len(first)} case(s) already in {jsonl}, {len(CASES) - len(first)} to go" in err
        assert len(srv.requests) == len(CASES) - len(first)  # one request per case left, none for a finished one
    assert sorted(ids_in(jsonl)) == CASES  # every case exactly once
    assert sorted(p.stem for p in out.iterdir()) == CASES


def test_a_case_failed_by_the_server_is_run_again_by_resume(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "0")
    jsonl = tmp_path / "r.jsonl"
    two = [PROMPTS / "014_tts.txt", PROMPTS / "015_colorization.txt"]
    with StubServer(default=generic()) as srv:
        srv.enqueue(Reply(status=503, body='{"error": {"message": "down"}}'))
        first = run_cli("generate", *two, "--base-url", srv.base_url, "--cache", "off", "--jsonl", jsonl)
        assert first.code == 3
        failed = [r["case_id"] for r in map(json.loads, jsonl.read_text().splitlines()) if r["error_kind"] == "server"]
        assert len(failed) == 1
        srv.requests.clear()
        again = run_cli("generate", *two, "--base-url", srv.base_url, "--cache", "off", "--jsonl", jsonl, "--resume")
        assert again.code == 0, again.err
        assert len(srv.requests) == 1 and "resume: 1 case(s) already in" in again.err
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert [r["case_id"] for r in records].count(failed[0]) == 2 and records[-1]["case_id"] == failed[0]
    assert records[-1]["status"] == "grounded" and ResultsFile(jsonl).done() == {"014_tts", "015_colorization"}


# --------------------------------------------------------------------------- where reports go


def test_eval_reports_written_through_symlinks_keep_the_links(run_cli, tmp_path: Path) -> None:
    for name in ("md", "json", "xml"):
        (tmp_path / f"real.{name}").write_text("before\n")
        (tmp_path / f"link.{name}").symlink_to(tmp_path / f"real.{name}")
    res = run_cli("eval", SEEDS["003"], "--markdown", tmp_path / "link.md", "--json", tmp_path / "link.json", "--junit", tmp_path / "link.xml")
    assert res.code == 0, res.err
    for name in ("md", "json", "xml"):
        assert (tmp_path / f"link.{name}").is_symlink() and os.readlink(tmp_path / f"link.{name}") == str(tmp_path / f"real.{name}")
    assert (tmp_path / "real.md").read_text().startswith("before\n") and "grounded" in (tmp_path / "real.md").read_text()
    assert json.loads((tmp_path / "real.json").read_text())["metrics"]["cases"] == 1
    assert ET.parse(tmp_path / "real.xml").getroot().get("tests") == "2"


@pytest.mark.parametrize("stdout", ["pipe", "file"])
def test_reports_to_dev_stdout_follow_what_is_already_printed(tmp_path: Path, stdout: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
    env["PYTHONPATH"] = str(ROOT)
    sink = open(tmp_path / "out.txt", "w+b") if stdout == "file" else subprocess.PIPE
    proc = subprocess.run([sys.executable, "-m", "cnaps_llm.cli", "eval", str(SEEDS["003"]), "--json", "/dev/stdout",
                           "--markdown", "/dev/fd/1"], env=env, stdout=sink, stderr=subprocess.PIPE, cwd=tmp_path, timeout=120)
    out = proc.stdout if stdout == "pipe" else (tmp_path / "out.txt").read_bytes()
    assert proc.returncode == 0, proc.stderr
    text = out.decode()
    md_end = text.index("\n{")  # the Markdown report, again (--markdown), then the JSON report
    assert text.count("| grounded rate |") == 2 and json.loads(text[md_end + 1 :])["metrics"]["cases"] == 1
    assert (tmp_path / "out.txt").exists() == (stdout == "file")


def test_writing_where_nothing_can_be_written_is_one_clear_line(run_cli, tmp_path: Path) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    os.mkfifo(tmp_path / "fifo.md")
    for flag, path, what in (("--json", loop, "cannot write it"), ("--markdown", tmp_path / "fifo.md", "is a FIFO that nothing reads"),
                             ("--json", tmp_path, "is a folder")):
        res = run_cli("eval", SEEDS["003"], flag, path)
        assert res.code == 2 and res.err.startswith(f"cnaps-llm: {path}: {what}") and "Traceback" not in res.err, res.err


# --------------------------------------------------------------------------- fuzz: the writer and the reader agree

_ID = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
_TEXT = st.text(st.characters(blacklist_categories=()), max_size=200)  # anything, lone surrogates and \u2028 included


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(records=st.lists(st.tuples(_ID, _TEXT), min_size=1, max_size=8), cut=st.floats(0, 1), garbage=st.sampled_from([b"", b"\xff\xfe", b"{}", b"x"]))
def test_fuzz_results_written_are_read_back_and_a_torn_tail_is_moved_aside(tmp_path_factory, records, cut: float, garbage: bytes) -> None:
    path = tmp_path_factory.mktemp("fz") / "r.jsonl"
    app = Appender(path)
    for cid, answer in records:
        app(result(cid, answer))
    app.close()
    whole = path.read_bytes()
    assert ResultsFile(path).done() == {cid for cid, _ in records}
    for line, (cid, _) in zip(whole.split(b"\n"), records):  # one valid UTF-8 JSON line per record
        assert json.loads(line.decode("utf-8"))["case_id"] == cid
    # killed mid-write: every complete line is kept, the torn one moved aside, nothing else changes
    at = int(len(whole) * cut)
    last = whole.rfind(b"\n", 0, at) + 1
    path.write_bytes(whole[:at])
    rf = ResultsFile(path)
    if whole[at : at + 1] == b"\n":  # only the newline lost: the record is whole, and kept
        last = at
    kept = {json.loads(line)["case_id"] for line in whole[:last].split(b"\n") if line}
    assert rf.done() == kept
    aside = rf.move_torn_aside()
    assert path.read_bytes() == whole[:last]
    assert (aside is None) == (at == last) and (aside is None or aside.read_bytes().endswith(whole[last:at] + b"\n"))
    # a line that is not ours, anywhere, is refused and left as it is
    if garbage:
        path.write_bytes(whole + garbage + b"\n")
        with pytest.raises(InputError, match="not a cnaps-llm results file"):
            ResultsFile(path)
        assert path.read_bytes() == whole + garbage + b"\n"


def test_lone_surrogates_a_model_wrote_are_written_as_replacement_characters(tmp_path: Path) -> None:
    atomic_write(tmp_path / "a.md", "x\ud800y")
    append_text(tmp_path / "a.md", "\udfffz")
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "x\ufffdy\n\ufffdz"
