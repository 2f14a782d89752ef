"""Rule ``quality``: a grounded answer must also be a useful one.

Eight checks, each with a name (``CHECKS``) that evals count failures by:

* ``task``: part 1 describes the user's task in a sentence (not a bare name, id or slug)
  and shares a word or a task with the question;
* ``workflow``: the workflow has an input, an output and a step, each saying something and
  none a copy of another field or a source's name (read from our rendered format only);
* ``repeated_step``: no step repeats an earlier one;
* ``empty``: no heading with nothing under it, no empty list item, no placeholder where
  content belongs ("TBD", "[MODEL NAME]"), no part made of the prompt's own instructions
  copied back (``grounding.hollow``), no table of labels with nothing beside them;
* ``models``: each recommended model is used in the workflow or set aside with a reason;
  when the prompt says not every model need be used, one is enough;
* ``references``: part 3 cites a source with its link and a reason;
* ``length``: not a one-liner nor a single sentence, not a wall that repeats itself (a
  sentence again and again, a short line again and again, a line that loops on a few words);
* ``language``: written in English when the prompt is (another script, or another
  language's function words, or prose without English's own).

The workflow and repeated-step checks read our rendered format (``answer_format``) and do
nothing on prose without it; the others read any Markdown answer. Invariant: pure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache

from ...answer_format import FOOTNOTE_DEF, MODEL, Statement, reason_start
from .. import hollow, patterns, sections, vocab
from ..index import Grounding
from ..mentions import distinct_forms, lower_keys, says_none_fits
from ..sections import Answer
from ..tasks import tasks_in
from ..words import QUESTION_STOP as _STOP
from ..words import content_stems as _content
from ..words import prose_words as _words
from ..words import short_stem as _stem
from . import Finding, Rule, View

MIN_WORDS, MAX_WORDS = 40, 5000
MIN_TASK_WORDS = 5
TASK_CHARS = 600
ASIDE_MENTIONS = 2  # mentions of a model (by each of its keys) read to see whether one sets it aside
# a wall repeating itself: a sentence of REPEAT_WORDS words or more written REPEATS times,
# or repeated sentences making up REPEATED_SHARE of the answer's words
REPEATS, REPEAT_WORDS, REPEATED_SHARE = 3, 8, 0.4
# or a shorter sentence (LOOP_WORDS words or more) written LOOP_REPEATS times: real answers
# repeat a module's "- Input: RGB image (H×W×3)" line three times, never a sentence four
LOOP_REPEATS, LOOP_WORDS = 4, 5
# or a line that loops on a few words without a stop: a unit of at most LOOP_PERIOD
# characters written LOOP_UNITS times in a row, in a line of LOOP_LINE characters or more
LOOP_LINE, LOOP_PERIOD, LOOP_UNITS, LOOP_WINDOW = 160, 80, 6, 12
# or a short line (SHORT_CHARS characters or more, with letters) written SHORT_REPEATS times
SHORT_CHARS, SHORT_REPEATS = 12, 8

_LINK_WORDS = frozenset(("paper", "code", "github", "arxiv", "reference"))
# the first character of the next line that is neither blank nor a rule ("---", "***")
_CONTENT = patterns.compile(r"\n[ \t\-*_=]*[^\s\-*_=]")
_LABEL_LINE = patterns.compile(r"\*\*([^*\n]+):\*\*")
_EMPTY_ITEM = patterns.compile(r"\n[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]*(?=\n|$)")
# the marker a bold heading's text opens with: "Part 2", "2.", "2.1", "II.", "A.", "Step 1"
_MARKER = patterns.compile(
    r"(?:(part|section|step)[ \t]+)?(?:(\d{1,3}(?:\.\d{1,3})+)\.?[ \t):]|(\d{1,3}|[ivx]{1,5}|[a-z])(?:[.):]|[ \t]*[-—–]))", re.I
)
_PARENT_MARKERS = frozenset({"part", "number", "roman"})


def _marker(text: str) -> str | None:
    """The kind of part marker ``text`` opens with, if any."""
    m = _MARKER.match(text)
    if m is None:
        return None
    word, sub, mark = m.groups()
    if word:
        return "step" if word.lower() == "step" else "part"
    if sub:
        return "sub"
    if mark[0].isdigit():
        return "number"
    if mark.isupper() and (len(mark) > 1 or mark in "IVX"):
        return "roman"
    return "letter" if len(mark) == 1 else None


def _nests(parent: sections.Heading, child: sections.Heading | str) -> bool:
    """Is ``child`` (a bold line, or a bold label's text) the first sub-heading of ``parent``
    (a bold line): "**2. Workflow**" then "**A. Overview**", "**II. Workflow**" then "**1.
    Inputs**", "**2. Workflow:**" then "**A. Overview:** …"? A heading of another kind of
    marker under a part's marker opens that part's content."""
    text = child if isinstance(child, str) else child.text
    up, down = _marker(parent.text), _marker(text)
    if up is None and down is not None:  # "**Workflow:**" then "**Step 1:** …": the first of a series
        return _FIRST.match(text) is not None
    return up in _PARENT_MARKERS and down is not None and down != up and not (up == "number" and down == "roman")


# the first marker of a series: "1.", "A)", "a:", "i.", "Step 1", "1.1"
_FIRST = patterns.compile(r"(?:(?:part|section|step)[ \t]+)?(?:1(?:\.1)?|[ai])(?:[.):]|[ \t]*[-—–])", re.I)
_LABEL = patterns.compile(r"^\*\*(Input|Output):\*\*[ \t]*([^\n]*)$", re.M)
_SLUG = patterns.compile(r"[\w.+/]+(?:[-_][\w.+/]+)*")
SEGMENT_CHARS, LONG_LINE = 30, 120
_SUBSET = patterns.compile(r"\bnot\b[^.\n]{0,30}\ball\b[^.\n]{0,30}\bmodels?\b|\bonly those\b[^.\n]{0,40}\brelevant\b")
def _question(g: Grounding) -> tuple[set[str], set[int]] | None:
    """The question's content words (stemmed) and tasks, computed once per case."""
    known = g.derived.get("quality.question")
    if known is None and g.case is not None:
        q = g.case.question
        known = g.derived["quality.question"] = (_content(q), {t for t, _, _ in tasks_in(q)})
    return known  # type: ignore[return-value]


def _recommended(g: Grounding) -> list[str]:
    """The recommended models' names (sources R1, R2…), once per case."""
    known = g.derived.get("quality.recommended")
    if known is None:
        known = g.derived["quality.recommended"] = [n for sid, n in g.source_names if sid.startswith("R")]
    return known  # type: ignore[no-any-return]


def _subset(g: Grounding) -> bool:
    """Does the prompt say that not every recommended model need be used? Once per case."""
    known = g.derived.get("quality.subset")
    if known is None and g.case is not None:
        said = (g.case.instruction + "\n" + g.case.question).lower().replace("*", "")
        known = g.derived["quality.subset"] = _SUBSET.search(said) is not None
    return bool(known)


@lru_cache(maxsize=20_000)
def _content_stem(word: str) -> str | None:
    """The stem by which a word of part 1 may share the question's subject; None for a short
    or stop word, which never does. Remembered: prose reuses its words."""
    if len(word) >= 4 and word.lower() not in _STOP:
        return _stem(word)
    return None


def _clip(text: str, n: int = 80) -> str:
    s = " ".join(text.split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def _is_label(text: str, a: Answer) -> bool:
    """A bare model name, source id or slug rather than a description."""
    s = text.strip().strip("*_`\"'“”.:")
    return bool(s) and (vocab.squash(s) in a.source_keys or (" " not in s and _SLUG.fullmatch(s) is not None))


# --------------------------------------------------------------------------- the checks


def _task(a: Answer) -> Iterator[Finding]:
    if "task" not in a.parts:
        return
    offset, end = a.span("task")
    # the task is stated first: a long part 1 need not be read through
    prose = a.view.text[offset : min(end, offset + TASK_CHARS)] if offset >= 0 else ""
    plain = " ".join(ln for ln in prose.split("\n") if ln.strip() and ln.strip()[0] != "#")
    words = _words(plain)
    if len(words) < MIN_TASK_WORDS or _is_label(plain, a):
        shown = _clip(plain.replace("**", ""))
        what = f'says only "{shown}"' if shown else "is empty"
        yield Finding(offset, shown or "part 1", f"Part 1 (the user's task) {what}; describe the user's task in a full sentence: what they want done, to what, in the question's words.")
        return
    asked = _question(a.g)
    if asked is None:
        return
    shares = any(_content_stem(w) in asked[0] for w in words)
    if not shares and not ({t for t, _, _ in tasks_in(plain)} & asked[1]):
        yield Finding(offset, _clip(plain.replace("**", "")), "Part 1 shares no word with the user's question; describe the task the question asks about, in its terms.")


def _workflow(a: Answer) -> Iterator[Finding]:
    if not a.ours:
        return
    fields = {m.group(1).lower(): (m.start(2), m.group(2).strip()) for m in _LABEL.finditer(a.text)}
    head = a.parts["workflow"][0].start if "workflow" in a.parts else len(a.text)
    for name in ("input", "output"):
        at, value = fields.get(name, (head, ""))
        if not _words(value):
            yield Finding(at, f"**{name.title()}:**", f"The workflow's {name} is empty; say what the user {'gives the models' if name == 'input' else 'gets back'} (for example {'the photo as the user has it' if name == 'input' else 'the restored photo'}).")
        elif _is_label(value, a):
            yield Finding(at, value, f'The workflow\'s {name} is "{_clip(value)}", a name, not what the user {"gives the models" if name == "input" else "gets back"}; describe the data itself (for example {"the photo as the user has it" if name == "input" else "the restored photo"}).')
    steps = [s for s in a.statements if s.kind == "step"]
    if not steps:
        yield Finding(head, MODEL, "The workflow has no step; add at least one step that names a source and says what it does with the input.")
    for i, st in enumerate(steps, start=1):
        if not _words(st.text):
            yield Finding(st.offset, st.name, f"Step {i} ({st.name}) says nothing; say what it does in this workflow, or drop the step.")
    task_at, task = a.body("task")
    named = [("the input", fields.get("input", (0, ""))[1]), ("the output", fields.get("output", (0, ""))[1]), ("the task", task)]
    keys = [(label, vocab.squash(value)) for label, value in named]
    if keys[0][1] and keys[0][1] == keys[1][1]:
        yield Finding(fields["output"][0], fields["output"][1], "The workflow's input and output are the same text; the input is what the user gives the models, the output what they get back.")
    seen: set[str] = set()
    for i, st in enumerate(steps, start=1):
        key = vocab.squash(st.text)
        if key in seen:
            continue  # a repeated step is the repeated_step check's
        seen.add(key)
        copied = next((label for label, k in keys if key and k == key), None)
        if copied is not None:
            yield Finding(st.offset, st.text, f"Step {i} only repeats {copied} (\"{_clip(st.text, 60)}\"); say what {st.name} does to the input.")


def _repeated_step(a: Answer) -> Iterator[Finding]:
    if not a.ours:
        return
    first: dict[str, int] = {}
    repeats: dict[int, list[tuple[int, Statement]]] = {}
    for i, st in enumerate((s for s in a.statements if s.kind == "step"), start=1):
        key = vocab.squash(st.text)
        if not key:
            continue
        if key in first:
            repeats.setdefault(first[key], []).append((i, st))
        else:
            first[key] = i
    for original, copies in repeats.items():
        numbers = [str(i) for i, _ in copies]
        which = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
        st = copies[0][1]
        yield Finding(st.offset, st.text, f"Step{'s' if len(numbers) > 1 else ''} {which} repeat{'' if len(numbers) > 1 else 's'} step {original} word for word; give each step its own role, or drop the copies.")


def _empty(a: Answer) -> Iterator[Finding]:
    text = a.text
    for at, shown in hollow.placeholders(a):
        yield Finding(at, shown, f'"{_clip(shown, 60)}" is a placeholder where content belongs; write what belongs there or remove it.')
    for at, shown in hollow.copies(a):
        if hollow.is_question(a, shown):
            yield Finding(at, shown, f'"{_clip(shown, 60)}" only repeats the user\'s question; answer it in its place.')
        else:
            yield Finding(at, shown, f'"{_clip(shown, 60)}" copies the prompt\'s instructions instead of following them; write the answer they ask for in its place.')
    if "\n" not in text:
        return
    for m in _EMPTY_ITEM.finditer(a.nl):  # offsets in the answer: the match starts at its "\n"
        if not a.fenced(m.start()):
            yield Finding(m.start(), m.group().strip(), "An empty list item; write what belongs there or remove it.")
    if "\n|" in a.nl:
        yield from _empty_rows(a)
    hs = a.headings  # not plain numbered lines: one may as well be a list item
    by_start = {h.start: h for h in hs}
    for h in hs:
        nxt = _CONTENT.search(text, h.end)  # the next line with something in it
        after = None
        sibling = False
        if nxt is not None:
            line = nxt.start() + 1  # the match starts at the "\n" before that line
            after = by_start.get(line)
            # a label ("**Caveats:**") followed by another label's line ("**Output:** …") is empty too
            # unless it is the part's first sub-label ("**2. Workflow:**" then "**A. Overview:** …")
            label = _LABEL_LINE.match(text, line) if h.level == 7 and h.line.endswith(":**") else None
            sibling = label is not None and not _nests(h, label.group(1) + ":")
        if after is not None and h.level == 7 and _nests(h, after):  # "**2. Workflow**" then "### A. Overview"
            continue
        if nxt is None or sibling or (after is not None and (after.level <= h.level or h.level == 7)):
            yield Finding(h.start, h.line, f'The heading "{h.line}" has nothing under it; write what belongs there or remove the heading.')


_TABLE_ROW = patterns.compile(r"\n[ \t]*(\|[^\n]*)")
EMPTY_ROWS = 2


def _empty_rows(a: Answer) -> Iterator[Finding]:
    """A Markdown table whose rows are labels with nothing beside them ("| Core task |  |"):
    EMPTY_ROWS rows or more, and half its rows or more, blank in every cell after the first.
    (A cell of "—" or "N/A" says something: a model without a paper.)"""
    tables: list[list[tuple[int, str]]] = []
    nl, after = a.nl, -1  # where the last row's line ends (its "\n"): a row that starts there continues its table
    for m in _TABLE_ROW.finditer(nl):
        if m.start() != after:
            tables.append([])
        tables[-1].append((m.start(), m.group(1)))
        after = m.end()
    for table in tables:
        # the rule under the header: "|---|:---:|", pipes, dashes, colons and spaces only
        rule = next((k for k, (_, row) in enumerate(table) if "---" in row and not row.strip("|-: \t")), None)
        if rule is None or a.fenced(table[0][0]):
            continue
        body = table[rule + 1 :]
        # a column of links may be blank where the input gives none ("| P1 |  |" under "GitHub")
        links = _link_columns(table[0][1]) if rule > 0 else frozenset()
        empty = [(at, row) for at, row in body if _blank_beside(row, links)]
        if len(empty) >= EMPTY_ROWS and 2 * len(empty) >= len(body):
            at, row = empty[0]
            yield Finding(at, row.strip(), f'The table row "{_clip(row.strip(), 60)}" and others like it have nothing beside their label; fill them in or remove the table.')


_LINK_HEADER = patterns.compile(r"(?i)\b(?:links?|urls?|papers?|code|github|repo(?:sitory)?|arxiv|weights|checkpoints?|demo|source|pdf)\b")


def _link_columns(header: str) -> frozenset[int]:
    """The columns (after the first) of a table whose header names links, papers or code."""
    cells = header.strip().strip("|").split("|")
    return frozenset(k for k, c in enumerate(cells) if k and _LINK_HEADER.search(c))


def _blank_beside(row: str, links: frozenset[int] = frozenset()) -> bool:
    """Is every cell of a table row after its first blank (spaces or markup only), in a
    table with a column that is not ``links`` (a blank link cell is honest: the input has none)?"""
    cells = row.strip().strip("|").split("|")
    rest = [c for k, c in enumerate(cells) if k and k not in links]
    return len(cells) >= 2 and bool(rest) and bool(cells[0].strip(" \t*_`")) and all(not c.strip(" \t*_`") for c in rest)


def _models(a: Answer) -> Iterator[Finding]:
    case = a.g.case
    recommended = _recommended(a.g)
    if case is None or not recommended:
        return
    subset = _subset(a.g)
    handled: list[str] = []
    unhandled: list[tuple[str, str]] = []
    answer_sq: str | None = None
    if a.ours:
        used = {s.name for s in a.statements if s.kind == "step" and _words(s.text)}
        aside = {s.name: _words(s.text) for s in a.statements if s.kind == "set_aside"}
        for name in recommended:
            if name not in a.text:
                answer_sq = answer_sq if answer_sq is not None else vocab.squash(a.text)
                if vocab.squash(name) not in answer_sq:
                    continue  # never mentioned by name: the structure rule says so
            # a set-aside entry needs its own reason; otherwise a sentence elsewhere may set the model aside
            if name in used or aside.get(name) or (name not in aside and _set_aside(a, name)):
                handled.append(name)
            else:
                why = "is set aside without a reason" if name in aside else "is neither used in the workflow nor set aside"
                unhandled.append((name, why))
    else:
        # the names as written in the lower-cased answer: the full name, or a distinctive part
        low = a.low
        start, end = a.span("workflow")
        mentioned = []
        arrows = start < 0 and any(arrow in low for arrow in _FLOW_ARROWS)  # a flow to read without a workflow part
        if start < 0 and not arrows:  # prose with neither a workflow part nor a flow: where a model is used is not known, so anywhere counts
            start, end = 0, len(low)
        for name in recommended:
            if start >= 0 and any(low.find(k, start, end) >= 0 for k in lower_keys(name)):
                handled.append(name)
            elif arrows and _on_a_flow_line(low, lower_keys(name)):
                handled.append(name)  # no workflow part to read: "- **Flow:** photo → Model → …" uses it
            else:
                mentioned.append(name)
        if subset and handled:
            return  # one model used is enough, as the prompt says
        for name in mentioned:
            if not any(k in low for k in lower_keys(name)):
                continue  # never mentioned: the structure rule says so
            if _set_aside(a, name):
                handled.append(name)
            else:
                unhandled.append((name, "is mentioned but neither used in the workflow nor set aside with a reason"))
    if subset and handled:
        return
    if unhandled and _all_set_aside(a, len(recommended)):
        return
    if subset and not handled and unhandled:
        unhandled = unhandled[:1]
    for name, why in unhandled:
        yield Finding(None, name, f'The recommended model "{name}" {why}; use it in a step, or set it aside saying why it does not fit (for example "does not fit: it is a deblurring model").')


# the recommended model named by its role, not its name: "the (single) recommended model",
# "the listed checkpoint" (read only where one model is recommended)
_THE_MODEL = patterns.compile(
    r"the (?:only |single |one )?(?:recommended|listed|provided|given|suggested) (?:\w+ )?(?:model|checkpoint|network|tool)\b"
)


def _all_set_aside(a: Answer, count: int) -> bool:
    """Does the answer set every recommended model aside without naming them: it says
    plainly that none fits, or, where one model is recommended, sets "the recommended
    model" aside (an honest answer to a question the model does not fit)?"""
    low = a.low
    # "none of…", "nothing…", "neither…", "no listed model…": what says_none_fits reads
    if ("none" in low or "nothing" in low or "neither" in low or "no " in low) and says_none_fits(a.text, low):
        return True
    if count != 1 or "the " not in a.low:
        return False
    return any(a.says_aside(m.start()) for m in _THE_MODEL.finditer(a.low))


_FLOW_ARROWS = ("→", "->", "⟶", "=>")


def _on_a_flow_line(low: str, keys: tuple[str, ...]) -> bool:
    """Is one of a model's keys on a line that shows a flow with an arrow (its first
    mentions only)? Read where an answer has no workflow part under a heading."""
    for key in keys:
        at, seen = low.find(key), 0
        while at >= 0 and seen < ASIDE_MENTIONS:
            a, b = low.rfind("\n", 0, at) + 1, low.find("\n", at)
            line = low[a : len(low) if b < 0 else b]
            if any(arrow in line for arrow in _FLOW_ARROWS):
                return True
            at, seen = low.find(key, at + len(key)), seen + 1
    return False


def _set_aside(a: Answer, name: str) -> bool:
    """Does a line that names the model (in full or by a distinctive part), or the line
    before it or one of the two after it, say that it is not used?"""
    low = a.low
    for key in lower_keys(name):
        at, seen = low.find(key), 0
        while at >= 0 and seen < ASIDE_MENTIONS:
            if a.says_aside(at):
                return True
            at, seen = low.find(key, at + len(key)), seen + 1
    return False


def _references(a: Answer) -> Iterator[Finding]:
    if "references" not in a.parts:
        return  # the structure rule says a part is missing
    offset, body = a.body("references")
    if a.ours:
        # our format: a reference line is the source's name, its links, then the reason
        refs = [s for s in a.statements if s.kind == "reference" and s.offset >= offset]
        if any(len(_words(_after_links(a, s))) >= 3 for s in refs):
            return
    # part 3 first; answers that give each link beside the step using it cite in part 2
    elif _cites(a, offset, offset + len(body)) or _cites(a, 0, len(a.text)):
        return
    if a.g.links and not a.view.links:
        return  # no link at all: the structure rule says so
    yield Finding(offset, "part 3", "Part 3 gives no reason for any source; say for at least one source, beside its link, why it supports the answer.")


def _after_links(a: Answer, st: Statement) -> str:
    return a.view.text[st.offset + reason_start(a.text[st.offset : st.end]) : st.end]


def _cites(a: Answer, start: int, end: int) -> bool:
    """Is there, between ``start`` and ``end``, a paragraph that holds a link and a few
    words of reason (in it, or in the paragraph above it)? Read link by link: the first
    link with a reason ends the search."""
    text, blank = a.view.text, a.text
    if not a.g.links:  # nothing to link to: any paragraph of a few words will do
        return len(_words(text[start:end])) >= 4
    for s, _, _ in a.view.links:
        if not start <= s < end:
            continue
        para = max(blank.rfind("\n\n", start, s), start - 1) + 1
        stop = blank.find("\n\n", s, end)
        stop = end if stop < 0 else stop
        above = max(blank.rfind("\n\n", start, max(start, para - 2)), start - 1) + 1
        for words in (_words(text[para:stop]), _words(text[above:stop])):
            if len(words) >= 4 + sum(1 for w in words if w.lower() in _LINK_WORDS):
                return True
    return False


def _length(a: Answer) -> Iterator[Finding]:
    text = a.view.text
    # all the words are counted only where there could be too many (a word takes at least
    # 2 characters with its space): counting them costs as much as the rest. Too few shows
    # in the first MIN_WORDS + 1 pieces (a wall of long tokens is long yet has few words).
    n: int | None = None
    if len(text) > MAX_WORDS * 2:
        n = len(text.split())
    elif len(head := text.split(None, MIN_WORDS)) <= MIN_WORDS:
        n = len(head)
    if n is not None and n < MIN_WORDS:
        yield Finding(None, f"{n} words", f"The answer is only {n} words; explain the task, the workflow and the sources in full sentences.")
        return
    # one line of prose that never ends a sentence (fewer words are too few, above)
    if "\n" not in text.strip() and _SENTENCE_BREAK.search(text) is None and len(_words(text)) >= MIN_WORDS:
        yield Finding(None, "one sentence", "The answer is a single sentence; explain the task, the workflow and the sources, each in its own part.")
        return
    if n is not None and n > MAX_WORDS:
        yield Finding(None, f"{n} words", f"The answer is {n} words long; keep it under {MAX_WORDS} words, each point made once.")
    if a.ours:  # repeated steps are the repeated_step check's, and their quotes repeat with them
        spans = [(s.offset, s.end) for s in a.statements if s.kind == "step"]
        if "[^" in text:
            spans += [(m.start(), m.end()) for m in FOOTNOTE_DEF.finditer(text)]
        text = a.view.blanked(sorted(spans)).text if spans else text
    # the lines, and the sentences of long lines: what a model stuck in a loop writes again
    # (a sentence that ends a line or a paragraph, its stop dropped, is the same sentence)
    lines = text.split("\n")
    pieces = [ln.rstrip(". ") for ln in lines if len(ln) >= SEGMENT_CHARS]
    # a short line written again and again ("→ SISR-DRN-L-4x →" thirty times); real answers
    # repeat a short label ("- **Output**:") three times at most. Counted in C, lines as
    # written: only a line written SHORT_REPEATS times is read (blank ones, rules, fences…)
    written = Counter(lines)
    written.pop("", None)
    # (one a source at most: "- Code: not provided." under each of nine papers is a line per source)
    repeats = max(SHORT_REPEATS, len(a.g.case.sources) + 3 if a.g.case is not None else 0)
    if written and max(written.values()) >= repeats:
        for ln, k in written.items():
            line = ln.strip().rstrip(". ")
            if k >= repeats and SHORT_CHARS <= len(line) < SEGMENT_CHARS and sum(c.isalpha() for c in line) >= 3:
                at = a.view.text.find(line)
                yield Finding(at if at >= 0 else None, line, f'The answer repeats the line "{_clip(line, 60)}" {k} times; say each thing once.')
                return
    long = [ln for ln in pieces if len(ln) > LONG_LINE]
    for ln in long:
        if len(ln) >= LOOP_LINE and (unit := _loop_unit(ln)) is not None:
            at = a.view.text.find(unit)
            yield Finding(at if at >= 0 else None, _clip(unit), f'The answer repeats "{_clip(unit.strip(), 60)}" over and over in one line; say each thing once.')
            return
    if long:
        pieces = [ln for ln in pieces if len(ln) <= LONG_LINE] + ". ".join(long).split(". ")
    counts = Counter(pieces)
    if len(counts) == len(pieces):
        return  # nothing written twice
    # a source's name may well recur (a step, a reason, a reference): it is no wall
    repeated = [
        (p.strip(), k) for p, k in counts.items()
        if k >= 2 and len(p) >= SEGMENT_CHARS and p.count(" ") >= LOOP_WORDS - 1 and not _names_part(p, a)
    ]
    if not repeated:
        return
    wall = [
        (p, k) for p, k in repeated
        if (k >= REPEATS and len(p.split()) >= REPEAT_WORDS) or (k >= LOOP_REPEATS and len(p.split()) >= LOOP_WORDS)
    ]
    if not wall:  # the share of repeated words decides: only now are all the words counted
        n = n if n is not None else len(a.view.text.split())
        share = sum((k - 1) * len(p.split()) for p, k in repeated) / max(n, 1)
    if wall or share >= REPEATED_SHARE:
        p, k = max(wall or repeated, key=lambda pk: pk[1] * len(pk[0]))
        at = a.view.text.find(p)
        yield Finding(at if at >= 0 else None, _clip(p), f'The answer repeats "{_clip(p, 60)}" {k} times; say each thing once.')


# where one sentence ends and another starts ("… blur. Then …"): a line without one is a single sentence
_SENTENCE_BREAK = patterns.compile(r"[.!?:;][)\]\"'”’*_]*\s+[\"'“‘*_(\[]*[A-Z0-9]")


def _loop_unit(line: str) -> str | None:
    """The words a line loops on, if it does: a unit of at most LOOP_PERIOD characters with
    letters in it, written LOOP_UNITS times in a row from where the line's middle or its
    last quarter falls (a model stuck in a loop writes "the image the image …" or
    "sharp sharp sharp …" without a stop, which no repeated sentence shows). A rule of
    "─" or "|---|" has no letters."""
    for at in (len(line) // 2, len(line) * 3 // 4):
        window = line[at : at + LOOP_WINDOW]
        first = line.find(window)
        second = line.find(window, first + 1)
        period = second - first
        if second < 0 or period > LOOP_PERIOD:
            continue
        unit = line[first:second]
        if sum(c.isalpha() for c in unit) >= 3 and line.startswith(unit * LOOP_UNITS, first):
            # quoted from a sentence's start if it has one, else a word's: "the image " of "image the "
            start = next((i for i in range(1, len(unit)) if unit[i].isupper() and unit[i - 1] == " "), unit.find(" ") + 1)
            return unit[start:] + unit[:start]
    return None


def _names_part(segment: str, a: Answer) -> bool:
    sq = vocab.squash(segment)
    return any(sq in k for k in a.source_keys)


# --------------------------------------------------------------------------- language

LANGUAGE_CHARS = 3000  # the answer's opening read for its language
ENGLISH_CHARS = 1200  # and the part of it that tells most English answers at once
# letters of scripts other than Latin (Greek left out: its letters name symbols in English
# prose): Cyrillic, Hebrew, Arabic, the Indic scripts, Thai, kana, CJK ideographs, Hangul
_OTHER_SCRIPT = patterns.compile(r"[\u0400-\u052f\u0590-\u06ff\u0900-\u0dff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")
# the function words that tell English prose from French, Spanish, German, Portuguese and
# Italian prose (none an English word, an abbreviation of English prose such as "et al.",
# "CE", "aux", "MIT", a piece of a link such as "com", or a prefix split off by a hyphen)
_ENGLISH = frozenset("the and of to is in that for with this are it be by on from which as its an".split())
_FOREIGN = frozenset(
    "le la les des du une pour dans qui que sur avec pas cette sont être également afin puis mais ainsi leur leurs nous vous très "
    "el los las del una para con por como más este esta también pero "
    "der die das und ist nicht für ein eine einen zu den von dem wird sich auch oder werden "
    "não uma dos pela pelo são também "
    "il della delle che è sono gli anche "
    # Indonesian and Malay, Turkish, Dutch: languages in Latin letters whose prose shares few
    # words with English (none of these is an English word)
    "yang untuk dengan dari dalam adalah akan ini itu atau juga dapat tidak pada oleh karena lalu bisa menjadi sudah "
    "ve bir bu için ile olarak gibi daha olan sonra önce "
    "het een niet zijn wordt voor ook naar deze worden "
    # Polish and Czech (their accented letters tell a long answer, not a short one): words that
    # are neither English nor technical shorthand; left out: "a", "i", "w", "z", "v", "na", "do",
    # "to", "se", "je", "pro", "ale", "tak" (English words or shorthand), "jest" (a test runner), "dla" and "jak" (DLA backbones, JAK pathways),
    # "się", "że", "są" (read as "si", "e", "s" by ``_LATIN_WORD``); with their unaccented spellings
    "nie oraz przez jako czy który która które których lub tylko albo aby jego jej tego tej "
    "který která které kterých není také nebo jsou podle mezi pomocí jejich lze jsem být "
    "ktory ktora ktore ktorych ktery ktera ktere kterych neni".split()
)
_LATIN_WORD = patterns.compile(r"[a-zà-öø-ÿ]+")
FOREIGN_WORDS = 10  # foreign function words, and more than twice the English ones
PROSE_WORDS = 40  # accented letters at least, for a text to be told by them
ACCENTED_SHARE = 10  # the percentage of letters outside ASCII from which Latin-script prose is not English
OTHER_SHARE = 0.5  # letters of another script, as a share of the Latin letters


def _language(text: str, least: int = FOREIGN_WORDS) -> str:
    """"other" when ``text`` (lower-cased) is written in another script or in one of the
    Latin-script languages ``_FOREIGN`` knows, else "english" (English, or too little to
    tell). ``least``: the foreign function words that tell."""
    sample = text[:LANGUAGE_CHARS]
    # English prose says "the", "of", "and" or "to" once in eight words or so: four finds in C tell most answers
    # (before a scan for other scripts, which reads every character)
    head = sample[:ENGLISH_CHARS]
    if head.count(" the ") + head.count(" of ") + head.count(" and ") + head.count(" to ") >= 8:
        return "english"
    if not sample.isascii() and _OTHER_SCRIPT.search(sample) is not None:
        other = sum(len(run) for run in _OTHER_SCRIPT.findall(sample))
        latin = len(sample) - len(_ASCII_LETTERS.sub("", sample))
        if other >= 40 and other >= OTHER_SHARE * latin:
            return "other"
    english = foreign = 0
    for w in _LATIN_WORD.findall(sample):
        if w in _ENGLISH:
            english += 1
        elif w in _FOREIGN:
            foreign += 1
    if foreign >= least and foreign > 2 * english:
        return "other"
    # a language written with many accented letters (Vietnamese, Polish, Czech…): English,
    # even quoting a name or a symbol, has almost none. The lack of English function words
    # alone tells nothing: a terse English answer of lists and tables has none either
    if not sample.isascii():
        accented = sum(len(run) for run in _ACCENTED.findall(sample))
        letters = accented + len(sample) - len(_ASCII_LETTERS.sub("", sample))
        if accented >= PROSE_WORDS and accented * 100 >= ACCENTED_SHARE * letters:
            return "other"
    return "english"


_ASCII_LETTERS = patterns.compile(r"[a-z]+")
_ACCENTED = patterns.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+")  # Latin letters with marks


def _expects_english(g: Grounding) -> bool:
    """Is the prompt (its question and instruction) written in English? Once per case: a
    question in another language may well be answered in it."""
    known = g.derived.get("quality.english")
    if known is None and g.case is not None:
        # a short question tells by two function words ("rendez-la", "la photo de mon billet")
        question, instruction = g.case.question.lower(), g.case.instruction.lower()
        known = g.derived["quality.english"] = (
            _language(question, 2) == "english" and _language(instruction) == "english" and _OTHER_SCRIPT.search(question) is None
        )
    return bool(known)


def _wrong_language(a: Answer) -> Iterator[Finding]:
    if not _expects_english(a.g) or _language(a.low) == "english":
        return
    yield Finding(None, "language", "The answer is not written in English prose, the language of the question; write it in English sentences.")


CHECKS: tuple[tuple[str, Callable[[Answer], Iterator[Finding]]], ...] = (
    ("task", _task),
    ("workflow", _workflow),
    ("repeated_step", _repeated_step),
    ("empty", _empty),
    ("models", _models),
    ("references", _references),
    ("length", _length),
    ("language", _wrong_language),
)


# the memo tables of pure functions this rule and its reader keep (``clear_caches`` empties them)
MEMOS = (distinct_forms, lower_keys, _content_stem, *sections.MEMOS)


def find(view: View, g: Grounding) -> Iterator[Finding]:
    a = sections.answer_of(view, g)  # the structure rule may have read some of it in this check
    for _, check in CHECKS:
        yield from check(a)


def failures(answer: str, g: Grounding) -> dict[str, list[Finding]]:
    """The findings of each check that finds any, by check name (for eval reports); the
    answer is read as ``check`` gives it to this rule, its links blanked."""
    view = View(answer)
    a = Answer(view.blanked((start, end) for start, end, _ in view.links), g)
    out = {}
    for name, check in CHECKS:
        found = list(check(a))
        if found:
            out[name] = found
    return out


RULE = Rule("quality", find)
