"""What a grounding rule is: one kind of violation, the finder for it, its feedback.

Invariant: a rule is pure. ``find(view, grounding)`` reads the answer through the
``View`` and the case through its ``Grounding`` index, and yields findings; it keeps
no state between calls. ``check`` (in ``cnaps_llm.grounding``) turns findings into
violations: line numbers, severity, repeats on a line dropped, answer order.

A built-in rule is one module here defining ``RULE`` (its feedback sentences beside
its finder) and one entry in the table ``cnaps_llm.grounding.RULES``
(``tests/test_rule_example.py`` adds one, step by step). A rule from another package
is an entry point in the group ``cnaps_llm.rules``, named by its kind, whose value is
``module:RULE``; ``check`` runs it after the built-in rules when ``kinds`` names it::

    [project.entry-points."cnaps_llm.rules"]
    toy = "my_package.toy_rule:RULE"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from ...errors import ConfigError
from .. import patterns
from ..links import find_links

if TYPE_CHECKING:
    from ..index import Grounding

KIND = patterns.compile(r"[a-z][a-z0-9_]*")


class Finding(NamedTuple):
    """Something a rule found: where it starts in the answer, the text quoted back, and
    the sentence that tells the writer what to do.

    ``offset`` None means the answer as a whole (a part it lacks): reported on the
    answer's last line, after the located findings, each one (a located finding is
    dropped when its kind already quoted the same text on that line)."""

    offset: int | None
    text: str
    message: str


Span = tuple[int, int]


class View:
    """The answer as rules read it.

    ``answer`` is the answer as written; ``text`` is the same length, with the spans of
    earlier masking rules blanked (links, so that names and figures inside a URL are
    not judged again); ``links`` are the answer's ``(start, end, link)`` references,
    found once per check whichever rule asks first.
    """

    __slots__ = ("_links", "answer", "text")

    def __init__(self, answer: str, text: str | None = None, links: tuple[tuple[int, int, str], ...] | None = None) -> None:
        self.answer = answer
        self.text = answer if text is None else text
        self._links = links

    @property
    def links(self) -> tuple[tuple[int, int, str], ...]:
        if self._links is None:
            self._links = tuple(find_links(self.answer))
        return self._links

    def blanked(self, spans: Iterable[Span]) -> View:
        """This view with ``spans`` (in order, not overlapping) blanked in ``text``."""
        pieces: list[str] = []
        last = 0
        text = self.text
        for start, end in spans:
            pieces += [text[last:start], " " * (end - start)]
            last = end
        if not pieces:
            return self
        return View(self.answer, "".join(pieces) + text[last:], self._links)


@dataclass(frozen=True, eq=False)
class Rule:
    """One check. ``kind`` names its violations (a lower-case identifier); ``find`` finds
    them; ``masks``, if set, gives the spans that every later rule sees blanked."""

    kind: str
    find: Callable[[View, Grounding], Iterable[tuple[int | None, str, str]]]
    masks: Callable[[View], Iterable[Span]] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or not KIND.fullmatch(self.kind):
            raise ConfigError(f"rule kind {self.kind!r} is not a lower-case identifier; name it like `my_rule`")


__all__ = ["Finding", "Rule", "Span", "View"]
