"""Find figures (numbers with a unit or a metric) and every number's value.

A figure in an answer is grounded when each of its values occurs in the input,
compared as numbers: ``99%`` is grounded by "over 99%", ``1M images`` by
"one million high-quality images", ``five hundred thousand images`` by "500,000".
Figures are numbers with a unit of any dimension (``12 ms``, ``2 minutes``, ``60 fps``,
``300 dpi``, ``three decibels``, ``1080p``, ``4K``), a metric before or after the value
(``PSNR of 31.2``, ``28.7 AP``) or in the header of its table column, a scale (``x4``,
``ten times smaller``, ``a tenfold speed-up``, ``twice as fast``, ``a quarter of``), a
count of a technical thing or a data item (``50 denoising steps``, ``four V100s``,
``1.28 million ImageNet images``: ``data/units.txt``), a unit as a hyphenated adjective
(``a 400-layer network``, ``16-bit``), a scale word (``half a million``), a price
(``$0.40``), a one-letter symbol's value (``K=8``), a value/SSIM pair (``32.68/0.959``),
a split of a hundred (``60/40``), or a setting's word before a bare value (``CFG 6.5``,
``seed: 42``, ``σ = 25``: ``data/settings.txt``). A range's low end shares the unit written after its
high end (``2–3 dB``: both values are checked). A size
(``256x256``, ``512×512px``) is one figure, grounded only by the same size in the input.
Not figures: the scale ``1x`` (the original size), a product (``2 × 4 = 8``), an index
(``Step 2 samples``), values in a JSON or object example (``"score": 0.92``,
``{start: 2.3s}``), in a quoted example output (``Example: "…4 pairs…"``), in output led
as a sample or illustrative, a drawing's style (``stroke-width:2px``), and ``x4`` inside a name
(``esrgan-x4``).

Where a number sits (a table column, a sample, an object, a style) is read by
``surroundings``; the units, metrics and counted nouns are those of ``units``.

Invariant: pure functions of their text; ``figures_in`` yields figures in text order,
each with at least one value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from . import patterns
from .spelled import A_SCALE, multipliers_in, parse_run
from .surroundings import CSS_KEY, INDEX_BEFORE, JSON_KEY, Spans, example_spans, in_object, table_cells
from .units import METRICS, METRICS_AS_WRITTEN, MULT, NUM, PLAIN_CHANNELS, POINTS, SPELLED_UNITS, UNITS, count_pattern, setting_pattern, setting_words, spelled_figure_patterns

_NUM, _METRICS = NUM, METRICS  # the names the patterns below (and the scanner tests) use

# Figures are found from the numbers outward: one cheap pass finds the numbers, then
# short anchored matches look at what follows (a unit, "x 256") or precedes (a metric).
_HAS_DIGIT = patterns.compile(r"\d")
# A number starts at a digit not inside a word (VGG16) or another number (1.5), unless
# after "x" (x4). The digit leads and the look-behind follows it, so re skips through
# the text in C to the next digit; the rest is ``_NUM`` with its first digit taken.
_NUMBER_TAIL = r"(?:(?<![\w.]\d)|(?<=[x×]\d))(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?"
_NUMBER = patterns.compile(r"\d" + _NUMBER_TAIL)
# the same for ASCII text, where \d is [0-9]: re tests a range faster than a Unicode category
_NUMBER_ASCII = patterns.compile(r"[0-9]" + _NUMBER_TAIL)
# a size: 256x256, 512 × 512 px, 1024x1024x3
_AFTER_RES = patterns.compile(rf"\s*[x×]\s*{_NUM}(?:\s*[x×]\s*{_NUM})?(?:px|\s*pixels?)?(?![\w.])")
_AFTER_UNIT = patterns.compile(rf"(?!{PLAIN_CHANNELS})(?:\s*{MULT})?\s*(?:{UNITS})(?![a-zA-Z])", re.IGNORECASE)
# the ASCII characters a size, a unit or a count may start with (right after the number):
# white space and each alternative's first character ("G?FLOPs": G and F), in either
# case. After any other ASCII character ("1." "2021," "(2)") the three are not tried:
# a failing case-blind alternation of every unit costs more than the rest of a number.
_UNIT_LEADS = frozenset(
    {chr(c) for c in range(128) if chr(c).isspace()}
    | {c for alt in (MULT[3:-1] + "|" + UNITS).split("|") for c in alt[0] + (alt[2] if alt[1:2] == "?" else "")}
    | {c.swapcase() for alt in (MULT[3:-1] + "|" + UNITS).split("|") for c in alt[0] + (alt[2] if alt[1:2] == "?" else "")}
)
_ANY_CASE_METRICS = "|".join(m for m in _METRICS.split("|") if m not in METRICS_AS_WRITTEN)
# no bracket between the metric and its value: "F1[Module 2" is a diagram's node
_BEFORE_METRIC = patterns.compile(
    rf"(?<![\w-])(?:(?i:{_ANY_CASE_METRICS})|{'|'.join(METRICS_AS_WRITTEN)})\b[^\d\n\[\]]{{0,24}}?$"
)
# the metric names alone, lower case, as a trie: a cheap test that ``_BEFORE_METRIC`` may match
# (a trie rejects a position in a step or two; the alternation tries every branch)
_METRIC_NAMES = sorted(_METRICS.lower().replace("speed-?up", "speed-up|speedup").split("|"))
# and the settings' words (``data/settings.txt``: "cfg 6.5", "gamma 1.8"), ending a word (not
# the "eta" of "details"; a look-behind for the word's start would cost more per window
# than the searches it saves: ``setting_pattern`` checks the start)
_SETTING_PATHS = [[*(re.escape(c) for c in w), "(?![a-z])"] for w in sorted({w for part in setting_words() for w in part})]
_METRIC_WORD = patterns.compile(patterns.trie_regex([[re.escape(c) for c in w] for w in _METRIC_NAMES] + _SETTING_PATHS))
# x4 as a scale, not inside a name (esrgan-x4) or a word
_BEFORE_SCALE = patterns.compile(r"(?<![\w.\-])[x×]\s?$")
# a coordinate list's next placeholder after "x2": ", y2"
_COORD_AFTER = patterns.compile(r"[ \t]*,[ \t]*[a-wyz]\d")
_AFTER_PCT = patterns.compile(r"\s*(?:%|dB)")
# a tensor shape or coordinate list, matched at an opening bracket (``_shapes``)
_SHAPE = patterns.compile(rf"[\[(]\s*(?:[A-Za-z]|{_NUM})(?:\s*,\s*(?:[A-Za-z]|{_NUM})){{2,}}\s*[\])]")
_CURRENCY = frozenset("$€£¥₩")
# a value's power of ten: 2e-4, 1E5
_EXPONENT = patterns.compile(r"[eE][-+]?\d{1,3}(?!\w|\.\d)")
# a benchmark or metric named after a score: "on Set5", "on the RealBlur-R benchmark", "on LPIPS"
_ON_NAME = patterns.compile(r" on (?:the )?[A-Z0-9]")
# a one-letter symbol set to a value: "K=8", "T = 1000" (Greek letters are settings' words)
_LETTER_EQUALS = patterns.compile(r"(?<![\w.\-])[A-Za-z][ \t]?=[ \t]?$")
# after a number and "/": a fraction below one ("32.68/0.959", a value and its SSIM) or a whole
# number of two digits ("60/40", a split when the two make a hundred)
_PAIR = patterns.compile(r"/(?:0?\.\d+|(\d\d))(?!\w|[./]\d)")
# a range's low end before a figure's number, the unit written once: "2–3 dB", "20 to 30 steps";
# not a name's digits (v2-4x) nor a date's (2021-2023 is no unit's range)
_RANGE_BEFORE = patterns.compile(rf"(?<![\w.,/-])({_NUM})[ \t]*(?:–|—|-|to)[ \t]*$")
# what joins a range's ends right before its high end: "2–3", "2 – 3", "20 to 30"; and a range
# or choice in words: "between 20 and 50 steps", "2 or 4 GPUs"
_DASHES = frozenset("-–—")
_DASH_JOINTS = frozenset({"to ", " – ", " - ", " — "})
_JOINTS = _DASH_JOINTS | {"nd ", "or "}
_WORDED_RANGE_BEFORE = patterns.compile(
    rf"(?:(?<![\w-])(?i:between)[ \t]+({_NUM})[ \t]+and|(?<![\w.,/-])({_NUM})[ \t]+or)[ \t]+$"
)
# a range's high end after a setting's value: "weight 0.6–0.8"
_RANGE_AFTER = patterns.compile(rf"[ \t]*(?:–|—|-|to)[ \t]*({_NUM})(?!\w|\.\d)")
# after "H/2": the rest of a shape of symbols (" × W/2"), read with it
_AFTER_SYMBOLS = patterns.compile(r"(?:[ \t]*[x×][ \t]*[A-Z](?:/\d+)?(?![\w]))*")
# "2 × 4 = 8": a product, not a size
_PRODUCT = patterns.compile(r"[ \t]*=")
# a resolution's name: 1080p, 720p, 4K, 8K
_RESOLUTION = patterns.compile(r"(?:240|360|480|540|576|720|1080|1440|2160|4320)[pP](?![\w-])|[2458][kK](?![\w-])")
_COUNT_LEADS = frozenset(" \tkKMB-")
_SCALE_UNIT = patterns.compile(r"\s*(?:(?<![a-zA-Z])[x×]|times|-?fold)$", re.IGNORECASE)
# "0.5 m per pixel": metres, not the multiplier M
_METRES = patterns.compile(rf"{_NUM}[ \t]*m")


class Figure(NamedTuple):
    """A figure in an answer: where it starts, as written, its values, and its kind
    ("size", "scale", "percent" or "value")."""

    offset: int
    text: str
    values: tuple[float, ...]
    kind: str


_ASCII_BYTES = bytes(range(128))
# The first UTF-8 byte of every decimal digit outside ASCII (U+0660 ... U+1FBF9; checked
# against ``str.isdecimal`` by a test): a text whose UTF-8 has none of them has no such
# digit. A search for one byte is a memchr; "—", "’", "→", "×" and "é" start with others.
_DIGIT_LEADS = (b"\xd9", b"\xdb", b"\xdf", b"\xe0", b"\xe1", b"\xea", b"\xef", b"\xf0")


def number_scan(text: str) -> Iterator[re.Match[str]]:
    """Each number that does not continue a word or another number (``_NUMBER``)."""
    if not text.isascii():  # a digit of another script (its non-ASCII characters, in C) needs the \d scan
        raw = text.encode("utf-8", "surrogatepass")
        if any(lead in raw for lead in _DIGIT_LEADS):
            rest = raw.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
            if _HAS_DIGIT.search(rest):
                return _NUMBER.finditer(text)
    return _digit_matches(text)


def _digit_matches(text: str) -> Iterator[re.Match[str]]:
    """``_NUMBER_ASCII.finditer(text)``, matched only where ``str.find`` sees a digit: it
    skips ahead like memchr, where re tests a leading class at every character."""
    starts, find, end = [], text.find, 0
    for digit in "0123456789":
        at = find(digit)
        while at >= 0:
            starts.append(at)
            at = find(digit, at + 1)
    for at in sorted(starts):
        if at >= end and (m := _NUMBER_ASCII.match(text, at)) is not None:  # its look-behind sees text before ``at``
            end = m.end()
            yield m


def _shapes(text: str) -> list[tuple[int, int]]:
    """The spans of ``_SHAPE.finditer(text)``, matched only at the brackets ``str.find``
    finds (memchr), where a scan by re tries its lead at every character."""
    starts, find = [], text.find
    for lead in "([":
        at = find(lead)
        while at >= 0:
            starts.append(at)
            at = find(lead, at + 1)
    spans: list[tuple[int, int]] = []
    end, match = 0, _SHAPE.match
    for at in sorted(starts):
        if at >= end and (m := match(text, at)) is not None:
            end = m.end()
            spans.append((at, end))
    return spans


def _figures(text: str) -> Iterator[Figure]:
    covered = -1
    shapes = _shapes(text)
    skipped = example_spans(text)
    for a, b in shapes:  # tensor shapes and coordinate lists: (1, 3, 256, 256)
        if _HAS_DIGIT.search(text, a, b) and not JSON_KEY.search(text, max(0, a - 6), a):
            yield Figure(a, text[a:b], tuple(_values(text[a:b])), "value")
    counts = count_pattern()
    cells = table_cells(text)
    braces = "{" in text
    for m in number_scan(text):
        start, end = m.span()
        if start < covered or (shapes and any(a <= start < b for a, b in shapes)):
            continue
        if skipped and start in skipped:
            continue
        if text[start - 1 : start] == "/" and start >= 2 and text[start - 2].isupper() and not text[start - 3 : start - 2].isalnum():
            covered = _AFTER_SYMBOLS.match(text, end).end()
            continue  # a symbol divided: "H/2 × W/2", "C/4 channels" (a shape, no value)
        nxt = text[end : end + 1]
        after = None
        if nxt in _UNIT_LEADS or nxt > "\x7f":  # a character outside ASCII may be a space, × or a folded letter
            size = _AFTER_RES.match(text, end)
            if size:
                covered = size.end()
                if _PRODUCT.match(text, covered):
                    continue  # "2 × 4 = 8x": arithmetic, not a size (what it equals is read on)
                fig = text[start:covered]
                yield Figure(start, fig, tuple(_value(n) for n in re.findall(_NUM, fig)), "size")
                continue
            after = _AFTER_UNIT.match(text, end)
            if after is None and nxt in _COUNT_LEADS and (nxt != "-" or text[end + 1 : end + 2].isalpha()):
                # "1." "(2x)" "2021," have no count after them, "1-2" no unit
                after = counts.match(text, end)
            if after is None and nxt in "pPkK":
                res = _RESOLUTION.match(text, start)
                if res:
                    covered = res.end()
                    yield Figure(start, res.group(0), (_value(m.group(0)) * (1000 if res.group(0)[-1] in "kK" else 1),), "value")
                    continue
        if after:
            covered = after.end()
            fig = text[start:covered]
            if JSON_KEY.search(text, max(0, start - 6), start) or (braces and in_object(text, start)):
                continue
            if text[start - 1 : start] == ":" and fig.endswith("px") and CSS_KEY.search(text, max(0, start - 24), start):
                continue  # a drawing's style: "stroke-width:2px"
            kind = "percent" if fig.endswith(("%", "percent")) else "scale" if _SCALE_UNIT.search(fig) else "value"
            if fig[-1:].isalpha() and kind != "scale" and INDEX_BEFORE.search(text, max(0, start - 12), start):
                continue  # "Step 2 samples the latent": a place, not a count
            # the number, not digits in the unit (8 A100 GPUs)
            values = (_value(m.group(0)),) if fig[-1] == "m" and _METRES.fullmatch(fig) else _first_value(fig)
            if kind == "scale" and values == (1.0,):
                continue  # 1x: the original size
            joint = text[start - 3 : start]
            if joint[-1:] in _DASHES or joint in _JOINTS:  # two set lookups tell the usual case
                if joint[-1:] in _DASHES or joint in _DASH_JOINTS:
                    low_end = _RANGE_BEFORE.search(text, max(0, start - 24), start)
                    low = low_end.group(1) if low_end else None
                else:  # "between 20 and 50 steps", "2 or 4 GPUs"
                    low_end = _WORDED_RANGE_BEFORE.search(text, max(0, start - 32), start)
                    low = (low_end.group(1) or low_end.group(2)) if low_end else None
                if low_end and low is not None:  # "2–3 dB", "20 to 30 steps": the low end shares the unit
                    yield Figure(low_end.start(), text[low_end.start() : covered], (_value(low), *values), kind)
                    continue
            yield Figure(start, fig, values, kind)
            continue
        if nxt == "/":
            pair = _PAIR.match(text, end)
            if pair and ("." in m.group(0) or (pair.group(1) and _value(m.group(0)) + _value(pair.group(1)) == 100)):
                # "32.68/0.959": a PSNR/SSIM pair; "60/40": a split of a hundred
                covered = pair.end()
                yield Figure(start, text[start:covered], (_value(m.group(0)), _value(pair.group(0)[1:])), "value")
                continue
        if cells and start in cells:  # a bare value under a table header naming a metric or unit
            yield Figure(start, m.group(0), (_value(m.group(0)),), "value")
            continue
        lo = max(0, start - 40)
        near = text[max(0, start - 3) : start]  # a scale's x, its \s? and a line break ($) at most
        if "=" in near and m.group(0) not in ("0", "1"):
            letter = _LETTER_EQUALS.search(text, max(0, start - 5), start)
            if letter:  # "K=8 anchors", "T = 1000": a symbol's value (0 and 1 start a count or a flag)
                yield Figure(letter.start(), text[letter.start() : end], (_value(m.group(0)),), "value")
                continue
        if near and near[-1] in _CURRENCY:  # a price: "$0.40 per mask", "€12"
            yield Figure(start - 1, text[start - 1 : end], (_value(m.group(0)),), "value")
            continue
        if "x" in near or "×" in near:
            before = text[lo:start]
            scale = _BEFORE_SCALE.search(before)
            if scale and scale.group() == "x" and _COORD_AFTER.match(text, end):
                continue  # a coordinate's placeholder in a list: "[x1, y1, x2, y2]", "(x2,y2,w2,h2)"
            if scale:
                first = start - (len(before) - scale.start())
                if _value(m.group(0)) != 1.0:
                    yield Figure(first, text[first:end], (_value(m.group(0)),), "scale")
                continue
        # no line break after a metric but one its ``$`` passes: the number's line is read
        b_end = start - 1 if text[start - 1 : start] == "\n" else start
        window = text[max(lo, text.rfind("\n", lo, b_end) + 1) : b_end]
        low = window.lower() if window.isascii() else patterns.lower_for_search(window)  # isascii: no pass over it
        scored = nxt == " " and text.startswith(" on ", end) and "." in m.group(0)  # "reaches 32.1 on Set5"
        if low is not None and not _METRIC_WORD.search(low):
            # no metric or setting name near: the usual case, told without the costly search
            if scored and (fig := _scored_on(text, start, end, window)) is not None:
                yield fig
            continue
        if nxt.isalpha() and not (nxt in "eE" and _EXPONENT.match(text, end)):
            continue  # "depth map, capturing the 3D": a word, not a metric's value ("2e-4" is a value)
        before = text[lo:start]
        metric = _BEFORE_METRIC.search(before)
        if metric is None or JSON_KEY.search(before):
            setting = _setting(text, start, end, before)
            if setting is not None:
                yield setting
            elif scored and (fig := _scored_on(text, start, end, window)) is not None:
                yield fig
            continue
        if metric:
            pct = _AFTER_PCT.match(text, end)
            covered = pct.end() if pct else end
            first = start - (len(before) - metric.start())
            fig = text[first:covered]
            yield Figure(first, fig, tuple(_values(fig)), "percent" if fig.endswith("%") else "value")
    yield from _spelled_figures(text, skipped)
    for a, b, value, kind in multipliers_in(text):
        if not (skipped and a in skipped):
            yield Figure(a, text[a:b], (value,), kind)


def _scored_on(text: str, start: int, end: int, window: str) -> Figure | None:
    """A decimal value scored on a named benchmark ("reaches 32.1 on Set5", "0.91 on LPIPS"),
    or None: after a capitalised word or a place word it is a version or a place ("SD 1.5 on
    a laptop", "version 1.5 on Linux")."""
    if _ON_NAME.match(text, end) is None:
        return None
    word = window.rstrip(" \t*_(:").rsplit(None, 1)[-1:] or [""]
    if word[0][:1].isupper() or word[0][-1:].isdigit() or INDEX_BEFORE.search(text, max(0, start - 12), start):
        return None  # "SD 1.5 on", "version 1.5 on", "Step 2.1 on": a version or a place
    return Figure(start, text[start:end], (_value(text[start:end]),), "value")


def _setting(text: str, start: int, end: int, before: str) -> Figure | None:
    """The setting a bare number is the value of ("CFG 6.5", "seed: 42", "gamma 1.8"), or
    None: no setting's word right before it, a key's value in an object or JSON example, or
    a small whole number after a word that may name a place ("scale 1 output", "level 2")."""
    found = setting_pattern().search(before)
    if found is None or JSON_KEY.search(before):
        return None
    line = text[text.rfind("\n", 0, start) + 1 : text.find("\n", end) % (len(text) + 1)]
    if "{" in line or "}" in line:
        return None  # a key's value in an object example: {id: 1, confidence: 0.72}
    exponent = _EXPONENT.match(text, end)
    if exponent:  # "a learning rate of 2e-4"
        end = exponent.end()
    num = text[start:end]
    value = float(num.replace(",", ""))
    if found.group("weak") and not found.group("key") and "." not in num and value < 10:
        return None
    first = start - (len(before) - found.start())
    high = _RANGE_AFTER.match(text, end) if text[end : end + 1] in " \t-–—" else None
    if high:  # "weight 0.6–0.8": both ends are the answer's values
        return Figure(first, text[first : high.end()], (value, _value(high.group(1))), "value")
    return Figure(first, text[first:end], (value,), "value")


def sizes_in(text: str) -> Iterator[tuple[float, ...]]:
    """Every size an input gives whole: ``256x256`` -> (256.0, 256.0)."""
    if "x" not in text and "×" not in text:
        return
    for m in number_scan(text):
        size = _AFTER_RES.match(text, m.end())
        if size:
            yield tuple(_value(n) for n in re.findall(_NUM, text[m.start() : size.end()]))


_ANY = patterns.compile(rf"(?<![\d.,]){_NUM}(?:\s*(?P<mult>{MULT})(?![a-z]))?", re.IGNORECASE)
# every number of an input, multiplier and all; digit-led (``_NUM`` with its first digit taken)
_EVERY = patterns.compile(rf"\d(?:\d{{0,2}}(?:,\d{{3}})+|\d*)(?:\.\d+)?(?:\s*(?P<mult>{MULT})(?![a-z]))?", re.IGNORECASE)
_WORDS = {
    "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
}
_MULT_WORDS = ("hundred", "thousand", "million", "billion")
_WORD_MULT = rf"\b(?P<n>{'|'.join(_WORDS)})\s+(?P<mult>{'|'.join(_MULT_WORDS)})\b"
_WORD_NUM = r"\b(?P<n>" + "|".join(k for k in _WORDS if k != "a") + r")\b"
# the same on lower-cased text, led by a letter (the word boundary checked after it) so
# that re tests the first letter in C instead of every branch at every position
_WORD_NUM_LOWER = patterns.compile(
    "(?P<n>" + patterns.trie_regex([[w[0], f"(?<!\\w{w[0]})", *w[1:]] for w in _WORDS if w != "a"]) + r")\b"
)
_WORD_MULT_ANY_CASE = patterns.compile(_WORD_MULT, re.IGNORECASE)
_WORD_NUM_ANY_CASE = patterns.compile(_WORD_NUM, re.IGNORECASE)
_WORD_MULT_LOWER = patterns.compile(_WORD_MULT)
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


def _first_value(text: str) -> tuple[float, ...]:
    """``tuple(_values(text))[:1]``, reading no further than the first number."""
    m = _ANY.search(text)
    if m is None:
        return ()
    mult = m.group("mult")
    raw = m.group(0)[: m.start("mult") - m.start()] if mult else m.group(0)
    return (_value(raw.strip()) * (_SCALE[mult.lower()] if mult else 1),)


def numbers_in(text: str, *, figures_only: bool = True) -> Iterator[tuple[int, str, list[float]]]:
    """Yield ``(offset, text, values)``.

    ``figures_only``: just figures with a unit or metric (what an answer is checked for);
    otherwise every number, including those inside words (``Noise15``) and spelled out
    (``one million``), which is what grounds them.
    """
    if figures_only:
        for f in figures_in(text):
            yield f.offset, f.text, list(f.values)
        return
    for m in _EVERY.finditer(text):
        if text[m.start() - 1 : m.start()] == "(" and text[m.end() : m.end() + 1] == ")" and m.end() - m.start() <= 2:
            continue  # "(2) Annotation companies …", "Eq. (3)": a marker, no value the source gives
        if m.group(0) == "2" and text[m.start() - 1 : m.start()].isalpha() and text[m.end() : m.end() + 1].isalpha():
            continue  # "Txt2Img", "pix2pix", "wav2vec": the word "to", no value
        mult = m.group("mult")
        v = _value(m.group(0)[: m.start("mult") - m.start()].strip() if mult else m.group(0))
        if not mult and text[m.end() : m.end() + 1] in ("e", "E") and (exponent := _EXPONENT.match(text, m.end())):
            yield m.start(), m.group(0), [v, v * 10 ** int(exponent.group(0)[1:])]  # "lr 2e-4" gives 2 and 0.0002
            continue
        # the unscaled value too after a word ("20 thousand" also gives 20), not after a
        # letter: the 5 of "HAdobe5K" is no value the input gives
        yield m.start(), m.group(0), ([v * _SCALE[mult.lower()]] + ([v] if len(mult) > 1 else []) if mult else [v])
    low = patterns.lower_for_search(text)
    word_mult, word_num = (_WORD_MULT_LOWER, _WORD_NUM_LOWER) if low is not None else (_WORD_MULT_ANY_CASE, _WORD_NUM_ANY_CASE)
    if low is None or any(w in low for w in _MULT_WORDS):
        for m in word_mult.finditer(low or text):
            yield m.start(), text[m.start() : m.end()], [_WORDS[m.group("n").lower()] * _SCALE[m.group("mult").lower()]]
    for m in word_num.finditer(low or text):
        yield m.start(), text[m.start() : m.end()], [float(_WORDS[m.group("n").lower()])]


def figures_in(text: str) -> Iterator[Figure]:
    """Every figure in ``text`` (an answer, links masked), in text order."""
    for f in sorted(_figures(text)):
        if f.values:
            shown = f.text.strip()
            yield f if shown == f.text else Figure(f.offset, shown, f.values, f.kind)


# --------------------------------------------------------------------------- spelled out

_COMPARATIVE = patterns.compile(
    r"[ \t]+times[ \t]+(?:smaller|faster|larger|bigger|more|fewer|less|higher|lower|slower|longer|shorter|greater|as|the)(?![a-z])"
)
# after a spelled number: units and counts that make a figure of a small one ("three decibels")
_SPELLED_UNIT = patterns.compile(rf"(?i:[ \t]*(?:{SPELLED_UNITS}))(?![a-zA-Z])|[ \t]*{POINTS}(?![a-zA-Z])")




# "half a second", "half a megapixel", "half a gigabyte": a half of one unit
_HALF_UNIT = patterns.compile(
    r"alf[ \t]+an?[ \t]+(?:millisecond|second(?![ \t]+(?:pass|stage|step|round|run|branch|model|look|opinion|image|layer|time))|minute|hour|day|decibel|"
    r"gigabyte|megabyte|terabyte|megapixel|pixel)(?![a-zA-Z])"
)


# a sampling interval by an ordinal: "every 5th frame", "every 10th iteration"
_EVERY_NTH = patterns.compile(
    r"very[ \t]+(\d{1,5})(?:st|nd|rd|th)[ \t]+(?:frame|step|iteration|epoch|image|pixel|row|line|layer|block|sample|batch)s?(?![a-zA-Z])"
)


def _word_start(text: str, at: int, letters: str) -> bool:
    """Whether ``text[at]`` is one of ``letters`` and starts a word (not after a letter,
    digit, "_" or "-")."""
    if at < 0 or text[at] not in letters:
        return False
    before = text[at - 1 : at]
    return not (before.isalnum() or before in ("_", "-"))


def _spelled_figures(text: str, skipped: Spans) -> Iterator[Figure]:
    # (each led by the literal after its first letter, which is checked here with the
    # word's start: a look-behind would lead, and be tried at every position)
    if "alf a" in text:
        for m in _HALF_UNIT.finditer(text):
            start = m.start() - 1
            if _word_start(text, start, "Hh") and not (skipped and start in skipped):
                yield Figure(start, text[start : m.end()], (0.5,), "value")
    if "very " in text:
        for m in _EVERY_NTH.finditer(text):
            start = m.start() - 1
            if _word_start(text, start, "Ee") and not (skipped and start in skipped):
                yield Figure(start, text[start : m.end()], (_value(m.group(1)),), "value")
    counts = count_pattern()
    led, starts = spelled_figure_patterns()
    spaced, lined = " " + text, "\n" + text  # a run at the very start follows a space, and a line break
    found = list(patterns.finditer_any(led, spaced))
    found += starts[0].finditer(text)
    found += starts[1].finditer(lined)
    if "illion" in text or "thousand" in text or "hundred" in text:
        found += [m for m in patterns.finditer_any(A_SCALE, spaced) if not any(f.start() <= m.start() < f.end() for f in found)]
    # (match, characters before the run in it), one a place
    found = list({m.end() - (m.string is not text): (m, len(m.group(0)) - len(m.group(0).lstrip(" .\n\t-*#>+0123456789)"))) for m in found}.values())
    for m, lead in found:
        parsed = parse_run(m.group(0)[lead:].lower(), bool(m.group("fold")))
        if parsed is None:
            continue
        skip, value, scaled = parsed
        shift = 1 if m.string is not text else 0  # matched in " " + text
        start, end = m.start() - shift + lead + skip, m.end() - shift
        if skipped and start in skipped:
            continue
        if m.group("fold"):
            yield Figure(start, text[start:end], (value,), "scale")
            continue
        unit = _SPELLED_UNIT.match(text, end) or _COMPARATIVE.match(text, end)
        count = unit or counts.match(text, end)
        if scaled:
            after = count or _AFTER_UNIT.match(text, end)
            yield Figure(start, text[start : after.end() if after else end], (value,), "value")
        elif count and value > 1:
            fig = text[start : count.end()]
            kind = "percent" if fig.lower().endswith(("%", "percent", "per cent")) else "scale" if "times" in fig or "fold" in fig else "value"
            yield Figure(start, fig, (value,), kind)
