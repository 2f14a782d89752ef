"""Tasks described in plain words: the phrases of ``data/task_cues.json`` ("too blurry",
"make it four times bigger", "is there an animal in it") in a question or a source, and
the ``claims`` phrases ("{read} … {writing}": "reads the licence plates") in an answer.

Invariant: a phrase is found where its words follow each other as ``match_cue``
defines it (spaces or tabs between them, never a line break; a ``{family}`` is any of
its phrases), a claim within one clause; the look-up by first word (``supported_in``,
``claims_in``) only decides which phrases are tried where, and the claims' regexes
(``_phrase_regex``) accept what ``match_end`` accepts.
"""

from __future__ import annotations

import re
from functools import cache

from . import patterns
from .kept import kept
from .tasks import ALNUM, cue_data, cue_file, task_index, tasks_in
from .tasks import walker

_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten twice double triple half".split())
_GAP_WORDS = 4  # how many words a "…" in a phrase stands for
_Token = tuple[str, str, bool]  # (kind: "word" | "#" | "#x" | "…" | "{}", word or family, is a stem)


@cache
def parse_cue(cue: str) -> tuple[_Token, ...]:
    """``"restor* … face"`` -> ``(("word", "restor", True), ("…", "", False), ("word", "face", False))``;
    ``{read}`` is any phrase of the cue file's family ``read`` (``("{}", "read", False)``)."""
    out: list[_Token] = []
    for word in cue.lower().split():
        if word in ("#", "#x", "…"):
            out.append((word, "", False))
        elif word.startswith("{") and word.endswith("}"):
            out.append(("{}", word[1:-1], False))
        else:
            out.append(("word", word.rstrip("*"), word.endswith("*")))
    return tuple(out)


@cache
def family(name: str) -> tuple[tuple[_Token, ...], ...]:
    """The phrases of a word family (``families`` in the cue file), longest first."""
    phrases = [parse_cue(p) for p in cue_file()["families"][name]]
    return tuple(sorted(phrases, key=len, reverse=True))


def _skip_spaces(low: str, pos: int) -> int:
    n = len(low)
    while pos < n and low[pos] in " \t":
        pos += 1
    return pos


def _word_end(low: str, pos: int) -> int:
    n = len(low)
    while pos < n and low[pos] in ALNUM:
        pos += 1
    return pos


@cache
def _parts(word: str) -> tuple[str, ...]:
    """A phrase word's pieces between hyphens and underscores."""
    return tuple(p for p in re.split(r"[-_]", word) if p)


def _match_token(low: str, pos: int, token: _Token) -> int | None:
    """End of ``token`` matched at ``low[pos:]``, or None."""
    kind, word, stem = token
    n = len(low)
    if kind == "#":
        end = _word_end(low, pos)
        if low[pos:end] in _NUMBER_WORDS:
            return end
        k = pos
        while k < n and low[k].isdigit() and low[k] in ALNUM:
            k += 1
        if k == pos:
            return None
        if k + 1 < n and low[k] in ".," and low[k + 1].isdigit() and low[k + 1] in ALNUM:
            k += 1
            while k < n and low[k].isdigit() and low[k] in ALNUM:
                k += 1
        return None if k < n and low[k] in ALNUM else k
    if kind == "#x":
        if pos < n and low[pos] in "x×":
            k = _skip_spaces(low, pos + 1)
            digits = _word_end(low, k)
            return digits if digits > k and low[k:digits].isdigit() else None
        k = pos
        while k < n and low[k] in "0123456789":
            k += 1
        if k == pos:
            return None
        if k + 1 < n and low[k] == "." and low[k + 1] in "0123456789":
            k += 1
            while k < n and low[k] in "0123456789":
                k += 1
        k = _skip_spaces(low, k)
        if k < n and low[k] in "x×":
            return None if k + 1 < n and low[k + 1] in ALNUM else k + 1
        return None
    # a word; a hyphen in it matches any run of spaces, tabs, hyphens or underscores, or none
    parts = _parts(word)
    k = pos
    for i, part in enumerate(parts):
        if i:
            while k < n and low[k] in " \t_-":
                k += 1
        if not low.startswith(part, k):
            return None
        k += len(part)
    if stem:
        return _word_end(low, k)
    return None if k < n and low[k] in ALNUM else k


