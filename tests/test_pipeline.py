"""Generation: validate-and-reask with a scripted backend; transport retries against a stub server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from cnaps_llm.backends import Completion
from cnaps_llm.backends.fake import ScriptedBackend
from cnaps_llm.errors import BackendError, UnsupportedFormat
from cnaps_llm.inputs import load_case
from cnaps_llm.negotiate import ModeNegotiator
from cnaps_llm.pipeline import RunOptions, repair, run_case
from cnaps_llm.pricing import estimate_cost
from cnaps_llm.prompts import build_messages, load_templates
from cnaps_llm.settings import Settings, load_settings
from cnaps_llm.models import Usage

from .conftest import SEEDS
from .stubserver import Reply, StubServer

CASE = load_case(SEEDS["003"])


def draft(**over) -> str:
    d = {
        "task": "The user wants image restoration of heavily degraded photos.",
        "workflow": {
            "input": "a degraded photo",
            "steps": [
                {"source": "R1", "does": "SwinIR restores the noisy image with a Swin Transformer.", "quote": "SwinIR Image Restoration Using Swin Transformer"},
                {"source": "P1", "does": "HAIR generates parameters for the degradation it detects.", "quote": "generates parameters based on the input image"},
            ],
            "output": "a clean image",
        },
        "references": [{"source": "P3", "reason": "DreamClear is trained on one million high-quality images.", "quote": "a large-scale dataset of one million high-quality images"}],
        "caveats": [],
    }
    d.update(over)
    return json.dumps(d)


def run(backend, settings: Settings | None = None, state: ModeNegotiator | None = None, case=CASE):
    settings = settings or load_settings(openai_base_url="http://127.0.0.1:9/v1")

    async def go():  # the negotiator's lock belongs to the loop that runs the case
        negotiator = state or ModeNegotiator.for_run(settings.structured)
        return await run_case(case, backend, RunOptions.from_settings(settings), load_templates(settings.prompts_dir), negotiator)

    return asyncio.run(go())


def test_clean_first_draft_is_grounded_and_rendered_with_input_links() -> None:
    backend = ScriptedBackend(draft())
    result = run(backend)
    assert result.status == "grounded" and len(result.attempts) == 1
    assert "https://github.com/JingyunLiang/SwinIR" in result.answer
    assert "http://arxiv.org/pdf/2410.18666v2.pdf" in result.answer
    req = backend.history[0]
    assert req.mode == "json_schema"
    enum = req.schema_["properties"]["references"]["items"]["properties"]["source"]["enum"]
    assert enum == ["R1", "P1", "P2", "P3"]


def test_outside_link_is_reasked_with_the_link_quoted_then_clean_draft_returned() -> None:
    bad = draft(task="Image restoration; see https://github.com/xinntao/Real-ESRGAN for more.")
    backend = ScriptedBackend(bad, draft())
    result = run(backend)
    assert result.status == "grounded"
    assert [[(v.kind, v.text) for v in a.violations] for a in result.attempts] == [
        [("url", "https://github.com/xinntao/Real-ESRGAN")],
        [],
    ]
    reask = backend.history[1].messages[-1]
    assert reask.role == "user" and reask.content.startswith("Your answer was rejected")
    assert "'https://github.com/xinntao/Real-ESRGAN'" in reask.content
    assert "R1 = Denoise-SwinIR-Noise15" in reask.content  # what is allowed is repeated
    assert backend.history[1].messages[-2].model_dump() == {"role": "assistant", "content": bad}
    assert "Real-ESRGAN" not in result.answer


def test_invalid_json_and_unknown_ids_are_reasked() -> None:
    steps = {"input": "x", "steps": [{"source": "R9", "does": "y"}], "output": "z"}
    backend = ScriptedBackend("not json at all", draft(workflow=steps), draft())
    result = run(backend)
    assert result.status == "grounded" and len(result.attempts) == 3
    assert "not valid JSON" in result.attempts[0].violations[0].message
    assert "Unknown source id(s) R9" in result.attempts[1].violations[0].message
    # each problem gets the reask that names it, not "things the sources do not support"
    assert backend.history[1].messages[-1].content.startswith("Your reply could not be read as JSON")
    assert backend.history[2].messages[-1].content.startswith("Your reply was JSON but does not have the required fields")


def test_attempts_run_out_report_failure_with_history() -> None:
    bad = draft(task="Image restoration with 99.9% accuracy, like Real-ESRGAN.")
    backend = ScriptedBackend(bad, bad, bad)
    result = run(backend)
    assert result.status == "failed" and result.answer is None
    assert len(result.attempts) == 3 and all(a.violations for a in result.attempts)
    assert {v.text for v in result.violations} == {"99.9%", "Real-ESRGAN"}


def test_repair_drops_only_offending_sentences() -> None:
    bad = draft(task="The user wants image restoration. Real-ESRGAN is the best at it. The photo is degraded.")
    settings = load_settings(openai_base_url="http://x/v1", on_fail="repair", max_attempts=1)
    result = run(ScriptedBackend(bad), settings)
    assert result.status == "repaired"
    assert "Real-ESRGAN" not in result.answer
    assert "The user wants image restoration. The photo is degraded." in result.answer
    # everything else is byte-identical to the rendered draft
    assert result.answer.replace(" The photo is degraded.", "") == result.attempts[0].answer.replace(" Real-ESRGAN is the best at it. The photo is degraded.", "")


def test_repair_helper_keeps_lines_without_violations() -> None:
    from cnaps_llm.models import Violation

    text = "A fine line.\nBad BM3D here. Good part.\nAll bad BM3D.\n"
    v = [Violation(kind="model", text="BM3D", line=2, message="m")]
    assert repair(text, v) == "A fine line.\nGood part.\n"


def test_format_rejection_falls_back_and_is_remembered_across_cases() -> None:
    backend = ScriptedBackend(UnsupportedFormat("no json_schema", mode="json_schema"), draft(), draft())
    settings = load_settings(openai_base_url="http://x/v1")
    state = ModeNegotiator.for_run(settings.structured)
    first = run(backend, settings, state)
    second = run(backend, settings, state)
    assert [r.status for r in (first, second)] == ["grounded", "grounded"]
    assert [h.mode for h in backend.history] == ["json_schema", "json_object", "json_object"]
    assert first.attempts[0].mode == "json_object" and len(first.attempts) == 1
    assert state.fallbacks == ["json_schema -> json_object"] and state.settled


def test_text_mode_checks_the_markdown_directly() -> None:
    answer = (Path(SEEDS["003"]).parent.parent / "answers" / "003_grounded.md").read_text(encoding="utf-8")
    backend = ScriptedBackend("## 1. The task\nSee https://evil.example/x\n", answer)
    result = run(backend, load_settings(openai_base_url="http://x/v1", structured="text"))
    assert result.status == "grounded" and backend.history[0].mode == "text" and backend.history[0].schema_ is None
    first = [(v.kind, v.text) for v in result.attempts[0].violations]
    assert ("url", "https://evil.example/x") in first and ("quality", "See") in first  # and it is no answer


def test_truncation_and_refusal_are_reported_as_such() -> None:
    backend = ScriptedBackend(Completion(text='{"task": "x', finish_reason="length"), Completion(text="", refusal="I can't"), draft())
    result = run(backend)
    assert [a.error for a in result.attempts] == ["truncated: finish_reason=length", "refused: I can't", None]
    assert result.status == "grounded"
    # a cut-off reply is reasked as such (shorter), not as "things the sources do not support"
    assert backend.history[1].messages[-1].content.startswith("Your answer was cut off before it ended")
    assert "write a shorter answer" in backend.history[1].messages[-1].content


def test_backend_errors_propagate_not_reasked() -> None:
    backend = ScriptedBackend(BackendError("API key refused"))
    with pytest.raises(BackendError):
        run(backend)
    assert len(backend.history) == 1


def test_token_budget_shortens_longest_related_summary_only() -> None:
    t = load_templates(load_settings().prompts_dir)
    full = build_messages(t, CASE, "text", model="gpt-4o-mini", max_tokens=100_000)
    small = build_messages(t, CASE, "text", model="gpt-4o-mini", max_tokens=full.tokens - 150)
    assert small.tokens <= full.tokens - 150 and full.trimmed == []
    assert small.trimmed and all(x.startswith(("P1", "P2", "P3")) for x in small.trimmed)
    user = small.messages[1].content
    for s in CASE.sources:  # names and links (given in text mode) survive any trimming
        assert s.name in user and all(u in user for u in s.all_links())


def test_cost_table() -> None:
    u = Usage(prompt_tokens=1_000_000, completion_tokens=1_000_000)
    assert estimate_cost("gpt-4o-mini", u) == 0.75
    assert estimate_cost("gpt-4o-mini-2024-07-18", u) == 0.75
    assert estimate_cost("gemma-3-270m", u) is None


# --------------------------------------------------------------------------- real HTTP, stub server


def test_transport_faults_are_retried_without_reask(monkeypatch: pytest.MonkeyPatch) -> None:
    with StubServer() as srv:
        srv.enqueue(
            Reply(status=429, headers={"retry-after": "0"}, body='{"error": {"message": "slow down"}}'),
            Reply(status=503, body='{"error": {"message": "busy"}}'),
            Reply(text=draft()),
        )
        settings = load_settings(openai_base_url=srv.base_url, max_retry_wait=0.05)
        from cnaps_llm.backends.openai import OpenAIBackend

        result = run(OpenAIBackend(settings), settings)
        assert result.status == "grounded" and len(result.attempts) == 1
        assert len(srv.requests) == 3
        assert srv.requests[0] == srv.requests[2]  # the same request again, not a reask


def test_json_schema_rejected_by_server_falls_back_to_json_object() -> None:
    with StubServer() as srv:
        srv.enqueue(
            Reply(status=500, body='{"error": {"message": "Input should be \'text\' or \'json_object\'", "type": "response_format"}}'),
            Reply(text=draft()),
        )
        settings = load_settings(openai_base_url=srv.base_url, max_retry_wait=0.01)
        from cnaps_llm.backends.openai import OpenAIBackend

        result = run(OpenAIBackend(settings), settings)
        assert result.status == "grounded"
        assert [r["response_format"]["type"] for r in srv.requests] == ["json_schema", "json_object"]
        assert "schema" in srv.requests[1]["response_format"]


@pytest.mark.parametrize("status,fragment", [(401, "API key was refused"), (404, "not found"), (400, "server refused the request")])
def test_client_errors_give_one_line_what_to_fix(run_cli, status: int, fragment: str) -> None:
    with StubServer() as srv:
        srv.enqueue(Reply(status=status, body='{"error": {"message": "nope"}}'))
        res = run_cli("generate", SEEDS["003"], "--base-url", srv.base_url)
        assert res.code == 3
        assert fragment in res.err and res.err.count("\n") == 1 and "Traceback" not in res.err
        assert len(srv.requests) == 1  # never retried


def test_generate_cli_json_record_against_stub(run_cli, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=draft(), model="gpt-4o-mini-2024-07-18")) as srv:
        res = run_cli("generate", SEEDS["003"], "--base-url", srv.base_url, "--format", "json", "-o", tmp_path / "out")
        assert res.code == 0, res.err
        record = json.loads((tmp_path / "out" / f"{SEEDS['003'].stem}.json").read_text())
        assert record["status"] == "grounded" and record["case_id"] == SEEDS["003"].stem
        assert record["attempts"][0]["messages"][0]["role"] == "system"
        assert record["usage"] == {"prompt_tokens": 10, "completion_tokens": 5}
        assert len(record["template_hash"]) == 16 and record["cost_usd"] is not None
        assert record["model"] == "gpt-4o-mini-2024-07-18"  # the model that answered, and priced as it
        assert "grounded after 1 attempt(s)" in res.err


def test_generate_without_server_says_how_to_configure(run_cli, tmp_path: Path) -> None:
    res = run_cli("generate", SEEDS["003"], "--cache", "off")
    assert res.code == 2
    assert res.err.startswith("cnaps-llm: no model server configured: set OPENAI_API_KEY") and res.err.count("\n") == 1
    mine = tmp_path / "mine.txt"  # not a bundled example: nothing recorded, nothing configured
    mine.write_text(SEEDS["003"].read_text())
    res = run_cli("generate", mine)
    assert res.code == 4 and res.out.startswith("# FAILED: mine\n\nThere is no recorded response to replay: case mine has no recording")
    assert res.err.startswith("mine: failed: case mine has no recording; no model server is configured: set OPENAI_API_KEY")


def test_json_modes_send_no_links_and_describe_the_json_only_when_not_enforced() -> None:
    t = load_templates(load_settings().prompts_dir)
    strict, loose, text = (build_messages(t, CASE, m, model="gpt-4o-mini", max_tokens=100_000).messages for m in ("json_schema", "json_object", "text"))
    link = "https://github.com/JingyunLiang/SwinIR"  # a source's link field (summaries may hold URLs of their own)
    assert link not in strict[1].content and link not in loose[1].content and link in text[1].content
    assert '"workflow"' not in strict[0].content and '"workflow"' in loose[0].content
    assert strict[0].content.startswith(loose[0].content.split("Reply with")[0].rstrip())
