"""Check time on degenerate text, as a ratio to ordinary text of the same size.

Every scan in ``check`` must be linear in the text: an answer made of one character
repeated, of nested brackets, of a URL followed by 80 KB of ``)``, or of one word
without spaces must not cost much more than an ordinary answer of the same size.
Ordinary text is the grounded answer to seed prompt 003 repeated to the size; each
shape is checked against seed 003 too. Times are CPU seconds of this process (best
of ``--runs``), with the memo tables emptied before each check (the case index kept),
so that a shape cannot look fast by repeating one memoised chunk.

Run: python3 bench/degenerate.py [--size 81920] [--runs 3] [--only SUBSTRING]
Target (the hostile-input issue): each of the issue's shapes at most 3x ordinary text;
every shape, extra ones included, at most 2.6x its own time when the text doubles (linear).
The extra shapes are reported without a target: in the dense ones every few characters
are a figure, a link or a line to judge, and the cost is per item (still linear).
"""

from __future__ import annotations

import argparse
import string
import time

from _common import ROOT, machine

from cnaps_llm.grounding import check, clear_caches
from cnaps_llm.inputs import load_case, read_text

TARGET = 3.0
GROWTH = 2.6  # time at twice the size, over time at the size: linear is 2
URL = "https://github.com/JingyunLiang/SwinIR"


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def shapes(size: int) -> dict[str, str]:
    """The shapes the issue names: a URL then 80 KB of `)`, runs of each punctuation
    character (alone and after a URL), nested brackets, long dotted and hyphenated
    words, a word repeated, no spaces at all."""
    half = size // 2
    out = {
        "URL then `)` x N": URL + ")" * (size - len(URL)),
        "markdown link, target then `)` x N": f"[x]({URL}" + ")" * (size - len(URL) - 4),
        "nested ( )": "(" * half + ")" * half,
        "nested [ ]": "[" * half + "]" * half,
        "nested { }": "{" * half + "}" * half,
        "nested < >": "<" * half + ">" * half,
        "long dotted word": _fill("a.", size),
        "long dotted word, TLD-like": _fill("ab.", size - 1) + "/",
        "dotted number": _fill("1.", size),
        "long hyphenated word": _fill("a-", size),
        "long hyphenated name": _fill("Swin-", size),
        "word repeated: SwinIR": _fill("SwinIR ", size),
        "word repeated: denoising": _fill("denoising ", size),
        "word repeated: the": _fill("the ", size),
        "word repeated: Model": _fill("Model ", size),
        "no spaces: letters": _fill("abcdefghijklmnopqrstuvwxyz", size),
        "no spaces: camelCase": _fill("AbCd", size),
        "no spaces: capitals": _fill("ABCDEFGHIJ", size),
        "no spaces: digits": _fill("1234567890", size),
        "no spaces: letters and digits": _fill("a1", size),
        "newlines only": "\n" * size,
    }
    for c in string.punctuation + "…—【】→×“”‘’«»":
        out[f"run of {c!r}"] = c * size
        out[f"URL then run of {c!r}"] = URL + c * (size - len(URL))
    return out


