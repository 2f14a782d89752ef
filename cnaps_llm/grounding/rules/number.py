"""Rule ``number``: every figure with a unit or metric has values the input gives."""

from __future__ import annotations

from collections.abc import Iterator

from ..index import Grounding
from ..numbers import numbers_in
from . import Finding, Rule, View


def message(figure: str) -> str:
    return f'The figure "{figure}" does not appear in the sources; quote only figures the sources give, or none.'


def find(view: View, g: Grounding) -> Iterator[Finding]:
    for offset, fig, values in numbers_in(view.text):
        if not all(g.has_number(v) for v in values):
            yield Finding(offset, fig, message(fig))


RULE = Rule("number", find)
