"""A fake OpenAI Batch API on 127.0.0.1, for tests: files (upload, list, content) and batches
(create, list, retrieve, cancel), spoken to through the real openai SDK.

Each request line of a batch is answered by ``respond(custom_id, body)``: a completion
text, or an ``Answer`` (any status, or a line-level error). How each created batch ends
is scripted with ``plan(...)`` (completed by default; expired after some answers,
refused as ``failed``, ``ticks`` polls in progress first). ``hold(name, nth)`` makes the
nth upload, create or download stop half-way (a download after half its bytes) until
``release``: a test kills its client there. ``lines`` counts every request line of every
batch created, by custom id: a request sent twice shows as 2.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .stubserver import completion_body

TERMINAL = ("completed", "failed", "expired", "cancelled")


@dataclass
class Answer:
    text: str | None = None  # a completion with this content (status 200)
    status: int = 200
    body: Any = None  # the response body as given (overrides text)
    error: dict[str, Any] | None = None  # a line-level error: no response at all
    model: str = "gpt-4o-mini-2024-07-18"


@dataclass
class Plan:
    outcome: str = "completed"  # completed | expired | failed
    answered: int | None = None  # expired: how many lines are answered before the window ends
    ticks: int = 0  # extra polls spent in_progress
    errors: list[dict[str, Any]] = field(default_factory=list)  # failed: the batch's errors


@dataclass
class _Hold:
    nth: int
    seen: int = 0
    reached: threading.Event = field(default_factory=threading.Event)
    go: threading.Event = field(default_factory=threading.Event)


class FakeBatchAPI:
    def __init__(self, respond: Callable[[str, dict[str, Any]], str | Answer], *, max_requests: int = 50_000, max_bytes: int = 200 * 1024 * 1024) -> None:
        self.respond = respond
        self.max_requests, self.max_bytes = max_requests, max_bytes
        self.files: dict[str, dict[str, Any]] = {}
        self.content: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.state: dict[str, dict[str, Any]] = {}  # batch id -> lines, plan, ticks left
        self.plans: deque[Plan] = deque()
        self.lines: Counter[str] = Counter()
        self.calls: list[tuple[str, str]] = []
        self.holds: dict[str, _Hold] = {}
        self.lock = threading.Lock()
        self._n = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, payload: Any) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/octet-stream" if isinstance(payload, bytes) else "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                api.route(self, "GET", b"")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length") or 0)
                api.route(self, "POST", self.rfile.read(length))

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None  # a killed client is part of the test
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # ------------------------------------------------------------------ test controls

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def plan(self, *plans: Plan) -> None:
        self.plans.extend(plans)

    def hold(self, name: str, nth: int = 1) -> _Hold:
        self.holds[name] = _Hold(nth)
        return self.holds[name]

    def release(self, name: str) -> None:
        self.holds[name].go.set()

    def created(self) -> list[dict[str, Any]]:
        return list(self.batches.values())

    def __enter__(self) -> FakeBatchAPI:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        for h in self.holds.values():
            h.go.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # ------------------------------------------------------------------ the API

    def _id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}-{self._n:06d}"

    def _held(self, name: str) -> _Hold | None:
        h = self.holds.get(name)
        if h is None:
            return None
        with self.lock:
            h.seen += 1
            return h if h.seen == h.nth else None

    def route(self, handler: Any, method: str, body: bytes) -> None:
        url = urlsplit(handler.path)
        parts = [p for p in url.path.split("/") if p][1:]  # drop "v1"
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.calls.append((method, "/".join(parts[:1] + (["<id>"] if len(parts) > 1 else []) + parts[2:])))
        if method == "POST" and parts == ["files"]:
            return self._upload(handler, body)
        if method == "GET" and parts == ["files"]:
            return handler._send(200, self._list(list(self.files.values()), query))
        if method == "GET" and len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
            return self._download(handler, parts[1])
        if method == "POST" and parts == ["batches"]:
            return self._create(handler, json.loads(body))
        if method == "GET" and parts == ["batches"]:
            return handler._send(200, self._list(list(self.batches.values()), query))
        if method == "GET" and len(parts) == 2 and parts[0] == "batches":
            return handler._send(200, self._advance(parts[1]))
        if method == "POST" and len(parts) == 3 and parts[0] == "batches" and parts[2] == "cancel":
            with self.lock:
                b = self.batches[parts[1]]
                if b["status"] not in TERMINAL:
                    b["status"], b["cancelling_at"] = "cancelling", int(time.time())
            return handler._send(200, b)
        handler._send(404, {"error": {"message": f"no route {method} {url.path}"}})

    @staticmethod
    def _list(items: list[dict[str, Any]], query: dict[str, str]) -> dict[str, Any]:
        items = items[::-1] if query.get("order", "desc") == "desc" else items  # newest first, as OpenAI lists
        if "purpose" in query:
            items = [i for i in items if i.get("purpose") == query["purpose"]]
        if "after" in query:
            ids = [i["id"] for i in items]
            items = items[ids.index(query["after"]) + 1 :] if query["after"] in ids else []
        limit = int(query.get("limit", 20))
        page = items[:limit]
        return {"object": "list", "data": page, "has_more": len(items) > limit,
                "first_id": page[0]["id"] if page else None, "last_id": page[-1]["id"] if page else None}

    def _upload(self, handler: Any, body: bytes) -> None:
        boundary = handler.headers["content-type"].split("boundary=")[1].strip('"').encode()
        fields: dict[str, tuple[str | None, bytes]] = {}
        for chunk in body.split(b"--" + boundary)[1:-1]:
            head, _, data = chunk.strip(b"\r\n").partition(b"\r\n\r\n")
            disposition = head.decode()
            name = disposition.split('name="')[1].split('"')[0]
            filename = disposition.split('filename="')[1].split('"')[0] if 'filename="' in disposition else None
            fields[name] = (filename, data)
        filename, data = fields["file"]
        with self.lock:
            fid = self._id("file")
            self.files[fid] = {"id": fid, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                               "filename": filename, "purpose": fields["purpose"][1].decode(), "status": "processed"}
            self.content[fid] = data
        h = self._held("upload")
        if h is not None:
            h.reached.set()
            h.go.wait(30)
        handler._send(200, self.files[fid])

    def _download(self, handler: Any, fid: str) -> None:
        data = self.content[fid]
        h = self._held("download")
        handler.send_response(200)
        handler.send_header("content-type", "application/octet-stream")
        handler.send_header("content-length", str(len(data)))
        handler.end_headers()
        if h is not None:
            handler.wfile.write(data[: len(data) // 2])
            handler.wfile.flush()
            h.reached.set()
            h.go.wait(30)
            try:
                handler.wfile.write(data[len(data) // 2 :])
            except OSError:
                pass
            return
        handler.wfile.write(data)

    def _create(self, handler: Any, req: dict[str, Any]) -> None:
        now = int(time.time())
        with self.lock:
            bid = self._id("batch")
            raw = self.content.get(req["input_file_id"], b"")
            lines = [json.loads(x) for x in raw.splitlines() if x.strip()]
            plan = self.plans.popleft() if self.plans else Plan()
            if len(lines) > self.max_requests or len(raw) > self.max_bytes:
                plan = Plan("failed", errors=[{"code": "too_large", "message": f"{len(lines)} requests, {len(raw)} bytes: over the limit"}])
            for line in lines:
                self.lines[line["custom_id"]] += 1
            b = {"id": bid, "object": "batch", "endpoint": req["endpoint"], "input_file_id": req["input_file_id"],
                 "completion_window": req["completion_window"], "status": "validating", "created_at": now,
                 "metadata": req.get("metadata"), "errors": None, "output_file_id": None, "error_file_id": None,
                 "request_counts": {"total": 0, "completed": 0, "failed": 0}}
            self.batches[bid] = b
            self.state[bid] = {"lines": lines, "plan": plan, "ticks": plan.ticks}
        h = self._held("create")
        if h is not None:
            h.reached.set()
            h.go.wait(30)
        handler._send(200, b)

    def _advance(self, bid: str) -> dict[str, Any]:
        """Each read moves a batch one step: validating -> in_progress (-> ticks) -> its planned end."""
        with self.lock:
            b, s = self.batches[bid], self.state[bid]
            plan: Plan = s["plan"]
            if b["status"] == "validating":
                if plan.outcome == "failed":
                    b["status"], b["failed_at"] = "failed", int(time.time())
                    b["errors"] = {"object": "list", "data": [{"line": None, "param": None, **e} for e in plan.errors]}
                else:
                    b["status"] = "in_progress"
                    b["request_counts"]["total"] = len(s["lines"])
            elif b["status"] == "in_progress" and s["ticks"] > 0:
                s["ticks"] -= 1
                done = len(s["lines"]) // (s["ticks"] + 2)
                b["request_counts"]["completed"] = done
            elif b["status"] in ("in_progress", "cancelling"):
                self._finish(b, s, plan)
            return dict(b)

    def _finish(self, b: dict[str, Any], s: dict[str, Any], plan: Plan) -> None:
        lines = s["lines"]
        stop = {"cancelling": "cancelled", "in_progress": plan.outcome if plan.outcome == "expired" else "completed"}[b["status"]]
        answered = len(lines) if stop == "completed" else (plan.answered or 0)
        out, err = [], []
        for i, line in enumerate(lines):
            cid = line["custom_id"]
            if i >= answered:
                if stop == "expired":
                    err.append({"id": f"req-{i}", "custom_id": cid, "response": None,
                                "error": {"code": "batch_expired", "message": "This request could not be executed before the completion window expired."}})
                continue  # cancelled before it ran: in neither file
            a = self.respond(cid, line["body"])
            a = Answer(text=a) if isinstance(a, str) else a
            if a.error is not None:
                err.append({"id": f"req-{i}", "custom_id": cid, "response": None, "error": a.error})
                continue
            body = a.body if a.body is not None else json.loads(completion_body(a.text or "", model=a.model))
            row = {"id": f"req-{i}", "custom_id": cid, "response": {"status_code": a.status, "request_id": f"r{i}", "body": body}, "error": None}
            (out if a.status == 200 else err).append(row)
        for rows, key in ((out, "output_file_id"), (err, "error_file_id")):
            if rows:
                fid = self._id("file")
                data = "".join(json.dumps(r) + "\n" for r in rows).encode()
                self.files[fid] = {"id": fid, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                                   "filename": f"{b['id']}_{key}.jsonl", "purpose": "batch_output", "status": "processed"}
                self.content[fid] = data
                b[key] = fid
        b["status"] = stop
        b[f"{stop}_at"] = int(time.time())
        b["request_counts"] = {"total": len(lines), "completed": len(out), "failed": len(err)}
