"""What every format shares: source entries, link and id checks, numbering into ``Source``s.

Invariant: a ``Case`` leaves the parsers with at most ``MAX_SOURCES`` sources, ids ``R1…``
then ``P1…`` in input order, http(s) links only, and an id of at most ``MAX_ID_CHARS``
characters without control characters (ids name output files and records downstream).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from ..errors import InputError
from ..models import Source

MAX_SOURCES = 200  # a recommender picks a handful; thousands means a broken export
MAX_ID_CHARS = 200
NULLS = {"", "none", "n/a", "na", "null", "nil", "-", "--"}

# Each alternative leads with something fixed and no two quantified parts can trade
# characters, so a failing match is linear in the value (`[^\s/]+\.` was quadratic on
# "https://a.a.a… x"). The first accepts what `^https?://[^\s/]+\.\S*$` accepts.
_HTTP = re.compile(
    r"https?://(?:[^\s/][^\s/.]*\.\S*|(?:localhost|\d+\.\d+\.\d+\.\d+)(?::\d+)?(?:/\S*)?)", re.IGNORECASE
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc, exactly


@dataclass
class Entry:
    """A source as read, before numbering."""

    name: str
    role: str
    paper: str | None = None
    github: str | None = None
    summary: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)


def clean_value(value: str) -> str | None:
    value = value.strip().strip("<>").strip()
    return None if value.lower() in NULLS else value


def check_link(value: str, *, path: str | None, line: int | None, field: str) -> str:
    if not _HTTP.fullmatch(value):
        raise InputError(f"{field} link {value[:80]!r} is not an http(s) URL; write it as https://…", path=path, line=line)
    return value


def check_case_id(case_id: str, *, path: str | None, line: int | None = None) -> str:
    """The id as written, or an ``InputError`` when it is over-long or holds a control character."""
    if len(case_id) > MAX_ID_CHARS:
        raise InputError(
            f"case id {case_id[:40]!r}… is {len(case_id)} characters long; give an id (or file name) of at most {MAX_ID_CHARS}",
            path=path,
            line=line,
        )
    bad = _CONTROL.search(case_id)
    if bad:
        raise InputError(
            f"case id {case_id[:60]!r} holds the control character {bad.group()!r}; remove it from the id (or file name)",
            path=path,
            line=line,
        )
    return case_id


def too_many(count: int | None, *, path: str | None, line: int | None = None) -> InputError:
    """The error for more than ``MAX_SOURCES`` sources (``count`` when it is known)."""
    what = f"{count} sources" if count is not None else f"more than {MAX_SOURCES} sources"
    return InputError(f"{what}; at most {MAX_SOURCES} per case: split the case or fix the export", path=path, line=line)


def invalid(exc: ValidationError, *, path: str | None, line: int | None = None) -> InputError:
    """A model's refusal (e.g. a lone surrogate from a JSON ``\\ud800`` escape) as an ``InputError``."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return InputError(f"invalid field `{where}`: {err['msg']}", path=path, line=line)


def number(entries: list[Entry], path: str | None = None) -> list[Source]:
    """Entries -> ``Source``s numbered ``R1, R2…`` (recommended) and ``P1, P2…`` (related)."""
    if len(entries) > MAX_SOURCES:
        raise too_many(len(entries), path=path)
    counters = {"recommended": 0, "related": 0}
    out: list[Source] = []
    for e in entries:
        counters[e.role] += 1
        prefix = "R" if e.role == "recommended" else "P"
        out.append(
            Source(
                id=f"{prefix}{counters[e.role]}",
                role=e.role,  # type: ignore[arg-type]
                name=e.name,
                paper_url=e.paper,
                github_url=e.github,
                summary=" ".join(e.summary) or None,
                links=e.links,
            )
        )
    return out
