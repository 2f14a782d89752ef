"""Rule ``task``: every task the answer claims (denoising, tracking, "describe the picture
in a sentence", "reads the licence plates"…) the question or a source supports, in
technical or plain words (the vocabulary's terms, then the cue file's ``claims`` phrases
where no term is), and participles of verbs done to the user's content where the
cue file's ``passives.readings`` hold ("the pages are summarised", "the moon is swapped
for a bigger one"): a particle after it, a subject of the task's word family, or any
subject but a pipeline or plan word, unless a person does it or the question or a
source writes the verb.

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
from ..index import Grounding, corpus
from ..cues import claims_at
from ..tasks import HEAD, NOT_A_TASK, OTHER_TASK, human_agents, not_subjects, passive_context, subject_prepositions, passives, readings, terms_in
from ..words import STOP
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
    def not_claimed(start: int, end: int) -> bool:
        # over a vocabulary term held by that term's claim, an echo of the prompt, a gap
        # statement or a title: not a claim of this task
        return (
            any(a < end and start < b and held for a, b, held in taken)
            or _echoed(view.answer, start, g.instruction)
            or in_gap_statement(text, start, end)
            or in_title(view.answer, start, end)
        )

    for task, start, end in claims_at(text, heads):
        if task in g.tasks or not_claimed(start, end):
            continue
        written = flagged.setdefault(task, text[start:end])
        yield Finding(start, written, message(written, all_tasks[task].name))
    # a participle after an auxiliary, whatever its subject: "the stars are then counted"
    participles = passives()
    low = None  # the text lower-cased, once, when a participle first needs it
    for at in heads:
        word = _WORD.match(text, at)
        task = participles.get(word.group().lower()) if word is not None else None
        if task is None or task in g.tasks:
            continue
        before, not_before = passive_context()
        low = text.lower() if low is None else low
        aux = before.search(low, max(0, at - 30), at)
        after = _WORD.match(text, _skip(text, word.end()))
        if aux is None or (after is not None and after.group().lower() in not_before):
            continue
        start, end = aux.start(), word.end()
        if not_claimed(start, end):
            continue
        written = flagged.setdefault(task, text[start:end])
        yield Finding(start, written, message(written, all_tasks[task].name))
    # a participle of a verb done to the user's content, where its reading holds: "the
    # pages are summarised", "the moon is swapped for a bigger one", "each star is named."
    read = readings()
    for at in heads:
        word = _WORD.match(text, at)
        cands = read.get(word.group().lower()) if word is not None else None
        if not cands:
            continue
        low = text.lower() if low is None else low
        before, _ = passive_context()
        aux = before.search(low, max(0, at - 30), at)
        if aux is None:
            continue
        hit = _reading(low, aux.start(), word.end(), cands, g, taken)
        if hit is None:
            continue
        task, end = hit
        start = aux.start()
        if not_claimed(start, end):
            continue
        written = flagged.setdefault(task, text[start:end])
        yield Finding(start, written, message(written, all_tasks[task].name))


_WORD = re.compile(r"[A-Za-z]+")
_CLAUSE = re.compile(r"[^.;:!?()\[\]|\n\"“”]*$")  # the clause before the auxiliary
# between a subject and its auxiliary: a modal, a negation, an adverb
_NOT_SUBJECT_WORDS = frozenset("must can cannot will should would could may might shall not then also first finally next automatically later afterwards still just only be been have has had".split())
_CLAUSE_END = re.compile(r"[ \t]*(?:[.;:!?,)\n]|and\b|$)")


def _verb_in_input(participle: str, g: Grounding) -> bool:
    """Does the input write the participle's verb in any form ("summarise", "typing",
    "swap")? Then the question asks for it: the reading claims nothing."""
    stem = participle[:-2] if participle.endswith("ed") else participle
    if len(stem) > 2 and stem[-1] == stem[-2]:  # swapped: swap
        stem = stem[:-1]
    forms = {participle, stem, stem + "e", stem + "s", stem + "es", stem + "ed", stem + "ing", stem + "es"}
    if stem.endswith("e"):
        forms.add(stem[:-1] + "ing")
    words = g.derived.get("task.input_words")
    if words is None:  # the question and the sources, not the prompt's own instructions ("Summarize what…")
        text = corpus(g.case, instruction=False) if g.case is not None else ""
        words = g.derived["task.input_words"] = frozenset(re.findall(r"[a-z]+", text.lower()))
    return not forms.isdisjoint(words)  # type: ignore[union-attr]


def _reading(low: str, aux: int, end: int, cands, g: Grounding, taken) -> tuple[int, int] | None:
    """``(task, end of the claim)`` of the first reading of the participle ending at
    ``end`` (after an auxiliary at ``aux``) that holds, or None."""
    for task, after, family, anyone, clause_end in cands:
        if task in g.tasks:
            continue
        stop = end
        if after:
            for run in after:
                k, ok = end, True
                for w in run:
                    k = _skip(low, k)
                    if not low.startswith(w, k) or (k + len(w) < len(low) and low[k + len(w)].isalnum()):
                        ok = False
                        break
                    k += len(w)
                if ok:
                    stop = k
                    break
            else:
                continue
        if clause_end and _CLAUSE_END.match(low, stop) is None:
            continue
        if low.startswith(human_agents(), _skip(low, stop)):  # "written by the user": a person does it
            continue
        clause_at = _CLAUSE.search(low, max(0, aux - 80), aux).start()  # type: ignore[union-attr]
        clause = low[clause_at:aux]
        if family is not None:
            words = set(re.findall(r"[a-z][a-z-]*", clause))
            if not any(f in words or (" " in f and f in clause) for f in family):
                continue
        if anyone:
            words = re.findall(r"[a-z][a-z-]*", clause)
            while words and words[-1] in _NOT_SUBJECT_WORDS:  # "the background must be replaced"
                words.pop()
            preps = subject_prepositions()
            # the subject's head: the word before its first preposition ("each relative in the photo")
            head = next((words[i - 1] for i in range(1, len(words)) if words[i] in preps and words[i - 1] not in STOP), None)
            head = head or (words[-1] if words else None)
            if head is None or head in not_subjects() or head in STOP:
                continue
            if any(clause_at <= b and a < aux for a, b, _ in taken):  # a task term in the subject: "the noise is removed…"
                continue
        if _verb_in_input(low[end - len(_WORD_END.search(low[:end]).group()) : end], g):
            continue
        return task, stop
    return None


_WORD_END = re.compile(r"[a-z]+$")


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t":
        at += 1
    return at


RULE = Rule("task", find)
