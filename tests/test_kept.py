"""The tables ``grounding.kept`` keeps between runs: each equals what its builder makes now,
and a stale, damaged or foreign file, or ``CNAPS_REGEX_CACHE=off``, changes nothing but
the time taken."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnaps_llm.grounding import chunks, cues, kept, tasks, triggers, vocab

from .conftest import ROOT, SEEDS

ANSWER = ROOT / "fixtures" / "answers" / "003_grounded.md"
BUILDERS = {
    "vocab.names": vocab._name_tables, "cues.by_head": cues._build_cues_by_head, "tasks.scan": tasks._scan_tables,
    "cues.claims": cues._claim_sources, "chunks.scan": chunks._scan_source,
    "triggers.readers": triggers._reader_recipes,
}


def _run_check(cache: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CNAPS_REGEX_CACHE": cache}
    return subprocess.run(
        [sys.executable, "-m", "cnaps_llm", "check", str(SEEDS["003"]), str(ANSWER), "--json"],
        capture_output=True, text=True, env=env, check=False,
    )


def _tables(folder: Path) -> tuple:
    (path,) = folder.glob("tables-*.marshal")
    return marshal.loads(path.read_bytes())  # type: ignore[no-any-return]


def test_a_check_keeps_each_table_as_its_builder_makes_it(tmp_path: Path) -> None:
    done = _run_check(str(tmp_path))
    assert done.returncode == 0, done.stderr
    stamp, tables = _tables(tmp_path)
    assert stamp == kept.stamp()
    assert set(tables) == set(BUILDERS)
    for name, build in BUILDERS.items():
        assert tables[name] == build(), name


def test_the_second_run_reads_them_and_writes_nothing(tmp_path: Path) -> None:
    first = _run_check(str(tmp_path))
    (path,) = tmp_path.glob("tables-*.marshal")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    second = _run_check(str(tmp_path))
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert _run_check("off").stdout == first.stdout


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xffnot marshal",
        # another release (or an edited word list): same names, other stamp, wrong values
        marshal.dumps((("3.0", (("models.txt", 1, 1),)), {"vocab.names": ((), (), (), 1, (), ()), "cues.by_head": {}, "tasks.scan": ("x", ())})),
    ],
)
def test_a_stale_damaged_or_foreign_file_is_rebuilt(tmp_path: Path, content: bytes) -> None:
    good = _run_check(str(tmp_path / "good"))
    (name,) = (p.name for p in (tmp_path / "good").glob("tables-*.marshal"))
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / name).write_bytes(content)
    done = _run_check(str(bad))
    assert (done.returncode, done.stdout) == (good.returncode, good.stdout)
    assert _tables(bad) == _tables(tmp_path / "good")


def test_an_edited_word_list_changes_the_stamp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "cnaps_llm" / "data"
    here = tmp_path / "cnaps_llm" / "grounding"
    (here / "rules").mkdir(parents=True)
    data.mkdir()
    (data / "models.txt").write_text("SwinIR\n", encoding="utf-8")
    monkeypatch.setattr(kept, "__file__", str(here / "kept.py"))
    before = kept.stamp()
    (data / "models.txt").write_text("SwinIR\nRestormer\n", encoding="utf-8")
    assert kept.stamp() != before


def test_off_keeps_nothing_and_still_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_REGEX_CACHE", "off")
    monkeypatch.setattr(kept, "_tables", None)
    monkeypatch.setattr(kept, "_file", None)
    assert kept.kept("toy", lambda: ("a", frozenset({1}))) == ("a", frozenset({1}))
    assert kept._file is None and kept._tables == {}


def test_word_lists_read_from_the_folder_or_through_importlib_resources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from importlib.resources import files

    want = files("cnaps_llm").joinpath("data", "models.txt").read_text(encoding="utf-8")
    assert vocab.data_text("models.txt") == want
    monkeypatch.setattr(vocab, "_DATA", str(tmp_path / "absent"))  # as from a zipped package
    assert vocab.data_text("models.txt") == want


def test_a_word_list_of_another_version_with_the_same_size_and_time_changes_the_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # installs that fix every file's time (Nix: 1 s after the epoch; tar, cp -p, rsync -a,
    # Docker COPY keep the packager's) give two releases the same times; a word-list fix
    # of the same length ("SwinIR" -> "MIRNet") must still not reuse the old tables
    data = tmp_path / "cnaps_llm" / "data"
    here = tmp_path / "cnaps_llm" / "grounding"
    (here / "rules").mkdir(parents=True)
    data.mkdir()
    models = data / "models.txt"
    models.write_text("SwinIR\n", encoding="utf-8")
    os.utime(models, ns=(1_000_000_000, 1_000_000_000))
    monkeypatch.setattr(kept, "__file__", str(here / "kept.py"))
    before = kept.stamp()
    models.write_text("MIRNet\n", encoding="utf-8")
    os.utime(models, ns=(1_000_000_000, 1_000_000_000))
    assert kept.stamp() != before
