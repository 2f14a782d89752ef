"""Start-up: what `import cnaps_llm` and the fast commands load (bench/startup.py times them).

Each check runs in a fresh interpreter and compares ``sys.modules`` before and after, so
it holds whatever the interpreter's own start already loaded.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import pytest

from .conftest import FIXTURES, SEEDS

# imported by nothing on the paths below: each costs start-up and none is needed there
NOT_ON_FAST_PATHS = {"openai", "tiktoken", "rich", "jinja2", "platformdirs", "dotenv", "pydantic_settings", "tomllib"}


def _loaded(code: str) -> set[str]:
    """The modules ``code`` adds to ``sys.modules`` (it may raise SystemExit)."""
    script = (
        "import sys\nbefore = set(sys.modules)\ntry:\n"
        + "".join(f"    {line}\n" for line in code.splitlines())
        + "except SystemExit:\n    pass\n"
        "sys.__stdout__.write('loaded: ' + ' '.join(sorted(set(sys.modules) - before)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(proc.stdout.rsplit("loaded: ", 1)[1].split())


def _cli(*args: str) -> str:
    return f"import io; sys.argv = ['cnaps-llm', *{list(args)!r}]; sys.stdout = io.StringIO()\nfrom cnaps_llm.cli import main; main()"


def test_importing_the_package_loads_only_the_package() -> None:
    # not even typing: it would double the cost of `import cnaps_llm`
    assert _loaded("import cnaps_llm") <= {"cnaps_llm", "importlib"}
    assert "typing" not in _loaded("import cnaps_llm.api")


def test_help_loads_no_model_and_no_command_module() -> None:
    loaded = _loaded(_cli("--help"))
    ours = {m for m in loaded if m.startswith("cnaps_llm")}
    # the command modules are typer only; the threshold table names the eval flags
    assert ours == {"cnaps_llm", "cnaps_llm.cli", "cnaps_llm.cli_common", "cnaps_llm.cli_eval", "cnaps_llm.cli_batch", "cnaps_llm.errors", "cnaps_llm.thresholds"}
    assert not {m for m in loaded if m.split(".")[0] in NOT_ON_FAST_PATHS | {"pydantic"}}


def test_check_and_parse_load_only_what_they_use() -> None:
    # run in an empty folder (conftest): no pyproject.toml, so no TOML parser
    check = _loaded(_cli("check", str(SEEDS["003"]), str(FIXTURES / "answers" / "003_grounded.md")))
    parse = _loaded(_cli("parse", str(SEEDS["003"])))
    assert "cnaps_llm.grounding" in check and "cnaps_llm.grounding" not in parse
    for loaded in (check, parse):
        assert not {m for m in loaded if m.split(".")[0] in NOT_ON_FAST_PATHS}
        assert not {m for m in loaded if m.startswith(("cnaps_llm.pipeline", "cnaps_llm.settings", "cnaps_llm.backends", "cnaps_llm.reports"))}
        # only the command named is built: eval's and batch's modules are not even imported
        assert not loaded & {"cnaps_llm.cli_eval", "cnaps_llm.cli_batch"}


def test_models_are_built_when_first_used() -> None:
    code = (
        "from cnaps_llm import models\n"
        "assert not models.Result.__pydantic_complete__ and not models.Case.__pydantic_complete__\n"
        "models.Violation(kind='url', text='x', line=1, message='m')\n"
        "assert models.Violation.__pydantic_complete__ and not models.Result.__pydantic_complete__\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(tuple(int(p) for p in version("typer").split(".")[:2]) >= (0, 29),
                    reason="typer>=0.29 builds pydantic adapters for every option; pyproject pins typer<0.29 (reinstall)")
def test_a_command_help_loads_no_pydantic() -> None:
    loaded = _loaded(_cli("check", "--help"))
    assert "cnaps_llm.cli" in loaded and "pydantic" not in loaded


def test_a_mistyped_command_is_still_given_its_likely_name(run_cli) -> None:  # type: ignore[no-untyped-def]
    # the lazy root group builds every command when a name is not one of them, so that
    # Typer's suggestion sees them all
    for typo, meant in (("chek", "check"), ("genrate", "generate"), ("evl", "eval")):
        result = run_cli(typo)
        assert result.code == 2
        assert f"Error: No such command '{typo}'. Did you mean '{meant}'?" in result.err
