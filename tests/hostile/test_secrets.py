"""Secrets stay secret: the API key, the base URL's password and key-named query
parameters never reach stdout, stderr, a record, a results file, a recording or a report,
whole or in part, whatever a server echoes back; and no traceback leaves the process."""

from __future__ import annotations

import base64
import json
import socket
from pathlib import Path

import pytest

from cnaps_llm.redact import MASK, Redactor

from ..conftest import PROMPTS, SEEDS
from ..stubserver import Reply, StubServer, completion_body
from ..test_pipeline import draft

KEY = "sk-cnaps-KEYSENTINEL-5c1e9a7b3d2f4680"
PASSWORD = "pw-SENTINEL-0b9d8c7e6f5a4321"
QUERY = "qs-SENTINEL-77e1d2c3b4a59687"
BASIC = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
SECRETS = {"key": KEY, "password": PASSWORD, "query": QUERY, "basic auth": BASIC}
WINDOW = 12  # any 12 characters of a secret in a row count as a leak


def leaks(text: str) -> list[str]:
    found = []
    for name, secret in SECRETS.items():
        if any(secret[i : i + WINDOW] in text for i in range(len(secret) - WINDOW + 1)):
            found.append(name)
    return found


def base_url(srv_or_port: StubServer | int) -> str:
    port = srv_or_port if isinstance(srv_or_port, int) else srv_or_port.httpd.server_address[1]
    return f"http://alice:{PASSWORD}@127.0.0.1:{port}/v1?api-key={QUERY}"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# replies that carry the key back in every shape a careless model or proxy might
ECHOES = [
    f"the key is {KEY}",
    f'{{"{KEY}": "as a JSON key"}}',
    f"Authorization: Bearer {KEY}",
    f"'Authorization': 'Basic {BASIC}'",
    f"see http://alice:{PASSWORD}@example.org/x?token={QUERY}",
]


def body_with_key_everywhere() -> str:
    body = json.loads(completion_body(draft(task="Image restoration. " + " ".join(ECHOES)), model=f"gpt-4o-mini {KEY}"))
    body[KEY] = {f"Bearer {KEY}": KEY}
    body["choices"][0]["message"]["refusal"] = None
    return json.dumps(body)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("CNAPS_TRANSPORT_RETRIES", "1")
    monkeypatch.setenv("CNAPS_MAX_RETRY_WAIT", "0.01")


