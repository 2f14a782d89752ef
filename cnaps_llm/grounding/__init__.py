"""The grounding validator: ``check(answer, case) -> list[Violation]``.

``check`` is a loop over an ordered table of rules (``RULES``; one module each in
``rules/``): each rule finds one kind of violation, and a rule may mask spans (the
links) that every later rule then sees blanked. Rules from other packages join
through the entry-point group ``cnaps_llm.rules``, looked up only when ``kinds``
names a kind the table lacks.

Invariant: pure. No I/O, no LLM, no global state beyond vocabularies loaded once and
memo tables of pure functions (``clear_caches`` empties them); the same answer, case
and options always give the same violations: one per kind and squashed text, with
every line it occurs on; located ones in the order they first occur, then those
about the answer as a whole, in table order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from ..errors import ConfigError
from ..models import Case, Violation
from . import links, names, structure, tasks, vocab
from .index import Grounding, build
from .rules import Finding, Rule, Span, View
# aliased: ``grounding.structure`` and ``grounding.tasks`` stay the scanner modules
from .rules import attribution as _attribution
from .rules import author as _author
from .rules import claim as _claim
from .rules import fit as _fit
from .rules import evidence as _evidence
from .rules import model_names as _model_names
from .rules import model_titles as _model_titles
from .rules import number as _number
from .rules import quality as _quality
from .rules import structure as _structure
from .rules import task as _task
from .rules import url as _url
from .rules import venue as _venue

__all__ = [
    "ENTRY_POINT_GROUP",
    "RULES",
    "Finding",
    "Grounding",
    "Rule",
    "View",
    "check",
    "clear_caches",
    "grounding_for",
    "is_grounded",
    "known_kinds",
    "rule_table",
]

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

ENTRY_POINT_GROUP = "cnaps_llm.rules"


def rule_table(*rules: Rule) -> tuple[Rule, ...]:
    """An ordered table of rules for ``check``: each rule sees the text as blanked by
    the masking rules before it, and duplicates within a kind keep the first."""
    for rule in rules:
        if not isinstance(rule, Rule):
            raise ConfigError(f"{rule!r} is not a grounding Rule; build it with cnaps_llm.grounding.Rule(kind, find)")
    return rules


RULES = rule_table(
    _url.RULE, _model_names.RULE, _model_titles.RULE, _task.RULE, _number.RULE, _structure.RULE,
    _attribution.RULE, _venue.RULE, _author.RULE, _claim.RULE, _fit.RULE,
    _quality.RULE, _evidence.RULE,
)


class _ByContent:
    """A case compared by its content: checks repeat per attempt, and bulk inputs repeat prompts.
    (Plain classes here and value tuples in the scanners: creating a frozen dataclass costs
    five times a NamedTuple and fifty times a plain class, and eleven of them were 3% of
    `check`'s start-up.)"""

    __slots__ = ("case", "key")

    def __init__(self, key: str, case: Case) -> None:
        self.key, self.case = key, case

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByContent) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


@lru_cache(maxsize=256)
def _index(c: _ByContent) -> Grounding:
    return build(c.case)


def grounding_for(case: Case) -> Grounding:
    """The case's grounding index, remembered by the case's content."""
    return _index(_ByContent(case.model_dump_json(exclude={"expect", "id"}), case))


def clear_caches(*, indexes: bool = True) -> None:
    """Forget the memo tables (phrase -> task, chunk -> name, link -> key, word -> squashed,
    model name -> its short forms), the resolved rule selections and, unless ``indexes``
    is false, the case indexes and what each prompt's instructions ask for; the
    vocabularies stay loaded. For measuring cold checks, and for tests."""
    if indexes:
        for per_case in (_index, *structure.PER_CASE):
            per_case.cache_clear()
    for memo in (*tasks.MEMOS, *names.MEMOS, *structure.MEMOS, links.canonical, vocab.squash_word, _plan, *_quality.MEMOS, _claim._probe):
        memo.cache_clear()


def is_grounded(violations: Iterable[Violation]) -> bool:
    """No violation of severity ``error`` (warnings do not count)."""
    return not any(v.severity == "error" for v in violations)


def _entry_points() -> dict[str, EntryPoint]:
    from importlib.metadata import entry_points  # only when a kind outside the table is named

    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def known_kinds(rules: Sequence[Rule] = RULES) -> tuple[str, ...]:
    """The kinds ``check`` can be asked for: the table's, in order, then those installed
    packages provide, sorted. (This one scans the installed packages.)"""
    own = tuple(dict.fromkeys(r.kind for r in rules))
    return own + tuple(sorted(k for k in _entry_points() if k not in own))


def _unknown(kind: str, known: Sequence[str]) -> ConfigError:
    import difflib  # only to name the kind meant

    close = difflib.get_close_matches(kind, known, n=1)
    if close:
        return ConfigError(f'unknown check kind "{kind}"; did you mean "{close[0]}"? (known: {", ".join(known)})')
    return ConfigError(f'unknown check kind "{kind}"; use one of {", ".join(known)}, or install the package that provides it')


def _installed(kinds: Sequence[str], rules: Sequence[Rule]) -> dict[str, Rule]:
    """The rules installed packages provide for ``kinds``, by kind."""
    found = _entry_points()
    out: dict[str, Rule] = {}
    for kind in kinds:
        ep = found.get(kind)
        if ep is None:
            raise _unknown(kind, known_kinds(rules))
        try:
            rule = ep.load()
        except Exception as exc:  # a broken plugin: say which, not a traceback
            raise ConfigError(f'the rule for "{kind}" ({ep.value}) did not load ({type(exc).__name__}: {exc}); reinstall its package') from exc
        if not isinstance(rule, Rule) or rule.kind != kind:
            raise ConfigError(f'the entry point "{kind}" ({ep.value}) is not a Rule of kind "{kind}"; fix that package')
        out[kind] = rule
    return out


