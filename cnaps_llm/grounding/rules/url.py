"""Rule ``url``: every link in the answer is one the input gives (canonical forms compared).

It masks the answer's links, found or not, so that later rules do not read the names
and numbers inside a URL as claims.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..index import Grounding
from ..links import canonical
from . import Finding, Rule, Span, View


def message(link: str) -> str:
    return f"The link {link} is not in the provided sources; cite only the exact links given with the sources."


def find(view: View, g: Grounding) -> Iterator[Finding]:
    for start, _, raw in view.links:
        if canonical(raw) not in g.links:
            yield Finding(start, raw, message(raw))


def masks(view: View) -> Iterator[Span]:
    return ((start, end) for start, end, _ in view.links)


RULE = Rule("url", find, masks)
