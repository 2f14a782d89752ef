"""A minimal asyncio OpenAI-compatible stub for load benchmarks: every POST is answered after
DELAY seconds with a completion that passes the checks for its case (built from the request,
so each case takes one request); every 10th (with --throttle) gets 429 + Retry-After: 1.

It parses only what HTTP/1.1 keep-alive needs, so the harness adds as little as possible to
the figures it measures. Run: python3 bench/fast_stub.py PORT DELAY [--throttle N]
Prints "ready" when listening; on SIGTERM prints the request count and the wall-clock times
of the first request received and the last response sent.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
import time

_SOURCE = re.compile(r'<source id="(R[0-9]+)">([^\n|]*?)(?: \| [^\n]*)?\n')
_QUESTION = re.compile(r"<question>(.*?)</question>", re.S)


def answer(request: bytes) -> bytes:
    """A completion that passes every check for whichever case asks: the question restated,
    each recommended model used in a step that claims nothing and quoted by its name."""
    user = next(m["content"] for m in json.loads(request)["messages"] if m["role"] == "user")
    question = _QUESTION.search(user)
    models = _SOURCE.findall(user)
    draft = json.dumps({
        "task": f"The user asks: {question.group(1) if question else 'how the recommended models help'}",
        "workflow": {"input": "the user's input", "output": "the result",
                     "steps": [{"source": sid, "does": f"Processes the input ({name}).", "quote": name} for sid, name in models]},
        "references": [{"source": sid, "reason": "It is a recommended model.", "quote": name} for sid, name in models],
        "caveats": [],
    })
    body = json.dumps({
        "id": "stub", "object": "chat.completion", "created": 0, "model": "stub",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": draft}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }).encode()
    return b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body) + body


ERR = b'{"error": {"message": "rate limited"}}'
THROTTLED = b"HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\nretry-after: 1\r\ncontent-length: %d\r\n\r\n" % len(ERR) + ERR


async def main(port: int, delay: float, throttle: int) -> None:
    count = {"n": 0, "throttled": 0}
    times = {"first": 0.0, "last": 0.0}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                request = await reader.readexactly(length)
                count["n"] += 1
                times["first"] = times["first"] or time.time()
                if throttle and count["n"] % throttle == 0:
                    count["throttled"] += 1
                    writer.write(THROTTLED)
                else:
                    await asyncio.sleep(delay)
                    writer.write(answer(request))
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
    print(f"requests={count['n']} throttled={count['throttled']} first={times['first']:.4f} last={times['last']:.4f}", flush=True)


if __name__ == "__main__":
    throttle = int(sys.argv[sys.argv.index("--throttle") + 1]) if "--throttle" in sys.argv else 0
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2]), throttle))
