"""This run against an earlier ``eval --json`` report: what got better, what got worse.

A gated metric is one ``thresholds.THRESHOLDS`` declares (grounded rate, first-pass rate,
mean attempts, link precision, coverage, citation recall, task accuracy): its direction says
which way is worse. Its regression is how much worse it got as a fraction of its baseline
value (1.0 → 0.9 is 0.1; mean attempts 1.2 → 1.5 is 0.25); beyond ``max_regression`` the
comparison fails. Cases are matched by id: those that went from grounded (or repaired) to
failed and back are listed, as are violation kinds this run has that the baseline had not.

Invariant: pure apart from ``load_baseline``, which reads one file. The baseline is read
leniently (only metrics, and each result's id and status), so a report written by an older
or newer version still compares; a file that is not an eval report is an ``InputError``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from ..errors import InputError
from ..models import Result, StrictModel
from ..thresholds import THRESHOLDS

if TYPE_CHECKING:
    from ..evals import Report

# metrics shown for information: no direction is declared for them, so they never fail a run;
# (metric, label, how a value is shown, how a change is shown)
_INFORMATIVE = (
    ("cases", "cases", "{:g}", "{:+g}"),
    ("prompt_tokens", "prompt tokens", "{:g}", "{:+g}"),
    ("completion_tokens", "completion tokens", "{:g}", "{:+g}"),
    ("cost_usd", "estimated cost", "${:.4f}", "{:+.4f} USD"),
    ("latency_p50_s", "latency p50", "{:.2f} s", "{:+.2f} s"),
    ("latency_p95_s", "latency p95", "{:.2f} s", "{:+.2f} s"),
)
_EPS = 1e-9  # metrics are rounded to 4 places: anything smaller is no change


class Baseline(StrictModel):
    """What a comparison needs of an earlier run."""

    source: str
    metrics: dict[str, Any]
    statuses: dict[str, str] = Field(description="Each case's status, by id.")


class MetricChange(StrictModel):
    metric: str
    label: str
    before: float | None
    after: float | None
    before_text: str
    after_text: str
    delta: float | None = Field(description="after - before; None when either is missing.")
    change: str = Field(description="The change as reports show it: `-8.3 pts`, `+0.25`, `=`, or empty when not comparable.")
    gated: bool
    regression: float | None = Field(
        description="How much worse, as a fraction of the baseline value (0 when not worse); None when "
        "not comparable, or when the baseline was 0 and any rise is a regression."
    )
    regressed: bool


class Comparison(StrictModel):
    baseline: str = Field(description="Where the baseline report came from.")
    max_regression: float
    judged: bool = Field(description="False with --no-thresholds: reported, not gating the run.")
    metrics: list[MetricChange]
    newly_failed: list[str] = Field(description="Cases grounded or repaired in the baseline, failed now.")
    newly_passing: list[str] = Field(description="Cases failed in the baseline, grounded or repaired now.")
    new_draft_kinds: list[str] = Field(description="Violation kinds in this run's drafts that no baseline draft had.")
    new_final_kinds: list[str] = Field(description="Violation kinds in this run's final answers that the baseline's had not.")
    added_cases: list[str]
    removed_cases: list[str]
    regressions: list[str] = Field(description="One sentence per gated metric that regressed beyond max_regression.")

    @property
    def passed(self) -> bool:
        return not self.judged or not self.regressions

    def verdict(self) -> str:
        """One line on the comparison, for reports and stderr."""
        if self.regressions:
            head = "regressed since the baseline" if self.judged else "regressed since the baseline (not judged)"
            return f"{head}: " + "; ".join(self.regressions)
        return "no regression since the baseline"


def _number(value: Any) -> float | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:  # an int JSON wrote with hundreds of digits is past any float: not comparable, not a crash
        value = float(value)
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


def parse_baseline(data: Any, source: str) -> Baseline:
    """The parts of a decoded ``eval --json`` report that a comparison uses."""
    hint = "make one with `cnaps-llm eval … --json FILE`"
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise InputError(f"is not an `eval --json` report (it has no metrics); {hint}", path=source)
    statuses: dict[str, str] = {}
    results = data.get("results", [])
    if not isinstance(results, list):
        raise InputError(f"`results` is not a list; {hint}", path=source)
    for r in results:
        if not isinstance(r, dict) or not isinstance(r.get("case_id"), str) or not isinstance(r.get("status"), str):
            raise InputError(f"a result has no `case_id` and `status`; {hint}", path=source)
        statuses[r["case_id"]] = r["status"]
    return Baseline(source=source, metrics=data["metrics"], statuses=statuses)


def load_baseline(path: str | Path) -> Baseline:
    """Read the earlier report at ``path``."""
    from ..inputs.text import MAX_DATASET_BYTES, read_bounded

    source = str(path)
    try:  # bounded, and not waiting on a pipe: `--baseline /dev/zero` must not fill the memory
        raw = read_bounded(path, limit=MAX_DATASET_BYTES)
        if len(raw) > MAX_DATASET_BYTES:
            raise InputError(f"is larger than {MAX_DATASET_BYTES // 2**20} MB, more than any eval report; give the file `eval --json` wrote", path=source)
        data = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise InputError("no such file; give the JSON report of an earlier run (`eval --json FILE`)", path=source) from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError(f"cannot be read as JSON ({type(exc).__name__}); give the file `eval --json` wrote", path=source) from None
    return parse_baseline(data, source)


def _regression(direction: str, before: float, after: float) -> float:
    worse = before - after if direction == "min" else after - before
    if worse <= _EPS:
        return 0.0
    return math.inf if abs(before) <= _EPS else worse / abs(before)


def _kinds(metrics: dict[str, Any], key: str) -> set[str]:
    value = metrics.get(key)
    return {k for k, n in value.items() if n} if isinstance(value, dict) else set()


def _change(metric: str, label: str, before: float | None, after: float | None, show: Callable[[float], str],
            step: Callable[[float], str], *, gated: bool, regressed: bool, regression: float | None) -> MetricChange:
    delta = None if before is None or after is None else round(after - before, 6)
    change = "" if delta is None else "=" if abs(delta) <= _EPS else step(delta).replace("-", "−")
    return MetricChange(
        metric=metric, label=label, before=before, after=after,
        before_text="n/a" if before is None else show(before), after_text="n/a" if after is None else show(after),
        delta=delta, change=change, gated=gated, regression=regression, regressed=regressed,
    )


def compare(report: Report, baseline: Baseline, *, max_regression: float = 0.0, judged: bool = True) -> Comparison:
    """``report`` (this run) against ``baseline``; a gated metric worse by more than
    ``max_regression`` of its baseline value is a regression."""
    now = report.metrics.model_dump()
    changes: list[MetricChange] = []
    regressions: list[str] = []
    for metric in dict.fromkeys(t.metric for t in THRESHOLDS):
        t = next(t for t in THRESHOLDS if t.metric == metric)
        before, after = _number(baseline.metrics.get(metric)), _number(now.get(metric))
        amount = None if before is None or after is None else _regression(t.direction, before, after)
        regressed = amount is not None and amount > max_regression + _EPS
        if regressed:
            how = "fell" if t.direction == "min" else "rose"
            size = "from nothing" if math.isinf(amount) else f"by {amount:.1%} of its baseline value"  # type: ignore[arg-type]
            regressions.append(f"{t.label} {how} from {t.show(before)} to {t.show(after)} ({size}; "  # type: ignore[arg-type]
                               f"at most {max_regression:.1%} allowed)")
        # a share changes by percentage points, a mean by its own unit
        step = (lambda d: f"{d * 100:+.1f} pts") if t.rate else (lambda d: f"{d:+.2f}")
        changes.append(_change(metric, t.label, before, after, t.show, step, gated=True, regressed=regressed,
                               regression=None if amount is None or math.isinf(amount) else round(amount, 6)))
    for metric, label, shape, step_shape in _INFORMATIVE:
        before, after = _number(baseline.metrics.get(metric)), _number(now.get(metric))
        changes.append(_change(metric, label, before, after, shape.format, step_shape.format, gated=False, regressed=False, regression=None))
    ok = ("grounded", "repaired")
    current = {r.case_id: r.status for r in report.results}
    both = [i for i in current if i in baseline.statuses]
    return Comparison(
        baseline=baseline.source,
        max_regression=max_regression,
        judged=judged,
        metrics=changes,
        newly_failed=[i for i in both if baseline.statuses[i] in ok and current[i] == "failed"],
        newly_passing=[i for i in both if baseline.statuses[i] == "failed" and current[i] in ok],
        new_draft_kinds=sorted(_kinds(now, "draft_violations") - _kinds(baseline.metrics, "draft_violations")),
        new_final_kinds=sorted(_kinds(now, "final_violations") - _kinds(baseline.metrics, "final_violations")),
        added_cases=[i for i in current if i not in baseline.statuses],
        removed_cases=[i for i in baseline.statuses if i not in current],
        regressions=regressions,
    )


# --------------------------------------------------------------------------- output


def _cell(text: str) -> str:
    # a case id must not end its table cell, row or code span; the baseline's ids come from a
    # file (a CI artifact, edited by hand): their control characters and bidirectional
    # overrides are shown as escapes, never sent to the terminal this report is printed on
    from ..fsutil import terminal_line

    return terminal_line(text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'").replace("\r", " ").replace("\n", " "))


def _ids(ids: list[str], limit: int = 20) -> str:
    shown = ", ".join(f"`{_cell(i)}`" for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def markdown(comparison: Comparison) -> str:
    """The comparison as a Markdown section, to follow the eval report."""
    c = comparison
    out = ["", f"### Compared with the baseline `{_cell(c.baseline)}`", "", "| metric | baseline | now | change |", "|---|---|---|---|"]
    for m in c.metrics:
        flag = " **regressed**" if m.regressed else ""
        out.append(f"| {m.label} | {m.before_text} | {m.after_text} | {m.change}{flag} |")
    out.append("")
    lines = [
        ("Cases now failing", _ids(c.newly_failed)),
        ("Cases now passing", _ids(c.newly_passing)),
        ("New violation kinds in drafts", ", ".join(c.new_draft_kinds)),
        ("New violation kinds in final answers", ", ".join(c.new_final_kinds)),
        ("Cases not in the baseline", _ids(c.added_cases)),
        ("Cases of the baseline not run", _ids(c.removed_cases)),
    ]
    out += [f"- {label}: {value}" for label, value in lines if value]
    if not any(value for _, value in lines):
        out.append("- No case changed status and no new violation kind appeared.")
    out.append("")
    if c.regressions:
        head = "**Baseline: REGRESSED**" if c.judged else "**Baseline: regressed (not judged)**"
        out.append(f"{head} — " + "; ".join(c.regressions))
    else:
        out.append(f"**Baseline: no regression** (at most {c.max_regression:.1%} allowed)")
    return "\n".join(out) + "\n"


def render(fmt: str, results: list[Result], report: Report, comparison: Comparison | None) -> str:
    """The eval report in format ``fmt``, with the comparison where that format has room for it
    (Markdown: a section after the report; JSON: a ``baseline`` member; HTML: a section)."""
    from . import FORMATS

    if comparison is None:
        return FORMATS[fmt].run(results, report)
    if fmt == "html":
        from . import html

        return html.page(results, report, comparison)
    text = FORMATS[fmt].run(results, report)
    if fmt == "md":
        return text + markdown(comparison)
    if fmt == "json":
        payload = json.loads(text)
        results_last = payload.pop("results")  # the comparison reads before the long list of records
        payload["baseline"] = comparison.model_dump(mode="json")
        payload["results"] = results_last
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    return text
