"""``cnaps-llm batch``: generation through OpenAI's Batch API (half the price, answers within 24 h).

Invariant: a thin layer over ``batchdriver`` and ``batchapi``, like ``cli.py`` over the library: errors are
raised as ``CnapsError`` and printed by ``cli.main``; nothing heavier than typer is
imported until a command runs, so ``cnaps-llm --help`` pays nothing for it. Progress goes
to stderr; stdout carries only answers (``collect``) or the status report (``status``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from .errors import NO_RECORDING, NOT_GROUNDED, OK, SERVER, ConfigError, InputError

if TYPE_CHECKING:
    from .batchstate import RunState

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Generate through OpenAI's Batch API: every case's next request in one batch per round, at half the price. "
    "`submit` sends the first round, `collect --wait` polls, checks, re-asks and writes the results; "
    "interrupted anywhere, rerun `collect`: nothing is lost or sent twice.",
)

StateArg = Annotated[Path, typer.Argument(metavar="RUN.json", help="The run's state file, written by `batch submit`.")]
BaseUrl = Annotated[Optional[str], typer.Option("--base-url", metavar="URL", help="The server the run was submitted to (env OPENAI_BASE_URL).")]


def _note(message: str) -> None:
    sys.stderr.write(f"batch: {message}\n")
    sys.stderr.flush()


class Watch:
    """Polling progress on stderr: a bar of the round's answered/failed requests on a terminal,
    a line whenever it changes elsewhere."""

    def __init__(self, terminal: bool | None = None) -> None:
        self.terminal = sys.stderr.isatty() if terminal is None else terminal
        self.last = ""
        self.bar: Any = None
        self.task: Any = None

    def note(self, message: str) -> None:
        if self.bar is not None:
            self.bar.console.print(f"batch: {message}", highlight=False)
        else:
            _note(message)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[extra]}"),
                            TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self.bar.start()
        self.task = self.bar.add_task("", total=1, extra="")

    def checking(self, n: int, total: int) -> None:
        if self.terminal and (n % 50 == 0 or n == total):
            if self.bar is None:
                self._start()
            self.bar.update(self.task, description="checking", completed=n, total=total, extra="")

    def poll(self, st: RunState) -> None:
        rnd = st.rounds[-1] if st.rounds else None
        if rnd is None or st.done:
            return
        done = sum(p.completed + p.failed for p in rnd.parts)
        failed = sum(p.failed for p in rnd.parts)
        statuses = ", ".join(f"{p.name} {p.status or p.phase}" for p in rnd.parts)
        if self.terminal:
            if self.bar is None:
                self._start()
            self.bar.update(self.task, description=f"round {rnd.number}", completed=done, total=max(1, rnd.requests),
                            extra=f"{failed} failed; {statuses}")
            return
        line = f"round {rnd.number}: {done}/{rnd.requests} request(s) done, {failed} failed; {statuses}"
        if line != self.last:
            _note(line)
            self.last = line

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _driver(state_path: Path, settings: Any, watch: Watch):  # type: ignore[no-untyped-def]
    from . import batchapi, batchdriver
    from . import batchstate as bs

    st = bs.load(state_path)

    def engine():  # type: ignore[no-untyped-def]
        batchdriver.check_server(st, settings)
        return batchapi.engine_for(st.engine, settings)

    driver = batchdriver.Driver(state_path, st, engine, watch.note)
    driver.on_case = lambda n: watch.checking(n, st.cases)
    return driver


@app.command()
def submit(
    files: Annotated[Optional[list[str]], typer.Argument(metavar="DATASET...", help="Prompt files, JSON/JSONL datasets or folders.")] = None,
    example: Annotated[Optional[list[str]], typer.Option("--example", "-e", metavar="NAME", help="A bundled example case (`003`), or `all`.")] = None,
    state: Annotated[Path, typer.Option("--state", metavar="RUN.json", help="The run's state file to create (its files go in RUN.batch/).")] = Path("run.json"),
    model: Annotated[Optional[str], typer.Option("--model", "-m", metavar="NAME", help="Model name (env CNAPS_MODEL).")] = None,
    max_attempts: Annotated[Optional[int], typer.Option("--max-attempts", metavar="N", help="Drafts per case, first try included (default 3): at most N rounds.")] = None,
    structured: Annotated[Optional[str], typer.Option("--structured", metavar="MODE", help="json_schema (auto's choice here) | json_object | text.")] = None,
    on_fail: Annotated[Optional[str], typer.Option("--on-fail", metavar="ACTION", help="report or repair, as for generate.")] = None,
    max_input_tokens: Annotated[Optional[int], typer.Option("--max-input-tokens", metavar="N", help="Prompt budget; longer summaries are shortened.")] = None,
    base_url: BaseUrl = None,
    cache_dir: Annotated[Optional[Path], typer.Option("--cache-dir", metavar="DIR", help="Recordings: cached cases are answered from here and never sent; answers are filed here.")] = None,
    max_requests_per_file: Annotated[int, typer.Option("--max-requests-per-file", min=1, metavar="N", help="Split each round's requests into files of at most N (OpenAI: 50,000).")] = 50_000,
    max_bytes_per_file: Annotated[int, typer.Option("--max-bytes-per-file", min=1024, metavar="BYTES", help="…and of at most this many bytes (OpenAI: 200 MB).")] = 200 * 1024 * 1024,
    max_resubmits: Annotated[int, typer.Option("--max-resubmits", min=0, max=20, metavar="N", help="Send a request the Batch API left unanswered (expired, 5xx) again at most N times.")] = 2,
) -> None:
    """Start a batch run: build every case's first request, as `generate` would, and send them as batches.

    Cases whose requests are in the cache are answered from it and never sent. Then run
    `cnaps-llm batch collect RUN.json --wait`.
    """
    from . import batchdriver
    from . import batchstate as bs
    from .cli_common import load_cases, make_settings

    settings = make_settings(model=model, max_attempts=max_attempts, structured=structured, on_fail=on_fail,
                         max_input_tokens=max_input_tokens, openai_base_url=base_url, cache_dir=cache_dir)
    cases, bad = load_cases(files, example)
    if bad or not cases:
        raise InputError("the dataset has unreadable cases (above); fix them first: nothing was sent" if bad else "the dataset holds no cases")
    from .cli_common import input_paths
    from .inputs import expand_paths

    inputs = [os.path.abspath(p) for p in expand_paths(input_paths(files, example)) if p != "-"]  # collect -o never writes over them
    watch = Watch()
    try:
        with bs.locked(state):
            batchdriver.new_run(cases, settings, state, limits=bs.Limits(max_requests=max_requests_per_file, max_bytes=max_bytes_per_file),
                             max_resubmits=max_resubmits, inputs=inputs)
            driver = _driver(state, settings, watch)
            try:
                done = driver.step(poll=False)
            except ConfigError:  # no key, no server: found when the first request file was to be sent
                _discard_unsent(state)
                raise
    finally:
        watch.close()
    _note(f"{'every case was answered from the cache; ' if done else ''}next: cnaps-llm batch collect {state} --wait")


def _discard_unsent(state_path: Path) -> None:
    """Remove a run that a settings error stopped before anything was sent: left behind, it
    made the same command, rerun once the settings are fixed, refuse its state file as
    "already exists". A run that began any upload is kept (collect resumes it)."""
    from . import batchstate as bs

    try:
        st = bs.load(state_path)
    except InputError:
        return
    if any(p.phase != "written" or p.intent_at is not None or p.file_id or p.batch_id for r in st.rounds for p in r.parts):
        return
    run_dir = bs.folder_of(state_path)
    for path in [state_path, *(run_dir.iterdir() if run_dir.is_dir() else [])]:
        if path.name != "lock":
            with contextlib.suppress(OSError):
                path.unlink()
    with contextlib.suppress(OSError):
        (run_dir / "lock").unlink()
        run_dir.rmdir()


@app.command()
def status(
    state: StateArg,
    poll: Annotated[bool, typer.Option("--poll/--no-poll", help="Ask the Batch API for the latest counts first.")] = True,
    base_url: BaseUrl = None,
) -> None:
    """Show a run's rounds and batches: status and answered/failed counts of each."""
    from . import batchstate as bs
    from .cli_common import make_settings

    st = bs.load(state)
    if poll and not st.done and any(p.phase == "running" for r in st.rounds for p in r.parts):
        watch = Watch(terminal=False)
        try:
            with bs.locked(state):
                driver = _driver(state, make_settings(openai_base_url=base_url), watch)
                driver.refresh()
                st = driver.state
        except bs.RunBusy:
            _note("another process is collecting this run; showing its last saved state")
            st = bs.load(state)
    sys.stdout.write(status_text(st))


