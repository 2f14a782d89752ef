"""What each source grounds on its own, and which sources a piece of an answer names.

The attribution, venue, author and claim rules judge a statement against the source it
is about, not against the input as a whole: a venue in one paper's URL does not ground
the same venue given for another model. This module gives them, per case, each
source's names as an answer may shorten them (``MSSNet`` for ``Deblur-MSSNet-L-GoPro``,
its repository's name ``noise-da``, "the CNN autoencoder paper" for a title), its
canonical links, word stems, tasks, venues, years and repository owners; and the
sources a span of an answer names (``CaseFacts.about``). The unit a statement sits in,
and the source a unit naming none is about, are ``statements``'.

Invariant: built only from the ``Case`` the ``Grounding`` was built from, remembered
per index object.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

from ..models import Case, Source
from . import patterns
from .index import LINK_NAME, Grounding
from .links import canonical
from .tasks import tasks_in
from .triggers import claim_terms, data_lines, term_regex, to_words, venues, words_only

_TOKEN = patterns.compile(r"[0-9a-z]+")
_WORD = patterns.compile(r"[a-z]+")
_CAMEL = patterns.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_PARTS = patterns.compile(r"[\s_/:,()\[\]-]+")
_YEAR = patterns.compile(r"(?<![\d.])(?:19[89]\d|20[0-4]\d)(?!\d|\.\d)")  # not an arXiv id's 2003.07018
_PAGES_OWNER = patterns.compile(r"([\w-]+)\.github\.io", re.IGNORECASE)  # a user's project pages
_ARXIV_ID = patterns.compile(r"(?<![\d.])([0-2]\d)(?:0[1-9]|1[0-2])\.\d{4,5}(?!\d)")
# a part that cannot name a source alone: scales, sizes, versions ("4x", "x2", "v1", "64", "b32")
_NOT_HANDLE = patterns.compile(r"^(?:x?\d+x?|v\d+|[a-z]\d{0,2}|\d+[a-z]?)$")


@cache
def name_parts() -> tuple[frozenset[str], dict[str, tuple[tuple[str, ...], ...]]]:
    """``data/name_parts.txt``: the parts of source names that never identify a source
    alone (task prefixes, hubs, plain words), and other names some parts go by."""
    generic: set[str] = set()
    aliases: dict[str, tuple[tuple[str, ...], ...]] = {}
    for line in data_lines("name_parts.txt"):
        part, _, other = line.partition("=")
        if other:
            aliases[part.strip().lower()] = tuple(_tokens(a) for a in other.split("|") if _tokens(a))
        else:
            generic.add(line.lower())
    return frozenset(generic), aliases


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """A crude stem that folds the forms a claim and a source use for one idea
    ("restoring", "restoration", "restored" -> "restor"; "haze", "hazy" -> "haz")."""
    for suffix in ("ations", "ation", "ings", "ing", "ions", "ion", "ers", "er", "ies", "es", "ed", "ly", "s", "e", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:6]


def words_of(text: str) -> set[str]:
    """The stems of ``text``'s words, camelCase split too (``DeHaze`` gives "haz")."""
    low = text.lower()
    split = _CAMEL.sub(" ", text).lower()
    return {stem(w) for w in _WORD.findall(low)} | {stem(w) for w in _WORD.findall(split)}


def years_of(texts: Iterable[str]) -> frozenset[str]:
    """The years a source's URLs and summary give, arXiv ids (``2003.07018``: 2020) included."""
    out: set[str] = set()
    for t in texts:
        out.update(_YEAR.findall(t))
        out.update(f"20{m}" for m in _ARXIV_ID.findall(t))
    return frozenset(out)


class SourceFacts(NamedTuple):
    id: str
    name: str
    handles: tuple[tuple[str, ...], ...]  # token runs an answer may call it by
    links: frozenset[str]  # canonical
    words: frozenset[str]  # stems of its name, links and summary
    tasks: frozenset[int]
    years: frozenset[str]
    venues: frozenset[str]  # short names (data/venues.txt) its URLs and summary give
    tokens: frozenset[str]  # its words and letter runs, lower-cased ("cho" from ``Cho_Rethinking``)
    says: frozenset[str]  # the kinds of claim its own text makes: "comparison", "licence", "quality"
    owners: frozenset[str] = frozenset()  # its repositories' owners, letters and digits ("menghanxia")

    def has_name_part(self, part: str) -> bool:
        """Whether a name part (a surname) is among its words, or starts or ends one of its
        repositories' owners, where a person's names run together ("Xia" in ``menghanxia``)."""
        return part in self.tokens or any(
            o.startswith(part) or o.endswith(part) or o.rstrip("0123456789").endswith(part) for o in self.owners
        )


