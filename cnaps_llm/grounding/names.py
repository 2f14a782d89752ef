"""Find mentions of named models, methods, datasets and systems in running text.

A chunk is read as a name by its shape or the vocabularies (``chunks``); around it,
this module reads what needs the text: a listed name written in several words or in
lower case (``ffmpeg``), a hardware family with its model number (``RTX 4090``), a
version that follows a listed name (``Stable Diffusion v1.5``) or any name or capitalised
word not plain (``Colorful v3.1``), capitalised words
ending in a head noun (``data/name_heads.txt``) as one name written out in words
(``Holistic Attention Network``, ``Fast Fourier Convolutions``), an unlisted word in
capitals only in running prose (``MAXIM``), and capitalised words a cue says are a name
("such as Visual Genome", "the Waterloo Exploration dataset").

Never names, besides those ``chunks`` rules out: hex colours and escaped line breaks in
diagrams (``#f9f``, ``\\nExtracts``), words in capitals outside prose (a heading, a
label); typed or assigned variables (``PersonCount (integer)``, ``DetailMap =``) and
diagram node ids (``O1[…]``), which need the text around them, are told by
``words.code_token`` for the names a case does not ground. Paper titles: ``titles``.

Invariant: ``names_in`` reads only the text it is given (links already masked) and the
word lists: the same text always gives the same ``(offset, name)`` pairs, in order.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from functools import cache

from . import patterns, vocab
from .chunks import (
    CHUNK, CHUNK_CHARS, PORT_WORDS, caps_listed, chunk_at, classify, family_words, format_words, lower_port, read_alone, scan, strip_suffix,
    weight_types,
)
from .words import STOP, capitalised_before, head_nouns, is_task_word

# a word of a multi-word name (``_multiword``): any case, "Laplacian variance"
_WORD = patterns.compile(rf"[A-Za-z0-9]{CHUNK}*")

_WORD_BEFORE = patterns.compile(r"([A-Za-z][A-Za-z'’+-]*)[\s*_()\[\]\"“”,;:]*$")
_WORD_AFTER = patterns.compile(r"[\s*_()\[\]\"“”,;:.]*([A-Za-z][A-Za-z'’+-]*)")


def _in_prose(text: str, start: int, end: int) -> bool:
    """Whether the chunk at ``text[start:end]`` stands in running prose: a word on each
    side of it on its line, one of them in lower case, neither in capitals (a heading, a
    label in capitals, "NTU RGB+D"); not a heading line."""
    lo = text.rfind("\n", 0, start) + 1
    if text.startswith("#", lo):
        return False
    before = _WORD_BEFORE.search(text, max(lo, start - 40), start)
    hi = text.find("\n", end)
    after = _WORD_AFTER.match(text, end, end + 40 if hi < 0 else min(hi, end + 40))
    if before is not None and after is None and text[end : end + 1] in ".;!?" and text[end + 1 : end + 2] in ("", " ", "\n"):
        # the last word of a sentence after a word in lower case: "then CLAHE."
        w = before.group(1)
        return w.islower() and text[before.end(1) : start].strip(" \t") == ""
    if before is None and after is not None and after.group(1) in STOP and text[lo:start].rstrip(" \t*_").endswith("|"):
        return True  # a table cell that is a phrase: "| CLAHE with clip limit 2 |"
    if before is None or after is None:
        return False  # alone in brackets or at a line's end: a diagram label ("[START]", "subgraph FUSION")
    words = (before.group(1), after.group(1))
    return not any(w.isupper() for w in words) and any(w.islower() for w in words)


_NEXT_WORD = patterns.compile(r"[ \t]+([A-Z][A-Za-z]*)")


def _headed(text: str, start: int, end: int) -> tuple[int, str] | None:
    """The written-out name ending in the head noun at ``text[start:end]``: capitalised
    words before it (``Holistic Attention Network``, ``Fast Fourier Convolutions``), not a
    family written out (``Generative Adversarial Network``: generic)."""
    if start and text[start - 1] not in " \t":
        return None
    more = _NEXT_WORD.match(text, end)
    if more is not None and more.group(1) in head_nouns():
        return None  # "Holistic Attention Network": the longer name is read at its own head
    at, words = capitalised_before(text, start)
    if not words:
        return None
    phrase = " ".join(words) + " " + text[start:end]
    sq = vocab.squash(phrase)
    generic = vocab.generic()
    if sq in generic or (sq.endswith("s") and sq[:-1] in generic):
        return None
    return at, phrase


@cache
def _lower_names() -> tuple[frozenset[bytes], re.Pattern[str]]:
    """The listed names written in lower case (``ffmpeg``, ``timm``): as bytes, to test
    the words of a text for any at all, and as whole words in a pattern: not inside a
    path or a dotted call (``ultralytics/yolov8``, ``diffusers.Pipeline``)."""
    words = sorted(w for w in vocab.names().exact if w.islower() and w.isalpha()) or ["\x00"]
    pattern = patterns.compile(rf"(?<![\w./-])(?:{patterns.trie_regex([list(w) for w in words])})(?![\w/-]|\.\w)")
    return frozenset(w.encode() for w in words), pattern


# a chip named by a capital and its number before "chip" ("an M2 chip", "the A17 Pro chip"),
# which alone reads as a placeholder (M2, A1: diagram nodes)
_CHIP_WORDS = frozenset((b"chip", b"chips", b"SoC"))
_CHIP_BEFORE = patterns.compile(r"(?<![\w.-])([A-Z]\d{1,2}(?:[ \t]+(?:Pro|Max|Ultra))?)[ \t]+$")


def _chips(text: str) -> list[tuple[int, str]]:
    found = []
    for cue in (" chip", " SoC"):
        at = text.find(cue)
        while at >= 0:
            m = _CHIP_BEFORE.search(text, max(0, at - 16), at + 1)
            if m is not None and classify(m.group(1).split()[0]) is None:  # a listed one (A100) is read by the scan
                found.append((m.start(1), m.group(1)))
            at = text.find(cue, at + len(cue))
    return found


_SPACED = b"\t\n,.;:()[]*_`'\"!?/<>|"
_TO_SPACE = bytes.maketrans(_SPACED, b" " * len(_SPACED))


@cache
def _LOOKED_FOR() -> frozenset[bytes]:  # noqa: N802 - a constant, built once
    """The words ``names_in`` looks for in a text's split: lower-case names, cues, the
    file types of model weights (a lower-case checkpoint file: ``candy.pth``) and "chip"."""
    return _lower_names()[0] | _CUE_WORDS | _weight_words() | _CHIP_WORDS | _owner_words().keys()


@cache
def _weight_words() -> frozenset[bytes]:
    return frozenset(t.encode() for t in weight_types())


@cache
def _lower_file() -> re.Pattern[str]:
    """A checkpoint file written in lower case, alone (not in a path or a dotted call)."""
    types = "|".join(sorted(weight_types(), key=len, reverse=True))
    return patterns.compile(rf"(?<![\w./\\-])[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*\.(?:{types})(?![\w-])")


# words of the files a library writes for any model (diffusion_pytorch_model.bin,
# lora.safetensors), which the generic list cannot hold: as names they are listed
_FILE_WORDS = frozenset(("pytorch", "lora", "flax"))
_FILE_PART = patterns.compile(r"[a-z]+|\d+")


def _named_file(file: str) -> bool:
    """Whether a lower-case checkpoint file names a released checkpoint (``candy.pth``,
    ``resnet50.pth``, ``rain_princess.pth``): some word of its stem is no stop word, generic
    term (``data/generic.txt``: "model_best", "net_g_latest", "my_style_finetuned"), task
    word or placeholder letter; or a word with digits reads as a name by its shape."""
    stem = file.rpartition(".")[0]
    generic = vocab.generic()
    for part in re.split(r"[_.-]", stem):
        if not part:
            continue
        if not part.isalpha():
            letters = "".join(_FILE_PART.findall(part)[:1])
            if letters.isalpha() and len(letters) >= 3 and letters not in generic and classify(part) is not None:
                return True  # resnet50, but not epoch10, x4
            continue
        if len(part) >= 3 and part not in STOP and part not in generic and part not in _FILE_WORDS and not is_task_word(part):
            return True
    return False


# a port word after a hyphen ("realesrgan-ncnn-vulkan"): led by the hyphen, so re skips to one in C
_PORT = patterns.compile(r"-(?:" + "|".join(sorted(PORT_WORDS, key=lambda w: (-len(w), w))) + r")(?![a-z])")
_LOWER_WORD_BEFORE = patterns.compile(r"(?<![\w./])[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_LOWER_WORD_AFTER = patterns.compile(r"[0-9]*(?:-[a-z0-9]+)*(?![\w/]|\.\w)")


def _ports(text: str) -> list[tuple[int, str]]:
    """Listed names in lower case joined to a port word: a tool of their own
    (``realesrgan-ncnn-vulkan``, ``stable-diffusion-webui``); not in a path or a link."""
    out: list[tuple[int, str]] = []
    for m in _PORT.finditer(text):
        before = _LOWER_WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        after = _LOWER_WORD_AFTER.match(text, m.end())
        if before is None or after is None:
            continue
        word = text[before.start() : after.end()]
        if lower_port(word) and (not out or out[-1][0] != before.start()):
            out.append((before.start(), word))
    return out


def names_in(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, name)`` for each name-like mention in ``text`` (links already masked),
    in order: names read by the scan, listed names written in lower case (and joined to a
    port word: ``_ports``), and capitalised words a cue says are a name (``cued_in``); not a
    name with the word after it that makes a format of it ("COCO format", "COCO-format JSON")."""
    ports = _ports(text) if "-" in text else []
    found = heapq.merge(_names_in(text), ports) if ports else _names_in(text)
    for offset, name in found:
        if text.startswith(_FORMAT_JOINTS, offset + len(name)) and _format_phrase(text, offset + len(name), name):
            continue
        yield offset, name


