"""Where a task a scan found (``tasks.terms_in``) is named but not claimed: in a gap
statement, inside a longer name, inside a cited title.

Reads only the text around the found task: its clause, never past a line break, for a
gap statement (``in_gap_statement``: "none of the listed models can…", "is not
provided", "Face recognition? Not in scope."; its words by family: the cue file's
``gap``, ``data/task_cues.json``); the identifier around it (``in_name``); its line's
link texts, quoted or italic titles and paper titles (``in_title``).

Invariant: each is a pure function of the text and the task's span, and says only
whether the task there is not claimed; which task it is, and where, is the scan's.
"""

from __future__ import annotations

import re
from functools import cache

from . import patterns
from .tasks import cue_file, tasks_in
from .titles import titles_in

# a statement that a task is missing or out of reach: "no provided model…", "not super-resolution",
# "would require an additional OCR module", "falls outside what the models cover", "none is in the
# list". The words come by family from ``data/task_cues.json`` (``gap``); compiled on first use,
# since most checks never need them.


@cache
def _gap() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], frozenset[str], re.Pattern[str]]:
    """(before, after, after_far, answers, scope breaks, determiners) of the gap families."""
    g = cue_file()["gap"]

    def any_of(phrases: list[str]) -> re.Pattern[str]:
        return re.compile(r"(?<![\w'])(?:" + "|".join(phrases) + r")(?![\w'])")

    before = any_of([*g["determiners"], *g["negations"], *g["scope"], *g["hedges"]])
    return (
        before,
        any_of(g["after"]),
        any_of(g["after_far"]),
        re.compile(r"\s*(?:" + "|".join(g["answers"]) + r")\b"),
        frozenset(g["scope_breaks"]),
        any_of(g["determiners"]),
    )


@cache
def _counterfactual() -> re.Pattern[str]:
    """A sentence that supposes a model the input lacks ("A captioning model, if one were
    available, could describe…"): the cue file's ``gap.counterfactuals``."""
    return re.compile(r"(?<![\w'])(?:" + "|".join(cue_file()["gap"].get("counterfactuals", ())) + r")(?![\w'])")


# where a statement ends: a sentence or clause end, or a line break; and where a clause
# joined to it begins ("…, but it adds noise"), beyond which a negation no longer reaches
# (a stop before white space or the end, or a line break: led by one class, so re skips to
# the few places it can match in C, which a leading alternation prevented)
_CLAUSE_END = patterns.compile(r"[\n.;!?](?:(?<=\n)|\s|$)")
_JOIN = patterns.compile(r",\s+(?:and|but|while|whereas|so)\s|\s(?:but|whereas)\s")
_WORDS_BEFORE, _WORDS_AFTER, _WORDS_AFTER_FAR = 8, 6, 10  # how far a negation reaches: "not include a … function"


def _governs(negation: re.Match[str], before: str, determiners: re.Pattern[str], breaks: frozenset[str]) -> bool:
    """Does the negation found in ``before`` (the words up to the task) still govern the
    task? A finite verb between them starts another statement ("it needs no mask and
    runs…", "without any settings the app also performs…"), except the first one after a
    negative subject ("none of the models performs…")."""
    allowed = 1 if determiners.fullmatch(negation.group()) else 0
    scope = before[negation.end() :]
    colon = scope.find(":")
    # a sentence's colon opens another statement ("it is not magic: the app colourises…"); a
    # label's colon, or one right before the task, does not ("Not provided: OCR")
    if colon >= 0 and before[: negation.start()].strip(" *_") and len(scope[colon + 1 :].split()) >= 2:
        return False
    for word in scope.split():
        if word.strip(",:()*_\"'“”") in breaks:
            allowed -= 1
            if allowed < 0:
                return False
    return True


_LIST_AFTER = patterns.compile(r",|\s+(?:and|or|nor)\s")
_ITEM_WORDS = 3  # the most words of an item in a list of tasks ("face detection", "image captioning")


def _list_item(piece: str, text: str, end: int) -> bool:
    """Is the task at ``end`` (with ``piece``, the words since the last comma before it) an
    item of a list: "…, OCR, tracking or captioning" (nothing before it that another item
    does not follow, or a last item after "or"/"and")?"""
    words = piece.split()
    if not words:
        return _LIST_AFTER.match(text, end) is not None
    return len(words) <= _ITEM_WORDS and words[-1] in ("and", "or", "nor")


def _ends_with_task(text: str) -> bool:
    """Does ``text`` (the words before a list's comma) end with a task, the list's first item?"""
    tail = text.rstrip(" *_")[-40:]
    return any(offset + len(matched) == len(tail) for _, offset, matched in tasks_in(tail))


_REACH = 400  # characters read either side of a task for its clause


