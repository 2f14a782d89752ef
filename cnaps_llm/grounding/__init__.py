"""The grounding validator: ``check(answer, case) -> list[Violation]``.

Invariant: pure. No I/O, no LLM, no global state beyond vocabularies loaded once and
memo tables of pure functions (``clear_caches`` empties them); the same answer and
case always give the same violations, in answer order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Case, Violation
from . import links, names, tasks, vocab
from .index import Grounding, build
from .links import canonical, find_links
from .names import names_in, titles_in
from .numbers import numbers_in
from .structure import PART_TITLES, missing_parts
from .tasks import tasks_in

__all__ = ["Grounding", "check", "clear_caches", "grounding_for"]

@dataclass(frozen=True)
class _ByContent:
    """A case compared by its content: checks repeat per attempt, and bulk inputs repeat prompts."""

    key: str
    case: Case = field(compare=False)


@lru_cache(maxsize=256)
def _index(c: _ByContent) -> Grounding:
    return build(c.case)


def grounding_for(case: Case) -> Grounding:
    """The case's grounding index, remembered by the case's content."""
    return _index(_ByContent(case.model_dump_json(exclude={"expect", "id"}), case))


def clear_caches(*, indexes: bool = True) -> None:
    """Forget the memo tables (phrase -> task, chunk -> name, link -> key, word -> squashed)
    and, unless ``indexes`` is false, the case indexes; the vocabularies stay loaded. For
    measuring cold checks, and for tests."""
    if indexes:
        _index.cache_clear()
    for memo in (tasks._task_at, names._classify, links.canonical, vocab.squash_word):
        memo.cache_clear()


def _line_finder(text: str) -> Callable[[int], int]:
    # counted per violation (a few per answer), not indexed up front for every line
    return lambda offset: text.count("\n", 0, offset) + 1


def check(answer: str, case: Case, grounding: Grounding | None = None) -> list[Violation]:
    """Everything in ``answer`` that ``case`` does not support, in the order it appears."""
    g = grounding or grounding_for(case)
    line_of = _line_finder(answer)
    found: list[tuple[int, Violation]] = []
    seen: set[tuple[str, str, int]] = set()

    def add(offset: int, kind: str, text: str, message: str) -> None:
        line = line_of(offset)
        key = (kind, vocab.squash(text) or text, line)
        if key not in seen:
            seen.add(key)
            found.append((offset, Violation(kind=kind, text=text, line=line, message=message)))  # type: ignore[arg-type]

    # links first; then mask them so names and figures inside URLs are not judged twice
    pieces: list[str] = []
    last = 0
    answer_links: set[str] = set()
    for start, end, raw in find_links(answer):
        key = canonical(raw)
        answer_links.add(key)
        pieces += [answer[last:start], " " * (end - start)]
        last = end
        if key not in g.links:
            add(start, "url", raw, f"The link {raw} is not in the provided sources; cite only the exact links given with the sources.")
    text = "".join(pieces) + answer[last:] if pieces else answer

    for offset, name in names_in(text):
        if not g.has_name(name):
            add(offset, "model", name, f'"{name}" is not among the provided models or papers; do not mention models, methods or datasets the sources do not name.')
    for offset, title in titles_in(text):
        if vocab.squash(title) not in g.squashed:
            add(offset, "model", title, f'The title "{title}" does not appear in the sources; cite papers only by the names given.')

    all_tasks = vocab.tasks()
    for task, offset, term in tasks_in(text):
        if task not in g.tasks:
            name = all_tasks[task].name
            label = f'"{term}"' if term.lower() == name else f'"{term}" ({name})'
            add(offset, "task", term, f"The task {label} is not mentioned by the question or any source; describe only tasks they support.")

    for offset, fig, values in numbers_in(text):
        if not all(g.has_number(v) for v in values):
            add(offset, "number", fig, f'The figure "{fig}" does not appear in the sources; quote only figures the sources give, or none.')

    violations = [v for _, v in sorted(found, key=lambda p: p[0])]
    end_line = answer.count("\n") + 1
    for part in missing_parts(answer):
        violations.append(Violation(kind="structure", text=part, line=end_line, message=f"The answer has no {PART_TITLES[part]}; add it under its own heading."))
    if not answer_links and g.links:
        violations.append(Violation(kind="structure", text="links", line=end_line, message="The answer cites no links; list the provided papers and tools with their exact links."))
    squashed_answer: str | None = None
    for sid, name in g.source_names:
        if not sid.startswith("R") or name in answer:  # the usual case: the name as written
            continue
        if squashed_answer is None:
            squashed_answer = vocab.squash(answer)
        if vocab.squash(name) not in squashed_answer:
            violations.append(Violation(kind="structure", text=name, line=end_line, message=f'The recommended model "{name}" is never mentioned; say what it does for this task, or plainly that it does not fit.'))
    return violations
