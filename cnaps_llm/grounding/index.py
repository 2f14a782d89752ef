"""What a case grounds: its links, names, tasks and figures, computed once per case.

A name is grounded when its squashed form is a run of the input's tokens, or when it
is a short form of one provided name (``short_form``): that name's parts in order with
some left out (``Img2Txt-BLIP`` of ``Img2Txt-HuggingFace-Salesforce-blip-image-captioning-large``),
a part shortened to its start (``CyberReal``) or to its initials (``SD1`` of
``StableDiffusionV1``), its hyphen parts in any order (``SwinIR-Denoise`` of
``Denoise-SwinIR-Noise25``). A variant is grounded only as the input writes it: a plus
(``IMDN++``) with the plus or "Plus", a size letter (``MaskFormer-Swin-B``) when it starts
the provided name's next part; a site's acronym by the end of an input link's host
(``CVF`` of openaccess.thecvf.com). A figure is grounded when each value is a number of the input,
and a size (``256x256``) when the input gives that size whole; the numbers come from the
question and the sources, not the prompt's instructions or a link's version suffix.

Invariant: built only from the ``Case`` (question, instruction, source names,
links and summaries); the answer never adds to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import accumulate, permutations
from typing import NamedTuple

from ..models import Case
from . import patterns, vocab
from .cues import supported_in
from .links import canonical, find_links
from .numbers import numbers_in, sizes_in
from .phrases import Expansions, acronym_patterns
from .spelled import multiplier_values, spelled_in
from .tasks import task_index, tasks_in

_TOKEN = patterns.compile(r"[0-9a-z]+")
# the capital a camelCase word splits before ("DeHaze", "XMLHttp"); led by the capital,
# so re skips the lower-case letters in C
_CAMEL = patterns.compile(r"[A-Z](?:(?<=[a-z][A-Z])|(?<=[A-Z][A-Z])(?=[a-z]))")
_NAMES_MEMO = 4096  # names remembered per index: more than an answer holds, bounded for long runs
WINDOW = 6  # longest run of input tokens a grounded name may span ("Swin Transformer V2 Large" …)
# a name's parts: camelCase words, runs of capitals, digits ("Txt2Img" -> txt 2 img, "SD1" -> sd 1)
_PART = patterns.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
# a repository named by a link ("owner/name"): the model rule grounds that name, and
# ``sources`` reads it as a handle and an owner
LINK_NAME = patterns.compile(r"(?:github\.com|huggingface\.co)/([\w.-]+/[\w.-]+)")


class Tokens(NamedTuple):
    """The input's tokens run together, and where each token starts.

    A squashed name is grounded when it is a run of 1..WINDOW consecutive tokens:
    it occurs in ``joined`` starting and ending on token boundaries. (Building the set
    of every such run up front cost two thirds of indexing a case.)
    """

    joined: str
    token_at: dict[int, int]  # offset in ``joined`` where a token starts (or the end) -> token number

    @classmethod
    def of(cls, text: str) -> Tokens:
        toks = _TOKEN.findall(text)
        offsets = [0, *accumulate(map(len, toks))]
        return cls("".join(toks), dict(zip(offsets, range(len(offsets)), strict=True)))

    def has_run(self, sq: str) -> bool:
        at = self.joined.find(sq)
        while at >= 0:
            first, end = self.token_at.get(at), self.token_at.get(at + len(sq))
            if first is not None and end is not None and end - first <= WINDOW:
                return True
            at = self.joined.find(sq, at + 1)
        return False


@dataclass(frozen=True)
class Grounding:
    links: frozenset[str]  # canonical links
    tokens: tuple[Tokens, ...]  # the input as written and with camelCase split
    squashed: str  # the whole input squashed, for long names and titles
    tasks: frozenset[int]  # indexes into vocab.tasks()
    numbers: frozenset[float]
    source_names: tuple[tuple[str, str], ...]  # (id, name) of every source
    instruction: str = ""  # the prompt's own instructions: the parts an answer must address
    recommended: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (name, canonical links) of each recommended model
    field_links: frozenset[str] = frozenset()  # canonical links of the sources' link fields (not their prose)
    link_texts: tuple[str, ...] = ()  # every input link as written: a reply cut off mid-link starts one
    # the case itself, for rules that read a source's own text (quality, evidence), and what
    # they derive from it once per case; neither is compared, so equal inputs stay equal
    case: Case | None = field(default=None, compare=False, repr=False)
    derived: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    sizes: frozenset[tuple[float, ...]] = frozenset()  # sizes given whole: (256.0, 256.0)
    name_parts: tuple[tuple[str, ...], ...] = ()  # the parts of each provided name, for short forms
    # the expansions of the provided names' short forms to look for (``phrases.acronym_patterns``)
    expansions: Expansions = (None, ())
    plus_names: frozenset[str] = frozenset()  # names the input writes with a plus, squashed, pluses kept: "deeplabv3+"
    hosts: tuple[str, ...] = ()  # the labels of the input links' hosts ("thecvf"): the site a link is on
    scales_only: frozenset[float] = frozenset()  # numbers given only as a scale or version ("4x", "v2")
    # has_name(name): does the input ground this name; remembered per index, as names recur
    has_name: Callable[[str], bool] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # a partial of the fields, not a bound method: the memo must not hold the index itself
        memo = lru_cache(maxsize=_NAMES_MEMO)(partial(
            _grounds_name, self.tokens, self.squashed, self.name_parts, plus_names=self.plus_names, hosts=self.hosts
        ))
        object.__setattr__(self, "has_name", memo)

    def has_number(self, value: float) -> bool:
        if value in self.numbers:  # the usual case: the same literal parses to the same float
            return True
        return any(abs(value - n) <= 1e-9 * max(1.0, abs(n)) for n in self.numbers)


    def has_size(self, size: tuple[float, ...]) -> bool:
        return size in self.sizes


def _grounds_name(
    tokens: tuple[Tokens, ...],
    squashed: str,
    provided: tuple[tuple[str, ...], ...],
    name: str,
    *,
    plus_names: frozenset[str] = frozenset(),
    hosts: tuple[str, ...] = (),
) -> bool:
    while name[-2:] == ".0" and name[-3:-2].isdigit():
        name = name[:-2]  # a version's ".0" says nothing more: Openjourney v4.0 is Openjourney v4
    sq = vocab.squash(name)
    if not sq:
        return True
    if name[-1] == "+":
        # a variant with a plus (IMDN++, MIMO-UNet+) only as the input writes it: with the
        # plus, or with "Plus" (Deblur-MIMO-UNet-Plus); the name without it is another model
        plus = len(name) - len(name.rstrip("+"))
        return sq + "+" * plus in plus_names or any(t.has_run(sq + "plus" * plus) for t in tokens)
    if len(sq) >= 3 and name.isupper() and any(h.endswith(sq) for h in hosts):
        return True  # the site an input link is on, by the end of its host's name: CVF of thecvf.com
    # a plural is an "s" written after a name's last letter or digit: "MSSNet-S" is a variant
    plural = name.endswith("s") and name[-2:-1].isalnum()
    for run in (sq, sq[:-1] if plural else None):
        if run and any(t.has_run(run) for t in tokens):
            return True
    # (not for a size letter after a hyphen, DreamClear-S: the letter must start the part of a
    # provided name right after it, MaskFormer-Swin-B of …-MaskFormer-Swin-Base-…, not be the
    # "s" of "DreamClear's" run on in the squashed text)
    if name[-2:-1] == "-" and name[-1].isupper():
        if _size_variant(sq[:-1], sq[-1], provided):
            return True
    elif len(sq) >= 6 and sq in squashed:
        return True
    parts = name_parts(name[:-1] if plural and not name[-2:-1].isupper() else name)
    if not parts:
        return False
    if any(short_form(parts, whole) for whole in provided):
        return True
    # the hyphen parts of a provided name put in another order: SwinIR-Denoise of Denoise-SwinIR-…
    pieces = name.split("-")
    if 2 <= len(pieces) <= 3:
        for order in permutations(pieces):
            if order != tuple(pieces):
                reordered = name_parts("-".join(order))
                if any(short_form(reordered, whole) for whole in provided):
                    return True
    return False


def _size_variant(base: str, letter: str, provided: tuple[tuple[str, ...], ...]) -> bool:
    """Whether a provided name has parts that run together to ``base`` (squashed) and
    the part right after them starts with ``letter``: ``swin`` + ``b`` of ``…swin-base…``."""
    for whole in provided:
        for j in range(len(whole)):
            acc = ""
            for k in range(j, len(whole) - 1):
                acc += whole[k]
                if acc == base and whole[k + 1].startswith(letter):
                    return True
                if not base.startswith(acc):
                    break
    return False


def name_parts(name: str) -> tuple[str, ...]:
    """A name's parts, lower-cased: ``Txt2Img-SD1`` -> ``("txt", "2", "img", "sd", "1")``."""
    return tuple(p.lower() for p in _PART.findall(name))


