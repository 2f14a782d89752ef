"""Evaluation metrics over results, thresholds, and reports (Markdown, JSON, JUnit XML).

Invariant: pure functions of the cases and their results; the CLI decides where
reports go and what exit code a threshold miss gives.
"""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from pydantic import Field

from .errors import ConfigError
from .grounding import grounding_for, vocab
from .grounding.links import canonical, find_links
from .grounding.tasks import tasks_in
from .models import Case, Result, _Strict


class Thresholds(_Strict):
    min_grounded_rate: float | None = Field(default=None, ge=0, le=1)
    min_first_pass_rate: float | None = Field(default=None, ge=0, le=1)
    max_mean_attempts: float | None = Field(default=None, ge=0)
    min_link_precision: float | None = Field(default=None, ge=0, le=1)
    min_recommended_coverage: float | None = Field(default=None, ge=0, le=1)
    min_citation_recall: float | None = Field(default=None, ge=0, le=1)
    min_task_accuracy: float | None = Field(default=None, ge=0, le=1)


class Metrics(_Strict):
    cases: int
    grounded_rate: float
    first_pass_rate: float
    mean_attempts: float
    draft_violations: dict[str, int]
    final_violations: dict[str, int]
    link_precision: float | None
    recommended_coverage: float | None
    citation_recall: float | None
    task_accuracy: float | None = Field(description="Share of cases with expect.task whose answer names that task.")
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    latency_p50_s: float
    latency_p95_s: float
    statuses: dict[str, int]


def load_thresholds(pyproject: Path | None, overrides: dict[str, float | None]) -> Thresholds:
    """``[tool.cnaps-llm.eval]`` from pyproject.toml, then flags on top."""
    base: dict[str, Any] = {}
    if pyproject is not None and pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{pyproject}: cannot read [tool.cnaps-llm.eval] ({exc})") from None
        base = data.get("tool", {}).get("cnaps-llm", {}).get("eval", {})
    base.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Thresholds.model_validate(base)
    except Exception as exc:  # pydantic's message names the field
        raise ConfigError(f"eval thresholds: {str(exc).splitlines()[-1]}; see [tool.cnaps-llm.eval]") from None


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    k = max(0, math.ceil(q * len(s)) - 1)
    return round(s[k], 4)


def _final_text(r: Result) -> str | None:
    if r.answer is not None:
        return r.answer
    return next((a.answer for a in reversed(r.attempts) if a.answer), None)


def compute(cases: list[Case], results: list[Result]) -> Metrics:
    by_id = {c.id: c for c in cases}
    n = len(results)
    draft_v: Counter[str] = Counter(v.kind for r in results for a in r.attempts for v in a.violations)
    final_v: Counter[str] = Counter(v.kind for r in results for v in r.violations)
    links_total = links_ok = 0
    rec_total = rec_hit = 0
    cite_total = cite_hit = 0
    task_total = task_hit = 0
    all_tasks = vocab.tasks()
    for r in results:
        case = by_id[r.case_id]
        text = _final_text(r)
        if text is None:
            rec_total += len(case.recommended)
            if case.expect:
                cite_total += len(case.expect.must_cite)
                task_total += case.expect.task is not None
            continue
        if case.expect and case.expect.task:
            task_total += 1
            task_hit += any(all_tasks[t].name == case.expect.task.lower() for t, _, _ in tasks_in(text))
        g = grounding_for(case)
        found = [canonical(raw) for _, _, raw in find_links(text)]
        links_total += len(found)
        links_ok += sum(k in g.links for k in found)
        squashed = vocab.squash(text)
        for s in case.recommended:
            rec_total += 1
            rec_hit += vocab.squash(s.name) in squashed
        if case.expect:
            answer_links = set(found)
            for sid in case.expect.must_cite:
                cite_total += 1
                src = case.source(sid)
                if src is not None and any(canonical(u) in answer_links for u in src.all_links()):
                    cite_hit += 1
    costs = [r.cost_usd for r in results]
    return Metrics(
        cases=n,
        grounded_rate=round(sum(r.status == "grounded" for r in results) / n, 4) if n else 0.0,
        first_pass_rate=round(sum(r.status == "grounded" and len(r.attempts) == 1 for r in results) / n, 4) if n else 0.0,
        mean_attempts=round(sum(len(r.attempts) for r in results) / n, 4) if n else 0.0,
        draft_violations=dict(sorted(draft_v.items())),
        final_violations=dict(sorted(final_v.items())),
        link_precision=round(links_ok / links_total, 4) if links_total else None,
        recommended_coverage=round(rec_hit / rec_total, 4) if rec_total else None,
        citation_recall=round(cite_hit / cite_total, 4) if cite_total else None,
        task_accuracy=round(task_hit / task_total, 4) if task_total else None,
        prompt_tokens=sum(r.usage.prompt_tokens for r in results),
        completion_tokens=sum(r.usage.completion_tokens for r in results),
        cost_usd=None if any(c is None for c in costs) else round(sum(c or 0 for c in costs), 6),
        latency_p50_s=_percentile([r.latency_s for r in results], 0.5),
        latency_p95_s=_percentile([r.latency_s for r in results], 0.95),
        statuses=dict(sorted(Counter(r.status for r in results).items())),
    )


