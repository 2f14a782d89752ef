"""Rule ``claim`` (its second module): a provided model credited with a task that the
input gives it no part in, while the user asks for that task.

"Deblur-MIMO-UNet-RealBlur denoises the grainy photo" passes the task rule: the user asks
for denoising. But the input gives that model deblurring only (its name; a summary
would say more), so the sentence pretends the recommended model fits, which is the
mistake seeds 001 and 004 are built to catch: a good answer says plainly that it does
not fit.

A source is judged only when the input gives it at least one task (its name, links or
summary: ``SourceFacts.tasks``); its tasks then allow the tasks they imply ("image
restoration" for a deblurring model) and, for an umbrella task the input gives it
("all-in-one image restoration"), every task that implies it. The sentence must name
the source before the task, or be about it ("It …", a bullet under its heading), with
no other source that may do the task named there; honest gap statements, negations and
hedges ("it is not designed to remove grain", "would help only if …") are no claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import patterns, vocab
from ..cues import claims_at, supported_in
from ..index import Grounding
from ..sources import CaseFacts, facts_for, stem, words_of
from ..statements import subject, unit_at
from ..tasks import HEAD, task_index, tasks_in, terms_in
from ..triggers import hedge_reading, words_only
from ..unclaimed import in_gap_statement, in_name, in_title
from . import Finding, Rule, View

# right before the task: it is the object of a comparison, a sequence or a contrast,
# not what the model does ("runs after denoising", "unlike denoisers", "instead of denoising")
_NOT_ITS_OWN = patterns.compile(
    r"(?i)\b(?:after|before|than|unlike|besides|instead\s+of|rather\s+than|in\s+addition\s+to|followed\s+by|"
    r"prior\s+to|without|not|no|nor|never|cannot|can't|isn't|doesn't|won't|lacks?|beyond|already|previously|during|throughout|"
    r"like|ready\s+for|goes\s+to|go\s+to|sent\s+to|passed\s+to|fed\s+to)\s+"
    r"(?:(?:the|a|an|any|its|dedicated|separate|true|real|actual|proper|pure|further|extra|additional)\s+)*$"
)
# between the source and the task: a negation or a verb of need ("does not remove noise",
# "needs a denoiser first", "would need denoising"): the clause says what it lacks
_LACKS = patterns.compile(
    r"(?i)\b(?:not|n't|never|cannot|no|neither|nor|lacks?|need(?:s|ed)?|requires?|required|without|only\s+if|unless|"
    r"instead|rather|other\s+than|except|outside|poor|ill-suited|unsuited|unsuitable|mismatch(?:ed)?|wrong|fails?|failed|"
    r"incapable|unrelated|irrelevant|mistaken|vs|versus|complementary|different)\b"
)
_CLAUSE_BREAK = patterns.compile(
    r"[;:]|,\s+(?:but|while|whereas|which|who|so|and\s+then|then)\s|\s(?:but|while|whereas|which|and\s+then|then|followed\s+by)\s"
)
# a flow or a diagram between the source and the task: the task is another node ("[X] → [Low-light]")
_FLOW = patterns.compile(r"→|->|=>|⇒|←|│|\||\]|\+|\S {3,}\S")
# after the task: a condition ("in low-light conditions", "night photos"), or another part of
# the pipeline ("a face enhancement step", "the deblurring stage")
_NOT_A_DEED = patterns.compile(
    r"[\s*_`]*(?:-\s*)?(?:conditions?|settings?|scenes?|environments?|scenarios?|cases?|photos?|photographs?|images?|"
    r"pictures?|shots?|footage|inputs?|outputs?|results?|versions?|frames?|steps?|stages?|process(?:es)?|phases?|pipelines?|"
    r"paths?|branch(?:es)?|pass(?:es)?|masks?|maps?|labels?)\b",
    re.IGNORECASE,
)
# before the task: the source serves another stage ("complements pose estimation", "guides the
# face enhancement", "prepares the image for OCR")
_SERVES = patterns.compile(
    r"(?i)\b(?:complement|support|assist|help|guid|feed|inform|prepar|preced|follow|enabl|aid|improv|benefit|boost|"
    r"pair|combin|hand|pass|send|rout|leav|us|leverag|employ|appl|run|select|choos|call|invok|deriv)(?:e|es|ed|ing|s|ies|ied)?\b"
)
_CROSS = patterns.compile(r"[≠✗✘❌]")  # anywhere in the unit: a verdict against the model
# a participle before such a noun is what the model is given ("receives the denoised image"), unless
# the model makes it ("produces a denoised image")
_MAKES = patterns.compile(r"(?i)\b(?:produc|output|return|yield|creat|deliver|generat|mak|turn|giv)(?:e|es|ed|ing|s)?\b")
# a task term all of whose words say a condition, not a deed: "night photo", "low light", "synthetic images"
_CONDITION_WORDS = frozenset(
    "low light night nighttime time photo photos photography shot shots picture pictures scene scenes synthetic image "
    "images dark indoor outdoor footage".split())
# crediting a broad task is no misfit: a deblurring model is "an image restoration model",
# a style model "an image-to-image model"
_UMBRELLAS = ("image restoration", "image editing", "image-to-image translation", "scene understanding")
_LEAD_WORDS = 6  # the source leads its clause: named within its first words, markup aside


def _not_a_deed(text: str, clause_at: int, start: int, end: int) -> bool:
    """Whether the task at ``text[start:end]`` says a condition or what the model is given, not
    what it does: "in low-light conditions", "night photography", "the denoised image",
    "a face enhancement step", "Denoising?" (a question), "the mask"."""
    written = text[start:end].lower()
    if set(_WORD.findall(written)) <= _CONDITION_WORDS:
        return True
    if text[end : end + 4].lstrip(" *_`").startswith("?"):
        return True
    if _NOT_A_DEED.match(text, end) is None:
        return False
    return not written.endswith("ed") or _MAKES.search(text, max(clause_at, start - 40), start) is None


def message(written: str, name: str, task: str, given: str) -> str:
    return (f'"{written}" credits {name} with {task}, but the input gives it only {given}; '
            f"say what it does, or say plainly that it does not fit the task.")


def _allowed(facts: CaseFacts) -> list[frozenset[int] | None]:
    """Per source, the tasks it may be credited with, or None when the input gives it none."""
    all_tasks = vocab.tasks()
    index = task_index()
    implies: dict[int, set[int]] = {}  # task -> the tasks it implies (deblurring -> image restoration)
    for i, t in enumerate(all_tasks):
        for n in t.implied_by:
            j = index.get(n)
            if j is not None:
                implies.setdefault(j, set()).add(i)
    children: dict[int, set[int]] = {}
    for j, parents in implies.items():
        for p in parents:
            children.setdefault(p, set()).add(j)
    out: list[frozenset[int] | None] = []
    for s in facts.sources:
        if not s.tasks:
            out.append(None)
            continue
        allowed = set(s.tasks)
        todo = list(s.tasks)
        while todo:  # implications chain: face restoration -> image restoration
            for p in implies.get(todo.pop(), ()):
                if p not in allowed:
                    allowed.add(p)
                    todo.append(p)
        for t in s.tasks:  # an umbrella the input gives it: every task under it
            allowed |= children.get(t, set())
        out.append(frozenset(allowed))
    return out


_ALLOWED: dict[int, tuple[Grounding, tuple[list[frozenset[int] | None], frozenset[int]]]] = {}


def _allowed_for(g: Grounding, facts: CaseFacts) -> tuple[list[frozenset[int] | None], frozenset[int]]:
    """Per source, the tasks it may be credited with (``_allowed``); and the tasks the
    question asks for (its terms and plain-word phrases, not a source's name or summary)
    that some source the input gives a task may not be credited with: the only ones worth
    reading an answer for. Once per case index."""
    hit = _ALLOWED.get(id(g))
    if hit is not None and hit[0] is g:
        return hit[1]
    allowed = _allowed(facts)
    index = task_index()
    umbrellas = {index[n] for n in _UMBRELLAS if n in index}
    question = g.case.question if g.case is not None else ""
    asked = {t for t, _, _ in tasks_in(question)} | supported_in(question)  # the user's words, not a source's
    judged = frozenset(t for t in asked if t not in umbrellas and any(a is not None and t not in a for a in allowed))
    if len(_ALLOWED) >= 256:
        _ALLOWED.pop(next(iter(_ALLOWED)))
    _ALLOWED[id(g)] = (g, (allowed, judged))
    return allowed, judged


def find(view: View, g: Grounding) -> Iterator[Finding]:
    facts = facts_for(g)
    if facts is None or not g.tasks:  # the input asks for no task: nothing to credit wrongly
        return
    allowed, judged = _allowed_for(g, facts)
    if not judged:
        return
    text = view.text
    links = view.links
    # only a source the answer names can be credited: the tasks some such source may not do
    named = facts.with_papers(facts.about(text, 0, len(text), links))
    judged = frozenset(t for t in judged if any(allowed[i] is not None and t not in allowed[i] for i in named))  # type: ignore[operator]
    if not judged:
        return
    mentions: list[tuple[int, int, int]] = []  # (task, start, end) of tasks the input asks for
    heads: list[int] = []
    for task, offset, written, _ in terms_in(text):
        if task == HEAD:
            heads.append(offset)
        elif task in judged:
            mentions.append((task, offset, offset + len(written)))
    if heads:
        taken = [(s, e) for _, s, e in mentions]
        mentions += [(t, s, e) for t, s, e in claims_at(text, heads)
                     if t in judged and not any(a < e and s < b for a, b in taken)]
        mentions.sort(key=lambda m: m[1])
    if not mentions:
        return
    all_tasks = vocab.tasks()
    words: bytes | None = None
    judged_to = -1
    for task, start, end in mentions:
        if start < judged_to:
            continue
        us, ue = unit_at(text, start)
        brk = None
        for brk in _CLAUSE_BREAK.finditer(text, us, start):
            pass
        clause_at = brk.end() if brk is not None else us  # the clause the task is in
        lead = text[clause_at:start]
        lead_words = lead.split()
        cut = clause_at + len(lead) - len(lead.lstrip()) + len(" ".join(lead_words[:_LEAD_WORDS]))
        about = facts.about(text, clause_at, min(cut, start), links)
        if not about and clause_at > us and text[us:clause_at].rstrip().endswith(":") and len(text[us:clause_at].split()) <= _LEAD_WORDS:
            # "**MIMO-UNet** (R1): reduces noise": the label's source ("Input: stylized image": a label naming none)
            about = facts.about(text, us, clause_at, links)
        elif not about and (not lead_words or (len(lead_words) <= _LEAD_WORDS and _PRONOUN.match(lead))):
            about = subject(facts, text, us, ue, links)  # "It reduces noise", a bullet under the model's heading
        if not about:
            continue
        if cut < start:  # another source named after the lead, nearer the task, is what it is about
            nearer = facts.about(text, cut, start, links)
            if nearer and not nearer <= about:
                continue
        named_in_full = [i for i in about if facts.sources[i].name.lower() in text[clause_at:start].lower()]
        if len(named_in_full) == 1:  # "Deblur-MIMO-UNet-Plus", not every MIMO-UNet checkpoint
            about = set(named_in_full)
        sources = facts.with_papers(about)
        if any(allowed[i] is None or task in allowed[i] for i in sources):  # type: ignore[operator]
            continue
        own = {stem(w) for w in _WORD.findall(text[start:end].lower()) if len(w) > 3} - _PLAIN_STEMS
        if any(" " not in facts.sources[i].name and not own.isdisjoint(words_of(facts.sources[i].name)) for i in sources):
            continue  # its model name says a word of it: "compression artifacts" of SISR-Swin2SR-Compressed-4x (a paper's title may name its topic)
        if (
            _FLOW.search(text, clause_at, start)
            or _SERVES.search(text, clause_at, start)
            or _LACKS.search(text, clause_at, start)
            or _NOT_ITS_OWN.search(text, max(clause_at, start - 60), start)
            or _not_a_deed(text, clause_at, start, end)
            or in_name(text, start, end)
            or in_title(view.answer, start, end)
            or in_gap_statement(text, start, end)
        ):
            continue
        if _CROSS.search(text, us, ue):  # "fit for denoising ✗": a verdict against it
            continue
        if words is None:
            words = words_only(text)
        if hedge_reading(words, us + 1, ue + 1):
            continue
        i = min(about)
        given = sorted(all_tasks[t].name for t in facts.sources[i].tasks)
        judged_to = ue
        written = text[start:end]
        yield Finding(start, written, message(written, facts.sources[i].name, all_tasks[task].name, " and ".join(given)))


_WORD = patterns.compile(r"[a-z]+")
# the words of a task term that say which task it is, not what it is done to
_PLAIN_STEMS = frozenset(stem(w) for w in ("image", "images", "photo", "photos", "picture", "video", "face", "faces", "removal",
                                           "enhancement", "restoration", "estimation", "detection", "recognition"))
_PRONOUN = patterns.compile(r"(?i)[\s*_>#\d.)-]*(?:it|this model|the model|the recommended model|this one)\b")


RULE = Rule("claim", find)