class CaseFacts(NamedTuple):
    sources: tuple[SourceFacts, ...]
    owners: dict[str, frozenset[int]]  # canonical link -> indexes of the sources that give it
    by_token: dict[bytes, tuple[tuple[tuple[bytes, ...], int], ...]]  # first word -> (handle, source index)
    firsts: frozenset[bytes]  # the first words of all handles
    question_words: frozenset[str]  # stems of the question's words
    titles: tuple[bytes, ...] = ()  # each source's name run together, lower-cased, if it is a title (else empty)
    shared: frozenset[bytes] = frozenset()  # one-word handles of several sources ("stablediffusionv1")
    papers: tuple[frozenset[int], ...] = ()  # per source without a summary: the summarised sources giving one of its links

    def with_papers(self, about: set[int]) -> set[int]:
        """``about`` and the papers its sources were published in: a model without a
        summary is the work of a source with one that gives the same link (DETR's
        checkpoint and the DETR paper share their code)."""
        if not self.papers:
            return about
        out = set(about)
        for i in about:
            out |= self.papers[i]
        return out

    def about(self, text: str, start: int, end: int, links: tuple[tuple[int, int, str], ...],
              toks: list[bytes] | None = None) -> set[int]:
        """The sources the span ``text[start:end]`` (links blanked; ``toks`` its words, if
        split already) is about: those it names, and those that give a link cited in it."""
        found = self.named(words_only(text)[start + 1 : end + 1].split() if toks is None else toks)
        for s, _, raw in links:
            if start <= s < end:
                found |= self.owners.get(canonical(raw), frozenset())
        return found

    def mentioned(self, unit: str) -> set[int]:
        """Indexes of the sources ``unit`` names (by a handle, as whole words)."""
        return self.named(to_words(unit).split())

    def named(self, toks: list[bytes]) -> set[int]:
        """Indexes of the sources named in a run of words (``words_only`` split): by a
        handle, or by a description of a paper from its title's words ("the CNN
        autoencoder paper" of "… CNN Auto Encoder-Based Image Denoising …")."""
        firsts = self.firsts.intersection(toks)  # most words start no name: found in C
        described = self.described(toks) if self.titles and not _WORKS.isdisjoint(toks) else set()
        found = set(described)
        for first in firsts:
            for handle, src in self.by_token[first]:
                if src not in found and (len(handle) == 1 or _has_run(toks, handle)):
                    found.add(src)
        if len(found) > 1 and not self.shared.isdisjoint(toks):
            return self._narrowed(toks, found) | described
        return found

    def family(self, text: str, start: int, end: int, found: set[int]) -> bool:
        """Whether ``found`` are the sources one shared part in ``text[start:end]`` names:
        "MSSNet" for every MSSNet checkpoint, one subject in several variants."""
        return len(found) > 1 and any(
            tok in self.shared and self._singles(tok) == found for tok in words_only(text)[start + 1 : end + 1].split()
        )

    def _singles(self, tok: bytes) -> set[int]:
        return {src for handle, src in self.by_token.get(tok, ()) if len(handle) == 1}

    def _narrowed(self, toks: list[bytes], found: set[int]) -> set[int]:
        """``found`` less the sources named only by a part several sources share that
        stands beside a part naming one of them: "StableDiffusionV1" in
        "Txt2Img-StableDiffusionV1-ICBINP" names ICBINP, not every SD checkpoint."""
        kept: set[int] = set()
        for k, tok in enumerate(toks):
            if tok not in self.firsts:
                continue
            srcs = self._singles(tok)
            if tok in self.shared:
                near = set()
                for j in (k - 2, k - 1, k + 1, k + 2):  # "Deblur-MSSNet-L-GoPro": a part or two away
                    if 0 <= j < len(toks) and toks[j] not in self.shared:
                        near |= self._singles(toks[j])
                srcs = (srcs & near) or srcs
            kept |= srcs
        multi = {src for tok in self.firsts.intersection(toks) for handle, src in self.by_token[tok]
                 if len(handle) > 1 and _has_run(toks, handle)}
        return (found & (kept | multi)) or found


    def described(self, toks: list[bytes]) -> set[int]:
        """The papers named by "the/this/its <1-3 words> paper|study|…" whose words, all of
        them, are in one title alone (run together: "autoencoder" in "Auto Encoder")."""
        found: set[int] = set()
        plain = _plain()
        for k, t in enumerate(toks):
            if t not in _WORKS:
                continue
            lo = next((j for j in range(k - 1, max(-1, k - 5), -1) if toks[j] in _DETERMINERS), None)
            if lo is None or lo == k - 1:
                continue
            words = [w for w in toks[lo + 1 : k] if w not in plain]
            if not words or any(len(w) < 3 for w in words):
                continue
            hits = [i for i, title in enumerate(self.titles) if title and all(w in title for w in words)]
            if len(hits) == 1:
                found.add(hits[0])
        return found


