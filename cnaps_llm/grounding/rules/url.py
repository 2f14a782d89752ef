"""Rule ``url``: every link in the answer is one the input gives (canonical forms compared).

A link target of any syntax is judged (``links.find_links``). A scheme other than
http(s), or a target that resolves to a host not written ``http(s)://host``, is never
grounded, whatever the input holds. A grounded link glued to an unbalanced ``)`` is
read up to the link's end; a host written alone (``github.com``) is grounded by any input
link on that host; a link cut off at the very end of the answer (a truncated
reply) that is the start of an input link is not an invented one.

``FIELDS_RULE`` (``check(..., links="fields")``) grounds a link only by the sources'
link fields: a link that occurs only inside a summary's prose is reported.

It masks the answer's links, found or not, and pasted citation marks (``【2†L15-L28】``,
``:contentReference[oaicite:1]{index=1}``), so that later rules do not read the names
and numbers inside them as claims. Tracking parameters (``?utm_source=…``) and a dash,
low quote or superscript glued after a link are not part of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from .. import patterns
from ..index import Grounding
from ..links import TRAIL, artefacts, canonical, decoded, problem
from . import Finding, Rule, Span, View

_SCHEME = patterns.compile(r"^[a-z][a-z0-9+.-]*://(?:www\.)?")
_AFTER_CUT = " \t\r\n" + TRAIL


def message(link: str) -> str:
    return f"The link {link} is not in the provided sources; cite only the exact links given with the sources."


def scheme_message(link: str, scheme: str) -> str:
    return f"The link {link} uses the {scheme}: scheme, which is never allowed; cite only the exact http(s) links given with the sources."


def host_message(link: str) -> str:
    return (
        f"The link {link} is not written as a full http(s):// link and would lead to another site; "
        "cite only the exact links given with the sources."
    )


def prose_message(link: str) -> str:
    return f"The link {link} occurs only inside a source's summary, not among its links; cite the sources' own links."


def _unbalanced_close(raw: str) -> int:
    """The offset of the first ``)`` that closes nothing in ``raw``, or -1."""
    depth = 0
    for i, c in enumerate(raw):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return i
    return -1


def _known(raw: str, keys: frozenset[str]) -> bool:
    if canonical(raw) in keys:
        return True
    if ("&" in raw or "\\" in raw) and canonical(decoded(raw)) in keys:  # `&amp;` and escapes, as a renderer reads them
        return True
    cut = _unbalanced_close(raw) if ")" in raw else -1  # `…/SwinIR)and` in prose
    if cut > 0 and canonical(raw[:cut]) in keys:
        return True
    # a host written alone ("on github.com") is the site of any input link on it
    host = canonical(raw)
    return "/" not in raw and ":" not in raw and any(k == host or k.startswith(host + "/") for k in keys) or (
        host == "arxiv.org" and any(k.startswith("arxiv:") for k in keys)
    )


def _cut_off(raw: str, texts: Sequence[str]) -> bool:
    """``raw`` is how an input link starts (scheme and ``www.`` aside)."""
    low = raw.lower()
    bare = _SCHEME.sub("", low)
    return any(t.lower().startswith(low) or _SCHEME.sub("", t.lower()).startswith(bare) for t in texts)


def _message(raw: str, keys: frozenset[str], g: Grounding, fields: bool) -> str | None:
    bad = problem(raw)
    if bad is not None:
        return scheme_message(raw, bad[1]) if bad[0] == "scheme" else host_message(raw)
    if _known(raw, keys) or raw.startswith("#"):  # `[Task](#1-the-task)` stays on the page
        return None
    return prose_message(raw) if fields and _known(raw, g.links) else message(raw)


def _finder(fields: bool) -> Callable[[View, Grounding], Iterator[Finding]]:
    def find(view: View, g: Grounding) -> Iterator[Finding]:
        keys = g.field_links if fields else g.links
        # where the answer's text ends, punctuation left after a cut-off link aside
        tail = len(view.answer.rstrip(_AFTER_CUT)) if view.links else 0
        said: dict[str, str | None] = {}  # link -> its message: an answer may repeat a link many times
        for start, end, raw in view.links:
            if end >= tail and problem(raw) is None:
                texts = [t for t in g.link_texts if canonical(t) in keys] if fields else g.link_texts
                if _cut_off(raw, texts):
                    continue
            if raw not in said:
                said[raw] = _message(raw, keys, g, fields)
            if said[raw] is not None:
                yield Finding(start, raw, said[raw])  # type: ignore[arg-type]

    return find


def masks(view: View) -> Iterator[Span]:
    spans = [(start, end) for start, end, _ in view.links]
    marks = list(artefacts(view.answer))
    if not marks:
        return iter(spans)
    # pasted citation marks ("【2†L15-L28】") are masked with the links, outside any link
    merged = sorted([*spans, *marks])
    kept: list[Span] = []
    for a, b in merged:
        if kept and a < kept[-1][1]:
            kept[-1] = (kept[-1][0], max(b, kept[-1][1]))
        else:
            kept.append((a, b))
    return iter(kept)


RULE = Rule("url", _finder(fields=False), masks)
FIELDS_RULE = Rule("url", _finder(fields=True), masks)
