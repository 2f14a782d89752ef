"""Rate limits as a budget: 200 cases against a stub that enforces 120 requests and 40,000
tokens per minute and answers 429 past them (bench/limit_stub.py).

The limit-implied ideal is the longer of N / RPM and the tokens sent / TPM; the target is
to finish within 1.10x of it with fewer than 5 responses of 429. Without --rpm/--tpm the
same run is shown for contrast: the server's 429s then do the throttling.
Run: python3 bench/rate_limits.py
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine

N, J, RPM, TPM, DELAY = 200, 16, 120, 40_000, 0.2


def dataset(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(N):
            fh.write(json.dumps({
                "id": f"case-{i:03d}",
                "question": f"How would AI remove the noise from my photo number {i}?",
                "recommended": [{"name": "Denoise-SwinIR-Noise15", "paper": "https://arxiv.org/abs/2108.10257"}],
            }) + "\n")


def stub() -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "limit_stub.py"), str(port), str(DELAY), str(RPM), str(TPM)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc, f"http://127.0.0.1:{port}/v1"


def run(tmp: Path, name: str, *limits: str) -> tuple[float, dict[str, float], int, int]:
    srv, base = stub()
    out = tmp / f"{name}.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
    env.update(OPENAI_BASE_URL=base, CNAPS_MAX_RETRY_WAIT="10", CNAPS_TRANSPORT_RETRIES="20", CNAPS_CASE_TIMEOUT="3600")
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cnaps_llm.cli", "generate", str(tmp / "data.jsonl"), "-j", str(J), "--cache", "off",
                           "--structured", "json_object", "--max-attempts", "1", "--jsonl", str(out), *limits],
                          env={**env, "CNAPS_MAX_OUTPUT_TOKENS": "64"}, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    srv.terminate()
    served = dict(kv.split("=") for kv in srv.communicate(timeout=10)[0].split())
    done = len({json.loads(line)["case_id"] for line in out.read_text().splitlines()}) if out.exists() else 0
    if proc.returncode not in (0, 1) and limits:
        print(proc.stderr[-1500:])
    return elapsed, {k: float(v) for k, v in served.items()}, done, proc.returncode


def main() -> int:
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        dataset(tmp / "data.jsonl")
        elapsed, served, done, code = run(tmp, "limited", "--rpm", str(RPM), "--tpm", str(TPM))
        ideal = max(N / RPM * 60, served["tokens"] / TPM * 60)
        ratio = elapsed / ideal
        ok = ratio <= 1.10 and served["limited"] < 5 and done == N
        print(f"--rpm {RPM} --tpm {TPM}, {N} cases at -j {J}: {elapsed:.1f} s for the whole command = {ratio:.3f}x the "
              f"limit-implied ideal {ideal:.1f} s ({served['tokens']:.0f} tokens sent); {served['limited']:.0f} responses of 429; "
              f"{done} cases done; exit {code}  (target <= 1.10x, < 5 429s)")
        elapsed, served, done, code = run(tmp, "unlimited")
        failed = sum(json.loads(line)["status"] == "failed" for line in (tmp / "unlimited.jsonl").read_text().splitlines())
        print(f"no --rpm/--tpm, same server: {elapsed:.1f} s, {served['limited']:.0f} responses of 429, "
              f"{served['requests']:.0f} requests for {done} cases, {failed} of them failed still rate-limited; exit {code}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
