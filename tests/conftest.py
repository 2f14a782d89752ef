"""Shared fixtures. Every test runs with a clean environment and an empty working
directory, so a developer's OPENAI_API_KEY or .env never leaks into a result."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# The suite's verdict is the same on every run (CI gates on it): each property test draws its
# examples from a seed of its own name, not at random. `HYPOTHESIS_PROFILE=explore pytest -k fuzz`
# searches afresh; a failing example it finds becomes an explicit test.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# the validator's compiled regexes are kept in the user cache: never from the suite (its
# patterns are built when the package is first imported, before any fixture runs). Off,
# and the user cache moved for the session: several tests start subprocesses with every
# CNAPS_ variable removed
os.environ["CNAPS_REGEX_CACHE"] = "off"
_USER_CACHE = tempfile.mkdtemp(prefix="cnaps-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _USER_CACHE
atexit.register(shutil.rmtree, _USER_CACHE, True)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PROMPTS = FIXTURES / "prompts"
SHARED = ROOT.parent / "shared"
SEEDS = {n: next(PROMPTS.glob(f"{n}_*.txt")) for n in ("000", "001", "003", "004")}


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith(("OPENAI_", "CNAPS_")):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)
    # recordings go to the test's own folder; tests of the bundled ones pass --cache-dir
    monkeypatch.setenv("CNAPS_CACHE_DIR", str(tmp_path / "cassettes"))
    # subprocesses too: the suite never writes the user's compiled-regex cache
    monkeypatch.setenv("CNAPS_REGEX_CACHE", "off")


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``cnaps-llm ARGS`` in-process through the real entry point."""
    from cnaps_llm.cli import main

    def run(*args: str, stdin: str | None = None) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["cnaps-llm", *map(str, args)])
        if stdin is not None:
            import io

            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