_FORMAT_JOINTS = (" ", "-")
_NEXT_FORMAT_WORD = patterns.compile(r"[ -]([A-Za-z]{3,6})(?![\w-])")


def _format_phrase(text: str, end: int, name: str) -> bool:
    """Whether ``name`` and the word after it are a format ("COCO format", "COCO JSON")."""
    m = _NEXT_FORMAT_WORD.match(text, end)
    return m is not None and vocab.squash(name + m.group(1)) in format_words()


def _names_in(text: str) -> Iterator[tuple[int, str]]:
    lower, pattern = _lower_names()
    # the text's words, split in C: a pattern with no literal to lead it is tried at every
    # position, so the words tell first whether any listed lower-case name or cue is there
    words = _LOOKED_FOR().intersection(text.encode("utf-8", "ignore").translate(_TO_SPACE).split())
    if not words:
        yield from _names_read(text)
        return
    extra = [(m.start(), m.group()) for m in pattern.finditer(text)] if not lower.isdisjoint(words) else []
    if not _weight_words().isdisjoint(words):
        extra += [(m.start(), m.group()) for m in _lower_file().finditer(text) if _named_file(m.group())]
    if not _CUE_WORDS.isdisjoint(words) or not words.isdisjoint(_owner_words()):
        extra += cued_in(text, words)
    if not _CHIP_WORDS.isdisjoint(words):
        extra += _chips(text)
    if not extra:
        yield from _names_read(text)
        return
    extra.sort()
    yield from heapq.merge(_names_read(text), extra)


