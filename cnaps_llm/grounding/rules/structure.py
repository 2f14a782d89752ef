"""Rule ``structure``: the answer has its three parts, cites a link, and mentions every
recommended model. Its findings concern the answer as a whole (no offset)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import vocab
from ..index import Grounding
from ..structure import PART_TITLES, missing_parts
from . import Finding, Rule, View


def missing_part_message(part: str) -> str:
    return f"The answer has no {PART_TITLES[part]}; add it under its own heading."


NO_LINKS = "The answer cites no links; list the provided papers and tools with their exact links."


def unmentioned_message(name: str) -> str:
    return f'The recommended model "{name}" is never mentioned; say what it does for this task, or plainly that it does not fit.'


def find(view: View, g: Grounding) -> Iterator[Finding]:
    answer = view.answer
    for part in missing_parts(answer):
        yield Finding(None, part, missing_part_message(part))
    if not view.links and g.links:
        yield Finding(None, "links", NO_LINKS)
    squashed_answer: str | None = None
    for sid, name in g.source_names:
        if not sid.startswith("R") or name in answer:  # the usual case: the name as written
            continue
        if squashed_answer is None:
            squashed_answer = vocab.squash(answer)
        if vocab.squash(name) not in squashed_answer:
            yield Finding(None, name, unmentioned_message(name))


RULE = Rule("structure", find)
