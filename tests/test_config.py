"""`[tool.cnaps-llm]` is read strictly: unknown tables and keys, wrong shapes and a missing
--config file are one-line errors (exit 2) with a suggestion, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnaps_llm.config import CheckOptions, Config, load_config, parse_config
from cnaps_llm.errors import ConfigError
from cnaps_llm.evals import Thresholds
from cnaps_llm.thresholds import BY_NAME, THRESHOLDS

from .conftest import FIXTURES, PROMPTS, SEEDS

CASSETTES = FIXTURES / "cassettes"


def _load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, text)
    return str(info.value).replace(str(tmp_path / "pyproject.toml"), "P")


def test_both_tables_read(tmp_path: Path) -> None:
    cfg = _load(tmp_path, '[tool.cnaps-llm.eval]\nmin_grounded_rate = 1\nmax_mean_attempts = 1.5\n'
                          '[tool.cnaps-llm.check]\nkinds = ["url", "model"]\nwarn = ["number"]\n')
    assert dict(cfg.eval) == {"min_grounded_rate": 1.0, "max_mean_attempts": 1.5}
    assert cfg.check == CheckOptions(kinds=("url", "model"), warn=("number",))


def test_no_file_no_section_and_other_tools_give_defaults(tmp_path: Path) -> None:
    assert load_config() == Config()  # the test runs in an empty folder: no ./pyproject.toml
    assert _load(tmp_path, '[project]\nname = "x"\n[tool.ruff]\nline-length = 100\n') == Config()
    assert dict(Config().eval) == {} and (Config().check.kinds, Config().check.warn) == (None, ())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.cnaps-llm.evl]\nmin_grounded_rate = 1\n",
         "P: unknown table [tool.cnaps-llm.evl]; did you mean [tool.cnaps-llm.eval]? (known: eval, check)"),
        ("[tool.cnaps-llm.chek]\n", "P: unknown table [tool.cnaps-llm.chek]; did you mean [tool.cnaps-llm.check]? (known: eval, check)"),
        ("[tool.cnaps-llm.report]\n", "P: unknown table [tool.cnaps-llm.report] (known: eval, check)"),
        ("[tool.cnaps_llm.eval]\nmin_grounded_rate = 1\n", "P: unknown table [tool.cnaps_llm]; did you mean [tool.cnaps-llm]?"),
        ("[tool.cnaps-llm.eval]\nmin_grounded_rat = 1\n",
         "P: unknown key min_grounded_rat in [tool.cnaps-llm.eval]; did you mean min_grounded_rate? (known: "
         + ", ".join(BY_NAME) + ")"),
        ("[tool.cnaps-llm.check]\nkind = [\"url\"]\n",
         "P: unknown key kind in [tool.cnaps-llm.check]; did you mean kinds? (known: kinds, warn)"),
        ("[tool.cnaps-llm]\neval = 3\n",
         "P: [tool.cnaps-llm] eval = 3 is not a table; write [tool.cnaps-llm.eval] with lines like min_grounded_rate = 0.95"),
        ("[tool.cnaps-llm]\ncheck = [\"url\"]\n",
         '[tool.cnaps-llm] check = ["url"] is not a table; write [tool.cnaps-llm.check] with kinds = ["url", "model"] or warn = ["number"]'),
        ("[tool]\ncnaps-llm = 3\n",
         "P: [tool.cnaps-llm] must be a table holding [tool.cnaps-llm.eval] and [tool.cnaps-llm.check]; got 3"),
        ("[tool.cnaps-llm]\nmin_grounded_rate = 1\n",
         "P: min_grounded_rate belongs under [tool.cnaps-llm.eval], not directly in [tool.cnaps-llm]"),
        ('[tool.cnaps-llm.eval]\nmin_grounded_rate = "high"\n',
         'P: [tool.cnaps-llm.eval] min_grounded_rate = "high" is not a number; write e.g. min_grounded_rate = 0.9'),
        ("[tool.cnaps-llm.eval]\nmin_grounded_rate = true\n",
         "P: [tool.cnaps-llm.eval] min_grounded_rate = true is not a number; write e.g. min_grounded_rate = 0.9"),
        ("[tool.cnaps-llm.eval]\nmin_link_precision = 1.5\n",
         "P: [tool.cnaps-llm.eval] min_link_precision = 1.5: must be between 0 and 1"),
        ("[tool.cnaps-llm.eval]\nmax_mean_attempts = -1\n",
         "P: [tool.cnaps-llm.eval] max_mean_attempts = -1: must be 0 or more"),
        ('[tool.cnaps-llm.check]\nkinds = "url"\n',
         'P: [tool.cnaps-llm.check] kinds = "url" is not a list of strings; write e.g. kinds = ["url", "model"]'),
        ("[tool.cnaps-llm.check]\nwarn = [1]\n",
         'P: [tool.cnaps-llm.check] warn = [1] is not a list of strings; write e.g. warn = ["url", "model"]'),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    assert _error(tmp_path, text).endswith(message)


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    assert _error(tmp_path, "[tool.cnaps-llm.eval\n").startswith("P: not valid TOML (")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.toml")
    assert str(info.value) == f"{tmp_path / 'nope.toml'}: config file not found; check the path given to --config"


def test_parse_config_names_the_file() -> None:
    with pytest.raises(ConfigError, match=r"^ci\.toml: unknown table \[tool\.cnaps-llm\.evl\]"):
        parse_config({"tool": {"cnaps-llm": {"evl": {}}}}, where="ci.toml")


def test_thresholds_model_is_the_declaration() -> None:
    assert list(Thresholds.model_fields) == [t.name for t in THRESHOLDS]
    assert [t.name for t in THRESHOLDS] == [
        "min_grounded_rate", "min_first_pass_rate", "max_mean_attempts", "min_link_precision",
        "min_recommended_coverage", "min_citation_recall", "min_task_accuracy", "min_quality_rate",
    ]
    cfg = parse_config({"tool": {"cnaps-llm": {"eval": {"min_grounded_rate": 0.9, "min_task_accuracy": 1}}}})
    t = Thresholds().override(cfg.eval).override({"min_task_accuracy": None, "max_mean_attempts": 2.0})
    assert t.limits() == {"min_grounded_rate": 0.9, "max_mean_attempts": 2.0, "min_task_accuracy": 1.0}
    with pytest.raises(ConfigError, match=r"^threshold min_task_accuracy: Input should be less than or equal to 1$"):
        t.override({"min_task_accuracy": 2.0})


# --------------------------------------------------------------------------- through the CLI


def test_eval_flags_are_generated_from_the_declaration(run_cli) -> None:
    res = run_cli("eval", "--help")
    assert res.code == 0
    flags = {w for w in res.out.split() if w.startswith(("--min-", "--max-"))}
    assert flags == {t.flag for t in THRESHOLDS} | {"--max-regression"}  # that one goes with --baseline


@pytest.mark.parametrize("command", ["eval", "check"])
def test_bad_config_exits_2_without_traceback(run_cli, tmp_path: Path, command: str) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[tool.cnaps-llm]\neval = 3\n", encoding="utf-8")
    args = [PROMPTS, "--cache-dir", CASSETTES] if command == "eval" else [SEEDS["003"], FIXTURES / "answers" / "003_grounded.md"]
    res = run_cli(command, *args, "--config", cfg)
    assert res.code == 2 and res.out == ""
    assert res.err == (f"cnaps-llm: {cfg}: [tool.cnaps-llm] eval = 3 is not a table; write [tool.cnaps-llm.eval] "
                       "with lines like min_grounded_rate = 0.95\n")
    missing = run_cli(command, *args, "--config", tmp_path / "nope.toml")
    assert (missing.code, missing.err) == (2, f"cnaps-llm: {tmp_path / 'nope.toml'}: config file not found; check the path given to --config\n")


def test_default_config_is_read_from_the_working_directory(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cnaps-llm.eval]\nmin_grounded_rat = 1\n", encoding="utf-8")
    res = run_cli("eval", PROMPTS, "--cache-dir", CASSETTES)
    assert res.code == 2 and "did you mean min_grounded_rate?" in res.err
    (tmp_path / "pyproject.toml").write_text("[tool.cnaps-llm.eval]\nmin_first_pass_rate = 0.9\n", encoding="utf-8")
    res = run_cli("eval", PROMPTS, "--cache-dir", CASSETTES)
    assert res.code == 1 and res.err == "cnaps-llm: threshold missed: first-pass rate 0.5 is below the minimum 0.9\n"
