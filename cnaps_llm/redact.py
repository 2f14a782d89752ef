"""One redaction for everything that leaves the process: messages, records, recordings, logs.

Invariant: ``redact`` removes the configured secrets wherever they occur in a string,
userinfo from every URL (``https://user:pass@host`` -> ``https://***@host``), the
values of ``Authorization``/``api-key``-style headers and of query parameters named
like keys; ``redact_obj`` applies it to every string of a JSON-like value, dict keys
included. Idempotent: redacting twice changes nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MASK = "[redacted]"
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]+@")
_HEADER = re.compile(
    r"(?i)\b(authorization|proxy-authorization|api[-_]?key|x-api-key|openai-api-key)(\"?\s*[:=]\s*\"?)"
    r"(?:bearer\s+|basic\s+)?[^\s\"',;}]+"
)
_QUERY = re.compile(
    r"(?i)([?&](?:api[-_]?key|key|token|access[-_]?token|auth|sig|signature|secret|password|pwd)=)[^&\s\"'#]+"
)
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
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        if "@" in text:
            text = _USERINFO.sub(r"\1***@", text)
        if "=" in text:
            text = _QUERY.sub(lambda m: m.group(1) + MASK, text)
        text = _HEADER.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
        return _BEARER.sub("Bearer " + MASK, text)

    def redact_obj(self, obj: Any) -> Any:
        if isinstance(obj, str):
            return self.redact(obj)
        if isinstance(obj, dict):
            return {self.redact(k) if isinstance(k, str) else k: self.redact_obj(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [self.redact_obj(v) for v in obj]
        return obj


_current = Redactor()


def configure(*secrets: str | None) -> Redactor:
    """Set the process-wide secrets (the API key, the base URL's password): done once
    when settings are loaded, so error paths that never saw the settings still redact."""
    global _current
    _current = Redactor([*_current.secrets, *secrets])
    return _current


def redact(text: str) -> str:
    return _current.redact(text)


def redact_obj(obj: Any) -> Any:
    return _current.redact_obj(obj)
