"""Choosing rules: which kinds run, which only warn, and rules from other installed packages."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from cnaps_llm.errors import ConfigError
from cnaps_llm.grounding import RULES, Rule, View, check, clear_caches, is_grounded, known_kinds, rule_table
from cnaps_llm.inputs import load_case, read_text
from cnaps_llm.models import Violation

from .conftest import FIXTURES, SEEDS


@pytest.fixture(scope="module")
def case():
    return load_case(SEEDS["003"])


@pytest.fixture(scope="module")
def planted() -> str:
    """Seed 003's grounded answer with one violation of each located kind: an outside model,
    figure and task on line 10, and on line 19 a link whose path holds an outside name."""
    text = read_text(FIXTURES / "answers" / "003_grounded.md")
    text = text.replace("here in its denoising variant", "here in its denoising variant, much like BM3D at 32.5 dB; it also does object tracking", 1)
    return text.replace("code https://github.com/JingyunLiang/SwinIR", "code https://github.com/FooBar/BM3D-v9", 1)


def summary(violations: list[Violation]) -> list[tuple[str, str, int, str]]:
    return [(v.kind, v.text, v.line, v.severity) for v in violations]


ALL_FOUR = [
    ("model", "BM3D", 10, "error"),
    ("number", "32.5 dB", 10, "error"),
    ("task", "object tracking", 10, "error"),
    ("url", "https://github.com/FooBar/BM3D-v9", 19, "error"),
]


def test_every_kind_runs_by_default(case, planted: str) -> None:
    assert summary(check(planted, case)) == ALL_FOUR
    assert known_kinds() == ("url", "model", "task", "number", "structure", "attribution", "venue", "author", "claim", "quality", "evidence")


def test_kinds_limit_the_rules_that_run(case, planted: str) -> None:
    assert summary(check(planted, case, kinds=["url", "number"])) == [ALL_FOUR[1], ALL_FOUR[3]]
    assert summary(check(planted, case, kinds="task")) == [ALL_FOUR[2]]
    assert check(planted, case, kinds=[]) == []


def test_links_are_masked_even_when_their_rule_is_not_chosen(case, planted: str) -> None:
    # "BM3D" in the link's path is not a second model claim on line 19
    assert summary(check(planted, case, kinds=["model"])) == [ALL_FOUR[0]]


def test_warned_kinds_are_reported_and_do_not_make_the_answer_ungrounded(case, planted: str) -> None:
    warned = check(planted, case, warn=["number", "task"])
    assert summary(warned) == [
        ("model", "BM3D", 10, "error"),
        ("number", "32.5 dB", 10, "warn"),
        ("task", "object tracking", 10, "warn"),
        ("url", "https://github.com/FooBar/BM3D-v9", 19, "error"),
    ]
    assert not is_grounded(warned)
    only_warnings = check(planted, case, kinds=["number", "task"], warn=["number", "task"])
    assert [v.severity for v in only_warnings] == ["warn", "warn"] and is_grounded(only_warnings)
    assert is_grounded([]) and not is_grounded(check(planted, case, kinds=["task"]))


@pytest.mark.parametrize(
    ("kinds", "warn", "message"),
    [
        (["urls"], (), 'unknown check kind "urls"; did you mean "url"? (known: url, model, task, number, structure, attribution, venue, author, claim, quality, evidence)'),
        (["url"], ["nmber"], 'unknown check kind "nmber"; did you mean "number"? (known: url, model, task, number, structure, attribution, venue, author, claim, quality, evidence)'),
        (["zzz"], (), 'unknown check kind "zzz"; use one of url, model, task, number, structure, attribution, venue, author, claim, quality, evidence, or install the package that provides it'),
    ],
)
def test_unknown_kinds_are_refused_with_a_suggestion(case, kinds, warn, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        check("text", case, kinds=kinds, warn=warn)
    assert str(err.value) == message


def test_the_built_in_kinds_never_scan_installed_packages(case, planted: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**_: object) -> None:
        raise AssertionError("entry points scanned")

    monkeypatch.setattr(importlib.metadata, "entry_points", refuse)
    clear_caches(indexes=False)
    assert summary(check(planted, case, kinds=["model", "url"], warn=["url"])) == [ALL_FOUR[0], (*ALL_FOUR[3][:3], "warn")]
    assert summary(check(planted, case)) == ALL_FOUR


def test_kinds_are_lower_case_identifiers() -> None:
    assert Violation(kind="my_rule2", text="x", line=1, message="m").severity == "error"
    for bad in ("Model", "2fast", "my-rule", ""):
        with pytest.raises(ValidationError):
            Violation(kind=bad, text="x", line=1, message="m")
        with pytest.raises(ConfigError):
            Rule(bad, lambda view, g: ())
    with pytest.raises(ValidationError):
        Violation(kind="url", text="x", line=1, message="m", severity="info")
    with pytest.raises(ConfigError):
        rule_table(*RULES, "structure")  # type: ignore[arg-type]


def test_a_view_blanks_spans_and_keeps_the_answer() -> None:
    view = View("see https://x.org/a and BM3D")
    assert view.links == ((4, 19, "https://x.org/a"),)
    masked = view.blanked([(4, 19)])
    assert (masked.answer, masked.text) == ("see https://x.org/a and BM3D", "see " + " " * 15 + " and BM3D")
    assert view.blanked([]) is view


# --------------------------------------------------------------------------- rules from other packages

TOY_RULE = '''
"""A rule from another package: flags the word "toy"."""

import re

from cnaps_llm.grounding import Finding, Rule


def find(view, grounding):
    for m in re.finditer(r"\\btoy\\b", view.text):
        yield Finding(m.start(), m.group(), 'Say what the model is, not "toy".')


RULE = Rule("toy", find)
'''

TOY_PYPROJECT = '''
[build-system]
requires = []
build-backend = "toy_backend"
backend-path = ["."]

[project]
name = "cnaps-toy-rule"
version = "0.1"

[project.entry-points."cnaps_llm.rules"]
toy = "cnaps_toy_rule:RULE"
'''

# setuptools before 70.1 builds wheels only with the `wheel` package, which need not be
# installed: the toy package brings its own few-line build backend instead
TOY_BACKEND = '''
import base64, hashlib, zipfile
from pathlib import Path

DIST = "cnaps_toy_rule-0.1.dist-info"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = {
        "cnaps_toy_rule.py": Path("cnaps_toy_rule.py").read_bytes(),
        DIST + "/METADATA": b"Metadata-Version: 2.1\\nName: cnaps-toy-rule\\nVersion: 0.1\\n",
        DIST + "/WHEEL": b"Wheel-Version: 1.0\\nGenerator: toy\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
        # what setuptools writes for the pyproject's [project.entry-points."cnaps_llm.rules"]
        DIST + "/entry_points.txt": b"[cnaps_llm.rules]\\ntoy = cnaps_toy_rule:RULE\\n",
    }
    name = "cnaps_toy_rule-0.1-py3-none-any.whl"
    with zipfile.ZipFile(Path(wheel_directory) / name, "w") as whl:
        record = []
        for path, data in files.items():
            whl.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
        whl.writestr(DIST + "/RECORD", "\\n".join([*record, DIST + "/RECORD,,"]) + "\\n")
    return name
'''


@pytest.fixture
def toy_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pkg, target = tmp_path / "pkg", tmp_path / "site"
    pkg.mkdir()
    for name, text in {"pyproject.toml": TOY_PYPROJECT, "cnaps_toy_rule.py": TOY_RULE, "toy_backend.py": TOY_BACKEND}.items():
        (pkg / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "--target", str(target), str(pkg)]
    proc = subprocess.run(pip, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    monkeypatch.syspath_prepend(str(target))
    clear_caches(indexes=False)
    yield
    clear_caches(indexes=False)
    sys.modules.pop("cnaps_toy_rule", None)


def test_a_rule_from_an_installed_package_runs_when_its_kind_is_named(case, planted: str, toy_installed: None) -> None:
    text = planted.replace("**Input:** a degraded photo.", "**Input:** a degraded toy photo.")
    toy = ("toy", "toy", 7, "error")
    assert "toy" in known_kinds()
    assert summary(check(text, case)) == ALL_FOUR  # not named: not run
    assert summary(check(text, case, kinds=["url", "toy"])) == [toy, ALL_FOUR[3]]
    assert summary(check(text, case, kinds=[*known_kinds()], warn=["toy"])) == [(*toy[:3], "warn"), *ALL_FOUR]
    assert check(text, case, kinds=["toy"])[0].message == 'Say what the model is, not "toy".'
    with pytest.raises(ConfigError, match='did you mean "toy"'):
        check(text, case, kinds=["toys"])