def in_gap_statement(text: str, start: int, end: int) -> bool:
    """Is the task at ``text[start:end]`` named inside a negated or hedged statement (an
    honest gap: "none of the listed models can…", "is not provided", "out of scope",
    "falls outside what they cover", "Face recognition? Not in scope.")?

    The statement is the clause around it, never past a line break: a negation governs
    the task from a few words before it with no comma and no other finite verb between
    ("not super-resolution", ``_governs``), or from a few words after it ("OCR, which is
    not provided"; an absence verb from further: "…is something these models lack"), or
    in the answer to a question the task ends ("Tracking? Not needed.").
    """
    gap_before, gap_after, gap_far, answers, breaks, determiners = _gap()
    # read within _REACH characters either way: a clause is a few words, and a wall of task
    # names on one line ("super-resolution super-resolution …") is then read in linear time
    line_start = max(text.rfind("\n", max(0, start - _REACH), start) + 1, start - _REACH)
    clause_start = line_start
    for m in _CLAUSE_END.finditer(text, line_start, start):
        clause_start = m.end()
    before = text[clause_start:start].lower().replace("’", "'")  # you’d, doesn’t
    for m in _JOIN.finditer(before):
        before = before[m.end() :]
    # a negation before a comma governs another phrase: "it needs no GPU, it runs OCR";
    # but not in a list of tasks, whose items are read back to the list's head: "nothing
    # here does OCR, tracking or captioning"
    comma = before.rfind(",")
    items = len(before)  # where the list the task ends starts
    if comma >= 0 and _list_item(before[comma + 1 :], text, end) and _ends_with_task(before[:comma]):
        items, comma = comma, before.rfind(",", 0, comma)
        while comma >= 0 and len(before[comma + 1 : items].split()) <= _ITEM_WORDS:  # an earlier item
            items, comma = comma, before.rfind(",", 0, comma)
    words = " ".join(before[comma + 1 : items].split()[-_WORDS_BEFORE:] + before[items:].split())
    if words:
        last = None
        for last in gap_before.finditer(words):
            pass
        if last is not None and _governs(last, words, determiners, breaks):
            return True
    m = _CLAUSE_END.search(text, end, end + _REACH)
    stop = m.start() if m else min(len(text), end + _REACH)
    after = text[end:stop].lower().replace("’", "'")
    joined = _JOIN.search(after)
    # a clause joined by "and"/"but" is another statement, unless a negative subject opens it
    if joined and not determiners.match(after, joined.end()):
        after = after[: joined.start()]
    words_after = after.split()
    if gap_after.search(" ".join(words_after[:_WORDS_AFTER])) or gap_far.search(" ".join(words_after[:_WORDS_AFTER_FAR])):
        return True
    # "Face recognition? Not in scope.": a question the next clause answers with a negation
    if stop < len(text) and text[stop] == "?" and answers.match(text[stop + 1 : stop + 40].lower()) is not None:
        return True
    # a sentence that supposes a model the input lacks: "…, if one were available, could describe…"
    sentence = text[clause_start:stop].lower()
    if "if" in sentence and _counterfactual().search(sentence) is not None:
        return True
    return supposes_missing_model(sentence, start - clause_start, end - clause_start)


# a counterfactual conditional that supposes a model the input lacks, inverted ("Had the list
# included an OCR model, …", "Were a face-restoration model provided, …", "Should a colorization
# model be added, …") or with "if" ("If a tracking model were in the list, …"): the task it
# names, and the one its main clause says that model would do, are not claimed
_CONDITIONAL = patterns.compile(r"(?<![\w'-])(had|were|should|if)\s")
_CLAUSE_OPENS = frozenset(",;:(—–")  # an inverted conditional opens its sentence or follows one of these
_MISSING_MODEL = patterns.compile(
    r"(?<![\w'-])(?:an?|any|another|some|such an?|one more|a separate|an extra|an additional)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:model|tool|module|network|detector|classifier|recogni[sz]er|reader|engine|checkpoint)s?(?![\w-])"
)
# what a supposition with "if" says of that model: it were there, had been, were added…
_SUPPOSING_VERB = patterns.compile(
    r"(?<![\w'-])(?:were|had|was|existed|became|included|contained|offered|provided|listed|added|supplied|available)(?![\w'-])"
)
# a source the input gives: "if a model such as R1 were…" supposes no missing model
_A_SOURCE = patterns.compile(r"(?<![\w-])(?:[rp]\d+|(?:the|this|these) (?:provided|recommended|listed|given) )")
# a main clause whose subject is a provided model: "…, the model would still colourise the photo"
_PROVIDED_SUBJECT = patterns.compile(
    r"[\s*_]*(?:then\s+)?(?:(?:the|this|these|our|your|that)\s+(?:(?:provided|recommended|listed|given|chosen|same|existing|current|"
    r"original|present)\s+)?(?:model|models|restorer|network|pipeline|workflow|one)(?![\w-])|[rp]\d+(?![\w-]))"
)
_CONDITIONAL_END = patterns.compile(r"[,;:]|\sthen\s")
# a main clause whose subject is the supposed model, or the user with it: "…, it could read the
# plate", "…, one would read the plate", "…, you could read the plate"; a provided model's name
# ("…, ResShift would still read the plate") is a claim, whatever the supposition
_SUPPOSED_SUBJECT = patterns.compile(
    r"[\s*_]*(?:then\s+)?(?:it|that|such|one|they|we|you|an?|the\s+(?:new|added|missing|extra|additional|supposed|"
    r"hypothetical|other|second|right)|this\s+(?:extra|additional|missing|new)|its)(?![\w'-])"
)


