"""Whether an answer uses the recommended models: the forms of a model's name that count
as a mention, the ``Mentions`` reader, whether the prompt says one model is enough,
whether the answer says plainly that none fits, and the quality rule's looser keys.

* **Mentions.** A model counts as mentioned by its name as written, with or without the
  recommender's task prefix and suffixes (``Deblur-``, ``SISR-``, ``-4x``,
  ``HuggingFace-org-``), by its distinctive part (``MSSNet`` for
  ``Deblur-MSSNet-RealBlurR``), a common abbreviation (``SD 1.4``) or its own link; a
  core that is a plain word (``Realisian``, a hub's ``openjourney``) only where the answer
  writes it with a capital, not at a sentence's start (``plain_core``).
* **One is enough.** When the prompt says the answer need not use every listed model,
  one is enough, or a plain statement that none fits ("none of the listed models…",
  "none of them…", "no model in the list…", "the provided checkpoints cannot…",
  "neither applies", "the list contains no detector", "I can't recommend any of the
  listed models").
* **Distinct forms.** The quality rule finds a model where the answer uses it or sets it
  aside by ``lower_keys``: the name lower-cased, or a distinctive part of it
  (``distinct_forms``: any part not a task word nor a generic one; no prefix is dropped).

Reads: the instruction, a model's name (with the task vocabulary and the known names),
the answer and its links. Invariant: pure functions of those; what depends on the
instruction or a name alone is remembered per value (``structure.PER_CASE`` and
``structure.MEMOS``, and ``rules.quality.MEMOS`` for the quality keys, list the memos for
``grounding.clear_caches``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from . import patterns, vocab
from .tasks import tasks_in

_NOT_ALL = (  # compiled on first use (re's own cache), as _NONE_FITS
    r"(?:do|does|need)\s+(?:\*\*)?not(?:\*\*)?\s+(?:\*\*)?need(?:\*\*)?\s+to\s+use\s+(?:all|every)"
    r"|(?:don't|do not|need not|needn't)\s+(?:have to\s+)?use\s+(?:all|every)"
    r"|not\s+(?:required|necessary|obliged)\s+to\s+use\s+(?:all|every)"
    r"|only\s+(?:those|the ones|models?)\s+(?:that\s+are\s+)?(?:clearly\s+)?relevant"
)


@lru_cache(maxsize=256)
def one_model_is_enough(instruction: str) -> bool:
    """Does the prompt say the answer need not use all listed models?"""
    return bool(re.search(_NOT_ALL, instruction.replace("*", ""), re.I))


# a recommender's category prefixes that the task vocabulary does not hold
_PREFIXES = frozenset(
    "huggingface hf txt2img img2txt img2img imgtxt2img imgtxt2txt txt2voice txt2txt txt2vid img2vid enhancement quality".split()
)
# parts of a name that do not tell one model from another
_GENERIC_PARTS = _PREFIXES | frozenset(
    "stablediffusion stablediffusionv1 stablediffusionv2 stablediffusionxl sd sdxl classical lightweight light lite real "
    "plus large base small tiny medium big any it rand random model models net face image img low v1 v2 v3 v4".split()
)
_SCALE = patterns.compile(r"^(?:x\d+|\d+x|\d+)$")
_FAMILY = patterns.compile(r"((?:[A-Z][a-z]+){2,})V?(\d+)")  # StableDiffusionV1


def _is_task_word(token: str) -> bool:
    """A recommender's task prefix: "Deblur", "SISR", "PoseEstimation", "Inpainting"."""
    split = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", token)
    return any(start == 0 and len(term) == len(split) for _, start, term in tasks_in(split))


def _is_generic(token: str) -> bool:
    low = token.lower()
    return low in _GENERIC_PARTS or len(low) <= 1 or bool(_SCALE.match(low)) or _is_task_word(token)