def test_no_secret_reaches_any_output(run_cli, env, tmp_path: Path) -> None:
    outputs = []
    with StubServer(default=Reply(body=body_with_key_everywhere())) as srv:
        url = base_url(srv)
        common = ["--base-url", url, "--jsonl", tmp_path / "all.jsonl"]
        # 1. a reply carrying the key everywhere: as Markdown files, then as JSON on stdout
        outputs.append(run_cli("generate", SEEDS["003"], "-o", tmp_path / "md", *common))
        outputs.append(run_cli("generate", SEEDS["003"], SEEDS["004"], "-f", "json", "--cache", "off", *common))
        outputs.append(run_cli("generate", SEEDS["001"], "-f", "jsonl", "--jsonl", "-", "--cache", "off", "--base-url", url))
        # 2. servers that echo the request's headers in their errors
        srv.enqueue(*[Reply(status=500, echo_headers=True)] * 2)
        outputs.append(run_cli("generate", SEEDS["000"], "-o", tmp_path / "e500", "-f", "json", "--cache", "off", *common))
        srv.enqueue(Reply(status=401, echo_headers=True))
        outputs.append(run_cli("generate", SEEDS["000"], "-o", tmp_path / "e401", "--cache", "off", *common))
        srv.enqueue(Reply(status=400, body=json.dumps({"error": {"message": "x" * 1990 + KEY}})))  # cut inside the key
        outputs.append(run_cli("generate", SEEDS["000"], "--cache", "off", "--base-url", url))
        srv.enqueue(Reply(body=completion_body("x", usage={"prompt_tokens": "x" * 20 + KEY, "completion_tokens": 1})))
        outputs.append(run_cli("generate", SEEDS["000"], "--cache", "off", "--base-url", url))
        # 3. an eval with every report, recorded against the echoing server
        outputs.append(run_cli("eval", PROMPTS, "--cache", "auto", "--base-url", url, "--junit", tmp_path / "eval.xml",
                               "--markdown", tmp_path / "eval.md", "--json", tmp_path / "eval.json"))
        assert any(KEY in str(h) or BASIC in str(h) for h in srv.headers)  # a credential was really sent
    # 4. no server at all
    outputs.append(run_cli("generate", SEEDS["003"], "--cache", "off", "--base-url", base_url(closed_port()), "-o", tmp_path / "down"))
    outputs.append(run_cli("eval", SEEDS["003"], "--cache", "off", "--base-url", base_url(closed_port()), "--junit", tmp_path / "down.xml"))

    assert [o.code for o in outputs[:7]] == [1, 1, 1, 3, 3, 3, 3], [o.err[-300:] for o in outputs]
    assert outputs[-2].code == 3 and "cannot connect to http://***@127.0.0.1" in outputs[-2].err
    written = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert {"all.jsonl", "eval.xml", "eval.md", "eval.json", "down.xml", "servers.json"} <= {p.name for p in written}
    assert len(list((tmp_path / "cassettes").rglob("*.json"))) >= 12
    found = {str(p.relative_to(tmp_path)): leaks(p.read_text(errors="replace")) for p in written}
    found.update({f"output {i}": leaks(o.out + o.err) for i, o in enumerate(outputs)})
    assert {where: what for where, what in found.items() if what} == {}
    assert not [o.err for o in outputs if "Traceback" in o.err]


def test_redactor_masks_each_shape() -> None:
    r = Redactor([KEY, PASSWORD])
    for text in ECHOES + [f"{{'authorization': 'Basic {BASIC}'}}", f"x-api-key='{KEY[:-1]}9'", f"?api_key={QUERY}&a=1"]:
        assert leaks(r.redact(text)) == [], text
    assert r.redact_obj({KEY: [f"Bearer {KEY}", 1]}) == {MASK: ["Bearer " + MASK, 1]}
    assert r.redact(r.redact(f"Bearer {KEY}")) == r.redact(f"Bearer {KEY}")  # idempotent
    # the value ends where the URL does: the sentence's punctuation around it is kept
    assert r.redact(f"http://h/v1?api-key={QUERY}; check it (http://h/?token={QUERY}).") == (
        f"http://h/v1?api-key={MASK}; check it (http://h/?token={MASK})."
    )


@pytest.mark.parametrize("n", [1, 5, 11, 20, len(KEY) - 1])
def test_a_secret_cut_by_a_length_limit_is_masked_not_shown_in_part(n: int) -> None:
    r = Redactor([KEY])
    text = "error: " + KEY
    clipped = r.clip(text, len("error: ") + n)
    assert KEY[:n] not in clipped or n < 4
    assert clipped.startswith("error: ") and len(clipped) <= len("error: ") + max(n, len(MASK))


def test_a_redirect_to_another_host_never_carries_the_key(run_cli, env, tmp_path: Path) -> None:
    with StubServer(default=Reply(text=draft())) as elsewhere, StubServer() as srv:
        srv.default = Reply(status=307, headers={"location": elsewhere.base_url + "/chat/completions"}, body="{}")
        res = run_cli("generate", SEEDS["003"], "--cache", "off", "--base-url", srv.base_url, "--structured", "json_object")
        assert KEY in {k.lower(): v for k, v in srv.headers[0].items()}["authorization"]
        assert elsewhere.headers == []  # not followed at all: the prompt stays home too (tests/hostile/test_round2d.py)
    assert "Traceback" not in res.err and not leaks(res.out + res.err)
