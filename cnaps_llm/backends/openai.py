"""OpenAI and OpenAI-compatible servers (vLLM, Ollama, llama.cpp) through the openai SDK.

Invariant: the only module that imports ``openai``. Transient faults (429, 408,
409, 5xx, timeouts, dropped connections) are retried here by tenacity with
exponential back-off and jitter, honouring ``Retry-After``; the SDK's own retries
are off so the two never multiply. Everything else becomes a one-line ``BackendError``.
"""

from __future__ import annotations

import re
import time
from typing import Any

import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from ..errors import BackendError, CallFailed, UnsupportedFormat
from ..models import Usage
from ..settings import Settings
from . import Completion, Request

_FORMAT_WORDS = re.compile(r"response_format|json_schema|json_object|structured output", re.I)
_PLACEHOLDER_KEY = "sk-no-key-required"  # local servers want no key, but the SDK insists on one


def _transient(exc: BaseException) -> bool:
    # subclass-first: a timeout is also a connection error; a 429 is also a status error
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError)):
        return True
    if isinstance(exc, openai.APIStatusError):
        if _format_rejected(exc):
            return False
        return exc.status_code in (408, 409) or exc.status_code >= 500
    return False


def _format_rejected(exc: openai.APIStatusError) -> bool:
    return exc.status_code in (400, 422, 500) and bool(_FORMAT_WORDS.search(_body_text(exc)))


def _body_text(exc: openai.APIStatusError) -> str:
    try:
        return exc.response.text[:2000]
    except Exception:  # a streamed or closed body: the message is all we have
        return str(exc.message)


def _retry_after(exc: BaseException | None) -> float | None:
    if isinstance(exc, openai.APIStatusError):
        value = exc.response.headers.get("retry-after")
        if value:
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    return None


class OpenAIBackend:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else _PLACEHOLDER_KEY
        self._secret = key
        self.client = openai.AsyncOpenAI(
            api_key=key, base_url=settings.openai_base_url or None, timeout=settings.timeout, max_retries=0
        )
        self._backoff = wait_exponential_jitter(multiplier=0.5, max=settings.max_retry_wait, jitter=0.5)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = _retry_after(exc)
        if after is not None:
            return min(after, self.settings.max_retry_wait)
        return float(self._backoff(state))

    def _redact(self, text: str) -> str:
        return text.replace(self._secret, "[redacted]") if self._secret else text

    async def complete(self, request: Request) -> Completion:
        kwargs: dict[str, Any] = {
            "model": request.model,
            "messages": request.messages,
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
        }
        if request.seed is not None:
            kwargs["seed"] = request.seed
        if request.response_format is not None:
            kwargs["response_format"] = request.response_format
        started = time.perf_counter()
        try:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception(_transient),
                stop=stop_after_attempt(self.settings.transport_retries + 1),
                wait=self._wait,
                reraise=True,
            ):
                with attempt:
                    resp = await self.client.chat.completions.create(**kwargs)
        except openai.APIStatusError as exc:
            raise self._status_error(exc, request) from None
        except openai.APITimeoutError:
            raise CallFailed(
                f"the server did not answer within {self.settings.timeout:g} s, {self.settings.transport_retries + 1} times; raise CNAPS_TIMEOUT or check the server"
            ) from None
        except openai.APIConnectionError:
            where = self.settings.openai_base_url or "api.openai.com"
            raise CallFailed(f"cannot connect to {where}, after {self.settings.transport_retries + 1} tries; check OPENAI_BASE_URL and that the server is up") from None
        except (openai.OpenAIError, ValueError) as exc:  # ValueError: a body that is not JSON
            raise CallFailed(self._redact(f"the server's reply could not be read ({type(exc).__name__}: {exc})")) from None
        return self._completion(resp, time.perf_counter() - started)

    def _status_error(self, exc: openai.APIStatusError, request: Request) -> BackendError:
        code = exc.status_code
        if _format_rejected(exc):
            mode = (request.response_format or {}).get("type", "?")
            return UnsupportedFormat(f"the server rejected response_format {mode} (HTTP {code})")
        detail = self._redact(_body_text(exc)).replace("\n", " ")[:200]
        hint = {
            400: "the server refused the request; check --model and the server's limits",
            401: "the API key was refused; set a valid OPENAI_API_KEY",
            403: "the API key may not use this model or endpoint; check its permissions",
            404: f"model {request.model!r} or the endpoint was not found; check --model and OPENAI_BASE_URL (it usually ends in /v1)",
            429: f"still rate-limited after {self.settings.transport_retries + 1} tries; lower --concurrency or wait",
        }.get(code)
        if hint is None and code >= 500:
            hint = f"the server kept failing (HTTP {code}) after {self.settings.transport_retries + 1} tries; try again later"
        cls = CallFailed if code in (408, 409, 429) or code >= 500 else BackendError
        return cls(f"{hint or f'HTTP {code}'} [HTTP {code}: {detail}]")

    def _completion(self, resp: Any, latency: float) -> Completion:
        choices = getattr(resp, "choices", None) or []
        raw = self._redact_obj(resp.model_dump(mode="json") if hasattr(resp, "model_dump") else {})
        if not choices:
            raise CallFailed("the server returned no choices; check that the model serves chat completions")
        choice = choices[0]
        msg = choice.message
        usage = getattr(resp, "usage", None)
        return Completion(
            # a key echoed back by a model or proxy is scrubbed before anything can store it
            text=self._redact((msg.content or "") if msg else ""),
            finish_reason=choice.finish_reason,
            refusal=self._redact_obj(getattr(msg, "refusal", None)),
            usage=Usage(
                prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
                completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
            ),
            latency_s=round(latency, 4),
            raw=raw,
        )

    def _redact_obj(self, obj: Any) -> Any:
        if isinstance(obj, str):
            return self._redact(obj)
        if isinstance(obj, dict):
            return {k: self._redact_obj(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self._redact_obj(v) for v in obj]
        return obj
