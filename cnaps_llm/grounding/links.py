"""Find link-like references in text and reduce them to a canonical form.

Every link *target* is found, whatever the syntax that makes it one: markdown inline
links and images (``[x](target "title")``, ``[x](<target>)``), reference definitions
(``[x]: target``), autolinks (``<scheme:…>``), HTML ``href``/``src``-style attributes,
and bare text (``https://…``, any ``scheme://…``, ``javascript:``/``data:``/``file:``,
``https:/host`` and ``//host`` forms, ``www.…``, bare ``domain.tld/path``, a bare host
in lower case with a site's top-level domain (``name.github.io``), DOIs and arXiv ids). ``problem`` says which targets can never be grounded: a scheme other than
http(s), or an http(s) or scheme-less target that a browser would send to a host not
written out as ``https://host``.

Two references are the same link when their canonical forms are equal: scheme,
``www.``, trailing slash or punctuation, ``.git``, the letter case of a GitHub
owner/repo, and arXiv ``abs``/``pdf``/``.pdf``/version variants do not matter.

Invariant: pure, and linear in the text: every pattern leads with a literal or is gated
by a substring test, no pattern can backtrack over more than the run it stands on, and
trailing punctuation is stripped in one pass (``bench/degenerate.py`` measures it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple, TypeVar
from urllib.parse import unquote

from . import patterns
from .patterns import finditer_any

TRAIL = ".,;:!?)]}>'\"*_`»”’"
# what a bare URL never contains: space and markup, and the full-width brackets and
# marks that close it in CJK text and in citation markers such as 【12†source】
# (and dashes, a low quote and superscripts glued after a link: "…/2303.01681—used", "…08008¹",
# which a URL holds only percent-encoded)
_STOP = r"\s<>\"'`\[\]{}|\\^【】〔〕〖〗「」『』《》〈〉（）［］｛｝，。、；！？†‡—–‚¹²³⁰⁴⁵⁶⁷⁸⁹"
_CHARS = rf"[^{_STOP}]"
# One pattern per kind, tried in this order on text where earlier finds are blanked
# out: cheap literal-led patterns first, the costly bare-domain one only when a
# "name.tld/" is present at all (issue #7: a 3 KB answer must check in well under 1 ms).
# gates lead with a literal, which re finds fast (a leading \d or look-behind is tried at every position)
_BARE_ARXIV = patterns.compile(r"\.\d{4,5}v\d")
_DOI = patterns.compile(r"10\.\d{4,9}/")
_DOT_SLASH = patterns.compile(r"\.[A-Za-z]{2,24}/")
_ID_DIGITS = patterns.compile(r"\.\d{4}")
class _AnyOf(NamedTuple):
    """Patterns that each lead with their own literal, searched as their alternation would
    be (``patterns.finditer_any``): re skips to a literal in C, not to an alternation."""

    each: tuple[re.Pattern[str], ...]

    @property
    def pattern(self) -> str:
        return "|".join(p.pattern for p in self.each)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return finditer_any(self.each, text)

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


_PATTERNS = (
    # http(s) with a slash and any more slashes either way: `https:/x` and `https:/\\x` are
    # found here too and judged by ``problem`` (a browser sends each of them to host x)
    # one pattern per case of the "h" (no \b or re.I): re skips ahead to a literal in C
    _AnyOf(tuple(patterns.compile(rf"{h}[tT][tT][pP][sS]?:/[/\\]*[^{_STOP}/]{_CHARS}*") for h in "hH")),
    # `//`: after a colon, any other scheme:// (the scheme read backwards, see _widen); after
    # a space or a bracket, a scheme-relative `//host.tld/…` (see find_links); else a path
    patterns.compile(rf"//{_CHARS}*"),
    patterns.compile(rf"\bwww\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+{_CHARS}*"),
    patterns.compile(r"(?<![\w.])(?:doi:\s*)?10\.\d{4,9}/[^\s\"'<>`\[\](){}]+", re.I),
    # "arXiv:2403.07319", "arXiv 2403.07319" (a space, not a line break, between)
    patterns.compile(r"\b[Aa][Rr][Xx][Ii][Vv](?::\s*|[ \t]+)\d{4}\.\d{4,5}(?:v\d+)?"),
    patterns.compile(r"(?<![\w./-])\d{4}\.\d{4,5}v\d+\b"),
    # script and data URIs written as plain text, in lower case (as a target, any case is judged);
    # one literal-led pattern each, their matches merged; not `data:**` in prose
    _AnyOf(tuple(patterns.compile(rf"{scheme}:(?=[\w%&#,;(!~+-]){_CHARS}+") for scheme in ("javascript", "vbscript", "data"))),
)
_SLASHES = 1  # the index in _PATTERNS of `//`
_HOST = patterns.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w-])")
_IN_PATH = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/\\.-")
_SCRIPT = 6  # the index in _PATTERNS of the script and data URIs (checked for a word glued before)
# (`file:` is not among them: `file:///…` is found with the other schemes)
# cheap tests, on the text with earlier finds blanked, that a pattern can match at all
# (a one-character test goes first where it can: it skips ahead like memchr, many times
# faster than a test for two characters or more, and a quarter of answers have no "/")
_MAY_MATCH: tuple[Callable[[str], bool], ...] = (
    lambda t: "/" in t and ":/" in t,
    lambda t: "/" in t and "//" in t,
    lambda t: "www." in t,
    lambda t: "/" in t and _DOI.search(t) is not None,
    # an id's ".dddd" first (a literal-led search: links already found are blanked), then
    # four substring tests, which beat one lower()
    lambda t: _ID_DIGITS.search(t) is not None and any(s in t for s in ("iv:", "IV:", "Iv:", "iV:", "iv ", "IV ", "Iv ")),
    lambda t: _BARE_ARXIV.search(t) is not None,
    lambda t: "script:" in t or "data:" in t,
    lambda t: "/" in t and _DOT_SLASH.search(t) is not None,
    lambda t: _HOST_END.search(t) is not None,
)
_BARE = patterns.compile(
    rf"(?<![\w@./-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?P<tld>[A-Za-z]{{2,24}})/{_CHARS}*"
)
# a host written alone, with no path ("the project page is name.github.io", "upscale.media"):
# only with a top-level domain that sites are named by (a file's extension is none of these)
# (universities and labs by theirs too: "places2.csail.mit.edu", "cg.postech.ac.kr")
_HOST_TLDS = "com|org|net|io|ai|app|dev|media|co|edu|gov|uk|de|kr|jp|cn"
_HOST_END = patterns.compile(rf"\.(?:{_HOST_TLDS})(?![\w/@-]|\.\w)")
_BARE_HOST = patterns.compile(
    rf"(?<![\w@./:-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_HOST_TLDS})(?![\w/@-]|\.\w)"
)
# file extensions that look like TLDs in `model.pth/…`-style text: not links
_NOT_TLD = {
    "py", "pdf", "txt", "md", "json", "yaml", "yml", "png", "jpg", "jpeg", "pth", "pt", "ckpt", "bin", "onnx",
    "tar", "gz", "zip", "csv", "html", "htm", "js", "ts", "sh", "cfg", "ini", "toml", "npy", "npz", "safetensors",
}
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

# link targets by syntax, each led by a literal
# `](` destination, optional title, `)`; a destination may hold one level of balanced parentheses
_MD_INLINE = patterns.compile(
    r"\]\([ \t]*\n?[ \t]*(?:<([^<>\n]*)>|([^\s()<>]+(?:\([^\s()<>]*\)[^\s()<>]*)*|(?:\([^\s()<>]*\)[^\s()<>]*)+))"
    r"(?:[ \t]*\n?[ \t]*(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*\n?[ \t]*\)"
)
_MD_REF = patterns.compile(r"^ {0,3}\[(?:[^\[\]\\\n]|\\.){1,999}\]:[ \t]*\n?[ \t]*(?:<([^<>\n]*)>|(\S+))", re.M)
_AUTOLINK = patterns.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_TAG = patterns.compile(r"<[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)>")
_ATTR = patterns.compile(
    r"(?<![\w:-])(?:xlink:href|href|src|srcset|action|formaction|poster|background|data|cite|ping|manifest|codebase)"
    r"\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))",
    re.I,
)

_ARXIV_PATH = patterns.compile(r"^arxiv\.org/(?:abs|pdf|html)/(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?$", re.I)
_ARXIV_ID = patterns.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_SCHEME = patterns.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_UTM = patterns.compile(r"(?<=[?&])utm_[a-z]+=[^&#]*&?")
_PERCENT = patterns.compile(r"%[0-9A-Fa-f]{2}")
_MD_ESCAPE = patterns.compile(r"\\([!-/:-@\[-`{-~])")
_INVISIBLE = {ord(c): None for c in "\t\n\r"}  # a browser drops these anywhere in a URL
_EDGE = "".join(map(chr, range(0x21)))  # ... and C0 controls and spaces at either end
_T = TypeVar("_T")
MEMO_LONGEST = 2048  # links longer than this are not remembered (a memo of 80 KB keys would hold gigabytes)


def _strip_trailing(raw: str) -> str:
    """``raw`` without trailing punctuation; a closing paren stays only when the URL
    opened one (wiki-style links). One pass: the counts are taken once."""
    end = len(raw)
    opens = closes = -1
    while end and raw[end - 1] in TRAIL:
        if raw[end - 1] == ")":
            if opens < 0:
                opens, closes = raw.count("(", 0, end), raw.count(")", 0, end)
            if opens >= closes:
                break
            closes -= 1
        end -= 1
    return raw[:end]


def _widen(text: str, start: int) -> int:
    """Where the scheme before the ``://`` whose colon is at ``start`` begins (at most 32
    characters back): an http(s) scheme glued to a word (``repohttps://``) starts at its ``h``."""
    i = start
    while i > 0 and start - i < 32 and text[i - 1] in _SCHEME_CHARS:
        i -= 1
    while i < start and text[i] not in _LETTERS:
        i += 1
    low = text[i:start].lower()
    if low.endswith(("http", "https")) and low not in ("http", "https"):
        i = start - (5 if low.endswith("https") else 4)
    return i


def _blank(text: str, spans: list[tuple[int, int, str]]) -> str:
    pieces, last = [], 0
    for s, e, _ in spans:
        pieces += [text[last:s], " " * (e - s)]
        last = e
    return "".join(pieces) + text[last:]


def _targets(text: str) -> list[tuple[int, int, str]]:
    """The targets of markdown links, reference definitions, autolinks and HTML attributes."""
    found: list[tuple[int, int, str]] = []
    brackets = "]" in text  # one scan for a character, where most answers stop
    if brackets and "](" in text:
        for m in _MD_INLINE.finditer(text):
            g = 1 if m.group(1) is not None else 2
            # "]([a](javascript:…) )": a target holding an inline link is read as that link,
            # whose own target is judged (a renderer may show it), as for a definition below;
            # so is a target ending at "[a]" whose "(…)" the outer link took for its title
            # ("]([a](http:\\host "t") )"), hence the character after the target
            while m.group(g) and (k := text.find("](", m.start(g), m.end(g) + 1)) >= 0:
                inner = _MD_INLINE.search(text, k, m.end())
                if inner is None:
                    break
                m, g = inner, 1 if inner.group(1) is not None else 2
            if m.group(g):
                found.append((m.start(g), m.end(g), m.group(g)))
    if brackets and "]:" in text:
        for m in _MD_REF.finditer(text):
            g = 1 if m.group(1) is not None else 2
            if not m.group(g):
                continue
            # "[^1]: Name: “quote”" is a footnote (GitHub's Markdown, our evidence notes), not a
            # link definition: its first word is a target only if it has a path ("//host",
            # "http://…"); a bare "javascript:" in it is still caught as bare text
            if text[text.index("[", m.start()) + 1] == "^" and "/" not in m.group(g):
                continue
            # "[0]:[a](javascript:…)": a definition whose target holds an inline link is
            # read as that link, whose own target is judged (a renderer may show it)
            if "](" in m.group(g):
                continue
            found.append((m.start(g), m.end(g), m.group(g)))
    if "<" in text:
        for m in _AUTOLINK.finditer(text):
            found.append((m.start(1), m.end(1), m.group(1)))
        if "=" in text:
            for tag in _TAG.finditer(text):
                at = tag.start(1)
                for m in _ATTR.finditer(tag.group(1)):
                    g = next(i for i in (1, 2, 3) if m.group(i) is not None)
                    if m.group(g).strip():
                        found.append((at + m.start(g), at + m.end(g), m.group(g)))
    if len(found) < 2:
        return found
    found.sort()
    kept = [found[0]]
    for hit in found[1:]:  # an autolink inside a markdown target and the like: the first wins
        if hit[0] >= kept[-1][1]:
            kept.append(hit)
    return kept


def find_links(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, text)`` for every link-like reference, in order: link targets
    as written, bare links with trailing punctuation removed."""
    found = _targets(text)
    if found:
        text = _blank(text, found)
    for k, (may_match, pat) in enumerate(zip(_MAY_MATCH, (*_PATTERNS, _BARE, _BARE_HOST), strict=True)):
        # a substring test is ~100x cheaper than a regex pass over the text
        if not may_match(text):
            continue
        hits = []
        for m in pat.finditer(text):
            if pat is _BARE and m.group("tld").lower() in _NOT_TLD:
                continue
            start = m.start()
            if k == _SLASHES:
                if start and text[start - 1] == ":":
                    start = _widen(text, start - 1)
                elif (start and text[start - 1] in _IN_PATH) or not _HOST.match(text, start + 2):
                    continue  # `a//b`, `// a comment`: not a link
            if k == _SCRIPT and (start and text[start - 1] in _SCHEME_CHARS):
                continue  # `metadata:x` is not a data: URI
            raw = text[start : m.end()]
            if "contentReference" in raw:  # "…/2201.12086:contentReference[oaicite:1]…": a glued citation mark
                raw = raw[: raw.find(":contentReference")] if ":contentReference" in raw else raw
            raw = _strip_trailing(raw)
            if raw:
                hits.append((start, start + len(raw), raw))
        if hits:
            found.extend(hits)
            text = _blank(text, hits)
    yield from sorted(found)


# citation marks pasted from chat answers, glued to a link or standing alone: not names nor
# figures ("【2†L15-L28】", ":contentReference[oaicite:1]{index=1}")
_ARTEFACT = patterns.compile(r"【[^【】\n]{0,60}】|:?contentReference\[oaicite:\d+\](?:\{index=\d+\})?")


def artefacts(text: str) -> Iterator[tuple[int, int]]:
    """The spans of pasted citation marks in ``text``, in order."""
    if "【" in text or "oaicite" in text:
        for m in _ARTEFACT.finditer(text):
            yield m.span()


def decoded(link: str) -> str:
    """The target a browser would follow for ``link`` as written in markdown or HTML:
    backslash escapes and character references resolved, tabs and newlines dropped,
    controls and spaces at either end removed."""
    s = link
    if "\\" in s:
        s = _MD_ESCAPE.sub(r"\1", s)
    if "&" in s:
        s = html.unescape(s)
    return s.translate(_INVISIBLE).strip(_EDGE)


def _problem(link: str) -> tuple[str, str] | None:
    """Why ``link`` can never be grounded, or None: ``("scheme", name)`` for a scheme other
    than http(s) (``javascript``, ``data``, ``ftp``, ``file``…); ``("host", "")`` for a
    target a browser sends to a host without it being written ``http(s)://host``
    (``//host/x``, ``https:/host/x``, ``https:\\\\host``, ``http:host``)."""
    s = decoded(link)
    m = _SCHEME.match(s)
    if m:
        scheme = m.group(1).lower()
        rest = s[m.end() :]
        if scheme in ("arxiv", "doi") or ("." in scheme and rest[:1].isdigit()):
            return None  # an arXiv id or DOI; `www.host.org:8080/x` is a host and port
        if scheme not in ("http", "https"):
            return ("scheme", scheme)
        return None if rest.startswith("//") and not rest.startswith(("///", "//\\")) else ("host", "")
    if s[:2] in ("//", "\\\\", "/\\", "\\/") or s.startswith("://"):
        return ("host", "")
    return None


def _canonical(link: str) -> str:
    """The canonical key of a link (see module docstring)."""
    s = _strip_trailing(link.strip())
    low = s.lower()
    if low.startswith(("arxiv:", "arxiv ")):
        m = _ARXIV_ID.search(s)
        return f"arxiv:{m.group(1)}" if m else low
    if re.match(r"^\d{4}\.\d{4,5}v\d+$", s, re.I):
        return f"arxiv:{_ARXIV_ID.match(s).group(1)}"  # type: ignore[union-attr]
    if low.startswith("doi:") or low.startswith("10."):
        return "doi:" + low.removeprefix("doi:").strip()
    s = re.sub(r"^[a-z][a-z0-9+.-]*://", "", s, flags=re.I)
    s = s.split("#", 1)[0]
    if "utm_" in s:  # tracking parameters a chat tool adds (`?utm_source=chatgpt.com`) name the same page
        s = _UTM.sub("", s).rstrip("?&")
    host, _, path = s.partition("/")
    host = host.lower().removeprefix("www.")
    host = re.sub(r":(80|443)$", "", host)
    path = (unquote(path) if _PERCENT.search(path) else path).rstrip("/")  # unquote walks every `%` in Python
    if host in {"doi.org", "dx.doi.org"}:
        return "doi:" + path.lower()
    if host in {"arxiv.org", "export.arxiv.org"}:
        m = _ARXIV_PATH.match(f"arxiv.org/{path}")
        if m:
            return f"arxiv:{m.group('id').lower()}"
    if host == "github.com":
        parts = path.split("/")
        if len(parts) >= 2:
            parts[0], parts[1] = parts[0].lower(), parts[1].lower().removesuffix(".git")
        elif parts:
            parts[0] = parts[0].lower()
        path = "/".join(parts)
    else:
        path = path.removesuffix(".git")
    return f"{host}/{path}" if path else host


def _memo(fn: Callable[[str], _T]) -> Callable[[str], _T]:
    """``fn`` remembered for links up to ``MEMO_LONGEST`` characters (answers cite the same
    links over and over); ``cache_clear`` empties the memo, for ``grounding.clear_caches``."""
    memo = lru_cache(maxsize=50_000)(fn)

    def call(link: str) -> _T:
        return memo(link) if len(link) <= MEMO_LONGEST else fn(link)

    call.cache_clear = memo.cache_clear  # type: ignore[attr-defined]
    call.__doc__ = fn.__doc__
    return call


canonical = _memo(_canonical)
problem = _memo(_problem)
