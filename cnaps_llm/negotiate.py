"""Which structured mode a server accepts, settled once per run before fanning out.

Invariant: while the mode is unsettled (``--structured auto`` and no remembered answer
for this server and model), one request at a time is in flight; the first reply
settles it (so does a probe that times out or fails: only a rejection keeps probing),
and every later request uses that mode. A rejection downgrades only from
the mode the rejected request used (compare-and-set), so requests in flight when a
server rejects ``json_schema`` never push the run past ``json_object``. What a server
accepted is remembered in the user cache for the next run.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from .errors import CallFailed, InputError

FALLBACK = {"json_schema": "json_object", "json_object": "text"}


class ModeNegotiator:
    def __init__(self, start: str, *, auto: bool, memory: Path | None = None, server: str = "") -> None:
        self.mode = start
        self.auto = auto
        self.memory, self.key = memory, server
        self.fallbacks: list[str] = []
        remembered = self._recall() if auto else None
        if remembered:
            self.mode = remembered
        # a fixed mode, or one remembered for this server, needs no probing
        self.settled = not auto or remembered is not None
        self._probe = asyncio.Lock()

    @classmethod
    def for_run(cls, structured: str, *, memory: Path | None = None, server: str = "") -> ModeNegotiator:
        auto = structured == "auto"
        return cls("json_schema" if auto else structured, auto=auto, memory=memory, server=server)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[str]:
        """The mode to send in; while unsettled, the caller holds the one probing slot."""
        if not self.settled:
            async with self._probe:
                if not self.settled:  # still unsettled now that this caller holds the slot: it probes
                    mode = self.mode
                    try:
                        yield mode
                    except (TimeoutError, CallFailed):
                        # no reply in time, or a server that keeps failing: not a rejection (a
                        # server refuses a format at once). Probing on one request at a time
                        # would leave every other case waiting behind each slow one, so the run
                        # fans out in this mode; a later rejection still steps down. Not
                        # remembered for the next run: nothing was accepted.
                        if mode == self.mode:
                            self._settle(remember=False)
                        raise
                    if mode == self.mode:  # the request was not rejected: this mode works here
                        self._settle()
                    return
        yield self.mode  # settled (perhaps while waiting): no lock, full concurrency

    def reject(self, mode: str) -> bool:
        """The server rejected ``mode``; step down from it unless a step was already taken.
        False when there is nowhere left to go (a fixed mode, or plain text)."""
        if self.mode != mode:
            return True  # another request already stepped down: just resend
        nxt = FALLBACK.get(mode) if self.auto else None
        if nxt is None:
            return False
        self.fallbacks.append(f"{mode} -> {nxt}")
        self.mode = nxt
        return True

    def _settle(self, *, remember: bool = True) -> None:
        if self.settled:
            return
        self.settled = True
        if remember and self.memory is not None and self.key:
            try:
                known = json.loads(self.memory.read_text(encoding="utf-8")) if self.memory.is_file() else {}
            except (OSError, ValueError, RecursionError):
                known = {}
            if not isinstance(known, dict) or known.get(self.key) == self.mode:
                return
            known[self.key] = self.mode
            from .fsutil import atomic_write

            try:
                atomic_write(self.memory, json.dumps(known, indent=2, sort_keys=True) + "\n")
            except InputError:  # what atomic_write makes of an OSError
                pass  # a read-only cache costs one probe next run, nothing more

    def _recall(self) -> str | None:
        if self.memory is None or not self.key or not self.memory.is_file():
            return None
        try:
            mode = json.loads(self.memory.read_text(encoding="utf-8")).get(self.key)
        except (OSError, ValueError, AttributeError, RecursionError):
            return None
        return mode if mode in ("json_schema", "json_object", "text") else None
