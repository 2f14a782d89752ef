"""Prompt-file parsing: every field of the seed prompts, the other formats, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnaps_llm.errors import InputError
from cnaps_llm.inputs import case_from_object, duplicate_ids, iter_cases, load_case, parse_prompt_text
from cnaps_llm.models import Expectations

from .conftest import PROMPTS, SEEDS, SHARED
from .stubserver import StubServer


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
        # the user's words, not the instructions around them
        assert case.question and not case.question.lower().startswith(("you are", "a user asks", "here, cnaps"))
        assert "Recommended AI Models" not in case.question and "**" not in case.question
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


# --------------------------------------------------------------------------- strict structured JSON

_REC = [{"name": "X-Net", "paper": "https://arxiv.org/abs/2401.00001"}]
_STRICT = [
    ("top", {"question": "Q?", "recommended": _REC, "relatd": []}, "unknown key `relatd` in the case; did you mean `related`?"),
    ("expect", {"question": "Q?", "recommended": _REC, "expct": {"task": "ocr"}}, "unknown key `expct` in the case; did you mean `expect`?"),
    ("prompt", {"promt": "A user asks: …"}, "unknown key `promt` in the case; did you mean `prompt`?"),
    ("source", {"question": "Q?", "recommended": [{"name": "X", "paper_ulr": "https://a.b/c"}]},
     "unknown key `paper_ulr` in a `recommended` source; did you mean `paper_url`?"),
    ("in-expect", {"question": "Q?", "recommended": _REC, "expect": {"must_cit": ["R1"]}}, "unknown key `must_cit` in `expect`; did you mean `must_cite`?"),
    ("far", {"question": "Q?", "recommended": _REC, "zzz": 1},
     "unknown key `zzz` in the case; the keys are id, question, instruction, recommended, related, sources, expect, prompt, query_text"),
]


@pytest.mark.parametrize("name,obj,message", _STRICT, ids=[s[0] for s in _STRICT])
def test_unknown_key_in_structured_json_is_named_with_the_closest_key(tmp_path: Path, name: str, obj: dict, message: str) -> None:
    p = tmp_path / "case.jsonl"
    p.write_text(json.dumps({"question": "ok?", "recommended": _REC}) + "\n" + json.dumps(obj) + "\n", encoding="utf-8")
    good, bad = iter_cases(p)
    assert not isinstance(good, InputError)
    assert str(bad) == f"{p}:2: {message} (see README 'Input formats')"


def test_every_documented_key_is_still_accepted(tmp_path: Path) -> None:
    readme_form = {
        "id": "c", "question": "Q?", "instruction": "Be brief.",
        "recommended": [{"name": "R", "paper": "https://a.b/r.pdf", "github": "https://github.com/a/r", "summary": "S.",
                         "links": {"HuggingFace": "https://huggingface.co/a/r"}, "role": "recommended"}],
        "related": [{"name": "P", "paper_url": "https://a.b/p.pdf", "github_url": "https://github.com/a/p", "id": "P9"}],
        "expect": {"task": "ocr", "must_cite": ["R1"]},
    }
    case = case_from_object(readme_form, default_id="d")
    assert [(s.id, s.name, s.paper_url, s.github_url, s.summary, s.links) for s in case.sources] == [
        ("R1", "R", "https://a.b/r.pdf", "https://github.com/a/r", "S.", {"HuggingFace": "https://huggingface.co/a/r"}),
        ("P1", "P", "https://a.b/p.pdf", "https://github.com/a/p", None, {}),
    ]
    assert (case.id, case.instruction, case.expect) == ("c", "Be brief.", Expectations(task="ocr", must_cite=["R1"]))
    # what `parse` prints (sources with id and role, nulls) is read back as it was
    printed = case.model_dump(mode="json")
    assert case_from_object(printed, default_id="d") == case
    # the prompt form keeps ignoring a dataset's own metadata
    prompt = SEEDS["003"].read_text(encoding="utf-8")
    meta = {"query_text": prompt, "query_id": 7, "responses": {"a": "…"}, "votes": [1], "expect": {"task": "denoising"}}
    assert case_from_object(meta, default_id="m") == load_case(SEEDS["003"]).model_copy(
        update={"id": "m", "expect": Expectations(task="denoising")}
    )


_TYPES = [
    ("paper", {"question": "Q?", "recommended": [{"name": "X", "paper": 5}]}, "`paper` of a source must be a string or null, not int"),
    ("summary", {"question": "Q?", "recommended": [{"name": "X", "summary": ["s"]}]}, "`summary` of a source must be a string or null, not list"),
    ("link", {"question": "Q?", "recommended": [{"name": "X", "links": {"HF": 1}}]}, "`HF` in `links` must be a string or null, not int"),
    ("name", {"question": "Q?", "recommended": [{"name": {"n": 1}}]}, "`name` of a source must be a string or null, not dict"),
    ("instruction", {"question": "Q?", "recommended": _REC, "instruction": ["x"]}, "`instruction` of the case must be a string or null, not list"),
    ("id", {"id": ["a"], "question": "Q?", "recommended": _REC}, "`id` must be a string, not list"),
    ("role", {"question": "Q?", "recommended": [{"name": "X", "role": "related"}]}, "source 'X' in `recommended` has `role` 'related'; move it or fix its role"),
    ("both", {"question": "Q?", "recommended": _REC, "sources": []}, "give either `sources` or `recommended`/`related`, not both"),
    ("expect", {"question": "Q?", "recommended": _REC, "expect": ["R1"]}, "`expect` must be an object with `task` and/or `must_cite`"),
]


@pytest.mark.parametrize("name,obj,message", _TYPES, ids=[t[0] for t in _TYPES])
def test_a_value_of_the_wrong_type_is_an_error_not_dropped(name: str, obj: dict, message: str) -> None:
    with pytest.raises(InputError) as err:
        case_from_object(obj, default_id="x", path="in.json")
    assert str(err.value) == f"in.json: {message}"


# --------------------------------------------------------------------------- case ids


@pytest.mark.parametrize(
    "case_id,message",
    [
        ("a\x00b", "case id 'a\\x00b' holds the control character '\\x00'; remove it from the id (or file name)"),
        ("tab\there", "case id 'tab\\there' holds the control character '\\t'; remove it from the id (or file name)"),
        ("c1\x85", "case id 'c1\\x85' holds the control character '\\x85'; remove it from the id (or file name)"),
        ("x" * 201, f"case id {'x' * 40!r}… is 201 characters long; give an id (or file name) of at most 200"),
    ],
    ids=["nul", "tab", "c1", "long"],
)
def test_bad_case_id_is_an_input_error_at_load_time(tmp_path: Path, case_id: str, message: str) -> None:
    p = tmp_path / "ids.jsonl"
    p.write_text(json.dumps({"id": case_id, "question": "Q?", "recommended": _REC}) + "\n", encoding="utf-8")
    (err,) = iter_cases(p)
    assert str(err) == f"{p}:1: {message}"


def test_ids_are_kept_as_written_otherwise(tmp_path: Path) -> None:
    ids = ["x" * 200, "../../etc/passwd", "日本語 id with spaces", "a/b\\c:d*?", "\u202eevil", 42]
    p = tmp_path / "ids.jsonl"
    p.write_text("".join(json.dumps({"id": i, "question": "Q?", "recommended": _REC}) + "\n" for i in ids), encoding="utf-8")
    assert [c.id for c in iter_cases(p)] == [str(i) for i in ids]  # type: ignore[union-attr]


def test_file_names_are_ids_too(tmp_path: Path) -> None:
    text = SEEDS["004"].read_text(encoding="utf-8")
    bad = tmp_path / "bad\x1bname.txt"
    long = tmp_path / ("y" * 201 + ".txt")
    for p in (bad, long):
        p.write_text(text, encoding="utf-8")
    assert str(next(iter_cases(bad))) == f"{bad}: case id 'bad\\x1bname' holds the control character '\\x1b'; remove it from the id (or file name)"
    assert str(next(iter_cases(long))).endswith(": case id 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy'… is 201 characters long; give an id (or file name) of at most 200")
    # the default id of a JSONL line (file stem + line number) is checked the same way
    jl = tmp_path / ("z" * 199 + ".jsonl")
    jl.write_text(json.dumps({"question": "Q?", "recommended": _REC}) + "\n", encoding="utf-8")
    assert "is 201 characters long" in str(next(iter_cases(jl)))


def test_bad_id_stops_the_case_before_any_call(tmp_path: Path, run_cli) -> None:
    p = tmp_path / "one.jsonl"
    p.write_text(json.dumps({"id": "a\x00", "question": "Q?", "recommended": _REC}) + "\n", encoding="utf-8")
    with StubServer() as srv:
        res = run_cli("generate", p, "--base-url", srv.base_url, "-o", tmp_path / "out")
    assert res.code == 2
    assert res.err == f"cnaps-llm: {p}:1: case id 'a\\x00' holds the control character '\\x00'; remove it from the id (or file name)\n"
    assert srv.requests == []
    assert not (tmp_path / "out").exists()


def test_duplicate_ids_in_one_pass() -> None:
    assert duplicate_ids(["b", "a", "b", "c", "a", "b"]) == ["a", "b"]
    assert duplicate_ids(f"id-{i}" for i in range(200_000)) == []  # a set, not list.count: this is instant
    assert duplicate_ids([*map(str, range(100_000)), "99999"]) == ["99999"]


# --------------------------------------------------------------------------- JSON / JSONL text


def test_json_with_line_separator_and_mojibake_still_parses(tmp_path: Path) -> None:
    # ftfy turns U+2028 into "\n", which JSON forbids inside a string: JSON text keeps it until parsed
    obj = {"question": "Caf\u00c3\u00a9 photo\u2028second line?", "recommended": _REC}
    for name in ("c.json", "c.jsonl"):
        p = tmp_path / name
        p.write_text(json.dumps(obj, ensure_ascii=False) + "\n", encoding="utf-8")
        (case,) = iter_cases(p)
        assert case.question == "Café photo\nsecond line?"  # type: ignore[union-attr]


def test_jsonl_line_endings_bom_and_bad_bytes(tmp_path: Path) -> None:
    good = json.dumps({"question": "Q?", "recommended": _REC}).encode()
    p = tmp_path / "set.jsonl"
    # line 1 CRLF, line 2 ends with a lone CR, line 3 is not UTF-8, line 4 opens with a BOM (files joined with cat)
    p.write_bytes(b"\xef\xbb\xbf" + good + b"\r\n" + good + b"\r" + b'{"question": "caf\xe9"}\n' + b"\xef\xbb\xbf" + good + b"\n")
    out = list(iter_cases(p))
    assert [c.id if not isinstance(c, InputError) else str(c) for c in out] == [
        "set-1", "set-2", f"{p}:3: file is not UTF-8; re-save it as UTF-8", "set-4",
    ]


def test_load_case_counts_without_keeping(tmp_path: Path) -> None:
    p = tmp_path / "three.jsonl"
    p.write_text((json.dumps({"question": "Q?", "recommended": _REC}) + "\n") * 3, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_case(p)
    assert str(err.value) == f"{p}: holds 3 cases; pass a file with exactly one"


def test_error_in_an_embedded_prompt_names_the_prompt_line(tmp_path: Path) -> None:
    prompt = 'A user asks:\n"Why?"\n### Recommended AI Models:\nModel: X\nPaper: ftp://a.org/x.pdf\n'
    p = tmp_path / "set.jsonl"
    p.write_text(json.dumps({"question": "Q?", "recommended": _REC}) + "\n" + json.dumps({"prompt": prompt}) + "\n", encoding="utf-8")
    assert str(list(iter_cases(p))[1]) == (
        f"{p}:2: `prompt` line 5: `Paper:` link 'ftp://a.org/x.pdf' is not an http(s) URL; write it as https://…"
    )
    q = tmp_path / "one.json"
    q.write_text(json.dumps({"prompt": prompt.replace("Model: X", "Model:")}), encoding="utf-8")
    assert str(next(iter_cases(q))) == f"{q}: `prompt` line 4: `Model:` line has no name; write the model or paper name after `Model:`"


def test_import_stays_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, cnaps_llm.inputs; print(sorted(m for m in ('ftfy', 'difflib', 'openai', 'tiktoken') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"
