"""Find mentions of named models, methods, datasets and systems, and paper titles.

A chunk of text is a name when the vocabularies list it (models, metrics, software,
hardware; a hardware family with its model number: ``RTX 4090``), or when its shape
says so: an inner capital (``SwinIR``), letters with digits (``VGG16``), a hyphenated
part in capitals (``Real-ESRGAN``) or three capitalised hyphen parts. A listed name
takes a version that follows it (``Stable Diffusion v1.5``). Capitalised words ending in
a head noun (``data/name_heads.txt``) are one name written out in words (``Holistic
Attention Network``, ``Fast Fourier Convolutions``).

Never names: generic families and plain terms (CNN, U-Net, GitHub), file formats and
colour spaces (``data/formats.txt``; ``Non-JPEG`` is JPEG), task words in capitals
(``SUPER-RESOLUTION``), and the tokens of code and diagrams: file names (a name's
stem is judged: ``MSSNet.pdf``), attributes (``M1.label``), placeholders (``x1``,
``O3``, ``frame_2``, ``conf1`` beside ``conf2``), diagram node ids (``O1[…]``),
typed or assigned variables (``PersonCount (integer)``, ``DetailMap =``): the last few,
which need the text around them, are told by ``words.code_token`` for the names a case
does not ground.

A title is text in italics, in quotes (with a colon, or a word like "for" and five
words at least; single curly quotes too), in bold in a reference item beside a link,
or a link's text (three words at least, none saying it is a link: "[MSSNet paper]")
that is mostly capitalised; a link's text or bold with that shape of a title (a colon,
or "for" in five words) is one in sentence case too.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from functools import cache, lru_cache

from . import patterns, vocab
from .words import STOP, capitalised_before, head_nouns, is_task_word

# Only chunks with a capital or a digit can be names (the vocabulary holds no all-lower-case
# plain words), so the scan looks for a capital or digit and widens to the whole chunk:
# plain lower-case words, most of an answer, are never visited.
_CHUNK = "[A-Za-z0-9+._-]"
_CAND = patterns.compile(rf"[A-Z0-9]{_CHUNK}*")
_WORD = patterns.compile(rf"[A-Za-z0-9]{_CHUNK}*")
_CHUNK_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+._-")


@cache
def _scan() -> re.Pattern[str]:
    """``_CAND`` without most chunks that can never be names whatever is around them,
    passed over in C instead of read in Python: capitalised plain words ("The",
    "Input") the vocabulary lacks, single capitals ("A"), words in capitals it lacks
    ("RGB", "CNAPS"), and numbers ("2023", "1.5", "4x").

    One branch per leading character, each a literal, so re still skips ahead to a
    candidate in C (a leading class of three runs or more is tested as one bitmap, so a
    never-matching NUL branch is added: two runs are tested range by range, twice the
    cost per character). After the lead, a look-ahead rejects a chunk that is one of
    the above whole (nothing of a chunk before it, full stops after it allowed).

    A capital or digit right after another is tried only when that one was passed over
    (had it been read, its chunk would hold this one), so it is passed over at once:
    the rest of a chunk passed over is never read from inside it, and a run of them
    stays linear. (So a chunk is passed over only when each capital or digit in it
    follows another: not "2048x1536", "High-Level".)
    """
    v = vocab.names()
    keep = {f.capitalize() for f in v.multi_first if f.isalpha()}
    keep |= {w + end for w in v.exact if w[0].isupper() and w[1:].islower() for end in ("", "s")}
    keep |= {h for h in head_nouns() if h[1:].islower()}  # Network, Transformers: a written-out name may end there
    caps = _listed_capitals(v)
    plain_caps = {w.upper() for w in vocab.generic() if w.isalpha() and 2 <= len(w) <= 5} - caps
    plain_end = r"[._-]*+(?![A-Za-z0-9+])"
    branches = []
    for lead in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        kept = patterns.trie_regex([list(w[1:]) for w in sorted(keep) if w[0] == lead])
        word = f"(?!(?:{kept})(?![a-z]))" if kept else ""
        # a single capital: [a-z]*+ reads none when _alone reads it as nothing
        word += "[a-z]*+" if _alone(lead) is None else "[a-z]++"
        listed = patterns.trie_regex([list(w[1:]) for w in sorted(caps) if w[0] == lead and len(w) > 1])
        # words in capitals of 3 to 6 letters are read: in running prose an unlisted one
        # names something (MAXIM, DRCT), which ``names_in`` tells by the words around it
        # (those the generic list holds are passed over here, in C: RGB, JPEG, GPU)
        gen = patterns.trie_regex([list(w[1:]) for w in sorted(plain_caps) if w[0] == lead])
        upper = (f"(?!(?:{listed})(?![A-Z]))" if listed else "") + "(?:[A-Z](?![A-Z])|[A-Z]{6}[A-Z]*+"
        upper += f"|(?:{gen})(?![A-Z]))" if gen else ")"
        whole = rf"(?<!{_CHUNK}{lead})(?:{word}|{upper}){plain_end}"
        branches.append(rf"{lead}(?!(?<=[A-Z0-9]{lead})|{whole}){_CHUNK}*")
    number = _number_skip(v)
    for lead in "0123456789":
        # after a digit's full stop, as after a digit, the number's first digit was passed
        # over; after another chunk character, a digit is inside a chunk begun before it (wav2vec)
        skip = rf"(?!(?<=[A-Z0-9]{lead})|(?<=[0-9]\.{lead})|(?<!{_CHUNK}{lead}){number}{plain_end})" if number else ""
        branches.append(rf"{lead}{skip}{_CHUNK}*")
    branches.append(r"\x00(?!)")  # never matches: makes the lead class a bitmap
    return patterns.compile("|".join(branches))


def _listed_capitals(v: vocab.NameVocab) -> frozenset[str]:
    """The words in capitals ``_alone`` may read as something (a name, or "" for the text
    around it to decide): listed as written or in any case (a plural too), head nouns
    and family words. (Any other: ``_classify`` finds no shape of a name in capitals.)"""
    forms = {w for w in v.exact if w.isupper()}
    forms |= {w.upper() + end for w in v.any_case if w.isalpha() for end in ("", "S")}
    forms |= {w for w in (*head_nouns(), *_family_words()) if w.isupper()}
    return frozenset(w for w in forms if w.isalpha() and w.isascii())


@cache
def _caps_listed() -> frozenset[str]:
    return _listed_capitals(vocab.names())


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
    if before is None or after is None:
        return False  # alone in brackets or at a line's end: a diagram label ("[START]", "subgraph FUSION")
    words = (before.group(1), after.group(1))
    return not any(w.isupper() for w in words) and any(w.islower() for w in words)


def _number_skip(v: vocab.NameVocab) -> str:
    """The rest of a number that is never a name (after its first digit): digits, full
    stops between them, lower-case letters after (4x, 2px, 1990s);
    letters some listed name starts with after its digits are not passed over (3dgs)
    (``""`` when a listed name is all digits: no number is passed over)."""
    listed = [*v.any_case, *(vocab.squash(w) for w in v.exact)]
    if any(w.isdigit() for w in listed):
        return ""
    firsts = {m.group(1) for w in listed if (m := re.fullmatch(r"[0-9]+([a-z])[a-z]*", w))}
    letters = "".join(c for c in "abcdefghijklmnopqrstuvwxyz" if c not in firsts)
    return rf"[0-9]*+(?:\.[0-9]++)*+(?:[{letters}][a-z]*+)?"


@cache
def _formats() -> frozenset[str]:
    """File formats, colour spaces and standards, squashed (``data/formats.txt``)."""
    return frozenset(vocab.squash(w) for w in vocab.data_lines("formats.txt"))


@cache
def _family_words() -> frozenset[str]:
    """Single-word families (RTX, Pixel, iPhone, SD) as they may be
    written: a set look-up of the chunk, not a case-folded one."""
    return frozenset(
        form
        for f in vocab.NAME_FILES
        for line in vocab.data_lines(f)
        if line.endswith(vocab.FAMILY) and " " not in (w := line.removesuffix(vocab.FAMILY))
        for form in (w, w.upper(), w.lower(), w.capitalize())
    )


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


def _chunk(text: str, m: re.Match[str]) -> tuple[int, int, str]:
    s, e = m.span()
    if s and text[s - 1] in _CHUNK_CHARS:  # rare: "iPhone", "wav2vec", "re-ID"
        while s > 0 and text[s - 1] in _CHUNK_CHARS:
            s -= 1
        while not text[s].isalnum():
            s += 1
    if text[e - 1] in "._-":  # a sentence's full stop is not part of a name
        while e > s and text[e - 1] in "._-":
            e -= 1
    return s, e, text[s:e]


_INNER_CAP = patterns.compile(r"[a-z][A-Z]")
_CAPS_THEN_WORD = patterns.compile(r"[A-Z]{2}[a-z]{2}")  # MODNet, CLIPSeg (GANs, CNNs: a plural "s" only)
_HAS_DIGIT = patterns.compile(r"\d")
_ACRONYM = patterns.compile(r"[A-Z]{3,6}")  # an unlisted word in capitals read as a name in prose
_FORMAT_VARIANT = patterns.compile(r"([A-Za-z]+)[-_]?\d+")  # PNG-24, TIFF16, FOGRA39, NV12
# 2nd, 1990s, node_1, enlarged_frame_2, and a letter with a digit (x1, O3, M2): placeholders
_ORDINAL = patterns.compile(r"^\d+(?:st|nd|rd|th|s)?$|^[A-Za-z][A-Za-z_]*_\d+$|^[A-Za-z]\d$", re.I)
# first parts that qualify the rest: "Non-JPEG" is about JPEG, "PRE-PROCESSING" about processing
_PREFIXES = {"non", "pre", "post", "anti", "semi", "multi", "sub", "un", "co", "cross", "self", "re", "de", "over", "under"}
_SUFFIXES = {
    "based", "like", "style", "driven", "inspired", "powered", "specific", "only", "free", "aware", "guided",
    "conditioned", "level", "scale", "wise", "type", "class", "grade", "ready", "friendly", "compatible",
    "enhanced", "generated", "trained", "pretrained", "tuned", "family", "series", "variant", "variants",
    "model", "models", "architecture", "backbone", "network", "module", "stage", "step", "branch", "output",
    "input", "pipeline", "paper", "repo", "authors", "approach", "method", "format", "compressed", "s",
}
# text in *italics*, or "quoted"/`quoted` (starting with a capital or digit), reads as a cited title.
# Each is ``[marks]body`` split into one pattern per opening mark (``patterns.finditer_any``),
# with no look-behind at the start: the character before the mark is checked in Python.
# Neither body can hold its closing marks, so a possessive run ends where the closing mark must be
# (backing off from a longer run only finds body characters there).
_ITALIC = patterns.by_lead("*_", r"(?![*_])([^*_\n]{12,200}+)[*_](?![*_\w])")
_QUOTED = patterns.by_lead('"“`', r"(?=[A-Z0-9])([^\"”`\n]{12,240}+)[\"”`]")
_SINGLE_QUOTED = patterns.compile(r"‘(?=[A-Z0-9])([^’\n]{12,240}+)’")  # ‘Title’ (an apostrophe closes it too)
_BOLD = patterns.compile(r"\*\*(?=[A-Z0-9])([^*\n]{12,240}+)\*\*")
_ITEM_MARKS = frozenset("-*+0123456789")  # a list item's first character (its bold's own "**" too)
_MASKED_LINK = " " * 12  # a link the url rule masked leaves a run of spaces this long at least
_LABEL = patterns.compile(r"(?:paper|title|reference|ref|source)\s*:\s*", re.I)  # "**Paper: Title**"
# words that say a link's text names the link, not a paper: [MSSNet paper](…), [code](…)
_LINK_WORDS = frozenset(
    "paper papers code repo repository github arxiv pdf project page website site link demo card huggingface "
    "here official implementation weights checkpoint homepage".split()
)
_CONNECTORS = frozenset("for of with via using in on to from towards and by".split())


def _strip_suffix(chunk: str) -> str:
    parts = chunk.split("-")
    # "SwinIR-based", "GenIR-curated": a trailing plain lower-case word is not part of the name
    while len(parts) > 1 and (parts[-1].lower() in _SUFFIXES or (parts[-1].isalpha() and parts[-1].islower())):
        parts.pop()
    return "-".join(parts).rstrip("._")


def _strip_parts(chunk: str) -> str:
    parts = _strip_suffix(chunk).split("-")
    # "Non-JPEG", "non-UI", "Multi-ControlNet": a leading prefix qualifies the rest
    while len(parts) > 1 and parts[0].lower() in _PREFIXES:
        parts.pop(0)
    return "-".join(parts)


def _shape_is_name(c: str) -> bool:
    if _INNER_CAP.search(c) or _CAPS_THEN_WORD.search(c):
        return True
    letters = sum(ch.isalpha() for ch in c)
    if _HAS_DIGIT.search(c) and c[0].isalpha() and letters >= 2:
        return True
    parts = c.split("-")
    if len(parts) > 1 and any(len(p) >= 2 and p.isupper() and p.isalpha() for p in parts):
        return True
    # Image-Classifier-Scene-Detector: a module named by capitalised parts
    return len(parts) >= 3 and all(p[:1].isupper() for p in parts)


@cache
def _lower_names() -> tuple[frozenset[bytes], re.Pattern[str]]:
    """The listed names written in lower case (``ffmpeg``, ``timm``): as bytes, to test
    the words of a text for any at all, and as whole words in a pattern: not inside a
    path or a dotted call (``ultralytics/yolov8``, ``diffusers.Pipeline``)."""
    words = sorted(w for w in vocab.names().exact if w.islower() and w.isalpha()) or ["\x00"]
    pattern = patterns.compile(rf"(?<![\w./-])(?:{patterns.trie_regex([list(w) for w in words])})(?![\w/-]|\.\w)")
    return frozenset(w.encode() for w in words), pattern


_SPACED = b"\t\n,.;:()[]*_`'\"!?/<>|"
_TO_SPACE = bytes.maketrans(_SPACED, b" " * len(_SPACED))


@cache
def _LOOKED_FOR() -> frozenset[bytes]:  # noqa: N802 - a constant, built once
    """The words ``names_in`` looks for in a text's split: lower-case names and cues."""
    return _lower_names()[0] | _CUE_WORDS