def extra_shapes(size: int) -> dict[str, str]:
    """Shapes of our own: link syntax repeated, and texts dense in claims or lines, where
    the cost is per figure, per link or per line (each a violation or a heading to judge)."""
    return {
        "`[x](` repeated": _fill("[x](", size),
        "`](` repeated": _fill("](", size),
        "`<a href=` repeated": _fill("<a href=", size),
        "`<a ` unclosed": "<a " + "x" * (size - 3),
        "`http:` repeated": _fill("http:", size),
        "`https:/` repeated": _fill("https:/", size),
        "`://` repeated": _fill("://", size),
        "`//a.` repeated": _fill("//a.", size),
        "`www.` repeated": _fill("www.", size),
        "`10.1000/` repeated": _fill("10.1000/", size),
        "`arXiv:` repeated": _fill("arXiv:", size),
        "`data:` repeated": _fill("data:x", size),
        "one line of words": _fill("lorem ipsum dolor ", size),
        "emphasis markers": _fill("*a* ", size),
        "quotes": _fill('"a" ', size),
        "dense: `[a]: x` lines (a url violation each)": _fill("[a]: x\n", size),
        "dense: figure 99% repeated (a figure each)": _fill("99% ", size),
        "dense: figure x4 repeated (a figure each)": _fill("x4 ", size),
        "dense: code fence lines": _fill("```\n", size),
        "dense: heading lines": _fill("## 1. Task\n", size),
        # a provided name inside one long run of letters: every short-name window and every
        # reading of the run as a short form of a provided name must stay local
        "no spaces: `SwinIR` + 700 letters repeated": _fill("SwinIR" + "x" * 700, size),
        "no spaces: `Swin-IR-` repeated": _fill("Swin-IR-", size),
        # a label whose value is a long run of placeholder characters, or far from its colon;
        # a table whose header is all "Strengths" columns (each a claim column to walk)
        "one line: `:` then `_` x N": ":" + "_" * (size - 2) + "a",
        "one line: spaces then `: tbd`": " " * (size - 5) + ": tbd",
        "table: `| Strengths ` columns": _table(size),
        # a phrase repeated on one line, each a cue whose sentence (the whole wall) a rule
        # reads, or a run a pattern re-walked from each of its words: found in round 2's
        # eighth hunt, quadratic before it (40 KB of "one " took 462 s)
        "phrase wall: `one `": _fill("one ", size),
        "phrase wall: `half a `": _fill("half a ", size),
        "phrase wall: `trained on `": _fill("trained on ", size),
        "phrase wall: `CVPR `": _fill("CVPR ", size),
        "phrase wall: `SwinIR CVPR `": _fill("SwinIR CVPR ", size),
        "phrase wall: `(2021) `": _fill("(2021) ", size),
        "phrase wall: `1. `": _fill("1. ", size),
        "phrase wall: `super-resolution `": _fill("super-resolution ", size),
        "table: a header and its rule repeated": _fill("| Model | Strengths |\n|---|---|\n", size),
        "dense: `4K ` repeated (a claim cue each)": _fill("4K ", size),
    }


def _table(size: int) -> str:
    cols = 400
    head = "| Strengths " * cols + "|\n" + "|---" * cols + "|\n"
    row = "| x " * cols + "|\n"
    return (head + row * (size // len(row) + 1))[:size]


def cpu_time(text: str, case: object, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        clear_caches(indexes=False)
        t = time.process_time()
        check(text, case)  # type: ignore[arg-type]
        best = min(best, time.process_time() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=80 * 1024, help="characters per text (default 80 KB)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="", help="only shapes whose name contains this")
    args = ap.parse_args()
    case = load_case(next((ROOT / "fixtures" / "prompts").glob("003_*.txt")))
    ordinary = _fill(read_text(ROOT / "fixtures" / "answers" / "003_grounded.md"), args.size)
    check(ordinary, case)  # builds the case index and loads the vocabularies
    base = cpu_time(ordinary, case, args.runs * 2)
    print(f"machine: {machine()}")
    print(f"ordinary text, {args.size} characters: {base * 1e3:.1f} ms per check (CPU, best of {args.runs * 2})")
    over: list[str] = []
    for title, group, target in (("the issue's shapes", shapes, TARGET), ("extra shapes", extra_shapes, None)):
        print(f"\n{title}" + (f" (target <= {target:g}x)" if target else " (no target: the dense ones cost per claim or line)"))
        print("| shape | ms | ratio | at twice the size |\n|---|---|---|---|")
        worst = ("", 0.0)
        doubled = group(args.size * 2)
        for name, text in group(args.size).items():
            if args.only not in name:
                continue
            t = cpu_time(text, case, args.runs)
            ratio = t / base
            # linear: about 2x the time at twice the size; a splice or a list search per item
            # (quadratic) shows as about 4x
            growth = cpu_time(doubled[name], case, args.runs) / t
            worst = max(worst, (name, ratio), key=lambda x: x[1])
            miss = (target is not None and ratio > target) or growth > GROWTH
            over += [name] if miss else []
            print(f"| {name} | {t * 1e3:.1f} | {ratio:.2f}x | {growth:.2f}x{' **over**' if miss else ''} |")
        print(f"worst: {worst[0]} at {worst[1]:.2f}x ordinary text")
    print(f"\nover the {TARGET:g}x target, or growing by more than {GROWTH:g}x at twice the size: {len(over)}"
          + (f" ({', '.join(over)})" if over else ""))

if __name__ == "__main__":
    main()
