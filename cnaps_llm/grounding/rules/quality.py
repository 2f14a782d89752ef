"""Rule ``quality``: a grounded answer must also be a useful one.

Seven checks, each with a name (``CHECKS``) that evals count failures by:

* ``task``: part 1 describes the user's task in a sentence (not a bare name, id or slug)
  and shares a word or a task with the question;
* ``workflow``: the workflow has an input, an output and a step, each saying something and
  none a copy of another field or a source's name (read from our rendered format only);
* ``repeated_step``: no step repeats an earlier one;
* ``empty``: no heading with nothing under it, no empty list item;
* ``models``: each recommended model is used in the workflow or set aside with a reason;
  when the prompt says not every model need be used, one is enough;
* ``references``: part 3 cites a source with its link and a reason;
* ``length``: not a one-liner, not a wall that repeats itself.

The workflow and repeated-step checks read our rendered format (``answer_format``) and do
nothing on prose without it; the others read any Markdown answer. Invariant: pure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from ...answer_format import FOOTNOTE_DEF, MODEL, NOT_USED, Statement, reason_start
from .. import vocab
from ..index import Grounding
from ..sections import PLAIN, Answer
from ..tasks import tasks_in
from . import Finding, Rule, View

MIN_WORDS, MAX_WORDS = 40, 5000
MIN_TASK_WORDS = 5
# a wall repeating itself: a sentence of REPEAT_WORDS words or more written REPEATS times,
# or repeated sentences making up REPEATED_SHARE of the answer's words
REPEATS, REPEAT_WORDS, REPEATED_SHARE = 3, 8, 0.4

_LABEL_LINE = re.compile(r"\*\*[^*\n]+:\*\*")
_EMPTY_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]*$", re.M)
_LABEL = re.compile(r"^\*\*(Input|Output):\*\*[ \t]*([^\n]*)$", re.M)
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’]+")
_SLUG = re.compile(r"[\w.+/]+(?:[-_][\w.+/]+)*")
_SEGMENT = re.compile(r"[^.!?\n:;()]{30,}")
_SUBSET = re.compile(r"\bnot\b[^.\n]{0,30}\ball\b[^.\n]{0,30}\bmodels?\b|\bonly those\b[^.\n]{0,40}\brelevant\b")
_ASIDE = re.compile(
    r"\bnot (?:be |directly |really )?(?:used|needed|necessary|suitable|suited|relevant|applicable|required|"
    r"a (?:good )?fit|appropriate|designed|meant|helpful|useful|included|for )|"
    r"(?:does|do|did|would|will|can)(?:n't|n’t| not) (?:fit|apply|address|match|help|handle|target|need)|"
    r"\b(?:isn't|isn’t|aren't|aren’t|irrelevant|unsuitable|unnecessary|excluded?|omit\w*|skip\w*|set aside|"
    r"instead|rather than|optional|outside (?:the|this)|no (?:need|role)|mismatch\w*)\b"
)
_STOP = frozenset(
    "this that these those with from what which have they their there into about would could should user users "
    "want wants wanted like more most some such them then than also very only just your does make made know "
    "using used when where while been being will many much each other photo photos image images picture "
    "pictures model models help task".split()
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ied", "es", "ed", "ly", "s", "y", "e")


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


def _stem(word: str) -> str:
    w = word.lower()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    return w[:6]


def _content(text: str) -> set[str]:
    return {_stem(w) for w in _words(text) if len(w) >= 4 and w.lower() not in _STOP}


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
    offset, body = a.body("task")
    prose = a.view.text[offset : offset + len(body)] if offset >= 0 else ""
    plain = " ".join(ln for ln in prose.split("\n") if ln.strip() and ln.strip()[0] != "#")
    shown = _clip(plain.replace("**", ""))
    if len(_words(plain)) < MIN_TASK_WORDS or _is_label(plain, a):
        what = f'says only "{shown}"' if shown else "is empty"
        yield Finding(offset, shown or "part 1", f"Part 1 (the user's task) {what}; describe the user's task in a full sentence: what they want done, to what, in the question's words.")
        return
    case = a.g.case
    if case is None:
        return
    if not (_content(plain) & _content(case.question)) and not ({t for t, _, _ in tasks_in(plain)} & {t for t, _, _ in tasks_in(case.question)}):
        yield Finding(offset, shown, "Part 1 shares no word with the user's question; describe the task the question asks about, in its terms.")


def _workflow(a: Answer) -> Iterator[Finding]:
    if not a.ours:
        return
    fields = {m.group(1).lower(): (m.start(2), m.group(2).strip()) for m in _LABEL.finditer(a.text)}
    head = a.starts[a.parts["workflow"][0]] if "workflow" in a.parts else len(a.text)
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
    if "\n" not in a.text:
        return
    fenced = a.fenced if "```" in a.text else None
    line = counted = 0
    for m in _EMPTY_ITEM.finditer(a.text):
        line += a.text.count("\n", counted, m.start())
        counted = m.start()
        if fenced is None or not fenced[line]:
            yield Finding(m.start(), m.group().strip(), "An empty list item; write what belongs there or remove it.")
    hs = [h for h in a.headings if h.level != PLAIN]  # a plain line may as well be a list item
    by_line = {h.line: h for h in hs}
    for h in hs:
        nxt = h.line + 1
        while nxt < len(a.lines) and (not a.lines[nxt].strip() or set(a.lines[nxt].strip()) <= set("-*_=")):
            nxt += 1
        after = by_line.get(nxt)
        # a label ("**Caveats:**") followed by another label's line ("**Output:** …") is empty too
        sibling = h.level == 7 and a.lines[h.line].rstrip().endswith(":**") and _LABEL_LINE.match(a.lines[nxt] if nxt < len(a.lines) else "")
        if nxt >= len(a.lines) or sibling or (after is not None and (after.level <= h.level or h.level == 7)):
            yield Finding(a.starts[h.line], a.lines[h.line].strip(), f'The heading "{a.lines[h.line].strip()}" has nothing under it; write what belongs there or remove the heading.')


def _mentions(name: str) -> list[str]:
    """The squashed forms that name a model: its full name, or a distinctive part of it
    (``SwinIR`` of ``Denoise-SwinIR-Noise15``), not a task word or a generic one."""
    out = [vocab.squash(name)]
    parts = [p for p in re.split(r"[-_/\s:]+", name) if p]
    if len(parts) > 1:
        generic = vocab.generic()
        for p in parts:
            sq = vocab.squash(p)
            distinctive = len(sq) >= 4 or (len(sq) >= 3 and p != p.lower())
            if distinctive and not sq.isdigit() and sq not in generic and not any(True for _ in tasks_in(p)):
                out.append(sq)
    return out


def _models(a: Answer) -> Iterator[Finding]:
    case = a.g.case
    recommended = [n for sid, n in a.g.source_names if sid.startswith("R")]
    if case is None or not recommended:
        return
    subset = _SUBSET.search((case.instruction + "\n" + case.question).lower().replace("*", "")) is not None
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
            if name in used or aside.get(name) or (name not in aside and _set_aside(a, _mentions(name))):
                handled.append(name)
            else:
                why = "is set aside without a reason" if name in aside else "is neither used in the workflow nor set aside"
                unhandled.append((name, why))
    else:
        offset, flow = a.body("workflow")
        flow_sq = vocab.squash(flow)
        for name in recommended:
            keys = _mentions(name)
            if any(k in flow_sq for k in keys):
                handled.append(name)
                continue
            answer_sq = answer_sq if answer_sq is not None else vocab.squash(a.text)
            if not any(k in answer_sq for k in keys):
                continue  # never mentioned: the structure rule says so
            if _set_aside(a, keys):
                handled.append(name)
            else:
                unhandled.append((name, "is mentioned but neither used in the workflow nor set aside with a reason"))
    if subset and handled:
        return
    if subset and not handled and unhandled:
        unhandled = unhandled[:1]
    for name, why in unhandled:
        yield Finding(None, name, f'The recommended model "{name}" {why}; use it in a step, or set it aside saying why it does not fit (for example "does not fit: it is a deblurring model").')


def _set_aside(a: Answer, keys: list[str]) -> bool:
    """Does a line (with its list item) that names the model say it is not used, and why?"""
    for i, ln in enumerate(a.lines):
        sq = vocab.squash(ln)
        if any(k in sq for k in keys):
            window = " ".join(a.lines[max(0, i - 1) : i + 3]).replace(NOT_USED, "").lower()
            if _ASIDE.search(window):
                return True
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
    words of reason (in it, or in the paragraph above it)?"""
    links = [s for s, _, _ in a.view.links if start <= s < end]
    if a.g.links and not links:
        return False
    cuts = [start + m.end() for m in re.finditer(r"\n[ \t]*\n", a.text[start:end])] + [end]
    before = block_start = start  # the reason may be the paragraph just above a "Reference: link" line
    for cut in cuts:
        if not a.g.links or any(block_start <= s < cut for s in links):
            for words in (_words(a.view.text[block_start:cut]), _words(a.view.text[before:cut])):
                if len(words) >= 4 + sum(1 for w in words if w.lower() in ("paper", "code", "github", "arxiv", "reference")):
                    return True
        before, block_start = block_start, cut
    return False