def failures(m: Metrics, t: Thresholds) -> list[str]:
    """Each threshold the metrics miss, as a sentence."""
    out = []
    checks = [
        ("grounded rate", m.grounded_rate, t.min_grounded_rate, "min"),
        ("first-pass rate", m.first_pass_rate, t.min_first_pass_rate, "min"),
        ("mean attempts", m.mean_attempts, t.max_mean_attempts, "max"),
        ("link precision", m.link_precision, t.min_link_precision, "min"),
        ("recommended-model coverage", m.recommended_coverage, t.min_recommended_coverage, "min"),
        ("expected-citation recall", m.citation_recall, t.min_citation_recall, "min"),
        ("expected-task accuracy", m.task_accuracy, t.min_task_accuracy, "min"),
    ]
    for name, value, limit, kind in checks:
        if limit is None:
            continue
        if value is None:
            out.append(f"{name} could not be measured (no data) but a threshold of {limit} is set")
        elif (kind == "min" and value < limit) or (kind == "max" and value > limit):
            word = "below the minimum" if kind == "min" else "above the maximum"
            out.append(f"{name} {value:g} is {word} {limit:g}")
    return out


def _fmt(v: float | None, pct: bool = True) -> str:
    if v is None:
        return "n/a"
    return f"{v:.1%}" if pct else f"{v:g}"


def markdown(m: Metrics, results: list[Result], missed: list[str]) -> str:
    rows = [
        ("cases", str(m.cases)),
        ("grounded rate", _fmt(m.grounded_rate)),
        ("first-pass rate", _fmt(m.first_pass_rate)),
        ("mean attempts", f"{m.mean_attempts:.2f}"),
        ("violations in drafts", ", ".join(f"{k} {v}" for k, v in m.draft_violations.items()) or "none"),
        ("violations in final answers", ", ".join(f"{k} {v}" for k, v in m.final_violations.items()) or "none"),
        ("link precision", _fmt(m.link_precision)),
        ("recommended-model coverage", _fmt(m.recommended_coverage)),
        ("expected-citation recall", _fmt(m.citation_recall)),
        ("expected-task accuracy", _fmt(m.task_accuracy)),
        ("tokens (prompt + completion)", f"{m.prompt_tokens} + {m.completion_tokens}"),
        ("estimated cost", "n/a" if m.cost_usd is None else f"${m.cost_usd:.4f}"),
        ("latency p50 / p95", f"{m.latency_p50_s:.2f} s / {m.latency_p95_s:.2f} s"),
    ]
    out = ["## cnaps-llm eval", "", "| metric | value |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in rows]
    out += ["", "| case | status | attempts | violations in drafts |", "|---|---|---|---|"]
    for r in results:
        n = sum(len(a.violations) for a in r.attempts)
        out.append(f"| {r.case_id} | {r.status} | {len(r.attempts)} | {n} |")
    out += ["", "**Thresholds: " + ("FAILED** — " + "; ".join(missed) if missed else "passed**")]
    return "\n".join(out) + "\n"


def junit(results: list[Result], missed: list[str]) -> str:
    """One test case per case (failed when not grounded), plus one for the thresholds."""
    fails = sum(r.status == "failed" for r in results) + bool(missed)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuite name="cnaps-llm eval" tests="{len(results) + 1}" failures="{fails}">',
    ]
    for r in results:
        out.append(f'  <testcase classname="cnaps-llm" name={quoteattr(r.case_id)} time="{r.latency_s:.3f}">')
        if r.status == "failed":
            detail = "\n".join(f"line {v.line} [{v.kind}] {v.text}: {v.message}" for v in r.violations)
            out.append(f'    <failure message="not grounded after {len(r.attempts)} attempt(s)">{escape(detail)}</failure>')
        out.append("  </testcase>")
    out.append('  <testcase classname="cnaps-llm" name="thresholds">')
    if missed:
        out.append(f'    <failure message={quoteattr("; ".join(missed))}/>')
    out.append("  </testcase>")
    out.append("</testsuite>")
    return "\n".join(out) + "\n"
