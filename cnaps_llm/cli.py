"""The command line: a thin Typer layer over the library (`parse`, `check`, `prompt`, `generate`; `eval` is in
``cli_eval``, `batch` in ``cli_batch``, what they share in ``cli_common``).

Invariant: the cli modules are the only ones that print errors or choose exit codes (the
table in ``errors.EXIT_CODES``). Heavy modules (openai, tiktoken, the pipeline) are
imported inside the commands that need them, so ``--help``, ``parse`` and ``check``
start fast. No traceback leaves the process unless CNAPS_DEBUG=1.

No ``from __future__ import annotations`` here: Typer reads every command's annotations at
each start, and as strings it compiles and evaluates each twice (13% of ``--help``);
written plainly they are evaluated once, when this module runs.
"""

import errno
import importlib
import io
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, NoReturn, Optional, Union

import typer
from typer.core import TyperGroup

from . import __version__
from .cli_common import ConfigFile, Example, Files, Model, Structured, MaxTokens, use_color, err, exit_code, load_cases, input_paths, refuse_empty_paths, run_with_progress, make_settings
from .errors import BAD_INPUT, INTERNAL, INTERRUPTED, OK, CnapsError, ConfigError, InputError, exit_codes_help

class _Commands(TyperGroup):
    """The root group, built lazily: Typer turns a command into its click form only when the
    command is named (or listed, by ``--help``), and ``eval`` and ``batch`` are imported only
    then. ``check`` builds one command instead of the whole table, which cost a tenth of its
    start-up (``bench/startup.py``)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in COMMANDS:  # a typo: Typer suggests from the commands built
            for name in COMMANDS:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            target = COMMANDS[cmd_name]
            if isinstance(target, str):  # "module:attribute", a Typer app of its own
                module, attribute = target.split(":")
                target = getattr(importlib.import_module(module, __package__), attribute)
            command = typer.main.get_command(target)
            command.name = cmd_name
            refuse_empty_paths(command)
            self.commands[cmd_name] = command
        return self.commands.get(cmd_name)


app = typer.Typer(
    cls=_Commands,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Grounded answers about AI models: build a constrained prompt, draft with an LLM, reject anything "
    "the input does not contain.\n\n" + exit_codes_help(),
)

# the commands in the order --help lists them: a Typer app each, or where to import one from
COMMANDS: dict[str, Union[typer.Typer, str]] = {}


def _command(**settings: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a function of this module as a command (a one-command Typer app, built when named)."""

    def register(function: Callable[..., None]) -> Callable[..., None]:
        one = typer.Typer(add_completion=False, rich_markup_mode=None)
        one.command(**settings)(function)
        COMMANDS[function.__name__] = one
        return function

    return register


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"cnaps-llm {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = None,
) -> None:
    """Grounded answers about AI models."""


@_command()
def parse(files: Files = None, example: Example = None) -> None:
    """Print the parsed case(s) as JSON (one object, or a list for several).

    A bad file is reported on stderr and the others still parse; the exit code is 2 if any failed.
    """
    parsed, failed = load_cases(files, example)
    if not parsed and not failed:  # an empty list or JSONL: saying nothing would look like success
        raise InputError("the dataset holds no cases")
    cases = [c.model_dump(mode="json", exclude_none=True) for c in parsed]
    if cases:
        out = cases[0] if len(cases) == 1 and not failed and len(input_paths(files, example)) == 1 else cases
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(BAD_INPUT)


def _print_report(label: str, violations: list, *, color: bool = False) -> None:
    from .checking import report_text
    from .fsutil import terminal_line

    # an answer's or a pair id's control characters (a model's, or a hostile file's) are shown
    # escaped, never acted on by the terminal; only our own colours are
    shown = [v if v.message.isprintable() else v.model_copy(update={"message": terminal_line(v.message)}) for v in violations]
    sys.stdout.write(report_text(terminal_line(label), shown, color=color))


