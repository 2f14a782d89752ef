"""What one chunk of text reads as, whatever is around it: the scan that finds chunks
(letters, digits and ``+._-``, with a capital or a digit) and the name each stands for.

A chunk is a name when the vocabularies list it (models, metrics, software, hardware),
or when its shape says so: an inner capital (``SwinIR``), letters with digits
(``VGG16``), a hyphenated part in capitals (``Real-ESRGAN``) or three capitalised
hyphen parts. Suffixes and prefixes that qualify it are not part of it
(``SwinIR-based`` is SwinIR, ``Non-JPEG`` is JPEG).

Never names: generic families and plain terms (CNN, U-Net, GitHub), file formats and
colour spaces (``data/formats.txt``), task words in capitals (``SUPER-RESOLUTION``),
and the tokens of code: file names (a name's stem is judged: ``MSSNet.pdf``; but a
checkpoint file whose stem holds a name is one whole, ``IMDN_x2.pth``: a download),
attributes (``M1.label``), calls into a module (``cv2.GaussianBlur``), placeholders
(``x1``, ``O3``, ``frame_2``).

Invariant: ``classify`` and ``read_alone`` are pure functions of the chunk and the word
lists (memoised, ``names.MEMOS``); the text around a chunk is read only by ``names``.
``scan`` passes over only chunks that ``read_alone`` reads as nothing or capitalised
plain words the vocabulary lacks, each whole (``tests/test_scanners.py``).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from . import patterns, vocab
from .kept import kept
from .words import head_nouns, is_task_word

# Only chunks with a capital or a digit can be names (the vocabulary holds no all-lower-case
# plain words), so the scan looks for a capital or digit and widens to the whole chunk:
# plain lower-case words, most of an answer, are never visited.
CHUNK = "[A-Za-z0-9+._-]"
CAND = patterns.compile(rf"[A-Z0-9]{CHUNK}*")
CHUNK_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+._-")


@cache
def scan() -> re.Pattern[str]:
    """``CAND`` without most chunks that can never be names whatever is around them,
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
    follows another: not "2048x1536", "High-Level".) Its source is kept between runs.
    """
    return patterns.compile(kept("chunks.scan", _scan_source))


def _scan_source() -> str:
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
        # a single capital: [a-z]*+ reads none when read_alone reads it as nothing
        word += "[a-z]*+" if read_alone(lead) is None else "[a-z]++"
        listed = patterns.trie_regex([list(w[1:]) for w in sorted(caps) if w[0] == lead and len(w) > 1])
        # words in capitals of 3 to 6 letters are read: in running prose an unlisted one
        # names something (MAXIM, DRCT), which ``names_in`` tells by the words around it
        # (those the generic list holds are passed over here, in C: RGB, JPEG, GPU)
        gen = patterns.trie_regex([list(w[1:]) for w in sorted(plain_caps) if w[0] == lead])
        upper = (f"(?!(?:{listed})(?![A-Z]))" if listed else "") + "(?:[A-Z](?![A-Z])|[A-Z]{6}[A-Z]*+"
        upper += f"|(?:{gen})(?![A-Z]))" if gen else ")"
        # (a capitalised word with a version after it is read: "Colorful v3.1" names a checkpoint)
        whole = rf"(?<!{CHUNK}{lead})(?:{word}{plain_end}(?![ \t][vV]\d)|{upper}{plain_end})"
        branches.append(rf"{lead}(?!(?<=[A-Z0-9]{lead})|{whole}){CHUNK}*")
    number = _number_skip(v)
    for lead in "0123456789":
        # after a digit's full stop, as after a digit, the number's first digit was passed
        # over; after another chunk character, a digit is inside a chunk begun before it (wav2vec)
        skip = rf"(?!(?<=[A-Z0-9]{lead})|(?<=[0-9]\.{lead})|(?<!{CHUNK}{lead}){number}{plain_end})" if number else ""
        branches.append(rf"{lead}{skip}{CHUNK}*")
    branches.append(r"\x00(?!)")  # never matches: makes the lead class a bitmap
    return "|".join(branches)


def _listed_capitals(v: vocab.NameVocab) -> frozenset[str]:
    """The words in capitals ``read_alone`` may read as something (a name, or "" for the text
    around it to decide): listed as written or in any case (a plural too), head nouns
    and family words. (Any other: ``classify`` finds no shape of a name in capitals.)"""
    forms = {w for w in v.exact if w.isupper()}
    forms |= {w.upper() + end for w in v.any_case if w.isalpha() for end in ("", "S")}
    forms |= {w for w in (*head_nouns(), *family_words()) if w.isupper()}
    return frozenset(w for w in forms if w.isalpha() and w.isascii())


@cache
def caps_listed() -> frozenset[str]:
    return _listed_capitals(vocab.names())


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


def format_words() -> frozenset[str]:
    """``_formats()``, for ``names`` (a name and the word after it may be one: "COCO format")."""
    return _formats()


@cache
def weight_types() -> frozenset[str]:
    """The file types of model weights (``data/formats.txt``, its "model weights" part)."""
    text = vocab.data_text("formats.txt")
    part = text[text.index("# --- model weights") :]
    part = part[part.index("\n") : part.find("\n# ---", 1)]
    return frozenset(ln.strip().lower() for ln in part.splitlines() if ln.strip() and not ln.lstrip().startswith("#"))


@cache
def family_words() -> frozenset[str]:
    """Single-word families (RTX, Pixel, iPhone, SD) as they may be
    written: a set look-up of the chunk, not a case-folded one."""
    return frozenset(
        form
        for f in vocab.NAME_FILES
        for line in vocab.data_lines(f)
        if line.endswith(vocab.FAMILY) and " " not in (w := line.removesuffix(vocab.FAMILY))
        for form in (w, w.upper(), w.lower(), w.capitalize())
    )


def chunk_at(text: str, m: re.Match[str]) -> tuple[int, int, str]:
    s, e = m.span()
    if s and text[s - 1] in CHUNK_CHARS:  # rare: "iPhone", "wav2vec", "re-ID"
        while s > 0 and text[s - 1] in CHUNK_CHARS:
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


def strip_suffix(chunk: str) -> str:
    parts = chunk.split("-")
    # "SwinIR-based", "GenIR-curated": a trailing plain lower-case word is not part of the name
    # (a capital S is a size, not a plural: MSSNet-S is a variant, as MSSNet-L and MSSNet-XL are)
    while len(parts) > 1 and (parts[-1].lower() in _SUFFIXES and parts[-1] != "S" or (parts[-1].isalpha() and parts[-1].islower())):
        parts.pop()
    return "-".join(parts).rstrip("._")


def _strip_parts(chunk: str) -> str:
    parts = strip_suffix(chunk).split("-")
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


@lru_cache(maxsize=50_000)  # a pure function of the chunk, and chunks recur
def read_alone(raw: str) -> str | None:
    """What ``names_in`` reads a chunk as whatever is around it (``classify``, the
    skips after "#" and "\\" aside), or "" when the text around it decides: a head noun,
    a capitalised word, a family word, the first word of a multi-word name."""
    if raw.isalpha():
        if raw in head_nouns() or raw[1:].islower() or raw in family_words():
            return ""
    elif raw[0].isupper() and vocab.squash_word(raw) in vocab.names().multi_first:
        return ""
    return classify(raw)


# words that make a listed name written in lower case a port or package of it: a tool of its
# own ("realesrgan-ncnn-vulkan", "stable-diffusion-webui", "swinir-onnx")
PORT_WORDS = frozenset((
    "ncnn", "vulkan", "webui", "ui", "gui", "cli", "onnx", "tensorrt", "trt", "cpp", "py", "python", "js", "mobile",
    "lite", "cuda", "torch", "pytorch", "tf", "tflite", "coreml", "mlx", "ggml", "gguf", "server", "docker", "api",
    "app", "android", "ios", "colab", "gradio", "extension", "plugin", "nodes", "cog", "openvino", "mnn", "jax", "rs",
))


def lower_port(raw: str) -> bool:
    """Whether a word in lower case joins a listed name to a port word (``PORT_WORDS``)."""
    v, generic = vocab.names(), vocab.generic()
    parts = raw.split("-")
    if len(parts) < 2 or not all(p.isalnum() for p in parts):
        return False
    for k in range(1, min(4, len(parts))):
        head = "".join(parts[:k])
        if len(head) >= 5 and head in v.any_case and head not in generic:
            return any(p in PORT_WORDS or p.rstrip("0123456789") in PORT_WORDS for p in parts[k:])
    return False


@lru_cache(maxsize=50_000)  # a pure function of the chunk, and chunks recur
def classify(raw: str) -> str | None:
    """The name a single chunk stands for (suffixes like "-based" removed), or None."""
    v, generic = vocab.names(), vocab.generic()
    c = _strip_parts(raw)
    if "." in c:
        stem, _, tail = c.rpartition(".")
        if tail.isalpha() and tail.lower() in generic:
            if tail.lower() in weight_types():
                # a checkpoint file (IMDN_x2.pth) names what it holds: a name, unless no part
                # of its stem reads as one (weights.pth, model_best.ckpt, epoch10.pth)
                # (a word the generic list holds, with a number, is no name: epoch10, model2)
                parts = (p for p in re.split(r"[_.]", stem) if p and vocab.squash(p.rstrip("0123456789")) not in generic)
                return c if any(classify(p) for p in parts) else None
            if "_" in stem:
                return None  # a file named in snake case: flyer_A4_print.pdf, facade_7_5x.png
            c = _strip_parts(stem)  # a file: MSSNet.pdf names MSSNet, frame_1.png nothing
        elif tail[:1].islower() and tail.isidentifier() and vocab.squash(c) not in v.any_case:
            return None  # an attribute: M1.label, output.image
        elif c[:1].islower() and all(p.isidentifier() for p in c.split(".")) and vocab.squash(c) not in v.any_case:
            return None  # a call into a module: cv2.GaussianBlur, torch.nn.Conv2d
    if not c:
        return None
    if "-to-" in c:  # a conversion between formats or colour spaces: HEIC-to-JPEG, RGB-to-Lab
        if all(classify(side) is None for side in c.split("-to-")):
            return None
    if c[-1] == "+":
        # a variant written with a plus (IMDN++, MIMO-UNet+) is a name when what it varies is
        # one; the index grounds it only as the input writes it (with the plus, or "Plus")
        base = c.rstrip("+")
        return c if base and base[-1].isalnum() and classify(base) is not None else None
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
        # section labels in capitals: SUPER-RESOLUTION, DEBLUR-FIRST; but a listed name with
        # a task's short form is a name of its own (CLIP-IQA, BLIP-VQA: a metric, a model)
        if len(parts) < 2 or not any(p in v.exact or (vocab.squash(p) in v.any_case and vocab.squash(p) not in generic) for p in parts if not is_task_word(p)):
            return None
    plain_word = c.isalpha() and c.islower()  # "shape" is a word, not Shap-E
    in_vocab = c in v.exact or (not plain_word and (sq in v.any_case or (sq.endswith("s") and sq[:-1] in v.any_case)))
    if in_vocab or _shape_is_name(c):
        return c
    # an unlisted word in capitals (DRCT, MAXIM): a name if the words around it are prose,
    # which ``names_in`` asks (``CAPITALS``); not a task word, format or common acronym
    return c if _ACRONYM.fullmatch(c) and not is_task_word(c) else None
