"""OpenAI and OpenAI-compatible servers (vLLM, Ollama, llama.cpp) through the openai SDK.

Invariant: the only module that imports ``openai``. Transient faults (429, 408, 409,
5xx, timeouts, dropped connections) are retried here by tenacity with exponential
back-off and jitter, honouring ``Retry-After``; the SDK's own retries are off so the
two never multiply. A 429 pauses the whole run's dispatch (``Throttle``). Every
response body, an error's included, is read with a size bound on its decoded bytes
(a gzip bomb is cut off like a 50 MB reply) and a deadline, and checked field by
field, every string redacted: whatever a server sends, the result is a ``Completion``
or a one-line ``BackendError``. A 4xx the hint table does not name (413, 422, 409, 418…) is
said in the server's own words (``server_said``: the reason its body gives, redacted, on one
line of at most 200 characters) with what the user can change. A rate limit that could not
admit a request within a case's deadline is a ``ConfigError`` before anything is sent
(``Throttle.refusal``). The HTTP client is closed inside the run's loop.

Redirects stay on the configured server (``keep_to_origin``): one to the same scheme,
host and port is followed (a proxy moving a path); one anywhere else is refused before
anything is sent there, since the request would carry the API key (httpx keeps it on an
http-to-https hop) and the prompt (kept by 307 and 308) to a host the user never named.
It ends the call as a server failure naming only where it pointed (scheme, host, port);
the address to use is the user's to set in OPENAI_BASE_URL.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import ipaddress
import json
import math
import re
import time
import zlib
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from ..errors import BackendError, CallFailed, ConfigError, UnsupportedFormat
from ..models import Usage
from ..redact import Redactor, url_secrets
from ..settings import Settings
from . import Completion, Request
from .throttle import Throttle

_FORMAT_WORDS = re.compile(r"response_format|json_schema|json_object|structured output", re.I)
_BUSY_WORDS = re.compile(r"busy|overloaded|loading|capacity", re.I)
PLACEHOLDER_KEY = "sk-no-key-required"  # local servers want no key, but the SDK insists on one
MAX_USAGE = 100_000_000  # tokens; more in one reply is a broken server, not a bill
MIN_REPLY_BYTES = 1 << 20
HTTP_SLACK = 8  # raw HTTP bytes allowed per byte of reply: room for streamed chunks' JSON around each token


class _Timeout(Exception):
    """The whole request (reading included) took longer than ``settings.timeout``."""


class _Refused(Exception):
    """A reply we stopped reading; the message says why (one line, for ``CallFailed``)."""


class _TooLarge(_Refused):
    pass


class OffOrigin(_Refused):
    """A redirect to another scheme, host or port, refused before anything was sent there."""


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: Any) -> tuple[str, str, int | None]:
    """(scheme, host, port) of an httpx URL, the port filled in when the URL leaves it out."""
    scheme = str(url.scheme).lower()
    return scheme, str(url.host).lower(), url.port or _DEFAULT_PORTS.get(scheme)


def keep_to_origin(http: Any, base_url: Any, redactor: Redactor) -> None:
    """Make the HTTP client ``http`` refuse, before it is sent, any request to an origin other
    than ``base_url``'s: what a redirect to another scheme, host or port would send (the
    request hook runs for every hop of a redirect, before its request leaves)."""
    home = _origin(base_url)

    def check(request: Any) -> None:
        there = _origin(request.url)
        if there != home:
            scheme, host, port = there
            where = redactor.clip(_CONTROLS.sub(" ", f"{scheme}://{host}:{port}"), 200)  # never the path, query or userinfo
            raise OffOrigin(
                f"the server redirected the request to {where}, another scheme, host or port; not followed, so the "
                "API key and the prompt went nowhere else: if that is the server's address, set OPENAI_BASE_URL to it"
            )

    async def acheck(request: Any) -> None:
        check(request)

    hook = acheck if inspect.iscoroutinefunction(http.send) else check
    hooks = http.event_hooks
    http.event_hooks = {"request": [*hooks.get("request", []), hook], "response": list(hooks.get("response", []))}


def _capped_client(limit: int, timeout: float) -> Any:
    """The SDK's HTTP client, with every response body cut off past ``limit`` bytes as
    decoded: the SDK reads an error's whole body before raising, and a compressed body
    can inflate a thousandfold. gzip and deflate are inflated here, within the limit;
    a body in an encoding that was not asked for is refused."""
    base = openai.DefaultAsyncHttpxClient
    httpx = importlib.import_module(base.__mro__[1].__module__.partition(".")[0])  # the HTTP library the SDK uses

    class Capped(httpx.AsyncByteStream):  # type: ignore[misc, name-defined]
        def __init__(self, inner: Any, status: int, encoding: str) -> None:
            self.inner, self.status, self.encoding = inner, status, encoding

        async def __aiter__(self) -> Any:
            if self.encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
                raise _Refused(f"the server sent a body encoded as {self.encoding[:40]!r}, which was not asked for; check the server")
            inflate = zlib.decompressobj(zlib.MAX_WBITS | 32) if self.encoding not in ("", "identity") else None
            size = 0
            head: bytes | None = b"" if self.encoding == "deflate" else None  # zlib-wrapped, or raw as some servers send it
            async for raw in self.inner:
                data = raw
                if head is not None:
                    head += data
                    if len(head) < 2:
                        continue
                    data, head = head, None
                    if data[0] & 0x0F != 8 or (data[0] << 8 | data[1]) % 31:  # no zlib header: raw deflate
                        inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                while data:
                    try:
                        out = inflate.decompress(data, limit + 1 - size) if inflate is not None else data
                    except zlib.error:  # a body that says it is compressed but is not
                        raise _Refused(f"the server sent a body marked {self.encoding!r} that is not valid {self.encoding} data; check the server") from None
                    data = inflate.unconsumed_tail if inflate is not None else b""
                    size += len(out)
                    if size > limit:
                        raise _TooLarge(f"the server's reply (HTTP {self.status}) was larger than {limit} bytes; it was cut off unread")
                    if out:
                        yield out

        async def aclose(self) -> None:
            await self.inner.aclose()

    async def cap(response: Any) -> None:
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding:
            del response.headers["content-encoding"]  # decoded by Capped, within the limit, never again by httpx
        response.stream = Capped(response.stream, response.status_code, encoding)

    return base(timeout=timeout, event_hooks={"response": [cap]}, headers={"accept-encoding": "gzip, deflate"})


def wire(request: Request) -> dict[str, Any]:
    """The chat-completions arguments for ``request``."""
    kwargs: dict[str, Any] = {
        "model": request.model,
        "messages": [m.model_dump() for m in request.messages],
        "temperature": request.temperature,
        "max_tokens": request.max_tokens,
    }
    if request.seed is not None:
        kwargs["seed"] = request.seed
    if request.mode == "json_schema":
        kwargs["response_format"] = {"type": "json_schema", "json_schema": {"name": "draft", "strict": True, "schema": request.schema_}}
    elif request.mode == "json_object":
        # llama.cpp and vLLM constrain decoding to `schema`; reached only after json_schema was rejected
        kwargs["response_format"] = {"type": "json_object", "schema": request.schema_}
    return kwargs


def is_local(base_url: str | None) -> bool:
    """A server on this machine or a private network (it computes abandoned requests on)."""
    host = urlsplit(base_url).hostname if base_url else None
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private


# C0 and C1 controls, DEL: a body's line breaks, carriage returns and terminal escapes
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]+")


def body_text(exc: openai.APIStatusError) -> str:
    """The start of an error reply's body, as it is quoted in a one-line error: its control
    characters become a space, so a server cannot break the line, rewrite it with a carriage
    return or send escapes to the user's terminal (``\x1b[2J`` clears it)."""
    try:
        text = exc.response.text[:2000]
    except Exception:  # a streamed or closed body: the message is all we have
        text = str(exc.message)
    return _CONTROLS.sub(" ", text)


