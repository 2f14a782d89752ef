"""`eval --html`: one self-contained page, escaped whatever the results hold, tested in a real
headless Chromium (Debian's `chromium` package, driven by Playwright); the browser tests skip
only when no Chromium is installed."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cnaps_llm import evals
from cnaps_llm.inputs import expand_paths, iter_cases
from cnaps_llm.models import Attempt, Case, Result, Source, Usage, Violation
from cnaps_llm.reports import FORMATS, html
from cnaps_llm.runner import run_cases
from cnaps_llm.settings import load_settings

from .conftest import FIXTURES, PROMPTS

CASSETTES = FIXTURES / "cassettes"
HOSTILE_ID = '<img src=x onerror=alert("id")>&amp;"\'</td></tr>'
HOSTILE_ANSWER = (
    "## 1. The task\n\nUses <script>alert('answer')</script> and </pre><img src=x onerror=alert(2)>.\n"
    "See https://evil.example/x?a=<b>&c=\"d\" for more.\n"
)
HOSTILE_TEXT = "<script>alert('answer')</script>"
HOSTILE_MESSAGE = "Not in the sources: <b onmouseover=alert(3)>bold</b> & ]]> </script><script>alert(4)</script>"


def _v(kind: str, text: str, line: int, message: str = "Not in the sources.", severity: str = "error") -> Violation:
    return Violation(kind=kind, text=text, line=line, message=message, severity=severity)  # type: ignore[arg-type]


def hostile_case() -> tuple[Case, Result]:
    case = Case(id=HOSTILE_ID, question="<i>q</i>", sources=[Source(id="R1", role="recommended", name="<b>M</b>",
                                                                      paper_url="https://e.example/p")])
    violations = [_v("model", HOSTILE_TEXT, 3, HOSTILE_MESSAGE), _v("url", "https://evil.example/x?a=<b>&c=\"d\"", 4)]
    attempts = [
        Attempt(number=1, mode="json_schema", messages=[], raw='{"task": "</script>"}', answer=HOSTILE_ANSWER,
                violations=violations, usage=Usage(prompt_tokens=10, completion_tokens=5), latency_s=0.25),
        Attempt(number=2, mode="json_schema", messages=[], raw="not json <script>alert(5)</script>", answer=None,
                violations=[_v("format", "syntax", 1, "The reply is not valid JSON <script>.")], error="<b>boom</b>"),
    ]
    result = Result(case_id=HOSTILE_ID, status="failed", model="<model onload=alert(6)>", answer=None,
                    violations=attempts[1].violations, attempts=attempts, usage=Usage(prompt_tokens=10, completion_tokens=5),
                    latency_s=0.3, cost_usd=None, template_hash="t")
    return case, result


@pytest.fixture(scope="module")
def bundled() -> tuple[list[Case], list[Result]]:
    cases = [c for p in expand_paths([str(PROMPTS)]) for c in iter_cases(p)]
    return cases, run_cases(cases, load_settings(cache="replay", cache_dir=CASSETTES), concurrency=4)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def page_with_hostile_case(bundled) -> tuple[str, list[Result]]:  # type: ignore[no-untyped-def]
    cases, results = bundled
    case, result = hostile_case()
    report = evals.evaluate([*cases, case], [*results, result], evals.Thresholds(min_grounded_rate=1.0, max_mean_attempts=2))
    return html.page(report.results, report), report.results


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


# --------------------------------------------------------------------------- the page as text


def test_hostile_ids_answers_and_messages_are_escaped(page_with_hostile_case) -> None:  # type: ignore[no-untyped-def]
    page, _ = page_with_hostile_case
    tags = _tags(page)
    assert [t for t, _ in tags].count("script") == 1 and not any(t in ("img", "b", "i", "model") for t, _ in tags)
    assert not [(t, a) for t, a in tags if any(k.startswith("on") for k in a)]
    assert "<script>alert" not in page and "<img" not in page and "<b " not in page
    assert "&lt;img src=x onerror=alert(&#34;id&#34;)&gt;&amp;amp;&#34;&#39;&lt;/td&gt;&lt;/tr&gt;" in page
    assert "&lt;script&gt;alert(&#39;answer&#39;)&lt;/script&gt;" in page
    assert "&lt;b onmouseover=alert(3)&gt;bold&lt;/b&gt; &amp; ]]&gt; &lt;/script&gt;&lt;script&gt;alert(4)&lt;/script&gt;" in page


def test_only_our_style_and_script_may_run_and_nothing_is_loaded(page_with_hostile_case) -> None:  # type: ignore[no-untyped-def]
    page, _ = page_with_hostile_case
    tags = _tags(page)
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)  # type: ignore[union-attr]
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)  # type: ignore[union-attr]

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert csp == (f"default-src 'none'; style-src {sha(style)}; script-src {sha(script)}; img-src data:; "
                   "base-uri 'none'; form-action 'none'")
    # nothing points outside the page: no src, no stylesheet link, and every href is a fragment
    assert not [a for t, a in tags if "src" in a or t == "link"]
    assert {a["href"][:1] for t, a in tags if "href" in a} == {"#"}
    assert "http://www.w3.org/2000/svg" in page  # the SVG namespace is a name, not a request


def test_secrets_in_replies_are_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    from cnaps_llm import redact

    monkeypatch.setattr(redact, "_current", redact.Redactor(["sk-SENTINEL-0123456789"]))
    _, result = hostile_case()
    leaked = "see https://evil.example/sk-SENTINEL-0123456789 now"
    attempt = result.attempts[0].model_copy(update={
        "answer": leaked, "violations": [_v("url", "https://evil.example/sk-SENTINEL-0123456789", 1, "Not in the sources: sk-SENTINEL-0123456789")]})
    page = html.page([result.model_copy(update={"attempts": [attempt], "error": "HTTP 401: key sk-SENTINEL-0123456789 refused"})])
    assert "SENTINEL" not in page
    assert '<mark class="v error k-url" data-v="1" title="1. [url] Not in the sources: [redacted]">https://evil.example/[redacted]</mark>' in page


def test_metrics_thresholds_chart_and_table(page_with_hostile_case) -> None:  # type: ignore[no-untyped-def]
    page, results = page_with_hostile_case
    assert '<p id="verdict" class="verdict fail"><strong>FAILED</strong> — thresholds missed: grounded rate 0.9231 is below the minimum 1</p>' in page
    assert ('<tr class="fail"><th scope="row">grounded rate</th><td>92.3%</td><td>≥ 100.0%</td><td><span class="badge fail">fail</span></td></tr>'
            in page)
    assert ('<tr class="pass"><th scope="row">mean attempts</th><td>1.54</td><td>≤ 2.00</td><td><span class="badge pass">pass</span></td></tr>'
            in page)
    # the chart: two bars per kind, drafts and final answers, most frequent kind first
    bars = re.findall(r"<title>(\w+): (\d+) in (drafts|final answers)</title>", page)
    assert bars == [("evidence", "13", "drafts"), ("evidence", "0", "final answers"), ("model", "7", "drafts"), ("model", "0", "final answers"),
                    ("number", "4", "drafts"), ("number", "0", "final answers"), ("claim", "2", "drafts"), ("claim", "0", "final answers"),
                    ("url", "2", "drafts"), ("url", "0", "final answers"), ("format", "1", "drafts"), ("format", "1", "final answers"),
                    ("quality", "1", "drafts"), ("quality", "0", "final answers"), ("task", "1", "drafts"), ("task", "0", "final answers")]
    rows = re.findall(r'<tr id="row-case-(\d+)" class="case-row (\w+)"', page)
    assert rows == [(str(i), r.status) for i, r in enumerate(results)]


def test_highlight_marks_each_violation_where_it_occurs() -> None:
    text = "line one\nUses Real-ESRGAN and Real-ESRGAN-x4 at 35 dB.\n"
    vs = [_v("model", "Real-ESRGAN", 2), _v("model", "Real-ESRGAN-x4", 2), _v("number", "35 dB", 2), _v("structure", "caveats", 3)]
    segments, notes = html.highlight(text, vs)
    assert [(s.text, s.mark.numbers if s.mark else None) for s in segments] == [
        ("line one\nUses ", None), ("Real-ESRGAN", (1,)), (" and ", None), ("Real-ESRGAN-x4", (2,)),
        (" at ", None), ("35 dB", (3,)), (".\n", None),
    ]
    assert [s.mark.ends for s in segments if s.mark] == [(1,), (2,), (3,)]
    assert [(n.number, n.located) for n in notes] == [(1, True), (2, True), (3, True), (4, False)]
    # the second name is found past the first, on its line: the first occurrence is the first name's
    assert html.locate(text, vs[1]) == (text.index("Real-ESRGAN-x4"), text.index("Real-ESRGAN-x4") + 14)
    assert html.locate(text, vs[3]) is None and html.locate(text, _v("url", "", 1)) is None
    assert html.locate("A\nb MODEL-X", _v("model", "model-x", 2)) == (4, 11)  # case differs: still found


def test_overlapping_violations_share_the_overlap() -> None:
    text = "see github.com/a/b today"
    segments, _ = html.highlight(text, [_v("url", "github.com/a/b", 1), _v("model", "a/b today", 1)])
    assert [(s.text, s.mark.numbers if s.mark else None) for s in segments] == [
        ("see ", None), ("github.com/", (1,)), ("a/b", (1, 2)), (" today", (2,))]


def test_the_format_row_and_a_single_case_page(bundled) -> None:  # type: ignore[no-untyped-def]
    _, results = bundled
    assert (FORMATS["html"].name, FORMATS["html"].suffix) == ("html", "html")
    one = FORMATS["html"].case(results[0])
    assert '<body class="single">' in one and "<title>cnaps-llm results</title>" in one and 'id="verdict"' not in one
    assert one.count('<article id="case-') == 1


def test_eval_html_flag_writes_the_page(run_cli, tmp_path: Path) -> None:
    res = run_cli("eval", PROMPTS, "--cache-dir", CASSETTES, "--html", tmp_path / "r.html")
    assert res.code == 0, res.err
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('<tr id="row-case-') == 12
    assert '<p id="verdict" class="verdict pass"><strong>PASSED</strong> — no thresholds configured; every case passed</p>' in page


def test_generate_format_html_writes_a_page_per_case(run_cli, tmp_path: Path) -> None:
    res = run_cli("generate", "--example", "003", "--example", "014", "--format", "html", "-o", tmp_path / "out")
    assert res.code == 0, res.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["003_1ea1203c459ef3cc.html", "014_tts.html"]


def test_the_template_files_ship_in_the_wheel() -> None:
    import fnmatch
    import tomllib

    from .conftest import ROOT

    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["cnaps_llm.reports"]
    folder = ROOT / "cnaps_llm" / "reports" / "templates"
    shipped = {p.name for p in folder.iterdir() if any(fnmatch.fnmatch(f"templates/{p.name}", g) for g in globs)}
    assert shipped == {"report.html.j2", "report.css", "report.js"}


# --------------------------------------------------------------------------- in a real browser

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium() -> str | None:
    found = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
    return found


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium installed: `apt-get install -y chromium` (Debian) to run the browser tests")
    from playwright.sync_api import sync_playwright  # in the test extra; a missing one is a failure, not a skip

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


class _Watched:
    """A page whose console errors, uncaught errors, dialogs and requests are kept."""

    def __init__(self, browser, path: Path) -> None:  # type: ignore[no-untyped-def]
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())


def test_page_in_chromium_renders_clicks_filters_and_sorts(browser, page_with_hostile_case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text, results = page_with_hostile_case
    path = tmp_path / "report.html"
    path.write_text(text, encoding="utf-8")
    w = _Watched(browser, path)
    page = w.page
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.locator("#verdict").inner_text().startswith("FAILED")
    assert page.locator("#chart svg g.kind").count() == 8  # the kinds in drafts: the bundled cases' seven and the hostile case's format

    # a case's details are hidden until it is clicked; then its drafts show every violation marked
    first = next(i for i, r in enumerate(results) if r.attempts[0].violations and r.status == "grounded")
    detail = page.locator(f"#case-{first}")
    assert not detail.is_visible()
    page.locator(f"#row-case-{first} td").nth(2).click()
    assert detail.is_visible() and page.evaluate("location.hash") == f"#case-{first}"
    assert page.locator(f"#row-case-{first}").get_attribute("aria-selected") == "true"
    draft = detail.locator("section.block").first
    expected = [v.text for v in results[first].attempts[0].violations]
    assert draft.locator("mark.v").all_inner_texts() == expected
    assert draft.locator("ol.violations li .message").all_inner_texts() == [v.message for v in results[first].attempts[0].violations]
    assert draft.locator("mark.v").first.is_visible()
    page.screenshot(path=str(tmp_path / "case.png"))

    # the hostile case shows its id, texts and messages as text, and nothing of it runs
    hostile = len(results) - 1
    page.locator(f"#row-case-{hostile} a").click()
    shown = page.locator(f"#case-{hostile}")
    assert shown.is_visible() and not detail.is_visible()
    assert shown.locator(".case-id").inner_text() == HOSTILE_ID
    assert shown.locator("mark.v").all_inner_texts() == [HOSTILE_TEXT, 'https://evil.example/x?a=<b>&c="d"']
    assert HOSTILE_MESSAGE in shown.locator("ol.violations").first.inner_text()
    assert page.locator(f"#row-case-{hostile} td").first.inner_text() == HOSTILE_ID

    # filter by id, by status, by kind; sort by attempts, both ways
    rows = page.locator("#cases tbody tr:visible")
    page.fill("#filter", "pose")
    assert rows.count() == 1 and page.locator("#shown").inner_text() == f"1 of {len(results)}"
    page.fill("#filter", "")
    page.select_option("#status-filter", "failed")
    assert rows.count() == 1 and rows.first.get_attribute("data-id") == HOSTILE_ID
    page.select_option("#status-filter", "")
    page.select_option("#kind-filter", "number")
    assert rows.count() == sum(any(v.kind == "number" for a in r.attempts for v in a.violations) for r in results)
    page.select_option("#kind-filter", "")
    page.click("#cases th:nth-child(3) button")
    attempts = [int(x) for x in page.locator("#cases tbody tr td:nth-child(3)").all_inner_texts()]
    assert attempts == sorted(attempts) and len(attempts) == len(results)
    page.click("#cases th:nth-child(3) button")
    attempts = [int(x) for x in page.locator("#cases tbody tr td:nth-child(3)").all_inner_texts()]
    assert attempts == sorted(attempts, reverse=True)
    assert page.locator("#cases th:nth-child(3)").get_attribute("aria-sort") == "descending"
    page.click("#show-all")
    assert page.locator("article.case:visible").count() == len(results)

    assert w.errors == [] and w.dialogs == []
    assert {u.split(":", 1)[0] for u in w.requests} == {"file"} and set(w.requests) == {path.as_uri()}
    w.page.close()
