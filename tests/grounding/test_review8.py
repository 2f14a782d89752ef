"""What a review of the eighth round's merged change found, each with the twin that must
still be caught: honest blank link cells, a line written once per source, a sub-label under
a plain heading, and a Strengths column whose body names a label word."""

from __future__ import annotations

import pytest

from cnaps_llm.grounding import check
from cnaps_llm.inputs import case_from_object, load_case, read_text

from ..conftest import FIXTURES, SEEDS


@pytest.fixture(scope="module")
def seed(request):
    return load_case(SEEDS["003"])


def kinds(answer: str, case) -> list[tuple[str, str]]:
    return [(v.kind, v.text) for v in check(answer, case)]


def planted(extra: str) -> str:
    base = read_text(FIXTURES / "answers" / "003_grounded.md")
    i = base.index("**Output:**")
    j = base.index("\n", i)
    return base[:j] + "\n\n" + extra + "\n" + base[j:]


def test_blank_cells_in_a_column_of_links_are_honest(seed) -> None:
    table = ("| Source | GitHub |\n|---|---|\n| Denoise-SwinIR-Noise15 | https://github.com/JingyunLiang/SwinIR |\n"
             "| Learning Dual Transformers (P2) |  |\n| DreamClear (P3) |  |")
    assert [k for k in kinds(planted(table), seed) if k[0] == "quality"] == []


def test_a_table_of_labels_with_nothing_beside_them_is_still_useless(seed) -> None:
    table = "| Part | Content |\n|---|---|\n| Core task |  |\n| Workflow |  |\n| References |  |"
    assert any(k[0] == "quality" and "Core task" in k[1] for k in kinds(planted(table), seed))


def _many(n: int):
    sources = [{"name": f"Paper Number {w} On Denoising", "paper": f"https://arxiv.org/abs/2401.0000{k}"}
               for k, w in enumerate(["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine"][:n])]
    case = case_from_object({"id": "m", "question": "How can I remove heavy noise from my night photos?",
                             "recommended": [{"name": "Denoise-SwinIR-Noise15", "github": "https://github.com/JingyunLiang/SwinIR"}],
                             "related": sources}, default_id="m")
    refs = "\n".join(f"- **{s['name']}**: {s['paper']}\n  - Code: not provided." for s in sources)
    answer = ("## 1. The task\n\nThe user wants to remove heavy noise from night photos: image denoising.\n\n"
              "## 2. How it works: input → model → output\n\n**Input:** a noisy night photo.\n\n"
              "**Model:** Denoise-SwinIR-Noise15 maps the noisy image to a clean one.\n\n**Output:** a clean image.\n\n"
              "## 3. Papers and tools\n\n- **Denoise-SwinIR-Noise15**: https://github.com/JingyunLiang/SwinIR\n" + refs + "\n")
    return answer, case


def test_a_line_written_once_per_source_is_not_a_loop() -> None:
    answer, case = _many(9)
    assert not [k for k in kinds(answer, case) if k[0] == "quality"]


def test_a_short_line_written_more_often_than_there_are_sources_is_a_loop() -> None:
    answer, case = _many(9)
    looped = answer + "\n".join(["  - Code: not provided."] * 4) + "\n"  # 13 times, for 10 sources
    assert any(k[0] == "quality" and "Code: not provided" in k[1] for k in kinds(looped, case))


PLAIN = (
    "Task\nThe user wants to restore heavily degraded photos, mainly removing extreme noise: image restoration and denoising.\n\n"
    "Workflow\n{sub}\nDenoise-SwinIR-Noise15 for the noise, HAIR (P1) for mixed degradations.\n"
    "Input: a noisy or degraded photo.\n"
    "Model: Denoise-SwinIR-Noise15 removes the noise; for photos with several degradations at once, HAIR adapts its parameters "
    "to the degradation it detects.\nOutput: a clean, detailed image.\n\n"
    "References\nDenoise-SwinIR-Noise15: https://github.com/JingyunLiang/SwinIR, the recommended denoising model.\n"
    "HAIR: http://arxiv.org/pdf/2408.08091v4.pdf and https://github.com/toummHus/HAIR, all-in-one restoration.\n"
    "I leave DreamClear and the dual-transformer paper out: the photos need denoising first.\n"
)


@pytest.mark.parametrize("sub", ["Tools used", "Tools used:"])
def test_a_label_right_under_a_plain_heading_is_its_sub_label(seed, sub: str) -> None:
    assert kinds(PLAIN.format(sub=sub), seed) == []


def test_a_plain_answer_that_never_uses_the_recommended_model_is_still_told(seed) -> None:
    text = PLAIN.format(sub="Tools used").replace("Denoise-SwinIR-Noise15 removes the noise; for", "For")
    text = text.replace("Denoise-SwinIR-Noise15 for the noise, ", "")
    text = text.replace("Denoise-SwinIR-Noise15: https://github.com/JingyunLiang/SwinIR, the recommended denoising model.\n", "")
    assert any(k[0] in ("structure", "quality") for k in kinds(text, seed))


def test_a_strengths_column_is_read_to_its_end_past_a_row_naming_a_label(seed) -> None:
    table = ("| Model | Strengths |\n|---|---|\n| Denoise-SwinIR-Noise15 | weaknesses not stated |\n"
             "| DreamClear | night photos from phones |")
    assert ("claim", "night photos from phones") in kinds(planted(table), seed)
