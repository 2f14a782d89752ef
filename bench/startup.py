"""Start-up: `cnaps-llm --help` and `cnaps-llm check <seed> <answer>`, median wall time of 5 runs.

Run: python3 bench/startup.py      Target (issue #7): at most 0.25 s each.

With PYTHONDONTWRITEBYTECODE set (as on our build machines), no .pyc is cached for the
editable install and every module of cnaps_llm is compiled from source at each start,
about 15 ms more than an ordinary install; the script says which it measured.
"""

from __future__ import annotations

import os
import shutil
import sys

from _common import ROOT, machine, wall


def main() -> int:
    exe = shutil.which("cnaps-llm") or sys.exit("install first: python3 -m pip install -e .")
    seed = str(ROOT / "fixtures" / "prompts" / "003_1ea1203c459ef3cc.txt")
    answer = str(ROOT / "fixtures" / "answers" / "003_grounded.md")
    print(f"machine: {machine()}")
    cached = "off (PYTHONDONTWRITEBYTECODE is set)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
    print(f"bytecode cache: {cached}")
    worst = 0.0
    for label, cmd in (("cnaps-llm --help", [exe, "--help"]), ("cnaps-llm check <seed 003> <answer>", [exe, "check", seed, answer])):
        wall(cmd, runs=1)  # warm the file cache
        median, runs = wall(cmd, runs=5)
        worst = max(worst, median)
        print(f"{label}: median {median:.3f} s of {', '.join(f'{t:.3f}' for t in runs)} (target <= 0.25 s)")
    return 0 if worst <= 0.25 else 1


if __name__ == "__main__":
    sys.exit(main())