def status_text(st: RunState) -> str:
    from .batchdriver import summary

    state = "done" if st.done else "cancelled" if st.cancelled else "running"
    lines = [f"run {st.run_id} ({state}), {st.spec.model} at {st.server}: {summary(st)}"]
    if st.cached:
        lines.append(f"  {st.cached} case(s) answered from the cache, never sent")
    for rnd in st.rounds:
        lines.append(f"round {rnd.number}: {rnd.requests} request(s) in {len(rnd.parts)} file(s)")
        for p in rnd.parts:
            counts = f"{p.completed + p.failed}/{p.requests} done, {p.failed} failed"
            lines.append(f"  {p.name}  {p.batch_id or '-':<24} {p.status or p.phase:<12} {counts}" + (f"  ({p.note})" if p.note else ""))
    if st.failed_keys:
        lines.append(f"{len(st.failed_keys)} request(s) failed for good; their cases end failed with the reason")
    return "\n".join(lines) + "\n"


def exit_code(counts: dict[str, int]) -> int:
    """generate's rule: 3 server, else 4 missing recording, else 1 not grounded, else 0."""
    if counts.get("error:server") or counts.get("error:deadline"):
        return SERVER
    if counts.get("error:no_recording"):
        return NO_RECORDING
    return NOT_GROUNDED if counts.get("failed") else OK


