"""Evaluation: metrics over a run's results, judged against thresholds.

Invariant: pure functions of the cases, their results and the thresholds; no I/O.
``evaluate`` returns a ``Report`` that says whether the run passed; the formats in
``reports/`` render it and the CLI decides where it goes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Literal

from pydantic import Field, ValidationError, create_model

from .errors import ConfigError
from .grounding import grounding_for, vocab
from .grounding.links import canonical, find_links
from .grounding.rules import quality
from .grounding.tasks import tasks_in
from .models import Case, Result, StrictModel
from .thresholds import THRESHOLDS


class _ThresholdsBase(StrictModel):
    def limits(self) -> dict[str, float]:
        """The thresholds that are set, by name."""
        return {k: v for k, v in self.model_dump().items() if v is not None}

    def override(self, limits: Mapping[str, float | None]) -> Thresholds:  # type: ignore[valid-type]
        """These thresholds with ``limits`` on top (a config table, or flags where None means not given)."""
        given = {k: v for k, v in limits.items() if v is not None}
        try:
            return type(self).model_validate({**self.model_dump(), **given})
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ConfigError(f"threshold {'.'.join(map(str, err['loc']))}: {err['msg']}") from None


# One optional field per declared threshold, bounded as the declaration says.
Thresholds = create_model(  # type: ignore[call-overload]
    "Thresholds",
    __base__=_ThresholdsBase,
    __module__=__name__,
    __doc__="Eval thresholds by name (see thresholds.THRESHOLDS); None is not set.",
    **{t.name: (float | None, Field(default=None, ge=t.lowest, le=t.highest, allow_inf_nan=False, description=t.help)) for t in THRESHOLDS},
)


class Metrics(StrictModel):
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
    quality_rate: float | None = Field(default=None, description="Share of final answers (or last drafts) that pass every quality check.")
    quality_failures: dict[str, int] = Field(default_factory=dict, description="Cases failing each quality check, by check.")
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    latency_p50_s: float
    latency_p95_s: float
    statuses: dict[str, int]


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
    quality_total = quality_ok = 0
    quality_v: Counter[str] = Counter()
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
        failed_checks = quality.failures(text, g)
        quality_total += 1
        quality_ok += not failed_checks
        quality_v.update(failed_checks.keys())
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
        quality_rate=round(quality_ok / quality_total, 4) if quality_total else None,
        quality_failures={name: quality_v[name] for name, _ in quality.CHECKS if quality_v[name]},
        prompt_tokens=sum(r.usage.prompt_tokens for r in results),
        completion_tokens=sum(r.usage.completion_tokens for r in results),
        cost_usd=None if any(c is None for c in costs) else round(sum(c or 0 for c in costs), 6),
        latency_p50_s=_percentile([r.latency_s for r in results], 0.5),
        latency_p95_s=_percentile([r.latency_s for r in results], 0.95),
        statuses=dict(sorted(Counter(r.status for r in results).items())),
    )


def failures(m: Metrics, t: Thresholds) -> list[str]:  # type: ignore[valid-type]
    """Each threshold the metrics miss, as a sentence, in declaration order."""
    out = []
    for th in THRESHOLDS:
        sentence = th.missed(getattr(m, th.metric), getattr(t, th.name))
        if sentence is not None:
            out.append(sentence)
    return out


class Report(StrictModel):
    """A judged run. ``thresholds`` is None when they were switched off (nothing gates the run)."""

    metrics: Metrics
    thresholds: Thresholds | None  # type: ignore[valid-type]
    missed: list[str] = Field(description="One sentence per threshold the metrics miss.")
    failed_cases: list[str] = Field(description="Ids of the cases that ended without a grounded answer.")
    results: list[Result]

    @property
    def gated_by(self) -> Literal["thresholds", "cases", "nothing"]:
        """What decides ``passed``: ``thresholds``, ``cases`` (none configured: every case must pass) or ``nothing``."""
        if self.thresholds is None:
            return "nothing"
        return "thresholds" if self.thresholds.limits() else "cases"

    @property
    def passed(self) -> bool:
        gate = self.gated_by
        return gate == "nothing" or (gate == "thresholds" and not self.missed) or (gate == "cases" and not self.failed_cases)

    def verdict(self) -> str:
        """One line on the outcome, for reports and stderr."""
        gate = self.gated_by
        if gate == "nothing":
            return "thresholds not applied"
        if gate == "thresholds":
            return "thresholds missed: " + "; ".join(self.missed) if self.missed else "thresholds passed"
        if not self.failed_cases:
            return "no thresholds configured; every case passed"
        shown = ", ".join(self.failed_cases[:10]) + (", …" if len(self.failed_cases) > 10 else "")
        return f"no thresholds configured and {len(self.failed_cases)} case(s) failed: {shown}"


def evaluate(cases: list[Case], results: list[Result], thresholds: Thresholds | None) -> Report:  # type: ignore[valid-type]
    """Metrics of ``results`` (each the result of the case with its id in ``cases``), judged against ``thresholds``.

    With no threshold set, the run passes only when every case does; ``thresholds=None``
    reports without judging.
    """
    metrics = compute(cases, results)
    return Report(
        metrics=metrics,
        thresholds=thresholds,
        missed=failures(metrics, thresholds) if thresholds is not None else [],
        failed_cases=[r.case_id for r in results if r.status == "failed"],
        results=results,
    )