def _name_shaped(token: str) -> bool:
    """Does this part of a name name a model alone? ``MSSNet``, ``DF2K``, ``DRN``, ``blip``;
    not a plain word like ``pedestrian`` or ``candy``."""
    if re.search(r"[a-z][A-Z]|[A-Za-z]\d|\d[A-Za-z]", token) or (token.isupper() and len(token) >= 3):
        return True
    v = vocab.names()
    return vocab.squash(token) in v.any_case or token.capitalize() in v.exact or token.upper() in v.exact


@lru_cache(maxsize=4096)
def mention_forms(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(long, short)``: squashed forms of a recommended model's name that count as a
    mention. Long forms may occur anywhere in the squashed answer; short ones (three or
    four letters, like ``DRN``) only as a whole word.

    The forms: the name; the name without its task or category prefix
    (``Deblur-``, ``Txt2Img-``, ``HuggingFace-org-``), also without a family's version
    (``StableDiffusion-colorful``); its core without generic parts
    (``-4x``, ``-Plus``, ``-L``) unless that leaves a plain word; the first three or more parts of the core
    (``fast-neural-style``); each part that names a model alone (``MSSNet``); and for a
    family with a version (``StableDiffusionV1-4``) its initials and version (``SD 1.4``).
    """
    tokens = [t for t in re.split(r"[-_\s/]+", name) if t]
    at = next((i for i, t in enumerate(tokens) if t.lower() == "huggingface"), None)
    if at is not None and at + 2 < len(tokens):
        tokens = tokens[at + 2 :]  # Task-HuggingFace-org-model -> model
    lo = 0
    while lo < len(tokens) - 1 and (_is_task_word(tokens[lo]) or tokens[lo].lower() in _PREFIXES):
        lo += 1
    rest = tokens[lo:]
    a, b = 0, len(rest)
    while a < b and _is_generic(rest[a]):
        a += 1
    while b > a and _is_generic(rest[b - 1]):
        b -= 1
    core = rest[a:b] or rest
    squash = vocab.squash
    long = {squash(name), squash("".join(rest)), squash(re.sub(r"V\d+$", "", rest[0]) + "".join(rest[1:]))}
    if len(core) > 1 or _name_shaped(core[0]):  # not a plain word alone ("colorful")
        long.add(squash("".join(core)))
    long |= {squash("".join(core[:k])) for k in range(3, len(core))}
    short = set()
    for t in core:
        if not _is_generic(t) and _name_shaped(t):
            (long if len(t) >= 5 else short).add(squash(t))
    if not rest[a:b] and (m := _FAMILY.fullmatch(rest[0])):  # the family is the model: "SD 1.4"
        caps = "".join(c for c in m.group(1) if c.isupper()).lower()
        version = m.group(2) + "".join(t for t in rest[1:] if t.isdigit())
        long |= {caps + version, caps + "v" + version}
    long = {f for f in long if len(f) >= 4}
    short = {f for f in short if len(f) >= 3} - long
    return tuple(sorted(long)), tuple(sorted(short))


@lru_cache(maxsize=4096)
def plain_core(name: str) -> str:
    """The distinctive word of a name whose core is a plain word, lower-cased, or "": the
    one word left of ``Txt2Img-StableDiffusionV1-Realisian`` once prefixes and generic parts
    are dropped, or the first word of a Hugging Face model's own name (``openjourney`` of
    ``Txt2Img-HuggingFace-prompthero-openjourney-v4``, ``vilt`` of ``…-dandelin-vilt-b32-…``).
    A mention when the answer writes it with a capital, as a name ("Realisian", "ViLT"),
    not where a sentence starts (``_written_as_name``). A name that ``mention_forms`` reads
    by its core already ("GhostMix", "ICBINP") has none."""
    tokens = [t for t in re.split(r"[-_\s/]+", name) if t]
    at = next((i for i, t in enumerate(tokens) if t.lower() == "huggingface"), None)
    hub = at is not None and at + 2 < len(tokens)
    if hub:
        tokens = tokens[at + 2 :]  # Task-HuggingFace-org-model -> model
    core = [t for t in tokens if not _is_generic(t) and t.lower() not in _PREFIXES]
    if not core or (len(core) > 1 and not hub):
        return ""
    word = core[0]
    # a hub's model ids are lower case; elsewhere a lower-case core is a plain word ("colorful")
    plain = (hub and word.islower()) or (word[0].isupper() and word[1:].islower())
    if not word.isalpha() or len(word) < (4 if hub else 5) or not plain or _name_shaped(word):
        return ""
    return word.lower()


def _written_as_name(answer: str, low: str, word: str) -> bool:
    """Is ``word`` (lower case) in ``answer`` (``low`` lower-cased) as a whole word written
    with a capital, not where a sentence or a line starts (where any word takes one)?"""
    at = low.find(word)
    while at >= 0:
        end = at + len(word)
        whole = (at == 0 or not low[at - 1].isalnum()) and (end == len(low) or not low[end].isalnum())
        before = answer[max(0, at - 4) : at].rstrip(" \t*_\"'“‘(")
        if whole and not answer[at:end].islower() and before and before[-1] not in ".!?\n#>-•" and not before[-1].isdigit():
            return True
        at = low.find(word, end)
    return False


# "none fits" in the words answers use: "none of the listed checkpoints…", "none of them…",
# "none can locate…", "no listed model…", "no model in the list…", "nothing in the list…",
# "the provided models cannot…". Each branch is led by its letter (a word boundary checked
# after it), searched in the lower-cased answer: re skips in C to where a branch can start,
# where re.I and a leading \b made it try every position.
_MODEL_NOUN = (
    r"(?:models?|tools?|options?|sources?|checkpoints?|networks?|candidates?|choices?|methods?|variants?|entries|"
    r"recommendations?)"
)
_NEGATED = (
    r"(?:cannot|can ?not|can't|could ?not|couldn't|do not|don't|does not|doesn't|is not|isn't|are not|aren't|"
    r"will not|won't|would not|wouldn't)"
)
_LISTED = r"(?:provided|listed|recommended|given|available|supplied|suitable)"
_A_LIST = r"(?:the|this|that|your|our) (?:\w+ )?(?:list|set|selection|recommendations)"
_NONE_FITS_PATTERN = (
    rf"n(?<!\wn)o(?:ne (?:of (?:the (?:[\w-]+ ){{0,2}}{_MODEL_NOUN}\b|th(?:em|ese|ose)\b)"
    rf"|(?:can|could|will|would|does|do|is|are|fits?|suits?|matches|applies|performs?|handles?)\b)"
    rf"| (?:[\w-]+ ){{0,2}}{_LISTED} (?:\w+ )?{_MODEL_NOUN}\b"
    rf"| (?:single )?{_MODEL_NOUN} (?:in|from|among|on) {_A_LIST}\b"
    rf"|thing (?:in|from|among|on) {_A_LIST}\b"
    rf"|thing (?:\w+ )?{_LISTED}\b|ne of what (?:was|is|were) (?:\w+ )?{_LISTED}\b)"
    rf"|(?:p(?<!\wp)rovided|l(?<!\wl)isted|r(?<!\wr)ecommended|g(?<!\wg)iven|a(?<!\wa)vailable)"
    rf" (?:[\w-]+ ){{0,2}}{_MODEL_NOUN} (?:\w+ )?{_NEGATED}(?![a-z])"
    # "neither applies", "neither of them fits", "neither checkpoint is suitable"
    rf"|n(?<!\wn)either (?:of (?:them|these|those|the (?:[\w-]+ ){{0,2}}{_MODEL_NOUN}) |{_MODEL_NOUN} |one )?"
    rf"(?:(?:really |truly |actually )?(?:applies|fits|suits|works|helps|matches|handles|performs)\b"
    rf"|is (?:suitable|suited|useful|relevant|appropriate|a fit|designed)\b|can\b|could\b|would (?:help|work|fit)\b)"
    # "the list contains no detector", "the selection has no segmentation model"
    rf"|(?:l(?<!\wl)ist|s(?<!\ws)election|r(?<!\wr)ecommendations|c(?<!\wc)atalog(?:ue)?) (?:contains|has|includes|offers|provides|holds) no\b"
    # "I can't recommend any of the listed models", "cannot use any of them"
    rf"|c(?<!\wc)(?:an't|an’t|annot|an not|ouldn't|ould not) (?:recommend|use|pick|choose|suggest|rely on) any "
    rf"(?:of (?:them|these|those)\b|(?:of the )?(?:[\w-]+ ){{0,1}}{_LISTED} {_MODEL_NOUN}\b)"
)
_NONE_FITS = patterns.compile(_NONE_FITS_PATTERN, re.I)
_NONE_FITS_LOW = patterns.compile(_NONE_FITS_PATTERN)


def says_none_fits(answer: str, low: str | None = None) -> bool:
    """Does the answer say plainly that none of the models fits? ``low``, the answer
    lower-cased, if the caller has it: read where it matches as re.IGNORECASE does (not
    where a character folds apart, as ``patterns.lower_for_search`` refuses)."""
    if low is not None and not ("\u0130" in answer or "\u0131" in answer or "\u017f" in answer):
        return _NONE_FITS_LOW.search(low) is not None
    return _NONE_FITS.search(answer) is not None


_WORD = patterns.compile(r"[0-9a-z]+")
_NOT_ALNUM = bytes(b for b in range(128) if not (48 <= b <= 57 or 97 <= b <= 122))  # as vocab.squash's


def _squash_lowered(low: str) -> str:
    """``vocab.squash(answer)`` from ``answer.lower()``: its steps after lower-casing."""
    return low.encode("ascii", "ignore").translate(None, _NOT_ALNUM).decode("ascii")


@lru_cache(maxsize=4096)
def lower_keys(name: str) -> tuple[str, ...]:
    """What to look for in the lower-cased answer: the name, and its distinctive parts
    (the quality rule's keys)."""
    return (name.lower(), *distinct_forms(name)[1:])


@lru_cache(maxsize=4096)
def distinct_forms(name: str) -> tuple[str, ...]:
    """The squashed forms that name a model: its full name, or a distinctive part of it
    (``SwinIR`` of ``Denoise-SwinIR-Noise15``), not a task word or a generic one."""
    out = [vocab.squash(name)]
    parts = [p for p in re.split(r"[-_/\s:]+", name) if p]
    if len(parts) > 1:
        generic = vocab.generic()
        for p in parts:
            sq = vocab.squash(p)
            distinctive = len(sq) >= 4 or (len(sq) >= 3 and p != p.lower())
            if distinctive and not sq.isdigit() and sq not in generic and not any(True for _ in tasks_in(p)):
                out.append(sq)
    return tuple(out)


class Mentions:
    """Which recommended models an answer mentions. What a look-up needs beyond the name
    as written (the squashed answer, its words, its links) is worked out on first need:
    most answers write a name as given, or a long form of it."""

    def __init__(self, answer: str, answer_links: Iterable[str], low: Callable[[], str] | None = None) -> None:
        self.answer = answer
        self._answer_links = answer_links
        self._low = low  # gives the answer lower-cased, when the caller keeps it
        self._squashed: str | None = None
        self._words: frozenset[str] | None = None
        self._links: frozenset[str] | None = None

    def __call__(self, name: str, links: Iterable[str] = ()) -> bool:
        """Is ``name`` mentioned in any accepted form, or one of its canonical ``links`` cited?"""
        if name in self.answer:
            return True
        long, short = mention_forms(name)
        if self._squashed is None:
            self._squashed = vocab.squash(self.answer) if self._low is None else _squash_lowered(self._low())
        if any(f in self._squashed for f in long):
            return True
        if short:
            if self._words is None:
                self._words = frozenset(_WORD.findall(self.answer.lower() if self._low is None else self._low()))
            if any(f in self._words for f in short):
                return True
        word = plain_core(name)
        if word:
            low = self.answer.lower() if self._low is None else self._low()
            if len(low) == len(self.answer) and _written_as_name(self.answer, low, word):
                return True
        links = tuple(links)
        if links:
            if self._links is None:
                self._links = frozenset(self._answer_links)
            return any(link in self._links for link in links)
        return False
