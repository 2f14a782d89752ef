"""The backend interface: one async method from a request to a completion.

Invariant: a backend either returns a ``Completion`` or raises a ``CnapsError``
subclass (``BackendError``, ``UnsupportedFormat``, ``ReplayMiss``). Transport
faults are retried inside the backend and never surface as a draft to re-ask.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import Field

from ..models import Usage, _Strict


class Request(_Strict):
    case_id: str | None = Field(default=None, description="Where a recording is filed; not part of the request's identity.")
    model: str
    messages: list[dict[str, Any]]
    response_format: dict[str, Any] | None = None
    temperature: float = 0.0
    max_tokens: int = 1200
    seed: int | None = 0

    def identity(self) -> dict[str, Any]:
        """What makes two requests the same call (the record/replay key hashes this)."""
        return self.model_dump(exclude={"case_id"})


class Completion(_Strict):
    text: str
    finish_reason: str | None = None
    refusal: str | None = None
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = 0.0
    raw: dict[str, Any] = Field(default_factory=dict)
    replayed: bool = False


class Backend(Protocol):
    async def complete(self, request: Request) -> Completion: ...
