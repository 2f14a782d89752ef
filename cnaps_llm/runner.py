"""Run many cases: the glue between settings, the backend and the pipeline.

Invariant: ``openai`` is imported only when a case needs a live backend. Cases run
concurrently, at most ``concurrency`` at once (so as many requests in flight); each result is handed
to ``on_result`` as it finishes, so a caller can persist it before the next one
completes. One case's failure (server, deadline, missing recording, budget) never
stops the others.
"""

from __future__ import annotations

import asyncio
import json
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


_MODES = {"json_schema", "json_object", "text"}
_MEMORY_BYTES = 1 << 20  # ours holds one short line per server and model


def mode_memory(settings: Settings) -> Path | None:
    """Where the reply formats servers accepted are remembered: ``servers.json`` beside the
    recordings folder (in the user cache by default). With ``--cache-dir``, that is a folder
    the user chose, where a ``servers.json`` may be a project's own: a file there that is not
    ours (not an object of ``server|model`` -> mode) is left alone, read and written by no
    one, and the formats are simply not remembered."""
    path = Path(settings.cache_dir).parent / "servers.json"
    try:
        if not os.path.lexists(path):
            return path
        if not os.path.isfile(path) or os.path.getsize(path) > _MEMORY_BYTES:
            return None
        known = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    ours = isinstance(known, dict) and all(isinstance(k, str) and "|" in k and v in _MODES for k, v in known.items())
    return path if ours else None


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
