"""Pydantic models at every boundary of the pipeline.

Invariant: every model forbids unknown fields, so a typo in a JSON input or a
drifted record format fails loudly instead of being dropped.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Role = Literal["recommended", "related"]
# the built-in kinds are url, model, task, number and structure; rules from other
# packages add their own, so any lower-case identifier is a kind
ViolationKind = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Status = Literal["grounded", "repaired", "failed"]


class StrictModel(BaseModel):
    # defer_build: a model's validator is built when first used, not at import, so a
    # command pays only for the models it touches (`check` uses five of two dozen).
    # Their empty lists and dicts are plain defaults (pydantic copies a mutable default for
    # each instance), not ``default_factory=list``: for a built-in factory pydantic reads its
    # signature through ``tokenize``, whose first use compiles a large regex (~4% of `check`).
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Source(StrictModel):
    """One recommended model (``R1``…) or related paper (``P1``…) from the prompt file."""

    id: str = Field(pattern=r"^[RP][0-9]+$")
    role: Role
    name: str = Field(min_length=1)
    paper_url: str | None = None
    github_url: str | None = None
    summary: str | None = None
    links: dict[str, str] = Field(default={}, description="Other `Key: URL` lines, e.g. HuggingFace.")

    def all_links(self) -> list[str]:
        out = [u for u in (self.paper_url, self.github_url) if u]
        out.extend(self.links.values())
        return out


class Expectations(StrictModel):
    """What an eval case expects of a good answer (all optional)."""

    task: str | None = None
    must_cite: list[str] = Field(default=[], description="Source ids the answer must cite.")


class Case(StrictModel):
    """One question with the sources the recommender picked for it.

    The id names output files and records: at most 200 characters, no control characters
    (``inputs`` checks both first, with a message saying what to fix).
    """

    id: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")
    question: str = Field(min_length=1)
    instruction: str = ""
    sources: list[Source] = Field(min_length=1)
    expect: Expectations | None = None

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    @property
    def recommended(self) -> list[Source]:
        return [s for s in self.sources if s.role == "recommended"]


class Violation(StrictModel):
    """Something in an answer that the input does not support.

    An ``error`` makes the answer ungrounded; a ``warn`` is reported and does not.
    """

    kind: ViolationKind
    text: str
    line: int  # the first line it occurs on
    message: str
    severity: Literal["error", "warn"] = "error"
    lines: list[int] = Field(default=[], description="Every line it occurs on, in order; the first is ``line``.")

    @model_validator(mode="after")
    def _lines_start_at_line(self) -> Violation:
        # records written before ``lines`` existed, and violations built with ``line`` only
        if not self.lines:
            self.lines = [self.line]
        elif self.lines[0] != self.line:
            raise ValueError(f"lines {self.lines} must start with line {self.line}")
        return self


class CheckReport(StrictModel):
    grounded: bool
    violations: list[Violation]


class Message(StrictModel):
    """One chat message, in the pipeline's own terms (each backend translates it)."""

    role: Literal["system", "user", "assistant"]
    content: str


ErrorKind = Literal["server", "deadline", "no_recording", "budget", "input"]


class Usage(StrictModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Attempt(StrictModel):
    """One call to the model and what the validator made of it."""

    number: int
    mode: str
    messages: list[Message]
    temperature: float = 0.0
    raw: str | None
    draft: dict[str, Any] | None = None
    answer: str | None = None
    violations: list[Violation] = Field(default_factory=list)
    error: str | None = None
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = 0.0
    finish_reason: str | None = None
    replayed: bool = False
    synthetic: bool = Field(default=False, description="The reply was written by hand (bundled examples), not by a model.")


class Result(StrictModel):
    """The record of one case: what was asked, every attempt, what came out."""

    case_id: str
    status: Status
    model: str
    answer: str | None
    violations: list[Violation] = Field(default_factory=list)
    attempts: list[Attempt]
    usage: Usage
    latency_s: float
    cost_usd: float | None
    template_hash: str
    trimmed: list[str] = Field(default_factory=list)
    error: str | None = Field(default=None, description="Set when a server failure, not the validator, ended the case.")
    error_kind: ErrorKind | None = Field(default=None, description="What ended the case early: the exit code follows from it.")
    stopped: str | None = Field(default=None, description="Why reasks stopped before max_attempts (identical drafts).")
    dropped: list[str] = Field(
        default_factory=list,
        description="The sentences --on-fail repair removed from the last draft (kept when what remained still failed).",
    )


QUOTE_HELP = (
    "Words copied exactly from this source's summary that state what the text says of it "
    "(two fragments may be joined by …); the source's name when it has no summary."
)


class Step(StrictModel):
    """One workflow step: what source ``source`` does, and the quote from it that says so."""

    source: str
    does: str
    quote: str = Field(default="", description=QUOTE_HELP)


class Workflow(StrictModel):
    input: str
    steps: list[Step]
    output: str


class Reference(StrictModel):
    """A source that supports the answer, why, and the quote from it that says so."""

    source: str
    reason: str
    quote: str = Field(default="", description=QUOTE_HELP)


class SetAside(StrictModel):
    """A recommended model the workflow does not use: why it does not fit, and the quote that shows it."""

    source: str
    reason: str
    quote: str = Field(default="", description=QUOTE_HELP)


class Draft(StrictModel):
    """What the model returns in the structured modes: prose plus source ids, never links.

    Quotes default to empty so that a draft without them still parses and is told, by the
    ``evidence`` check, which statements lack one (a schema error would say less)."""

    task: str
    workflow: Workflow
    not_used: list[SetAside] = Field(default_factory=list)
    references: list[Reference]
    caveats: list[str] = Field(default_factory=list)
