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
trie-shaped scan and the memo tables only make that fast. Whether a found task is
claimed (not in a gap statement, a longer name or a cited title) is ``unclaimed``'s.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache, lru_cache

from . import patterns, vocab
from .kept import kept
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
    out.update(passives())
    out.update(readings())
    return tuple(sorted(out))


@cache
def passives() -> dict[str, int]:
    """Participle -> task index, for the cue file's ``passives``: a task claimed after an
    auxiliary whatever the subject ("the stars are then counted"). The scan stops at them
    too (``HEAD``)."""
    index = task_index()
    return {w: index[name] for name, words in _cue_file().get("passives", {}).get("tasks", {}).items() for w in words}


@cache
def passive_context() -> tuple[re.Pattern[str], frozenset[str]]:
    """What must come before a participle of ``passives`` (an auxiliary, an adverb at most
    between), and the words that may not follow it ("counted on")."""
    p = _cue_file()["passives"]
    adverbs = "|".join(map(re.escape, p["adverbs"]))
    before = patterns.compile(rf"(?<![0-9a-z])(?:{'|'.join(map(re.escape, p['auxiliaries']))})(?:[ \t]+(?:{adverbs}))?[ \t]+$")
    return before, frozenset(p["not_before"])


Reading = tuple[int, tuple[tuple[str, ...], ...], frozenset[str] | None, bool, bool]


@cache
def readings() -> dict[str, tuple[Reading, ...]]:
    """Participle -> its readings, from the cue file's ``passives.readings``: each is
    ``(task index, the word runs one of which must follow, the subject family (None: any
    subject), any subject but a pipeline word, must the clause end there)``. A participle
    of a verb that does something to the user's content ("the pages are summarised", "the
    moon is swapped for a bigger one") claims its task only where its reading holds. The
    scan stops at them too (``HEAD``)."""
    p = _cue_file().get("passives", {})
    index = task_index()
    families = p.get("subjects", {})
    out: dict[str, list[Reading]] = {}
    for r in p.get("readings", ()):
        subjects = r.get("subjects")
        anyone = subjects == "*"
        family = None if subjects is None or anyone else frozenset(families[subjects])
        after = tuple(tuple(a.lower().split()) for a in r.get("after", ()))
        for word in r["participles"]:
            out.setdefault(word, []).append((index[r["task"]], after, family, anyone, bool(r.get("clause_end"))))
    return {w: tuple(rs) for w, rs in out.items()}


@cache
def not_subjects() -> frozenset[str]:
    """Pipeline and answer words ("model", "output", "step") that a reading with any
    subject (``readings``) may not have as its subject: "the output is saved"."""
    return frozenset(_cue_file().get("passives", {}).get("not_subjects", ()))


@cache
def subject_prepositions() -> frozenset[str]:
    """The words a subject's head comes before ("the lamp on the desk": lamp)."""
    return frozenset(_cue_file().get("passives", {}).get("prepositions", ()))


@cache
def human_agents() -> tuple[str, ...]:
    """What after a participle says a person does it ("by the user", "by hand"): no
    reading (``readings``) holds there."""
    return tuple(_cue_file().get("passives", {}).get("human_agents", ()))


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


@cache
def _idioms() -> dict[str, frozenset[str]]:
    """A term written just so -> the words before it that make it an idiom, not the task
    (the cue file's ``idioms``: "keeps track of", "lost track", "on track")."""
    return {w: frozenset(before) for w, before in _cue_file().get("idioms", {}).items() if not w.startswith("_")}


def _idiom_before(low: str, start: int, before: frozenset[str]) -> bool:
    m = _WORD_BEFORE.search(low, max(0, start - 40), start)
    return m is not None and m.group(1) in before


def tasks_in(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(task index, offset, matched text)`` for every task term in ``text``."""
    for task, offset, matched, _ in terms_in(text):
        if task >= 0:
            yield task, offset, matched


_LAST_TERMS: tuple[str | None, tuple[tuple[int, int, str, str], ...]] = (None, ())  # the text last scanned, its terms


def terms_in(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """``_terms_in(text)`` as a tuple, remembered for the text last asked (each check's
    task and fit rules scan the same view of the answer). The pair is read and replaced
    whole, so a check in another thread never pairs one text with another's terms."""
    global _LAST_TERMS
    last_text, last_terms = _LAST_TERMS
    if last_text is text:
        return last_terms
    found = tuple(_terms_in(text))
    _LAST_TERMS = (text, found)
    return found


def _terms_in(text: str) -> Iterator[tuple[int, int, str, str]]:
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
            elif low[start:pos] in _idioms() and _idiom_before(low, start, _idioms()[low[start:pos]]):
                yield NOT_A_TASK, start - 1, text[start - 1 : pos - 1], hit[2]  # "keeps track of": no tracking
            elif other is not None:  # "fall detection": a task of its own, quoted with its modifier
                yield OTHER_TASK, other - 1, text[other - 1 : pos - 1], hit[2]
            else:
                yield hit[0], start - 1, text[start - 1 : pos - 1], hit[2]
            last_end = pos
        else:  # not a term (a claim's first word, or a first word alone): next word
            yield HEAD, start - 1, "", ""
            pos = start


# the memo tables of pure functions here, for ``grounding.clear_caches``
MEMOS = (_task_at,)
