"""Rule ``number``: every figure with a unit, metric, scale or count has values the input gives.

A size (``256x256``) is compared whole with the sizes the input gives, or, when square,
with a resolution a source's name gives (``Res1024``: "1024×1024"); a percentage of 100
or more is also grounded by the same multiplier (``400%`` by "4x"); a fraction in words
("a quarter of") by the same fraction, its percentage or its divisor. A figure led by a
word of approximation ("nearly 58,000", "about 1.3M") is grounded by an input value it
rounds (to one to three significant figures, within 5%).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from math import floor, log10

from .. import patterns
from ..index import Grounding
from ..numbers import figures_in, numbers_in
from . import Finding, Rule, View

# a word of approximation right before a figure: "nearly 58,000", "about 1.3M", "over 900", "~120"
_HEDGE = patterns.compile(
    r"(?<![\w-])(?:about|around|approximately|approx\.|roughly|nearly|almost|over|under|some|circa|close[ \t]+to|"
    r"more[ \t]+than|less[ \t]+than|fewer[ \t]+than|upwards[ \t]+of|just[ \t]+(?:over|under))[ \t]*$|[~≈∼][ \t]*$",
    re.IGNORECASE,
)


_AS_SCALE = patterns.compile(r"(?<![\w-])(?<!quality )(?i:factor|(?:up|down)?scal(?:e|es|ing|ed)|zoom\w*|magnif\w*|enlarg\w*)(?![\w-])")


def message(figure: str) -> str:
    return f'The figure "{figure}" does not appear in the sources; quote only figures the sources give, or none.'


def _rounds(value: float, g: Grounding) -> bool:
    """``value`` is an input number rounded to one to three significant figures, within 5%."""
    for n in g.numbers:
        if n and abs(value - n) <= 0.05 * abs(n):
            digits = floor(log10(abs(n)))
            if any(abs(value - round(n, sig - 1 - digits)) <= 1e-9 * abs(n) for sig in (1, 2, 3)):
                return True
    return False


def _square_in_name(values: tuple[float, ...], g: Grounding) -> bool:
    """A square size whose side a source's name gives (``Res1024``, ``SD-768``)."""
    if len(set(values)) != 1 or values[0] < 16:
        return False
    return any(values[0] in vs for _, name in g.source_names for _, _, vs in numbers_in(name, figures_only=False))


def grounded(values: tuple[float, ...], kind: str, g: Grounding) -> bool:
    if kind == "size":
        return g.has_size(values) or _square_in_name(values, g)
    if kind == "percent" and values[0] >= 100 and g.has_number(values[0] / 100):
        return True
    if kind == "fraction":
        v = values[0]
        return g.has_number(v) or g.has_number(round(1 / v)) or any(abs(n - 100 * v) < 0.5 for n in g.numbers)
    return all(g.has_number(v) and (kind == "scale" or v not in g.scales_only) for v in values)  # "4x" grounds no "beam size of 4"


def find(view: View, g: Grounding) -> Iterator[Finding]:
    text = view.text
    for offset, fig, values, kind in figures_in(text):
        if g.scales_only and kind == "value" and _AS_SCALE.search(fig):
            kind = "scale"  # "a factor of 2", "zoom 4": a scale written as a setting
        if grounded(values, kind, g):
            continue
        if kind not in ("size", "fraction") and _HEDGE.search(text, max(0, offset - 16), offset) and all(
            g.has_number(v) or _rounds(v, g) for v in values
        ):
            continue  # a faithful rounding: "nearly 58,000 images" for 57,648
        yield Finding(offset, fig, message(fig))


RULE = Rule("number", find)
