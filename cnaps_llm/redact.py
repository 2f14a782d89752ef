"""One redaction for everything that leaves the process: messages, records, recordings, logs.

Invariant: ``redact`` removes the configured secrets wherever they occur in a string,
userinfo from every URL (``https://user:pass@host`` -> ``https://***@host``), the
values of ``Authorization``/``api-key``-style headers and of URL parameters named
like keys (in the query, a fragment or a path segment's ``;`` parameters);
``redact_obj`` applies it to every string of a JSON-like value, dict keys included; a lone surrogate (which no UTF-8 file or stream can hold) becomes U+FFFD;
``clip`` cuts a text to a length without letting a secret's first characters
through. A base URL's password is a secret in every form it travels in (``url_secrets``:
as written, percent-decoded, and inside HTTP Basic credentials). Idempotent: redacting
twice changes nothing more.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

MASK = "[redacted]"
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]+@")
# a header or field named like a credential, in `name: value`, `"name": "value"` or
# `'name': 'value'` (a Python dict echoed back) form
_HEADER = re.compile(
    r"(?i)\b(authorization|proxy-authorization|api[-_]?key|x-api-key|openai-api-key)(['\"]?\s*[:=]\s*['\"]?)"
    r"(?:bearer\s+|basic\s+)?[^\s\"',;}]+"
)
_QUERY = re.compile(
    r"(?i)([?&#;](?:api[-_]?key|key|token|access[-_]?token|auth|sig|signature|secret|password|pwd)=)(?!\[redacted\])[^&\s\"'#;,)<>\]]+"
)  # (a value already masked as a configured secret is left as it is)
_SURROGATE = re.compile("[\ud800-\udfff]")
# a token, not a word: it holds a digit or a token punctuation mark ("Bearer sk-…", not "bearer bonds")
_BEARER = re.compile(r"(?i)\bbearer\s+(?=[A-Za-z._~+/=-]*[0-9_~+/=-])[A-Za-z0-9._~+/=-]{8,}")


class Redactor:
    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        # longest first, so a secret containing another is removed whole; short strings are
        # not secrets worth a false positive ("sk" would eat half the text)
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        return self.redact(text)

    def redact(self, text: str) -> str:
        if _SURROGATE.search(text):  # `"\ud800"` in a server's JSON: no file or stream could encode it
            text = _SURROGATE.sub("\ufffd", text)
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        if "@" in text:
            text = _USERINFO.sub(r"\1***@", text)
        if "=" in text:
            text = _QUERY.sub(lambda m: m.group(1) + MASK, text)
        text = _HEADER.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
        return _BEARER.sub("Bearer " + MASK, text)

    def clip(self, text: str, limit: int) -> str:
        """``text`` redacted, then cut to ``limit`` characters, with the start of a
        secret that the cut left at the end masked too (cutting first would let a
        secret's first characters through, no longer matching it whole)."""
        out = self.redact(text)[:limit]
        for secret in self.secrets:
            for n in range(min(len(secret), len(out)), 3, -1):
                if out.endswith(secret[:n]):
                    return out[:-n] + MASK
        return out

    def redact_obj(self, obj: Any) -> Any:
        if isinstance(obj, str):
            return self.redact(obj)
        if isinstance(obj, dict):
            return {self.redact(k) if isinstance(k, str) else k: self.redact_obj(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [self.redact_obj(v) for v in obj]
        return obj


# a base URL's query parameter named so holds a credential (`?key=`, `?auth_token=`, `?x-api-key=`)
_SECRET_PARAM = re.compile(r"(?i)key|token|secret|passw|pwd|auth|sig|credential")


def url_secrets(url: str | None) -> list[str]:
    """What a base URL's userinfo and query reveal, in every form they may travel in: the
    password (or a user name given alone, a token) as written and percent-decoded, and
    ``user:password`` base64-encoded, as HTTP Basic authentication sends it; the value of
    every query parameter named like a credential, as written and decoded (a server quoting
    it back bare is not caught by the ``?key=`` pattern)."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
        user, password = parts.username, parts.password
    except ValueError:
        return []
    out: list[str] = []
    # parameters in the query, in a fragment (`#access_token=`, as OAuth's implicit flow
    # writes it) and in a path segment's parameters (`/v1;token=`) are all part of the URL
    # a careless user pastes, and all shown where the URL is
    params = [parts.query, parts.fragment, *(seg.partition(";")[2] for seg in parts.path.split("/"))]
    for piece in (p for group in params for p in re.split(r"[&;]", group)):
        name, _, value = piece.partition("=")
        if value and _SECRET_PARAM.search(unquote(name)):
            out += [value, unquote_plus(value)]
    if not password and user:  # `https://TOKEN@host/v1`: the user name is the credential
        out += [user, unquote(user)]
        password = ""
    if password is None:
        return out
    out += [password, unquote(password)] if password else []
    for u, p in {(user or "", password), (unquote(user or ""), unquote(password))}:
        out.append(base64.b64encode(f"{u}:{p}".encode()).decode())
    return out


_current = Redactor()


def configure(*secrets: str | None) -> Redactor:
    """Set the process-wide secrets (the API key, the base URL's password): done once
    when settings are loaded, so error paths that never saw the settings still redact."""
    global _current
    _current = Redactor([*_current.secrets, *secrets])
    return _current


def current() -> Redactor:
    """The process-wide redactor (the secrets ``configure`` was given)."""
    return _current


def redact(text: str) -> str:
    return _current.redact(text)


def clip(text: str, limit: int) -> str:
    return _current.clip(text, limit)


def redact_obj(obj: Any) -> Any:
    return _current.redact_obj(obj)