def match_cue(low: str, pos: int, tokens: tuple[_Token, ...]) -> bool:
    """Does the phrase (``parse_cue``) occur at ``low[pos:]`` (lower-cased text), its
    words apart by spaces or tabs, never by a line break?"""
    return match_end(low, pos, tokens) is not None


def match_end(low: str, pos: int, tokens: tuple[_Token, ...]) -> int | None:
    """Where the phrase (``parse_cue``) matched at ``low[pos:]`` ends, or None."""
    if not tokens:
        return pos
    head, rest = tokens[0], tokens[1:]
    if head[0] == "…":  # up to four words, then the rest
        for _ in range(_GAP_WORDS + 1):
            end = match_end(low, pos, rest)
            if end is not None:
                return end
            k = pos
            while k < len(low) and not low[k].isspace():
                k += 1
            if k == pos or k >= len(low) or low[k] not in " \t":
                return None
            pos = _skip_spaces(low, k)
        return None
    if head[0] == "{}":  # a family: any of its phrases, then the rest
        for phrase in family(head[1]):
            end = match_end(low, pos, phrase + rest)
            if end is not None:
                return end
        return None
    end = _match_token(low, pos, head)
    if end is None:
        return None
    if not rest:
        return end
    k = _skip_spaces(low, end)
    return match_end(low, k, rest) if k > end else None


@cache
def _cues_by_head() -> dict[str, tuple[tuple[int, tuple[_Token, ...]], ...]]:
    """Every ``asked`` and ``said`` phrase as ``(task index, tokens)``, keyed by what its
    first word starts with: its first three letters (all of it if shorter), or ``#`` for
    a phrase led by a number. Kept between runs (``kept``)."""
    return kept("cues.by_head", _build_cues_by_head)


def _build_cues_by_head() -> dict[str, tuple[tuple[int, tuple[_Token, ...]], ...]]:
    index = task_index()
    out: dict[str, list[tuple[int, tuple[_Token, ...]]]] = {}
    for name, cues in cue_data().items():
        for cue in (*cues.get("asked", ()), *cues.get("said", ())):
            tokens = parse_cue(cue)
            for key in _head_keys(tokens[0]):
                out.setdefault(key, []).append((index[name], tokens))
    return {k: tuple(v) for k, v in out.items()}


def _head_keys(token: _Token) -> set[str]:
    """The keys a phrase led by ``token`` is filed under: its first word's first three
    letters (all of it if shorter), ``#`` for a number, every phrase's for a family."""
    if token[0] == "{}":
        return {key for phrase in family(token[1]) for key in _head_keys(phrase[0])}
    if token[0] != "word":
        return {"#"}
    return {re.match(r"[0-9a-z]*", token[1]).group()[:3]}  # type: ignore[union-attr]


_NUMBER_RE = r"(?:" + "|".join(sorted(_NUMBER_WORDS)) + r"|\d+(?:[.,]\d+)?)(?![0-9a-z])"
_SCALE_RE = r"(?:[x×][ \t]*\d+(?![0-9a-z])|\d+(?:\.\d+)?[ \t]*[x×](?![0-9a-z]))"
_BETWEEN = r"[ \t]+"  # between the words of a phrase: spaces or tabs, never a line break


def _token_regex(token: _Token) -> str:
    """A phrase token as a regex: what ``_match_token`` (or a family of phrases) accepts."""
    kind, word, stem = token
    if kind == "#":
        return _NUMBER_RE
    if kind == "#x":
        return _SCALE_RE
    if kind == "{}":
        return "(?:" + "|".join(_phrase_regex(p) for p in family(word)) + ")"
    body = "[ \t_-]*".join(re.escape(p) for p in _parts(word))
    return body + ("[0-9a-z]*" if stem else "(?![0-9a-z])")


def _phrase_regex(tokens: tuple[_Token, ...]) -> str:
    out = ""
    for k, token in enumerate(tokens):
        if token[0] == "…":  # up to four words, each followed by its separator
            out += _BETWEEN if k else ""
            out += r"(?:[^\s]+[ \t]+){0,%d}?" % _GAP_WORDS
            continue
        if k and tokens[k - 1][0] != "…":
            out += _BETWEEN
        out += _token_regex(token)
    return out


