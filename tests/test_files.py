"""Files we write: safe names from hostile ids, modes, symlinks, special files, appends."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnaps_llm.batch import Appender, ResultsFile
from cnaps_llm.errors import InputError
from cnaps_llm.fsutil import append_text, atomic_write, inside, safe_name
from cnaps_llm.models import Result, Usage

from .conftest import SEEDS

HOSTILE = ["../../../x/pwned", "/abs/path", "..", ".", "", "a/b", "a\\b", "con", "NUL.txt", "x\0y", "\x1b[31m", "é" * 300, ".hidden"]


def result(case_id: str, status: str = "grounded", **kw) -> Result:
    return Result(case_id=case_id, status=status, model="m", answer="ok" if status != "failed" else None, attempts=[],
                  usage=Usage(), latency_s=0.0, cost_usd=None, template_hash="t", **kw)


@pytest.mark.parametrize("cid", HOSTILE)
def test_hostile_ids_map_to_a_plain_name_inside_the_folder(tmp_path: Path, cid: str) -> None:
    name = safe_name(cid)
    assert name and "/" not in name and "\\" not in name and "\0" not in name and not name.startswith(".")
    assert len(name) <= 120 and all(c.isprintable() for c in name)
    path = inside(tmp_path, name + ".md")
    atomic_write(path, "x")
    assert path.resolve().parent == tmp_path.resolve()


def test_plain_ids_stay_readable_and_hashed_ones_say_so() -> None:
    assert safe_name("003_1ea1203c459ef3cc") == "003_1ea1203c459ef3cc"
    assert safe_name("a/b").startswith("a_b~") and safe_name("a_b") == "a_b"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=150), min_size=2, max_size=6, unique=True))
def test_distinct_ids_never_share_a_file_and_never_leave_the_folder(ids: list[str]) -> None:
    names = [safe_name(i) for i in ids]
    assert len(set(names)) == len(ids)
    for n in names:
        assert n not in ("", ".", "..") and "/" not in n and "\0" not in n and "\\" not in n and len(n) <= 120


def test_created_files_follow_the_umask_and_replacing_keeps_the_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        p = tmp_path / "a.md"
        atomic_write(p, "one")
        assert stat.S_IMODE(p.stat().st_mode) == 0o644
        p.chmod(0o600)
        atomic_write(p, "two")
        assert stat.S_IMODE(p.stat().st_mode) == 0o600 and p.read_text() == "two"
    finally:
        os.umask(old)


def test_a_symlink_is_written_through_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    atomic_write(link, "new")
    assert link.is_symlink() and target.read_text() == "new"
    append_text(link, "more")
    assert link.is_symlink() and target.read_text() == "new\nmore"


def test_a_special_file_is_written_to_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        atomic_write(fifo, "through the pipe")
        assert os.read(fd, 100) == b"through the pipe"
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    finally:
        os.close(fd)


def test_append_ends_an_unterminated_line_first(tmp_path: Path) -> None:
    p = tmp_path / "summary.md"
    p.write_text("earlier step, no newline")
    append_text(p, "## cnaps-llm eval\n")
    assert p.read_text() == "earlier step, no newline\n## cnaps-llm eval\n"


# --------------------------------------------------------------------------- results JSONL


def test_results_file_refuses_foreign_lines_and_leaves_them_untouched(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    foreign = '{"id": "not ours"}\nplain text\n'
    p.write_text(foreign)
    with pytest.raises(InputError, match="not a cnaps-llm results file"):
        ResultsFile(p)
    assert p.read_text() == foreign


def test_results_file_refuses_to_be_an_input(tmp_path: Path) -> None:
    p = tmp_path / "in.jsonl"
    p.write_text('{"id": "x", "prompt": "…"}\n')
    with pytest.raises(InputError, match="is also an input"):
        ResultsFile(p, inputs=[tmp_path / "." / "in.jsonl"])
    assert p.read_text() == '{"id": "x", "prompt": "…"}\n'


def test_torn_tail_is_moved_aside_and_appends_never_glue(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    app = Appender(p)
    app(result("a"))
    app(result("b", status="failed", error="boom", error_kind="server"))
    app.close()
    good = p.read_bytes()
    p.write_bytes(good + b'{"case_id":"c","sta')  # killed mid-write
    rf = ResultsFile(p)
    assert rf.done() == {"a"}  # b failed on a server error: --resume runs it again
    aside = rf.move_torn_aside()
    assert p.read_bytes() == good and aside is not None and aside.read_bytes() == b'{"case_id":"c","sta\n'
    # without --resume: the unterminated fragment is ended, the next record is a line of its own
    p.write_bytes(good + b'{"case_id":"d","sta')
    app = Appender(p)
    app(result("e"))
    app.close()
    lines = p.read_bytes().split(b"\n")
    assert lines[-3] == b'{"case_id":"d","sta' and lines[-2].startswith(b'{"case_id":"e"') and lines[-1] == b""
    assert ResultsFile(p).done() == {"a", "e"}  # the kept fragment is not lost, and not a record


def test_a_named_pipe_with_no_writer_is_reported_not_waited_for(tmp_path: Path, run_cli) -> None:
    fifo = tmp_path / "prompt.txt"
    os.mkfifo(fifo)
    res = run_cli("parse", str(fifo))  # would block in open() for ever
    assert res.code == 2 and "prompt.txt" in res.err and len(res.err.strip().splitlines()) == 1


def test_a_named_pipe_that_is_written_to_is_read(tmp_path: Path) -> None:
    from cnaps_llm.inputs import load_case

    fifo = tmp_path / "prompt.txt"
    os.mkfifo(fifo)
    text = SEEDS["003"].read_bytes()
    assert len(text) < 65536  # fits the pipe's buffer: written whole before it is read
    keep = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so the writer can open
    try:
        writer = os.open(fifo, os.O_WRONLY)
        os.write(writer, text)
        os.close(writer)
        case = load_case(fifo)
    finally:
        os.close(keep)
    assert case.sources and case.question == load_case(SEEDS["003"]).question
