"""HTML: one self-contained page to read a run: metrics, a chart, the cases, every draft marked up.

Invariants: the page loads nothing. Its style, chart (inline SVG) and script are inline, and
its Content-Security-Policy allows exactly those, by hash, and nothing else: no network, no
CDN, and no script but ours even if an escape were missed. Every text that comes from the
results (case ids, answers, raw replies, violation texts and messages, errors) reaches the
page through Jinja2's autoescape; nothing from a result is marked safe, and the script reads
the page's DOM, never HTML from data. Texts are redacted as every output is (``redact``: API
keys, URL passwords, auth headers), and their control characters and bidi controls (a
server's model name holding ``\x1b[31m``, ``\x07`` or U+202E) are shown as visible escapes
(``markdown.visible``), never rendered raw. Pure: the only files read are the package's
template, style and script.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, NamedTuple

from .. import __version__
from ..models import Result, Violation
from ..redact import redact
from ..thresholds import THRESHOLDS
from .markdown import visible

if TYPE_CHECKING:
    from jinja2 import Template

    from ..evals import Report
    from .baseline import Comparison


# --------------------------------------------------------------------------- highlighting


class Mark(NamedTuple):
    """The violations (numbers into the block's list) covering one stretch of text."""

    numbers: tuple[int, ...]
    kinds: tuple[str, ...]
    title: str  # every covering violation's message, for the tooltip
    ends: tuple[int, ...]  # numbers of the violations whose span ends here: their reference marks follow
    warn: bool  # only warnings cover it


class Segment(NamedTuple):
    text: str
    mark: Mark | None


class Note(NamedTuple):
    """One violation as the list under a draft shows it; ``located`` is False when its text
    was not found in the draft (a missing part, a reply that was not a draft)."""

    number: int
    violation: Violation
    located: bool


class Block(NamedTuple):
    label: str
    segments: list[Segment]
    notes: list[Note]


def locate(text: str, violation: Violation) -> tuple[int, int] | None:
    """Where ``violation.text`` occurs in ``text``: on its line if it is there, else its first
    occurrence after the line's start, else anywhere, else ignoring case; None when absent."""
    needle = violation.text
    if not needle:
        return None
    start = 0
    for _ in range(max(0, violation.line - 1)):  # the offset of the violation's line, if the text has it
        nl = text.find("\n", start)
        if nl < 0:
            start = 0
            break
        start = nl + 1
    end_of_line = text.find("\n", start)
    at = text.find(needle, start, len(text) if end_of_line < 0 else end_of_line)
    if at < 0:
        at = text.find(needle, start)
    if at < 0:
        at = text.find(needle)
    if at < 0:
        at = text.lower().find(needle.lower())  # lower() keeps offsets only when lengths agree
        if at < 0 or len(text.lower()) != len(text):
            return None
    return at, at + len(needle)


def highlight(text: str, violations: list[Violation]) -> tuple[list[Segment], list[Note]]:
    """``text`` cut into segments, each marked with the violations that cover it (numbered
    from 1 in ``violations`` order); overlapping spans share the overlap."""
    spans: list[tuple[int, int, int]] = []
    notes = []
    for n, v in enumerate(violations, 1):
        where = locate(text, v)
        notes.append(Note(n, v, where is not None))
        if where is not None:
            spans.append((where[0], where[1], n))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    by_number = {n: violations[n - 1] for _, _, n in spans}
    segments = []
    for a, b in zip(cuts, cuts[1:]):
        covering = tuple(n for s, e, n in spans if s <= a and b <= e)
        if not covering:
            segments.append(Segment(text[a:b], None))
            continue
        vs = [by_number[n] for n in covering]
        segments.append(Segment(text[a:b], Mark(
            numbers=covering,
            kinds=tuple(dict.fromkeys(v.kind for v in vs)),
            title="\n".join(f"{n}. [{v.kind}] {v.message}" for n, v in zip(covering, vs)),
            ends=tuple(n for s, e, n in spans if e == b and n in covering),
            warn=all(v.severity == "warn" for v in vs),
        )))
    return segments, notes


def _block(label: str, text: str, violations: list[Violation]) -> Block:
    # secrets go before the cutting, so none can straddle two segments
    clean = [v.model_copy(update={"text": redact(v.text), "message": redact(v.message)}) for v in violations]
    segments, notes = highlight(redact(text), clean)
    return Block(label, segments, notes)


# --------------------------------------------------------------------------- the chart


class Bar(NamedTuple):
    kind: str
    y: float
    draft: int
    final: int
    draft_w: float
    final_w: float


class Chart(NamedTuple):
    width: int
    height: int
    label_w: int
    bar_h: int
    bars: list[Bar]


def chart(drafts: dict[str, int], finals: dict[str, int]) -> Chart | None:
    """Horizontal bars, two per kind (in drafts, in final answers), scaled to the largest count."""
    kinds = sorted(set(drafts) | set(finals), key=lambda k: (-drafts.get(k, 0), -finals.get(k, 0), k))
    if not kinds:
        return None
    label_w, area, bar_h, gap, top = 110, 380, 14, 14, 30
    top_count = max([*drafts.values(), *finals.values(), 1])
    bars = []
    for i, k in enumerate(kinds):
        d, f = drafts.get(k, 0), finals.get(k, 0)
        bars.append(Bar(k, top + i * (2 * bar_h + gap), d, f, round(area * d / top_count, 1), round(area * f / top_count, 1)))
    return Chart(label_w + area + 50, top + len(kinds) * (2 * bar_h + gap), label_w, bar_h, bars)


# --------------------------------------------------------------------------- the page


class Row(NamedTuple):
    label: str
    value: str
    bound: str = ""
    status: str = ""  # pass, fail, or "" when no threshold judges it


def metric_rows(report: Report) -> list[Row]:
    """The metrics with their thresholds, as the Markdown report lists them, each judged."""
    m = report.metrics
    limits = report.thresholds.limits() if report.thresholds is not None else {}
    rows = [Row("cases", str(m.cases))]
    for metric in dict.fromkeys(t.metric for t in THRESHOLDS):  # a metric may have a min and a max
        declared = [t for t in THRESHOLDS if t.metric == metric]
        value = getattr(m, metric)
        judged = [t for t in declared if t.name in limits]
        bound = ", ".join(t.bound(limits[t.name]) for t in judged)
        missed = any(t.missed(value, limits[t.name]) for t in judged)
        status = ("fail" if missed else "pass") if judged else ""
        rows.append(Row(declared[0].label, "n/a" if value is None else declared[0].show(value), bound, status))
    return rows


def other_rows(report: Report) -> list[Row]:
    m = report.metrics
    return [
        Row("statuses", ", ".join(f"{k} {v}" for k, v in m.statuses.items()) or "none"),
        Row("violations in drafts", ", ".join(f"{k} {v}" for k, v in m.draft_violations.items()) or "none"),
        Row("violations in final answers", ", ".join(f"{k} {v}" for k, v in m.final_violations.items()) or "none"),
        Row("tokens (prompt + completion)", f"{m.prompt_tokens} + {m.completion_tokens}"),
        Row("estimated cost", "n/a" if m.cost_usd is None else f"${m.cost_usd:.4f}"),
        Row("latency p50 / p95", f"{m.latency_p50_s:.2f} s / {m.latency_p95_s:.2f} s"),
    ]


class CaseView(NamedTuple):
    anchor: str  # the element id: by position, never from the case id
    result: Result
    kinds: list[str]  # kinds found in any draft, most frequent first
    kinds_text: str
    tokens: int
    cost: str
    blocks: list[tuple[str, Block]]  # (``attempt`` or ``final``, block): every draft in order, then the answer


def case_view(i: int, r: Result) -> CaseView:
    counts = Counter(v.kind for a in r.attempts for v in a.violations)
    blocks: list[tuple[str, Block]] = []
    for a in r.attempts:
        label = f"Attempt {a.number} ({a.mode})"
        if a.answer is not None and a.answer == r.answer and a is r.attempts[-1]:
            blocks.append(("final", _block(label + ": the final answer", a.answer, r.violations)))
        elif a.answer is not None:
            blocks.append(("attempt", _block(label + ": the draft as rendered", a.answer, a.violations)))
        else:  # not a draft: show what came back (or nothing, for a call that failed)
            blocks.append(("attempt", _block(label + (": the reply, which was not a draft" if a.raw else ": no reply"), a.raw or "", a.violations)))
    if r.answer is not None and (not blocks or blocks[-1][0] != "final"):  # repaired: not any draft as it was
        blocks.append(("final", _block(f"The final answer ({r.status})", r.answer, r.violations)))
    return CaseView(
        anchor=f"case-{i}",
        result=r,
        kinds=[k for k, _ in counts.most_common()],
        kinds_text=", ".join(f"{k} ×{n}" if n > 1 else k for k, n in counts.most_common()),
        tokens=r.usage.prompt_tokens + r.usage.completion_tokens,
        cost="—" if r.cost_usd is None else f"${r.cost_usd:.4f}",
        blocks=blocks,
    )


@cache
def _assets() -> tuple[Template, str, str]:
    from jinja2 import Environment, StrictUndefined  # only a page needs it

    folder = files(__package__).joinpath("templates")
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=_finalize)
    template = env.from_string(folder.joinpath("report.html.j2").read_text(encoding="utf-8"))
    return template, folder.joinpath("report.css").read_text(encoding="utf-8"), folder.joinpath("report.js").read_text(encoding="utf-8")


