"""The validator's fast paths against plain reference implementations.

Each scanner was made fast by a shortcut — a trie-shaped regex, a pre-check, a regex
that passes over words in C, a lookup instead of a precomputed set. Each test here
states what the shortcut must equal, written the slow and obvious way, and lets
hypothesis look for a text where they differ.
"""

from __future__ import annotations

import re

import pytest

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cnaps_llm.grounding import check, chunks, clear_caches, cues, grounding_for, index, links, names, numbers, patterns, structure, tasks, titles, vocab
from cnaps_llm.inputs import load_case

from .conftest import FIXTURES, SEEDS

FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TERMS = [t.replace("*", "") for _, t in tasks.all_terms()]
_NAMES = vocab.data_lines("models.txt")
_WORDS = ["The", "Input", "model", "image", "re", "x", "×", "of", "PSNR", "SSIM", "accuracy", "top-1", "F1", "dB", "%", "M", "k",
          "images", "Self", "iPhone", "wav2vec", "VGG16", "2.5x", "1,000", "12.5", "0.9", "one", "Two", "thousand", "Million",
          "someone", "İ", "ı", "ſ", "K", "DeHaze", "XMLHttp", "tasks", "Goal", "work", "network", "Papers", "→"]
_SEPS = [" ", " ", "  ", "\n", "-", "_", ".", ", ", ". ", ": ", "(", ")", "+", "/", "\t", "*", "#"]


def _texts(vocabulary: list[str]) -> st.SearchStrategy[str]:
    word = st.sampled_from(vocabulary).flatmap(
        lambda w: st.sampled_from([w, w.lower(), w.upper(), w.capitalize(), w + "s", w + "ing", w[1:]])
    )
    return st.lists(st.tuples(word, st.sampled_from(_SEPS)), max_size=40).map(lambda parts: "".join(a + b for a, b in parts))


MIXED = _texts(_TERMS + _NAMES + _WORDS)


# --------------------------------------------------------------------------- tasks


def _tasks_reference(text: str) -> list[tuple[set[int], int, int]]:
    """At each word start, every term tried with ``match_term``; the longest wins, then skip past it."""
    low = text.lower()
    alnum = set("abcdefghijklmnopqrstuvwxyz0123456789")
    out, i = [], 0
    while i < len(low):
        if low[i] in alnum and (i == 0 or low[i - 1] not in alnum):
            ends: dict[int, set[int]] = {}
            for n, term in tasks.all_terms():  # the vocabulary's terms and the cue file's phrases
                end = tasks.match_term(low, i, term)
                if end is not None:
                    ends.setdefault(end, set()).add(n)
            if ends:
                end = max(ends)
                bare = any(tasks.match_term(low, i, t) == end for t in tasks._bare_heads()[0])
                modified = bare and tasks._modified_away(" " + low, i + 1) is not None  # "fall detection"
                if ends[end] != {tasks.NOT_A_TASK} and not modified:  # read past, never reported
                    out.append((ends[end], i, end))
                i = end
                continue
        i += 1
    return out


@FAST
@given(MIXED, st.booleans())
def test_task_scan_equals_trying_every_term_at_every_word(text: str, whole_terms: bool) -> None:
    """Either scan (first words, for a quick start; whole terms, after a warm-up) finds what
    trying every term at every word finds."""
    if "\u0130" in text:  # İ lowers to two characters: offsets are checked separately below
        return
    tasks._task_at.cache_clear()
    before = tasks._scans
    tasks._scans = tasks.WHOLE_TERMS_AFTER if whole_terms else 0
    try:
        found = list(tasks.tasks_in(text))
        assert (tasks._scans == tasks.WHOLE_TERMS_AFTER) == whole_terms  # the scan asked for ran
    finally:
        tasks._scans = before
    ref = _tasks_reference(text)
    assert [(o, o + len(t)) for _, o, t in found] == [(o, e) for _, o, e in ref]
    assert all(task in ids for (task, _, _), (ids, _, _) in zip(found, ref, strict=True))


_NUMBER_RE = r"(?:[0-9]+(?:[.,][0-9]+)?|one|two|three|four|five|six|seven|eight|nine|ten|twice|double|triple|half)(?![0-9a-z])"


def _cue_reference(cue: str) -> re.Pattern[str]:
    """A cue phrase as the plain regex it stands for."""
    out = []
    for word in cue.lower().split():
        if word == "…":
            out.append(r"(?:[^\s]+[ \t]+){0,4}?")
            continue
        if word == "#":
            piece = _NUMBER_RE
        elif word == "#x":
            piece = r"(?:[0-9]+(?:\.[0-9]+)?[ \t]*[x×]|[x×][ \t]*[0-9]+)(?![0-9a-z])"
        else:
            parts = [re.escape(p) for p in re.split(r"[-_]", word.rstrip("*")) if p]
            piece = "[ \t_-]*".join(parts) + ("[0-9a-z]*" if word.endswith("*") else "(?![0-9a-z])")
        out.append(piece + r"[ \t]+")
    return re.compile("".join(out).removesuffix(r"[ \t]+"))


