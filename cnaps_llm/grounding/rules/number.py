"""Rule ``number``: every figure with a unit, metric, scale or count has values the input gives.

A size (``256x256``) is compared whole with the sizes the input gives; a percentage of
100 or more is also grounded by the same multiplier (``400%`` by "4x").
"""

from __future__ import annotations

from collections.abc import Iterator

from ..index import Grounding
from ..numbers import figures_in
from . import Finding, Rule, View


def message(figure: str) -> str:
    return f'The figure "{figure}" does not appear in the sources; quote only figures the sources give, or none.'


def grounded(values: tuple[float, ...], kind: str, g: Grounding) -> bool:
    if kind == "size":
        return g.has_size(values)
    if kind == "percent" and values[0] >= 100 and g.has_number(values[0] / 100):
        return True
    return all(g.has_number(v) for v in values)


def find(view: View, g: Grounding) -> Iterator[Finding]:
    for offset, fig, values, kind in figures_in(view.text):
        if not grounded(values, kind, g):
            yield Finding(offset, fig, message(fig))


RULE = Rule("number", find)
