"""Run many cases: the glue between settings, the backend and the pipeline.

Invariant: ``openai`` is imported only when a case needs a live backend. Cases run
concurrently, at most ``concurrency`` at once (so as many requests in flight); each result is handed
to ``on_result`` as it finishes, so a caller can persist it before the next one
completes. One case's failure (server, deadline, missing recording, budget) never
stops the others.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

from . import backends, cache
from .backends import Backend
from .models import Case, Result
from .negotiate import ModeNegotiator
from .pipeline import RunOptions, run_case
from .pricing import Budget
from .prompts import load_templates
from .settings import Settings


# what each template is filled with (prompts.py renders them; the others are used as written)
def backend_for(settings: Settings, template_hash: str, on_token: Callable[[str | None, str], None] | None = None) -> Backend:
    """The live backend ``settings.provider`` names, wrapped in record/replay as ``settings.cache``
    says; ``on_token`` receives streamed text when the backend can stream."""

    def live() -> Backend:
        backend = backends.from_settings(settings)
        if on_token is not None and hasattr(backend, "on_token"):
            backend.on_token = on_token
        return backend

    return cache.wrap(settings, template_hash, live)


def mode_memory(settings: Settings) -> Path:
    """Where the reply formats servers accepted are remembered. Beside the default recordings
    folder, in the user cache (``~/.cache/cnaps-llm/servers.json``); with ``--cache-dir``, inside
    that folder, as ``.servers.json`` (no case's recordings folder starts with a dot): beside it
    was outside the folder the user named, where a project's own ``servers.json`` was
    rewritten and a prompts folder got a file the next run read as a case."""
    from .settings import default_cache_dir

    folder = Path(settings.cache_dir)
    if os.path.realpath(folder) == os.path.realpath(default_cache_dir()):
        return folder.parent / "servers.json"
    return folder / ".servers.json"


def negotiator_for(settings: Settings) -> ModeNegotiator:
    """The run's structured-mode negotiation, remembering what a live server accepted."""
    live = settings.cache in ("off", "record") or (settings.cache == "auto" and settings.has_backend)
    memory = mode_memory(settings) if live else None
    return ModeNegotiator.for_run(settings.structured, memory=memory, server=f"{settings.server}|{settings.model}")


async def run_all(
    cases: list[Case],
    settings: Settings,
    *,
    backend: Backend | None = None,
    options: RunOptions | None = None,
    concurrency: int = 1,
    on_result: Callable[[Result], None] | None = None,
    on_token: Callable[[str | None, str], None] | None = None,
) -> list[Result]:
    """Run every case with at most ``concurrency`` requests in flight; results come back in input order.

    A case has at most one request in flight, so ``concurrency`` cases run at once: a case
    never waits for a request slot, and its deadline measures its own requests (parsing and
    checking a draft take milliseconds beside a request's seconds).
    """
    templates = load_templates(settings.prompts_dir)
    live = backend or backend_for(settings, templates.hash, on_token)
    options = options or RunOptions.from_settings(settings)
    negotiator = negotiator_for(settings)
    budget = Budget(settings.max_cost)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(case: Case) -> Result:
        async with gate:
            result = await run_case(case, live, options, templates, negotiator, budget)
        if on_result is not None:
            on_result(result)
        return result

    tasks = [asyncio.create_task(one(c)) for c in cases]
    try:
        return list(await asyncio.gather(*tasks))
    finally:
        for t in tasks:
            t.cancel()
        close = getattr(live, "aclose", None) if backend is None else None  # ours to close, in this loop
        if close is not None:
            await close()


def run_cases(cases: list[Case], settings: Settings, backend: Backend | None = None, **kw: object) -> list[Result]:
    return asyncio.run(run_all(cases, settings, backend=backend, **kw))  # type: ignore[arg-type]