# words that introduce examples: a capitalised phrase after one names something ("apps like
# Snapseed", "datasets such as Visual Genome and Open Images")
# (each with the word the split of ``names_in`` reads it by)
# and words that say what a checkpoint was made from ("merged from Realistic Vision and
# Deliberate", "a blend of Anything and Counterfeit", "fine-tuned from Dreamlike")
_CUES = (
    (b"such", "such as "), (b"like", "like "), (b"g", "e.g. "), (b"g", "e.g., "), (b"including", "including "),
    (b"merged", "merged from "), (b"merge", "merge of "), (b"mix", "mix of "), (b"blend", "blend of "),
    (b"fine-tuned", "fine-tuned from "), (b"finetuned", "finetuned from "),
)
# nouns whose capitalised modifiers name one thing: "the Waterloo Exploration dataset", "the Fast Style Transfer repo"
_KIND_NOUNS = tuple((n.strip(" ,.").encode(), n) for n in (
    " dataset", " benchmark", " toolbox", " toolkit", " app ", " app,", " app.", " apps ", " plugin", " sampler",
    " repo ", " repo,", " repo.", " repository", " codebase", " library",  # "the Fast Style Transfer repo"
))
# what an organisation's capitalised word may qualify, not name: "Apple's Photos app",
# "Google's Pixel phones", "Adobe's Research team"
_OWNED_KINDS = frozenset(
    "app apps phone phones team teams camera cameras product products device devices lab labs researchers engineers "
    "service services store chips line".split()
)


