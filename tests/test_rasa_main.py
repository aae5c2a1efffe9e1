"""Rasa's action-response check, built once, accepts and rejects exactly what Rasa's does."""

from __future__ import annotations

import json
import subprocess

from core.config import ROOT

RESPONSES = [
    {"events": [{"event": "slot", "name": "language", "value": "nb"}], "responses": []},
    {"events": [], "responses": [{"text": "Hei", "buttons": [{"title": "Ja", "payload": "/x"}]}]},
    {"events": "not a list", "responses": []},
    {"events": [{"event": "slot", "value": 1}]},
    {"events": [{"name": "no event"}]},
    {"events": [{"event": "user", "text": 5}]},
    {},
]
COMPARE = """
import json, sys
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction
from bot.rasa_main import validate_action_result

def outcome(check, response):
    try:
        check(response)
        return "ok"
    except ValidationError as error:
        return error.message

spec = RemoteAction.action_response_format_spec()
for response in json.loads(sys.stdin.read()):
    print(json.dumps([
        outcome(lambda r: validate(r, spec), response),
        outcome(lambda r: validate_action_result(None, r), response),
    ]))
"""


def in_rasa(script: str, stdin: str = "") -> list[str]:
    """Run `script` with Rasa's own Python; its output lines."""
    result = subprocess.run(
        [str(ROOT / ".venv" / "rasa" / "bin" / "python"), "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"},
        timeout=300,
        check=True,
    )
    return result.stdout.splitlines()


def test_cached_check_gives_rasas_own_verdicts() -> None:
    verdicts = [json.loads(line) for line in in_rasa(COMPARE, json.dumps(RESPONSES))]
    assert len(verdicts) == len(RESPONSES)
    assert [rasa == ours or ours.startswith(rasa) for rasa, ours in verdicts] == [True] * len(
        RESPONSES
    )
    assert [rasa for rasa, _ in verdicts][:2] == ["ok", "ok"]
    assert all(rasa != "ok" for rasa, _ in verdicts[2:6])


SELECTIVE_CALL = """
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from bot.rasa_main import install

install()
domain = Domain.from_yaml(open("bot/domain.yml").read())
tracker = DialogueStateTracker("someone", domain.slots)
for selective in (True, False):
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", enable_selective_domain=selective)
    call = RemoteAction("action_answer_service", endpoint)._action_call_format(tracker, domain)
    print(selective, len(call["domain"]))
"""


def test_selective_domain_sends_an_empty_domain_that_rasa_sdk_accepts() -> None:
    selective, full = in_rasa(SELECTIVE_CALL)[-2:]
    assert selective == "True 0"  # no domain to serialise, yet a domain key for rasa-sdk
    assert full.startswith("False ")
    assert int(full.split()[1]) > 0


GUARD = """
import json, sys
from types import SimpleNamespace
from bot.rasa_main import needs_secret

for method, path, body in json.loads(sys.stdin.read()):
    print(json.dumps(needs_secret(SimpleNamespace(method=method, path=path, json=body))))
"""
REST = "/webhooks/rest/webhook"
WHO_NEEDS_THE_SECRET = [
    (("GET", "/", None), False),
    (("GET", "/version", None), False),
    (("POST", "/model/parse", {"text": "hei"}), False),
    (("POST", REST, {"sender": "eval-0123abcd", "message": "hei"}), False),
    (("POST", REST, {"sender": "test-0123abcd", "message": "hei"}), False),
    (("POST", REST, {"sender": "web:abcdefghijklmnopqrstuv", "message": "hei"}), True),
    (("POST", REST, {"sender": "telegram:42", "message": "hei"}), True),
    (("POST", REST, ["not", "an", "object"]), True),
    (("POST", REST + "/", {"sender": "eval-1", "message": "hei"}), True),
    (("POST", "/model/parse/", {"text": "hei"}), True),
    (("GET", "/status", None), True),
    (("GET", "/webhooks/rest/", None), True),
    (("GET", "/conversations/eval-1/tracker", None), True),
    (("POST", "/conversations/eval-1/tracker/events", {}), True),
    (("DELETE", "/model", None), True),
]


def test_only_the_harness_routes_and_non_person_senders_go_without_the_secret() -> None:
    requests = [request for request, _ in WHO_NEEDS_THE_SECRET]
    verdicts = [json.loads(line) for line in in_rasa(GUARD, json.dumps(requests))]
    assert verdicts == [needs for _, needs in WHO_NEEDS_THE_SECRET]
