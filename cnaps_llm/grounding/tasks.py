"""Find task claims (denoising, object tracking, "describe the picture in a sentence"…)
in text, and tell a claim from what only looks like one.

Invariant: a task is found where one of its terms occurs at a word start, as
``match_term`` defines it, never across a line break; where several do, the longest
wins. Terms are the vocabulary's (``data/tasks.json``), the plain-word phrases of
``data/task_cues.json`` under ``said``, and its ``not_tasks`` ("edge detection"), which
are read past and never reported. A one-word head term (``bare_heads``: "detection")
after a word that names something else ("fall detection") is reported as a task of its
own (``OTHER_TASK``). (The phrases under ``asked`` only support a task, in a question or
a source, and those under ``claims`` claim one over word families: ``cues``.) The
trie-shaped scan and the memo tables only make that fast; ``in_gap_statement`` (its
words by family: the cue file's ``gap``), ``in_name`` and ``in_title`` say when a found
task is not claimed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache, lru_cache

from . import patterns, vocab
from .kept import kept
from .titles import titles_in
from .words import STOP

_SEP = " -_\t&"  # between the words of a term: never a line break
ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


@cache
def parse_term(term: str) -> tuple[tuple[str, bool], ...]:
    """``"reduc* noise"`` -> ``(("reduc", True), ("noise", False))``: words, and whether each is a stem."""
    return tuple((w.rstrip("*"), w.endswith("*")) for w in re.split(r"[\s\-_]+", term.lower()) if w)


def match_term(low: str, start: int, term: str) -> int | None:
    """End of ``term`` matched at ``low[start:]`` (lower-cased text), or None.

    A space or hyphen in a term matches any run of spaces, tabs, hyphens, underscores or
    ampersands (or none); a trailing ``*`` matches any word ending. Plain string operations, not a
    regex per term: compiling ~300 regexes cost more start-up time than a check.
    """
    pos, n = start, len(low)
    words = parse_term(term)
    for k, (word, stem) in enumerate(words):
        if k:
            while pos < n and low[pos] in _SEP:
                pos += 1
        if not low.startswith(word, pos):
            return None
        pos += len(word)
        if stem:
            while pos < n and low[pos] in ALNUM:
                pos += 1
    if not words[-1][1] and pos < n and low[pos] in ALNUM:
        return None
    return pos


# --------------------------------------------------------------------------- cue phrases


@cache
def cue_file() -> dict:  # type: ignore[type-arg]
    return json.loads(vocab.data_text("task_cues.json"))


_cue_file = cue_file


def cue_data() -> dict[str, dict[str, list[str]]]:
    return _cue_file()["tasks"]


def _not_tasks() -> list[str]:
    return _cue_file().get("not_tasks", [])


@cache
def task_index() -> dict[str, int]:
    """Task name -> its index in ``vocab.tasks()``."""
    return {t.name: i for i, t in enumerate(vocab.tasks())}


NOT_A_TASK = -1  # the "task" of a phrase that only looks like one: "edge detection"
OTHER_TASK = -2  # a bare head term another word makes a task the vocabulary lacks: "fall detection"
HEAD = -3  # no term, but a word a plain-word claim can start with: "reads", "make" (``cues.claims_at``)


@cache
def all_terms() -> tuple[tuple[int, str], ...]:
    """``(task index, term)`` for every term the scan finds: the vocabulary's, the
    ``said`` phrases of the cue file, and its ``not_tasks`` (``NOT_A_TASK``), which the
    scan reads past so that "edge detection" is never "detection"."""
    out = [(i, term) for i, t in enumerate(vocab.tasks()) for term in t.terms]
    index = task_index()
    for name, cues in cue_data().items():
        out += [(index[name], term) for term in cues.get("said", ())]
    out += [(NOT_A_TASK, term) for term in _not_tasks()]
    return tuple(out)


# --------------------------------------------------------------------------- the scan

@cache
def task_scan() -> tuple[re.Pattern[str], tuple[tuple[str, tuple[tuple[int, str], ...]], ...]]:
    """Where task terms may occur, and the terms to try there.

    The pattern is every term's first word, as a trie, in ``walker``: it finds each
    place a term can start, and ``_task_at`` tells which term (if any) is there. The
    groups pair each term's first word with its ``(task index, term)`` pairs, longest
    first. ``_whole_terms`` is the faster scan for long runs.
    """
    source, groups = kept("tasks.scan", _scan_tables)  # the same in every run: kept between runs
    return patterns.compile(source), groups


@cache
def claim_heads() -> tuple[str, ...]:
    """The words a ``claims`` phrase of the cue file can start with (a family's: each
    member's first word). The scan stops at them too (``HEAD``), so that one walk over an
    answer finds where its terms and its plain-word claims can start."""
    file = cue_file()
    out: set[str] = set()
    for phrases in file["claims"].values():
        for phrase in phrases:
            first = phrase.split()[0].lower()
            members = file["families"][first[1:-1]] if first.startswith("{") else [first]
            out.update(m.split()[0].lower() for m in members)
    return tuple(sorted(out))


def _head_path(word: str) -> list[str]:
    return [*(re.escape(c) for c in word), _END_RE]


def _scan_tables() -> tuple[str, tuple[tuple[str, tuple[tuple[int, str], ...]], ...]]:
    by_first: dict[str, list[tuple[int, str]]] = {}
    for i, term in all_terms():
        by_first.setdefault(parse_term(term)[0][0], []).append((i, term))
    paths = [[re.escape(c) for c in first] for first in sorted(by_first)]
    firsts = patterns.trie_regex(paths + [_head_path(w) for w in claim_heads()])
    groups = tuple((f, tuple(by_first[f])) for f in sorted(by_first, key=len, reverse=True))
    return walker(firsts), groups


# a word character of lower-cased text, [0-9a-z], as re tests it fastest: three ranges make
# one bitmap test a character, two ranges two tests (a third of a scan's cost). Text
# lower-cased has no A-Z, so on it both match the same characters.
_W = "[0-9A-Za-z]"
_SEP_RE, _STEM_RE, _END_RE = "[ \t_&-]*+", _W + "*+", f"(?!{_W})"


def _term_tokens(term: str) -> list[str]:
    """A term as regex pieces, one per character: what ``match_term`` accepts, as a trie path."""
    words = parse_term(term)
    out: list[str] = []
    for k, (word, stem) in enumerate(words):
        if k:
            out.append(_SEP_RE)
        out += [re.escape(c) for c in word]
        if stem:
            out.append(_STEM_RE)
    if not words[-1][1]:
        out.append(_END_RE)
    return out


@cache
def _whole_terms() -> re.Pattern[str]:
    """Every whole term as one trie: a sixth of the places the first words find (15 against
    85 in a 3 KB answer), so a scan costs about half, but it takes 25 ms to compile
    against 4 ms. ``terms_in`` switches to it after ``WHOLE_TERMS_AFTER`` scans: a single
    ``check`` starts fast, a run over a dataset checks fast. Both give the same terms."""
    paths = [_term_tokens(term) for _, term in all_terms()] + [_head_path(w) for w in claim_heads()]
    return patterns.compile(walker(patterns.trie_regex(paths)))


def walker(trie: str) -> str:
    """A pattern that, matched at a word's start or end, passes over words in C up to the
    start of the next word where ``trie`` matches (the match's end), or fails.

    One match walks past many words: a search for "a non-word character, then ``trie``"
    started ``trie`` at every such character, each a call of the engine, at twice the cost.
    A word whose start ``trie`` matches ends the loop (``(?!…)`` fails there, and
    possessive, it gives nothing back); the tail then reaches that same word start. At the
    text's end no separator follows, so the loop and the tail fail: no match.
    """
    return f"(?:{_W}*+[^{_W[1:-1]}]++(?!{trie}))*+{_W}*+[^{_W[1:-1]}]++"


WHOLE_TERMS_AFTER = 200
_scans = 0


def _scan_pattern() -> re.Pattern[str]:
    global _scans
    if _scans >= WHOLE_TERMS_AFTER:
        return _whole_terms()
    _scans += 1
    return task_scan()[0]


_WORD_END = patterns.compile(r"[0-9a-z]*")
_NEXT_WORD = patterns.compile(r"[ \t\-_&]*([0-9a-z]*)")
# the phrase a term can span: its first word and up to k - 1 more, on one line
_PHRASE = [patterns.compile(_W + "+" + rf"(?:[ \t\-_&]+{_W}+)?" * (k - 1)) for k in range(1, 9)]
_Candidates = tuple[tuple[str, tuple[tuple[int, str], ...]], ...]


@cache
def _groups_by_key() -> dict[str, tuple[tuple[int, tuple[str, tuple[tuple[int, str], ...]]], ...]]:
    """``task_scan``'s groups by their first word's first three letters (all of it if
    shorter), each with its place in ``task_scan``'s order."""
    out: dict[str, list] = {}
    for i, group in enumerate(task_scan()[1]):
        out.setdefault(group[0][:3], []).append((i, group))
    return {key: tuple(gs) for key, gs in out.items()}


@cache
def _starting(head: str) -> tuple[re.Pattern[str], _Candidates]:
    """For a word's first three letters: the phrase it can start, and the terms to try."""
    # the groups whose key ``head`` starts with: its first one, two or three letters
    by_key = _groups_by_key()
    found = sorted(g for key in {head[:1], head[:2], head[:3]} for g in by_key.get(key, ()))
    cands = tuple(group for _, group in found)
    span = max((len(parse_term(term)) for _, terms in cands for _, term in terms), default=1)
    return _PHRASE[span - 1], cands


@lru_cache(maxsize=50_000)
def _task_at(phrase: str) -> tuple[int, int, str] | None:
    """``(task index, length, term)`` of the longest term at the start of ``phrase``, if any.

    Remembered per phrase: an answer says "denoising" many times over. The terms to
    try depend only on the phrase's first three characters (``_starting``).
    """
    cands = _starting(phrase[:3])[1]
    word_end = _WORD_END.match(phrase).end()  # type: ignore[union-attr]
    word = phrase[:word_end]
    second: str | None = None  # the next word, read only if a multi-word term needs it
    best: tuple[int, int, str] | None = None  # the longest term wins: "pose-to-motion" over "pose"
    for first, terms in cands:
        if not word.startswith(first):
            continue
        for task, term in terms:
            words = parse_term(term)
            if len(words) == 1:  # most terms: one word, compared without a scan
                stem, is_stem = words[0]
                end = word_end if (word == stem or (is_stem and word.startswith(stem))) else None
            else:
                if second is None:
                    second = _NEXT_WORD.match(phrase, word_end).group(1)  # type: ignore[union-attr]
                stem2, is_stem2 = words[1]
                whole_first = len(word) == len(words[0][0]) or words[0][1]
                ok = not whole_first or second == stem2 or (is_stem2 and second.startswith(stem2))
                end = match_term(phrase, 0, term) if ok else None
            if end is not None and (best is None or end > best[1]):
                best = (task, end, term)
    return best


@cache
def _bare_heads() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """(terms, word endings, noun endings, modifiers) of the cue file's ``bare_heads``."""
    b = _cue_file()["bare_heads"]
    return frozenset(b["terms"]), tuple(b["endings"]), tuple(b["not_endings"]), frozenset(b["modifiers"])


_WORD_BEFORE = patterns.compile(r"(?<![/0-9a-z])([0-9a-z]+)[ \t-]+$")  # not "object/scene": a coordinated modifier


def _modified_away(low: str, start: int) -> int | None:
    """Does the word before a bare head term at ``low[start:]`` name another task
    ("fall detection", "logo detection")? A function word ("the detection"), a verb or
    adjective form ("runs detection", "accurate detection") or a listed modifier ("person
    detection", "real-time detection") leaves the term its own task."""
    m = _WORD_BEFORE.search(low, max(0, start - 40), start)
    if m is None:
        return None
    word = m.group(1)
    _, endings, nouns, modifiers = _bare_heads()
    kept = word in STOP or word in modifiers or word.isdigit() or (word.endswith(endings) and not word.endswith(nouns))
    return None if kept else m.start(1)


def tasks_in(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(task index, offset, matched text)`` for every task term in ``text``."""
    for task, offset, matched, _ in terms_in(text):
        if task >= 0:
            yield task, offset, matched


def terms_in(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Yield ``(task index, offset, matched text, term)`` for every task term in ``text``,
    for the phrases that only look like one (task ``NOT_A_TASK``), and for a bare head
    term with a modifier that makes it a task the vocabulary lacks (task ``OTHER_TASK``,
    the text from the modifier: "fall detection"); and, with task ``HEAD`` and no text,
    each other place the scan stopped: where a plain-word claim may start.

    One regex match walks to each place a term occurs; which task it is, and the
    longest term there, is worked out once per phrase (``_task_at``).
    """
    low = " " + text.lower()  # a separator before the first word, for the walk
    if len(low) != len(text) + 1:  # "İ" lowers to two characters: keep offsets aligned
        low = " " + "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    walk = _scan_pattern().match
    pos = last_end = 0
    while (m := walk(low, pos)) is not None:
        start = m.end()  # in ``low``; the same offset minus one in ``text``
        phrase_at, _ = _starting(low[start : start + 3])
        hit = _task_at(phrase_at.match(low, start).group())  # type: ignore[union-attr]
        if hit:
            pos = start + hit[1]
            other = _modified_away(low, start) if hit[2] in _bare_heads()[0] else None
            if other is not None and other < last_end:  # "human pose detection": the task before it
                yield NOT_A_TASK, start - 1, text[start - 1 : pos - 1], hit[2]
            elif other is not None:  # "fall detection": a task of its own, quoted with its modifier
                yield OTHER_TASK, other - 1, text[other - 1 : pos - 1], hit[2]
            else:
                yield hit[0], start - 1, text[start - 1 : pos - 1], hit[2]
            last_end = pos
        else:  # not a term (a claim's first word, or a first word alone): next word
            yield HEAD, start - 1, "", ""
            pos = start


# --------------------------------------------------------------------------- what is not a claim

# a statement that a task is missing or out of reach: "no provided model…", "not super-resolution",
# "would require an additional OCR module", "falls outside what the models cover", "none is in the
# list". The words come by family from ``data/task_cues.json`` (``gap``); compiled on first use,
# since most checks never need them.


@cache
def _gap() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], frozenset[str], re.Pattern[str]]:
    """(before, after, after_far, answers, scope breaks, determiners) of the gap families."""
    g = _cue_file()["gap"]

    def any_of(phrases: list[str]) -> re.Pattern[str]:
        return re.compile(r"(?<![\w'])(?:" + "|".join(phrases) + r")(?![\w'])")

    before = any_of([*g["determiners"], *g["negations"], *g["scope"], *g["hedges"]])
    return (
        before,
        any_of(g["after"]),
        any_of(g["after_far"]),
        re.compile(r"\s*(?:" + "|".join(g["answers"]) + r")\b"),
        frozenset(g["scope_breaks"]),
        any_of(g["determiners"]),
    )


# where a statement ends: a sentence or clause end, or a line break; and where a clause
# joined to it begins ("…, but it adds noise"), beyond which a negation no longer reaches
# (a stop before white space or the end, or a line break: led by one class, so re skips to
# the few places it can match in C, which a leading alternation prevented)
_CLAUSE_END = patterns.compile(r"[\n.;!?](?:(?<=\n)|\s|$)")
_JOIN = patterns.compile(r",\s+(?:and|but|while|whereas|so)\s|\s(?:but|whereas)\s")
_WORDS_BEFORE, _WORDS_AFTER, _WORDS_AFTER_FAR = 8, 6, 10  # how far a negation reaches: "not include a … function"


def _governs(negation: re.Match[str], before: str, determiners: re.Pattern[str], breaks: frozenset[str]) -> bool:
    """Does the negation found in ``before`` (the words up to the task) still govern the
    task? A finite verb between them starts another statement ("it needs no mask and
    runs…", "without any settings the app also performs…"), except the first one after a
    negative subject ("none of the models performs…")."""
    allowed = 1 if determiners.fullmatch(negation.group()) else 0
    scope = before[negation.end() :]
    colon = scope.find(":")
    # a sentence's colon opens another statement ("it is not magic: the app colourises…"); a
    # label's colon, or one right before the task, does not ("Not provided: OCR")
    if colon >= 0 and before[: negation.start()].strip(" *_") and len(scope[colon + 1 :].split()) >= 2:
        return False
    for word in scope.split():
        if word.strip(",:()*_\"'“”") in breaks:
            allowed -= 1
            if allowed < 0:
                return False
    return True


def in_gap_statement(text: str, start: int, end: int) -> bool:
    """Is the task at ``text[start:end]`` named inside a negated or hedged statement (an
    honest gap: "none of the listed models can…", "is not provided", "out of scope",
    "falls outside what they cover", "Face recognition? Not in scope.")?

    The statement is the clause around it, never past a line break: a negation governs
    the task from a few words before it with no comma and no other finite verb between
    ("not super-resolution", ``_governs``), or from a few words after it ("OCR, which is
    not provided"; an absence verb from further: "…is something these models lack"), or
    in the answer to a question the task ends ("Tracking? Not needed.").
    """
    gap_before, gap_after, gap_far, answers, breaks, determiners = _gap()
    line_start = text.rfind("\n", 0, start) + 1
    clause_start = line_start
    for m in _CLAUSE_END.finditer(text, line_start, start):
        clause_start = m.end()
    before = text[clause_start:start].lower().replace("’", "'")  # you’d, doesn’t
    for m in _JOIN.finditer(before):
        before = before[m.end() :]
    # a negation before a comma governs another phrase: "it needs no GPU, it runs OCR"
    words = " ".join(before[before.rfind(",") + 1 :].split()[-_WORDS_BEFORE:])
    if words:
        last = None
        for last in gap_before.finditer(words):
            pass
        if last is not None and _governs(last, words, determiners, breaks):
            return True
    m = _CLAUSE_END.search(text, end)
    stop = m.start() if m else len(text)
    after = text[end:stop].lower().replace("’", "'")
    joined = _JOIN.search(after)
    # a clause joined by "and"/"but" is another statement, unless a negative subject opens it
    if joined and not determiners.match(after, joined.end()):
        after = after[: joined.start()]
    words_after = after.split()
    if gap_after.search(" ".join(words_after[:_WORDS_AFTER])) or gap_far.search(" ".join(words_after[:_WORDS_AFTER_FAR])):
        return True
    # "Face recognition? Not in scope.": a question the next clause answers with a negation
    return stop < len(text) and text[stop] == "?" and answers.match(text[stop + 1 : stop + 40].lower()) is not None


_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
_SCALE_PART = patterns.compile(r"^(?:\d+(?:\.\d+)?x|x\d+|\d+)$", re.I)
_EXTENSION = patterns.compile(r"[a-z0-9]{2,4}(?![A-Za-z0-9])")  # of a file name: .png, .json, .mp4
_SHAPED_PART = patterns.compile(r"[a-z][A-Z]|[A-Za-z]\d|\d[A-Za-z]|^[A-Z]{3,}$")


def in_name(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` part of a longer identifier that names a model or module
    (``Enhancement-low-light-img-enhancer``, ``Super-Resolution-NTIRE-2020-x4``,
    ``Quality-IQA``, ``Segment-Anything-Model``), of a code identifier or of a file name
    (``facial_landmarks``, ``structural_edges.png``)? Names are the model rule's business."""
    a, b = start, end
    while a > 0 and text[a - 1] in _NAME_CHARS:
        a -= 1
    while b < len(text) and text[b] in _NAME_CHARS:
        b += 1
    compound = text[a:b].strip("-_")
    if "_" in compound or (text[b : b + 1] == "." and _EXTENSION.match(text, b + 1)):
        return True  # an identifier or a file name: `facial_landmarks`, structural_edges.png
    if len(compound) <= end - start:
        return False
    parts = [p for p in re.split(r"[-_]+", compound) if p]
    own = len([p for p in re.split(r"[-_ \t]+", text[start:end]) if p])
    extra = [p for p in parts if not _SCALE_PART.match(p)]
    if len(extra) <= own:  # only a scale beside it ("4x-upscaled"): still a claim
        return False
    return len(parts) - own >= 2 or any(_SHAPED_PART.search(p) for p in parts)


_TITLE_MARKS = ("[", "*", "_", '"', "“", "`")  # a line without any cites no title
_LINK_TEXT = patterns.compile(r"\[([^\[\]\n]+)\]\(")
_QUOTED_TITLE = patterns.compile(r"[`\"“]([^`\"“”\n]{10,200})[`\"”]")


def _reads_as_title(t: str) -> bool:
    words = t.split()
    caps = sum(w[:1].isupper() for w in words)
    return len(words) >= 4 and caps >= 3 and caps / len(words) >= 0.6


def in_title(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` inside a cited title: a Markdown link's text, or italic or
    quoted text that reads as a title? Citing a paper does not claim its task."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    if not any(mark in line for mark in _TITLE_MARKS):
        return False
    col, col_end = start - line_start, end - line_start
    for m in _LINK_TEXT.finditer(line):
        if m.start(1) <= col and col_end <= m.end(1):
            return True
    for m in _QUOTED_TITLE.finditer(line):
        if m.start(1) <= col and col_end <= m.end(1) and _reads_as_title(m.group(1)):
            return True
    for offset, title in titles_in(line):
        at = line.find(title, offset)
        if at <= col and col_end <= at + len(title):
            return True
    return False


# the memo tables of pure functions here, for ``grounding.clear_caches``
MEMOS = (_task_at,)
