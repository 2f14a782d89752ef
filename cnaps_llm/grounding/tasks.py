"""Find task claims (denoising, object tracking, "describe the picture in a sentence"…)
in text, and tell a claim from what only looks like one.

Invariant: a task is found where one of its terms occurs at a word start, as
``match_term`` defines it, never across a line break; where several do, the longest
wins. Terms are the vocabulary's (``data/tasks.json``), the plain-word phrases of
``data/task_cues.json`` under ``said``, and its ``not_tasks`` ("edge detection"), which
are read past and never reported. (The phrases under ``asked`` only support a task, in
a question or a source: ``cues.supported_in``.) The trie-shaped scan and the memo
tables only make that fast; ``in_gap_statement``, ``in_name`` and ``in_title`` say when
a found task is not claimed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache, lru_cache

from . import patterns, vocab
from .kept import kept
from .titles import titles_in

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
def _cue_file() -> dict:  # type: ignore[type-arg]
    return json.loads(vocab.data_text("task_cues.json"))


def cue_data() -> dict[str, dict[str, list[str]]]:
    return _cue_file()["tasks"]


def _not_tasks() -> list[str]:
    return _cue_file().get("not_tasks", [])


@cache
def task_index() -> dict[str, int]:
    """Task name -> its index in ``vocab.tasks()``."""
    return {t.name: i for i, t in enumerate(vocab.tasks())}


NOT_A_TASK = -1  # the "task" of a phrase that only looks like one: "edge detection"


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

    The pattern is every term's first word, as a trie, in ``_walker``: it finds each
    place a term can start, and ``_task_at`` tells which term (if any) is there. The
    groups pair each term's first word with its ``(task index, term)`` pairs, longest
    first. ``_whole_terms`` is the faster scan for long runs.
    """
    source, groups = kept("tasks.scan", _scan_tables)  # the same in every run: kept between runs
    return patterns.compile(source), groups


def _scan_tables() -> tuple[str, tuple[tuple[str, tuple[tuple[int, str], ...]], ...]]:
    by_first: dict[str, list[tuple[int, str]]] = {}
    for i, term in all_terms():
        by_first.setdefault(parse_term(term)[0][0], []).append((i, term))
    firsts = patterns.trie_regex([[re.escape(c) for c in first] for first in sorted(by_first)])
    groups = tuple((f, tuple(by_first[f])) for f in sorted(by_first, key=len, reverse=True))
    return _walker(firsts), groups


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
    return patterns.compile(_walker(patterns.trie_regex([_term_tokens(term) for _, term in all_terms()])))


def _walker(trie: str) -> str:
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


def tasks_in(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(task index, offset, matched text)`` for every task term in ``text``."""
    for task, offset, matched, _ in terms_in(text):
        if task != NOT_A_TASK:
            yield task, offset, matched


def terms_in(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Yield ``(task index, offset, matched text, term)`` for every task term in ``text``,
    and for the phrases that only look like one (task ``NOT_A_TASK``).

    One regex match walks to each place a term occurs; which task it is, and the
    longest term there, is worked out once per phrase (``_task_at``).
    """
    low = " " + text.lower()  # a separator before the first word, for the walk
    if len(low) != len(text) + 1:  # "İ" lowers to two characters: keep offsets aligned
        low = " " + "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    walk = _scan_pattern().match
    pos = 0
    while (m := walk(low, pos)) is not None:
        start = m.end()  # in ``low``; the same offset minus one in ``text``
        phrase_at, _ = _starting(low[start : start + 3])
        hit = _task_at(phrase_at.match(low, start).group())  # type: ignore[union-attr]
        if hit:
            pos = start + hit[1]
            yield hit[0], start - 1, text[start - 1 : pos - 1], hit[2]
        else:  # not a term after all (the pattern may allow more than the terms): next word
            pos = start


# --------------------------------------------------------------------------- what is not a claim

# a statement that a task is missing or out of reach: "no provided model…", "not super-resolution",
# "would require an additional OCR module", "is excluded as it focuses on image editing"
_GAP_BEFORE = (  # compiled on first use (re's own cache): most checks never need them
    r"\b(?:no|not|none|never|neither|nor|without|cannot|can't|isn't|aren't|doesn't|don't|won't|lacks?|lacking"
    r"|excluded?|excluding|irrelevant|unsuitable|unavailable|unsupported|absent|missing|instead of|rather than"
    r"|beyond|outside|out of scope|would (?:require|need|have to)|requires? (?:an? )?(?:additional|extra|separate|external|dedicated)"
    r"|needs? (?:an? )?(?:additional|extra|separate|external|dedicated))\b"
)
_GAP_AFTER = (
    r"\b(?:(?:is|are|was|were|be)(?:n't| not)\b|not (?:provided|available|included|covered|supported|listed|offered|part of)"
    r"|(?:is|are) (?:unavailable|missing|absent|out of scope|excluded|beyond|irrelevant|unsuitable|unnecessary)"
    r"|would (?:be )?(?:need|require)|would have to|(?:could|can|would) be added|if (?:one is |one were |it were )?available"
    r"|(?:is|are) (?:needed|required) but|out of scope)"
)
# where a statement ends: a sentence or clause end, or a line break; and where a clause
# joined to it begins ("…, but it adds noise"), beyond which a negation no longer reaches
# (a stop before white space or the end, or a line break: led by one class, so re skips to
# the few places it can match in C, which a leading alternation prevented)
_CLAUSE_END = patterns.compile(r"[\n.;!?](?:(?<=\n)|\s|$)")
_JOIN = patterns.compile(r",\s+(?:and|but|while|whereas|so)\s|\s(?:but|whereas)\s")
_WORDS_BEFORE, _WORDS_AFTER = 8, 6  # how far a negation reaches: "not include a … function"


def in_gap_statement(text: str, start: int, end: int) -> bool:
    """Is the task at ``text[start:end]`` named inside a negated or hedged statement (an
    honest gap: "none of the listed models can…", "is not provided", "out of scope")?

    The statement is the clause around it, never past a line break: a negation governs
    the task from a few words before it with no comma between ("not super-resolution"),
    or from a few words after it ("OCR, which is not provided").
    """
    line_start = text.rfind("\n", 0, start) + 1
    clause_start = line_start
    for m in _CLAUSE_END.finditer(text, line_start, start):
        clause_start = m.end()
    before = text[clause_start:start].lower()
    for m in _JOIN.finditer(before):
        before = before[m.end() :]
    # a negation before a comma governs another phrase: "it needs no GPU, it runs OCR"
    words = before[before.rfind(",") + 1 :].split()[-_WORDS_BEFORE:]
    if words and re.search(_GAP_BEFORE, " ".join(words)):
        return True
    m = _CLAUSE_END.search(text, end)
    after = text[end : m.start() if m else len(text)].lower()
    joined = _JOIN.search(after)
    if joined:
        after = after[: joined.start()]
    return bool(re.search(_GAP_AFTER, " ".join(after.split()[:_WORDS_AFTER])))


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
