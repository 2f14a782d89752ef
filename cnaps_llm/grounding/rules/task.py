"""Rule ``task``: every task the answer claims (denoising, tracking, "describe the picture
in a sentence", "reads the licence plates"…) the question or a source supports, in
technical or plain words (the vocabulary's terms, then the cue file's ``claims`` phrases
where no term is).

Not claims, so never violations: a task named in a gap statement ("none of the listed
models can…", "would require an additional OCR module, which is not provided"), inside a
longer model or module name (``Enhancement-low-light-img-enhancer``), a code identifier
or a file name, inside a cited title, or on a line the answer copies from the prompt's
own instructions. One claim written with inflections of one term ("denoise",
"denoised", "denoising") is quoted as first written, with every line it is on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import vocab
from ..index import Grounding
from ..cues import claims_at
from ..tasks import HEAD, NOT_A_TASK, OTHER_TASK, passive_context, passives, terms_in
from ..unclaimed import in_gap_statement, in_name, in_title
from . import Finding, Rule, View


def message(term: str, task_name: str) -> str:
    label = f'"{term}"' if term.lower() == task_name else f'"{term}" ({task_name})'
    return f"The task {label} is not mentioned by the question or any source; describe only tasks they support."


def _echoed(text: str, start: int, instruction: str) -> bool:
    """Is the line around ``start`` a line of the prompt's instructions, copied?"""
    if not instruction:
        return False
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", start)
    line = text[a : len(text) if b < 0 else b].strip()
    return len(line) > 20 and line in instruction


def _modifier_grounded(written: str, g: Grounding) -> bool:
    """Is "fall detection" grounded: does the input say its modifier ("fall", "falls",
    "falling")? The head alone ("detect") says nothing about which task."""
    word = written.split()[0].split("-")[-1].lower() if written.split() else ""
    stem = word[:-1] if word.endswith("e") else word  # raise: raised, raising
    forms = (word, word + "s", word + "es", stem + "ing", stem + "ed")
    return any(g.tokens[0].has_run(w) for w in forms)


def find(view: View, g: Grounding) -> Iterator[Finding]:
    all_tasks = vocab.tasks()
    text = view.text
    first: dict[tuple[int, str], str] = {}  # (task, term) -> the claim as first written
    # where the vocabulary's terms are: a plain-word claim over one is theirs, unless the term
    # names another task the input supports ("restored" is grounded image restoration; "the
    # faces are restored" still claims face restoration)
    taken: list[tuple[int, int, bool]] = []  # (start, end, does it hold claims over it back)
    heads: list[int] = []  # where no term is but a plain-word claim may start
    for task, offset, written, term in terms_in(text):
        if task == HEAD:
            heads.append(offset)
            continue
        grounded = task in g.tasks
        taken.append((offset, offset + len(written), not grounded or task == NOT_A_TASK))
        if grounded or task == NOT_A_TASK:
            continue
        if task == OTHER_TASK and _modifier_grounded(written, g):
            continue
        end = offset + len(written)
        if (  # cheapest first
            in_name(text, offset, end)
            or _echoed(view.answer, offset, g.instruction)
            or in_gap_statement(text, offset, end)
            or in_title(view.answer, offset, end)
        ):
            continue
        # each "X detection" is its own task; a vocabulary task is one claim however inflected
        written = first.setdefault((task, written.lower() if task == OTHER_TASK else term), written)
        name = written.lower() if task == OTHER_TASK else all_tasks[task].name
        yield Finding(offset, written, message(written, name))
    # a task already flagged is reported once: a plain-word claim of it adds its line to
    # that violation (quoted as the task was first written), a new one is quoted as written
    flagged: dict[int, str] = {}
    for (task, _), written in first.items():
        flagged.setdefault(task, written)
    for task, start, end in claims_at(text, heads):
        if task in g.tasks or any(a < end and start < b and held for a, b, held in taken):
            continue
        if _echoed(view.answer, start, g.instruction) or in_gap_statement(text, start, end) or in_title(view.answer, start, end):
            continue
        written = flagged.setdefault(task, text[start:end])
        yield Finding(start, written, message(written, all_tasks[task].name))
    # a participle after an auxiliary, whatever its subject: "the stars are then counted"
    participles = passives()
    for at in heads:
        word = _WORD.match(text, at)
        task = participles.get(word.group().lower()) if word is not None else None
        if task is None or task in g.tasks:
            continue
        before, not_before = passive_context()
        aux = before.search(text.lower(), max(0, at - 30), at)
        after = _WORD.match(text, _skip(text, word.end()))
        if aux is None or (after is not None and after.group().lower() in not_before):
            continue
        start, end = aux.start(), word.end()
        if any(a < end and start < b and held for a, b, held in taken):
            continue
        if _echoed(view.answer, start, g.instruction) or in_gap_statement(text, start, end) or in_title(view.answer, start, end):
            continue
        written = flagged.setdefault(task, text[start:end])
        yield Finding(start, written, message(written, all_tasks[task].name))


_WORD = re.compile(r"[A-Za-z]+")


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t":
        at += 1
    return at


RULE = Rule("task", find)
