"""Prompt-file parsing: every field of the seed prompts, the other formats, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnaps_llm.errors import InputError
from cnaps_llm.inputs import iter_cases, load_case, parse_prompt_text

from .conftest import PROMPTS, SEEDS, SHARED


def _summaries(path: Path) -> list[str]:
    # In the seed files each summary is one line: read it back independently of the parser.
    return [ln[len("Summary: ") :].strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("Summary: ")]


SEED_EXPECTED = {
    "000": (
        "I downloaded an old image file from the internet, and it was really degraded with heavy noise. But after running it through AI, it looked almost like a new photo. How is it possible for AI to recover images with that much noise? What kind of data do these systems train on, and which models are especially strong in this area these days?",
        [
            ("R1", "recommended", "Inpainting-ResShift-ImageNet", "https://proceedings.neurips.cc/paper_files/paper/2023/file/2ac2eac5098dba08208807b65c5851cc-Paper-Conference.pdf", "https://github.com/zsyOAOA/ResShift"),
            ("P1", "related", "Denoising as Adaptation: Noise-Space Domain Adaptation for Image Restoration", "http://arxiv.org/pdf/2406.18516v3.pdf", "https://github.com/kangliao929/noise-da"),
            ("P2", "related", "Assessing The Impact of CNN Auto Encoder-Based Image Denoising on Image Classification Tasks", "http://arxiv.org/pdf/2404.10664v2.pdf", "https://github.com/MHmi1/Image_Denoising_Classification"),
            ("P3", "related", "Predicting the Reliability of an Image Classifier under Image Distortion", "http://arxiv.org/pdf/2412.16881v1.pdf", None),
        ],
    ),
    "001": (
        "Even photos with heavy static from low-light or digital zoom came out clear after AI denoising. How do models know what parts are noise and what parts are actual image?",
        [
            ("R1", "recommended", "WeatherRemoval-CLAIO-DeHaze", None, "https://github.com/xiaojihh/cl_all-in-one"),
            ("P1", "related", "Assessing The Impact of CNN Auto Encoder-Based Image Denoising on Image Classification Tasks", "http://arxiv.org/pdf/2404.10664v2.pdf", "https://github.com/MHmi1/Image_Denoising_Classification"),
            ("P2", "related", "Denoising as Adaptation: Noise-Space Domain Adaptation for Image Restoration", "http://arxiv.org/pdf/2406.18516v3.pdf", "https://github.com/kangliao929/noise-da"),
            ("P3", "related", "DenoiseRep: Denoising Model for Representation Learning", "http://arxiv.org/pdf/2406.08773v4.pdf", "https://github.com/wangguanan/denoiserep"),
        ],
    ),
    "003": (
        "AI restoration turned heavily degraded photos into clear, detailed images. What techniques allow modern AI models to restore images with extreme noise or degradation? Which specific architectures are currently leading in this domain?",
        [
            ("R1", "recommended", "Denoise-SwinIR-Noise15", "https://openaccess.thecvf.com/content/ICCV2021W/AIM/papers/Liang_SwinIR_Image_Restoration_Using_Swin_Transformer_ICCVW_2021_paper.pdf", "https://github.com/JingyunLiang/SwinIR"),
            ("P1", "related", "HAIR: Hypernetworks-based All-in-One Image Restoration", "http://arxiv.org/pdf/2408.08091v4.pdf", "https://github.com/toummHus/HAIR"),
            ("P2", "related", "Learning Dual Transformers for All-In-One Image Restoration from a Frequency Perspective", "http://arxiv.org/pdf/2407.01636v2.pdf", None),
            ("P3", "related", "DreamClear: High-Capacity Real-World Image Restoration with Privacy-Safe Dataset Curation", "http://arxiv.org/pdf/2410.18666v2.pdf", "https://github.com/shallowdream204/dreamclear"),
        ],
    ),
    "004": (
        "I took some grainy indoor photos on an old phone, and the AI made them look bright and clean. How does it reduce noise so well without losing detail?",
        [
            ("R1", "recommended", "Deblur-MIMO-UNet-RealBlur", "https://openaccess.thecvf.com/content/ICCV2021/papers/Cho_Rethinking_Coarse-To-Fine_Approach_in_Single_Image_Deblurring_ICCV_2021_paper.pdf", "https://github.com/chosj95/MIMO-UNet"),
            ("P1", "related", "Between Generating Noise and Generating Images: Noise in the Correct Frequency Improves the Quality of Synthetic Histopathology Images for Digital Pathology", "http://arxiv.org/pdf/2302.06549v1.pdf", None),
            ("P2", "related", "Quality Assured: Rethinking Annotation Strategies in Imaging AI", "http://arxiv.org/pdf/2407.17596v2.pdf", None),
        ],
    ),
}


@pytest.mark.parametrize("seed", sorted(SEED_EXPECTED))
def test_seed_prompts_parse_every_field_exactly(seed: str) -> None:
    case = load_case(SEEDS[seed])
    question, sources = SEED_EXPECTED[seed]
    assert case.id == SEEDS[seed].stem
    assert case.question == question
    assert case.instruction.startswith("You are an AI scientist.\n\nBased on the following recommended models, explain:")
    assert case.instruction.endswith("Use **only the provided models and papers**. Do not refer to outside sources.")
    assert question not in case.instruction
    got = [(s.id, s.role, s.name, s.paper_url, s.github_url) for s in case.sources]
    assert got == sources
    assert [s.summary for s in case.sources if s.summary] == _summaries(SEEDS[seed])
    assert all(s.summary is None for s in case.sources if s.role == "recommended")
    assert all(s.links == {} for s in case.sources)


def test_summary_spanning_lines_keeps_urls_and_other_link_lines(tmp_path: Path) -> None:
    p = tmp_path / "multi.txt"
    p.write_text(
        'A user has asked the following question:\n"How?"\n\n### Recommended AI Models:\nModel: M-One\nPaper: N/A\n'
        "GitHub: null\nHuggingFace: https://huggingface.co/org/m-one\n\n### Related Papers:\nModel: Paper A\n"
        "Paper: https://arxiv.org/abs/2401.00001\nSummary: First line.\nSecond line with https://github.com/a/b inside.\n\nAnswer:\n",
        encoding="utf-8",
    )
    case = load_case(p)
    r1, p1 = case.sources
    assert (r1.paper_url, r1.github_url, r1.links) == (None, None, {"HuggingFace": "https://huggingface.co/org/m-one"})
    assert p1.summary == "First line. Second line with https://github.com/a/b inside."
    assert case.question == "How?"


def test_bulleted_variant(tmp_path: Path) -> None:
    case = load_case(PROMPTS / "012_super_resolution.txt")
    assert case.question == "This drone shot of a town is too small to see the cars and people. Please enlarge it by 4x so the details are clear."
    assert [(s.id, s.name, s.paper_url, s.github_url) for s in case.sources] == [
        ("R1", "SISR-RCAN-4x", "https://arxiv.org/abs/1807.02758", "https://github.com/yulunzhang/RCAN"),
        ("R2", "SISR-IMDN-4x", "https://arxiv.org/pdf/1909.11856v1", None),
        ("P1", "Image Super-Resolution Using Very Deep Residual Channel Attention Networks", "https://arxiv.org/abs/1807.02758", None),
    ]
    assert case.sources[2].summary is not None and case.sources[2].summary.startswith("RCAN is a very deep network")


@pytest.mark.skipif(not (SHARED / "real-answers").is_dir(), reason="../shared is absent")
def test_real_answer_query_texts_parse() -> None:
    for path in sorted((SHARED / "real-answers").glob("*.json")):
        (case,) = list(iter_cases(path))
        assert not isinstance(case, InputError), case
        assert case.id == path.stem
        assert len(case.recommended) == 3 and not [s for s in case.sources if s.role == "related"]
        assert case.question.startswith(("Put", "Please", "There", "The", "I ", "In ", "Transform", "This"))
        assert all(s.github_url is None for s in case.sources)
    (disco,) = list(iter_cases(SHARED / "real-answers" / "Colorization-DISCO-rand.json"))
    assert [(s.name, s.paper_url) for s in disco.sources] == [  # type: ignore[union-attr]
        ("Colorization-DISCO-rand", "https://menghanxia.github.io/projects/disco/disco_main.pdf"),
        ("Txt2Img-StableDiffusionV1-colorful", None),
        ("Txt2Img-StableDiffusionV1-CCDDA_ArtStyle", None),
    ]


def test_json_structured_and_roundtrip(tmp_path: Path, run_cli) -> None:
    case = load_case(PROMPTS / "013_ocr.json")
    assert case.id == "013_ocr"
    assert case.sources[0].links == {"HuggingFace": "https://huggingface.co/microsoft/trocr-base-printed"}
    assert case.expect is not None and case.expect.must_cite == ["R1"]
    # what `parse` prints is itself a valid input
    res = run_cli("parse", SEEDS["003"])
    assert res.code == 0
    (tmp_path / "again.json").write_text(res.out, encoding="utf-8")
    assert load_case(tmp_path / "again.json") == load_case(SEEDS["003"])


def test_jsonl_one_case_per_line_and_bad_lines_reported(tmp_path: Path) -> None:
    prompt = SEEDS["001"].read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "a", "prompt": prompt}),
        "{not json",
        json.dumps({"question": "Q?", "recommended": [{"name": "X-Net", "paper": "https://arxiv.org/abs/2401.00001"}]}),
        json.dumps({"question": "Q?", "recommended": []}),
    ]
    p = tmp_path / "set.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = list(iter_cases(p))
    assert [getattr(o, "id", None) for o in out] == ["a", None, "set-3", None]
    assert isinstance(out[1], InputError) and str(out[1]).startswith(f"{p}:2: not valid JSON")
    assert isinstance(out[3], InputError) and str(out[3]) == f"{p}:4: no sources; add `recommended` (and optionally `related`) sources"


def test_mojibake_and_line_endings_are_repaired(tmp_path: Path) -> None:
    text = SEEDS["004"].read_text(encoding="utf-8").replace("\n", "\r\n").replace("grainy indoor", "grainy ðŸ§  indoor")
    p = tmp_path / "crlf.txt"
    p.write_bytes(text.encode("utf-8"))
    case = load_case(p)
    assert "grainy 🧠 indoor" in case.question
    assert "\r" not in case.instruction


BAD = [
    ("missing", None, "{p}: file not found; check the path"),
    ("latin1", b"A user asks:\n\"caf\xe9?\"\n", "{p}:2: file is not UTF-8; re-save it as UTF-8"),
    ("noquestion", "### Recommended AI Models:\nModel: X\n", "{p}: no question found; add a line `A user has asked the following question:` followed by the question in quotes"),
    ("nosources", 'A user asks:\n"Why?"\n\n### Recommended AI Models:\n\nAnswer:\n', "{p}: no sources found; add a `### Recommended AI Models:` block with at least one `Model:` line"),
    ("noname", 'A user asks:\n"Why?"\n### Recommended AI Models:\nModel:   \nPaper: https://a.org/x\n', "{p}:4: `Model:` line has no name; write the model or paper name after `Model:`"),
    ("ftp", 'A user asks:\n"Why?"\n### Recommended AI Models:\nModel: X\nPaper: ftp://a.org/x.pdf\n', "{p}:5: `Paper:` link 'ftp://a.org/x.pdf' is not an http(s) URL; write it as https://…"),
    ("barelink", 'A user asks:\n"Why?"\n### Recommended AI Models:\nModel: X\nGitHub: github.com/a/b\n', "{p}:5: `GitHub:` link 'github.com/a/b' is not an http(s) URL; write it as https://…"),
]


@pytest.mark.parametrize("name,content,message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_one_line_exit_2(tmp_path: Path, run_cli, name: str, content, message: str) -> None:
    p = tmp_path / f"{name}.txt"
    if content is not None:
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    res = run_cli("parse", p)
    assert res.code == 2
    assert res.err == f"cnaps-llm: {message.format(p=p)}\n"
    assert res.out == ""


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path, run_cli) -> None:
    res = run_cli("parse", tmp_path / "nope.txt", SEEDS["000"], SEEDS["004"])
    assert res.code == 2
    assert res.err == f"cnaps-llm: {tmp_path / 'nope.txt'}: file not found; check the path\n"
    assert [c["id"] for c in json.loads(res.out)] == [SEEDS["000"].stem, SEEDS["004"].stem]


def test_folder_parses_every_prompt(run_cli) -> None:
    res = run_cli("parse", PROMPTS)
    assert res.code == 0, res.err
    ids = [c["id"] for c in json.loads(res.out)]
    assert len(ids) == len([p for p in PROMPTS.iterdir() if p.suffix in {".txt", ".json", ".jsonl", ".md"}])


# --------------------------------------------------------------------------- properties

_SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS.values()]


def _mutate(text: str, data: st.DataObject) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(0, 6))):
        op = data.draw(st.sampled_from(["drop", "dup", "insert", "truncate", "swap"]))
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, data.draw(st.sampled_from(["Model:", "Paper: x", "GitHub: None", "Summary:", "### Related Papers:", "Answer:", "- **", ""])) + data.draw(st.text(max_size=20)))
        elif op == "truncate":
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
        else:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_property_mutated_prompts_raise_only_input_error(data: st.DataObject) -> None:
    text = _mutate(data.draw(st.sampled_from(_SEED_TEXTS)), data)
    try:
        case = parse_prompt_text(text, case_id="x")
    except InputError as exc:
        assert str(exc).startswith("<input>")
        return
    assert case.sources and case.question


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_property_arbitrary_text_raises_only_input_error(text: str) -> None:
    try:
        parse_prompt_text(text, case_id="x")
    except InputError:
        pass