@cache
def _owners() -> tuple[str, ...]:
    """The organisations whose possessive introduces a product's name ("Apple's Deep
    Fusion", "Google's Night Sight"): ``data/organisations.txt``, every name as written."""
    return tuple(n.strip() for line in vocab.data_lines("organisations.txt") for n in line.split("|") if n.strip())


@cache
def _owner_words() -> dict[bytes, tuple[str, ...]]:
    """The words of a text's split an organisation's possessive shows as ("Apple" of
    "Apple's", "Apple’s" whole) -> the organisations they may start."""
    out: dict[bytes, list[str]] = {}
    for o in _owners():
        for w in (o.split()[0].encode(), f"{o}’s".encode()):
            out.setdefault(w, []).append(o)
    return {w: tuple(os) for w, os in out.items()}


_CUE_WORDS = frozenset(w for w, _ in (*_CUES, *_KIND_NOUNS))
_MADE_FROM = frozenset((b"merged", b"merge", b"mix", b"blend", b"fine-tuned", b"finetuned"))
_NOUN_AFTER = patterns.compile(r"[*_\"”]*[ \t]+([a-z]+)")
_CAP_RUN = patterns.compile(r"[*_\"“]*([A-Z][A-Za-z0-9+.'’-]*[A-Za-z0-9+](?:[ \t]+[A-Z0-9][A-Za-z0-9+.-]*[A-Za-z0-9+])?(?:[ \t]+[A-Z0-9][A-Za-z0-9+.-]*[A-Za-z0-9+])?)")
_LIST_NEXT = patterns.compile(r"[*_\"”]*(?:,[ \t]*(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or)[ \t]+)")


def _cued_variant(word: str) -> bool:
    """Whether a hyphenated word after a cue is a name and its variant: a capitalised plain
    first part that is no term or prefix, then a size letter (Uformer-B, Swin-T); not
    "Real-Time", "Multi-Scale", "Plan-B" (a plain term: ``generic.txt``)."""
    first, _, last = word.partition("-")
    if not (first[:1].isupper() and first[1:].islower() and first.isalpha()) or "-" in last or not last.isalpha():
        return False
    if first.lower() in STOP or vocab.squash_word(first) in vocab.generic() or first.lower() in _PREFIX_WORDS:
        return False
    return last.isupper() and len(last) <= 2


_PREFIX_WORDS = frozenset("non pre post anti semi multi sub un co cross self re de over under real high low single dual".split())


def _cued_name(phrase: str) -> str | None:
    """``phrase`` (capitalised words after a cue) as a name, or None: not a stop word,
    a generic term, a task or a word of a heading ("The", "Gaussian", "Super-Resolution")."""
    words = phrase.split()
    for k, w in enumerate(words):
        if w.endswith(("'s", "’s")) and w[:-2].lower() != "let":  # "Photoshop's Neural Filters": the owner is the name
            words = [*words[:k], w[:-2]]
            break
    phrase = " ".join(words)
    if not words or words[0].lower() in STOP or len(phrase) < 3:
        return None
    if len(words) == 1 and not phrase.isalpha():
        if _cued_variant(phrase):
            return phrase  # a name with its variant after a cue: "like Uformer-B or Swin-T"
        return classify(phrase)  # a word with digits or marks: its shape decides (FOGRA39 is a format)
    sq = vocab.squash(phrase)
    generic = vocab.generic()
    if sq in generic or sq[:-1] in generic or vocab.squash(words[0]) in generic or is_task_word(phrase):
        return None
    return phrase


