"""Rule ``model``, titles: a paper cited by title (in italics or quotes) has a title the input spells out."""

from __future__ import annotations

from collections.abc import Iterator

from .. import vocab
from ..index import Grounding
from ..titles import titles_in
from . import Finding, Rule, View


def message(title: str) -> str:
    return f'The title "{title}" does not appear in the sources; cite papers only by the names given.'


def find(view: View, g: Grounding) -> Iterator[Finding]:
    for offset, title in titles_in(view.text):
        if vocab.squash(title) not in g.squashed:
            yield Finding(offset, title, message(title))


RULE = Rule("model", find)
