r"""The bulleted variant of the prompt format: ``- **Name**`` (or ``- Name``) opens a source.

A user asks:
"Please enlarge this photo 4x."

### Recommended AI Models:
- **SISR-RCAN-4x**
  Paper: https://arxiv.org/abs/1807.02758

Everything but the line that opens a source (question, sections, ``Paper:``/``GitHub:``/
``Summary:`` fields) is read as in the primary format, by ``prompt_file``, which asks
``bullet_name`` about each line its own ``Model:`` lines do not claim.

Invariant: reading a line is linear in its length; ``bullet_name`` accepts exactly the
lines ``^\s*[-*+]\s+(?:\*\*(?P<bold>.*?)\*\*|(?P<plain>[^:]+?))\s*$`` matches, with the same
name, but as string operations: that pattern took quadratic time on ``- a<spaces>b``.
"""

from __future__ import annotations

_MARKS = "-*+"


def bullet_name(line: str) -> str | None:
    """The source name a bullet line opens (possibly ``""``), or ``None`` if it is no bullet."""
    t = line.lstrip()
    if not t or t[0] not in _MARKS or not t[1:2].isspace():
        return None
    rest = t[1:]
    body = rest.strip()
    if len(body) >= 4 and body.startswith("**") and body.endswith("**"):
        return body[2:-2].strip()  # `- **Name**`, whatever the name holds
    if ":" in rest or len(rest) < 2:
        return None  # a `Key: value` line, or a lone mark and one space
    return body  # `- Name` (a mark followed only by spaces gives "", the no-name error)
