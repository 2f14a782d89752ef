"""Batch concurrency against a local OpenAI-compatible stub that answers every request after 500 ms.

1. 200 cases at --concurrency 16: wall time of the whole `cnaps-llm generate` command
   (start-up included) against the ideal 200 / 16 x 0.5 s = 6.25 s. Target: <= 1.15x.
   The stub is bench/fast_stub.py (asyncio): Python's threaded http.server alone added
   ~20% here, which would be the harness's cost, not the tool's.
2. The same with the stub answering 429 (Retry-After: 1) to one request in ten:
   all 200 cases still finish, each exactly once in the results JSONL.
Run: python3 bench/batch_concurrency.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine


N, J, DELAY = 200, 16, 0.5


def dataset(path: Path) -> None:
    prompts = sorted(p for p in (ROOT / "fixtures" / "prompts").iterdir() if p.suffix == ".txt")
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(N):
            fh.write(json.dumps({"id": f"case-{i:03d}", "prompt": prompts[i % len(prompts)].read_text(encoding="utf-8")}) + "\n")


def stub(delay: float, throttle: int = 0):
    """Start bench/fast_stub.py on a free port; returns (process, base URL)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cmd = [sys.executable, str(ROOT / "bench" / "fast_stub.py"), str(port), str(delay)] + (["--throttle", str(throttle)] if throttle else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc, f"http://127.0.0.1:{port}/v1"


def stop(proc) -> str:
    proc.terminate()
    return proc.communicate(timeout=10)[0].strip()


def run(base_url: str, tmp: Path, name: str) -> tuple[float, float, list[str], int]:
    """Wall time of the whole command, and the wall-clock time it ended."""
    out = tmp / f"{name}.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
    env.update(OPENAI_BASE_URL=base_url, CNAPS_MAX_RETRY_WAIT="5")
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "cnaps_llm.cli", "generate", str(tmp / "data.jsonl"), "-j", str(J),
                             "--cache", "off", "--jsonl", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, err = proc.communicate()
    elapsed = time.perf_counter() - t
    ended = time.time()
    ids = [json.loads(line)["case_id"] for line in out.read_text().splitlines()] if out.exists() else []
    if proc.returncode not in (0, 1):
        print(err[-1500:])
    return elapsed, ended, ids, proc.returncode


def main() -> int:
    ideal = N / J * DELAY
    ok = True
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        dataset(tmp / "data.jsonl")
        srv, base = stub(DELAY)
        elapsed, ended, ids, code = run(base, tmp, "plain")
        served = stop(srv)
        first = float(served.split("first=")[1].split()[0])
        batch = ended - first  # first request received -> command finished: the batch without start-up
        ratio = elapsed / ideal
        ok &= ratio <= 1.15 and len(ids) == N and len(set(ids)) == N
        print(f"{N} cases, -j {J}, server answering after 500 ms: {elapsed:.2f} s wall for the whole command, start-up included "
              f"= {ratio:.3f}x the ideal {ideal:.2f} s (target <= 1.15x); from the first request to the end: {batch:.2f} s = {batch / ideal:.3f}x; "
              f"{len(set(ids))} distinct results; {served.split(' first=')[0]}; exit {code}")
        srv, base = stub(DELAY, throttle=10)
        elapsed, _, ids, code = run(base, tmp, "rate-limited")
        served = stop(srv)
        once = len(ids) == N and len(set(ids)) == N
        ok &= once
        print(f"with 429 + Retry-After: 1 on every 10th request: {elapsed:.2f} s wall, {len(ids)} results, "
              f"each case exactly once: {once}; {served.split(' first=')[0]}; exit {code}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
