"""Errors the user can act on, and the exit codes they map to.

Every message is one line that says what is wrong and what to do next. Library
code raises these; only ``cli.py`` turns them into output and an exit code.
"""

from __future__ import annotations

# One table, used by every command, printed in --help and the README.
EXIT_CODES: dict[int, str] = {
    0: "every case grounded (or repaired); no threshold missed",
    1: "some case not grounded, or an eval threshold missed",
    2: "bad input, settings or arguments (nothing was sent)",
    3: "the model server was unreachable or kept failing",
    4: "replay: a case has no recording",
    70: "internal error (a bug: rerun with CNAPS_DEBUG=1 and report it)",
    130: "interrupted (Ctrl-C); finished cases are kept",
}
OK, NOT_GROUNDED, BAD_INPUT, SERVER, NO_RECORDING, INTERNAL, INTERRUPTED = 0, 1, 2, 3, 4, 70, 130


def exit_codes_help() -> str:
    return "Exit codes: " + "; ".join(f"{code} {what}" for code, what in EXIT_CODES.items()) + "."


class CnapsError(Exception):
    """Base class: a problem the user can fix. ``exit_code`` is what the CLI returns."""

    exit_code = BAD_INPUT

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


class PromptTooLong(ConfigError):
    """One case's prompt does not fit ``--max-input-tokens`` even with its summaries
    shortened: the pipeline records it as that case's failure and goes on with the others."""


class BackendError(CnapsError):
    """The model server refused or failed in a way retrying will not fix."""

    exit_code = SERVER


class CallFailed(BackendError):
    """One call failed even after transport retries (5xx, 429, timeout, unreadable reply).

    The pipeline records it as that case's failure and goes on with the other cases.
    """


class UnsupportedFormat(BackendError):
    """The server rejected the structured ``mode`` the request used; the pipeline falls back."""

    def __init__(self, message: str, *, mode: str) -> None:
        super().__init__(message)
        self.mode = mode


class ReplayMiss(CnapsError):
    """``--cache replay`` was asked for a request that was never recorded: that case's failure."""

    exit_code = NO_RECORDING
