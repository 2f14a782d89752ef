"""Round 2 of hostile use, as a user runs the installed command: each input here once
ended in a silent success, a traceback-free but wrong ``internal error``, a misleading
message, or a file of the user's overwritten. Each now ends in one clear line and the
documented exit code, before any request where the problem is known before one."""

from __future__ import annotations

import json
from pathlib import Path

from cnaps_llm.errors import BAD_INPUT

from ..conftest import SEEDS
from ..stubserver import Reply, StubServer, grounded_draft

CASE = SEEDS["003"]


def served(run_cli, *args: object):
    """Run ``generate`` against a stub that answers every case with a grounded draft; the
    result and the requests the stub received."""
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("generate", *args, "--base-url", srv.base_url, "--cache", "off")
    return res, srv.requests


# --------------------------------------------------------------------------- inputs


def test_an_empty_folder_is_an_error_not_an_empty_success(run_cli, tmp_path: Path) -> None:
    empty = tmp_path / "prompts"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF")  # not a prompt file: the folder holds none
    for command in ("parse", "generate"):
        res = run_cli(command, empty)
        assert (res.code, res.out) == (BAD_INPUT, ""), (command, res.err)
        assert res.err == f"cnaps-llm: {empty}: is a directory; pass the prompt files inside it\n"
