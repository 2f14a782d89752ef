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
    # replay never calls a model, so it never pays for importing the SDK either
    live = settings.cache == "record" or (settings.cache == "auto" and settings.has_backend)
    inner = make_backend(settings) if live else None
    return CachingBackend(inner, mode=settings.cache, folder=settings.cache_dir, template_hash=template_hash)


class _Limited:
    """At most ``n`` requests in flight: ``--concurrency`` bounds calls to the API, not the
    local work around them, so building prompts and checking drafts never idles a slot."""

    def __init__(self, inner: Backend, n: int) -> None:
        self.inner, self.gate = inner, asyncio.Semaphore(n)

    async def complete(self, request):  # type: ignore[no-untyped-def]
        async with self.gate:
            completion = await self.inner.complete(request)
        # let the case now holding the freed slot send its request before this one
        # parses and checks its draft: the slot's next call never waits on local work
        await asyncio.sleep(0)
        return completion


async def run_all(
    cases: list[Case],
    settings: Settings,
    *,
    backend: Backend | None = None,
    concurrency: int = 1,
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Run every case with at most ``concurrency`` requests in flight; results come back in input order."""
    templates = load_templates(settings.prompts_dir)
    n = max(1, concurrency)
    backend = _Limited(backend or backend_for(settings, templates.hash), n)
    state = ModeState.from_settings(settings)
    gate = asyncio.Semaphore(2 * n)  # cases in progress: enough to have the next request ready

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
