"""Find mentions of named models, methods, datasets and systems, and paper titles.

A chunk of text is a name when the curated vocabulary lists it, or when its shape
says so: an inner capital (``SwinIR``), letters with digits (``VGG16``), a
hyphenated part in capitals (``Real-ESRGAN``) or a capitalised acronym (``RCAN``).
Generic families and plain terms (CNN, U-Net, PSNR, GitHub) are never names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import vocab

# Only chunks with a capital or a digit can be names (the vocabulary holds no all-lower-case
# plain words), so plain words are never even yielded by the scanner: most of an answer.
_CHUNK = re.compile(
    r"(?<![A-Za-z0-9+._-])(?=[a-z._+-]*[A-Z0-9])[A-Za-z0-9][A-Za-z0-9+._-]*[A-Za-z0-9+]"
    r"|(?<![A-Za-z0-9+._-])[A-Z0-9](?![A-Za-z0-9+._-])"
)
_INNER_CAP = re.compile(r"[a-z][A-Z]")
_HAS_DIGIT = re.compile(r"\d")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th|s)?$|^[A-Za-z]+_\d+$", re.I)  # 2nd, 1990s, node_1
_SUFFIXES = {
    "based", "like", "style", "driven", "inspired", "powered", "specific", "only", "free", "aware", "guided",
    "conditioned", "level", "scale", "wise", "type", "class", "grade", "ready", "friendly", "compatible",
    "enhanced", "generated", "trained", "pretrained", "tuned", "family", "series", "variant", "variants",
    "model", "models", "architecture", "backbone", "network", "module", "stage", "step", "branch", "output",
    "input", "pipeline", "paper", "repo", "authors", "approach", "method", "format", "compressed", "s",
}
# text in *italics*, or "quoted"/`quoted` with a colon, and mostly capitalised, reads as a cited title
_TITLE = re.compile(
    r"(?<![*\w])[*_](?![*_])(?P<a>[^*_\n]{12,200}?)[*_](?![*_\w])"
    r"|[\"“`](?P<b>[^\"”`\n]{3,100}:[^\"”`\n]{6,160})[\"”`]"
)
_FENCE = re.compile(r"^\s*```.*?^\s*```", re.M | re.S)


def _strip_parts(chunk: str) -> str:
    parts = chunk.split("-")
    # "SwinIR-based", "GenIR-curated": a trailing plain lower-case word is not part of the name
    while len(parts) > 1 and (parts[-1].lower() in _SUFFIXES or (parts[-1].isalpha() and parts[-1].islower())):
        parts.pop()
    return "-".join(parts).rstrip("._")


def _shape_is_name(c: str) -> bool:
    if _INNER_CAP.search(c):
        return True
    letters = sum(ch.isalpha() for ch in c)
    if _HAS_DIGIT.search(c) and c[0].isalpha() and letters >= 2:
        return True
    parts = c.split("-")
    if len(parts) > 1 and any(len(p) >= 2 and p.isupper() and p.isalpha() for p in parts):
        return True
    return False


def names_in(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, name)`` for each name-like mention in ``text`` (links already masked)."""
    v = vocab.names()
    generic = vocab.generic()
    chunks = list(_CHUNK.finditer(text))
    skip_until = -1
    for i, m in enumerate(chunks):
        start = m.start()
        if start < skip_until:
            continue
        raw = m.group()
        if raw.isalpha():
            # fast path for capitalised plain words: only the vocabulary can name them
            if raw[1:].islower():
                if raw.lower() in v.multi_first:
                    end = _multiword(text, chunks, i, v)
                    if end is not None:
                        skip_until = end
                        yield start, text[start:end]
                        continue
                if raw in v.exact or (raw[-1] == "s" and raw[:-1] in v.exact):
                    yield start, raw
                continue
        elif raw[0].isupper() and vocab.squash(raw) in v.multi_first:
            end = _multiword(text, chunks, i, v)
            if end is not None:
                skip_until = end
                yield start, text[start:end]
                continue
        c = _strip_parts(raw)
        if not c or _ORDINAL.match(c) or (start > 0 and text[start - 1] == "#"):
            continue  # ordinals, and hex colours in diagram styles (#f9f)
        sq = vocab.squash(c)
        if sq in generic or (sq.endswith("s") and sq[:-1] in generic):
            continue
        plain_word = c.isalpha() and c.islower()  # "shape" is a word, not Shap-E
        in_vocab = c in v.exact or (
            not plain_word and (sq in v.any_case or (sq.endswith("s") and sq[:-1] in v.any_case))
        )
        if in_vocab or _shape_is_name(c):
            yield start, c


def _multiword(text: str, chunks: list[re.Match[str]], i: int, v: vocab.NameVocab) -> int | None:
    """End offset of the longest multi-word vocabulary name starting at chunk ``i``, if any."""
    best = None
    acc, end = vocab.squash(chunks[i].group()), chunks[i].end()
    for nxt in chunks[i + 1 : i + v.max_words]:
        if text[end : nxt.start()].strip():
            break
        acc += vocab.squash(nxt.group())
        end = nxt.end()
        if acc in v.any_case:
            best = end
    return best


def titles_in(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, title)`` for italic or quoted text that reads as a title."""
    if not any(ch in text for ch in '*_"“`'):
        return
    # diagrams in code fences label boxes, they do not cite papers
    if "```" in text:
        text = _FENCE.sub(lambda f: " " * len(f.group(0)), text)
    for m in _TITLE.finditer(text):
        t = (m.group("a") or m.group("b") or "").strip()
        words = t.split()
        caps = sum(w[:1].isupper() for w in words)
        if len(words) >= 4 and caps >= 3 and caps / len(words) >= 0.5:
            yield m.start(), t