class _Step(NamedTuple):
    rule: Rule
    runs: bool  # find this rule's violations (a rule may be kept only to mask for later ones)
    masks: Callable[[View], Iterable[Span]] | None  # the spans to blank for the rules after it
    severity: str


@lru_cache(maxsize=64)
def _plan(rules: tuple[Rule, ...], kinds: tuple[str, ...] | None, warn: tuple[str, ...]) -> tuple[_Step, ...]:
    """What ``check`` runs, in order, for a choice of kinds; unknown kinds raise."""
    own = {r.kind for r in rules}
    outside = [k for k in dict.fromkeys((*(kinds or ()), *warn)) if k not in own]
    extra = _installed(outside, rules) if outside else {}
    chosen = rules + tuple(extra[k] for k in dict.fromkeys(kinds or ()) if k in extra)
    wanted = own if kinds is None else set(kinds)
    runs = [r.kind in wanted for r in chosen]
    steps = []
    for i, rule in enumerate(chosen):
        masks = rule.masks if any(runs[i + 1 :]) else None
        if runs[i] or masks is not None:
            steps.append(_Step(rule, runs[i], masks, "warn" if rule.kind in warn else "error"))
    return tuple(steps)


def _line_finder(text: str) -> Callable[[int], int]:
    # counted per violation (a few per answer), not indexed up front for every line; from
    # the last offset asked when it lies before, so an answer of thousands of violations
    # (a rule yields them in order) is walked once per rule, not once per violation
    last = [0, 1]  # offset, its line

    def line_of(offset: int) -> int:
        at, line = last
        line = line + text.count("\n", at, offset) if offset >= at else text.count("\n", 0, offset) + 1
        last[0], last[1] = offset, line
        return line

    return line_of


def check(
    answer: str,
    case: Case,
    grounding: Grounding | None = None,
    *,
    kinds: Iterable[str] | None = None,
    warn: Iterable[str] = (),
    rules: Sequence[Rule] = RULES,
    links: str = "any",
) -> list[Violation]:
    """Everything in ``answer`` that ``case`` does not support: located violations in the
    order they appear, then those about the answer as a whole.

    ``kinds`` limits which kinds are checked (default: every kind of ``rules``); a kind
    ``rules`` lacks is looked up among installed packages' rules. A kind in ``warn`` is
    reported with severity ``warn``, which ``is_grounded`` ignores. Unknown kinds raise
    ``ConfigError``.

    ``links="fields"`` grounds a link only by the sources' link fields, so a link that
    occurs only inside a summary's prose is reported; the default ``"any"`` accepts it.
    """
    if links != "any":
        if links != "fields":
            raise ConfigError(f'links must be "any" or "fields", not {links!r}')
        rules = tuple(_url.FIELDS_RULE if r is _url.RULE else r for r in rules)
    if isinstance(kinds, str):
        kinds = (kinds,)
    if isinstance(warn, str):
        warn = (warn,)
    steps = _plan(tuple(rules), None if kinds is None else tuple(kinds), tuple(warn))
    g = grounding or grounding_for(case)
    view = View(answer)
    line_of = _line_finder(answer)
    end_line = answer.count("\n") + 1
    squash = vocab.squash_word  # remembered: the same names and phrases are found in answer after answer
    # one violation per kind and squashed text, however often the answer repeats it, with
    # every line it occurs on (the reask quotes it once; a reader still finds each place)
    found: dict[tuple[str, str], _Found] = {}
    for rule, runs, masks, severity in steps:
        if runs:
            kind = rule.kind
            for offset, text, message in rule.find(view, g):
                key = (kind, squash(text) or text)
                line = end_line if offset is None else line_of(offset)
                seen = found.get(key)
                if seen is None:
                    found[key] = _Found(offset, kind, text, message, severity, [line], {line})
                    continue
                if line not in seen.line_set:  # a set: an answer may repeat one item on 10,000 lines
                    seen.line_set.add(line)
                    seen.lines.append(line)
                if offset is not None and (seen.offset is None or offset < seen.offset):
                    seen.offset, seen.text, seen.message = offset, text, message  # quoted as first written
        if masks is not None:
            view = view.blanked(masks(view))
    # located ones by where they first occur (stable: table order at one offset), then
    # those about the whole answer, in table order
    located = sorted((f for f in found.values() if f.offset is not None), key=attrgetter("offset"))
    return [f.violation() for f in located] + [f.violation() for f in found.values() if f.offset is None]


class _Found:
    """One violation being gathered: where it first occurs, and every line it occurs on."""

    __slots__ = ("kind", "line_set", "lines", "message", "offset", "severity", "text")

    def __init__(self, offset: int | None, kind: str, text: str, message: str, severity: str, lines: list[int], line_set: set[int]) -> None:
        self.offset, self.kind, self.text, self.message = offset, kind, text, message
        self.severity, self.lines, self.line_set = severity, lines, line_set

    def violation(self) -> Violation:
        lines = sorted(self.lines)  # a finding can come after one on a later line
        # built without validation: every field is checked here by construction (a rule's kind
        # by ``Rule``, ``lines`` sorted and led by ``line``), and validating 4,000 of them was
        # 2% of a check
        if self.severity == "error":
            return Violation.model_construct(kind=self.kind, text=self.text, line=lines[0], message=self.message, lines=lines)
        return Violation.model_construct(kind=self.kind, text=self.text, line=lines[0], message=self.message, severity="warn", lines=lines)
