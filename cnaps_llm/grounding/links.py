"""Find link-like references in text and reduce them to a canonical form.

Two references are the same link when their canonical forms are equal: scheme,
``www.``, trailing slash or punctuation, ``.git``, the letter case of a GitHub
owner/repo, and arXiv ``abs``/``pdf``/``.pdf``/version variants do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import unquote

_TRAIL = ".,;:!?)]}>'\"*_`»”’"
# One pattern per kind, tried in this order on text where earlier finds are blanked
# out: cheap literal-led patterns first, the costly bare-domain one only when a
# "name.tld/" is present at all (issue #7: a 3 KB answer must check in well under 1 ms).
# gates lead with a literal, which re finds fast (a leading \d or look-behind is tried at every position)
_BARE_ARXIV = re.compile(r"\.\d{4,5}v\d")
_DOI = re.compile(r"10\.\d{4,9}/")
_DOT_SLASH = re.compile(r"\.[A-Za-z]{2,24}/")
_CHARS = r"[^\s<>\"'`\[\]{}|\\^]"
_PATTERNS = (
    re.compile(rf"[hH][tT][tT][pP][sS]?://{_CHARS}+"),  # no \b or re.I: a leading class lets re skip ahead fast
    re.compile(rf"\bwww\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+{_CHARS}*"),
    re.compile(r"(?<![\w.])(?:doi:\s*)?10\.\d{4,9}/[^\s\"'<>`\[\](){}]+", re.I),
    re.compile(r"\b[Aa][Rr][Xx][Ii][Vv]:\s*\d{4}\.\d{4,5}(?:v\d+)?"),
    re.compile(r"(?<![\w./-])\d{4}\.\d{4,5}v\d+\b"),
)
# cheap tests that a pattern can match at all, on text where earlier finds are blanked
_MAY_MATCH = (
    lambda t: "://" in t,
    lambda t: "www." in t,
    lambda t: _DOI.search(t) is not None,
    lambda t: any(s in t for s in ("iv:", "IV:", "Iv:", "iV:")),  # four substring tests beat one lower()
    lambda t: _BARE_ARXIV.search(t) is not None,
    lambda t: _DOT_SLASH.search(t) is not None,
)
_BARE = re.compile(
    rf"(?<![\w@./-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?P<tld>[A-Za-z]{{2,24}})/{_CHARS}*"
)
# file extensions that look like TLDs in `model.pth/…`-style text: not links
_NOT_TLD = {
    "py", "pdf", "txt", "md", "json", "yaml", "yml", "png", "jpg", "jpeg", "pth", "pt", "ckpt", "bin", "onnx",
    "tar", "gz", "zip", "csv", "html", "htm", "js", "ts", "sh", "cfg", "ini", "toml", "npy", "npz", "safetensors",
}
_ARXIV_PATH = re.compile(r"^arxiv\.org/(?:abs|pdf|html)/(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?$", re.I)
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?", re.I)


def _strip_trailing(raw: str) -> str:
    # a closing paren belongs to the URL only when the URL opened one (wiki-style links)
    while raw and raw[-1] in _TRAIL and not (raw[-1] == ")" and raw.count("(") >= raw.count(")")):
        raw = raw[:-1]
    return raw


def find_links(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, text)`` for every link-like reference, in order, trailing punctuation removed."""
    found: list[tuple[int, int, str]] = []
    for may_match, pat in zip(_MAY_MATCH, (*_PATTERNS, _BARE), strict=True):
        # a substring test is ~100x cheaper than a regex pass over the text
        if not may_match(text):
            continue
        hits = []
        for m in pat.finditer(text):
            if pat is _BARE and m.group("tld").lower() in _NOT_TLD:
                continue
            raw = _strip_trailing(m.group(0))
            if raw:
                hits.append((m.start(), m.start() + len(raw), raw))
        if hits:
            found.extend(hits)
            pieces, last = [], 0
            for s, e, _ in hits:
                pieces += [text[last:s], " " * (e - s)]
                last = e
            text = "".join(pieces) + text[last:]
    yield from sorted(found)


@lru_cache(maxsize=50_000)  # a pure function of the link text; answers cite the same links over and over
def canonical(link: str) -> str:
    """The canonical key of a link (see module docstring)."""
    s = _strip_trailing(link.strip())
    low = s.lower()
    if low.startswith("arxiv:"):
        m = _ARXIV_ID.search(s)
        return f"arxiv:{m.group(1)}" if m else low
    if re.match(r"^\d{4}\.\d{4,5}v\d+$", s, re.I):
        return f"arxiv:{_ARXIV_ID.match(s).group(1)}"  # type: ignore[union-attr]
    if low.startswith("doi:") or low.startswith("10."):
        return "doi:" + low.removeprefix("doi:").strip()
    s = re.sub(r"^[a-z][a-z0-9+.-]*://", "", s, flags=re.I)
    s = s.split("#", 1)[0]
    host, _, path = s.partition("/")
    host = host.lower().removeprefix("www.")
    host = re.sub(r":(80|443)$", "", host)
    path = unquote(path).rstrip("/")
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
