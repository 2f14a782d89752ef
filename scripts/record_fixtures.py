"""Re-record the bundled cassettes in fixtures/cassettes from the hand-written drafts.

The bundled responses are NOT outputs of a real LLM: they are JSON drafts written by
the developers (fixtures/drafts/<case-id>.json, one reply per attempt, some first
replies deliberately ungrounded so replay exercises the reask loop). This script
feeds them through the real pipeline (prompt building, record cache, parsing,
validation, reask) exactly as `cnaps-llm generate` with default settings would send
them, so replay on a machine with no key reproduces the whole loop. Token usage is
counted with the bundled cl100k encoding, not reported by a server.

Run after changing prompts/ or the draft schema:  python3 scripts/record_fixtures.py
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from pathlib import Path

from cnaps_llm.backends import Completion, Request
from cnaps_llm.backends.fake import ScriptedBackend
from cnaps_llm.cache import CachingBackend
from cnaps_llm.errors import CnapsError
from cnaps_llm.inputs import load_case
from cnaps_llm.models import Usage
from cnaps_llm.negotiate import ModeNegotiator
from cnaps_llm.pipeline import RunOptions, run_case
from cnaps_llm.prompts import count_tokens, encoding, load_templates
from cnaps_llm.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


class CountingBackend(ScriptedBackend):
    """Scripted replies with usage counted locally (cl100k), so records carry token figures."""

    def __init__(self, model: str, *replies: str) -> None:
        super().__init__(*replies)
        self.model = model

    async def complete(self, request: Request) -> Completion:
        c = await super().complete(request)
        usage = Usage(
            prompt_tokens=count_tokens(request.messages, self.model),
            completion_tokens=len(encoding(self.model).encode(c.text)),
        )
        # synthetic: a hand-written reply has no real cost, and reports say so ("—")
        return c.model_copy(update={"usage": usage, "synthetic": True})


def main() -> int:
    settings = Settings(_env_file=None)  # the defaults a user with no configuration gets
    options = RunOptions.from_settings(settings)
    templates = load_templates(settings.prompts_dir)
    out = ROOT / "fixtures" / "cassettes"
    failures = 0
    for drafts_file in sorted((ROOT / "fixtures" / "drafts").glob("*.json")):
        cid = drafts_file.stem
        prompt = next((p for p in (ROOT / "fixtures" / "prompts").glob(f"{cid}.*")), None)
        if prompt is None:
            print(f"{cid}: no prompt file", file=sys.stderr)
            failures += 1
            continue
        case = load_case(prompt)
        replies = [json.dumps(d, ensure_ascii=False) for d in json.loads(drafts_file.read_text(encoding="utf-8"))]
        shutil.rmtree(out / cid, ignore_errors=True)
        backend = CachingBackend(CountingBackend(settings.model, *replies), mode="record", folder=out, template_hash=templates.hash)
        try:
            negotiator = ModeNegotiator.for_run(settings.structured)
            result = asyncio.run(run_case(case, backend, options, templates, negotiator))
        except CnapsError as exc:  # the drafts ran out before one was grounded
            print(f"{cid}: {exc}  <-- FIX THE DRAFTS")
            failures += 1
            continue
        ok = result.status == "grounded" and len(result.attempts) == len(replies)
        failures += not ok
        print(f"{cid}: {result.status} after {len(result.attempts)} attempt(s), {backend.recorded} recorded" + ("" if ok else "  <-- FIX THE DRAFTS"))
        for a in result.attempts:
            for v in a.violations:
                print(f"    attempt {a.number}: [{v.kind}] {v.text!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
