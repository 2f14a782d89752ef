"""``cnaps-llm eval``: generation over a dataset (replayed by default), metrics, thresholds, reports, a baseline to compare with.

Invariant: a thin layer over ``evals``, ``thresholds`` and ``reports``, like ``cli.py`` over the
library; errors are raised as ``CnapsError`` and printed by ``cli.main``. The threshold
flags are generated from ``thresholds.THRESHOLDS``, the only list of them.
"""

import inspect
import math
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_common import ConfigFile, Example, Files, Model, err, input_paths, load_cases, run_with_progress, make_settings
from .errors import ConfigError, InputError


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
    html_out: Annotated[Optional[Path], typer.Option("--html", metavar="FILE", help="Write one self-contained HTML page: metrics, a chart, the cases, every draft with its violations marked.")] = None,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", metavar="FILE", help="Compare with an earlier `eval --json` report: metric changes, cases that failed or recovered, new violation kinds.")] = None,
    max_regression: Annotated[Optional[float], typer.Option("--max-regression", min=0.0, metavar="FRACTION", help="With --baseline: exit 1 when a gated metric is worse than the baseline's by more than this fraction of it (default 0).")] = None,
    from_run: Annotated[Optional[Path], typer.Option("--from-run", metavar="RUN.json", help="Evaluate a collected `batch` run instead of generating.")] = None,
    no_thresholds: Annotated[bool, typer.Option("--no-thresholds", help="Report only: judge no threshold, exit 0 even when cases fail.")] = False,
    **limits: float | None,
) -> None:
    """Run generation over a dataset (replayed by default) and report metrics; exit 1 when a threshold is missed.

    Thresholds come from [tool.cnaps-llm.eval] in pyproject.toml, overridden by the flags.
    With none configured, the run fails when any case fails. With --baseline, a gated metric
    that got worse than the baseline's beyond the allowed regression fails it too.
    Exit 2 on bad input or config.
    """
    from . import evals
    from .config import load_config
    from .fsutil import append_text, atomic_write, make_parents, refuse_clobbering
    from .inputs import expand_paths
    from .thresholds import BY_NAME

    given = [name for name, value in limits.items() if value is not None]
    if no_thresholds and given:
        raise ConfigError(f"--no-thresholds contradicts {BY_NAME[given[0]].flag}; give one or the other")
    if max_regression is not None and baseline is None:
        raise ConfigError("--max-regression needs --baseline FILE, the `eval --json` report to compare with")
    if max_regression is not None and not math.isfinite(max_regression):
        # typer's range check lets NaN through (every comparison with it is false): NaN allowed
        # every regression, silently ("at most nan% allowed"), and so did inf
        raise ConfigError("--max-regression must be a finite number (a fraction of the baseline's value, such as 0.05)")
    from .reports.baseline import compare, load_baseline, render

    earlier = load_baseline(baseline) if baseline is not None else None  # a bad file fails before any run
    reports = [("--markdown", markdown_out), ("--json", json_out), ("--junit", junit_out), ("--html", html_out)]
    from .config import DEFAULT_PATH

    # the settings read without being named (./pyproject.toml, ./.env) are inputs too: a report must not replace them
    named = [*(expand_paths(input_paths(datasets, example)) if from_run is None else []), from_run, baseline, config or DEFAULT_PATH, Path(".env")]
    if from_run is not None:  # the run's records and cases are inputs too: a report must not replace them
        from .batchstate import folder_of

        run_dir = folder_of(from_run)
        try:
            named += [p for p in run_dir.iterdir() if p.is_file()]
        except OSError:  # no run folder, or one that cannot be read: reading the run says which
            pass
    refuse_clobbering([(flag, p) for flag, p in reports if p is not None], [Path(p) for p in named if p is not None and p != "-"])
    settings = make_settings(cache=cache, cache_dir=cache_dir, model=model, openai_base_url=base_url)
    configured = load_config(config).eval
    thresholds = None if no_thresholds else evals.Thresholds().override(configured).override(limits)
    make_parents([(flag, p) for flag, p in reports if p is not None], appended=frozenset({"--markdown"}))  # after every other check, before any request
    if from_run is not None:  # a finished `batch` run: its records, checked as generate checks them
        from .batchapi import run_results

        cases, results = run_results(from_run)
    else:
        cases, bad = load_cases(datasets, example)
        if bad or not cases:
            raise InputError("the dataset has unreadable cases (above); fix them first" if bad else "the dataset holds no cases")
        from .inputs import duplicate_ids

        dupes = duplicate_ids([c.id for c in cases])
        if dupes:  # each would be counted twice in every metric, and twice in the JUnit report
            raise InputError(f"case id(s) {', '.join(dupes[:5])} occur more than once; give each case a unique id")
        results = run_with_progress(cases, settings, concurrency=concurrency, label="evaluating")
    report = evals.evaluate(cases, results, thresholds)
    comparison = None
    if earlier is not None:
        comparison = compare(report, earlier, max_regression=max_regression or 0.0, judged=not no_thresholds)
    text = render("md", results, report, comparison)
    sys.stdout.write(text)
    if markdown_out is not None:
        append_text(markdown_out, text)  # a step summary collects every step's report
    for path, fmt in ((json_out, "json"), (junit_out, "junit"), (html_out, "html")):
        if path is not None:
            atomic_write(path, render(fmt, results, report, comparison))
    for m in report.missed:
        err(f"threshold missed: {m}")
    if report.gated_by == "cases" and not report.passed:
        err(f"{report.verdict()}; set thresholds in [tool.cnaps-llm.eval] or pass --no-thresholds to only report")
    if comparison is not None and comparison.judged:
        for m in comparison.regressions:
            err(f"regressed since the baseline: {m}")
    raise typer.Exit(0 if report.passed and (comparison is None or comparison.passed) else 1)


app = typer.Typer(add_completion=False, rich_markup_mode=None)
app.command("eval")(eval_)
