"""``python3 -m cnaps_llm`` runs the same command line as the ``cnaps-llm`` script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_python_dash_m_runs_the_command_line() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "cnaps_llm", "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "eval" in done.stdout and "check" in done.stdout
    wrong = subprocess.run([sys.executable, "-m", "cnaps_llm", "no-such-command"], capture_output=True, text=True, env=env, timeout=120)
    assert wrong.returncode == 2
