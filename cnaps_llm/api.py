"""The Python API behind ``import cnaps_llm``: load a case, check an answer, generate, evaluate.

Invariant: each function is a thin layer over the modules the command line uses (inputs,
grounding, runner, evals), with the same defaults and the same errors (``CnapsError``
subclasses whose message says what to fix). ``cnaps_llm/__init__.py`` exposes these names
lazily, so ``import cnaps_llm`` stays cheap; importing this module is cheap too, since every
function imports what it needs when called.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

TYPE_CHECKING = False  # not typing's: importing typing would double the cost of importing this module
if TYPE_CHECKING:
    from typing import Any, TypeAlias

    from .evals import Report, Thresholds
    from .models import Case, Result, Violation
    from .settings import Settings

CaseLike: TypeAlias = "Case | str | os.PathLike[str] | Mapping[str, Any]"
"""What every call accepts as a case: a ``Case``, a path, prompt-file or JSON text, or a dict."""

__all__ = ["CaseLike", "agenerate", "check", "evaluate", "generate", "load_case"]


def _is_text(source: str) -> bool:
    # a path is one line; prompt files span lines and JSON starts with a bracket
    stripped = source.lstrip("\ufeff \t\r\n")
    return "\n" in source or stripped[:1] in ("{", "[")


def load_case(source: CaseLike, *, id: str | None = None) -> Case:
    """One case from a prompt file, a JSON file, their text, or a dict.

    * a ``Case`` is returned as it is (with ``id`` set when given);
    * a ``Path`` (or any path-like), or a one-line ``str``, is a file: a prompt file, or JSON
      holding one case (see the README's "Input formats");
    * a ``str`` with a newline, or starting with ``{``, is the text of such a file;
    * a dict is a JSON case: ``{"prompt": "<prompt file text>"}`` or the structured form
      ``{"question", "recommended": [...], "related": [...]}``.

    ``id`` names the case (records, output files, where its recordings are filed); a file's
    case is named after the file, text and dicts without one are called ``case``.
    Raises ``InputError`` (a ``CnapsError``) saying what to fix.
    """
    from .errors import InputError
    from .inputs import case_from_object, check_case_id, load_case as load_file, parse_prompt_text
    from .inputs.json_files import iter_json_cases
    from .inputs.text import normalise, normalise_json
    from .models import Case

    if isinstance(source, Case):
        case = source
    elif isinstance(source, Mapping):
        case = case_from_object(dict(source), default_id=id or "case", path="<dict>")
    elif isinstance(source, str) and _is_text(source):
        name = id or "case"
        if source.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
            found = list(iter_json_cases(normalise_json(source), stem=name, path="<text>"))
            errors = [c for c in found if isinstance(c, InputError)]
            if errors:
                raise errors[0]
            if len(found) != 1:
                raise InputError(f"holds {len(found)} cases; pass exactly one", path="<text>")
            case = found[0]  # type: ignore[assignment]
        else:
            case = parse_prompt_text(normalise(source), case_id=name, path="<text>")
    elif isinstance(source, (str, os.PathLike)):
        case = load_file(os.fspath(source))
    else:
        raise InputError(f"cannot read a case from a {type(source).__name__}; pass a path, prompt text, a dict or a Case")
    if id is not None and case.id != id:
        if not id:
            raise InputError("give a non-empty case id")
        return case.model_copy(update={"id": check_case_id(id, path=None)})
    return case


def _names(kinds: Iterable[str]) -> tuple[str, ...]:
    # "url,model" as on the command line, or any iterable of names
    if isinstance(kinds, str):
        return tuple(k.strip() for k in kinds.split(",") if k.strip())
    return tuple(kinds)


def check(answer: str, case: CaseLike, *, kinds: Iterable[str] | None = None, warn: Iterable[str] = ()) -> list[Violation]:
    """Everything in ``answer`` that ``case`` does not support: links, model names, tasks and
    figures that are not in the input, and missing parts. An empty list means grounded.

    Pure: no I/O beyond reading ``case`` when it is a path, no model call. The answer is
    normalised first (line endings, Unicode NFC, mojibake), as the command line does.
    ``kinds`` limits the check to some kinds (``url``, ``model``, ``task``, ``number``,
    ``structure``; a list, or one comma-separated string); a kind in ``warn`` is reported
    with severity ``warn`` and does not count against ``is_grounded``. Each ``Violation``
    has ``kind``, ``text``, ``line`` and ``message``.
    """
    from .grounding import check as run_check
    from .inputs.text import normalise

    options: dict[str, Any] = {"warn": _names(warn)}
    if kinds is not None:
        options["kinds"] = _names(kinds)
    return run_check(normalise(answer), load_case(case), **options)


def _settings(settings: Settings | Mapping[str, Any] | None, **defaults: Any) -> Settings:
    from .settings import Settings, load_settings

    if isinstance(settings, Settings):
        return settings
    # as on the command line: what is given here beats the environment, which beats .env
    return load_settings(**{**defaults, **(settings or {})})


async def agenerate(case: CaseLike, *, settings: Settings | Mapping[str, Any] | None = None) -> Result:
    """Draft a grounded answer for ``case``: build the prompt, call the model, check the draft,
    re-ask with the violations quoted, until it is grounded or the attempts run out.

    ``settings`` is a ``Settings``, or a dict of overrides such as ``{"model": "gpt-4o",
    "cache": "replay", "max_attempts": 2}`` (the names of ``.env.example`` without ``CNAPS_``);
    what it leaves out comes from the environment and ``.env``, as for the command line. By
    default recorded responses are replayed when there are some (the bundled examples need no
    key), and a model is called only when a server is configured.

    Returns the ``Result``: ``status`` (``grounded``, ``repaired``, ``failed``), ``answer``
    (None unless grounded or repaired), every attempt, tokens, cost and latency. A server
    failure is recorded in it (``error``), not raised; bad settings raise ``ConfigError``.
    """
    from .runner import run_all

    results = await run_all([load_case(case)], _settings(settings))
    return results[0]


def generate(case: CaseLike, *, settings: Settings | Mapping[str, Any] | None = None) -> Result:
    """``agenerate`` for code that is not ``async``: runs its own event loop.

    Inside a running loop (``async`` code, a notebook) use ``await agenerate(...)`` instead.
    """
    import asyncio

    from .errors import ConfigError

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(agenerate(case, settings=settings))
    raise ConfigError("generate() cannot run inside a running event loop; use `await cnaps_llm.agenerate(...)` there")


def evaluate(
    cases: str | os.PathLike[str] | Iterable[CaseLike],
    *,
    settings: Settings | Mapping[str, Any] | None = None,
    thresholds: Thresholds | Mapping[str, float] | None = None,
    concurrency: int = 4,
) -> Report:
    """Run every case and measure the run, as ``cnaps-llm eval`` does.

    ``cases`` is a dataset (a folder of prompt files, a JSON or JSONL file) or an iterable of
    anything ``load_case`` accepts. ``settings`` as for ``generate``, except that, like
    ``eval``, responses are only replayed unless ``settings`` says ``{"cache": "auto"}`` (or
    ``record``/``off``). ``thresholds`` names limits such as ``{"min_grounded_rate": 0.95}``
    (the keys of ``[tool.cnaps-llm.eval]``); with none, the run passes only when every case does.

    Returns the ``Report``: ``metrics``, ``missed`` thresholds, ``failed_cases``, ``passed``
    and every ``Result``. A bad case raises ``InputError``, bad thresholds ``ConfigError``.
    """
    from . import evals
    from .errors import InputError
    from .inputs import expand_paths, iter_cases
    from .runner import run_cases

    loaded = []
    if isinstance(cases, (str, os.PathLike)):
        for path in expand_paths([os.fspath(cases)]):
            for item in iter_cases(path):
                if isinstance(item, InputError):
                    raise item
                loaded.append(item)
    else:
        loaded = [load_case(c) for c in cases]
    if not loaded:
        raise InputError("holds no cases; give a folder of prompt files, a JSON/JSONL dataset or a list of cases",
                         path=os.fspath(cases) if isinstance(cases, (str, os.PathLike)) else "<cases>")
    limits = thresholds if isinstance(thresholds, evals.Thresholds) else evals.Thresholds().override(dict(thresholds or {}))
    results = run_cases(loaded, _settings(settings, cache="replay"), concurrency=concurrency)
    return evals.evaluate(loaded, results, limits)
