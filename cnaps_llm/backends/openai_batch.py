"""OpenAI's Batch API (files + batches) through the openai SDK: the engine behind ``cnaps-llm batch``.

Invariants: with ``backends/openai.py``, the only module that imports ``openai``; it is
imported only by the batch commands. Every call is retried on transient faults (429,
408, 409, 5xx, timeouts, dropped connections) with back-off, honouring ``Retry-After``,
with the SDK's own retries off. The two calls that create something (an upload, a
batch) look for what an earlier try may have created before trying again, so a lost
reply never makes a second batch. Downloads land under their final name only when
complete. Every failure is a one-line ``BackendError``. Redirects stay on the configured
server, as for ``backends/openai.py`` (``keep_to_origin``): one elsewhere is refused
before anything is sent there.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import openai
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from ..batchapi import BatchInfo
from .. import batchlines
from ..batchlines import ENDPOINT
from ..errors import BackendError, CallFailed, ConfigError
from ..redact import Redactor
from ..settings import Settings
from .openai import PLACEHOLDER_KEY, OffOrigin, body_text, keep_to_origin, retry_after

T = TypeVar("T")
CLOCK_SKEW = 600  # seconds: how much older than our call a provider's timestamp may look


class _Http(openai.DefaultHttpxClient):  # type: ignore[misc, valid-type]
    """The SDK's default HTTP client, closed when collected as the one the SDK makes is."""

    def __del__(self) -> None:
        try:
            if not self.is_closed:
                self.close()
        except Exception:  # at interpreter exit, whatever is half torn down
            pass


def _info(batch: Any) -> BatchInfo:
    counts = batch.request_counts
    errors = [f"{e.code or 'error'}: {e.message or ''}".strip() for e in ((batch.errors.data or []) if batch.errors else [])]
    codes = [e.code or "" for e in ((batch.errors.data or []) if batch.errors else [])]
    return BatchInfo(
        id=batch.id, status=batch.status, input_file_id=batch.input_file_id, created_at=batch.created_at,
        total=counts.total if counts else 0, completed=counts.completed if counts else 0, failed=counts.failed if counts else 0,
        output_file_id=batch.output_file_id, error_file_id=batch.error_file_id, errors=errors, error_codes=codes,
    )