@app.command()
def collect(
    state: StateArg,
    wait: Annotated[bool, typer.Option("--wait", help="Poll until every case has ended (re-asks go out as new batches).")] = False,
    poll_interval: Annotated[float, typer.Option("--poll-interval", min=0.0, metavar="SECONDS", help="Between polls with --wait.")] = 60.0,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="DIR", help="When done, write <id>.md (or .json) per case into DIR, as generate does.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="md, json, jsonl or junit, as for generate.")] = "md",
    jsonl: Annotated[Optional[str], typer.Option("--jsonl", metavar="FILE", help="When done, append each case's record to FILE (`-`: stdout); cases already there are skipped.")] = None,
    annotate: Annotated[bool, typer.Option("--annotate", help="Head each Markdown answer with an HTML comment.")] = False,
    base_url: BaseUrl = None,
) -> None:
    """Poll the run's batches, take in their answers, check them as `generate` does and send the re-asks.

    Without --wait, does what can be done now and exits 0 while batches are still running.
    When every case has ended, writes the results (stdout, -o DIR, --jsonl) and exits as generate would.
    """
    from . import batchdriver
    from . import batchstate as bs
    from .cli_common import make_settings
    from .reports import get_format

    get_format(fmt)
    settings = make_settings(openai_base_url=base_url)
    watch = Watch()
    try:
        with bs.locked(state, existing=True):
            driver = _driver(state, settings, watch)
            if out is not None:  # an answer that would replace an input: refused now, not when the run is done
                _sink(state, settings, out=out, fmt=fmt, jsonl=jsonl, annotate=annotate, run=driver.state)
            done = batchdriver.collect(driver, wait=wait, poll_interval=poll_interval, on_poll=watch.poll)
    finally:
        watch.close()
    if not done:
        running = sum(p.phase != "collected" for r in driver.state.rounds for p in r.parts)
        _note(f"{running} batch(es) still running; run `cnaps-llm batch collect {state}` again later, or add --wait")
        raise typer.Exit(OK)
    export(state, settings, out=out, fmt=fmt, jsonl=jsonl, annotate=annotate, run=driver.state)
    raise typer.Exit(exit_code(driver.state.counts))


def _sink(state: Path, settings: Any, *, out: Path | None, fmt: str, jsonl: str | None, annotate: bool, run: Any) -> Any:
    """Where the run's results go, as generate would put them; a case's file that would replace
    one of the run's inputs (its dataset, the state file or a file of its folder) is refused."""
    from . import batchstate as bs
    from .batchapi import iter_run_cases
    from .outputs import Outputs

    ids: list[str] = []
    inputs: list[Path] = []
    if out is not None:
        run_dir = bs.folder_of(state)
        ids = [c.id for c in iter_run_cases(run_dir)]
        inputs = [state, *(p for p in run_dir.iterdir() if p.is_file()), *map(Path, run.inputs)]
    return Outputs(fmt=fmt, folder=out, jsonl=None, jsonl_stdout=jsonl == "-", annotate=annotate, single=run.cases == 1,
                   settings=settings, ids=ids, inputs=inputs)


def export(state: Path, settings: Any, *, out: Path | None, fmt: str, jsonl: str | None, annotate: bool, run: Any) -> None:
    """The run's records where generate would put them; a --jsonl file gets only cases it lacks."""
    from .batch import Appender, ResultsFile
    from .batchapi import run_records

    skip: set[str] = set()
    appender = None
    if jsonl not in (None, "-"):
        held = ResultsFile(Path(jsonl))
        held.move_torn_aside()
        skip = set(held.finished)
        appender = Appender(Path(jsonl))
    sink = _sink(state, settings, out=out, fmt=fmt, jsonl=jsonl, annotate=annotate, run=run)
    shown, added = [], 0
    try:
        for result in run_records(state):
            sink.landed(result)
            if appender is not None and result.case_id not in skip:
                appender(result)
                added += 1
            if out is None and jsonl is None:
                shown.append(result)
    finally:
        if appender is not None:
            appender.close()
    sink.finish(shown)
    if appender is not None:
        _note(f"{added} record(s) appended to {jsonl}" + (f" ({len(skip)} case(s) were there already)" if skip else ""))
    if out is not None:
        _note(f"{len(sink.written)} file(s) written in {out}")


@app.command()
def cancel(state: StateArg, base_url: BaseUrl = None) -> None:
    """Cancel the run's running batches and send nothing more; `collect` then takes in what they answered."""
    from . import batchdriver
    from . import batchstate as bs
    from .cli_common import make_settings

    watch = Watch(terminal=False)
    with bs.locked(state, existing=True):
        driver = _driver(state, make_settings(openai_base_url=base_url), watch)
        ids = batchdriver.cancel(driver)
    _note(f"cancelled {', '.join(ids) if ids else 'no running batch'}; next: cnaps-llm batch collect {state} --wait")
