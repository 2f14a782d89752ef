"""Wire settings to a backend and run cases: the glue between the CLI and the pipeline.

Invariant: ``openai`` is imported only when a case needs a live backend. Cases run
concurrently up to ``concurrency``; each result is handed to ``on_result`` as it
finishes, so a caller can persist it before the next one completes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from .backends import Backend
from .cache import CachingBackend
from .errors import ConfigError
from .models import Case, Result
from .pipeline import ModeState, run_case
from .prompts import load_templates
from .settings import Settings


def make_backend(settings: Settings) -> Backend:
    if not settings.has_backend:
        raise ConfigError(
            "no model server configured: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local "
            "OpenAI-compatible server (vLLM, Ollama, llama.cpp); see .env.example"
        )
    from .backends.openai import OpenAIBackend

    return OpenAIBackend(settings)


def backend_for(settings: Settings, template_hash: str) -> Backend:
    """The live backend wrapped in record/replay as ``settings.cache`` says."""
    if settings.cache == "off":
        return make_backend(settings)
    inner = make_backend(settings) if (settings.has_backend or settings.cache == "record") else None
    return CachingBackend(inner, mode=settings.cache, folder=settings.cache_dir, template_hash=template_hash)


async def run_all(
    cases: list[Case],
    settings: Settings,
    *,
    backend: Backend | None = None,
    concurrency: int = 1,
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Run every case, at most ``concurrency`` at once; results come back in input order."""
    templates = load_templates(settings.prompts_dir)
    backend = backend or backend_for(settings, templates.hash)
    state = ModeState.from_settings(settings)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(case: Case) -> Result:
        async with gate:
            result = await run_case(case, backend, settings, templates, state)
        if on_result is not None:
            on_result(result)
        return result

    tasks = [asyncio.create_task(one(c)) for c in cases]
    try:
        return list(await asyncio.gather(*tasks))
    finally:
        for t in tasks:
            t.cancel()


def run_cases(cases: list[Case], settings: Settings, backend: Backend | None = None, **kw: object) -> list[Result]:
    return asyncio.run(run_all(cases, settings, backend=backend, **kw))  # type: ignore[arg-type]
