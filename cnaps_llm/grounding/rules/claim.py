"""Rule ``claim``: what an answer says a provided model or paper achieves, is, or was
trained on, the input says of that source.

A claim is a sentence, bullet or table row that names a provided source (or cites its
link) before a cue (``data/claims.json``; "This design uses MSSNet" is not about MSSNet):
a comparison or superlative ("outperforms", "the sharpest", "more accurate than"), a
licence ("under a CC BY-NC licence"), a quality ("excels at", "robust to"), a trait
("lightweight", "real-time"), a mechanism ("designed to", "trained on", "leverages") or a
weakness or result ("struggles with", "won"). A unit that
names no source before its cue is about the one source named before it: by the sentence
before when it starts "It"/"This model" (``statements.subject``), by the heading or bold
label a bullet sits under (for a mechanism or trait, not when the bullet is labelled a
workflow role, "Output:": a verdict there, "the best option", is still a claim).
A comparison naming several sources is about those of its last clause ("Compared with
HAIR, SwinIR is superior" is about SwinIR); one whose clause names another listed source
after its cue ("preferable to GFPGAN"), and any "than <listed source>" whatever the degree
word ("recovers more of the eyes than Restormer"), is a comparison between listed models,
grounded only when the source's own text names the other. "by <doing>" ("by tracking each
baseline") is a mechanism cue; people said to favour a source named after the cue
("Archivists rely on InkSep") make a claim about it. "also"/"even" right after a source
or "it" (modals aside: "HushNet can also transcribe …", "it can even tell who speaks") is a
capability claimed beyond what it is known for, a mechanism cue; a promise ("never",
"guarantees", "without fail") is grounded only when the source makes it in those words.
Licence words after "before" ("check it before commercial use") are advice, and a verb
coordinated with the answer's own subject ("We feed X into Y and keep …") its own step;
"without <doing>" after a model is a quality cue ("removes crackle without dulling the
cymbals"), not when "we"/"you" or an imperative leads the unit. A label cue ("Pros:")
with no model before it is about the model named right after it. A trait that is a word of a
capitalised title ("Residual Channel Attention Network"), or of a clause of its own
(", while the other …"), is none; nor is what the answer's design hands a model ("uses
them to …", "handles the primary blur", "Use X's encoder for …", "by upscaling"). It is
grounded when a source it is about says so itself: a comparison when that source's
text makes one and gives the claim's key words ("copes better with green casts" is not
grounded by a summary that is better on faded colours), a licence when it names one, a
quality when it makes a quality or comparison statement and gives the claim's key words, a trait when its own words hold
the trait's, a mechanism or weakness when it gives the key words. The key words are the
words after the cue to the end of its clause, less plain ones; they are given when at
least half of them are in the source's name, links or summary (or in the question: the
user's own situation) and one at least is the source's own, or when they name a task
the source does. A sentence that hedges ("may", "typically") or states a gap ("none
of the provided models", "unknown") makes no claim; nor does a diagram in a code block. A
negation ("not", "doesn't") takes back only the claim in its own clause, read as the task
rule reads a gap (``unclaimed.in_gap_statement``): "it does not need paired data and beats
every rival" still claims "beats every rival".

Precision first: a sentence is flagged only when all of this holds; once, quoting the
cue and the words after it to the next comma.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from functools import cache, lru_cache

from .. import patterns
from ..index import Grounding
from ..sources import CaseFacts, facts_for, stem, words_of
from ..statements import _BULLET, _INNER_PRONOUN, _PRONOUN, _one, _previous_unit, subject, unit_at
from ..tasks import tasks_in
from ..unclaimed import in_gap_statement
from ..triggers import CLAIM_CUE_KINDS, claim_terms, hedge_reading, to_words, triggers, words_only
from . import Finding, Rule, View

# ", as its name says", ", per its summary", ", according to its summary": a clause that says where the
# claim comes from ends the claim's own
_CLAUSE_END = patterns.compile(r"[.;:!?()\[\]{}|\n—–]|\s-\s|,\s+(?:and\s+|but\s+|which\s+|while\s+|so\s+|as\s+|per\s+|according\s+to\s+|going\s+by\s+|judging\s+(?:by|from)\s+)")
_QUOTE_END = patterns.compile(r"[.,;:!?()\[\]{}|\n—–]|\s-\s")  # the claim quoted back: the cue to the next comma
_WORD = patterns.compile(r"[a-z][a-z0-9'’-]*")
KEY_WORDS = 8  # words after a cue read as its key content


@cache
def plain_words() -> frozenset[str]:
    """Words that carry no claim of their own ("image", "model", "the"): not key words."""
    return frozenset(claim_terms()["plain"])


@cache
def degree_words() -> dict[str, frozenset[str]]:
    """Each form of a gradable word ("fast", "faster", "fastest") -> the stems of all its forms."""
    forms: dict[str, frozenset[str]] = {}
    for g in claim_terms()["gradable"]:
        last = g[-1]
        fs = (g, g + "er", g + "est", g + "r", g + "st", g + last + "er", g + last + "est", g[:-1] + "ier", g[:-1] + "iest")
        stems = frozenset(stem(f) for f in fs)
        for f in fs:
            forms.setdefault(f, stems)
    return forms


# a factor ("twice as fast", "three times faster"): a measured comparison on one degree
_FACTOR = patterns.compile(r"\b(?:twice|half|times|order of magnitude)\b")


def _degree_not_given(pools: list[frozenset[str]], cue: str, first: str | None) -> bool:
    """Whether a comparison by a factor ("twice as fast", "three times faster") is on a
    gradable word its sources never use: a summary comparing on something else does not
    give it."""
    if _FACTOR.search(cue) is None:
        return False
    forms = degree_words()
    for w in (*cue.split(), *((first,) if first else ())):
        stems = forms.get(w)
        if stems is not None:
            return all(p.isdisjoint(stems) for p in pools)
    return False


@cache
def labels() -> frozenset[str]:
    """Cues only as a label ("Cons: slow", "**Strengths:** sharp"): the word before a colon."""
    return frozenset(claim_terms()["label"])


_LABEL_COLON = patterns.compile(r"[*_]*\s*:")


def _not_a_label(text: str, start: int, end: int) -> bool:
    """Whether a label cue ("cons") at ``start`` is a plain noun, no colon after it."""
    return text[start:end].lower() in labels() and not _LABEL_COLON.match(text, end)


@cache
def workflow_labels() -> frozenset[str]:
    """Labels of a bullet that gives a model's role in the answer's own design ("Role:", "Output:")."""
    return frozenset(claim_terms()["workflow_label"])


def message(quote: str) -> str:
    return (f'The claim "{quote}" is not supported by what the sources say about this model or paper; '
            "state only what its name, links or summary give, or say plainly that the sources do not say.")


def _key_words(text: str, start: int, end: int, plain: frozenset[str]) -> tuple[str, list[str]]:
    """The clause after a cue (to its end, at most ``KEY_WORDS`` words), and its words
    less plain ones."""
    label = _LABEL_COLON.match(text, start)  # "Cons: slow": the words after the label's colon
    if label is not None:
        start = label.end()
    stop = _CLAUSE_END.search(text, start, end)
    words = _WORD.findall(text[start : stop.start() if stop else end].lower())[:KEY_WORDS]
    return " ".join(words), [w for w in words if w.strip("'’-") not in plain and len(w) > 2]


@lru_cache(maxsize=20_000)
def _probe(word: str) -> tuple[str, frozenset[str]]:
    """A key word's stem, and every stem or piece of it a source's words may hold to give
    it: its stem, the stems of its hyphenated parts ("real-world"), and its 5- and
    6-letter pieces ("photorealistic" for "majicMix-realistic"; a source's stems are at
    most 6 letters). A pure function of the word, remembered."""
    st = stem(word.replace("’", "'").split("'")[0].replace("-", ""))
    parts = [stem(p) for p in word.split("-") if len(p) > 2]
    pieces = [word[i : i + n] for n in (5, 6) for i in range(len(word) - n + 1)]
    return st, frozenset((st, *parts, *pieces))


_CLAUSE_BACK = patterns.compile(r"[,;:(—–]\s*")


def _words_before(facts: CaseFacts, text: str, unit_start: int, cue_start: int) -> tuple[str, list[str]]:
    """The words of the cue's clause before it, less plain ones and the sources' names
    (at most ``KEY_WORDS``, the last ones): what a cue that ends its clause claims."""
    cut = max((m.end() for m in _CLAUSE_BACK.finditer(text, unit_start, cue_start)), default=unit_start)
    names = {w for s in facts.sources for w in s.tokens}
    words = _WORD.findall(text[cut:cue_start].lower())[-KEY_WORDS:]
    return " ".join(words), [w for w in words if w.strip("'’-") not in plain_words() and len(w) > 2
                             and w.split("'")[0].split("’")[0] not in names]


def _compared_with(facts: CaseFacts, about: set[int], text: str, cue_end: int, unit_end: int,
                   links: tuple[tuple[int, int, str], ...]) -> set[int]:
    """The other listed sources a comparison's clause names after its cue ("… than
    Restormer", "preferable to GFPGAN"), when none of the sources it is about names them
    in its own text: a comparison between listed models the input does not make."""
    stop = _CLAUSE_END.search(text, cue_end, unit_end)
    others = facts.about(text, cue_end, stop.start() if stop else unit_end, links) - about
    if not others:
        return others
    own = [facts.sources[i] for i in facts.with_papers(about)]
    return {o for o in others
            if not any(all(t in s.tokens for t in h) for h in facts.sources[o].handles for s in own)}


def _supported(facts: CaseFacts, about: set[int], kind: str, text: str, cue_start: int, cue_end: int, unit_end: int,
               known_tasks: frozenset[int] | None = None, unit_start: int = -1) -> bool | None:
    """Whether the sources ``about`` say what the claim says; None when it has nothing to
    judge. With ``known_tasks`` (the input's tasks), a clause naming a task outside them is
    left to the task rule."""
    sources = [facts.sources[i] for i in facts.with_papers(about)]
    if kind == "licence":
        return any(kind in s.says for s in sources)
    if kind == "comparison" and not any("comparison" in s.says for s in sources):
        return False
    if kind == "quality" and not any("quality" in s.says for s in sources):
        return False
    if kind == "quality" and text[cue_start:cue_end].lower() in _PROMISES:  # "never fails": the source's own promise
        promise = words_of(text[cue_start:cue_end])
        return any(promise <= s.words for s in sources)
    if kind == "trait":  # "lightweight", "real-time": the source's own words say it
        trait = words_of(text[cue_start:cue_end])
        return any(trait <= s.words for s in sources) or trait <= facts.question_words
    clause, words = _key_words(text, cue_end, unit_end, plain_words())
    if not words and kind == "quality":  # "handles glare gracefully": a manner ending its clause is the claim itself
        words = [w for w in _WORD.findall(text[cue_start:cue_end].lower()) if w not in plain_words() and len(w) > 2]
        clause = " ".join(words)
    if not words and kind == "mechanism" and unit_start >= 0 and "training" in text[cue_start:cue_end].lower():
        # "saw a million faces during training": a training cue ending its clause claims the words before it
        clause, words = _words_before(facts, text, unit_start, cue_start)
    if not words:
        return None
    question, pools = facts.question_words, [s.words for s in sources]
    if kind == "comparison" and _degree_not_given(pools, text[cue_start:cue_end].lower(), clause.split(" ", 1)[0]):
        return False
    # at least half of them given, one at least by the source itself (the question's words
    # alone say what the user has, not what the model does): stop counting once they are
    need, given, own = len(words), 0, False
    for w in words:
        st, probe = _probe(w)
        mine = any(not p.isdisjoint(probe) for p in pools)
        if mine or st in question:
            given += 1
            own = own or mine
            if own and given * 2 >= need:
                return True
    clause_tasks = {t for t, _, _ in tasks_in(clause)}
    if known_tasks is not None and not clause_tasks <= known_tasks:
        return None  # a task no source does, said of a subject named before: the task rule reports it
    if (kind == "weakness" and text[cue_start:cue_end].lower() not in labels()) or _TAUGHT.search(text, cue_start, cue_end):
        return False  # "sometimes doubles the specks it enlarges", "distilled from a larger upscaler": the task is no answer
    return any(clause_tasks & s.tasks for s in sources)


# a cue of what a model was taught on ("taught on", "fitted on", "distilled from"): a task in its clause grounds nothing
_TAUGHT = patterns.compile(r"(?i)taught|fitted|\bfit\b|distill|training|millions|thousands|billions")


# "… does not need paired data and beats …", "… and it is faster than …": a predicate
# coordinated right before a cue is a statement of its own, out of an earlier negation's reach
_COORDINATED = patterns.compile(r"\s(?:and|but|yet)\s+(?:(?:it|they|both|also|then|still|even|is|are|was|were|has|have)\s+)*$")

_CONTRAST = patterns.compile(r",\s+(?:and\s+|but\s+)?not\s")
# "so well that …", "such clean edges that …": a result clause after the claim
_SO_THAT = patterns.compile(r"\s(?:so|such)\s+(?:[\w-]+\s+){1,3}?that\s")


def _negated(text: str, us: int, ue: int, start: int, end: int) -> bool:
    """Whether a negation in the unit governs the cue at ``start``: the task rule's reading
    of a gap statement (``unclaimed.in_gap_statement``: the negation's clause, a few words
    before the cue with no other finite verb between, or a few after it), from the start
    of the predicate the cue is in ("it does not need paired data and beats every rival"
    claims "beats every rival"; "none of them is faster than" states a gap), or a contrast
after the cue says what the source is not for ("designed to create images, not analyse
them")."""
    if _CONTRAST.search(text, end, ue):  # "designed to create images, not analyse them": what it is not for
        return True
    m = _COORDINATED.search(text, max(us, start - 40), start)
    cut = m.start() + 1 if m is not None else us
    so = _SO_THAT.search(text, end, ue)  # "… so well that no one can spot it": the negation is in the result
    piece = text[cut : so.start() if so is not None else min(ue + 1, len(text))]
    return in_gap_statement(piece, start - cut, end - cut)


# ", so it could …", ", which means …": a consequence after a claim; a hedge in it hedges the consequence only
_CONSEQUENCE = patterns.compile(
    r",\s+(?:so|which\s+means|meaning|making)\s"
    r"|\s(?:and|but)\s+(?:it\s+|they\s+)?(?:can|may|might|could|would|should|often|usually|typically|generally)\s")
# ", and it …", "; it …", " but both …": a clause of its own, coordinated after another
_COORD_CLAUSE = patterns.compile(r"(?:,\s+and|,?\s+(?:but|yet)|;)\s+(?=(?:it|they|both|all|its|their)\b|[A-Z])")
# "if you …": a condition on what the user does, not a hedge of the claim
_IF_USAGE = patterns.compile(rb" if you ")
# "While it may struggle with noise, it excels at …": a concession leading the unit, to its comma
_CONCESSION = patterns.compile(r"[\s*_>-]*(?:While|Although|Though|Even\s+though|Whereas)\s[^,.;:]{0,160},\s")

# "… rather than recovers …", "… instead of targets …": what the source is said not to do
_RATHER = patterns.compile(r"(?:[Rr]ather\s+than|[Ii]nstead\s+of)\s+$")

# "… to cleanly upscale …": a manner adverb right after "to" qualifies what the design uses a source for
_PURPOSE = patterns.compile(r".*\b[Tt]o\s+$")

_CLAUSE_START = patterns.compile(r"[,;:(—–]")


def _subject_before(facts: CaseFacts, text: str, us: int, start: int, links: tuple[tuple[int, int, str], ...],
                    kind: str, end: int = -1, ue: int = -1) -> set[int]:
    """The sources a claim is about: those named before its cue in its unit ("This design
    uses MSSNet" is not about MSSNet); for a comparison, those of its last clause when it
    names any ("Compared with HAIR, SwinIR is superior" is about SwinIR alone), or of the
    clause after the comma when the unit leads with it ("Compared to X, Y renders …")."""
    before = facts.about(text, us, start, links)
    if kind == "comparison" and not before and not text[us:start].strip(" *_-#>\t"):
        # "Compared to DreamShaper, GhostMix renders …": the unit leads with the comparison
        comma = text.find(",", end, ue) if end >= 0 else -1
        return facts.about(text, comma, ue, links) if comma > 0 else before
    if kind == "comparison" and len(before) > 1:
        cut = max((m.end() for m in _CLAUSE_START.finditer(text, us, start)), default=us)
        last = facts.about(text, cut, start, links)
        return last or before
    return before


# "the rain-princess network", "the pedestrian gender model", "the L variant": a source
# called by parts of its name before a noun for a model
_DESCRIBED = patterns.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+((?:[A-Za-z0-9][\w.]*[\s-]+){1,3}?)"
    r"(?:model|network|checkpoint|variant|detector|enhancer|classifier|restorer|deblurrer|denoiser|upscaler|"
    r"estimator|generator|colori[sz]er|harmoni[sz]er)s?\b")
_NOT_DESCRIBING = frozenset((
    "same", "final", "base", "main", "core", "first", "second", "third", "other", "chosen", "selected", "next",
    "previous", "last", "primary", "secondary", "whole", "entire", "original", "generative", "pretrained",
    "trained", "large", "small", "new", "best", "default", "single", "underlying", "recommended", "provided",
    "listed", "proposed", "given", "above", "following", "second-stage", "one", "two", "three", "each", "every",
    "image", "text", "style", "diffusion", "stable", "restoration", "enhancement", "segmentation", "detection",
    "classification", "generation", "deblurring", "denoising", "inpainting", "dehazing", "super", "resolution",
))


def _described(facts: CaseFacts, text: str, us: int, ue: int) -> set[int]:
    """The one source a unit's subject describes by parts of its name ("The rain-princess
    network adds …": ``NST-fast-neural-style-rain-princess``): every word before the noun
    a part of that source's name alone (a whole part, or inside a part when it has four
    letters or more), or its words run together one part ("steady-cam" of ``SteadyCam``); and
    one word at least not one any model may be described by."""
    at = us + len(text[us:ue]) - len(text[us:ue].lstrip(" \t*_-#>0123456789.)"))
    role = _ROLE.match(text, at)
    if role is not None:  # "The detector …", "the deblurring model …": the one source of that kind
        said = " ".join(role.group(1).lower().replace("-", " ").split())
        kind = _ROLES.get(said.replace("colour", "color").replace("iser", "izer").replace("isation", "ization"))
        found = {i for i, src in enumerate(facts.sources) if kind and src.name.lower().startswith(kind)}
        return found if len(found) == 1 else set()
    m = _DESCRIBED.match(text, at)
    if m is None:
        return set()
    words = [w for w in _NAME_PART.split(m.group(1).lower()) if w and w not in plain_words()]
    if not words or all(w in _NOT_DESCRIBING for w in words):
        return set()
    found = set()
    for i, src in enumerate(facts.sources):
        name = src.name.lower()
        parts = set(_NAME_PART.split(name))
        joined = "".join(words)  # "steady-cam" of "SteadyCam"
        if all(w in parts or (len(w) >= 4 and w in name) for w in words) or (len(joined) >= 6 and joined in parts):
            found.add(i)
    return found if len(found) == 1 else set()


_NAME_PART = patterns.compile(r"[^a-z0-9]+")
# a model called by its kind, and the first part of the names of that kind ("ObjDet-…")
_ROLES = {
    "detector": "objdet", "detection model": "objdet", "object detector": "objdet",
    "enhancer": "enhancement", "enhancement model": "enhancement",
    "classifier": "classification", "classification model": "classification",
    "colorizer": "colorization", "colorization model": "colorization",
    "harmonizer": "harmonization", "harmonization model": "harmonization",
    "denoiser": "denoise", "denoising model": "denoise",
    "deblurrer": "deblur", "deblurring model": "deblur",
    "inpainter": "inpainting", "inpainting model": "inpainting",
    "upscaler": "sisr", "super resolution model": "sisr",
    "pose estimator": "poseestimation", "pose model": "poseestimation",
    "segmentation model": "segmentation",
}
_ROLE = patterns.compile(
    r"(?:[Tt]he|[Tt]his|[Tt]hat)\s+(detector|detection\s+model|object\s+detector|enhancer|enhancement\s+model|"
    r"classifier|classification\s+model|colou?ri[sz]er|colou?ri[sz]ation\s+model|harmoni[sz]er|harmoni[sz]ation\s+model|"
    r"denoiser|denoising\s+model|deblurrer|deblurring\s+model|inpainter|inpainting\s+model|upscaler|"
    r"super[\s-]resolution\s+model|pose\s+estimator|pose\s+model|segmentation\s+model)\b")


def _carried_further(facts: CaseFacts, text: str, us: int, ue: int, links: tuple[tuple[int, int, str], ...]) -> set[int]:
    """The source a unit is about when ``subject`` finds none: the one its own subject
    describes by parts of its name; for a unit with "it"/"its", the one the sentence
    before describes ("The pedestrian gender model … It stays accurate …"), or, for a
    bullet, the one the bullet right above it names at the same depth ("- The INR approach
    … / - Trained on …, it …")."""
    found = _described(facts, text, us, ue)
    if found or not (_PRONOUN.match(text, us, ue) or _INNER_PRONOUN.search(text, us, ue)):
        return found
    prev = _previous_unit(text, us)
    if prev is not None:
        return _described(facts, text, prev[0], prev[1])
    ls = text.rfind("\n", 0, us) + 1
    bullet = _BULLET.match(text, ls)
    if us != ls or bullet is None or ls < 2:
        return set()
    head = text[bullet.end() : ue]
    if head.startswith(("**", "__")) or ":" in head[:40]:  # "- **Path B:** …": about its own label
        return set()
    ps = text.rfind("\n", 0, ls - 1) + 1
    above = _BULLET.match(text, ps)
    if above is None or above.group(1) != bullet.group(1):
        return set()
    span = (ps, ls - 1)
    return _one(facts, text, span, facts.about(text, ps, ls - 1, links)) or _described(facts, text, ps, ls - 1)


# "Any of these models", "Every model in this list", "All three variants", "Both modules", "These three
# together", "Together they": a subject that quantifies over the listed sources ("Each module …" is the
# answer's own design, one by one)
_QUANTIFIED = patterns.compile(
    r"[\s*_>#\d.)-]*(?:[Aa]ny|[Ee]very|[Aa]ll|[Bb]oth)\s+(?:[\w.-]+\s+){0,3}?"
    r"(?:models?|variants?|modules?|networks?|checkpoints?|tools?|options?|upscalers?|deblurrers?|denoisers?|them|three|two|four)\b"
    r"|[\s*_>#\d.)-]*(?:(?:[Tt]hese|[Tt]hose|[Tt]he)\s+(?:two|three|four)\s+(?:\w+\s+)?together|[Tt]ogether,?\s+(?:they|these|the\s+(?:two|three|four)))\b")
# "Neither is an editor, yet both keep …": "both" alone, as the subject of a clause after one about the sources
_BOTH = patterns.compile(r"both\s+(?!the\b|of\b|[A-Z])(?![a-z]+(?:es|s)\b)")
# "Users consistently report …", "Photographers say …": what users are said to find of the sources' output
_USERS = patterns.compile(
    r"[\s*_>#\d.)-]*(?:[Uu]sers|[Pp]eople|[Pp]hotographers|[Ss]hoppers|[Vv]iewers|[Cc]ustomers|[Rr]eviewers|[Aa]rtists)\s")
# "The result will be indistinguishable from …", "Expect … straight out of …": the output said to pass for
# a real capture (an output praised for the answer's own design, "the final output is sharp", is no claim)
_OUTCOME = patterns.compile(
    r"[\s*_>#\d.)-]*(?:(?:[Tt]he|[Yy]our)\s+(?:(?:final|blended|restored|merged|enhanced|end)\s+)?(?:results?|outputs?|outcome)\b"
    r"|[Ee]xpect\s|[Yy]ou\s+will\s+get\s)")
_LIKENESS = frozenset(("indistinguishable", "looks like a true", "look like a true", "looks like a real", "look like a real",
                       "straight out of"))


def _every_source(facts: CaseFacts, text: str, us: int, start: int, end: int, kind: str) -> set[int]:
    """All the sources, for a unit with no source named whose subject quantifies over them
    ("Every model in this list handles …"), whose users are said to praise the output
    ("Users consistently report crisper …"), or whose output is said to pass for a real
    capture ("The result will be indistinguishable from …"): grounded when one of them says so."""
    if (_QUANTIFIED.match(text, us, start)
            or any(_QUANTIFIED.match(text, m.end(), start) or _BOTH.match(text, m.end(), start)
                   for m in _COORD_CLAUSE.finditer(text, us, start))
            or (kind in ("comparison", "quality") and _USERS.match(text, us, start))
            or (" ".join(text[start:end].lower().split()) in _LIKENESS and _OUTCOME.match(text, us, start))):
        return set(range(len(facts.sources)))
    return set()


# the labels under which a quality ("studio-quality") is the job the design gives a model ("- Task: enhancement
# for a studio-quality look"); under the others ("Output:", "Function:", "Why:") a verdict is still the
# answer's claim about the model
_JOB_LABELS = frozenset(("task", "goal", "aim"))


def _workflow_label(text: str, us: int, start: int, stated: bool = False) -> bool:
    """Whether the bullet at ``us`` is labelled as a workflow role ("- Output: …",
    "**Role:** …"): it says what the answer's design does with a model, not what the model is.
    With ``stated`` (a quality: "- Task: enhancement for a studio-quality look"), only a label
    of the job asked of it (``_JOB_LABELS``)."""
    colon = text.find(":", us, start)
    if colon < 0:
        return False
    label = words_only(text)[us + 1 : colon + 1].decode().split()
    if stated:
        return 0 < len(label) <= 4 and label[-1] in _JOB_LABELS
    return 0 < len(label) <= 4 and (label[-1] in workflow_labels() or " ".join(label[-2:]) in workflow_labels())


_OPEN = {"“": "”", '"': '"'}


def _from_question(text: str, start: int, end: int, us: int, ue: int, g: Grounding) -> bool:
    """Whether the words around the cue at ``text[start:end]`` (up to 40 characters each side,
    within its unit) are copied from the user's question: what the user says is no claim."""
    question = g.case.question if g.case else ""
    if not question:
        return False
    piece = " ".join(text[max(us, start - 40) : min(ue, end + 40)].lower().split())
    return len(piece) >= 20 and piece in " ".join(question.lower().split())


def _quoted_from_source(text: str, start: int, summaries: list[str]) -> bool:
    """Whether the cue at ``start`` lies in a quotation (on its line) of a summary's own
    words: what a source says, quoted, is the evidence rule's to place, not a claim."""
    ls = text.rfind("\n", 0, start) + 1
    for open_, close in _OPEN.items():
        at = text.rfind(open_, ls, start)
        if at < 0 or (open_ != close and text.find(close, at, start) >= 0) or (open_ == close and text.count(open_, ls, start) % 2 == 0):
            continue
        end = text.find(close, start)
        if end < 0 or text.find("\n", start, end) >= 0:
            continue
        quote = " ".join(text[at + 1 : end].lower().split())
        return len(quote) > 12 and any(quote in s for s in summaries)
    return False


_FOOTNOTE_HEAD = patterns.compile(r"\[\^\d{1,4}\]:")


def _in_evidence_quote(text: str, start: int) -> bool:
    """Whether the cue at ``start`` lies in the quote of an evidence mark of our rendered
    format: a footnote under the references (``[^2]: Name: “…”``) or an inline ``["…"]``.
    The quote is the source's words as the draft gives them: the evidence rule checks that
    they are the source's, and says so once (a claim found in them too would say it twice)."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", start)
    le = len(text) if le < 0 else le
    if _FOOTNOTE_HEAD.match(text, ls) is not None:
        at = text.find("“", ls, start)
        return at >= 0 and text.find("”", at, start) < 0 and text.find("”", start, le) >= 0
    at = text.rfind('["', ls, start)
    return at >= 0 and text.find('"]', at, start) < 0 and text.find('"]', start, le) >= 0


_SEPARATOR = patterns.compile(r"[ \t]*\|[ \t]*:?-{3}")


def _column_cells(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """For each label cue in ``found`` that heads a table column ("| Model | Strengths |"),
    a cue at each cell under it: each row's entry is a claim of that kind about the row.
    One walk of each table for all its label columns, each row split once (in C), so a
    table of thousands of columns costs its size, not its size per column."""
    rows: dict[int, list[tuple[int, int, str]]] = {}  # the start of each row with a label cue -> its cues
    names = labels()
    for start, end, kind in found:
        if kind != "trait" and text[start:end].lower() in names:
            rows.setdefault(text.rfind("\n", 0, start) + 1, []).append((start, end, kind))
    out: list[tuple[int, int, str]] = []
    headers: dict[int, int] = {}  # the rows with a label that head a table (followed by |---|) -> their end
    for ls in rows:
        le = text.find("\n", ls)
        le = len(text) if le < 0 else le
        if text[ls:le].lstrip().startswith("|") and _SEPARATOR.match(text, le + 1):
            headers[ls] = le
    for ls, le in headers.items():
        cues = rows[ls]
        columns: list[tuple[int, str]] = []
        column, at = 0, ls
        for start, end, kind in sorted(cues):
            column += text.count("|", at, start)
            at = start
            if not text[end:le].split("|", 1)[0].strip(" *_:"):  # the cell holds only the label
                columns.append((column, kind))
        if not columns:
            continue
        at = le + 1
        # to the table's end, or to the next header row with a label (its own walk): each
        # row is read once, however many headers a table of headers repeats
        while at < len(text) and text.startswith("|", at) and at not in headers:
            row_end = text.find("\n", at)
            row_end = len(text) if row_end < 0 else row_end
            parts = text[at:row_end].split("|")
            offsets = [at]  # where each part starts
            for part in parts[:-1]:
                offsets.append(offsets[-1] + len(part) + 1)
            for column, kind in columns:
                if len(parts) > column + 1:  # the row has the bar closing that cell
                    part = parts[column]
                    body = part.strip()
                    if body.strip("-: ") and not body.startswith("--"):
                        first = offsets[column] + len(part) - len(part.lstrip())
                        out.append((first, first, kind))
            at = row_end + 1
    return sorted(out)


def _fences(text: str) -> list[int]:
    """Offsets of the code fences (```) in ``text``: a cue between an odd one and the
    next is in a code block (a diagram), not a claim."""
    out, at = [], text.find("```")
    while at >= 0:
        out.append(at)
        at = text.find("```", at + 3)
    return out


_THAN = b" than "
_NOT_COMPARING = (b"rather", b"other")  # "rather than X", "other than X": no comparison


def _than_sources(text: str, words: bytes, found: list[tuple[int, int, str]], facts: CaseFacts,
                  links: tuple[tuple[int, int, str], ...]) -> list[tuple[int, int, str]]:
    """A comparison cue at each "than" a listed source follows in its clause ("recovers
    more of the eyes than Restormer does"), from the word before it, where no cue is:
    whatever the degree word, a comparison between listed models."""
    out: list[tuple[int, int, str]] = []
    at = words.find(_THAN)
    while at >= 0:
        prev = words.rfind(b" ", 0, at) + 1  # the word before "than", in ``words`` (one ahead of ``text``)
        start, end = prev - 1, at + 5
        if words[prev:at] not in _NOT_COMPARING and not any(s <= start < e or s <= end - 1 < e for s, e, _ in found):
            stop = _CLAUSE_END.search(text, end, min(len(text), end + 80))
            if facts.about(text, end, stop.start() if stop else min(len(text), end + 80), links):
                out.append((start, end, "comparison"))
        at = words.find(_THAN, at + 5)
    return out


# a run of three capitalised words or more ("Multi-Scale-Stage Network for Single Image Deblurring", "Residual
# Channel Attention Network"): a title or a name spelled out, whose words are no trait of a model
_CAPITAL = patterns.compile(r"(?:[A-Z][\w-]*|of|for|and|the|in|on|by|with|to|a)$")


def _in_title(text: str, start: int, end: int) -> bool:
    """Whether the trait cue at ``text[start:end]`` is a word of a capitalised run of at
    least three words, two of them capitalised besides the cue's own: a title, not a trait."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    before = text[max(ls, start - 80) : start].split()
    after = text[end : min(le, end + 80)].split()
    if not text[start:end][:1].isupper():
        return False
    run, named = 0, False
    for w in reversed(before):
        w = w.strip("*_\"'“”(`-")
        if not _CAPITAL.match(w):
            break
        run += w[:1].isupper()
        named = named or w in _TITLE_NOUNS
    for w in after:
        w = w.strip("*_\"'“”)`,.:;-")
        if not w or not _CAPITAL.match(w):
            break
        run += w[:1].isupper()
        named = named or w in _TITLE_NOUNS
    return run >= 2 and named


_TITLE_NOUNS = frozenset(("Network", "Networks", "Net", "Nets", "Learning", "Transformer", "Transformers", "Model",
                          "Models", "Restoration", "Recognition", "Deblurring", "Denoising", "Super-Resolution"))


# what the answer's own design hands a model ("uses them to adjust …", "uses the text prompt to …", "handles
# the primary motion blur", "Use X's encoder for …"): its role in the workflow, not what the model is
_DESIGN_USE = frozenset(("uses", "use", "using", "utilizes", "utilises", "leverages", "leveraging", "employs"))
_DESIGN_ROLE = frozenset(("handles", "performs", "addresses", "tackles", "targets"))
_DESIGN_OBJECT = patterns.compile(
    r"\s+(?:them|these|those|both|the\s+(?:[\w-]+\s+){0,2}?(?:outputs?|results?|prompts?|masks?|maps?|inputs?|"
    r"images?|features|estimates?|guidance)\b)")
_ROLE_OBJECT = patterns.compile(r"\s+the\s+(?:primary|main|first|initial|final|remaining|second|core|bulk|rest)\b")
_IMPERATIVE_USE = patterns.compile(r"[\s*_>#\d.)-]*(?:[\w ]{1,20}:[*_]*\s*)?(?:Use|Using|Reuse|Take)\s")


def _design_use(text: str, us: int, start: int, end: int, kind: str) -> bool:
    """Whether the cue at ``text[start:end]`` gives a model's role in the answer's design:
    using the workflow's own data ("uses them to …"), taking its main share ("handles the
    primary blur"), or a part of it the design takes ("Use X's encoder for …")."""
    cue = text[start:end].lower()
    if kind == "mechanism" and cue in _DESIGN_USE:
        return _DESIGN_OBJECT.match(text, end) is not None
    if kind == "mechanism" and cue in _DESIGN_ROLE:
        return _ROLE_OBJECT.match(text, end) is not None
    return kind == "trait" and _IMPERATIVE_USE.match(text, us, start) is not None


_FIGURE = patterns.compile(r"\d[\d.,]*\s*$")  # a figure right before "million", "thousand"

# "…, while the other sends …": a clause of its own within a unit, for a trait
_OWN_CLAUSE = patterns.compile(r";\s|,\s+(?:while|whereas|and|but)\s")


_BY_ING = patterns.compile(rb" by ([a-z]{3,}ing) ")


def _by_means(words: bytes, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A mechanism cue at each "by <doing>" ("straightens the lines by tracking each
    baseline"): how a model does what it does, whatever the verb."""
    out: list[tuple[int, int, str]] = []
    for m in _BY_ING.finditer(words):
        start, end = m.start(), m.end(1) - 1  # ``words`` is one ahead of the text
        if m.group(1) not in _DESIGN_MEANS and not any(s <= start < e for s, e, _ in found):
            out.append((start, end, "mechanism"))
    return out


# "by using …", "by feeding …", "by upscaling to 4x": what the answer's design does, not how a model works
_DESIGN_MEANS = frozenset(w.encode() for w in (
    "using", "applying", "running", "feeding", "combining", "producing", "generating", "creating", "providing",
    "adding", "passing", "sending", "routing", "merging", "blending", "upscaling", "downsampling", "downscaling",
    "resizing", "cropping", "converting", "taking", "making", "giving", "calling", "chaining", "stacking",
    "selecting", "choosing", "comparing", "checking", "following", "default", "leveraging", "employing"))


def _leads(facts: CaseFacts, text: str, us: int, start: int, links: tuple[tuple[int, int, str], ...]) -> bool:
    """Whether a source named before ``start`` leads its unit (within its first few words,
    markup aside): the subject of the sentence, not an object the design uses."""
    head = text[us:start]
    words = head.split()[:4]
    if not words:
        return False
    cut = us + len(head) - len(head.lstrip()) + len(" ".join(words))
    return bool(facts.about(text, us, min(cut, start), links))


# "X also transcribes the talk", "it can even tell who is speaking": a capability added to what a model is
# known for, read only where the model (or "it") is the word right before it, modals aside
_CAPABILITY = frozenset(("also", "even", "additionally", "automatically"))
_MODALS = frozenset(("can", "will", "also", "even", "then", "now", "additionally"))
_PRONOUNS = frozenset(("it", "they"))
# "can also be used", "also known as", "even if", "even though": the design's use, a name, a condition
_NOT_CAPABILITY = patterns.compile(r"\s+(?:be|been|being|known|called|if|though|so|when|more|less|better|worse|faster|slower)\b")


def _capability_subject(facts: CaseFacts, text: str, start: int, end: int) -> bool:
    """Whether the capability cue at ``text[start:end]`` ("also", "even") has a source or
    "it"/"they" as the word right before it in its sentence, modals between ("HushNet can
    also …")."""
    if _NOT_CAPABILITY.match(text, end):
        return False
    words = text[max(0, start - 60) : start].split()
    while words and words[-1].lower() in _MODALS:
        words.pop()
    if not words or words[-1][-1] in ".!?:;":
        return False
    last = words[-1].strip("*_`'\"’”)],")
    if last.lower() in _PRONOUNS:
        return True
    return bool(last) and bool(facts.named(to_words(last).split()))


# a promise ("never", "always", "guarantees", "without fail"): grounded only when the source itself makes it
_PROMISES = frozenset(("never", "guarantees", "guaranteed", "flawless", "flawlessly"))

# "… before commercial use", "check the licence before …": advice on the user's use, no licence claimed
_LICENCE_ADVICE = patterns.compile(r"(?:\b(?:before|prior\s+to|ahead\s+of)\s+(?:any\s+|using\s+it\s+for\s+|you\s+rely\s+on\s+it\s+for\s+)?"
                                   r"|\b(?:check|verify|confirm|review|read)\s+(?:the|its|their|each)\s+)$")

# "We feed X into Y and keep the louder …": a verb coordinated with the answer's own subject (we, you)
_OWN_SUBJECT = patterns.compile(
    r"[\s*_>#\d.)-]*(?:(?:Then|First|Next|Finally|After\s+that|Afterwards|Here|Now|Second|Third)\s*,?\s+)?(?:[Ww]e|[Yy]ou|I)\s")
_AND_BEFORE = patterns.compile(r"\sand\s+(?:then\s+|also\s+|finally\s+)?$")


# "Archivists rely on X", "Photographers turn to X": people said to favour a source named after the cue
_PEOPLE = patterns.compile(
    r"[\s*_>#\d.)-]*(?:(?:[Mm]any|[Mm]ost|[Ss]ome|[Pp]rofessional|[A-Z][a-z]+)\s+){0,2}"
    r"(?:[A-Za-z][a-z]+(?:ists|ers|ors|ians|als)|[Pp]eople|[Mm]any|[Mm]ost|[Ss]tudios|[Pp]ros|[Ee]xperts|"
    r"[Tt]eams|[Cc]ompanies|[Ll]abs)\s+(?:[a-z]+ly\s+)?$")


def find(view: View, g: Grounding) -> Iterator[Finding]:
    text = view.text
    found = [t for t in triggers(text) if t[2] in CLAIM_CUE_KINDS]
    words = words_only(text)
    more = _by_means(words, found) if b" by " in words else []
    if _THAN in words:  # "… than Restormer": a comparison with a listed source, whatever its words
        facts = facts_for(g)
        if facts is not None:
            more += _than_sources(text, words, found, facts, view.links)
    if more:
        found = sorted([*found, *more])
    if not found:
        return
    if "|" in text:  # cells under a "Strengths"/"Weaknesses" column
        cells = _column_cells(text, found)
        if cells:
            found = sorted([*found, *cells])
    facts = facts_for(g)
    if facts is None:
        return
    words = words_only(text)
    links = view.links
    fences = _fences(text) if "```" in text else []
    quoting = "“" in text or '"' in text
    summaries: list[str] | None = None  # read only when a cue sits after a quote mark
    judged_to = -1  # one finding per unit: cues in a unit already flagged are skipped
    hedges: dict[int, int] = {}  # unit start -> 2 when it hedges (no claim), 1 when it holds a negation (read by clause)
    about: dict[int, set[int]] = {}  # unit start -> the source "It" or a bullet's heading carries
    for k, (start, end, kind) in enumerate(found):
        if kind == "mechanism" and text[start:end].lower() in _CAPABILITY and not _capability_subject(facts, text, start, end):
            continue  # "also" or "even" with no model right before it: read before the unit, for speed
        if start < judged_to or (fences and bisect_right(fences, start) % 2) or (start < end and _not_a_label(text, start, end)):
            continue
        if quoting:
            if summaries is None:
                summaries = [" ".join(s.summary.lower().split()) for s in g.case.sources if s.summary] if g.case else []
            if _quoted_from_source(text, start, summaries) or _in_evidence_quote(text, start):
                continue
        us, ue = unit_at(text, start)
        if kind == "mechanism" and text[start:end].lower() in _CAPABILITY:
            stop = _CLAUSE_END.search(text, end, ue)
            if any(t not in g.tasks for t, _, _ in tasks_in(text[end : stop.start() if stop else ue])):
                continue  # "X also does object tracking": a task no source gives, the task rule's to report (once)
        if us not in hedges:
            hedges[us] = hedge_reading(words, us + 1, ue + 1)
        reading = hedges[us]
        if reading == 2:  # "X is the strongest at crowds, so it could …": a hedge only in what follows from it,
            # or in a concession before it ("While it may struggle with noise, it excels at …")
            # or in a clause coordinated before it ("X could in principle fill it, and it blends …"; "None of
            # the sources says so, but it runs …")
            then = _CONSEQUENCE.search(text, end, ue)
            lead = _CONCESSION.match(text, us, start)
            coord = max((m.end() for m in _COORD_CLAUSE.finditer(text, us, start)), default=-1)
            if then is not None or lead is not None or coord >= 0:
                reading = hedge_reading(words, max(lead.end() if lead else us, coord) + 1, (then.start() if then else ue) + 1)
            if reading == 2 and b" if " in words[us : ue + 2]:  # "… if you prompt it with your photo": the user's condition
                piece = words[us : ue + 2]
                masked = _IF_USAGE.sub(lambda m: b" " * len(m.group()), piece)
                if masked != piece:
                    reading = hedge_reading(words[:us] + masked + words[ue + 2 :], us + 1, ue + 1)
        if reading == 2 or (reading == 1 and _negated(text, us, ue, start, end)):
            continue
        if _RATHER.search(text, max(us, start - 16), start):  # "brightens rather than recovers blown regions"
            continue
        if kind == "quality" and _PURPOSE.match(text, max(us, start - 4), start) and text[start:end].endswith("ly"):
            continue  # "uses IMDN to cleanly upscale the text": the purpose the answer's design gives it
        if start < end and _design_use(text, us, start, end, kind):
            continue  # "uses them to adjust …": the answer's design
        if kind == "trait" and _FIGURE.search(text, max(us, start - 12), start):
            continue  # "4.5 million images": a figure, the number rule's to check
        if kind == "trait" and start < end and _in_title(text, start, end):
            continue  # "Residual Channel Attention Network": a title or a name spelled out
        cue = text[start:end].lower() if kind in ("mechanism", "licence", "quality") else ""
        if kind == "licence" and _LICENCE_ADVICE.search(text, max(us, start - 40), start):
            continue  # "check its repository before commercial use": advice, no licence claimed
        if (kind in ("mechanism", "quality", "trait") and _AND_BEFORE.search(text, max(us, start - 20), start)
                and _OWN_SUBJECT.match(text, us)):
            continue  # "We feed X into Y and keep …": the answer's own step
        if kind == "quality" and cue.startswith("without ") and (_OWN_SUBJECT.match(text, us) or _IMPERATIVE_USE.match(text, us)):
            continue  # "We run X without changing …": the answer's own step
        said = _subject_before(facts, text, us, start, links, kind, end, ue)
        if not said and kind in ("mechanism", "weakness") and start < end and text[start:end].lower() in labels():
            said = facts.about(text, end, min(ue, end + 48), links)  # "**Pros:** X handles …": the model right after the label
        if said and kind == "mechanism" and words[start + 1 : start + 4] == b"by " and not _leads(facts, text, us, start, links):
            continue  # "Branch B uses X to restore textures by …": the design's means, X its object
        if said and kind == "trait":  # "X infers …, while the other sends attention-informed …": not X's trait
            cut = max((m.end() for m in _OWN_CLAUSE.finditer(text, us, start)), default=us)
            if cut > us and not facts.about(text, cut, start, links):
                said = set()
        if k + 1 < len(found) and found[k + 1][0] < ue and kind == "comparison" and text[us:start].strip(" *_-#>\t") == "":
            continue  # "Compared with X, Y is superior on faces": the clause's own cue is quoted
        carried = not said
        if carried:  # "It …", a bullet under a model's heading: the subject is named before the unit
            if us not in about:
                about[us] = subject(facts, text, us, ue, links) or _carried_further(facts, text, us, ue, links)
            said = about[us]
            if not said:  # "Every model here …", "The result will …": all the sources, or what they make
                said = _every_source(facts, text, us, start, end, kind)
            if not said and kind in ("quality", "mechanism", "trait") and _PEOPLE.match(text, us, start):
                stop = _CLAUSE_END.search(text, end, ue)  # "Archivists routinely rely on InkSep …"
                said = facts.about(text, end, stop.start() if stop else ue, links)
            if said and kind in ("mechanism", "trait", "quality") and _workflow_label(text, us, start, kind == "quality"):
                continue
        if kind == "trait" and _supported(facts, facts.about(text, us, ue, links), kind, text, start, end, ue):
            continue  # a trait a source named in the unit gives: "CNN" in the title "… CNN Auto Encoder …"
        if said and ((kind == "comparison" and _compared_with(facts, said, text, end, ue, links))
                     or _supported(facts, said, kind, text, start, end, ue, g.tasks if carried else None, us) is False):
            if _from_question(text, start, end, us, ue, g):
                continue  # the user's own words, copied: "The user asks: … in one click …"
            judged_to = ue
            stop_at = _QUOTE_END.search(text, end + 1 if text[end : end + 1] == ":" else end, ue)
            quote = " ".join(text[start : stop_at.start() if stop_at else ue].split()[: KEY_WORDS + 2])
            yield Finding(start, quote, message(quote))


RULE = Rule("claim", find)