_WORKS = frozenset((b"paper", b"study", b"work", b"method", b"approach", b"article", b"preprint"))
_DETERMINERS = frozenset((b"the", b"this", b"that", b"its", b"their"))


@cache
def _plain() -> frozenset[bytes]:
    return frozenset(w.encode() for w in claim_terms()["plain"])


def _has_run(toks: list[bytes], run: tuple[bytes, ...]) -> bool:
    at = toks.index(run[0])
    while True:
        if tuple(toks[at : at + len(run)]) == run:
            return True
        try:
            at = toks.index(run[0], at + 1)
        except ValueError:
            return False


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text.lower()))


def handles(source: Source) -> tuple[tuple[str, ...], ...]:
    """The token runs an answer may call ``source`` by: its whole name, its name without
    the parts that identify nothing (``Deblur``, ``HuggingFace``), each identifying part
    (``MSSNet``, ``RealBlurR``) and its aliases (``Stable Diffusion``), a paper
    title's short name before its colon, its id (``R1``), and the name of each repository
    its links give (``noise-da`` of ``github.com/kangliao929/noise-da``): the model rule
    accepts that name, so an answer may call the source by it. A repository's name counts
    whole only, and not when it is one part that identifies nothing ("models")."""
    generic, aliases = name_parts()
    name = source.name
    out: list[tuple[str, ...]] = [_tokens(name), (source.id.lower(),)]
    if " " in name.strip():  # a paper title: its whole title, or the short name before its colon
        head = name.split(":", 1)[0] if ":" in name else ""
        if head and len(head.split()) <= 3:
            out.append(_tokens(head))
    else:  # a model id: its identifying parts
        parts = [p for p in _PARTS.split(name) if p]
        kept = [p for p in parts if p.lower() not in generic and not _NOT_HANDLE.match(p.lower())]
        if kept and len(kept) < len(parts):
            out.append(_tokens(" ".join(kept)))
        if len(parts) > 2 and parts[0].lower() in generic:  # "low-light-img-enhancer"
            out.append(_tokens(" ".join(parts[1:])))
        for p in kept if len(parts) > 1 else ():
            if len(p) >= 3:
                out.append(_tokens(p))
                out.extend(aliases.get(p.lower(), ()))
        for k, p in enumerate(parts[:-1]):  # "resnet-50": a generic part and the number after it
            if p.lower() in generic and parts[k + 1].isdigit():
                out.append(_tokens(f"{p} {parts[k + 1]}"))
    for link in source.all_links():
        for m in LINK_NAME.finditer(link):
            repo = _tokens(m.group(1).split("/", 1)[1].removesuffix(".git"))
            if repo and (len(repo) > 1 or len(repo[0]) >= 4):
                out.append(repo)
    return tuple(h for h in dict.fromkeys(out) if h and not (len(h) == 1 and h[0] in generic))


_ALPHA = patterns.compile(r"[a-z]+")


