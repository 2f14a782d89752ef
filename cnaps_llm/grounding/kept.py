"""Tables built from the word lists, kept between runs beside the compiled regex programs.

The validator's first check in a process parses the word lists (``data/``) into look-up
tables and pattern sources: the vocabulary of names, the task terms' scan, the plain-word
task phrases. That work is the same in every run until the package changes, so ``kept``
stores each table's value in the user cache (the folder of ``patterns.cache_file``) and
reads it back on the next start, as ``patterns.compile`` does for regex programs.

Invariant: ``kept(name, build)`` returns a value equal to ``build()``. A value is reused
only while the package's word lists (``data/``) have the content, and the files of
``grounding/`` the size and modification time, they had when the value was built, for
the same version and folder of the package (a new release, an edited word list or an
edited builder: built afresh), and only for the Python that wrote it; a
missing, damaged or foreign file, a value marshal cannot keep, or
``CNAPS_REGEX_CACHE=off`` changes nothing but the time taken (``tests/test_kept.py``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from . import patterns

T = TypeVar("T")

_tables: dict[str, Any] | None = None  # name -> value; None until the first kept() loads the file
_file: str | None = None
_stamp: tuple | None = None
_added = False


def stamp() -> tuple:
    """What the tables are built from: the word lists by content (a checksum: an install
    that gives every file one fixed time still shows an edit), the grounding code (each
    table's builder and the parsers it calls) by size and modification time, and the
    package's version and folder."""
    import zlib

    from .. import __version__

    here = os.path.dirname(os.path.abspath(__file__))
    data = os.path.join(os.path.dirname(here), "data")
    out = []
    for folder in (data, here, os.path.join(here, "rules")):
        with os.scandir(folder) as entries:
            for e in sorted(entries, key=lambda e: e.name):
                if e.is_file():
                    st = e.stat()
                    if folder == data:
                        with open(e.path, "rb") as f:
                            out.append((e.name, st.st_size, zlib.crc32(f.read())))
                    else:
                        out.append((e.name, st.st_size, st.st_mtime_ns))
    return (sys.version, __version__, here, tuple(out))


def _load() -> None:
    global _tables, _file, _stamp
    _tables = {}
    try:
        regex_file = patterns.cache_file()
        if regex_file is None:
            return
        _file = os.path.join(os.path.dirname(regex_file), f"tables-{sys.implementation.cache_tag}.marshal")
        _stamp = stamp()
        import marshal

        with open(_file, "rb") as f:
            data = marshal.loads(f.read())
        if type(data) is tuple and len(data) == 2 and data[0] == _stamp and type(data[1]) is dict:
            _tables = data[1]
    except Exception:  # missing, damaged or foreign: build afresh and write it again
        pass


def kept(name: str, build: Callable[[], T]) -> T:
    """``build()``, or the value a run of the same package built under ``name``. The value
    must be made of what marshal keeps (tuples, lists, dicts, sets, frozensets, str, bytes,
    numbers, bools, None); it is returned as marshal gives it back, equal to ``build()``."""
    global _added
    if _tables is None:
        _load()
    assert _tables is not None
    if name in _tables:
        return _tables[name]  # type: ignore[no-any-return]
    value = build()
    if _file is not None:
        _tables[name] = value
        if not _added:
            import atexit

            atexit.register(_save)
            _added = True
    return value


def _save() -> None:
    """Write the tables when this run built any, atomically."""
    if not _added or _file is None or not _tables:
        return
    tmp = f"{_file}.{os.getpid()}.tmp"
    try:
        import marshal

        os.makedirs(os.path.dirname(_file), exist_ok=True)
        with open(tmp, "wb") as f:
            marshal.dump((_stamp, _tables), f)
        os.replace(tmp, _file)
    except Exception:  # read-only or full disk, or a value marshal cannot keep: built again next run
        try:
            os.remove(tmp)
        except OSError:
            pass
