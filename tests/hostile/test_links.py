"""Links judged by their target, whatever the syntax, and link scans in linear time."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnaps_llm.grounding import check, clear_caches
from cnaps_llm.grounding.links import find_links
from cnaps_llm.grounding.rules import url
from cnaps_llm.inputs import case_from_object, load_case, read_text

from ..conftest import FIXTURES, SEEDS

CASE = load_case(SEEDS["003"])
GROUNDED = read_text(FIXTURES / "answers" / "003_grounded.md")
SWINIR = "https://github.com/JingyunLiang/SwinIR"
PDF = "https://openaccess.thecvf.com/content/ICCV2021W/AIM/papers/Liang_SwinIR_Image_Restoration_Using_Swin_Transformer_ICCVW_2021_paper.pdf"
HOST = url.host_message
SCHEME = url.scheme_message


def url_violations(extra: str, case=CASE) -> list[tuple[str, str]]:
    return [(v.text, v.message) for v in check(GROUNDED + "\n\n" + extra + "\n", case) if v.kind == "url"]


def test_the_grounded_answer_has_no_url_violation() -> None:
    assert url_violations("") == []


BYPASSES = [
    # (what is appended to a grounded answer, the link quoted back, its message)
    ("[x](//evil.example/x)", "//evil.example/x", HOST("//evil.example/x")),
    ("see https:/evil.example/x for more", "https:/evil.example/x", HOST("https:/evil.example/x")),
    ("[x](HTTPS:/evil.example/x)", "HTTPS:/evil.example/x", HOST("HTTPS:/evil.example/x")),
    ("[x](http:evil.example/x)", "http:evil.example/x", HOST("http:evil.example/x")),
    ("[x](https:\\\\evil.example/x)", "https:\\\\evil.example/x", HOST("https:\\\\evil.example/x")),
    ("[x](/\\evil.example/x)", "/\\evil.example/x", HOST("/\\evil.example/x")),
    ("[x](https:///evil.example/x)", "https:///evil.example/x", HOST("https:///evil.example/x")),
    ("bare //evil.example/x in prose", "//evil.example/x", HOST("//evil.example/x")),
    ("[x](javascript:alert(1))", "javascript:alert(1)", SCHEME("javascript:alert(1)", "javascript")),
    ("[x](JaVaScRiPt:alert(1))", "JaVaScRiPt:alert(1)", SCHEME("JaVaScRiPt:alert(1)", "javascript")),
    ("[x](jav&#x61;script:alert(1))", "jav&#x61;script:alert(1)", SCHEME("jav&#x61;script:alert(1)", "javascript")),
    ("[x](javascript&colon;alert(1))", "javascript&colon;alert(1)", SCHEME("javascript&colon;alert(1)", "javascript")),
    ("[x](javascript\\:alert(1))", "javascript\\:alert(1)", SCHEME("javascript\\:alert(1)", "javascript")),
    ("[x](<javascript:alert(1)>)", "javascript:alert(1)", SCHEME("javascript:alert(1)", "javascript")),
    ('[x](javascript:alert(1) "a title")', "javascript:alert(1)", SCHEME("javascript:alert(1)", "javascript")),
    ("![img](data:text/html,<script>alert(1)</script>)", None, None),  # not a link by markdown: found as bare text below
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:text/html;base64,PHNjcmlwdD4=", SCHEME("data:text/html;base64,PHNjcmlwdD4=", "data")),
    ("[x](ftp://evil.example/a)", "ftp://evil.example/a", SCHEME("ftp://evil.example/a", "ftp")),
    ("get it from ftp://evil.example/a.", "ftp://evil.example/a", SCHEME("ftp://evil.example/a", "ftp")),
    ("[x](file:///etc/passwd)", "file:///etc/passwd", SCHEME("file:///etc/passwd", "file")),
    ("[x](mailto:a@evil.example)", "mailto:a@evil.example", SCHEME("mailto:a@evil.example", "mailto")),
    ("<javascript:alert(1)>", "javascript:alert(1)", SCHEME("javascript:alert(1)", "javascript")),
    ("<ftp://evil.example/a>", "ftp://evil.example/a", SCHEME("ftp://evil.example/a", "ftp")),
    ("[ref]: //evil.example/x", "//evil.example/x", HOST("//evil.example/x")),
    ('[ref]: //evil.example/x "title"', "//evil.example/x", HOST("//evil.example/x")),
    ("   [ref]:\n   <javascript:alert(1)>", "javascript:alert(1)", SCHEME("javascript:alert(1)", "javascript")),
    ('<a href="javascript:alert(1)">x</a>', "javascript:alert(1)", SCHEME("javascript:alert(1)", "javascript")),
    ("<a href='java&#9;script:alert(1)'>x</a>", "java&#9;script:alert(1)", SCHEME("java&#9;script:alert(1)", "javascript")),
    ("<A HREF=//evil.example>x</A>", "//evil.example", HOST("//evil.example")),
    ("<img src='//evil.example/p.png'>", "//evil.example/p.png", HOST("//evil.example/p.png")),
    ('<iframe src="data:text/html,hi"></iframe>', "data:text/html,hi", SCHEME("data:text/html,hi", "data")),
    ("plain javascript:alert(1) in prose", "javascript:alert(1)", SCHEME("javascript:alert(1)", "javascript")),
    # relative targets and look-alikes are compared with the input like any link
    ("[x](evil.example)", "evil.example", url.message("evil.example")),
    ("[x](https://github.com@evil.example/JingyunLiang/SwinIR)", "https://github.com@evil.example/JingyunLiang/SwinIR",
     url.message("https://github.com@evil.example/JingyunLiang/SwinIR")),
    (f"[{SWINIR}](https://evil.example/x)", "https://evil.example/x", url.message("https://evil.example/x")),
]


@pytest.mark.parametrize(("extra", "text", "message"), [b for b in BYPASSES if b[1] is not None], ids=lambda x: str(x)[:40])
def test_every_link_target_is_judged_whatever_its_syntax(extra: str, text: str, message: str) -> None:
    assert url_violations(extra) == [(text, message)]


def test_a_data_uri_holding_markup_is_caught_even_when_markdown_would_not_link_it() -> None:
    found = url_violations("![img](data:text/html,<script>alert(1)</script>)")
    assert found == [("data:text/html", SCHEME("data:text/html", "data"))]


def test_a_footnote_is_not_a_link_definition_but_a_link_in_one_still_is() -> None:
    # "[^1]: Name: “quote”" is an evidence note: "SwinIR:" there is no link with a scheme
    assert url_violations("Restores images.[^1]\n\n[^1]: SwinIR: “image restoration”") == []
    found = url_violations("[^2]: //evil.example/x\n[^3]: javascript:alert(1)")
    assert [t for t, _ in found] == ["//evil.example/x", "javascript:alert(1)"]


def test_input_links_however_written_around_and_page_anchors_are_not_flagged() -> None:
    # the input links, however written around
    for extra in [
        f"{PDF}【12†source】", f"({SWINIR})", f"{SWINIR})and more", f"see {SWINIR}), then",
        f"[SwinIR]({SWINIR} \"code\")", f"[SwinIR](<{SWINIR}>)", f"[code]: {SWINIR} 'title'", f'<a href="{SWINIR}">code</a>',
        f"<{SWINIR}>", f"[SwinIR]({SWINIR}).", f"**{SWINIR}**", f"{SWINIR}。", f"「{SWINIR}」", "[back to the task](#1-the-task)",
        "[HAIR](https://github.com/toummHus/HAIR?tab=readme&amp;x=1#top)".replace("?tab=readme&amp;x=1", ""),
    ]:
        assert url_violations(extra) == [], extra


def test_a_link_cut_off_at_the_end_of_a_truncated_answer_is_not_invented() -> None:
    cut = GROUNDED + "\n- code: https://github.com/JingyunLi"
    assert [v for v in check(cut, CASE) if v.kind == "url"] == []
    assert [v for v in check(cut + "   \n", CASE) if v.kind == "url"] == []
    assert [v for v in check(GROUNDED + f"\n[code]({SWINIR[:-3]}.", CASE) if v.kind == "url"] == []  # cut inside a markdown link
    # the same start of a link elsewhere than at the very end is a link of its own
    assert url_violations("https://github.com/JingyunLi is where the code is") == [
        ("https://github.com/JingyunLi", url.message("https://github.com/JingyunLi"))
    ]
    # and a cut-off link that starts no input link is invented
    assert [v.text for v in check(GROUNDED + "\nhttps://github.com/evil", CASE) if v.kind == "url"] == ["https://github.com/evil"]


PROSE_CASE = {
    "id": "prose", "question": "How does SwinIR restore photos?",
    "recommended": [{"name": "SwinIR", "github": SWINIR, "summary": "See also https://example.org/extra for details."}],
}


def test_links_only_in_a_summary_can_be_reported() -> None:
    case = case_from_object(PROSE_CASE, default_id="prose")
    answer = f"SwinIR: code at {SWINIR}.\nMore: https://example.org/extra\n"
    assert [v for v in check(answer, case) if v.kind == "url"] == []  # the default: as before
    flagged = [(v.text, v.message) for v in check(answer, case, links="fields") if v.kind == "url"]
    assert flagged == [("https://example.org/extra", url.prose_message("https://example.org/extra"))]
    assert not [v for v in check(answer.replace("https://example.org/extra", SWINIR), case, links="fields") if v.kind == "url"]


def test_check_links_fields_on_the_command_line(run_cli, tmp_path: Path) -> None:
    prompt = tmp_path / "p.json"
    prompt.write_text(json.dumps(PROSE_CASE))
    answer = tmp_path / "a.md"
    answer.write_text(f"SwinIR: code at {SWINIR}.\nMore: https://example.org/extra\n")
    plain, fields = run_cli("check", prompt, answer, "--kinds", "url"), run_cli("check", prompt, answer, "--kinds", "url", "--links", "fields")
    assert (plain.code, fields.code) == (0, 1)
    assert "https://example.org/extra" in fields.out and "only inside a source's summary" in fields.out
    bad = run_cli("check", prompt, answer, "--links", "nowhere")
    assert (bad.code, bad.err) == (2, "cnaps-llm: --links must be any or fields, not 'nowhere'\n")


# --------------------------------------------------------------------------- linear time


def _cpu(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        clear_caches(indexes=False)
        t = time.process_time()
        check(text, CASE)
        best = min(best, time.process_time() - t)
    return best


@pytest.mark.parametrize("tail", [")", ".", "’", "”", "_", "`", "%"])
def test_a_url_followed_by_80_kb_of_punctuation_checks_in_linear_time(tail: str) -> None:
    size = 80 * 1024
    ordinary = (GROUNDED * (size // len(GROUNDED) + 1))[:size]
    check(ordinary, CASE)
    base = _cpu(ordinary)
    shaped = _cpu(SWINIR + tail * (size - len(SWINIR)))
    # measured: 0.6x-2.2x ordinary text; before the fix, 7x-280x (trailing punctuation stripped one character at a time)
    assert shaped <= 4 * base, (shaped, base)


def test_trailing_punctuation_is_stripped_as_before() -> None:
    text = f"({SWINIR}).. and https://en.wikipedia.org/wiki/U-Net_(x)) and {SWINIR}" + ")" * 50_000
    assert [raw for _, _, raw in find_links(text)] == [SWINIR, "https://en.wikipedia.org/wiki/U-Net_(x)", SWINIR]


# --------------------------------------------------------------------------- fuzz

_NOISE = st.text(alphabet=st.sampled_from(list("[]()<>\"'`\\ \n\t:/.#&;*_!【】xX0")), max_size=12)
_DANGER = ["javascript:alert(1)", "data:text/html,x", "vbscript:msgbox", "ftp://evil.example/a", "file:///etc/passwd",
           "//evil.example/x", "https:/evil.example/x", "http:\\\\evil.example"]
_SYNTAX = ["[a]({})", "[a](<{}>)", "[a]({} \"t\")", "<a href=\"{}\">a</a>", "<img src='{}'>", "\n[r]: {}\n", "<{}>"]


@pytest.mark.parametrize(("line", "target"), [
    ("[0]:[a](javascript:alert(1))", "javascript:alert(1)"),
    ("[0]: [a](//evil.example/x)", "//evil.example/x"),
    ("]([a](data:text/html,x) )", "data:text/html,x"),
    ("see [b]([a](javascript:alert(1)))", "javascript:alert(1)"),
    ('](' + '[a](http:\\\\evil.example "t") )', "http:\\\\evil.example"),  # the outer link read "(…)" as a title
    ("x]([a](//evil.example/x 't'))", "//evil.example/x"),
])
def test_a_target_that_holds_an_inline_link_is_judged_by_that_link(line: str, target: str) -> None:
    # found by the fuzz test below: the definition's (or outer link's) "target" was the whole inline link,
    # reported as not in the sources instead of by its scheme or host
    flagged = [v for v in check(GROUNDED + "\n" + line + "\n", CASE) if v.kind == "url"]
    assert [v.text for v in flagged] == [target]
    assert "scheme" in flagged[0].message or "another site" in flagged[0].message


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(before=_NOISE, after=_NOISE, target=st.sampled_from(_DANGER), syntax=st.sampled_from(_SYNTAX))
def test_fuzz_a_dangerous_target_is_flagged_whatever_surrounds_it(before: str, after: str, target: str, syntax: str) -> None:
    link = syntax.format(target)
    if syntax == "<{}>" and target.startswith(("//", "http:\\")):
        return  # `<//evil…>` is no autolink; its bare form is judged by the next assertion
    flagged = [v for v in check(GROUNDED + "\n" + before + link + " " + after + "\n", CASE) if v.kind == "url"]
    assert flagged, link
    assert any(v.message.startswith(f"The link {v.text} ") and ("scheme" in v.message or "another site" in v.message) for v in flagged)


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(_NOISE, st.sampled_from([SWINIR, PDF, "www.evil.example/x", "arXiv:2408.08091", "10.1000/x",
                                                     "](", "]: ", "<a href=", "javascript:", "://", "//x.org/"])), max_size=20))
def test_fuzz_link_spans_are_ordered_disjoint_and_as_written(parts: list[str]) -> None:
    text = "".join(parts)
    found = list(find_links(text))
    last = 0
    for start, end, raw in found:
        assert last <= start < end <= len(text) and text[start:end] == raw
        last = end
    # an input link written with spaces around is found whole, and never flagged
    answer = text + f" {SWINIR} "
    assert SWINIR not in [v.text for v in check(answer, CASE) if v.kind == "url"]