@_command()
def check(
    prompt_file: Annotated[str, typer.Argument(metavar="PROMPT", help="The prompt file (`example:003` for a bundled one), or a JSONL of {prompt, answer} pairs.")],
    answer_file: Annotated[Optional[str], typer.Argument(metavar="ANSWER", help="The answer to check; `-` reads stdin.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print {grounded, violations} as JSON.")] = False,
    kinds: Annotated[Optional[str], typer.Option("--kinds", metavar="KIND,...", help="Check only these kinds (e.g. url,model); default all.")] = None,
    warn: Annotated[Optional[str], typer.Option("--warn", metavar="KIND,...", help="Report these kinds without failing the answer.")] = None,
    links: Annotated[str, typer.Option("--links", metavar="WHERE", help="any (default): a link anywhere in the input grounds; fields: only the sources' link fields, not their summaries.")] = "any",
    config: ConfigFile = None,
) -> None:
    """Check an answer against its prompt file: every link, model, task and figure must come from the input.

    Exit 0 when grounded, 1 when not, 2 on bad input. With one JSONL argument, each line is
    {"prompt": <prompt text or structured case>, "answer": <text>, "id": optional} and all are checked.
    Which kinds are checked or only warned about comes from [tool.cnaps-llm.check], or --kinds/--warn.
    """
    from .checking import check_answer, check_pairs
    from .config import load_config

    options = load_config(config).check
    chosen = tuple(k.strip() for k in kinds.split(",") if k.strip()) if kinds is not None else options.kinds
    if kinds is not None and not chosen:  # `--kinds "$UNSET"` would check nothing and pass every answer
        raise ConfigError(f"--kinds {kinds!r} names no kind; give at least one (e.g. --kinds url,model), or leave it out to check all")
    warned = tuple(k.strip() for k in warn.split(",") if k.strip()) if warn is not None else options.warn
    options = type(options)(kinds=chosen, warn=warned)
    if links not in ("any", "fields"):
        raise ConfigError(f"--links must be any or fields, not {links!r}")
    if prompt_file == answer_file == "-":  # stdin can be read once: the second would read as empty
        raise InputError("PROMPT and ANSWER cannot both be `-` (stdin); give one of them as a file")
    if prompt_file.startswith("example:"):
        prompt_file = input_paths([prompt_file])[0]
    for label, given, instead in (
        ("PROMPT", prompt_file, "give one prompt file and its answer, or a .jsonl of {prompt, answer} pairs"),
        ("ANSWER", answer_file, "give the file holding the answer to check"),
    ):
        if given is not None and given != "-" and os.path.isdir(given):  # `check` reads one of each: name which one
            raise InputError(f"{label} is a directory, not {'a prompt' if label == 'PROMPT' else 'an answer'} file; {instead}", path=given)
    if answer_file is None:
        if not prompt_file.endswith(".jsonl"):
            raise InputError("give an answer file too, or a .jsonl of {prompt, answer} pairs", path=prompt_file)
        reports, bad, failed = [], 0, 0
        for item in check_pairs(prompt_file, kinds=options.kinds, warn=options.warn, links=links):
            if isinstance(item, InputError):
                err(item.message)
                bad += 1
                continue
            failed += not item.grounded
            if as_json:
                reports.append(item.model_dump())
            else:
                _print_report(item.id, item.violations, color=use_color())
        if as_json:
            sys.stdout.write(json.dumps(reports, indent=2, ensure_ascii=False) + "\n")
        raise typer.Exit(2 if bad else 1 if failed else 0)

    report = check_answer(prompt_file, answer_file, kinds=options.kinds, warn=options.warn, links=links)
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        _print_report(answer_file, report.violations, color=use_color())
    raise typer.Exit(0 if report.grounded else 1)


@_command()
def prompt(
    prompt_file: Annotated[Optional[str], typer.Argument(metavar="FILE", help="The prompt file (or `example:003`).")] = None,
    example: Example = None,
    model: Model = None,
    max_input_tokens: MaxTokens = None,
    structured: Structured = None,
) -> None:
    """Show the messages that would be sent for a prompt file, with their token counts."""
    from .inputs import load_case
    from .prompts import build_messages, count_tokens, load_templates

    settings = make_settings(model=model, max_input_tokens=max_input_tokens, structured=structured)
    paths = input_paths([prompt_file] if prompt_file else None, example)
    if len(paths) != 1:
        raise InputError("prompt shows one case; give one file or one --example")
    case = load_case(paths[0])
    mode = "json_schema" if settings.structured == "auto" else settings.structured
    templates = load_templates(settings.prompts_dir)
    built = build_messages(templates, case, mode, model=settings.model, max_tokens=settings.max_input_tokens)
    for m in built.messages:
        n = count_tokens([m], settings.model)
        sys.stdout.write(f"===== {m.role} ({n} tokens) =====\n{m.content}\n")
    sys.stdout.write(f"===== total: {built.tokens} tokens (budget {settings.max_input_tokens}); templates {templates.hash}\n")
    for t in built.trimmed:
        sys.stdout.write(f"trimmed: {t}\n")


