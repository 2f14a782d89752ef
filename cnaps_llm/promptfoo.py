"""The grounding check as a promptfoo Python assertion.

In ``promptfooconfig.yaml`` (a file next to it holding ``from cnaps_llm.promptfoo import
get_assert``, since promptfoo loads assertions by file path)::

    defaultTest:
      assert:
        - type: python
          value: file://grounded.py:get_assert
    tests:
      - vars:
          case: file://prompts/003.txt      # promptfoo reads the file: its text is the case
          question: ...

The case comes from the test's vars: ``vars.case`` by default (``config.case_var`` names
another), holding prompt-file text, a path to a prompt or JSON file, or a structured case
object. ``config.kinds`` and ``config.warn`` are as for ``cnaps_llm.check``.

Invariant: never raises. A grounded answer passes with score 1; one that is not fails with
score 0 and a reason listing each violation (line, kind, text, message); a missing or
unreadable case fails with a reason saying what to fix, so the cause shows in promptfoo's
table rather than as a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["get_assert", "grade"]

MAX_REASON = 4000  # characters: promptfoo shows the reason in a table cell


def _fail(reason: str) -> dict[str, Any]:
    return {"pass": False, "score": 0.0, "reason": reason}


def grade(output: Any, case: Any, *, kinds: Any = None, warn: Any = ()) -> dict[str, Any]:
    """``{"pass", "score", "reason"}`` for ``output`` checked against ``case``."""
    from .api import check, load_case
    from .errors import CnapsError
    from .testing import describe

    answer = output if isinstance(output, str) else json.dumps(output, ensure_ascii=False)
    try:
        loaded = load_case(case)
        violations = check(answer, loaded, kinds=kinds, warn=() if warn is None else warn)
    except CnapsError as exc:
        return _fail(f"cnaps-llm: {exc}")
    errors = [v for v in violations if v.severity == "error"]
    if errors:
        reason = f"not grounded in case {loaded.id!r}: {len(errors)} violation(s)\n{describe(violations)}"
        return _fail(reason[:MAX_REASON])
    note = f", {len(violations)} warning(s)\n{describe(violations)}" if violations else ""
    return {"pass": True, "score": 1.0, "reason": (f"grounded in case {loaded.id!r}" + note)[:MAX_REASON]}


def get_assert(output: Any, context: Mapping[str, Any]) -> dict[str, Any]:
    """promptfoo's entry point: the output must be grounded in the case of the test's vars."""
    config = context.get("config") or {}
    variables = context.get("vars") or {}
    name = config.get("case_var", "case")
    if name not in variables:
        shown = ", ".join(sorted(map(str, variables))) or "none"
        return _fail(f"cnaps-llm: the test has no var {name!r} holding the case (vars: {shown}); "
                     f"add `{name}: file://path/to/prompt.txt` to the test's vars, or set config.case_var")
    return grade(output, variables[name], kinds=config.get("kinds"), warn=config.get("warn", ()))
