"""Round 2g of hostile use: what earlier rounds left out. Secrets in the parts of a base URL
other than its query, recordings edited by hand (impossible figures, a file of gigabytes),
and more. Each test names the attack; each failed on the code before its fix (or is marked
``xfail(strict=True)`` where the fix lies in a module another engineer owns)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from cnaps_llm.errors import NO_RECORDING, OK, SERVER

from ..conftest import SEEDS
from ..stubserver import Reply, StubServer, grounded_draft
from ..test_robustness import _peak_rss_mb

CASE = SEEDS["003"]


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "1")
    monkeypatch.setenv("CNAPS_MAX_RETRY_WAIT", "0.05")


def _all_written(tmp_path: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- secrets outside a URL's query


@pytest.mark.parametrize(
    "tail",
    ["#access_token=FRAGSECRET0123456789", "#state=1&token=FRAGSECRET0123456789", ";token=PATHSECRET0123456789", "?api-version=1#sig=FRAGSECRET0123456789"],
)
def test_a_token_in_a_base_urls_fragment_or_path_parameters_reaches_no_output(run_cli, fast, tmp_path: Path, tail: str) -> None:
    """Attack: a base URL pasted with its credential in a fragment (OAuth's implicit flow
    writes `#access_token=…`) or in a path segment's parameters (`/v1;token=…`), against a
    server that is down. The credential was masked only in the query: the one-line error,
    the `.failed.md` file and the JSONL record all showed it whole."""
    secret = tail.rpartition("=")[2]
    res = run_cli("generate", CASE, "--cache", "off", "--base-url", f"http://127.0.0.1:9/v1{tail}", "-o", tmp_path / "out", "--jsonl", tmp_path / "r.jsonl")
    assert res.code == SERVER, res.err
    assert "cannot connect to http://127.0.0.1:9/v1" in res.err
    for text in (res.out, res.err, _all_written(tmp_path)):
        assert secret[:12] not in text


def test_sound_twin_a_fragment_without_a_credential_is_shown_and_a_query_token_still_masked(run_cli, fast, tmp_path: Path) -> None:
    res = run_cli("generate", CASE, "--cache", "off", "--base-url", "http://127.0.0.1:9/v1?token=QUERYSECRET012345#part=intro")
    assert res.code == SERVER
    assert "cannot connect to http://127.0.0.1:9/v1?token=[redacted]#part=intro" in res.err
    assert "QUERYSECRET" not in res.err


# --------------------------------------------------------------------------- recordings edited by hand


def _record(tmp_path: Path) -> Path:
    """One live recording of seed 003 in ``tmp_path/cas``; its path."""
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        from cnaps_llm.cli import main  # noqa: F401  (the package is importable)

        import subprocess
        import sys

        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
        env.update(CNAPS_REGEX_CACHE="off", PYTHONPATH=str(Path(__file__).resolve().parents[2]))
        proc = subprocess.run([sys.executable, "-m", "cnaps_llm.cli", "generate", str(CASE), "--cache", "record", "--cache-dir", str(tmp_path / "cas"),
                               "--base-url", srv.base_url], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == OK, proc.stderr
    (path,) = (tmp_path / "cas").rglob("*.json")
    return path


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("latency_s", math.nan, "impossible latency (nan)"),
        ("latency_s", -3.0, "impossible latency (-3.0)"),
        ("usage", {"prompt_tokens": 10**30, "completion_tokens": 5}, "impossible token usage (prompt_tokens=1000000000000000000000000000000)"),
        ("usage", {"prompt_tokens": 10, "completion_tokens": -5}, "impossible token usage (completion_tokens=-5)"),
    ],
)
def test_a_recording_with_impossible_figures_fails_its_case_and_keeps_the_reports_valid_json(run_cli, tmp_path: Path, field: str, value, said: str) -> None:
    """Attack: a recording edited by hand (or by a broken script) with a NaN or negative
    latency, or token usage no server could report. A live reply with such usage is that
    case's failure; replayed, it was taken as it was: `eval --json` wrote `NaN` into the
    report (not JSON: jq and JSON.parse refuse it), and the summary read
    `1000000000000000000000000000000+-5 tokens`."""
    path = _record(tmp_path)
    data = json.loads(path.read_text())
    data["response"][field] = value
    path.write_text(json.dumps(data))
    res = run_cli("eval", CASE, "--cache", "replay", "--cache-dir", tmp_path / "cas", "--json", tmp_path / "r.json", "--no-thresholds")
    assert res.code == OK, res.err
    report = json.loads((tmp_path / "r.json").read_text(), parse_constant=lambda c: pytest.fail(f"{c} in the JSON report"))
    (case,) = report["results"] if "results" in report else report["cases"]
    assert case["error_kind"] == "no_recording"
    assert said in case["error"] and "delete it and record again" in case["error"]


def test_sound_twin_a_recording_as_written_replays(run_cli, tmp_path: Path) -> None:
    _record(tmp_path)
    res = run_cli("generate", CASE, "--cache", "replay", "--cache-dir", tmp_path / "cas")
    assert res.code == OK, res.err
    assert "10+5 tokens" in res.err


def test_a_recording_of_hundreds_of_megabytes_is_refused_by_its_size_unread(tmp_path: Path) -> None:
    """Attack: a recording grown to 300 MB (a sparse file, an editor's accident, a disk
    image named like a recording). It was read whole, decoded and parsed: a 3 GB one took
    71 s and 9.5 GB of memory before failing as unreadable. Now it is refused by its size."""
    path = _record(tmp_path)
    with open(path, "r+b") as fh:
        fh.truncate(300 * 1024 * 1024)
    code, rss, err = _peak_rss_mb(
        "import sys; from cnaps_llm.cli import main; "
        f"sys.argv=['cnaps-llm','generate',{str(CASE)!r},'--cache','replay','--cache-dir',{str(tmp_path / 'cas')!r}]\n"
        "try:\n main()\nexcept SystemExit as e: sys.stderr.write('EXIT=%s\\n' % e.code)"
    )
    assert f"EXIT={NO_RECORDING}" in err, err[-2000:]
    assert "recording is larger than 256 MB" in err
    assert rss < 250, rss


# --------------------------------------------------------------------------- a batch run submitted without a key


def test_batch_submit_without_a_key_leaves_no_run_behind_and_the_fixed_rerun_is_not_refused(run_cli, tmp_path: Path) -> None:
    """Attack: a careless user runs `batch submit` before exporting OPENAI_API_KEY. The
    command said "the Batch API needs OPENAI_API_KEY" (exit 2, nothing sent) but had
    already written `run.json` and `run.batch/`: the same command, rerun with the key set,
    was then refused with "run.json: already exists"."""
    res = run_cli("batch", "submit", CASE, "--state", tmp_path / "run.json")
    assert res.code == 2
    assert "the Batch API needs OPENAI_API_KEY" in res.err
    assert not (tmp_path / "run.json").exists() and not (tmp_path / "run.batch").exists()
    res = run_cli("batch", "submit", CASE, "--state", tmp_path / "run.json", "--base-url", "http://127.0.0.1:9/v1")
    assert "already exists" not in res.err


def test_sound_twin_a_fully_cached_run_needs_no_key_and_a_run_begun_is_kept(run_cli, tmp_path: Path) -> None:
    _record(tmp_path)
    res = run_cli("batch", "submit", CASE, "--state", tmp_path / "run.json", "--cache-dir", tmp_path / "cas")
    assert res.code == OK, res.err
    assert (tmp_path / "run.json").exists()
    res = run_cli("batch", "submit", CASE, "--state", tmp_path / "b.json", "--base-url", "http://127.0.0.1:9/v1")
    assert (tmp_path / "b.json").exists()  # it began to upload: collect resumes it


# --------------------------------------------------------------------------- base URLs a careless user pastes


def _paths_of(srv: StubServer) -> list[str]:
    """Wraps the stub's handler so that each request's path is kept."""
    handler = srv.httpd.RequestHandlerClass
    paths: list[str] = []
    post = handler.do_POST

    def do_post(self) -> None:  # noqa: ANN001
        paths.append(self.path)
        post(self)

    handler.do_POST = do_post
    return paths


def test_a_base_url_with_a_query_string_is_refused_or_sent_to_the_right_path(run_cli, fast, tmp_path: Path) -> None:
    """Attack: a base URL written with a query (`…/v1?api-version=2024-06-01`, as Azure-style
    proxies are documented). The SDK joined the endpoint after the query: requests went to
    `/v1/?api-version=2024-06-01chat/completions`, a path no server serves, so every case
    fails with a 404 that does not say why. It must be refused as a setting (exit 2, one
    line) or sent to `/v1/chat/completions` with its query."""
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        paths = _paths_of(srv)
        res = run_cli("generate", CASE, "--cache", "off", "--base-url", srv.base_url + "?api-version=2024-06-01")
    assert res.code == 2 and res.err.count("\n") == 1 or all(p.startswith("/v1/chat/completions") for p in paths) and paths, (res.err, paths)


def test_a_base_url_with_a_space_and_a_comment_pasted_after_it_is_a_setting_error(run_cli, fast, tmp_path: Path) -> None:
    """Attack: `--base-url "http://127.0.0.1:8080/v1 local"` (a note pasted after the URL,
    or an unquoted `.env` value). It was sent as `/v1%20local/chat/completions`: a 404 from a
    real server, "cannot connect" from none, never "this is not a URL"."""
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        paths = _paths_of(srv)
        res = run_cli("generate", CASE, "--cache", "off", "--base-url", srv.base_url + " local")
    assert res.code == 2 and not paths, (res.err, paths)
    assert "base" in res.err.lower() and res.err.count("\n") == 1


# --------------------------------------------------------------------------- a streamed reply shown as it is written


def _sse(*events: object) -> str:
    return "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"


def _chunk(text: object = None, finish: object = None) -> dict:
    return {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "stub",
            "choices": [{"index": 0, "delta": {"content": text} if text is not None else {}, "finish_reason": finish}]}


def test_a_streamed_replys_terminal_escapes_never_reach_stderr(run_cli, fast, tmp_path: Path) -> None:
    """Attack: a server streams a reply holding terminal escapes (`\\x1b[2J` clears the
    screen, `\\x1b]0;…\\x07` retitles the window, `\\r` overwrites the line), run with
    `--stream 2>&1 | tee log`, so stderr is a pipe whose other end is a terminal. The checked
    answer had those dropped, but `--stream` wrote each streamed piece to stderr as it came,
    escapes included."""
    text = json.dumps({"task": "x"})
    evil = "\x1b[2J\x1b]0;owned\x07\rfake prompt$ \x9b31m"
    body = _sse(_chunk(text[:5] + evil), _chunk(text[5:], "stop"))
    with StubServer(default=Reply(body=body)) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object", "--stream", "--max-attempts", "1")
    assert "Traceback" not in res.err
    for c in ("\x1b", "\x07", "\r", "\x9b"):
        assert c not in res.err, repr(res.err[:400])
    assert '{"tas' in res.err  # the stream is still shown


def test_sound_twin_a_streamed_reply_keeps_its_line_breaks_and_tabs(run_cli, fast, tmp_path: Path) -> None:
    with StubServer(default=Reply(body=_sse(_chunk('{\n\t"task"'), _chunk(': "x"}', "stop")))) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object", "--stream", "--max-attempts", "1")
    assert '{\n\t"task": "x"}' in res.err


# --------------------------------------------------------------------------- structured cases whose names carry Markdown


def _structured(tmp_path: Path, name: str = "Xnet", links: dict | None = None) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"id": "x", "question": "How do I denoise my photo?", "recommended": [
        {"name": name, "summary": "Xnet denoises photos.", "paper": "https://arxiv.org/abs/2401.00001", "links": links or {}}]}))
    return path


@pytest.mark.parametrize(
    ("name", "links"),
    [
        ("Xnet\n\n## 4. Extra\n[Download the weights](https://evil.example/w.exe)", None),
        ("Xnet", {"HF\n\n## 4. Extra\n[Download the weights](https://evil.example/w.exe)\n": "https://huggingface.co/x/y"}),
        ("Xnet", {"[weights](https://evil.example/w.exe)": "https://huggingface.co/x/y"}),
        ("Xnet", {"": "https://huggingface.co/x/y"}),
    ],
)
def test_a_structured_source_name_or_link_name_cannot_write_markdown_into_the_answer(run_cli, tmp_path: Path, name: str, links) -> None:
    """Attack: a JSON case (from an upstream recommender) whose source name, or the name of
    one of its `links`, holds line breaks and Markdown. Both are written into the answer as
    they are: the answer got a `## 4. Extra` part with a download link, which the `url` rule
    took as grounded (it is in the input). A prompt file cannot say this (its names and
    `Key:` labels are one line); a JSON case must not either: one clear line, exit 2."""
    res = run_cli("parse", _structured(tmp_path, name, links))
    assert res.code == 2, res.out
    assert res.err.count("\n") == 1 and "case.json" in res.err


def test_sound_twin_ordinary_link_names_and_names_are_read(run_cli, tmp_path: Path) -> None:
    links = {"HuggingFace": "https://huggingface.co/a/b", "Project page": "https://a.example/p", "paper_v2": "https://a.example/v2",
             "Ĝit-hub 2.0": "https://a.example/g", "Demo": None}
    res = run_cli("parse", _structured(tmp_path, "Real-ESRGAN (x4, GAN)", links))
    assert res.code == OK, res.err
    (source,) = json.loads(res.out)["sources"]
    assert source["name"] == "Real-ESRGAN (x4, GAN)" and list(source["links"]) == ["HuggingFace", "Project page", "paper_v2", "Ĝit-hub 2.0"]


def test_an_expected_citation_of_a_source_the_case_lacks_is_refused_not_a_silent_miss(run_cli, tmp_path: Path) -> None:
    """Attack: a careless eval dataset whose `expect.must_cite` names `R9` (a typo, or a case
    edited after its sources were cut) in a case with one source. It was accepted: no answer
    can cite a source the case does not give, so that case counted as a miss in every run's
    expected-citation recall and the gate failed with nothing saying why."""
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"id": "x", "question": "How do I denoise my photo?", "recommended": [{"name": "Xnet"}],
                                "expect": {"must_cite": ["R1", "R9"]}}) + "\n")
    res = run_cli("parse", path)
    assert res.code == 2
    assert "cases.jsonl:1: `expect.must_cite` names 'R9', which this case has no source for; its sources are R1" in res.err


def test_sound_twin_expected_citations_of_the_cases_sources_are_read(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"id": "x", "question": "How do I denoise my photo?", "recommended": [{"name": "Xnet"}],
                                "related": [{"name": "A paper", "paper": "https://arxiv.org/abs/2401.00001"}],
                                "expect": {"task": "denoising", "must_cite": ["R1", "P1"]}}) + "\n")
    res = run_cli("parse", path)
    assert res.code == OK, res.err
    assert json.loads(res.out)["expect"] == {"task": "denoising", "must_cite": ["R1", "P1"]}


# --------------------------------------------------------------------------- a baseline's case ids on the terminal


def test_a_baselines_case_ids_never_drive_the_terminal_the_report_is_printed_on(run_cli, tmp_path: Path) -> None:
    """Attack: an `eval --json` baseline downloaded from another CI run and edited (or made by
    a hostile pull request) so that a case id holds terminal escapes (`\\x1b]0;…\\x07`
    retitles the window, `\\x1b[2J` clears it) and a bidirectional override. `eval
    --baseline` printed "Cases of the baseline not run: `evil…`" to stdout with the escapes
    raw; this run's ids cannot hold them, a baseline's could."""
    assert run_cli("eval", "--example", "003", "--json", tmp_path / "base.json", "--no-thresholds").code == OK
    base = json.loads((tmp_path / "base.json").read_text())
    evil = dict(base["results"][0], case_id="evil\x1b]0;owned\x07\x1b[2J\u202egpj.exe", status="failed")
    base["results"].append(evil)
    (tmp_path / "base.json").write_text(json.dumps(base))
    res = run_cli("eval", "--example", "003", "--baseline", tmp_path / "base.json", "--no-thresholds", "--markdown", tmp_path / "m.md")
    assert res.code == OK, res.err
    for text in (res.out, res.err, (tmp_path / "m.md").read_text()):
        assert not any(c in text for c in "\x1b\x07\u202e"), repr(text[-300:])
    assert "Cases of the baseline not run: `evil\\x1b]0;owned\\x07\\x1b[2J\\u202egpj.exe`" in res.out


def test_sound_twin_a_baselines_plain_and_accented_ids_are_shown_as_written(run_cli, tmp_path: Path) -> None:
    assert run_cli("eval", "--example", "003", "--json", tmp_path / "base.json", "--no-thresholds").code == OK
    base = json.loads((tmp_path / "base.json").read_text())
    base["results"].append(dict(base["results"][0], case_id="café_01|x", status="failed"))
    (tmp_path / "base.json").write_text(json.dumps(base))
    res = run_cli("eval", "--example", "003", "--baseline", tmp_path / "base.json", "--no-thresholds")
    assert "Cases of the baseline not run: `café_01\\|x`" in res.out


# --------------------------------------------------------------------------- one folder for answers and recordings


def test_answers_and_recordings_in_one_folder_never_collide_after_the_paid_calls(run_cli, tmp_path: Path) -> None:
    """Attack: `-o out --cache-dir out` (a careless user keeping everything together) over
    cases `a.json` and `a` in `--format json`. Case `a.json`'s recordings went in
    `out/a.json/`, the very path of case `a`'s answer: after both paid calls the run ended
    with "out/a.json: is a folder" (exit 2), case `a`'s answer unwritten and no summary
    line for the others. It is refused before any request."""
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps({"id": i, "prompt": CASE.read_text()}) + "\n" for i in ("a.json", "a")))
    out = tmp_path / "out"
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("generate", data, "-o", out, "--cache-dir", out, "-f", "json", "--base-url", srv.base_url)
        assert not srv.requests, res.err
    assert res.code == 2 and res.err.count("\n") == 1
    assert "a.json: is where another case's recordings go" in res.err


def test_sound_twin_one_folder_for_answers_and_recordings_of_ids_that_cannot_collide(run_cli, tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps({"id": i, "prompt": CASE.read_text()}) + "\n" for i in ("a", "b")))
    out = tmp_path / "out"
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("generate", data, "-o", out, "--cache-dir", out, "-f", "json", "--base-url", srv.base_url)
    assert res.code == OK, res.err
    assert {p.name for p in out.iterdir()} == {"a", "b", "a.json", "b.json"}


# --------------------------------------------------------------------------- a pretty-printed JSON named .jsonl


@pytest.mark.parametrize("command", ["parse", "check"])
def test_a_pretty_printed_json_named_jsonl_is_one_error_not_one_per_line(run_cli, tmp_path: Path, command: str) -> None:
    """Attack: a careless user saves a dataset with `json.dump(cases, f, indent=2)` (or `jq .`)
    and names it `.jsonl`. Each of its lines was read as a case: 200 cases gave about 2,000
    lines of "not valid JSON", one per line of the file, burying what was wrong."""
    cases = [{"id": f"c{i}", "prompt": "Q", "answer": "A"} for i in range(200)]
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps(cases, indent=2) + "\n")
    res = run_cli(command, path) if command == "parse" else run_cli("check", path, "--json")
    assert res.code == 2
    assert res.err.count("\n") == 1, res.err[:500]
    assert "data.jsonl:1: opens a JSON document written over several lines, not JSONL" in res.err


def test_sound_twin_a_jsonl_with_blank_lines_and_crlf_is_read(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    line = json.dumps({"id": "a", "prompt": CASE.read_text()})
    path.write_bytes(("\r\n  \r\n" + line + "\r\n\r\n" + line.replace('"a"', '"b"') + "\r\n").encode())
    res = run_cli("parse", path)
    assert res.code == OK, res.err


# --------------------------------------------------------------------------- a regression allowance that allows everything


@pytest.mark.parametrize("value", ["nan", "NaN", "inf"])
def test_a_max_regression_of_nan_or_inf_is_refused_not_a_gate_that_never_closes(run_cli, tmp_path: Path, value: str) -> None:
    """Attack: `eval --baseline base.json --max-regression "$MAX_REG"` with the variable set
    to `nan` (or `inf`) by a template. typer's `min=0` check lets NaN through, and every
    comparison with NaN is false: a first-pass rate falling from 100% to 0% passed with
    "**Baseline: no regression** (at most nan% allowed)", exit 0. The threshold flags
    already refuse NaN; this one did not."""
    assert run_cli("eval", "--example", "003", "--json", tmp_path / "base.json", "--no-thresholds").code == OK
    base = json.loads((tmp_path / "base.json").read_text())
    base["metrics"]["first_pass_rate"] = 1.0
    (tmp_path / "base.json").write_text(json.dumps(base))
    res = run_cli("eval", "--example", "003", "--baseline", tmp_path / "base.json", "--max-regression", value)
    assert res.code == 2, res.out[-300:]
    assert "--max-regression must be a finite number" in res.err and res.err.count("\n") == 1


def test_sound_twin_a_finite_allowance_still_gates(run_cli, tmp_path: Path) -> None:
    assert run_cli("eval", "--example", "003", "--json", tmp_path / "base.json", "--no-thresholds").code == OK
    base = json.loads((tmp_path / "base.json").read_text())
    base["metrics"]["first_pass_rate"] = 1.0
    (tmp_path / "base.json").write_text(json.dumps(base))
    res = run_cli("eval", "--example", "003", "--baseline", tmp_path / "base.json", "--max-regression", "0.5")
    assert res.code == 1 and "**Baseline: REGRESSED**" in res.out


# --------------------------------------------------------------------------- a settings file of hundreds of megabytes


def test_a_dotenv_of_a_hundred_megabytes_is_not_read_whole(tmp_path: Path) -> None:
    """Attack: a `.env` in the working folder that is not a settings file (a disk image or a
    log renamed by accident; here 100 MB of NUL bytes). It was read and parsed whole, then
    silently ignored: 300 MB took 24 s and 650 MB of memory, 2 GB more than 60 s and 4 GB,
    before any case ran. A `.env` that is a FIFO or `/dev/zero` is already guarded; a
    regular file of that size should be refused by its size (one line naming it)."""
    with open(tmp_path / ".env", "wb") as fh:
        fh.truncate(100 * 1024 * 1024)
    code, rss, err = _peak_rss_mb(
        f"import os, sys; os.chdir({str(tmp_path)!r}); from cnaps_llm.cli import main; "
        "sys.argv=['cnaps-llm','prompt','--example','003']\n"
        "try:\n main()\nexcept SystemExit as e: sys.stderr.write('EXIT=%s\\n' % e.code)"
    )
    assert rss < 200, rss
    assert ".env" in err


# --------------------------------------------------------------------------- --annotate's comment


@pytest.mark.parametrize("case_id", ["x--><img src=https://tracker.example/p.png><!--", "y--!><script>alert(1)</script>", "z---"])
def test_an_annotated_answers_comment_is_never_closed_by_its_case_id(run_cli, tmp_path: Path, case_id: str) -> None:
    """Attack: `generate --annotate` of a case whose id holds `-->` (or `--!>`). The id was
    written raw into the `<!-- cnaps-llm: … -->` line heading the published answer: the id
    closed the comment and the rest of it (an `<img>` fetching a tracker, a script) was live
    HTML in the Markdown."""
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"id": case_id, "prompt": CASE.read_text()}) + "\n")
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("generate", data, "--annotate", "--cache", "off", "--base-url", srv.base_url, "-o", tmp_path / "out")
    assert res.code == OK, res.err
    (answer,) = (tmp_path / "out").iterdir()
    first, _, rest = answer.read_text().partition("\n")
    assert first.startswith("<!-- cnaps-llm: ") and first.endswith(" grounded after 1 attempt(s) -->")
    assert "--" not in first[len("<!--"): -len("-->")], first
    assert rest.startswith("## 1.")


def test_sound_twin_an_annotated_answers_plain_id_is_as_written(run_cli, tmp_path: Path) -> None:
    res = run_cli("generate", "--example", "003", "--annotate")
    assert res.out.startswith("<!-- cnaps-llm: 003_1ea1203c459ef3cc grounded after 2 attempt(s) -->\n")


# --------------------------------------------------------------------------- the eval summary, rendered


@pytest.mark.parametrize("case_id", ["[click](https://evil.example/x)", "<img src=https://tracker.example/p.png>", "![i](https://tracker.example/q.png)"])
def test_a_case_id_is_text_in_the_rendered_eval_summary_not_a_link_or_an_image(run_cli, tmp_path: Path, case_id: str) -> None:
    """Attack: an eval dataset whose case id is Markdown or HTML, its report appended to
    `$GITHUB_STEP_SUMMARY` (`--markdown`, as the README advises), which GitHub renders. The
    id was written raw into the per-case table and the failed-cases line: a live link, or an
    image fetched from a tracker by everyone who opens the run's page."""
    from markdown_it import MarkdownIt

    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"id": case_id, "prompt": CASE.read_text()}) + "\n")
    res = run_cli("eval", data, "--markdown", tmp_path / "summary.md", "--cache-dir", tmp_path / "none")
    assert res.code == 1, res.err
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render((tmp_path / "summary.md").read_text())
    assert "<a " not in html and "<img" not in html, html[-600:]
    assert html.count("example/") >= 2  # the id is still shown, in the table and the verdict


