"""Helpers shared by the benchmark scripts (not part of the package)."""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.stubserver


def machine() -> str:
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.machine()
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def wall(cmd: list[str], runs: int = 5, **kw) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, **kw)
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def instructions(cmd: list[str], env: dict[str, str] | None = None) -> int:
    """User-space instructions ``cmd`` executes, counted by cachegrind."""
    res = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *cmd],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, check=False)
    for line in res.stderr.splitlines():
        if "I   refs:" in line or "I refs:" in line:
            return int(line.split(":")[1].replace(",", ""))
    sys.exit(f"valgrind gave no count for {' '.join(cmd)}: {res.stderr[-500:]}")