def short_form(parts: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Whether a name of ``parts`` is a short form of the provided name of parts ``whole``.

    Each part (or several parts run together) stands, in order, for: one or more whole
    parts run together (``vilt`` for vi+lt), the start of one part, three letters at
    least (``real`` for ``realistic``, ``yolo`` for ``yolos``), or the initials of
    consecutive parts (``sd`` for stable+diffusion). Parts of ``whole`` may be left out.
    """
    # every way of matching below reads the parts' letters in order within the whole's: a
    # name whose letters are not a subsequence of the whole's is no short form of it (most
    # names an answer invents, told without the search below: 1 ms a name before)
    letters = iter("".join(whole))
    if not all(c in letters for c in "".join(parts)):
        return False
    n, m = len(parts), len(whole)
    failed: set[tuple[int, int]] = set()
    rest = [0] * (m + 1)  # rest[j]: the length of whole[j:] run together
    for j in range(m - 1, -1, -1):
        rest[j] = rest[j + 1] + len(whole[j])

    def match(i: int, j: int) -> bool:  # parts[i:] against whole[j:]
        if i == n:
            return True
        if (i, j) in failed:
            return False
        for j0 in range(j, m):
            piece = ""
            for i2 in range(i + 1, n + 1):
                piece += parts[i2 - 1]
                if len(piece) > rest[j0]:
                    break  # longer than all of whole[j0:]: no way below can match it, nor a longer one
                acc = ""
                for k in range(j0, m):  # whole parts run together
                    acc += whole[k]
                    if acc == piece:
                        if match(i2, k + 1):
                            return True
                        break
                    if not piece.startswith(acc):
                        break
                if len(piece) >= 3 and whole[j0].startswith(piece) and whole[j0] != piece and match(i2, j0 + 1):
                    return True
                k = len(piece)
                if (
                    2 <= k <= 4
                    and piece.isalpha()
                    and j0 + k <= m
                    and all(whole[j0 + t][0] == piece[t] and whole[j0 + t].isalpha() for t in range(k))
                    and match(i2, j0 + k)
                ):
                    return True
        failed.add((i, j))
        return False

    return match(0, 0)


def corpus(case: Case, *, instruction: bool = True) -> str:
    parts = [case.question, case.instruction] if instruction else [case.question]
    for s in case.sources:
        parts.append(s.name)
        parts.extend(s.all_links())
        parts.extend(f"{k}: {v}" for k, v in s.links.items())
        if s.summary:
            parts.append(s.summary)
    return "\n".join(parts)


def _supported_tasks(case: Case) -> set[int]:
    """The tasks the question or a source supports: named by a task term (``DeHaze``
    split at its capitals too), described in plain words (``supported_in``), or implied
    by one of those (``implied_by``: deblurring implies image restoration). The prompt's
    own instructions ("Summarize what the user wants") support none."""
    text = corpus(case, instruction=False)
    split = _CAMEL.sub(r" \g<0>", text)
    found = {t for t, _, _ in tasks_in(text)} | {t for t, _, _ in tasks_in(split)} | supported_in(text, loose=False)
    # the user's one-word cues ("people", "rain") ground their own task, but no task it
    # implies, and read in a source's name or summary ("privacy-safe", "vector") none
    loose = supported_in(case.question) - found
    all_tasks = vocab.tasks()
    index = task_index()
    changed = True
    while changed:  # implications chain: face restoration -> image restoration
        changed = False
        for i, t in enumerate(all_tasks):
            if i not in found and any(index.get(n) in found for n in t.implied_by):
                found.add(i)
                changed = True
    return found | loose


# a link's version suffix (arXiv 2103.14030v2): a revision, not a figure the source gives
_VERSION = patterns.compile(r"(?<=\d)v\d+\b")


# a hash in a link (".../file/2ac2eac5098dba08208807b65c5851cc-Paper.pdf"): sixteen or more hex
# digits, letters and digits mixed; the digits in it are no figure a source gives
_HASH = patterns.compile(r"(?<![0-9A-Za-z])[0-9a-f]{16,}(?![0-9A-Za-z])")


def _no_hash(m: re.Match[str]) -> str:
    h = m.group()
    return " " if not h.isdigit() and any(c.isdigit() for c in h) else h


def _figure_text(case: Case) -> str:
    """The text whose numbers ground figures: the question and the sources, without the
    prompt's own instructions (their numbering "1." "all 3 parts" is no figure), without
    the version suffixes of links and without the hashes in links."""
    text = corpus(case, instruction=False)
    text = _VERSION.sub(" ", text) if "v" in text else text
    return _HASH.sub(_no_hash, text) if "/" in text else text


def _scales_only(text: str, numbers: frozenset[float]) -> frozenset[float]:
    """The numbers ``text`` gives only as a scale or a version ("Real-4x", "x4", "v2",
    "enlarge it twice"): they ground a scale ("4x", "four times"), not a count or a
    setting ("a beam size of 4", "2 days")."""
    plain = {v for _, _, v, _ in spelled_in(text)}
    for at, written, values in numbers_in(text, figures_only=False):
        end = at + len(written)
        after, before = text[end : end + 1], text[at - 1 : at]
        if (after in ("x", "×") and not text[end + 1 : end + 2].isalpha()) or (
            before in ("x", "×", "v", "V") and not text[at - 2 : at - 1].isalnum()
        ):
            continue
        plain.update(values)
    return frozenset(numbers - plain)


def build(case: Case) -> Grounding:
    text = corpus(case)
    figure_text = _figure_text(case)
    written = [u for s in case.sources for u in s.all_links()]
    fields = {canonical(u) for u in written}
    prose = [raw for _, _, raw in find_links(text)]

    # camelCase split too, so `DeHaze` grounds "de haze" and `WeatherRemoval` "weather removal"
    split = _CAMEL.sub(r" \g<0>", text)
    # a possessive's "s" is no token of a name: "DreamClear's" grounds DreamClear, not a DreamClear-S
    named = _POSSESSIVE.sub(" ", text) if "'s" in text or "’s" in text else text
    named_split = _POSSESSIVE.sub(" ", split) if named is not text else split
    task_ids = _supported_tasks(case)
    provided = [s.name for s in case.sources]
    provided += [m.group(1) for s in case.sources for u in s.all_links() for m in LINK_NAME.finditer(u)]
    hosts = {label for u in (*written, *prose) for label in _host(u).split(".")[:-1] if len(label) > 3}
    return Grounding(
        links=frozenset(fields.union(map(canonical, prose))),
        tokens=(Tokens.of(named.lower()), Tokens.of(named_split.lower())),
        squashed=vocab.squash(text),
        tasks=frozenset(task_ids),
        numbers=(numbers := frozenset(v for _, _, values in numbers_in(figure_text, figures_only=False) for v in values)
        | {v for _, _, v, _ in spelled_in(figure_text)}
        | multiplier_values(figure_text)),
        scales_only=_scales_only(figure_text, numbers),
        source_names=tuple((s.id, s.name) for s in case.sources),
        instruction=case.instruction,
        recommended=tuple((s.name, tuple(canonical(u) for u in s.all_links())) for s in case.recommended),
        field_links=frozenset(fields),
        link_texts=tuple(dict.fromkeys([*written, *prose])),
        case=case,
        sizes=frozenset(sizes_in(figure_text)),
        name_parts=tuple(dict.fromkeys(p for p in map(name_parts, provided) if p)),
        expansions=acronym_patterns(provided),
        plus_names=_plus_names(text) if "+" in text else frozenset(),
        hosts=tuple(sorted(hosts)),
    )


_POSSESSIVE = patterns.compile(r"['’]s\b")
# a name written with a plus in the input (DeepLabV3+, IMDN++): the name, its pluses
# (tried only where a word starts: from every letter of a long word it was quadratic)
_PLUS_NAME = patterns.compile(r"(?<![A-Za-z0-9._-])[._-]*+([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])(\++)(?![A-Za-z0-9])")


def _plus_names(text: str) -> frozenset[str]:
    """The names ``text`` writes with a plus, squashed with their pluses, whole and from each
    hyphen part on: Segmenter-GridSeg+ gives "segmentergridseg+" and "gridseg+"."""
    found = set()
    for m in _PLUS_NAME.finditer(text):
        parts = re.split(r"[-_.]", m.group(1))
        found.update(vocab.squash("".join(parts[k:])) + m.group(2) for k in range(len(parts)))
    return frozenset(found)


def _host(link: str) -> str:
    """The host of ``link``, lower-cased: "openaccess.thecvf.com" (no scheme, user or port)."""
    rest = link.split("://", 1)[-1].lstrip("/")
    return rest.split("/", 1)[0].split("@")[-1].split(":")[0].lower()
