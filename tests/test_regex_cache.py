"""The kept programs of ``grounding.patterns.compile``: a Pattern built from one matches
exactly what ``re.compile`` makes, and a missing, damaged or foreign file, or
``CNAPS_REGEX_CACHE=off``, changes nothing but the time taken."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cnaps_llm.grounding import patterns

from .conftest import ROOT, SEEDS

ANSWER = ROOT / "fixtures" / "answers" / "003_grounded.md"
TEXTS = [
    "",
    "Use Real-ESRGAN (https://github.com/xinntao/Real-ESRGAN) at 4x; it reached 32.5 dB PSNR on DIV2K.",
    "Five hundred thousand images were used, on four V100s, ten times faster than SwinIR.",
    "- **Model**: `stabilityai/stable-diffusion-2` — see [the paper](https://arxiv.org/abs/2112.10752).",
    ANSWER.read_text(encoding="utf-8"),
]


def _run_check(cache: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CNAPS_REGEX_CACHE": cache}
    return subprocess.run(
        [sys.executable, "-m", "cnaps_llm", "check", str(SEEDS["003"]), str(ANSWER)],
        capture_output=True, text=True, env=env, check=False,
    )


def _fresh(pattern: str | bytes, flags: int) -> tuple:
    """What re._compiler.compile hands to _sre.compile, computed here by re itself."""
    from re import _compiler, _parser

    p = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(p, flags)]
    indexgroup = [None] * p.state.groups
    for name, i in p.state.groupdict.items():
        indexgroup[i] = name
    return (flags | p.state.flags, code, p.state.groups - 1, dict(p.state.groupdict), tuple(indexgroup))


def _same(a: re.Pattern, b: re.Pattern) -> None:
    assert (a.pattern, a.flags, a.groups, dict(a.groupindex)) == (b.pattern, b.flags, b.groups, dict(b.groupindex))
    assert a == b  # CPython compares the compiled code too
    sample = TEXTS if isinstance(a.pattern, str) else [t.encode() for t in TEXTS]
    for text in sample:
        assert [(m.span(), m.groups()) for m in a.finditer(text)] == [(m.span(), m.groups()) for m in b.finditer(text)]


def _kept(folder: Path) -> dict:
    (path,) = folder.glob("regex-*.marshal")
    version, programs = marshal.loads(path.read_bytes())
    assert version == patterns._version()
    assert all(type(entry) is bytes for entry in programs.values())  # each decoded only when used
    return {key: marshal.loads(entry) for key, entry in programs.items()}


def test_check_keeps_every_program_as_re_compiles_it(tmp_path: Path) -> None:
    done = _run_check(str(tmp_path))
    assert done.returncode == 0, done.stderr
    programs = _kept(tmp_path)
    assert len(programs) > 200  # the grounding package's patterns, all routed through compile()
    for (pattern, flags), entry in programs.items():
        assert entry == _fresh(pattern, flags), pattern[:80]
        import _sre

        _same(_sre.compile(pattern, *entry), re.compile(pattern, flags))


def test_second_process_reads_the_file_and_adds_nothing(tmp_path: Path) -> None:
    first = _run_check(str(tmp_path))
    (path,) = tmp_path.glob("regex-*.marshal")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    second = _run_check(str(tmp_path))
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    # patterns are the same strings in every run: all found, so the file is not rewritten
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    off = _run_check("off")
    assert (off.returncode, off.stdout) == (first.returncode, first.stdout)


@pytest.mark.parametrize("content", [b"", b"not marshal \x00\xff", marshal.dumps(("Python 0.1|0|4", {("a", 0): (0, [1], 0, {}, ())}))])
def test_damaged_or_foreign_file_is_ignored_and_rewritten(tmp_path: Path, content: bytes) -> None:
    good = tmp_path / "good"
    assert _run_check(str(good)).returncode == 0
    (name,) = (p.name for p in good.glob("regex-*.marshal"))
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / name).write_bytes(content)
    done = _run_check(str(bad))
    assert done.returncode == 0, done.stderr
    assert done.stdout == _run_check("off").stdout
    assert _kept(bad) == _kept(good)


def test_off_writes_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CNAPS_REGEX_CACHE": "off", "XDG_CACHE_HOME": str(tmp_path), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "cnaps_llm", "check", str(SEEDS["003"]), str(ANSWER)],
        capture_output=True, text=True, env=env, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.rglob("regex-*")) == []


def test_default_folder_is_the_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CNAPS_REGEX_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert Path(patterns.cache_file()).parent == tmp_path / "cnaps-llm"
    from platformdirs import user_cache_dir

    assert Path(patterns.cache_file()).parent == Path(user_cache_dir("cnaps-llm", appauthor=False))
    monkeypatch.setenv("CNAPS_REGEX_CACHE", "OFF")
    assert patterns.cache_file() is None


def test_damaged_entry_falls_back_to_re(monkeypatch: pytest.MonkeyPatch) -> None:
    key = (r"(?P<a>x)y+", re.I)
    monkeypatch.setattr(patterns, "_programs", {(key[0], int(key[1])): (0, [999999], 0, {}, ())})
    _same(patterns.compile(*key), re.compile(*key))
    with pytest.raises(re.error, match="missing \\)"):
        patterns.compile("(unclosed")


@pytest.mark.parametrize(("pattern", "flags"), [(r"(?P<a>\w+)-(\d+)?", 0), (r"(?i)caf[eé]\b", re.M), (rb"\x00+(?P<n>[a-z])", re.S)])
def test_built_from_a_program_matches_as_re(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pattern: str | bytes, flags: int) -> None:
    # a run that keeps programs (in tmp_path): a miss builds from a fresh program, a hit from the kept one
    monkeypatch.setattr(patterns, "_programs", {})
    monkeypatch.setattr(patterns, "_file", str(tmp_path / "regex.marshal"))
    monkeypatch.setattr(patterns, "_added", True)  # no exit hook from a test
    monkeypatch.setattr(patterns, "_used", set())
    missed = patterns.compile(pattern, flags)
    assert patterns._programs[(pattern, flags)] == _fresh(pattern, flags)
    hit = patterns.compile(pattern, flags)
    _same(missed, re.compile(pattern, flags))
    _same(hit, re.compile(pattern, flags))
    patterns._save()
    version, programs = marshal.loads((tmp_path / "regex.marshal").read_bytes())
    assert (version, programs.keys()) == (patterns._version(), {(pattern, flags)})
    assert marshal.loads(programs[(pattern, flags)]) == _fresh(pattern, flags)
    # the next run reads it marshalled and decodes it when compiled
    monkeypatch.setattr(patterns, "_programs", dict(programs))
    kept = patterns.compile(pattern, flags)
    assert patterns._programs == {(pattern, flags): _fresh(pattern, flags)}
    _same(kept, re.compile(pattern, flags))


def _rewrite(folder: Path, programs: dict) -> None:
    (path,) = folder.glob("regex-*.marshal")
    path.write_bytes(marshal.dumps((patterns._version(), {k: marshal.dumps(v) for k, v in programs.items()})))


def test_programs_no_run_uses_are_dropped_once_they_outweigh_a_run(tmp_path: Path) -> None:
    """A release that changes a word list leaves its big scans' old programs behind: read at
    every start, they would slow it for good. Past twice the code a run uses, the next run
    that adds a program keeps only what it used; a few small stale ones are kept."""
    assert _run_check(str(tmp_path)).returncode == 0
    used = _kept(tmp_path)
    code = sum(len(e[1]) for e in used.values())
    dropped = next(iter(used))  # a program the next run must compile again, so it writes the file
    small = {("(?:stale small)", 0): _fresh("(?:stale small)", 0)}
    big = {("(?:stale big)", 0): (0, [1] * (2 * code), 0, {}, ())}
    _rewrite(tmp_path, {k: v for k, v in used.items() if k != dropped} | small)
    assert _run_check(str(tmp_path)).returncode == 0
    assert _kept(tmp_path) == used | small
    _rewrite(tmp_path, {k: v for k, v in used.items() if k != dropped} | small | big)
    assert _run_check(str(tmp_path)).returncode == 0
    assert _kept(tmp_path) == used
