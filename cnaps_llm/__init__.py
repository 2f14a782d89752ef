"""cnaps-llm: grounded answers about AI models.

The Python API, in four calls::

    import cnaps_llm

    case = cnaps_llm.load_case("my_prompt.txt")            # or its text, or a dict
    violations = cnaps_llm.check(answer_text, case)         # [] when grounded
    result = cnaps_llm.generate(case)                       # draft, check, re-ask: a Result
    report = cnaps_llm.evaluate("fixtures/prompts")         # metrics over a dataset: a Report

``agenerate`` is ``generate`` for ``async`` code. Models (``Case``, ``Violation``,
``Result``, ``Report``, ``Thresholds``, ``Settings``) and errors (``CnapsError``,
``InputError``, ``ConfigError``) are importable from here too.

Invariant: importing the package is cheap on purpose. Nothing here touches the network,
the environment or a heavy dependency (openai, tiktoken, pydantic) at import time: the
functions import what they need when called, and the names above are loaded on first use
through the module's ``__getattr__``.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

# not typing.TYPE_CHECKING: importing typing would double the cost of `import cnaps_llm`
# (type checkers read any name TYPE_CHECKING as true)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .api import CaseLike, agenerate, check, evaluate, generate, load_case
    from .errors import CnapsError, ConfigError, InputError
    from .evals import Report, Thresholds
    from .grounding import is_grounded
    from .models import Case, Result, Violation
    from .settings import Settings

__all__ = [
    "Case", "CaseLike", "CnapsError", "ConfigError", "InputError", "Report", "Result", "Settings", "Thresholds",
    "Violation", "__version__", "agenerate", "check", "evaluate", "generate", "is_grounded", "load_case",
]

# name -> module that defines it, imported on first use
_LAZY = {
    "load_case": "api", "check": "api", "generate": "api", "agenerate": "api", "evaluate": "api", "CaseLike": "api",
    "Case": "models", "Result": "models", "Violation": "models",
    "Report": "evals", "Thresholds": "evals",
    "Settings": "settings",
    "CnapsError": "errors", "ConfigError": "errors", "InputError": "errors",
    "is_grounded": "grounding",
}
_SUBMODULES = {"api", "errors", "evals", "grounding", "inputs", "models", "promptfoo", "reports", "resources", "settings", "testing"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # looked up once
        return value
    if name in _SUBMODULES:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SUBMODULES})
