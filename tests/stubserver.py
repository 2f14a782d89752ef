"""A scriptable OpenAI-compatible HTTP server on 127.0.0.1, for tests.

Each POST to /v1/chat/completions takes the next scripted reply: a completion text,
or a fault (status code with headers and body, a delay, a dropped connection).
With the script empty it answers with ``default``. Every request body is kept.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


LLAMA_REJECTS_SCHEMA = json.dumps(
    {"error": {"message": "1 validation error: response_format.type Input should be 'text' or 'json_object'", "type": "internal_server_error"}}
)


@dataclass
class Reply:
    text: str | None = None  # a normal completion with this content
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None  # raw body, overrides text
    delay: float = 0.0
    drop: bool = False  # close the connection without answering
    finish_reason: str = "stop"
    refusal: str | None = None
    choices: bool = True
    echo_headers: bool = False  # put the request's headers in the body, as careless servers do
    usage: Any = None  # the usage object to send, as given (odd values on purpose)
    model: Any = "stub"
    trickle: float = 0.0  # seconds between single bytes of the body
    raw: bytes | None = None  # the body's bytes as sent (with `headers` saying how they are encoded)
    reply_to: Any = None  # a function of the request body giving the completion text (overrides text)


_SOURCE = re.compile(r'<source id="(R[0-9]+)">([^\n|]*?)(?: \| [^\n]*)?\n')
_QUESTION = re.compile(r"<question>(.*?)</question>", re.S)


def grounded_draft(body: dict[str, Any]) -> str:
    """A draft that passes every check for whatever case the request is about: it reads the
    question and the recommended models from the request, uses each model in a step that
    claims nothing, and quotes each one's name (what a stub can know of any case)."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    question = _QUESTION.search(user)
    models = _SOURCE.findall(user)
    return json.dumps({
        "task": f"The user asks: {question.group(1) if question else 'how the recommended models help'}",
        "workflow": {
            "input": "the user's input",
            "steps": [{"source": sid, "does": f"Processes the input ({name}).", "quote": name} for sid, name in models],
            "output": "the result",
        },
        "references": [{"source": sid, "reason": "It is a recommended model.", "quote": name} for sid, name in models],
        "caveats": [],
    })


def completion_body(text: str, finish_reason: Any = "stop", refusal: str | None = None, choices: bool = True, usage: Any = None, model: Any = "stub") -> str:
    return json.dumps(
        {
            "id": "chatcmpl-stub",
            "object": "chat.completion",
            "created": 0,
            "model": model,
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text, "refusal": refusal}, "finish_reason": finish_reason}
            ]
            if choices
            else [],
            "usage": usage if usage is not None else {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }
    )


class StubServer:
    def __init__(self, default: Reply | None = None) -> None:
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.default = default or Reply(text="{}")
        self.fault_every: tuple[int, Reply] | None = None  # (n, reply): every n-th request gets reply
        self.reject_json_schema = False  # answer json_schema requests as llama.cpp's server does (HTTP 500)
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with stub.lock:
                    stub.requests.append(body)
                    stub.headers.append(dict(self.headers))
                    if stub.reject_json_schema and (body.get("response_format") or {}).get("type") == "json_schema":
                        reply = Reply(status=500, body=LLAMA_REJECTS_SCHEMA)
                    else:
                        reply = stub.script.popleft() if stub.script else stub.default
                    if stub.fault_every and len(stub.requests) % stub.fault_every[0] == 0:
                        reply = stub.fault_every[1]
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                text = reply.reply_to(body) if reply.reply_to is not None else reply.text
                payload = reply.body if reply.body is not None else completion_body(
                    text or "", reply.finish_reason, reply.refusal, reply.choices, reply.usage, reply.model
                )
                if reply.echo_headers:
                    payload = json.dumps({"error": {"message": f"bad request, headers were {dict(self.headers)}"}})
                data = reply.raw if reply.raw is not None else payload.encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if reply.trickle:
                    for i in range(len(data)):
                        try:
                            self.wfile.write(data[i : i + 1])
                            self.wfile.flush()
                        except OSError:
                            return  # the client gave up: what a real trickling server sees
                        time.sleep(reply.trickle)
                    return
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None  # a client that hung up is part of the test
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def enqueue(self, *replies: Reply) -> None:
        with self.lock:
            self.script.extend(replies)

    def __enter__(self) -> StubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