def names_in(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, name)`` for each name-like mention in ``text`` (links already masked),
    in order: names read by the scan, listed names written in lower case, and capitalised
    words a cue says are a name (``cued_in``)."""
    lower, pattern = _lower_names()
    # the text's words, split in C: a pattern with no literal to lead it is tried at every
    # position, so the words tell first whether any listed lower-case name or cue is there
    words = _LOOKED_FOR().intersection(text.encode("utf-8", "ignore").translate(_TO_SPACE).split())
    if not words:
        yield from _names_read(text)
        return
    extra = [(m.start(), m.group()) for m in pattern.finditer(text)] if not lower.isdisjoint(words) else []
    if not _CUE_WORDS.isdisjoint(words):
        extra += cued_in(text, words)
    if not extra:
        yield from _names_read(text)
        return
    extra.sort()
    yield from heapq.merge(_names_read(text), extra)


# words that introduce examples: a capitalised phrase after one names something ("apps like
# Snapseed", "datasets such as Visual Genome and Open Images")
# (each with the word the split of ``names_in`` reads it by)
_CUES = ((b"such", "such as "), (b"like", "like "), (b"g", "e.g. "), (b"g", "e.g., "), (b"including", "including "))
# nouns whose capitalised modifiers name one thing: "the Waterloo Exploration dataset"
_KIND_NOUNS = tuple((n.strip(" ,.").encode(), n) for n in (" dataset", " benchmark", " toolbox", " toolkit", " app ", " app,", " app.", " apps ", " plugin", " sampler"))
_CUE_WORDS = frozenset(w for w, _ in (*_CUES, *_KIND_NOUNS))
_CAP_RUN = patterns.compile(r"[*_\"“]*([A-Z][A-Za-z0-9+.'’-]*[A-Za-z0-9+](?:[ \t]+[A-Z0-9][A-Za-z0-9+.-]*[A-Za-z0-9+])?(?:[ \t]+[A-Z0-9][A-Za-z0-9+.-]*[A-Za-z0-9+])?)")
_LIST_NEXT = patterns.compile(r"[*_\"”]*(?:,[ \t]*(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or)[ \t]+)")


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
        return _classify(phrase)  # a word with digits or marks: its shape decides (FOGRA39 is a format)
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
                while (m := _CAP_RUN.match(text, pos)) is not None:
                    name = _cued_name(m.group(1))
                    if name is not None:
                        found.append((m.start(1), name))
                    more = _LIST_NEXT.match(text, m.end())
                    if more is None:
                        break
                    pos = more.end()
            at = text.find(cue, at + len(cue))
    for word, noun in _KIND_NOUNS:
        at = text.find(noun) if words is None or word in words else -1
        while at >= 0:
            start, words = capitalised_before(text, at)
            # after an article or an owner: "the KAIR toolbox", not "from Japanese dataset"
            det = text[max(0, start - 5) : start].rsplit(None, 1)[-1:] if words else []
            if det and det[0].lower() in ("the", "a", "an") and (name := _cued_name(" ".join(words))) is not None:
                found.append((at - len(" ".join(words)), name))
            at = text.find(noun, at + len(noun))
    return sorted(set(found))


def _names_read(text: str) -> Iterator[tuple[int, str]]:
    v = vocab.names()
    heads, families = head_nouns(), _family_words()
    exact, multi_first = v.exact, v.multi_first
    skip_until = -1
    for m in _scan().finditer(text):
        start, end = m.span()
        # ``_chunk`` inlined for its usual case (nothing of a chunk before the match, no
        # trailing full stop): a call per chunk is a third of this loop's time
        if (start and text[start - 1] in _CHUNK_CHARS) or text[end - 1] in "._-":
            chunk = _chunk(text, m)
            start, end, raw = chunk
        else:
            raw = text[start:end]
            chunk = (start, end, raw)
        if start < skip_until:
            continue
        alone = _alone(raw)
        if alone != "":  # most chunks: the text around one can only rule it out
            if alone is not None and not (start and (text[start - 1] == "#" or (text[start - 1] == "\\" and raw[0] in "nt"))):
                if alone == raw and raw.isupper() and raw.isalpha() and raw not in _caps_listed() and not _in_prose(text, start, end):
                    continue  # an unlisted word in capitals outside running prose: a label, a heading
                yield start, alone
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
        name = _classify(raw)
        if name is not None:
            yield start, name


@lru_cache(maxsize=50_000)  # a pure function of the chunk, and chunks recur
def _alone(raw: str) -> str | None:
    """What ``names_in`` reads a chunk as whatever is around it (``_classify``, the
    skips after "#" and "\\" aside), or "" when the text around it decides: a head noun,
    a capitalised word, a family word, the first word of a multi-word name."""
    if raw.isalpha():
        if raw in head_nouns() or raw[1:].islower() or raw in _family_words():
            return ""
    elif raw[0].isupper() and vocab.squash_word(raw) in vocab.names().multi_first:
        return ""
    return _classify(raw)


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


@lru_cache(maxsize=50_000)  # a pure function of the chunk, and chunks recur
def _classify(raw: str) -> str | None:
    """The name a single chunk stands for (suffixes like "-based" removed), or None."""
    v, generic = vocab.names(), vocab.generic()
    c = _strip_parts(raw)
    if "." in c:
        stem, _, tail = c.rpartition(".")
        if tail.isalpha() and tail.lower() in generic:
            if "_" in stem:
                return None  # a file named in snake case: flyer_A4_print.pdf, facade_7_5x.png
            c = _strip_parts(stem)  # a file: MSSNet.pdf names MSSNet, frame_1.png nothing
        elif tail[:1].islower() and tail.isidentifier() and vocab.squash(c) not in v.any_case:
            return None  # an attribute: M1.label, output.image
        elif c[:1].islower() and all(p.isidentifier() for p in c.split(".")) and vocab.squash(c) not in v.any_case:
            return None  # a call into a module: cv2.GaussianBlur, torch.nn.Conv2d
    if not c:
        return None
    if _ORDINAL.match(c):
        # ordinals, numbered nodes, placeholders; but a listed device of one letter and a
        # number is a name (T4, L4: a sibling placeholder is told by ``words.declared``)
        return c if len(c) == 2 and c[0].isupper() and vocab.squash(c) in v.any_case else None
    sq = vocab.squash(c)
    if sq in generic or (sq.endswith("s") and sq[:-1] in generic):
        return None
    if sq in v.family_only:
        return None  # "Pixel" alone is a word; "Pixel 8" is read by names_in
    variant = _FORMAT_VARIANT.fullmatch(c)
    if variant is not None and vocab.squash(variant.group(1)) in _formats():
        return None  # a format or colour standard with its bit depth or number: PNG-24, TIFF16, FOGRA39
    parts = c.split("-")
    if c.isupper() and (is_task_word(c) or any(is_task_word(p) for p in parts)):
        return None  # section labels in capitals: SUPER-RESOLUTION, DEBLUR-FIRST
    plain_word = c.isalpha() and c.islower()  # "shape" is a word, not Shap-E
    in_vocab = c in v.exact or (not plain_word and (sq in v.any_case or (sq.endswith("s") and sq[:-1] in v.any_case)))
    if in_vocab or _shape_is_name(c):
        return c
    # an unlisted word in capitals (DRCT, MAXIM): a name if the words around it are prose,
    # which ``names_in`` asks (``CAPITALS``); not a task word, format or common acronym
    return c if _ACRONYM.fullmatch(c) and not is_task_word(c) else None


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
        n_start, n_end, n_text = _chunk(text, m)
        if text[end:n_start].strip():
            break
        named = _strip_suffix(n_text)  # "Swin Transformer-based"
        acc += vocab.squash_word(named)
        end = n_start + len(named)
        if acc in v.any_case or (acc[-1:] == "s" and acc[:-1] in v.any_case):  # Swin Transformers
            best = end
        if end < n_end:
            break
    return best


def _reads_as_title(t: str, *, least: int = 4) -> bool:
    words = t.split()
    caps = sum(w[:1].isupper() for w in words)
    return len(words) >= least and caps >= min(3, least) and caps / len(words) >= 0.5


def _cites(body: str) -> bool:
    """Whether quoted or bold text has a title's shape: a colon with words after it, or
    five words at least with a word like "for" or "with"."""
    if body[:1].isspace() or body[-1:].isspace():
        return False
    colon = body.find(":")
    if 3 <= colon and len(body) - colon - 1 >= 6 and len(body[colon + 1 :].split()) >= 3:
        return True
    words = body.split()
    return len(words) >= 5 and any(w.lower() in _CONNECTORS for w in words)


def _link_texts(text: str) -> Iterator[tuple[int, str]]:
    """The text of each markdown link, ``[text](``."""
    at = text.find("](")
    while at >= 0:
        open_ = text.rfind("[", max(0, at - 240), at)
        if open_ >= 0 and "]" not in text[open_ + 1 : at] and "\n" not in text[open_ + 1 : at]:
            yield open_ + 1, text[open_ + 1 : at]
        at = text.find("](", at + 2)


def titles_in(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, title)`` for text that reads as a paper's title: in italics, in
    quotes (with a colon, or with a word like "for" or "with"), in bold in a reference
    item beside a link, or as a link's text (a sentence-case one too, by that shape)."""
    # diagrams in code fences label boxes, they do not cite papers
    if "```" in text:
        pieces, last = [], 0
        for a, b in patterns.fence_spans(text):  # one join, not a copy of the text per fence
            pieces += [text[last:a], " " * (b - a)]
            last = b
        text = "".join(pieces) + text[last:]
    found = []
    if "*" in text or "_" in text:
        found += [
            (m.start(), m.group(1), True)
            for m in patterns.finditer_any(_ITALIC, text)
            if not m.start() or not (text[m.start() - 1] in "*_" or text[m.start() - 1].isalnum())
        ]
    if any(q in text for q in '"“`'):
        for m in patterns.finditer_any(_QUOTED, text):
            body = m.group(1)
            if body[0].isspace() or body[-1].isspace():
                continue  # the text between two quotes, not a quote
            colon = body.find(":")
            words = body.split()
            if 3 <= colon and len(body) - colon - 1 >= 6:
                found.append((m.start(), body, True))
            elif len(words) >= 5 and any(w.lower() in _CONNECTORS for w in words):
                found.append((m.start(), body, True))
    if "‘" in text:
        found += [(m.start(1), m.group(1), True) for m in _SINGLE_QUOTED.finditer(text) if _cites(m.group(1))]
    if "**" in text:
        # bold cites a title only in a reference item: an item of a list beside a link
        # (masked to spaces by then, or a markdown link's brackets); else it is a heading
        for m in _BOLD.finditer(text):
            if m.group(1).endswith(":") or text[m.end() : m.end() + 1] == ":":
                continue  # "**Model Selection for Text Clarity:** …": a lead-in label
            # the item's line, read at most 400 characters either side (a reference item is short)
            lo = text.rfind("\n", max(0, m.start() - 400), m.start())
            if (lo < 0 and m.start() > 400) or text[lo + 1 : m.start()].lstrip()[:1] not in _ITEM_MARKS:
                continue
            hi = text.find("\n", m.end(), m.end() + 400)
            if hi < 0 and len(text) > m.end() + 400:
                continue
            line = text[lo + 1 : len(text) if hi < 0 else hi]
            if _MASKED_LINK not in line and "](" not in line:
                continue
            body = _LABEL.sub("", m.group(1), count=1) if _LABEL.match(m.group(1)) else m.group(1)
            if _cites(body):
                found.append((m.end() - 2 - len(body), body, True))
    if "](" in text:
        for at, body in _link_texts(text):
            words = {w.strip("*_\"“”`'.,:()").lower() for w in body.split()}
            if "/" not in body and not words & _LINK_WORDS:
                # a title in sentence case ("HAIR: hypernetwork routing for …") reads by its shape
                found.append((at, body.strip("*_\"“”`' "), None if _cites(body) else False))
    found.sort(key=lambda f: f[:2])
    for start, raw, strict in found:
        t = raw.strip()
        if strict is None or _reads_as_title(t, least=4 if strict else 3):
            yield start, t


# the memo tables of pure functions here, for ``grounding.clear_caches``
MEMOS = (_classify, _alone)
