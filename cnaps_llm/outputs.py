"""Where ``generate`` puts each result, as it lands: ``-o DIR``, a JSONL file, stdout.

Invariants: a file is written as each case finishes, so an interrupted batch keeps
what was done; a failed case writes ``<name>.failed.<fmt>`` and never replaces an
answer from an earlier run; file names come from ``fsutil.safe_name``; stdout gets
one document (a JSON array for several cases in JSON) or a JSONL stream.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .batch import Appender
from .errors import InputError
from .fsutil import FAILED, atomic_write, encodable, file_key, inside, make_folder, refuse_unwritable, refuse_unwritable_folder, safe_name, terminal_line
from .models import Result
from .redact import redact_obj

if TYPE_CHECKING:
    from .settings import Settings


def record_json(result: Result, *, indent: int | None = 2) -> str:
    return encodable(json.dumps(redact_obj(result.model_dump(mode="json")), indent=indent, ensure_ascii=False))


def _print(text: str) -> None:
    sys.stdout.write(encodable(text))


def _file_names(case_id: str, suffix: str) -> tuple[str, str]:
    """A case's answer file and failure report: ``<name>.<suffix>``, ``<name>.failed.<suffix>``."""
    name = safe_name(case_id)  # never ends in FAILED: no answer is another case's report
    return f"{name}.{suffix}", f"{name}{FAILED}.{suffix}"


def case_file(folder: Path, result: Result, suffix: str) -> Path:
    """The file ``result`` is written to in ``folder``: its answer, or its failure report."""
    answer, failed = _file_names(result.case_id, suffix)
    return inside(folder, failed if result.status == "failed" else answer)


def _refuse_inputs(folder: Path, ids: Iterable[str], inputs: Iterable[Path], suffix: str, jsonl: Path | None) -> None:
    """An input, or the ``--jsonl`` file, that a case's answer (or failure report) in
    ``folder`` would replace is an error: ``generate prompts/ -o prompts/`` must not write
    answers over the prompts, nor an answer over the records already appended."""
    given = {key for p in inputs if (key := file_key(p)) is not None}
    records = os.path.realpath(jsonl) if jsonl is not None else None
    try:
        present = set(os.listdir(folder))
    except OSError:
        present = set()
    for case_id in ids:
        for file in _file_names(case_id, suffix):
            path = folder / file
            if file in present:  # found only when that case finished otherwise, its answer lost
                refuse_unwritable(path, "it is where a case's file goes: move it, or give -o another folder")
            if not given and records is None:
                continue
            if records is not None and os.path.realpath(path) == records:
                raise InputError("is also the --jsonl file; give --jsonl a file outside the -o folder's answers", path=str(path))
            if given and file_key(path) in given:
                raise InputError("is also an input; give -o another folder, where the answers cannot replace the inputs", path=str(path))


def _refuse_recording_folders(folder: Path, ids: list[str], suffix: str, settings: Settings) -> None:
    """With ``--cache-dir`` the ``-o`` folder, each case's recordings go in a folder named like
    it: a case's answer named like another case's recording folder (``a`` answered as
    ``a.json`` beside the recordings of case ``a.json``) could not be written after its paid
    call. Refused before any request."""
    if getattr(settings, "cache", "off") not in ("auto", "record") or os.path.realpath(folder) != os.path.realpath(settings.cache_dir):
        return
    folders = {safe_name(i) for i in ids}
    for case_id in ids:
        for file in _file_names(case_id, suffix):
            if file in folders:
                raise InputError(
                    "is where another case's recordings go, since --cache-dir is the -o folder; give --cache-dir a folder of its own",
                    path=str(folder / file),
                )


class Outputs:
    def __init__(
        self, *, fmt: str, folder: Path | None, jsonl: Path | None, jsonl_stdout: bool, annotate: bool, single: bool, settings: Settings,
        ids: Iterable[str] = (), inputs: Iterable[Path] = (),
    ) -> None:
        """``ids`` and ``inputs``: the run's case ids and input files, so that an answer that
        would replace an input is refused here, before any request, not after it."""
        from .reports import get_format

        self.form = get_format(fmt)
        if folder is not None:
            make_folder(folder, "-o")
            refuse_unwritable_folder(folder, "check its permissions, or give -o another folder")
            ids = list(ids)
            _refuse_inputs(folder, ids, inputs, self.form.suffix, jsonl)
            _refuse_recording_folders(folder, ids, self.form.suffix, settings)
        self.fmt, self.folder, self.annotate, self.single, self.settings = fmt, folder, annotate, single, settings
        self.jsonl_stdout = jsonl_stdout
        self.appender = Appender(jsonl) if jsonl is not None else None
        self.to_stdout = folder is None and not jsonl_stdout and (jsonl is None or single)
        self.written: dict[str, Path] = {}

    def text(self, result: Result) -> str:
        text = self.form.case(result)
        if self.annotate and self.fmt == "md" and result.answer is not None:
            # an HTML comment ends at the first `--` (`-->`, `--!>`): an id holding one must not end
            # it, or the rest of the id is live HTML in the published answer
            shown = terminal_line(re.sub(r"-(?=-)", r"\\u002d", result.case_id))
            return f"<!-- cnaps-llm: {shown} {result.status} after {len(result.attempts)} attempt(s) -->\n" + text
        return text

    def landed(self, result: Result) -> None:
        if self.appender is not None:
            self.appender(result)
        if self.jsonl_stdout:
            _print(record_json(result, indent=None) + "\n")
            sys.stdout.flush()
        if self.folder is not None:
            path = case_file(self.folder, result, self.form.suffix)
            atomic_write(path, self.text(result))
            self.written[result.case_id] = path

    def close(self) -> None:
        if self.appender is not None:
            self.appender.close()

    def finish(self, results: list[Result]) -> None:
        """Print what goes to stdout, and one summary line per case on stderr."""
        from .reports import summary_line

        if self.to_stdout and results:
            if self.fmt == "json" and not self.single:  # one document: an array of records
                _print(json.dumps([redact_obj(r.model_dump(mode="json")) for r in results], indent=2, ensure_ascii=False) + "\n")
            elif self.fmt == "md":
                _print("\n---\n\n".join(self.text(r) for r in results))
            else:
                _print(self.form.run(results, None))
        for r in results:
            line = summary_line(r)
            path = self.written.get(r.case_id)
            if path is not None:
                kept = path.with_name(_file_names(r.case_id, self.form.suffix)[0]) if r.status == "failed" else None
                line += f"; wrote {path}" + (f" (kept {kept.name})" if kept is not None and kept.exists() else "")
            if r.attempts and all(a.replayed for a in r.attempts):
                line += "; replayed from recorded responses, no model was called"
            sys.stderr.write(terminal_line(encodable(line)) + "\n")
