"""Rule ``model``, names: every model, method, dataset or system named is one the input names."""

from __future__ import annotations

from collections.abc import Iterator

from ..index import Grounding
from ..names import names_in
from . import Finding, Rule, View


def message(name: str) -> str:
    return f'"{name}" is not among the provided models or papers; do not mention models, methods or datasets the sources do not name.'


def find(view: View, g: Grounding) -> Iterator[Finding]:
    has_name = g.has_name
    for offset, name in names_in(view.text):
        if not has_name(name):
            yield Finding(offset, name, message(name))


RULE = Rule("model", find)
