"""Find figures (numbers with a unit or a metric) and every number's value.

A figure in an answer is grounded when each of its values occurs in the input,
compared as numbers: ``99%`` is grounded by "over 99%", ``1M images`` by
"one million high-quality images".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import patterns

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MULT = r"(?:k|K|M|B|thousand|million|billion)"
_UNITS = (
    r"%|percent|dB|ms|milliseconds?|seconds?|sec|s(?=\s*(?:per|/))|fps|FPS|GB|MB|KB|TB|G?FLOPs|MACs|"
    r"images?|photos?|pictures?|samples?|pairs?|parameters|params|layers|blocks|stages|keypoints|joints|channels|frames|"
    r"epochs|iterations|iters|classes|categories|annotators|workers|hours|days|GPUs?|tokens|pixels|px|words|"
    r"speakers|videos|clips|datasets|experts|heads|steps|levels|times|x(?![a-z])|×"
)
_METRICS = (
    r"PSNR|SSIM|MS-SSIM|LPIPS|FID|KID|NIQE|BRISQUE|accuracy|precision|recall|mAP|AP|IoU|mIoU|F1|BLEU|ROUGE|WER|CER|"
    r"AUC|top-1|top-5|MOS|error rate|speed-?up|score"
)
# Figures are found from the numbers outward: one cheap pass finds the numbers, then
# short anchored matches look at what follows (a unit, "x 256") or precedes (a metric).
_HAS_DIGIT = re.compile(r"\d")
# A number starts at a digit not inside a word (VGG16) or another number (1.5), unless
# after "x" (x4). The digit leads and the look-behind follows it, so re skips through
# the text in C to the next digit; the rest is ``_NUM`` with its first digit taken.
_NUMBER_TAIL = r"(?:(?<![\w.]\d)|(?<=[x×]\d))(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?"
_NUMBER = re.compile(r"\d" + _NUMBER_TAIL)
# the same for ASCII text, where \d is [0-9]: re tests a range faster than a Unicode category
_NUMBER_ASCII = re.compile(r"[0-9]" + _NUMBER_TAIL)
_AFTER_RES = re.compile(rf"\s*[x×]\s*{_NUM}(?:\s*[x×]\s*{_NUM})?(?![\w.])")
_AFTER_UNIT = re.compile(rf"(?:\s*{_MULT})?\s*(?:{_UNITS})(?![a-zA-Z])", re.IGNORECASE)
_BEFORE_METRIC = re.compile(rf"(?<![\w-])(?:{_METRICS})\b[^\d\n]{{0,24}}?$", re.IGNORECASE)
# the metric names alone, lower case, literal-led: a cheap test that ``_BEFORE_METRIC`` may match
_METRIC_WORD = re.compile(_METRICS.lower())
_BEFORE_SCALE = re.compile(r"(?<![\w.])[x×]\s?$")
_AFTER_PCT = re.compile(r"\s*(?:%|dB)")
# one pattern per opening bracket (see ``patterns.finditer_any``)
_SHAPE = patterns.by_lead("[(", rf"\s*(?:[A-Za-z]|{_NUM})(?:\s*,\s*(?:[A-Za-z]|{_NUM})){{2,}}\s*[\])]")


def number_scan(text: str) -> Iterator[re.Match[str]]:
    """Each number that does not continue a word or another number (``_NUMBER``)."""
    return (_NUMBER_ASCII if text.isascii() else _NUMBER).finditer(text)


def _figures(text: str) -> Iterator[tuple[int, str]]:
    covered = -1
    shapes = [(m.start(), m.end()) for m in patterns.finditer_any(_SHAPE, text)] if ("[" in text or "(" in text) else []
    for a, b in shapes:  # tensor shapes and coordinate lists: (1, 3, 256, 256)
        if _HAS_DIGIT.search(text, a, b):
            yield a, text[a:b]
    for m in number_scan(text):
        start, end = m.span()
        if start < covered or (shapes and any(a <= start < b for a, b in shapes)):
            continue
        after = _AFTER_RES.match(text, end) or _AFTER_UNIT.match(text, end)
        if after:
            covered = after.end()
            yield start, text[start:covered]
            continue
        before = text[max(0, start - 40) : start]
        scale = _BEFORE_SCALE.search(before)
        if scale:
            yield start - (len(before) - scale.start()), text[start - (len(before) - scale.start()) : end]
            continue
        low = patterns.lower_for_search(before)
        if low is not None and not _METRIC_WORD.search(low):
            continue  # no metric name near: the usual case, told without the costly search
        metric = _BEFORE_METRIC.search(before)
        if metric:
            pct = _AFTER_PCT.match(text, end)
            covered = pct.end() if pct else end
            first = start - (len(before) - metric.start())
            yield first, text[first:covered]

_ANY = re.compile(rf"(?<![\d.,]){_NUM}(?:\s*(?P<mult>{_MULT})(?![a-z]))?", re.IGNORECASE)
# every number of an input, multiplier and all; digit-led (``_NUM`` with its first digit taken)
_EVERY = re.compile(rf"\d(?:\d{{0,2}}(?:,\d{{3}})+|\d*)(?:\.\d+)?(?:\s*(?P<mult>{_MULT})(?![a-z]))?", re.IGNORECASE)
_WORDS = {
    "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
}
_MULT_WORDS = ("hundred", "thousand", "million", "billion")
_WORD_MULT = rf"\b(?P<n>{'|'.join(_WORDS)})\s+(?P<mult>{'|'.join(_MULT_WORDS)})\b"
_WORD_NUM = r"\b(?P<n>" + "|".join(k for k in _WORDS if k != "a") + r")\b"
# the same on lower-cased text, led by a letter (the word boundary checked after it) so
# that re tests the first letter in C instead of every branch at every position
_WORD_NUM_LOWER = re.compile(
    "(?P<n>" + patterns.trie_regex([[w[0], f"(?<!\\w{w[0]})", *w[1:]] for w in _WORDS if w != "a"]) + r")\b"
)
_WORD_MULT_ANY_CASE = re.compile(_WORD_MULT, re.IGNORECASE)
_WORD_NUM_ANY_CASE = re.compile(_WORD_NUM, re.IGNORECASE)
_WORD_MULT_LOWER = re.compile(_WORD_MULT)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "hundred": 1e2}


def _value(num: str) -> float:
    return float(num.replace(",", ""))


def _values(text: str) -> list[float]:
    """Every number in ``text``, scaled by a multiplier (``1.5M`` -> 1.5e6)."""
    out = []
    for m in _ANY.finditer(text):
        mult = m.group("mult")
        raw = m.group(0)[: m.start("mult") - m.start()] if mult else m.group(0)
        out.append(_value(raw.strip()) * (_SCALE[mult.lower()] if mult else 1))
    return out


def numbers_in(text: str, *, figures_only: bool = True) -> Iterator[tuple[int, str, list[float]]]:
    """Yield ``(offset, text, values)``.

    ``figures_only``: just figures with a unit or metric (what an answer is checked for);
    otherwise every number, including those inside words (``Noise15``) and spelled out
    (``one million``), which is what grounds them.
    """
    if figures_only:
        for offset, fig in sorted(_figures(text)):
            values = _values(fig)
            if values:
                yield offset, fig.strip(), values
        return
    for m in _EVERY.finditer(text):  # the unscaled value too: "7B" in a source grounds "7B" however read
        v = _value(m.group(0)[: m.start("mult") - m.start()].strip() if m.group("mult") else m.group(0))
        yield m.start(), m.group(0), ([v * _SCALE[m.group("mult").lower()], v] if m.group("mult") else [v])
    low = patterns.lower_for_search(text)
    word_mult, word_num = (_WORD_MULT_LOWER, _WORD_NUM_LOWER) if low is not None else (_WORD_MULT_ANY_CASE, _WORD_NUM_ANY_CASE)
    if low is None or any(w in low for w in _MULT_WORDS):
        for m in word_mult.finditer(low or text):
            yield m.start(), text[m.start() : m.end()], [_WORDS[m.group("n").lower()] * _SCALE[m.group("mult").lower()]]
    for m in word_num.finditer(low or text):
        yield m.start(), text[m.start() : m.end()], [float(_WORDS[m.group("n").lower()])]
