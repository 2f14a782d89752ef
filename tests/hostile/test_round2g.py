"""Round 2g of hostile use: HTTP codes a server refuses a request with, rate limits that can
never admit a request, control characters in server-provided strings of the reports,
counterfactual gap statements read as task claims, and Polish and Czech answers read as
English. Each case here once misled the user or the validator; each now ends in one clear
line or the right verdict, and each has a sound twin that still works."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from cnaps_llm.api import load_case
from cnaps_llm.errors import BAD_INPUT, OK, SERVER
from cnaps_llm.grounding import check
from cnaps_llm.grounding.rules import quality
from cnaps_llm.models import Attempt, Result, Usage, Violation
from cnaps_llm.reports import html, markdown

from ..conftest import FIXTURES, SEEDS, SHARED
from ..grounding.test_heldout8_structure import answer as q8_answer
from ..grounding.test_heldout8_structure import flags as q8_flags
from ..stubserver import Reply, StubServer, grounded_draft

CASE = SEEDS["003"]


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "1")
    monkeypatch.setenv("CNAPS_MAX_RETRY_WAIT", "0.05")


# --------------------------------------------------------------------------- 4xx codes the backend does not name

TOO_LARGE = "Request Entity Too Large: 52000 tokens is more than the 32768 this deployment takes"
FASTAPI_422 = json.dumps({"detail": [{"loc": ["body", "max_tokens"], "msg": "Input should be less than or equal to 512", "type": "less_than_equal"}]})
REFUSED = {
    413: (json.dumps({"error": {"message": TOO_LARGE, "type": "invalid_request_error"}}),
          f"the server refused the request as too large (HTTP 413: {TOO_LARGE}); shorten the inputs, or lower --max-input-tokens "
          "(now 6000) or CNAPS_MAX_OUTPUT_TOKENS (now 1200)"),
    422: (FASTAPI_422,
          "the server refused the request's parameters (HTTP 422: body.max_tokens: Input should be less than or equal to 512); "
          "check that model 'gpt-4o-mini' takes them: max_tokens 1200, temperature 0, seed 0, response_format json_object (--structured)"),
    408: (json.dumps({"message": "request timeout"}),
          "the server gave up waiting for the request (HTTP 408: request timeout) after 2 tries; check the network and the server"),
    409: (json.dumps({"error": "another request holds this session"}),
          "the server refused the request (HTTP 409) after 2 tries: another request holds this session"),
    418: ("I'm a teapot", "the server refused the request (HTTP 418): I'm a teapot"),
    451: ("", "the server refused the request (HTTP 451) without giving a reason; check the server"),
}


@pytest.mark.parametrize("status", sorted(REFUSED))
def test_a_4xx_without_a_hint_says_what_the_server_said_and_what_to_change(run_cli, fast, tmp_path: Path, status: int) -> None:
    # each said "the server answered HTTP N, not a chat completion; check OPENAI_BASE_URL",
    # misleading: the server was the right one, and it said why it refused the request
    body, said = REFUSED[status]
    with StubServer(default=Reply(status=status, body=body)) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object")
    assert res.code == SERVER and "Traceback" not in res.err
    if status in (408, 409):  # retried, then a failure of this case only: its report says why
        assert f"The model server failed: {said}\n" in res.out
    else:  # a refusal the same server would repeat for every case ends the run
        assert res.out == "" and res.err.splitlines()[-1] == f"cnaps-llm: {said}"
    assert "OPENAI_BASE_URL" not in res.err + res.out


def test_a_refusal_quotes_the_server_redacted_on_one_bounded_line(run_cli, fast, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    key = "sk-live-4f1b2c3d4e5f60718293a4b5c6d7e8f9"
    monkeypatch.setenv("OPENAI_API_KEY", key)
    said = f"\x1b[2Jbad key {key}\r\nrewritten\x07 line " + "x" * 5000
    with StubServer(default=Reply(status=422, body=json.dumps({"error": {"message": said}}))) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object",
                      "--jsonl", tmp_path / "r.jsonl")
    assert res.code == SERVER and "Traceback" not in res.err
    line = res.err.splitlines()[-1]
    assert line.startswith("cnaps-llm: the server refused the request's parameters (HTTP 422: [2Jbad key [redacted] rewritten line xxx")
    assert key[:8] not in res.err and "\x1b" not in res.err and "\x07" not in res.err and "\r" not in res.err
    assert len(line) < 500
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and key[:8] in p.read_text(errors="replace")]


def test_a_refusal_body_nested_past_the_parser_is_quoted_not_parsed(run_cli, fast, tmp_path: Path) -> None:
    with StubServer(default=Reply(status=422, body="[" * 50_000 + "]" * 50_000)) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--structured", "json_object")
    assert res.code == SERVER and "Traceback" not in res.err
    assert res.err.splitlines()[-1].startswith("cnaps-llm: the server refused the request's parameters (HTTP 422: [[[[")


@pytest.mark.parametrize(("loc", "said"), [(None, "bad"), (7, "7: bad"), ("body", "body: bad"), ({"a": 1}, "bad"),
                                          (["body", "max_tokens"], "body.max_tokens: bad"), ([True, "x"], "x: bad")])
def test_a_422_whose_loc_is_not_a_list_is_quoted_not_a_crash(loc: object, said: str) -> None:
    # a review's find: {"detail": [{"loc": null, "msg": "bad"}]} was an internal error (exit 70),
    # and "loc": "body" read as "b.o.d.y"
    from cnaps_llm.backends.openai import _reason_in

    assert _reason_in({"detail": [{"loc": loc, "msg": "bad"}]}) == said


def test_sound_twin_a_redirect_without_a_location_still_points_at_the_base_url(run_cli, fast, tmp_path: Path) -> None:
    with StubServer(default=Reply(status=302, body="")) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off")
    assert res.err.splitlines()[-1] == (
        "cnaps-llm: the server answered HTTP 302, not a chat completion; check OPENAI_BASE_URL (it usually ends in /v1) and the server")


def test_sound_twin_named_codes_keep_their_hints(run_cli, fast, tmp_path: Path) -> None:
    with StubServer(default=Reply(status=401, body='{"error": {"message": "bad key"}}')) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off")
    assert res.err.splitlines()[-1] == 'cnaps-llm: the API key was refused; set a valid OPENAI_API_KEY [HTTP 401: {"error": {"message": "bad key"}}]'


# --------------------------------------------------------------------------- rate limits that never admit a request


@pytest.mark.parametrize(("flag", "value", "said"), [
    ("--tpm", "0.0001", "cnaps-llm: --tpm 0.0001 admits a request of ~"),
    ("--rpm", "0.0001", "cnaps-llm: --rpm 0.0001 admits one request every 6.9 days, longer than a case may take (5 s, --case-timeout)"),
    ("--rpm", "6", "cnaps-llm: --rpm 6 admits one request every 10 s, longer than a case may take (5 s, --case-timeout)"),
])
def test_a_limit_that_cannot_admit_a_request_in_time_fails_at_once(run_cli, tmp_path: Path, flag: str, value: str, said: str) -> None:
    # the run waited out its deadline and then said only "the case ran out of its 5 s"
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        started = time.monotonic()
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", flag, value, "--case-timeout", "5",
                      "--jsonl", tmp_path / "r.jsonl")
        elapsed = time.monotonic() - started
        assert srv.requests == []  # nothing was sent
    assert (res.code, res.out) == (BAD_INPUT, "") and "Traceback" not in res.err
    line = res.err.splitlines()[-1]
    assert line.startswith(said) and line.endswith(f"raise {flag}"), line
    assert elapsed < 4


def test_a_case_too_long_for_the_tpm_fails_alone_and_the_others_run(run_cli, tmp_path: Path) -> None:
    # a review's find: one case of ~2,900 tokens under --tpm 15000 and an 8 s deadline ended
    # the whole run (exit 2), and the cases after it, which fit, never ran
    out = tmp_path / "r.jsonl"
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("generate", "example:012", "example:003", "example:010", "--base-url", srv.base_url, "--cache", "off",
                      "--tpm", "15000", "--case-timeout", "8", "--jsonl", out)
    assert "Traceback" not in res.err and res.code not in (OK, BAD_INPUT), res.err
    records = {r["case_id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert {k: r["status"] for k, r in records.items()} == {
        "012_super_resolution": "grounded", "003_1ea1203c459ef3cc": "failed", "010_style_transfer": "grounded"}
    assert "003_1ea1203c459ef3cc: failed: --tpm 15000 admits a request of ~" in res.err and "raise --tpm" in res.err


def test_the_tpm_refusal_says_how_long_in_hours_or_days() -> None:
    from cnaps_llm.backends.throttle import Throttle

    said = Throttle(tpm=0.0001).refusal(1200, 300)
    assert said == ("--tpm 0.0001 admits a request of ~1,200 tokens (its prompt and output budget) only after 8,326 days, "
                    "longer than a case may take (300 s, --case-timeout); raise --tpm")
    assert "7.0 hours" in (Throttle(tpm=5).refusal(2100, 3600) or "")


def test_sound_twin_limits_that_admit_a_request_in_time_run(run_cli, tmp_path: Path) -> None:
    from cnaps_llm.backends.throttle import Throttle

    assert Throttle(rpm=60, tpm=100_000).refusal(3000, 300) is None
    assert Throttle(tpm=600).refusal(3000, 300) is None  # 299 s for the rest of 3,000 tokens at 10 a second
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "--rpm", "60", "--tpm", "1000000")
    assert res.code == OK, res.err


def test_a_tpm_from_the_environment_fails_an_eval_at_once(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CNAPS_TPM", "0.0001")
    with StubServer(default=Reply(reply_to=grounded_draft)) as srv:
        res = run_cli("eval", CASE, "--base-url", srv.base_url, "--cache", "off")
        assert srv.requests == []
    assert res.code == BAD_INPUT and "Traceback" not in res.err
    assert res.err.splitlines()[-1].startswith("cnaps-llm: --tpm 0.0001 admits a request of ~")


# --------------------------------------------------------------------------- control characters in the reports

EVIL_MODEL = "gpt-4o\x1b[31m-red\x07\u202eevil\x9b2J"
EVIL_ID = "case\u202egnp.exe"


def _evil_result() -> Result:
    violation = Violation(kind="model", text="Evil\u2066Net", line=3, message="Not in the sources: Evil\u2066Net\u2069.")
    attempt = Attempt(number=1, mode="json_object", messages=[], raw="not json \x1b]0;title\x07 \u202e", answer=None,
                      violations=[violation], error="the server said \x1b[2J\u202eno")
    return Result(case_id=EVIL_ID, status="failed", model=EVIL_MODEL, answer=None, violations=[violation], attempts=[attempt],
                  usage=Usage(prompt_tokens=1, completion_tokens=1), latency_s=0.1, cost_usd=None, template_hash="t",
                  error="the server said \x1b[2J\u202eno", error_kind="server")


HIDDEN = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u2069")


def test_the_html_report_shows_control_and_bidi_characters_as_escapes() -> None:
    page = html.page([_evil_result()])
    assert [c for c in HIDDEN if c in page] == []
    assert "gpt-4o\\x1b[31m-red\\x07\\u202eevil\\x9b2J" in page  # the model name, shown as it is
    assert "case\\u202egnp.exe" in page and "Evil\\u2066Net" in page


def test_the_html_report_of_a_server_with_an_escaping_model_name(run_cli, tmp_path: Path) -> None:
    with StubServer(default=Reply(reply_to=grounded_draft, model=EVIL_MODEL)) as srv:
        res = run_cli("generate", CASE, "--base-url", srv.base_url, "--cache", "off", "-f", "html")
    assert res.code == OK, res.err
    assert [c for c in HIDDEN if c in res.out] == []
    assert "gpt-4o\\x1b[31m-red\\x07\\u202eevil\\x9b2J" in res.out


def test_the_markdown_report_shows_control_and_bidi_characters_as_escapes() -> None:
    text = markdown.case(_evil_result())
    assert [c for c in HIDDEN if c in text] == []
    assert text.startswith("# FAILED: case\\u202egnp.exe\n")
    assert "the server said \\x1b[2J\\u202eno" in text


def test_sound_twin_tabs_line_breaks_and_letters_of_any_script_are_kept() -> None:
    answer = "## 1. The task\n\nA\tB — «déjà» 漢字 עברית\r\nnext line\n"
    r = _evil_result().model_copy(update={"answer": answer, "status": "grounded", "error": None, "error_kind": None,
                                          "violations": [], "model": "gpt-4o", "case_id": "c1"})
    assert markdown.case(r) == "## 1. The task\n\nA\tB — «déjà» 漢字 עברית\nnext line\n"
    assert "A\tB — «déjà» 漢字 עברית" in html.page([r])


# --------------------------------------------------------------------------- counterfactual gap statements


def planted(n: str, sentence: str) -> list[str]:
    """The task violations' texts of the grounded fixture answer ``n`` with ``sentence`` planted
    as a paragraph of its first section, checked against its own prompt."""
    text = (FIXTURES / "answers" / f"{n}_grounded.md").read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n\n## 2.")
    assert sep, n
    case = load_case(next((FIXTURES / "prompts").glob(f"{n}_*.txt")))
    return [v.text for v in check(f"{head}\n\n{sentence}{sep}{rest}", case) if v.kind == "task"]


# honest gap statements: each supposes a model the input lacks (the task is NOT covered)
COUNTERFACTUAL_GAPS = [
    "Had the list included an OCR model, it could read the text on the plate.",
    "Were a face-restoration model provided, it could repair the faces.",
    "If an OCR model were provided, it could read the text on the plate.",
    "Should a colorization model be added, it could colourise the photo.",
    "Had a captioning model been provided, it could describe the picture.",
    "If a tracking model had been included, it could track the car.",
    "Were the list to include an OCR model, it would read the text on the plate.",
    "Should an OCR model be added later, it would read the text.",
    "Had there been a super-resolution model, it could enlarge the photo four times.",
    "If a colorization model were in the list, it would colourise the photo.",
    "Had the recommendations offered a captioning model, it could caption the photo.",
    "Were any OCR model among the sources, it could read the text on the plate.",
    "It could read the text on the plate, had the list included an OCR model.",
]

# their twins: real claims that a provided model does the task (the task text still flagged)
CONDITIONAL_CLAIMS = [
    ("Had you used it, the model would also colourise the photo.", "colourise"),
    ("If you run it, the model reads the text on the plate.", "reads the text"),
    ("Were you to run it, the model would read the text on the plate.", "read the text"),
    ("Should you run it twice, the model colourises the photo.", "colourises"),
    ("Had you run it, it would have read the plate with OCR.", "OCR"),
    ("If it were run on the scan, the model would colourise the photo.", "colourise"),
    ("Were it applied to the clip, the model would track the car.", "track"),
    ("Should the photo be uploaded, the model will read the text on the plate.", "read the text"),
    # a missing model supposed, but the main clause says the provided model does the task
    ("Had an OCR model been provided, the model would still colourise the photo.", "colourise"),
    ("If a denoising model were run first, the model would read the text on the plate.", "read the text"),
    # a clause joined after the gap statement is another statement
    ("Had the list included an OCR model, it could read the plate, and the model also colourises the photo.", "colourises"),
    # a counterfactual about the photo, not about a missing model
    ("If the photo were brighter, the model would read the text on the plate.", "read the text"),
    ("The model would read the text on the plate, had the list included an OCR model.", "read the text"),
    # a provided model named in the main clause, by any of its names (a review's finds)
    ("Were a second model added, Inpainting-ResShift-ImageNet would still read the text on the plate.", "read the text"),
    ("If a model such as ResShift were used, ResShift could read the text on the plate.", "read the text"),
    ("Should a user prefer a single model, ResShift reads the text on the plate.", "reads the text"),
    ("Should a newer model be released, Inpainting-ResShift-ImageNet will colourise the photo.", "colourise"),
]


@pytest.mark.parametrize("n", ["000", "003"])
def test_the_fixtures_are_grounded_before_planting(n: str) -> None:
    assert planted(n, "") == []


@pytest.mark.parametrize("n", ["000", "003"])
@pytest.mark.parametrize("sentence", COUNTERFACTUAL_GAPS)
def test_a_counterfactual_conditional_supposing_a_missing_model_is_a_gap_statement(n: str, sentence: str) -> None:
    # "Had the list included an OCR model, …" says OCR is NOT covered: it was read as a claim
    assert planted(n, sentence) == []


@pytest.mark.parametrize("n", ["000", "003"])
@pytest.mark.parametrize(("sentence", "claimed"), CONDITIONAL_CLAIMS)
def test_sound_twin_a_conditional_claiming_the_provided_model_does_the_task_is_flagged(n: str, sentence: str, claimed: str) -> None:
    assert claimed in planted(n, sentence)


# --------------------------------------------------------------------------- Polish and Czech answers


POLISH = q8_answer(
    task="Użytkownik chce, aby zdjęcie biletu było ostre oraz cztery razy większe, tak aby dało się przeczytać jego szczegóły.",
    flow="Zdjęcie trafia najpierw do Deblur-MSSNet-RealBlurR, który usuwa rozmycie, a potem do SISR-DRN-L-4x, który "
         "powiększa je cztery razy. Inny model nie jest potrzebny, jak widać po zdjęciu, które nie ma szumu.",
    refs="- MSSNet: https://cg.example.org/mssnet.pdf, sieć dla rozmycia z prawdziwego aparatu, jako pierwszy krok.\n"
         "- DRN: https://arxiv.org/abs/2003.07018, sieć przez którą zdjęcie jest powiększane cztery razy, tylko dla tego zadania.",
)
# short, and few accented letters: too few for the accented-letter share to tell it
CZECH = q8_answer(
    task="Uživatel chce, aby fotka jízdenky byla ostrá a dvakrát větší, aby šlo číst detaily.",
    flow="Fotka jde nejprve do Deblur-MSSNet-RealBlurR, který odstraní rozmazání, a potom do SISR-DRN-L-4x, který ji "
         "zvětší. Jiný model není nutno dodat, protože fotka nemá šum nebo jiné vady, co by bylo nutno opravit.",
    refs="- MSSNet: https://cg.example.org/mssnet.pdf, síť pro rozmazané fotky, jako první krok.\n"
         "- DRN: https://arxiv.org/abs/2003.07018, síť, pomocí které je fotka zvětšena, podle zadání také jako druhý krok.",
)


@pytest.mark.parametrize("text", [POLISH, CZECH], ids=["polish", "czech"])
def test_a_short_polish_or_czech_answer_is_not_english(text: str) -> None:
    assert "language" in q8_flags(text)


def test_sound_twin_a_polish_answer_to_a_polish_question_passes_the_language_check() -> None:
    question = "Zdjęcie mojego biletu jest małe i rozmazane; czy można je wyostrzyć oraz powiększyć cztery razy?"
    assert "language" not in q8_flags(POLISH, question)


def test_sound_twin_english_answers_quoting_polish_and_czech_names_are_english() -> None:
    task = (
        "The user photographed a train ticket from Wrocław Główny to Kraków Płaszów that came out small and smeared, "
        "and wants it crisp and four times larger so the printed details can be read."
    )
    flow = (
        "The photo goes first to Deblur-MSSNet-RealBlurR, which removes the smear, and the sharpened photo then goes to "
        "SISR-DRN-L-4x, which enlarges it four times. The ticket's heading, \"Bilet jednorazowy, nie dla przewozu bagażu\", "
        "and the carrier's name, České dráhy, stay readable.\n\nphoto → Deblur-MSSNet-RealBlurR → SISR-DRN-L-4x → crisp ticket"
    )
    assert "language" not in q8_flags(q8_answer(task=task, flow=flow))


def test_sound_twin_a_terse_english_list_of_dla_backbones_is_english() -> None:
    # a review's find: "dla" (Deep Layer Aggregation) and "jak" were Polish words, and a terse
    # list of DLA backbones read as "not written in English prose"
    from cnaps_llm.grounding.rules.quality import _language

    rows = "\n".join(f"- DLA-{n}: backbone, stride 4, JAK-{n} tag" for n in (34, 46, 60, 102, 169, 34, 46, 60, 102, 169))
    assert _language(rows.lower()) == "english"


def _real_answers() -> list[tuple[str, str]]:
    out = []
    for path in sorted((SHARED / "real-answers").glob("*.json")):
        for name, text in json.loads(path.read_text(encoding="utf-8"))["responses"].items():
            out.append((f"{path.stem}:{name}", text))
    return out


@pytest.mark.skipif(not (SHARED / "real-answers").is_dir(), reason="the shared real answers are not here")
def test_sound_twin_every_real_answer_and_fixture_is_still_english() -> None:
    texts = _real_answers()
    assert len(texts) >= 146
    texts += [(str(p), p.read_text(encoding="utf-8")) for p in sorted((FIXTURES / "answers").glob("*")) if p.is_file()]
    foreign = [name for name, text in texts if quality._language(text.lower()) != "english"]
    assert foreign == []
