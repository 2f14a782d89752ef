"""Files that ship with the package: prompt templates and the bundled example cases.

Invariant: read-only. In a built wheel ``prompts/`` and ``fixtures/`` (top-level folders
of the repository, the product's layout) are installed as ``cnaps_llm/_prompts`` and
``cnaps_llm/_examples`` (see ``[tool.setuptools.package-dir]``) and found through
the import system (``importlib.util.find_spec``), like any package data; in a source checkout (an editable install, or ``PYTHONPATH``)
the repository's own folders are used. Nothing here is ever written to.
"""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path

from .errors import InputError

_CHECKOUT = Path(__file__).resolve().parent.parent


@cache
def _folder(package: str, checkout_name: str) -> Path:
    # a data-only package (no __init__.py): its spec's search location is the installed folder
    spec = find_spec(f"cnaps_llm.{package}")
    if spec is None or not spec.submodule_search_locations:
        return _CHECKOUT / checkout_name  # a source checkout: the mapped package is not installed
    return Path(next(iter(spec.submodule_search_locations)))


def prompts_dir() -> Path:
    """The bundled prompt templates."""
    return _folder("_prompts", "prompts")


def examples_dir() -> Path:
    """The bundled example cases: ``prompts/``, ``answers/`` and their recordings in ``cassettes/``."""
    return _folder("_examples", "fixtures")


def bundled_cassettes() -> Path:
    """Recordings of the bundled examples, consulted read-only for replay."""
    return examples_dir() / "cassettes"


def example_names() -> list[str]:
    return sorted(p.name for p in (examples_dir() / "prompts").iterdir() if p.is_file() and not p.name.startswith("."))


def example(name: str) -> Path:
    """The bundled example prompt whose file name is ``name`` or starts with ``name``
    (``003`` finds ``003_1ea1203c459ef3cc.txt``)."""
    names = example_names()
    hits = [n for n in names if n == name] or [n for n in names if n.startswith(name)]
    if len(hits) != 1:
        listing = ", ".join(n.split("_")[0] for n in names)
        what = "matches several" if hits else "matches none"
        raise InputError(f"example {name!r} {what} of the bundled examples ({listing}); use one of those numbers or `all`")
    return examples_dir() / "prompts" / hits[0]


def examples(name: str) -> list[Path]:
    """``all`` (every bundled example) or the one named."""
    if name == "all":
        return [examples_dir() / "prompts" / n for n in example_names()]
    return [example(name)]
