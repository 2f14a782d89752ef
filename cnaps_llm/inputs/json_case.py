"""One parsed JSON object  ->  ``Case``: the ``{id, prompt}`` form or the structured form.

* ``{"id": …, "prompt": "<prompt file text>"}`` (``query_text`` too): the text is parsed
  as a prompt file; other keys are left alone (datasets carry their own metadata, such as
  the answers and votes in the real-answer files);
* the structured form, which is what ``cnaps-llm parse`` prints (``sources`` with ``id``
  and ``role``) or the hand-written ``recommended`` / ``related`` lists.

Invariant: the structured form is read strictly. An unknown key, at the top, in a source
or in ``expect``, is an ``InputError`` naming it (with the closest known key), and a value
of the wrong type is an error, never dropped or turned into a string.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from ..models import Case, Expectations
from .prompt_file import parse_prompt_text
from .sources import MAX_SOURCES, Entry, check_case_id, check_link, clean_value, invalid, number, too_many
from .text import normalise

PROMPT_KEYS = ("prompt", "query_text")
CASE_KEYS = ("id", "question", "instruction", "recommended", "related", "sources", "expect")
SOURCE_KEYS = ("id", "role", "name", "paper", "paper_url", "github", "github_url", "summary", "links")
EXPECT_KEYS = tuple(Expectations.model_fields)
_LINK_KEYS = (("paper", "paper"), ("paper_url", "paper"), ("github", "github"), ("github_url", "github"))


def _check_keys(obj: dict[str, Any], known: tuple[str, ...], where: str, *, path: str | None, line: int | None) -> None:
    unknown = next((k for k in obj if k not in known), None)
    if unknown is None:
        return
    import difflib  # only on this error path

    shown = str(unknown)[:60]
    close = difflib.get_close_matches(shown, known, n=1)
    hint = f"did you mean `{close[0]}`?" if close else f"the keys are {', '.join(known)}"
    raise InputError(f"unknown key `{shown}` in {where}; {hint} (see README 'Input formats')", path=path, line=line)


# a line break as Markdown or a terminal reads one, after the text's normalisation
_LINE_BREAK = re.compile("[\n\r\f\v\x85\u2028\u2029]")
# a link's name in `links`: a label as a prompt file's `Key: URL` line gives one, a little wider
# (no line break, no Markdown or HTML, no URL of its own: it is written into the answer as it is)
_LABEL = re.compile(r"[^\W_][\w .,'&+-]{0,39}")


def _optional_str(obj: dict[str, Any], key: str, what: str, *, path: str | None, line: int | None) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InputError(f"`{key}` {what} must be a string or null, not {type(value).__name__}", path=path, line=line)


def _source(item: Any, role: str, *, path: str | None, line: int | None) -> Entry:
    if not isinstance(item, dict):
        raise InputError(f"each `{role}` source must be an object with a `name`", path=path, line=line)
    _check_keys(item, SOURCE_KEYS, f"a `{role}` source", path=path, line=line)
    name = (_optional_str(item, "name", "of a source", path=path, line=line) or "").strip()
    if not name:
        raise InputError(f"a `{role}` source has no `name`; give each source a name", path=path, line=line)
    if _LINE_BREAK.search(name):  # a name is written into the answer: a line break in it would start a heading or a list there
        raise InputError(f"source name {name[:60]!r} holds a line break; give each source a one-line name", path=path, line=line)
    if item.get("role", role) != role:
        given = repr(item["role"][:40]) if isinstance(item["role"], str) else f"of type {type(item['role']).__name__}"
        raise InputError(f"source {name[:60]!r} in `{role}` has `role` {given}; move it or fix its role", path=path, line=line)
    e = Entry(name=name, role=role)
    for key, attr in _LINK_KEYS:
        value = clean_value(_optional_str(item, key, "of a source", path=path, line=line) or "")
        if value:
            setattr(e, attr, check_link(value, path=path, line=line, field=f"`{key}`"))
    summary = _optional_str(item, "summary", "of a source", path=path, line=line)
    if summary and summary.strip():
        e.summary.append(normalise(summary).strip())
    links = item.get("links") or {}
    if not isinstance(links, dict):
        raise InputError("`links` must be an object of name -> URL", path=path, line=line)
    for label, url in links.items():
        if not _LABEL.fullmatch(label.strip()):  # written into the answer beside its link, as a prompt file's `Key:` is
            raise InputError(
                f"link name {label[:60]!r} in `links` must be a short name (letters, digits, spaces, `.,'&+-`), like `HuggingFace`",
                path=path, line=line,
            )
        value = clean_value(_optional_str(links, label, "in `links`", path=path, line=line) or "")
        if value:
            e.links[str(label)] = check_link(value, path=path, line=line, field=f"`{label}`")
    return e


def _entries(obj: dict[str, Any], *, path: str | None, line: int | None) -> list[Entry]:
    if "sources" in obj:
        if "recommended" in obj or "related" in obj:
            raise InputError("give either `sources` or `recommended`/`related`, not both", path=path, line=line)
        raw = obj["sources"]
        if not isinstance(raw, list):
            raise InputError("`sources` must be a list", path=path, line=line)
        if len(raw) > MAX_SOURCES:
            raise too_many(len(raw), path=path, line=line)
        if not all(isinstance(s, dict) and s.get("role") in ("recommended", "related") for s in raw):
            raise InputError("each source needs `role`: \"recommended\" or \"related\"", path=path, line=line)
        by_role = {"recommended": [s for s in raw if s["role"] == "recommended"], "related": [s for s in raw if s["role"] == "related"]}
    else:
        by_role = {role: obj.get(role, []) for role in ("recommended", "related")}
        for role, items in by_role.items():
            if not isinstance(items, list):
                raise InputError(f"`{role}` must be a list of sources", path=path, line=line)
        if sum(len(items) for items in by_role.values()) > MAX_SOURCES:
            raise too_many(sum(len(items) for items in by_role.values()), path=path, line=line)
    return [_source(item, role, path=path, line=line) for role, items in by_role.items() for item in items]


def _case_id(obj: dict[str, Any], default_id: str, *, path: str | None, line: int | None) -> str:
    raw = obj.get("id")
    if raw is None or raw == "":
        return check_case_id(default_id, path=path, line=line)
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise InputError(f"`id` must be a string, not {type(raw).__name__}", path=path, line=line)
    return check_case_id(str(raw), path=path, line=line)


def _structured(obj: dict[str, Any], case_id: str, *, path: str | None, line: int | None) -> Case:
    # `prompt: null` was always read as "no prompt"; naming it also helps a misspelt `prompt`
    _check_keys(obj, CASE_KEYS + PROMPT_KEYS, "the case", path=path, line=line)
    question = obj.get("question")
    if not isinstance(question, str) or not question.strip():
        raise InputError("no `question`; give the user's question as a string", path=path, line=line)
    entries = _entries(obj, path=path, line=line)
    if not entries:
        raise InputError("no sources; add `recommended` (and optionally `related`) sources", path=path, line=line)
    instruction = _optional_str(obj, "instruction", "of the case", path=path, line=line) or ""
    return Case(
        id=case_id,
        question=normalise(question).strip(),
        instruction=normalise(instruction).strip(),
        sources=number(entries, path),
    )


def _expectations(expect: Any, *, path: str | None, line: int | None) -> Expectations:
    if not isinstance(expect, dict):
        raise InputError(f"`expect` must be an object with {' and/or '.join(f'`{k}`' for k in EXPECT_KEYS)}", path=path, line=line)
    _check_keys(expect, EXPECT_KEYS, "`expect`", path=path, line=line)
    return Expectations.model_validate(expect)


def _bare(exc: InputError) -> str:
    """The message without its ``path:line: `` prefix."""
    where = (exc.path or "<input>") + (f":{exc.line}" if exc.line is not None else "")
    return exc.message[len(where) + 2 :]


def case_from_object(obj: Any, *, default_id: str, path: str | None = None, line: int | None = None) -> Case:
    """One JSON object -> ``Case``. Accepts ``prompt``/``query_text`` text or the structured form."""
    if not isinstance(obj, dict):
        raise InputError("expected a JSON object for each case", path=path, line=line)
    try:
        case_id = _case_id(obj, default_id, path=path, line=line)
        prompt = obj.get("prompt", obj.get("query_text"))
        if isinstance(prompt, str):
            try:
                case = parse_prompt_text(normalise(prompt), case_id=case_id, path=path)
            except InputError as exc:
                # a line of the prompt text is not a line of this file: say which it is
                inner = f"`prompt` line {exc.line}: " if exc.line is not None else ""
                raise InputError(inner + _bare(exc), path=path, line=line) from None
        elif prompt is not None:
            raise InputError("`prompt` must be the prompt file's text as a string", path=path, line=line)
        else:
            case = _structured(obj, case_id, path=path, line=line)
        if obj.get("expect") is not None:
            expect = _expectations(obj["expect"], path=path, line=line)
            ids = [s.id for s in case.sources]
            unknown = [sid for sid in expect.must_cite if sid not in ids]
            if unknown:  # never citable: the case would count as missing it in every run, and no one would see why
                raise InputError(
                    f"`expect.must_cite` names {', '.join(map(repr, unknown[:5]))}, which this case has no source for; "
                    f"its sources are {', '.join(ids[:12])}{'…' if len(ids) > 12 else ''}",
                    path=path, line=line,
                )
            case = case.model_copy(update={"expect": expect})
        return case
    except InputError as exc:
        if exc.line is None and line is not None:
            raise InputError(_bare(exc), path=path, line=line) from None
        raise
    except ValidationError as exc:
        raise invalid(exc, path=path, line=line) from None
