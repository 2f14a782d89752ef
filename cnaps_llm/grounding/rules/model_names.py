"""Rule ``model``, names: every model, method, dataset, metric, tool or device named is one
the input names (``grounding.names``), and so is every name written out in words (an
expansion of a short name: ``grounding.phrases``). Modules and classes on a line of
code that imports them are the code's own (``from PIL import Image``). A name inside a title that is not
the input's is left to the title rule, which quotes the title whole."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from ..chunks import weight_types
from ..index import Grounding
from ..names import names_in
from ..patterns import fence_spans
from ..phrases import asides_in, expansions_in
from ..titles import titles_in
from ..triggers import venues
from ..words import code_token, declared
from . import Finding, Rule, View


_LONGEST = 400  # no name read spans more: a longer one holding a name starts at most this far before it


def message(name: str) -> str:
    return f'"{name}" is not among the provided models or papers; do not mention models, methods or datasets the sources do not name.'


def _in_title(text: str, offset: int, end: int, fences: list[tuple[int, int]]) -> bool:
    """Whether ``text[offset:end]`` is inside a title the title rule reads (which quotes
    it whole). Titles do not span lines: only the phrase's line is read, and only when
    it is outside a code fence (where the title rule reads none)."""
    lo = text.rfind("\n", 0, offset) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    if not any(mark in text[lo:offset] for mark in '*_"“`['):
        return False
    k = bisect_right(fences, (offset, len(text)))
    if k and fences[k - 1][1] > offset:
        return False
    return any(a <= offset - lo and end - lo <= a + len(t) for a, t in titles_in(text[lo:hi]))


def _in_fence(fences: list[tuple[int, int]], offset: int) -> bool:
    k = bisect_right(fences, (offset, len(fences) and fences[-1][1] + 1))
    return bool(k) and offset < fences[k - 1][1]


def _import_line(text: str, offset: int) -> bool:
    """Whether ``offset`` is on a line of code that imports (``import cv2, torch``,
    ``from PIL import Image``): modules and classes named there are the code's, not names."""
    lo = text.rfind("\n", 0, offset) + 1
    head = text[lo : lo + 12].lstrip(" \t>`")
    if head.startswith("import "):
        return True
    if not head.startswith("from "):
        return False
    hi = text.find("\n", offset)
    return " import " in text[lo : len(text) if hi < 0 else hi]


def _inside_longer(spans: list[tuple[int, int]], offset: int, end: int) -> bool:
    """Whether a longer span of ``spans`` (sorted, each short) holds ``offset:end``."""
    k = bisect_right(spans, (offset, float("inf")))
    while k > 0:
        k -= 1
        a, b = spans[k]
        if a < offset - _LONGEST:
            return False
        if a <= offset and end <= b and b - a > end - offset:
            return True
    return False


def _venue_year(name: str) -> bool:
    """A venue and its year joined into one word ("CVPR-2023", "ECCV-22", "CVPR2020"): the venue rule's, no model."""
    head, _, year = name.rpartition("-")
    if not head:  # glued: the year's four digits end the word ("CVPR2020", "ICCVW2021")
        head, year = name[:-4], name[-4:]
        if head[-1:] == "W" and head[:-1] in venues():
            head = head[:-1]
        return year.isdigit() and year[:2] in ("19", "20") and head in venues()
    return year.isdigit() and len(year) in (2, 4) and head in venues()


def _written_out(text: str, g: Grounding) -> Iterator[tuple[int, str]]:
    yield from expansions_in(text, g.expansions)
    yield from asides_in(text)


def find(view: View, g: Grounding) -> Iterator[Finding]:
    has_name = g.has_name
    text = view.text
    found = list(dict.fromkeys([*names_in(text), *_written_out(text, g)]))
    # a name inside a longer one read at the same place is quoted as part of it: "CLIP" in
    # "CLIP Text Transformer", "Trajectory-Aware Transformer" in a bracketed title
    wide = sorted((a, a + len(n)) for a, n in found if " " in n or "-" in n)
    fences: list[tuple[int, int]] | None = None
    variables: dict[str, bool] = {}  # name -> declared as a variable somewhere in the text
    for offset, name in found:
        if has_name(name):  # most names read are the input's: the one memo look-up first
            continue
        if name[-1:].isdigit() and _venue_year(name):
            continue
        end = offset + len(name)
        if (wide and _inside_longer(wide, offset, end)) or code_token(text, offset, name):
            continue
        if name not in variables:
            variables[name] = declared(text, name)
        if variables[name]:
            continue
        if _import_line(text, offset):
            continue
        if "." in name and name.rpartition(".")[2].lower() in weight_types():
            # a checkpoint file inside a code block is the code's example (torch.load("x.pth")),
            # named in prose it is a download the answer vouches for (``chunks.classify``)
            if fences is None:
                fences = fence_spans(text) if "```" in text else []
            if _in_fence(fences, offset):
                continue
        if " " in name:
            if fences is None:
                fences = fence_spans(text) if "```" in text else []
            if _in_title(text, offset, end, fences):
                continue
        yield Finding(offset, name, message(name))


RULE = Rule("model", find)
