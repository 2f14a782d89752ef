"""Installed as users install it: a built wheel in a fresh venv, and pipx, used from another directory.

These build and install the package for real (pip resolves the dependencies from the
configured index), so they take a minute or two; `.ci/run` runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, SEEDS

pytestmark = pytest.mark.install


def _sh(*cmd: str | Path, cwd: Path, env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_every_package_is_listed_for_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "cnaps_llm").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # build from a copy, so the test never leaves build/ or *.egg-info in the checkout
    src = out / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", ".venv"))
    res = _sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, src, cwd=out, env=dict(os.environ))
    assert res.returncode == 0, res.stderr[-3000:]
    return next(out.glob("cnaps_llm-*.whl"))


def _user_env(home: Path, bindir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CNAPS_", "OPENAI_", "PYTHON"))}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), PATH=f"{bindir}{os.pathsep}{env.get('PATH', '')}", NO_COLOR="1")
    return env


def _use_like_a_user(cli: Path, work: Path, env: dict[str, str], package_dir: Path) -> None:
    before = sorted(p for p in package_dir.rglob("*") if "__pycache__" not in p.parts)
    res = _sh(cli, "--version", cwd=work, env=env)
    assert res.returncode == 0 and res.stdout.startswith("cnaps-llm "), res.stderr
    # the README's first command, by a name that needs no clone
    res = _sh(cli, "generate", "--example", "003", cwd=work, env=env)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("## 1. The task") and "replayed from recorded responses" in res.stderr
    res = _sh(cli, "prompt", "--example", "003", cwd=work, env=env)
    assert res.returncode == 0 and "===== system" in res.stdout, res.stderr
    answer = work / "answer.md"
    answer.write_text((FIXTURES / "answers" / "003_grounded.md").read_text())
    res = _sh(cli, "check", f"example:{SEEDS['003'].name[:3]}", answer, cwd=work, env=env)
    assert res.returncode == 0 and "grounded" in res.stdout, res.stdout + res.stderr
    res = _sh(cli, "eval", "--example", "all", "--junit", work / "eval.xml", cwd=work, env=env)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    assert "grounded rate | 100.0%" in res.stdout and (work / "eval.xml").is_file()
    # nothing was written into the installed package, nor anywhere in the working directory but what was asked
    after = sorted(p for p in package_dir.rglob("*") if "__pycache__" not in p.parts)
    assert after == before
    assert sorted(p.name for p in work.iterdir()) == ["answer.md", "eval.xml"]


def test_wheel_in_a_fresh_venv_works_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    res = _sh(sys.executable, "-m", "venv", venv, cwd=tmp_path, env=dict(os.environ))
    assert res.returncode == 0, res.stderr
    py = venv / "bin" / "python"
    res = _sh(py, "-m", "pip", "install", "-q", wheel, cwd=tmp_path, env=dict(os.environ))
    assert res.returncode == 0, res.stderr[-3000:]
    site = Path(_sh(py, "-c", "import cnaps_llm, os; print(os.path.dirname(cnaps_llm.__file__))", cwd=tmp_path, env={}).stdout.strip())
    assert site.is_relative_to(venv), site  # the wheel's copy, not the checkout's
    work = tmp_path / "elsewhere"
    work.mkdir()
    _use_like_a_user(venv / "bin" / "cnaps-llm", work, _user_env(tmp_path / "home", venv / "bin"), site)


@pytest.mark.skipif(shutil.which("pipx") is None and not (Path(sys.executable).parent / "pipx").exists(), reason="pipx is not installed")
def test_pipx_install_works_the_same(wheel: Path, tmp_path: Path) -> None:
    pipx = shutil.which("pipx") or str(Path(sys.executable).parent / "pipx")
    env = _user_env(tmp_path / "home", tmp_path / "bin")
    env.update(PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"), PIPX_MAN_DIR=str(tmp_path / "man"))
    res = _sh(pipx, "install", wheel, cwd=tmp_path, env=env)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    venv_py = next((tmp_path / "pipx" / "venvs").glob("cnaps-llm*/bin/python"))
    site = Path(_sh(venv_py, "-c", "import cnaps_llm, os; print(os.path.dirname(cnaps_llm.__file__))", cwd=tmp_path, env={}).stdout.strip())
    work = tmp_path / "elsewhere"
    work.mkdir()
    _use_like_a_user(tmp_path / "bin" / "cnaps-llm", work, env, site)


def test_generate_from_a_clone_leaves_git_status_unchanged(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    before = _sh("git", "status", "--porcelain", "--ignored", cwd=ROOT, env=dict(os.environ)).stdout
    env = _user_env(tmp_path / "home", Path(sys.executable).parent)
    env.update(PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    res = _sh(sys.executable, "-m", "cnaps_llm.cli", "generate", SEEDS["003"], cwd=ROOT, env=env)
    assert res.returncode == 0, res.stderr
    assert _sh("git", "status", "--porcelain", "--ignored", cwd=ROOT, env=dict(os.environ)).stdout == before
