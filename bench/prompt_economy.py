"""Prompt economy: tokens sent per case against the raw prompt file's tokens, and a system
message byte-identical across cases (so providers' prompt caching applies).

Run: python3 bench/prompt_economy.py      Target (issue #7): at most 1.3x the raw file's tokens.
"""

from __future__ import annotations

import sys

from _common import ROOT, machine

from cnaps_llm.inputs import load_case, read_text
from cnaps_llm.prompts import build_messages, encoding, load_templates
from cnaps_llm.settings import Settings


def main() -> int:
    settings = Settings(_env_file=None)
    t = load_templates(settings.prompts_dir)
    enc = encoding(settings.model)
    print(f"machine: {machine()}; encoding {enc.name}")
    worst, systems = 0.0, set()
    for path in sorted((ROOT / "fixtures" / "prompts").glob("*.txt")):
        raw = len(enc.encode(read_text(path), disallowed_special=()))
        built = build_messages(t, load_case(path), "json_schema", model=settings.model, max_tokens=settings.max_input_tokens)
        systems.add(built.messages[0].content)
        ratio = built.tokens / raw
        worst = max(worst, ratio)
        print(f"{path.name:<28} raw file {raw:>5} tokens, prompt {built.tokens:>5} tokens = {ratio:.2f}x")
    print(f"worst ratio {worst:.2f}x (target <= 1.3x); distinct system messages across cases: {len(systems)} (target 1)")
    return 0 if worst <= 1.3 and len(systems) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