def cued_in(text: str, words: set[bytes] | None = None) -> list[tuple[int, str]]:
    """Yield ``(offset, name)`` for capitalised words that a cue says are a name: after
    "such as", "like", "e.g." or "including" (each of a list), or before a kind of thing
    (``the Waterloo Exploration dataset``, ``the KAIR toolbox``). ``words``: the text's
    words as ``names_in`` splits them, when known (a cue absent from them is not looked for)."""
    found = []
    for word, cue in _CUES:
        at = text.find(cue) if words is None or word in words else -1
        while at >= 0:
            if not (at and text[at - 1].isalpha()):
                pos = at + len(cue)
                listed = []
                while (m := _CAP_RUN.match(text, pos)) is not None:
                    name = _cued_name(m.group(1))
                    if name is not None:
                        listed.append((m.start(1), name))
                    last = m.end()
                    more = _LIST_NEXT.match(text, last)
                    if more is None:
                        break
                    pos = more.end()
                if listed and word in _MADE_FROM and (noun := _NOUN_AFTER.match(text, last)) and noun.group(1) not in STOP:
                    listed = []  # what the words qualify: "a mix of Realistic and Anime styles"
                found += listed
            at = text.find(cue, at + len(cue))
    by_word = _owner_words()
    present = _owners() if words is None else {o for w in by_word.keys() & words for o in by_word[w]}
    for org in sorted(present):
        for mark in ("'s ", "’s "):
            at = text.find(org + mark)
            while at >= 0:
                pos = at + len(org) + len(mark)
                if not (at and (text[at - 1].isalnum())) and (m := _CAP_RUN.match(text, pos)) is not None:
                    noun = _NOUN_AFTER.match(text, m.end())
                    if (noun is None or noun.group(1) not in _OWNED_KINDS) and (name := _cued_name(m.group(1))) is not None:
                        found.append((m.start(1), name))
                at = text.find(org + mark, pos)
    for word, noun in _KIND_NOUNS:
        at = text.find(noun) if words is None or word in words else -1
        while at >= 0:
            # (its own variable: ``words``, the text's words, decides the nouns still to look for)
            start, before = capitalised_before(text, at)
            # after an article or an owner: "the KAIR toolbox", not "from Japanese dataset"
            det = text[max(0, start - 5) : start].rsplit(None, 1)[-1:] if before else []
            if det and det[0].lower() in ("the", "a", "an") and (name := _cued_name(" ".join(before))) is not None:
                found.append((at - len(" ".join(before)), name))
            at = text.find(noun, at + len(noun))
    return sorted(set(found))


_V = (" v", " V", "\tv", "\tV")
_NAME_VERSION = patterns.compile(r"[ \t][vV]\d+(?:\.\d+)*(?![\w+]|\.\d)")


def _versioned(text: str, end: int, name: str) -> str:
    """``name`` (ending at ``end``) with the version written after it, if any: "LemonTeaMix v3"."""
    m = _NAME_VERSION.match(text, end)
    return name if m is None else name + m.group()


def _plain_named(word: str) -> bool:
    """Whether a capitalised plain word may name something: not a stop word, a generic
    term, a task word or a head noun ("Version v2", "Model v3", "Network V2" are not)."""
    return word.lower() not in STOP and vocab.squash_word(word) not in vocab.generic() and word not in head_nouns() and not is_task_word(word)


def _names_read(text: str) -> Iterator[tuple[int, str]]:
    v = vocab.names()
    heads, families = head_nouns(), family_words()
    exact, multi_first = v.exact, v.multi_first
    skip_until = -1
    for m in scan().finditer(text):
        start, end = m.span()
        # ``chunk_at`` inlined for its usual case (nothing of a chunk before the match, no
        # trailing full stop): a call per chunk is a third of this loop's time
        if (start and text[start - 1] in CHUNK_CHARS) or text[end - 1] in "._-":
            chunk = chunk_at(text, m)
            start, end, raw = chunk
        else:
            raw = text[start:end]
            chunk = (start, end, raw)
        if start < skip_until:
            continue
        alone = read_alone(raw)
        if alone != "":  # most chunks: the text around one can only rule it out
            if alone is not None and not (start and (text[start - 1] == "#" or (text[start - 1] == "\\" and raw[0] in "nt"))):
                if alone == raw and raw.isupper() and raw.isalpha() and raw not in caps_listed() and not _in_prose(text, start, end):
                    continue  # an unlisted word in capitals outside running prose: a label, a heading
                yield start, _versioned(text, end, alone) if alone == raw and text.startswith(_V, end) else alone
            continue
        if raw.isalpha():
            if raw in heads:  # Network, GAN: the end of a name written out in words, perhaps
                headed = _headed(text, start, end)
                if headed is not None:
                    yield headed
                    continue
            # fast path for capitalised plain words: only the vocabulary can name them
            if raw[1:].islower():
                if raw.lower() in multi_first:
                    multi = _multiword(text, chunk, m.end(), v)
                    if multi is not None:
                        found = _listed(text, start, multi, v)
                        if found is not None:
                            skip_until = found
                            yield start, text[start:found]
                            continue
                if raw in exact or (raw[-1] == "s" and raw[:-1] in exact):
                    found = _listed(text, start, end, v)
                    if found is not None:
                        skip_until = found
                        yield start, text[start:found]
                elif text.startswith(_V, end) and _plain_named(raw):
                    # a capitalised word with a version names that version of something
                    # ("Colorful v3.1", "DreamShaper v8"): grounded only as the input writes it
                    yield start, _versioned(text, end, raw)
                continue
            if raw in families:  # RTX 4090, iPhone 15
                found = _listed(text, start, end, v)
                if found is not None:
                    skip_until = found
                    yield start, text[start:found]
                continue
        elif raw[0].isupper() and vocab.squash_word(raw) in multi_first:
            multi = _multiword(text, chunk, m.end(), v)
            if multi is not None:
                found = _listed(text, start, multi, v)
                if found is not None:
                    skip_until = found
                    yield start, text[start:found]
                    continue
        if start > 0:
            before = text[start - 1]
            if before == "#":
                continue  # hex colours in diagram styles (#f9f)
            if before == "\\" and raw[:1] in "nt":
                continue  # an escaped line break in a diagram label: \nExtracts
        name = classify(raw)
        if name is not None:
            yield start, name