_CUES = sorted({c for t in tasks.cue_data().values() for phrases in t.values() for c in phrases})
_CUE_WORDS = sorted({w.rstrip("*") for c in _CUES for w in c.split() if w not in ("…", "#", "#x")}) + ["2", "3.5", "x", "4x", "x 4", "two", "the", "a"]
_CUE_TEXT = _texts(_CUE_WORDS)


@FAST
@given(_CUE_TEXT)
def test_cue_matching_equals_the_phrase_regex(text: str) -> None:
    low = text.lower()
    starts = [m.start() for m in re.finditer("[0-9a-z]+", low)]
    for cue in _CUES:
        tokens, ref = cues.parse_cue(cue), _cue_reference(cue)
        for at in starts:
            assert cues.match_cue(low, at, tokens) == bool(ref.match(low, at)), (cue, at)


@FAST
@given(_CUE_TEXT)
def test_supported_in_equals_trying_every_phrase_at_every_word(text: str) -> None:
    low = text.lower()
    index = tasks.task_index()
    expected = {
        index[name]
        for name, phrases in tasks.cue_data().items()
        for cue in (*phrases.get("asked", ()), *phrases.get("said", ()))
        # a phrase a negated auxiliary governs ("don't … 3d") supports nothing: that rule is
        # the scanner's own (cues._negated), the look-up by first word is what is compared
        if any(_cue_reference(cue).match(low, m.start()) and not cues._negated(low, m.start()) for m in re.finditer("[0-9a-z]+", low))
    }
    assert cues.supported_in(text) == expected


def test_task_offsets_survive_a_letter_that_lowers_to_two() -> None:
    text = "İİ then denoising and İstanbul deblurring"
    assert [text[o : o + len(t)] for _, o, t in tasks.tasks_in(text)] == ["denoising", "deblurring"]


# --------------------------------------------------------------------------- names


@FAST
@given(MIXED)
def test_name_scan_skips_only_chunks_read_as_nothing(text: str) -> None:
    # what the scan passes over: capitalised plain words the vocabulary lacks, and chunks
    # read_alone reads as nothing (single capitals, words in capitals, numbers), each
    # read whole where its match starts (no chunk begun before it)
    v = vocab.names()
    every = [(m.start(), chunks.chunk_at(text, m)) for m in chunks.CAND.finditer(text)]
    kept = [chunks.chunk_at(text, m) for m in chunks.scan().finditer(text)]
    assert set(kept) <= {c for _, c in every}
    for match_start, chunk in every:
        if chunk in kept:
            continue
        start, _, raw = chunk
        assert start == match_start, chunk
        if re.fullmatch(r"[A-Z][a-z]+", raw):
            assert raw.lower() not in v.multi_first and raw not in v.exact and not (raw.endswith("s") and raw[:-1] in v.exact), chunk
        else:
            assert chunks.read_alone(raw) is None, chunk


@pytest.mark.parametrize(
    ("text", "skipped"),
    [
        ("A 2023 1.5 4x 2px 1990s I The RGB CNAPS. 1111111", ["A", "2023", "1.5", "4x", "2px", "1990s", "I", "The", "RGB", "CNAPS", "1111111"]),
        ("wav2vec v1.5 x4 3dgs 2048x1536 2D-CNN SwinIR a.1 C.2 B+ Network High-Level SAM GANs RTX CNNs", []),
    ],
)
def test_name_scan_passes_over_numbers_capitals_and_plain_words(text: str, skipped: list[str]) -> None:
    read = {chunks.chunk_at(text, m)[2] for m in chunks.scan().finditer(text)}
    every = {chunks.chunk_at(text, m)[2] for m in chunks.CAND.finditer(text)}
    assert sorted(every - read) == sorted(skipped)


def test_multiword_names_are_read_across_the_chunks_the_scan_skips() -> None:
    assert list(names.names_in("We used Stable Diffusion XL here.")) == [(8, "Stable Diffusion XL")]
    assert list(names.names_in("The Segment Anything Model")) == [(4, "Segment Anything")]
    assert list(names.names_in("Stable. Diffusion")) == []  # a full stop ends the name
    assert [n for _, n in names.names_in("Faster R-CNN and Mask R-CNN")] == ["Faster R-CNN", "Mask R-CNN"]


# --------------------------------------------------------------------------- numbers


