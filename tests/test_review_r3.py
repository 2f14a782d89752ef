"""Defects found reviewing the lazy command table and the kept tables (against 0fcef0c)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cnaps_llm.grounding import kept


def test_a_mistyped_command_is_still_given_its_likely_name(run_cli) -> None:  # type: ignore[no-untyped-def]
    # at 0fcef0c: "Error: No such command 'chek'. Did you mean 'check'?" (exit 2); the lazy
    # root group suggests from the commands built so far, which is none of them
    for typo, meant in (("chek", "check"), ("genrate", "generate"), ("evl", "eval")):
        result = run_cli(typo)
        assert result.code == 2
        assert f"Error: No such command '{typo}'. Did you mean '{meant}'?" in result.err


def test_a_word_list_of_another_version_with_the_same_size_and_time_changes_the_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # installs that fix every file's time (Nix: 1 s after the epoch; tar, cp -p, rsync -a,
    # Docker COPY keep the packager's) give two releases the same times; a word-list fix
    # of the same length ("SwinIR" -> "MIRNet") must still not reuse the old tables
    data = tmp_path / "cnaps_llm" / "data"
    here = tmp_path / "cnaps_llm" / "grounding"
    (here / "rules").mkdir(parents=True)
    data.mkdir()
    models = data / "models.txt"
    models.write_text("SwinIR\n", encoding="utf-8")
    os.utime(models, ns=(1_000_000_000, 1_000_000_000))
    monkeypatch.setattr(kept, "__file__", str(here / "kept.py"))
    before = kept.stamp()
    models.write_text("MIRNet\n", encoding="utf-8")
    os.utime(models, ns=(1_000_000_000, 1_000_000_000))
    assert kept.stamp() != before
