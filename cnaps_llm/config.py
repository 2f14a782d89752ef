"""``[tool.cnaps-llm]`` in a pyproject.toml  ->  ``Config``.

Invariant: strict. Every table and key is one this module knows, or a ``ConfigError``
that names it and suggests the nearest known one; a value of the wrong shape is a
one-line ``ConfigError``, never a traceback. Read when a command runs, never at import.

    [tool.cnaps-llm.eval]        # thresholds, one key per entry of thresholds.THRESHOLDS
    min_grounded_rate = 0.95
    [tool.cnaps-llm.check]       # passed through to grounding.check(..., kinds=, warn=)
    kinds = ["url", "model"]
    warn = ["number"]

Validated by hand rather than by a pydantic model: the messages name the table and
suggest the key meant, and ``check`` reads this at every start without paying for
building models (its start-up is budgeted: bench/startup.py). ``evals.Thresholds`` takes ``eval`` as is.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from .errors import ConfigError
from .thresholds import BY_NAME

DEFAULT_PATH = Path("pyproject.toml")
SECTION = "tool.cnaps-llm"
TABLES = ("eval", "check")
CHECK_KEYS = ("kinds", "warn")


class CheckOptions(NamedTuple):
    """``[tool.cnaps-llm.check]``: its meaning belongs to the grounding package, only its shape is checked here."""

    kinds: tuple[str, ...] | None = None  # violation kinds to check (None: all)
    warn: tuple[str, ...] = ()  # violation kinds reported without failing


class Config(NamedTuple):
    eval: Mapping[str, float] = MappingProxyType({})  # threshold name -> limit, as set in the file
    check: CheckOptions = CheckOptions()


def did_you_mean(word: str, known: list[str] | tuple[str, ...], *, cutoff: float = 0.6, shape: str = "{}") -> str:
    """``; did you mean X?`` for the nearest of ``known`` (written as ``shape``), else an empty string."""
    import difflib  # only on the error path

    close = difflib.get_close_matches(word, known, n=1, cutoff=cutoff)
    return f"; did you mean {shape.format(close[0])}?" if close else ""


def _show(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def load_config(path: Path | None = None) -> Config:
    """The config in ``path``; without a path, ``./pyproject.toml`` if there is one, else the defaults.

    A ``path`` that does not exist is an error: the user asked for that file.
    """
    if path is None:
        if not DEFAULT_PATH.is_file():
            return Config()
        path = DEFAULT_PATH
    elif not path.is_file():  # never read: /dev/zero or a pipe would not end
        what = "is not a regular file" if path.exists() else "config file not found"
        raise ConfigError(f"{path}: {what}; check the path given to --config")
    import tomllib  # only when there is a file to read: 1% of `check`'s start-up otherwise

    try:
        # utf-8-sig: a byte-order mark (Windows Notepad's) is read past, as in every input
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML (nested too deeply); fix it or pass another --config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config ({exc}); check the file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix it or pass another --config") from None
    return parse_config(data, where=str(path))


def parse_config(data: Mapping[str, Any], *, where: str = "pyproject.toml") -> Config:
    """``Config`` from a parsed pyproject; ``where`` names the file in messages."""
    tool = data.get("tool")
    if not isinstance(tool, Mapping):
        return Config()
    if "cnaps-llm" not in tool:
        for key in tool:  # [tool.cnaps_llm] would otherwise be ignored without a word
            hint = did_you_mean(str(key), ["cnaps-llm"], cutoff=0.8, shape="[tool.{}]")
            if hint:
                raise ConfigError(f"{where}: unknown table [tool.{key}]{hint}")
        return Config()
    section = tool["cnaps-llm"]
    if not isinstance(section, Mapping):
        raise ConfigError(
            f"{where}: [{SECTION}] must be a table holding [{SECTION}.eval] and [{SECTION}.check]; got {_show(section)}"
        )
    for key in section:
        if key not in TABLES:
            if key in BY_NAME:
                raise ConfigError(f"{where}: {key} belongs under [{SECTION}.eval], not directly in [{SECTION}]")
            hint = did_you_mean(key, TABLES, shape=f"[{SECTION}.{{}}]")
            raise ConfigError(f"{where}: unknown table [{SECTION}.{key}]{hint} (known: {', '.join(TABLES)})")
    return Config(eval=_thresholds(section.get("eval", {}), where), check=_check(section.get("check", {}), where))


def _table(value: Any, name: str, example: str, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{where}: [{SECTION}] {name} = {_show(value)} is not a table; write [{SECTION}.{name}] with {example}"
        )
    return value


def _unknown_key(key: str, table: str, known: list[str] | tuple[str, ...], where: str) -> ConfigError:
    return ConfigError(f"{where}: unknown key {key} in [{SECTION}.{table}]{did_you_mean(key, known)} (known: {', '.join(known)})")


def _thresholds(value: Any, where: str) -> Mapping[str, float]:
    table = _table(value, "eval", "lines like min_grounded_rate = 0.95", where)
    out = {}
    for key, limit in table.items():
        if key not in BY_NAME:
            raise _unknown_key(key, "eval", list(BY_NAME), where)
        if isinstance(limit, bool) or not isinstance(limit, (int, float)):
            raise ConfigError(f"{where}: [{SECTION}.eval] {key} = {_show(limit)} is not a number; write e.g. {key} = 0.9")
        if not _finite(limit):  # TOML writes nan and inf: every comparison with nan is false
            raise ConfigError(f"{where}: [{SECTION}.eval] {key} = {limit} is not a finite number; write e.g. {key} = 0.9")
        problem = BY_NAME[key].problem(limit)
        if problem is not None:
            raise ConfigError(f"{where}: [{SECTION}.eval] {key} = {_show(limit)}: {problem}")
        out[key] = float(limit)
    return MappingProxyType(out)


def _finite(limit: int | float) -> bool:
    """Whether ``limit`` is a finite number a float can hold (TOML's integers have no bound here:
    ``1`` and four hundred zeros would overflow every comparison with a rate)."""
    try:
        return math.isfinite(limit)
    except OverflowError:
        return False


def _check(value: Any, where: str) -> CheckOptions:
    table = _table(value, "check", 'kinds = ["url", "model"] or warn = ["number"]', where)
    for key, items in table.items():
        if key not in CHECK_KEYS:
            raise _unknown_key(key, "check", CHECK_KEYS, where)
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(
                f'{where}: [{SECTION}.check] {key} = {_show(items)} is not a list of strings; write e.g. {key} = ["url", "model"]'
            )
        if key == "kinds" and not [i for i in items if i.strip()]:  # would check nothing and pass every answer
            raise ConfigError(f'{where}: [{SECTION}.check] kinds = {_show(items)} names no kind; list at least one, e.g. kinds = ["url", "model"], or remove it to check all')
    return CheckOptions(**{k: tuple(v) for k, v in table.items()})
