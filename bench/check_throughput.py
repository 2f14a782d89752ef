"""Check throughput: answers of about 3 KB per second, one process.

The answers are all distinct: the project's own answers (fixtures/answers) and, when
../shared is beside the repo, the answers real LLMs wrote (shared/real-answers: 146 today), each
cut to ~3 KB and varied by rotating its lines, so that no check repeats an earlier one
verbatim. Three regimes:

- warm (default): the memo tables of pure functions (which phrase is which task, which
  chunk is which name, which link has which canonical key) and each case's index are
  built in a first pass, as they are in any long run over a dataset;
- ``--cold``: the memo tables are emptied before every check; the case's index is kept
  (it is built once per case and reused by every attempt's check);
- ``--cold --new-case``: the case's index is emptied too, so every check also indexes
  its prompt, as a bulk check of answers to prompts all different from each other does.

``--cli`` times the command instead: ``cnaps-llm check PAIRS.jsonl --json`` on ten
copies of the answers with their prompts, start-up, parsing and JSON output included.

``--parts`` times each rule of the table alone on the same answers, reading the text
as a check gives it to that rule (best of 7 passes), to show where a check's time goes.

``--kinds url,model`` checks only those kinds (as ``check --kinds``).

``--instructions`` counts the instructions a warm check executes per answer instead of
timing it (valgrind's cachegrind: a run with the first pass only, subtracted from a run
with two more passes), a figure that load on a shared machine does not move.

Run: python3 bench/check_throughput.py [--seconds 5] [--cold [--new-case]] [--cli] [--parts] [--kinds K,...] [--instructions]
Target (issues #3, #7, #14 and #22): at least 2,000 answers per second, warm.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, instructions, machine

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


def cli(pairs: list[tuple[str, object]], copies: int = 10) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pairs.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for k in range(copies):
                for i, (answer, case) in enumerate(pairs):
                    prompt = case.model_dump(exclude={"expect"})  # type: ignore[attr-defined]
                    fh.write(json.dumps({"id": f"{k}-{i}", "prompt": prompt, "answer": answer}) + "\n")
        best, checked = None, 0
        for _ in range(3):
            t = time.perf_counter()
            run = subprocess.run([sys.executable, "-m", "cnaps_llm.cli", "check", str(path), "--json"], capture_output=True, check=False)
            elapsed = time.perf_counter() - t
            checked = len(json.loads(run.stdout))
            assert run.returncode in (0, 1) and checked == copies * len(pairs), run.stderr[-500:]
            best = elapsed if best is None else min(best, elapsed)
        size = path.stat().st_size
    print(f"machine: {machine()}")
    print(f"cnaps-llm check on a JSONL of {checked} {{prompt, answer}} pairs ({size / 1e6:.1f} MB): best of 3 {best:.2f} s")
    print(f"throughput, command end to end: {checked / best:.0f} pairs/s")


def parts(pairs: list[tuple[str, object]]) -> None:
    from cnaps_llm.grounding import RULES, View, grounding_for

    for answer, case in pairs:
        check(answer, case)
    # the text each rule reads in a check: blanked by the masking rules before it
    texts = []
    for answer, _ in pairs:
        view, seen = View(answer), []
        for rule in RULES:
            seen.append(view.text)
            if rule.masks is not None:
                view = view.blanked(rule.masks(view))
        texts.append(seen)

    def rule_alone(k: int):
        rule = RULES[k]
        # a fresh view: a rule that reads the answer's links pays for finding them
        return lambda i, a, c: list(rule.find(View(a, texts[i][k]), grounding_for(c)))

    runs = {"whole check": lambda i, a, c: check(a, c)}
    for k, rule in enumerate(RULES):
        runs[f"{rule.kind} ({rule.find.__module__.rsplit('.', 1)[-1]})"] = rule_alone(k)
    runs["case index look-up"] = lambda i, a, c: grounding_for(c)
    print(f"machine: {machine()}")
    for label, run in runs.items():
        best = float("inf")
        for _ in range(7):
            t = time.perf_counter()
            for i, (answer, case) in enumerate(pairs):
                run(i, answer, case)
            best = min(best, time.perf_counter() - t)
        print(f"{label:>28}: {best / len(pairs) * 1e3:.3f} ms per answer")


def count_instructions(kinds: str | None) -> None:
    if not shutil.which("valgrind"):
        sys.exit("--instructions needs valgrind (apt-get install valgrind)")
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same set and dict orders in both runs
    cmd = [sys.executable, __file__, *(["--kinds", kinds] if kinds else []), "--passes"]
    base, full = instructions([*cmd, "0"], env), instructions([*cmd, "2"], env)
    print(f"machine: {machine()}")
    print(f"{len(answers())} answers, warm{', kinds ' + kinds if kinds else ''}: "
          f"{(full - base) / (2 * len(answers())) / 1e6:.2f} M instructions per answer")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--cold", action="store_true", help="empty the memo tables before every check")
    ap.add_argument("--new-case", action="store_true", help="with --cold: empty the case indexes too")
    ap.add_argument("--cli", action="store_true", help="time `cnaps-llm check PAIRS.jsonl --json` end to end")
    ap.add_argument("--parts", action="store_true", help="time each rule alone")
    ap.add_argument("--kinds", metavar="KIND,...", help="check only these kinds (as `check --kinds`); default all")
    ap.add_argument("--instructions", action="store_true", help="count instructions per answer with valgrind instead of timing")
    ap.add_argument("--passes", type=int, help=argparse.SUPPRESS)  # the counted run of --instructions
    args = ap.parse_args()
    kinds = tuple(k.strip() for k in args.kinds.split(",")) if args.kinds else None
    if args.instructions:
        return count_instructions(args.kinds)
    pairs = answers()
    if args.passes is not None:
        for _ in range(1 + args.passes):  # the first pass warms, as below
            for answer, case in pairs:
                check(answer, case, kinds=kinds)
        return None
    if args.cli:
        return cli(pairs)
    if args.parts:
        return parts(pairs)
    for answer, case in pairs:  # first pass: builds each case's index and warms the vocabulary caches
        check(answer, case, kinds=kinds)
    sizes = sorted(len(a.encode()) for a, _ in pairs)
    # timed pass by pass (243 checks, about 0.1 s each) and reported by the median pass,
    # so that a neighbour's burst on a shared machine moves the slowest passes, not the figure
    rates: list[float] = []
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        t = time.perf_counter()
        for answer, case in pairs:
            if args.cold:
                clear_caches(indexes=args.new_case)
            check(answer, case, kinds=kinds)
        rates.append(len(pairs) / (time.perf_counter() - t))
    rates.sort()
    print(f"machine: {machine()}")
    print(f"{len(pairs)} distinct answers of {sizes[0]}-{sizes[-1]} bytes (median {sizes[len(sizes) // 2]}); "
          f"{len(rates)} passes over them in {time.perf_counter() - start:.2f} s")
    label = "warm" + (f", kinds {args.kinds}" if kinds else "")
    if args.cold:
        label = "cold: memo tables" + (" and the case's index" if args.new_case else "") + " emptied before every check"
    print(f"passes: slowest {rates[0]:.0f}, fastest {rates[-1]:.0f} answers/s")
    print(f"throughput, {label}: {statistics.median(rates):.0f} answers/s, median pass (target >= 2000)")


if __name__ == "__main__":
    main()
