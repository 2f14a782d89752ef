"""Check throughput: answers of about 3 KB per second, one process.

The answers are all distinct: the project's own answers (fixtures/answers) and, when
../shared is beside the repo, the 30 answers real LLMs wrote (shared/real-answers), each
cut to ~3 KB and varied by rotating its lines, so that no check repeats an earlier one
verbatim. Memo tables of pure functions (which phrase is which task, which chunk is
which name, which link has which canonical key) and each case's index are warm after
the first pass, as they are in any long run; ``--cold`` empties them before every
check, the worst case of a process that checks each answer once, for a new case.

Run: python3 bench/check_throughput.py [--seconds 5] [--cold]
Target (issues #3 and #7): at least 2,000 answers per second.
"""

from __future__ import annotations

import argparse
import json
import time

from _common import ROOT, machine

from cnaps_llm.grounding import check, clear_caches
from cnaps_llm.inputs import case_from_object, load_case, normalise, read_text

SIZE = 3072


def answers() -> list[tuple[str, object]]:
    pool = []
    prompts = ROOT / "fixtures" / "prompts"
    for n in ("000", "001", "003", "004"):
        case = load_case(next(prompts.glob(f"{n}_*.txt")))
        pool.append((read_text(ROOT / "fixtures" / "answers" / f"{n}_grounded.md"), case))
    pool.append((read_text(ROOT / "fixtures" / "answers" / "002_naive_answer_for_000.txt"), pool[0][1]))
    real = ROOT.parent / "shared" / "real-answers"
    for path in sorted(real.glob("*.json")) if real.is_dir() else []:
        data = json.loads(path.read_text(encoding="utf-8"))
        case = case_from_object(data, default_id=path.stem)
        pool += [(normalise(text), case) for text in data["responses"].values()]
    out = []
    for text, case in pool:
        lines = text.split("\n")
        for k in range(0, len(lines), max(1, len(lines) // 6)):  # up to ~6 rotations each
            rotated = "\n".join(lines[k:] + lines[:k])
            body = (rotated * (SIZE // max(1, len(rotated)) + 1))[:SIZE]
            out.append((body[: body.rfind("\n")] if "\n" in body else body, case))
    return list({a: (a, c) for a, c in out}.values())  # distinct texts only


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--cold", action="store_true", help="empty the memo tables and case indexes before every check")
    args = ap.parse_args()
    pairs = answers()
    for answer, case in pairs:  # first pass: builds each case's index and warms the vocabulary caches
        check(answer, case)
    sizes = sorted(len(a.encode()) for a, _ in pairs)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for answer, case in pairs:
            if args.cold:
                clear_caches()
            check(answer, case)
            n += 1
    elapsed = time.perf_counter() - start
    print(f"machine: {machine()}")
    print(f"{len(pairs)} distinct answers of {sizes[0]}-{sizes[-1]} bytes (median {sizes[len(sizes) // 2]}); {n} checks in {elapsed:.2f} s")
    label = "cold (memo tables and case index emptied before every check)" if args.cold else "warm"
    print(f"throughput, {label}: {n / elapsed:.0f} answers/s (target >= 2000)")


if __name__ == "__main__":
    main()
