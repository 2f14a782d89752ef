"""The Python API (`import cnaps_llm`), its runnable examples, the pytest helper and the
promptfoo assertion, all on the bundled examples, which replay offline."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import cnaps_llm
from cnaps_llm.promptfoo import get_assert
from cnaps_llm.resources import examples
from cnaps_llm.testing import assert_grounded

from .conftest import FIXTURES, ROOT, SEEDS

EXAMPLES = ROOT / "examples"
ANSWER_003 = (FIXTURES / "answers" / "003_grounded.md").read_text(encoding="utf-8")
INVENTED = ANSWER_003 + "\nSee https://example.com/made-up and Real-ESRGAN.\n"
URL_MESSAGE = "The link https://example.com/made-up is not in the provided sources; cite only the exact links given with the sources."
MODEL_MESSAGE = '"Real-ESRGAN" is not among the provided models or papers; do not mention models, methods or datasets the sources do not name.'


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CNAPS_", "OPENAI_"))}
    env.update(PYTHONPATH=str(ROOT), CNAPS_CACHE_DIR=str(tmp_path / "cache"))
    return env


def test_importing_the_package_loads_nothing_heavy(tmp_path: Path) -> None:
    code = ("import sys, cnaps_llm; heavy = {'pydantic', 'openai', 'tiktoken', 'jinja2', 'typer', 'rich'};"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy | {'cnaps_llm'}))")
    out = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path), cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout == "['cnaps_llm']\n"
    assert set(cnaps_llm.__all__) <= set(dir(cnaps_llm))
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        cnaps_llm.nothing  # noqa: B018


def test_load_case_from_a_path_text_json_a_dict_or_a_case() -> None:
    path = SEEDS["003"]
    from_path = cnaps_llm.load_case(path)
    assert from_path.id == path.stem and cnaps_llm.load_case(str(path)) == from_path
    text = path.read_text(encoding="utf-8")
    assert cnaps_llm.load_case(text, id=path.stem) == from_path
    assert cnaps_llm.load_case(text).id == "case"
    assert cnaps_llm.load_case({"prompt": text}, id=path.stem) == from_path
    structured = from_path.model_dump(mode="json", exclude_none=True)
    assert cnaps_llm.load_case(structured) == from_path and cnaps_llm.load_case(json.dumps(structured)) == from_path
    assert cnaps_llm.load_case(from_path) is from_path and cnaps_llm.load_case(from_path, id="x").id == "x"
    with pytest.raises(cnaps_llm.InputError, match=r"^nope\.txt: file not found"):
        cnaps_llm.load_case("nope.txt")
    with pytest.raises(cnaps_llm.InputError, match=r"^<input>: cannot read a case from a int; pass a path"):
        cnaps_llm.load_case(42)  # type: ignore[arg-type]
    with pytest.raises(cnaps_llm.InputError, match="control character"):
        cnaps_llm.load_case(from_path, id="a\x1bb")


def test_check_is_the_validator() -> None:
    case = cnaps_llm.load_case(SEEDS["003"])
    assert cnaps_llm.check(ANSWER_003, case) == [] and cnaps_llm.check(ANSWER_003, SEEDS["003"]) == []
    found = cnaps_llm.check(INVENTED, case)
    assert [(v.kind, v.text, v.line, v.message, v.severity) for v in found] == [
        ("url", "https://example.com/made-up", 24, URL_MESSAGE, "error"),
        ("model", "Real-ESRGAN", 24, MODEL_MESSAGE, "error"),
    ]
    assert [v.kind for v in cnaps_llm.check(INVENTED, case, kinds="url")] == ["url"]
    warned = cnaps_llm.check(INVENTED, case, kinds=["url", "model"], warn=["model"])
    assert [(v.kind, v.severity) for v in warned] == [("url", "error"), ("model", "warn")]
    assert cnaps_llm.is_grounded(cnaps_llm.check(INVENTED, case, warn="url,model"))
    with pytest.raises(cnaps_llm.ConfigError, match='unknown check kind "ulr"; did you mean "url"'):
        cnaps_llm.check(INVENTED, case, kinds="ulr")


def test_generate_and_agenerate_replay_the_bundled_example() -> None:
    result = cnaps_llm.generate(examples("003")[0])
    assert isinstance(result, cnaps_llm.Result)
    assert (result.status, len(result.attempts), [v.kind for v in result.attempts[0].violations]) == ("grounded", 2, ["task", "evidence", "model", "evidence", "number", "evidence", "evidence"])
    assert all(a.replayed for a in result.attempts) and cnaps_llm.check(result.answer, examples("003")[0]) == []
    again = asyncio.run(cnaps_llm.agenerate(examples("003")[0], settings={"cache": "replay"}))
    assert again.answer == result.answer

    async def inside_a_loop() -> None:
        cnaps_llm.generate(examples("003")[0])

    with pytest.raises(cnaps_llm.ConfigError, match=r"use `await cnaps_llm.agenerate\(...\)` there"):
        asyncio.run(inside_a_loop())
    with pytest.raises(cnaps_llm.ConfigError, match="setting `max_attempts`"):
        cnaps_llm.generate(examples("003")[0], settings={"max_attempts": 0})


def test_generate_without_a_recording_or_a_server_says_so(tmp_path: Path) -> None:
    case = {"id": "new", "question": "How does M work?", "recommended": [{"name": "M", "paper": "https://e.example/m"}]}
    result = cnaps_llm.generate(case)
    assert (result.status, result.error_kind) == ("failed", "no_recording")
    assert "no model server is configured" in (result.error or "")


def test_evaluate_a_dataset_or_a_list() -> None:
    report = cnaps_llm.evaluate(FIXTURES / "prompts", thresholds={"min_first_pass_rate": 0.9})
    assert isinstance(report, cnaps_llm.Report)
    assert (report.metrics.cases, report.metrics.grounded_rate, report.metrics.first_pass_rate) == (12, 1.0, 0.5)
    assert (report.passed, report.missed) == (False, ["first-pass rate 0.5 is below the minimum 0.9"])
    two = cnaps_llm.evaluate([SEEDS["003"], SEEDS["004"].read_text(encoding="utf-8")], concurrency=1)
    # text gets the id `case`, which has no recording: the run says so, and fails on it
    assert [r.case_id for r in two.results] == [SEEDS["003"].stem, "case"] and two.failed_cases == ["case"]
    assert cnaps_llm.evaluate([cnaps_llm.load_case(SEEDS["004"])], thresholds=cnaps_llm.Thresholds()).passed
    with pytest.raises(cnaps_llm.ConfigError, match="threshold min_grounded_rat"):
        cnaps_llm.evaluate(FIXTURES / "prompts", thresholds={"min_grounded_rat": 1})
    with pytest.raises(cnaps_llm.InputError, match="holds no cases"):
        cnaps_llm.evaluate([])


def test_the_api_example_runs(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(EXAMPLES / "api_example.py")], env=_env(tmp_path), cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout == (
        "case 003_1ea1203c459ef3cc: 4 sources\n"
        "grounded after 2 attempt(s)\n"
        "  attempt 1 rejected: [task] 'video generation'\n"
        "  attempt 1 rejected: [evidence] 'improves'\n"
        "  attempt 1 rejected: [model] 'PSNR'\n"
        "  attempt 1 rejected: [evidence] 'PSNR'\n"
        "  attempt 1 rejected: [number] '2.1 dB'\n"
        "  attempt 1 rejected: [evidence] '2.1'\n"
        "  attempt 1 rejected: [evidence] 'a frequency-aware Degradation estimation transformer (Dformer)'\n"
        "invented: line 32 [url] 'https://example.com/super-model': The link https://example.com/super-model is not in the "
        "provided sources; cite only the exact links given with the sources.\n"
        "eval: 12 cases, grounded 100%, first pass 50%, mean attempts 1.50; passed\n"
    )


# --------------------------------------------------------------------------- pytest


def test_assert_grounded() -> None:
    assert assert_grounded(ANSWER_003, SEEDS["003"]) == []
    with pytest.raises(AssertionError) as failed:
        assert_grounded(INVENTED, SEEDS["003"])
    assert str(failed.value) == (
        "answer is not grounded in case '003_1ea1203c459ef3cc': 2 violation(s)\n"
        f"  line 24 [url] 'https://example.com/made-up': {URL_MESSAGE}\n"
        f"  line 24 [model] 'Real-ESRGAN': {MODEL_MESSAGE}"
    )
    warnings = assert_grounded(INVENTED, SEEDS["003"], warn=["url", "model"])
    assert [(v.kind, v.severity) for v in warnings] == [("url", "warn"), ("model", "warn")]


def test_the_pytest_example_runs(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLES / "pytest")],
                         env=_env(tmp_path), cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:]
    assert out.stdout.splitlines()[-1].startswith("6 passed")


# --------------------------------------------------------------------------- promptfoo


def test_promptfoo_assertion_passes_fails_and_explains() -> None:
    prompt = SEEDS["003"].read_text(encoding="utf-8")
    context = {"prompt": "…", "vars": {"case": prompt, "question": "q"}, "test": {}, "config": None}
    assert get_assert(ANSWER_003, context) == {"pass": True, "score": 1.0, "reason": "grounded in case 'case'"}
    assert get_assert(INVENTED, {"vars": {"case": str(SEEDS["003"])}}) == {
        "pass": False, "score": 0.0,
        "reason": ("not grounded in case '003_1ea1203c459ef3cc': 2 violation(s)\n"
                   f"  line 24 [url] 'https://example.com/made-up': {URL_MESSAGE}\n  line 24 [model] 'Real-ESRGAN': {MODEL_MESSAGE}"),
    }
    warned = get_assert(INVENTED, {"vars": {"prompt_file": prompt}, "config": {"case_var": "prompt_file", "warn": ["model"], "kinds": "url,model"}})
    assert (warned["pass"], warned["reason"].splitlines()[0]) == (False, "not grounded in case 'case': 1 violation(s)")
    assert "[model, warning] 'Real-ESRGAN'" in warned["reason"]
    assert get_assert(ANSWER_003, {"vars": {"q": "x"}}) == {"pass": False, "score": 0.0, "reason": (
        "cnaps-llm: the test has no var 'case' holding the case (vars: q); add `case: file://path/to/prompt.txt` "
        "to the test's vars, or set config.case_var")}
    assert get_assert(ANSWER_003, {"vars": {"case": "nope.txt"}})["reason"] == "cnaps-llm: nope.txt: file not found; check the path"
    structured = cnaps_llm.load_case(SEEDS["003"]).model_dump(mode="json", exclude_none=True)
    assert get_assert(ANSWER_003, {"vars": {"case": structured}})["pass"] is True  # a JSON var arrives parsed
    assert get_assert({"answer": "https://example.com/made-up"}, {"vars": {"case": structured}})["pass"] is False


def _promptfoo_var(value: object, base: Path) -> object:
    """A var as promptfoo passes it: `file://` text files are read (JSON/YAML parsed), relative to the config."""
    if isinstance(value, str) and value.startswith("file://"):
        path = base / value.removeprefix("file://")
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else text
    return value


def test_the_promptfoo_example_as_promptfoo_runs_it() -> None:
    folder = EXAMPLES / "promptfoo"
    config = yaml.safe_load((folder / "promptfooconfig.yaml").read_text())
    assert config["providers"] == ["echo"] and config["prompts"] == ["{{answer}}"]
    [assertion] = config["defaultTest"]["assert"]
    assert (assertion["type"], assertion["value"]) == ("python", "file://grounded.py:get_assert")
    file, function = assertion["value"].removeprefix("file://").split(":")
    # promptfoo imports the file by path, with its folder on sys.path, and calls the function by name
    spec = importlib.util.spec_from_file_location("grounded", folder / file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert len(config["tests"]) == 2
    for test in config["tests"]:
        variables = {k: _promptfoo_var(v, folder) for k, v in test["vars"].items()}
        output = variables["answer"]  # the echo provider returns the prompt, which is the answer
        context = {"prompt": output, "vars": variables, "test": test, "config": assertion.get("config")}
        graded = getattr(module, function)(output, context)
        assert graded == {"pass": True, "score": 1.0, "reason": "grounded in case 'case'"}, test["description"]
        bad = getattr(module, function)(output + "\nSee https://example.com/made-up.\n", context)
        assert (bad["pass"], bad["score"]) == (False, 0.0) and "[url] 'https://example.com/made-up'" in bad["reason"]