def venues_in(text: str) -> frozenset[str]:
    """The venues ``text`` (a source's name, URLs, summary) gives, as short names: a name
    as a run of letters in any case (``ICCV2021``, ``content_CVPR_2020``, ``ICCVW``,
    ``neurips.cc``), a name of several words as consecutive runs (``ACM_MM``)."""
    found = _ALPHA.findall(text.lower())
    runs = set(found) | {r[:-1] for r in found if r.endswith("w")}  # a workshop: ICCVW
    joined = f" {' '.join(found)} "
    out = set()
    for name, short in venues().items():
        n = name.lower()
        if (n in runs) if _ALPHA.fullmatch(n) else (f" {' '.join(_ALPHA.findall(n))} " in joined):
            out.add(short)
    return frozenset(out)


@cache
def _statements() -> dict[str, re.Pattern[str]]:
    """What a source's own text may say that grounds a claim of that kind (``data/claims.json``):
    a comparison, a licence, a quality (a comparison counts as one)."""
    terms = claim_terms()

    def alternation(words: list[str]) -> re.Pattern[str]:
        return patterns.compile(r"(?<![a-z0-9])" + patterns.trie_regex([term_regex(t) for t in words]))

    return {
        "comparison": alternation(terms["comparison_in_source"]),
        "licence": alternation(terms["licence"]),
        "quality": alternation(terms["quality"] + terms["comparison_in_source"]),
    }


def _source_facts(source: Source) -> SourceFacts:
    links = source.all_links()
    pieces = [source.name, *links, source.summary or ""]
    text = "\n".join(pieces)
    split = _CAMEL.sub(" ", text)
    tasks = {t for t, _, _ in tasks_in(text)} | {t for t, _, _ in tasks_in(split)}
    return SourceFacts(
        id=source.id,
        name=source.name,
        handles=handles(source),
        links=frozenset(canonical(u) for u in links),
        words=frozenset(words_of(text)),
        tasks=frozenset(tasks),
        years=years_of([*links, source.summary or ""]),
        venues=venues_in(text),
        tokens=frozenset(_TOKEN.findall(text.lower())) | frozenset(_ALPHA.findall(text.lower())),
        says=frozenset(k for k, p in _statements().items() if p.search(text.lower())),
        owners=frozenset(
            "".join(_tokens(m.group(1).split("/", 1)[0]))
            for u in links for m in (*LINK_NAME.finditer(u), *_PAGES_OWNER.finditer(u))
        ),
    )


def case_facts(case: Case) -> CaseFacts:
    sources = tuple(_source_facts(s) for s in case.sources)
    owners: dict[str, set[int]] = {}
    by_token: dict[bytes, list[tuple[tuple[bytes, ...], int]]] = {}
    for i, s in enumerate(sources):
        for link in s.links:
            owners.setdefault(link, set()).add(i)
        singles = {h[0] for h in s.handles if len(h) == 1}
        for h in s.handles:
            if len(h) > 1 and not singles.isdisjoint(h):  # "mssnet realblurr" is found by "mssnet" already
                continue
            words = tuple(t.encode() for t in h)
            by_token.setdefault(words[0], []).append((words, i))
    return CaseFacts(
        sources=sources,
        owners={k: frozenset(v) for k, v in owners.items()},
        by_token={k: tuple(v) for k, v in by_token.items()},
        firsts=frozenset(by_token),
        question_words=frozenset(words_of(case.question)),
        titles=tuple("".join(_tokens(s.name)).encode() if " " in s.name.strip() else b"" for s in case.sources),
        shared=frozenset(t for t, hs in by_token.items() if len({src for h, src in hs if len(h) == 1}) > 1),
        papers=tuple(
            frozenset() if src.summary else frozenset(
                j for link in s.links for j in owners[link] if j != i and case.sources[j].summary
            )
            for i, (s, src) in enumerate(zip(sources, case.sources))
        ),
    )


_MEMO: dict[int, tuple[Grounding, CaseFacts]] = {}
_MEMO_SIZE = 256  # as many as grounding_for keeps


def facts_for(g: Grounding) -> CaseFacts | None:
    """The per-source facts of the case ``g`` was built from (None for an index built
    without its case), remembered per index object: each check reuses its case's index."""
    hit = _MEMO.get(id(g))
    if hit is not None and hit[0] is g:
        return hit[1]
    if g.case is None:
        return None
    facts = case_facts(g.case)
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[id(g)] = (g, facts)  # holding g keeps its id from being reused while remembered
    return facts


def clear() -> None:
    """Forget the remembered facts (for measuring cold checks, and for tests)."""
    _MEMO.clear()