@cache
def _claims() -> tuple[re.Pattern[str], _ByKey]:
    """The cue file's ``claims`` (phrases that claim a task in an answer): a pattern that
    finds the words they can start with, and by those words' first three letters one
    pattern of the phrases that start there, a group per phrase named by its task
    (``t<task>_<n>``): matched in C, where a phrase word by word cost a third of a check.
    The patterns' sources are kept between runs (``kept``), their programs by ``patterns``;
    a key's pattern is compiled when a word first leads to it (a run that checks one
    answer meets a few of them)."""
    walk, by_key = kept("cues.claims", _claim_sources)
    return patterns.compile(walk), _ByKey(by_key)


class _ByKey(dict):  # type: ignore[type-arg]
    """First three letters -> the compiled pattern of the claims that start there, or None."""

    def __init__(self, sources: dict[str, str]) -> None:
        super().__init__()
        self.sources = sources

    def __missing__(self, key: str) -> re.Pattern[str] | None:
        source = self.sources.get(key)
        self[key] = found = patterns.compile(source) if source is not None else None
        return found


def _claim_sources() -> tuple[str, dict[str, str]]:
    index = task_index()
    by_key: dict[str, list[str]] = {}
    firsts: set[str] = set()
    n = 0
    for name, cues in cue_file()["claims"].items():
        for cue in cues:
            tokens = parse_cue(cue)
            heads = [p[0] for p in family(tokens[0][1])] if tokens[0][0] == "{}" else [tokens[0]]
            firsts.update(h[1] for h in heads)
            for key in sorted(_head_keys(tokens[0])):  # sorted: the same patterns in every process (regex cache)
                by_key.setdefault(key, []).append(f"(?P<t{index[name]}_{n}>{_phrase_regex(tokens)})")
                n += 1
    trie = patterns.trie_regex([[*(re.escape(c) for c in w), "(?![0-9a-z])"] for w in sorted(firsts)])
    return walker(trie), {k: "|".join(v) for k, v in by_key.items()}


_CLAUSE_MARK = patterns.compile(r"[.;:!?](?=\s|$)|[()\[\]]|,\s")  # not the point of "2.5x"


_LAST_CLAIMS: tuple[str | None, list[int], tuple[tuple[int, int, int], ...]] = (None, [], ())  # text, starts, claims


def claims_at(text: str, starts: list[int]) -> tuple[tuple[int, int, int], ...]:
    """``claims_in`` tried only at ``starts`` (offsets in ``text``, in order): the places
    the task scan stopped without a term (``tasks.HEAD``), which include every word a
    claim can start with. The task rule's one walk over the answer serves both. The
    claims of the text last asked are remembered (the task and fit rules ask for the same),
    as one pair, read and replaced whole."""
    global _LAST_CLAIMS
    last_text, last_starts, last_found = _LAST_CLAIMS
    if last_text is text and last_starts == starts:
        return last_found
    found = tuple(_claims_at(text, starts))
    _LAST_CLAIMS = (text, list(starts), found)
    return found


def _claims_at(text: str, starts: list[int]) -> list[tuple[int, int, int]]:
    low = text.lower()
    if len(low) != len(text) or not starts:
        return []
    by_key = _claims()[1]
    out: list[tuple[int, int, int]] = []
    last_end = 0
    for pos in starts:
        if pos < last_end:
            continue
        word = _WORD.match(low, pos)
        phrases = by_key[word.group()[:3]] if word is not None else None
        hit = phrases.match(low, pos) if phrases is not None else None
        if hit is not None and not _CLAUSE_MARK.search(low, pos, hit.end()):
            out.append((int(hit.lastgroup[1:].split("_")[0]), pos, hit.end()))  # type: ignore[index]
            last_end = hit.end()
    return out


