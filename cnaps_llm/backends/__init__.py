"""The backend interface: one async method from a request to a completion, and the table of backends.

Invariant: a backend either returns a ``Completion`` or raises a ``CnapsError``
subclass (``BackendError``, ``UnsupportedFormat``, ``ReplayMiss``). Transport
faults are retried inside the backend and never surface as a draft to re-ask.
``Request`` speaks the pipeline's language (role/content messages, the draft's JSON
schema and the structured mode, sampling settings); each backend translates it to
its own wire format.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import Field

from ..errors import ConfigError
from ..models import Message, Usage, StrictModel

if TYPE_CHECKING:
    from ..settings import Settings

Mode = Literal["json_schema", "json_object", "text"]


class Request(StrictModel):
    case_id: str | None = Field(default=None, description="Where a recording is filed; not part of the request's identity.")
    model: str
    messages: list[Message]
    mode: Mode = "text"
    schema_: dict[str, Any] | None = Field(default=None, alias="schema", description="The draft's JSON schema (structured modes).")
    temperature: float = 0.0
    max_tokens: int = 1200
    seed: int | None = 0

    model_config = {**StrictModel.model_config, "populate_by_name": True}

    def identity(self) -> dict[str, Any]:
        """What makes two requests the same call (the record/replay key hashes this)."""
        return self.model_dump(exclude={"case_id"}, by_alias=True, mode="json")


class Completion(StrictModel):
    text: str
    finish_reason: str | None = None
    refusal: str | None = None
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = 0.0
    model: str | None = Field(default=None, description="The model that answered, as the server names it.")
    raw: dict[str, Any] = Field(default_factory=dict)
    replayed: bool = False
    synthetic: bool = Field(default=False, description="Written by hand, not by a model: no real cost.")


class Backend(Protocol):
    async def complete(self, request: Request) -> Completion: ...


# provider -> "module:factory"; a factory takes the settings. Imported only when used, so
# start-up never pays for a backend it does not call (openai costs ~0.4 s to import).
PROVIDERS: dict[str, str] = {
    "openai": "cnaps_llm.backends.openai:OpenAIBackend",
}


def _entry_point(provider: str) -> str | None:
    from importlib.metadata import entry_points

    for ep in entry_points(group="cnaps_llm.backends"):
        if ep.name == provider:
            return ep.value
    return None


def factory(provider: str) -> Callable[[Settings], Backend]:
    """The backend factory for ``provider``: the built-in table first, then the
    ``cnaps_llm.backends`` entry points of installed packages (scanned only here)."""
    target = PROVIDERS.get(provider) or _entry_point(provider)
    if target is None:
        import difflib

        close = difflib.get_close_matches(provider, list(PROVIDERS), n=1)
        hint = f"; did you mean {close[0]}?" if close else f"; known: {', '.join(sorted(PROVIDERS))}"
        raise ConfigError(f"unknown provider {provider!r}{hint}")
    module, _, attr = target.partition(":")
    return getattr(import_module(module), attr)


def from_settings(settings: Settings) -> Backend:
    """The live backend that ``settings.provider`` names."""
    return factory(settings.provider)(settings)
