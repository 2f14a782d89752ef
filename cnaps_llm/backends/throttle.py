"""Rate limits as a budget shared by every request of a run.

Invariant: one ``Throttle`` per run. ``acquire`` waits for (1) a run-wide pause set by a
429 or by rate-limit headers saying the budget is spent, then (2) a request slot and
(3) the request's estimated tokens, from leaky buckets (aiolimiter) holding one second of
the budget: a steady flow at the limit, never a minute's worth at once (servers enforce
per-minute limits over shorter periods, OpenAI says so of its own). A limit too small to admit a
request within a case's deadline is said at once (``refusal``), never waited out.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Mapping

_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$")


def parse_reset(value: str | None) -> float | None:
    """Seconds until a budget resets, from ``x-ratelimit-reset-*`` (``"1s"``, ``"6m0s"``, ``"20ms"``, ``"0.5"``)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    m = _DURATION.match(value)
    if not m or not any(m.groups()):
        return None
    h, mnt, s, ms = (float(g) if g else 0.0 for g in m.groups())
    return h * 3600 + mnt * 60 + s + ms / 1000


def _limiter(per_minute: float):  # type: ignore[no-untyped-def]
    from aiolimiter import AsyncLimiter

    # one second's worth of the budget (at least one unit, for limits under one a second)
    capacity = max(1.0, per_minute / 60.0)
    return AsyncLimiter(capacity, capacity * 60.0 / per_minute)


def span(seconds: float) -> str:
    """A wait in words: "40 s", "12 minutes", "3.5 hours", "1,234 days"."""
    for unit, size in (("days", 86400.0), ("hours", 3600.0), ("minutes", 60.0)):
        if seconds >= 2 * size:
            n = seconds / size
            return f"{n:,.0f} {unit}" if n >= 10 else f"{n:.1f} {unit}"
    return f"{seconds:.0f} s"


class Throttle:
    def __init__(self, rpm: float | None = None, tpm: float | None = None, *, max_pause: float = 60.0) -> None:
        self.rpm, self.tpm = rpm, tpm
        self.requests = _limiter(rpm) if rpm else None
        self.tokens = _limiter(tpm) if tpm else None
        self.max_pause = max_pause
        self.last_request = 1.0  # tokens of the latest request: what the next one likely needs
        self._resume_at = 0.0  # time.monotonic() before which nothing is dispatched
        self.pauses = 0

    async def acquire(self, tokens: float = 0.0) -> None:
        self.last_request = max(1.0, tokens)
        while (wait := self._resume_at - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        if self.requests is not None:
            await self.requests.acquire()
        if self.tokens is not None:
            # a request larger than the bucket takes it several times over: the average holds
            while tokens > 0:
                take = min(tokens, self.tokens.max_rate)
                await self.tokens.acquire(take)
                tokens -= take

    def first_admission(self, tokens: float) -> float:
        """Seconds an idle throttle takes to admit one request of ``tokens`` estimated tokens:
        its first bucketful at once, the rest at the limit's rate."""
        if self.tokens is None or not self.tpm:
            return 0.0
        return max(0.0, tokens - self.tokens.max_rate) * 60.0 / self.tpm

    def refusal(self, tokens: float, within: float) -> str | None:
        """Why a request of ``tokens`` estimated tokens cannot be sent within ``within`` seconds
        (a case's deadline) under these limits, as one line naming the flag to raise; None when
        it can. A request interval longer than the deadline leaves no case room for a retry, a
        redraft or the next case's first request."""
        wait = self.first_admission(tokens)
        if wait > within:
            return (f"--tpm {self.tpm:g} admits a request of ~{tokens:,.0f} tokens (its prompt and output budget) only after "
                    f"{span(wait)}, longer than a case may take ({within:g} s, --case-timeout); raise --tpm")
        if self.rpm and 60.0 / self.rpm > within:
            return (f"--rpm {self.rpm:g} admits one request every {span(60.0 / self.rpm)}, longer than a case may take "
                    f"({within:g} s, --case-timeout), so no retry, redraft or next case could be sent in time; raise --rpm")
        return None

    def pause(self, seconds: float) -> None:
        """Hold every request of the run for ``seconds`` (capped): a 429 is the server's
        word on the whole run's rate, not on one request."""
        seconds = min(max(0.0, seconds), self.max_pause)
        resume = time.monotonic() + seconds
        if resume > self._resume_at:
            self._resume_at = resume
            self.pauses += 1

    def observe(self, headers: Mapping[str, str]) -> None:
        """Pause before the server has to say 429, when its headers say a budget is spent."""
        for kind in ("requests", "tokens"):
            remaining = headers.get(f"x-ratelimit-remaining-{kind}")
            if remaining is None:
                continue
            try:
                left = float(remaining)
            except ValueError:
                continue
            need = 1.0 if kind == "requests" else self.last_request
            if left < need:
                reset = parse_reset(headers.get(f"x-ratelimit-reset-{kind}"))
                if reset is not None:
                    self.pause(reset)
