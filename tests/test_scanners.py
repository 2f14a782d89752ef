"""The validator's fast paths against plain reference implementations.

Each scanner was made fast by a shortcut — a trie-shaped regex, a pre-check, a regex
that passes over words in C, a lookup instead of a precomputed set. Each test here
states what the shortcut must equal, written the slow and obvious way, and lets
hypothesis look for a text where they differ.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cnaps_llm.grounding import check, clear_caches, grounding_for, index, links, names, numbers, patterns, structure, tasks, vocab
from cnaps_llm.inputs import load_case

from .conftest import FIXTURES, SEEDS

FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TERMS = [t.replace("*", "") for task in vocab.tasks() for t in task.terms]
_NAMES = vocab._lines("models.txt")
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
            for n, task in enumerate(vocab.tasks()):
                for term in task.terms:
                    end = tasks.match_term(low, i, term)
                    if end is not None:
                        ends.setdefault(end, set()).add(n)
            if ends:
                end = max(ends)
                out.append((ends[end], i, end))
                i = end
                continue
        i += 1
    return out


@FAST
@given(MIXED)
def test_task_scan_equals_trying_every_term_at_every_word(text: str) -> None:
    if "\u0130" in text:  # İ lowers to two characters: offsets are checked separately below
        return
    tasks._task_at.cache_clear()
    found = list(tasks.tasks_in(text))
    ref = _tasks_reference(text)
    assert [(o, o + len(t)) for _, o, t in found] == [(o, e) for _, o, e in ref]
    assert all(task in ids for (task, _, _), (ids, _, _) in zip(found, ref, strict=True))


def test_task_offsets_survive_a_letter_that_lowers_to_two() -> None:
    text = "İİ then denoising and İstanbul deblurring"
    assert [text[o : o + len(t)] for _, o, t in tasks.tasks_in(text)] == ["denoising", "deblurring"]


# --------------------------------------------------------------------------- names


@FAST
@given(MIXED)
def test_name_scan_skips_only_plain_capitalised_words_the_vocabulary_lacks(text: str) -> None:
    v = vocab.names()
    every = [(m.start(), names._chunk(text, m)) for m in names._CAND.finditer(text)]
    kept = [names._chunk(text, m) for m in names._scan().finditer(text)]
    assert set(kept) <= {c for _, c in every}
    for match_start, chunk in every:
        if chunk in kept:
            continue
        start, _, raw = chunk
        assert start == match_start and re.fullmatch(r"[A-Z][a-z]+", raw), chunk
        assert raw.lower() not in v.multi_first and raw not in v.exact and not (raw.endswith("s") and raw[:-1] in v.exact), chunk


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
    for may_match, pattern in zip(links._MAY_MATCH, (*links._PATTERNS, links._BARE), strict=True):
        if pattern.search(text):
            assert may_match(text), pattern.pattern


# --------------------------------------------------------------------------- structure and case folding


_PARTS_REFERENCE = (
    re.compile(r"\btasks?\b|\bgoal\b|\bproblem\b|what the user", re.I),
    re.compile(r"workflow|pipeline|input\s*(?:→|->|to)|how (?:it|the models?|they) works?|\bworks?\b", re.I),
    re.compile(r"papers?|tools?|references?|resources?|links?|citations?|sources|further reading|justif", re.I),
)


_HEADING_WORDS = ["task", "goal", "problem", "what the user", "workflow", "work", "network", "homework", "pipeline",
                  "input", "→", "->", "to", "how it works", "how they work", "papers", "toolkit", "links", "sources",
                  "further reading", "justif", "the", "İ", "ı", "ſ", "K"]


@FAST
@given(st.one_of(MIXED, st.lists(st.sampled_from(_HEADING_WORDS), min_size=1, max_size=3).flatmap(
    lambda ws: st.sampled_from(["", "sub", "x_", "-"]).flatmap(
        lambda pre: st.sampled_from([" ", "", "_", "-"]).map(lambda sep: pre + sep.join(ws))))))
def test_part_headings_lower_cased_equal_the_case_insensitive_patterns(text: str) -> None:
    low = patterns.lower_for_search(text)
    if low is None:
        assert any(c in text for c in "\u0130\u0131\u017f")
        return
    assert len(low) == len(text)
    for (_, fast), ref in zip(structure.PARTS, _PARTS_REFERENCE, strict=True):
        assert bool(fast.search(low)) == bool(ref.search(text))


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
    (names._ITALIC, r"[*_](?![*_])([^*_\n]{12,200}+)[*_](?![*_\w])"),
    (names._QUOTED, r"[\"“`](?=[A-Z0-9])([^\"”`\n]{12,240})[\"”`]"),
    (numbers._SHAPE, rf"[\[(]\s*(?:[A-Za-z]|{numbers._NUM})(?:\s*,\s*(?:[A-Za-z]|{numbers._NUM})){{2,}}\s*[\])]"),
]
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


@FAST
@given(st.lists(st.sampled_from(["```", "`", "``", " ", "\n", "\t", "\u2028", "\x0b", "a", "# b"]), max_size=30).map("".join))
def test_fence_spans_equal_the_fence_regex(text: str) -> None:
    assert names.fence_spans(text) == [m.span() for m in re.finditer(r"^\s*```.*?^\s*```", text, re.M | re.S)]


def test_memo_tables_change_nothing() -> None:
    case = load_case(SEEDS["000"])
    answer = (FIXTURES / "answers" / "002_naive_answer_for_000.txt").read_text(encoding="utf-8")
    clear_caches()
    cold = check(answer, case)
    assert grounding_for(case) is grounding_for(case)
    assert check(answer, case) == cold and cold  # warm tables, same violations
    clear_caches(indexes=False)
    assert check(answer, case) == cold
