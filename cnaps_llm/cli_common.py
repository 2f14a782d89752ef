"""What the command modules share: argument types, how inputs are named and loaded, settings, running with progress, exit codes.

Invariant: typer and ``errors`` only at import time (``cnaps-llm --help`` loads this);
everything heavier is imported inside the function that needs it. No
``from __future__ import annotations``: Typer evaluates these annotations once, as written.
"""

import os
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from .errors import BAD_INPUT, INTERRUPTED, NO_RECORDING, NOT_GROUNDED, OK, SERVER, ConfigError, InputError

Files = Annotated[
    Optional[list[str]],
    typer.Argument(metavar="FILE...", help="Prompt files, JSON/JSONL datasets or folders; `-` reads stdin; `example:003` a bundled example."),
]
Example = Annotated[
    Optional[list[str]],
    typer.Option("--example", "-e", metavar="NAME", help="A bundled example case by number (`003`), or `all`; repeatable. Needs no clone."),
]


Model = Annotated[Optional[str], typer.Option("--model", "-m", metavar="NAME", help="Model name (env CNAPS_MODEL).")]
MaxTokens = Annotated[Optional[int], typer.Option("--max-input-tokens", metavar="N", help="Prompt budget; longer summaries are shortened.")]
Structured = Annotated[Optional[str], typer.Option("--structured", metavar="MODE", help="auto | json_schema | json_object | text.")]


ConfigFile = Annotated[
    Optional[Path], typer.Option("--config", metavar="FILE", help="pyproject.toml holding [tool.cnaps-llm] (default: ./pyproject.toml if there is one).")
]


# what a parameter naming a file or folder is shown as (a click path type says so too)
PATH_METAVARS = frozenset({"FILE", "FILE...", "DATASET...", "DIR", "RUN.json", "PROMPT", "ANSWER"})
_WANTED = {"DIR": "a folder (`.` for the current one)", "FILE...": "a file or folder", "DATASET...": "a file or folder"}


def refuse_empty_paths(command: Any) -> None:
    """Make every path parameter of a click ``command`` (and of its subcommands) refuse an
    empty value: ``Path("")`` is ``.``, so `-o ""` (an unset variable) would quietly write
    into the current folder and `parse ""` read it. A usage error (exit 2, one line) naming
    the parameter, raised before the command runs; `.` and `-` are still paths."""
    for param in command.params:
        # click's path type by its name: typer 0.28 bundles its own click (``typer._click``),
        # and a user's install has no other (``import click`` failed there at start-up)
        if param.metavar in PATH_METAVARS or getattr(param.type, "name", None) == "path":
            param.type_cast_value = _not_empty(param, param.type_cast_value)
    for sub in getattr(command, "commands", {}).values():
        refuse_empty_paths(sub)


def _not_empty(param: Any, cast: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    long = [o for o in param.opts if o.startswith("--")]
    label = long[0] if long and param.param_type_name == "option" else (param.metavar or param.name).removesuffix("...")
    wanted = _WANTED.get(param.metavar, "a file")

    def checked(ctx: Any, value: Any) -> Any:
        if any(v == "" for v in (value if isinstance(value, (list, tuple)) else (value,))):
            raise ConfigError(f"{label} was given an empty path; give {wanted}")
        return cast(ctx, value)

    return checked


def err(message: str) -> None:
    """One line on stderr: secrets masked, and control characters (a line break in a file
    name, an escape a server sent) written as escapes, never acted on by the terminal."""
    from .fsutil import terminal_line
    from .redact import redact

    sys.stderr.write(f"cnaps-llm: {terminal_line(redact(message))}\n")


def input_paths(files: list[str] | None, examples: list[str] | None = None) -> list[str]:
    """The inputs named on the command line: files, and bundled examples (`--example 003`, `example:003`)."""
    from .resources import examples as bundled

    out: list[str] = []
    for name in examples or []:
        out += [str(p) for p in bundled(name)]
    for f in files or []:
        out += [str(p) for p in bundled(f.removeprefix("example:"))] if f.startswith("example:") else [f]
    if not out:
        raise InputError("give prompt files, folders or datasets, or --example NAME (try --example 003)")
    if out.count("-") > 1:  # stdin reads once: the second would read as empty
        raise InputError("`-` (stdin) can be given once")
    return out


def load_cases(files: list[str] | None, examples: list[str] | None = None) -> tuple[list, int]:
    """Every case in ``files``; each bad file or line is reported on stderr and counted."""
    from .inputs import expand_paths, iter_cases

    cases, bad = [], 0
    for path in expand_paths(input_paths(files, examples)):
        for item in iter_cases(path):
            if isinstance(item, InputError):
                err(item.message)
                bad += 1
            else:
                cases.append(item)
    return cases, bad


def use_color() -> bool:
    """Colour on a terminal, plain when piped or with NO_COLOR set (no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def make_settings(**flags: object):
    from .settings import load_settings

    return load_settings(**flags)


def run_with_progress(cases: list, settings, *, concurrency: int, on_result=None, label: str = "generating"):  # type: ignore[no-untyped-def]
    """Run cases with live progress on stderr; ``on_result`` sees each result as it lands."""
    from .pipeline import RunOptions
    from .progress import Progress
    from .runner import run_cases

    # eval over a dataset wants its report, not a line per attempt
    progress = Progress(len(cases), label, stream=settings.stream, attempt_lines=label == "generating")

    def landed(result) -> None:  # type: ignore[no-untyped-def]
        progress.result(result)
        if on_result is not None:
            on_result(result)

    options = RunOptions.from_settings(settings, on_event=progress.event)
    try:
        return run_cases(
            cases, settings, options=options, concurrency=concurrency, on_result=landed,
            on_token=progress.token if settings.stream else None,
        )
    except KeyboardInterrupt:  # typer would turn it into a silent exit 130
        progress.close()
        err("interrupted; finished cases are kept")
        raise typer.Exit(INTERRUPTED) from None
    finally:
        progress.close()


def exit_code(results: list, bad: int) -> int:
    """One rule for every command: 2 bad input (a file, or a case whose prompt cannot be sent), else 3 server, else 4 missing recording, else 1 not grounded."""
    kinds = {r.error_kind for r in results}
    if bad or "input" in kinds:
        return BAD_INPUT
    if kinds & {"server", "deadline"}:
        return SERVER
    if "no_recording" in kinds:
        return NO_RECORDING
    return NOT_GROUNDED if any(r.status == "failed" for r in results) else OK