class OpenAIBatchEngine:
    def __init__(self, settings: Settings) -> None:
        if not settings.has_backend:
            raise ConfigError("the Batch API needs OPENAI_API_KEY (or OPENAI_BASE_URL for a server that offers /v1/batches); see .env.example")
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else PLACEHOLDER_KEY
        password = urlsplit(settings.openai_base_url).password if settings.openai_base_url else None
        self.redactor = Redactor([key if key != PLACEHOLDER_KEY else None, password])
        self.settings = settings
        http = _Http(timeout=settings.timeout)
        self.client = openai.OpenAI(api_key=key, base_url=settings.openai_base_url or None, timeout=settings.timeout, max_retries=0, http_client=http)
        keep_to_origin(http, self.client.base_url, self.redactor)
        self._backoff = wait_exponential_jitter(multiplier=0.5, max=settings.max_retry_wait, jitter=0.5)

    # ------------------------------------------------------------------ retries and errors

    @staticmethod
    def _transient(exc: BaseException) -> bool:
        # subclass-first: a timeout is a connection error, a 429 a status error
        if isinstance(exc, openai.APIConnectionError) and isinstance(exc.__cause__, OffOrigin):
            return False  # an SDK that wraps what a hook raises: the same redirect again
        if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError)):
            return True
        return isinstance(exc, openai.APIStatusError) and (exc.status_code in (408, 409) or exc.status_code >= 500)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = retry_after(exc)
        return min(after, self.settings.max_retry_wait) if after is not None else float(self._backoff(state))

    def _call(self, what: str, fn: Callable[[], T], before_retry: Callable[[], T | None] | None = None) -> T:
        """``fn()`` with transient faults retried; ``before_retry`` may find what a lost try made."""
        first = True
        try:
            for attempt in Retrying(
                retry=retry_if_exception(self._transient), stop=stop_after_attempt(self.settings.transport_retries + 1),
                wait=self._wait, reraise=True,
            ):
                with attempt:
                    if not first and before_retry is not None:
                        found = before_retry()
                        if found is not None:
                            return found
                    first = False
                    return fn()
        except openai.APIStatusError as exc:
            raise self._status_error(what, exc) from None
        except OffOrigin as exc:
            raise CallFailed(f"{what}: {exc}") from None
        except openai.APITimeoutError:
            raise CallFailed(f"the Batch API did not answer ({what}) within {self.settings.timeout:g} s; raise CNAPS_TIMEOUT or try again later") from None
        except openai.APIConnectionError as exc:
            if isinstance(exc.__cause__, OffOrigin):
                raise CallFailed(f"{what}: {exc.__cause__}") from None
            raise CallFailed(f"cannot connect to {self.settings.server} ({what}); check OPENAI_BASE_URL and the network, then rerun") from None
        except (openai.OpenAIError, ValueError) as exc:
            raise CallFailed(self.redactor.redact(f"the Batch API's reply could not be read ({what}: {type(exc).__name__}: {str(exc)[:200]})")) from None
        raise AssertionError("unreachable")  # tenacity either returns or raises

    def _status_error(self, what: str, exc: openai.APIStatusError) -> BackendError:
        code = exc.status_code
        detail = self.redactor.redact(body_text(exc)).replace("\n", " ")[:200]
        hint = {
            401: "the API key was refused; set a valid OPENAI_API_KEY",
            403: "the API key may not use the Batch API or this model; check its permissions",
            404: f"{what}: not found at {self.settings.server}; check OPENAI_BASE_URL (the Batch API is OpenAI's)",
            429: "still rate-limited after retries; try again later",
        }.get(code) or (f"the Batch API kept failing (HTTP {code}) on {what}; try again later" if code >= 500 else f"the Batch API refused {what}")
        cls = CallFailed if code in (408, 409, 429) or code >= 500 else BackendError
        return cls(f"{hint} [HTTP {code}: {detail}]")

    # ------------------------------------------------------------------ files

    def find_file(self, name: str, since: int) -> str | None:
        def look() -> str | None:
            for f in self.client.files.list(purpose="batch", order="desc", limit=100):
                if f.created_at < since - CLOCK_SKEW:
                    return None
                if f.filename == name and f.status != "error":
                    return f.id
            return None

        return self._call(f"listing files for {name}", look)

    def upload(self, path: Path, name: str, since: int) -> str:
        def send() -> str:
            with open(path, "rb") as fh:
                return self.client.files.create(file=(name, fh, "application/jsonl"), purpose="batch").id

        return self._call(f"uploading {name}", send, lambda: self.find_file(name, since))

    def download(self, file_id: str, dest: Path) -> None:
        """The file, as far as ``batchlines.MAX_FILE_BYTES`` and a byte more (so its reader
        sees it was larger): the rest is never read, and a server cannot fill the disk."""
        tmp = dest.with_name(dest.name + ".part")

        def fetch() -> None:
            limit = batchlines.MAX_FILE_BYTES + 1
            size = 0
            with self.client.files.with_streaming_response.content(file_id) as response, open(tmp, "wb") as fh:
                for chunk in response.iter_bytes():
                    fh.write(chunk[: limit - size])
                    size += len(chunk)
                    if size >= limit:
                        break
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, dest)

        self._call(f"downloading file {file_id}", fetch)

    # ------------------------------------------------------------------ batches

    def find_batch(self, file_id: str, since: int) -> BatchInfo | None:
        def look() -> BatchInfo | None:
            for b in self.client.batches.list(limit=100):
                if b.created_at < since - CLOCK_SKEW:
                    return None
                if b.input_file_id == file_id:
                    return _info(b)
            return None

        return self._call(f"listing batches for file {file_id}", look)

    def create(self, file_id: str, metadata: dict[str, str], since: int) -> BatchInfo:
        def send() -> BatchInfo:
            return _info(self.client.batches.create(input_file_id=file_id, endpoint=ENDPOINT, completion_window="24h", metadata=metadata))

        return self._call(f"creating a batch for file {file_id}", send, lambda: self.find_batch(file_id, since))

    def retrieve(self, batch_id: str) -> BatchInfo:
        return self._call(f"reading batch {batch_id}", lambda: _info(self.client.batches.retrieve(batch_id)))

    def cancel(self, batch_id: str) -> BatchInfo:
        return self._call(f"cancelling batch {batch_id}", lambda: _info(self.client.batches.cancel(batch_id)))
