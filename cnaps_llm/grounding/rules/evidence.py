"""Rule ``evidence``: every statement about a source carries a quote from that source, and
says nothing of it that the source does not.

Reads the notation of ``answer_format`` (statements in bold-name lines, quotes in
footnotes or inline) and does nothing on an answer without it. For each statement:

* it has evidence: a quote, or, for a source with no summary, its name or title;
* each quote occurs in its source's summary, name or link titles once case, white space,
  quote marks and dashes are normalised (fragments joined by "…" occur in order);
* each word of the statement that names a capability (a task), a mechanism, a dataset or
  training detail, a result (``data/claims.txt``), a name or a figure occurs in that
  source's own text; a reason for setting a model aside may also use the question's words.

Invariant: pure; what it derives from the case is computed once per case index.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from ...answer_format import (
    NO_QUOTE,
    Statement,
    has_evidence,
    normalise_quote,
    occurs_in,
    reason_start,
    statements,
)
from .. import patterns, vocab
from ..index import Grounding
from ..links import canonical
from ..tasks import tasks_in
from . import Finding, Rule, View

MAX_QUOTE_WORDS = 60
_CAMEL = patterns.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD = patterns.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*(?:-[A-Za-z0-9]+)*")
_NUMBER = patterns.compile(r"(?<![A-Za-z0-9.,])\d+(?:[.,]\d+)*")
_PART = patterns.compile(r"[A-Za-z0-9']+")
_WORD_START = r"(?<![a-z0-9])"
_MARK_START = patterns.compile(r'\[(?:\^|"|' + re.escape(NO_QUOTE) + ")")
_ROLE = {"step": "The step using", "set_aside": "The reason for setting aside", "reference": "The reason for citing"}


@cache
def _lexicon() -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...], frozenset[str]]:
    """The claim words: one scanning pattern (a named group per term), each term's own
    pattern for looking it up in a source, and the name-shaped words that are no claim."""
    lines = [ln.strip() for ln in vocab.data_text("claims.txt").splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    plain = frozenset(ln[1:].lower() for ln in lines if ln.startswith("!"))
    terms = sorted((ln for ln in lines if not ln.startswith("!")), key=len, reverse=True)
    bodies = [_term_regex(t) for t in terms]
    # one word-start test and a first-letter test before the alternation (each body's own
    # look-behind would make re try every term at every character: five times slower)
    firsts = "".join(sorted({sp[0] for t in terms for sp in t.lower().split("|")}))
    unanchored = "|".join(f"(?P<t{i}>{b.removeprefix(_WORD_START)})" for i, b in enumerate(bodies))
    scan = patterns.compile(f"{_WORD_START}(?=[{re.escape(firsts)}])(?:{unanchored})")
    return scan, tuple(patterns.compile(b) for b in bodies), plain


def _term_regex(term: str) -> str:
    """A term (``|`` between spellings) as a regex over lower-cased text."""
    spellings = []
    for spelling in term.lower().split("|"):
        words = [w for w in re.split(r"[\s\-_]+", spelling) if w]
        spellings.append(r"[\s\-_]+".join(re.escape(w.rstrip("*")) + (r"[a-z0-9]*" if w.endswith("*") else "") for w in words))
    return _WORD_START + "(?:" + "|".join(spellings) + r")(?![a-z0-9])"


class _Text(NamedTuple):
    """One source's own text (or the question's), in the forms the checks compare with."""

    quotable: tuple[str, ...]  # name, summary, link titles: each normalised as quotes are
    low: str  # everything lower-cased, camelCase split
    squashed: str
    tasks: frozenset[int]
    numbers: frozenset[str]
    says: str  # what to quote back: the start of its summary, or its name


def _link_title(url: str) -> str:
    path = unquote(urlsplit(url).path)
    return re.sub(r"[/_.\-]+", " ", path).strip()


def _text_of(name: str, summary: str | None, links: list[str], keys: list[str], also: tuple[str, ...] = ()) -> _Text:
    """A source's text: its name, summary, link titles and link keys, and ``also`` the
    names of the sources that share its paper or repository."""
    titles = [_link_title(u) for u in links] + list(also)
    plain = "\n".join([name, _CAMEL.sub(" ", name), summary or "", *titles, *keys])
    low = plain.lower()
    tasks = {t for t, _, _ in tasks_in(low)}
    all_tasks = vocab.tasks()
    by_name = {t.name: i for i, t in enumerate(all_tasks)}
    tasks |= {i for i, t in enumerate(all_tasks) if any(by_name.get(n) in tasks for n in t.implied_by)}
    if summary:
        words = summary.split()
        says = "its summary begins “" + " ".join(words[:24]) + ("…”" if len(words) > 24 else "”")
    else:
        says = f"it has no summary, only its name “{name}”"
    return _Text(
        quotable=tuple(normalise_quote(t) for t in (name, summary or "", *titles) if t),
        low=low,
        squashed=vocab.squash(plain),
        tasks=frozenset(tasks),
        numbers=frozenset(n.replace(",", "") for n in _NUMBER.findall(plain)),
        says=says,
    )


class _CaseTexts(NamedTuple):
    by_name: dict[str, tuple[str, _Text]]  # source name -> (id, text)
    question: _Text


def _case_texts(g: Grounding) -> _CaseTexts | None:
    known = g.derived.get("evidence")
    if known is None and g.case is not None:
        case = g.case
        by_name: dict[str, tuple[str, _Text]] = {}
        for s in case.sources:
            # sources that share a paper or repository are one work: a recommended model
            # whose paper is a related paper may be described by that paper's summary
            same = [o for o in case.sources if o is s or {canonical(u) for u in o.all_links()} & {canonical(u) for u in s.all_links()}]
            summary = "\n".join(o.summary for o in same if o.summary) or None
            names = [o.name for o in same if o is not s]
            by_name.setdefault(s.name, (s.id, _text_of(s.name, summary, [u for o in same for u in o.all_links()], list(s.links), tuple(names))))
        known = g.derived["evidence"] = _CaseTexts(by_name, _text_of(case.question, None, [], []))
    return known  # type: ignore[return-value]


def _short(name: str) -> str:
    return name if len(name) <= 48 else name[:45].rstrip() + "…"


def no_evidence_message(kind: str, name: str, says: str) -> str:
    return (
        f"{_ROLE[kind]} {_short(name)} has no evidence; add a quote copied from that source that states it "
        f"({says}), and say only what the quote states."
    )


def invented_message(quote: str, name: str, says: str) -> str:
    return f"The quote “{quote}” is not in what {_short(name)} says ({says}); copy the words exactly from that source."


def moved_message(quote: str, name: str, other: str) -> str:
    return f"The quote “{quote}” comes from {_short(other)}, not from {_short(name)}; give each statement a quote from its own source."


def long_message(name: str) -> str:
    return f"The quote for {_short(name)} is longer than {MAX_QUOTE_WORDS} words; quote only the words that state the claim."


def unsupported_message(kind: str, term: str, name: str, quote: str, says: str) -> str:
    shown = f"its quote says “{quote}”" if quote else says
    return (
        f'{_ROLE[kind]} {_short(name)} says "{term}", which that source does not state ({shown}); '
        "say of a source only what its summary or name states, or quote where it says it."
    )


def _claims(text: str, base: int) -> Iterator[tuple[int, str, str, object]]:
    """(offset, word as written, kind, key) for each claim word in a statement's text."""
    low = text.lower()
    scan, _, plain = _lexicon()
    for task, at, term in tasks_in(text):
        yield base + at, text[at : at + len(term)], "task", task
    for m in scan.finditer(low):
        yield base + m.start(), text[m.start() : m.end()], "term", int(m.lastgroup[1:])  # type: ignore[index]
    names = vocab.names()
    for m in _WORD.finditer(text):
        for part_m in _PART.finditer(m.group()):
            w = part_m.group()
            inner_cap = any(c.isupper() for c in w[1:]) and any(c.islower() or c.isdigit() for c in w) or (w.isupper() and len(w) > 1)
            mixed = any(c.isdigit() for c in w) and any(c.isalpha() for c in w)
            known = w[:1].isupper() and (w in names.exact or vocab.squash_word(w) in names.any_case)
            if (inner_cap or mixed or known) and w.lower() not in plain:
                yield base + m.start() + part_m.start(), w, "name", vocab.squash_word(w)
    for m in _NUMBER.finditer(text):
        yield base + m.start(), m.group(), "number", m.group().replace(",", "")


