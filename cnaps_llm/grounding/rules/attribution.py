"""Rule ``attribution``: a link the input gives is cited for the source it belongs to.

A link from the input, attached (in the same sentence, bullet or table row, or as a
markdown link's target) to names of provided sources none of which the input gives
that link for, or standing alone under a line that holds only one source's name, or in a note's definition
("[^2]: <link>") cited by sentences naming other sources, or the target of a link whose
text is another source's link ("[arXiv:2408.08091](<DreamClear's paper>)"), is misattributed: "MSSNet's code is at <MIMO-UNet's repository>". A
link beside no source name, or beside any source that owns it, is fine.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from .. import patterns
from ..index import Grounding
from ..links import canonical
from ..sources import CaseFacts, facts_for
from ..statements import unit_at
from ..triggers import to_words, words_only
from . import Finding, Rule, View

_NAME_LINE_WORDS = 8  # a line of more words is a sentence, not a name
_LABEL_WORDS = 2  # "- Paper:", "Code:" before a link on its own line


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


def _name_line_above(facts: CaseFacts, text: str, start: int, links: tuple[tuple[int, int, str], ...]) -> set[int]:
    """The source named by a line that holds only its name ("SISR-IMDN-4x", "**DRN**:")
    right above a line that holds the link at ``start`` and at most a label before it
    ("Paper:"); one blank line may part them. ``text`` has its links blanked."""
    ls = text.rfind("\n", 0, start) + 1
    if ls == 0 or len(to_words(text[ls:start]).split()) > _LABEL_WORDS:
        return set()
    for _ in range(2):
        above = text.rfind("\n", 0, ls - 1) + 1
        line = text[above : ls - 1]
        if line.strip():
            toks = to_words(line).split()
            found = facts.named(toks)
            if len(found) != 1 or len(toks) > _NAME_LINE_WORDS or any(above <= s < ls for s, _, _ in links):
                return set()
            known = {t.encode() for h in facts.sources[next(iter(found))].handles for t in h}
            return found if known.issuperset(toks) else set()
        if above == 0:
            return set()
        ls = above
    return set()


# a note's definition at a line's start: "[^2]: <link>", "[3] <link>"
_NOTE = patterns.compile(r"[ \t>*-]*\[(\^?\w{1,6})\](?::|[ \t])")


def _cited_by(facts: CaseFacts, text: str, words: bytes, start: int, notes: dict[str, set[int]]) -> set[int]:
    """The sources named where the note whose definition holds the link at ``start``
    ("[^2]: <link>") is cited ("DreamClear restores faces[^2]."): a footnote's link is
    attached to the sentences that cite it. ``notes``: what each note's citations name,
    read once per check (a text of many notes and links stays linear)."""
    ls = text.rfind("\n", 0, start) + 1
    m = _NOTE.match(text, ls)
    if m is None or m.end() > start or len(to_words(text[m.end() : start]).split()) > _LABEL_WORDS:
        return set()
    mark = f"[{m.group(1)}]"
    if mark not in notes:
        said: set[int] = set()
        at = text.find(mark)
        while at >= 0:
            d = _NOTE.match(text, text.rfind("\n", 0, at) + 1)
            if d is None or d.start(1) - 1 != at:
                us, ue = unit_at(text, at)  # a citation, not a note's definition at a line's start
                said |= facts.named(words[us + 1 : ue + 1].split())
            at = text.find(mark, at + len(mark))
        notes[mark] = said
    return notes[mark]


def _linked_in(facts: CaseFacts, links: tuple[tuple[int, int, str], ...], starts: list[int], label: tuple[int, int]) -> set[int]:
    """The sources owning the input links written inside a link's text ``label``
    (``starts``: the links' starts, in order)."""
    said: set[int] = set()
    for k in range(bisect_left(starts, label[0]), bisect_left(starts, label[1])):
        said |= facts.owners.get(canonical(links[k][2])) or set()
    return said


# a citation by number attached to text ("restores faces [2].", "pairs[^3],"): after a word,
# a figure or a full stop, and before the sentence goes on (not a diagram's numbered box,
# "→ [2] Denoise", nor an index, "x[1]")
_CITATION = patterns.compile(r"\[(\^?\d{1,3})\](?![(:\w])(?=[.,;:!?)*\[]|[ \t]+[a-z(]|[ \t]*$|[ \t]*\n)")
_ATTACHED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,;:%)’'\"”*]")
_CODE = patterns.compile(r"```.*?(?:```|\Z)|`[^`\n]*`", re.DOTALL)
_REFS_HEADING = patterns.compile(r"^[ \t]*(?:#+|\*\*|[IVX]+\.|\d+\.)[^\n]*(?i:reference|paper|source|citation|bibliograph|link|further reading)", re.MULTILINE)
_BULLET = patterns.compile(r"^[ \t>]*[-*+•][ \t]", re.MULTILINE)
_LINKISH = patterns.compile(r"(?i:https?:|www\.|arxiv|github|doi)")


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


