"""A scripted backend for tests and dry runs: a real ``Backend``, not a mock.

``enqueue`` replies (text, ``Completion`` or an exception to raise); every request
is kept in ``history``.
"""

from __future__ import annotations

from collections import deque

from ..errors import BackendError
from . import Completion, Request


class ScriptedBackend:
    def __init__(self, *replies: str | Completion | Exception) -> None:
        self.replies: deque[str | Completion | Exception] = deque()
        self.history: list[Request] = []
        self.enqueue(*replies)

    def enqueue(self, *replies: str | Completion | Exception) -> None:
        self.replies.extend(replies)

    async def complete(self, request: Request) -> Completion:
        self.history.append(request)
        if not self.replies:
            raise BackendError("scripted backend has no reply left; enqueue more")
        reply = self.replies.popleft()
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, Completion):
            return reply
        return Completion(text=reply, finish_reason="stop")
