"""Replay eval: 500 cases evaluated from recorded responses, wall time of one `cnaps-llm eval`.

The 12 bundled cases are copied under 500 distinct ids, with their recordings, into a
temporary folder, so every case replays its whole recorded loop (reasks included).
Run: python3 bench/replay_eval.py [--cases 500]      Target (issue #7): at most 10 s.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=500)
    args = ap.parse_args()
    prompts = ROOT / "fixtures" / "prompts"
    cassettes = ROOT / "fixtures" / "cassettes"
    bundled = sorted(p for p in prompts.iterdir() if (cassettes / p.stem).is_dir())
    with tempfile.TemporaryDirectory() as tmp:
        data, cas = Path(tmp) / "data", Path(tmp) / "cas"
        data.mkdir()
        for i in range(args.cases):
            src = bundled[i % len(bundled)]
            cid = f"{src.stem}--{i:04d}"
            if src.suffix == ".json":  # a JSON case names its own id
                import json

                obj = json.loads(src.read_text(encoding="utf-8"))
                obj["id"] = cid
                (data / f"{cid}.json").write_text(json.dumps(obj), encoding="utf-8")
            else:
                shutil.copy(src, data / f"{cid}{src.suffix}")
            shutil.copytree(cassettes / src.stem, cas / cid)
        cmd = [sys.executable, "-m", "cnaps_llm.cli", "eval", str(data), "--cache-dir", str(cas), "--no-thresholds", "--json", str(Path(tmp) / "m.json")]
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        elapsed = time.perf_counter() - t
        import json

        metrics = json.loads((Path(tmp) / "m.json").read_text())["metrics"] if proc.returncode == 0 else None
    print(f"machine: {machine()}")
    if metrics is None:
        print(proc.stderr[-2000:])
        return 1
    print(f"{metrics['cases']} cases replayed and evaluated in {elapsed:.2f} s "
          f"(grounded rate {metrics['grounded_rate']:.0%}, mean attempts {metrics['mean_attempts']:.2f}); target <= 10 s")
    return 0 if elapsed <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