_DEFINED = patterns.compile(r"^[ \t>*+-]*(?:\[(\^?\d{1,3})\]|(\d{1,3})[.)])", re.MULTILINE)


def _attached(text: str, at: int) -> bool:
    """Whether the mark at ``at`` follows text (a word, a figure, a full stop), right
    after it or after one space."""
    before = text[at - 1 : at]
    if before in (" ", "\t"):
        before = text[at - 2 : at - 1]
    return before != "" and (before in _ATTACHED or before.isalnum())


def dangling_citations(text: str) -> Iterator[tuple[int, str]]:
    """Citations by number (``[2]``, ``[^2]``) for which no line of the answer defines a
    source ("[2] <link>", "[^2]: …", "2. …"): a reference the answer cites and never gives
    is a source it invents ("see [1]" with no list). ``(offset, mark)`` of each, once."""
    if "[" not in text:
        return
    cited = [
        (m.start(), m.group(1))
        for m in _CITATION.finditer(text)
        if m.group(1).lstrip("^") != "0" and _attached(text, m.start())
    ]
    if not cited:
        return
    if "`" in text:  # an index in code ("y[1]"), fenced or inline, cites nothing
        code = [m.span() for m in _CODE.finditer(text)]  # in order, not overlapping
        code_starts = [s for s, _ in code]
        cited = [(at, mark) for at, mark in cited if not ((k := bisect_right(code_starts, at) - 1) >= 0 and at < code[k][1])]
    # "[2] …" at a line's start defines [2]; "2. …" does when it holds a link or stands
    # under a heading of references (numbered steps and parts define nothing)
    refs = _REFS_HEADING.search(text)
    defined = {
        a or b
        for m in _DEFINED.finditer(text)
        for a, b in [m.groups()]
        if a or (refs is not None and m.start() > refs.start()) or _LINKISH.search(text, m.end(), _line_end(text, m.end()))
    }
    defined |= {d.lstrip("^") for d in defined}
    if refs is not None:
        # a bulleted list of references under its heading: its n-th item is source [n]
        items = len(_BULLET.findall(text, refs.end()))
        defined |= {str(k) for k in range(1, items + 1)}
    seen = set()
    for at, mark in cited:
        if mark.lstrip("^") not in defined and mark not in seen:
            seen.add(mark)
            yield at, f"[{mark}]"


def find(view: View, g: Grounding) -> Iterator[Finding]:
    for at, mark in dangling_citations(view.text):
        yield Finding(at, mark, f"The answer cites {mark} but gives no source {mark}; cite the input's sources by name and link.")
    links = view.links
    if not links:
        return
    facts = None
    notes: dict[str, set[int]] = {}  # this check's notes: what the sentences citing each name
    starts: list[int] | None = None
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
        if label and not said:
            # a link's text that is another input link ("[arXiv:2408.08091](<another's paper>)"):
            # the text says whose link it is
            if starts is None:
                starts = [s for s, _, _ in links]
            said = _linked_in(facts, links, starts, label)
        if not said:
            us, ue = unit_at(text, start)
            said = facts.named(words[us + 1 : ue + 1].split()) or _name_line_above(facts, text, start, links)
        if not said and text[text.rfind("\n", 0, start) + 1 : start].lstrip(" \t>-*")[:1] == "[":
            said = _cited_by(facts, text, words, start, notes)
        if said and not (said & owners):
            names = [facts.sources[i].name for i in sorted(said)]
            yield Finding(start, raw, message(raw, names, [facts.sources[i].name for i in sorted(owners)]))


RULE = Rule("attribution", find)
