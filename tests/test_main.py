"""``python3 -m cnaps_llm`` runs the same command line as the ``cnaps-llm`` script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_python_dash_m_runs_the_command_line() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "cnaps_llm", "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "eval" in done.stdout and "check" in done.stdout
    wrong = subprocess.run([sys.executable, "-m", "cnaps_llm", "no-such-command"], capture_output=True, text=True, env=env, timeout=120)
    assert wrong.returncode == 2


def test_a_bug_is_one_line_and_exit_70_and_the_traceback_only_on_request(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import cnaps_llm.checking

    def broken(*args: object, **kw: object) -> None:
        raise RuntimeError("a bug with sk-secret-0123456789abcdef in it")

    monkeypatch.setattr(cnaps_llm.checking, "check_answer", broken)
    seed = ROOT / "fixtures" / "prompts" / "003_1ea1203c459ef3cc.txt"
    answer = ROOT / "fixtures" / "answers" / "003_grounded.md"
    res = run_cli("check", seed, answer)
    assert res.code == 70 and res.out == ""
    assert res.err.startswith("cnaps-llm: internal error (RuntimeError: a bug with ") and len(res.err.splitlines()) == 1
    assert res.err.rstrip().endswith("rerun with CNAPS_DEBUG=1 and report it")
    monkeypatch.setenv("CNAPS_DEBUG", "1")
    with pytest.raises(RuntimeError, match="a bug"):
        run_cli("check", seed, answer)