def _length(a: Answer) -> Iterator[Finding]:
    n = len(a.view.text.split())
    if n < MIN_WORDS:
        yield Finding(None, f"{n} words", f"The answer is only {n} words; explain the task, the workflow and the sources in full sentences.")
        return
    if n > MAX_WORDS:
        yield Finding(None, f"{n} words", f"The answer is {n} words long; keep it under {MAX_WORDS} words, each point made once.")
    text = a.view.text
    if a.ours:  # repeated steps are the repeated_step check's, and their quotes repeat with them
        spans = [(s.offset, s.end) for s in a.statements if s.kind == "step"]
        if "[^" in text:
            spans += [(m.start(), m.end()) for m in FOOTNOTE_DEF.finditer(text)]
        text = a.view.blanked(sorted(spans)).text if spans else text
    segments = Counter(" ".join(s.lower().split()) for s in _SEGMENT.findall(text))
    # a source's name may well recur (a step, a reason, a reference): it is no wall
    repeated = [(s, k) for s, k in segments.items() if k >= 2 and len(s.split()) >= 5 and not _names_part(s, a)]
    wall = [(s, k) for s, k in repeated if k >= REPEATS and len(s.split()) >= REPEAT_WORDS]
    share = sum((k - 1) * len(s.split()) for s, k in repeated) / n
    if wall or share >= REPEATED_SHARE:
        s, k = max(wall or repeated, key=lambda sk: sk[1] * len(sk[0]))
        at = text.lower().find(s[:20])
        yield Finding(at if at >= 0 else None, _clip(s), f'The answer repeats "{_clip(s, 60)}" {k} times; say each thing once.')


def _names_part(segment: str, a: Answer) -> bool:
    sq = vocab.squash(segment)
    return any(sq in k for k in a.source_keys)


CHECKS: tuple[tuple[str, Callable[[Answer], Iterator[Finding]]], ...] = (
    ("task", _task),
    ("workflow", _workflow),
    ("repeated_step", _repeated_step),
    ("empty", _empty),
    ("models", _models),
    ("references", _references),
    ("length", _length),
)


def find(view: View, g: Grounding) -> Iterator[Finding]:
    a = Answer(view, g)
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
