"""The units, metrics and counted things a figure's number may carry, for ``numbers``
(and the table columns of ``surroundings``).

Reads: nothing at import but its own pattern text; ``count_nouns`` reads ``data/units.txt``
and the patterns built from it read ``data/hardware.txt`` too (model-numbered hardware,
``V100s``). ``NUM``, ``MULT``, ``UNITS``, ``METRICS`` and ``METRICS_AS_WRITTEN`` are
pattern text for the scanners to compile; ``count_pattern`` matches a count of a
technical thing after digits ("50 denoising steps", "a 400-layer network"), and
``spelled_figure_patterns`` a number written in words that makes a figure ("four V100s");
``setting_pattern`` a setting or threshold word right before a bare number ("CFG 6.5",
"a confidence of 0.9": ``data/settings.txt``).

Invariant: pure; each pattern is the same string in every run (its compiled program
is kept by pattern), built once per process from the data files.
"""

from __future__ import annotations

import re
from functools import cache

from . import patterns, vocab
from .spelled import SPELLED_WORD, SPELLED_WORDS

NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
MULT = r"(?:k|K|M|B|thousand|million|billion)"
UNITS = (
    r"%|percent|dB|decibels?|ms|milliseconds?|μs|µs|ns|seconds?|secs?|s(?<![12]\d\d0s)(?![\w'’-])|"
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|"
    r"fps|FPS|it/s|Hz|kHz|MHz|GHz|GB|MB|KB|TB|GiB|MiB|gigabytes?|megabytes?|terabytes?|kilobytes?|G?FLOPs|TFLOPS|MACs|kbps|Mbps|bits?|bytes?|"
    r"dpi|ppi|pt|lux|nits|cd/m²|stops|EV|degrees?|°|megapixels?|MP|Mpx|metres?|meters?|cm|mm|km|m(?=[ \t]*(?:per|/))|"
    r"images?|photos?|pictures?|samples?|pairs?|parameters|params|layers|blocks|stages|keypoints|joints|channels|frames|"
    r"epochs|iterations|iters|classes|categories|annotators|workers|GPUs?|tokens|pixels|px|words|"
    r"speakers|videos|clips|datasets|experts|heads|steps|levels|"
    # a metric after its value: "28.7 AP", "32.45 PSNR", "0.91 SSIM"
    r"PSNR|SSIM|LPIPS|FID|NIQE|mIoU|IoU|BLEU|CIDEr|METEOR|PQ|mAP|AP50|AP75|AP|MSE|fMSE|PCK|OKS|Dice|top-[15]|"
    r"times|-?fold|x(?![a-z])|×"
)
METRICS = (
    r"PSNR|SSIM|MS-SSIM|LPIPS|FID|KID|NIQE|BRISQUE|accuracy|precision|recall|mAP|AP|IoU|mIoU|F1|BLEU|ROUGE|WER|CER|"
    r"AUC|top-1|top-5|MOS|error rate|speed-?up|PQ|CIDEr|METEOR|MSE|fMSE|PCK|OKS|Dice"
)
# short metric names that are words in lower case ("depth map", "dice"): matched only as written
METRICS_AS_WRITTEN = ("mAP", "AP", "PQ", "MSE", "fMSE", "PCK", "OKS", "Dice", "F1", "AUC", "MOS", "WER", "CER")

# after a number written in words, the units that make it a figure ("three decibels", "seven per cent")
SPELLED_UNITS = (
    r"percent|%|decibels?|db|milliseconds?|ms|seconds?|minutes?|hours?|days?|weeks?|months?|fps|hz|gb|mb|tb|"
    r"gigabytes?|megabytes?|terabytes?|megapixels?|pixels|px|-?fold|per[ \t]+cent|percentage[ \t]+points?"
)
# points of a score, where the words after say so ("seven points better", "three points of mAP");
# "three points to note", "at two points in the pipeline" are no figures
POINTS = (
    r"points?(?=[ \t]+(?:higher|lower|better|worse|more|fewer|less|ahead|behind|above|below|(?:of|in|on)[ \t]+"
    r"(?:accuracy|precision|recall|mAP|AP|PSNR|SSIM|IoU|mIoU|F1|BLEU|ROUGE|WER|CER|AUC|top-[15]|Dice)(?![a-zA-Z])))"
)

_STOP = r"(?:of|the|and|or|to|in|on|for|with|a|an|per|from|by|at|each|every|all|is|are|its|their|our|this|that)"


@cache
def count_nouns() -> tuple[list[str], list[str]]:
    """``data/units.txt``: (nouns counted after a number written in words too, nouns
    counted only after digits); the second part starts at its "counted only after digits" comment."""
    text = vocab.data_text("units.txt")
    at = text.find("counted only after digits")
    cut = text.rfind("\n", 0, at) + 1 if at >= 0 else len(text)  # its comment line's start
    parts = (text[:cut], text[cut:])
    return tuple([ln.strip() for ln in part.splitlines() if ln.strip() and not ln.lstrip().startswith("#")] for part in parts)  # type: ignore[return-value]


