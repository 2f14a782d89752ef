"""JUnit XML: one test case per case, plus one for an eval's thresholds.

Invariant: the output is well-formed XML 1.0 whatever the case ids, answers and error
messages hold: characters XML 1.0 forbids (NUL, other C0 controls such as ESC, lone
surrogates, U+FFFE/U+FFFF) are written as visible escapes like ``\\x1b``, and the tree
is serialised by ``xml.etree``, which escapes markup (``<``, ``&``, quotes, ``]]>``).
A case that ended without a grounded answer, by the validator or by a server error,
is a failure.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from ..models import Result

if TYPE_CHECKING:
    from ..evals import Report

_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _escape_char(m: re.Match[str]) -> str:
    n = ord(m.group())
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def clean(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold written as a visible escape."""
    return _FORBIDDEN.sub(_escape_char, text)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: clean(v) for k, v in attrs.items()})
    if text:
        el.text = clean(text)
    return el


def _testcase(suite: ET.Element, r: Result) -> bool:
    """Add ``r`` to ``suite``; True when it is a failure."""
    tc = _el(suite, "testcase", classname="cnaps-llm", name=r.case_id, time=f"{r.latency_s:.3f}")
    if r.status != "failed":
        return False
    errors = [f"attempt {a.number}: {a.error}" for a in r.attempts if a.error]
    if r.error is not None:
        _el(tc, "failure", "\n".join(errors) or r.error, type="server-error", message=r.error)
        return True
    detail = [f"line {v.line} [{v.kind}] {v.text}: {v.message}" for v in r.violations] + errors
    _el(tc, "failure", "\n".join(detail), type="not-grounded", message=f"not grounded after {len(r.attempts)} attempt(s)")
    return True


def run(results: list[Result], report: Report | None = None) -> str:
    suite = ET.Element("testsuite", name="cnaps-llm eval" if report is not None else "cnaps-llm")
    failures = sum(_testcase(suite, r) for r in results)
    skipped = 0
    if report is not None:
        tc = _el(suite, "testcase", classname="cnaps-llm", name="thresholds")
        gate = report.gated_by
        if gate == "thresholds" and report.missed:
            _el(tc, "failure", "\n".join(report.missed), type="threshold", message="; ".join(report.missed))
            failures += 1
        elif gate != "thresholds":
            _el(tc, "skipped", message=report.verdict())
            skipped = 1
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("skipped", str(skipped))
    suite.set("time", f"{sum(r.latency_s for r in results):.3f}")
    ET.indent(suite, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def case(result: Result) -> str:
    return run([result])
