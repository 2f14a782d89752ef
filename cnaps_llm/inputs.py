"""Prompt files, JSON and JSONL  ->  ``Case``.

Invariant: every failure is an ``InputError`` naming the file and, where there
is one, the line; nothing else escapes (the property tests hold us to that).

Formats (see README "Input formats"):

* the primary prompt format: ``### Recommended AI Models:`` / ``### Related Papers:``
  blocks of ``Model:`` / ``Paper:`` / ``GitHub:`` / ``Summary:`` lines;
* the bulleted variant: ``- **Name**`` followed by indented ``Paper:`` lines;
* JSON (one object or a list) and JSONL (one object per line), either
  ``{"prompt": "<prompt text>"}`` or the structured form printed by ``parse``.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import InputError
from .models import Case, Expectations, Source

MAX_INPUT_BYTES = 8 * 1024 * 1024  # a prompt file is a few KB; a JSONL dataset may be larger per file
MAX_DATASET_BYTES = 256 * 1024 * 1024
MAX_SOURCES = 200  # a recommender picks a handful; thousands means a broken export
_MOJIBAKE_LEAD = re.compile("[\u00c2-\u00f4]")
NULLS = {"", "none", "n/a", "na", "null", "nil", "-", "--"}

_QUESTION_MARK = re.compile(
    r"^[#>\s]*(?:a\s+user\s+(?:has\s+asked\s+the\s+following\s+question|asks|asked)|(?:user\s+)?question)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_SECTION = re.compile(
    r"^\s*#{1,6}\s*(?P<title>recommended(?:\s+ai)?\s+models?|related\s+papers?)\s*:?\s*$", re.IGNORECASE
)
_ANSWER = re.compile(r"^\s*#?\s*answer\s*:\s*#?\s*$", re.IGNORECASE)
_MODEL_LINE = re.compile(r"^\s*(?:model|title|paper\s+title)\s*:(?P<value>.*)$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*+]\s+(?:\*\*(?P<bold>.*?)\*\*|(?P<plain>[^:]+?))\s*$")
_KEY = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z0-9 _.-]{0,23}?)\s*:\s*(?P<value>.*?)\s*$")
_LINKISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.|[\w-]+(?:\.[\w-]+)+/)", re.IGNORECASE)
_HTTP = re.compile(r"^https?://[^\s/]+\.[^\s]*$|^https?://(?:localhost|\d+\.\d+\.\d+\.\d+)(?::\d+)?(?:/\S*)?$", re.IGNORECASE)

PAPER_KEYS = {"paper", "pdf", "paper url", "paper link"}
GITHUB_KEYS = {"github", "github url", "repo", "repository"}
SUMMARY_KEYS = {"summary", "abstract", "description"}
KNOWN_KEYS = PAPER_KEYS | GITHUB_KEYS | SUMMARY_KEYS


# --------------------------------------------------------------------------- text


def normalise(text: str) -> str:
    """Line endings to ``\\n``, mojibake repaired (ftfy), Unicode NFC.

    Quotes are left curly: we repair encodings, we do not restyle people's text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # UTF-8 read as Latin-1/cp1252 always shows a lead byte 0xC2-0xF4 as one of Â…ô: text
    # without one cannot hold mojibake, so it skips ftfy (and its ~50 ms import)
    if _MOJIBAKE_LEAD.search(text):
        import ftfy

        text = ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")
    return unicodedata.normalize("NFC", text)


def read_text(path: str | Path, *, limit: int = MAX_INPUT_BYTES) -> str:
    """Read a UTF-8 file (``-`` is stdin) and normalise it, or raise ``InputError``."""
    name = str(path)
    try:
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError("file not found; check the path", path=name) from None
    except IsADirectoryError:
        raise InputError("is a directory; pass the prompt files inside it", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror}); check its permissions", path=name) from None
    if len(data) > limit:
        raise InputError(f"file is larger than {limit // (1024 * 1024)} MB; split it into smaller files", path=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("file is not UTF-8; re-save it as UTF-8", path=name, line=line) from None
    return normalise(text)


def clean_value(value: str) -> str | None:
    value = value.strip().strip("<>").strip()
    return None if value.lower() in NULLS else value


def check_link(value: str, *, path: str | None, line: int | None, field: str) -> str:
    if not _HTTP.match(value):
        raise InputError(f"{field} link {value[:80]!r} is not an http(s) URL; write it as https://…", path=path, line=line)
    return value


# --------------------------------------------------------------------------- prompt text


@dataclass
class _Entry:
    name: str
    role: str
    paper: str | None = None
    github: str | None = None
    summary: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)