def test_sound_twin_plain_ids_in_the_eval_summary_are_as_written(run_cli, tmp_path: Path) -> None:
    res = run_cli("eval", "--example", "003", "--example", "017", "--no-thresholds")
    assert "| 003_1ea1203c459ef3cc | grounded |" in res.out and "| 017_pose_estimation | grounded |" in res.out


# --------------------------------------------------------------------------- a project's servers.json beside --cache-dir


def test_a_cache_dir_given_never_rewrites_a_projects_servers_json_beside_it(run_cli, tmp_path: Path) -> None:
    """Attack: `generate --cache-dir recordings` in a project that has its own `servers.json`
    (a plausible name for a deployment file). The reply formats a server accepted are
    remembered in `servers.json` beside the cache folder: the project's file was read as
    ours and rewritten, our key added and its formatting lost."""
    mine = '{"prod": {"host": "db.example", "port": 5432}}\n'
    (tmp_path / "servers.json").write_text(mine)
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        srv.reject_json_schema = True
        for _ in range(2):
            res = run_cli("generate", CASE, "--cache", "off", "--cache-dir", tmp_path / "recordings", "--base-url", srv.base_url)
            assert res.code == OK, res.err
    assert (tmp_path / "servers.json").read_text() == mine


def test_sound_twin_the_accepted_format_is_still_remembered_beside_the_cache_dir(run_cli, tmp_path: Path) -> None:
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        srv.reject_json_schema = True
        assert run_cli("generate", CASE, "--cache", "off", "--cache-dir", tmp_path / "rec", "--base-url", srv.base_url).code == OK
        assert [(r.get("response_format") or {}).get("type") for r in srv.requests] == ["json_schema", "json_object"]
        assert run_cli("generate", CASE, "--cache", "off", "--cache-dir", tmp_path / "rec", "--base-url", srv.base_url).code == OK
        assert [(r.get("response_format") or {}).get("type") for r in srv.requests[2:]] == ["json_object"]
    assert json.loads((tmp_path / "servers.json").read_text()) == {f"{srv.base_url}|gpt-4o-mini": "json_object"}