def _singular(noun: str) -> str:
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith(("sses", "xes", "ches", "shes")):
        return noun[:-2]
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


# units written as an adjective after a hyphen, singular: "a 400-layer network", "16-bit", "24-megapixel"
_HYPHEN_UNITS = (
    "bit", "byte", "pixel", "px", "megapixel", "MP", "dimension", "dimensional", "dim", "second", "minute", "hour",
    "day", "frame", "image", "class", "point", "dB",
)


# "an 8-bit PNG", "8-bit sRGB", "8-bit per channel": the depth every ordinary image file has, no figure (a "10-bit
# video" or a "16-bit TIFF" is one; so is "8-bit weights")
_EIGHT_BIT = (
    r"(?<=(?<![\d.,])8-)bit[ \t]+(?:JPEG|JPG|PNG|TIFF|BMP|WebP|WEBP|sRGB|RGB|RGBA|grayscale|greyscale|images?|colou?rs?"
    r"|channels?|output|photos?|files?|per[ \t]+(?:channel|colou?r|pixel|component))(?![A-Za-z])"
)


# "a 3-channel RGB image", "3 channels (RGB)", "a 4-channel RGBA file", "a 1-channel grayscale mask": the
# channels every ordinary image of that kind has, no figure (a "6-channel input" is one)
PLAIN_CHANNELS = (
    r"(?:(?<=(?<![\d.,])3)(?:-|[ \t]+)channels?[ \t]+\(?(?:[A-Za-z]+[ \t]+)?(?:RGB|BGR|sRGB|YCbCr|colou?r|images?|inputs?|outputs?"
    r"|photos?|composites?|frames?|pictures?)|(?<=(?<![\d.,])4)(?:-|[ \t]+)channels?[ \t]+\(?(?:RGBA|BGRA)"
    r"|(?<=(?<![\d.,])1)(?:-|[ \t]+)channels?[ \t]+\(?(?:gr[ae]yscale|masks?|alpha|luminance))(?![A-Za-z])"
)


@cache
def count_pattern() -> re.Pattern[str]:
    """A count of a technical thing after a number: right after it, or with one to three
    words between ("50 denoising steps", "20 residual channel attention blocks"), after a
    scale word too ("1.28 million ImageNet images", "118K training images"); hardware with
    a model number counts too (V100s); and a unit as an adjective after a hyphen, singular
    ("a 400-layer network", "a 2.6B-parameter backbone", "16-bit").
    Case-sensitive (a trie of the forms written: steps, GPUs, gpus), so re rejects a word
    in a step or two instead of trying every branch in either case."""
    spelled, digits = count_nouns()
    nouns = spelled + digits
    hardware = [h for h in vocab.data_lines("hardware.txt") if any(c.isdigit() for c in h) and not h.endswith(" #")]
    forms = {f for n in nouns for f in (n, n.lower(), n.capitalize())}
    forms |= {f + s for h in hardware for f in (h, h.lower()) for s in ("", "s")}
    alts = patterns.trie_regex([list(re.escape(c) for c in f) for f in sorted(forms)])
    singular = {_singular(n) for n in nouns} | set(_HYPHEN_UNITS) | {"parameter", "layer", "stage", "step", "block", "channel"}
    hyphen = patterns.trie_regex([list(re.escape(c) for c in f) for f in sorted(singular | {f.lower() for f in singular})])
    word = rf"(?!{_STOP}\b)[A-Za-z0-9][\w/-]*"
    scaled = r"(?:[ \t]*(?:thousand|million|billion)|[kKMB])"
    return patterns.compile(
        rf"(?!{PLAIN_CHANNELS}){scaled}?(?:[ \t]*(?:{alts})(?![a-zA-Z])|[ \t]+(?:{word}[ \t]+){{1,3}}(?:{alts})(?![a-zA-Z])|-(?!{_EIGHT_BIT})(?:{hyphen})(?![a-zA-Z]))"
    )


# what may stand between a setting's word and its value: "CFG 6.5", "seed: 42", "σ = 25",
# "a confidence of 0.9", "strength set to 0.45", "gamma around 1.8", "the seed fixed at 1234"
_SETTING_GAP = r"(?:[ \t]*(?:[:=~≈]|of|is|at|to|set|fixed|kept|held|locked|pinned|around|about|roughly|approximately|near|value))"


@cache
def setting_words() -> tuple[list[str], list[str]]:
    """``data/settings.txt``: (words that make a setting of any value after them, words that
    make one only after ":", "=", "of" or "to" or of a value that is not a whole number
    below 10); the second part starts at its comment "--- a setting only"."""
    text = vocab.data_text("settings.txt")
    at = text.find("--- a setting only")
    cut = text.rfind("\n", 0, at) + 1 if at >= 0 else len(text)
    parts = (text[:cut], text[cut:])
    return tuple([ln.strip().lower() for ln in part.splitlines() if ln.strip() and not ln.lstrip().startswith("#")] for part in parts)  # type: ignore[return-value]