def _find_question(lines: list[str], path: str | None) -> tuple[str, range]:
    for i, line in enumerate(lines):
        m = _QUESTION_MARK.match(line)
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
        opener = rest[:1]
        closer = {'"': '"', "“": "”", "«": "»", "'": "'"}.get(opener)
        if closer:
            # a quoted question may span lines: read to the closing quote
            while not (len(block[-1]) > 1 and block[-1].endswith(closer)) and j < len(lines) and lines[j].strip():
                block.append(lines[j].strip().lstrip("#").strip())
                j += 1
            text = " ".join(block).strip()
            text = text[1:]
            if text.endswith(closer):
                text = text[:-1]
        else:
            while j < len(lines) and lines[j].strip() and not _SECTION.match(lines[j]):
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


def parse_prompt_text(text: str, *, case_id: str, path: str | None = None) -> Case:
    """Parse the primary or bulleted prompt format (already normalised text)."""
    lines = text.split("\n")
    question, qrange = _find_question(lines, path)

    entries: list[_Entry] = []
    role: str | None = None
    first_section: int | None = None
    current: _Entry | None = None
    in_summary = False

    for i, raw in enumerate(lines):
        lineno = i + 1
        sec = _SECTION.match(raw)
        if sec:
            role = "recommended" if sec.group("title").lower().startswith("recommended") else "related"
            first_section = i if first_section is None else first_section
            current, in_summary = None, False
            continue
        if role is None:
            continue
        if _ANSWER.match(raw):
            role = None
            current, in_summary = None, False
            continue
        stripped = raw.strip()
        if not stripped:
            continue

        model = _MODEL_LINE.match(raw)
        bullet = _BULLET.match(raw) if not model else None
        if model or bullet:
            if model:
                name = model.group("value").strip()
            else:
                assert bullet is not None
                name = (bullet.group("bold") or bullet.group("plain") or "").strip()
            if not name:
                raise InputError(
                    "`Model:` line has no name; write the model or paper name after `Model:`", path=path, line=lineno
                )
            current = _Entry(name=name, role=role)
            entries.append(current)
            in_summary = False
            continue

        key_match = _KEY.match(raw)
        key = key_match.group("key").strip().lower() if key_match else ""
        value = key_match.group("value") if key_match else ""
        # a field: a known key, a `Key: URL` link, or `Key: None` (inside a summary a
        # "Note:"-style line with nothing after it is summary text, not an empty field)
        is_field = bool(key_match) and (
            key in KNOWN_KEYS
            or _LINKISH.match(value.strip()) is not None
            or (clean_value(value) is None and not in_summary)
        )
        if is_field:
            if current is None:
                raise InputError(
                    f"`{key_match.group('key')}:` line comes before any `Model:` line; start each source with `Model: NAME`",  # type: ignore[union-attr]
                    path=path,
                    line=lineno,
                )
            in_summary = False
            cleaned = clean_value(value)
            if key in SUMMARY_KEYS:
                in_summary = True
                if cleaned:
                    current.summary.append(cleaned)
                continue
            if cleaned is None:
                continue
            label = key_match.group("key").strip()  # type: ignore[union-attr]
            url = check_link(cleaned, path=path, line=lineno, field=f"`{label}:`")
            if key in PAPER_KEYS and current.paper is None:
                current.paper = url
            elif key in GITHUB_KEYS and current.github is None:
                current.github = url
            else:
                current.links[label] = url
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
    return Case(
        id=case_id,
        question=question,
        instruction=instruction,
        sources=_number(entries, path),
    )


def _number(entries: list[_Entry], path: str | None = None) -> list[Source]:
    if len(entries) > MAX_SOURCES:
        raise InputError(f"{len(entries)} sources; at most {MAX_SOURCES} per case: split the case or fix the export", path=path)
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


# --------------------------------------------------------------------------- JSON


def _json_sources(items: Any, role: str, *, path: str | None, line: int | None) -> list[_Entry]:
    if not isinstance(items, list):
        raise InputError(f"`{role}` must be a list of sources", path=path, line=line)
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise InputError(f"each `{role}` source must be an object with a `name`", path=path, line=line)
        name = str(item.get("name") or "").strip()
        if not name:
            raise InputError(f"a `{role}` source has no `name`; give each source a name", path=path, line=line)
        e = _Entry(name=name, role="recommended" if role == "recommended" else "related")
        for key, attr in (("paper", "paper"), ("paper_url", "paper"), ("github", "github"), ("github_url", "github")):
            value = item.get(key)
            if isinstance(value, str) and clean_value(value):
                setattr(e, attr, check_link(clean_value(value) or "", path=path, line=line, field=f"`{key}`"))
        summary = item.get("summary")
        if isinstance(summary, str) and summary.strip():
            e.summary.append(normalise(summary).strip())
        links = item.get("links") or {}
        if not isinstance(links, dict):
            raise InputError("`links` must be an object of name -> URL", path=path, line=line)
        for label, url in links.items():
            if isinstance(url, str) and clean_value(url):
                e.links[str(label)] = check_link(clean_value(url) or "", path=path, line=line, field=f"`{label}`")
        unknown = set(item) - {"id", "role", "name", "paper", "paper_url", "github", "github_url", "summary", "links"}
        if unknown:
            raise InputError(f"unknown source field(s) {sorted(unknown)}; see README 'Input formats'", path=path, line=line)
        out.append(e)
    return out


