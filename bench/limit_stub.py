"""An asyncio OpenAI-compatible stub that enforces rate limits as a real API does, for bench/rate_limits.py.

Requests and tokens are two buckets refilled continuously, each holding one second of its
per-minute limit (OpenAI enforces per-minute limits over shorter periods). A request the
buckets cannot pay for gets 429 with Retry-After; every answer carries the
x-ratelimit-remaining-* and x-ratelimit-reset-* headers. Tokens are estimated as the
client does: message characters / 4 + max_tokens.
Run: python3 bench/limit_stub.py PORT DELAY RPM TPM; prints "ready"; on SIGTERM prints counts.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from fast_stub import BODY  # noqa: E402


class Bucket:
    def __init__(self, per_minute: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate)
        self.level = self.capacity
        self.at = time.monotonic()

    def refill(self) -> None:
        now = time.monotonic()
        self.level = min(self.capacity, self.level + (now - self.at) * self.rate)
        self.at = now

    def wait_for(self, amount: float) -> float:
        self.refill()
        need = min(amount, self.capacity) - self.level
        return max(0.0, need / self.rate)


def response(status: str, body: bytes, headers: dict[str, str]) -> bytes:
    head = f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode() + b"\r\n" + body


async def main(port: int, delay: float, rpm: float, tpm: float) -> None:
    req, tok = Bucket(rpm), Bucket(tpm)
    count = {"n": 0, "limited": 0, "tokens": 0.0}
    times = {"first": 0.0, "last": 0.0}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line[15:]) for line in head.split(b"\r\n") if line[:15].lower() == b"content-length:"), 0)
                body = json.loads(await reader.readexactly(length))
                tokens = sum(len(m.get("content") or "") for m in body.get("messages", [])) / 4 + body.get("max_tokens", 0)
                count["n"] += 1
                times["first"] = times["first"] or time.time()
                wait = max(req.wait_for(1), tok.wait_for(tokens))
                if wait > 0:
                    count["limited"] += 1
                    headers = {"retry-after": f"{wait:.3f}", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": f"{wait:.3f}s"}
                    writer.write(response("429 Too Many Requests", b'{"error": {"message": "rate limited"}}', headers))
                else:
                    req.level -= 1
                    tok.level -= tokens  # below zero for a large request: it uses the refill to come
                    count["tokens"] += tokens
                    headers = {
                        "x-ratelimit-remaining-requests": str(int(req.level)),
                        "x-ratelimit-remaining-tokens": str(int(max(0, tok.level))),
                        "x-ratelimit-reset-requests": f"{(req.capacity - req.level) / req.rate:.3f}s",
                        "x-ratelimit-reset-tokens": f"{(tok.capacity - tok.level) / tok.rate:.3f}s",
                    }
                    await asyncio.sleep(delay)
                    writer.write(response("200 OK", BODY, headers))
                await writer.drain()
                times["last"] = time.time()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=512)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("ready", flush=True)
    async with server:
        await stop.wait()
        server.close()
    print(f"requests={count['n']} limited={count['limited']} tokens={count['tokens']:.0f} first={times['first']:.4f} last={times['last']:.4f}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])))
