"""Hostile input files: deep JSON, huge numbers, degenerate lines, floods of sources, big JSONL.

Each test states what the reader must answer; the few time bounds are generous (the
quadratic patterns these guard against took hours on the same 1 MB inputs).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from cnaps_llm.errors import InputError
from cnaps_llm.inputs import case_from_object, iter_cases, load_case, parse_prompt_text

from .test_robustness import _peak_rss_mb

MB = 1024 * 1024
DEEP = "[" * 100_000
_REC = [{"name": "X-Net", "paper": "https://arxiv.org/abs/2401.00001"}]
_GOOD = json.dumps({"question": "Q?", "recommended": _REC})
_NESTED = "not valid JSON (nested too deeply: a case is a few levels deep)"


@pytest.mark.parametrize(
    "name,content",
    [("deep.json", DEEP), ("deep.txt", '{"a":' * 100_000), ("list.json", "[" + DEEP + "]" * 10)],
    ids=["array", "object-sniffed", "in-a-list"],
)
def test_deeply_nested_json_file_is_one_clear_error(tmp_path: Path, name: str, content: str) -> None:
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    assert [str(e) for e in iter_cases(p)] == [f"{p}: {_NESTED}"]


def test_deeply_nested_jsonl_line_is_its_error_and_the_next_line_is_read(tmp_path: Path) -> None:
    p = tmp_path / "set.jsonl"
    p.write_text(f"{_GOOD}\n{DEEP}\n{_GOOD}\n", encoding="utf-8")
    out = list(iter_cases(p))
    assert [getattr(o, "id", None) for o in out] == ["set-1", None, "set-3"]
    assert str(out[1]) == f"{p}:2: {_NESTED}; write one JSON object per line"


def test_nested_values_inside_a_case_are_errors_not_crashes() -> None:
    deep = json.loads("[" * 500 + "]" * 500)  # as deep as a caller's own json.loads lets through
    for obj in ({"id": deep, "question": "Q?", "recommended": _REC}, {"question": "Q?", "recommended": [{"name": "X", "role": deep}]},
                {"question": "Q?", "recommended": _REC, "expect": {"must_cite": deep}}):
        with pytest.raises(InputError):
            case_from_object(obj, default_id="x")


def test_a_number_too_long_to_convert_is_an_input_error(tmp_path: Path) -> None:
    p = tmp_path / "n.jsonl"
    p.write_text('{"id": ' + "1" * 5000 + "}\n", encoding="utf-8")
    (err,) = iter_cases(p)
    assert str(err) == f"{p}:1: not valid JSON (a number of more than 4300 digits); write one JSON object per line"


def test_jsonl_is_streamed_not_read_whole(tmp_path: Path) -> None:
    p = tmp_path / "big.jsonl"
    with open(p, "w", encoding="utf-8") as fh:
        fh.write(_GOOD + "\n")
        for _ in range(96):
            fh.write((" " * (MB - 1)) + "\n")  # 96 MB of blank lines
        fh.write(_GOOD + "\n")
    code, rss, err = _peak_rss_mb(
        f"from cnaps_llm.inputs import iter_cases\nprint([c.id for c in iter_cases({str(p)!r})])"
    )
    assert code == 0, err
    assert rss < 80, rss  # whole, the file alone is 96 MB of bytes and as much again decoded


def test_over_long_jsonl_line_is_skipped_unheld_and_the_rest_read(tmp_path: Path) -> None:
    p = tmp_path / "long.jsonl"
    with open(p, "w", encoding="utf-8") as fh:
        fh.write('{"question": "' + "a" * (20 * MB) + '"}\n' + _GOOD + "\n")
    out = list(iter_cases(p))
    assert str(out[0]) == f"{p}:1: line is longer than 8 MB; one case per line, split it"
    assert [getattr(o, "id", None) for o in out] == [None, "long-2"]


def test_jsonl_over_the_dataset_limit_is_refused_unread(tmp_path: Path) -> None:
    p = tmp_path / "huge.jsonl"
    with open(p, "wb") as fh:
        fh.truncate(300 * MB)  # sparse: no disk, and nothing to read if it is refused by size
    assert [str(e) for e in iter_cases(p)] == [f"{p}: file is larger than 256 MB; split it into smaller files"]


HEAD = 'A user asks:\n"Q?"\n### Recommended AI Models:\nModel: X\n'
_UNEXPECTED = "unexpected line in the sources block: {!r}; use `Model:`, `Paper:`, `GitHub:` or `Summary:` lines"
# (text, the outcome): each shape drove one of the line patterns quadratic (or worse) before
DEGENERATE = {
    "spaces-then-x": (HEAD + " " * MB + "x\n", "<input>:5: " + _UNEXPECTED.format("x")),
    "key-then-spaces": (HEAD + "a: b" + " " * MB + "c\n", "<input>:5: " + _UNEXPECTED.format(("a: b" + " " * MB)[:60])),
    "bullet-then-spaces": (HEAD + "- a" + " " * MB + "b\n", "ok"),
    "title-then-spaces": (HEAD + "### related papers" + " " * MB + "x\n", "<input>:5: " + _UNEXPECTED.format(("### related papers" + " " * MB)[:60])),
    "link-of-dots": (HEAD + "Paper: https://" + "a." * (MB // 2) + " x\n",
                     "<input>:5: `Paper:` link " + repr(("https://" + "a." * 40)[:80]) + " is not an http(s) URL; write it as https://…"),
    "hash-answer": (HEAD + "#" + " " * MB + "answerx\n", "<input>:5: " + _UNEXPECTED.format(("#" + " " * MB)[:60])),
    "one-punctuation": (HEAD + "." * MB + "\n", "<input>:5: " + _UNEXPECTED.format("." * 60)),
    "colons": (HEAD + ":" * MB + "\n", "<input>:5: " + _UNEXPECTED.format(":" * 60)),
    "stars": (HEAD + "*" * MB + "\n", "<input>:5: " + _UNEXPECTED.format("*" * 60)),
    "empty-quoted-question": ('A user asks:\n"\n' + "#\n" * MB, "<input>: no question found; add a line `A user has asked the following question:` followed by the question in quotes"),
    "question-lines": ("Question:\n#\n\n" * (MB // 12), "<input>: no question found; add a line `A user has asked the following question:` followed by the question in quotes"),
    "million-models": (HEAD + "Model: a\n" * 1_000_000, "<input>:204: more than 200 sources; at most 200 per case: split the case or fix the export"),
    "million-bullets": (HEAD + "- **a**\n" * 1_000_000, "<input>:204: more than 200 sources; at most 200 per case: split the case or fix the export"),
}


@pytest.mark.parametrize("shape", sorted(DEGENERATE))
def test_degenerate_prompt_text_is_read_in_linear_time(shape: str) -> None:
    text, outcome = DEGENERATE[shape]
    start = time.perf_counter()
    try:
        parse_prompt_text(text, case_id="x")
        got = "ok"
    except InputError as exc:
        got = str(exc)
    elapsed = time.perf_counter() - start
    assert got == outcome
    assert elapsed < 5, elapsed


def test_sources_over_the_limit_in_json_are_counted_before_reading_them(tmp_path: Path) -> None:
    p = tmp_path / "many.json"
    p.write_text(json.dumps({"question": "Q?", "recommended": [{"name": f"M{i}"} for i in range(150)],
                             "related": [{"name": f"P{i}", "paper": 1} for i in range(150)]}), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_case(p)
    assert str(err.value) == f"{p}: 300 sources; at most 200 per case: split the case or fix the export"


def test_directory_given_as_jsonl_is_a_clear_error(tmp_path: Path) -> None:
    d = tmp_path / "set.jsonl"
    os.mkdir(d)
    assert [str(e) for e in iter_cases(d)] == [f"{d}: is a directory, not a prompt file; pass prompt files (.txt, .md, .json, .jsonl) or a folder holding some"]


def test_path_with_a_nul_is_an_input_error() -> None:
    for name in ("a\0b.txt", "a\0b.jsonl"):
        assert [str(e) for e in iter_cases(name)] == ["a\\0b" + name[3:] + ": the path holds a NUL character; check it"]
