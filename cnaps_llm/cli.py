"""The command line: a thin Typer layer over the library.

Invariant: this is the only module that prints errors or chooses exit codes.
Heavy modules (openai, tiktoken, the pipeline) are imported inside the commands
that need them, so ``--help``, ``parse`` and ``check`` start fast.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import CnapsError, ConfigError, InputError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Grounded answers about AI models: build a constrained prompt, draft with an LLM, reject anything the input does not contain.",
)

Files = Annotated[list[str], typer.Argument(help="Prompt files, JSON/JSONL datasets or folders; `-` reads stdin.")]


@app.callback()
def _root() -> None:
    """Grounded answers about AI models."""


def _err(message: str) -> None:
    sys.stderr.write(f"cnaps-llm: {message}\n")


def _load_cases(files: list[str]) -> tuple[list, int]:
    """Every case in ``files``; each bad file or line is reported on stderr and counted."""
    from .inputs import expand_paths, iter_cases

    cases, bad = [], 0
    for path in expand_paths(files):
        for item in iter_cases(path):
            if isinstance(item, InputError):
                _err(item.message)
                bad += 1
            else:
                cases.append(item)
    return cases, bad


@app.command()
def parse(files: Files) -> None:
    """Print the parsed case(s) as JSON (one object, or a list for several).

    A bad file is reported on stderr and the others still parse; the exit code is 2 if any failed.
    """
    parsed, failed = _load_cases(files)
    cases = [c.model_dump(mode="json", exclude_none=True) for c in parsed]
    if cases:
        out = cases[0] if len(cases) == 1 and not failed and len(files) == 1 else cases
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(2)


def _print_report(label: str, violations: list) -> None:
    from .checking import report_text

    sys.stdout.write(report_text(label, violations))


ConfigFile = Annotated[
    Optional[Path], typer.Option("--config", help="pyproject.toml holding [tool.cnaps-llm] (default: ./pyproject.toml if there is one).")
]


@app.command()
def check(
    prompt_file: Annotated[str, typer.Argument(help="The prompt file (or a JSONL of {prompt, answer} pairs).")],
    answer_file: Annotated[Optional[str], typer.Argument(help="The answer to check; `-` reads stdin.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print {grounded, violations} as JSON.")] = False,
    config: ConfigFile = None,
) -> None:
    """Check an answer against its prompt file: every link, model, task and figure must come from the input.

    Exit 0 when grounded, 1 when not, 2 on bad input. With one JSONL argument, each line is
    {"prompt": <prompt text or structured case>, "answer": <text>, "id": optional} and all are checked.
    Which kinds are checked or only warned about comes from [tool.cnaps-llm.check].
    """
    from .checking import check_answer, check_pairs
    from .config import load_config

    options = load_config(config).check
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
                _print_report(item.id, item.violations)
        if as_json:
            sys.stdout.write(json.dumps(reports, indent=2, ensure_ascii=False) + "\n")
        raise typer.Exit(2 if bad else 1 if failed else 0)

    report = check_answer(prompt_file, answer_file, kinds=options.kinds, warn=options.warn)
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        _print_report(answer_file, report.violations)
    raise typer.Exit(0 if report.grounded else 1)


Model = Annotated[Optional[str], typer.Option("--model", "-m", help="Model name (env CNAPS_MODEL).")]
MaxTokens = Annotated[Optional[int], typer.Option("--max-input-tokens", help="Prompt budget; longer summaries are shortened.")]
Structured = Annotated[Optional[str], typer.Option("--structured", help="auto | json_schema | json_object | text.")]


def _settings(**flags: object):
    from .settings import load_settings

    return load_settings(**flags)


@app.command()
def prompt(
    prompt_file: Annotated[str, typer.Argument(help="The prompt file.")],
    model: Model = None,
    max_input_tokens: MaxTokens = None,
    structured: Structured = None,
) -> None:
    """Show the messages that would be sent for a prompt file, with their token counts."""
    from .inputs import load_case
    from .prompts import build_messages, count_tokens, load_templates

    settings = _settings(model=model, max_input_tokens=max_input_tokens, structured=structured)
    case = load_case(prompt_file)
    mode = "json_schema" if settings.structured == "auto" else settings.structured
    templates = load_templates(settings.prompts_dir)
    built = build_messages(templates, case, mode, model=settings.model, max_tokens=settings.max_input_tokens)
    for m in built.messages:
        n = count_tokens([m], settings.model)
        sys.stdout.write(f"===== {m['role']} ({n} tokens) =====\n{m['content']}\n")
    sys.stdout.write(f"===== total: {built.tokens} tokens (budget {settings.max_input_tokens}); templates {templates.hash}\n")
    for t in built.trimmed:
        sys.stdout.write(f"trimmed: {t}\n")


def _run(cases: list, settings, *, concurrency: int, jsonl: Optional[Path] = None, label: str = "generating"):
    """Run cases with a progress bar on a terminal, appending each result to ``jsonl`` as it lands."""
    from .batch import Appender
    from .runner import run_cases

    appender = Appender(jsonl) if jsonl is not None else None
    counts = {"grounded": 0, "repaired": 0, "failed": 0}
    progress = None
    if sys.stderr.isatty() and len(cases) > 1:
        from rich.console import Console
        from rich.progress import Progress

        progress = Progress(transient=True, console=Console(stderr=True))
        task = progress.add_task(label, total=len(cases))
        progress.start()

    def on_result(result) -> None:
        if appender is not None:
            appender(result)
        counts[result.status] += 1
        if progress is not None:
            progress.update(task, advance=1, description=f"{label}: {counts['grounded']} grounded, {counts['repaired']} repaired, {counts['failed']} failed")

    try:
        return run_cases(cases, settings, concurrency=concurrency, on_result=on_result)
    finally:
        if progress is not None:
            progress.stop()
        if appender is not None:
            appender.close()


@app.command()
def generate(
    files: Files,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write one file per case into this folder.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md (the answer) or json (the full record).")] = "md",
    model: Model = None,
    max_attempts: Annotated[Optional[int], typer.Option("--max-attempts", help="Drafts per case, first try included.")] = None,
    structured: Structured = None,
    on_fail: Annotated[Optional[str], typer.Option("--on-fail", help="report (exit 1) or repair (drop offending sentences).")] = None,
    max_input_tokens: MaxTokens = None,
    base_url: Annotated[Optional[str], typer.Option("--base-url", help="OpenAI-compatible server URL (env OPENAI_BASE_URL).")] = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", help="Seconds per HTTP request.")] = None,
    cache: Annotated[Optional[str], typer.Option("--cache", help="auto (replay if recorded, else call and record) | replay | record | off.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option("--cache-dir", help="Folder of recordings (default fixtures/cassettes).")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-j", min=1, max=256, help="Cases in flight at once.")] = 1,
    jsonl: Annotated[Optional[Path], typer.Option("--jsonl", help="Append each case's full record to this JSONL as it finishes.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="With --jsonl: skip cases already in it.")] = False,
) -> None:
    """Write a grounded answer for each prompt file: draft, validate, re-ask until grounded or attempts run out.

    Inputs may be files, folders or JSONL datasets. Exit 0 when every case is grounded (or repaired),
    1 when any failed, 2 on bad input, 3 on a server error.
    """
    if fmt not in ("md", "json"):
        raise InputError(f"--format {fmt!r} is not md or json")
    if resume and jsonl is None:
        raise InputError("--resume needs --jsonl FILE: the results file to resume from")
    settings = _settings(
        model=model, max_attempts=max_attempts, structured=structured, on_fail=on_fail,
        max_input_tokens=max_input_tokens, openai_base_url=base_url, timeout=timeout,
        cache=cache, cache_dir=cache_dir,
    )
    cases, bad = _load_cases(files)
    ids = [c.id for c in cases]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes and (out is not None or jsonl is not None):
        raise InputError(f"case id(s) {', '.join(dupes[:5])} occur more than once; give each case a unique id")
    if resume and jsonl is not None:
        from .batch import finished_ids

        done = finished_ids(jsonl)
        skipped = [c for c in cases if c.id in done]
        cases = [c for c in cases if c.id not in done]
        if skipped:
            sys.stderr.write(f"resume: {len(skipped)} case(s) already in {jsonl}, {len(cases)} to go\n")
    if not cases:
        raise typer.Exit(2 if bad else 0)
    results = _run(cases, settings, concurrency=concurrency, jsonl=jsonl)

    from .fsutil import atomic_write
    from .reports import get_format, summary_line

    failed = 0
    for result in results:
        text = get_format(fmt).case(result)
        if out is not None:
            atomic_write(out / f"{result.case_id}.{fmt}", text)
        elif jsonl is None or len(results) == 1:
            sys.stdout.write(text)
        sys.stderr.write(summary_line(result) + "\n")
        if result.attempts and all(a.replayed for a in result.attempts):
            sys.stderr.write(f"{result.case_id}: replayed from recorded responses in {settings.cache_dir} (no model was called)\n")
        failed += result.status == "failed"
    server_failed = any(r.error is not None for r in results)
    raise typer.Exit(2 if bad else 3 if server_failed else 1 if failed else 0)


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
    datasets: Annotated[list[str], typer.Argument(help="Folders of prompt files or JSONL datasets.")],
    cache: Annotated[str, typer.Option("--cache", help="replay (default: never calls a model) | auto | record | off.")] = "replay",
    cache_dir: Annotated[Optional[Path], typer.Option("--cache-dir", help="Folder of recordings.")] = None,
    model: Model = None,
    base_url: Annotated[Optional[str], typer.Option("--base-url", help="OpenAI-compatible server URL.")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-j", min=1, max=256)] = 4,
    config: ConfigFile = None,
    markdown_out: Annotated[Optional[Path], typer.Option("--markdown", help="Also write the Markdown report here (e.g. $GITHUB_STEP_SUMMARY).")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write metrics and per-case results as JSON.")] = None,
    junit_out: Annotated[Optional[Path], typer.Option("--junit", help="Write JUnit XML, one test case per case.")] = None,
    no_thresholds: Annotated[bool, typer.Option("--no-thresholds", help="Report only: judge no threshold, exit 0 even when cases fail.")] = False,
    **limits: float | None,
) -> None:
    """Run generation over a dataset (replayed by default) and report metrics; exit 1 when a threshold is missed.

    Thresholds come from [tool.cnaps-llm.eval] in pyproject.toml, overridden by the flags.
    With none configured, the run fails when any case fails. Exit 2 on bad input or config.
    """
    from . import evals
    from .config import load_config
    from .fsutil import atomic_write
    from .reports import FORMATS
    from .thresholds import BY_NAME

    given = [name for name, value in limits.items() if value is not None]
    if no_thresholds and given:
        raise ConfigError(f"--no-thresholds contradicts {BY_NAME[given[0]].flag}; give one or the other")
    settings = _settings(cache=cache, cache_dir=cache_dir, model=model, openai_base_url=base_url)
    configured = load_config(config).eval
    thresholds = None if no_thresholds else evals.Thresholds().override(configured).override(limits)
    cases, bad = _load_cases(datasets)
    if bad or not cases:
        raise InputError("the dataset has unreadable cases (above); fix them first" if bad else "the dataset holds no cases")
    results = _run(cases, settings, concurrency=concurrency, label="evaluating")
    report = evals.evaluate(cases, results, thresholds)
    text = FORMATS["md"].run(results, report)
    sys.stdout.write(text)
    for path, fmt in ((markdown_out, "md"), (json_out, "json"), (junit_out, "junit")):
        if path is not None:
            atomic_write(path, text if fmt == "md" else FORMATS[fmt].run(results, report))
    for m in report.missed:
        _err(f"threshold missed: {m}")
    if report.gated_by == "cases" and not report.passed:
        _err(f"{report.verdict()}; set thresholds in [tool.cnaps-llm.eval] or pass --no-thresholds to only report")
    raise typer.Exit(0 if report.passed else 1)


def main() -> None:
    """Console entry point: one line per error, no traceback unless CNAPS_DEBUG=1."""
    try:
        app()
    except CnapsError as exc:
        if os.environ.get("CNAPS_DEBUG") == "1":
            raise
        _err(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
