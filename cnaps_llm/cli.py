"""The command line: a thin Typer layer over the library.

Invariant: this is the only module that prints errors or chooses exit codes (the
table in ``errors.EXIT_CODES``). Heavy modules (openai, tiktoken, the pipeline) are
imported inside the commands that need them, so ``--help``, ``parse`` and ``check``
start fast. No traceback leaves the process unless CNAPS_DEBUG=1.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import BAD_INPUT, INTERNAL, INTERRUPTED, NO_RECORDING, NOT_GROUNDED, OK, SERVER, CnapsError, ConfigError, InputError, exit_codes_help

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Grounded answers about AI models: build a constrained prompt, draft with an LLM, reject anything "
    "the input does not contain.\n\n" + exit_codes_help(),
)

Files = Annotated[
    Optional[list[str]],
    typer.Argument(metavar="FILE...", help="Prompt files, JSON/JSONL datasets or folders; `-` reads stdin; `example:003` a bundled example."),
]
Example = Annotated[
    Optional[list[str]],
    typer.Option("--example", "-e", metavar="NAME", help="A bundled example case by number (`003`), or `all`; repeatable. Needs no clone."),
]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"cnaps-llm {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = None,
) -> None:
    """Grounded answers about AI models."""


def _err(message: str) -> None:
    from .redact import redact

    sys.stderr.write(f"cnaps-llm: {redact(message)}\n")


def _paths(files: list[str] | None, examples: list[str] | None = None) -> list[str]:
    """The inputs named on the command line: files, and bundled examples (`--example 003`, `example:003`)."""
    from .resources import examples as bundled

    out: list[str] = []
    for name in examples or []:
        out += [str(p) for p in bundled(name)]
    for f in files or []:
        out += [str(p) for p in bundled(f.removeprefix("example:"))] if f.startswith("example:") else [f]
    if not out:
        raise InputError("give prompt files, folders or datasets, or --example NAME (try --example 003)")
    return out


def _load_cases(files: list[str] | None, examples: list[str] | None = None) -> tuple[list, int]:
    """Every case in ``files``; each bad file or line is reported on stderr and counted."""
    from .inputs import expand_paths, iter_cases

    cases, bad = [], 0
    for path in expand_paths(_paths(files, examples)):
        for item in iter_cases(path):
            if isinstance(item, InputError):
                _err(item.message)
                bad += 1
            else:
                cases.append(item)
    return cases, bad


@app.command()
def parse(files: Files = None, example: Example = None) -> None:
    """Print the parsed case(s) as JSON (one object, or a list for several).

    A bad file is reported on stderr and the others still parse; the exit code is 2 if any failed.
    """
    parsed, failed = _load_cases(files, example)
    cases = [c.model_dump(mode="json", exclude_none=True) for c in parsed]
    if cases:
        out = cases[0] if len(cases) == 1 and not failed and len(_paths(files, example)) == 1 else cases
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(BAD_INPUT)


def _color() -> bool:
    """Colour on a terminal, plain when piped or with NO_COLOR set (no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _print_report(label: str, violations: list, *, color: bool = False) -> None:
    from .checking import report_text

    sys.stdout.write(report_text(label, violations, color=color))


ConfigFile = Annotated[
    Optional[Path], typer.Option("--config", metavar="FILE", help="pyproject.toml holding [tool.cnaps-llm] (default: ./pyproject.toml if there is one).")
]


@app.command()
def check(
    prompt_file: Annotated[str, typer.Argument(metavar="PROMPT", help="The prompt file (`example:003` for a bundled one), or a JSONL of {prompt, answer} pairs.")],
    answer_file: Annotated[Optional[str], typer.Argument(metavar="ANSWER", help="The answer to check; `-` reads stdin.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print {grounded, violations} as JSON.")] = False,
    kinds: Annotated[Optional[str], typer.Option("--kinds", metavar="KIND,...", help="Check only these kinds (e.g. url,model); default all.")] = None,
    warn: Annotated[Optional[str], typer.Option("--warn", metavar="KIND,...", help="Report these kinds without failing the answer.")] = None,
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
    warned = tuple(k.strip() for k in warn.split(",") if k.strip()) if warn is not None else options.warn
    options = type(options)(kinds=chosen, warn=warned)
    if prompt_file.startswith("example:"):
        prompt_file = _paths([prompt_file])[0]
    if answer_file is None:
        if not prompt_file.endswith(".jsonl"):
            raise InputError("give an answer file too, or a .jsonl of {prompt, answer} pairs", path=prompt_file)
        reports, bad, failed = [], 0, 0
        for item in check_pairs(prompt_file, kinds=options.kinds, warn=options.warn):
            if isinstance(item, InputError):
                _err(item.message)
                bad += 1
                continue
            failed += not item.grounded
            if as_json:
                reports.append(item.model_dump())
            else:
                _print_report(item.id, item.violations, color=_color())
        if as_json:
            sys.stdout.write(json.dumps(reports, indent=2, ensure_ascii=False) + "\n")
        raise typer.Exit(2 if bad else 1 if failed else 0)

    report = check_answer(prompt_file, answer_file, kinds=options.kinds, warn=options.warn)
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        _print_report(answer_file, report.violations, color=_color())
    raise typer.Exit(0 if report.grounded else 1)


Model = Annotated[Optional[str], typer.Option("--model", "-m", metavar="NAME", help="Model name (env CNAPS_MODEL).")]
MaxTokens = Annotated[Optional[int], typer.Option("--max-input-tokens", metavar="N", help="Prompt budget; longer summaries are shortened.")]
Structured = Annotated[Optional[str], typer.Option("--structured", metavar="MODE", help="auto | json_schema | json_object | text.")]


def _settings(**flags: object):
    from .settings import load_settings

    return load_settings(**flags)


@app.command()
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

    settings = _settings(model=model, max_input_tokens=max_input_tokens, structured=structured)
    paths = _paths([prompt_file] if prompt_file else None, example)
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


def _run(cases: list, settings, *, concurrency: int, on_result=None, label: str = "generating"):  # type: ignore[no-untyped-def]
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
    finally:
        progress.close()


def _exit_code(results: list, bad: int) -> int:
    """One rule for every command: 2 bad input, else 3 server, else 4 missing recording, else 1 not grounded."""
    if bad:
        return BAD_INPUT
    kinds = {r.error_kind for r in results}
    if kinds & {"server", "deadline"}:
        return SERVER
    if "no_recording" in kinds:
        return NO_RECORDING
    return NOT_GROUNDED if any(r.status == "failed" for r in results) else OK


@app.command(epilog=exit_codes_help())
def generate(
    files: Files = None,
    example: Example = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="DIR", help="Write <id>.md (or .json) per case into DIR as each finishes; a failed case writes <id>.failed.md and never replaces an answer.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="md (the answer), json (the full record; several cases: one JSON array), jsonl or junit.")] = "md",
    annotate: Annotated[bool, typer.Option("--annotate", help="Head each Markdown answer with an HTML comment: case, status, attempts.")] = False,
    model: Model = None,
    max_attempts: Annotated[Optional[int], typer.Option("--max-attempts", metavar="N", help="Drafts per case, first try included (default 3).")] = None,
    structured: Structured = None,
    on_fail: Annotated[Optional[str], typer.Option("--on-fail", metavar="ACTION", help="report (exit 1, no answer) or repair (drop offending sentences; the rest must pass every check).")] = None,
    max_input_tokens: MaxTokens = None,
    base_url: Annotated[Optional[str], typer.Option("--base-url", metavar="URL", help="OpenAI-compatible server URL (env OPENAI_BASE_URL).")] = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", metavar="SECONDS", help="Per HTTP request, reading included (default 60).")] = None,
    case_timeout: Annotated[Optional[float], typer.Option("--case-timeout", metavar="SECONDS", help="All attempts and retries of one case end within this (default 300): a run of N cases at -j J ends within about ceil(N/J) times it.")] = None,
    cache: Annotated[Optional[str], typer.Option("--cache", metavar="MODE", help="auto (replay if recorded, else call and record) | replay | record | off.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option("--cache-dir", metavar="DIR", help="Where recordings of your runs go (default: the user cache, e.g. ~/.cache/cnaps-llm/cassettes).")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-j", min=1, max=256, metavar="N", help="Requests in flight at once.")] = 1,
    jsonl: Annotated[Optional[str], typer.Option("--jsonl", metavar="FILE", help="Append each case's full record to FILE as it finishes (`-`: JSONL on stdout).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="With --jsonl: skip cases already done there (server failures are retried).")] = False,
    rpm: Annotated[Optional[float], typer.Option("--rpm", metavar="N", help="At most N requests per minute, whole run.")] = None,
    tpm: Annotated[Optional[float], typer.Option("--tpm", metavar="N", help="At most N estimated tokens per minute, whole run.")] = None,
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
    settings = _settings(
        model=model, max_attempts=max_attempts, structured=structured, on_fail=on_fail,
        max_input_tokens=max_input_tokens, openai_base_url=base_url, timeout=timeout, case_timeout=case_timeout,
        cache=cache, cache_dir=cache_dir, rpm=rpm, tpm=tpm, max_cost=max_cost, stream=stream,
    )
    paths = _paths(files, example)
    cases, bad = _load_cases(files, example)
    from .inputs import duplicate_ids

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
    )
    from .pipeline import with_evidence

    try:
        results = _run(cases, settings, concurrency=concurrency, on_result=lambda r: sink.landed(with_evidence(r, evidence)))
    finally:
        sink.close()
    sink.finish([with_evidence(r, evidence) for r in results])
    raise typer.Exit(_exit_code(results, bad))


def _with_threshold_flags(command):  # type: ignore[no-untyped-def]
    """Give ``command``, which takes ``**limits``, one ``--min-*``/``--max-*`` option per declared threshold.

    Typer reads a command's options from its signature, so the generated ones go into
    ``__signature__``: thresholds.THRESHOLDS stays the only list of them.
    """
    from .thresholds import THRESHOLDS

    sig = inspect.signature(command, eval_str=True)
    params = [p for p in sig.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    for t in THRESHOLDS:
        option = typer.Option(t.flag, min=t.lowest, max=t.highest, help=t.help)
        params.append(inspect.Parameter(t.name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                        annotation=Annotated[Optional[float], option]))
    command.__signature__ = sig.replace(parameters=params)
    return command


@app.command("eval")
@_with_threshold_flags
def eval_(
    datasets: Files = None,
    example: Example = None,
    cache: Annotated[str, typer.Option("--cache", metavar="MODE", help="replay (default: never calls a model) | auto | record | off.")] = "replay",
    cache_dir: Annotated[Optional[Path], typer.Option("--cache-dir", metavar="DIR", help="Folder of recordings (the bundled ones are always read).")] = None,
    model: Model = None,
    base_url: Annotated[Optional[str], typer.Option("--base-url", metavar="URL", help="OpenAI-compatible server URL.")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-j", min=1, max=256, metavar="N", help="Requests in flight at once.")] = 4,
    config: ConfigFile = None,
    markdown_out: Annotated[Optional[Path], typer.Option("--markdown", metavar="FILE", help="Also append the Markdown report to FILE (GitHub's convention: --markdown \"$GITHUB_STEP_SUMMARY\").")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", metavar="FILE", help="Write metrics and per-case results as JSON.")] = None,
    junit_out: Annotated[Optional[Path], typer.Option("--junit", metavar="FILE", help="Write JUnit XML, one test case per case.")] = None,
    no_thresholds: Annotated[bool, typer.Option("--no-thresholds", help="Report only: judge no threshold, exit 0 even when cases fail.")] = False,
    **limits: float | None,
) -> None:
    """Run generation over a dataset (replayed by default) and report metrics; exit 1 when a threshold is missed.

    Thresholds come from [tool.cnaps-llm.eval] in pyproject.toml, overridden by the flags.
    With none configured, the run fails when any case fails. Exit 2 on bad input or config.
    """
    from . import evals
    from .config import load_config
    from .fsutil import append_text, atomic_write
    from .reports import FORMATS
    from .thresholds import BY_NAME

    given = [name for name, value in limits.items() if value is not None]
    if no_thresholds and given:
        raise ConfigError(f"--no-thresholds contradicts {BY_NAME[given[0]].flag}; give one or the other")
    settings = _settings(cache=cache, cache_dir=cache_dir, model=model, openai_base_url=base_url)
    configured = load_config(config).eval
    thresholds = None if no_thresholds else evals.Thresholds().override(configured).override(limits)
    cases, bad = _load_cases(datasets, example)
    if bad or not cases:
        raise InputError("the dataset has unreadable cases (above); fix them first" if bad else "the dataset holds no cases")
    results = _run(cases, settings, concurrency=concurrency, label="evaluating")
    report = evals.evaluate(cases, results, thresholds)
    text = FORMATS["md"].run(results, report)
    sys.stdout.write(text)
    if markdown_out is not None:
        append_text(markdown_out, text)  # a step summary collects every step's report
    for path, fmt in ((json_out, "json"), (junit_out, "junit")):
        if path is not None:
            atomic_write(path, FORMATS[fmt].run(results, report))
    for m in report.missed:
        _err(f"threshold missed: {m}")
    if report.gated_by == "cases" and not report.passed:
        _err(f"{report.verdict()}; set thresholds in [tool.cnaps-llm.eval] or pass --no-thresholds to only report")
    raise typer.Exit(0 if report.passed else 1)


def main() -> None:
    """Console entry point: one line per error, no traceback unless CNAPS_DEBUG=1."""
    debug = os.environ.get("CNAPS_DEBUG") == "1"
    try:
        app()
    except CnapsError as exc:
        if debug:
            raise
        _err(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("interrupted; finished cases are kept")
        sys.exit(INTERRUPTED)
    except RecursionError:
        if debug:
            raise
        _err("an input is nested too deeply to read (JSON brackets?); check the files given")
        sys.exit(BAD_INPUT)
    except Exception as exc:  # a bug: still one line, and nothing a server sent is echoed unredacted
        if debug:
            raise
        _err(f"internal error ({type(exc).__name__}: {str(exc)[:200]}); rerun with CNAPS_DEBUG=1 and report it")
        sys.exit(INTERNAL)


if __name__ == "__main__":
    main()