def claims_in(text: str) -> list[tuple[int, int, int]]:
    """``(task, start, end)`` for each plain-word claim in ``text`` (an answer): a phrase of
    the cue file's ``claims``, its words over families ("{make} … # times {bigger}": "makes
    the photo four times bigger"), within one clause. One pattern finds the few words a
    phrase can start with; only there are the phrases tried."""
    low = text.lower()
    if len(low) != len(text):
        return []  # "İ" lowers to two characters: offsets would not align (and no claim reads so)
    walk, by_key = _claims()
    spaced = " " + low  # a separator before the first word, for the walk (offsets one on)
    out: list[tuple[int, int, int]] = []
    at = 0
    while (m := walk.match(spaced, at)) is not None:
        pos = m.end() - 1  # a word start in ``low`` where a phrase can start
        word = _WORD.match(low, pos).group()  # type: ignore[union-attr]
        phrases = by_key[word[:3]]
        hit = phrases.match(low, pos) if phrases is not None else None
        if hit is not None and not _CLAUSE_MARK.search(low, pos, hit.end()):
            out.append((int(hit.lastgroup[1:].split("_")[0]), pos, hit.end()))  # type: ignore[index]
            at = hit.end() + 1  # past the claim: "makes the face look … younger" is one
        else:
            at = pos + 1 + len(word)
    return out


_WORD = patterns.compile(r"[0-9a-z]+")
# a negated auxiliary right before a phrase, an adverb at most between: "does not describe",
# "never uses a different style"; "is not sharp" still asks for sharpness, so a copula is no such
_NEGATED = patterns.compile(
    r"(?:\b(?:do|does|did|can|could|will|would|should|must)(?:n[’']t|\s+not)|\bcannot|\bnever)\s+(?:[a-z]+ly\s+)?$"
)


def _negated(low: str, at: int) -> bool:
    return _NEGATED.search(low, max(0, at - 30), at) is not None


_COMPOUND = patterns.compile(r"(?<![0-9a-z])([a-z]+)2([a-z]+|3d)(?![0-9a-z])")


def _compound_tasks(low: str) -> set[int]:
    """The tasks of ``A2B`` prefixes (``Txt2Voice`` -> "text to speech"), their short words
    read in full by the cue file's ``compounds``."""
    full = cue_file()["compounds"]["words"]
    found: set[int] = set()
    for m in _COMPOUND.finditer(low):
        a, b = full.get(m.group(1)), full.get(m.group(2))
        if a and b:
            found |= {t for t, _, _ in tasks_in(f"{a} to {b}")}
    return found


@cache
def _loose() -> frozenset[tuple[int, tuple[_Token, ...]]]:
    """The one-word ``asked`` cues ("people", "privacy", "vector", "rain"): a user's plain
    word for a task, too loose to read in a source's name or summary (a piece of a name,
    "realblur-j", is no plain word)."""
    index = task_index()
    return frozenset(
        (index[name], tokens)
        for name, cues in cue_data().items()
        for cue in cues.get("asked", ())
        if len(tokens := parse_cue(cue)) == 1 and tokens[0][1].isalpha()
    )


def supported_in(text: str, *, loose: bool = True) -> set[int]:
    """The tasks ``text`` (a question, a source) describes in plain words, where no
    negated auxiliary governs the phrase ("this paper does not describe…"). With
    ``loose=False``, one-word ``asked`` cues (``_loose``) are not read.

    Driven by the text's words: at each word, only the phrases whose first word can
    start there are tried, with string operations (a regex per phrase cost more to
    compile than the whole look-up).
    """
    low = text.lower()
    heads = _cues_by_head()
    found: set[int] = _compound_tasks(low) if "2" in low else set()
    found.update(task for task, _, _ in claims_in(text))  # what an answer's plain words claim, a question asks
    skip = _loose() if not loose else frozenset()
    for m in _WORD.finditer(low):
        word = m.group()
        keys = [word[:3]]
        if word[0].isdigit() or word in _NUMBER_WORDS or word[0] == "x":  # "4", "four", "x4", "x 4"
            keys.append("#")
        for key in keys:
            for task, tokens in heads.get(key, ()):
                if not loose and (task, tokens) in skip:
                    continue
                if task not in found and match_cue(low, m.start(), tokens) and not _negated(low, m.start()):
                    found.add(task)
    return found
