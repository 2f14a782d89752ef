"""A batch run killed at the worst moments (an upload sent but its reply lost, a batch created but
its reply lost, an output file half downloaded), then collected again: nothing lost, nothing sent twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnaps_llm import batchstate as bs

from .batchstub import FakeBatchAPI
from .test_batchapi import dataset, leftovers, records, two_reasks

ROOT = Path(__file__).resolve().parent.parent


# 60 cases in files of 25: round 1 is uploads/creates 1-3 (by submit) and downloads 1-3;
# round 2 is uploads/creates 4-6. Each point is in the middle of `collect --wait`.
@pytest.mark.parametrize("point,nth", [("download", 2), ("upload", 4), ("create", 5)])
def test_killed_collect_then_rerun_loses_and_duplicates_nothing(run_cli, tmp_path: Path, point: str, nth: int) -> None:
    state = tmp_path / "run.json"
    with FakeBatchAPI(two_reasks) as api:
        sub = run_cli("batch", "submit", dataset(tmp_path / "d.jsonl", 60), "--state", state, "--base-url", api.base_url,
                      "--max-requests-per-file", "25")
        assert sub.code == 0, sub.err
        held = api.hold(point, nth)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with open(tmp_path / "killed.err", "wb") as err:
            proc = subprocess.Popen([sys.executable, "-m", "cnaps_llm.cli", "batch", "collect", str(state), "--wait",
                                     "--poll-interval", "0", "--base-url", api.base_url], env=env, stdout=subprocess.DEVNULL, stderr=err)
            try:
                assert held.reached.wait(120), (tmp_path / "killed.err").read_text()
            finally:
                proc.kill()
                proc.wait()
        api.release(point)
        phase = {p.name: p.phase for r in bs.load(state).rounds for p in r.parts}
        res = run_cli("batch", "collect", state, "--wait", "--poll-interval", "0", "--base-url", api.base_url,
                      "--jsonl", tmp_path / "out.jsonl")
        assert res.code == 0, res.err
        assert len(api.lines) == 150 and set(api.lines.values()) == {1}  # 60 + 60 + 30 requests, each in one batch
        assert len(api.batches) == 8 and len([f for f in api.files.values() if f["purpose"] == "batch"]) == 8
    # the kill left the run mid-step, where the rerun picked it up
    expected = {"download": "running", "upload": "uploading", "create": "creating"}[point]
    assert expected in phase.values(), phase
    out = records(tmp_path / "out.jsonl")
    assert len(out) == 60 and {r["status"] for r in out.values()} == {"grounded"}
    assert len(records(bs.folder_of(state) / "results.jsonl")) == 60
    assert leftovers(tmp_path) == []