def _supported(kind: str, key: object, t: _Text) -> bool:
    if kind == "task":
        return key in t.tasks
    if kind == "term":
        return _lexicon()[1][key].search(t.low) is not None  # type: ignore[index]
    if kind == "name":
        sq = str(key)
        return sq in t.squashed or (sq.endswith("s") and sq[:-1] in t.squashed)
    return key in t.numbers


def _aside_ok(kind: str, key: object, texts: _CaseTexts, g: Grounding) -> bool:
    """A reason for setting a model aside says what the user wants and what the model is
    not: it may use the question's words, and any task the input names."""
    return (kind == "task" and key in g.tasks) or _supported(kind, key, texts.question)


def find(view: View, g: Grounding) -> Iterator[Finding]:
    answer = view.answer
    # any evidence in the notation starts "[^", '["' or "[no quote given": one search that
    # skips to each "[" in C rules most answers out for a third of has_evidence's three
    if _MARK_START.search(answer) is None or not has_evidence(answer):
        return
    found = statements(answer)
    if not any(st.markers for st in found):
        return  # the notation is not there: a "[" in someone's code is not evidence
    texts = _case_texts(g)
    if texts is None:
        return
    for st in found:
        known = texts.by_name.get(st.name)
        if known is None or not st.text:
            continue
        _, own = known
        prose_start, prose = _prose(view, st)
        if not prose.strip(" .·:;,"):
            continue  # a reference line with links and no reason says nothing of its source
        quotes = [q for q in st.quotes if q.strip()]
        if not quotes:
            yield Finding(st.offset, st.name, no_evidence_message(st.kind, st.name, own.says))
            continue
        for q in quotes:
            if len(q.split()) > MAX_QUOTE_WORDS:
                yield Finding(st.offset, q, long_message(st.name))
            elif not any(occurs_in(q, t) for t in own.quotable):
                other = next((n for n, (_, t) in texts.by_name.items() if n != st.name and any(occurs_in(q, x) for x in t.quotable)), None)
                yield Finding(st.offset, q, moved_message(q, st.name, other) if other else invented_message(q, st.name, own.says))
        shown = quotes[0] if any(occurs_in(quotes[0], t) for t in own.quotable) else ""
        seen: set[str] = set()
        for offset, word, kind, key in sorted(_claims(prose, prose_start), key=lambda c: c[0]):
            if _supported(kind, key, own) or (st.kind == "set_aside" and _aside_ok(kind, key, texts, g)):
                continue
            if word.lower() not in seen:
                seen.add(word.lower())
                yield Finding(offset, word, unsupported_message(st.kind, word, st.name, shown, own.says))


def _prose(view: View, st: Statement) -> tuple[int, str]:
    """Where the statement's prose starts, and that prose as the rules read it: after a
    reference's links (the renderer writes them first), with the markers blanked."""
    start = st.offset
    if st.kind == "reference":
        start += reason_start(view.answer[st.offset : st.end])
    body = view.text[start : st.end]
    for a, b in st.markers:
        if a >= start:
            body = body[: a - start] + " " * (b - a) + body[b - start :]
    return start, body


RULE = Rule("evidence", find)
