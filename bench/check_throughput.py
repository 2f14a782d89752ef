"""Check throughput: answers of about 3 KB per second, one process.

Run: python3 bench/check_throughput.py [--seconds 5]
Target (issue #3/#7): at least 2,000 answers per second.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import _common  # noqa: F401  (puts the repo on sys.path)
from cnaps_llm.grounding import check, grounding_for
from cnaps_llm.inputs import load_case, read_text

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    pairs = []
    for n in ("000", "001", "003", "004"):
        case = load_case(next((ROOT / "fixtures" / "prompts").glob(f"{n}_*.txt")))
        answer = read_text(ROOT / "fixtures" / "answers" / f"{n}_grounded.md")
        # pad or cut to about 3 KB with the answer's own text, so the work is realistic
        answer = (answer * (3072 // len(answer) + 1))[:3072]
        pairs.append((answer, case))
    for answer, case in pairs:  # warm the per-case index, as a pipeline re-checking drafts does
        check(answer, case, grounding_for(case))
    sizes = sorted(len(a.encode()) for a, _ in pairs)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for answer, case in pairs:
            check(answer, case)
            n += 1
    elapsed = time.perf_counter() - start
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")
    print(f"answer size: {sizes[0]}-{sizes[-1]} bytes; {n} checks in {elapsed:.2f} s")
    print(f"throughput: {n / elapsed:.0f} answers/s (target >= 2000)")


if __name__ == "__main__":
    main()
