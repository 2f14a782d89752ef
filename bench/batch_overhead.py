"""Batch API runs: the local work per 10,000 cases (building request files, taking in and checking answers).

No provider is involved: the script drives the rounds of a batch run itself, writing each
round's answers as the Batch API's output file would hold them (every first draft cites
an outside link, every second is clean: one reask round), and times the library steps
`cnaps-llm batch` performs between the provider's turns:

* build:   round 1, every case's first request built and written to the request files;
* take in: sorting a round's output file (``batchlines.judge``), as collect does per batch;
* check 1: round 2, each answer filed as a recording, checked, and its reask written;
* check 2: round 3, the first answer replayed, the second filed, checked, and the record appended.

Run: python3 bench/batch_overhead.py [--cases 2000] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine

BAD = "Image restoration; see https://github.com/xinntao/Real-ESRGAN for more."


def _answers(run_dir: Path, number: int, clean: bool) -> None:
    """The output file the Batch API would return for round ``number``'s request files."""
    sys.path.insert(0, str(ROOT))
    from tests.stubserver import completion_body
    from tests.test_pipeline import draft

    for req in sorted(run_dir.glob(f"r{number}-p*.jsonl")):
        if req.name.endswith((".output.jsonl", ".errors.jsonl")):
            continue
        with open(req, encoding="utf-8") as src, open(run_dir / f"{req.stem}.output.jsonl", "w", encoding="utf-8") as out:
            for i, line in enumerate(src):
                key = json.loads(line)["custom_id"]
                body = json.loads(completion_body(draft() if clean else draft(task=BAD), model="gpt-4o-mini-2024-07-18"))
                out.write(json.dumps({"id": f"req-{i}", "custom_id": key, "response": {"status_code": 200, "request_id": str(i), "body": body}, "error": None}) + "\n")


async def _replay(cases, settings, template_hash: str) -> int:  # type: ignore[no-untyped-def]
    """Every case replayed from the run's recordings, one after another: generate's own work per case."""
    from cnaps_llm.cache import CachingBackend
    from cnaps_llm.negotiate import ModeNegotiator
    from cnaps_llm.pipeline import RunOptions, run_case
    from cnaps_llm.prompts import load_templates

    backend = CachingBackend(None, mode="replay", folder=settings.cache_dir, template_hash=template_hash)
    templates, options = load_templates(settings.prompts_dir), RunOptions.from_settings(settings)
    negotiator = ModeNegotiator.for_run("json_schema")
    grounded = 0
    for case in cases:
        grounded += (await run_case(case, backend, options, templates, negotiator)).status == "grounded"
    return grounded


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--profile", action="store_true", help="Print where the time of the check passes goes.")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from cnaps_llm import batchapi, batchdriver
    from cnaps_llm import batchstate as bs
    from cnaps_llm.batchlines import judge
    from cnaps_llm.inputs import load_case
    from cnaps_llm.redact import redact
    from cnaps_llm.settings import load_settings

    seed = load_case(next((ROOT / "fixtures" / "prompts").glob("003_*.txt")))
    cases = [seed.model_copy(update={"id": f"c{i:06d}", "question": f"{seed.question} (case #{i})"}) for i in range(args.cases)]
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CNAPS_CACHE_DIR"] = str(Path(tmp) / "cas")
        settings = load_settings(openai_base_url="http://127.0.0.1:9/v1")
        state_path = Path(tmp) / "run.json"
        state = batchdriver.new_run(cases, settings, state_path, limits=bs.Limits(), max_resubmits=2)
        run_dir = bs.folder_of(state_path)
        # warm-up outside the timings: imports, the tokenizer, the vocabularies (once per process)
        from cnaps_llm.backends.openai import wire  # noqa: F401
        from cnaps_llm.grounding import check, grounding_for
        from cnaps_llm.prompts import build_messages, load_templates

        build_messages(load_templates(settings.prompts_dir), seed, "json_schema", model=settings.model, max_tokens=6000)
        check("warm-up text", seed, grounding_for(seed))

        def round_(label: str) -> None:
            t, c = time.perf_counter(), time.process_time()
            writer = asyncio.run(batchapi.validate_round(state, run_dir))
            times[label] = time.perf_counter() - t
            cpu[label] = time.process_time() - c
            if writer.parts:
                state.rounds.append(bs.Round(number=writer.round_number, requests=sum(p.requests for p in writer.parts),
                                             parts=[bs.Part(name=p.name, requests=p.requests, bytes=p.bytes, sha256=p.sha256, phase="collected") for p in writer.parts]))

        prof = None
        round_("build")
        requests_bytes = sum(p.bytes for p in state.rounds[0].parts)
        _answers(run_dir, 1, clean=False)
        t, c = time.perf_counter(), time.process_time()
        for p in state.rounds[-1].parts:
            judge(run_dir / f"{p.name}.output.jsonl", run_dir / f"{p.name}.errors.jsonl", redact)
        times["take in"], cpu["take in"] = time.perf_counter() - t, time.process_time() - c
        if args.profile:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        round_("check 1")
        _answers(run_dir, 2, clean=True)
        round_("check 2")
        if prof is not None:
            prof.disable()
        counts = state.counts
        t, c = time.perf_counter(), time.process_time()
        reference = asyncio.run(_replay(cases, settings, state.template_hash))
        ref_wall, ref_cpu = time.perf_counter() - t, time.process_time() - c
    per = 10_000 / args.cases
    print(f"machine: {machine()}")
    print(f"{args.cases} cases, {sum(r.requests for r in state.rounds)} requests in {len(state.rounds)} rounds; "
          f"round 1 request files {requests_bytes / args.cases / 1024:.1f} KiB per request; ended: {counts}")
    print(f"{'':10} {'wall':>8} {'CPU':>8}   per 10,000 cases (wall, CPU)")
    for label, secs in times.items():
        print(f"  {label:<8} {secs:7.2f}s {cpu[label]:7.2f}s   {secs * per:7.1f} s, {cpu[label] * per:7.1f} s")
    total, total_cpu = sum(times.values()), sum(cpu.values())
    print(f"  {'all':<8} {total:7.2f}s {total_cpu:7.2f}s   {total * per:7.1f} s, {total_cpu * per:7.1f} s  (build + take in + check)")
    print(f"  {'replay':<8} {ref_wall:7.2f}s {ref_cpu:7.2f}s   {ref_wall * per:7.1f} s, {ref_cpu * per:7.1f} s  "
          f"(reference: the same {reference} cases replayed through run_case, as generate --cache replay does)")
    if prof is not None:
        import pstats

        pstats.Stats(prof).sort_stats(os.environ.get("SORT", "tottime")).print_stats(int(os.environ.get("TOP", "25")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
