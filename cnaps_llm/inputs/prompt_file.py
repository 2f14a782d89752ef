"""The primary prompt format: a question, then blocks of ``Model:`` / ``Paper:`` / ``GitHub:`` lines.

A user has asked the following question:
"How can AI remove heavy noise from a photo?"

### Recommended AI Models:
Model: Denoise-SwinIR-Noise15
Paper: https://…
GitHub: https://github.com/JingyunLiang/SwinIR

### Related Papers:
Model: HAIR: Hypernetworks-based All-in-One Image Restoration
Paper: http://arxiv.org/pdf/2408.08091v4.pdf
Summary: text that may span lines

The same walk reads the bulleted variant (``bulleted.py``): a line opens a source if it is
a ``Model:`` line or a bullet.

Invariant: one pass over the lines, every pattern linear in its line (each is matched
against the stripped line, and no two quantified parts can trade characters), and the walk
stops at the source after ``MAX_SOURCES``; everything else it finds wrong is an
``InputError`` naming the line.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from ..errors import InputError
from ..models import Case
from .bulleted import bullet_name
from .sources import MAX_SOURCES, Entry, check_case_id, check_link, clean_value, invalid, number, too_many

# All applied to stripped lines (str.strip and `\s` agree on what is whitespace), so a
# pattern never has to end in `\s*$`: `\s*:?\s*$` after a title and `^\s*#?\s*answer`
# each made a failing match quadratic in a long run of spaces.
_QUESTION_MARK = re.compile(
    r"[#>\s]*(?:a\s+user\s+(?:has\s+asked\s+the\s+following\s+question|asks|asked)|(?:user\s+)?question)\s*:\s*(?P<rest>.*)",
    re.IGNORECASE,
)
_SECTION = re.compile(r"#{1,6}\s*(?P<title>recommended(?:\s+ai)?\s+models?|related\s+papers?)\s*:?", re.IGNORECASE)
_ANSWER = re.compile(r"#?\s*answer\s*:\s*#?", re.IGNORECASE)
_MODEL_LINE = re.compile(r"(?:model|title|paper\s+title)\s*:(?P<value>.*)", re.IGNORECASE)
# The key is at most 24 characters, so its lazy growth and the `\s*` after it are bounded.
_KEY = re.compile(r"(?P<key>[A-Za-z][A-Za-z0-9 _.-]{0,23}?)\s*:\s*(?P<value>.*)")
_LINKISH = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|[\w-]+(?:\.[\w-]+)+/)", re.IGNORECASE)
_QUOTES = {'"': '"', "“": "”", "«": "»", "'": "'"}

PAPER_KEYS = {"paper", "pdf", "paper url", "paper link"}
GITHUB_KEYS = {"github", "github url", "repo", "repository"}
SUMMARY_KEYS = {"summary", "abstract", "description"}
KNOWN_KEYS = PAPER_KEYS | GITHUB_KEYS | SUMMARY_KEYS


def _find_question(lines: list[str], path: str | None) -> tuple[str, range]:
    # Linear although a question line reads ahead: a read that ends with no question text
    # only crossed lines of nothing but `#`s, quote marks and spaces, none of them a question
    # line, so no line is read ahead of twice.
    for i, line in enumerate(lines):
        m = _QUESTION_MARK.fullmatch(line.strip())
        if not m:
            continue
        rest = m.group("rest").strip()
        j = i + 1
        if not rest:
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j >= len(lines):
                break
            rest = lines[j].strip().lstrip("#").strip()
            j += 1
        block = [rest]
        closer = _QUOTES.get(rest[:1])
        if closer:
            # a quoted question may span lines: read to the closing quote
            while not (len(block[-1]) > 1 and block[-1].endswith(closer)) and j < len(lines) and lines[j].strip():
                block.append(lines[j].strip().lstrip("#").strip())
                j += 1
            text = " ".join(block).strip()[1:]
            if text.endswith(closer):
                text = text[:-1]
        else:
            while j < len(lines) and lines[j].strip() and not _SECTION.fullmatch(lines[j].strip()):
                block.append(lines[j].strip())
                j += 1
            text = " ".join(block)
        text = text.strip()
        if text:
            return text, range(i, j)
    raise InputError(
        'no question found; add a line `A user has asked the following question:` followed by the question in quotes',
        path=path,
    )


def _field(key_match: re.Match[str], entry: Entry | None, *, path: str | None, line: int) -> bool:
    """Apply a ``Key: value`` field line to ``entry``; ``True`` if it was a summary."""
    label = key_match.group("key").strip()
    key = label.lower()
    if entry is None:
        raise InputError(
            f"`{label}:` line comes before any `Model:` line; start each source with `Model: NAME`", path=path, line=line
        )
    cleaned = clean_value(key_match.group("value"))
    if key in SUMMARY_KEYS:
        if cleaned:
            entry.summary.append(cleaned)
        return True
    if cleaned is None:
        return False
    url = check_link(cleaned, path=path, line=line, field=f"`{label}:`")
    if key in PAPER_KEYS and entry.paper is None:
        entry.paper = url
    elif key in GITHUB_KEYS and entry.github is None:
        entry.github = url
    else:
        entry.links[label] = url
    return False


def parse_prompt_text(text: str, *, case_id: str, path: str | None = None) -> Case:
    """Parse the primary or bulleted prompt format (already normalised text)."""
    check_case_id(case_id, path=path)
    lines = text.split("\n")
    question, qrange = _find_question(lines, path)

    entries: list[Entry] = []
    role: str | None = None
    first_section: int | None = None
    current: Entry | None = None
    in_summary = False

    for i, raw in enumerate(lines):
        lineno = i + 1
        stripped = raw.strip()
        if not stripped:  # (neither a section nor an `Answer:` line is blank)
            continue
        sec = _SECTION.fullmatch(stripped)
        if sec:
            role = "recommended" if sec.group("title").lower().startswith("recommended") else "related"
            first_section = i if first_section is None else first_section
            current, in_summary = None, False
            continue
        if role is None:
            continue
        if _ANSWER.fullmatch(stripped):
            role = None
            current, in_summary = None, False
            continue

        model = _MODEL_LINE.fullmatch(stripped)
        name = model.group("value").strip() if model else bullet_name(raw)
        if name is not None:
            if not name:
                raise InputError(
                    "`Model:` line has no name; write the model or paper name after `Model:`", path=path, line=lineno
                )
            if len(entries) == MAX_SOURCES:
                raise too_many(None, path=path, line=lineno)
            current = Entry(name=name, role=role)
            entries.append(current)
            in_summary = False
            continue

        key_match = _KEY.fullmatch(stripped)
        # a field: a known key, a `Key: URL` link, or `Key: None` (inside a summary a
        # "Note:"-style line with nothing after it is summary text, not an empty field)
        if key_match and (
            key_match.group("key").strip().lower() in KNOWN_KEYS
            or _LINKISH.match(key_match.group("value")) is not None
            or (clean_value(key_match.group("value")) is None and not in_summary)
        ):
            in_summary = _field(key_match, current, path=path, line=lineno)
            continue

        if in_summary and current is not None:
            current.summary.append(stripped)
            continue
        raise InputError(
            f"unexpected line in the sources block: {stripped[:60]!r}; use `Model:`, `Paper:`, `GitHub:` or `Summary:` lines",
            path=path,
            line=lineno,
        )

    if not entries:
        raise InputError(
            "no sources found; add a `### Recommended AI Models:` block with at least one `Model:` line", path=path
        )

    head = lines[: first_section if first_section is not None else len(lines)]
    instruction = "\n".join(line for k, line in enumerate(head) if k not in qrange)
    instruction = re.sub(r"\n{3,}", "\n\n", instruction).strip()
    try:
        return Case(id=case_id, question=question, instruction=instruction, sources=number(entries, path))
    except ValidationError as exc:
        raise invalid(exc, path=path) from None
