"""Rule ``structure``: the answer addresses every part the prompt's numbered instructions
ask for, cites a link, and uses a recommended model. Its findings concern the answer as
a whole (no offset), and their texts are a fixed vocabulary: ``missing:N`` (N the
prompt's own instruction number), ``no-links``, ``no-recommended``."""

from __future__ import annotations

from collections.abc import Iterator

from ..index import Grounding
from ..links import canonical
from ..mentions import Mentions, one_model_is_enough, says_none_fits
from ..sections import answer_of
from ..structure import Part, missing_parts
from . import Finding, Rule, View


def missing_part_message(part: Part) -> str:
    return f'The answer does not address instruction {part.number} of the prompt ("{part.title}"); add it under its own heading.'


NO_LINKS = "The answer cites no links; list the provided papers and tools with their exact links."


def no_recommended_message(names: list[str], *, one_is_enough: bool) -> str:
    quoted = ", ".join(f'"{n}"' for n in names)
    if one_is_enough:
        return f"The answer uses none of the recommended models ({quoted}); use the ones that fit, or say plainly that none fits."
    return f"The recommended model(s) {quoted} are never mentioned; say what each does for this task, or plainly that it does not fit."


def find(view: View, g: Grounding) -> Iterator[Finding]:
    answer = view.answer
    for part in missing_parts(answer, g.instruction, tuple(n for _, n in g.source_names)):
        yield Finding(None, f"missing:{part.number}", missing_part_message(part))
    if not view.links and g.links:
        yield Finding(None, "no-links", NO_LINKS)
    recommended = g.recommended
    if not recommended:
        return
    # the quality rule reads the same answer lower-cased in this check: computed once
    a = answer_of(view, g)
    is_mentioned = Mentions(answer, (canonical(u) for _, _, u in view.links), lambda: a.low)
    if one_model_is_enough(g.instruction):
        if not any(is_mentioned(name, links) for name, links in recommended) and not says_none_fits(answer, a.low):
            yield Finding(None, "no-recommended", no_recommended_message([n for n, _ in recommended], one_is_enough=True))
        return
    unmentioned = [name for name, links in recommended if not is_mentioned(name, links)]
    if unmentioned and not (len(unmentioned) == len(recommended) and says_none_fits(answer, a.low)):
        yield Finding(None, "no-recommended", no_recommended_message(unmentioned, one_is_enough=False))


RULE = Rule("structure", find)