_FAMILY_MEMBER = patterns.compile(r"[ \t]+([A-Za-z]{0,3}\d[A-Za-z0-9+]*(?:\.\d+)*)")  # RTX 4090, Galaxy S24, SD 1.5
_VERSION = patterns.compile(r"[ \t]+(?:[vV]\d+(?:\.\d+)*|\d+\.\d+)(?!\w|\.\d)")  # Swin Transformer V2, Stable Diffusion v1.5


def _listed(text: str, start: int, end: int, v: vocab.NameVocab) -> int | None:
    """The end of the listed name at ``text[start:end]``, with the model number of a
    family or a version that follows it; None for a family word without a number."""
    after = text[end : end + 2]
    if after[:1] not in (" ", "\t"):
        # no number can follow: only a family word alone has more to say (it is no name)
        return None if vocab.squash_word(text[start:end]) in v.family_only else end
    sq = vocab.squash_word(text[start:end])
    if sq in v.families:
        member = _FAMILY_MEMBER.match(text, end)
        if member is not None:
            return member.end(1)
        if sq in v.family_only:
            return None
    version = _VERSION.match(text, end) if after[1:] in "vV0123456789" else None
    return version.end() if version is not None else end


@cache
def _multi_prefixes() -> frozenset[str]:
    """The squashed first words of each multi-word name, one word more at a time, short of
    the whole ("stable", "swintransformer"…): a name read so far that is none of these ends."""
    heads = set()
    for f in vocab.NAME_FILES:
        for line in vocab.data_lines(f):
            words = line.removesuffix(vocab.FAMILY).split()
            heads.update(vocab.squash("".join(words[:k])) for k in range(1, len(words)))
    return frozenset(heads)


def _multiword(text: str, first: tuple[int, int, str], pos: int, v: vocab.NameVocab) -> int | None:
    """End offset of the longest multi-word vocabulary name starting with chunk ``first``
    (whose match ended at ``pos``), if any: the next chunks are read from the text."""
    best = None
    acc, end = vocab.squash_word(first[2]), first[1]
    heads = _multi_prefixes()
    for k, m in enumerate(_WORD.finditer(text, pos)):  # later words in any case: "Laplacian variance"
        if k >= v.max_words - 1 or acc not in heads:
            break
        n_start, n_end, n_text = chunk_at(text, m)
        if text[end:n_start].strip():
            break
        named = strip_suffix(n_text)  # "Swin Transformer-based"
        acc += vocab.squash_word(named)
        end = n_start + len(named)
        if acc in v.any_case or (acc[-1:] == "s" and acc[:-1] in v.any_case):  # Swin Transformers
            best = end
        if end < n_end:
            break
    return best


# the memo tables of the pure functions this reading calls (``chunks``), for ``grounding.clear_caches``
MEMOS = (classify, read_alone)
