"""Wire settings to a backend and run cases: the glue between the CLI and the pipeline.

Invariant: ``openai`` is imported here only when a case actually needs a live backend.
"""

from __future__ import annotations

import asyncio

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


def run_cases(cases: list[Case], settings: Settings, backend: Backend | None = None) -> list[Result]:
    templates = load_templates(settings.prompts_dir)
    backend = backend or backend_for(settings, templates.hash)
    state = ModeState.from_settings(settings)

    async def go() -> list[Result]:
        return [await run_case(c, backend, settings, templates, state) for c in cases]

    return asyncio.run(go())
