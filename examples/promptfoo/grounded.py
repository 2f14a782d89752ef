"""The cnaps-llm grounding gate for promptfoo: `value: file://grounded.py:get_assert`.

promptfoo loads Python assertions by file path; this file hands the call to the installed
package, so cnaps-llm must be installed in the Python promptfoo runs (PROMPTFOO_PYTHON).
"""

from cnaps_llm.promptfoo import get_assert

__all__ = ["get_assert"]
