"""Rule ``attribution``: a link the input gives is cited for the source it belongs to.

A link from the input, attached (in the same sentence, bullet or table row, or as a
markdown link's target) to names of provided sources none of which the input gives
that link for, is misattributed: "MSSNet's code is at <MIMO-UNet's repository>". A
link beside no source name, or beside any source that owns it, is fine.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..index import Grounding
from ..links import canonical
from ..sources import facts_for, unit_at
from ..triggers import words_only
from . import Finding, Rule, View


def message(link: str, names: list[str], owners: list[str]) -> str:
    said = " / ".join(f'"{n}"' for n in names)
    belongs = " / ".join(f'"{n}"' for n in owners)
    return f"The link {link} is given for {belongs}, not for {said}; cite each link only beside the source it belongs to."


def _link_text(text: str, start: int) -> tuple[int, int] | None:
    """Where the text of the markdown link whose target starts at ``start`` is: ``[text](start…``."""
    if start < 2 or text[start - 1] != "(" or text[start - 2] != "]":
        return None
    open_at = text.rfind("[", 0, start - 2)
    if open_at < 0 or "\n" in text[open_at : start - 2]:
        return None
    return open_at + 1, start - 2


def find(view: View, g: Grounding) -> Iterator[Finding]:
    links = view.links
    if not links:
        return
    facts = None
    for start, _, raw in links:
        if facts is None:
            facts = facts_for(g)
            if facts is None or not facts.owners:
                return
        owners = facts.owners.get(canonical(raw))
        if not owners:
            continue
        text, words = view.text, words_only(view.text)
        label = _link_text(text, start)
        said = facts.named(words[label[0] + 1 : label[1] + 1].split()) if label else set()
        if not said:
            us, ue = unit_at(text, start)
            said = facts.named(words[us + 1 : ue + 1].split())
        if said and not (said & owners):
            names = [facts.sources[i].name for i in sorted(said)]
            yield Finding(start, raw, message(raw, names, [facts.sources[i].name for i in sorted(owners)]))


RULE = Rule("attribution", find)
