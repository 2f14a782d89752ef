"""Find mentions of named models, methods, datasets and systems, and paper titles.

A chunk of text is a name when the curated vocabulary lists it, or when its shape
says so: an inner capital (``SwinIR``), letters with digits (``VGG16``), a
hyphenated part in capitals (``Real-ESRGAN``) or a capitalised acronym (``RCAN``).
Generic families and plain terms (CNN, U-Net, PSNR, GitHub) are never names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from . import patterns, vocab

# Only chunks with a capital or a digit can be names (the vocabulary holds no all-lower-case
# plain words), so the scan looks for a capital or digit and widens to the whole chunk:
# plain lower-case words, most of an answer, are never visited.
_CHUNK = "[A-Za-z0-9+._-]"
_CAND = re.compile(rf"[A-Z0-9]{_CHUNK}*")
_CHUNK_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+._-")


@cache
def _scan() -> re.Pattern[str]:
    """``_CAND`` without the capitalised plain words ("The", "Input") the vocabulary lacks.

    They are two chunks in three and can never be names, so the regex passes over them
    in C: after the capital, a look-ahead rejects a whole ``[A-Z][a-z]+`` word (full
    stops after it allowed, nothing of a chunk before it) unless it is a listed word.
    """
    v = vocab.names()
    keep = {f.capitalize() for f in v.multi_first if f.isalpha()}
    keep |= {w + end for w in v.exact if w[0].isupper() and w[1:].islower() for end in ("", "s")}
    # the capital is already read: each path is the second letter, then a look-behind for
    # the capital (second, so re's quick first-letter test still applies), then the rest
    kept = patterns.trie_regex([[w[1], f"(?<={w[:2]})", *w[2:]] for w in sorted(keep)])
    plain_end = r"[._-]*+(?![A-Za-z0-9+])"
    skip = rf"(?<=[A-Z])(?<!{_CHUNK}[A-Z])(?!(?:{kept})(?![a-z]))[a-z]++{plain_end}"
    return re.compile(rf"[A-Z0-9](?!{skip}){_CHUNK}*")  # one leading class: re skips ahead in C


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
# text in *italics*, or "quoted"/`quoted` with a colon, and mostly capitalised, reads as a cited title.
# Each is ``[marks]body`` split into one pattern per opening mark (``patterns.finditer_any``),
# with no look-behind at the start: the character before the mark is checked in Python.
# The body cannot hold "*" or "_", so a possessive run ends where the closing mark must be.
_ITALIC = patterns.by_lead("*_", r"(?![*_])([^*_\n]{12,200}+)[*_](?![*_\w])")
_QUOTED = patterns.by_lead('"“`', r"([^\"”`\n]{3,100}:[^\"”`\n]{6,160})[\"”`]")


def _fence_line(text: str, at: int, lo: int) -> int:
    """The first line start ``q``, ``lo <= q <= at``, with only whitespace from ``q`` to
    ``at``; -1 if there is none."""
    k = at
    while k > lo and text[k - 1].isspace():
        k -= 1
    if k == 0:
        return 0
    n = text.find("\n", k - 1, at)  # k >= lo: the walk stops there
    return -1 if n < 0 else n + 1


# "```" at the text's start or after whitespace: the only places _fence_line can accept
# (a run of backticks is passed over in C, not tried position by position)
_FENCE_CANDIDATE = re.compile(r"```(?<!\S```)")


def _at(text: str, pos: int) -> int:
    m = _FENCE_CANDIDATE.search(text, pos)
    return -1 if m is None else m.start()


def fence_spans(text: str) -> list[tuple[int, int]]:
    """Code fences, from the line start of an opening "```" to the end of its closing
    one: where the regex ``(?ms)^\\s*```.*?^\\s*``` `` matches, found instead from each
    "```" outward (that regex has no literal to skip ahead to: it costs a scan of the text)."""
    spans = []
    pos = 0
    while True:
        opening = _at(text, pos)
        while opening >= 0 and (start := _fence_line(text, opening, pos)) < 0:
            opening = _at(text, opening + 1)
        if opening < 0:
            return spans
        closing = _at(text, opening + 3)
        while closing >= 0 and _fence_line(text, closing, opening + 3) < 0:
            closing = _at(text, closing + 1)
        if closing < 0:  # no fence closes it, so none after it can close either
            return spans
        pos = closing + 3
        spans.append((start, pos))


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
    skip_until = -1
    for m in _scan().finditer(text):
        chunk = _chunk(text, m)
        start, _, raw = chunk
        if start < skip_until:
            continue
        if raw.isalpha():
            # fast path for capitalised plain words: only the vocabulary can name them
            if raw[1:].islower():
                if raw.lower() in v.multi_first:
                    end = _multiword(text, chunk, m.end(), v)
                    if end is not None:
                        skip_until = end
                        yield start, text[start:end]
                        continue
                if raw in v.exact or (raw[-1] == "s" and raw[:-1] in v.exact):
                    yield start, raw
                continue
        elif raw[0].isupper() and vocab.squash_word(raw) in v.multi_first:
            end = _multiword(text, chunk, m.end(), v)
            if end is not None:
                skip_until = end
                yield start, text[start:end]
                continue
        if start > 0 and text[start - 1] == "#":
            continue  # hex colours in diagram styles (#f9f)
        name = _classify(raw)
        if name is not None:
            yield start, name


@lru_cache(maxsize=50_000)  # a pure function of the chunk, and chunks recur
def _classify(raw: str) -> str | None:
    """The name a single chunk stands for (suffixes like "-based" removed), or None."""
    v, generic = vocab.names(), vocab.generic()
    c = _strip_parts(raw)
    if not c or _ORDINAL.match(c):
        return None  # ordinals, numbered nodes
    sq = vocab.squash(c)
    if sq in generic or (sq.endswith("s") and sq[:-1] in generic):
        return None
    plain_word = c.isalpha() and c.islower()  # "shape" is a word, not Shap-E
    in_vocab = c in v.exact or (not plain_word and (sq in v.any_case or (sq.endswith("s") and sq[:-1] in v.any_case)))
    return c if in_vocab or _shape_is_name(c) else None


def _multiword(text: str, first: tuple[int, int, str], pos: int, v: vocab.NameVocab) -> int | None:
    """End offset of the longest multi-word vocabulary name starting with chunk ``first``
    (whose match ended at ``pos``), if any: the next chunks are read from the text."""
    best = None
    acc, end = vocab.squash_word(first[2]), first[1]
    for k, m in enumerate(_CAND.finditer(text, pos)):
        if k >= v.max_words - 1:
            break
        n_start, n_end, n_text = _chunk(text, m)
        if text[end:n_start].strip():
            break
        acc += vocab.squash_word(n_text)
        end = n_end
        if acc in v.any_case:
            best = end
    return best


def titles_in(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, title)`` for italic or quoted text that reads as a title."""
    # diagrams in code fences label boxes, they do not cite papers
    if "```" in text:
        for a, b in fence_spans(text):
            text = text[:a] + " " * (b - a) + text[b:]
    found = []
    if "*" in text or "_" in text:
        found += [
            (m.start(), m.group(1))
            for m in patterns.finditer_any(_ITALIC, text)
            if not m.start() or not (text[m.start() - 1] in "*_" or text[m.start() - 1].isalnum())
        ]
    if ":" in text and any(q in text for q in '"“`'):
        found += [(m.start(), m.group(1)) for m in patterns.finditer_any(_QUOTED, text)]
    found.sort()
    for start, raw in found:
        t = raw.strip()
        words = t.split()
        caps = sum(w[:1].isupper() for w in words)
        if len(words) >= 4 and caps >= 3 and caps / len(words) >= 0.5:
            yield start, t
