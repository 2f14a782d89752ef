"""Errors the user can act on.

Every message is one line that says what is wrong and what to do next. Library
code raises these; only ``cli.py`` turns them into output and an exit code.
"""

from __future__ import annotations


class CnapsError(Exception):
    """Base class: a problem the user can fix. ``exit_code`` is what the CLI returns."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(CnapsError):
    """A prompt file, answer file or dataset that cannot be used.

    ``where`` is ``path:line`` (or just ``path``) so the message points at the spot.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class ConfigError(CnapsError):
    """Settings that are missing or contradictory (no API key, bad flag value)."""


class BackendError(CnapsError):
    """The model server refused or failed in a way retrying will not fix."""

    exit_code = 3


class CallFailed(BackendError):
    """One call failed even after transport retries (5xx, 429, timeout, unreadable reply).

    The pipeline records it as that case's failure and goes on with the other cases;
    errors that doom every case (bad key, unknown model, server unreachable) stay plain
    ``BackendError`` and stop the run.
    """


class UnsupportedFormat(BackendError):
    """The server rejected the requested ``response_format``; the pipeline falls back."""


class ReplayMiss(CnapsError):
    """``--cache replay`` was asked for a request that was never recorded."""

    exit_code = 3
