"""Test helpers: the grounding check as an assertion, for pytest (or any test runner).

    from cnaps_llm.testing import assert_grounded

    def test_my_answer():
        assert_grounded(my_answer, "prompts/003.txt")

Invariant: built only on the public API (``cnaps_llm.check``); raises a plain
``AssertionError`` (no pytest import), whose message lists every violation with its
line, kind, text and message, so a failing test says what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .api import CaseLike
    from .models import Violation

__all__ = ["assert_grounded", "describe"]


def describe(violations: list[Violation]) -> str:
    """One line per violation: ``line 3 [url] 'https://…': message`` (warnings marked)."""
    return "\n".join(
        f"  line {v.line} [{v.kind}{', warning' if v.severity == 'warn' else ''}] {v.text!r}: {v.message}" for v in violations
    )


def assert_grounded(answer: str, case: CaseLike, *, kinds: Iterable[str] | None = None, warn: Iterable[str] = ()) -> list[Violation]:
    """Fail (``AssertionError``) unless ``answer`` is grounded in ``case``.

    ``case`` is anything ``cnaps_llm.load_case`` accepts (a ``Case``, a path, prompt text, a
    dict); ``kinds`` and ``warn`` are as for ``cnaps_llm.check``. Returns the warnings, if
    any, so a test can look at them too.
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this one
    from .api import check, load_case

    loaded = load_case(case)
    violations = check(answer, loaded, kinds=kinds, warn=warn)
    errors = [v for v in violations if v.severity == "error"]
    if errors:
        raise AssertionError(f"answer is not grounded in case {loaded.id!r}: {len(errors)} violation(s)\n{describe(violations)}")
    return violations
