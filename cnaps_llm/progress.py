"""What a run shows while it works: a live status on a terminal, one line per attempt elsewhere.

Invariant: writes to stderr only, so stdout carries nothing but checked answers. On
a terminal the live view (rich) is transient: streamed text shown there is replaced
by the checked answer, never printed as one. Not on a terminal, each attempt is one
line, and ``--stream`` text goes to stderr as it arrives.
"""

from __future__ import annotations

import re
import sys
import time
from typing import Any

from .fsutil import terminal_line
from .models import Result
from .pipeline import Event

_TAIL = 240  # characters of streamed text shown per case
# what a streamed reply may not bring to stderr: control characters but tab and line feed
# (a terminal acts on ESC, CSI, BEL, a carriage return), bidirectional overrides and isolates
_UNSHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")


def _shown(text: str) -> str:
    return _UNSHOWN.sub("", text) if _UNSHOWN.search(text) else text


class Progress:
    def __init__(self, total: int, label: str, *, stream: bool = False, attempt_lines: bool = True, terminal: bool | None = None) -> None:
        self.total, self.label, self.stream, self.attempt_lines = total, label, stream, attempt_lines
        self.terminal = sys.stderr.isatty() if terminal is None else terminal
        self.active: dict[str, Event] = {}
        self.streamed: dict[str, str] = {}
        self.counts = {"grounded": 0, "repaired": 0, "failed": 0}
        self.live: Any = None
        self._mid_line = False  # streamed text on stderr not yet ended by a line break
        if self.terminal:
            from rich.console import Console
            from rich.live import Live

            self.live = Live(self, console=Console(stderr=True), refresh_per_second=4, transient=True)
            self.live.start()

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.text import Text

        done = sum(self.counts.values())
        lines = []
        if self.total > 1:
            c = self.counts
            lines.append(Text(f"{self.label}: {done}/{self.total} done, {c['grounded']} grounded, {c['repaired']} repaired, {c['failed']} failed", style="bold"))
        now = time.monotonic()
        for cid, e in list(self.active.items())[:8]:
            lines.append(Text(terminal_line(f"⠿ {cid}: attempt {e.attempt}, {e.mode}, {now - e.started:.0f} s")))
            tail = terminal_line(self.streamed.get(cid, "")[-_TAIL:].replace("\n", " ").replace("\t", " "))
            if tail:
                lines.append(Text("   " + tail, style="dim"))
        return Group(*lines)

    def event(self, e: Event) -> None:
        if e.phase == "request":
            self.active[e.case_id] = e
            self.streamed.pop(e.case_id, None)
        elif e.phase == "failed" and self.total == 1:
            return  # one case: its result line follows at once, and says the same
        elif not self.terminal and self.attempt_lines:
            if self._mid_line:  # a streamed reply without a final line break: the attempt line starts its own
                sys.stderr.write("\n")
                self._mid_line = False
            verdict = e.error if e.phase == "failed" else "passed the checks" if not e.violations else f"{e.violations} violation(s)"
            sys.stderr.write(terminal_line(f"{e.case_id}: attempt {e.attempt} ({e.mode}, {time.monotonic() - e.started:.1f} s): {verdict}") + "\n")
            sys.stderr.flush()

    def token(self, case_id: str | None, text: str) -> None:
        cid = case_id or "?"
        text = _shown(text)  # a model's escapes never reach the terminal, even through `2>&1 | tee`
        if self.terminal:
            self.streamed[cid] = (self.streamed.get(cid, "") + text)[-4 * _TAIL :]
        elif self.stream and text:
            sys.stderr.write(text)
            sys.stderr.flush()
            self._mid_line = not text.endswith("\n")

    def result(self, r: Result) -> None:
        self.active.pop(r.case_id, None)
        self.streamed.pop(r.case_id, None)
        self.counts[r.status] = self.counts.get(r.status, 0) + 1
        if self.stream and not self.terminal:
            sys.stderr.write("\n")
            self._mid_line = False

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
