"""The grounding validator: planted violations are caught, harmless variants pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.grounding.links import canonical
from cnaps_llm.inputs import load_case, read_text

from .conftest import FIXTURES, SEEDS

GROUNDED = {n: FIXTURES / "answers" / f"{n}_grounded.md" for n in SEEDS}


@pytest.fixture(scope="module")
def cases():
    return {n: load_case(p) for n, p in SEEDS.items()}


def kinds(violations) -> list[tuple[str, str]]:
    return [(v.kind, v.text) for v in violations]


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_handwritten_grounded_answers_pass(cases, seed: str) -> None:
    assert check(read_text(GROUNDED[seed]), cases[seed]) == []


def test_seed_002_naive_answer_is_rejected_for_its_task_claims(cases) -> None:
    v = check(read_text(FIXTURES / "answers" / "002_naive_answer_for_000.txt"), cases["000"])
    assert {k for k, _ in kinds(v)} == {"task", "quality"}
    claimed = {t.lower() for k, t in kinds(v) if k == "task"}
    assert {"tracking", "image-to-video", "pose-to-motion", "content moderation", "video generation"} <= claimed
    assert all(x.line in (7, 15, 16, 35) for x in v if x.kind == "task")
    # and it is useless: the recommended model is listed, never used nor set aside
    assert [(x.kind, x.text) for x in v if x.kind == "quality"] == [("quality", "Inpainting-ResShift-ImageNet")]


def _plant(cases, seed: str, old: str, new: str):
    text = read_text(GROUNDED[seed])
    assert old in text, old
    return check(text.replace(old, new, 1), cases[seed])


# --------------------------------------------------------------------------- url

@pytest.mark.parametrize(
    "bad",
    [
        "https://github.com/JingyunLiang/SwinIR-v2",  # another repo, same owner
        "https://github.com/JingyunLiang/KAIR",
        "https://arxiv.org/abs/2108.10257",  # another arXiv id
        "arXiv:2108.10257",
        "2108.10257v2",
        "https://bit.ly/3xYz",  # shortener
        "bit.ly/3xYz",
        "www.swinir-demo.com/run",
        "huggingface.co/spaces/foo/swinir",
        "doi:10.1109/ICCVW54120.2021.00210",
        "https://github.com/JingyunLiang/SwinIR/tree/main/models",  # a deep link the input never gave
    ],
)
def test_ungrounded_links_are_violations(cases, bad: str) -> None:
    v = _plant(cases, "003", "code https://github.com/JingyunLiang/SwinIR", f"code {bad}")
    assert kinds(v) == [("url", bad)]
    assert v[0].line == 19
    assert bad in v[0].message


@pytest.mark.parametrize(
    "ok",
    [
        "http://github.com/JingyunLiang/SwinIR",
        "https://www.github.com/jingyunliang/swinir/",
        "https://github.com/JINGYUNLIANG/SwinIR.git",
        "github.com/JingyunLiang/SwinIR",
        "[code](https://github.com/JingyunLiang/SwinIR).",
        "<https://github.com/JingyunLiang/SwinIR>",
        "**https://github.com/JingyunLiang/SwinIR**",
    ],
)
def test_harmless_link_variants_pass(cases, ok: str) -> None:
    assert _plant(cases, "003", "code https://github.com/JingyunLiang/SwinIR", f"code {ok}") == []


@pytest.mark.parametrize(
    "ok",
    ["https://arxiv.org/abs/2408.08091", "arxiv.org/pdf/2408.08091v1", "https://arxiv.org/pdf/2408.08091.pdf", "arXiv:2408.08091", "2408.08091v4"],
)
def test_arxiv_variants_of_the_same_id_pass(cases, ok: str) -> None:
    assert _plant(cases, "003", "http://arxiv.org/pdf/2408.08091v4.pdf", ok) == []


def test_link_found_only_in_a_summary_is_grounded(cases) -> None:
    # seed 003's DreamClear summary contains https://github.com/shallowdream204/DreamClear
    assert _plant(cases, "003", "https://github.com/shallowdream204/dreamclear", "https://github.com/shallowdream204/DreamClear") == []


def test_canonical_forms() -> None:
    assert canonical("http://arxiv.org/pdf/2406.18516v3.pdf") == canonical("arXiv:2406.18516") == "arxiv:2406.18516"
    assert canonical("https://doi.org/10.1000/ABC") == canonical("doi:10.1000/abc")
    assert canonical("https://en.wikipedia.org/wiki/U-Net_(x))") == "en.wikipedia.org/wiki/U-Net_(x)"
    assert canonical("https://huggingface.co/Org/Model/") == "huggingface.co/Org/Model"


# --------------------------------------------------------------------------- model

@pytest.mark.parametrize("name", ["Real-ESRGAN", "DnCNN", "GPT-4o", "Stable Diffusion XL", "BM3D", "Uformer", "NAFNet", "YOLOv8", "DIV2K", "Whisper"])
def test_outside_model_names_are_violations(cases, name: str) -> None:
    v = _plant(cases, "003", "here in its denoising variant", f"here in its denoising variant, much like {name}")
    assert kinds(v) == [("model", name)]
    assert v[0].line == 10


@pytest.mark.parametrize(
    "ok",
    ["SwinIR", "swinir", "Swin-IR", "SWINIR", "Restormer", "Res-HAIR", "ResHAIR", "Denoise-SwinIR-Noise15", "SwinIR's", "SwinIR-based", "Dformer", "MoAM", "GenIR"],
)
def test_grounded_name_variants_pass(cases, ok: str) -> None:
    assert _plant(cases, "003", "here in its denoising variant", f"here in its denoising variant, like {ok}") == []


def test_name_grounded_by_url_path(cases) -> None:
    # `kangliao929/noise-da` grounds Noise-DA
    assert _plant(cases, "000", "**Model:**", "**Model:** Noise-DA and NoiseDA.") == []


def test_generic_families_are_not_names(cases) -> None:
    # (named metrics such as PSNR are names: tests/test_names_and_figures.py)
    text = "CNNs, GANs, a U-Net, a Transformer-based diffusion model, an autoencoder, RGB and JPEG on GitHub"
    assert _plant(cases, "003", "**Output:** a clean, detailed image.", f"**Output:** a clean, detailed image. {text}.") == []


def test_invented_paper_title_is_a_violation(cases) -> None:
    v = _plant(cases, "003", "**Output:**", '*SwinIR: Image Restoration Using Swin Transformer* and *Deep Residual Learning for Image Recognition*.\n\n**Output:**')
    # the first title is spelled out in R1's paper URL; the second is nowhere in the input
    assert kinds(v) == [("model", "Deep Residual Learning for Image Recognition")]


# --------------------------------------------------------------------------- task

@pytest.mark.parametrize("claim", ["object tracking", "text-to-speech", "image captioning", "OCR", "pose estimation", "colorization"])
def test_unsupported_task_claims_are_violations(cases, claim: str) -> None:
    v = _plant(cases, "001", "Haze is not the noise", f"It also performs {claim}. Haze is not the noise")
    assert [k for k, _ in kinds(v)] == ["task"]
    assert v[0].text.lower() == claim.lower()


@pytest.mark.parametrize("ok", ["dehazing", "dehazes", "haze removal", "denoiser", "noise reduction", "denoised", "weather removal"])
def test_task_inflections_and_synonyms_are_grounded(cases, ok: str) -> None:
    # seed 001 grounds dehazing only through the model name WeatherRemoval-CLAIO-DeHaze, and
    # denoising through the question; "It" is that dehazing model, so the noise forms are a
    # claim that it fits (tests/grounding/test_fit.py), never a task violation
    v = _plant(cases, "001", "Haze is not the noise", f"It does {ok}. Haze is not the noise")
    assert [k for k, _ in kinds(v) if k != "claim"] == []
    assert bool(v) == ("nois" in ok)


# --------------------------------------------------------------------------- number

@pytest.mark.parametrize("fig", ["98.5%", "32.5 dB", "SSIM of 31.2", "SSIM 0.91", "12 ms", "25 keypoints", "50,000 images", "7B parameters", "256×256", "x8"])
def test_figures_not_in_the_input_are_violations(cases, fig: str) -> None:
    v = _plant(cases, "000", "reached an accuracy of over 99%", f"reached an accuracy of over 99% and {fig}")
    numbers = [t for k, t in kinds(v) if k == "number"]
    assert numbers == [fig], kinds(v)
    assert {k for k, _ in kinds(v)} <= {"number", "task"}  # "25 keypoints" also claims pose estimation


@pytest.mark.parametrize("ok", ["99%", "SSIM of 87.9", "an SSIM of 64.0", "from 94.6% to 97.0%", "84.7 %"])
def test_figures_from_the_input_pass(cases, ok: str) -> None:
    assert _plant(cases, "000", "reached an accuracy of over 99%", f"reached {ok}") == []


def test_spelled_out_figures_ground_numeric_ones(cases) -> None:
    # seed 003: "a large-scale dataset of one million high-quality images"
    assert _plant(cases, "003", "one million high-quality images", "1M high-quality images") == []
    assert _plant(cases, "003", "one million high-quality images", "1,000,000 images") == []
    v = _plant(cases, "003", "one million high-quality images", "2 million images")
    assert kinds(v) == [("number", "2 million images")]


# --------------------------------------------------------------------------- structure

def test_missing_part_and_unmentioned_recommended_model(cases) -> None:
    text = read_text(GROUNDED["003"])
    part3 = text.index("## 3. Papers and tools")
    # seed 003 asks for every recommended model: its name and its short form gone
    v = check(text[:part3].replace("**Denoise-SwinIR-Noise15** (R1): SwinIR", "**The first model**: a network"), cases["003"])
    assert kinds(v) == [
        ("structure", "missing:3"),
        ("structure", "no-links"),
        ("structure", "no-recommended"),
    ]
    assert 'instruction 3 of the prompt ("List relevant papers and tools' in v[0].message
    assert '"Denoise-SwinIR-Noise15"' in v[2].message


def test_violation_carries_line_and_feedback_sentence(cases) -> None:
    v = _plant(cases, "003", "code https://github.com/toummHus/HAIR", "code https://github.com/toummHus/HAIR2")
    assert v[0].model_dump() == {
        "kind": "url",
        "text": "https://github.com/toummHus/HAIR2",
        "line": 20,
        "message": "The link https://github.com/toummHus/HAIR2 is not in the provided sources; cite only the exact links given with the sources.",
        "severity": "error",
        "lines": [20],
    }


# --------------------------------------------------------------------------- CLI

def test_check_cli_exit_codes_and_json(run_cli) -> None:
    ok = run_cli("check", SEEDS["003"], GROUNDED["003"], "--json")
    assert ok.code == 0 and json.loads(ok.out) == {"grounded": True, "violations": []}
    bad = run_cli("check", SEEDS["000"], FIXTURES / "answers" / "002_naive_answer_for_000.txt", "--json")
    assert bad.code == 1
    report = json.loads(bad.out)
    assert report["grounded"] is False and {v["kind"] for v in report["violations"]} == {"task", "quality"}
    human = run_cli("check", SEEDS["000"], FIXTURES / "answers" / "002_naive_answer_for_000.txt")
    assert human.out.splitlines()[0].endswith("NOT grounded, 8 violation(s)")  # 7 task claims ("tracking" on lines 7 and 35 is one) and a quality problem
    missing = run_cli("check", SEEDS["000"], "nope.md")
    assert (missing.code, missing.err) == (2, "cnaps-llm: nope.md: file not found; check the path\n")


def test_check_cli_bulk_jsonl(run_cli, tmp_path: Path) -> None:
    prompt = SEEDS["003"].read_text(encoding="utf-8")
    rows = [
        {"id": "good", "prompt": prompt, "answer": GROUNDED["003"].read_text(encoding="utf-8")},
        {"id": "bad", "prompt": prompt, "answer": GROUNDED["003"].read_text(encoding="utf-8") + "\nSee https://evil.example/x\n"},
    ]
    p = tmp_path / "pairs.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    res = run_cli("check", p, "--json")
    assert res.code == 1
    assert [(r["id"], r["grounded"], [v["text"] for v in r["violations"]]) for r in json.loads(res.out)] == [
        ("good", True, []),
        ("bad", False, ["https://evil.example/x"]),
    ]


def test_check_does_not_import_openai() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from cnaps_llm.cli import main; sys.argv=['cnaps-llm','check',%r,%r];\n"
        "try:\n main()\nexcept SystemExit: pass\n"
        "assert 'openai' not in sys.modules and 'tiktoken' not in sys.modules, 'heavy import'"
    ) % (str(SEEDS["003"]), str(GROUNDED["003"]))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