def supposes_missing_model(sentence: str, start: int, end: int) -> bool:
    """Is the task at ``sentence[start:end]`` (a lower-cased sentence) named in a counterfactual
    conditional that supposes a model the input lacks, or in its main clause, whose subject is
    that model ("it could read the plate"), not a provided one ("the model would…"), before
    any clause joined to it ("…, and the model also colourises the photo")?"""
    if "had " not in sentence and "were " not in sentence and "should " not in sentence and "if " not in sentence:
        return False
    for m in _CONDITIONAL.finditer(sentence):
        lead = sentence[: m.start()].rstrip(" *_\"“'‘-•")
        if m.group(1) != "if" and lead and lead[-1] not in _CLAUSE_OPENS:
            continue  # "the list had…", "they were…": not an inverted conditional
        close = _CONDITIONAL_END.search(sentence, m.end())
        cut = close.start() if close else len(sentence)
        clause = sentence[m.start() : cut]
        if _MISSING_MODEL.search(clause) is None or _A_SOURCE.search(clause) is not None:
            continue
        if m.group(1) == "if" and _SUPPOSING_VERB.search(clause, m.end() - m.start()) is None:
            continue
        if m.start() <= start and end <= cut:
            return True  # the task is the supposed model's: "Had the list included an OCR model"
        if start >= cut:  # in the main clause after it
            main = sentence[cut:start].lstrip(",;:")
            if _JOIN.search(sentence, cut, start) is None and _PROVIDED_SUBJECT.match(main) is None and _SUPPOSED_SUBJECT.match(main):
                return True
        elif end <= m.start() and _JOIN.search(sentence, end, m.start()) is None:  # before it: "it could read the plate if…"
            if _PROVIDED_SUBJECT.match(sentence) is None and _SUPPOSED_SUBJECT.match(sentence):
                return True
    return False


_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
_SCALE_PART = patterns.compile(r"^(?:\d+(?:\.\d+)?x|x\d+|\d+)$", re.I)
_EXTENSION = patterns.compile(r"[a-z0-9]{2,4}(?![A-Za-z0-9])")  # of a file name: .png, .json, .mp4
_SHAPED_PART = patterns.compile(r"[a-z][A-Z]|[A-Za-z]\d|\d[A-Za-z]|^[A-Z]{3,}$")


def in_name(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` part of a longer identifier that names a model or module
    (``Enhancement-low-light-img-enhancer``, ``Super-Resolution-NTIRE-2020-x4``,
    ``Quality-IQA``, ``Segment-Anything-Model``), of a code identifier or of a file name
    (``facial_landmarks``, ``structural_edges.png``)? Names are the model rule's business."""
    a, b = start, end
    while a > 0 and text[a - 1] in _NAME_CHARS:
        a -= 1
    while b < len(text) and text[b] in _NAME_CHARS:
        b += 1
    compound = text[a:b].strip("-_")
    if "_" in compound or (text[b : b + 1] == "." and _EXTENSION.match(text, b + 1)):
        return True  # an identifier or a file name: `facial_landmarks`, structural_edges.png
    if len(compound) <= end - start:
        return False
    parts = [p for p in re.split(r"[-_]+", compound) if p]
    own = len([p for p in re.split(r"[-_ \t]+", text[start:end]) if p])
    extra = [p for p in parts if not _SCALE_PART.match(p)]
    if len(extra) <= own:  # only a scale beside it ("4x-upscaled"): still a claim
        return False
    return len(parts) - own >= 2 or any(_SHAPED_PART.search(p) for p in parts)


_TITLE_MARKS = ("[", "*", "_", '"', "“", "`")  # a line without any cites no title
_LINK_TEXT = patterns.compile(r"\[([^\[\]\n]+)\]\(")
_QUOTED_TITLE = patterns.compile(r"[`\"“]([^`\"“”\n]{10,200})[`\"”]")


def _reads_as_title(t: str) -> bool:
    words = t.split()
    caps = sum(w[:1].isupper() for w in words)
    return len(words) >= 4 and caps >= 3 and caps / len(words) >= 0.6


def in_title(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` inside a cited title: a Markdown link's text, or italic or
    quoted text that reads as a title? Citing a paper does not claim its task."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    if not any(mark in line for mark in _TITLE_MARKS):
        return False
    col, col_end = start - line_start, end - line_start
    for m in _LINK_TEXT.finditer(line):
        if m.start(1) <= col and col_end <= m.end(1):
            return True
    for m in _QUOTED_TITLE.finditer(line):
        if m.start(1) <= col and col_end <= m.end(1) and _reads_as_title(m.group(1)):
            return True
    for offset, title in titles_in(line):
        at = line.find(title, offset)
        if at <= col and col_end <= at + len(title):
            return True
    return False