def _numbers_reference(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    while (d := re.compile(r"\d+").search(text, pos)) is not None:
        prev = text[d.start() - 1] if d.start() else " "
        if (prev.isalnum() or prev in "._") and prev not in "x×":  # inside a word or a number
            pos = d.end()
            continue
        m = re.compile(numbers._NUM).match(text, d.start())
        assert m is not None
        out.append(m.span())
        pos = m.end()
    return out


@FAST
@given(st.one_of(MIXED, st.text(alphabet="0123456789.,x×aZ_ -\n٣é", max_size=40)))
def test_number_scan_equals_the_digit_by_digit_rule(text: str) -> None:
    assert [m.span() for m in numbers.number_scan(text)] == _numbers_reference(text)
    assert [m.span() for m in numbers._NUMBER.finditer(text)] == _numbers_reference(text)  # the non-ASCII path


_METRIC_NAMES = numbers._METRICS.replace("-?", "-").split("|")


@FAST
@given(st.lists(st.sampled_from([*_METRIC_NAMES, "of", "is", "a", "x", "-", "(", "1", "\n"]), max_size=6).flatmap(
    lambda ws: st.sampled_from([" ".join(ws), "".join(ws), " ".join(ws).upper(), " ".join(ws).lower()])))
def test_metric_precheck_never_hides_a_metric(before: str) -> None:
    if numbers._BEFORE_METRIC.search(before):
        assert numbers._METRIC_WORD.search(before.lower())


@FAST
@given(MIXED)
def test_spelled_out_numbers_lower_cased_equal_case_insensitive(text: str) -> None:
    every = list(numbers.numbers_in(text, figures_only=False))
    words = [(o, t) for o, t, _ in every if not t[0].isdigit()]
    ref = sorted(
        [(m.start(), m.group(0)) for m in numbers._WORD_MULT_ANY_CASE.finditer(text)]
        + [(m.start(), m.group(0)) for m in numbers._WORD_NUM_ANY_CASE.finditer(text)]
    )
    assert sorted(words) == ref


# --------------------------------------------------------------------------- links


_LINKY = _texts(["https://github.com/a/B.git", "http://x.org/p", "www.site.com/a", "doi:", "10.1000/xyz", "10.5", "arXiv:",
                 "ARXIV:", "2406.18516", "2406.18516v3", "v2", "github.com/x/y", "huggingface.co/m", "model.pth/x", "İ"])


@FAST
@given(_LINKY)
def test_link_prechecks_never_hide_a_link(text: str) -> None:
    for may_match, pattern in zip(links._MAY_MATCH, (*links._PATTERNS, links._BARE, links._BARE_HOST), strict=True):
        if pattern.search(text):
            assert may_match(text), pattern.pattern


# --------------------------------------------------------------------------- structure and case folding

_HEADING_WORDS = ["## 1. Core Task", "**Sources:**", "C. Justification & References", "1) Goal", "Sources:", "- item", "```",
                  "the workflow", "Papers and tools", "How it works", "justify", "tools", "toolkit", "tasks", "tasking",
                  "references", "Input → output", "İ", "K", "x. y", "A.", "#", "**bold** text", "3. Why:"]
_HEADINGS = st.lists(st.sampled_from(_HEADING_WORDS), max_size=12).flatmap(
    lambda ws: st.lists(st.sampled_from(["\n", " ", "  ", "\n\n", ": ", "."]), min_size=len(ws), max_size=len(ws)).map(
        lambda seps: "".join(w + sep for w, sep in zip(ws, seps, strict=True))))


@FAST
@given(st.one_of(_HEADINGS, MIXED))
def test_heading_search_equals_reading_every_line(text: str) -> None:
    fast = [h for _, h in structure.heading_lines(text.split("\n"))]
    assert fast == [h for line in text.split("\n") if (h := structure._heading_text(line))]


@FAST
@given(st.one_of(_HEADINGS, MIXED))
def test_part_patterns_equal_comparing_stems(text: str) -> None:
    stems = {structure.stem(w) for w in re.findall("[a-z]+", text.lower())}
    for part in (*structure.DEFAULT_PARTS, *structure.parts_asked("1. **Justify your design** with tools.\n2. What task the user has.")):
        assert bool(structure._part_pattern(part).search(text.lower())) == bool(part.stems & stems), part


@FAST
@given(st.text(alphabet="aAbBzZxX1 -\u0130\u0131\u017f\u212aTtasks", max_size=30))
def test_case_folding_shortcut_is_refused_only_where_it_could_differ(text: str) -> None:
    low = patterns.lower_for_search(text)
    if low is not None:
        for pattern in ("tasks?", "k", "s", "[a-z]+", "i"):
            assert [m.span() for m in re.finditer(pattern, low)] == [m.span() for m in re.finditer(pattern, text, re.I)]


@FAST
@given(MIXED)
def test_squash_equals_the_regex_definition(text: str) -> None:
    assert vocab.squash(text) == re.sub(r"[^0-9a-z]+", "", text.lower())


@FAST
@given(MIXED)
def test_camel_split_equals_the_look_around_definition(text: str) -> None:
    ref = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", text)
    assert index._CAMEL.sub(r" \g<0>", text) == ref


# --------------------------------------------------------------------------- the case index


@FAST
@given(MIXED, st.lists(st.text(alphabet="abcdefghinorstuz0123", min_size=1, max_size=12), max_size=20))
def test_token_runs_equal_the_set_of_every_run(text: str, probes: list[str]) -> None:
    low = text.lower()
    toks = re.findall(r"[0-9a-z]+", low)
    runs = {"".join(toks[i : i + k]) for i in range(len(toks)) for k in range(1, index.WINDOW + 1)}
    t = index.Tokens.of(low)
    longer = ["".join(toks[i : i + index.WINDOW + 1]) for i in range(len(toks) - index.WINDOW)]
    for probe in [*probes, *runs, *longer]:
        assert t.has_run(probe) == (probe in runs), probe


# --------------------------------------------------------------------------- markup

# the class-led patterns as first written, each now split by its leading character
_AS_ONE = [
    (titles._ITALIC, r"[*_](?![*_])([^*_\n]{12,200}+)[*_](?![*_\w])"),
    (titles._QUOTED, r"[\"“`](?=[A-Z0-9])([^\"”`\n]{12,240})[\"”`]"),
]
_SHAPE = rf"[\[(]\s*(?:[A-Za-z]|{numbers._NUM})(?:\s*,\s*(?:[A-Za-z]|{numbers._NUM})){{2,}}\s*[\])]"
_MARKS = ["*", "**", "_", '"', "“", "”", "`", "(", ")", "[", "]", ":", ", ", ",", "1", "256", "3.5", "C", "\n", " ",
          "Learning Deep Image Priors", "a", "Restoring Images With Transformers", "x"]


@FAST
@given(st.lists(st.sampled_from(_MARKS), max_size=30).map("".join))
# a quote's closing mark opens a backtick match: the backtick pattern must look again after it
@example('"Deep Image: Prior Words Here` Another Title: More Words Here` `Third Title: Is Right Here`')
def test_split_patterns_match_as_their_alternation(text: str) -> None:
    for split, whole in _AS_ONE:
        got = [(m.span(), m.groups()) for m in patterns.finditer_any(split, text)]
        assert got == [(m.span(), m.groups()) for m in re.finditer(whole, text)], whole
    # shapes are matched at the brackets str.find finds: the spans of the one pattern
    assert numbers._shapes(text) == [m.span() for m in re.finditer(_SHAPE, text)]


@FAST
@given(st.lists(st.sampled_from(["```", "`", "``", " ", "\n", "\t", "\u2028", "\x0b", "a", "# b"]), max_size=30).map("".join))
def test_fence_spans_equal_the_fence_regex(text: str) -> None:
    assert patterns.fence_spans(text) == [m.span() for m in re.finditer(r"^\s*```.*?^\s*```", text, re.M | re.S)]


def test_memo_tables_change_nothing() -> None:
    case = load_case(SEEDS["000"])
    answer = (FIXTURES / "answers" / "002_naive_answer_for_000.txt").read_text(encoding="utf-8")
    clear_caches()
    cold = check(answer, case)
    assert grounding_for(case) is grounding_for(case)
    assert check(answer, case) == cold and cold  # warm tables, same violations
    clear_caches(indexes=False)
    assert check(answer, case) == cold


def _heads() -> list[str]:
    firsts = [first for first, _ in tasks.task_scan()[1]]
    return sorted({first[:k] for first in firsts for k in (1, 2, 3)} | {first[:2] + "q" for first in firsts})


@given(st.one_of(st.sampled_from(_heads()), st.text(alphabet="abcdeirsx0123 -", max_size=3)))
@settings(max_examples=300, deadline=None)
def test_the_terms_tried_at_a_word_are_those_whose_first_letters_it_starts_with(head: str) -> None:
    # _starting looks them up by key; the reference filters every group
    want = tuple((first, terms) for first, terms in tasks.task_scan()[1] if head.startswith(first[:3]))
    tasks._starting.cache_clear()
    assert tasks._starting(head)[1] == want


@given(st.text(alphabet="ab-_c", max_size=12))
def test_a_phrase_word_splits_into_its_pieces(word: str) -> None:
    assert cues._parts(word) == tuple(p for p in re.split(r"[-_]", word) if p)