def _finalize(value: object) -> object:
    """Every ``{{ … }}`` of the template: a string from the results is redacted (API keys, URL
    passwords, auth headers), its control characters and bidi controls made visible escapes,
    then autoescaped; our own markup (macros, style, script) is kept."""
    from markupsafe import Markup

    return visible(redact(value)) if isinstance(value, str) and not isinstance(value, Markup) else value


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def verdict(report: Report | None, comparison: Comparison | None) -> tuple[str, str]:
    """(``pass``/``fail``/``info``, one line) for the banner at the top."""
    if report is None:
        return "info", ""
    lines = [report.verdict()]
    ok = report.passed
    if comparison is not None:
        lines.append(comparison.verdict())
        ok = ok and comparison.passed
    return ("pass" if ok else "fail"), "; ".join(lines)


def page(results: list[Result], report: Report | None = None, comparison: Comparison | None = None) -> str:
    """The whole page for ``results``; with an eval ``report``, its metrics and thresholds at the
    top; with a baseline ``comparison``, what changed since then."""
    from markupsafe import Markup

    template, css, js = _assets()
    drafts = Counter(v.kind for r in results for a in r.attempts for v in a.violations)
    finals = Counter(v.kind for r in results for v in r.violations)
    cases = [case_view(i, r) for i, r in enumerate(results)]
    status, line = verdict(report, comparison)
    return template.render(
        title="cnaps-llm eval" if report is not None else "cnaps-llm results",
        version=__version__,
        css=Markup(css),
        js=Markup(js),
        csp=f"default-src 'none'; style-src {_sha256(css)}; script-src {_sha256(js)}; img-src data:; base-uri 'none'; form-action 'none'",
        report=report,
        comparison=comparison,
        status=status,
        verdict=line,
        metric_rows=metric_rows(report) if report is not None else [],
        other_rows=other_rows(report) if report is not None else [],
        chart=chart(dict(drafts), dict(finals)),
        cases=cases,
        kinds=sorted(set(drafts)),
        statuses=sorted({r.status for r in results}),
        single=len(results) == 1,
    )


def case(result: Result) -> str:
    return page([result])


def run(results: list[Result], report: Report | None = None) -> str:
    return page(results, report)