SAID_CHARS = 200  # of a server's reason quoted in a one-line error
_SAID_BODY = 65536  # an error body longer than this is not parsed for its reason, only quoted from its start


def _reason_in(body: Any) -> str | None:
    """The reason an error body gives, in the shapes servers use: ``{"error": {"message"}}``
    (OpenAI, llama.cpp), ``{"error": "…"}``, ``{"message"}`` (vLLM), ``{"detail"}`` (FastAPI,
    its 422 a list of ``{"loc", "msg"}``)."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    said = error.get("message") if isinstance(error, dict) else error
    if not isinstance(said, str) or not said.strip():
        said = body.get("message") if isinstance(body.get("message"), str) else body.get("detail")
    if isinstance(said, list):  # FastAPI: [{"loc": ["body", "max_tokens"], "msg": "…"}, …]
        said = "; ".join(f"{_where(d.get('loc'))}: {d.get('msg')}".lstrip(": ")
                         for d in said[:5] if isinstance(d, dict) and isinstance(d.get("msg"), str))
    return said if isinstance(said, str) and said.strip() else None


def _where(loc: Any) -> str:
    """A FastAPI error's ``loc`` as "body.max_tokens": a list of names and indexes, or one name;
    anything else (null, a number, a mapping) says nothing."""
    if isinstance(loc, (str, int)) and not isinstance(loc, bool):
        return str(loc)
    if isinstance(loc, list):
        return ".".join(str(p) for p in loc if isinstance(p, (str, int)) and not isinstance(p, bool))
    return ""


def split_base_url(url: str | None) -> tuple[str | None, dict[str, str] | None]:
    """A base URL without its query and fragment, and its query's parameters. The SDK appends
    the endpoint to the base URL as text: ``…/v1?api-version=1`` became
    ``/v1/?api-version=1chat/completions``, and a ``#…`` fragment swallowed the endpoint; the
    query is sent with every request instead, and a fragment is never sent over HTTP."""
    if not url:
        return None, None
    parts = urlsplit(url)
    if not parts.query and not parts.fragment:
        return url, None
    from urllib.parse import parse_qsl, urlunsplit

    query = dict(parse_qsl(parts.query, keep_blank_values=True)) or None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), query


def server_said(exc: openai.APIStatusError, redactor: Redactor) -> str:
    """What an error reply says was wrong, as one line for a message: the reason its JSON body
    gives, else the start of its body; control characters and runs of white space become one
    space, secrets are masked, and it is cut to ``SAID_CHARS`` characters ("" for an empty body)."""
    try:
        text = exc.response.text
    except Exception:  # a streamed or closed body: the message is all we have
        text = str(exc.message)
    said = None
    if len(text) <= _SAID_BODY:
        try:
            said = _reason_in(json.loads(text))
        except (ValueError, RecursionError):  # not JSON, or nested past what the parser takes
            said = None
    return redactor.clip(" ".join(_CONTROLS.sub(" ", said if said is not None else text[:2000]).split()), SAID_CHARS)


def _redirect_loop(exc: BaseException) -> bool:
    return type(exc.__cause__).__name__ == "TooManyRedirects"


def _format_rejected(exc: BaseException) -> bool:
    return isinstance(exc, openai.APIStatusError) and exc.status_code in (400, 422, 500) and bool(_FORMAT_WORDS.search(body_text(exc)))


def retry_after(exc: BaseException | None) -> float | None:
    if isinstance(exc, openai.APIStatusError):
        value = exc.response.headers.get("retry-after")
        if value:
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    return None


def _count(usage: Mapping[str, Any], name: str, redactor: Redactor) -> int:
    value = usage.get(name, 0)
    if value is None:
        return 0
    whole = isinstance(value, int) or (isinstance(value, float) and math.isfinite(value) and value.is_integer())  # not NaN, inf, 1.5
    if isinstance(value, bool) or not whole or not 0 <= value <= MAX_USAGE:
        shown = redactor.clip(repr(value), 40)  # clipped after redaction: a cut key would no longer match whole
        raise CallFailed(f"the server reported impossible token usage ({name}={shown}); check the server")
    return int(value)


def completion_from(body: Any, latency: float, redactor: Redactor) -> Completion:
    """A ``Completion`` from a chat-completions body, every field checked, every string
    redacted (a key echoed back by a model or proxy is scrubbed before anything can store it)."""
    redact = redactor.redact_obj
    choices = body.get("choices") if isinstance(body, dict) else None
    if not choices or not isinstance(choices, list) or not isinstance(choices[0], dict):
        error = body.get("error") if isinstance(body, dict) else None  # some proxies say why with HTTP 200
        said = error.get("message") if isinstance(error, dict) else error
        if said is None and isinstance(body, dict) and body.get("object") == "error":  # vLLM's error shape
            said = body.get("message")
        why = f" [{redactor.clip(_CONTROLS.sub(' ', said), 200)}]" if isinstance(said, str) and said.strip() else ""
        raise CallFailed(f"the server returned no choices; check that the model serves chat completions{why}")
    choice = choices[0]
    msg = choice.get("message") if isinstance(choice.get("message"), dict) else {}
    content, refusal, finish = msg.get("content"), msg.get("refusal"), choice.get("finish_reason")
    for name, value in (("content", content), ("refusal", refusal), ("finish_reason", finish)):
        if value is not None and not isinstance(value, str):
            raise CallFailed(f"the server's reply has a {type(value).__name__} where {name} should be text; check the server")
    usage = body.get("usage") if isinstance(body.get("usage"), dict) else {}
    model = body.get("model")
    return Completion(
        text=redact(content or ""),
        finish_reason=redactor.clip(finish, 100) if finish is not None else None,
        refusal=redact(refusal) if refusal else None,
        usage=Usage(
            prompt_tokens=_count(usage, "prompt_tokens", redactor), completion_tokens=_count(usage, "completion_tokens", redactor)
        ),
        latency_s=round(latency, 4),
        model=redactor.clip(model, 200) if isinstance(model, str) and model else None,
        raw=redact(body),
    )


class OpenAIBackend:
    def __init__(self, settings: Settings, *, throttle: Throttle | None = None) -> None:
        if not settings.has_backend:
            raise ConfigError(
                "no model server configured: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local "
                "OpenAI-compatible server (vLLM, Ollama, llama.cpp); see .env.example"
            )
        self.settings = settings
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else PLACEHOLDER_KEY
        self.redactor = Redactor([key if key != PLACEHOLDER_KEY else None, *url_secrets(settings.openai_base_url)])
        cap = HTTP_SLACK * max(MIN_REPLY_BYTES, 10 * 4 * settings.max_output_tokens)
        http = _capped_client(cap, settings.timeout)
        base, query = split_base_url(settings.openai_base_url)
        self.client = openai.AsyncOpenAI(
            api_key=key, base_url=base, default_query=query, timeout=settings.timeout, max_retries=0, http_client=http,
        )
        keep_to_origin(http, self.client.base_url, self.redactor)
        self.throttle = throttle or Throttle(settings.rpm, settings.tpm, max_pause=settings.max_retry_wait)
        self._backoff = wait_exponential_jitter(multiplier=0.5, max=settings.max_retry_wait, jitter=0.5)
        self.local = is_local(settings.openai_base_url)
        self.busy = False  # the server said it is overloaded: do not pile retries on it
        self.unreachable: str | None = None  # after one call found the server down, others fail fast
        self.on_token: Callable[[str | None, str], None] | None = None  # streaming: (case id, text)

    async def aclose(self) -> None:
        """Close the HTTP client inside the run's event loop (left to the garbage collector,
        it is closed after the loop, and asyncio logs a traceback)."""
        await self.client.close()

    # ------------------------------------------------------------------ retry policy

    def _transient(self, exc: BaseException, timeouts: int) -> bool:
        # subclass-first: a timeout is also a connection error; a 429 is also a status error
        if isinstance(exc, (_Timeout, openai.APITimeoutError)):
            # a local or busy server goes on computing an abandoned request: one retry at most
            return timeouts <= 1 or not (self.local or self.busy)
        if isinstance(exc, openai.APIConnectionError):
            # a refused redirect (an SDK that wraps what a hook raises) or a redirect loop: the same again
            return self.unreachable is None and not isinstance(exc.__cause__, _Refused) and not _redirect_loop(exc)
        if isinstance(exc, openai.RateLimitError):
            return True
        if isinstance(exc, openai.APIStatusError):
            if _format_rejected(exc):
                return False
            if exc.status_code == 503 and _BUSY_WORDS.search(body_text(exc)):
                self.busy = True
            return exc.status_code in (408, 409) or exc.status_code >= 500
        return False

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = retry_after(exc)
        wait = min(after, self.settings.max_retry_wait) if after is not None else float(self._backoff(state))
        if isinstance(exc, openai.RateLimitError):
            self.throttle.pause(wait)  # every request of the run waits, not just this one
            return 0.0
        return wait

    # ------------------------------------------------------------------ one call

    async def complete(self, request: Request) -> Completion:
        kwargs = wire(request)
        limit = max(MIN_REPLY_BYTES, 10 * 4 * request.max_tokens)  # ~4 bytes a token, 10x slack
        estimate = sum(len(m.content) for m in request.messages) / 4 + request.max_tokens
        refusal = self.throttle.refusal(estimate, self.settings.case_timeout)
        if refusal is not None:  # the limit would hold it past its deadline: say so now, not at the deadline
            if self.throttle.refusal(request.max_tokens, self.settings.case_timeout) is not None:
                raise ConfigError(refusal)  # not even a request of no prompt would go in time: no case of the run can
            raise CallFailed(refusal)  # this case's prompt is what is too long for the limit: the others may fit
        started = time.perf_counter()
        timeouts = 0

        def retry(exc: BaseException) -> bool:
            nonlocal timeouts
            timeouts += isinstance(exc, (_Timeout, openai.APITimeoutError))
            return self._transient(exc, timeouts)

        try:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception(retry),
                stop=stop_after_attempt(self.settings.transport_retries + 1),
                wait=self._wait,
                reraise=True,
            ):
                with attempt:
                    await self.throttle.acquire(estimate)
                    try:
                        async with asyncio.timeout(self.settings.timeout):
                            body, headers = await self._send(kwargs, request, limit)
                    except TimeoutError:
                        raise _Timeout from None
                    self.throttle.observe(headers)
        except openai.APIStatusError as exc:
            raise self._status_error(exc, request) from None
        except (_Timeout, openai.APITimeoutError):
            tries = f"{timeouts} time(s)" + (" (a local or busy server is retried once at most)" if self.local or self.busy else "")
            raise CallFailed(f"the server did not answer within {self.settings.timeout:g} s, {tries}; raise CNAPS_TIMEOUT or check the server") from None
        except openai.APIConnectionError as exc:
            cause = exc.__cause__
            if isinstance(cause, _Refused):
                raise CallFailed(str(cause)) from None
            if _redirect_loop(exc):
                raise CallFailed(f"{self.settings.server} redirected the request too many times (a redirect loop); check OPENAI_BASE_URL and the server") from None
            self.unreachable = self.settings.server
            if type(cause).__name__ in ("RemoteProtocolError", "LocalProtocolError"):  # connected, but the reply is not HTTP
                said = self.redactor.clip(_CONTROLS.sub(" ", str(cause)), 200).strip() or type(cause).__name__
                raise CallFailed(f"{self.settings.server} broke off or sent a reply that is not valid HTTP ({said}); check the server") from None
            raise CallFailed(f"cannot connect to {self.settings.server}; check OPENAI_BASE_URL and that the server is up") from None
        except _TooLarge as exc:
            raise CallFailed(str(exc) or f"the reply was larger than {limit} bytes (10x the output budget); it was cut off unread") from None
        except _Refused as exc:
            raise CallFailed(str(exc)) from None
        except (openai.OpenAIError, ValueError, RecursionError) as exc:  # ValueError: a body that is not JSON
            raise CallFailed(f"the server's reply could not be read ({type(exc).__name__}: {self.redactor.clip(str(exc), 200)})") from None
        self.unreachable = None
        return completion_from(body, time.perf_counter() - started, self.redactor)

    async def _send(self, kwargs: dict[str, Any], request: Request, limit: int) -> tuple[Any, Mapping[str, str]]:
        """One HTTP request; the body read in chunks and cut off past ``limit`` bytes."""
        if self.on_token is not None:
            return await self._stream(kwargs, request, limit)
        async with self.client.chat.completions.with_streaming_response.create(**kwargs) as response:
            chunks, size = [], 0
            async for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise _TooLarge
                chunks.append(chunk)
            return json.loads(b"".join(chunks)), response.headers

    async def _stream(self, kwargs: dict[str, Any], request: Request, limit: int) -> tuple[Any, Mapping[str, str]]:
        """Server-sent chunks, passed to ``on_token`` as they come; assembled into one body."""
        assert self.on_token is not None
        stream = await self.client.chat.completions.create(**kwargs, stream=True, stream_options={"include_usage": True})
        parts: list[str] = []
        size, finish, usage, model, chunks = 0, None, None, None, 0
        async for chunk in stream:
            chunks += 1
            # the SDK builds events unvalidated: any JSON a server sends arrives here as it is
            data = chunk.model_dump(warnings=False) if hasattr(chunk, "model_dump") else chunk
            choices = data.get("choices") if isinstance(data, dict) else None
            if not isinstance(data, dict) or not isinstance(choices, (list, type(None))) or not all(isinstance(c, dict) for c in choices or []):
                raise _Refused("the server's streamed reply held an event that is not a chat completion chunk; check the server, or drop --stream")
            usage = data.get("usage") or usage
            model = data.get("model") or model
            for choice in choices or []:
                delta = (choice.get("delta") if isinstance(choice.get("delta"), dict) else {}).get("content") or ""
                if not isinstance(delta, str):
                    raise _Refused(f"the server's streamed reply has a {type(delta).__name__} where content should be text; check the server")
                finish = choice.get("finish_reason") or finish
                if delta:
                    size += len(delta)
                    if size > limit:
                        await stream.close()
                        raise _TooLarge
                    parts.append(delta)
                    self.on_token(request.case_id, delta)
        if not chunks:  # an HTML page or a plain JSON body holds no server-sent event: not an empty answer
            raise _Refused("the server's streamed reply held no events; check that it serves chat completions, or drop --stream")
        if finish is None:  # every server ends a stream's last choice with a reason: this one was cut off
            raise _Refused("the server's streamed reply ended without a finish_reason (cut off); check the server, or drop --stream")
        body = {"model": model, "usage": usage, "choices": [{"message": {"content": "".join(parts)}, "finish_reason": finish}]}
        return body, stream.response.headers

    def _status_error(self, exc: openai.APIStatusError, request: Request) -> BackendError:
        code = exc.status_code
        if _format_rejected(exc):
            return UnsupportedFormat(f"the server rejected response_format {request.mode} (HTTP {code})", mode=request.mode)
        detail = self.redactor.clip(body_text(exc), 200).replace("\n", " ")
        tries = self.settings.transport_retries + 1
        cls = CallFailed if code in (408, 409, 429) or code >= 500 else BackendError
        hint = {
            400: "the server refused the request; check --model and the server's limits",
            401: "the API key was refused; set a valid OPENAI_API_KEY",
            403: "the API key may not use this model or endpoint; check its permissions",
            404: f"model {request.model!r} or the endpoint was not found; check --model and OPENAI_BASE_URL (it usually ends in /v1)",
            429: f"still rate-limited after {tries} tries; set --rpm/--tpm or lower --concurrency",
        }.get(code)
        if hint is None and code >= 500:
            hint = f"the server kept failing (HTTP {code}) after {tries} tries; try again later"
        if hint is None and 400 <= code < 500:  # the server read the request and refused it: say why, in its words
            return cls(self._refused(exc, request, tries))
        if hint is None:  # a code no server of chat completions answers with (a 302 without a Location)
            hint = f"the server answered HTTP {code}, not a chat completion; check OPENAI_BASE_URL (it usually ends in /v1) and the server"
        return cls(f"{hint} [HTTP {code}: {detail}]" if detail.strip() else hint)

    def _refused(self, exc: openai.APIStatusError, request: Request, tries: int) -> str:
        """One line for a 4xx the table above does not name: what the server said (its reason,
        redacted and cut short) and what the user can change."""
        code = exc.status_code
        said = server_said(exc, self.redactor)
        status = f"HTTP {code}: {said}" if said else f"HTTP {code}, no reason given"
        if code == 413:
            return (f"the server refused the request as too large ({status}); shorten the inputs, or lower --max-input-tokens "
                    f"(now {self.settings.max_input_tokens}) or CNAPS_MAX_OUTPUT_TOKENS (now {request.max_tokens})")
        if code == 422:
            sent = f"max_tokens {request.max_tokens}, temperature {request.temperature:g}"
            sent += f", seed {request.seed}" if request.seed is not None else ""
            sent += f", response_format {request.mode} (--structured)" if request.mode != "text" else ""
            return f"the server refused the request's parameters ({status}); check that model {request.model!r} takes them: {sent}"
        if code == 408:
            return f"the server gave up waiting for the request ({status}) after {tries} tries; check the network and the server"
        after = f" after {tries} tries" if code == 409 else ""  # a conflict is retried
        return f"the server refused the request (HTTP {code}){after}: {said}" if said else (
            f"the server refused the request (HTTP {code}){after} without giving a reason; check the server")