@cache
def setting_pattern() -> re.Pattern[str]:
    """A setting's word and what joins it to the value, at the end of the text before a
    bare number: group ``any`` for a word of the first part of ``data/settings.txt``,
    ``weak`` for one of the second (the caller tells a place by its value), ``key`` when
    ":", "=", "of" or "to" joins them ("a factor of 8", "strength set to 1"). Case-blind; the word whole (not "cfg" of "mycfg")."""
    strong, weak = setting_words()

    def alts(words: list[str]) -> str:
        return patterns.trie_regex([[re.escape(c) for c in w] for w in sorted(set(words))])

    edge = r"(?<![\w-])"
    after = r"(?<=/)|(?![\w-])"  # "f/8": the word ends in a slash
    return patterns.compile(
        rf"(?i:{edge}(?:(?P<any>{alts(strong)})|(?P<weak>{alts(weak)}))(?:{after})(?P<key>[ \t]*(?:[:=]|of|to|set[ \t]+to)(?![\w]))?{_SETTING_GAP}{{0,3}}[ \t]*)$"
    )


@cache
def spelled_figure_patterns() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """``spelled._SPELLED_RUN`` that matches only runs that make a figure, told in C: ending in a
    scale word ("half a million"), in "fold", or followed by a unit, a comparison
    ("ten times smaller") or a count of a technical thing ("four V100s"): an answer's
    "one image" or "two branches" is passed over without a Python step.

    Read on the text as written (lower-casing a text with arrows or box-drawing
    characters costs more than the scan): runs in lower case after a space or a line
    break (each leading character costs a pass: "(four V100s)" is missed), and runs
    starting with a capital where a sentence or a line starts ("Five hundred thousand
    images were used", "- Four V100s")."""
    nouns = count_nouns()[0]
    hardware = [h.lower() for h in vocab.data_lines("hardware.txt") if any(c.isdigit() for c in h) and not h.endswith(" #")]
    # longest first; ties in a fixed order, so the pattern is the same string in every run
    # (its compiled program is kept between runs, by pattern); inside a look-ahead, the
    # order of equal-length words never changes a match
    words = {re.escape(n.lower()) for n in nouns} | {re.escape(h) + "s?" for h in hardware}
    counts = "|".join(sorted(words, key=lambda w: (-len(w), w)))
    comparative = r"[ \t]+times[ \t]+(?:smaller|faster|larger|bigger|more|fewer|less|higher|lower|slower|longer|shorter|greater|as|the)"
    follows = rf"(?i:[ \t]*(?:{SPELLED_UNITS})(?![a-z])|{comparative}(?![a-z])|[ \t]*{POINTS}(?![a-z])|[ \t]+(?:[a-z0-9][\w-]*[ \t]+){{0,2}}(?:{counts})(?![a-z]))"
    scaled = "|".join(f"(?<={w})" for w in ("hundred", "thousand", "million", "billion"))
    # no leading "a" ("a million" is read by ``A_SCALE``): an optional article costs a
    # step at every space
    # at most eight more words ("two hundred and fifty-three thousand"): an unbounded run is
    # re-walked from each of its words when no figure ends it ("one one one …", "half a half a …")
    more = rf"(?:(?:[ \t]+|-)(?:and[ \t]+|an?[ \t]+)?(?:{SPELLED_WORD})){{0,8}}"
    tail = rf"(?:(?P<fold>fold)(?![a-z])|(?![a-z])(?:{scaled}|(?={follows})))"
    capital = patterns.trie_regex([[w[0].upper(), *w[1:]] for w in SPELLED_WORDS])
    # possessive: a run of marks ("\n-----", a rule) is taken once, never re-split
    # (at most four: ". 1. 1. 1. …" on one line would be taken again from each ". ")
    opening = r"(?:[-*#>+]++[ \t]*+|\d++[.)][ \t]*+){0,4}+"  # list marks, headings, emphasis before it
    starts = (
        patterns.compile(rf"\. {opening}(?:{capital}){more}{tail}"),  # the lead is two characters: ". "
        # a look-ahead for a capitalised number word after the line's marks (any of the
        # characters the marks' groups may take, possessive: they end where the word
        # starts) passes over most lines without trying the marks' groups; it takes no
        # line break, so each character is read by one line's look-ahead (the line's
        # spaces are taken whole: the marks never start with one)
        patterns.compile(rf"\n[ \t]*+(?=[-*#>+\d.) \t]*+(?:{capital})(?:fold)?(?![a-z])){opening}(?:{capital}){more}{tail}"),
    )
    return patterns.by_lead(" \n", rf"(?:{SPELLED_WORD}){more}{tail}"), starts