def case_from_object(obj: Any, *, default_id: str, path: str | None = None, line: int | None = None) -> Case:
    """One JSON object -> ``Case``. Accepts ``prompt``/``query_text`` text or the structured form."""
    if not isinstance(obj, dict):
        raise InputError("expected a JSON object for each case", path=path, line=line)
    case_id = str(obj.get("id") or default_id)
    expect = obj.get("expect")
    prompt = obj.get("prompt", obj.get("query_text"))
    try:
        if isinstance(prompt, str):
            case = parse_prompt_text(normalise(prompt), case_id=case_id, path=path)
        elif prompt is not None:
            raise InputError("`prompt` must be the prompt file's text as a string", path=path, line=line)
        else:
            question = obj.get("question")
            if not isinstance(question, str) or not question.strip():
                raise InputError("no `question`; give the user's question as a string", path=path, line=line)
            if "sources" in obj:
                raw_sources = obj["sources"]
                if not isinstance(raw_sources, list):
                    raise InputError("`sources` must be a list", path=path, line=line)
                entries = []
                for role in ("recommended", "related"):
                    items = [s for s in raw_sources if isinstance(s, dict) and s.get("role") == role]
                    entries += _json_sources(items, role, path=path, line=line)
                if len(entries) != len(raw_sources):
                    raise InputError("each source needs `role`: \"recommended\" or \"related\"", path=path, line=line)
            else:
                entries = _json_sources(obj.get("recommended", []), "recommended", path=path, line=line)
                entries += _json_sources(obj.get("related", []), "related", path=path, line=line)
            if not entries:
                raise InputError("no sources; add `recommended` (and optionally `related`) sources", path=path, line=line)
            instruction = obj.get("instruction") or ""
            case = Case(
                id=case_id,
                question=normalise(question).strip(),
                instruction=normalise(str(instruction)).strip(),
                sources=_number(entries, path),
            )
        if expect is not None:
            case = case.model_copy(update={"expect": Expectations.model_validate(expect)})
        return case
    except InputError as exc:
        if exc.line is None and line is not None:
            raise InputError(exc.message.split(": ", 1)[-1], path=path, line=line) from None
        raise
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(f"invalid field `{where}`: {err['msg']}", path=path, line=line) from None


def _iter_jsonl(text: str, *, stem: str, path: str) -> Iterator[Case | InputError]:
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"not valid JSON ({exc.msg}); write one JSON object per line", path=path, line=n)
            continue
        try:
            yield case_from_object(obj, default_id=f"{stem}-{n}", path=path, line=n)
        except InputError as exc:
            yield exc


def iter_cases(path: str | Path) -> Iterator[Case | InputError]:
    """Yield each case in ``path`` (prompt file, JSON or JSONL), or the error that stopped it.

    Errors are yielded, not raised, so one bad line or file does not hide the rest.
    """
    name = str(path)
    stem = Path(name).stem if name != "-" else "stdin"
    suffix = Path(name).suffix.lower()
    try:
        text = read_text(path, limit=MAX_DATASET_BYTES if suffix == ".jsonl" else MAX_INPUT_BYTES)
    except InputError as exc:
        yield exc
        return
    if suffix == ".jsonl":
        yield from _iter_jsonl(text, stem=stem, path=name)
        return
    if suffix == ".json" or text.lstrip()[:1] in ("{", "["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield InputError(f"not valid JSON ({exc.msg})", path=name, line=exc.lineno)
            return
        items = data if isinstance(data, list) else [data]
        for k, obj in enumerate(items, start=1):
            try:
                yield case_from_object(obj, default_id=stem if len(items) == 1 else f"{stem}-{k}", path=name)
            except InputError as exc:
                yield exc
        return
    try:
        yield parse_prompt_text(text, case_id=stem, path=name)
    except InputError as exc:
        yield exc


def load_case(path: str | Path) -> Case:
    """Exactly one case from ``path``, or an ``InputError``."""
    results = list(iter_cases(path))
    for r in results:
        if isinstance(r, InputError):
            raise r
    if len(results) != 1:
        raise InputError(f"holds {len(results)} cases; pass a file with exactly one", path=str(path))
    return results[0]  # type: ignore[return-value]


def expand_paths(paths: list[str]) -> list[str]:
    """Folders expand to the prompt files inside them (sorted); other paths pass through."""
    out: list[str] = []
    for p in paths:
        pp = Path(p)
        if p != "-" and pp.is_dir():
            found = sorted(
                str(f) for f in pp.iterdir() if f.is_file() and f.suffix.lower() in {".txt", ".md", ".json", ".jsonl"}
            )
            out.extend(found)
        else:
            out.append(p)
    return out
