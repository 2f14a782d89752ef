"""Start-up of `cnaps-llm` on a fresh install, as a ratio to a bare `python -c pass`.

The machine is shared and often loaded, so absolute times say little: each command is
timed in pairs with a bare interpreter start (A B A B ...), and the figure is the median
of the per-pair ratios, which cancels most of the load. The bare start is the interpreter
the command runs on (the venv's ``python -c pass``), so the ratio is what cnaps-llm adds to
Python's own start. The ``python3`` on PATH is timed the same way against it, because its
start can be several times a bare one (a pyenv shim, ``.pth`` files in a busy
site-packages): a ratio to it is smaller by that factor.

By default the checkout is built into a wheel and installed, with its dependencies from
the configured index, into a new temporary venv (a non-editable install, as a user gets
it); ``--venv DIR`` keeps that venv in DIR and reuses it on the next run (only the wheel
is reinstalled); ``--editable`` times the ``cnaps-llm`` on PATH instead. Commands run in
an empty folder, so ``check`` finds no ``pyproject.toml`` to read.

Two bytecode modes, both measured:

- ``no-cache``: every ``__pycache__`` of the venv's site-packages is removed and the
  commands run with PYTHONDONTWRITEBYTECODE=1, so every module of cnaps_llm and of its
  dependencies is compiled from source at each start (an install made with
  ``pip install --no-compile``, as some container images do). The bare start is not
  affected: the standard library keeps its bytecode. With ``--editable`` this only
  stops bytecode being written.
  The compiled-regex cache is off too (``CNAPS_REGEX_CACHE=off``): nothing is kept
  from an earlier run, as on the very first run after an install.
- ``cached``: after one warm-up run has written the bytecode (as ``pip install`` leaves
  it) and the compiled-regex cache (in a fresh user cache folder of the benchmark's own).

``--instructions`` counts instructions instead (valgrind's cachegrind, user space): one
run each, the same on an idle or a loaded machine, so two versions of the code can be
compared exactly; the ratio to a bare start is close to the CPU-time ratio.

Run: python3 bench/startup.py [--pairs 15] [--venv DIR | --editable] [--instructions]
Target (issue: start fast on a fresh install): with bytecode cached, `check` at most 6x
`python3 -c pass` and `--help` at most 3x, as the issue states them (its python3 started in
0.04 s); the ratio to the venv's own bare interpreter, a stricter figure, is printed beside
it. Without a python3 on PATH (or with --instructions) the bare start is the reference.
Exit 1 when missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, instructions, machine

SEED = ROOT / "fixtures" / "prompts" / "003_1ea1203c459ef3cc.txt"
ANSWER = ROOT / "fixtures" / "answers" / "003_grounded.md"
COMMANDS: tuple[tuple[str, list[str], float | None], ...] = (
    ("--help", ["--help"], 3.0),
    ("check <seed 003> <answer>", ["check", str(SEED), str(ANSWER)], 6.0),
    ("parse <seed 003>", ["parse", str(SEED)], None),
)


def _run(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    elapsed = time.perf_counter() - t
    if res.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {res.returncode}: {res.stderr.decode()[-500:]}")
    return elapsed


def paired(cmd: list[str], bare: list[str], env: dict[str, str], pairs: int) -> tuple[float, float, float]:
    """(median ratio, median command time, median bare time) of ``pairs`` alternating runs."""
    ratios, cmd_times, bare_times = [], [], []
    for _ in range(pairs):
        b = _run(bare, env)
        c = _run(cmd, env)
        bare_times.append(b)
        cmd_times.append(c)
        ratios.append(c / b)
    return statistics.median(ratios), statistics.median(cmd_times), statistics.median(bare_times)


def _sh(*cmd: str | Path) -> None:
    res = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=False)
    if res.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{res.stdout[-2000:]}{res.stderr[-2000:]}")


def install(venv: Path) -> Path:
    """A venv in ``venv`` holding a wheel built from this checkout; returns its ``cnaps-llm``."""
    python = venv / "bin" / "python"
    fresh = not python.exists()
    if fresh:
        _sh(sys.executable, "-m", "venv", venv)
    with tempfile.TemporaryDirectory() as tmp:
        # build from a copy, so no build/ or *.egg-info is left in the checkout
        src = Path(tmp) / "src"
        shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", ".venv"))
        _sh(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp, src)
        wheel = next(Path(tmp).glob("cnaps_llm-*.whl"))
        if fresh:
            _sh(python, "-m", "pip", "install", "-q", wheel)
        else:  # the kept venv: this checkout's wheel, and whatever its pins now ask for
            _sh(python, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", wheel)
            _sh(python, "-m", "pip", "install", "-q", wheel)
    return venv / "bin" / "cnaps-llm"


def purge_bytecode(python: Path) -> None:
    out = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    for cache in Path(out).rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def _versions(python: Path) -> str:
    code = ("import importlib.metadata as m, importlib.util as u; "
            "print(', '.join(f'{n} {m.version(n)}' for n in ('typer', 'pydantic', 'rich', 'click') if u.find_spec(n)))")
    return subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False).stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, default=15, help="alternating (bare, command) pairs per command and mode")
    ap.add_argument("--instructions", action="store_true", help="count instructions with valgrind instead of timing")
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--venv", type=Path, help="keep the venv here and reuse it (only the wheel is reinstalled)")
    where.add_argument("--editable", action="store_true", help="time the cnaps-llm on PATH (the current install)")
    args = ap.parse_args()
    if args.instructions and not shutil.which("valgrind"):
        sys.exit("--instructions needs valgrind (apt-get install valgrind)")

    tmp = None
    if args.editable:
        exe = Path(shutil.which("cnaps-llm") or sys.exit("install first: python3 -m pip install -e ."))
        python = Path(sys.executable)
        print(f"install: the current one ({exe})")
    else:
        venv = args.venv or Path(tmp := tempfile.mkdtemp(prefix="cnaps-startup-")) / "venv"
        print(f"install: a wheel of this checkout in {'the kept' if (venv / 'bin').exists() else 'a new'} venv {venv} ...", flush=True)
        exe = install(venv)
        python = venv / "bin" / "python"
    print(f"machine: {machine()}; {_versions(python)}")
    bare = [str(python), "-c", "pass"]
    path_python3 = shutil.which("python3")
    cwd = tempfile.mkdtemp(prefix="cnaps-startup-cwd-")
    os.chdir(cwd)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CNAPS_"))}
    base_env["NO_COLOR"] = "1"
    failed = False
    try:
        for mode in ("no-cache", "cached"):
            env = dict(base_env)
            # the compiled-regex cache lives in the user cache: a folder of this run's own
            env["XDG_CACHE_HOME"] = str(Path(cwd) / f"cache-{mode}")
            if mode == "no-cache":
                if not args.editable:
                    purge_bytecode(python)
                env["PYTHONDONTWRITEBYTECODE"] = "1"
                env["CNAPS_REGEX_CACHE"] = "off"  # nothing kept from an earlier run at all
            else:
                for _, argv, _ in COMMANDS:  # warm-up: writes the bytecode, fills the file cache
                    _run([str(exe), *argv], env)
            print(f"\nbytecode: {mode}; load average at start {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
            if args.instructions:
                # the console script is a Python file: run it with the venv's python, as its #! line does
                base = instructions(bare, env)
                print(f"  bare start ({bare[0]} -c pass): {base / 1e6:.0f} M instructions")
            # the budget is stated against `python3 -c pass` (0.04 s on its machine): the
            # ratio to it is the ratio to the bare start divided by python3's own
            path_ratio: float | None = None
            if path_python3 and not args.instructions:
                path_ratio, t_path, t_bare = paired([path_python3, "-c", "pass"], bare, env, args.pairs)
                print(f"  python3 on PATH ({path_python3}) -c pass: {path_ratio:.2f}x the bare start ({t_path:.3f} s vs {t_bare:.3f} s)")
            for label, argv, limit in COMMANDS:
                if args.instructions:
                    count = instructions([str(python), str(exe), *argv], env)
                    ratio, detail = count / base, f"{count / 1e6:.0f} M instructions"
                else:
                    ratio, t_cmd, t_bare = paired([str(exe), *argv], bare, env, args.pairs)
                    detail = f"{t_cmd:.3f} s vs {t_bare:.3f} s, medians of {args.pairs} pairs"
                judged = ratio if path_ratio is None else ratio / path_ratio
                verdict = ""
                if limit is not None:
                    verdict = f"  (target <= {limit:g}x{'' if mode == 'cached' else ', judged on cached'})"
                    failed |= mode == "cached" and judged > limit
                versus = "" if path_ratio is None else f" = {judged:5.2f}x python3 -c pass"
                print(f"  cnaps-llm {label:<28} {ratio:5.2f}x bare{versus}  ({detail}){verdict}")
            print(f"  load average at end {os.getloadavg()[0]:.2f}")
    finally:
        os.chdir(ROOT)
        shutil.rmtree(cwd, ignore_errors=True)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