@_command(epilog=exit_codes_help())
def generate(
    files: Files = None,
    example: Example = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="DIR", help="Write <id>.md (or .json) per case into DIR as each finishes; a failed case writes <id>.failed.md and never replaces an answer.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="md (the answer), json (the full record; several cases: one JSON array), jsonl, junit or html.")] = "md",
    annotate: Annotated[bool, typer.Option("--annotate", help="Head each Markdown answer with an HTML comment: case, status, attempts.")] = False,
    model: Model = None,
    max_attempts: Annotated[Optional[int], typer.Option("--max-attempts", metavar="N", help="Drafts per case, first try included (default 3).")] = None,
    structured: Structured = None,
    on_fail: Annotated[Optional[str], typer.Option("--on-fail", metavar="ACTION", help="report (exit 1, no answer) or repair (drop offending sentences; the rest must pass every check).")] = None,
    max_input_tokens: MaxTokens = None,
    base_url: Annotated[Optional[str], typer.Option("--base-url", metavar="URL", help="OpenAI-compatible server URL (env OPENAI_BASE_URL).")] = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", metavar="SECONDS", help="Per HTTP request, reading included (default 60).")] = None,
    case_timeout: Annotated[Optional[float], typer.Option("--case-timeout", metavar="SECONDS", help="All attempts and retries of one case end within this (default 300), counted from its first request: a run of N cases at -j J ends within about ceil(N/J) times it, one more while a first request learns the server's reply formats.")] = None,
    cache: Annotated[Optional[str], typer.Option("--cache", metavar="MODE", help="auto (replay if recorded, else call and record) | replay | record | off.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option("--cache-dir", metavar="DIR", help="Where recordings of your runs go (default: the user cache, e.g. ~/.cache/cnaps-llm/cassettes).")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-j", min=1, max=256, metavar="N", help="Requests in flight at once.")] = 1,
    jsonl: Annotated[Optional[str], typer.Option("--jsonl", metavar="FILE", help="Append each case's full record to FILE as it finishes (`-`: JSONL on stdout).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="With --jsonl: skip cases already done there (server failures are retried).")] = False,
    rpm: Annotated[Optional[float], typer.Option("--rpm", metavar="N", help="At most N requests per minute, whole run; a limit that spaces requests further apart than --case-timeout is an error at the first request.")] = None,
    tpm: Annotated[Optional[float], typer.Option("--tpm", metavar="N", help="At most N estimated tokens per minute, whole run; a limit that cannot admit a request within --case-timeout is an error at the first request.")] = None,
    max_cost: Annotated[Optional[float], typer.Option("--max-cost", metavar="USD", help="Start no new attempt once the run's estimated spend reaches this.")] = None,
    stream: Annotated[Optional[bool], typer.Option("--stream", help="Show the reply as it is written (stderr); only the checked answer is printed.")] = None,
    evidence: Annotated[str, typer.Option("--evidence", metavar="STYLE", help="How the quote backing each statement about a source is shown: footnotes (numbered, under the references), inline [\"…\"] or none. The JSON record keeps the quotes always.")] = "footnotes",
) -> None:
    """Write a grounded answer for each case: draft, validate, re-ask until grounded or attempts run out.

    Inputs may be files, folders or JSONL datasets, or bundled examples (--example 003).
    """
    from .reports import get_format

    get_format(fmt)  # a typo is an error before anything runs
    from .answer_format import STYLES

    if evidence not in STYLES:
        raise ConfigError(f'--evidence "{evidence}" is not a style; use one of {", ".join(STYLES)}')
    if resume and jsonl in (None, "-"):
        raise InputError("--resume needs --jsonl FILE: the results file to resume from")
    settings = make_settings(
        model=model, max_attempts=max_attempts, structured=structured, on_fail=on_fail,
        max_input_tokens=max_input_tokens, openai_base_url=base_url, timeout=timeout, case_timeout=case_timeout,
        cache=cache, cache_dir=cache_dir, rpm=rpm, tpm=tpm, max_cost=max_cost, stream=stream,
    )
    paths = input_paths(files, example)
    cases, bad = load_cases(files, example)
    if not cases and not bad:
        raise InputError("the dataset holds no cases")
    from .inputs import duplicate_ids, expand_paths

    dupes = duplicate_ids([c.id for c in cases])
    if dupes and (out is not None or jsonl is not None):
        raise InputError(f"case id(s) {', '.join(dupes[:5])} occur more than once; give each case a unique id")
    results_file = None
    if jsonl not in (None, "-"):
        from .batch import ResultsFile

        results_file = ResultsFile(Path(jsonl), inputs=[Path(p) for p in paths if p != "-"])
        if resume:
            aside = results_file.move_torn_aside()
            if aside is not None:
                sys.stderr.write(f"resume: a torn last line of {jsonl} was moved to {aside}\n")
            done = results_file.done()
            skipped = [c for c in cases if c.id in done]
            cases = [c for c in cases if c.id not in done]
            if skipped:
                sys.stderr.write(f"resume: {len(skipped)} case(s) already in {jsonl}, {len(cases)} to go\n")
    if not cases:
        raise typer.Exit(BAD_INPUT if bad else OK)
    from .outputs import Outputs

    sink = Outputs(
        fmt=fmt, folder=out, jsonl=Path(jsonl) if results_file is not None else None,
        jsonl_stdout=jsonl == "-", annotate=annotate, single=len(cases) == 1 and not bad, settings=settings,
        ids=[c.id for c in cases], inputs=[Path(p) for p in expand_paths(paths) if p != "-"],
    )
    from .pipeline import with_evidence

    try:
        results = run_with_progress(cases, settings, concurrency=concurrency, on_result=lambda r: sink.landed(with_evidence(r, evidence)))
    finally:
        sink.close()
    sink.finish([with_evidence(r, evidence) for r in results])
    raise typer.Exit(exit_code(results, bad))


COMMANDS["eval"] = ".cli_eval:app"
COMMANDS["batch"] = ".cli_batch:app"


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so what it still buffers does not fail again at exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # a captured stream has no descriptor
        pass


def main() -> None:
    """Console entry point: one line per error, no traceback unless CNAPS_DEBUG=1."""
    debug = os.environ.get("CNAPS_DEBUG") == "1"
    if sys.stdout is None:  # started with stdout closed (`>&-`): what is printed fails as on a full disk
        sys.stdout = _Closed("stdout", fail=True)
    if sys.stderr is None:  # stderr closed: messages go nowhere, the exit code still says what happened
        sys.stderr = _Closed("stderr", fail=False)
    for stream in (sys.stdout, sys.stderr):  # a lone surrogate a model wrote must not end the run unprinted
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # here, so a full disk met by the last write is reported like any other
    except CnapsError as exc:
        if debug:
            raise
        err(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err("interrupted; finished cases are kept")
        sys.exit(INTERRUPTED)
    except OSError as exc:
        if debug:
            raise
        if exc.errno not in _WRITE_ERRNOS:  # not stdout failing: a bug, said as one below
            _internal(exc)
        # what the library writes is checked where it writes; this is stdout itself (a full disk, /dev/full)
        _drop_stdout()
        hint = "send the output to a file or a pipe" if exc.errno == errno.EBADF else "free some space or send the output elsewhere"
        err(f"cannot write the output ({exc.strerror or type(exc).__name__}); {hint}")
        sys.exit(BAD_INPUT)
    except RecursionError:
        if debug:
            raise
        err("an input is nested too deeply to read (JSON brackets?); check the files given")
        sys.exit(BAD_INPUT)
    except Exception as exc:
        if debug:
            raise
        _internal(exc)


class _Closed(io.TextIOBase):
    """A standard stream the process was started without: writing to it fails with EBADF
    (stdout: reported as any output that cannot be written) or is dropped (stderr)."""

    def __init__(self, name: str, *, fail: bool) -> None:
        self.name, self.fail = name, fail

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self.fail and text:
            raise OSError(errno.EBADF, f"{self.name} is closed")
        return len(text)

    def isatty(self) -> bool:
        return False


# how a write to stdout fails: a full disk or quota, a file too large, an I/O error, a closed
# descriptor or pipe
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF, errno.EPIPE})


def _internal(exc: BaseException) -> NoReturn:
    """A bug: still one line, and nothing a server sent is echoed unredacted."""
    from .redact import clip

    err(f"internal error ({type(exc).__name__}: {clip(str(exc), 200)}); rerun with CNAPS_DEBUG=1 and report it")
    sys.exit(INTERNAL)


if __name__ == "__main__":
    main()
